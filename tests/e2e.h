/* Helpers of the end-to-end tests of the program (library
 * cyberdef_test_e2e, tests/test_e2e*.c): a fresh temporary directory per
 * test, the program run in it through the one runner of support.h, and
 * its CSV outputs read back.
 *
 * Every block these helpers hand out is listed, so that e2e_teardown can
 * free what a failed assertion (a longjmp out of the test) left behind and
 * the asan preset's leak check reports only the program's leaks. As in
 * support.h, every function may fail the current test through cmocka.
 * Include <cmocka.h> (with its prerequisites) first.
 */
#ifndef CYBERDEF_TESTS_E2E_H
#define CYBERDEF_TESTS_E2E_H

#include <limits.h>
#include <stddef.h>

#include "support.h"

/* Per-test state: root/ holds work/ (the child's working directory, where
 * scenarios are written and outputs go) and cap/ (captured stdout and
 * stderr), so that captures never show up in a directory under test. */
struct fixture {
	char root[PATH_MAX];
	char work[PATH_MAX];
	char cap[PATH_MAX];
};

/* cmocka setup and teardown: make and remove the fixture, and free every
 * listed block. */
int e2e_setup(void **state);
int e2e_teardown(void **state);

/* Makes the fixture root/work and root/cap at `root`, which must not
 * exist yet (a second fixture inside the first, for instance). */
void e2e_fixture_at(struct fixture *fx, const char *root);

/* ---- memory ---- */
/* A listed block (never NULL); e2e_free frees one (NULL is ignored). */
void *e2e_malloc(size_t size);
void e2e_free(void *p);

/* ---- files ---- */
/* Reads dir/name whole (ts_slurp), listed; fails the test if it is
 * missing. */
char *e2e_slurp_in(const char *dir, const char *name, size_t *len);
/* Writes text to dir/name. */
void e2e_write(const char *dir, const char *name, const char *text);
/* Fails unless work/dir holds no file (or does not exist). */
void e2e_assert_no_output(const struct fixture *fx, const char *dir);
/* Does path exist (not following a last symbolic link)? */
int e2e_exists(const char *path);
/* Writes the path of work/dir/name into buf. */
void e2e_out_path(const struct fixture *fx, char *buf, size_t size,
		  const char *dir, const char *name);
/* Fails unless work/a/name and work/b/name hold the same bytes, for each
 * of the four CSV files of a run; `what` says which runs, in the
 * message. */
void e2e_assert_same_run(const struct fixture *fx, const char *a, const char *b,
			 const char *what);

/* The CSV files of a run, in the order metadata.json lists them. */
#define E2E_CSV_FILES 5
extern const char *const e2e_csv_files[E2E_CSV_FILES];

/* ---- running the program ---- */
/* How long one run of the program may take (times ts_time_scale). */
#define E2E_TIMEOUT_S 60.0

/* Starts CYBERDEF_BIN with argv[1..] = args (NULL-terminated) in work/,
 * stdout and stderr captured in cap/. */
void e2e_start(const struct fixture *fx, struct ts_proc *p,
	       const char *const *args);
/* Waits for a started run (ts_finish) and lists what it wrote. */
void e2e_collect(struct ts_proc *p);
/* e2e_start then e2e_collect, with the arguments given one by one,
 * NULL-terminated. */
void e2e_run(const struct fixture *fx, struct ts_proc *p, ...);
/* Frees what a run wrote. */
void e2e_proc_free(struct ts_proc *p);
/* Fails with the captured output unless the run exited with `want`. */
void e2e_assert_exit(const struct ts_proc *p, int want);
/* Fails, showing text, unless it holds want. */
void e2e_assert_contains(const char *text, const char *want);

/* ---- CSV ---- */
/* A CSV output split into cells. The files hold no quoted field, so a
 * plain split on ',' is exact; e2e_csv_load checks that assumption. */
struct csv {
	char *text;
	size_t ncols, nrows; /* nrows excludes the header */
	char **cell;	     /* (nrows + 1) * ncols; row 0 is the header */
};

/* Loads dir/name, checking RFC 4180 framing: every record ends in CRLF,
 * no bare CR or LF, no quotes, and every row has the header's width. */
void e2e_csv_load(struct csv *t, const char *dir, const char *name);
void e2e_csv_free(struct csv *t);
/* The index of column name (fails the test if there is none). */
size_t e2e_csv_col(const struct csv *t, const char *name);
/* The cell of data row r (0-based) and column c. */
const char *e2e_csv_at(const struct csv *t, size_t r, size_t c);
/* A whole cell as a finite number, or as an integer. */
double e2e_num(const char *s);
long long e2e_inum(const char *s);
/* The number in data row r of column col. */
double e2e_at_num(const struct csv *t, size_t r, const char *col);
/* Fails unless every cell of the columns not named in text_cols (a
 * space-separated list) is a finite number >= 0. */
void e2e_assert_numeric_nonneg(const struct csv *t, const char *name,
			       const char *text_cols);

#endif
