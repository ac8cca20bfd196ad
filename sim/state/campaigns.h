/* campaigns: the attack campaigns of a run, and the ones still active.
 *
 * A campaign belongs to one attacker group and lives from its start day to
 * its end: the day it expires (a lifetime drawn when it starts) or the
 * day its attacker retires it. Campaigns are numbered from 0 in the order
 * they start and are never removed; the active ones are listed in start
 * order. The store also keeps each attacker's total target weight (the
 * sum over segments of weight x organisations), by which its attempts
 * are spread, and each attacker's arrivals: campaigns start as a Poisson
 * process whose cumulative intensity (the expected starts so far) grows
 * by the attacker's rate each day; its k-th campaign starts on the day the
 * intensity passes the k-th arrival threshold of a unit-rate process
 * (thresholds drawn by the campaign phase), so a small change of rate
 * moves each campaign's start a little rather than reshuffling them. A
 * campaign is known in keyed draws by its uid: its attacker's name and
 * its k. It owns this state; others read it through its functions.
 */
#ifndef CD_STATE_CAMPAIGNS_H
#define CD_STATE_CAMPAIGNS_H

#include <stdint.h>

#include "state/orgs.h"
#include "params/params.h"

typedef struct cd_campaigns cd_campaigns;

/* Returns 0 and an empty store in *out, or CD_ENOMEM. */
int campaigns_create(cd_campaigns **out);
/* Frees it. Accepts NULL. */
void campaigns_destroy(cd_campaigns *c);

/* Recomputes the attackers' total target weights from p. Cannot fail. */
void campaigns_refresh(cd_campaigns *c, const struct cd_params *p,
		       const cd_orgs *o);

/* Starts a campaign of attacker a with identity uid on `day`, expiring on
 * day_expire, and makes it active. Returns 0 and its number in *id, or
 * CD_ENOMEM. */
int campaigns_start(cd_campaigns *c, int a, uint64_t uid, int day,
		    int day_expire, uint32_t *id);

/* Attacker a's arrivals: adds today's expected starts to its cumulative
 * intensity. Cannot fail. */
void campaigns_add_intensity(cd_campaigns *c, int a, double expected);
/* Attacker a's arrivals so far: the k of its next campaign. */
uint64_t campaigns_arrivals(const cd_campaigns *c, int a);
/* Is attacker a's next threshold, `gap` past the last (unit-rate
 * exponential), passed by its intensity? The first call for each k sets
 * that threshold; an arrival is then taken by campaigns_arrived. */
int campaigns_due(cd_campaigns *c, int a, double gap);
void campaigns_arrived(cd_campaigns *c, int a);
/* Ends the active campaigns for which retire(ctx, id) is nonzero on
 * `day`, keeping the others in order. Cannot fail. */
void campaigns_retire(cd_campaigns *c, int day,
		      int (*retire)(void *ctx, uint32_t id), void *ctx);

/* ---- reading ---- */
uint32_t campaigns_count(const cd_campaigns *c);
uint32_t campaigns_n_active(const cd_campaigns *c);
uint32_t campaigns_active(const cd_campaigns *c, uint32_t i); /* i-th */
int campaigns_attacker(const cd_campaigns *c, uint32_t id);
uint64_t campaigns_uid(const cd_campaigns *c, uint32_t id);
int campaigns_expire_day(const cd_campaigns *c, uint32_t id);
double campaigns_target_total(const cd_campaigns *c, int attacker);

#endif
