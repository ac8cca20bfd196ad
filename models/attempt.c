/* attempt: intrusion attempts (phase 3).
 *
 * Attempts are drawn in aggregate, never one iteration per attempt. For a
 * campaign making lambda attempts a day on a segment of which a share f
 * knows the campaign (and blocks a known campaign's attempt with efficacy
 * e), Poisson splitting gives independent counts: blocked ~ Poisson(lambda
 * f e), candidates ~ Poisson(lambda (1 - f e) p0) and plain failures ~
 * Poisson(lambda (1 - f e)(1 - p0)) (each drawn once per segment and
 * day for all campaigns together, since Poisson streams add up), where p0 =
 * success_prob bounds every organisation's success probability. Only
 * candidates touch organisations: each picks a target among the
 * organisations not blocking it (by rejection) and succeeds with
 * probability 1 - hygiene (1 - sophistication); a rejected candidate is a
 * failed attempt. Work grows with candidates, which are few, not with the
 * billions of attempts.
 */
#include <stdlib.h>

#include "models/detection.h"
#include "models/phases.h"
#include "core/rng.h"
#include "core/status.h"

static int new_foothold(struct cd_model *m, uint32_t c, uint32_t org, int s,
			gsl_rng *defense)
{
	int a = campaigns_attacker(m->camps, c);
	double mon = orgs_monitoring(m->orgs, org, s);
	double factor = orgs_factor(m->orgs, m->p, org, s);
	uint32_t fid;
	int rc = footholds_open(m->fh, c, a, org, s, m->day, mon, factor, &fid);
	return rc ? rc : detection_schedule(m, fid, defense);
}

/* One candidate attempt of campaign c on segment s: picks a target that
 * does not block it, then tries it. */
static int candidate(struct cd_model *m, uint32_t c, int s, gsl_rng *r,
		     gsl_rng *defense)
{
	const struct cd_attacker *att =
		&m->p->attackers[campaigns_attacker(m->camps, c)];
	uint32_t start = orgs_segment_start(m->orgs, s),
		 count = orgs_segment_count(m->orgs, s);
	double e = m->p->detection.block_efficacy *
		   knowledge_completeness(m->know, c);
	m->tally.events++; /* a candidate attempt touches an organisation */
	/* By rejection; f e < 1 here, so it ends (the bound is a safety net).
	 */
	uint32_t org, tries = 0;
	do
		org = start + (uint32_t)gsl_rng_uniform_int(r, count);
	while (knowledge_knows(m->know, m->orgs, c, org) &&
	       gsl_rng_uniform(r) < e && ++tries < 1000000);
	int in = !footholds_has_open(m->fh, c, org) &&
		 gsl_rng_uniform(r) < 1 - orgs_hygiene(m->orgs, org, s) *
						      (1 - att->sophistication);
	if (!in) {
		m->tally.daily[s].failed++;
		return 0;
	}
	m->tally.daily[s].intrusions++;
	return new_foothold(m, c, org, s, defense);
}

/* The means of segment s: blocked, failed and each campaign's candidates
 * (mu), summed over the active campaigns. */
static void segment_means(const struct cd_model *m, int s, double *mu,
			  double sum[3])
{
	sum[0] = sum[1] = sum[2] = 0;
	uint32_t count = orgs_segment_count(m->orgs, s);
	for (uint32_t i = 0; i < campaigns_n_active(m->camps); i++) {
		uint32_t c = campaigns_active(m->camps, i);
		int a = campaigns_attacker(m->camps, c);
		const struct cd_attacker *att = &m->p->attackers[a];
		mu[i] = 0;
		if (!(att->targets[s] > 0))
			continue;
		double lambda = att->attempts_per_day * att->targets[s] *
				count / campaigns_target_total(m->camps, a);
		double fe = m->p->detection.block_efficacy *
			    knowledge_completeness(m->know, c) *
			    knowledge_known(m->know, c, s) / count;
		sum[0] += lambda * fe;
		sum[1] += lambda * (1 - fe) * (1 - att->success_prob);
		mu[i] = lambda * (1 - fe) * att->success_prob;
		sum[2] += mu[i];
	}
}

/* Per segment, the campaigns' Poisson streams of attempts add up: one draw
 * per segment and day for each of blocked, failed and candidates (Poisson
 * superposition), and each candidate then belongs to campaign c with
 * probability mu_c / sum(mu) (thinning). */
static int segment(struct cd_model *m, int s, double *mu, gsl_rng *r,
		   gsl_rng *defense)
{
	double sum[3];
	segment_means(m, s, mu, sum);
	uint64_t n_blocked = rng_poisson(r, sum[0]);
	uint64_t n_failed = rng_poisson(r, sum[1]);
	uint64_t n_cand = rng_poisson(r, sum[2]);
	struct cd_daily *d = &m->tally.daily[s];
	d->attempts += n_blocked + n_failed + n_cand;
	d->blocked += n_blocked;
	d->failed += n_failed;
	uint32_t n_active = campaigns_n_active(m->camps);
	for (uint64_t k = 0; k < n_cand; k++) {
		CD_POLL_STOP(k);
		double u = gsl_rng_uniform(r) * sum[2];
		uint32_t i = 0;
		while (i + 1 < n_active && u >= mu[i])
			u -= mu[i++];
		int rc = candidate(m, campaigns_active(m->camps, i), s, r,
				   defense);
		if (rc)
			return rc;
	}
	return 0;
}

int phase_attempts(struct cd_model *m, gsl_rng *attack, gsl_rng *defense)
{
	uint32_t n = campaigns_n_active(m->camps);
	double small[256] = {0};
	double *mu = n <= 256 ? small : calloc(n, sizeof *mu);
	if (!mu)
		return CD_ENOMEM;
	int rc = 0;
	for (int s = 0; s < m->p->n_segments && !rc; s++)
		rc = cd_stopped() ? CD_EINTR
				  : segment(m, s, mu, attack, defense);
	if (mu != small)
		free(mu);
	return rc;
}
