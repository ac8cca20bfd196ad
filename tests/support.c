/* Helpers shared by the cmocka tests: see support.h. */
#define _GNU_SOURCE /* execvpe; with nftw, mkdtemp and POSIX.1-2008 */

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "support.h"

void ts_path_join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);
	assert_true(n > 0 && (size_t)n < size);
}

int ts_make_tmpdir(char *buf, size_t size, const char *prefix)
{
	const char *t = getenv("TMPDIR");
	int n = snprintf(buf, size, "%s/%s-XXXXXX", t && *t ? t : "/tmp",
			 prefix);
	if (n < 0 || (size_t)n >= size || !mkdtemp(buf))
		return -1;
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int ts_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) && errno == ENOENT)
		return 0;
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) ? -1 : 0;
}

char *ts_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap);
	assert_non_null(buf);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			assert_non_null(bigger);
			buf = bigger;
		}
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		free(buf);
		fail_msg("error reading %s", path);
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int ts_same_bytes(const char *a, const char *b)
{
	size_t na, nb;
	char *ta = ts_slurp(a, &na), *tb = ts_slurp(b, &nb);
	if (!ta || !tb) {
		free(ta);
		free(tb);
		fail_msg("cannot read %s or %s", a, b);
	}
	int same = na == nb && memcmp(ta, tb, na) == 0;
	free(ta);
	free(tb);
	return same;
}

void ts_assert_same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = ts_slurp(a, &la), *y = ts_slurp(b, &lb);
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(la, lb);
	assert_memory_equal(x, y, la);
	free(x);
	free(y);
}

