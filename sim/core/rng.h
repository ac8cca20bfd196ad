/* rng: seeds, and the generator of organisation attributes.
 *
 * No global generator and never gsl_rng_env_setup. A run's seed is the
 * --seed of `cyberdef run`, or, in a study, cd_study_seed (analysis/run.h):
 * rng_derive(master, 0, replicate), the same at every point of a sweep,
 * or rng_derive(master, point, replicate) with --independent. Every
 * random decision of a run is then a keyed draw (core/keyed.h): a
 * function of the run seed and the identity of what it decides, never of
 * how many draws came before. Organisation attributes come from splitmix64
 * reseeded by (run seed, segment name, place, attribute): a pure function,
 * so quiet organisations cost nothing and are never stored.
 */
#ifndef CD_RNG_H
#define CD_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* splitmix64's output function: a bijective mix of 64 bits. Inline: it
 * is the inner step of hash maps and of memberships drawn on demand. */
static inline uint64_t rng_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Seed derived from three keys; never 0. Cannot fail. */
uint64_t rng_derive(uint64_t a, uint64_t b, uint64_t c);

/* A GSL generator type for splitmix64 (passes BigCrush), cheap to reseed:
 * used as the counter-based generator for organisation attributes. */
extern const gsl_rng_type *rng_splitmix64;

/* Uniform in [0,1) from a key, without a generator: the 53 high bits of
 * rng_mix(key) times 2^-53. Cannot fail. */
static inline double rng_key_uniform(uint64_t key)
{
	return (double)(rng_mix(key) >> 11) * 0x1.0p-53;
}

#endif
