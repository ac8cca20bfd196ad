/* hashmap: open-addressing map from 32-bit keys to 32-bit values.
 *
 * Holds the sparse per-organisation state of a run (open footholds and
 * what an organisation learned itself), so memory follows events, not
 * organisations. Linear probing, power-of-two capacity, no deletion
 * (entries are overwritten in place instead). A key and its value share
 * a slot, so a lookup touches one place in memory.
 */
#ifndef CD_HASHMAP_H
#define CD_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct hashmap_slot {
	uint32_t key; /* key + 1; 0 marks an empty slot */
	uint32_t val;
};

struct hashmap {
	struct hashmap_slot *slot;
	size_t cap, n;
};

/* Keys are below this (an organisation's index always is). */
#define HASHMAP_KEY_MAX UINT32_MAX

/* Initialises an empty map. Cannot fail (allocates on first insert). */
void hashmap_init(struct hashmap *m);
/* Frees the map's memory. Accepts a zeroed map. */
void hashmap_free(struct hashmap *m);
/* Returns a pointer to key's value, or NULL if absent. */
uint32_t *hashmap_get(const struct hashmap *m, uint32_t key);
/* Sets key (< HASHMAP_KEY_MAX) to val. Returns 0 or CD_ENOMEM (map
 * unchanged). */
int hashmap_put(struct hashmap *m, uint32_t key, uint32_t val);

#endif