int ts_count_entries(const char *dir, int print)
{
	DIR *d = opendir(dir);
	if (!d) {
		assert_int_equal(errno, ENOENT);
		return -1;
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (print)
			print_message("  %s contains %s\n", dir, e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

void ts_assert_entries(const char *dir, int want)
{
	int n = ts_count_entries(dir, 0);
	if (n != want) {
		ts_count_entries(dir, 1);
		fail_msg("%s has %d entries, expected %d", dir, n, want);
	}
}

int ts_wait_status(pid_t pid)
{
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int ts_collect_args(va_list ap, const char **args, int max)
{
	int n = 0;
	const char *a;
	while ((a = va_arg(ap, const char *))) {
		assert_true(n < max);
		args[n++] = a;
	}
	args[n] = NULL;
	return n;
}

double ts_time_scale(void)
{
	const char *s = getenv("CD_TEST_TIME_SCALE");
	double v = s ? strtod(s, NULL) : 1;
	return v >= 1 ? v : 1;
}

double ts_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void ts_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

#define TS_MAX_ARGV 256

extern char **environ;

/* The environment for a child: ours, with each "KEY=VALUE" of extra set
 * and each "KEY=" unset. Built before fork, so that the child only execs.
 * The array is malloc'd; its strings are ours or the caller's. */
static char **child_env(const char *const *extra)
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	while (extra && extra[k]) {
		assert_non_null(strchr(extra[k], '='));
		k++;
	}
	char **env = malloc((n + k + 1) * sizeof *env);
	assert_non_null(env);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		int replaced = 0;
		for (size_t j = 0; j < k && !replaced; j++) {
			size_t key = strcspn(extra[j], "=");
			replaced = !strncmp(environ[i], extra[j], key + 1);
		}
		if (!replaced)
			env[m++] = environ[i];
	}
	for (size_t j = 0; j < k; j++)
		if (extra[j][strcspn(extra[j], "=") + 1])
			env[m++] = (char *)extra[j]; /* "KEY=" unsets */
	env[m] = NULL;
	return env;
}

void ts_start(struct ts_proc *p, const struct ts_spawn *o,
	      const char *const *argv)
{
	static const struct ts_spawn none = {0};
	if (!o)
		o = &none;
	memset(p, 0, sizeof *p);
	if (o->capture) {
		snprintf(p->cap, sizeof p->cap, "%s", o->capture);
	} else {
		assert_int_equal(
			ts_make_tmpdir(p->cap, sizeof p->cap, "ts-cap"), 0);
		p->own_cap = 1;
	}
	char out[600], err[600];
	ts_path_join(out, sizeof out, p->cap, "stdout");
	ts_path_join(err, sizeof err, p->cap, "stderr");
	char *args[TS_MAX_ARGV + 1];
	int n = 0;
	for (int i = 0; o->prefix && o->prefix[i]; i++) {
		assert_true(n < TS_MAX_ARGV);
		args[n++] = (char *)o->prefix[i];
	}
	for (int i = 0; argv[i]; i++) {
		assert_true(n < TS_MAX_ARGV);
		args[n++] = (char *)argv[i];
	}
	args[n] = NULL;
	char **envp = child_env(o->env);
	double t = o->timeout_s > 0 ? o->timeout_s : 60;
	p->start = ts_now();
	p->deadline = p->start + t * ts_time_scale();
	fflush(NULL);
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (p->pid == 0) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int in = open("/dev/null", O_RDONLY);
		if (fo < 0 || fe < 0 || in < 0 || dup2(in, 0) < 0 ||
		    dup2(fo, 1) < 0 || dup2(fe, 2) < 0 ||
		    (o->cwd && chdir(o->cwd)))
			_exit(126);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvpe(args[0], args, envp);
		_exit(127);
	}
	free(envp);
}

int ts_poll(struct ts_proc *p)
{
	if (p->reaped)
		return 1;
	pid_t r = waitpid(p->pid, &p->wstatus, WNOHANG);
	assert_true(r >= 0);
	if (r != p->pid)
		return 0;
	p->end = ts_now();
	p->reaped = 1;
	return 1;
}

void ts_finish(struct ts_proc *p)
{
	while (!ts_poll(p)) {
		if (ts_now() > p->deadline) {
			kill(p->pid, SIGKILL);
			assert_int_equal(waitpid(p->pid, &p->wstatus, 0),
					 p->pid);
			p->end = ts_now();
			p->reaped = 1;
			p->timed_out = 1;
			break;
		}
		ts_sleep_ms(2);
	}
	int st = p->wstatus;
	p->seconds = p->end - p->start;
	p->exited = WIFEXITED(st);
	p->status = p->exited ? WEXITSTATUS(st) : WTERMSIG(st);
	char path[600];
	ts_path_join(path, sizeof path, p->cap, "stdout");
	p->out = ts_slurp(path, NULL);
	ts_path_join(path, sizeof path, p->cap, "stderr");
	p->err = ts_slurp(path, NULL);
	if (!p->out || !p->err)
		fail_msg("cannot read the output of child %ld", (long)p->pid);
	if (p->timed_out)
		fail_msg("child %ld did not finish in time (%.0f s); "
			 "stderr:\n%s",
			 (long)p->pid, p->seconds, p->err);
	if (p->exited && (p->status == 126 || p->status == 127))
		fail_msg("could not start a child (status %d)", p->status);
}

void ts_run(struct ts_proc *p, const struct ts_spawn *o,
	    const char *const *argv)
{
	ts_start(p, o, argv);
	ts_finish(p);
}

void ts_proc_free(struct ts_proc *p)
{
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
	if (p->own_cap)
		ts_rm_rf(p->cap);
	p->own_cap = 0;
}

const char ts_small_scenario[] =
	"days = 120; warmup_days = 0;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 40; };\n"
	"  firms = { kind = \"corporation\"; count = 3000; hygiene_mean = 0.3; "
	"};\n"
	"};\n"
	"attackers = {\n"
	"  apt = { type = \"state\"; objective = \"espionage\"; "
	"campaigns_per_year = 10.0; attempts_per_day = 100.0; success_prob = "
	"0.01; targets = { gov = 50.0; firms = 1.0; }; };\n"
	"  crime = { type = \"criminal\"; objective = \"extortion\"; "
	"campaigns_per_year = 40.0; attempts_per_day = 20000.0; success_prob = "
	"1e-4; impact_days_mean = 2.0; demands_ransom = true; ransom_days_mean "
	"= 2.0; targets = { firms = 1.0; }; };\n"
	"};\n"
	"bodies = { cert = { kind = \"national\"; members = { firms = 0.6; gov "
	"= 1.0; }; }; };\n"
	"detection = { indicator_yield = 0.3; };\n"
	"won = { maturity = 0.3; };\n";
