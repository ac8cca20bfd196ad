/* `cyberdef calibrate` end to end, on the 36,000-SME Japan of the test
 * fixtures (60 days) with tests/fixtures/calibrate_targets.cfg (two
 * targets, two parameters), N 20, G 2: the four files are written with
 * their columns; posterior.csv is the same bytes with --jobs 1 and 2; a
 * run cut after generation 1 (its files as an interrupted run leaves
 * them) resumes to the uninterrupted run's posterior.csv; a resume with
 * other settings is refused with exit status 2, one with more generations
 * extends a shorter run to the longer run's files, one with fewer is
 * refused; --hold-out predicts a target without fitting it; bad options
 * exit 2; the
 * help lists the command; metadata.json records the priors, and `cyberdef
 * plot`'s two charts of the directory can be prepared. */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "analysis/plot.h"
#include "e2e.h"

#define SAMPLE SOURCE_DIR "/tests/fixtures/japan_sample.cfg"
#define TARGETS SOURCE_DIR "/tests/fixtures/calibrate_targets.cfg"

/* Runs calibrate into out with generations g, jobs j and `extra` (or
 * NULL); returns the exit status. */
static int calibrate(const struct fixture *fx, const char *out, const char *g,
		     const char *j, const char *extra, const char *extra2)
{
	struct ts_proc p;
	e2e_run(fx, &p, "calibrate", SAMPLE, "--targets", TARGETS, "--set",
		"days=60", "--set", "warmup_days=0", "--particles", "20",
		"--generations", g, "--jobs", j, "--out", out, "--quiet", extra,
		extra2, NULL);
	int rc = p.status;
	if (rc)
		fprintf(stderr, "%s", p.err);
	e2e_proc_free(&p);
	return rc;
}

static void assert_same(const struct fixture *fx, const char *a, const char *b,
			const char *name)
{
	char x[PATH_MAX], y[PATH_MAX];
	e2e_out_path(fx, x, sizeof x, a, name);
	e2e_out_path(fx, y, sizeof y, b, name);
	ts_assert_same_file(x, y);
}

static void assert_columns(const char *dir, const char *name,
			   const char *const *cols, size_t n, size_t rows)
{
	struct csv t;
	e2e_csv_load(&t, dir, name);
	for (size_t i = 0; i < n; i++)
		(void)e2e_csv_col(&t, cols[i]);
	assert_int_equal(t.nrows, rows);
	e2e_csv_free(&t);
}

/* metadata.json records the priors, which `cyberdef plot` reads back, and
 * both charts of the directory can be prepared (without gnuplot). */
static void assert_charts_prepare(const char *dir)
{
	struct plot_priors pr;
	struct cd_diag d;
	assert_int_equal(plot_load_priors(dir, &pr, &d), 0);
	assert_int_equal(pr.known, 1);
	assert_int_equal(pr.n, 2);
	assert_string_equal(pr.v[0].setting, "detection.internal_rate");
	assert_string_equal(pr.v[0].kind, "log_uniform");
	assert_true(pr.v[0].lo == 0.005 && pr.v[0].hi == 0.5);
	assert_string_equal(pr.v[1].setting, "observe.mtrends.weight_sme");
	static const char *const chart[] = {"posterior", "fit"};
	for (int k = 0; k < 2; k++) {
		struct plot_opts o = {.dir = dir, .chart = chart[k]};
		enum plot_source src;
		csv_table t;
		struct plot_job j;
		assert_int_equal(plot_load(&o, &src, &t, &d), 0);
		int rc = k ? plot_prepare(&j, src, &t, &o, &d)
			   : plot_prepare_posterior(&j, &t, &pr, &o, &d);
		if (rc)
			fprintf(stderr, "%s\n", d.msg);
		assert_int_equal(rc, 0);
		assert_string_equal(j.kind, chart[k]);
		assert_string_equal(j.note, "");
		plot_job_free(&j);
		csv_table_free(&t);
	}
}

