/* Tests for stats: summaries of known data, the empty and one-value cases,
 * NaN skipping, and the two-sample tests against values computed
 * independently (see each test for the source).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "analysis/stats.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Checks |got - want| <= tol * max(1, |want|). */
static void check_close(double got, double want, double tol)
{
	double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;

	if (!(fabs(got - want) <= tol * scale))
		fail_msg("got %.17g, want %.17g (tolerance %g)", got, want,
			 tol);
}

static void check_nan(double v)
{
	if (!isnan(v))
		fail_msg("got %.17g, want NaN", v);
}

/* The textbook sample 2,4,4,4,5,5,7,9: mean 5, sum of squared deviations
 * 32, so sd = sqrt(32/7). t_{0.975,7} = 2.3646242515927853 and the CI
 * half-width t sd / sqrt(8) = 1.7874879182362109 were computed with
 * mpmath at 40 digits (root of the regularized incomplete beta function),
 * independently of GSL.
 */
static const double known[] = {2, 4, 4, 4, 5, 5, 7, 9};
static const double known_sd = 2.1380899352993950;
static const double known_t = 2.3646242515927853;
static const double known_half = 1.7874879182362109;

static void check_known(const stats_summary *s)
{
	assert_int_equal(s->n, 8);
	check_close(s->mean, 5.0, 1e-15);
	check_close(s->sd, known_sd, 1e-14);
	check_close(s->ci_lo, 5.0 - known_half, 1e-10);
	check_close(s->ci_hi, 5.0 + known_half, 1e-10);
	check_close((s->ci_hi - s->mean) * sqrt(8.0) / s->sd, known_t, 1e-10);
	check_close(s->median, 4.5, 0.0);
	check_close(s->min, 2.0, 0.0);
	check_close(s->max, 9.0, 0.0);
}

static void test_summarise_known(void **state)
{
	double x[N_OF(known)], scratch[N_OF(known)];
	stats_summary s;
	size_t i;

	(void)state;
	stats_summarise(known, N_OF(known), scratch, &s);
	check_known(&s);
	/* Shuffled input: the function must sort its copy, not x. */
	memcpy(x, (const double[]){5, 9, 4, 2, 7, 4, 5, 4}, sizeof(x));
	stats_summarise(x, N_OF(x), scratch, &s);
	check_known(&s);
	for (i = 1; i < N_OF(scratch); i++)
		assert_true(scratch[i - 1] <= scratch[i]);
	assert_memory_equal(x, ((const double[]){5, 9, 4, 2, 7, 4, 5, 4}),
			    sizeof(x));
}

static void test_summarise_empty(void **state)
{
	stats_summary s;

	(void)state;
	memset(&s, 0xff, sizeof(s));
	stats_summarise(NULL, 0, NULL, &s);
	assert_int_equal(s.n, 0);
	check_nan(s.mean);
	check_nan(s.sd);
	check_nan(s.ci_lo);
	check_nan(s.ci_hi);
	check_nan(s.median);
	check_nan(s.min);
	check_nan(s.max);
}

static void test_summarise_one(void **state)
{
	const double x[] = {3.25};
	double scratch[1];
	stats_summary s;

	(void)state;
	stats_summarise(x, 1, scratch, &s);
	assert_int_equal(s.n, 1);
	check_close(s.mean, 3.25, 0.0);
	check_close(s.median, 3.25, 0.0);
	check_close(s.min, 3.25, 0.0);
	check_close(s.max, 3.25, 0.0);
	check_nan(s.sd);
	check_nan(s.ci_lo);
	check_nan(s.ci_hi);
}

static void test_summarise_skips_nan(void **state)
{
	const double x[] = {NAN, 2, 4, NAN, 4, 4, 5, 5, 7, 9, NAN};
	const double all_nan[] = {NAN, NAN, NAN};
	const double odd[] = {3, NAN, 1, 2};
	double scratch[N_OF(x)];
	stats_summary s;

	(void)state;
	stats_summarise(x, N_OF(x), scratch, &s);
	check_known(&s);

	stats_summarise(all_nan, N_OF(all_nan), scratch, &s);
	assert_int_equal(s.n, 0);
	check_nan(s.mean);
	check_nan(s.median);
	check_nan(s.min);

	stats_summarise(odd, N_OF(odd), scratch, &s);
	assert_int_equal(s.n, 3);
	check_close(s.median, 2.0, 0.0);
	check_close(s.sd, 1.0, 1e-15);
}

