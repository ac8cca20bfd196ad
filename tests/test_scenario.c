/* Tests of the scenario loader, bad input: every class (each checks the
 * status and that the one-line message names the file, the line, the
 * setting and what is allowed), and the timeline. @include, --set,
 * `overrides` and the shipped scenarios are in test_scenario_files.c.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/digest.h"
#include "core/status.h"
#include "load/scenario.h"
#include "loader.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define OFF(field) offsetof(struct cd_params, field)
#define DIR_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, ld_setup_dir, ld_teardown_dir)

/* ---- a good scenario -------------------------------------------------- */

static void test_small_loads(void **state)
{
	struct cd_scenario *s;
	const struct cd_params *p;
	char hex[CD_SHA256_HEX];

	(void)state;
	s = ld_load_string(SMALL);
	p = &s->p;
	assert_int_equal(p->days, 100);
	assert_int_equal(p->n_segments, 2);
	assert_string_equal(p->segments[GOV].name, "gov");
	assert_int_equal(p->segments[GOV].kind, CD_KIND_GOVERNMENT);
	assert_string_equal(p->segments[FIRMS].name, "firms");
	assert_int_equal(p->segments[FIRMS].kind, CD_KIND_CORPORATION);
	assert_int_equal(p->segments[FIRMS].count, 10);
	assert_int_equal(p->n_attackers, 1);
	assert_true(p->attackers[0].targets[GOV] == 1.0);
	assert_true(p->attackers[0].targets[FIRMS] == 0.5);
	assert_int_equal(p->n_bodies, 3);
	assert_int_equal(p->bodies[NISC].stage, CD_STAGE_WOG);
	assert_true(p->bodies[ISAC].coverage[FIRMS] == 0.5);
	assert_int_equal(p->n_links, 2);
	assert_int_equal(p->links[UP].from, NISC);
	assert_int_equal(p->links[UP].to, CERT);
	assert_int_equal(p->links[DOWN].from, CERT);
	assert_int_equal(p->links[DOWN].to, ISAC);
	/* Defaults from the schema, and nothing marked explicit that the
	 * file did not give. */
	assert_true(p->segments[FIRMS].hygiene_mean == 0.5);
	assert_int_equal(s->set[OFF(won.share_rate)], 0);
	assert_int_equal(s->set[OFF(days)], 1);
	assert_int_equal(s->timeline.n_events, 0);
	/* The hash is the SHA-256 of the expanded text. */
	cd_sha256_hex(s->text, strlen(s->text), hex);
	assert_string_equal(s->hash, hex);
	assert_string_equal(s->path, "good.cfg");
	scenario_destroy(s);
	scenario_destroy(NULL);
}

/* ---- bad input, one class per test ------------------------------------ */

static void test_syntax_error(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = = 2; };\n"
	     "};\n",
	     "bad.cfg:3: syntax error");
	FAIL(SMALL "won = { maturity 0.5; };\n", "bad.cfg:20: syntax error");
	/* Windows line ends count the same lines. */
	FAIL("days = 100;\r\n# comment\r\nwon = { maturity = ; };\r\n",
	     "bad.cfg:3: syntax error");
}

/* An integer beyond 32 bits is refused however many leading zeros it has:
 * libconfig would read 0...04294967396 (more zeros than the checker's
 * buffer once held) as 100 (found while writing tests/fuzz). */
static void test_int_literal_leading_zeros(void **state)
{
	const char *zeros = "0000000000000000000000000000000000000000"
			    "0000000000000000000000000000000000000000";
	char text[1024];
	struct cd_scenario *s;

	(void)state;
	snprintf(text, sizeof(text),
		 SMALL "crisis = { threshold = %s4294967396; };\n", zeros);
	FAIL(text, "bad.cfg:20:", "...0000004294967396",
	     "does not fit in 32 bits");
	snprintf(text, sizeof(text),
		 SMALL "days = -%s4294967396; warmup_days = 0;\n", zeros);
	FAIL(text, "bad.cfg:20:", "does not fit in 32 bits");
	snprintf(text, sizeof(text),
		 SMALL "days = 0x%s100000064; warmup_days = 0;\n", zeros);
	FAIL(text, "bad.cfg:20:", "does not fit in 32 bits");
	/* Leading zeros alone are fine. */
	snprintf(text, sizeof(text), SMALL "crisis = { threshold = %s42; };\n",
		 zeros);
	s = ld_load_string(text);
	assert_true(s->p.crisis.threshold == 42);
	scenario_destroy(s);
}

