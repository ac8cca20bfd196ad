/* defense: organisations' attributes, detection, damage and containment.
 *
 * Attributes are drawn lazily: each draw reseeds a counter-based generator
 * with (run seed, organisation, attribute) and draws hygiene or monitoring
 * (Beta) or a trained-staff factor (Gamma), so an organisation's
 * attributes are the same whenever they are needed and are never stored
 * for the millions of quiet organisations (a foothold keeps its
 * organisation's monitoring and factor, which its detection reuses).
 *
 * Detection is scheduled, not polled: each open foothold has daily
 * detection probabilities h_k by source k (internal, hunting with shared or
 * partner indicators, national monitoring, external); the first detection
 * day is geometric with p = 1 - prod(1 - h_k), and the source is drawn in
 * proportion to h_k. When a foothold's hazards change (its organisation
 * learns the campaign, staff are trained, a policy changes), the draw is
 * made again from that day, which is exact for a geometric law.
 */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "status.h"
#include "world_internal.h"

int defense_segment_of(const struct sim_world *w, uint32_t org)
{
	int lo = 0, hi = w->p.n_segments - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (w->seg[mid].start <= org)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void defense_refresh(struct sim_world *w)
{
	for (int s = 0; s < w->p.n_segments; s++) {
		const struct cd_segment *sp = &w->p.segments[s];
		struct seg_state *st = &w->seg[s];
		double h = sp->hygiene_mean;
		if (sp->kind != CD_KIND_GOVERNMENT)
			h += w->p.won.hygiene_uplift * (1 - h);
		st->hyg_a = h * sp->hygiene_conc;
		st->hyg_b = (1 - h) * sp->hygiene_conc;
		st->mon_a = sp->monitoring_mean * sp->monitoring_conc;
		st->mon_b = (1 - sp->monitoring_mean) * sp->monitoring_conc;
		if (!w->p.workforce.enabled)
			st->trained_ratio = sp->trained_ratio;
	}
	for (uint32_t c = 0; c < w->n_camps; c++)
		defense_completeness_update(w, c); /* the yield may change */
}

static double beta(gsl_rng *r, double a, double b)
{
	if (a <= 0)
		return 0;
	if (b <= 0)
		return 1;
	return gsl_ran_beta(r, a, b);
}

/* The counter-based generator, keyed by (run, organisation, attribute):
 * each attribute has its own key, so drawing one costs only its own draw. */
static gsl_rng *org_rng(struct sim_world *w, uint32_t org, uint64_t attribute)
{
	gsl_rng_set(w->org_rng,
		    (unsigned long)rng_derive(w->org_key, org, attribute));
	return w->org_rng;
}

double defense_hygiene(struct sim_world *w, uint32_t org, int seg)
{
	const struct seg_state *st = &w->seg[seg];
	return beta(org_rng(w, org, 1), st->hyg_a, st->hyg_b);
}

double defense_monitoring(struct sim_world *w, uint32_t org, int seg)
{
	const struct seg_state *st = &w->seg[seg];
	return beta(org_rng(w, org, 2), st->mon_a, st->mon_b);
}

/* An organisation's trained ratio is min(1, segment ratio x factor). */
double defense_factor(struct sim_world *w, uint32_t org, int seg)
{
	double shape = w->p.segments[seg].trained_shape;
	return gsl_ran_gamma(org_rng(w, org, 3), shape, 1 / shape);
}

double defense_trained(const struct sim_world *w, uint32_t fid)
{
	return fmin(1, w->seg[w->fh[fid].segment].trained_ratio *
			       w->fh_attr[fid].factor);
}

static uint64_t key(uint32_t c, uint32_t org)
{
	return (uint64_t)c << 32 | org;
}

int defense_knows(const struct sim_world *w, uint32_t c, uint32_t org)
{
	if (w->reach[org] & w->camps[c].body_reached)
		return 1;
	const uint32_t *v = hashmap_get(&w->state, key(c, org));
	return v && (*v & KNOWS_BIT);
}

void defense_completeness_update(struct sim_world *w, uint32_t c)
{
	/* Whoever knows a campaign has at least one report's worth. */
	uint32_t n = w->camps[c].reports ? w->camps[c].reports : 1;
	w->camps[c].completeness =
		1 - pow(1 - w->p.detection.indicator_yield, (double)n);
}

double defense_completeness(const struct sim_world *w, uint32_t c)
{
	return w->camps[c].completeness;
}

struct hazard {
	double h[CD_SOURCES];
	double total; /* P(detected on a given day) */
};

static void hazards(struct sim_world *w, uint32_t fid, struct hazard *hz)
{
	const struct cd_foothold *f = &w->fh[fid];
	const struct cd_detection *d = &w->p.detection;
	const struct campaign *c = &w->camps[f->campaign];
	const struct cd_attacker *att = &w->p.attackers[c->attacker];
	double skill = d->untrained_skill +
		       (1 - d->untrained_skill) * defense_trained(w, fid);
	for (int k = 0; k < CD_SOURCES; k++)
		hz->h[k] = 0;
	hz->h[CD_SRC_INTERNAL] = d->internal_rate * w->fh_attr[fid].monitoring *
				 skill * (1 - att->stealth);
	if (defense_knows(w, f->campaign, f->org)) {
		/* Hunting: "partner" when all the organisation knows came in
		 * from abroad, "shared" otherwise. */
		uint32_t via = w->reach[f->org] & c->body_reached;
		const uint32_t *v =
			hashmap_get(&w->state, key(f->campaign, f->org));
		int own = v && (*v & KNOWS_BIT);
		int partner = !own && via && !(via & ~c->partner_known);
		hz->h[partner ? CD_SRC_PARTNER : CD_SRC_SHARED] =
			d->hunt_rate * skill *
			defense_completeness(w, f->campaign);
	}
	if (w->p.segments[f->segment].kind == CD_KIND_GOVERNMENT)
		hz->h[CD_SRC_NATIONAL] =
			w->p.wog.national_monitoring * (1 - att->stealth);
	hz->h[CD_SRC_EXTERNAL] = d->external_rate;
	double miss = 1;
	for (int k = 0; k < CD_SOURCES; k++)
		miss *= 1 - hz->h[k];
	hz->total = 1 - miss;
}

int defense_schedule(struct sim_world *w, uint32_t fid)
{
	struct cd_foothold *f = &w->fh[fid];
	const struct cd_attacker *att =
		&w->p.attackers[w->camps[f->campaign].attacker];
	f->version++;
	struct hazard hz;
	hazards(w, fid, &hz);
	int64_t day = INT64_MAX;
	uint32_t reveal = 0;
	if (hz.total > 1e-12) {
		double k = hz.total >= 1
				   ? 1
				   : (double)gsl_ran_geometric(
					     w->rng[RNG_DEFENSE], hz.total);
		day = w->day + (int64_t)k;
	}
	if (att->objective == CD_OBJ_EXTORTION && att->reveal_days > 0) {
		int64_t cap = f->day_compromised +
			      (int64_t)fmax(1, ceil(att->reveal_days));
		if (cap <= w->day)
			cap = w->day + 1;
		if (cap <= day) {
			day = cap;
			reveal = 1;
		}
	}
	if (day >= w->p.days)
		return 0;
	return calendar_add(&w->detect, (int)day,
			    (struct cal_event){fid, 0, f->version, reveal});
}

int defense_rehazard_campaign(struct sim_world *w, uint32_t c)
{
	const struct campaign *cp = &w->camps[c];
	for (uint32_t k = 0; k < cp->n_footholds; k++) {
		CD_POLL_STOP(k);
		const struct cd_foothold *f = &w->fh[cp->footholds[k]];
		if (f->day_detected < 0 && f->day_contained < 0 &&
		    defense_knows(w, c, f->org)) {
			int rc = defense_schedule(w, cp->footholds[k]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int defense_rehazard_all(struct sim_world *w)
{
	for (uint32_t i = 0; i < w->n_open; i++) {
		CD_POLL_STOP(i);
		uint32_t fid = w->open[i];
		if (w->fh[fid].day_detected < 0) {
			int rc = defense_schedule(w, fid);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int defense_learn(struct sim_world *w, uint32_t c, uint32_t org, int seg)
{
	uint32_t *v = hashmap_get(&w->state, key(c, org));
	uint32_t val = v ? *v : 0;
	if (val & KNOWS_BIT)
		return 0;
	int rc = hashmap_put(&w->state, key(c, org), val | KNOWS_BIT);
	if (rc)
		return rc;
	struct campaign *cp = &w->camps[c];
	if (cp->n_knowers == cp->cap_knowers) {
		uint32_t cap = cp->cap_knowers ? 2 * cp->cap_knowers : 8;
		uint32_t *k = realloc(cp->knowers, cap * sizeof *k);
		if (!k)
			return CD_ENOMEM;
		cp->knowers = k;
		cp->cap_knowers = cap;
	}
	cp->knowers[cp->n_knowers++] = org;
	if (!(w->reach[org] & cp->body_reached)) {
		cp->known[seg]++;
		attack_coverage(w, c);
	}
	return 0;
}

/* Mean containment time for an organisation with trained ratio t. */
static double containment_mean(const struct sim_world *w, double t)
{
	const struct cd_detection *d = &w->p.detection;
	double m = d->containment_days * (d->untrained_containment -
					  (d->untrained_containment - 1) * t);
	if (w->day < w->crisis_until)
		m *= w->p.crisis.containment_factor;
	return m;
}

int defense_detect(struct sim_world *w)
{
	struct cal_bucket *b = &w->detect.day[w->day];
	for (uint32_t i = 0; i < b->n; i++) {
		CD_POLL_STOP(i);
		struct cal_event ev = b->ev[i];
		struct cd_foothold *f = &w->fh[ev.a];
		if (f->version != ev.version || f->day_detected >= 0)
			continue; /* redrawn since, or already found */
		w->events++;
		int src = CD_SRC_EXTERNAL;
		struct hazard hz;
		hazards(w, ev.a, &hz);
		if (!ev.flag) {
			double sum = 0, u;
			for (int k = 0; k < CD_SOURCES; k++)
				sum += hz.h[k];
			u = gsl_rng_uniform(w->rng[RNG_DEFENSE]) * sum;
			for (src = 0; src < CD_SOURCES - 1; src++) {
				if (u < hz.h[src])
					break;
				u -= hz.h[src];
			}
		}
		f->day_detected = w->day;
		f->source = (uint8_t)src;
		w->daily[f->segment].detections[src]++;
		int rc = defense_learn(w, f->campaign, f->org, f->segment);
		if (!rc) {
			int shared = sharing_report(w, f->campaign, f->org,
						    defense_trained(w, ev.a));
			rc = shared < 0 ? shared : 0;
			f = &w->fh[ev.a];
			f->shared = shared > 0;
		}
		if (rc)
			return rc;
		double p =
			1 /
			fmax(1, containment_mean(w, defense_trained(w, ev.a)));
		unsigned int delay = gsl_ran_geometric(w->rng[RNG_DEFENSE], p);
		rc = calendar_add(&w->contain, w->day + (int)delay,
				  (struct cal_event){ev.a, 0, 0, 0});
		if (rc)
			return rc;
	}
	return 0;
}

void defense_damage(struct sim_world *w)
{
	for (int s = 0; s < w->p.n_segments; s++) {
		struct cd_daily *d = &w->daily[s];
		for (int a = 0; a < w->p.n_attackers; a++) {
			uint32_t n = w->n_open_by[s][a];
			if (!n)
				continue;
			const struct cd_attacker *att = &w->p.attackers[a];
			double v = att->damage_per_day *
				   w->p.segments[s].damage_scale;
			w->cum[s][a] += v; /* what each open foothold accrues */
			if (att->objective == CD_OBJ_ESPIONAGE)
				d->records += v * n;
			else if (att->objective == CD_OBJ_DISRUPTION)
				d->outage_hours += v * n;
			else
				d->loss_yen += v * n;
		}
	}
}

int defense_contain(struct sim_world *w)
{
	struct cal_bucket *b = &w->contain.day[w->day];
	for (uint32_t i = 0; i < b->n; i++) {
		uint32_t fid = b->ev[i].a;
		struct cd_foothold *f = &w->fh[fid];
		w->events++;
		f->day_contained = w->day;
		w->daily[f->segment].contained++;
		int a = w->camps[f->campaign].attacker;
		f->damage = w->cum[f->segment][a] - w->fh_attr[fid].cum0;
		w->n_open_by[f->segment][a]--;
		uint32_t pos = w->open_pos[fid];
		uint32_t last = w->open[--w->n_open];
		w->open[pos] = last;
		w->open_pos[last] = pos;
		uint32_t *v = hashmap_get(&w->state, key(f->campaign, f->org));
		if (v)
			*v &= KNOWS_BIT; /* no open foothold any more */
	}
	return 0;
}
