/* End-to-end tests of `cyberdef sensitivity`: a parameter that cannot
 * reach a metric gets a total index whose interval contains 0, while one
 * that drives it does not; the design it wrote reruns with `sweep
 * --design` to the same runs; bad parameters are refused with exit 2.
 * The estimators themselves are tested on functions with known indices
 * in tests/test_gsa.c.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "e2e.h"

static const char tiny_cfg[] =
	"days = 60; warmup_days = 0;\n"
	"segments = { firms = { kind = \"corporation\"; count = 500; }; };\n"
	"attackers = {\n"
	"  crooks = { type = \"criminal\"; objective = \"extortion\";\n"
	"    campaigns_per_year = 40.0; attempts_per_day = 100.0;\n"
	"    success_prob = 0.01; damage_per_day = 1000.0;\n"
	"    targets = { firms = 1.0; }; };\n"
	"};\n";

/* The row of indices.csv for (parameter, metric, index): value, lo, hi. */
static void index_of(const struct csv *t, const char *param, const char *metric,
		     const char *index, double v[3])
{
	size_t cp = e2e_csv_col(t, "parameter"), cm = e2e_csv_col(t, "metric"),
	       ci = e2e_csv_col(t, "index");
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(e2e_csv_at(t, r, cp), param) &&
		    !strcmp(e2e_csv_at(t, r, cm), metric) &&
		    !strcmp(e2e_csv_at(t, r, ci), index)) {
			v[0] = e2e_at_num(t, r, "value");
			v[1] = e2e_at_num(t, r, "ci_lo");
			v[2] = e2e_at_num(t, r, "ci_hi");
			return;
		}
	fail_msg("indices.csv has no %s %s %s", param, metric, index);
}

/* damage_per_day cannot change how many intrusions there are; the
 * attack volume does. */
static void test_no_effect_contains_zero(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	struct ts_proc p;
	e2e_run(fx, &p, "sensitivity", "tiny.cfg", "--param",
		"attackers.crooks.damage_per_day=100:10000:log", "--param",
		"attackers.crooks.attempts_per_day=50:200", "--method", "sobol",
		"--n", "32", "--reps", "2", "--metric", "intrusions",
		"--metric", "loss_yen", "--out", "s", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	char dir[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, "s");
	struct csv t;
	e2e_csv_load(&t, dir, "indices.csv");
	assert_int_equal(t.nrows, 2 * 2 * 2); /* parameters x metrics x 2 */
	double v[3];
	index_of(&t, "attackers.crooks.damage_per_day", "intrusions", "ST", v);
	assert_true(v[1] <= 0 && 0 <= v[2]);
	index_of(&t, "attackers.crooks.attempts_per_day", "intrusions", "ST",
		 v);
	assert_true(v[1] > 0.5);
	index_of(&t, "attackers.crooks.damage_per_day", "loss_yen", "ST", v);
	assert_true(v[1] > 0); /* the damage drives the losses */
	e2e_csv_free(&t);
}

/* Morris's trajectories, rerun from design.csv by `sweep --design`: the
 * same runs, value for value. */
static void test_design_reruns(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	struct ts_proc p;
	e2e_run(fx, &p, "sensitivity", "tiny.cfg", "--param",
		"attackers.crooks.success_prob=0.005:0.02", "--param",
		"segments.firms.count=200:800", "--method", "morris", "--n",
		"4", "--levels", "4", "--out", "m", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "sweep", "tiny.cfg", "--design", "m/design.csv",
		"--reps", "1", "--out", "again", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	char a[PATH_MAX], b[PATH_MAX];
	ts_path_join(a, sizeof a, fx->work, "m");
	ts_path_join(b, sizeof b, fx->work, "again");
	struct csv x, y, ind;
	e2e_csv_load(&x, a, "runs.csv");
	e2e_csv_load(&y, b, "runs.csv");
	e2e_csv_load(&ind, a, "indices.csv");
	assert_int_equal(x.nrows, 4 * 3); /* trajectories x (k + 1) */
	assert_int_equal(y.nrows, x.nrows);
	for (size_t r = 0; r < x.nrows; r++)
		assert_string_equal(
			e2e_csv_at(&x, r, e2e_csv_col(&x, "intrusions")),
			e2e_csv_at(&y, r, e2e_csv_col(&y, "intrusions")));
	/* counts are integers: the design's values of the count are too */
	struct csv dg;
	e2e_csv_load(&dg, a, "design.csv");
	size_t cc = e2e_csv_col(&dg, "segments.firms.count");
	for (size_t r = 0; r < dg.nrows; r++) {
		double v = e2e_num(e2e_csv_at(&dg, r, cc));
		assert_true(v == floor(v) && v >= 200 && v <= 800);
	}
	assert_true(ind.nrows == 2 * 11 * 3); /* 2 x headline metrics x 3 */
	e2e_csv_free(&x);
	e2e_csv_free(&y);
	e2e_csv_free(&ind);
	e2e_csv_free(&dg);
}

static void test_bad_params(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	static const struct {
		const char *param, *says;
	} cases[] = {
		{"attackers.crooks.type=0:1", "is not a number"},
		{"workforce.enabled=0:1", "is not a number"},
		{"description=0:1", "is not a number"},
		{"detection.hunt_rate=0.5:0.1", "LO < HI"},
		{"detection.hunt_rate=0:0.5:log", "LO > 0"},
		{"detection.hunt_rate=0:2", "hunt_rate"},
		{"detection.hunt_rat=0:1", "hunt_rat"},
		{"detection.hunt_rate", "expected PATH=LO:HI"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct ts_proc p;
		e2e_run(fx, &p, "sensitivity", "tiny.cfg", "--param",
			cases[k].param, "--method", "sobol", "--n", "2",
			"--out", "bad", "--quiet", NULL);
		e2e_assert_exit(&p, 2);
		e2e_assert_contains(p.err, cases[k].says);
		e2e_proc_free(&p);
		e2e_assert_no_output(fx, "bad");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, e2e_setup, e2e_teardown)
		T(test_no_effect_contains_zero),
		T(test_design_reruns),
		T(test_bad_params),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
