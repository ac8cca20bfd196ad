/* orgs: the organisations of a run, and the sharing bodies they belong to.
 *
 * Organisations are indices 0..n-1, segment by segment. Their attributes
 * are never stored: hygiene and monitoring (Beta) and the trained-staff
 * factor (Gamma) are drawn, each time they are needed, from a
 * counter-based generator reseeded with (run seed, organisation,
 * attribute), so an organisation's attributes are the same whenever they
 * are asked for and cost nothing while it is quiet.
 *
 * Organisation i is a member of body b (reports to it) when u(i, b) <
 * coverage, and b's distributions reach it when u(i, b) < coverage x
 * reach, with u a counter-based uniform of (run seed, segment, place in
 * the segment, b). The masks of bodies are computed when they are asked
 * for (one mix per body of its segment), never stored: a run keeps
 * nothing per organisation. For counting who a set of bodies reaches in a
 * segment, the store keeps how many of the segment's organisations have
 * each combination of its bodies (at most 2^12 per segment), counted in
 * one pass over the segment when its coverage or reach changes.
 *
 * The store owns all of this; others read it through the functions below.
 */
#ifndef CD_STATE_ORGS_H
#define CD_STATE_ORGS_H

#include <stdint.h>

#include "params/params.h"

typedef struct cd_orgs cd_orgs;

/* Creates the organisations of p (segments in order), with attribute and
 * membership keys derived from run_seed; memberships follow p's coverage
 * from orgs_memberships on (none before). Returns 0 and *out, or
 * CD_ENOMEM. */
int orgs_create(cd_orgs **out, const struct cd_params *p, uint64_t run_seed);
/* Frees it. Accepts NULL. */
void orgs_destroy(cd_orgs *o);

/* Recomputes the attribute distributions from p (hygiene after the WoN
 * guideline uplift, for every segment but government). Cannot fail. */
void orgs_refresh(cd_orgs *o, const struct cd_params *p);
/* Memberships from p's coverage and reach from now on, and the counts of
 * the segments whose coverage or reach changed. Returns 0, CD_ENOMEM or
 * CD_ELIMIT (a segment in more than CD_MAX_SEGMENT_BODIES bodies). */
int orgs_memberships(cd_orgs *o, const struct cd_params *p);

/* ---- reading ---- */
uint32_t orgs_count(const cd_orgs *o);		      /* all organisations */
uint32_t orgs_segment_start(const cd_orgs *o, int s); /* first of segment */
uint32_t orgs_segment_count(const cd_orgs *o, int s);
int orgs_segment_of(const cd_orgs *o, uint32_t org);
uint32_t orgs_member(const cd_orgs *o, uint32_t org); /* bodies it reports to */
uint32_t orgs_reach(const cd_orgs *o, uint32_t org);  /* bodies reaching it */
/* As orgs_reach, for org of segment seg (known to the caller: no search
 * for it). */
uint32_t orgs_reach_in(const cd_orgs *o, uint32_t org, int seg);
/* Organisations of segment s reached by at least one body of `bodies`.
 * Cannot fail. */
uint32_t orgs_reached(const cd_orgs *o, int s, uint32_t bodies);

/* The identity of org (of segment seg) in keyed draws: its segment's name
 * and its place there, with the run's seed. Cannot fail. */
uint64_t orgs_identity(const cd_orgs *o, uint32_t org, int seg);

/* Attributes of org (of segment seg), drawn from its key. Cannot fail. */
double orgs_hygiene(cd_orgs *o, uint32_t org, int seg);
double orgs_monitoring(cd_orgs *o, uint32_t org, int seg);
/* The per-organisation factor on its segment's trained ratio. */
double orgs_factor(cd_orgs *o, const struct cd_params *p, uint32_t org,
		   int seg);

#endif