static void test_outputs_and_jobs(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(calibrate(fx, "a", "2", "1", NULL, NULL), 0);
	assert_int_equal(calibrate(fx, "b", "2", "2", NULL, NULL), 0);
	assert_same(fx, "a", "b", "posterior.csv");
	assert_same(fx, "a", "b", "fit.csv");
	char dir[PATH_MAX + 8], path[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/a", fx->work);
	static const char *const post[] = {"generation",
					   "particle",
					   "detection.internal_rate",
					   "observe.mtrends.weight_sme",
					   "weight",
					   "distance"};
	static const char *const gen[] = {"generation", "tolerance", "accepted",
					  "proposals", "ess"};
	static const char *const fit[] = {
		"target",    "observed",  "sd",	       "replicates",
		"model_p05", "model_p95", "within_sd", "model_median"};
	assert_columns(dir, "posterior.csv", post, 6, 40);
	assert_columns(dir, "generations.csv", gen, 5, 2);
	assert_columns(dir, "fit.csv", fit, 8, 2);
	e2e_out_path(fx, path, sizeof path, "a", "metadata.json");
	assert_true(e2e_exists(path));
	assert_charts_prepare(dir);
}

/* Keeps the first n lines of dir/name. */
static void keep_lines(const char *dir, const char *name, int n)
{
	size_t len;
	char *text = e2e_slurp_in(dir, name, &len);
	char *s = text;
	for (int i = 0; i < n && (s = strchr(s, '\n')); i++)
		s++;
	assert_non_null(s);
	*s = '\0';
	e2e_write(dir, name, text);
	e2e_free(text);
}

static void test_resume(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(calibrate(fx, "full", "3", "2", NULL, NULL), 0);
	assert_int_equal(calibrate(fx, "cut", "3", "2", NULL, NULL), 0);
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof dir, "%s/cut", fx->work);
	keep_lines(dir, "posterior.csv", 41); /* generations 0 and 1 */
	keep_lines(dir, "generations.csv", 3);
	assert_int_equal(calibrate(fx, "cut", "3", "1", "--resume", NULL), 0);
	assert_same(fx, "full", "cut", "posterior.csv");
	assert_same(fx, "full", "cut", "fit.csv");
	struct ts_proc p;
	e2e_run(fx, &p, "calibrate", SAMPLE, "--targets", TARGETS, "--set",
		"days=60", "--set", "warmup_days=0", "--particles", "30",
		"--generations", "3", "--out", "cut", "--resume", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "records particles 20, this run has 30");
	e2e_proc_free(&p);
	assert_int_equal(calibrate(fx, "none", "2", "1", "--resume", NULL), 2);
	/* A two-generation run extended to three by --resume. */
	assert_int_equal(calibrate(fx, "grow", "2", "2", NULL, NULL), 0);
	assert_int_equal(calibrate(fx, "grow", "3", "2", "--resume", NULL), 0);
	assert_same(fx, "full", "grow", "posterior.csv");
	assert_same(fx, "full", "grow", "fit.csv");
	e2e_run(fx, &p, "calibrate", SAMPLE, "--targets", TARGETS, "--set",
		"days=60", "--set", "warmup_days=0", "--particles", "20",
		"--generations", "2", "--out", "grow", "--resume", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "can add generations, not remove them");
	e2e_proc_free(&p);
}

static void test_bad_options(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_run(fx, &p, "calibrate", SAMPLE, "--targets", TARGETS,
		"--particles", "1", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "--particles: allowed");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "calibrate", SAMPLE, NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "--targets FILE is needed");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "--help", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "calibrate [SCENARIO] --targets FILE");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "calibrate", "--help", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "usage: cyberdef calibrate");
	e2e_proc_free(&p);
}

/* --hold-out: the held-out target is predicted (in fit.csv, held_out 1)
 * but not fitted, so the posterior differs from the full fit's; a name
 * that is no target, or holding out every target, exits 2. */
static void test_hold_out(void **state)
{
	struct fixture *fx = *state;
	assert_int_equal(calibrate(fx, "all", "2", "2", NULL, NULL), 0);
	assert_int_equal(
		calibrate(fx, "held", "2", "2", "--hold-out", "internal"), 0);
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof dir, "%s/held", fx->work);
	struct csv t;
	e2e_csv_load(&t, dir, "fit.csv");
	assert_int_equal(t.nrows, 2);
	size_t name = e2e_csv_col(&t, "target");
	for (size_t r = 0; r < 2; r++)
		assert_true(e2e_at_num(&t, r, "held_out") ==
			    !strcmp(e2e_csv_at(&t, r, name), "internal"));
	e2e_csv_free(&t);
	size_t la, lb;
	char *a = e2e_slurp_in(fx->work, "all/posterior.csv", &la);
	char *b = e2e_slurp_in(fx->work, "held/posterior.csv", &lb);
	assert_false(la == lb && !memcmp(a, b, la));
	e2e_free(a);
	e2e_free(b);
	struct ts_proc p;
	e2e_run(fx, &p, "calibrate", SAMPLE, "--targets", TARGETS, "--hold-out",
		"nope", "--out", "x", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "its targets: internal dwell");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "calibrate", SAMPLE, "--targets", TARGETS, "--hold-out",
		"internal", "--hold-out", "dwell", "--out", "x", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "nothing is left to fit");
	e2e_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outputs_and_jobs,
						e2e_setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_resume, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_bad_options, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_hold_out, e2e_setup,
						e2e_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
