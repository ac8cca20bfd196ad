/* Tests for csv: RFC 4180 field text, round-tripping reals, JSON strings,
 * and output files that appear only when complete (commit, abort, and the
 * failure paths: missing directory, rename onto a directory, a stream with
 * its error indicator set, and a write that fails for lack of space).
 * Sets of files and output directories are tested in test_outdir.c.
 */
#define _XOPEN_SOURCE 700 /* nftw; implies POSIX.1-2008 */

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "analysis/csv.h"
#include "analysis/csvbuf.h"
#include "analysis/json.h"
#include "analysis/outdir.h"
#include "core/status.h"

/* Capturing what a writer prints */

struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};

static void capture_begin(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->buf, &c->len);
	assert_non_null(c->fp);
}

/* Ends the capture and checks the text is exactly `want`. */
static void capture_check(struct capture *c, const char *want)
{
	assert_int_equal(fclose(c->fp), 0);
	assert_string_equal(c->buf, want);
	assert_int_equal(c->len, strlen(want));
	free(c->buf);
}

static void check_str(const char *s, const char *want)
{
	struct capture c;

	capture_begin(&c);
	csv_str(c.fp, s);
	capture_check(&c, want);
}

static void check_real(double v, const char *want)
{
	struct capture c;

	capture_begin(&c);
	csv_real(c.fp, v);
	capture_check(&c, want);
}

static void check_json(const char *s, const char *want)
{
	struct capture c;

	capture_begin(&c);
	json_str(c.fp, s);
	capture_check(&c, want);
}

/* CSV fields */

static void test_csv_str_quoting(void **state)
{
	(void)state;
	check_str("plain", "plain");
	check_str(" spaces kept ", " spaces kept ");
	check_str("", "");
	check_str(NULL, "");
	check_str("a,b", "\"a,b\"");
	check_str("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_str("\"", "\"\"\"\"");
	check_str("two\nlines", "\"two\nlines\"");
	check_str("cr\r", "\"cr\r\"");
	check_str("crlf\r\n", "\"crlf\r\n\"");
	check_str("caf\xc3\xa9", "caf\xc3\xa9");
}

static void test_csv_record_crlf(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	csv_str(c.fp, "name");
	csv_sep(c.fp);
	csv_int(c.fp, -42);
	csv_sep(c.fp);
	csv_real(c.fp, 0.5);
	csv_sep(c.fp);
	csv_empty(c.fp);
	csv_eol(c.fp);
	csv_str(c.fp, "x,y");
	csv_sep(c.fp);
	csv_real(c.fp, NAN);
	csv_eol(c.fp);
	capture_check(&c, "name,-42,0.5,\r\n\"x,y\",\r\n");
}

static void test_csv_int(void **state)
{
	struct capture c;

	(void)state;
	capture_begin(&c);
	csv_int(c.fp, 0);
	csv_sep(c.fp);
	csv_int(c.fp, LLONG_MAX);
	csv_sep(c.fp);
	csv_int(c.fp, LLONG_MIN);
	capture_check(&c, "0,9223372036854775807,-9223372036854775808");
}

static void test_csv_real_exact_text(void **state)
{
	(void)state;
	check_real(0.1, "0.1");
	check_real(1e-300, "1e-300");
	check_real(123456789.125, "123456789.125");
	check_real(-2.5, "-2.5");
	check_real(1.0, "1");
	check_real(1e21, "1e+21");
	check_real(0.1 + 0.2, "0.30000000000000004"); /* needs 17 digits */
	check_real(DBL_MAX, "1.7976931348623157e+308");
	check_real(0.0, "0");
	check_real(-0.0, "0");
	check_real(NAN, "");
	check_real(-NAN, "");
	check_real(INFINITY, "");
	check_real(-INFINITY, "");
}

