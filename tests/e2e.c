/* Helpers of the end-to-end tests: see e2e.h. */
#define _XOPEN_SOURCE 700 /* lstat, mkdtemp; implies POSIX.1-2008 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "e2e.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif

#define MAX_ARGS 32

const char *const e2e_csv_files[E2E_CSV_FILES] = {
	"timeseries.csv", "sharing.csv", "incidents.csv", "summary.csv",
	"readiness.csv"};

/* ---- memory ------------------------------------------------------------- */

static void *live[1024];
static size_t n_live;

static void keep(void *p)
{
	assert_true(n_live < sizeof live / sizeof live[0]);
	live[n_live++] = p;
}

static void forget(void *p)
{
	for (size_t i = n_live; i-- > 0;)
		if (live[i] == p) {
			live[i] = live[--n_live];
			return;
		}
	fail_msg("freeing a block the tests did not allocate");
}

void *e2e_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	assert_non_null(p);
	keep(p);
	return p;
}

void e2e_free(void *p)
{
	if (p) {
		forget(p);
		free(p);
	}
}

/* ---- the fixture -------------------------------------------------------- */

static int make_fixture(struct fixture *fx)
{
	if (snprintf(fx->work, sizeof fx->work, "%s/work", fx->root) >=
		    (int)sizeof fx->work ||
	    snprintf(fx->cap, sizeof fx->cap, "%s/cap", fx->root) >=
		    (int)sizeof fx->cap ||
	    mkdir(fx->work, 0777) || mkdir(fx->cap, 0777))
		return -1;
	return 0;
}

int e2e_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	if (ts_make_tmpdir(fx->root, sizeof fx->root, "cyberdef-e2e")) {
		free(fx);
		return -1;
	}
	if (make_fixture(fx)) {
		ts_rm_rf(fx->root);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

int e2e_teardown(void **state)
{
	struct fixture *fx = *state;
	ts_rm_rf(fx->root);
	free(fx);
	while (n_live)
		free(live[--n_live]);
	return 0;
}

void e2e_fixture_at(struct fixture *fx, const char *root)
{
	int n = snprintf(fx->root, sizeof fx->root, "%s", root);
	assert_true(n > 0 && (size_t)n < sizeof fx->root);
	assert_int_equal(mkdir(fx->root, 0777), 0);
	assert_int_equal(make_fixture(fx), 0);
}

/* ---- files -------------------------------------------------------------- */

char *e2e_slurp_in(const char *dir, const char *name, size_t *len)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, dir, name);
	char *text = ts_slurp(path, len);
	if (!text)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	keep(text);
	return text;
}

void e2e_write(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

void e2e_assert_no_output(const struct fixture *fx, const char *dir)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, dir);
	int n = ts_count_entries(path, 1);
	if (n > 0)
		fail_msg("%s should hold no file, holds %d", path, n);
}

int e2e_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

void e2e_out_path(const struct fixture *fx, char *buf, size_t size,
		  const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s/%s", fx->work, dir, name);
	assert_true(n > 0 && (size_t)n < size);
}

void e2e_assert_same_run(const struct fixture *fx, const char *a, const char *b,
			 const char *what)
{
	for (size_t i = 0; i < E2E_CSV_FILES; i++) {
		char pa[PATH_MAX], pb[PATH_MAX];
		e2e_out_path(fx, pa, sizeof pa, a, e2e_csv_files[i]);
		e2e_out_path(fx, pb, sizeof pb, b, e2e_csv_files[i]);
		if (!ts_same_bytes(pa, pb))
			fail_msg("%s: %s differs", what, e2e_csv_files[i]);
	}
}

/* ---- running the program ------------------------------------------------ */

void e2e_start(const struct fixture *fx, struct ts_proc *p,
	       const char *const *args)
{
	const char *argv[MAX_ARGS + 2];
	int n = 0;
	argv[n++] = CYBERDEF_BIN;
	for (; args[n - 1]; n++) {
		assert_true(n <= MAX_ARGS);
		argv[n] = args[n - 1];
	}
	argv[n] = NULL;
	struct ts_spawn o = {.cwd = fx->work,
			     .capture = fx->cap,
			     .timeout_s = E2E_TIMEOUT_S};
	ts_start(p, &o, argv);
}