static void test_unknown_setting_top(void **state)
{
	(void)state;
	FAIL(SMALL "dayz = 5;\n", "bad.cfg:20:", "unknown setting 'dayz'",
	     "did you mean 'days'?");
	/* Nothing close: the message lists what is allowed. */
	FAIL(SMALL "qqqqqqqq = 5;\n",
	     "bad.cfg:20:", "unknown setting 'qqqqqqqq'",
	     "allowed here:", "segments", "timeline");
}

static void test_unknown_setting_section(void **state)
{
	(void)state;
	FAIL(SMALL "won = {\n"
		   "  maturity = 0.3;\n"
		   "  shar_rate = 0.3;\n"
		   "};\n",
	     "bad.cfg:22:", "unknown setting 'won.shar_rate'",
	     "did you mean 'share_rate'?");
	FAIL(SMALL "detection = { containment_day = 3.0; };\n",
	     "bad.cfg:20:", "unknown setting 'detection.containment_day'",
	     "did you mean 'containment_days'?");
}

static void test_unknown_setting_segment(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygine_mean = 0.3; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "unknown setting 'segments.firms.hygine_mean'",
	     "did you mean 'hygiene_mean'?");
	/* In an attacker, a body and a link too. */
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
	     "  apt = { typ = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = 1.0; }; };\n"
	     "};\n",
	     "bad.cfg:7:", "unknown setting 'attackers.apt.typ'",
	     "did you mean 'type'?");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS "bodies = {\n"
	     "  nisc = { kind = \"government\"; latency = 2.0; };\n"
	     "};\n",
	     "bad.cfg:11:", "unknown setting 'bodies.nisc.latency'",
	     "allowed here:", "latency_days");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = {\n"
	     "  up = { from = \"nisc\"; to = \"cert\"; stge = \"won\"; };\n"
	     "};\n",
	     "bad.cfg:17:", "unknown setting 'links.up.stge'",
	     "did you mean 'stage'?");
}

static void test_wrong_type(void **state)
{
	(void)state;
	/* A string for a number. */
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygiene_mean = \"high\"; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.hygiene_mean",
	     "expected a number, got a string", "allowed: a number in [0, 1]");
	/* A group for a number. */
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygiene_mean = { low = 0.1; }; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.hygiene_mean", "got a group",
	     "allowed: a number in [0, 1]");
	/* A real number for an integer count. */
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\";\n"
	     "    count = 2.5; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.count", "2.5 is not an integer",
	     "allowed: an integer in [1, 100000000]");
	FAIL("days = 100.5; warmup_days = 0;\n" BODY, "bad.cfg:1:", "days",
	     "100.5 is not an integer", "allowed: an integer in [1, 36500]");
	/* A number where a group belongs, and a list for a weights entry. */
	FAIL(SMALL "won = 0.5;\n", "bad.cfg:20:", "won",
	     "expected a group { ... }, got a real number");
	FAIL(SMALL "workforce = { enabled = \"yes\"; };\n",
	     "bad.cfg:20:", "workforce.enabled", "expected true or false");
	FAIL(SMALL "description = 5;\n", "bad.cfg:20:", "description",
	     "expected a string", "allowed: a string of at most 255 bytes");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = [1.0, 2.0]; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "attackers.apt.targets.gov", "got an array",
	     "allowed: a number in [0, 1000000000]");
}

