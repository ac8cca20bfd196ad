/* rng: the random streams of one run.
 *
 * No global generator and never gsl_rng_env_setup: each run owns its
 * streams. A run's seed is the --seed of `cyberdef run`, or, in a sweep,
 * rng_derive(master, point, replicate); stream k of a run is seeded with
 * rng_derive(run_seed, k, 0), so a new draw in one model does not shift
 * another model's sequence. Organisation attributes come from a
 * counter-based generator keyed by (run seed, organisation, attribute): a
 * pure function, so quiet organisations cost nothing and are never stored.
 */
#ifndef CD_RNG_H
#define CD_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

enum rng_stream {
	RNG_CAMPAIGN,  /* campaign starts and lifetimes: identical in two
			  scenarios with the same seed and attacker rates
			  (common random numbers for comparisons) */
	RNG_ATTACK,    /* attempts, targets */
	RNG_DEFENSE,   /* detection and containment */
	RNG_SHARING,   /* sharing decisions and relays */
	RNG_WORKFORCE, /* workforce flows */
	RNG_STREAMS
};

/* splitmix64's output function: a bijective mix of 64 bits. */
uint64_t rng_mix(uint64_t x);

/* Seed derived from three keys; never 0. Cannot fail. */
uint64_t rng_derive(uint64_t a, uint64_t b, uint64_t c);

/* A GSL generator type for splitmix64 (passes BigCrush), cheap to reseed:
 * used as the counter-based generator for organisation attributes. */
extern const gsl_rng_type *rng_splitmix64;

/* Poisson variate with mean mu >= 0 (0 for mu <= 0 or NaN). Below 10 by
 * inversion; from 10 on by Hormann's transformed rejection with squeeze
 * (PTRS; W. Hormann, "The transformed rejection method for generating
 * Poisson random variables", Insurance: Mathematics and Economics 12,
 * 1993), which costs about two uniforms whatever mu, where GSL's
 * gsl_ran_poisson slows with mu and stops at 2^32. Cannot fail. */
uint64_t rng_poisson(gsl_rng *r, double mu);

/* Uniform in [0,1) from a key, without a generator. Cannot fail. */
double rng_key_uniform(uint64_t key);

#endif
