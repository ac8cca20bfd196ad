/* keyed: the counter-based generator and the inversions (core/keyed.h).
 *
 * Known answers of Threefry-2x64-20 (Random123's kat_vectors); a
 * chi-square of the uniforms; serial correlation along a counter;
 * independence of neighbouring counters, seeds and purposes; the
 * Poisson inversion against exact quantiles (regularised incomplete
 * gamma) and its mean; the geometric inversion's law. The statistical
 * checks fail at p < 1e-6: a correct generator fails one in a million
 * times, a broken one at once. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "core/keyed.h"

#define P_FAIL 1e-6

/* Random123 kat_vectors, threefry2x64 20 rounds: counter, key, result. */
static void test_known_answers(void **state)
{
	(void)state;
	static const uint64_t kat[3][5] = {
		{0, 0, 0, 0, 0xc2b6e3a8c2c69865ULL},
		{~0ULL, ~0ULL, ~0ULL, ~0ULL, 0xe02cb7c4d95d277aULL},
		{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL,
		 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL,
		 0x263c7d30bb0f0af1ULL},
	};
	for (int i = 0; i < 3; i++) {
		cd_key k = cd_key_of(kat[i][2], kat[i][3]);
		assert_true(cd_keyed_bits(k, kat[i][0], kat[i][1]) ==
			    kat[i][4]);
	}
}

/* Uniforms in (0, 1) fall evenly into 1,000 bins. */
static void test_uniform_chi_square(void **state)
{
	(void)state;
	enum { BINS = 1000, N = 1000000 };
	static unsigned bin[BINS];
	cd_key k = cd_key_of(12345, 1);
	for (uint64_t i = 0; i < N; i++) {
		double u = cd_keyed_u01(k, i, 7);
		assert_true(u > 0 && u < 1);
		bin[(int)(u * BINS)]++;
	}
	double chi = 0, e = (double)N / BINS;
	for (int b = 0; b < BINS; b++)
		chi += (bin[b] - e) * (bin[b] - e) / e;
	assert_true(gsl_cdf_chisq_Q(chi, BINS - 1) > P_FAIL);
	assert_true(gsl_cdf_chisq_P(chi, BINS - 1) > P_FAIL);
}

/* The correlation of x and y over n pairs: |r| sqrt(n) is about normal. */
static void check_uncorrelated(const double *x, const double *y, int n)
{
	double mx = 0, my = 0;
	for (int i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	double sxy = 0, sxx = 0, syy = 0;
	for (int i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
	}
	double z = sxy / sqrt(sxx * syy) * sqrt((double)n);
	assert_true(2 * gsl_cdf_ugaussian_Q(fabs(z)) > P_FAIL);
}

/* Serial correlation along a counter, and independence of neighbouring
 * counters (the other word), seeds and purposes. */
static void test_independence(void **state)
{
	(void)state;
	enum { N = 200000 };
	double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
	assert_non_null(x);
	assert_non_null(y);
	cd_key k = cd_key_of(99, 3), k2 = cd_key_of(100, 3),
	       k3 = cd_key_of(99, 4);
	for (int i = 0; i < N; i++)
		x[i] = cd_keyed_u01(k, (uint64_t)i, 0);
	for (int i = 0; i + 1 < N; i++)
		y[i] = x[i + 1];
	check_uncorrelated(x, y, N - 1); /* serial, lag 1 */
	for (int i = 0; i < N; i++)
		y[i] = cd_keyed_u01(k, (uint64_t)i, 1);
	check_uncorrelated(x, y, N); /* the neighbouring second word */
	for (int i = 0; i < N; i++)
		y[i] = cd_keyed_u01(k2, (uint64_t)i, 0);
	check_uncorrelated(x, y, N); /* the neighbouring seed */
	for (int i = 0; i < N; i++)
		y[i] = cd_keyed_u01(k3, (uint64_t)i, 0);
	check_uncorrelated(x, y, N); /* the neighbouring purpose */
	free(x);
	free(y);
}

/* The exact quantile, by bisection on P(X <= k) = Q(k + 1, lambda). */
static uint64_t exact_quantile(double lambda, double u)
{
	double lo = 0, hi = lambda + 60 * sqrt(lambda) + 100;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);
		if (gsl_sf_gamma_inc_Q(mid + 1, lambda) >= u)
			hi = mid;
		else
			lo = mid;
	}
	return (uint64_t)(gsl_sf_gamma_inc_Q(lo + 1, lambda) >= u ? lo : hi);
}

