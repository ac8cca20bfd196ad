/* attack: campaigns and intrusion attempts.
 *
 * Attempts are drawn in aggregate, never one iteration per attempt. For a
 * campaign making lambda attempts a day on a segment of which a share f
 * knows the campaign (and blocks a known campaign's attempt with efficacy
 * e), Poisson splitting gives independent counts: blocked ~ Poisson(lambda
 * f e), candidates ~ Poisson(lambda (1 - f e) p0) and plain failures ~
 * Poisson(lambda (1 - f e)(1 - p0)) (each drawn once per segment and
 * day for all campaigns together, since Poisson streams add up), where p0 =
 * success_prob bounds every organisation's success probability. Only candidates
 * touch organisations: each picks a target among the organisations not blocking
 * it (by rejection) and succeeds with probability 1 - hygiene (1 -
 * sophistication); a rejected candidate is a failed attempt. Work grows
 * with candidates, which are few, not with the billions of attempts.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "status.h"
#include "world_internal.h"

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
	defense_completeness_update(w, id);
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
		uint64_t n = rng_poisson(w->rng[RNG_CAMPAIGN], rate);
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
		if (nf)
			w->fh = nf;
		uint32_t *np =
			nf ? realloc(w->open_pos, cap * sizeof *np) : NULL;
		if (np)
			w->open_pos = np;
		struct fh_attr *na =
			np ? realloc(w->fh_attr, cap * sizeof *na) : NULL;
		if (!na)
			return CD_ENOMEM;
		w->fh_attr = na;
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
	w->fh_attr[fid].monitoring = defense_monitoring(w, org, s);
	w->fh_attr[fid].factor = defense_factor(w, org, s);
	int a = w->camps[c].attacker;
	w->fh_attr[fid].cum0 = w->cum[s][a];
	w->n_open_by[s][a]++;
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

/* One candidate attempt of campaign c on segment s: picks a target that
 * does not block it, then tries it. */
static int candidate(struct sim_world *w, uint32_t c, int s)
{
	const struct cd_attacker *att = &w->p.attackers[w->camps[c].attacker];
	const struct seg_state *st = &w->seg[s];
	double e = w->p.detection.block_efficacy * defense_completeness(w, c);
	gsl_rng *r = w->rng[RNG_ATTACK];
	w->events++; /* a candidate attempt touches an organisation */
	/* By rejection; f e < 1 here, so it ends (the bound is a safety net).
	 */
	uint32_t org, tries = 0;
	do
		org = st->start + (uint32_t)gsl_rng_uniform_int(r, st->count);
	while (defense_knows(w, c, org) && gsl_rng_uniform(r) < e &&
	       ++tries < 1000000);
	const uint32_t *v = hashmap_get(&w->state, (uint64_t)c << 32 | org);
	int in = !(v && (*v & FOOTHOLD_MASK)) &&
		 gsl_rng_uniform(r) < 1 - defense_hygiene(w, org, s) *
						      (1 - att->sophistication);
	if (!in) {
		w->daily[s].failed++;
		return 0;
	}
	w->daily[s].intrusions++;
	return new_foothold(w, c, org, s);
}

int attack_attempts(struct sim_world *w)
{
	gsl_rng *r = w->rng[RNG_ATTACK];
	if (w->cap_mu < w->n_active) {
		double *m = realloc(w->mu, w->n_active * sizeof *m);
		if (!m)
			return CD_ENOMEM;
		w->mu = m;
		w->cap_mu = w->n_active;
	}
	/* Per segment, the campaigns' Poisson streams of attempts add up:
	 * one draw per segment and day for each of blocked, failed and
	 * candidates (Poisson superposition), and each candidate then belongs
	 * to campaign c with probability mu_c / sum(mu) (thinning). */
	for (int s = 0; s < w->p.n_segments; s++) {
		if (cd_stopped())
			return CD_EINTR;
		double blocked = 0, failed = 0, cand = 0;
		for (uint32_t i = 0; i < w->n_active; i++) {
			uint32_t c = w->active[i];
			int a = w->camps[c].attacker;
			const struct cd_attacker *att = &w->p.attackers[a];
			w->mu[i] = 0;
			if (!(att->targets[s] > 0))
				continue;
			double lambda = att->attempts_per_day *
					att->targets[s] * w->seg[s].count /
					w->target_total[a];
			double fe = w->p.detection.block_efficacy *
				    defense_completeness(w, c) *
				    w->camps[c].known[s] / w->seg[s].count;
			blocked += lambda * fe;
			failed += lambda * (1 - fe) * (1 - att->success_prob);
			w->mu[i] = lambda * (1 - fe) * att->success_prob;
			cand += w->mu[i];
		}
		uint64_t n_blocked = rng_poisson(r, blocked);
		uint64_t n_failed = rng_poisson(r, failed);
		uint64_t n_cand = rng_poisson(r, cand);
		struct cd_daily *d = &w->daily[s];
		d->attempts += n_blocked + n_failed + n_cand;
		d->blocked += n_blocked;
		d->failed += n_failed;
		for (uint64_t k = 0; k < n_cand; k++) {
			CD_POLL_STOP(k);
			double u = gsl_rng_uniform(r) * cand;
			uint32_t i = 0;
			while (i + 1 < w->n_active && u >= w->mu[i])
				u -= w->mu[i++];
			int rc = candidate(w, w->active[i], s);
			if (rc)
				return rc;
		}
	}
	return 0;
}
