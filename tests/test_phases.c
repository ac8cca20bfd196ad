/* Unit tests of the phases of a day (models/), each run alone on a tiny
 * model built by hand (its stores made from a small scenario, campaigns
 * and footholds put in directly), where the outcome is known:
 *
 *   timeline   an event applies on its day and counts as set explicitly;
 *              it renews no foothold's detection draws unless it raises
 *              a hazard past the bound they were drawn at;
 *   campaigns  starts with their knowledge records, partners seeing each
 *              abroad after their delay, in proportion to their
 *              capability (raised by capacity building for recipients);
 *              deterrence stops state attackers;
 *              expired campaigns and those blocked enough retire;
 *   attempts   nobody knowing: every attempt a candidate, every candidate
 *              a foothold with its detection scheduled; everyone knowing
 *              with complete indicators: all blocked; no success: all
 *              failed;
 *   channel    only organisations with a reporting channel (framework x
 *              judgement of their trained staff) report, the same ones
 *              for every campaign;
 *   detect     a foothold whose candidate is due today at a bound equal
 *              to its hazard is detected, by the ransom demand if that
 *              came first; its organisation learns the campaign, reports
 *              it and schedules containment; a candidate of an earlier
 *              bound is skipped; national monitoring detects in a
 *              government segment under it, never in one outside it;
 *   impact     breaches on their day, with the ransom demand that detects
 *              them; damage only from impact;
 *   damage     each impacted open foothold's day of damage, in its unit;
 *   contain    containments due today close their footholds;
 *   share      a body learns, its members know after its latency (the
 *              same day at 0), links relay with their probability; with
 *              the council engaged every relay is made, sooner; around
 *              loops of links, indicators grow with distinct sources
 *              (reporting organisations, partners' own sightings), not
 *              with relays; a partner relays in proportion to its
 *              capability, council or not;
 *   tatewari   a campaign METI's CSIRT learns reaches MOD's later at WoG
 *              maturity 0 than at 1: in expectation as the closed form of
 *              a lateral link and the route through NISC says, and in
 *              japan_2017's mesh of the five ministries' CSIRTs;
 *   crisis     the council engages when the window's detections reach
 *              the threshold;
 *   workforce  a month's end trains, hires and loses staff; rechecks
 *              after a change of trained ratios make the decisions a
 *              recheck of every foothold makes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/status.h"
#include "load/scenario.h"
#include "models/detection.h"
#include "models/phases.h"
#include "params/stages.h"

static const char cfg[] =
	"days = 60; warmup_days = 0;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 100; hygiene_mean = 0.0;\n"
	"    monitoring_mean = 1.0; share_rate = 1.0; };\n"
	"  firms = { kind = \"corporation\"; count = 100000;\n"
	"    hygiene_mean = 0.0; monitoring_mean = 1.0; share_rate = 1.0;\n"
	"    damage_scale = 2.0; };\n"
	"};\n"
	"attackers = {\n"
	"  spy = { type = \"state\"; objective = \"espionage\";\n"
	"    campaigns_per_year = 0.0; attempts_per_day = 5.0;\n"
	"    success_prob = 1.0; damage_per_day = 3.0;\n"
	"    targets = { firms = 1.0; }; };\n"
	"  crook = { type = \"criminal\"; objective = \"extortion\";\n"
	"    campaigns_per_year = 0.0; attempts_per_day = 5.0;\n"
	"    success_prob = 1.0; damage_per_day = 100.0; demands_ransom = "
	"true;\n"
	"    targets = { gov = 1.0; }; };\n"
	"};\n"
	"bodies = {\n"
	"  nisc = { kind = \"government\"; latency_days = 0.0; reach = 1.0;\n"
	"    coverage_scale = 1.0; members = { gov = 1.0; }; };\n"
	"  cert = { kind = \"national\"; latency_days = 2.0; reach = 1.0;\n"
	"    coverage_scale = 1.0; members = { firms = 1.0; }; };\n"
	"  ally = { kind = \"partner\"; sees_abroad = 1.0; abroad_days = 1.0; "
	"};\n"
	"};\n"
	"links = {\n"
	"  a = { from = \"nisc\"; to = \"cert\"; relay = 1.0;\n"
	"    latency_days = 3.0; };\n"
	"  b = { from = \"cert\"; to = \"nisc\"; relay = 0.0;\n"
	"    latency_days = 1.0; };\n"
	"};\n"
	"detection = { block_efficacy = 1.0; indicator_yield = 1.0;\n"
	"  containment_days = 1.0; untrained_containment = 1.0; };\n"
	"won = { untrained_judgement = 1.0; hygiene_uplift = 0.0; framework = "
	"1.0; };\n"
	"wos = { partner_inflow = 1.0; };\n"
	"crisis = { enabled = true; threshold = 3.0; window_days = 2;\n"
	"  duration_days = 5; latency_factor = 0.5; };\n"
	"workforce = { enabled = true; needed = 1000.0; employed = 100.0;\n"
	"  trained = 40.0; training_per_month = 10.0;\n"
	"  entrants_per_month = 5.0; attrition_per_month = 0.1; };\n"
	"timeline = ( { day = 3; set = { won = { share_rate = 0.25; }; }; } "
	");\n";

/* Indices once loaded: collections are kept in the order of their names
 * (load/canon.c). */
enum { FIRMS, GOV };	   /* segments */
enum { CROOK, SPY };	   /* attackers */
enum { ALLY, CERT, NISC }; /* bodies */

static struct cd_scenario *sc;

/* A home body and two partners linked both ways (relay 1, no latency):
 * what a report or a sighting becomes as it travels around the loops. */
static const char loop_cfg[] =
	"days = 30; warmup_days = 0;\n"
	"segments = { gov = { kind = \"government\"; count = 10; }; };\n"
	"attackers = { spy = { type = \"state\"; objective = \"espionage\";\n"
	"  campaigns_per_year = 0.0; targets = { gov = 1.0; }; }; };\n"
	"bodies = {\n"
	"  nisc = { kind = \"government\"; latency_days = 0.0;\n"
	"    members = { gov = 1.0; }; };\n"
	"  ally = { kind = \"partner\"; latency_days = 0.0; };\n"
	"  more = { kind = \"partner\"; latency_days = 0.0; };\n"
	"};\n"
	"links = {\n"
	"  out1 = { from = \"nisc\"; to = \"ally\"; relay = 1.0;\n"
	"    latency_days = 0.0; };\n"
	"  in1 = { from = \"ally\"; to = \"nisc\"; relay = 1.0;\n"
	"    latency_days = 0.0; };\n"
	"  out2 = { from = \"nisc\"; to = \"more\"; relay = 1.0;\n"
	"    latency_days = 0.0; };\n"
	"  in2 = { from = \"more\"; to = \"nisc\"; relay = 1.0;\n"
	"    latency_days = 0.0; };\n"
	"};\n"
	"detection = { indicator_yield = 0.3; };\n"
	"wos = { reciprocity = 0.0; };\n";
