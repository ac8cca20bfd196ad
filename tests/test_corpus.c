/* The bad-input corpus: every file directly in tests/bad/ (not the helpers
 * in tests/bad/inc/) is one malformed input and one cmocka test, found at
 * run time. The file's leading comment lines say how to run the program
 * and what must happen:
 *
 *   # args: run {file} --out {out}   arguments; "..." or '...' group words
 *                                    ("" is an empty argument)
 *   # exit: 2                        the exit status
 *   # expect: {file}:4:              a fragment of stderr (repeatable)
 *
 * Other comment lines describe the case. In arguments and fragments,
 * {file} is the case's path, {out} a directory that does not exist yet and
 * {dir} tests/bad itself (for the helpers). A design .csv is read whole, so
 * {file} is then a copy of the case without its comment lines, under the
 * same name (its line 1 is the first line after the comments).
 *
 * The program runs in an empty working directory with an empty TMPDIR.
 * Each case must exit with its status (never by a signal), begin stderr
 * with "cyberdef: ", hold every fragment in stderr, and leave nothing
 * behind: {out} missing or without any file (so no `.*.cyberdef-tmp.*` either),
 * no file in the working directory and nothing in TMPDIR.
 */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp; implies POSIX.1-2008 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "support.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif
#ifndef SOURCE_DIR
#error "SOURCE_DIR must name the repository root (see tests/CMakeLists.txt)"
#endif

#define CORPUS_DIR SOURCE_DIR "/tests/bad"
#define MIN_CASES 45 /* the corpus must not shrink unnoticed */
#define MAX_ARGS 48
#define MAX_EXPECT 16
#define TIMEOUT_S 20.0 /* a hung program fails its case, never hangs */

/* ---- one case ----------------------------------------------------------- */

struct fixture {
	const char *name; /* file name in tests/bad */
	char root[PATH_MAX];
	char work[PATH_MAX]; /* the program's working directory */
	char tmp[PATH_MAX];  /* its TMPDIR */
	char out[PATH_MAX];  /* {out} */
	char file[PATH_MAX]; /* {file} */
	char cap[PATH_MAX];  /* its stdout and stderr */
	char *text;	     /* the case file */
	size_t len, body;    /* its length, and where the comments end */
	/* The header. */
	char args[1024];
	int exit_status, has_exit;
	char expect[MAX_EXPECT][512];
	int n_expect;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	fx->name = *state;
	if (ts_make_tmpdir(fx->root, sizeof fx->root, "cyberdef-corpus")) {
		free(fx);
		return -1;
	}
	if (snprintf(fx->work, sizeof fx->work, "%s/work", fx->root) >=
		    (int)sizeof fx->work ||
	    snprintf(fx->tmp, sizeof fx->tmp, "%s/tmp", fx->root) >=
		    (int)sizeof fx->tmp ||
	    snprintf(fx->out, sizeof fx->out, "%s/out", fx->root) >=
		    (int)sizeof fx->out ||
	    snprintf(fx->cap, sizeof fx->cap, "%s/cap", fx->root) >=
		    (int)sizeof fx->cap ||
	    mkdir(fx->work, 0777) || mkdir(fx->tmp, 0777) ||
	    mkdir(fx->cap, 0777)) {
		ts_rm_rf(fx->root);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	ts_rm_rf(fx->root);
	free(fx->text);
	free(fx);
	return 0;
}

/* Copies `in` to `out`, replacing {file}, {out} and {dir}. */
static void substitute(const struct fixture *fx, const char *in, char *out,
		       size_t size)
{
	size_t used = 0;
	while (*in) {
		const char *with = NULL;
		size_t skip = 0;
		if (!strncmp(in, "{file}", 6))
			with = fx->file, skip = 6;
		else if (!strncmp(in, "{out}", 5))
			with = fx->out, skip = 5;
		else if (!strncmp(in, "{dir}", 5))
			with = CORPUS_DIR, skip = 5;
		size_t n = with ? strlen(with) : 1;
		if (used + n >= size)
			fail_msg("%s: expanded text too long", fx->name);
		memcpy(out + used, with ? with : in, n);
		used += n;
		in += with ? skip : 1;
	}
	out[used] = '\0';
}

/* Reads the case and its header. */
static void read_case(struct fixture *fx)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, CORPUS_DIR, fx->name);
	fx->text = ts_slurp(path, &fx->len);
	if (!fx->text)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	size_t at = 0;
	while (at < fx->len && fx->text[at] == '#') {
		const char *eol = memchr(fx->text + at, '\n', fx->len - at);
		size_t end = eol ? (size_t)(eol - fx->text) : fx->len;
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(end - at),
			 fx->text + at);
		line[strcspn(line, "\r")] = '\0';
		const char *v;
		if (!strncmp(line, "# args:", 7)) {
			for (v = line + 7; *v == ' '; v++)
				;
			snprintf(fx->args, sizeof fx->args, "%s", v);
		} else if (!strncmp(line, "# exit:", 7)) {
			fx->exit_status = atoi(line + 7);
			fx->has_exit = 1;
		} else if (!strncmp(line, "# expect:", 9)) {
			if (fx->n_expect == MAX_EXPECT)
				fail_msg("%s: more than %d expect lines",
					 fx->name, MAX_EXPECT);
			for (v = line + 9; *v == ' '; v++)
				;
			snprintf(fx->expect[fx->n_expect++],
				 sizeof fx->expect[0], "%s", v);
		}
		at = eol ? end + 1 : fx->len;
	}
	fx->body = at;
	if (!fx->args[0] || !fx->has_exit || fx->n_expect == 0)
		fail_msg("%s: the header needs '# args:', '# exit:' and at "
			 "least one '# expect:' line",
			 fx->name);
}

