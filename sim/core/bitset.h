/* bitset: a growing set of small integers, one bit each.
 *
 * For the sparse per-organisation state of a run: "has organisation i ever
 * been compromised", "has it learned any campaign itself". A test is one
 * load, where a hash map lookup would probe; the set grows to its largest
 * member, so memory is an eighth of a byte per organisation at most.
 */
#ifndef CD_BITSET_H
#define CD_BITSET_H

#include <stddef.h>
#include <stdint.h>

struct bitset {
	uint64_t *w; /* words, zero past the last member */
	size_t n_w;  /* words allocated */
	uint64_t n;  /* members */
};

/* Initialises an empty set. Cannot fail (allocates on first insert). */
void bitset_init(struct bitset *s);
/* Frees its memory. Accepts a zeroed set. */
void bitset_free(struct bitset *s);
/* Adds i. Returns 0 or CD_ENOMEM (set unchanged). */
int bitset_add(struct bitset *s, uint32_t i);

/* Is i a member? Cannot fail. */
static inline int bitset_has(const struct bitset *s, uint32_t i)
{
	size_t k = i >> 6;
	return k < s->n_w && (s->w[k] >> (i & 63) & 1);
}

#endif