enum { L_ALLY, L_MORE, L_NISC }; /* loop_cfg's bodies, in name order */
static struct cd_scenario *loop_sc;

/* Stovepiping: METI's and MOD's CSIRTs, each the body of its ministry
 * (latency 0), linked laterally (wog.lateral_relay) and through NISC
 * (wog.relay up and down), every latency wog.latency_days. */
static const char tatewari_cfg[] =
	"days = 60; warmup_days = 0;\n"
	"segments = { meti = { kind = \"government\"; count = 1; };\n"
	"  mod = { kind = \"government\"; count = 1; }; };\n"
	"attackers = { spy = { type = \"state\"; objective = \"espionage\";\n"
	"  campaigns_per_year = 0.0; targets = { meti = 1.0; }; }; };\n"
	"bodies = {\n"
	"  meti_csirt = { kind = \"government\"; latency_days = 0.0;\n"
	"    members = { meti = 1.0; }; };\n"
	"  mod_csirt = { kind = \"government\"; latency_days = 0.0;\n"
	"    members = { mod = 1.0; }; };\n"
	"  nisc = { kind = \"government\"; stage = \"wog\"; };\n"
	"};\n"
	"links = {\n"
	"  up = { from = \"meti_csirt\"; to = \"nisc\"; stage = \"wog\"; };\n"
	"  down = { from = \"nisc\"; to = \"mod_csirt\"; stage = \"wog\"; };\n"
	"  side = { from = \"meti_csirt\"; to = \"mod_csirt\"; stage = "
	"\"wog\";\n"
	"    lateral = true; };\n"
	"};\n";
enum { T_METI, T_MOD, T_NISC }; /* tatewari_cfg's bodies */
static struct cd_scenario *tatewari_sc;

/* A model of its own, as sim_world_create makes one, and its keyed
 * random source. */
static struct {
	struct cd_params p;
	unsigned char set[sizeof(struct cd_params)];
	struct cd_model m;
	struct cd_rand r;
	uint64_t next_uid;
} W;

