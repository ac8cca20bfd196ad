/* knowledge: who knows each campaign's indicators, and how much of them.
 *
 * A campaign is known by the sharing bodies that learned it (with the day
 * each did, and whether it came from a foreign partner), by the members
 * of the bodies that distributed it to them ("reached"), and by the
 * organisations that detected it themselves. "Does organisation i know
 * campaign c" is then one AND of i's reach mask with the bodies that
 * reached c, plus a lookup among those that detected c. The store keeps,
 * for every campaign and segment, how many of the segment's organisations
 * know it, and the share of the campaign's target weight that knows it
 * (its coverage); both change only through the functions below, which
 * keep them exact.
 *
 * Indicators: each distinct source reveals more of a campaign's
 * indicators: completeness is 1 - (1 - indicator_yield)^n after n of them
 * (at least 1: whoever knows a campaign knows something). A source is an
 * organisation that detected the campaign and reported it (once, however
 * many of its footholds it reports), or a foreign partner that saw it
 * abroad and whose sighting reached a body at home (once, however many
 * relays carry it). A relay of what a body already holds (Japan's own
 * report echoed back by a partner, one sighting relayed to two bodies)
 * adds nothing. Completeness is held per campaign, for the nation, not per
 * body: the model has no per-body indicator sets (a body's members know a
 * campaign or not; what they block and hunt with is the nation's pool),
 * and the papers describe indicators as pooled nationally once shared
 * (NISC, JPCERT/CC). A report to a body with no link to the others thus
 * still adds to everyone's indicators: an overstatement where sharing is
 * fragmented, stated here.
 */
#ifndef CD_STATE_KNOWLEDGE_H
#define CD_STATE_KNOWLEDGE_H

#include <stdint.h>

#include "state/campaigns.h"
#include "state/orgs.h"
#include "params/params.h"

typedef struct cd_knowledge cd_knowledge;

/* Where knowledge is counted: the organisations, the campaigns (for their
 * attackers' target weights) and the parameters in force. */
struct cd_know_ctx {
	const struct cd_params *p;
	const cd_orgs *orgs;
	const cd_campaigns *camps;
};

/* Returns 0 and an empty store for n_segments segments, or CD_ENOMEM. */
int knowledge_create(cd_knowledge **out, int n_segments);
/* Frees it. Accepts NULL. */
void knowledge_destroy(cd_knowledge *k);

/* Gives campaign c (the next number) a record: nobody knows it; its
 * completeness is one report's worth. Returns 0 or CD_ENOMEM. */
int knowledge_add(cd_knowledge *k, uint32_t c, double yield);

/* Organisation org (of segment seg) detected c itself. Returns 0 or
 * CD_ENOMEM. */
int knowledge_learn(cd_knowledge *k, const struct cd_know_ctx *x, uint32_t c,
		    uint32_t org, int seg);
/* Body b learned c on `day` (partner: from a foreign partner). Returns 1
 * if it is new to the body, 0 if the body knew it already. */
int knowledge_body_learns(cd_knowledge *k, uint32_t c, int b, int day,
			  int partner);
/* Body b distributed c to its members. Returns the mask of bodies that
 * had reached them before; b's bit set in it means nothing changed. */
uint32_t knowledge_reach(cd_knowledge *k, const struct cd_know_ctx *x,
			 uint32_t c, int b);
/* Recounts who knows every campaign, after the memberships or the
 * targets changed. Cannot fail. */
void knowledge_recount_all(cd_knowledge *k, const struct cd_know_ctx *x);
/* Organisation org, which detected c (knowledge_learn), reports it:
 * a new source of c's indicators unless it reported c before. Returns 1
 * if it is a new source, 0 if not. */
int knowledge_org_reports(cd_knowledge *k, uint32_t c, uint32_t org,
			  double yield);
/* Partner body `partner`'s own sighting of c reached a body at home: a
 * new source unless it did before. Returns 1 if new, 0 if not. */
int knowledge_partner_source(cd_knowledge *k, uint32_t c, int partner,
			     double yield);
/* A body at home relayed c to partner `partner`: returns 1 if c was not
 * sent to that partner before (one campaign counts once for reciprocity,
 * however many relays carry it), 0 if it was. Cannot fail. */
int knowledge_sent_abroad(cd_knowledge *k, uint32_t c, int partner);
/* The distinct sources of c's indicators so far. */
uint32_t knowledge_sources(const cd_knowledge *k, uint32_t c);
/* Recomputes every completeness for a new indicator_yield. */
void knowledge_refresh(cd_knowledge *k, double yield);

/* ---- reading ---- */
/* Does org (of segment seg) know c? */
int knowledge_knows(const cd_knowledge *k, const cd_orgs *o, uint32_t c,
		    uint32_t org, int seg);
int knowledge_learned(const cd_knowledge *k, uint32_t c, uint32_t org);
uint32_t knowledge_body_known(const cd_knowledge *k, uint32_t c);
uint32_t knowledge_body_reached(const cd_knowledge *k, uint32_t c);
uint32_t knowledge_partner_known(const cd_knowledge *k, uint32_t c);
int knowledge_body_day(const cd_knowledge *k, uint32_t c, int b);
uint32_t knowledge_known(const cd_knowledge *k, uint32_t c, int seg);
double knowledge_coverage(const cd_knowledge *k, uint32_t c);
double knowledge_completeness(const cd_knowledge *k, uint32_t c);

#endif
