/* crisis: see crisis.h. */
#include "state/crisis.h"

void crisis_record(cd_council *c, int day, uint64_t detections)
{
	c->impact[day % 366] = detections;
	if (crisis_active(c, day))
		c->days++;
}

uint64_t crisis_window(const cd_council *c, int day, int window)
{
	uint64_t sum = 0;
	for (int d = day; d > day - window && d >= 0; d--)
		sum += c->impact[d % 366];
	return sum;
}

void crisis_engage(cd_council *c, int day, int duration)
{
	c->from = day + 1;
	c->until = day + 1 + duration;
}