static int setup(void **state)
{
	(void)state;
	struct cd_diag d;
	if (scenario_load_string(&sc, "phases.cfg", cfg, NULL, 0, &d) ||
	    scenario_load_string(&loop_sc, "loop.cfg", loop_cfg, NULL, 0, &d) ||
	    scenario_load_string(&tatewari_sc, "tatewari.cfg", tatewari_cfg,
				 NULL, 0, &d)) {
		fprintf(stderr, "%s\n", d.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	scenario_destroy(sc);
	scenario_destroy(loop_sc);
	scenario_destroy(tatewari_sc);
	return 0;
}

/* Makes the model of W.p (after the caller's changes) on day `day`. */
/* Makes the model of W.p (sc's parameters after the caller's changes) on
 * day `day`, with s's explicit marks and timeline. */
static struct cd_model *make_of(const struct cd_scenario *s, int day)
{
	struct cd_model *m = &W.m;
	memset(m, 0, sizeof *m);
	memcpy(W.set, s->set, sizeof W.set);
	m->p = &W.p;
	m->set = W.set;
	m->day = day;
	m->detected = day - 1;
	m->warmup = W.p.warmup_days;
	m->horizon = W.p.warmup_days + W.p.days;
	m->tl.t = s->timeline;
	model_name_ids(m);
	assert_int_equal(orgs_create(&m->orgs, &W.p, 1), 0);
	assert_int_equal(campaigns_create(&m->camps), 0);
	assert_int_equal(knowledge_create(&m->know, W.p.n_segments), 0);
	assert_int_equal(footholds_create(&m->fh, W.p.days), 0);
	assert_int_equal(bodies_create(&m->bodies, W.p.days), 0);
	workforce_set_pool(&m->wf, W.p.workforce.employed,
			   W.p.workforce.trained);
	assert_int_equal(phase_refresh(m), 0);
	W.r.seed = 1;
	return m;
}

static struct cd_model *make(int day)
{
	return make_of(sc, day);
}

static int fresh(void **state)
{
	(void)state;
	W.p = sc->p;
	return 0;
}

static int destroy(void **state)
{
	(void)state;
	orgs_destroy(W.m.orgs);
	campaigns_destroy(W.m.camps);
	knowledge_destroy(W.m.know);
	footholds_destroy(W.m.fh);
	bodies_destroy(W.m.bodies);
	memset(&W.m, 0, sizeof W.m);
	return 0;
}

/* Starts a campaign of attacker a, as phase_campaigns does. */
static uint32_t campaign(struct cd_model *m, int a, int expire)
{
	uint32_t c;
	assert_int_equal(
		campaigns_start(m->camps, a, ++W.next_uid, m->day, expire, &c),
		0);
	assert_int_equal(
		knowledge_add(m->know, c, m->p->detection.indicator_yield), 0);
	return c;
}

/* A foothold of campaign c in the organisation at place `place` of
 * segment seg, opened today. */
static uint32_t foothold(struct cd_model *m, uint32_t c, uint32_t place,
			 int seg)
{
	uint32_t fid, org = orgs_segment_start(m->orgs, seg) + place;
	struct cd_foothold_of of = {c,
				    campaigns_attacker(m->camps, c),
				    campaigns_uid(m->camps, c),
				    org,
				    seg,
				    orgs_identity(m->orgs, org, seg),
				    m->day};
	assert_int_equal(footholds_open(m->fh, &of, 1.0, 1.0, &fid), 0);
	return fid;
}

/* A detection candidate of fid on `day` that is a detection for certain:
 * drawn at a bound equal to its hazard (accepted with probability 1). */
static void due(struct cd_model *m, uint32_t fid, int day)
{
	struct hazard hz;
	detection_hazards(m, fid, &hz);
	assert_true(hz.total > 0);
	footholds_rebound(m->fh, fid, hz.total);
	assert_int_equal(footholds_schedule(m->fh, fid, day, 0), 0);
}

/* Body b distributes c to its members. */
static void reach(struct cd_model *m, uint32_t c, int b)
{
	struct cd_know_ctx x = model_know(m);
	knowledge_reach(m->know, &x, c, b);
}

/* ---- 1. timeline ----------------------------------------------------------
 */

static void test_timeline(void **state)
{
	(void)state;
	struct cd_model *m = make(2);
	uint32_t c = campaign(m, SPY, 50);
	uint32_t fid = foothold(m, c, 150, FIRMS);
	assert_int_equal(detection_open(m, &W.r, fid), 0);
	uint32_t version = footholds_get(m->fh, fid)->version;
	size_t at = offsetof(struct cd_params, won.share_rate);
	assert_int_equal(phase_timeline(m, &W.r), 0); /* day 2: nothing due */
	assert_true(m->p->won.share_rate != 0.25);
	m->day = 3;
	assert_int_equal(phase_timeline(m, &W.r), 0);
	assert_true(m->p->won.share_rate == 0.25);
	assert_int_equal(m->set[at], 1);
	/* A share rate is no detection hazard: no draw is renewed. */
	assert_int_equal(footholds_get(m->fh, fid)->version, version);
	/* A rate raised past the bound renews them. */
	m->p->detection.internal_rate *= 3;
	assert_int_equal(detection_recheck_all(m, &W.r), 0);
	assert_int_equal(footholds_get(m->fh, fid)->version, version + 1);
}

/* ---- 2. campaigns ---------------------------------------------------------
 */

/* Twenty campaigns a day are started, each with its knowledge record (one
 * report's worth of indicators) and a lifetime of at least a day; the
 * partner sees each abroad a day later (abroad_days 1). */
static void test_campaigns_start(void **state)
{
	(void)state;
	W.p.attackers[CROOK].campaigns_per_year = 20 * 365;
	struct cd_model *m = make(4);
	assert_int_equal(phase_campaigns(m, &W.r), 0);
	uint32_t n = campaigns_count(m->camps);
	assert_true(n > 5);
	assert_int_equal(campaigns_n_active(m->camps), n);
	for (uint32_t c = 0; c < n; c++) {
		assert_int_equal(campaigns_attacker(m->camps, c), CROOK);
		assert_true(campaigns_expire_day(m->camps, c) > 4);
		assert_true(knowledge_completeness(m->know, c) == 1);
	}
	assert_int_equal(bodies_n_events(m->bodies, 5), n);
	for (uint32_t i = 0; i < n; i++) {
		struct cal_event ev = bodies_event(m->bodies, 5, i);
		assert_int_equal(ev.a, ALLY);
		assert_int_equal(ev.flag & ~BODY_ORIGIN_MASK, BODY_PARTNER);
		assert_int_equal(body_origin(ev.flag), ALLY); /* its own */
	}
}

/* The campaigns of one day of 2,000 a day (the same in every call: the
 * arrivals are keyed), with seen[c] = 1 if the partner, at capability
 * `cap` (a recipient or not) and wos.capacity_building cb, sees campaign
 * c abroad (abroad_days 1: the next day); returns how many it sees. */
enum { N_CAMPAIGNS = 2000 * 365, N_SEEN = 4000 };
static uint32_t sightings(double cap, int recipient, double cb,
			  unsigned char seen[N_SEEN], uint32_t *n)
{
	W.p = sc->p;
	W.p.attackers[CROOK].campaigns_per_year = N_CAMPAIGNS;
	W.p.bodies[ALLY].capability = cap;
	W.p.bodies[ALLY].capacity_recipient = recipient;
	W.p.wos.capacity_building = cb;
	struct cd_model *m = make(4);
	assert_int_equal(phase_campaigns(m, &W.r), 0);
	*n = campaigns_count(m->camps);
	assert_true(*n > 1000 && *n <= N_SEEN);
	memset(seen, 0, N_SEEN);
	uint32_t k = bodies_n_events(m->bodies, 5);
	for (uint32_t i = 0; i < k; i++) {
		struct cal_event ev = bodies_event(m->bodies, 5, i);
		assert_int_equal(ev.a, ALLY);
		seen[ev.b] = 1;
	}
	destroy(NULL);
	return k;
}

/* A partner sees a campaign abroad with probability sees_abroad x
 * capability x partner_inflow (here sees_abroad and the inflow are 1):
 * none at capability 0, all at 1; at 0.4 about 40% and, as a recipient
 * of capacity building that closes half its gap, 0.4 + 0.5 x 0.6 = 0.7,
 * each within 4 binomial standard deviations. The draws are keyed, so
 * capacity building only adds sightings: every campaign seen at 0.4 is
 * seen at 0.7. It reaches recipients only: a partner that is not one
 * sees at 0.4 whatever capacity_building is. */
static void test_campaigns_capability(void **state)
{
	(void)state;
	static unsigned char low[N_SEEN], high[N_SEEN];
	uint32_t n;
	assert_int_equal(sightings(0, 1, 0, low, &n), 0);
	uint32_t all = sightings(1, 0, 0, low, &n);
	assert_int_equal(all, n);
	uint32_t other = sightings(0.4, 0, 0.5, high, &n);
	uint32_t base = sightings(0.4, 1, 0, low, &n);
	assert_int_equal(base, other);
	assert_memory_equal(low, high, N_SEEN);
	uint32_t raised = sightings(0.4, 1, 0.5, high, &n);
	const double want[] = {0.4, 0.7};
	const uint32_t got[] = {base, raised};
	for (int k = 0; k < 2; k++)
		if (fabs(got[k] - n * want[k]) >
		    4 * sqrt(n * want[k] * (1 - want[k])))
			fail_msg("%u of %u seen at capability %g", got[k], n,
				 want[k]);
	for (uint32_t c = 0; c < n; c++)
		assert_true(!low[c] || high[c]);
}

/* Full deterrence stops a state attacker. */
static void test_campaigns_deterred(void **state)
{
	(void)state;
	W.p.attackers[SPY].campaigns_per_year = 1e5;
	W.p.wos.deterrence = 1;
	struct cd_model *m = make(4);
	assert_int_equal(phase_campaigns(m, &W.r), 0);
	assert_int_equal(campaigns_count(m->camps), 0);
}

/* An expired campaign retires, so does one whose attempts are blocked
 * enough (everyone knows it, e = 1, complete indicators); the third
 * stays. */
static void test_campaigns_retire(void **state)
{
	(void)state;
	struct cd_model *m = make(0);
	uint32_t old = campaign(m, SPY, 3), known = campaign(m, SPY, 50);
	uint32_t kept = campaign(m, SPY, 50);
	reach(m, known, CERT);
	assert_true(knowledge_coverage(m->know, known) == 1);
	m->day = 3;
	assert_int_equal(phase_campaigns(m, &W.r), 0);
	assert_int_equal(campaigns_n_active(m->camps), 1);
	assert_int_equal(campaigns_active(m->camps, 0), kept);
	(void)old;
}

/* Retirement rises with the blocked share b: with every target knowing
 * a campaign (coverage 1, complete indicators), b is block_efficacy. At b
 * = retire_blocked about half of 2,000 campaigns retire in a day (h =
 * (1/2 - L(0)) / (1 - L(0)), L(0) = 1 / (1 + e^(mid / spread))), within 5
 * binomial standard deviations; well below it almost none; with a spread
 * of 0 exactly none below and all at it. */
static void test_campaigns_retire_hazard(void **state)
{
	(void)state;
	enum { N = 2000 };
	const double mid = W.p.attackers[SPY].retire_blocked;
	const double spread = W.p.attackers[SPY].retire_spread;
	const double cases[][3] = {/* efficacy, spread, expected share */
				   {mid, spread, -1},
				   {mid / 4, spread, -2},
				   {mid * 0.999, 0, 0},
				   {mid, 0, 1}};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		W.p = sc->p;
		W.p.detection.block_efficacy = cases[k][0];
		W.p.attackers[SPY].retire_spread = cases[k][1];
		struct cd_model *m = make(0);
		for (int i = 0; i < N; i++)
			reach(m, campaign(m, SPY, 50), CERT);
		m->day = 1;
		assert_int_equal(phase_campaigns(m, &W.r), 0);
		double gone = N - (double)campaigns_n_active(m->camps);
		double l0 = 1 / (1 + exp(mid / spread));
		double want = cases[k][2] == -1	  ? (0.5 - l0) / (1 - l0)
			      : cases[k][2] == -2 ? -1
						  : cases[k][2];
		if (want < 0) /* well below: a small share */
			assert_true(gone < 0.1 * N);
		else if (want == 0 || want == 1)
			assert_true(gone == want * N);
		else if (fabs(gone - want * N) >
			 5 * sqrt(N * want * (1 - want)))
			fail_msg("%g of %d retired at b = %g, want %g", gone, N,
				 cases[k][0], want * N);
		destroy(NULL);
	}
}

/* ---- 3. attempts ----------------------------------------------------------
 */

static uint64_t sum_attempts;

/* Runs phase_attempts on day d of a model with campaign c, checking the
 * split of segment s adds up. */
static const struct cd_daily *attempts(struct cd_model *m, int s)
{
	memset(m->tally.daily, 0, sizeof m->tally.daily);
	assert_int_equal(phase_attempts(m, &W.r), 0);
	const struct cd_daily *d = &m->tally.daily[s];
	sum_attempts += d->attempts;
	return d;
}

/* Nobody knows, success_prob 1, hygiene 0: every attempt is a candidate
 * and every candidate (none meeting another's foothold among 100,000
 * organisations) a foothold whose detection is scheduled. */
static void test_attempts_all_succeed(void **state)
{
	(void)state;
	struct cd_model *m = make(0);
	campaign(m, SPY, 50);
	sum_attempts = 0;
	uint64_t intrusions = 0;
	for (int day = 0; day < 20; day++) {
		m->day = day;
		const struct cd_daily *d = attempts(m, FIRMS);
		assert_int_equal(d->blocked, 0);
		assert_int_equal(d->failed, 0);
		assert_int_equal(d->intrusions, d->attempts);
		intrusions += d->intrusions;
	}
	assert_true(sum_attempts > 50);
	assert_int_equal(footholds_count(m->fh), intrusions);
	for (uint32_t f = 0; f < intrusions; f++) {
		assert_int_equal(footholds_get(m->fh, f)->segment, FIRMS);
		assert_true(footholds_get(m->fh, f)->version >= 1);
	}
}

/* Everyone knows the campaign, blocking is certain and the indicators
 * complete: every attempt is blocked. */
static void test_attempts_all_blocked(void **state)
{
	(void)state;
	struct cd_model *m = make(0);
	reach(m, campaign(m, SPY, 50), CERT);
	sum_attempts = 0;
	for (int day = 0; day < 20; day++) {
		const struct cd_daily *d = attempts(m, FIRMS);
		assert_int_equal(d->blocked, d->attempts);
		assert_int_equal(d->intrusions, 0);
	}
	assert_true(sum_attempts > 50);
	assert_int_equal(footholds_count(m->fh), 0);
}

/* No attempt can succeed: every one fails. */
static void test_attempts_all_fail(void **state)
{
	(void)state;
	W.p.attackers[SPY].success_prob = 0;
	struct cd_model *m = make(0);
	campaign(m, SPY, 50);
	sum_attempts = 0;
	for (int day = 0; day < 20; day++) {
		const struct cd_daily *d = attempts(m, FIRMS);
		assert_int_equal(d->failed, d->attempts);
		assert_int_equal(d->intrusions + d->blocked, 0);
	}
	assert_true(sum_attempts > 50);
}

/* ---- 4. detect ------------------------------------------------------------
 */

/* A foothold in a member of `cert` due today: detected today, its
 * organisation knows the campaign and reports it (share rate 1, judgement
 * 1) to cert today, and its containment is scheduled after today. */
static void test_detect_reports(void **state)
{
	(void)state;
	struct cd_model *m = make(5);
	uint32_t c = campaign(m, SPY, 50);
	uint32_t fid = foothold(m, c, 500, FIRMS);
	due(m, fid, 5);
	assert_int_equal(phase_detect(m, &W.r), 0);
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	assert_int_equal(f->day_detected, 5);
	assert_int_equal(f->shared, 1);
	assert_true(knowledge_learned(m->know, c, 500));
	assert_int_equal(m->tally.daily[FIRMS].detections[f->source], 1);
	assert_int_equal(m->tally.bdaily[CERT].reports, 1);
	assert_int_equal(bodies_n_events(m->bodies, 5), 1);
	assert_int_equal(bodies_event(m->bodies, 5, 0).a, CERT);
	uint32_t scheduled = 0;
	for (int day = 6; day < m->p->days; day++)
		scheduled += footholds_n_containments(m->fh, day);
	assert_int_equal(scheduled, 1);
}

/* The ransom demand (a reveal event) detects it as external; a candidate
 * of an earlier bound (renewed since) is skipped. */
/* Firms without a sharing framework: N_CHANNEL footholds of one
 * campaign in distinct members of cert, all detected on day 5 at share
 * rate 1, are reported exactly by the organisations with a reporting
 * channel. An organisation has one with P min(1, framework x judgement
 * (t) / judgement(reference)); over the organisations the count of
 * reports has mean sum p and variance sum p (1 - p), and lies within four
 * of its standard deviations. A second campaign's footholds in the same
 * organisations are reported by the same ones: the channel is the
 * organisation's, not the detection's. */
#define N_CHANNEL 3000
static void channel_run(double judgement, uint8_t shared[N_CHANNEL],
			double *mean, double *var)
{
	W.p.segments[FIRMS].framework = 0.6;
	W.p.won.untrained_judgement = judgement;
	W.p.won.reference_trained = 0.3;
	struct cd_model *m = make(5);
	m->wf.ratio[FIRMS] = 0.5;
	*mean = *var = 0;
	for (int round = 0; round < 2; round++) {
		uint32_t c = campaign(m, SPY, 50), fid[N_CHANNEL];
		for (uint32_t k = 0; k < N_CHANNEL; k++) {
			fid[k] = foothold(m, c, 7 * k, FIRMS);
			due(m, fid[k], 5);
		}
		assert_int_equal(phase_detect(m, &W.r), 0);
		for (uint32_t k = 0; k < N_CHANNEL; k++) {
			const struct cd_foothold *f =
				footholds_get(m->fh, fid[k]);
			assert_int_equal(f->day_detected, 5);
			if (round) {
				assert_int_equal(f->shared, shared[k]);
				continue;
			}
			shared[k] = f->shared;
			double j = judgement, t = detection_trained(m, fid[k]);
			double p = fmin(1, 0.6 * (j + (1 - j) * t) /
						   (j + (1 - j) * 0.3));
			*mean += p;
			*var += p * (1 - p);
		}
	}
	destroy(NULL);
}

static void test_detect_channel(void **state)
{
	(void)state;
	static uint8_t shared[N_CHANNEL];
	static const double judgement[] = {1.0, 0.3};
	for (int i = 0; i < 2; i++) {
		double mean, var;
		W.p = sc->p;
		channel_run(judgement[i], shared, &mean, &var);
		int n = 0;
		for (int k = 0; k < N_CHANNEL; k++)
			n += shared[k];
		assert_true(fabs(n - mean) <= 4 * sqrt(var));
		if (i == 0) /* every p is 0.6 */
			assert_true(fabs(mean - 0.6 * N_CHANNEL) < 1e-6);
		else /* trained staff above the reference: more channels */
			assert_true(mean > 0.6 * N_CHANNEL + 100);
	}
}

static void test_detect_reveal_and_stale(void **state)
{
	(void)state;
	struct cd_model *m = make(5);
	uint32_t c = campaign(m, CROOK, 50);
	uint32_t a = foothold(m, c, 3, GOV), b = foothold(m, c, 4, GOV);
	assert_int_equal(footholds_schedule(m->fh, a, 5, 1), 0);
	due(m, b, 5);
	footholds_rebound(m->fh, b, 1); /* a new bound: day 5's is stale */
	assert_int_equal(footholds_schedule(m->fh, b, 9, 0), 0);
	assert_int_equal(phase_detect(m, &W.r), 0);
	assert_int_equal(footholds_get(m->fh, a)->source, CD_SRC_EXTERNAL);
	assert_int_equal(footholds_get(m->fh, a)->day_detected, 5);
	assert_int_equal(footholds_get(m->fh, b)->day_detected, -1);
	assert_int_equal(m->tally.daily[GOV].detections[CD_SRC_EXTERNAL], 1);
}

/* Two footholds of one campaign due the same day in members of nisc
 * (latency 0): the first one's report reaches nisc, whose members then
 * know the campaign the same day, but the second's detection, already
 * due, is not cancelled: both are found that day, and the members'
 * renewed bounds draw from the next day. */
static void test_detect_same_day_not_cancelled(void **state)
{
	(void)state;
	struct cd_model *m = make(6);
	uint32_t c = campaign(m, CROOK, 50);
	uint32_t a = foothold(m, c, 10, GOV), b = foothold(m, c, 11, GOV);
	due(m, a, 6);
	due(m, b, 6);
	assert_int_equal(phase_detect(m, &W.r), 0);
	assert_int_equal(phase_share(m, &W.r), 0);
	assert_int_equal(footholds_get(m->fh, a)->day_detected, 6);
	assert_int_equal(footholds_get(m->fh, b)->day_detected, 6);
	assert_true(knowledge_body_reached(m->know, c) & 1u << NISC);
}

/* National monitoring (GSOC) is the only source left (no internal or
 * external detection, the campaign unknown): a government segment under
 * it detects a foothold due today as `national`; with the segment's
 * national_monitoring off the hazard is 0, and a candidate at bound 1 on
 * the same day (accepted with probability h / 1) detects nothing. A
 * corporation is never under it. */
static void test_detect_national_monitoring(void **state)
{
	(void)state;
	W.p.detection.internal_rate = 0;
	W.p.detection.external_rate = 0;
	W.p.wog.national_monitoring = 0.5;
	struct cd_model *m = make(5);
	uint32_t c = campaign(m, SPY, 50);
	uint32_t on = foothold(m, c, 1, GOV), firm = foothold(m, c, 7, FIRMS);
	struct hazard hz;
	detection_hazards(m, firm, &hz);
	assert_true(hz.total == 0);
	due(m, on, 5);
	assert_int_equal(phase_detect(m, &W.r), 0);
	assert_int_equal(footholds_get(m->fh, on)->day_detected, 5);
	assert_int_equal(footholds_get(m->fh, on)->source, CD_SRC_NATIONAL);
	assert_int_equal(m->tally.daily[GOV].detections[CD_SRC_NATIONAL], 1);

	W.p.segments[GOV].national_monitoring = 0;
	uint32_t off = foothold(m, c, 2, GOV);
	detection_hazards(m, off, &hz);
	assert_true(hz.h[CD_SRC_NATIONAL] == 0 && hz.total == 0);
	footholds_rebound(m->fh, off, 1);
	assert_int_equal(footholds_schedule(m->fh, off, 6, 0), 0);
	m->day = 6;
	assert_int_equal(phase_detect(m, &W.r), 0);
	assert_int_equal(footholds_get(m->fh, off)->day_detected, -1);
	assert_int_equal(m->tally.daily[GOV].detections[CD_SRC_NATIONAL], 1);
}

/* ---- 5. and 6. damage and containment -------------------------------------
 */

static void test_damage(void **state)
{
	(void)state;
	struct cd_model *m = make(0);
	uint32_t s = campaign(m, SPY, 50), x = campaign(m, CROOK, 50);
	for (uint32_t org = 100; org < 103; org++)
		assert_int_equal(footholds_schedule_impact(
					 m->fh, foothold(m, s, org, FIRMS), 0),
				 0);
	assert_int_equal(
		footholds_schedule_impact(m->fh, foothold(m, x, 7, GOV), 0), 0);
	foothold(m, s, 200, FIRMS); /* no impact yet: no damage */
	assert_int_equal(phase_impact(m, &W.r), 0);
	assert_int_equal(m->tally.daily[FIRMS].breaches, 3);
	phase_damage(m);
	/* 3 footholds x 3 records x damage_scale 2; 1 x 100 yen x 1. */
	assert_true(m->tally.daily[FIRMS].records == 18);
	assert_true(m->tally.daily[FIRMS].loss_yen == 0);
	assert_true(m->tally.daily[GOV].loss_yen == 100);
	assert_true(m->tally.daily[GOV].outage_hours == 0);
	assert_true(footholds_damage(m->fh, 0) == 6);
	assert_true(footholds_damage(m->fh, 4) == 0);
}

/* A breach of an attacker that demands a ransom schedules the demand
 * after its delay (mean 0 here: the same day), which detects the foothold
 * as external; one without a demand stays hidden. */
static void test_impact_ransom(void **state)
{
	(void)state;
	W.p.attackers[CROOK].ransom_days_mean = 0;
	struct cd_model *m = make(4);
	uint32_t x = campaign(m, CROOK, 50), s = campaign(m, SPY, 50);
	uint32_t a = foothold(m, x, 3, GOV), b = foothold(m, s, 9, FIRMS);
	assert_int_equal(footholds_schedule_impact(m->fh, a, 4), 0);
	assert_int_equal(footholds_schedule_impact(m->fh, b, 4), 0);
	assert_int_equal(phase_impact(m, &W.r), 0);
	assert_int_equal(footholds_n_detections(m->fh, 4), 1);
	assert_int_equal(phase_detect(m, &W.r), 0);
	assert_int_equal(footholds_get(m->fh, a)->day_detected, 4);
	assert_int_equal(footholds_get(m->fh, a)->source, CD_SRC_EXTERNAL);
	assert_int_equal(footholds_get(m->fh, b)->day_detected, -1);
	assert_int_equal(footholds_get(m->fh, b)->day_impact, 4);
}

static void test_contain(void **state)
{
	(void)state;
	struct cd_model *m = make(2);
	uint32_t c = campaign(m, SPY, 50);
	uint32_t a = foothold(m, c, 100, FIRMS), b = foothold(m, c, 101, FIRMS);
	foothold(m, c, 102, FIRMS);
	assert_int_equal(footholds_schedule_containment(m->fh, a, 2), 0);
	assert_int_equal(footholds_schedule_containment(m->fh, b, 2), 0);
	phase_contain(m);
	assert_int_equal(m->tally.daily[FIRMS].contained, 2);
	assert_int_equal(footholds_get(m->fh, a)->day_contained, 2);
	assert_int_equal(footholds_get(m->fh, b)->day_contained, 2);
	assert_int_equal(footholds_n_open(m->fh), 1);
	assert_false(footholds_has_open(m->fh, c, 100));
}

/* ---- 7. share -------------------------------------------------------------
 */

/* nisc learns c from a report on day 10: its members (latency 0) know c
 * the same day, and link a (relay 1) takes it to cert on day 13. */
static void test_share_learn_and_relay(void **state)
{
	(void)state;
	struct cd_model *m = make(10);
	uint32_t c = campaign(m, SPY, 50);
	assert_int_equal(bodies_schedule(m->bodies, NISC, c, 0, 10), 0);
	assert_int_equal(phase_share(m, &W.r), 0);
	assert_int_equal(knowledge_body_day(m->know, c, NISC), 10);
	assert_int_equal(knowledge_body_reached(m->know, c), 1u << NISC);
	assert_int_equal(knowledge_known(m->know, c, GOV), 100);
	assert_int_equal(m->tally.bdaily[NISC].learned, 1);
	assert_int_equal(m->tally.bdaily[NISC].distributed, 1);
	assert_int_equal(m->tally.bdaily[NISC].relayed, 1);
	assert_int_equal(bodies_home_known(m->bodies), 1);
	assert_int_equal(bodies_n_events(m->bodies, 13), 1);
	struct cal_event ev = bodies_event(m->bodies, 13, 0);
	assert_int_equal(ev.a, CERT);
	assert_int_equal(ev.flag, BODY_LINK);
	/* cert on day 13: its members know on day 15; link b (relay 0)
	 * relays nothing. */
	m->day = 13;
	assert_int_equal(phase_share(m, &W.r), 0);
	assert_int_equal(m->tally.bdaily[CERT].received, 1);
	assert_int_equal(m->tally.bdaily[CERT].relayed, 0);
	assert_int_equal(bodies_n_events(m->bodies, 15), 1);
	assert_int_equal(bodies_event(m->bodies, 15, 0).flag, BODY_MEMBERS);
	assert_int_equal(knowledge_known(m->know, c, FIRMS), 0);
	m->day = 15;
	assert_int_equal(phase_share(m, &W.r), 0);
	assert_int_equal(knowledge_known(m->know, c, FIRMS), 100000);
}

/* With the council engaged, link b relays (every relay is made) and
 * latencies are halved (latency_factor 0.5): cert's members know a day
 * after it learns, nisc hears one day after (round(0.5) = 1). */
static void test_share_crisis(void **state)
{
	(void)state;
	struct cd_model *m = make(10);
	crisis_engage(&m->crisis, 9, 5);
	uint32_t c = campaign(m, SPY, 50);
	assert_int_equal(bodies_schedule(m->bodies, CERT, c, 0, 10), 0);
	assert_int_equal(phase_share(m, &W.r), 0);
	assert_int_equal(m->tally.bdaily[CERT].relayed, 1);
	assert_int_equal(bodies_n_events(m->bodies, 11), 2);
	assert_int_equal(bodies_event(m->bodies, 11, 0).flag, BODY_MEMBERS);
	assert_int_equal(bodies_event(m->bodies, 11, 1).a, NISC);
}

/* In the loop model, n campaigns the partner `ally` saw abroad on day 5,
 * at capability `cap` (a recipient or not) with wos.capacity_building
 * cb, the council engaged or not: relayed[c] = 1 if its link to nisc
 * (relay 1, reciprocity 0) relayed c, which is the only way nisc learns
 * it; returns how many it relayed. */
enum { N_RELAYED = 4000 };
static uint32_t ally_relays(double cap, int recipient, double cb, int crisis,
			    unsigned char relayed[N_RELAYED])
{
	W.p = loop_sc->p;
	W.p.bodies[L_ALLY].capability = cap;
	W.p.bodies[L_ALLY].capacity_recipient = recipient;
	W.p.wos.capacity_building = cb;
	W.next_uid = 0; /* the same campaigns in every call */
	struct cd_model *m = make_of(loop_sc, 5);
	if (crisis)
		crisis_engage(&m->crisis, 4, 5);
	uint32_t abroad = BODY_PARTNER | body_origin_flag(L_ALLY), k = 0;
	for (uint32_t i = 0; i < N_RELAYED; i++)
		assert_int_equal(bodies_schedule(m->bodies, L_ALLY,
						 campaign(m, 0, 50), abroad, 5),
				 0);
	assert_int_equal(phase_share(m, &W.r), 0);
	for (uint32_t c = 0; c < N_RELAYED; c++) {
		relayed[c] = (knowledge_body_known(m->know, c) >> L_NISC) & 1;
		k += relayed[c];
	}
	assert_int_equal(m->tally.bdaily[L_ALLY].relayed, k);
	destroy(NULL);
	return k;
}

/* Every link from a partner relays with its probability x the partner's
 * capability: none at capability 0, all at 1, even with the council
 * engaged (which makes every other relay); at 0.3 about 30%, and as a
 * recipient of capacity building that closes half its gap 0.3 + 0.5 x
 * 0.7 = 0.65, within 4 binomial standard deviations, each campaign
 * relayed at 0.3 relayed at 0.65 too (keyed draws); with the council
 * engaged at 0.3, about 30% still. */
static void test_share_capability(void **state)
{
	(void)state;
	static unsigned char low[N_RELAYED], high[N_RELAYED];
	const double n = N_RELAYED;
	assert_int_equal(ally_relays(0, 0, 0, 0, low), 0);
	assert_int_equal(ally_relays(0, 1, 0, 1, low), 0);
	assert_int_equal(ally_relays(1, 0, 0, 0, low), N_RELAYED);
	uint32_t other = ally_relays(0.3, 0, 0.5, 0, high);
	assert_int_equal(ally_relays(0.3, 1, 0, 0, low), other);
	assert_memory_equal(low, high, N_RELAYED);
	uint32_t crisis = ally_relays(0.3, 0, 0, 1, high);
	uint32_t raised = ally_relays(0.3, 1, 0.5, 0, high);
	const double want[] = {0.3, 0.3, 0.65};
	const uint32_t got[] = {other, crisis, raised};
	for (int k = 0; k < 3; k++)
		if (fabs(got[k] - n * want[k]) >
		    4 * sqrt(n * want[k] * (1 - want[k])))
			fail_msg("%u of %g relayed, want %g", got[k], n,
				 n * want[k]);
	for (uint32_t c = 0; c < N_RELAYED; c++)
		assert_true(!low[c] || high[c]);
}

/* Runs the share phase from `day` to `last`. */
static void share_days(struct cd_model *m, int day, int last)
{
	for (m->day = day; m->day <= last; m->day++)
		assert_int_equal(phase_share(m, &W.r), 0);
}

/* Indicators grow with distinct sources, not with relays. Japan's own
 * report travels around both loops and comes back twice: still one
 * source. One partner's sighting relayed home, out to the other partner
 * and home again: one source. Both partners' own sightings: two. */
static void test_share_distinct_sources(void **state)
{
	(void)state;
	W.p = loop_sc->p;
	struct cd_model *m = make_of(loop_sc, 5);
	double y = m->p->detection.indicator_yield;
	uint32_t report = campaign(m, 0, 50), seen = campaign(m, 0, 50),
		 both = campaign(m, 0, 50);
	struct cd_know_ctx x = model_know(m);
	assert_int_equal(knowledge_learn(m->know, &x, report, 3, 0), 0);
	assert_int_equal(knowledge_org_reports(m->know, report, 3, y), 1);
	assert_int_equal(bodies_schedule(m->bodies, L_NISC, report, 0, 5), 0);
	uint32_t abroad = BODY_PARTNER | body_origin_flag(L_ALLY);
	assert_int_equal(bodies_schedule(m->bodies, L_ALLY, seen, abroad, 5),
			 0);
	assert_int_equal(bodies_schedule(m->bodies, L_ALLY, both, abroad, 5),
			 0);
	assert_int_equal(
		bodies_schedule(m->bodies, L_MORE, both,
				BODY_PARTNER | body_origin_flag(L_MORE), 5),
		0);
	share_days(m, 5, 8);
	/* Every body learned every campaign; echoes arrived at home. */
	for (uint32_t c = report; c <= both; c++)
		assert_int_equal(knowledge_body_known(m->know, c), 7u);
	assert_true(m->tally.bdaily[L_NISC].received >= 3);
	assert_int_equal(knowledge_sources(m->know, report), 1);
	assert_int_equal(knowledge_sources(m->know, seen), 1);
	assert_int_equal(knowledge_sources(m->know, both), 2);
	assert_true(fabs(knowledge_completeness(m->know, seen) - y) < 1e-15);
	assert_true(fabs(knowledge_completeness(m->know, both) -
			 (1 - (1 - y) * (1 - y))) < 1e-15);
}

/* ---- 8. crisis ------------------------------------------------------------
 */

/* Threshold 3 over a window of 2 days: 2 government detections on day 0
 * and 1 on day 1 engage the council from day 2 for 5 days; detections in
 * corporations do not count. */
static void test_crisis_engages(void **state)
{
	(void)state;
	struct cd_model *m = make(0);
	m->tally.daily[GOV].detections[CD_SRC_INTERNAL] = 2;
	m->tally.daily[FIRMS].detections[CD_SRC_INTERNAL] = 50;
	phase_crisis(m);
	assert_false(crisis_active(&m->crisis, 1));
	m->day = 1;
	memset(m->tally.daily, 0, sizeof m->tally.daily);
	m->tally.daily[GOV].detections[CD_SRC_SHARED] = 1;
	phase_crisis(m);
	for (int day = 2; day < 7; day++)
		assert_true(crisis_active(&m->crisis, day));
	assert_false(crisis_active(&m->crisis, 7));
}

/* ---- 9. stovepiping -------------------------------------------------------
 */

#define N_TATEWARI 4000
#define TATEWARI_CAP 60 /* days: an arrival later than this counts as it */

/* Body `from` of scenario s learns N_TATEWARI campaigns on day 0 at WoG
 * maturity `mat`: t[k] is the day body `to` learns the k-th, at most
 * TATEWARI_CAP. The campaigns' identities are the same at every maturity,
 * so the relay draws are paired. */
static void tatewari_days(const struct cd_scenario *s, double mat, int from,
			  int to, int t[N_TATEWARI])
{
	static uint32_t c[N_TATEWARI];
	W.p = s->p;
	W.p.warmup_days = 0;
	W.p.days = TATEWARI_CAP + 1;
	W.p.wog.maturity = mat;
	stages_derive(&W.p, s->set);
	W.next_uid = 0;
	struct cd_model *m = make_of(s, 0);
	for (int k = 0; k < N_TATEWARI; k++) {
		c[k] = campaign(m, 0, 10 * TATEWARI_CAP);
		assert_int_equal(bodies_schedule(m->bodies, from, c[k], 0, 0),
				 0);
	}
	for (m->day = 0; m->day <= TATEWARI_CAP; m->day++)
		assert_int_equal(phase_share(m, &W.r), 0);
	for (int k = 0; k < N_TATEWARI; k++) {
		int day = knowledge_body_known(m->know, c[k]) & (1u << to)
				  ? knowledge_body_day(m->know, c[k], to)
				  : TATEWARI_CAP;
		t[k] = day < TATEWARI_CAP ? day : TATEWARI_CAP;
	}
	destroy(NULL);
}

static double mean_of(const int t[N_TATEWARI], double *var)
{
	double sum = 0, sq = 0;
	for (int k = 0; k < N_TATEWARI; k++) {
		sum += t[k];
		sq += (double)t[k] * t[k];
	}
	double mean = sum / N_TATEWARI;
	*var = (sq - N_TATEWARI * mean * mean) / (N_TATEWARI - 1);
	return mean;
}

/* METI's CSIRT to MOD's: by the lateral link after L days with P l, else
 * through NISC after 2L with P r^2 (both relays), else not within the cap
 * C: E[min(T, C)] = l L + (1 - l) r^2 2L + (1 - l)(1 - r^2) C, l, r and L
 * the stage mappings at maturity m. The simulated mean lies within four
 * standard errors of the closed form's own variance, at m = 0 and m = 1,
 * and is later at 0. */
static void test_tatewari_closed_form(void **state)
{
	(void)state;
	static int t[N_TATEWARI];
	double mean[2];
	for (int i = 0; i < 2; i++) {
		tatewari_days(tatewari_sc, i, T_METI, T_MOD, t);
		const struct cd_wog *g = &W.p.wog;
		double l = g->lateral_relay, r2 = g->relay * g->relay,
		       L = g->latency_days, C = TATEWARI_CAP;
		double pv[3] = {l, (1 - l) * r2, (1 - l) * (1 - r2)};
		double tv[3] = {L, 2 * L, C}, e = 0, e2 = 0, var;
		for (int j = 0; j < 3; j++) {
			e += pv[j] * tv[j];
			e2 += pv[j] * tv[j] * tv[j];
		}
		mean[i] = mean_of(t, &var);
		double se = sqrt((e2 - e * e) / N_TATEWARI);
		assert_true(fabs(mean[i] - e) <= 4 * se);
	}
	assert_true(mean[0] > mean[1]);
}

/* In japan_2017's five ministries, linked with NISC and each other: a
 * campaign METI's CSIRT learns reaches MOD's later at maturity 0 than at
 * 1, by more than four standard errors of the paired differences. */
static void test_tatewari_japan(void **state)
{
	(void)state;
	static int t0[N_TATEWARI], t1[N_TATEWARI], d[N_TATEWARI];
	struct cd_scenario *jp;
	struct cd_diag diag;
	assert_int_equal(
		scenario_load_embedded(&jp, "japan_2017.cfg", NULL, 0, &diag),
		0);
	int meti = -1, mod = -1;
	for (int b = 0; b < jp->p.n_bodies; b++) {
		meti = strcmp(jp->p.bodies[b].name, "meti_csirt") ? meti : b;
		mod = strcmp(jp->p.bodies[b].name, "mod_csirt") ? mod : b;
	}
	assert_true(meti >= 0 && mod >= 0);
	tatewari_days(jp, 0, meti, mod, t0);
	tatewari_days(jp, 1, meti, mod, t1);
	scenario_destroy(jp);
	for (int k = 0; k < N_TATEWARI; k++)
		d[k] = t0[k] - t1[k];
	double var, mean = mean_of(d, &var);
	assert_true(mean > 4 * sqrt(var / N_TATEWARI));
}

/* ---- 10. workforce --------------------------------------------------------
 */

/* Day 30 ends January: 10 of the 60 untrained are trained, 5 enter, and a
 * tenth of all leave; day 10 changes nothing. */
static void test_workforce_month(void **state)
{
	(void)state;
	struct cd_model *m = make(10);
	assert_int_equal(phase_workforce(m, &W.r), 0);
	assert_true(m->wf.employed == 100 && m->wf.trained == 40);
	m->day = 30;
	assert_int_equal(phase_workforce(m, &W.r), 0);
	assert_true(fabs(m->wf.trained - 45) < 1e-12);
	assert_true(fabs(m->wf.employed - 94.5) < 1e-12);
	assert_true(fabs(workforce_national_ratio(&m->wf, m->p, m->orgs) -
			 0.045) < 1e-12);
}

/* The bounds of 300 footholds (monitoring and factor varied, some
 * organisations knowing the campaign) after a sequence of trained ratios,
 * rising by less and more than the bounds' margin, falling, and rising
 * past 1 with the factor: the same with detection_recheck_trained as with
 * detection_recheck_all, draw for draw. */
#define N_RECHECK 300
#define N_STEPS 9
static void recheck_run(int trained, uint64_t draws[N_STEPS][N_RECHECK])
{
	static const double steps[N_STEPS] = {1.05, 1.0999, 1.1, 1.3, 0.8,
					      1.2,  2.5,    4.0, 1.09};
	/* Hazards in proportion to the ratio, until trained reaches 1. */
	W.p.detection.untrained_skill = 0;
	W.p.detection.external_rate = 0;
	struct cd_model *m = make(0);
	uint32_t c = campaign(m, SPY, 50);
	for (uint32_t k = 0; k < N_RECHECK; k++) {
		struct cd_foothold_of of = {
			c,
			SPY,
			campaigns_uid(m->camps, c),
			10 + 7 * k,
			FIRMS,
			orgs_identity(m->orgs, 10 + 7 * k, FIRMS),
			0};
		uint32_t fid;
		assert_int_equal(footholds_open(m->fh, &of, 0.1 + k % 9 * 0.1,
						0.2 + k % 13 * 0.3, &fid),
				 0);
		assert_int_equal(detection_open(m, &W.r, fid), 0);
	}
	for (int i = 0; i < N_STEPS; i++) {
		m->wf.ratio[FIRMS] = fmin(1, m->wf.ratio[FIRMS] * steps[i]);
		if (i == 4) { /* the certificate body reaches its members */
			uint32_t before = knowledge_body_reached(m->know, c);
			reach(m, c, CERT);
			assert_int_equal(detection_recheck_reached(m, &W.r, c,
								   1u << CERT,
								   before),
					 0);
		}
		int rc = trained ? detection_recheck_trained(m, &W.r)
				 : detection_recheck_all(m, &W.r);
		assert_int_equal(rc, 0);
		for (uint32_t k = 0; k < N_RECHECK; k++)
			draws[i][k] = footholds_draw(m->fh, k);
	}
	destroy(NULL);
}

static void test_workforce_recheck_exact(void **state)
{
	(void)state;
	static uint64_t all[N_STEPS][N_RECHECK], trained[N_STEPS][N_RECHECK];
	recheck_run(0, all);
	W.p = sc->p;
	recheck_run(1, trained);
	int renewed = 0, kept = 0;
	for (int i = 1; i < N_STEPS; i++)
		for (int k = 0; k < N_RECHECK; k++) {
			assert_true(all[i][k] == trained[i][k]);
			renewed += all[i][k] != all[i - 1][k];
			kept += all[i][k] == all[i - 1][k];
		}
	assert_true(renewed > 100 && kept > 100); /* both decisions seen */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, fresh, destroy)
		T(test_timeline),
		T(test_campaigns_start),
		T(test_campaigns_capability),
		T(test_campaigns_deterred),
		T(test_campaigns_retire),
		T(test_campaigns_retire_hazard),
		T(test_attempts_all_succeed),
		T(test_attempts_all_blocked),
		T(test_attempts_all_fail),
		T(test_detect_reports),
		T(test_detect_channel),
		T(test_detect_reveal_and_stale),
		T(test_detect_same_day_not_cancelled),
		T(test_detect_national_monitoring),
		T(test_damage),
		T(test_impact_ransom),
		T(test_contain),
		T(test_share_learn_and_relay),
		T(test_share_crisis),
		T(test_share_capability),
		T(test_share_distinct_sources),
		T(test_crisis_engages),
		T(test_tatewari_closed_form),
		T(test_tatewari_japan),
		T(test_workforce_month),
		T(test_workforce_recheck_exact),
#undef T
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
