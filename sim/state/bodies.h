/* bodies: what sharing bodies have in hand, and what they owe abroad.
 *
 * When a body is to learn a campaign (a member's report, a relay over a
 * link, a partner seeing it abroad) or to distribute it to its members,
 * the event is scheduled here for its day; events of one day are taken in
 * the order they were scheduled, and an event scheduled for the day being
 * processed (zero latency) is taken the same day. The store also counts,
 * for reciprocity, the distinct campaigns sent out to each foreign partner
 * and the campaigns known at home. It owns this state and changes it only
 * through the functions below.
 */
#ifndef CD_STATE_BODIES_H
#define CD_STATE_BODIES_H

#include <stdint.h>

#include "core/calendar.h"

/* What a body event is (cal_event.flag bits); a = body, b = campaign. */
enum {
	BODY_MEMBERS = 1, /* the body's members learn the campaign */
	BODY_PARTNER = 2, /* the knowledge came from a partner */
	BODY_LINK = 4,	  /* it arrived over a link */
	BODY_ABROAD = 8	  /* sent by a partner body */
};

/* The partner whose own sighting abroad the knowledge carries, in the
 * flag's bits from BODY_ORIGIN_SHIFT (partner + 1; 0: none), kept as it
 * is relayed: what makes a sighting one source however it travels. */
#define BODY_ORIGIN_SHIFT 8
#define BODY_ORIGIN_MASK (0xffu << BODY_ORIGIN_SHIFT)
static inline uint32_t body_origin_flag(int partner)
{
	return (uint32_t)(partner + 1) << BODY_ORIGIN_SHIFT;
}
/* The origin partner of an event's flag, or -1. */
static inline int body_origin(uint32_t flag)
{
	return (int)((flag & BODY_ORIGIN_MASK) >> BODY_ORIGIN_SHIFT) - 1;
}

typedef struct cd_bodies cd_bodies;

/* Returns 0 and an empty store for a horizon of `days`, or CD_ENOMEM. */
int bodies_create(cd_bodies **out, int days);
/* Frees it. Accepts NULL. */
void bodies_destroy(cd_bodies *b);

/* Schedules event `flag` of body `body` and campaign c on `day` (dropped
 * past the horizon). Returns 0 or CD_ENOMEM. */
int bodies_schedule(cd_bodies *b, int body, uint32_t c, uint32_t flag, int day);
/* The events of `day`; their number grows while the day is processed. */
uint32_t bodies_n_events(const cd_bodies *b, int day);
struct cal_event bodies_event(const cd_bodies *b, int day, uint32_t i);
/* Releases a day's events once it is over. */
void bodies_end_day(cd_bodies *b, int day);

/* A campaign sent from home to partner body `partner` for the first time
 * (knowledge_sent_abroad says when); a campaign newly known at home. */
void bodies_sent(cd_bodies *b, int partner);
void bodies_known_at_home(cd_bodies *b);
uint64_t bodies_sent_to(const cd_bodies *b, int partner);
uint64_t bodies_home_known(const cd_bodies *b);

#endif
