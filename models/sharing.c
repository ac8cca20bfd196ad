/* sharing: sharing bodies, links and what organisations know.
 *
 * Organisation i is a member of body b (reports to it) when u(i,b) <
 * coverage, and b's distributions reach it when u(i,b) < coverage * reach,
 * with u a counter-based uniform of (run seed, i, b): two bit masks per
 * organisation. "Does i know campaign c" is then one AND of i's reach mask
 * with the bodies whose members know c, plus the few organisations that
 * detected c themselves. Counting who knows c in a segment uses a table of
 * how many of its organisations have each combination of the segment's
 * bodies, so it costs at most 2^12 additions, not one per organisation.
 *
 * When body b learns c (a member's report, a link, or seeing it abroad for
 * a partner), its members know c latency_days later, and each link from b
 * relays c with its probability after its latency. Relays from a partner
 * are scaled by reciprocity: (1 - rho) + rho * r, r being the share of the
 * campaigns known at home that were relayed out to that partner (with a
 * Laplace prior of 1/2).
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "world_internal.h"

enum {
	EV_MEMBERS = 1, /* members of body a learn campaign b */
	EV_PARTNER = 2, /* knowledge that came from a partner */
	EV_LINK = 4,	/* arrived over a link */
	EV_ABROAD = 8	/* sent by a partner body */
};

void sharing_recount(struct sim_world *w, uint32_t c)
{
	struct campaign *cp = &w->camps[c];
	for (int s = 0; s < w->p.n_segments; s++) {
		const struct seg_state *st = &w->seg[s];
		uint32_t local = 0;
		for (int j = 0; j < st->n_rel; j++)
			if (cp->body_reached & (1u << st->rel[j]))
				local |= 1u << j;
		uint32_t n = 0;
		if (local)
			for (uint32_t m = 0; m < (1u << st->n_rel); m++)
				if (m & local)
					n += st->mask_count[m];
		cp->known[s] = n;
	}
	for (uint32_t k = 0; k < cp->n_knowers; k++) {
		uint32_t org = cp->knowers[k];
		if (!(w->reach[org] & cp->body_reached))
			cp->known[defense_segment_of(w, org)]++;
	}
	attack_coverage(w, c);
}

int sharing_memberships(struct sim_world *w)
{
	const struct cd_params *p = &w->p;
	/* One counter-based stream per body: u(i, b) = U(key_b + i). */
	for (int b = 0; b < p->n_bodies; b++)
		w->body_key[b] = rng_derive(w->org_key, 0x626f6479 /* "body" */,
					    (uint64_t)b);
	for (int s = 0; s < p->n_segments; s++) {
		struct seg_state *st = &w->seg[s];
		double cov[CD_MAX_SEGMENT_BODIES], rch[CD_MAX_SEGMENT_BODIES];
		st->n_rel = 0;
		for (int b = 0; b < p->n_bodies; b++) {
			double c = p->bodies[b].coverage[s] *
				   p->bodies[b].coverage_scale;
			if (!(c > 0))
				continue;
			if (st->n_rel == CD_MAX_SEGMENT_BODIES)
				return CD_ELIMIT;
			cov[st->n_rel] = c;
			rch[st->n_rel] = c * p->bodies[b].reach;
			st->rel[st->n_rel++] = b;
		}
		free(st->mask_count);
		st->mask_count =
			calloc((size_t)1 << st->n_rel, sizeof *st->mask_count);
		if (!st->mask_count)
			return CD_ENOMEM;
		if (st->n_rel == 0) { /* no body: nobody to draw for */
			memset(w->member + st->start, 0,
			       st->count * sizeof *w->member);
			memset(w->reach + st->start, 0,
			       st->count * sizeof *w->reach);
			st->mask_count[0] = st->count;
			continue;
		}
		for (uint32_t i = st->start; i < st->start + st->count; i++) {
			uint32_t member = 0, reach = 0, local = 0;
			for (int j = 0; j < st->n_rel; j++) {
				double u = rng_key_uniform(
					w->body_key[st->rel[j]] + i);
				if (u < cov[j])
					member |= 1u << st->rel[j];
				if (u < rch[j]) {
					reach |= 1u << st->rel[j];
					local |= 1u << j;
				}
			}
			w->member[i] = member;
			w->reach[i] = reach;
			st->mask_count[local]++;
		}
	}
	for (uint32_t c = 0; c < w->n_camps; c++)
		sharing_recount(w, c);
	return 0;
}

static int body_learns(struct sim_world *w, int b, uint32_t c, uint32_t flag,
		       int day)
{
	return calendar_add(&w->share, day,
			    (struct cal_event){(uint32_t)b, c, 0, flag});
}

/* A report, or a relay in from abroad, reveals more of the campaign's
 * indicators: blocking and hunting improve for everyone who knows it. */
static int more_indicators(struct sim_world *w, uint32_t c)
{
	w->camps[c].reports++;
	defense_completeness_update(w, c);
	return w->p.detection.indicator_yield < 1
		       ? defense_rehazard_campaign(w, c)
		       : 0;
}

