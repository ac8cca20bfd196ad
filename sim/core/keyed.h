/* keyed: random numbers keyed by what they decide (common random numbers).
 *
 * Every random decision of a run is a pure function of the run's seed and
 * of the identity of what it decides (a campaign, a segment on a day, a
 * candidate intrusion, a foothold, a report, a relay), never of how many
 * draws came before: two runs that differ in one policy then share every
 * draw their difference does not reach. The generator is Threefry-2x64
 * with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1,
 * 2, 3", SC 2011), from Debian's librandom123-dev, checked against the
 * library's published known-answer vectors: a key of two 64-bit words
 * (the run seed, all 64 bits, and the purpose of the draw) and a counter
 * of two (the identity of the entity and the index of the draw). It is a
 * bijection of the counter for each key, so distinct identities never
 * share a draw, and it passes BigCrush (TestU01) in every counter
 * direction.
 *
 * Counts drawn from a rate are drawn by inversion of one keyed uniform,
 * so that two runs whose rates differ slightly draw counts that differ
 * slightly (coupling): cd_poisson_inv and cd_geometric_inv.
 */
#ifndef CD_CORE_KEYED_H
#define CD_CORE_KEYED_H

#include <stdint.h>

/* A key: the run seed and the purpose of a family of draws. */
typedef struct cd_key {
	uint64_t seed;
	uint64_t purpose;
} cd_key;

/* The key of draws of `purpose` in the run of `seed`. Cannot fail. */
static inline cd_key cd_key_of(uint64_t seed, uint64_t purpose)
{
	cd_key k = {seed, purpose};
	return k;
}

/* 64 random bits for the counter (a, b) under key k. Cannot fail. */
uint64_t cd_keyed_bits(cd_key k, uint64_t a, uint64_t b);

/* A uniform in (0, 1), never 0 nor 1: (bits / 2^12 + 1/2) / 2^52, on a
 * grid of 2^52 points. */
double cd_keyed_u01(cd_key k, uint64_t a, uint64_t b);

/* An identity of a pair of identities (a mix, for counters that name
 * several things at once: a campaign and a segment, a foothold's
 * campaign, organisation and index). Cannot fail. */
uint64_t cd_id2(uint64_t a, uint64_t b);

/* The identity of a name (FNV-1a, mixed): what names a segment, an
 * attacker or a body in keys, so that draws do not depend on the order of
 * the scenario file. Cannot fail. */
uint64_t cd_name_id(const char *name);

/* Where cd_poisson_inv stops being exact. */
#define CD_POISSON_EXACT 131072.0

/* The smallest k >= 0 with P(Poisson(lambda) <= k) >= u, u in (0, 1):
 * exact for lambda < CD_POISSON_EXACT (the tail u falls in summed, at a
 * cost of about 10 sqrt(lambda) steps; off by one only when u is within
 * a relative 1e-10 of a step of the CDF); above, the Cornish-Fisher expansion
 * of the quantile with a continuity correction, which is off by one for a
 * fraction of u of about 3e-4 at 2e5 and less above (never by more;
 * measured in tests/test_keyed.c). Monotone in u; in lambda too, but for rare
 * steps of one where the method switches. 0 for lambda <= 0 or NaN.
 * Cannot fail. */
uint64_t cd_poisson_inv(double lambda, double u);

/* As cd_poisson_inv, at a cost that does not grow with lambda: exact
 * below 64, the Cornish-Fisher expansion above, off by one for a fraction
 * of u that falls from 0.5% at 64 to 0.04% at 1e4 and 0 by 1e5. For
 * counts that are only tallied (attempts blocked or failed), not acted
 * on one by one. */
uint64_t cd_poisson_inv_fast(double lambda, double u);

/* The smallest k >= 1 with 1 - (1 - p)^k >= u: a geometric number of
 * trials to the first success, u in (0, 1). 1 for p >= 1; UINT64_MAX when
 * p <= 0 or the count would not fit (a hazard too small to matter on any
 * horizon). Cannot fail. */
uint64_t cd_geometric_inv(double p, double u);

#endif