/* Where {file} points: the case itself, or for a .csv a copy without
 * the comment lines. */
static void place_file(struct fixture *fx)
{
	size_t n = strlen(fx->name);
	if (n < 4 || strcmp(fx->name + n - 4, ".csv")) {
		ts_path_join(fx->file, sizeof fx->file, CORPUS_DIR, fx->name);
		return;
	}
	ts_path_join(fx->file, sizeof fx->file, fx->root, fx->name);
	FILE *f = fopen(fx->file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(fx->text + fx->body, 1, fx->len - fx->body, f),
			 fx->len - fx->body);
	assert_int_equal(fclose(f), 0);
}

/* Splits the arguments at blanks; quotes group words. Each argument is
 * expanded into `store`. Returns the count. */
static int split_args(const struct fixture *fx, char store[][PATH_MAX + 256],
		      char **argv)
{
	int n = 0;
	const char *p = fx->args;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == MAX_ARGS)
			fail_msg("%s: more than %d arguments", fx->name,
				 MAX_ARGS);
		char word[1024];
		size_t used = 0;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '"' || *p == '\'') {
				char q = *p++;
				while (*p && *p != q && used + 1 < sizeof word)
					word[used++] = *p++;
				if (*p != q)
					fail_msg("%s: unclosed quote in args",
						 fx->name);
				p++;
			} else if (used + 1 < sizeof word) {
				word[used++] = *p++;
			}
		}
		word[used] = '\0';
		substitute(fx, word, store[n], sizeof store[n]);
		argv[n] = store[n];
		n++;
	}
	return n;
}

/* Runs the program in work/ with its own TMPDIR. */
static void run_program(struct fixture *fx, char **argv, struct ts_proc *p)
{
	char tmpdir[PATH_MAX + 16];
	snprintf(tmpdir, sizeof tmpdir, "TMPDIR=%s", fx->tmp);
	const char *const env[] = {tmpdir, NULL};
	struct ts_spawn o = {.cwd = fx->work,
			     .env = env,
			     .capture = fx->cap,
			     .timeout_s = TIMEOUT_S};
	ts_run(p, &o, (const char *const *)argv);
}

