/* policy: the timeline of policy events, crisis escalation and the
 * national workforce (phases 1, 8 and 9).
 *
 * Timeline events take effect at the start of their day: their settings
 * are written into the run's parameters (and count as set explicitly, so
 * stage mappings do not undo them), the stage mappings are recomputed,
 * and everything that depends on parameters is refreshed.
 *
 * Crisis: when detections in government and critical infrastructure over
 * the last window_days reach the threshold, the National Security Council
 * engages from the next day for duration_days (Gady 2017: the NSC acts
 * only in emergencies); see detect.c and share.c for what it changes.
 *
 * Workforce (Gady 2017: 350,000 needed, 265,000 employed, 160,000 of them
 * insufficiently trained): at each month's end, training converts
 * untrained staff to trained, new untrained staff enter and a share of all
 * staff leave; the trained staff are then allocated to segments
 * (workforce.h).
 */
#include <math.h>

#include "params/assign.h"
#include "models/detection.h"
#include "models/phases.h"
#include "params/stages.h"
#include "core/status.h"

int phase_refresh(struct cd_model *m)
{
	orgs_refresh(m->orgs, m->p);
	knowledge_refresh(m->know, m->p->detection.indicator_yield);
	campaigns_refresh(m->camps, m->p, m->orgs);
	workforce_allocate(&m->wf, m->p, m->orgs);
	int rc = orgs_memberships(m->orgs, m->p);
	if (!rc) {
		struct cd_know_ctx x = model_know(m);
		knowledge_recount_all(m->know, &x);
	}
	return rc;
}

int phase_timeline(struct cd_model *m, const struct cd_rand *r)
{
	double employed = m->p->workforce.employed;
	double trained = m->p->workforce.trained;
	const struct cd_event *e;
	int changed = 0;
	/* Event days are reported days: none is taken in the warm-up. */
	while ((e = timeline_take(&m->tl, m->day - m->warmup))) {
		for (int k = 0; k < e->count; k++)
			params_apply(m->p, m->set,
				     &m->tl.t.assign[e->first + k]);
		changed = 1;
	}
	if (!changed)
		return 0;
	stages_derive(m->p, m->set);
	if (m->p->workforce.employed != employed ||
	    m->p->workforce.trained != trained)
		workforce_set_pool(&m->wf, m->p->workforce.employed,
				   fmin(m->p->workforce.trained,
					m->p->workforce.employed));
	int rc = phase_refresh(m);
	return rc ? rc : detection_recheck_all(m, r);
}

void phase_crisis(struct cd_model *m)
{
	const struct cd_crisis *cr = &m->p->crisis;
	uint64_t today = 0;
	for (int s = 0; s < m->p->n_segments; s++) {
		if (m->p->segments[s].kind == CD_KIND_CORPORATION)
			continue;
		for (int k = 0; k < CD_SOURCES; k++)
			today += m->tally.daily[s].detections[k];
	}
	crisis_record(&m->crisis, m->day, today);
	if (!cr->enabled || crisis_active(&m->crisis, m->day))
		return;
	uint64_t sum = crisis_window(&m->crisis, m->day, cr->window_days);
	if ((double)sum >= cr->threshold)
		crisis_engage(&m->crisis, m->day, cr->duration_days);
}

int phase_workforce(struct cd_model *m, const struct cd_rand *r)
{
	const struct cd_workforce *wf = &m->p->workforce;
	int day = m->day - m->warmup; /* held in the warm-up */
	if (!wf->enabled || day < 0 || (day + 1) * 12 / 365 == day * 12 / 365)
		return 0;
	double employed = m->wf.employed, trained = m->wf.trained;
	double untrained = fmax(0, employed - trained);
	trained += fmin(wf->training_per_month, untrained);
	employed += wf->entrants_per_month;
	employed *= 1 - wf->attrition_per_month;
	trained *= 1 - wf->attrition_per_month;
	workforce_set_pool(&m->wf, employed, trained);
	workforce_allocate(&m->wf, m->p, m->orgs);
	return detection_recheck_trained(m, r);
}
