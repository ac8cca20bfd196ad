/* crisis: whether the National Security Council is engaged, and the
 * national impact it watches.
 *
 * The store keeps, for the last 366 days, the detections in government
 * and critical infrastructure each day; the days the council is engaged
 * (from <= day < until); and the days it has been engaged. It owns this state and changes it only through the functions
 * below.
 */
#ifndef CD_STATE_CRISIS_H
#define CD_STATE_CRISIS_H

#include <stdint.h>

typedef struct cd_council {
	int from, until;      /* engaged while from <= day < until */
	int days;	      /* days engaged so far */
	uint64_t impact[366]; /* ring: government + infrastructure
				 detections per day */
} cd_council;

/* Is the council engaged on `day`? Cannot fail. */
static inline int crisis_active(const cd_council *c, int day)
{
	return day >= c->from && day < c->until;
}

/* Records `day`'s detections, and the day if the council is engaged. */
void crisis_record(cd_council *c, int day, uint64_t detections);
/* Detections of the last `window` days up to `day`. */
uint64_t crisis_window(const cd_council *c, int day, int window);
/* Engages the council from the next day for `duration` days. */
void crisis_engage(cd_council *c, int day, int duration);

#endif
