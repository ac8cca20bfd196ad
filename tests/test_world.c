/* Tests of the engine: calendar, hash map, random streams, and whole runs
 * of small worlds built from inline scenarios: determinism, what every
 * day must hold (knowledge a share, damage and records not negative, no
 * more detections than intrusions nor containments than detections,
 * detection after compromise and containment after detection, the open
 * footholds counted), and sharing along bodies and links. The laws the
 * model follows (the Poisson sampler, the attempt split, the mean dwell)
 * are judged in test_laws.c.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "core/bitset.h"
#include "core/hashmap.h"
#include "core/rng.h"
#include "load/scenario.h"
#include "core/status.h"
#include "world/world.h"

/* ---- helpers ------------------------------------------------------------ */

static struct cd_scenario *load(const char *text, const char *const *sets,
				int n_sets)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc =
		scenario_load_string(&sc, "inline.cfg", text, sets, n_sets, &d);
	if (rc)
		fprintf(stderr, "load failed: %s\n", d.msg);
	assert_int_equal(rc, 0);
	return sc;
}

static sim_world *run(const struct cd_scenario *sc, uint64_t seed)
{
	sim_world *w = NULL;
	assert_int_equal(
		sim_world_create(&w, &sc->p, sc->set, &sc->timeline, seed), 0);
	for (int d = 0; d < sc->p.days; d++)
		assert_int_equal(sim_world_step(w), 0);
	return w;
}

/* ---- calendar, hash map, streams ---------------------------------------- */

static void test_calendar_order_and_horizon(void **state)
{
	(void)state;
	struct calendar c;
	assert_int_equal(calendar_init(&c, 10), 0);
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(
			calendar_add(&c, 3, (struct cal_event){i, 0, 0, 0}), 0);
	/* Beyond the horizon or before day 0: dropped, not an error. */
	assert_int_equal(calendar_add(&c, 10, (struct cal_event){1, 0, 0, 0}),
			 0);
	assert_int_equal(calendar_add(&c, -1, (struct cal_event){1, 0, 0, 0}),
			 0);
	assert_int_equal(c.day[3].n, 100);
	for (uint32_t i = 0; i < 100; i++)
		assert_int_equal(c.day[3].ev[i].a, i); /* scheduling order */
	assert_int_equal(c.day[9].n, 0);
	calendar_clear(&c, 3);
	assert_int_equal(c.day[3].n, 0);
	calendar_free(&c);
}

static void test_hashmap(void **state)
{
	(void)state;
	struct hashmap m;
	hashmap_init(&m);
	assert_null(hashmap_get(&m, 5));
	for (uint32_t k = 0; k < 10000; k++)
		assert_int_equal(hashmap_put(&m, k * 7919, (uint32_t)k), 0);
	assert_int_equal(m.n, 10000);
	for (uint32_t k = 0; k < 10000; k++) {
		uint32_t *v = hashmap_get(&m, k * 7919);
		assert_non_null(v);
		assert_int_equal(*v, k);
	}
	assert_null(hashmap_get(&m, 1));
	assert_int_equal(hashmap_put(&m, 0, 42), 0); /* overwrite */
	assert_int_equal(*hashmap_get(&m, 0), 42);
	assert_int_equal(m.n, 10000);
	hashmap_free(&m);
}

/* Members in any order, the count of distinct ones, none past the last. */
static void test_bitset(void **state)
{
	(void)state;
	struct bitset b;
	bitset_init(&b);
	assert_false(bitset_has(&b, 0));
	for (uint32_t k = 0; k < 5000; k++)
		assert_int_equal(bitset_add(&b, (k * 7919u) % 100003u), 0);
	assert_int_equal(bitset_add(&b, 7919), 0); /* again */
	assert_int_equal(b.n, 5000);
	for (uint32_t k = 0; k < 5000; k++)
		assert_true(bitset_has(&b, (k * 7919u) % 100003u));
	assert_false(bitset_has(&b, 1));
	assert_false(bitset_has(&b, UINT32_MAX));
	assert_int_equal(bitset_add(&b, 1u << 22), 0); /* grows to it */
	assert_true(bitset_has(&b, 1u << 22));
	assert_false(bitset_has(&b, (1u << 22) - 1));
	bitset_free(&b);
	bitset_free(&b);
}