static void test_summarise_constant(void **state)
{
	const double x[] = {0.5, 0.5, 0.5, 0.5};
	double scratch[N_OF(x)];
	stats_summary s;

	(void)state;
	stats_summarise(x, N_OF(x), scratch, &s);
	check_close(s.sd, 0.0, 0.0);
	check_close(s.ci_lo, 0.5, 0.0);
	check_close(s.ci_hi, 0.5, 0.0);
}

static void test_median(void **state)
{
	double odd[] = {5, NAN, 1, 3};
	double even[] = {4, 1, 3, 2};
	double none[] = {NAN, NAN};

	(void)state;
	check_close(stats_median(odd, N_OF(odd)), 3.0, 0.0);
	check_close(odd[0], 1.0, 0.0);
	check_close(odd[1], 3.0, 0.0);
	check_close(odd[2], 5.0, 0.0);
	check_nan(odd[3]);
	check_close(stats_median(even, N_OF(even)), 2.5, 0.0);
	check_nan(stats_median(none, N_OF(none)));
	check_nan(stats_median(NULL, 0));
}

/* Student's (1908) sleep data, R's `sleep` data set: extra hours of sleep
 * under two drugs. R's t.test(extra ~ group, data = sleep) prints "t =
 * -1.8608, df = 17.776, p-value = 0.07939". The full-precision p-value
 * 0.079394140187358138 was computed independently with mpmath at 40
 * digits (Welch-Satterthwaite df, regularized incomplete beta function).
 */
static const double sleep1[] = {0.7, -1.6, -0.2, -1.2, -0.1,
				3.4, 3.7,  0.8,	 0.0,  2.0};
static const double sleep2[] = {1.9, 0.8, 1.1, 0.1, -0.1,
				4.4, 5.5, 1.6, 4.6, 3.4};

static void test_welch_sleep(void **state)
{
	const double with_nan[] = {NAN, 0.7, -1.6, -0.2, -1.2, -0.1,
				   3.4, 3.7, NAN,  0.8,	 0.0,  2.0};
	double p;

	(void)state;
	p = stats_welch_p(sleep1, N_OF(sleep1), sleep2, N_OF(sleep2));
	check_close(p, 0.079394140187358138, 1e-10);
	assert_true(fabs(p - 0.07939) < 0.000005); /* R's printed digits */
	check_close(stats_welch_p(sleep2, N_OF(sleep2), sleep1, N_OF(sleep1)),
		    p, 1e-15);
	check_close(
		stats_welch_p(with_nan, N_OF(with_nan), sleep2, N_OF(sleep2)),
		p, 1e-13);
}

/* The paired t test: differences 0.5, 0.3, 0.8, 0.1, 0.6 have mean 0.46
 * and sd 0.27019, t = 3.8069 on 4 degrees of freedom, p = 0.0190 (R:
 * t.test(b, a, paired = TRUE)); a NaN pair is skipped; no spread. */
static void test_paired(void **state)
{
	(void)state;
	const double a[] = {1, 2, 3, 4, 5, NAN};
	const double b[] = {1.5, 2.3, 3.8, 4.1, 5.6, 7};
	double mean;
	double p = stats_paired_p(a, b, 6, &mean);
	assert_true(fabs(mean - 0.46) < 1e-12);
	assert_true(fabs(p - 0.01899) < 1e-4);
	assert_true(fabs(stats_paired_p(b, a, 6, NULL) - p) < 1e-15);
	assert_true(isnan(stats_paired_p(a, a, 5, &mean)) && mean == 0);
	const double c[] = {2, 3, 4, 5, 6};
	assert_true(stats_paired_p(a, c, 5, NULL) == 0);
	assert_true(isnan(stats_paired_p(a, b, 1, NULL)));
}

static void test_welch_edges(void **state)
{
	const double one[] = {1.0};
	const double c1[] = {2.0, 2.0, 2.0};
	const double c2[] = {3.0, 3.0};
	const double nan2[] = {1.0, NAN};

	(void)state;
	check_nan(stats_welch_p(one, 1, sleep2, N_OF(sleep2)));
	check_nan(stats_welch_p(sleep1, N_OF(sleep1), one, 1));
	check_nan(stats_welch_p(nan2, 2, sleep2, N_OF(sleep2)));
	check_nan(stats_welch_p(c1, N_OF(c1), c1, N_OF(c1)));
	check_close(stats_welch_p(c1, N_OF(c1), c2, N_OF(c2)), 0.0, 0.0);
	check_close(stats_welch_p(sleep1, N_OF(sleep1), sleep1, N_OF(sleep1)),
		    1.0, 1e-15);
	/* One constant sample against a varying one is well defined. */
	assert_true(stats_welch_p(c1, N_OF(c1), sleep2, N_OF(sleep2)) > 0.0);
}

