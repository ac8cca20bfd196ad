#include "core/rng.h"

#include <math.h>

uint64_t rng_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t rng_derive(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t h = rng_mix(rng_mix(rng_mix(a) ^ b) ^ c);
	return h ? h : 0x9e3779b97f4a7c15ULL;
}

uint64_t rng_poisson(gsl_rng *r, double mu)
{
	if (!(mu > 0))
		return 0;
	if (mu < 10) {
		/* Inversion: walk the CDF from 0. */
		double p = exp(-mu), u = gsl_rng_uniform(r);
		uint64_t k = 0;
		while (u > p && k < 1000) {
			u -= p;
			k++;
			p *= mu / (double)k;
		}
		return k;
	}
	double slam = sqrt(mu), loglam = log(mu);
	double b = 0.931 + 2.53 * slam;
	double a = -0.059 + 0.02483 * b;
	double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
	double vr = 0.9277 - 3.6224 / (b - 2);
	for (;;) {
		double u = gsl_rng_uniform(r) - 0.5;
		double v = gsl_rng_uniform(r);
		double us = 0.5 - fabs(u);
		double k = floor((2 * a / us + b) * u + mu + 0.43);
		if (us >= 0.07 && v <= vr)
			return (uint64_t)
				k; /* the squeeze: most draws end here */
		if (k < 0 || (us < 0.013 && v > us))
			continue;
		if (log(v) + log(inv_alpha) - log(a / (us * us) + b) <=
		    -mu + k * loglam - lgamma(k + 1))
			return (uint64_t)k;
	}
}

double rng_key_uniform(uint64_t key)
{
	return (double)(rng_mix(key) >> 11) * 0x1.0p-53;
}

struct splitmix_state {
	uint64_t s;
};

static void splitmix_set(void *vstate, unsigned long seed)
{
	((struct splitmix_state *)vstate)->s = (uint64_t)seed;
}

static uint64_t splitmix_next(void *vstate)
{
	struct splitmix_state *st = vstate;
	uint64_t z = (st->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long splitmix_get(void *vstate)
{
	return (unsigned long)(splitmix_next(vstate) >> 32);
}

static double splitmix_get_double(void *vstate)
{
	return (double)(splitmix_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type splitmix_type = {"splitmix64",
					   0xffffffffUL,
					   0,
					   sizeof(struct splitmix_state),
					   splitmix_set,
					   splitmix_get,
					   splitmix_get_double};

const gsl_rng_type *rng_splitmix64 = &splitmix_type;
