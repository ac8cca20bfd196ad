/* What the tests of stages share (test_stages.c, test_stages_any.c):
 * reading and writing a double setting by offset, the schema's fields,
 * the maturities, a world of every kind, and a close comparison. */
#ifndef CD_TESTS_STAGES_H
#define CD_TESTS_STAGES_H

#include <stddef.h>

#include "params/params.h"
#include "params/schema.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define OFF(field) offsetof(struct cd_params, field)

double *st_field_at(struct cd_params *p, size_t offset);
double st_get(const struct cd_params *p, size_t offset);
/* section.name in the schema; fails the test if absent. */
const struct schema_field *st_schema_field(const char *section,
					   const char *name);
/* The table of a collection ("segments", "bodies", "links"). */
const struct schema_table *st_collection(const char *name);
void st_set_maturities(struct cd_params *p, double g, double n, double s);
double st_maturity_of(const struct cd_params *p, int stage);
/* A world with a segment of each kind, a body of each kind and stage, and
 * a link of each stage; element fields hold their schema defaults
 * (calloc'd: free it). */
struct cd_params *st_make_params(void);
/* Fails unless got is within 1e-12 of want. */
void st_check_close(double got, double want, const char *what);

#endif