static void test_rng_derive(void **state)
{
	(void)state;
	/* Distinct keys give distinct seeds; the same keys the same seed. */
	assert_true(rng_derive(1, 0, 0) != rng_derive(1, 1, 0));
	assert_true(rng_derive(1, 0, 0) != rng_derive(2, 0, 0));
	assert_true(rng_derive(1, 0, 1) != rng_derive(1, 1, 0));
	assert_true(rng_derive(7, 3, 9) == rng_derive(7, 3, 9));
	assert_true(rng_derive(0, 0, 0) != 0);
	/* The counter-based uniform has mean 1/2 and variance 1/12. */
	double sum = 0, ss = 0;
	const int n = 100000;
	for (int i = 0; i < n; i++) {
		double u = rng_key_uniform(rng_derive(42, (uint64_t)i, 0));
		assert_true(u >= 0 && u < 1);
		sum += u;
		ss += u * u;
	}
	double mean = sum / n, var = ss / n - mean * mean;
	/* 5 standard errors: sd of the mean is sqrt(1/12/n). */
	assert_true(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12 / n));
	assert_true(fabs(var - 1.0 / 12) < 0.002);
}

/* ---- whole runs -----------------------------------------------------------
 */

static const char small_world[] =
	"days = 200; warmup_days = 0;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 50; };\n"
	"  firms = { kind = \"corporation\"; count = 5000; hygiene_mean = 0.3; "
	"};\n"
	"};\n"
	"attackers = {\n"
	"  apt = { type = \"state\"; objective = \"espionage\"; "
	"campaigns_per_year = 10.0; attempts_per_day = 100.0; success_prob = "
	"0.01; damage_per_day = 10.0; targets = { gov = 50.0; firms = 1.0; }; "
	"};\n"
	"  crime = { type = \"criminal\"; objective = \"extortion\"; "
	"campaigns_per_year = 40.0; attempts_per_day = 20000.0; success_prob = "
	"1e-4; impact_days_mean = 2.0; demands_ransom = true; ransom_days_mean "
	"= 2.0; damage_per_day = 1000.0; targets = { firms = "
	"1.0; }; };\n"
	"};\n"
	"bodies = {\n"
	"  nisc = { kind = \"government\"; members = { gov = 1.0; }; };\n"
	"  cert = { kind = \"national\"; reach = 0.5; members = { firms = 0.6; "
	"}; };\n"
	"  us = { kind = \"partner\"; sees_abroad = 0.5; };\n"
	"};\n"
	"links = {\n"
	"  a = { from = \"nisc\"; to = \"cert\"; stage = \"won\"; };\n"
	"  b = { from = \"cert\"; to = \"nisc\"; stage = \"won\"; };\n"
	"  c = { from = \"us\"; to = \"cert\"; stage = \"wos\"; };\n"
	"};\n"
	"detection = { indicator_yield = 0.3; };\n"
	"won = { maturity = 0.5; };\n"
	"wos = { maturity = 0.5; };\n"
	"workforce = { enabled = true; training_per_month = 2000.0; };\n"
	"crisis = { enabled = true; threshold = 3.0; };\n";

static void test_same_seed_same_run(void **state)
{
	(void)state;
	struct cd_scenario *sc = load(small_world, NULL, 0);
	sim_world *a = run(sc, 11), *b = run(sc, 11), *c = run(sc, 12);
	const struct cd_foothold *fa, *fb, *fc;
	size_t na = sim_world_footholds(a, &fa);
	size_t nb = sim_world_footholds(b, &fb);
	size_t nc = sim_world_footholds(c, &fc);
	assert_true(na > 100);
	assert_int_equal(na, nb);
	assert_memory_equal(fa, fb, na * sizeof *fa);
	assert_true(na != nc || memcmp(fa, fc, na * sizeof *fa) != 0);
	sim_world_destroy(a);
	sim_world_destroy(b);
	sim_world_destroy(c);
	scenario_destroy(sc);
}

/* Running counts over the days of a run. */
struct counts {
	uint64_t intrusions, detections, contained;
};

/* What the day just simulated must hold, and its counts added to c. */
static void check_day(const sim_world *w, int n_segments, struct counts *c)
{
	for (int s = 0; s < n_segments; s++) {
		const struct cd_daily *x = sim_world_daily(w, s);
		for (int k = 0; k < CD_SOURCES; k++)
			c->detections += x->detections[k];
		c->intrusions += x->intrusions;
		c->contained += x->contained;
		assert_true(!isnan(x->knowledge));
		assert_true(x->knowledge >= 0 && x->knowledge <= 1);
		assert_true(x->records >= 0 && x->loss_yen >= 0);
	}
	assert_true(c->detections <= c->intrusions);
	assert_true(c->contained <= c->detections);
}

