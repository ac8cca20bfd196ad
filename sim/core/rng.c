#include "core/rng.h"

#include <math.h>

uint64_t rng_derive(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t h = rng_mix(rng_mix(rng_mix(a) ^ b) ^ c);
	return h ? h : 0x9e3779b97f4a7c15ULL;
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