static void test_out_of_range(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygiene_mean = 1.5; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.hygiene_mean", "1.5 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\";\n"
	     "    count = -3; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.count", "-3 is out of range",
	     "allowed: an integer in [1, 100000000]");
	FAIL("days = 0; warmup_days = 0;\n" BODY, "bad.cfg:1:", "days",
	     "0 is out of range", "allowed: an integer in [1, 36500]");
	FAIL("days = 36501; warmup_days = 0;\n" BODY, "bad.cfg:1:", "days",
	     "36501 is out of range", "allowed: an integer in [1, 36500]");
	FAIL("days = 10000000000L; warmup_days = 0;\n" BODY,
	     "bad.cfg:1:", "days", "out of range");
	FAIL(SMALL "wos = { maturity = -0.01; };\n",
	     "bad.cfg:20:", "wos.maturity", "-0.01 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL(SMALL "detection = { containment_days = 0.5; };\n",
	     "bad.cfg:20:", "detection.containment_days",
	     "allowed: a number in [1, 3650]");
	/* A member coverage is a probability. */
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS
	     "bodies = { b = { kind = \"sector\";\n"
	     "  members = { firms = 1.2; }; }; };\n",
	     "bad.cfg:11:", "bodies.b.members.firms", "1.2 is out of range",
	     "allowed: a number in [0, 1]");
}

static void test_range_bounds_accepted(void **state)
{
	struct cd_scenario *s;

	(void)state;
	s = ld_load_string("days = 36500; warmup_days = 0;\n" BODY
			   "won = { maturity = 1.0; share_rate = 0; };\n"
			   "wos = { maturity = 0; };\n");
	assert_int_equal(s->p.days, 36500);
	assert_true(s->p.won.maturity == 1.0);
	assert_true(s->p.won.share_rate == 0.0);
	scenario_destroy(s);
	s = ld_load_string("days = 1; warmup_days = 0;\n" BODY);
	assert_int_equal(s->p.days, 1);
	scenario_destroy(s);
}

static void test_unknown_enum(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"goverment\"; count = 2; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:3:", "segments.gov.kind", "'goverment' is not allowed",
	     "did you mean 'government'?",
	     "allowed: one of \"government\", \"infrastructure\", "
	     "\"corporation\"");
	/* Nothing close: no suggestion, still the list. */
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"zzzzzz\"; count = 2; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:3:", "segments.gov.kind",
	     "allowed: one of \"government\"");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = { x = { from = \"nisc\"; to = \"isac\";\n"
	     "  stage = \"wgo\"; }; };\n",
	     "bad.cfg:17:", "links.x.stage", "did you mean 'wog'?",
	     "allowed: one of \"none\", \"wog\", \"won\", \"wos\"");
}

static void test_targets_unknown_segment(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = 1.0; firmz = 0.5; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "no segment named 'firmz' in attackers.apt.targets",
	     "did you mean 'firms'?");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { qqqqqqqq = 0.5; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "no segment named 'qqqqqqqq'", "known: gov, firms");
}

static void test_link_unknown_body(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = {\n"
	     "  up = { from = \"nics\"; to = \"cert\"; };\n"
	     "};\n",
	     "bad.cfg:17:", "links.up.from", "no body named 'nics'",
	     "did you mean 'nisc'?");
	/* No bodies at all. */
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS
	     "links = { up = { from = \"a\"; to = \"b\"; }; };\n",
	     "bad.cfg:10:", "links.up.from", "no body named 'a'",
	     "known: (none)");
	/* A body must be named by a string. */
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = {\n"
	     "  up = { from = 1; to = \"cert\"; };\n"
	     "};\n",
	     "bad.cfg:17:", "links.up.from", "no body named");
}

static void test_link_to_itself(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = {\n"
	     "  up = { from = \"nisc\"; to = \"cert\"; };\n"
	     "  loop = { from = \"cert\";\n"
	     "    to = \"cert\"; };\n"
	     "};\n",
	     "bad.cfg:18:", "links.loop",
	     "a link must join two different bodies");
}

/* Only a link of whole of government can be lateral: at the start, and
 * after a timeline event that moves a lateral link to another stage. */