/* Every foothold: detected after it was made, contained after it was
 * detected, its damage not negative; the open ones counted at the end. */
static void check_footholds(const sim_world *w, int n_segments,
			    const struct counts *c)
{
	const struct cd_foothold *f;
	size_t n = sim_world_footholds(w, &f), open = 0;
	assert_int_equal(n, c->intrusions);
	for (size_t i = 0; i < n; i++) {
		assert_true(f[i].day_compromised >= 0);
		/* Found the day it is made only by a ransom demand. */
		if (f[i].day_detected >= 0)
			assert_true(
				f[i].day_detected > f[i].day_compromised ||
				(f[i].day_detected == f[i].day_compromised &&
				 f[i].source == CD_SRC_EXTERNAL));
		if (f[i].day_impact >= 0)
			assert_true(f[i].day_impact >= f[i].day_compromised &&
				    (f[i].day_contained < 0 ||
				     f[i].day_impact <= f[i].day_contained));
		else
			assert_true(f[i].damage == 0);
		if (f[i].day_contained >= 0)
			assert_true(f[i].day_detected >= 0 &&
				    f[i].day_contained > f[i].day_detected);
		else
			open++;
		assert_true(sim_world_damage(w, (uint32_t)i) >= 0);
	}
	uint64_t open_end = 0;
	for (int s = 0; s < n_segments; s++)
		open_end += sim_world_daily(w, s)->open_footholds;
	assert_int_equal(open_end, open);
}

static void test_invariants(void **state)
{
	(void)state;
	struct cd_scenario *sc = load(small_world, NULL, 0);
	for (uint64_t seed = 1; seed <= 5; seed++) {
		sim_world *w = NULL;
		assert_int_equal(sim_world_create(&w, &sc->p, sc->set,
						  &sc->timeline, seed),
				 0);
		struct counts c = {0};
		for (int d = 0; d < sc->p.days; d++) {
			assert_int_equal(sim_world_step(w), 0);
			check_day(w, sc->p.n_segments, &c);
		}
		check_footholds(w, sc->p.n_segments, &c);
		sim_world_destroy(w);
	}
	scenario_destroy(sc);
}

/* Bodies a -> b -> c with relay 1 and latencies 3 and 4: a campaign first
 * reported on day d reaches a on d, b on d + 3 and c on d + 7. */
static const char chain[] =
	"days = 120; warmup_days = 0;\n"
	"segments = { s = { kind = \"corporation\"; count = 2000; "
	"hygiene_mean = 0.0; monitoring_mean = 1.0; trained_ratio = 1.0; "
	"share_rate = 1.0; }; };\n"
	"attackers = { x = { type = \"criminal\"; objective = \"espionage\"; "
	"campaigns_per_year = 20.0; attempts_per_day = 200.0; success_prob = "
	"0.01; stealth = 0.0; targets = { s = 1.0; }; }; };\n"
	"detection = { internal_rate = 0.2; untrained_skill = 1.0; };\n"
	"won = { untrained_judgement = 1.0; framework = 1.0; };\n"
	"bodies = {\n"
	"  a = { kind = \"sector\"; coverage_scale = 1.0; members = { s = 1.0; "
	"}; };\n"
	"  b = { kind = \"national\"; };\n"
	"  c = { kind = \"national\"; };\n"
	"};\n"
	"links = {\n"
	"  ab = { from = \"a\"; to = \"b\"; relay = 1.0; latency_days = 3.0; "
	"};\n"
	"  bc = { from = \"b\"; to = \"c\"; relay = 1.0; latency_days = 4.0; "
	"};\n"
	"};\n";