/* Counts what lies under `dir` (0 if it does not exist): every entry if
 * `all`, else only what is not a directory. Prints each. */
static int leftovers(const char *dir, int all)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char path[PATH_MAX];
		ts_path_join(path, sizeof path, dir, e->d_name);
		struct stat st;
		int is_dir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (all || !is_dir) {
			print_message("  left behind: %s\n", path);
			n++;
		}
		if (is_dir)
			n += leftovers(path, all);
	}
	closedir(d);
	return n;
}

static void run_case(void **state)
{
	struct fixture *fx = *state;
	read_case(fx);
	place_file(fx);
	static char store[MAX_ARGS][PATH_MAX + 256];
	char *argv[MAX_ARGS + 2];
	argv[0] = (char *)CYBERDEF_BIN;
	int argc = 1 + split_args(fx, store, argv + 1);
	argv[argc] = NULL;

	struct ts_proc p;
	run_program(fx, argv, &p);
	const char *err = p.err;
	char shown[PATH_MAX + 1200];
	substitute(fx, fx->args, shown, sizeof shown);
	if (!p.exited || p.status != fx->exit_status) {
		print_message("%s: cyberdef %s\nstderr:\n%s\n", fx->name, shown,
			      err);
		if (!p.exited)
			fail_msg("%s: killed by signal %d (a crash?); want "
				 "exit %d",
				 fx->name, p.status, fx->exit_status);
		fail_msg("%s: exit %d, want %d", fx->name, p.status,
			 fx->exit_status);
	}
	int bad = strncmp(err, "cyberdef: ", 10) != 0;
	if (bad)
		print_message("%s: stderr does not begin with \"cyberdef: \"\n",
			      fx->name);
	for (int i = 0; i < fx->n_expect; i++) {
		char want[PATH_MAX + 600];
		substitute(fx, fx->expect[i], want, sizeof want);
		if (!strstr(err, want)) {
			print_message("%s: stderr lacks \"%s\"\n", fx->name,
				      want);
			bad = 1;
		}
	}
	if (bad)
		print_message("cyberdef %s\nstderr:\n%s\n", shown, err);
	ts_proc_free(&p);
	if (bad)
		fail_msg("%s: wrong message", fx->name);
	int left = leftovers(fx->out, 0) + leftovers(fx->work, 0) +
		   leftovers(fx->tmp, 1);
	if (left)
		fail_msg("%s: %d file(s) left behind on bad input", fx->name,
			 left);
}

/* ---- the corpus --------------------------------------------------------- */

static int is_case(const char *name)
{
	size_t n = strlen(name);
	if (name[0] == '.' || n < 5)
		return 0;
	const char *ext = name + n - 4;
	if (strcmp(ext, ".cfg") && strcmp(ext, ".csv") && strcmp(ext, ".txt"))
		return 0;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", CORPUS_DIR, name);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	DIR *d = opendir(CORPUS_DIR);
	if (!d) {
		fprintf(stderr, "cannot open %s: %s\n", CORPUS_DIR,
			strerror(errno));
		return 1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_case(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 128;
			char **more = realloc(names, cap * sizeof *more);
			if (!more)
				return 1;
			names = more;
		}
		if (!(names[n++] = strdup(e->d_name)))
			return 1;
	}
	closedir(d);
	if (n < MIN_CASES) {
		fprintf(stderr, "%s holds %zu cases; expected at least %d\n",
			CORPUS_DIR, n, MIN_CASES);
		return 1;
	}
	qsort(names, n, sizeof *names, by_name);
	struct CMUnitTest *tests = calloc(n, sizeof *tests);
	if (!tests)
		return 1;
	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){names[i], run_case, setup,
					       teardown, names[i]};
	int failed = _cmocka_run_group_tests("corpus", tests, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return failed;
}
