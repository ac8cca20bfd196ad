/* calendar: events bucketed by day.
 *
 * The engine's cost follows events, not organisations x days: a foothold's
 * detection, a containment or a relay is scheduled for its day and nothing
 * is touched on the days between. Events of one day are processed in the
 * order they were scheduled (deterministic); an event scheduled for the
 * day being processed is processed the same day.
 */
#ifndef CD_CALENDAR_H
#define CD_CALENDAR_H

#include <stdint.h>

struct cal_event {
	uint32_t a, b;	  /* e.g. foothold, or body and campaign */
	uint32_t version; /* stale when it differs from the object's */
	uint32_t flag;
};

struct cal_bucket {
	struct cal_event *ev;
	uint32_t n, cap;
};

struct calendar {
	int days;
	struct cal_bucket *day; /* [days] */
};

/* Creates a calendar for days 0..days-1. Returns 0 or CD_ENOMEM. */
int calendar_init(struct calendar *c, int days);
/* Frees it. Accepts a zeroed calendar. */
void calendar_free(struct calendar *c);
/* Schedules e on `day`; events on or after the horizon are dropped.
 * Returns 0 or CD_ENOMEM. */
int calendar_add(struct calendar *c, int day, struct cal_event e);
/* Releases a processed day's memory. Cannot fail. */
void calendar_clear(struct calendar *c, int day);

#endif
