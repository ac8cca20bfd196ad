/* Unit tests of the stores of a run (sim/state/), each against the
 * contract its header states, on parameters loaded from a small scenario
 * and changed by hand where a case needs it:
 *
 *   orgs       numbering by segment; attributes drawn the same whenever
 *              asked, hygiene uplifted for every segment but government;
 *              memberships and reach from coverage, the count of who a
 *              set of bodies reaches, CD_ELIMIT past 12 bodies a segment;
 *   campaigns  numbered in start order, never removed, the active ones
 *              kept in order when some retire; attackers' target totals;
 *   knowledge  completeness after n reports; who knows a campaign (its
 *              detectors and its reaching bodies' reach), counted exactly
 *              per segment, and its coverage; bodies' learning days;
 *   footholds  numbering, open lists and counts, damage from counts, the
 *              detection candidates of each bound and the horizon, containment
 *              events, pruning;
 *   bodies     events in scheduling order, the same day's as it grows,
 *              the horizon; the reciprocity counters;
 *   crisis     the window of detections, engagement and its days;
 *   workforce  trained ratios from the setting or by water-filling;
 *   timeline   each event taken once, on or after its day.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/status.h"
#include "load/scenario.h"
#include "state/bodies.h"
#include "state/campaigns.h"
#include "state/crisis.h"
#include "state/footholds.h"
#include "state/knowledge.h"
#include "state/orgs.h"
#include "state/timeline.h"
#include "state/workforce.h"

/* Names in the order of the file, as the loader keeps collections (by
 * name: load/canon.c), so that indices are the file's. */
static const char cfg[] =
	"days = 30; warmup_days = 0;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 40; };\n"
	"  priv = { kind = \"corporation\"; count = 160; };\n"
	"};\n"
	"attackers = {\n"
	"  apt = { type = \"state\"; objective = \"espionage\";\n"
	"    targets = { gov = 3.0; priv = 1.0; }; };\n"
	"  crime = { type = \"criminal\"; objective = \"extortion\";\n"
	"    targets = { priv = 2.0; }; };\n"
	"};\n"
	"bodies = {\n"
	"  gov_nisc = { kind = \"government\"; members = { gov = 1.0; }; };\n"
	"  nat_cert = { kind = \"national\"; reach = 0.5;\n"
	"    members = { gov = 0.3; priv = 0.4; }; };\n"
	"  sec_isac = { kind = \"sector\"; members = { priv = 0.7; }; };\n"
	"};\n"
	"timeline = (\n"
	"  { day = 3; set = { won = { share_rate = 0.1; }; }; },\n"
	"  { day = 3; set = { won = { share_rate = 0.2; }; }; },\n"
	"  { day = 9; set = { won = { share_rate = 0.3; }; }; }\n"
	");\n";

static struct cd_scenario *sc; /* cfg, loaded once */
static struct cd_params P;     /* a copy for each test to change */