/* Exact below CD_POISSON_EXACT; off by at most one above it, rarely. */
static void test_poisson_inverse(void **state)
{
	(void)state;
	gsl_set_error_handler_off();
	static const double lambdas[] = {1e-3, 0.3, 5,	 63,  64,
					 500,  1e4, 1e5, 2e5, 1e6};
	enum { N = 4000 };
	for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
		double lam = lambdas[i];
		int off = 0;
		for (int j = 0; j < N; j++) {
			double u = (j + 0.5) / N;
			uint64_t q = exact_quantile(lam, u);
			uint64_t a = cd_poisson_inv(lam, u);
			long long d = (long long)a - (long long)q;
			assert_true(d >= -1 && d <= 1);
			off += d != 0;
			if (lam < CD_POISSON_EXACT)
				assert_true(d == 0);
			uint64_t f = cd_poisson_inv_fast(lam, u);
			assert_true(f + 1 >= q && f <= q + 1);
		}
		if (off)
			print_message("lambda %g: off by one for %d of %d\n",
				      lam, off, N);
		assert_true(off <= N / 1000); /* documented: ~3e-4 */
	}
	assert_int_equal(cd_poisson_inv(0, 0.5), 0);
	assert_int_equal(cd_poisson_inv(NAN, 0.5), 0);
}

/* The far tails, where the summed probabilities carry a relative error
 * of about 1e-10: within one of the exact quantile at u and 1 - u down to
 * 2^-52 from 0 and 1, the extremes a keyed uniform takes; and the keyed
 * uniform itself never reaches 0 or 1. The exact quantile's own
 * incomplete gamma is accurate to about 1e-15 relative, so the upper
 * tail is judged by Q(k, lambda) = P(X >= k), not 1 - P(X < k). */
static void test_poisson_far_tails(void **state)
{
	(void)state;
	static const double lambdas[] = {0.5, 30, 3e4, 1.31e5};
	for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++) {
		double lam = lambdas[i];
		for (int e = 10; e <= 52; e += 6) {
			double t = ldexp(1, -e); /* the tail probability */
			uint64_t lo = cd_poisson_inv(lam, t);
			uint64_t hi = cd_poisson_inv(lam, 1 - t);
			uint64_t want_lo = exact_quantile(lam, t);
			/* smallest k with P(X > k) <= t */
			uint64_t k = (uint64_t)(lam + 60 * sqrt(lam) + 100);
			while (k > 0 && gsl_sf_gamma_inc_P((double)k, lam) <= t)
				k--;
			long long dl = (long long)lo - (long long)want_lo;
			long long dh = (long long)hi - (long long)k;
			if (dl < -1 || dl > 1 || dh < -1 || dh > 1)
				fail_msg(
					"lambda %g, tail 2^-%d: %llu for %llu, "
					"%llu for %llu",
					lam, e, (unsigned long long)lo,
					(unsigned long long)want_lo,
					(unsigned long long)hi,
					(unsigned long long)k);
		}
	}
	cd_key key = cd_key_of(1, 2);
	double mn = 1, mx = 0;
	for (uint64_t j = 0; j < 1000000; j++) {
		double u = cd_keyed_u01(key, j, 0);
		mn = fmin(mn, u);
		mx = fmax(mx, u);
	}
	assert_true(mn > 0 && mx < 1);
	assert_true(0.5 * 0x1p-52 > 0 && (0x1p52 - 0.5) * 0x1p-52 < 1);
}

/* Over keyed uniforms, the counts have mean lambda (within 5 standard
 * errors, sqrt(lambda / n)); and grow with lambda for one u. */
static void test_poisson_mean_coupling(void **state)
{
	(void)state;
	enum { N = 100000 };
	cd_key k = cd_key_of(7, 9);
	static const double lambdas[] = {0.2, 12, 900, 4e6};
	for (size_t i = 0; i < 4; i++) {
		double sum = 0;
		for (int j = 0; j < N; j++)
			sum += (double)cd_poisson_inv(
				lambdas[i], cd_keyed_u01(k, (uint64_t)j, i));
		double se = sqrt(lambdas[i] / N);
		assert_true(fabs(sum / N - lambdas[i]) < 5 * se);
	}
	/* Coupling: for a fixed u, a slightly larger rate never draws a
	 * smaller count (but for the rare step at the switch). */
	int steps = 0;
	for (int j = 0; j < 500; j++) {
		double u = cd_keyed_u01(k, (uint64_t)j, 99);
		uint64_t prev = 0;
		for (double lam = 1; lam < 300; lam *= 1.01) {
			uint64_t c = cd_poisson_inv(lam, u);
			steps += c < prev;
			prev = c;
		}
	}
	assert_int_equal(steps, 0);
}

