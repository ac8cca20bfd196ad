/* timeline: see timeline.h. */
#include "state/timeline.h"

#include <stddef.h>

const struct cd_event *timeline_take(cd_timeline_run *r, int day)
{
	if (r->next < r->t.n_events && r->t.events[r->next].day <= day)
		return &r->t.events[r->next++];
	return NULL;
}