static int setup(void **state)
{
	(void)state;
	struct cd_diag d;
	if (scenario_load_string(&sc, "state.cfg", cfg, NULL, 0, &d)) {
		fprintf(stderr, "state.cfg: %s\n", d.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	scenario_destroy(sc);
	return 0;
}

static int fresh(void **state)
{
	(void)state;
	P = sc->p;
	return 0;
}

static cd_orgs *orgs_of(const struct cd_params *p, uint64_t seed)
{
	cd_orgs *o = NULL;
	assert_int_equal(orgs_create(&o, p, seed), 0);
	orgs_refresh(o, p);
	assert_int_equal(orgs_memberships(o, p), 0);
	return o;
}

/* ---- orgs -----------------------------------------------------------------
 */

static void test_orgs_numbering(void **state)
{
	(void)state;
	cd_orgs *o = orgs_of(&P, 1);
	assert_int_equal(orgs_count(o), 200);
	assert_int_equal(orgs_segment_start(o, 0), 0);
	assert_int_equal(orgs_segment_count(o, 0), 40);
	assert_int_equal(orgs_segment_start(o, 1), 40);
	assert_int_equal(orgs_segment_count(o, 1), 160);
	for (uint32_t i = 0; i < 200; i++)
		assert_int_equal(orgs_segment_of(o, i), i < 40 ? 0 : 1);
	orgs_destroy(o);
	orgs_destroy(NULL);
}

/* The same attributes whenever and in whatever order they are asked for;
 * another run seed draws others. */
static void test_orgs_attributes_keyed(void **state)
{
	(void)state;
	cd_orgs *a = orgs_of(&P, 1), *b = orgs_of(&P, 2);
	double h5 = orgs_hygiene(a, 5, 0), m7 = orgs_monitoring(a, 7, 0);
	double f9 = orgs_factor(a, &P, 90, 1);
	int differs = 0;
	for (uint32_t i = 0; i < 200; i++) {
		int s = i < 40 ? 0 : 1;
		double h = orgs_hygiene(a, i, s);
		assert_true(h >= 0 && h <= 1);
		assert_true(orgs_factor(a, &P, i, s) >= 0);
		differs |= h != orgs_hygiene(b, i, s);
	}
	assert_true(differs);
	assert_true(orgs_hygiene(a, 5, 0) == h5);
	assert_true(orgs_monitoring(a, 7, 0) == m7);
	assert_true(orgs_factor(a, &P, 90, 1) == f9);
	orgs_destroy(a);
	orgs_destroy(b);
}

/* Hygiene 0 with the guideline closing the whole gap: 1 in every segment
 * but government, which keeps its 0. */
static void test_orgs_uplift_not_government(void **state)
{
	(void)state;
	P.segments[0].hygiene_mean = P.segments[1].hygiene_mean = 0;
	P.won.hygiene_uplift = 1;
	cd_orgs *o = orgs_of(&P, 1);
	for (uint32_t i = 0; i < 200; i++)
		assert_true(orgs_hygiene(o, i, i < 40 ? 0 : 1) ==
			    (i < 40 ? 0 : 1));
	orgs_destroy(o);
}

/* Coverage 1 and reach 1: every organisation of the segment is a member
 * and is reached; reach 0: members, never reached; coverage 0: neither. */
static void test_orgs_memberships_edges(void **state)
{
	(void)state;
	for (int b = 0; b < 3; b++) {
		P.bodies[b].coverage_scale = 1;
		P.bodies[b].coverage[0] = P.bodies[b].coverage[1] = 0;
	}
	P.bodies[0].coverage[0] = 1, P.bodies[0].reach = 1;
	P.bodies[1].coverage[1] = 1, P.bodies[1].reach = 0;
	cd_orgs *o = orgs_of(&P, 1);
	for (uint32_t i = 0; i < 200; i++) {
		assert_int_equal(orgs_member(o, i), i < 40 ? 1u : 2u);
		assert_int_equal(orgs_reach(o, i), i < 40 ? 1u : 0u);
	}
	assert_int_equal(orgs_reached(o, 0, 1u), 40);
	assert_int_equal(orgs_reached(o, 1, 2u), 0);
	assert_int_equal(orgs_reached(o, 1, 7u), 0);
	orgs_destroy(o);
}

/* Who a set of bodies reaches, counted: the organisations whose reach
 * mask meets the set, for every set of the three bodies. A member is
 * reached only if it is a member. */
static void check_reached_counts(const cd_orgs *o)
{
	for (int s = 0; s < 2; s++)
		for (uint32_t set = 0; set < 8; set++) {
			uint32_t n = 0;
			for (uint32_t i = orgs_segment_start(o, s);
			     i < orgs_segment_start(o, s) +
					 orgs_segment_count(o, s);
			     i++) {
				n += (orgs_reach(o, i) & set) != 0;
				assert_int_equal(orgs_reach(o, i) &
							 ~orgs_member(o, i),
						 0);
			}
			assert_int_equal(orgs_reached(o, s, set), n);
		}
}

/* The counts, and again after one segment's coverage and reach change
 * (memberships follow the parameters from orgs_memberships on). */
static void test_orgs_reached_counts(void **state)
{
	(void)state;
	cd_orgs *o = orgs_of(&P, 3);
	check_reached_counts(o);
	uint32_t before = 0;
	for (uint32_t i = 40; i < 200; i++)
		before += orgs_reach(o, i) != 0;
	P.bodies[1].coverage[1] = 0.9;
	P.bodies[1].reach = 0.7;
	assert_int_equal(orgs_memberships(o, &P), 0);
	check_reached_counts(o);
	uint32_t after = 0;
	for (uint32_t i = 40; i < 200; i++)
		after += orgs_reach(o, i) != 0;
	assert_true(after != before);
	orgs_destroy(o);
}

/* The same seed draws the same memberships; redrawing them changes
 * nothing. */
static void test_orgs_memberships_keyed(void **state)
{
	(void)state;
	cd_orgs *a = orgs_of(&P, 5), *b = orgs_of(&P, 5);
	assert_int_equal(orgs_memberships(b, &P), 0);
	for (uint32_t i = 0; i < 200; i++) {
		assert_int_equal(orgs_member(a, i), orgs_member(b, i));
		assert_int_equal(orgs_reach(a, i), orgs_reach(b, i));
	}
	orgs_destroy(a);
	orgs_destroy(b);
}

/* A segment in CD_MAX_SEGMENT_BODIES bodies is held; in one more it is
 * CD_ELIMIT. */
static void test_orgs_segment_bodies_limit(void **state)
{
	(void)state;
	for (int n = CD_MAX_SEGMENT_BODIES; n <= CD_MAX_SEGMENT_BODIES + 1;
	     n++) {
		P.n_bodies = n;
		for (int b = 0; b < n; b++) {
			P.bodies[b] = sc->p.bodies[1];
			P.bodies[b].coverage[1] = 0.5;
		}
		cd_orgs *o = NULL;
		assert_int_equal(orgs_create(&o, &P, 1), 0);
		assert_int_equal(orgs_memberships(o, &P),
				 n > CD_MAX_SEGMENT_BODIES ? CD_ELIMIT : 0);
		orgs_destroy(o);
	}
}

/* ---- campaigns ------------------------------------------------------------
 */

static int retire_odd(void *ctx, uint32_t id)
{
	(void)ctx;
	return id % 2;
}

static void test_campaigns_start_and_retire(void **state)
{
	(void)state;
	cd_campaigns *c = NULL;
	assert_int_equal(campaigns_create(&c), 0);
	assert_int_equal(campaigns_count(c), 0);
	assert_int_equal(campaigns_n_active(c), 0);
	for (uint32_t k = 0; k < 100; k++) {
		uint32_t id;
		assert_int_equal(campaigns_start(c, (int)k % 2, 1000 + k, 1,
						 10 + (int)k, &id),
				 0);
		assert_int_equal(id, k);
	}
	assert_int_equal(campaigns_attacker(c, 7), 1);
	assert_int_equal(campaigns_expire_day(c, 7), 17);
	campaigns_retire(c, 4, retire_odd, NULL);
	assert_int_equal(campaigns_count(c), 100); /* never removed */
	assert_int_equal(campaigns_n_active(c), 50);
	for (uint32_t i = 0; i < 50; i++)
		assert_int_equal(campaigns_active(c, i), 2 * i);
	assert_int_equal(campaigns_attacker(c, 7), 1);
	campaigns_destroy(c);
	campaigns_destroy(NULL);
}

/* An attacker's target total: the sum of weight x organisations. */
static void test_campaigns_target_totals(void **state)
{
	(void)state;
	cd_orgs *o = orgs_of(&P, 1);
	cd_campaigns *c = NULL;
	assert_int_equal(campaigns_create(&c), 0);
	campaigns_refresh(c, &P, o);
	assert_true(campaigns_target_total(c, 0) == 3.0 * 40 + 1.0 * 160);
	assert_true(campaigns_target_total(c, 1) == 2.0 * 160);
	campaigns_destroy(c);
	orgs_destroy(o);
}

/* ---- knowledge ------------------------------------------------------------
 */

/* The stores knowledge is counted with: orgs, and campaigns 0 (apt) and
 * 1 (crime) started, each with its record. */
struct know {
	cd_orgs *o;
	cd_campaigns *c;
	cd_knowledge *k;
	struct cd_know_ctx x;
};

static void know_make(struct know *t, double yield)
{
	t->o = orgs_of(&P, 7);
	assert_int_equal(campaigns_create(&t->c), 0);
	campaigns_refresh(t->c, &P, t->o);
	assert_int_equal(knowledge_create(&t->k, P.n_segments), 0);
	for (int a = 0; a < 2; a++) {
		uint32_t id;
		assert_int_equal(
			campaigns_start(t->c, a, 100 + (uint64_t)a, 0, 30, &id),
			0);
		assert_int_equal(knowledge_add(t->k, id, yield), 0);
	}
	t->x = (struct cd_know_ctx){&P, t->o, t->c};
}

static void know_free(struct know *t)
{
	knowledge_destroy(t->k);
	campaigns_destroy(t->c);
	orgs_destroy(t->o);
}

/* Who knows c, counted by brute force in segment s. */
static uint32_t knowers_in(const struct know *t, uint32_t c, int s)
{
	uint32_t n = 0, start = orgs_segment_start(t->o, s);
	for (uint32_t i = start; i < start + orgs_segment_count(t->o, s); i++)
		n += knowledge_knows(t->k, t->o, c, i,
				     orgs_segment_of(t->o, i)) != 0;
	return n;
}

static void assert_counts_exact(const struct know *t, uint32_t c)
{
	double weight = 0;
	for (int s = 0; s < 2; s++) {
		uint32_t n = knowers_in(t, c, s);
		assert_int_equal(knowledge_known(t->k, c, s), n);
		weight +=
			P.attackers[campaigns_attacker(t->c, c)].targets[s] * n;
	}
	double total =
		campaigns_target_total(t->c, campaigns_attacker(t->c, c));
	assert_true(fabs(knowledge_coverage(t->k, c) - weight / total) < 1e-12);
}

/* Completeness: one report's worth at first, 1 - (1 - y)^n after n
 * distinct sources, recomputed for a new yield. A source is an
 * organisation that detected the campaign and reports it (once, however
 * often), or a partner's own sighting (once, however many relays); an
 * organisation that never detected it is no source. */
static void test_knowledge_completeness(void **state)
{
	(void)state;
	struct know t;
	know_make(&t, 0.3);
	assert_true(fabs(knowledge_completeness(t.k, 0) - 0.3) < 1e-15);
	assert_int_equal(knowledge_org_reports(t.k, 0, 5, 0.3), 0);
	for (uint32_t org = 1; org <= 3; org++) {
		assert_int_equal(knowledge_learn(t.k, &t.x, 0, org, 1), 0);
		assert_int_equal(knowledge_org_reports(t.k, 0, org, 0.3), 1);
		assert_int_equal(knowledge_org_reports(t.k, 0, org, 0.3), 0);
	}
	assert_int_equal(knowledge_partner_source(t.k, 0, 2, 0.3), 1);
	assert_int_equal(knowledge_partner_source(t.k, 0, 2, 0.3), 0);
	assert_int_equal(knowledge_partner_source(t.k, 1, 2, 0.3), 1);
	assert_int_equal(knowledge_sources(t.k, 0), 4);
	assert_true(fabs(knowledge_completeness(t.k, 0) - (1 - pow(0.7, 4))) <
		    1e-15);
	knowledge_refresh(t.k, 0.5);
	assert_true(fabs(knowledge_completeness(t.k, 0) - (1 - pow(0.5, 4))) <
		    1e-15);
	assert_true(fabs(knowledge_completeness(t.k, 1) - 0.5) < 1e-15);
	know_free(&t);
}

/* Organisations that detected a campaign know it, once each; nobody
 * else does until a body reaches them. */
static void test_knowledge_learn(void **state)
{
	(void)state;
	struct know t;
	know_make(&t, 1);
	assert_int_equal(knowers_in(&t, 0, 0) + knowers_in(&t, 0, 1), 0);
	for (int again = 0; again < 2; again++) {
		assert_int_equal(knowledge_learn(t.k, &t.x, 0, 3, 0), 0);
		assert_int_equal(knowledge_learn(t.k, &t.x, 0, 150, 1), 0);
	}
	assert_true(knowledge_learned(t.k, 0, 3));
	assert_false(knowledge_learned(t.k, 1, 3));
	assert_int_equal(knowledge_known(t.k, 0, 0), 1);
	assert_int_equal(knowledge_known(t.k, 0, 1), 1);
	assert_counts_exact(&t, 0);
	know_free(&t);
}

/* A body learns a campaign once, on its day; reaching its members counts
 * them exactly, those that detected it themselves once only. */
static void test_knowledge_bodies(void **state)
{
	(void)state;
	struct know t;
	know_make(&t, 1);
	assert_int_equal(knowledge_body_day(t.k, 0, 1), -1);
	assert_int_equal(knowledge_body_learns(t.k, 0, 1, 4, 0), 1);
	assert_int_equal(knowledge_body_learns(t.k, 0, 1, 6, 1), 0);
	assert_int_equal(knowledge_body_learns(t.k, 0, 2, 5, 1), 1);
	assert_int_equal(knowledge_body_day(t.k, 0, 1), 4);
	assert_int_equal(knowledge_body_known(t.k, 0), 6u);
	assert_int_equal(knowledge_partner_known(t.k, 0), 4u);
	for (uint32_t i = 40; i < 60; i++)
		assert_int_equal(knowledge_learn(t.k, &t.x, 0, i, 1), 0);
	assert_int_equal(knowledge_reach(t.k, &t.x, 0, 1), 0u);
	assert_int_equal(knowledge_reach(t.k, &t.x, 0, 2), 2u);
	assert_int_equal(knowledge_reach(t.k, &t.x, 0, 2), 6u); /* no change */
	assert_int_equal(knowledge_body_reached(t.k, 0), 6u);
	assert_counts_exact(&t, 0);
	assert_int_equal(knowledge_known(t.k, 1, 1), 0);
	know_free(&t);
}

/* After the memberships change, recounting gives the exact counts. */
static void test_knowledge_recount(void **state)
{
	(void)state;
	struct know t;
	know_make(&t, 1);
	for (uint32_t i = 40; i < 200; i += 3)
		assert_int_equal(knowledge_learn(t.k, &t.x, 1, i, 1), 0);
	knowledge_reach(t.k, &t.x, 1, 2);
	P.bodies[2].coverage[1] = P.bodies[2].coverage_scale = 1;
	P.bodies[2].reach = 1;
	orgs_refresh(t.o, &P);
	assert_int_equal(orgs_memberships(t.o, &P), 0);
	knowledge_recount_all(t.k, &t.x);
	assert_int_equal(knowledge_known(t.k, 1, 1), 160);
	assert_counts_exact(&t, 1);
	know_free(&t);
}

/* ---- footholds ------------------------------------------------------------
 */

static uint32_t open_one(cd_footholds *f, uint32_t c, int a, uint32_t org,
			 int seg, int day)
{
	uint32_t id;
	struct cd_foothold_of of = {
		c, a, 1000 + c, org, seg, 7 * (uint64_t)org + 1, day};
	assert_int_equal(footholds_open(f, &of, 0.5, 1.5, &id), 0);
	return id;
}

static void test_footholds_open_close(void **state)
{
	(void)state;
	cd_footholds *f = NULL;
	assert_int_equal(footholds_create(&f, 30), 0);
	assert_int_equal(open_one(f, 0, 1, 50, 1, 2), 0);
	assert_int_equal(open_one(f, 0, 1, 60, 1, 2), 1);
	assert_int_equal(open_one(f, 1, 0, 50, 1, 3), 2);
	assert_int_equal(footholds_count(f), 3);
	assert_int_equal(footholds_orgs_compromised(f), 2);
	assert_true(footholds_has_open(f, 0, 50) &&
		    footholds_has_open(f, 1, 50));
	assert_false(footholds_has_open(f, 1, 60));
	assert_int_equal(footholds_open_by(f, 1, 1), 2);
	assert_true(footholds_monitoring(f, 1) == 0.5);
	assert_true(footholds_factor(f, 1) == 1.5);
	assert_int_equal(footholds_attacker(f, 2), 0);
	footholds_close(f, 0, 5);
	assert_false(footholds_has_open(f, 0, 50));
	assert_int_equal(footholds_get(f, 0)->day_contained, 5);
	assert_int_equal(footholds_n_open(f), 2);
	assert_int_equal(footholds_open_by(f, 1, 1), 1);
	for (uint32_t i = 0; i < footholds_n_open(f); i++)
		assert_int_not_equal(footholds_open_at(f, i), 0);
	const uint32_t *list;
	assert_int_equal(footholds_of(f, 0, &list), 2);
	footholds_prune(f, 0);
	assert_int_equal(footholds_of(f, 0, &list), 1);
	assert_int_equal(list[0], 1);
	assert_int_equal(footholds_of(f, 9, &list), 0);
	footholds_destroy(f);
	footholds_destroy(NULL);
}

/* Damage follows counts: each day accrued while a foothold is open and
 * past its impact counts for it, from its impact to its containment,
 * final then. One contained before its impact never reaches it and
 * causes none; impact events come on their day. */
static void test_footholds_damage(void **state)
{
	(void)state;
	cd_footholds *f = NULL;
	assert_int_equal(footholds_create(&f, 30), 0);
	assert_int_equal(footholds_accrue(f, 1, 0, 5), 0);
	uint32_t a = open_one(f, 0, 0, 1, 1, 0);
	assert_int_equal(footholds_accrue(f, 1, 0, 5), 0); /* not yet */
	assert_int_equal(footholds_schedule_impact(f, a, 0), 0);
	assert_int_equal(footholds_schedule_impact(f, a, 99), 0); /* past */
	assert_int_equal(footholds_n_impacts(f, 0), 1);
	assert_int_equal(footholds_impact_at(f, 0, 0), a);
	assert_int_equal(footholds_impact(f, a, 0), 1);
	assert_int_equal(footholds_impact(f, a, 0), 0); /* once */
	assert_int_equal(footholds_get(f, a)->day_impact, 0);
	assert_int_equal(footholds_accrue(f, 1, 0, 5), 1);
	uint32_t b = open_one(f, 0, 0, 2, 1, 1);
	assert_int_equal(footholds_impact(f, b, 1), 1);
	assert_int_equal(footholds_accrue(f, 1, 0, 7), 2);
	footholds_close(f, a, 1);
	assert_int_equal(footholds_accrue(f, 1, 0, 11), 1);
	assert_int_equal(footholds_accrue(f, 0, 0, 11), 0);
	assert_true(footholds_damage(f, a) == 12);
	assert_true(footholds_get(f, a)->damage == 12);
	assert_true(footholds_damage(f, b) == 18);
	/* Contained before its impact: no breach, no damage. */
	uint32_t c = open_one(f, 0, 0, 3, 1, 2);
	footholds_close(f, c, 3);
	assert_int_equal(footholds_impact(f, c, 4), 0);
	assert_int_equal(footholds_get(f, c)->day_impact, -1);
	assert_true(footholds_damage(f, c) == 0);
	assert_int_equal(footholds_accrue(f, 1, 0, 1), 1);
	footholds_destroy(f);
}

/* Detection candidates belong to their bound: a new bound makes the
 * scheduled ones stale, a ransom demand stays current whatever the bound,
 * and none is current once the foothold is detected. The draw counter
 * names (bound, candidate), and a foothold's key its identity: the same
 * (campaign, organisation) pair a second time gets another. A day past
 * the horizon schedules nothing; a day's events sort by foothold, demands
 * first. */
static void test_footholds_schedules(void **state)
{
	(void)state;
	cd_footholds *f = NULL;
	assert_int_equal(footholds_create(&f, 10), 0);
	uint32_t id = open_one(f, 0, 0, 1, 0, 0);
	footholds_rebound(f, id, 0.25);
	assert_true(footholds_bound(f, id) == 0.25);
	uint64_t d0 = footholds_draw(f, id);
	footholds_next_candidate(f, id);
	assert_int_equal(footholds_draw(f, id), d0 + 1);
	assert_int_equal(footholds_schedule(f, id, 4, 0), 0);
	assert_int_equal(footholds_schedule(f, id, 6, 1), 0);
	assert_true(footholds_current(f, footholds_detection(f, 4, 0)));
	footholds_rebound(f, id, 0.5);
	assert_true(footholds_draw(f, id) >> 32 == (d0 >> 32) + 1);
	assert_int_equal(footholds_draw(f, id) & 0xffffffffu, 0);
	assert_false(footholds_current(f, footholds_detection(f, 4, 0)));
	struct cal_event ev = footholds_detection(f, 6, 0);
	assert_int_equal(ev.a, id);
	assert_int_equal(ev.flag, 1); /* the ransom demand */
	assert_true(footholds_current(f, ev));
	assert_int_equal(footholds_schedule(f, id, 10, 0), 0);
	assert_int_equal(footholds_schedule(f, id, INT64_MAX, 0), 0);
	assert_int_equal(footholds_n_detections(f, 9), 0);
	/* Day 6: a candidate of another foothold, this one's, its demand. */
	uint32_t other = open_one(f, 0, 0, 2, 0, 0);
	assert_int_equal(footholds_schedule(f, other, 6, 0), 0);
	assert_int_equal(footholds_schedule(f, id, 6, 0), 0);
	footholds_sort_detections(f, 6);
	footholds_sort_detections(f, 7); /* no events: nothing to sort */
	assert_int_equal(footholds_detection(f, 6, 0).a, id);
	assert_int_equal(footholds_detection(f, 6, 0).flag, 1);
	assert_int_equal(footholds_detection(f, 6, 1).a, id);
	assert_int_equal(footholds_detection(f, 6, 2).a, other);
	footholds_detect(f, id, 6, CD_SRC_SHARED);
	assert_false(footholds_current(f, footholds_detection(f, 6, 1)));
	assert_false(footholds_current(f, ev));
	assert_int_equal(footholds_get(f, id)->source, CD_SRC_SHARED);
	footholds_set_shared(f, id, 3);
	assert_int_equal(footholds_get(f, id)->shared, 1);
	/* Identity: another foothold of the same pair, once this one is
	 * contained, has a key of its own. */
	footholds_close(f, id, 7);
	uint32_t again = open_one(f, 0, 0, 1, 0, 8);
	assert_true(footholds_key(f, again) != footholds_key(f, id));
	assert_true(footholds_key(f, other) != footholds_key(f, id));
	assert_int_equal(footholds_schedule_containment(f, other, 8), 0);
	assert_int_equal(footholds_n_containments(f, 8), 1);
	assert_int_equal(footholds_containment(f, 8, 0), other);
	footholds_end_day(f, 6);
	assert_int_equal(footholds_n_detections(f, 6), 0);
	assert_int_equal(footholds_n_containments(f, 8), 1);
	footholds_destroy(f);
}

/* A day's detections sorted by foothold, demands first, however many:
 * the same events (counted), in order. */
static void test_footholds_sort_many(void **state)
{
	(void)state;
	cd_footholds *f = NULL;
	assert_int_equal(footholds_create(&f, 3), 0);
	int count[40][2] = {{0}};
	for (uint32_t k = 0; k < 333; k++) {
		uint32_t id = k < 40 ? open_one(f, 0, 0, k, 0, 0) : k * 17 % 40;
		assert_int_equal(footholds_schedule(f, id, 1, k % 3 == 0), 0);
		count[id][k % 3 == 0]++;
	}
	footholds_sort_detections(f, 1);
	assert_int_equal(footholds_n_detections(f, 1), 333);
	for (uint32_t i = 0; i < 333; i++) {
		struct cal_event e = footholds_detection(f, 1, i),
				 p = footholds_detection(f, 1, i ? i - 1 : 0);
		assert_true(--count[e.a][e.flag] >= 0);
		assert_true(p.a < e.a || (p.a == e.a && p.flag >= e.flag));
	}
	footholds_destroy(f);
}

/* Rechecks after a change of trained ratios: an open foothold's limit is
 * -inf until set (always rechecked), +inf once detected; the walk stops
 * at footholds whose limit is below their segment's ratio, and a
 * containment keeps the others' limits with them. */
static void test_footholds_limits(void **state)
{
	(void)state;
	cd_footholds *f = NULL;
	assert_int_equal(footholds_create(&f, 10), 0);
	uint32_t a = open_one(f, 0, 0, 1, 0, 0), b = open_one(f, 0, 0, 2, 1, 0),
		 c = open_one(f, 0, 0, 3, 1, 0);
	double ratio[2] = {0.5, 0.5};
	assert_int_equal(footholds_next_over(f, ratio, 0), 0);
	footholds_set_limit(f, a, 0.5);
	footholds_set_limit(f, b, 0.4);
	footholds_set_limit(f, c, 0.6);
	assert_int_equal(footholds_next_over(f, ratio, 0), 1);
	assert_int_equal(footholds_next_over(f, ratio, 2), 3); /* none */
	footholds_detect(f, b, 1, CD_SRC_INTERNAL);
	ratio[0] = ratio[1] = 1e300;
	assert_int_equal(footholds_open_at(f, footholds_next_over(f, ratio, 0)),
			 a);
	footholds_close(f, a, 2); /* c takes its place */
	assert_int_equal(footholds_open_at(f, 0), c);
	assert_int_equal(footholds_next_over(f, ratio, 0), 0);
	ratio[1] = 0.6;
	assert_int_equal(footholds_next_over(f, ratio, 0), 2);
	footholds_set_limit(f, a, 9); /* contained: nothing to limit */
	assert_int_equal(footholds_next_over(f, ratio, 0), 2);
	footholds_destroy(f);
}

/* ---- bodies ---------------------------------------------------------------
 */

static void test_bodies_events(void **state)
{
	(void)state;
	cd_bodies *b = NULL;
	assert_int_equal(bodies_create(&b, 5), 0);
	for (uint32_t c = 0; c < 20; c++)
		assert_int_equal(
			bodies_schedule(b, (int)c % 3, c, BODY_LINK, 2), 0);
	assert_int_equal(bodies_schedule(b, 0, 99, 0, 5), 0); /* dropped */
	assert_int_equal(bodies_schedule(b, 0, 99, 0, -1), 0);
	uint32_t seen = 0;
	for (uint32_t i = 0; i < bodies_n_events(b, 2); i++, seen++) {
		struct cal_event ev = bodies_event(b, 2, i);
		assert_int_equal(ev.b, i);
		assert_int_equal(ev.a, i % 3);
		if (i == 5) /* scheduled for the day being processed */
			assert_int_equal(
				bodies_schedule(b, 2, 20, BODY_MEMBERS, 2), 0);
	}
	assert_int_equal(seen, 21);
	assert_int_equal(bodies_event(b, 2, 20).flag, BODY_MEMBERS);
	bodies_end_day(b, 2);
	assert_int_equal(bodies_n_events(b, 2), 0);
	bodies_sent(b, 4);
	bodies_sent(b, 4);
	bodies_known_at_home(b);
	assert_int_equal(bodies_sent_to(b, 4), 2);
	assert_int_equal(bodies_sent_to(b, 3), 0);
	assert_int_equal(bodies_home_known(b), 1);
	bodies_destroy(b);
	bodies_destroy(NULL);
}

/* ---- crisis ---------------------------------------------------------------
 */

static void test_crisis(void **state)
{
	(void)state;
	cd_council c = {0};
	for (int d = 0; d < 400; d++)
		crisis_record(&c, d, (uint64_t)d);
	/* The last 3 days up to day 399; a window reaching before day 0
	 * stops there. */
	assert_int_equal(crisis_window(&c, 399, 3), 397 + 398 + 399);
	cd_council e = {0};
	crisis_record(&e, 0, 5);
	crisis_record(&e, 1, 7);
	assert_int_equal(crisis_window(&e, 1, 30), 12);
	assert_int_equal(c.days, 0);
	assert_false(crisis_active(&c, 399));
	crisis_engage(&c, 399, 4);	      /* from day 400, for 4 days */
	assert_false(crisis_active(&c, 399)); /* not the day it decides */
	for (int d = 400; d <= 403; d++) {
		assert_true(crisis_active(&c, d));
		crisis_record(&c, d, 0);
	}
	assert_false(crisis_active(&c, 404));
	assert_int_equal(c.days, 4);
}

/* ---- workforce ------------------------------------------------------------
 */

/* Disabled: each segment keeps its trained_ratio, and the national ratio
 * is their mean weighted by demand. */
static void test_workforce_disabled(void **state)
{
	(void)state;
	P.workforce.enabled = 0;
	P.segments[0].trained_ratio = 0.2, P.segments[0].staff_per_org = 1;
	P.segments[1].trained_ratio = 0.7, P.segments[1].staff_per_org = 2;
	cd_orgs *o = orgs_of(&P, 1);
	cd_staff w = {0};
	workforce_allocate(&w, &P, o);
	assert_true(w.ratio[0] == 0.2 && w.ratio[1] == 0.7);
	double want = (40 * 0.2 + 320 * 0.7) / 360;
	assert_true(fabs(workforce_national_ratio(&w, &P, o) - want) < 1e-15);
	orgs_destroy(o);
}

/* Enabled: trained / needed of the demand is shared by demand x priority,
 * never past a segment's demand (water-filling). Demands 40 and 160 with
 * priorities 4 and 1 and half the need trained: 100 staff, weights 160
 * and 160; the first takes its 40, the second the 60 left. */
static void test_workforce_water_filling(void **state)
{
	(void)state;
	P.workforce.enabled = 1;
	P.workforce.needed = 1000;
	P.segments[0].staff_per_org = P.segments[1].staff_per_org = 1;
	P.segments[0].workforce_priority = 4;
	P.segments[1].workforce_priority = 1;
	cd_orgs *o = orgs_of(&P, 1);
	cd_staff w = {0};
	workforce_set_pool(&w, 800, 500);
	workforce_allocate(&w, &P, o);
	assert_true(fabs(w.ratio[0] - 1) < 1e-12);
	assert_true(fabs(w.ratio[1] - 60.0 / 160) < 1e-12);
	assert_true(workforce_national_ratio(&w, &P, o) == 0.5);
	workforce_set_pool(&w, 2000, 2000); /* more than needed */
	workforce_allocate(&w, &P, o);
	assert_true(w.ratio[0] == 1 && w.ratio[1] == 1);
	orgs_destroy(o);
}

/* The military cyber unit. The first segment (demand 40, priority 4) is
 * the unit's alone: it draws nothing from the national pool, whose need
 * is the second's 160, half of it trained (80). The unit's 10 fill a
 * quarter of its 40. Then the unit defends the second too, on top of its
 * national 80: 30 staff are shared by gap x priority, 40 x 4 against 80 x
 * 1, so 20 and 10. Enough staff fill both gaps; a segment it does not
 * defend gets none of them. */
static void test_workforce_unit(void **state)
{
	(void)state;
	P.workforce.enabled = 1;
	P.workforce.needed = 1000;
	P.segments[0].staff_per_org = P.segments[1].staff_per_org = 1;
	P.segments[0].workforce_priority = 4;
	P.segments[1].workforce_priority = 1;
	P.segments[0].defender = CD_DEFENDER_UNIT;
	P.cdu.staff = 10;
	cd_orgs *o = orgs_of(&P, 1);
	cd_staff w = {0};
	workforce_set_pool(&w, 800, 500);
	workforce_allocate(&w, &P, o);
	assert_true(fabs(w.ratio[0] - 0.25) < 1e-12);
	assert_true(fabs(w.ratio[1] - 0.5) < 1e-12);
	P.segments[1].defender = CD_DEFENDER_BOTH;
	P.cdu.staff = 30;
	workforce_allocate(&w, &P, o);
	assert_true(fabs(w.ratio[0] - 0.5) < 1e-12);
	assert_true(fabs(w.ratio[1] - (80.0 + 10) / 160) < 1e-12);
	P.cdu.staff = 1000;
	workforce_allocate(&w, &P, o);
	assert_true(w.ratio[0] == 1 && w.ratio[1] == 1);
	P.segments[1].defender = CD_DEFENDER_NATIONAL;
	workforce_allocate(&w, &P, o);
	assert_true(w.ratio[0] == 1 && fabs(w.ratio[1] - 0.5) < 1e-12);
	/* Without the national workforce, the unit's segment has only the
	 * unit; the other keeps its trained_ratio. */
	P.workforce.enabled = 0;
	P.segments[1].trained_ratio = 0.7;
	P.cdu.staff = 10;
	workforce_allocate(&w, &P, o);
	assert_true(fabs(w.ratio[0] - 0.25) < 1e-12 && w.ratio[1] == 0.7);
	orgs_destroy(o);
}

/* ---- timeline -------------------------------------------------------------
 */

static void test_timeline_take(void **state)
{
	(void)state;
	cd_timeline_run r = {sc->timeline, 0};
	assert_int_equal(r.t.n_events, 3);
	assert_null(timeline_take(&r, 2));
	const struct cd_event *a = timeline_take(&r, 3);
	const struct cd_event *b = timeline_take(&r, 3);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a->first < b->first); /* file order within a day */
	assert_null(timeline_take(&r, 3));
	const struct cd_event *c = timeline_take(&r, 20); /* due: late */
	assert_non_null(c);
	assert_int_equal(c->day, 9);
	assert_null(timeline_take(&r, 30));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, fresh)
		T(test_orgs_numbering),
		T(test_orgs_attributes_keyed),
		T(test_orgs_uplift_not_government),
		T(test_orgs_memberships_edges),
		T(test_orgs_reached_counts),
		T(test_orgs_memberships_keyed),
		T(test_orgs_segment_bodies_limit),
		T(test_campaigns_start_and_retire),
		T(test_campaigns_target_totals),
		T(test_knowledge_completeness),
		T(test_knowledge_learn),
		T(test_knowledge_bodies),
		T(test_knowledge_recount),
		T(test_footholds_open_close),
		T(test_footholds_damage),
		T(test_footholds_schedules),
		T(test_footholds_limits),
		T(test_footholds_sort_many),
		T(test_bodies_events),
		T(test_crisis),
		T(test_workforce_disabled),
		T(test_workforce_water_filling),
		T(test_workforce_unit),
		T(test_timeline_take),
#undef T
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
