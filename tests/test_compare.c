/* End-to-end tests of `cyberdef compare`: a scenario compared with itself
 * differs in nothing; an alternative written @PATH=VALUE is the scenario
 * with that change, each of its runs reproducible alone with `run`; the
 * files of the set; bad input refused with exit status 2.
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

/* A small world with something in every metric's way: state and criminal
 * attackers, a sharing body, crisis escalation. */
static const char tiny_cfg[] =
	"days = 90; warmup_days = 30;\n"
	"segments = {\n"
	"  firms = { kind = \"corporation\"; count = 2000; share_rate = 0.3; "
	"};\n"
	"  office = { kind = \"government\"; count = 40; share_rate = 0.6; };\n"
	"};\n"
	"attackers = {\n"
	"  crooks = { type = \"criminal\"; objective = \"extortion\";\n"
	"    campaigns_per_year = 40.0; attempts_per_day = 200.0;\n"
	"    success_prob = 0.01; damage_per_day = 1000.0;\n"
	"    targets = { firms = 1.0; }; };\n"
	"  spies = { type = \"state\"; objective = \"espionage\";\n"
	"    campaigns_per_year = 12.0; attempts_per_day = 20.0;\n"
	"    success_prob = 0.05; damage_per_day = 10.0;\n"
	"    targets = { office = 1.0; firms = 0.2; }; };\n"
	"};\n"
	"bodies = { cert = { kind = \"national\"; latency_days = 1.0;\n"
	"  reach = 0.8; members = { firms = 0.5; office = 1.0; }; }; };\n"
	"crisis = { enabled = true; threshold = 3.0; };\n";

static void compare_ok(struct fixture *fx, const char *out, const char *alt)
{
	struct ts_proc p;
	e2e_run(fx, &p, "compare", "tiny.cfg", alt, "--reps", "5", "--seed",
		"9", "--jobs", "2", "--out", out, "--quiet", "--exceed",
		"loss_yen=1e5", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
}

/* Compared with itself, every paired difference is 0 (or undefined where
 * a median is), and p and var_ratio are empty: nothing varies. */
static void test_self_comparison(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	compare_ok(fx, "self", "tiny.cfg");
	char dir[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, "self");
	struct csv t;
	e2e_csv_load(&t, dir, "effects.csv");
	assert_true(t.nrows > 10);
	size_t d = e2e_csv_col(&t, "diff_mean"), p = e2e_csv_col(&t, "p_value"),
	       v = e2e_csv_col(&t, "var_ratio"), n = e2e_csv_col(&t, "n");
	size_t defined = 0;
	for (size_t r = 0; r < t.nrows; r++) {
		const char *x = e2e_csv_at(&t, r, d);
		if (*x) {
			defined++;
			assert_true(e2e_num(x) == 0);
		} else {
			assert_true(e2e_num(e2e_csv_at(&t, r, n)) == 0);
		}
		assert_string_equal(e2e_csv_at(&t, r, p), "");
		assert_string_equal(e2e_csv_at(&t, r, v), "");
	}
	assert_true(defined > 10);
	e2e_csv_free(&t);
}

/* An @ alternative: the arms in runs.csv, five replicates each, the same
 * seed in both; replicate 3 of the alternative run alone with `run` and
 * the change as --set gives its runs.csv row. */
static void test_alternative_reproducible(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	compare_ok(fx, "alt", "@segments.firms.share_rate=0.9");
	char dir[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, "alt");
	struct csv runs, tails;
	e2e_csv_load(&runs, dir, "runs.csv");
	e2e_csv_load(&tails, dir, "tails.csv");
	assert_int_equal(runs.nrows, 10);
	size_t arm = e2e_csv_col(&runs, "arm"),
	       seed = e2e_csv_col(&runs, "seed");
	for (size_t r = 0; r < 5; r++) {
		assert_string_equal(e2e_csv_at(&runs, r, arm), "tiny.cfg");
		assert_string_equal(e2e_csv_at(&runs, r + 5, arm),
				    "@segments.firms.share_rate=0.9");
		assert_string_equal(e2e_csv_at(&runs, r, seed),
				    e2e_csv_at(&runs, r + 5, seed));
	}
	struct ts_proc p;
	e2e_run(fx, &p, "run", "tiny.cfg", "--set",
		"segments.firms.share_rate=0.9", "--seed",
		e2e_csv_at(&runs, 8, seed), "--out", "one", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	char one[PATH_MAX];
	ts_path_join(one, sizeof one, fx->work, "one");
	struct csv sum;
	e2e_csv_load(&sum, one, "summary.csv");
	for (size_t c = 0; c < sum.ncols; c++) {
		size_t k = e2e_csv_col(&runs, sum.cell[c]);
		assert_string_equal(e2e_csv_at(&sum, 0, c),
				    e2e_csv_at(&runs, 8, k));
	}
	/* tails: a threshold row per arm for loss_yen, its share in [0, 1] */
	size_t tm = e2e_csv_col(&tails, "metric"),
	       th = e2e_csv_col(&tails, "threshold"),
	       pe = e2e_csv_col(&tails, "p_exceed");
	size_t thresholds = 0;
	for (size_t r = 0; r < tails.nrows; r++)
		if (!strcmp(e2e_csv_at(&tails, r, tm), "loss_yen")) {
			assert_true(e2e_num(e2e_csv_at(&tails, r, th)) == 1e5);
			double x = e2e_num(e2e_csv_at(&tails, r, pe));
			assert_true(x >= 0 && x <= 1);
			thresholds++;
		}
	assert_int_equal(thresholds, 2);
	e2e_csv_free(&runs);
	e2e_csv_free(&tails);
	e2e_csv_free(&sum);
}

/* Bad input: exit 2, a message naming what is wrong, nothing written. */
static void test_bad_input(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	static const struct {
		const char *alt, *opt, *val, *says;
	} cases[] = {
		{"@segments.firms.share_rate=2", "--reps", "2", "share_rate"},
		{"@nonsense", "--reps", "2", "expected @PATH=VALUE"},
		{"missing.cfg", "--reps", "2", "missing.cfg"},
		{"tiny.cfg", "--metric", "no_such", "--metric no_such"},
		{"tiny.cfg", "--exceed", "loss_yen=x", "--exceed loss_yen=x"},
		{"tiny.cfg", "--vary", "days=1:2:1", "compare takes no --vary"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct ts_proc p;
		e2e_run(fx, &p, "compare", "tiny.cfg", cases[k].alt,
			cases[k].opt, cases[k].val, "--reps", "2", "--out",
			"bad", "--quiet", NULL);
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
		T(test_self_comparison),
		T(test_alternative_reproducible),
		T(test_bad_input),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
