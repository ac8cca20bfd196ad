#include "core/bitset.h"

#include <stdlib.h>
#include <string.h>

#include "core/status.h"

void bitset_init(struct bitset *s)
{
	*s = (struct bitset){0};
}

void bitset_free(struct bitset *s)
{
	free(s->w);
	*s = (struct bitset){0};
}

int bitset_add(struct bitset *s, uint32_t i)
{
	size_t k = i >> 6;
	if (k >= s->n_w) {
		size_t n = 2 * s->n_w > k + 1 ? 2 * s->n_w : k + 1;
		uint64_t *w = realloc(s->w, n * sizeof *w);
		if (!w)
			return CD_ENOMEM;
		memset(w + s->n_w, 0, (n - s->n_w) * sizeof *w);
		s->w = w;
		s->n_w = n;
	}
	uint64_t bit = 1ull << (i & 63);
	s->n += !(s->w[k] & bit);
	s->w[k] |= bit;
	return 0;
}
