/* attempt: intrusion attempts (phase 3).
 *
 * Attempts are drawn in aggregate, never one iteration per attempt. For a
 * campaign making lambda attempts a day on a segment of which a share f
 * knows the campaign (and blocks a known campaign's attempt with efficacy
 * e), Poisson splitting gives independent counts: blocked ~ Poisson(lambda
 * f e), candidates ~ Poisson(lambda (1 - f e) p0) and plain failures ~
 * Poisson(lambda (1 - f e)(1 - p0)), where p0 = success_prob bounds every
 * organisation's success probability. Each is drawn by inversion of a
 * uniform keyed by (campaign, segment, day), so that two runs whose rates
 * differ a little draw counts that differ a little. Only candidates touch
 * organisations: candidate j picks a target among the organisations not
 * blocking it (by rejection) and succeeds with probability 1 - hygiene
 * (1 - sophistication), each draw keyed by (campaign, segment, day, j); a
 * rejected candidate is a failed attempt. Work grows with candidates,
 * which are few, not with the billions of attempts. Campaigns are taken
 * in the order they started, segments in the order of their names.
 */
#include <math.h>

#include "core/status.h"
#include "models/detection.h"
#include "models/phases.h"

#define MAX_TRIES ((1u << 20) - 1) /* rejections of one candidate */

/* One candidate's draws: what it is of. */
struct cand {
	uint32_t c;	 /* the campaign */
	int s;		 /* the segment */
	uint64_t day_id; /* (campaign, segment, day) */
};

static int new_foothold(struct cd_model *m, const struct cd_rand *r,
			const struct cand *k, uint32_t org)
{
	int a = campaigns_attacker(m->camps, k->c);
	struct cd_foothold_of of = {
		k->c,  a,    campaigns_uid(m->camps, k->c),
		org,   k->s, orgs_identity(m->orgs, org, k->s),
		m->day};
	double mon = orgs_monitoring(m->orgs, org, k->s);
	double factor = orgs_factor(m->orgs, m->p, org, k->s);
	uint32_t fid;
	int rc = footholds_open(m->fh, &of, mon, factor, &fid);
	if (!rc)
		rc = detection_open(m, r, fid);
	if (rc)
		return rc;
	/* Its impact, keyed by the foothold: taken today or later (the impact
	 * phase follows this one), if it is still open then. */
	uint64_t delay = model_delay(
		m->p->attackers[a].impact_days_mean,
		rand_u01(r, KEY_IMPACT, footholds_key(m->fh, fid), 0));
	if (delay >= (uint64_t)m->horizon)
		return 0; /* beyond any horizon */
	return footholds_schedule_impact(m->fh, fid,
					 (int64_t)m->day + (int64_t)delay);
}

/* Candidate j: picks a target that does not block it, then tries it. */
static int candidate(struct cd_model *m, const struct cd_rand *r,
		     const struct cand *k, uint64_t j)
{
	const struct cd_attacker *att =
		&m->p->attackers[campaigns_attacker(m->camps, k->c)];
	uint32_t start = orgs_segment_start(m->orgs, k->s),
		 count = orgs_segment_count(m->orgs, k->s);
	double e = m->p->detection.block_efficacy *
		   knowledge_completeness(m->know, k->c);
	m->tally.events++; /* a candidate attempt touches an organisation */
	/* By rejection; f e < 1 here, so it ends (the bound is a safety
	 * net). */
	uint32_t org;
	for (uint64_t t = 0;; t++) {
		uint64_t ctr = j << 21 | t;
		double u = rand_u01(r, KEY_TARGET, k->day_id, ctr);
		org = start + (uint32_t)fmin(count - 1, floor(u * count));
		if (t == MAX_TRIES ||
		    !knowledge_knows(m->know, m->orgs, k->c, org, k->s) ||
		    !(rand_u01(r, KEY_BLOCK, k->day_id, ctr) < e))
			break;
	}
	/* It succeeds when u < 1 - hygiene x miss: whatever the hygiene (a
	 * Beta draw, in [0, 1]) when u < 1 - miss, the product rounding to
	 * at most miss; the hygiene is drawn only when it decides. */
	double u = rand_u01(r, KEY_SUCCESS, k->day_id, j),
	       miss = 1 - att->sophistication;
	if (footholds_has_open(m->fh, k->c, org) ||
	    !(u < 1 - miss ||
	      u < 1 - orgs_hygiene(m->orgs, org, k->s) * miss)) {
		m->tally.daily[k->s].failed++;
		return 0;
	}
	m->tally.daily[k->s].intrusions++;
	return new_foothold(m, r, k, org);
}

/* Campaign c's attempts on segment s today. */
static int campaign_segment(struct cd_model *m, const struct cd_rand *r,
			    uint32_t c, int s)
{
	int a = campaigns_attacker(m->camps, c);
	const struct cd_attacker *att = &m->p->attackers[a];
	if (!(att->targets[s] > 0))
		return 0;
	uint32_t count = orgs_segment_count(m->orgs, s);
	double lambda = att->attempts_per_day * att->targets[s] * count /
			campaigns_target_total(m->camps, a);
	double fe = m->p->detection.block_efficacy *
		    knowledge_completeness(m->know, c) *
		    knowledge_known(m->know, c, s) / count;
	uint64_t pair = cd_id2(campaigns_uid(m->camps, c), m->segment_id[s]);
	uint64_t d4 = 4 * (uint64_t)m->day;
	uint64_t n_blocked = cd_poisson_inv_fast(
		lambda * fe, rand_u01(r, KEY_COUNT, pair, d4));
	uint64_t n_failed =
		cd_poisson_inv_fast(lambda * (1 - fe) * (1 - att->success_prob),
				    rand_u01(r, KEY_COUNT, pair, d4 + 1));
	uint64_t n_cand = cd_poisson_inv(lambda * (1 - fe) * att->success_prob,
					 rand_u01(r, KEY_COUNT, pair, d4 + 2));
	struct cd_daily *d = &m->tally.daily[s];
	d->attempts += n_blocked + n_failed + n_cand;
	d->blocked += n_blocked;
	d->failed += n_failed;
	struct cand k = {c, s, cd_id2(pair, (uint64_t)m->day)};
	for (uint64_t j = 0; j < n_cand; j++) {
		CD_POLL_STOP(j);
		int rc = candidate(m, r, &k, j);
		if (rc)
			return rc;
	}
	return 0;
}

int phase_attempts(struct cd_model *m, const struct cd_rand *r)
{
	for (int s = 0; s < m->p->n_segments; s++) {
		if (cd_stopped())
			return CD_EINTR;
		for (uint32_t i = 0; i < campaigns_n_active(m->camps); i++) {
			int rc = campaign_segment(
				m, r, campaigns_active(m->camps, i), s);
			if (rc)
				return rc;
		}
	}
	return 0;
}