static void test_link_lateral(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = {\n"
	     "  up = { from = \"nisc\"; to = \"cert\";\n"
	     "    stage = \"won\"; lateral = true; };\n"
	     "};\n",
	     "bad.cfg:17:", "links.up: lateral: only a link of stage \"wog\"",
	     "allowed: false, or stage = \"wog\"");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = {\n"
	     "  up = { from = \"nisc\"; to = \"cert\";\n"
	     "    stage = \"wog\"; lateral = true; };\n"
	     "};\n"
	     "timeline = ( { day = 5;\n"
	     "  set = { links = { up = { stage = \"wos\"; }; }; }; } );\n",
	     "bad.cfg:20:", "links.up: after timeline[0], lateral",
	     "only a link of stage \"wog\"");
}

/* A segment outside national monitoring: the setting defaults to true,
 * false is read from the file, `--set` and the timeline, and anything but
 * a boolean is refused with its line and what is allowed. */
#define UNMONITORED(gov_line)                                             \
	"days = 100; warmup_days = 0;\n"                                  \
	"segments = {\n"                                                  \
	"  gov = { kind = \"government\"; count = 2;\n" gov_line "  };\n" \
	"  firms = { kind = \"corporation\"; count = 10; };\n"            \
	"};\n" ATTACKERS BODIES LINKS
static void test_national_monitoring_flag(void **state)
{
	(void)state;
	struct cd_scenario *s = ld_load_string(UNMONITORED(""));
	assert_int_equal(s->p.segments[GOV].national_monitoring, 1);
	assert_int_equal(s->p.segments[FIRMS].national_monitoring, 1);
	assert_int_equal(s->set[OFF(segments[GOV].national_monitoring)], 0);
	scenario_destroy(s);
	s = ld_load_string(UNMONITORED("    national_monitoring = false;\n"));
	assert_int_equal(s->p.segments[GOV].national_monitoring, 0);
	assert_int_equal(s->p.segments[FIRMS].national_monitoring, 1);
	assert_int_equal(s->set[OFF(segments[GOV].national_monitoring)], 1);
	scenario_destroy(s);
	s = ld_load_string_sets(
		UNMONITORED("    national_monitoring = false;\n"),
		(const char *const[]){"segments.gov.national_monitoring=true"},
		1);
	assert_int_equal(s->p.segments[GOV].national_monitoring, 1);
	scenario_destroy(s);
	s = ld_load_string(
		UNMONITORED("") "timeline = ( { day = 5; set = {\n"
				"  segments = { gov = {\n"
				"    national_monitoring = false; };\n"
				"  }; }; } );\n");
	assert_int_equal(s->timeline.n_events, 1);
	scenario_destroy(s);
	FAIL(UNMONITORED("    national_monitoring = 0.5;\n"),
	     "bad.cfg:4:", "segments.gov.national_monitoring",
	     "expected true or false");
	FAIL_SET(UNMONITORED(""), "segments.gov.national_monitoring=maybe",
		 "segments.gov.national_monitoring", "not a boolean");
}

/* Partner-only settings: a partner body may set its capability and be a
 * recipient of capacity building; a home body may not, in the file,
 * `overrides`, --set or the timeline (which may also change a kind). */
