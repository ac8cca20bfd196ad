#include "core/hashmap.h"

#include <stdlib.h>

#include "core/rng.h"
#include "core/status.h"

void hashmap_init(struct hashmap *m)
{
	*m = (struct hashmap){0};
}

void hashmap_free(struct hashmap *m)
{
	free(m->slot);
	*m = (struct hashmap){0};
}

/* The slot of k1 (a key + 1), or the empty one where it would go. */
static size_t find(const struct hashmap *m, uint32_t k1)
{
	size_t i = (size_t)rng_mix(k1) & (m->cap - 1);
	while (m->slot[i].key && m->slot[i].key != k1)
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t *hashmap_get(const struct hashmap *m, uint32_t key)
{
	if (!m->cap)
		return NULL;
	size_t i = find(m, key + 1);
	return m->slot[i].key ? &m->slot[i].val : NULL;
}

static int grow(struct hashmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct hashmap g = {calloc(cap, sizeof *g.slot), cap, m->n};
	if (!g.slot)
		return CD_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key)
			g.slot[find(&g, m->slot[i].key)] = m->slot[i];
	free(m->slot);
	*m = g;
	return 0;
}

int hashmap_put(struct hashmap *m, uint32_t key, uint32_t val)
{
	if ((m->n + 1) * 4 > m->cap * 3) {
		int rc = grow(m);
		if (rc)
			return rc;
	}
	size_t i = find(m, key + 1);
	if (!m->slot[i].key) {
		m->slot[i].key = key + 1;
		m->n++;
	}
	m->slot[i].val = val;
	return 0;
}
