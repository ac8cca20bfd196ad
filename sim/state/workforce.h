/* workforce: the national pool of security staff, and each segment's
 * share of trained staff.
 *
 * With the workforce enabled (Gady 2017: 350,000 needed, 265,000
 * employed, 160,000 of them insufficiently trained), the pool's employed
 * and trained staff are allocated to segments: the segments' demand
 * (count x staff_per_org) stands for the national need, so a share
 * trained / needed of it is trained staff, given out in proportion to
 * demand x workforce_priority and never beyond a segment's demand
 * (water-filling); a segment's trained ratio is its allocation over its
 * demand. Without it, each segment keeps its trained_ratio setting.
 * Segments the military cyber unit alone defends (defender "unit") are
 * outside the national need and pool; the unit's staff (cdu.staff) then
 * fill the gaps, demand x (1 - ratio), of every segment it defends
 * ("unit" or "both") by the same water-filling, weights gap x priority.
 * The store owns the pool and the ratios and changes them only here.
 */
#ifndef CD_STATE_WORKFORCE_H
#define CD_STATE_WORKFORCE_H

#include "state/orgs.h"
#include "params/params.h"

typedef struct cd_staff {
	double employed, trained;      /* the national pool */
	double ratio[CD_MAX_SEGMENTS]; /* trained / needed, per segment */
} cd_staff;

/* Sets the pool. Cannot fail. */
void workforce_set_pool(cd_staff *w, double employed, double trained);
/* Gives each segment its trained ratio from p: allocated from the pool
 * when the workforce is enabled, its setting otherwise. Cannot fail. */
void workforce_allocate(cd_staff *w, const struct cd_params *p,
			const cd_orgs *o);
/* The national trained staff over the staff needed. */
double workforce_national_ratio(const cd_staff *w, const struct cd_params *p,
				const cd_orgs *o);

#endif