#define PARTNERS(cert_line)                                                \
	"days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS "bodies = {\n" \
	"  cert = { kind = \"national\";\n" cert_line "  };\n"             \
	"  ally = { kind = \"partner\"; capability = 0.5;\n"               \
	"    capacity_recipient = true; };\n"                              \
	"};\n"
static void test_partner_only(void **state)
{
	(void)state;
	struct cd_scenario *s = ld_load_string(
		PARTNERS("") "wos = { capacity_building = 1.0; };\n");
	assert_true(s->p.bodies[0].capability == 0.5); /* ally, by name */
	assert_int_equal(s->p.bodies[0].capacity_recipient, 1);
	assert_true(s->p.bodies[1].capability == 1.0); /* cert: default */
	assert_true(s->p.wos.capacity_building == 1.0);
	scenario_destroy(s);
	FAIL(PARTNERS("    capability = 0.5;\n"),
	     "bad.cfg:12:", "bodies.cert.capability",
	     "only a partner body (kind = \"partner\") may set it",
	     "'cert' is of kind \"national\"");
	FAIL(PARTNERS("    capacity_recipient = false;\n"),
	     "bad.cfg:12:", "bodies.cert.capacity_recipient",
	     "only a partner body");
	FAIL(PARTNERS("") "overrides = { bodies = { cert = {\n"
			  "  capability = 1.0; }; }; };\n",
	     "bad.cfg:17:", "bodies.cert.capability", "only a partner body");
	FAIL_SET(PARTNERS(""), "bodies.cert.capability=0.2",
		 "--set bodies.cert.capability=0.2: bodies.cert.capability",
		 "only a partner body");
	FAIL(PARTNERS("") "timeline = (\n"
			  "  { day = 5; set = { bodies = { ally = {\n"
			  "    kind = \"national\"; }; }; }; }\n"
			  ");\n",
	     "bad.cfg:17:", "timeline[0]: after it, bodies.ally.capability",
	     "'ally' is of kind \"national\"");
	FAIL(PARTNERS("    capability = 1.5;\n"),
	     "bad.cfg:12:", "bodies.cert.capability", "1.5 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL(PARTNERS("") "wos = { capacity_building = -0.1; };\n",
	     "bad.cfg:16:", "wos.capacity_building", "out of range",
	     "allowed: a number in [0, 1]");
}

static void test_missing_required(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:4:", "segments.firms",
	     "missing required setting 'segments.firms.count'");
	FAIL("days = 100; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { count = 2; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:3:", "missing required setting 'segments.gov.kind'");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\"; };\n"
	     "};\n",
	     "bad.cfg:7:", "missing required setting 'attackers.apt.targets'");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS ATTACKERS BODIES
	     "links = { up = { from = \"nisc\"; }; };\n",
	     "bad.cfg:16:", "missing required setting 'links.up.to'");
	/* No segments at all. */
	FAIL("days = 100; warmup_days = 0;\n" ATTACKERS,
	     "bad.cfg:", "missing required setting 'segments'");
	FAIL("days = 100; warmup_days = 0;\nsegments = { };\n"
	     "attackers = { apt = { type = \"state\";\n"
	     "  objective = \"espionage\"; targets = { }; }; };\n",
	     "bad.cfg", "segments", "at least one segment");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS,
	     "bad.cfg:", "missing required setting 'attackers'");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = { };\n",
	     "bad.cfg", "attackers", "at least one attacker");
}

static void test_attacker_zero_targets(void **state)
{
	(void)state;
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = 0.0; firms = 0; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "attackers.apt.targets",
	     "no segment has a positive weight", "allowed:");
	FAIL("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { }; };\n"
	     "};\n",
	     "bad.cfg:8:", "attackers.apt.targets",
	     "no segment has a positive weight");
	/* --set can zero the only positive weight too. */
	FAIL_SET("days = 100; warmup_days = 0;\n" SEGMENTS "attackers = {\n"
		 "  apt = { type = \"state\"; objective = \"espionage\";\n"
		 "    targets = { gov = 1.0; }; };\n"
		 "};\n",
		 "attackers.apt.targets.gov=0", "attackers.apt.targets",
		 "no segment has a positive weight");
}

static void test_workforce_trained(void **state)
{
	struct cd_scenario *s;

	(void)state;
	FAIL(SMALL "workforce = {\n"
		   "  employed = 1000.0;\n"
		   "  trained = 2000.0;\n"
		   "};\n",
	     "bad.cfg:22:", "workforce.trained",
	     "2000 exceeds workforce.employed (1000)",
	     "allowed: at most employed");
	/* Against the default employed (265,000). */
	FAIL(SMALL "workforce = { trained = 300000.0; };\n",
	     "bad.cfg:20:", "workforce.trained",
	     "exceeds workforce.employed (265000)");
	s = ld_load_string(SMALL "workforce = { employed = 10.0; trained = "
				 "10.0; };\n");
	assert_true(s->p.workforce.trained == 10.0);
	scenario_destroy(s);
}

#define EVENT_100                                                  \
	"timeline = (\n"                                           \
	"  { day = 5; set = { won = { maturity = 0.5; }; }; },\n"  \
	"  { day = 100; set = { won = { maturity = 0.6; }; }; }\n" \
	");\n"

