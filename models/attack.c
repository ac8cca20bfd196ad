/* attack: campaigns and intrusion attempts.
 *
 * Attempts are drawn in aggregate, never one iteration per attempt. For a
 * campaign making lambda attempts a day on a segment of which a share f
 * knows the campaign (and blocks a known campaign's attempt with efficacy
 * e), Poisson splitting gives independent counts: blocked ~ Poisson(lambda
 * f e), candidates ~ Poisson(lambda (1 - f e) p0) and plain failures ~
 * Poisson(lambda (1 - f e)(1 - p0)), where p0 = success_prob bounds every
 * organisation's success probability. Only candidates touch organisations:
 * each picks a target among the organisations not blocking it (by
 * rejection) and succeeds with probability 1 - hygiene (1 -
 * sophistication); a rejected candidate is a failed attempt. Work grows
 * with candidates, which are few, not with the billions of attempts.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "status.h"
#include "world_internal.h"

/* Poisson draw for means beyond gsl_ran_poisson's unsigned range: the
 * normal approximation, whose relative error is negligible there. */
static uint64_t poisson(gsl_rng *r, double mu)
{
	if (!(mu > 0))
		return 0;
	if (mu < 1e7)
		return gsl_ran_poisson(r, mu);
	double x = mu + sqrt(mu) * gsl_ran_ugaussian(r);
	return x > 0 ? (uint64_t)llround(x) : 0;
}

void attack_refresh(struct sim_world *w)
{
	for (int a = 0; a < w->p.n_attackers; a++) {
		double t = 0;
		for (int s = 0; s < w->p.n_segments; s++)
			t += w->p.attackers[a].targets[s] * w->seg[s].count;
		w->target_total[a] = t;
	}
}

void attack_coverage(struct sim_world *w, uint32_t c)
{
	struct campaign *cp = &w->camps[c];
	const double *t = w->p.attackers[cp->attacker].targets;
	double k = 0;
	for (int s = 0; s < w->p.n_segments; s++)
		k += t[s] * cp->known[s];
	cp->coverage = w->target_total[cp->attacker] > 0
			       ? k / w->target_total[cp->attacker]
			       : 0;
}

