#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "models/phases.h"
#include "core/rng.h"
#include "core/status.h"
#include "world/world.h"

struct sim_world {
	struct cd_params p;
	unsigned char set[sizeof(struct cd_params)];
	struct cd_rand rand; /* every draw is keyed by its seed */
	struct cd_model m;
	size_t campaigns_before; /* started in the warm-up */
};

int sim_world_create(sim_world **out, const struct cd_params *p,
		     const unsigned char *set, const struct cd_timeline *t,
		     uint64_t run_seed)
{
	*out = NULL;
	if (sim_world_organisations_of(p) > (int64_t)INT32_MAX)
		return CD_ELIMIT;
	sim_world *w = calloc(1, sizeof *w);
	if (!w)
		return CD_ENOMEM;
	w->p = *p;
	if (set)
		memcpy(w->set, set, sizeof w->set);
	struct cd_model *m = &w->m;
	if (t)
		m->tl.t = *t;
	w->rand.seed = run_seed;
	m->p = &w->p;
	m->set = w->set;
	m->day = m->detected = -1;
	m->warmup = p->warmup_days;
	m->horizon = p->warmup_days + p->days;
	model_name_ids(m);
	int rc = orgs_create(&m->orgs, p, run_seed);
	if (!rc)
		rc = campaigns_create(&m->camps);
	if (!rc)
		rc = knowledge_create(&m->know, p->n_segments);
	if (!rc)
		rc = footholds_create(&m->fh, m->horizon);
	if (!rc)
		rc = bodies_create(&m->bodies, m->horizon);
	workforce_set_pool(&m->wf, p->workforce.employed, p->workforce.trained);
	if (!rc)
		rc = phase_refresh(m);
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

/* Days simulated: the warm-up and the reported horizon. */
static double simulated_days(const struct cd_params *p)
{
	return (double)p->warmup_days + p->days;
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
	return rate * fmin(p->attackers[a].campaign_days, simulated_days(p));
}

/* Work units, weighted by their cost relative to a candidate intrusion
 * (about 0.8 us in the national scenario, with its foothold, detection
 * and sharing): a campaign-segment pair of the attempt loop costs about
 * 1/50 of one, a foothold walked when a report rehazards its campaign
 * (a few loads and a test) about 1/100. */
#define PAIR_COST 0.02
#define WALK_COST 0.01

/* The largest share of detections that attacker a's targets report (a
 * member of a body with a reporting channel at the best judgement, at
 * its share rate), when a report rehazards the campaign (indicator_yield
 * < 1); 0 otherwise. */
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
				    fmin(1, p->segments[s].framework * judge) *
					    p->segments[s].share_rate);
	}
	return best;
}

double sim_world_day_work(const struct cd_params *p, int *worst)
{
	double total = 0, most = -1;
	for (int a = 0; a < p->n_attackers; a++) {
		double cand, rate = start_rate(p, a, &cand);
		double life =
			fmin(p->attackers[a].campaign_days, simulated_days(p));
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
		camps += rate * simulated_days(p);
		cand_total += active_of(p, a, rate) * cand * simulated_days(p);
	}
	double bytes = sizeof(struct sim_world) +
		       3.0 * simulated_days(p) * sizeof(struct cal_bucket) +
		       (double)p->n_segments * (1 << CD_MAX_SEGMENT_BODIES) *
			       sizeof(uint32_t) +
		       orgs * 4 /* footholds and knowledge: a margin */
		       + camps * (256 + 4.0 * p->n_segments) /* each kept */
		       + cand_total * 100 + (16 << 20);
	return bytes > 1e18 ? (size_t)1e18 : (size_t)bytes;
}

void sim_world_destroy(sim_world *w)
{
	if (!w)
		return;
	orgs_destroy(w->m.orgs);
	campaigns_destroy(w->m.camps);
	knowledge_destroy(w->m.know);
	footholds_destroy(w->m.fh);
	bodies_destroy(w->m.bodies);
	free(w);
}