static void test_timeline_beyond_horizon(void **state)
{
	struct cd_scenario *s;
	const char *sets[] = {"days=101"};

	(void)state;
	FAIL(SMALL EVENT_100, "bad.cfg:22:", "timeline[1].day",
	     "100 is beyond the horizon", "allowed: an integer in [0, 100)");
	/* --set days= is applied before the check. */
	s = ld_load_string_sets(SMALL EVENT_100, sets, 1);
	assert_int_equal(s->p.days, 101);
	assert_int_equal(s->timeline.n_events, 2);
	assert_int_equal(s->timeline.events[1].day, 100);
	scenario_destroy(s);
	FAIL(SMALL "timeline = ( { day = -1; set = { days = 5; }; } );\n",
	     "bad.cfg:20:", "timeline[0].day", "-1 is out of range");
	FAIL(SMALL "timeline = ( { day = 99999; set = { days = 5; }; } );\n",
	     "bad.cfg:20:", "timeline[0].day", "out of range");
	FAIL(SMALL "timeline = ( { day = 1.5; set = { days = 5; }; } );\n",
	     "bad.cfg:20:", "timeline[0].day", "expected an integer day");
}

static void test_timeline_unknown_key(void **state)
{
	(void)state;
	FAIL(SMALL "timeline = (\n"
		   "  { day = 5;\n"
		   "    sett = { won = { maturity = 0.5; }; }; }\n"
		   ");\n",
	     "bad.cfg:22:", "timeline[0]", "unknown setting 'sett'",
	     "did you mean 'set'?", "allowed: day, set");
	FAIL(SMALL "timeline = (\n"
		   "  { day = 5; set = { won = { maturity = 0.5; }; }; },\n"
		   "  { day = 6; set = {\n"
		   "    won = { shar_rate = 0.5; }; }; }\n"
		   ");\n",
	     "bad.cfg:23:", "unknown setting 'won.shar_rate'",
	     "did you mean 'share_rate'?");
	FAIL(SMALL "timeline = (\n"
		   "  { day = 5; set = {\n"
		   "    won = { maturity = 2.0; }; }; }\n"
		   ");\n",
	     "bad.cfg:22:", "won.maturity", "2 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL(SMALL "timeline = ( { set = { days = 5; }; } );\n",
	     "bad.cfg:20:", "timeline[0]", "missing 'day'");
	FAIL(SMALL "timeline = ( { day = 3; } );\n",
	     "bad.cfg:20:", "timeline[0]", "missing 'set");
	FAIL(SMALL "timeline = { day = 3; };\n", "bad.cfg:20:", "timeline",
	     "expected a list");
	/* The timeline cannot change itself. */
	FAIL(SMALL "timeline = ( { day = 3; set = { timeline = 1; }; } );\n",
	     "bad.cfg:20:", "'timeline' cannot be set");
}

/* Events come out sorted by day (file order within a day) and each
 * assignment, applied to a copy of p, writes the field it names. */
/* Five events out of order, two of them on day 10. */
static const char timeline_cfg[] =
	SMALL "timeline = (\n"
	      "  { day = 50; set = { won = { share_rate = 0.9; }; }; "
	      "},\n"
	      "  { day = 10; set = { segments = { firms = { "
	      "hygiene_mean = 0.7; }; };\n"
	      "      attackers = { apt = { targets = { firms = 3.0; "
	      "}; }; }; }; },\n"
	      "  { day = 30; set = { wog = { maturity = 0.8; };\n"
	      "      description = \"later\"; }; },\n"
	      "  { day = 10; set = { workforce = { enabled = true; "
	      "}; }; },\n"
	      "  { day = 0; set = { links = { up = { to = \"isac\"; "
	      "}; }; }; }\n"
	      ");\n";

/* Events sorted by day, file order within a day, each with its range of
 * assignments; loading applies none of them. */
