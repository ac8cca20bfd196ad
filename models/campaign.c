/* campaign: campaigns start and retire (phase 2).
 *
 * Each attacker starts campaigns as a Poisson process, state attackers'
 * rate cut by alliance deterrence; a campaign's lifetime is geometric with
 * mean campaign_days. Attackers see their attempts bounce: they retire a
 * campaign (retool) once the share of its attempts that are blocked
 * (coverage x block_efficacy x completeness) reaches retire_blocked
 * (DESIGN.md 1.2). Foreign partners may see a new campaign abroad: each
 * with probability sees_abroad x partner_inflow, after a geometric delay
 * of mean abroad_days.
 */
#include <gsl/gsl_randist.h>

#include "models/phases.h"
#include "core/rng.h"
#include "core/status.h"

static int retire(void *ctx, uint32_t c)
{
	const struct cd_model *m = ctx;
	double blocked = knowledge_coverage(m->know, c) *
			 m->p->detection.block_efficacy *
			 knowledge_completeness(m->know, c);
	int a = campaigns_attacker(m->camps, c);
	return m->day >= campaigns_expire_day(m->camps, c) ||
	       blocked >= m->p->attackers[a].retire_blocked;
}

/* Partners that see campaign c abroad learn it after a delay. */
static int seen_abroad(struct cd_model *m, uint32_t c, gsl_rng *r)
{
	for (int b = 0; b < m->p->n_bodies; b++) {
		const struct cd_body *body = &m->p->bodies[b];
		if (body->kind != CD_BODY_PARTNER)
			continue;
		double p = body->sees_abroad * m->p->wos.partner_inflow;
		if (!(gsl_rng_uniform(r) < p))
			continue;
		unsigned int k = gsl_ran_geometric(r, 1 / body->abroad_days);
		int rc = bodies_schedule(m->bodies, b, c, BODY_PARTNER,
					 m->day + (int)k);
		if (rc)
			return rc;
	}
	return 0;
}

static int start(struct cd_model *m, int a, gsl_rng *campaign, gsl_rng *sharing)
{
	int expire = m->day +
		     (int)gsl_ran_geometric(
			     campaign, 1 / m->p->attackers[a].campaign_days);
	uint32_t c;
	int rc = campaigns_start(m->camps, a, m->day, expire, &c);
	if (!rc)
		rc = knowledge_add(m->know, c, m->p->detection.indicator_yield);
	return rc ? rc : seen_abroad(m, c, sharing);
}

int phase_campaigns(struct cd_model *m, gsl_rng *campaign, gsl_rng *sharing)
{
	campaigns_retire(m->camps, m->day, retire, m);
	for (int a = 0; a < m->p->n_attackers; a++) {
		const struct cd_attacker *att = &m->p->attackers[a];
		double rate = att->campaigns_per_year / 365.0;
		if (att->type == CD_ATTACKER_STATE)
			rate *= 1 - m->p->wos.deterrence;
		uint64_t n = rng_poisson(campaign, rate);
		for (uint64_t k = 0; k < n; k++) {
			int rc = start(m, a, campaign, sharing);
			if (rc)
				return rc;
		}
	}
	return 0;
}
