/* bodies: see bodies.h. */
#include "state/bodies.h"

#include <stdlib.h>

#include "params/params.h"
#include "core/status.h"

struct cd_bodies {
	struct calendar cal;
	uint64_t sent_to[CD_MAX_BODIES]; /* campaigns sent out to partners */
	uint64_t known_at_home;		 /* campaigns known at home */
};

int bodies_create(cd_bodies **out, int days)
{
	*out = NULL;
	cd_bodies *b = calloc(1, sizeof *b);
	if (!b)
		return CD_ENOMEM;
	if (calendar_init(&b->cal, days)) {
		free(b);
		return CD_ENOMEM;
	}
	*out = b;
	return 0;
}

void bodies_destroy(cd_bodies *b)
{
	if (!b)
		return;
	calendar_free(&b->cal);
	free(b);
}

int bodies_schedule(cd_bodies *b, int body, uint32_t c, uint32_t flag, int day)
{
	return calendar_add(&b->cal, day,
			    (struct cal_event){(uint32_t)body, c, 0, flag});
}

uint32_t bodies_n_events(const cd_bodies *b, int day)
{
	return b->cal.day[day].n;
}

struct cal_event bodies_event(const cd_bodies *b, int day, uint32_t i)
{
	return b->cal.day[day].ev[i];
}

void bodies_end_day(cd_bodies *b, int day)
{
	calendar_clear(&b->cal, day);
}

void bodies_sent(cd_bodies *b, int partner)
{
	b->sent_to[partner]++;
}

void bodies_known_at_home(cd_bodies *b)
{
	b->known_at_home++;
}

uint64_t bodies_sent_to(const cd_bodies *b, int partner)
{
	return b->sent_to[partner];
}

uint64_t bodies_home_known(const cd_bodies *b)
{
	return b->known_at_home;
}