static void test_timeline_sorted(void **state)
{
	(void)state;
	struct cd_scenario *s = ld_load_string(timeline_cfg);
	const struct cd_timeline *t = &s->timeline;
	static const int day[] = {0, 10, 10, 30, 50}, count[] = {1, 2, 1, 2, 1};
	assert_int_equal(t->n_events, 5);
	assert_int_equal(t->n_assign, 7);
	for (int i = 0; i < t->n_events; i++) {
		assert_int_equal(t->events[i].day, day[i]);
		assert_int_equal(t->events[i].count, count[i]);
		assert_true(t->events[i].first >= 0);
		assert_true(t->events[i].first + t->events[i].count <=
			    t->n_assign);
	}
	assert_true(s->p.segments[FIRMS].hygiene_mean == 0.5);
	assert_int_equal(s->p.workforce.enabled, 0);
	assert_string_equal(s->p.description, "");
	assert_int_equal(s->p.links[UP].to, CERT);
	scenario_destroy(s);
}

/* Applies the assignments of event k of t to q, marking them in set. */
static void apply_event(const struct cd_timeline *t, int k, struct cd_params *q,
			unsigned char *set)
{
	for (int i = 0; i < t->events[k].count; i++)
		params_apply(q, set, &t->assign[t->events[k].first + i]);
}

/* Each event sets what it names, marked as set explicitly, and nothing
 * else. */
static void test_timeline_applies(void **state)
{
	(void)state;
	struct cd_scenario *s = ld_load_string(timeline_cfg);
	const struct cd_timeline *t = &s->timeline;
	struct cd_params *q = malloc(sizeof(*q));
	unsigned char *set = calloc(1, sizeof(s->set));
	assert_non_null(q);
	assert_non_null(set);
	*q = s->p;
	apply_event(t, 0, q, set);
	assert_int_equal(q->links[UP].to, ISAC);
	assert_int_equal(set[OFF(links[UP].to)], 1);
	assert_string_equal(t->assign[t->events[0].first].path, "links.up.to");
	apply_event(t, 1, q, set);
	assert_true(q->segments[FIRMS].hygiene_mean == 0.7);
	assert_true(q->attackers[0].targets[FIRMS] == 3.0);
	assert_true(q->attackers[0].targets[GOV] == 1.0);
	assert_int_equal(set[OFF(segments[FIRMS].hygiene_mean)], 1);
	assert_int_equal(set[OFF(attackers[0].targets[FIRMS])], 1);
	assert_string_equal(t->assign[t->events[1].first].path,
			    "segments.firms.hygiene_mean");
	assert_string_equal(t->assign[t->events[1].first + 1].path,
			    "attackers.apt.targets.firms");
	apply_event(t, 2, q, set);
	assert_int_equal(q->workforce.enabled, 1);
	apply_event(t, 3, q, set);
	assert_true(q->wog.maturity == 0.8);
	assert_string_equal(q->description, "later");
	assert_true(q->won.share_rate != 0.9);
	apply_event(t, 4, q, set);
	assert_true(q->won.share_rate == 0.9);
	assert_int_equal(set[OFF(won.share_rate)], 1);
	assert_int_equal(q->days, s->p.days);
	assert_true(q->won.maturity == s->p.won.maturity);
	assert_int_equal(set[OFF(days)], 0);
	free(set);
	free(q);
	scenario_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_loads),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_int_literal_leading_zeros),
		cmocka_unit_test(test_unknown_setting_top),
		cmocka_unit_test(test_unknown_setting_section),
		cmocka_unit_test(test_unknown_setting_segment),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_range_bounds_accepted),
		cmocka_unit_test(test_unknown_enum),
		cmocka_unit_test(test_targets_unknown_segment),
		cmocka_unit_test(test_link_unknown_body),
		cmocka_unit_test(test_link_to_itself),
		cmocka_unit_test(test_link_lateral),
		cmocka_unit_test(test_partner_only),
		cmocka_unit_test(test_national_monitoring_flag),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_attacker_zero_targets),
		cmocka_unit_test(test_workforce_trained),
		cmocka_unit_test(test_timeline_beyond_horizon),
		cmocka_unit_test(test_timeline_unknown_key),
		cmocka_unit_test(test_timeline_sorted),
		cmocka_unit_test(test_timeline_applies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