static void test_propagation_days_add_up(void **state)
{
	(void)state;
	struct cd_scenario *sc = load(chain, NULL, 0);
	sim_world *w = run(sc, 5);
	const struct cd_foothold *f;
	size_t n = sim_world_footholds(w, &f);
	size_t n_camps = sim_world_n_campaigns(w), checked = 0;
	for (uint32_t c = 0; c < n_camps; c++) {
		int first = -1;
		for (size_t i = 0; i < n; i++)
			if (f[i].campaign == c && f[i].day_detected >= 0 &&
			    (first < 0 || f[i].day_detected < first))
				first = f[i].day_detected;
		if (first < 0 || first + 7 >= sc->p.days)
			continue;
		assert_int_equal(sim_world_campaign_body_day(w, c, 0), first);
		assert_int_equal(sim_world_campaign_body_day(w, c, 1),
				 first + 3);
		assert_int_equal(sim_world_campaign_body_day(w, c, 2),
				 first + 7);
		checked++;
	}
	assert_true(checked >= 3);
	sim_world_destroy(w);
	scenario_destroy(sc);
}

static void test_share_rate_zero_shares_nothing(void **state)
{
	(void)state;
	const char *sets[] = {"segments.s.share_rate=0"};
	struct cd_scenario *sc = load(chain, sets, 1);
	sim_world *w = run(sc, 5);
	for (int b = 0; b < 3; b++) {
		const struct cd_body_daily *t = sim_world_body_totals(w, b);
		assert_int_equal(t->reports, 0);
		assert_int_equal(t->learned, 0);
	}
	const struct cd_foothold *f;
	size_t n = sim_world_footholds(w, &f), detected = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(f[i].shared, 0);
		detected += f[i].day_detected >= 0;
	}
	assert_true(detected > 10); /* detections happened, nothing shared */
	sim_world_destroy(w);
	scenario_destroy(sc);
}

static void test_relay_zero_cuts_link(void **state)
{
	(void)state;
	const char *sets[] = {"links.ab.relay=0"};
	struct cd_scenario *sc = load(chain, sets, 1);
	sim_world *w = run(sc, 5);
	assert_true(sim_world_body_totals(w, 0)->learned > 0);
	assert_int_equal(sim_world_body_totals(w, 0)->relayed, 0);
	assert_int_equal(sim_world_body_totals(w, 1)->learned, 0);
	assert_int_equal(sim_world_body_totals(w, 2)->learned, 0);
	for (uint32_t c = 0; c < sim_world_n_campaigns(w); c++) {
		assert_int_equal(sim_world_campaign_body_day(w, c, 1), -1);
		assert_int_equal(sim_world_campaign_body_day(w, c, 2), -1);
	}
	sim_world_destroy(w);
	scenario_destroy(sc);
}

/* Knowing a campaign blocks its attempts: with every organisation reached
 * by the body and complete indicators, more attempts are blocked and there
 * are fewer intrusions than when only the organisations that detected a
 * campaign themselves know it. */
static void test_knowledge_blocks(void **state)
{
	(void)state;
	/* retire_blocked 1: campaigns never retire (efficacy is 0.9). */
	const char *with[] = {"detection.indicator_yield=1",
			      "attackers.x.retire_blocked=1"};
	const char *without[] = {"detection.indicator_yield=1",
				 "attackers.x.retire_blocked=1",
				 "bodies.a.members.s=0"};
	struct cd_scenario *a = load(chain, with, 2),
			   *b = load(chain, without, 3);
	sim_world *wa = run(a, 9), *wb = run(b, 9);
	const struct cd_daily *ta = sim_world_totals(wa, 0);
	const struct cd_daily *tb = sim_world_totals(wb, 0);
	printf("with body: %llu of %llu blocked, %llu intrusions; without: "
	       "%llu "
	       "of %llu, %llu\n",
	       (unsigned long long)ta->blocked,
	       (unsigned long long)ta->attempts,
	       (unsigned long long)ta->intrusions,
	       (unsigned long long)tb->blocked,
	       (unsigned long long)tb->attempts,
	       (unsigned long long)tb->intrusions);
	assert_true(ta->blocked > 0);
	assert_true(tb->blocked < ta->blocked);
	assert_true(ta->intrusions < tb->intrusions);
	sim_world_destroy(wa);
	sim_world_destroy(wb);
	scenario_destroy(a);
	scenario_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_order_and_horizon),
		cmocka_unit_test(test_hashmap),
		cmocka_unit_test(test_bitset),
		cmocka_unit_test(test_rng_derive),
		cmocka_unit_test(test_same_seed_same_run),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_propagation_days_add_up),
		cmocka_unit_test(test_share_rate_zero_shares_nothing),
		cmocka_unit_test(test_relay_zero_cuts_link),
		cmocka_unit_test(test_knowledge_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