/* xorshift64*: a fixed sequence of bit patterns for the round-trip test. */
static uint64_t next_bits(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Checks csv_real(v) reads back to v and is the "%.15g" text whenever that
 * reads back, else the "%.17g" text.
 */
static void check_round_trip(double v)
{
	struct capture c;
	char want[64];
	double back;

	snprintf(want, sizeof(want), "%.15g", v);
	if (strtod(want, NULL) != v)
		snprintf(want, sizeof(want), "%.17g", v);
	capture_begin(&c);
	csv_real(c.fp, v);
	assert_int_equal(fclose(c.fp), 0);
	back = strtod(c.buf, NULL);
	if (back != v) /* for cmocka's message */
		assert_string_equal(c.buf, "(a text that reads back)");
	assert_string_equal(c.buf, want);
	free(c.buf);
}

static void test_csv_real_round_trip(void **state)
{
	static const double fixed[] = {
		0.1,	       1e-300,
		123456789.125, 1.0 / 3.0,
		2.0 / 3.0,     DBL_MIN,
		DBL_MAX,       DBL_EPSILON,
		5e-324,	       1e-310,
		1e15,	       1e16,
		1e17,	       9007199254740993.0,
		4.35,	       0.000123456789012345678,
	};
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		check_round_trip(fixed[i]);
		check_round_trip(-fixed[i]);
	}
	for (i = 0; i < 20000; i++) {
		uint64_t bits = next_bits(&s);
		double v;

		memcpy(&v, &bits, sizeof(v));
		if (isfinite(v) && v != 0.0)
			check_round_trip(v);
	}
}

/* Reals that are integers take csv_format_real's path without printf:
 * the same text as "%.15g", on both sides of 10^15 and of 2^53. */
static void test_csv_real_integers(void **state)
{
	static const double fixed[] = {
		1,
		9,
		10,
		99,
		100,
		12345,
		999999999999999.0,
		1e15,
		1e15 + 2,
		4503599627370496.0,
		9007199254740992.0,
		1e16,
		123456789012345.0,
		1e14,
		1e22,
		1e300,
	};
	uint64_t s = 0x243f6a8885a308d3ULL;

	(void)state;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		check_round_trip(fixed[i]);
		check_round_trip(-fixed[i]);
	}
	for (int i = 0; i < 20000; i++) {
		uint64_t bits = next_bits(&s);
		double v = (double)(int64_t)(bits >> (bits & 63));

		if (v != 0.0)
			check_round_trip(v);
	}
}

/* The same fields through a cd_csvbuf and through the field writers: the
 * same bytes, over many buffers' worth and a string longer than one. */
static void test_csvbuf_same_text(void **state)
{
	static cd_csvbuf w;
	struct capture a, b;
	uint64_t s = 0x13198a2e03707344ULL;
	char *big = malloc(CSV_BUF_SIZE + 10);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', CSV_BUF_SIZE + 9);
	big[CSV_BUF_SIZE + 9] = '\0';
	capture_begin(&a);
	capture_begin(&b);
	csvbuf_begin(&w, b.fp);
	for (int i = 0; i < 30000; i++) {
		uint64_t bits = next_bits(&s);
		double v;
		const char *str = i % 3 ? "plain" : "q\"uo,te";

		memcpy(&v, &bits, sizeof(v));
		if (i == 1000)
			str = big;
		csv_int(a.fp, (long long)bits);
		csvbuf_int(&w, (long long)bits);
		csv_sep(a.fp);
		csvbuf_sep(&w);
		if (i % 5 == 0) /* a few values again and again */
			v = 0.1 * (double)(bits % 7) + 1e-300;
		csv_real(a.fp, i % 2 ? v : (double)(bits >> 40));
		csvbuf_real(&w, i % 2 ? v : (double)(bits >> 40));
		csv_sep(a.fp);
		csvbuf_sep(&w);
		csv_str(a.fp, str);
		csvbuf_str(&w, str);
		csv_eol(a.fp);
		csvbuf_eol(&w);
	}
	csvbuf_flush(&w);
	assert_int_equal(fclose(a.fp), 0);
	assert_int_equal(fclose(b.fp), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	free(a.buf);
	free(b.buf);
	free(big);
	/* Switching streams: what was held goes to the first. */
	capture_begin(&a);
	capture_begin(&b);
	csvbuf_begin(&w, a.fp);
	csvbuf_real(&w, 0.1);
	csvbuf_switch(&w, b.fp);
	csvbuf_real(&w, 0.1);
	csvbuf_eol(&w);
	csvbuf_flush(&w);
	capture_check(&a, "0.1");
	capture_check(&b, "0.1\r\n");
}

/* With a comma-radix locale, the text must still use '.'. Skipped when no
 * such locale is installed (the program itself never calls setlocale).
 */
static void test_csv_real_locale(void **state)
{
	static const char *names[] = {"de_DE.UTF-8", "de_DE.utf8",
				      "fr_FR.UTF-8", "fr_FR.utf8",
				      "de_DE",	     "fr_FR"};
	char *old;
	size_t i;
	int found = 0;

	(void)state;
	old = setlocale(LC_NUMERIC, NULL);
	assert_non_null(old);
	old = strdup(old);
	assert_non_null(old);
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !found; i++)
		found = setlocale(LC_NUMERIC, names[i]) != NULL;
	if (found) {
		check_real(0.1, "0.1");
		check_real(0.1 + 0.2, "0.30000000000000004");
		check_real(-1.5e-300, "-1.5e-300");
	}
	setlocale(LC_NUMERIC, old);
	free(old);
	if (!found)
		skip();
}

