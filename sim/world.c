#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "world_internal.h"

const char *const cd_source_names[CD_SOURCES] = {
	"internal", "shared", "partner", "national", "external"};
const char *const cd_kind_names[CD_KIND_COUNT] = {
	"government", "infrastructure", "corporation"};
const char *const cd_attacker_type_names[CD_ATTACKER_TYPE_COUNT] = {"state",
								    "criminal"};
const char *const cd_objective_names[CD_OBJECTIVE_COUNT] = {
	"espionage", "disruption", "extortion"};

int sim_world_create(sim_world **out, const struct cd_params *p,
		     const unsigned char *set, const struct cd_timeline *t,
		     uint64_t run_seed)
{
	*out = NULL;
	int64_t total = 0;
	for (int s = 0; s < p->n_segments; s++)
		total += p->segments[s].count;
	if (total > (int64_t)INT32_MAX)
		return CD_ELIMIT;
	sim_world *w = calloc(1, sizeof *w);
	if (!w)
		return CD_ENOMEM;
	w->p = *p;
	if (set)
		memcpy(w->set, set, sizeof w->set);
	if (t)
		w->timeline = *t;
	w->seed = run_seed;
	w->org_key = rng_derive(run_seed, 0x6f726773u /* "orgs" */, 0);
	w->day = -1;
	w->n_orgs = (uint32_t)total;
	int rc = 0;
	for (int k = 0; k < RNG_STREAMS && !rc; k++) {
		w->rng[k] = gsl_rng_alloc(gsl_rng_mt19937);
		if (!w->rng[k])
			rc = CD_ENOMEM;
		else
			gsl_rng_set(w->rng[k],
				    (unsigned long)rng_derive(
					    run_seed, 1 + (uint64_t)k, 0));
	}
	if (!rc && !(w->org_rng = gsl_rng_alloc(rng_splitmix64)))
		rc = CD_ENOMEM;
	uint32_t start = 0;
	for (int s = 0; s < p->n_segments; s++) {
		w->seg[s].start = start;
		w->seg[s].count = (uint32_t)p->segments[s].count;
		w->seg[s].trained_ratio = p->segments[s].trained_ratio;
		start += w->seg[s].count;
	}
	hashmap_init(&w->state);
	hashmap_init(&w->compromised);
	if (!rc)
		rc = calendar_init(&w->detect, p->days);
	if (!rc)
		rc = calendar_init(&w->contain, p->days);
	if (!rc)
		rc = calendar_init(&w->share, p->days);
	if (!rc && w->n_orgs) {
		w->member = calloc(w->n_orgs, sizeof *w->member);
		w->reach = calloc(w->n_orgs, sizeof *w->reach);
		if (!w->member || !w->reach)
			rc = CD_ENOMEM;
	}
	w->wf_employed = p->workforce.employed;
	w->wf_trained = p->workforce.trained;
	if (!rc) {
		if (p->workforce.enabled)
			policy_workforce_allocate(w);
		defense_refresh(w);
		attack_refresh(w);
		rc = sharing_memberships(w);
	}
	if (rc) {
		sim_world_destroy(w);
		return rc;
	}
	*out = w;
	return 0;
}

int64_t sim_world_organisations_of(const struct cd_params *p)
{
	int64_t total = 0;
	for (int s = 0; s < p->n_segments; s++)
		total += p->segments[s].count;
	return total;
}

/* Campaigns attacker a starts a day (after deterrence), and the candidate
 * intrusions one of them makes a day. */
static double start_rate(const struct cd_params *p, int a, double *cand)
{
	const struct cd_attacker *att = &p->attackers[a];
	double rate = att->campaigns_per_year / 365.0;
	if (att->type == CD_ATTACKER_STATE)
		rate *= 1 - p->wos.deterrence;
	*cand = att->attempts_per_day * att->success_prob;
	return rate;
}

/* Expected simultaneous campaigns of attacker a. */
static double active_of(const struct cd_params *p, int a, double rate)
{
	return rate * fmin(p->attackers[a].campaign_days, (double)p->days);
}

/* Work units, weighted by their cost relative to a candidate intrusion
 * (about 0.8 us in the national scenario, with its foothold, detection
 * and sharing): a campaign-segment pair of the attempt loop costs about
 * 1/50 of one, a foothold walked when a report rehazards its campaign
 * (a few loads and a test) about 1/100. */
#define PAIR_COST 0.02
#define WALK_COST 0.01

/* The largest share of detections that attacker a's targets report (a
 * member of a body, at its share rate with the best judgement), when a
 * report rehazards the campaign (indicator_yield < 1); 0 otherwise. */
