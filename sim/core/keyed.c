/* keyed: see keyed.h. */
#include "core/keyed.h"

#include <Random123/threefry.h>
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "core/rng.h"

uint64_t cd_keyed_bits(cd_key k, uint64_t a, uint64_t b)
{
	threefry2x64_ctr_t ctr = {{a, b}};
	threefry2x64_key_t key = {{k.seed, k.purpose}};
	return threefry2x64(ctr, key).v[0];
}

double cd_keyed_u01(cd_key k, uint64_t a, uint64_t b)
{
	/* (j + 1/2) / 2^52 for j < 2^52: exact, so never 0 nor 1. */
	return ((double)(cd_keyed_bits(k, a, b) >> 12) + 0.5) * 0x1.0p-52;
}

uint64_t cd_id2(uint64_t a, uint64_t b)
{
	return rng_mix(rng_mix(a) ^ (b + 0x632be59bd9b4e019ULL));
}

uint64_t cd_name_id(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, 64 bits */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return rng_mix(h);
}

/* P(X = k), from logarithms: its relative error is about 1e-16 times
 * the magnitude of the terms, 1e-10 at k near 1e6. */
static double poisson_pmf(double lambda, double k)
{
	return exp(k * log(lambda) - lambda - lgamma(k + 1));
}

/* Exact inversion, walking the tail u lies in, so that the relative error
 * of the probabilities (poisson_pmf) stays relative to that tail: for u <=
 * 1/2 the CDF summed upward from a k below which the probability is
 * negligible (P(X < lambda - 9 sqrt(lambda)) < 2^-60, far below the
 * smallest u); above, the upper tail P(X > k) summed downward from k =
 * lambda + 12 sqrt(lambda) + 20, beyond which it is below 1e-20, against 1
 * - u (exact for u >= 1/2). Either way a count is off by one only when u
 * falls within about 1e-10 of a step of the CDF. */
static uint64_t poisson_sum(double lambda, double u)
{
	if (u <= 0.5) {
		double lo = floor(lambda - 9 * sqrt(lambda));
		uint64_t k = lo > 0 ? (uint64_t)lo : 0;
		double p = poisson_pmf(lambda, (double)k), f = p;
		while (f < u) { /* ends by the median, far below 2^53 */
			k++;
			p *= lambda / (double)k;
			f += p;
		}
		return k;
	}
	double v = 1 - u, hi = ceil(lambda + 12 * sqrt(lambda) + 20);
	uint64_t k = (uint64_t)hi;
	double p = poisson_pmf(lambda, hi), q = 0; /* q = P(X > k) */
	while (k > 0 && q + p <= v) {
		q += p;
		p *= (double)k / lambda;
		k--;
	}
	return k;
}

/* The Cornish-Fisher expansion of the quantile of Poisson(lambda), whose
 * standardised cumulants are g1 = lambda^-1/2 and g2 = 1/lambda, to third
 * order: w = z + (z^2 - 1) g1/6 + (z^3 - 3z) g2/24 - (2z^3 - 5z) g1^2/36,
 * x = lambda + sqrt(lambda) w, and the continuity correction k =
 * ceil(x - 1/2). */
static uint64_t poisson_cornish_fisher(double lambda, double u)
{
	double z = gsl_cdf_ugaussian_Pinv(u);
	double g1 = 1 / sqrt(lambda), g2 = 1 / lambda;
	double z2 = z * z, z3 = z2 * z;
	double z4 = z2 * z2, g3 = g1 * g2;
	double w = z + (z2 - 1) * g1 / 6 + (z3 - 3 * z) * g2 / 24 -
		   (2 * z3 - 5 * z) * g1 * g1 / 36 +
		   (z4 - 6 * z2 + 3) * g3 / 120 -
		   (z4 - 5 * z2 + 2) * g1 * g2 / 24 +
		   (12 * z4 - 53 * z2 + 17) * g1 * g1 * g1 / 324;
	double k = ceil(lambda + sqrt(lambda) * w - 0.5);
	if (!(k > 0))
		return 0;
	return k >= 0x1p63 ? (uint64_t)1 << 63 : (uint64_t)k;
}

uint64_t cd_poisson_inv(double lambda, double u)
{
	if (!(lambda > 0))
		return 0;
	return lambda < CD_POISSON_EXACT ? poisson_sum(lambda, u)
					 : poisson_cornish_fisher(lambda, u);
}

uint64_t cd_poisson_inv_fast(double lambda, double u)
{
	if (!(lambda > 0))
		return 0;
	return lambda < 64 ? poisson_sum(lambda, u)
			   : poisson_cornish_fisher(lambda, u);
}

uint64_t cd_geometric_inv(double p, double u)
{
	if (p >= 1)
		return 1;
	if (!(p > 0))
		return UINT64_MAX;
	/* P(K > k) = (1 - p)^k, so K = ceil(log(1 - u) / log(1 - p)). */
	double k = ceil(log1p(-u) / log1p(-p));
	if (!(k >= 1))
		return 1;
	return k >= 0x1p63 ? UINT64_MAX : (uint64_t)k;
}
