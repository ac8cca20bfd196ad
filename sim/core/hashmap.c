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
	free(m->keys);
	free(m->vals);
	*m = (struct hashmap){0};
}

static size_t slot(const struct hashmap *m, uint64_t k1)
{
	size_t i = (size_t)rng_mix(k1) & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != k1)
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t *hashmap_get(const struct hashmap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t i = slot(m, key + 1);
	return m->keys[i] ? &m->vals[i] : NULL;
}

static int grow(struct hashmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct hashmap g = {calloc(cap, sizeof(uint64_t)),
			    malloc(cap * sizeof(uint32_t)), cap, m->n};
	if (!g.keys || !g.vals) {
		free(g.keys);
		free(g.vals);
		return CD_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = slot(&g, m->keys[i]);
			g.keys[j] = m->keys[i];
			g.vals[j] = m->vals[i];
		}
	}
	free(m->keys);
	free(m->vals);
	/* Field by field: after `*m = g`, clang-analyzer 14 takes m->vals for
	 * the freed array (a false use-after-free in hashmap_put). */
	m->keys = g.keys;
	m->vals = g.vals;
	m->cap = g.cap;
	return 0;
}

int hashmap_put(struct hashmap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 4 > m->cap * 3) {
		int rc = grow(m);
		if (rc)
			return rc;
	}
	size_t i = slot(m, key + 1);
	if (!m->keys[i]) {
		m->keys[i] = key + 1;
		m->n++;
	}
	m->vals[i] = val;
	return 0;
}
