/* footholds: intrusions, from compromise to containment, and their
 * detection and containment schedules.
 *
 * A foothold is one organisation compromised by one campaign (struct
 * cd_foothold, world.h). The store keeps them all, numbered in the order
 * they are made; which are still open (not contained), by segment and
 * attacker; each campaign's list of its footholds; which organisation
 * holds an open foothold of which campaign; the organisations ever
 * compromised; and the calendars of detection and containment events.
 *
 * A foothold is not yet a breach: it reaches impact (exfiltration,
 * outage, encryption or fraud starts) on a day scheduled when it is made
 * (footholds_schedule_impact), if it is still open then; one contained
 * before never does. Damage follows counts, not a daily pass over
 * footholds: for each segment and attacker the store keeps what one
 * impacted open foothold has accrued over the run (footholds_accrue), and
 * a foothold's damage is that total at its containment minus the total
 * at its impact.
 *
 * A foothold's detection is drawn by thinning (models/detection.h): its
 * detection candidates are scheduled at a bound on its hazard; a new
 * bound bumps its version, and a candidate whose version is not the
 * foothold's is stale. The store owns all this state and changes it only
 * through the functions below.
 */
#ifndef CD_STATE_FOOTHOLDS_H
#define CD_STATE_FOOTHOLDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "params/params.h"
#include "state/records.h"

typedef struct cd_footholds cd_footholds;

/* Returns 0 and an empty store for a horizon of `days`, or CD_ENOMEM. */
int footholds_create(cd_footholds **out, int days);
/* Frees it. Accepts NULL. */
void footholds_destroy(cd_footholds *f);

/* What a new foothold is of: campaign c (of attacker a, known by its uid)
 * in organisation org (of segment seg, known by its identity), on day. */
struct cd_foothold_of {
	uint32_t campaign;
	int attacker;
	uint64_t campaign_uid;
	uint32_t org;
	int segment;
	uint64_t org_identity;
	int day;
};

/* Opens a foothold; monitoring and factor are the organisation's
 * attributes, kept for its detection. Its identity in keyed draws is
 * (campaign uid, organisation identity, its index among the footholds of
 * that pair). Returns 0 and its number in *fid; CD_ELIMIT past 2^31 - 1
 * footholds; CD_ENOMEM. */
int footholds_open(cd_footholds *f, const struct cd_foothold_of *of,
		   double monitoring, double factor, uint32_t *fid);
/* Contains foothold fid on `day`: its damage is final. Cannot fail. */
void footholds_close(cd_footholds *f, uint32_t fid, int day);
/* Foothold fid was detected on `day` by source src (enum cd_source). */
void footholds_detect(cd_footholds *f, uint32_t fid, int day, int src);
void footholds_set_shared(cd_footholds *f, uint32_t fid, int shared);
/* One more day of damage v for every open foothold of segment s and
 * attacker a that has reached impact; returns how many there are. Cannot
 * fail. */
uint32_t footholds_accrue(cd_footholds *f, int s, int a, double v);
/* Schedules fid's impact on `day` (none past the horizon). Returns 0 or
 * CD_ENOMEM. */
int footholds_schedule_impact(cd_footholds *f, uint32_t fid, int64_t day);
/* The impact events of `day`. */
uint32_t footholds_n_impacts(const cd_footholds *f, int day);
uint32_t footholds_impact_at(const cd_footholds *f, int day, uint32_t i);
/* Foothold fid reaches impact on `day`, if it is still open: returns 1,
 * or 0 if it was contained before. Cannot fail. */
int footholds_impact(cd_footholds *f, uint32_t fid, int day);

/* ---- schedules ---- */
/* Detection is drawn by thinning (models/detection.h): candidate days at
 * a bound on the foothold's hazard, each accepted with probability
 * hazard / bound. footholds_rebound starts a new bound (the candidates
 * already scheduled become stale); footholds_next_candidate counts one
 * candidate drawn; footholds_draw is the counter of the next draw (bound
 * and candidate), footholds_key the foothold's identity. */
void footholds_rebound(cd_footholds *f, uint32_t fid, double bound);
void footholds_next_candidate(cd_footholds *f, uint32_t fid);
double footholds_bound(const cd_footholds *f, uint32_t fid);
uint64_t footholds_draw(const cd_footholds *f, uint32_t fid);
uint64_t footholds_key(const cd_footholds *f, uint32_t fid);
/* Schedules a detection candidate of fid on `day` (reveal: the attacker's
 * ransom demand, valid whatever the bound); a day past the horizon
 * schedules none. Returns 0 or CD_ENOMEM. */
int footholds_schedule(cd_footholds *f, uint32_t fid, int64_t day, int reveal);
/* Schedules fid's containment on `day`. Returns 0 or CD_ENOMEM. */
int footholds_schedule_containment(cd_footholds *f, uint32_t fid, int day);
/* The detection events of `day` (some may be stale: footholds_current). */
uint32_t footholds_n_detections(const cd_footholds *f, int day);
struct cal_event footholds_detection(const cd_footholds *f, int day,
				     uint32_t i);
/* Sorts the detection events of `day` by foothold, ransom demands first:
 * the canonical order a day's detections are taken in. */
void footholds_sort_detections(cd_footholds *f, int day);
/* Is a detection event still the foothold's (of its bound, or a ransom
 * demand), the foothold open and undetected? */
int footholds_current(const cd_footholds *f, struct cal_event ev);
/* The containment events of `day`: the footholds contained that day. */
uint32_t footholds_n_containments(const cd_footholds *f, int day);
uint32_t footholds_containment(const cd_footholds *f, int day, uint32_t i);
/* Releases the memory of a day's events once it is over. */
void footholds_end_day(cd_footholds *f, int day);

/* ---- reading ---- */
size_t footholds_count(const cd_footholds *f);
const struct cd_foothold *footholds_all(const cd_footholds *f);
const struct cd_foothold *footholds_get(const cd_footholds *f, uint32_t fid);
int footholds_attacker(const cd_footholds *f, uint32_t fid);
double footholds_monitoring(const cd_footholds *f, uint32_t fid);
double footholds_factor(const cd_footholds *f, uint32_t fid);
/* Its damage so far: final once it is contained. */
double footholds_damage(const cd_footholds *f, uint32_t fid);
/* Does org hold an open foothold of campaign c? */
int footholds_has_open(const cd_footholds *f, uint32_t c, uint32_t org);
uint32_t footholds_n_open(const cd_footholds *f);
uint32_t footholds_open_at(const cd_footholds *f, uint32_t i);
/* Rechecks after a change of trained ratios (models/detection.c): limit
 * is the highest trained ratio of open foothold fid's segment at which
 * its candidates' bound provably still holds, -inf (the default) if none
 * is known, +inf once the foothold is detected. footholds_next_over
 * returns the first place from i on (as footholds_open_at) of an open
 * foothold whose limit is below ratio[its segment], or footholds_n_open.
 * Cannot fail. */
void footholds_set_limit(cd_footholds *f, uint32_t fid, double limit);
uint32_t footholds_next_over(const cd_footholds *f, const double *ratio,
			     uint32_t i);
uint32_t footholds_open_by(const cd_footholds *f, int s, int a);
uint64_t footholds_orgs_compromised(const cd_footholds *f);
/* Campaign c's footholds, in the order made (closed ones may be among
 * them until footholds_prune drops them). */
uint32_t footholds_of(const cd_footholds *f, uint32_t c, const uint32_t **list);
/* Drops c's contained footholds from its list, keeping the order. */
void footholds_prune(cd_footholds *f, uint32_t c);

#endif