static void test_json_str(void **state)
{
	(void)state;
	check_json("", "\"\"");
	check_json(NULL, "null");
	check_json("plain text", "\"plain text\"");
	check_json("q\"b\\s", "\"q\\\"b\\\\s\"");
	check_json("n\nr\rt\t", "\"n\\nr\\rt\\t\"");
	check_json("\x01\x1f\b\f", "\"\\u0001\\u001f\\u0008\\u000c\"");
	check_json("caf\xc3\xa9 /", "\"caf\xc3\xa9 /\"");
}

/* Output files: each test gets a fresh directory, removed afterwards. */

struct fixture {
	char dir[64];
};

static int setup_dir(void **state)
{
	struct fixture *fx = malloc(sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/cd_test_csv.XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown_dir(void **state)
{
	struct fixture *fx = *state;
	int rc = nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	free(fx);
	return rc;
}

/* Writes "<dir>/<name>" into `buf` (of size `size`). */
static void join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < size);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Returns the number of entries in `dir` other than "." and "..". */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Checks the file at `path` holds exactly `want`. */
static void check_file(const char *path, const char *want)
{
	char buf[256];
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	assert_int_equal(ferror(fp), 0);
	assert_int_equal(fclose(fp), 0);
	buf[n] = '\0';
	assert_int_equal(n, strlen(want));
	assert_memory_equal(buf, want, n);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void write_table(FILE *fp)
{
	csv_str(fp, "name");
	csv_sep(fp);
	csv_str(fp, "value");
	csv_eol(fp);
	csv_str(fp, "a,b");
	csv_sep(fp);
	csv_real(fp, 0.1);
	csv_eol(fp);
}

static const char table_text[] = "name,value\r\n\"a,b\",0.1\r\n";

static void test_outfile_commit(void **state)
{
	struct fixture *fx = *state;
	char path[128], tmp[128], name[64];
	cd_outfile *f = NULL;

	join(path, sizeof(path), fx->dir, "out.csv");
	snprintf(name, sizeof(name), ".out.csv.cyberdef-tmp.%ld",
		 (long)getpid());
	join(tmp, sizeof(tmp), fx->dir, name);

	assert_int_equal(cd_outfile_open(&f, path), 0);
	assert_non_null(f);
	assert_string_equal(cd_outfile_path(f), path);
	write_table(cd_outfile_stream(f));
	/* Until commit only the temporary exists, named as documented. */
	assert_true(exists(tmp));
	assert_false(exists(path));

	assert_int_equal(cd_outfile_commit(f), 0);
	check_file(path, table_text);
	assert_false(exists(tmp));
	assert_int_equal(count_entries(fx->dir), 1);
}

static void test_outfile_commit_replaces(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	cd_outfile *f = NULL;

	join(path, sizeof(path), fx->dir, "out.csv");
	write_file(path, "old contents, longer than the new ones\n");
	assert_int_equal(cd_outfile_open(&f, path), 0);
	fputs("new\r\n", cd_outfile_stream(f));
	check_file(path, "old contents, longer than the new ones\n");
	assert_int_equal(cd_outfile_commit(f), 0);
	check_file(path, "new\r\n");
	assert_int_equal(count_entries(fx->dir), 1);
}

static void test_outfile_commit_empty(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	cd_outfile *f = NULL;

	join(path, sizeof(path), fx->dir, "empty.csv");
	assert_int_equal(cd_outfile_open(&f, path), 0);
	assert_int_equal(cd_outfile_commit(f), 0);
	check_file(path, "");
}

static void test_outfile_relative_path(void **state)
{
	struct fixture *fx = *state;
	char cwd[PATH_MAX], tmp[64];
	cd_outfile *f = NULL;
	int rc, had_tmp;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(fx->dir), 0);
	snprintf(tmp, sizeof(tmp), ".rel.csv.cyberdef-tmp.%ld", (long)getpid());
	rc = cd_outfile_open(&f, "rel.csv");
	had_tmp = exists(tmp);
	if (rc == 0) {
		fputs("x\r\n", cd_outfile_stream(f));
		rc = cd_outfile_commit(f);
	}
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	assert_true(had_tmp);

	join(cwd, sizeof(cwd), fx->dir, "rel.csv");
	check_file(cwd, "x\r\n");
	assert_int_equal(count_entries(fx->dir), 1);
}

static void test_outfile_abort(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	cd_outfile *f = NULL;

	join(path, sizeof(path), fx->dir, "out.csv");
	assert_int_equal(cd_outfile_open(&f, path), 0);
	write_table(cd_outfile_stream(f));
	assert_int_equal(count_entries(fx->dir), 1); /* the temporary */
	errno = 1234;
	cd_outfile_abort(f);
	assert_int_equal(errno, 1234);
	assert_int_equal(count_entries(fx->dir), 0);

	/* An existing final file is left as it was. */
	write_file(path, "keep\n");
	assert_int_equal(cd_outfile_open(&f, path), 0);
	fputs("discard\n", cd_outfile_stream(f));
	cd_outfile_abort(f);
	check_file(path, "keep\n");
	assert_int_equal(count_entries(fx->dir), 1);

	cd_outfile_abort(NULL);
}

static void test_outfile_missing_dir(void **state)
{
	struct fixture *fx = *state;
	char path[128], sub[128];
	cd_outfile *f = (cd_outfile *)(void *)fx; /* non-NULL, never used */

	join(sub, sizeof(sub), fx->dir, "nope");
	join(path, sizeof(path), sub, "out.csv");
	errno = 0;
	assert_int_equal(cd_outfile_open(&f, path), CD_EIO);
	assert_int_equal(errno, ENOENT);
	assert_null(f);
	assert_false(exists(sub));
	assert_int_equal(count_entries(fx->dir), 0);
}

static void test_outfile_bad_path(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	cd_outfile *f = NULL;

	join(path, sizeof(path), fx->dir, "");
	assert_int_equal(cd_outfile_open(&f, path), CD_EIO);
	assert_null(f);
	assert_int_equal(cd_outfile_open(&f, ""), CD_EIO);
	assert_null(f);
	assert_int_equal(count_entries(fx->dir), 0);
	assert_int_equal(cd_outfile_commit(NULL), CD_EINVAL);
}

/* rename() fails when the final path is a directory: commit reports it,
 * removes the temporary and leaves the directory alone.
 */
static void test_outfile_rename_fails(void **state)
{
	struct fixture *fx = *state;
	char path[128], inner[128];
	cd_outfile *f = NULL;

	join(path, sizeof(path), fx->dir, "taken");
	assert_int_equal(mkdir(path, 0700), 0);
	join(inner, sizeof(inner), path, "file");
	write_file(inner, "inside\n");

	assert_int_equal(cd_outfile_open(&f, path), 0);
	write_table(cd_outfile_stream(f));
	errno = 0;
	assert_int_equal(cd_outfile_commit(f), CD_EIO);
	assert_int_not_equal(errno, 0);
	assert_int_equal(count_entries(fx->dir), 1);
	check_file(inner, "inside\n");
}

/* A stream whose error indicator is set fails at commit. The indicator is
 * set cleanly through POSIX: fgetc on a stream not open for reading fails
 * with EBADF and sets it.
 */
static void test_outfile_stream_error(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	cd_outfile *f = NULL;
	FILE *fp;

	join(path, sizeof(path), fx->dir, "out.csv");
	assert_int_equal(cd_outfile_open(&f, path), 0);
	fp = cd_outfile_stream(f);
	write_table(fp);
	assert_int_equal(fgetc(fp), EOF);
	assert_true(ferror(fp));
	errno = 0;
	assert_int_equal(cd_outfile_commit(f), CD_EIO);
	assert_int_equal(errno, EIO);
	assert_int_equal(count_entries(fx->dir), 0);
}

/* A write that fails for lack of space: without root, a full disk is
 * simulated with a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so
 * write() fails with EFBIG instead of killing us). More than 64 KiB is
 * written against a 4 KiB limit.
 */
static void test_outfile_write_fails(void **state)
{
	struct fixture *fx = *state;
	struct rlimit old, lim;
	void (*old_handler)(int);
	char path[128], chunk[1024];
	cd_outfile *f = NULL;
	int i, rc, err;

	join(path, sizeof(path), fx->dir, "big.csv");
	memset(chunk, 'x', sizeof(chunk));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	if (old.rlim_max != RLIM_INFINITY && old.rlim_max < lim.rlim_cur)
		skip();
	assert_int_equal(cd_outfile_open(&f, path), 0);

	old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_true(old_handler != SIG_ERR);
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0) {
		signal(SIGXFSZ, old_handler);
		cd_outfile_abort(f);
		skip();
	}
	for (i = 0; i < 70; i++)
		fwrite(chunk, 1, sizeof(chunk), cd_outfile_stream(f));
	errno = 0;
	rc = cd_outfile_commit(f);
	err = errno;
	/* Restore before any assertion can return early. */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);

	assert_int_equal(rc, CD_EIO);
	assert_true(err == EFBIG || err == EIO);
	assert_int_equal(count_entries(fx->dir), 0);
}

