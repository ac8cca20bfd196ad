/* Helpers shared by the cmocka tests: see support.h. */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp; implies POSIX.1-2008 */

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

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

const char ts_small_scenario[] =
	"days = 120;\n"
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
	"1e-4; reveal_days = 4.0; targets = { firms = 1.0; }; };\n"
	"};\n"
	"bodies = { cert = { kind = \"national\"; members = { firms = 0.6; gov "
	"= 1.0; }; }; };\n"
	"detection = { indicator_yield = 0.3; };\n"
	"won = { maturity = 0.3; };\n";