void e2e_collect(struct ts_proc *p)
{
	ts_finish(p);
	keep(p->out);
	keep(p->err);
}

void e2e_run(const struct fixture *fx, struct ts_proc *p, ...)
{
	const char *args[MAX_ARGS + 1];
	va_list ap;
	va_start(ap, p);
	ts_collect_args(ap, args, MAX_ARGS);
	va_end(ap);
	e2e_start(fx, p, args);
	e2e_collect(p);
}

void e2e_proc_free(struct ts_proc *p)
{
	e2e_free(p->out);
	e2e_free(p->err);
	p->out = p->err = NULL;
	ts_proc_free(p);
}

void e2e_assert_exit(const struct ts_proc *p, int want)
{
	if (!p->exited || p->status != want)
		fail_msg(
			"expected exit %d, got %s %d\nstdout:\n%s\nstderr:\n%s",
			want, p->exited ? "exit" : "signal", p->status, p->out,
			p->err);
}

void e2e_assert_contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("expected \"%s\" in:\n%s", want, text);
}

/* ---- CSV ---------------------------------------------------------------- */

/* Checks the framing of a CSV text of len bytes; returns the number of
 * fields it holds. */
static size_t csv_framing(const char *text, size_t len)
{
	assert_true(len >= 2);
	assert_memory_equal(text + len - 2, "\r\n", 2);
	assert_null(strchr(text, '"'));
	size_t lines = 0, fields = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			assert_true(i > 0 && text[i - 1] == '\r');
			lines++;
		} else if (text[i] == '\r') {
			assert_true(i + 1 < len && text[i + 1] == '\n');
		}
		if (text[i] == ',' || text[i] == '\n')
			fields++;
	}
	assert_true(lines >= 1);
	return fields;
}

void e2e_csv_load(struct csv *t, const char *dir, const char *name)
{
	size_t len;
	t->text = e2e_slurp_in(dir, name, &len);
	size_t fields = csv_framing(t->text, len);
	t->cell = e2e_malloc(fields * sizeof *t->cell);
	size_t k = 0, row = 0;
	char *p = t->text;
	t->ncols = 0;
	while (*p) {
		char *eol = strstr(p, "\r\n");
		*eol = '\0';
		size_t width = 1;
		for (char *f = p;; width++) {
			char *comma = strchr(f, ',');
			assert_true(k < fields);
			t->cell[k++] = f;
			if (!comma)
				break;
			*comma = '\0';
			f = comma + 1;
		}
		if (row == 0)
			t->ncols = width;
		else if (width != t->ncols)
			fail_msg("%s row %zu has %zu fields, header %zu", name,
				 row, width, t->ncols);
		row++;
		p = eol + 2;
	}
	t->nrows = row - 1;
}

void e2e_csv_free(struct csv *t)
{
	e2e_free(t->text);
	e2e_free(t->cell);
	t->text = NULL;
	t->cell = NULL;
}

size_t e2e_csv_col(const struct csv *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(t->cell[c], name))
			return c;
	fail_msg("no column %s", name);
	return 0;
}

const char *e2e_csv_at(const struct csv *t, size_t r, size_t c)
{
	return t->cell[(r + 1) * t->ncols + c];
}

double e2e_num(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v))
		fail_msg("'%s' is not a finite number", s);
	return v;
}

long long e2e_inum(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		fail_msg("'%s' is not an integer", s);
	return v;
}

double e2e_at_num(const struct csv *t, size_t r, const char *col)
{
	return e2e_num(e2e_csv_at(t, r, e2e_csv_col(t, col)));
}

void e2e_assert_numeric_nonneg(const struct csv *t, const char *name,
			       const char *text_cols)
{
	char list[256];
	snprintf(list, sizeof list, " %s ", text_cols);
	for (size_t c = 0; c < t->ncols; c++) {
		char key[128];
		snprintf(key, sizeof key, " %s ", t->cell[c]);
		if (strstr(list, key))
			continue;
		for (size_t r = 0; r < t->nrows; r++) {
			const char *s = e2e_csv_at(t, r, c);
			char *end;
			double v = strtod(s, &end);
			if (!*s || *end || !isfinite(v) || v < 0)
				fail_msg("%s row %zu %s = '%s': want a finite "
					 "number >= 0",
					 name, r + 1, t->cell[c], s);
		}
	}
}
