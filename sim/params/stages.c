#include "params/stages.h"

#include <math.h>
#include <stddef.h>

#include "params/hygiene.h"
#include "params/names.h"
#include "params/schema.h"

/* sec and fld name members (wog, relay): they cannot be parenthesised. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define OFF(field) offsetof(struct cd_params, field)
#define MAP(stage, sec, fld, form)                                            \
	{                                                                     \
		stage, form, #fld, #fld "_base", #fld "_slope",               \
			OFF(sec.maturity), OFF(sec.fld), OFF(sec.fld##_base), \
			OFF(sec.fld##_slope)                                  \
	}
/* NOLINTEND(bugprone-macro-parentheses) */

const struct stage_map stage_maps[STAGE_N_MAPS] = {
	MAP(CD_STAGE_WOG, wog, relay, STAGE_LINEAR),
	MAP(CD_STAGE_WOG, wog, lateral_relay, STAGE_LINEAR),
	MAP(CD_STAGE_WOG, wog, latency_days, STAGE_LATENCY),
	MAP(CD_STAGE_WOG, wog, national_monitoring, STAGE_LINEAR),
	MAP(CD_STAGE_WOG, wog, gov_share_rate, STAGE_LINEAR),
	MAP(CD_STAGE_WON, won, share_rate, STAGE_LINEAR),
	MAP(CD_STAGE_WON, won, framework, STAGE_LINEAR),
	MAP(CD_STAGE_WON, won, isac_coverage, STAGE_LINEAR),
	MAP(CD_STAGE_WON, won, relay, STAGE_LINEAR),
	MAP(CD_STAGE_WON, won, latency_days, STAGE_LATENCY),
	MAP(CD_STAGE_WON, won, hygiene_uplift, STAGE_LINEAR),
	MAP(CD_STAGE_WOS, wos, partner_inflow, STAGE_LINEAR),
	MAP(CD_STAGE_WOS, wos, relay, STAGE_LINEAR),
	MAP(CD_STAGE_WOS, wos, latency_days, STAGE_LATENCY),
	MAP(CD_STAGE_WOS, wos, reciprocity, STAGE_LINEAR),
	MAP(CD_STAGE_WOS, wos, deterrence, STAGE_LINEAR),
};

static double get(const struct cd_params *p, size_t offset)
{
	return *(const double *)(const void *)((const char *)p + offset);
}

static double *at(struct cd_params *p, size_t offset)
{
	return (double *)(void *)((char *)p + offset);
}

double stages_value(const struct cd_params *p, const struct stage_map *m,
		    double maturity)
{
	double base = get(p, m->base), slope = get(p, m->slope);
	if (m->form == STAGE_LATENCY)
		return round(base + slope * (1 - maturity));
	return base + slope * maturity;
}

const struct schema_field *stages_field(const struct stage_map *m,
					const char *name)
{
	const struct schema_field *sec =
		schema_find(&schema_root, cd_stage_names[m->stage]);
	if (!sec || sec->type != SCHEMA_SECTION)
		return NULL;
	return schema_find(sec->sub, name);
}

const struct stage_map *stages_check(const struct cd_params *p, double *at_,
				     double *value)
{
	for (int k = 0; k < STAGE_N_MAPS; k++) {
		const struct stage_map *m = &stage_maps[k];
		const struct schema_field *f = stages_field(m, m->name);
		for (int end = 0; f && end <= 1; end++) {
			double v = stages_value(p, m, end);
			if (!(v >= f->min && v <= f->max)) {
				*at_ = end;
				*value = v;
				return m;
			}
		}
	}
	return NULL;
}

static int is_set(const struct cd_params *p, const unsigned char *set,
		  const void *field)
{
	return set && set[(const char *)field - (const char *)p];
}

/* Assigns v to *field unless the field was set explicitly. */
static void derive(const struct cd_params *p, const unsigned char *set,
		   double *field, double v)
{
	if (!is_set(p, set, field))
		*field = v;
}

void stages_derive(struct cd_params *p, const unsigned char *set)
{
	for (int k = 0; k < STAGE_N_MAPS; k++) {
		const struct stage_map *m = &stage_maps[k];
		derive(p, set, at(p, m->derived),
		       stages_value(p, m, get(p, m->maturity)));
	}

	const double relay[] = {0, p->wog.relay, p->won.relay, p->wos.relay};
	const double latency[] = {0, p->wog.latency_days, p->won.latency_days,
				  p->wos.latency_days};
	for (int k = 0; k < p->n_links; k++) {
		struct cd_link *l = &p->links[k];
		if (l->stage == CD_STAGE_NONE)
			continue;
		derive(p, set, &l->relay,
		       l->lateral && l->stage == CD_STAGE_WOG
			       ? p->wog.lateral_relay
			       : relay[l->stage]);
		derive(p, set, &l->latency_days, latency[l->stage]);
	}
	for (int b = 0; b < p->n_bodies; b++) {
		struct cd_body *body = &p->bodies[b];
		if (body->stage != CD_STAGE_NONE)
			derive(p, set, &body->latency_days,
			       latency[body->stage]);
		if (body->kind == CD_BODY_SECTOR)
			derive(p, set, &body->coverage_scale,
			       p->won.isac_coverage);
	}
	for (int i = 0; i < p->n_segments; i++) {
		struct cd_segment *s = &p->segments[i];
		derive(p, set, &s->share_rate,
		       s->kind == CD_KIND_GOVERNMENT ? p->wog.gov_share_rate
						     : p->won.share_rate);
		derive(p, set, &s->framework,
		       s->kind == CD_KIND_CORPORATION ? p->won.framework : 1);
	}
	hygiene_derive(p, set);
}
