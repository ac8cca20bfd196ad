/* campaigns: the attack campaigns of a run, and the ones still active.
 *
 * A campaign belongs to one attacker group and lives from its start day to
 * its end: the day it expires (a lifetime drawn when it starts) or the
 * day its attacker retires it. Campaigns are numbered from 0 in the order
 * they start and are never removed; the active ones are listed in start
 * order. The store also keeps each attacker's total target weight (the
 * sum over segments of weight x organisations), by which its attempts
 * are spread. It owns this state; others read it through its functions.
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

/* Starts a campaign of attacker a on `day`, expiring on day_expire, and
 * makes it active. Returns 0 and its number in *id, or CD_ENOMEM. */
int campaigns_start(cd_campaigns *c, int a, int day, int day_expire,
		    uint32_t *id);
/* Ends the active campaigns for which retire(ctx, id) is nonzero on
 * `day`, keeping the others in order. Cannot fail. */
void campaigns_retire(cd_campaigns *c, int day,
		      int (*retire)(void *ctx, uint32_t id), void *ctx);

/* ---- reading ---- */
uint32_t campaigns_count(const cd_campaigns *c);
uint32_t campaigns_n_active(const cd_campaigns *c);
uint32_t campaigns_active(const cd_campaigns *c, uint32_t i); /* i-th */
int campaigns_attacker(const cd_campaigns *c, uint32_t id);
int campaigns_expire_day(const cd_campaigns *c, uint32_t id);
double campaigns_target_total(const cd_campaigns *c, int attacker);

#endif
