/* stages: see stages.h. */
#include "stages.h"

#include <math.h>
#include <stdlib.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "params/names.h"

double *st_field_at(struct cd_params *p, size_t offset)
{
	return (double *)(void *)((char *)p + offset);
}

double st_get(const struct cd_params *p, size_t offset)
{
	return *(const double *)(const void *)((const char *)p + offset);
}

const struct schema_field *st_schema_field(const char *section,
					   const char *name)
{
	const struct schema_field *sec = schema_find(&schema_root, section);
	const struct schema_field *f;

	assert_non_null(sec);
	assert_int_equal(sec->type, SCHEMA_SECTION);
	f = schema_find(sec->sub, name);
	if (f == NULL)
		fail_msg("%s.%s is not in the schema", section, name);
	return f;
}

const struct schema_table *st_collection(const char *name)
{
	const struct schema_field *f = schema_find(&schema_root, name);

	assert_non_null(f);
	assert_int_equal(f->type, SCHEMA_COLLECTION);
	return f->sub;
}

void st_set_maturities(struct cd_params *p, double g, double n, double s)
{
	p->wog.maturity = g;
	p->won.maturity = n;
	p->wos.maturity = s;
}

double st_maturity_of(const struct cd_params *p, int stage)
{
	return stage == CD_STAGE_WOG   ? p->wog.maturity
	       : stage == CD_STAGE_WON ? p->won.maturity
				       : p->wos.maturity;
}

/* A world with a segment of each kind, a body of each kind and stage, and
 * a link of each stage; element fields hold their schema defaults. */
struct cd_params *st_make_params(void)
{
	struct cd_params *p = calloc(1, sizeof(*p));
	const struct schema_table *seg = st_collection("segments");
	const struct schema_table *body = st_collection("bodies");
	const struct schema_table *link = st_collection("links");
	static const int seg_kind[] = {CD_KIND_GOVERNMENT,
				       CD_KIND_INFRASTRUCTURE,
				       CD_KIND_CORPORATION, CD_KIND_GOVERNMENT};
	static const int body_kind[] = {CD_BODY_GOVERNMENT, CD_BODY_SECTOR,
					CD_BODY_SECTOR, CD_BODY_NATIONAL,
					CD_BODY_PARTNER};
	static const int body_stage[] = {CD_STAGE_WOG, CD_STAGE_WON,
					 CD_STAGE_NONE, CD_STAGE_NONE,
					 CD_STAGE_WOS};
	static const int link_stage[] = {CD_STAGE_WOG, CD_STAGE_WON,
					 CD_STAGE_WOS, CD_STAGE_NONE};
	int i;

	assert_non_null(p);
	/* The sections' defaults, the coefficients of the mappings among
	 * them, as the loader sets them. */
	for (i = 0; i < schema_root.n_fields; i++)
		if (schema_root.fields[i].type == SCHEMA_SECTION)
			schema_defaults(
				schema_root.fields[i].sub,
				(char *)p + schema_root.fields[i].sub->base);
	p->days = 365;
	p->n_segments = N_OF(seg_kind);
	for (i = 0; i < p->n_segments; i++) {
		schema_defaults(seg, &p->segments[i]);
		p->segments[i].kind = seg_kind[i];
		p->segments[i].count = 10;
	}
	p->n_bodies = N_OF(body_kind);
	for (i = 0; i < p->n_bodies; i++) {
		schema_defaults(body, &p->bodies[i]);
		p->bodies[i].kind = body_kind[i];
		p->bodies[i].stage = body_stage[i];
	}
	p->n_links = N_OF(link_stage);
	for (i = 0; i < p->n_links; i++) {
		schema_defaults(link, &p->links[i]);
		p->links[i].from = i;
		p->links[i].to = i + 1;
		p->links[i].stage = link_stage[i];
	}
	return p;
}

void st_check_close(double got, double want, const char *what)
{
	if (!(fabs(got - want) <= 1e-12))
		fail_msg("%s: got %.17g, want %.17g", what, got, want);
}
