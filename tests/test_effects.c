/* Tests of the paired comparison (analysis/effects.h): the estimates on
 * cases worked by hand, what is undefined, and (statistical) the coverage
 * of the relative effect's interval on a model whose effect is known in
 * closed form.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "analysis/effects.h"
#include "analysis/output.h"
#include "analysis/run.h"
#include "load/scenario.h"

static void near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * (1 + fabs(want))))
		fail_msg("got %.17g, want %.17g", got, want);
}

/* b = 2 a: differences 1, 2, 3 (mean 2, sd 1), the ratio exactly 2 with
 * no residual, var a = 1, var b = 4. */
static void test_hand_case(void **state)
{
	(void)state;
	const double a[] = {1, 2, 3}, b[] = {2, 4, 6};
	struct effect x;
	effects_paired(a, b, 3, &x);
	assert_int_equal(x.n, 3);
	near(x.base_mean, 2);
	near(x.alt_mean, 4);
	near(x.diff_mean, 2);
	double t = gsl_cdf_tdist_Pinv(0.975, 2), se = 1 / sqrt(3.0);
	near(x.diff_lo, 2 - t * se);
	near(x.diff_hi, 2 + t * se);
	near(x.p, 2 * gsl_cdf_tdist_Q(2 / se, 2));
	near(x.var_ratio, 5);
	near(x.rel, 1);
	near(x.rel_lo, 1);
	near(x.rel_hi, 1);
}

/* A comparison with itself: no difference, and what divides by the
 * paired variance (p, var_ratio) is undefined. */
static void test_self(void **state)
{
	(void)state;
	const double a[] = {3, 5, 4, 9};
	struct effect x;
	effects_paired(a, a, 4, &x);
	near(x.diff_mean, 0);
	near(x.diff_lo, 0);
	near(x.diff_hi, 0);
	near(x.rel, 0);
	assert_true(isnan(x.p) && isnan(x.var_ratio));
}

/* Pairs with a missing value are left out; one pair defines no interval;
 * a zero base mean no relative effect. */
static void test_undefined(void **state)
{
	(void)state;
	const double a[] = {1, NAN, 3}, b[] = {2, 5, NAN};
	struct effect x;
	effects_paired(a, b, 3, &x);
	assert_int_equal(x.n, 1);
	near(x.diff_mean, 1);
	assert_true(isnan(x.diff_lo) && isnan(x.p) && isnan(x.rel_lo));
	const double z[] = {0, 0}, w[] = {1, 2};
	effects_paired(z, w, 2, &x);
	assert_true(isnan(x.rel) && isnan(x.rel_lo));
	near(x.diff_mean, 1.5);
}

/* ---- coverage ------------------------------------------------------------
 * A small world in which doubling attempts_per_day doubles the expected
 * attempts exactly: nothing is blocked (block_efficacy 0), so no campaign
 * retires early and both arms have the same campaigns (common random
 * numbers), each making Poisson counts of mean lambda or 2 lambda. The
 * relative effect on `attempts` is then +100%, and its 95% interval over
 * PAIRS pairs must cover it in about 95% of STUDIES independent
 * comparisons: misses are Binomial(STUDIES, 0.05), mean 50 and sd 6.9 at
 * 1000, so 30 to 70 misses (three sd either side) pass; a correct
 * interval fails by chance about 0.3% of the time, and one that covers
 * 90% (100 misses) or 99% (10) fails. */
#define STUDIES 1000
#define PAIRS 20

static const char cfg[] =
	"days = 60; warmup_days = 0;\n"
	"segments = { firms = { kind = \"corporation\"; count = 200; }; };\n"
	"attackers = { crooks = { type = \"criminal\"; objective = "
	"\"extortion\";\n"
	"  campaigns_per_year = 30.0; campaign_days = 40.0;\n"
	"  attempts_per_day = 3.0; success_prob = 0.01;\n"
	"  targets = { firms = 1.0; }; }; };\n"
	"detection = { block_efficacy = 0.0; };\n";

static struct cd_scenario *load(const char *set)
{
	const char *sets[] = {set};
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	if (scenario_load_string(&sc, "coverage.cfg", cfg, sets, set ? 1 : 0,
				 &d))
		fail_msg("%s", d.msg);
	return sc;
}

static void test_coverage(void **state)
{
	(void)state;
	struct cd_scenario *base = load(NULL);
	struct cd_scenario *alt = load("attackers.crooks.attempts_per_day=6");
	int col = effects_metric("attempts"), misses = 0;
	assert_true(col >= 0);
	for (int s = 0; s < STUDIES; s++) {
		double a[PAIRS], b[PAIRS];
		for (int r = 0; r < PAIRS; r++) {
			uint64_t seed = cd_study_seed((uint64_t)s + 1, 0, 0,
						      (uint64_t)r);
			struct cd_summary x;
			struct cd_diag d;
			assert_int_equal(cd_run(base, seed, NULL, &x, NULL, &d),
					 0);
			a[r] = x.v[col];
			assert_int_equal(cd_run(alt, seed, NULL, &x, NULL, &d),
					 0);
			b[r] = x.v[col];
		}
		struct effect e;
		effects_paired(a, b, PAIRS, &e);
		misses += !(e.rel_lo <= 1 && 1 <= e.rel_hi);
	}
	printf("relative effect +100%%: %d of %d intervals miss it "
	       "(expected 50, passing 30 to 70)\n",
	       misses, STUDIES);
	assert_true(misses >= 30 && misses <= 70);
	scenario_destroy(base);
	scenario_destroy(alt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_case),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_undefined),
		cmocka_unit_test(test_coverage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