/* Adds the day's counters to the run's totals. */
static void accumulate(struct cd_model *m)
{
	struct cd_tally *y = &m->tally;
	for (int s = 0; s < m->p->n_segments; s++) {
		struct cd_daily *d = &y->daily[s], *t = &y->totals[s];
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
	for (int b = 0; b < m->p->n_bodies; b++) {
		struct cd_body_daily *d = &y->bdaily[b], *t = &y->btotals[b];
		t->reports += d->reports;
		t->learned += d->learned;
		t->relayed += d->relayed;
		t->received += d->received;
		t->distributed += d->distributed;
	}
}

/* Counts open footholds and the knowledge of active campaigns. */
static void observe(struct cd_model *m)
{
	for (int s = 0; s < m->p->n_segments; s++) {
		struct cd_daily *d = &m->tally.daily[s];
		for (int a = 0; a < m->p->n_attackers; a++)
			d->open_footholds += footholds_open_by(m->fh, s, a);
		double sum = 0;
		int n = 0;
		uint32_t count = orgs_segment_count(m->orgs, s);
		for (uint32_t i = 0; i < campaigns_n_active(m->camps); i++) {
			uint32_t c = campaigns_active(m->camps, i);
			int a = campaigns_attacker(m->camps, c);
			if (m->p->attackers[a].targets[s] > 0) {
				sum += (double)knowledge_known(m->know, c, s) /
				       count;
				n++;
			}
		}
		d->knowledge = n ? sum / n : 0;
		d->trained_ratio = m->wf.ratio[s];
	}
}

/* The reported horizon begins (day m->warmup): its totals start from
 * zero, while the state the warm-up built (campaigns, footholds,
 * knowledge, the crisis) carries on. */
static void begin_horizon(sim_world *w)
{
	struct cd_model *m = &w->m;
	memset(m->tally.totals, 0, sizeof m->tally.totals);
	memset(m->tally.btotals, 0, sizeof m->tally.btotals);
	m->crisis.days = 0;
	w->campaigns_before = campaigns_count(m->camps);
}

/* One day: a fixed sequence of phases (DESIGN.md 1.5), each handed the
 * run's keyed random source. Timeline events take effect at the start of
 * their day; knowledge shared today blocks attempts from tomorrow (or
 * today, for what was shared with zero latency earlier). */
int sim_world_step(sim_world *w)
{
	if (cd_stopped())
		return CD_EINTR;
	struct cd_model *m = &w->m;
	const struct cd_rand *r = &w->rand;
	m->day++;
	if (m->day == m->warmup)
		begin_horizon(w);
	memset(m->tally.daily, 0, sizeof m->tally.daily);
	memset(m->tally.bdaily, 0, sizeof m->tally.bdaily);
	int rc = phase_timeline(m, r);
	if (!rc)
		rc = phase_campaigns(m, r);
	if (!rc)
		rc = phase_attempts(m, r);
	if (!rc)
		rc = phase_impact(m, r);
	if (!rc)
		rc = phase_detect(m, r);
	if (!rc) {
		phase_damage(m);
		phase_contain(m);
		rc = phase_share(m, r);
	}
	if (!rc) {
		phase_crisis(m);
		rc = phase_workforce(m, r);
	}
	footholds_end_day(m->fh, m->day);
	bodies_end_day(m->bodies, m->day);
	/* After an error the stores may disagree (a campaign started whose
	 * knowledge record could not be made): nothing more is read. */
	if (rc)
		return rc;
	observe(m);
	accumulate(m);
	return 0;
}

int sim_world_day(const sim_world *w)
{
	return w->m.day - w->m.warmup;
}

int sim_world_warmup(const sim_world *w)
{
	return w->m.warmup;
}

size_t sim_world_campaigns_before(const sim_world *w)
{
	return w->campaigns_before;
}

const struct cd_params *sim_world_params(const sim_world *w)
{
	return &w->p;
}

const struct cd_daily *sim_world_daily(const sim_world *w, int segment)
{
	return &w->m.tally.daily[segment];
}

const struct cd_body_daily *sim_world_body_daily(const sim_world *w, int body)
{
	return &w->m.tally.bdaily[body];
}

int sim_world_crisis(const sim_world *w)
{
	return crisis_active(&w->m.crisis, w->m.day);
}

int sim_world_crisis_days(const sim_world *w)
{
	return w->m.crisis.days;
}

double sim_world_trained_ratio(const sim_world *w)
{
	return workforce_national_ratio(&w->m.wf, &w->p, w->m.orgs);
}

double sim_world_damage(const sim_world *w, uint32_t fid)
{
	return footholds_damage(w->m.fh, fid);
}

size_t sim_world_footholds(const sim_world *w, const struct cd_foothold **f)
{
	*f = footholds_all(w->m.fh);
	return footholds_count(w->m.fh);
}

size_t sim_world_n_campaigns(const sim_world *w)
{
	return campaigns_count(w->m.camps);
}

int sim_world_campaign_attacker(const sim_world *w, uint32_t campaign)
{
	return campaigns_attacker(w->m.camps, campaign);
}

int sim_world_campaign_body_day(const sim_world *w, uint32_t campaign, int body)
{
	return knowledge_body_day(w->m.know, campaign, body);
}

int64_t sim_world_organisations(const sim_world *w)
{
	return orgs_count(w->m.orgs);
}

uint64_t sim_world_events(const sim_world *w)
{
	return w->m.tally.events;
}

const struct cd_daily *sim_world_totals(const sim_world *w, int segment)
{
	return &w->m.tally.totals[segment];
}

const struct cd_body_daily *sim_world_body_totals(const sim_world *w, int body)
{
	return &w->m.tally.btotals[body];
}