int sharing_report(struct sim_world *w, uint32_t c, uint32_t org,
		   double trained)
{
	int s = defense_segment_of(w, org);
	const struct cd_won *won = &w->p.won;
	/* Untrained or outsourced staff cannot judge what to share (Gady
	 * 2017): the base rate holds at the reference trained ratio. */
	double j = won->untrained_judgement;
	double judge = (j + (1 - j) * trained) /
		       (j + (1 - j) * won->reference_trained);
	double rate = fmin(1, w->p.segments[s].share_rate * judge);
	if (!w->member[org] || !(gsl_rng_uniform(w->rng[RNG_SHARING]) < rate))
		return 0;
	int rc = more_indicators(w, c);
	for (int b = 0; b < w->p.n_bodies && !rc; b++) {
		if (!(w->member[org] & (1u << b)))
			continue;
		w->bdaily[b].reports++;
		rc = body_learns(w, b, c, 0, w->day);
	}
	return rc ? rc : 1;
}

int sharing_abroad(struct sim_world *w, uint32_t c)
{
	for (int b = 0; b < w->p.n_bodies; b++) {
		const struct cd_body *body = &w->p.bodies[b];
		if (body->kind != CD_BODY_PARTNER)
			continue;
		double p = body->sees_abroad * w->p.wos.partner_inflow;
		if (!(gsl_rng_uniform(w->rng[RNG_SHARING]) < p))
			continue;
		unsigned int k = gsl_ran_geometric(w->rng[RNG_SHARING],
						   1 / body->abroad_days);
		int rc = body_learns(w, b, c, EV_PARTNER, w->day + (int)k);
		if (rc)
			return rc;
	}
	return 0;
}

static double relay_probability(const struct sim_world *w,
				const struct cd_link *l)
{
	if (w->day < w->crisis_until)
		return 1; /* the NSC engaged: every relay is made */
	double p = l->relay;
	if (w->p.bodies[l->from].kind == CD_BODY_PARTNER &&
	    w->p.bodies[l->to].kind != CD_BODY_PARTNER) {
		double r = ((double)w->sent_to[l->from] + 0.5) /
			   ((double)w->known_at_home + 1.0);
		double rho = w->p.wos.reciprocity;
		p *= (1 - rho) + rho * fmin(1, r);
	}
	return p;
}

static int learn(struct sim_world *w, int b, uint32_t c, uint32_t flag)
{
	struct campaign *cp = &w->camps[c];
	uint32_t bit = 1u << b;
	int home = w->p.bodies[b].kind != CD_BODY_PARTNER;
	if (flag & EV_LINK) {
		w->bdaily[b].received++;
		if (home && (flag & EV_ABROAD)) {
			int rc = more_indicators(w, c);
			if (rc)
				return rc;
		}
	}
	if (cp->body_known & bit)
		return 0;
	uint32_t home_mask = 0;
	for (int k = 0; k < w->p.n_bodies; k++)
		if (w->p.bodies[k].kind != CD_BODY_PARTNER)
			home_mask |= 1u << k;
	if (home && !(cp->body_known & home_mask))
		w->known_at_home++;
	cp->body_known |= bit;
	cp->body_day[b] = w->day;
	if (flag & EV_PARTNER)
		cp->partner_known |= bit;
	w->bdaily[b].learned++;
	int rc = body_learns(
		w, b, c, EV_MEMBERS | (flag & EV_PARTNER),
		w->day + (int)policy_latency(w, w->p.bodies[b].latency_days));
	for (int k = 0; k < w->p.n_links && !rc; k++) {
		const struct cd_link *l = &w->p.links[k];
		if (l->from != b || !(gsl_rng_uniform(w->rng[RNG_SHARING]) <
				      relay_probability(w, l)))
			continue;
		w->bdaily[b].relayed++;
		if (home && w->p.bodies[l->to].kind == CD_BODY_PARTNER)
			w->sent_to[l->to]++;
		rc = body_learns(
			w, l->to, c,
			EV_LINK | (flag & EV_PARTNER) | (home ? 0u : EV_ABROAD),
			w->day + (int)policy_latency(w, l->latency_days));
	}
	return rc;
}

static int members_learn(struct sim_world *w, int b, uint32_t c)
{
	struct campaign *cp = &w->camps[c];
	uint32_t bit = 1u << b, before = cp->body_reached;
	if (before & bit)
		return 0;
	cp->body_reached |= bit;
	w->bdaily[b].distributed++;
	sharing_recount(w, c);
	/* Organisations that know the campaign only now hunt its footholds. */
	uint32_t kept = 0;
	for (uint32_t k = 0; k < cp->n_footholds; k++) {
		CD_POLL_STOP(k);
		uint32_t fid = cp->footholds[k];
		const struct cd_foothold *f = &w->fh[fid];
		if (f->day_contained >= 0)
			continue; /* closed: drop from the list */
		cp->footholds[kept++] = fid;
		if (f->day_detected < 0 && (w->reach[f->org] & bit) &&
		    !(w->reach[f->org] & before)) {
			int rc = defense_schedule(w, fid);
			if (rc)
				return rc;
		}
	}
	cp->n_footholds = kept;
	return 0;
}

int sharing_propagate(struct sim_world *w)
{
	/* Events scheduled for today while processing (zero latency) are
	 * appended to this bucket and processed in the same loop. */
	for (uint32_t i = 0; i < w->share.day[w->day].n; i++) {
		CD_POLL_STOP(i);
		struct cal_event ev = w->share.day[w->day].ev[i];
		w->events++;
		int rc = ev.flag & EV_MEMBERS
				 ? members_learn(w, (int)ev.a, ev.b)
				 : learn(w, (int)ev.a, ev.b, ev.flag);
		if (rc)
			return rc;
	}
	return 0;
}
