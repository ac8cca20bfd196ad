#include "core/vec.h"

#include <stdlib.h>

#include "core/status.h"

int vec_push_u32(uint32_t **arr, uint32_t *n, uint32_t *cap, uint32_t v)
{
	if (*n == *cap) {
		uint32_t nc = *cap ? 2 * *cap : 16;
		uint32_t *na = realloc(*arr, nc * sizeof *na);
		if (!na)
			return CD_ENOMEM;
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*n)++] = v;
	return 0;
}
