/* share: sharing bodies learn, distribute and relay (phase 7).
 *
 * When body b learns campaign c (a member's report, a link, or seeing it
 * abroad for a partner), its members know c latency_days later, and each
 * link from b relays c with its probability after its latency. Relays
 * from a partner are scaled by reciprocity: (1 - rho) + rho r, r being the
 * share of the distinct campaigns known at home that were relayed out to
 * that partner (with a Laplace prior of 1/2; each campaign counts once,
 * however many links or relays carried it), Segal's "two-way street";
 * every relay from a partner, to home or abroad, is also multiplied by the
 * partner's capability (model_capability: a less capable CERT relays less
 * of what it holds, and Segal's capacity building raises it). A
 * partner's own sighting abroad reaching home is a new source of the campaign's
 * indicators, once (knowledge.h); relays of what bodies already hold add none.
 * While the National Security Council is engaged, latencies are multiplied by
 * latency_factor and every relay is made (a partner's with probability its
 * capability). Events scheduled for today while
 * today's are processed (zero latency) are processed today too.
 */
#include <math.h>

#include "models/detection.h"
#include "models/phases.h"
#include "core/status.h"

static double latency(const struct cd_model *m, double days)
{
	if (crisis_active(&m->crisis, m->day))
		days *= m->p->crisis.latency_factor;
	return round(days);
}

static double relay_probability(const struct cd_model *m,
				const struct cd_link *l)
{
	/* A partner relays no more than its capability lets it, even with
	 * the NSC engaged (Japan's council raises no partner's capability). */
	double cap = model_capability(m->p, l->from);
	if (crisis_active(&m->crisis, m->day))
		return cap; /* the NSC engaged: every relay is made */
	double p = l->relay;
	if (m->p->bodies[l->from].kind == CD_BODY_PARTNER &&
	    m->p->bodies[l->to].kind != CD_BODY_PARTNER) {
		double r = ((double)bodies_sent_to(m->bodies, l->from) + 0.5) /
			   ((double)bodies_home_known(m->bodies) + 1.0);
		double rho = m->p->wos.reciprocity;
		p *= (1 - rho) + rho * fmin(1, r);
	}
	return p * cap;
}

static int is_home(const struct cd_model *m, int b)
{
	return m->p->bodies[b].kind != CD_BODY_PARTNER;
}

/* Body b relays c over its links, each decision keyed by (campaign,
 * link). */
static int relay(struct cd_model *m, const struct cd_rand *r, int b, uint32_t c,
		 uint32_t flag)
{
	uint64_t uid = campaigns_uid(m->camps, c);
	int home = is_home(m, b);
	for (int k = 0; k < m->p->n_links; k++) {
		const struct cd_link *l = &m->p->links[k];
		if (l->from != b ||
		    !(rand_u01(r, KEY_RELAY, uid, m->link_id[k]) <
		      relay_probability(m, l)))
			continue;
		m->tally.bdaily[b].relayed++;
		if (home && !is_home(m, l->to) &&
		    knowledge_sent_abroad(m->know, c, l->to))
			bodies_sent(m->bodies, l->to); /* a campaign, once */
		int rc = bodies_schedule(
			m->bodies, l->to, c,
			BODY_LINK | (flag & (BODY_PARTNER | BODY_ORIGIN_MASK)) |
				(home ? 0u : BODY_ABROAD),
			m->day + (int)latency(m, l->latency_days));
		if (rc)
			return rc;
	}
	return 0;
}

static int learn(struct cd_model *m, const struct cd_rand *r, int b, uint32_t c,
		 uint32_t flag)
{
	int home = is_home(m, b);
	if (flag & BODY_LINK) {
		m->tally.bdaily[b].received++;
		/* A partner's own sighting reaching home is a source of
		 * indicators once, however many relays bring it. */
		if (home && (flag & BODY_ABROAD) && body_origin(flag) >= 0)
			knowledge_partner_source(
				m->know, c, body_origin(flag),
				m->p->detection.indicator_yield);
	}
	uint32_t known = knowledge_body_known(m->know, c);
	if (known & (1u << b))
		return 0;
	uint32_t home_mask = 0;
	for (int k = 0; k < m->p->n_bodies; k++)
		if (is_home(m, k))
			home_mask |= 1u << k;
	if (home && !(known & home_mask))
		bodies_known_at_home(m->bodies);
	knowledge_body_learns(m->know, c, b, m->day,
			      (flag & BODY_PARTNER) != 0);
	m->tally.bdaily[b].learned++;
	int rc = bodies_schedule(
		m->bodies, b, c, BODY_MEMBERS | (flag & BODY_PARTNER),
		m->day + (int)latency(m, m->p->bodies[b].latency_days));
	return rc ? rc : relay(m, r, b, c, flag);
}

/* Body b's members learn c: organisations that know it only now hunt its
 * footholds, whose detection may need a new bound. */
static int members_learn(struct cd_model *m, const struct cd_rand *r, int b,
			 uint32_t c)
{
	uint32_t bit = 1u << b;
	struct cd_know_ctx x = model_know(m);
	uint32_t before = knowledge_reach(m->know, &x, c, b);
	if (before & bit)
		return 0;
	m->tally.bdaily[b].distributed++;
	return detection_recheck_reached(m, r, c, bit, before);
}

int phase_share(struct cd_model *m, const struct cd_rand *r)
{
	for (uint32_t i = 0; i < bodies_n_events(m->bodies, m->day); i++) {
		CD_POLL_STOP(i);
		struct cal_event ev = bodies_event(m->bodies, m->day, i);
		m->tally.events++;
		int rc = ev.flag & BODY_MEMBERS
				 ? members_learn(m, r, (int)ev.a, ev.b)
				 : learn(m, r, (int)ev.a, ev.b, ev.flag);
		if (rc)
			return rc;
	}
	return 0;
}
