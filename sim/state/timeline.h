/* timeline: the policy events of a run, and which are still to come.
 *
 * The run keeps its own copy of the scenario's timeline (events sorted by
 * day, file order within a day) and takes each event once, on its day.
 */
#ifndef CD_STATE_TIMELINE_H
#define CD_STATE_TIMELINE_H

#include "params/params.h"

typedef struct cd_timeline_run {
	struct cd_timeline t;
	int next; /* the next event to take */
} cd_timeline_run;

/* The next event due on or before `day`, taken; NULL when none is due.
 * Cannot fail. */
const struct cd_event *timeline_take(cd_timeline_run *r, int day);

#endif