/* Mann-Whitney reference values computed independently with mpmath from
 * the definition (mid-ranks, tie-corrected variance, continuity
 * correction 1/2, p = erfc(z / sqrt 2)): for 1..10 against 11..20, U = 0
 * and p = 1.8267179110955011e-4; for the tied samples below, U = 17 and
 * p = 0.013341994104348619.
 */
static void test_mannwhitney_separated(void **state)
{
	double a[10], b[10], p;
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++) {
		a[i] = (double)(i + 1);
		b[i] = (double)(i + 11);
	}
	p = stats_mannwhitney_p(a, 10, b, 10);
	assert_true(p < 0.001);
	check_close(p, 1.8267179110955011e-4, 1e-10);
	check_close(stats_mannwhitney_p(b, 10, a, 10), p, 1e-15);
}

static void test_mannwhitney_identical(void **state)
{
	(void)state;
	check_close(
		stats_mannwhitney_p(sleep1, N_OF(sleep1), sleep1, N_OF(sleep1)),
		1.0, 0.0);
}

static void test_mannwhitney_ties(void **state)
{
	const double a[] = {1, 2, 2, 3, 3, 3, 4, 5, 6, 7};
	const double b[] = {3, 4, 4, 5, 6, 7, 8, 8, 9, 10};
	const double a_nan[] = {NAN, 1, 2, 2, 3, NAN, 3, 3, 4, 5, 6, 7};

	(void)state;
	check_close(stats_mannwhitney_p(a, N_OF(a), b, N_OF(b)),
		    0.013341994104348619, 1e-10);
	check_close(stats_mannwhitney_p(a_nan, N_OF(a_nan), b, N_OF(b)),
		    0.013341994104348619, 1e-10);
}

static void test_mannwhitney_edges(void **state)
{
	const double seven[] = {1, 2, 3, 4, 5, 6, 7};
	const double eight_nan[] = {1, 2, 3, 4, 5, 6, 7, NAN};
	const double tied[] = {4, 4, 4, 4, 4, 4, 4, 4};

	(void)state;
	check_nan(stats_mannwhitney_p(seven, 7, sleep1, N_OF(sleep1)));
	check_nan(stats_mannwhitney_p(sleep1, N_OF(sleep1), eight_nan, 8));
	check_nan(stats_mannwhitney_p(tied, 8, tied, 8));
	check_nan(stats_mannwhitney_p(NULL, 0, NULL, 0));
}

/* Kaplan-Meier by hand: events at days 1, 2 and 3, one censored at day 2
 * (events before censorings): S(1) = 3/4, S(2) = 3/4 x 2/3 = 1/2, so the
 * median is 2. Everything censored, or nothing: no median. */
static void test_km_median_known(void **state)
{
	(void)state;
	double x[] = {2 * 3, 2 * 2 + 1, 2 * 1, 2 * 2};
	assert_true(stats_km_median(x, 4) == 2);
	for (int i = 1; i < 4; i++)
		assert_true(x[i - 1] <= x[i]); /* sorted in place */
	double censored[] = {1, 3, 5};
	check_nan(stats_km_median(censored, 3));
	check_nan(stats_km_median(NULL, 0));
}

/* stats_km_median is stats_km_medians for one group, bit for bit. */
static void test_km_median_one_group(void **state)
{
	(void)state;
	uint64_t s = 12345;
	for (int trial = 0; trial < 200; trial++) {
		double x[64];
		struct stats_obs obs[64];
		int n = 1 + trial % 64;
		for (int i = 0; i < n; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			x[i] = (double)((s >> 33) % 40);
			obs[i] = (struct stats_obs){x[i], 1, 0};
		}
		double m;
		stats_km_medians(obs, (size_t)n, 1, &m);
		double got = stats_km_median(x, (size_t)n);
		assert_true(isnan(m) ? isnan(got) : got == m);
	}
}

/* Five groups at once, each the median of its own observations alone:
 * with times counted (small integers) and sorted (times past the
 * counts' range), ties of events and censorings included. */
static void test_km_medians_groups(void **state)
{
	(void)state;
	uint64_t s = 987654321;
	for (int trial = 0; trial < 400; trial++) {
		struct stats_obs obs[200];
		double x[200], out[5];
		int n = 1 + trial % 200;
		double scale = trial % 2 ? 1 : 1e5; /* counted, then sorted */
		for (int i = 0; i < n; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			double t = (double)((s >> 33) % 30) * scale;
			obs[i] = (struct stats_obs){
				2 * t + (double)(s >> 62 & 1),
				(uint32_t)(s >> 20) & 31, 0};
		}
		stats_km_medians(obs, (size_t)n, 5, out);
		for (int g = 0; g < 5; g++) {
			int m = 0;
			for (int i = 0; i < n; i++)
				if (obs[i].groups >> g & 1)
					x[m++] = obs[i].x;
			double want = stats_km_median(x, (size_t)m);
			assert_true(isnan(want) ? isnan(out[g])
						: out[g] == want);
		}
	}
}

