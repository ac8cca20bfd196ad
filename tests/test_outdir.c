/* Tests of sets of output files committed whole (cd_outfile_commit_all,
 * with rename and link made to fail at every point of a commit) and of
 * output directories (outdir.h): the lock, the leftovers a killed run
 * leaves, and a set's manifest showing when the set is not whole. The
 * output files themselves are tested in test_csv.c.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "analysis/csv.h"
#include "analysis/json.h"
#include "analysis/outdir.h"
#include "core/status.h"
#include "support.h"

struct fixture {
	char dir[256];
};

static int setup_dir(void **state)
{
	struct fixture *fx = malloc(sizeof(*fx));
	if (fx == NULL)
		return -1;
	if (ts_make_tmpdir(fx->dir, sizeof fx->dir, "cd_test_outdir")) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown_dir(void **state)
{
	struct fixture *fx = *state;
	int rc = ts_rm_rf(fx->dir);
	free(fx);
	return rc;
}

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Checks the file at `path` holds exactly `want`. */
static void check_file(const char *path, const char *want)
{
	size_t n;
	char *text = ts_slurp(path, &n);
	assert_non_null(text);
	int same = n == strlen(want) && !memcmp(text, want, n);
	free(text);
	assert_true(same);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

#define DIR_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

/* ---- sets committed whole (cd_outfile_commit_all) ------------------------
 *
 * The test program is linked with --wrap=rename and --wrap=link (see
 * tests/CMakeLists.txt), so that a rename or a link can be made to fail
 * at any point of a commit: the failures a full disk never causes. */

int __real_rename(const char *from, const char *to);
int __real_link(const char *from, const char *to);
static int fail_rename_at = -1; /* index of the rename to fail; -1 none */
static int renames;		/* renames since the counter was reset */
static int links_fail;		/* link() fails with EPERM */

int __wrap_rename(const char *from, const char *to);
int __wrap_rename(const char *from, const char *to)
{
	if (renames++ == fail_rename_at) {
		errno = EXDEV;
		return -1;
	}
	return __real_rename(from, to);
}

int __wrap_link(const char *from, const char *to);
int __wrap_link(const char *from, const char *to)
{
	if (links_fail) {
		errno = EPERM;
		return -1;
	}
	return __real_link(from, to);
}

#define SET_N 3
static const char *const set_names[SET_N] = {"a.csv", "b.csv", "metadata.json"};

/* Writes a set whose files hold "<tag> <name>\n" and commits it. */
static int commit_set(const struct fixture *fx, const char *tag, int *failed)
{
	cd_outfile *f[SET_N];
	for (int k = 0; k < SET_N; k++) {
		char path[128];
		ts_path_join(path, sizeof(path), fx->dir, set_names[k]);
		assert_int_equal(cd_outfile_open(&f[k], path), 0);
		fprintf(cd_outfile_stream(f[k]), "%s %s\n", tag, set_names[k]);
	}
	renames = 0;
	int rc = cd_outfile_commit_all(f, SET_N, failed);
	for (int k = 0; k < SET_N; k++)
		assert_null(f[k]);
	return rc;
}

static void check_set(const struct fixture *fx, const char *tag)
{
	for (int k = 0; k < SET_N; k++) {
		char path[128], want[64];
		ts_path_join(path, sizeof(path), fx->dir, set_names[k]);
		snprintf(want, sizeof(want), "%s %s\n", tag, set_names[k]);
		check_file(path, want);
	}
	/* No temporary, no kept copy left: exactly the set. */
	assert_int_equal(ts_count_entries(fx->dir, 0), SET_N);
}

/* A rename failing at any point of a commit leaves the whole earlier set,
 * byte for byte; then a commit that succeeds leaves the whole new one. */
static void test_commit_all_rename_fails(void **state)
{
	struct fixture *fx = *state;
	int failed;
	for (int lf = 0; lf <= 1; lf++) {
		links_fail = 0;
		assert_int_equal(commit_set(fx, "old", &failed), 0);
		check_set(fx, "old");
		links_fail = lf; /* 1: earlier files are renamed aside */
		int n_renames = lf ? 2 * SET_N : SET_N;
		for (int at = 0; at < n_renames; at++) {
			fail_rename_at = at;
			errno = 0;
			assert_int_equal(commit_set(fx, "new", &failed),
					 CD_EIO);
			assert_int_equal(errno, EXDEV);
			assert_int_equal(failed, lf ? at / 2 : at);
			check_set(fx, "old");
		}
		fail_rename_at = -1;
		assert_int_equal(commit_set(fx, "new", &failed), 0);
		check_set(fx, "new");
	}
	links_fail = 0;
}

/* A set committed where there was none: a failure leaves nothing. */
static void test_commit_all_fails_fresh(void **state)
{
	struct fixture *fx = *state;
	int failed;
	for (int at = 0; at < SET_N; at++) {
		fail_rename_at = at;
		assert_int_equal(commit_set(fx, "new", &failed), CD_EIO);
		assert_int_equal(ts_count_entries(fx->dir, 0), 0);
	}
	fail_rename_at = -1;
}

/* ---- output directories (outdir.h) ----------------------------------- */

static void touch(const struct fixture *fx, const char *name)
{
	char path[128];
	ts_path_join(path, sizeof(path), fx->dir, name);
	write_file(path, "x\n");
}

/* One writer at a time: a second open is refused, naming the first. */
static void test_outdir_lock(void **state)
{
	struct fixture *fx = *state;
	cd_outdir *a = NULL, *b = NULL;
	struct cd_diag d;
	assert_int_equal(cd_outdir_open(&a, fx->dir, set_names, SET_N, &d), 0);
	assert_int_equal(cd_outdir_open(&b, fx->dir, set_names, SET_N, &d),
			 CD_EBUSY);
	assert_null(b);
	char pid[32];
	snprintf(pid, sizeof(pid), "(process %ld)", (long)getpid());
	assert_non_null(strstr(d.msg, pid));
	assert_non_null(strstr(d.msg, "in use by another cyberdef"));
	cd_outdir_close(a);
	assert_int_equal(ts_count_entries(fx->dir, 0),
			 0); /* the lock file went */
	assert_int_equal(cd_outdir_open(&b, fx->dir, set_names, SET_N, &d), 0);
	cd_outdir_close(b);
}

/* The leftovers of the names about to be written go; nothing else. */
static void test_outdir_cleans_leftovers(void **state)
{
	struct fixture *fx = *state;
	touch(fx, ".a.csv.cyberdef-tmp.123");
	touch(fx, ".metadata.json.cyberdef-old.9");
	touch(fx, ".c.csv.cyberdef-tmp.1");   /* not a name of the set */
	touch(fx, ".a.csv.cyberdef-tmp.12x"); /* not a process id */
	touch(fx, ".a.csv.cyberdef-tmp.");
	touch(fx, "a.csv.cyberdef-tmp.5"); /* not hidden */
	touch(fx, "notes.txt");
	cd_outdir *o = NULL;
	struct cd_diag d;
	assert_int_equal(cd_outdir_open(&o, fx->dir, set_names, SET_N, &d), 0);
	assert_int_equal(ts_count_entries(fx->dir, 0),
			 6); /* 5 kept + the lock */
	cd_outdir_close(o);
	char path[128];
	ts_path_join(path, sizeof(path), fx->dir, ".a.csv.cyberdef-tmp.123");
	assert_false(exists(path));
	ts_path_join(path, sizeof(path), fx->dir, "notes.txt");
	assert_true(exists(path));
}

/* A set that lists its files' checksums shows when it is not whole. */
static void test_outdir_verify(void **state)
{
	struct fixture *fx = *state;
	struct cd_diag d;
	/* No manifest: nothing to check against. */
	assert_int_equal(
		cd_outdir_verify(fx->dir, "metadata.json", "a.csv", &d), 0);
	cd_outfile *f[SET_N];
	for (int k = 0; k < SET_N; k++) {
		char path[128];
		ts_path_join(path, sizeof(path), fx->dir, set_names[k]);
		assert_int_equal(cd_outfile_open(&f[k], path), 0);
		if (k < SET_N - 1)
			fprintf(cd_outfile_stream(f[k]), "data %d\n", k);
	}
	json_t *files = cd_outdir_files_json(f, SET_N - 1);
	assert_non_null(files);
	json_t *m = json_pack("{s:o}", "files", files);
	assert_int_equal(cd_json_write(cd_outfile_stream(f[SET_N - 1]), m), 0);
	json_decref(m);
	int failed;
	assert_int_equal(cd_outfile_commit_all(f, SET_N, &failed), 0);
	assert_int_equal(
		cd_outdir_verify(fx->dir, "metadata.json", "a.csv", &d), 0);
	assert_int_equal(
		cd_outdir_verify(fx->dir, "metadata.json", "other.csv", &d),
		0); /* not listed */
	/* A file the set does not hold any more, as after a crash between
	 * two renames. */
	char path[128];
	ts_path_join(path, sizeof(path), fx->dir, "b.csv");
	write_file(path, "data 9\n");
	assert_int_equal(
		cd_outdir_verify(fx->dir, "metadata.json", "b.csv", &d),
		CD_EINVAL);
	assert_non_null(strstr(d.msg, "b.csv is not the file metadata.json "
				      "lists"));
	/* A manifest that is not one. */
	ts_path_join(path, sizeof(path), fx->dir, "metadata.json");
	write_file(path, "{\"files\": 3}\n");
	assert_int_equal(
		cd_outdir_verify(fx->dir, "metadata.json", "a.csv", &d),
		CD_EINVAL);
	assert_non_null(strstr(d.msg, "not a cyberdef manifest"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DIR_TEST(test_commit_all_rename_fails),
		DIR_TEST(test_commit_all_fails_fresh),
		DIR_TEST(test_outdir_lock),
		DIR_TEST(test_outdir_cleans_leftovers),
		DIR_TEST(test_outdir_verify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
