/* campaign: campaigns start and retire (phase 2).
 *
 * Each attacker starts campaigns as a Poisson process, state attackers'
 * rate cut by alliance deterrence: its cumulative intensity grows by the
 * day's rate, and its k-th campaign starts on the day the intensity
 * passes the k-th arrival of a unit-rate process (the sum of k keyed
 * exponential gaps), so a small change of rate moves each campaign's
 * start a little (campaigns.h). A campaign's lifetime is geometric with
 * mean campaign_days, keyed by the campaign. Attackers see their attempts
 * bounce (DESIGN.md 1.2): each day a campaign is retired (retooled) with
 * a probability that rises with the share b of its attempts that are
 * blocked (coverage x block_efficacy x completeness), a logistic in b
 * with its midpoint at retire_blocked and a width of retire_spread,
 * rescaled to 0 at b = 0: h(b) = (L(b) - L(0)) / (1 - L(0)), L(x) = 1 /
 * (1 + exp(-(x - retire_blocked) / retire_spread)). Why this form: an
 * attacker retools when the yield it observes falls below what a fresh
 * campaign would bring, and observed yields and attackers' thresholds
 * vary, so the decision is a smooth function of b rather than a cliff at
 * one share; the logistic is the usual form of a noisy threshold, and a
 * spread of 0 gives back the cliff. The draw is keyed by (campaign, day).
 * Foreign partners may see a new campaign
 * abroad: each with probability sees_abroad x capability x
 * partner_inflow (capability as capacity building raised it:
 * model_capability), after a geometric delay of mean abroad_days, keyed
 * by (campaign, partner); capability changes whether, not when.
 */
#include <limits.h>
#include <math.h>

#include "core/status.h"
#include "models/phases.h"

/* The daily probability of retiring a campaign whose attempts are
 * blocked in share b (the head comment). */
static double retire_hazard(double b, double mid, double spread)
{
	if (!(spread > 0))
		return b >= mid ? 1 : 0;
	double l0 = 1 / (1 + exp(mid / spread));
	double lb = 1 / (1 + exp(-(b - mid) / spread));
	return fmax(0, (lb - l0) / (1 - l0));
}

struct retiring {
	const struct cd_model *m;
	const struct cd_rand *r;
};

static int retire(void *ctx, uint32_t c)
{
	const struct retiring *x = ctx;
	const struct cd_model *m = x->m;
	if (m->day >= campaigns_expire_day(m->camps, c))
		return 1;
	double blocked = knowledge_coverage(m->know, c) *
			 m->p->detection.block_efficacy *
			 knowledge_completeness(m->know, c);
	if (!(blocked > 0))
		return 0;
	const struct cd_attacker *att =
		&m->p->attackers[campaigns_attacker(m->camps, c)];
	double h =
		retire_hazard(blocked, att->retire_blocked, att->retire_spread);
	return rand_u01(x->r, KEY_RETIRE, campaigns_uid(m->camps, c),
			(uint64_t)m->day) < h;
}

/* Partners that see campaign c abroad learn it after a delay. */
static int seen_abroad(struct cd_model *m, const struct cd_rand *r, uint32_t c)
{
	uint64_t uid = campaigns_uid(m->camps, c);
	for (int b = 0; b < m->p->n_bodies; b++) {
		const struct cd_body *body = &m->p->bodies[b];
		if (body->kind != CD_BODY_PARTNER)
			continue;
		double p = body->sees_abroad * model_capability(m->p, b) *
			   m->p->wos.partner_inflow;
		if (!(rand_u01(r, KEY_SIGHTING, uid, m->body_id[b]) < p))
			continue;
		uint64_t k = cd_geometric_inv(
			1 / body->abroad_days,
			rand_u01(r, KEY_SIGHTING_DELAY, uid, m->body_id[b]));
		if (k >= (uint64_t)m->horizon)
			continue; /* beyond any horizon */
		int rc = bodies_schedule(m->bodies, b, c,
					 BODY_PARTNER | body_origin_flag(b),
					 m->day + (int)k);
		if (rc)
			return rc;
	}
	return 0;
}

/* Attacker a's k-th campaign starts today. */
static int start(struct cd_model *m, const struct cd_rand *r, int a, uint64_t k)
{
	uint64_t uid = cd_id2(m->attacker_id[a], k);
	uint64_t life = cd_geometric_inv(1 / m->p->attackers[a].campaign_days,
					 rand_u01(r, KEY_LIFETIME, uid, 0));
	int expire = life > (uint64_t)(INT_MAX - m->day) ? INT_MAX
							 : m->day + (int)life;
	uint32_t c;
	int rc = campaigns_start(m->camps, a, uid, m->day, expire, &c);
	if (!rc)
		rc = knowledge_add(m->know, c, m->p->detection.indicator_yield);
	return rc ? rc : seen_abroad(m, r, c);
}

int phase_campaigns(struct cd_model *m, const struct cd_rand *r)
{
	struct retiring x = {m, r};
	campaigns_retire(m->camps, m->day, retire, &x);
	for (int a = 0; a < m->p->n_attackers; a++) {
		const struct cd_attacker *att = &m->p->attackers[a];
		double rate = att->campaigns_per_year / 365.0;
		if (att->type == CD_ATTACKER_STATE)
			rate *= 1 - m->p->wos.deterrence;
		campaigns_add_intensity(m->camps, a, rate);
		for (;;) {
			uint64_t k = campaigns_arrivals(m->camps, a);
			double gap = -log(
				rand_u01(r, KEY_ARRIVAL, m->attacker_id[a], k));
			if (!campaigns_due(m->camps, a, gap))
				break;
			int rc = start(m, r, a, k);
			if (rc)
				return rc;
			campaigns_arrived(m->camps, a);
		}
	}
	return 0;
}
