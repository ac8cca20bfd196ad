/* policy: the timeline of policy events, crisis escalation and the
 * national workforce pool.
 *
 * Timeline events take effect at the start of their day: their settings
 * are written into the run's parameters (and count as set explicitly, so
 * stage mappings do not undo them), the stage mappings are recomputed, and
 * everything that depends on parameters is refreshed.
 *
 * Crisis: when detections in government and critical infrastructure over
 * the last window_days reach the threshold, the National Security Council
 * engages from the next day for duration_days: latencies are multiplied by
 * latency_factor, every relay is made, containment time is multiplied by
 * containment_factor (Gady 2017: the NSC acts only in emergencies).
 *
 * Workforce (Gady 2017: 350,000 needed, 265,000 employed, 160,000 of them
 * insufficiently trained): at each month's end, training converts
 * untrained staff to trained, new untrained staff enter and a share of all
 * staff leave. The segments' demand (count x staff_per_org) stands for the
 * national need, so a share trained / needed of it is trained staff; they
 * are allocated in proportion to demand x workforce_priority, never beyond
 * a segment's demand (water-filling), and each segment's trained ratio is
 * its allocation over its demand.
 */
#include <math.h>
#include <string.h>

#include "scenario.h"
#include "stages.h"
#include "world_internal.h"

double policy_latency(const struct sim_world *w, double days)
{
	if (w->day < w->crisis_until)
		days *= w->p.crisis.latency_factor;
	return round(days);
}

int policy_timeline(struct sim_world *w)
{
	const struct cd_timeline *t = &w->timeline;
	int changed = 0;
	double employed = w->p.workforce.employed;
	double trained = w->p.workforce.trained;
	while (w->next_event < t->n_events &&
	       t->events[w->next_event].day <= w->day) {
		const struct cd_event *e = &t->events[w->next_event++];
		for (int k = 0; k < e->count; k++)
			scenario_apply(&w->p, w->set, &t->assign[e->first + k]);
		changed = 1;
	}
	if (!changed)
		return 0;
	stages_derive(&w->p, w->set);
	if (w->p.workforce.employed != employed ||
	    w->p.workforce.trained != trained) {
		w->wf_employed = w->p.workforce.employed;
		w->wf_trained = fmin(w->p.workforce.trained, w->wf_employed);
	}
	defense_refresh(w);
	attack_refresh(w);
	if (w->p.workforce.enabled)
		policy_workforce_allocate(w);
	int rc = sharing_memberships(w);
	return rc ? rc : defense_rehazard_all(w);
}

void policy_crisis(struct sim_world *w)
{
	const struct cd_crisis *cr = &w->p.crisis;
	uint64_t today = 0;
	for (int s = 0; s < w->p.n_segments; s++) {
		if (w->p.segments[s].kind == CD_KIND_CORPORATION)
			continue;
		for (int k = 0; k < CD_SOURCES; k++)
			today += w->daily[s].detections[k];
	}
	w->impact[w->day % 366] = today;
	if (w->day < w->crisis_until)
		w->crisis_days++;
	if (!cr->enabled || w->day < w->crisis_until)
		return;
	int window = (int)cr->window_days;
	uint64_t sum = 0;
	for (int d = w->day; d > w->day - window && d >= 0; d--)
		sum += w->impact[d % 366];
	if ((double)sum >= cr->threshold)
		w->crisis_until = w->day + 1 + (int)cr->duration_days;
}

void policy_workforce_allocate(struct sim_world *w)
{
	int n = w->p.n_segments;
	double demand[CD_MAX_SEGMENTS], weight[CD_MAX_SEGMENTS],
		alloc[CD_MAX_SEGMENTS];
	int open[CD_MAX_SEGMENTS];
	double total = 0;
	for (int s = 0; s < n; s++) {
		demand[s] = (double)w->seg[s].count *
			    w->p.segments[s].staff_per_org;
		weight[s] = demand[s] * w->p.segments[s].workforce_priority;
		alloc[s] = 0;
		open[s] = weight[s] > 0;
		total += demand[s];
	}
	/* The segments' demand stands for the national need: share out the
	 * trained staff in the proportion trained / needed. */
	double left = w->p.workforce.needed > 0
			      ? total * w->wf_trained / w->p.workforce.needed
			      : total;
	/* Water-filling: share what is left by weight; a segment that would
	 * get more than its demand gets its demand, and the rest is shared
	 * again among the others. */
	for (int round_ = 0; round_ < n && left > 0; round_++) {
		double wsum = 0;
		for (int s = 0; s < n; s++)
			if (open[s])
				wsum += weight[s];
		if (!(wsum > 0))
			break;
		int saturated = 0;
		for (int s = 0; s < n; s++) {
			if (open[s] &&
			    demand[s] - alloc[s] <= left * weight[s] / wsum) {
				left -= demand[s] - alloc[s];
				alloc[s] = demand[s];
				open[s] = 0;
				saturated = 1;
			}
		}
		if (!saturated) {
			for (int s = 0; s < n; s++)
				if (open[s])
					alloc[s] += left * weight[s] / wsum;
			left = 0;
		}
	}
	for (int s = 0; s < n; s++)
		w->seg[s].trained_ratio =
			demand[s] > 0 ? alloc[s] / demand[s] : 1;
}

int policy_workforce(struct sim_world *w)
{
	const struct cd_workforce *wf = &w->p.workforce;
	if (!wf->enabled || (w->day + 1) * 12 / 365 == w->day * 12 / 365)
		return 0;
	double untrained = fmax(0, w->wf_employed - w->wf_trained);
	w->wf_trained += fmin(wf->training_per_month, untrained);
	w->wf_employed += wf->entrants_per_month;
	w->wf_employed *= 1 - wf->attrition_per_month;
	w->wf_trained *= 1 - wf->attrition_per_month;
	policy_workforce_allocate(w);
	return defense_rehazard_all(w);
}
