#include "params/stages.h"

#include <math.h>
#include <stddef.h>

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
	double g = p->wog.maturity, n = p->won.maturity, s = p->wos.maturity;

	derive(p, set, &p->wog.relay, 0.3 + 0.7 * g);
	derive(p, set, &p->wog.latency_days, round(1 + 13 * (1 - g)));
	derive(p, set, &p->wog.national_monitoring, 0.002 + 0.018 * g);
	derive(p, set, &p->wog.gov_share_rate, 0.4 + 0.55 * g);

	derive(p, set, &p->won.share_rate, 0.05 + 0.85 * n);
	derive(p, set, &p->won.isac_coverage, 0.2 + 0.8 * n);
	derive(p, set, &p->won.relay, 0.2 + 0.75 * n);
	derive(p, set, &p->won.latency_days, round(1 + 9 * (1 - n)));
	derive(p, set, &p->won.hygiene_uplift, 0.3 * n);

	derive(p, set, &p->wos.partner_inflow, 0.1 + 0.9 * s);
	derive(p, set, &p->wos.relay, 0.2 + 0.7 * s);
	derive(p, set, &p->wos.latency_days, round(1 + 6 * (1 - s)));
	derive(p, set, &p->wos.reciprocity, 0.8 - 0.6 * s);
	derive(p, set, &p->wos.deterrence, 0.5 * s);

	const double relay[] = {0, p->wog.relay, p->won.relay, p->wos.relay};
	const double latency[] = {0, p->wog.latency_days, p->won.latency_days,
				  p->wos.latency_days};
	for (int k = 0; k < p->n_links; k++) {
		struct cd_link *l = &p->links[k];
		if (l->stage == CD_STAGE_NONE)
			continue;
		derive(p, set, &l->relay, relay[l->stage]);
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
	for (int i = 0; i < p->n_segments; i++)
		derive(p, set, &p->segments[i].share_rate,
		       p->segments[i].kind == CD_KIND_GOVERNMENT
			       ? p->wog.gov_share_rate
			       : p->won.share_rate);
}
