/* detection: see detection.h. */
#include "models/detection.h"

#include <gsl/gsl_randist.h>
#include <math.h>

#include "core/status.h"

double detection_trained(const struct cd_model *m, uint32_t fid)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	return fmin(1, m->wf.ratio[f->segment] * footholds_factor(m->fh, fid));
}

void detection_hazards(const struct cd_model *m, uint32_t fid,
		       struct hazard *hz)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	const struct cd_detection *d = &m->p->detection;
	uint32_t c = f->campaign;
	const struct cd_attacker *att =
		&m->p->attackers[footholds_attacker(m->fh, fid)];
	double skill = d->untrained_skill +
		       (1 - d->untrained_skill) * detection_trained(m, fid);
	for (int k = 0; k < CD_SOURCES; k++)
		hz->h[k] = 0;
	hz->h[CD_SRC_INTERNAL] = d->internal_rate *
				 footholds_monitoring(m->fh, fid) * skill *
				 (1 - att->stealth);
	if (knowledge_knows(m->know, m->orgs, c, f->org)) {
		/* Hunting: "partner" when all the organisation knows came in
		 * from abroad, "shared" otherwise. */
		uint32_t via = orgs_reach(m->orgs, f->org) &
			       knowledge_body_reached(m->know, c);
		int own = knowledge_learned(m->know, c, f->org);
		int partner = !own && via &&
			      !(via & ~knowledge_partner_known(m->know, c));
		hz->h[partner ? CD_SRC_PARTNER : CD_SRC_SHARED] =
			d->hunt_rate * skill *
			knowledge_completeness(m->know, c);
	}
	if (m->p->segments[f->segment].kind == CD_KIND_GOVERNMENT)
		hz->h[CD_SRC_NATIONAL] =
			m->p->wog.national_monitoring * (1 - att->stealth);
	hz->h[CD_SRC_EXTERNAL] = d->external_rate;
	double miss = 1;
	for (int k = 0; k < CD_SOURCES; k++)
		miss *= 1 - hz->h[k];
	hz->total = 1 - miss;
}

int detection_schedule(struct cd_model *m, uint32_t fid, gsl_rng *r)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	const struct cd_attacker *att =
		&m->p->attackers[footholds_attacker(m->fh, fid)];
	struct hazard hz;
	detection_hazards(m, fid, &hz);
	int64_t day = INT64_MAX;
	int reveal = 0;
	if (hz.total > 1e-12) {
		double k = hz.total >= 1
				   ? 1
				   : (double)gsl_ran_geometric(r, hz.total);
		day = m->day + (int64_t)k;
	}
	if (att->objective == CD_OBJ_EXTORTION && att->reveal_days > 0) {
		int64_t cap = f->day_compromised +
			      (int64_t)fmax(1, ceil(att->reveal_days));
		if (cap <= m->day)
			cap = m->day + 1;
		if (cap <= day) {
			day = cap;
			reveal = 1;
		}
	}
	return footholds_schedule(m->fh, fid, day, reveal);
}

int detection_reschedule_campaign(struct cd_model *m, uint32_t c, gsl_rng *r)
{
	const uint32_t *list;
	uint32_t n = footholds_of(m->fh, c, &list);
	for (uint32_t k = 0; k < n; k++) {
		CD_POLL_STOP(k);
		const struct cd_foothold *f = footholds_get(m->fh, list[k]);
		if (f->day_detected < 0 && f->day_contained < 0 &&
		    knowledge_knows(m->know, m->orgs, c, f->org)) {
			int rc = detection_schedule(m, list[k], r);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int detection_reschedule_all(struct cd_model *m, gsl_rng *r)
{
	for (uint32_t i = 0; i < footholds_n_open(m->fh); i++) {
		CD_POLL_STOP(i);
		uint32_t fid = footholds_open_at(m->fh, i);
		if (footholds_get(m->fh, fid)->day_detected < 0) {
			int rc = detection_schedule(m, fid, r);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int detection_more_indicators(struct cd_model *m, uint32_t c, gsl_rng *r)
{
	knowledge_add_report(m->know, c, m->p->detection.indicator_yield);
	return m->p->detection.indicator_yield < 1
		       ? detection_reschedule_campaign(m, c, r)
		       : 0;
}