static int push_u32(uint32_t **arr, uint32_t *n, uint32_t *cap, uint32_t v)
{
	if (*n == *cap) {
		uint32_t nc = *cap ? 2 * *cap : 16;
		uint32_t *na = realloc(*arr, nc * sizeof *na);
		if (!na)
			return CD_ENOMEM;
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

static int start_campaign(struct sim_world *w, int a)
{
	if (w->n_camps == w->cap_camps) {
		uint32_t cap = w->cap_camps ? 2 * w->cap_camps : 64;
		struct campaign *nc = realloc(w->camps, cap * sizeof *nc);
		if (!nc)
			return CD_ENOMEM;
		w->camps = nc;
		w->cap_camps = cap;
	}
	uint32_t id = w->n_camps;
	struct campaign *c = &w->camps[id];
	*c = (struct campaign){0};
	c->attacker = a;
	c->day_start = w->day;
	c->day_end = -1;
	for (int b = 0; b < CD_MAX_BODIES; b++)
		c->body_day[b] = -1;
	c->day_expire = w->day + (int)gsl_ran_geometric(
					 w->rng[RNG_CAMPAIGN],
					 1 / w->p.attackers[a].campaign_days);
	c->known = calloc((size_t)w->p.n_segments, sizeof *c->known);
	if (!c->known)
		return CD_ENOMEM;
	w->n_camps++;
	int rc = push_u32(&w->active, &w->n_active, &w->cap_active, id);
	return rc ? rc : sharing_abroad(w, id);
}

int attack_campaigns(struct sim_world *w)
{
	uint32_t kept = 0;
	for (uint32_t i = 0; i < w->n_active; i++) {
		struct campaign *c = &w->camps[w->active[i]];
		/* Attackers see their attempts bounce: they retool once
		 * enough of them are blocked (DESIGN.md 1.2). */
		double blocked = c->coverage * w->p.detection.block_efficacy *
				 defense_completeness(w, w->active[i]);
		if (w->day >= c->day_expire ||
		    blocked >= w->p.attackers[c->attacker].retire_blocked)
			c->day_end = w->day;
		else
			w->active[kept++] = w->active[i];
	}
	w->n_active = kept;
	for (int a = 0; a < w->p.n_attackers; a++) {
		const struct cd_attacker *att = &w->p.attackers[a];
		double rate = att->campaigns_per_year / 365.0;
		if (att->type == CD_ATTACKER_STATE)
			rate *= 1 - w->p.wos.deterrence;
		uint64_t n = poisson(w->rng[RNG_CAMPAIGN], rate);
		for (uint64_t k = 0; k < n; k++) {
			int rc = start_campaign(w, a);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int new_foothold(struct sim_world *w, uint32_t c, uint32_t org, int s)
{
	if (w->n_fh == w->cap_fh) {
		uint32_t cap = w->cap_fh ? 2 * w->cap_fh : 256;
		struct cd_foothold *nf = realloc(w->fh, cap * sizeof *nf);
		uint32_t *np =
			nf ? realloc(w->open_pos, cap * sizeof *np) : NULL;
		if (nf)
			w->fh = nf;
		if (!np)
			return CD_ENOMEM;
		w->open_pos = np;
		w->cap_fh = cap;
	}
	uint32_t fid = w->n_fh;
	if (fid >= FOOTHOLD_MASK)
		return CD_ELIMIT;
	w->fh[fid] = (struct cd_foothold){.org = org,
					  .campaign = c,
					  .segment = (uint16_t)s,
					  .day_compromised = w->day,
					  .day_detected = -1,
					  .day_contained = -1};
	w->n_fh++;
	w->open_pos[fid] = w->n_open;
	int rc = push_u32(&w->open, &w->n_open, &w->cap_open, fid);
	if (!rc) {
		uint32_t *v = hashmap_get(&w->state, (uint64_t)c << 32 | org);
		rc = hashmap_put(&w->state, (uint64_t)c << 32 | org,
				 (v ? *v & KNOWS_BIT : 0) | (fid + 1));
	}
	if (!rc)
		rc = hashmap_put(&w->compromised, org, 1);
	if (!rc)
		rc = push_u32(&w->camps[c].footholds, &w->camps[c].n_footholds,
			      &w->camps[c].cap_footholds, fid);
	if (!rc)
		rc = defense_schedule(w, fid);
	return rc;
}

/* Candidates of campaign c against segment s: pick targets, try them. */
static int candidates(struct sim_world *w, uint32_t c, int s, uint64_t n)
{
	const struct cd_attacker *att = &w->p.attackers[w->camps[c].attacker];
	const struct seg_state *st = &w->seg[s];
	double e = w->p.detection.block_efficacy * defense_completeness(w, c);
	gsl_rng *r = w->rng[RNG_ATTACK];
	for (uint64_t k = 0; k < n; k++) {
		/* A target that does not block this attempt, by rejection;
		 * f e < 1 here, so it ends (the bound is a safety net). */
		uint32_t org, tries = 0;
		do
			org = st->start +
			      (uint32_t)gsl_rng_uniform_int(r, st->count);
		while (defense_knows(w, c, org) && gsl_rng_uniform(r) < e &&
		       ++tries < 1000000);
		const uint32_t *v =
			hashmap_get(&w->state, (uint64_t)c << 32 | org);
		struct org_attr a;
		defense_org(w, org, s, &a);
		int in = !(v && (*v & FOOTHOLD_MASK)) &&
			 gsl_rng_uniform(r) <
				 1 - a.hygiene * (1 - att->sophistication);
		if (!in) {
			w->daily[s].failed++;
			continue;
		}
		w->daily[s].intrusions++;
		int rc = new_foothold(w, c, org, s);
		if (rc)
			return rc;
	}
	return 0;
}

int attack_attempts(struct sim_world *w)
{
	gsl_rng *r = w->rng[RNG_ATTACK];
	for (uint32_t i = 0; i < w->n_active; i++) {
		uint32_t c = w->active[i];
		double e = w->p.detection.block_efficacy *
			   defense_completeness(w, c);
		int a = w->camps[c].attacker;
		const struct cd_attacker *att = &w->p.attackers[a];
		for (int s = 0; s < w->p.n_segments; s++) {
			if (!(att->targets[s] > 0))
				continue;
			double lambda = att->attempts_per_day *
					att->targets[s] * w->seg[s].count /
					w->target_total[a];
			double fe = e * w->camps[c].known[s] / w->seg[s].count;
			uint64_t blocked = poisson(r, lambda * fe);
			uint64_t cand = poisson(r, lambda * (1 - fe) *
							   att->success_prob);
			uint64_t fail = poisson(
				r, lambda * (1 - fe) * (1 - att->success_prob));
			struct cd_daily *d = &w->daily[s];
			d->attempts += blocked + cand + fail;
			d->blocked += blocked;
			d->failed += fail;
			int rc = candidates(w, c, s, cand);
			if (rc)
				return rc;
		}
	}
	return 0;
}
