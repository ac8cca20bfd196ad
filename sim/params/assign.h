/* assign: writing a validated setting into the parameters.
 *
 * `overrides`, --set and timeline events all change settings the same
 * way: an assignment (struct cd_assign, params.h) made and checked by the
 * scenario loader is written at its byte offset of struct cd_params, and
 * the field is marked as set explicitly, so that the stage mappings
 * (stages.h) leave it alone.
 */
#ifndef CD_ASSIGN_H
#define CD_ASSIGN_H

#include "params/params.h"

/* Writes assignment a into p and marks it explicit in set (may be NULL);
 * a segment's hygiene_mean or hygiene_proper unmarks the other, which it
 * displaces (hygiene.h). Cannot fail (a was validated when it was made). */
void params_apply(struct cd_params *p, unsigned char *set,
		  const struct cd_assign *a);

#endif