static double report_share(const struct cd_params *p, int a)
{
	const struct cd_won *won = &p->won;
	if (!(p->detection.indicator_yield < 1))
		return 0;
	double j = won->untrained_judgement;
	double ref = j + (1 - j) * won->reference_trained;
	double judge = ref > 0 ? 1 / ref : 1;
	double best = 0;
	for (int s = 0; s < p->n_segments; s++) {
		int member = 0;
		for (int b = 0; b < p->n_bodies && !member; b++)
			member = p->bodies[b].coverage[s] *
					 p->bodies[b].coverage_scale >
				 0;
		if (member && p->attackers[a].targets[s] > 0)
			best = fmax(best,
				    fmin(1, p->segments[s].share_rate * judge));
	}
	return best;
}

double sim_world_day_work(const struct cd_params *p, int *worst)
{
	double total = 0, most = -1;
	for (int a = 0; a < p->n_attackers; a++) {
		double cand, rate = start_rate(p, a, &cand);
		double life =
			fmin(p->attackers[a].campaign_days, (double)p->days);
		/* Each report walks the campaign's footholds: at most all
		 * it made in its life. */
		double walk = WALK_COST * report_share(p, a) * cand * life;
		double w = active_of(p, a, rate) *
			   (PAIR_COST * p->n_segments + cand * (1 + walk));
		total += w;
		if (w > most) {
			most = w;
			if (worst)
				*worst = a;
		}
	}
	return total;
}

size_t sim_world_memory_estimate(const struct cd_params *p)
{
	double orgs = (double)sim_world_organisations_of(p);
	/* Campaigns and footholds: every campaign started is kept, and
	 * every candidate intrusion may make a foothold (an upper bound:
	 * about 100 bytes each with its lists and map entries). */
	double camps = 0, cand_total = 0;
	for (int a = 0; a < p->n_attackers; a++) {
		double cand, rate = start_rate(p, a, &cand);
		camps += rate * p->days;
		cand_total += active_of(p, a, rate) * cand * p->days;
	}
	double bytes = sizeof(struct sim_world) +
		       2 * sizeof(uint32_t) * orgs /* member, reach */
		       + 3.0 * p->days * sizeof(struct cal_bucket) +
		       (double)p->n_segments * (1 << CD_MAX_SEGMENT_BODIES) *
			       sizeof(uint32_t) +
		       orgs * 4 /* footholds and knowledge: a margin */
		       +
		       camps * (sizeof(struct campaign) + 4.0 * p->n_segments) +
		       cand_total * 100 + (16 << 20);
	return bytes > 1e18 ? (size_t)1e18 : (size_t)bytes;
}

void sim_world_destroy(sim_world *w)
{
	if (!w)
		return;
	for (int k = 0; k < RNG_STREAMS; k++)
		if (w->rng[k])
			gsl_rng_free(w->rng[k]);
	if (w->org_rng)
		gsl_rng_free(w->org_rng);
	for (uint32_t c = 0; c < w->n_camps; c++) {
		free(w->camps[c].knowers);
		free(w->camps[c].footholds);
		free(w->camps[c].known);
	}
	free(w->camps);
	free(w->active);
	free(w->mu);
	free(w->fh);
	free(w->fh_attr);
	free(w->open);
	free(w->open_pos);
	for (int s = 0; s < CD_MAX_SEGMENTS; s++)
		free(w->seg[s].mask_count);
	free(w->member);
	free(w->reach);
	hashmap_free(&w->state);
	hashmap_free(&w->compromised);
	calendar_free(&w->detect);
	calendar_free(&w->contain);
	calendar_free(&w->share);
	free(w);
}

/* Adds the day's counters to the run's totals. */
static void accumulate(sim_world *w)
{
	for (int s = 0; s < w->p.n_segments; s++) {
		struct cd_daily *d = &w->daily[s], *t = &w->totals[s];
		t->attempts += d->attempts;
		t->blocked += d->blocked;
		t->failed += d->failed;
		t->intrusions += d->intrusions;
		for (int k = 0; k < CD_SOURCES; k++)
			t->detections[k] += d->detections[k];
		t->contained += d->contained;
		t->open_footholds = d->open_footholds;
		t->records += d->records;
		t->outage_hours += d->outage_hours;
		t->loss_yen += d->loss_yen;
		t->knowledge += d->knowledge; /* divided by days when read */
		t->trained_ratio = d->trained_ratio;
	}
	for (int b = 0; b < w->p.n_bodies; b++) {
		struct cd_body_daily *d = &w->bdaily[b], *t = &w->btotals[b];
		t->reports += d->reports;
		t->learned += d->learned;
		t->relayed += d->relayed;
		t->received += d->received;
		t->distributed += d->distributed;
	}
}

