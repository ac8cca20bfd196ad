#include "params/assign.h"

#include <stdio.h>

#include "params/hygiene.h"

void params_apply(struct cd_params *p, unsigned char *set,
		  const struct cd_assign *a)
{
	char *dst = (char *)p + a->offset;
	switch (a->value.type) {
	case CD_VAL_INT:
		*(int *)(void *)dst = (int)a->value.i;
		break;
	case CD_VAL_I64:
		*(int64_t *)(void *)dst = a->value.i;
		break;
	case CD_VAL_REAL:
		*(double *)(void *)dst = a->value.r;
		break;
	case CD_VAL_STR:
		snprintf(dst, a->size, "%s", a->value.s);
		break;
	default:
		break;
	}
	if (set) {
		set[a->offset] = 1;
		/* A segment's hygiene_mean and hygiene_proper: the later wins.
		 */
		size_t other = hygiene_displaced(a->offset);
		if (other)
			set[other] = 0;
	}
}
