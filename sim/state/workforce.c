/* workforce: see workforce.h. */
#include "state/workforce.h"

#include <math.h>

void workforce_set_pool(cd_staff *w, double employed, double trained)
{
	w->employed = employed;
	w->trained = trained;
}

/* Water-filling: shares `left` by weight; a segment that would get more
 * than its demand gets its demand, and the rest is shared again among the
 * others. */
static void water_fill(int n, const double *demand, const double *weight,
		       double left, double *alloc)
{
	int open[CD_MAX_SEGMENTS];
	for (int s = 0; s < n; s++) {
		alloc[s] = 0;
		open[s] = weight[s] > 0;
	}
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
}

/* The military cyber unit's staff fill the gaps the national workforce
 * leaves in the segments it defends, by water-filling in proportion to
 * gap x workforce_priority. */
static void unit_allocate(cd_staff *w, const struct cd_params *p,
			  const double *demand)
{
	int n = p->n_segments, any = 0;
	double gap[CD_MAX_SEGMENTS], weight[CD_MAX_SEGMENTS],
		alloc[CD_MAX_SEGMENTS];
	for (int s = 0; s < n; s++) {
		int defended =
			p->segments[s].defender != CD_DEFENDER_NATIONAL &&
			demand[s] > 0;
		gap[s] = defended ? demand[s] * (1 - w->ratio[s]) : 0;
		weight[s] = gap[s] * p->segments[s].workforce_priority;
		any |= defended;
	}
	if (!any)
		return;
	water_fill(n, gap, weight, p->cdu.staff, alloc);
	for (int s = 0; s < n; s++)
		if (gap[s] > 0)
			w->ratio[s] =
				fmin(1, w->ratio[s] + alloc[s] / demand[s]);
}

/* A segment the unit alone defends draws nothing from the national
 * workforce: its demand is not part of the national need. */
static int is_national(const struct cd_params *p, int s)
{
	return p->segments[s].defender != CD_DEFENDER_UNIT;
}

void workforce_allocate(cd_staff *w, const struct cd_params *p,
			const cd_orgs *o)
{
	int n = p->n_segments;
	double demand[CD_MAX_SEGMENTS], weight[CD_MAX_SEGMENTS],
		alloc[CD_MAX_SEGMENTS];
	double total = 0;
	for (int s = 0; s < n; s++) {
		demand[s] = (double)orgs_segment_count(o, s) *
			    p->segments[s].staff_per_org;
		weight[s] =
			is_national(p, s)
				? demand[s] * p->segments[s].workforce_priority
				: 0;
		total += is_national(p, s) ? demand[s] : 0;
	}
	if (!p->workforce.enabled) {
		for (int s = 0; s < n; s++)
			w->ratio[s] = is_national(p, s) || !(demand[s] > 0)
					      ? p->segments[s].trained_ratio
					      : 0;
	} else {
		/* The national segments' demand stands for the national
		 * need: share out the trained staff in the proportion
		 * trained / needed. */
		double left = p->workforce.needed > 0
				      ? total * w->trained / p->workforce.needed
				      : total;
		water_fill(n, demand, weight, left, alloc);
		for (int s = 0; s < n; s++)
			w->ratio[s] = demand[s] > 0 ? alloc[s] / demand[s] : 1;
	}
	unit_allocate(w, p, demand);
}

double workforce_national_ratio(const cd_staff *w, const struct cd_params *p,
				const cd_orgs *o)
{
	if (p->workforce.enabled)
		return p->workforce.needed > 0
			       ? w->trained / p->workforce.needed
			       : 1;
	double num = 0, den = 0;
	for (int s = 0; s < p->n_segments; s++) {
		double demand = (double)orgs_segment_count(o, s) *
				p->segments[s].staff_per_org;
		num += demand * w->ratio[s];
		den += demand;
	}
	return den > 0 ? num / den : 0;
}