/* Counts open footholds and the knowledge of active campaigns. */
static void observe(sim_world *w)
{
	for (int s = 0; s < w->p.n_segments; s++) {
		for (int a = 0; a < w->p.n_attackers; a++)
			w->daily[s].open_footholds += w->n_open_by[s][a];
		double sum = 0;
		int n = 0;
		for (uint32_t i = 0; i < w->n_active; i++) {
			const struct campaign *c = &w->camps[w->active[i]];
			if (w->p.attackers[c->attacker].targets[s] > 0) {
				sum += (double)c->known[s] / w->seg[s].count;
				n++;
			}
		}
		w->daily[s].knowledge = n ? sum / n : 0;
		w->daily[s].trained_ratio = w->seg[s].trained_ratio;
	}
}

/* One day, phase by phase (DESIGN.md 1.5). Timeline events take effect at
 * the start of their day; knowledge shared today blocks attempts from
 * tomorrow (or today, for what was shared with zero latency earlier). */
int sim_world_step(sim_world *w)
{
	if (cd_stopped())
		return CD_EINTR;
	w->day++;
	memset(w->daily, 0, sizeof w->daily);
	memset(w->bdaily, 0, sizeof w->bdaily);
	int rc = policy_timeline(w); /* 9: policy events */
	if (!rc)
		rc = attack_campaigns(w); /* 1: campaigns start, retire */
	if (!rc)
		rc = attack_attempts(w); /* 2: attempts, footholds */
	if (!rc)
		rc = defense_detect(w); /* 3: detection, reports */
	if (!rc)
		defense_damage(w); /* 4: damage while open */
	if (!rc)
		rc = defense_contain(w); /* 5: containment */
	if (!rc)
		rc = sharing_propagate(w); /* 6: bodies and links */
	if (!rc)
		policy_crisis(w); /* 7: crisis escalation */
	if (!rc)
		rc = policy_workforce(w); /* 8: monthly workforce flows */
	calendar_clear(&w->detect, w->day);
	calendar_clear(&w->contain, w->day);
	calendar_clear(&w->share, w->day);
	observe(w);
	accumulate(w);
	return rc;
}

int sim_world_day(const sim_world *w)
{
	return w->day;
}

const struct cd_params *sim_world_params(const sim_world *w)
{
	return &w->p;
}

const struct cd_daily *sim_world_daily(const sim_world *w, int segment)
{
	return &w->daily[segment];
}

const struct cd_body_daily *sim_world_body_daily(const sim_world *w, int body)
{
	return &w->bdaily[body];
}

int sim_world_crisis(const sim_world *w)
{
	return w->day < w->crisis_until;
}

int sim_world_crisis_days(const sim_world *w)
{
	return w->crisis_days;
}

double sim_world_trained_ratio(const sim_world *w)
{
	if (w->p.workforce.enabled)
		return w->p.workforce.needed > 0
			       ? w->wf_trained / w->p.workforce.needed
			       : 1;
	double num = 0, den = 0;
	for (int s = 0; s < w->p.n_segments; s++) {
		double demand = (double)w->seg[s].count *
				w->p.segments[s].staff_per_org;
		num += demand * w->seg[s].trained_ratio;
		den += demand;
	}
	return den > 0 ? num / den : 0;
}

double sim_world_damage(const sim_world *w, uint32_t fid)
{
	const struct cd_foothold *f = &w->fh[fid];
	if (f->day_contained >= 0)
		return f->damage;
	return w->cum[f->segment][w->camps[f->campaign].attacker] -
	       w->fh_attr[fid].cum0;
}

size_t sim_world_footholds(const sim_world *w, const struct cd_foothold **f)
{
	*f = w->fh;
	return w->n_fh;
}

size_t sim_world_n_campaigns(const sim_world *w)
{
	return w->n_camps;
}

int sim_world_campaign_attacker(const sim_world *w, uint32_t campaign)
{
	return w->camps[campaign].attacker;
}

int sim_world_campaign_body_day(const sim_world *w, uint32_t campaign, int body)
{
	return w->camps[campaign].body_day[body];
}

uint64_t sim_world_orgs_compromised(const sim_world *w)
{
	return w->compromised.n;
}

int64_t sim_world_organisations(const sim_world *w)
{
	return w->n_orgs;
}

uint64_t sim_world_events(const sim_world *w)
{
	return w->events;
}

const struct cd_daily *sim_world_totals(const sim_world *w, int segment)
{
	return &w->totals[segment];
}

const struct cd_body_daily *sim_world_body_totals(const sim_world *w, int body)
{
	return &w->btotals[body];
}