/* The frequencies of the counts, over keyed uniforms, against the
 * Poisson law (gsl_ran_poisson_pdf), by a chi-square test with bins
 * pooled to expected counts of at least 10, for the exact inversion and
 * the fast one, on both sides of the fast one's switch at 64; and mean
 * and variance within 5 standard errors where there are too many bins. */
static void test_poisson_frequencies(void **state)
{
	(void)state;
	static const double mus[] = {0.5, 3, 63, 64, 300, 1e4, 1e5};
	enum { N = 200000, MAXK = 2048 };
	static long count[MAXK];
	for (int fast = 0; fast <= 1; fast++)
		for (size_t m = 0; m < sizeof mus / sizeof mus[0]; m++) {
			const double mu = mus[m];
			cd_key key = cd_key_of(11, 100 + m);
			memset(count, 0, sizeof count);
			double sum = 0, ss = 0;
			for (int i = 0; i < N; i++) {
				double u = cd_keyed_u01(key, (uint64_t)i, 0);
				double k =
					(double)(fast ? cd_poisson_inv_fast(mu,
									    u)
						      : cd_poisson_inv(mu, u));
				sum += k;
				ss += k * k;
				if (k < MAXK)
					count[(int)k]++;
			}
			double mean = sum / N, var = ss / N - mean * mean;
			assert_true(fabs(mean - mu) < 5 * sqrt(mu / N));
			/* sd of the sample variance: sqrt((2 mu^2 + mu) / N) */
			assert_true(fabs(var - mu) <
				    5 * sqrt((2 * mu * mu + mu) / N));
			if (mu > 1000)
				continue;
			double chi = 0, e = 0, o = 0;
			int bins = 0;
			for (int k = 0; k < MAXK; k++) {
				e += N * gsl_ran_poisson_pdf((unsigned)k, mu);
				o += (double)count[k];
				if (e >= 10 &&
				    N * gsl_cdf_poisson_Q((unsigned)k, mu) >=
					    10) {
					chi += (o - e) * (o - e) / e;
					bins++;
					e = o = 0;
				}
			}
			chi += (o - e) * (o - e) / e;
			bins++;
			double p = gsl_cdf_chisq_Q(chi, bins - 1);
			if (p < P_FAIL)
				fail_msg("%s mu %g: chi2 %.1f on %d bins, p "
					 "%.3g",
					 fast ? "fast" : "exact", mu, chi,
					 bins - 1, p);
		}
}

/* P(K = 1) = p and E K = 1/p; p = 1 gives 1; p = 0 or a hazard too small
 * to matter never ends (UINT64_MAX), without overflow. */
static void test_geometric_inverse(void **state)
{
	(void)state;
	enum { N = 200000 };
	cd_key k = cd_key_of(3, 3);
	double p = 0.02, sum = 0;
	int ones = 0;
	for (int j = 0; j < N; j++) {
		uint64_t g =
			cd_geometric_inv(p, cd_keyed_u01(k, (uint64_t)j, 0));
		assert_true(g >= 1);
		sum += (double)g;
		ones += g == 1;
	}
	double sd = sqrt(1 - p) / p; /* of one draw */
	assert_true(fabs(sum / N - 1 / p) < 5 * sd / sqrt(N));
	double se1 = sqrt(p * (1 - p) / N);
	assert_true(fabs((double)ones / N - p) < 5 * se1);
	assert_int_equal(cd_geometric_inv(1, 0.999), 1);
	assert_true(cd_geometric_inv(0, 0.5) == UINT64_MAX);
	assert_true(cd_geometric_inv(1e-300, 0.5) == UINT64_MAX);
	assert_true(cd_geometric_inv(1e-12, 0.5) > 100000000000ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_uniform_chi_square),
		cmocka_unit_test(test_independence),
		cmocka_unit_test(test_poisson_inverse),
		cmocka_unit_test(test_poisson_far_tails),
		cmocka_unit_test(test_poisson_mean_coupling),
		cmocka_unit_test(test_poisson_frequencies),
		cmocka_unit_test(test_geometric_inverse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