static double scratch_[STATS_BOOT_B + 2048];

/* var1 / var2 and its bootstrap interval: the ratio exact, the interval
 * around it and the same bits on a second call; the undefined cases. */
static void test_variance_ratio(void **state)
{
	(void)state;
	double a[10], b[11];
	for (int i = 0; i < 10; i++) {
		a[i] = 3.0 * (i - 4.5); /* variance 9 x 55/6 */
		b[i] = i - 4.5;		/* variance 55/6 */
	}
	b[10] = NAN; /* skipped */
	stats_var_ratio v, w;
	stats_variance_ratio(a, 10, b, 11, 7, scratch_, &v);
	stats_variance_ratio(a, 10, b, 11, 7, scratch_, &w);
	assert_int_equal(v.n1, 10);
	assert_int_equal(v.n2, 10);
	assert_true(fabs(v.var1 - 9 * 55.0 / 6) < 1e-12);
	assert_true(fabs(v.var2 - 55.0 / 6) < 1e-12);
	assert_true(fabs(v.ratio - 9) < 1e-12);
	assert_true(v.ci_lo < 9 && 9 < v.ci_hi);
	assert_memory_equal(&v, &w, sizeof v);
	/* Undefined, infinite, zero. */
	double z[3] = {1, 1, 1};
	stats_variance_ratio(z, 3, z, 3, 7, scratch_, &v);
	assert_true(isnan(v.ratio) && isnan(v.ci_lo) && isnan(v.ci_hi));
	stats_variance_ratio(a, 1, b, 10, 7, scratch_, &v);
	assert_true(isnan(v.ratio));
	stats_variance_ratio(a, 10, z, 3, 7, scratch_, &v);
	assert_true(isinf(v.ratio) && isnan(v.ci_lo) && isnan(v.ci_hi));
	stats_variance_ratio(z, 3, a, 10, 7, scratch_, &v);
	assert_true(v.ratio == 0 && v.ci_lo == 0 && v.ci_hi == 0);
}

/* Left truncation: B and C were already 6 days old when first seen, so
 * they are not at risk before day 6. D at 2 (of D, A, E: 2/3), A at 4 (of
 * A, E: 1/3): the median is 4. Taken as if seen from 0 they would hold the
 * survival up (4/5, 3/5, then 2/5 at 9): median 9. The same through the
 * sorted fallback (times past the range that is counted). */
static void test_km_left_truncation(void **state)
{
	(void)state;
	const double t[] = {2, 4, 9, 10, 12};
	const int cens[] = {0, 0, 0, 0, 1};
	const uint32_t entry[] = {0, 0, 6, 6, 0};
	struct stats_obs obs[5];
	double out[2];
	for (int i = 0; i < 5; i++)
		obs[i] = (struct stats_obs){2 * t[i] + cens[i],
					    1u | (entry[i] ? 0 : 2u), entry[i]};
	stats_km_medians(obs, 5, 2, out);
	assert_true(out[0] == 4);
	for (int i = 0; i < 5; i++)
		obs[i].entry = 0;
	stats_km_medians(obs, 5, 1, out);
	assert_true(out[0] == 9);
	/* Times past the counts' range take the sorted path. */
	for (int i = 0; i < 5; i++)
		obs[i] = (struct stats_obs){2e5 * t[i] + cens[i], 1u,
					    entry[i] * 100000u};
	stats_km_medians(obs, 5, 1, out);
	assert_true(out[0] == 4e5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summarise_known),
		cmocka_unit_test(test_summarise_empty),
		cmocka_unit_test(test_summarise_one),
		cmocka_unit_test(test_summarise_skips_nan),
		cmocka_unit_test(test_summarise_constant),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_welch_sleep),
		cmocka_unit_test(test_welch_edges),
		cmocka_unit_test(test_paired),
		cmocka_unit_test(test_mannwhitney_separated),
		cmocka_unit_test(test_mannwhitney_identical),
		cmocka_unit_test(test_mannwhitney_ties),
		cmocka_unit_test(test_mannwhitney_edges),
		cmocka_unit_test(test_km_median_known),
		cmocka_unit_test(test_km_median_one_group),
		cmocka_unit_test(test_km_medians_groups),
		cmocka_unit_test(test_variance_ratio),
		cmocka_unit_test(test_km_left_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
