#include "core/calendar.h"

#include <stdlib.h>

#include "core/status.h"

int calendar_init(struct calendar *c, int days)
{
	c->days = days;
	c->day = calloc((size_t)days, sizeof *c->day);
	return c->day ? 0 : CD_ENOMEM;
}

void calendar_free(struct calendar *c)
{
	if (c->day)
		for (int d = 0; d < c->days; d++)
			free(c->day[d].ev);
	free(c->day);
	c->day = NULL;
}

int calendar_add(struct calendar *c, int day, struct cal_event e)
{
	if (day < 0 || day >= c->days)
		return 0;
	struct cal_bucket *b = &c->day[day];
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? 2 * b->cap : 8;
		struct cal_event *ev = realloc(b->ev, cap * sizeof *ev);
		if (!ev)
			return CD_ENOMEM;
		b->ev = ev;
		b->cap = cap;
	}
	b->ev[b->n++] = e;
	return 0;
}

void calendar_clear(struct calendar *c, int day)
{
	free(c->day[day].ev);
	c->day[day] = (struct cal_bucket){0};
}