/* Directories */

static void test_mkdir_p(void **state)
{
	struct fixture *fx = *state;
	char path[128], file[128], below[160];
	struct stat st;
	mode_t old_mask;
	int rc;

	join(path, sizeof(path), fx->dir, "a/b/c");
	old_mask = umask(022);
	rc = cd_mkdir_p(path);
	umask(old_mask);
	assert_int_equal(rc, 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0755);

	/* Existing directories, repeated and trailing slashes are fine. */
	assert_int_equal(cd_mkdir_p(path), 0);
	join(path, sizeof(path), fx->dir, "a//b/d/");
	assert_int_equal(cd_mkdir_p(path), 0);
	join(path, sizeof(path), fx->dir, "a/b/d");
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(cd_mkdir_p(fx->dir), 0);

	/* A component that is a file. */
	join(file, sizeof(file), fx->dir, "file");
	write_file(file, "x");
	errno = 0;
	assert_int_equal(cd_mkdir_p(file), CD_EIO);
	assert_int_equal(errno, ENOTDIR);
	join(below, sizeof(below), file, "sub");
	errno = 0;
	assert_int_equal(cd_mkdir_p(below), CD_EIO);
	assert_int_equal(errno, ENOTDIR);

	errno = 0;
	assert_int_equal(cd_mkdir_p(""), CD_EIO);
	assert_int_equal(errno, ENOENT);

	/* Then an outfile can be committed there. */
	{
		cd_outfile *f = NULL;

		join(path, sizeof(path), fx->dir, "a/b/c/out.csv");
		assert_int_equal(cd_outfile_open(&f, path), 0);
		write_table(cd_outfile_stream(f));
		assert_int_equal(cd_outfile_commit(f), 0);
		check_file(path, table_text);
	}
}

#define DIR_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_str_quoting),
		cmocka_unit_test(test_csv_record_crlf),
		cmocka_unit_test(test_csv_int),
		cmocka_unit_test(test_csv_real_exact_text),
		cmocka_unit_test(test_csv_real_round_trip),
		cmocka_unit_test(test_csv_real_integers),
		cmocka_unit_test(test_csvbuf_same_text),
		cmocka_unit_test(test_csv_real_locale),
		cmocka_unit_test(test_json_str),
		DIR_TEST(test_outfile_commit),
		DIR_TEST(test_outfile_commit_replaces),
		DIR_TEST(test_outfile_commit_empty),
		DIR_TEST(test_outfile_relative_path),
		DIR_TEST(test_outfile_abort),
		DIR_TEST(test_outfile_missing_dir),
		DIR_TEST(test_outfile_bad_path),
		DIR_TEST(test_outfile_rename_fails),
		DIR_TEST(test_outfile_stream_error),
		DIR_TEST(test_outfile_write_fails),
		DIR_TEST(test_mkdir_p),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
