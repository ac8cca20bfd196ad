/* Tests for scenario: every class of bad input (each checks the status and
 * that the one-line message names the file, the line, the setting and what
 * is allowed), --set and `overrides`, line numbers through @include, the
 * timeline, and every shipped scenario loading both from the file system
 * and from the copy compiled into the program.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw, opendir; implies POSIX.1-2008 */

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "load/scenario.h"
#include "core/digest.h"
#include "core/status.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define OFF(field) offsetof(struct cd_params, field)

/* A small valid scenario with one group per line, so that a test can name
 * the line of each setting. BODY is 18 lines; SMALL is 19, so a line
 * appended to SMALL is line 20. */
#define SEGMENTS                                                    \
	"segments = {\n"                                            \
	"  gov = { kind = \"government\"; count = 2; };\n"          \
	"  firms = { kind = \"corporation\"; count = 10; };\n" /**/ \
	"};\n"
#define ATTACKERS                                                  \
	"attackers = {\n"                                          \
	"  apt = { type = \"state\"; objective = \"espionage\";\n" \
	"    targets = { gov = 1.0; firms = 0.5; }; };\n"          \
	"};\n"
#define BODIES                                                           \
	"bodies = {\n"                                                   \
	"  nisc = { kind = \"government\"; stage = \"wog\";\n"           \
	"    members = { gov = 1.0; }; };\n"                             \
	"  cert = { kind = \"national\"; };\n"                           \
	"  isac = { kind = \"sector\"; members = { firms = 0.5; }; };\n" \
	"};\n"
#define LINKS                                                            \
	"links = {\n"                                                    \
	"  up = { from = \"nisc\"; to = \"cert\"; stage = \"won\"; };\n" \
	"  down = { from = \"cert\"; to = \"isac\"; };\n"                \
	"};\n"
#define BODY SEGMENTS ATTACKERS BODIES LINKS
#define SMALL "days = 100;\n" BODY

/* Fails unless msg is one line holding every fragment of the
 * NULL-terminated list. */
static void check_msg(const char *msg, const char *const *frags)
{
	if (!msg[0])
		fail_msg("empty message");
	if (strchr(msg, '\n'))
		fail_msg("message is more than one line: %s", msg);
	for (; *frags; frags++)
		if (!strstr(msg, *frags))
			fail_msg("message lacks \"%s\":\n    %s", *frags, msg);
}

/* Fails unless rc is want; on failure shows the message. */
static void check_rc(int rc, int want, const struct cd_diag *d)
{
	if (rc != want)
		fail_msg("status %d (%s), want %d (%s); message: %s", rc,
			 cd_strerror(rc), want, cd_strerror(want), d->msg);
}

/* Loads `text` named `name` with the --set texts, expects status `want`
 * and a message holding every fragment. */
static void fail_string(const char *name, const char *text,
			const char *const *sets, int n_sets, int want,
			const char *const *frags)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_string(&s, name, text, sets, n_sets, &d);

	if (rc == 0)
		scenario_destroy(s);
	check_rc(rc, want, &d);
	assert_null(s);
	check_msg(d.msg, frags);
}

/* Expects `path` to fail to load with status want and the fragments. */
static void fail_file(const char *path, int want, const char *const *frags)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_file(&s, path, NULL, 0, &d);

	if (rc == 0)
		scenario_destroy(s);
	check_rc(rc, want, &d);
	assert_null(s);
	check_msg(d.msg, frags);
}

#define FRAGS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* The text "bad.cfg" must fail with CD_EINVAL and the fragments. */
#define FAIL(text, ...) \
	fail_string("bad.cfg", text, NULL, 0, CD_EINVAL, FRAGS(__VA_ARGS__))
/* As FAIL, with one --set text. */
#define FAIL_SET(text, set, ...)                                               \
	fail_string("bad.cfg", text, (const char *const[]){set}, 1, CD_EINVAL, \
		    FRAGS(__VA_ARGS__))

static struct cd_scenario *load_string_sets(const char *text,
					    const char *const *sets, int n_sets)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_string(&s, "good.cfg", text, sets, n_sets, &d);

	check_rc(rc, 0, &d);
	assert_non_null(s);
	return s;
}

static struct cd_scenario *load_string(const char *text)
{
	return load_string_sets(text, NULL, 0);
}

static struct cd_scenario *load_file(const char *path)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_file(&s, path, NULL, 0, &d);

	if (rc)
		fail_msg("%s: status %d: %s", path, rc, d.msg);
	return s;
}

static struct cd_scenario *load_embedded(const char *name)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_embedded(&s, name, NULL, 0, &d);

	if (rc)
		fail_msg("embedded %s: status %d: %s", name, rc, d.msg);
	return s;
}

/* ---- a temporary directory for @include tests ------------------------- */

struct fixture {
	char dir[64];
};

static int setup_dir(void **state)
{
	struct fixture *fx = malloc(sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/cd_test_scenario.XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown_dir(void **state)
{
	struct fixture *fx = *state;
	int rc = nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	free(fx);
	return rc;
}

/* Writes "<dir>/<rel>" into buf. */
static void path_in(char *buf, size_t size, const struct fixture *fx,
		    const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", fx->dir, rel);

	assert_true(n > 0 && (size_t)n < size);
}

/* Writes len bytes of text to "<dir>/<rel>". */
static void write_bytes(const struct fixture *fx, const char *rel,
			const char *text, size_t len)
{
	char path[256];
	FILE *f;

	path_in(path, sizeof(path), fx, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_text(const struct fixture *fx, const char *rel,
		       const char *text)
{
	write_bytes(fx, rel, text, strlen(text));
}

/* ---- a good scenario -------------------------------------------------- */

static void test_small_loads(void **state)
{
	struct cd_scenario *s;
	const struct cd_params *p;
	char hex[CD_SHA256_HEX];

	(void)state;
	s = load_string(SMALL);
	p = &s->p;
	assert_int_equal(p->days, 100);
	assert_int_equal(p->n_segments, 2);
	assert_string_equal(p->segments[0].name, "gov");
	assert_int_equal(p->segments[0].kind, CD_KIND_GOVERNMENT);
	assert_string_equal(p->segments[1].name, "firms");
	assert_int_equal(p->segments[1].kind, CD_KIND_CORPORATION);
	assert_int_equal(p->segments[1].count, 10);
	assert_int_equal(p->n_attackers, 1);
	assert_true(p->attackers[0].targets[0] == 1.0);
	assert_true(p->attackers[0].targets[1] == 0.5);
	assert_int_equal(p->n_bodies, 3);
	assert_int_equal(p->bodies[0].stage, CD_STAGE_WOG);
	assert_true(p->bodies[2].coverage[1] == 0.5);
	assert_int_equal(p->n_links, 2);
	assert_int_equal(p->links[0].from, 0);
	assert_int_equal(p->links[0].to, 1);
	assert_int_equal(p->links[1].from, 1);
	assert_int_equal(p->links[1].to, 2);
	/* Defaults from the schema, and nothing marked explicit that the
	 * file did not give. */
	assert_true(p->segments[1].hygiene_mean == 0.5);
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
	FAIL("days = 100;\n"
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
	snprintf(text, sizeof(text), SMALL "days = -%s4294967396;\n", zeros);
	FAIL(text, "bad.cfg:20:", "does not fit in 32 bits");
	snprintf(text, sizeof(text), SMALL "days = 0x%s100000064;\n", zeros);
	FAIL(text, "bad.cfg:20:", "does not fit in 32 bits");
	/* Leading zeros alone are fine. */
	snprintf(text, sizeof(text), SMALL "crisis = { threshold = %s42; };\n",
		 zeros);
	s = load_string(text);
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
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygine_mean = 0.3; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "unknown setting 'segments.firms.hygine_mean'",
	     "did you mean 'hygiene_mean'?");
	/* In an attacker, a body and a link too. */
	FAIL("days = 100;\n" SEGMENTS "attackers = {\n"
	     "  apt = { typ = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = 1.0; }; };\n"
	     "};\n",
	     "bad.cfg:7:", "unknown setting 'attackers.apt.typ'",
	     "did you mean 'type'?");
	FAIL("days = 100;\n" SEGMENTS ATTACKERS "bodies = {\n"
	     "  nisc = { kind = \"government\"; latency = 2.0; };\n"
	     "};\n",
	     "bad.cfg:11:", "unknown setting 'bodies.nisc.latency'",
	     "allowed here:", "latency_days");
	FAIL("days = 100;\n" SEGMENTS ATTACKERS BODIES "links = {\n"
	     "  up = { from = \"nisc\"; to = \"cert\"; stge = \"won\"; };\n"
	     "};\n",
	     "bad.cfg:17:", "unknown setting 'links.up.stge'",
	     "did you mean 'stage'?");
}

static void test_wrong_type(void **state)
{
	(void)state;
	/* A string for a number. */
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygiene_mean = \"high\"; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.hygiene_mean",
	     "expected a number, got a string", "allowed: a number in [0, 1]");
	/* A group for a number. */
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygiene_mean = { low = 0.1; }; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.hygiene_mean", "got a group",
	     "allowed: a number in [0, 1]");
	/* A real number for an integer count. */
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\";\n"
	     "    count = 2.5; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.count", "2.5 is not an integer",
	     "allowed: an integer in [1, 100000000]");
	FAIL("days = 100.5;\n" BODY, "bad.cfg:1:", "days",
	     "100.5 is not an integer", "allowed: an integer in [1, 36500]");
	/* A number where a group belongs, and a list for a weights entry. */
	FAIL(SMALL "won = 0.5;\n", "bad.cfg:20:", "won",
	     "expected a group { ... }, got a real number");
	FAIL(SMALL "workforce = { enabled = \"yes\"; };\n",
	     "bad.cfg:20:", "workforce.enabled", "expected true or false");
	FAIL(SMALL "description = 5;\n", "bad.cfg:20:", "description",
	     "expected a string", "allowed: a string of at most 255 bytes");
	FAIL("days = 100;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = [1.0, 2.0]; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "attackers.apt.targets.gov", "got an array",
	     "allowed: a number in [0, 1000000000]");
}

static void test_out_of_range(void **state)
{
	(void)state;
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; count = 10;\n"
	     "    hygiene_mean = 1.5; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.hygiene_mean", "1.5 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\";\n"
	     "    count = -3; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:5:", "segments.firms.count", "-3 is out of range",
	     "allowed: an integer in [1, 100000000]");
	FAIL("days = 0;\n" BODY, "bad.cfg:1:", "days", "0 is out of range",
	     "allowed: an integer in [1, 36500]");
	FAIL("days = 36501;\n" BODY, "bad.cfg:1:", "days",
	     "36501 is out of range", "allowed: an integer in [1, 36500]");
	FAIL("days = 10000000000L;\n" BODY, "bad.cfg:1:", "days",
	     "out of range");
	FAIL(SMALL "wos = { maturity = -0.01; };\n",
	     "bad.cfg:20:", "wos.maturity", "-0.01 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL(SMALL "detection = { containment_days = 0.5; };\n",
	     "bad.cfg:20:", "detection.containment_days",
	     "allowed: a number in [1, 3650]");
	/* A member coverage is a probability. */
	FAIL("days = 100;\n" SEGMENTS ATTACKERS
	     "bodies = { b = { kind = \"sector\";\n"
	     "  members = { firms = 1.2; }; }; };\n",
	     "bad.cfg:11:", "bodies.b.members.firms", "1.2 is out of range",
	     "allowed: a number in [0, 1]");
}

static void test_range_bounds_accepted(void **state)
{
	struct cd_scenario *s;

	(void)state;
	s = load_string("days = 36500;\n" BODY
			"won = { maturity = 1.0; share_rate = 0; };\n"
			"wos = { maturity = 0; };\n");
	assert_int_equal(s->p.days, 36500);
	assert_true(s->p.won.maturity == 1.0);
	assert_true(s->p.won.share_rate == 0.0);
	scenario_destroy(s);
	s = load_string("days = 1;\n" BODY);
	assert_int_equal(s->p.days, 1);
	scenario_destroy(s);
}

static void test_unknown_enum(void **state)
{
	(void)state;
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"goverment\"; count = 2; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:3:", "segments.gov.kind", "'goverment' is not allowed",
	     "did you mean 'government'?",
	     "allowed: one of \"government\", \"infrastructure\", "
	     "\"corporation\"");
	/* Nothing close: no suggestion, still the list. */
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"zzzzzz\"; count = 2; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:3:", "segments.gov.kind",
	     "allowed: one of \"government\"");
	FAIL("days = 100;\n" SEGMENTS ATTACKERS BODIES
	     "links = { x = { from = \"nisc\"; to = \"isac\";\n"
	     "  stage = \"wgo\"; }; };\n",
	     "bad.cfg:17:", "links.x.stage", "did you mean 'wog'?",
	     "allowed: one of \"none\", \"wog\", \"won\", \"wos\"");
}

static void test_targets_unknown_segment(void **state)
{
	(void)state;
	FAIL("days = 100;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = 1.0; firmz = 0.5; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "no segment named 'firmz' in attackers.apt.targets",
	     "did you mean 'firms'?");
	FAIL("days = 100;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { qqqqqqqq = 0.5; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "no segment named 'qqqqqqqq'", "known: gov, firms");
}

static void test_link_unknown_body(void **state)
{
	(void)state;
	FAIL("days = 100;\n" SEGMENTS ATTACKERS BODIES "links = {\n"
	     "  up = { from = \"nics\"; to = \"cert\"; };\n"
	     "};\n",
	     "bad.cfg:17:", "links.up.from", "no body named 'nics'",
	     "did you mean 'nisc'?");
	/* No bodies at all. */
	FAIL("days = 100;\n" SEGMENTS ATTACKERS
	     "links = { up = { from = \"a\"; to = \"b\"; }; };\n",
	     "bad.cfg:10:", "links.up.from", "no body named 'a'",
	     "known: (none)");
	/* A body must be named by a string. */
	FAIL("days = 100;\n" SEGMENTS ATTACKERS BODIES "links = {\n"
	     "  up = { from = 1; to = \"cert\"; };\n"
	     "};\n",
	     "bad.cfg:17:", "links.up.from", "no body named");
}

static void test_link_to_itself(void **state)
{
	(void)state;
	FAIL("days = 100;\n" SEGMENTS ATTACKERS BODIES "links = {\n"
	     "  up = { from = \"nisc\"; to = \"cert\"; };\n"
	     "  loop = { from = \"cert\";\n"
	     "    to = \"cert\"; };\n"
	     "};\n",
	     "bad.cfg:18:", "links.loop",
	     "a link must join two different bodies");
}

static void test_missing_required(void **state)
{
	(void)state;
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2; };\n"
	     "  firms = { kind = \"corporation\"; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:4:", "segments.firms",
	     "missing required setting 'segments.firms.count'");
	FAIL("days = 100;\n"
	     "segments = {\n"
	     "  gov = { count = 2; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:3:", "missing required setting 'segments.gov.kind'");
	FAIL("days = 100;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\"; };\n"
	     "};\n",
	     "bad.cfg:7:", "missing required setting 'attackers.apt.targets'");
	FAIL("days = 100;\n" SEGMENTS ATTACKERS BODIES
	     "links = { up = { from = \"nisc\"; }; };\n",
	     "bad.cfg:16:", "missing required setting 'links.up.to'");
	/* No segments at all. */
	FAIL("days = 100;\n" ATTACKERS,
	     "bad.cfg:", "missing required setting 'segments'");
	FAIL("days = 100;\nsegments = { };\n"
	     "attackers = { apt = { type = \"state\";\n"
	     "  objective = \"espionage\"; targets = { }; }; };\n",
	     "bad.cfg", "segments", "at least one segment");
	FAIL("days = 100;\n" SEGMENTS,
	     "bad.cfg:", "missing required setting 'attackers'");
	FAIL("days = 100;\n" SEGMENTS "attackers = { };\n", "bad.cfg",
	     "attackers", "at least one attacker");
}

static void test_attacker_zero_targets(void **state)
{
	(void)state;
	FAIL("days = 100;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { gov = 0.0; firms = 0; }; };\n"
	     "};\n",
	     "bad.cfg:8:", "attackers.apt.targets",
	     "no segment has a positive weight", "allowed:");
	FAIL("days = 100;\n" SEGMENTS "attackers = {\n"
	     "  apt = { type = \"state\"; objective = \"espionage\";\n"
	     "    targets = { }; };\n"
	     "};\n",
	     "bad.cfg:8:", "attackers.apt.targets",
	     "no segment has a positive weight");
	/* --set can zero the only positive weight too. */
	FAIL_SET("days = 100;\n" SEGMENTS "attackers = {\n"
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
	s = load_string(SMALL "workforce = { employed = 10.0; trained = "
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
	s = load_string_sets(SMALL EVENT_100, sets, 1);
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
static void test_timeline_sorted(void **state)
{
	struct cd_scenario *s;
	const struct cd_timeline *t;
	struct cd_params *q = malloc(sizeof(*q));
	unsigned char *set = calloc(1, sizeof(s->set));
	int i;

	(void)state;
	assert_non_null(q);
	assert_non_null(set);
	s = load_string(SMALL
			"timeline = (\n"
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
			");\n");
	t = &s->timeline;
	assert_int_equal(t->n_events, 5);
	assert_int_equal(t->n_assign, 7);
	for (i = 1; i < t->n_events; i++)
		assert_true(t->events[i - 1].day <= t->events[i].day);
	assert_int_equal(t->events[0].day, 0);
	assert_int_equal(t->events[1].day, 10);
	assert_int_equal(t->events[1].count, 2);
	assert_int_equal(t->events[2].day, 10);
	assert_int_equal(t->events[2].count, 1);
	assert_int_equal(t->events[3].day, 30);
	assert_int_equal(t->events[3].count, 2);
	assert_int_equal(t->events[4].day, 50);
	assert_int_equal(t->events[4].count, 1);
	for (i = 0; i < t->n_events; i++) {
		assert_true(t->events[i].first >= 0);
		assert_true(t->events[i].first + t->events[i].count <=
			    t->n_assign);
	}

	/* Loading applies none of them. */
	assert_true(s->p.segments[1].hygiene_mean == 0.5);
	assert_int_equal(s->p.workforce.enabled, 0);
	assert_string_equal(s->p.description, "");
	assert_int_equal(s->p.links[0].to, 1);

	*q = s->p;
#define APPLY(k)                                 \
	for (i = 0; i < t->events[k].count; i++) \
	params_apply(q, set, &t->assign[t->events[k].first + i])
	APPLY(0);
	assert_int_equal(q->links[0].to, 2);
	assert_int_equal(set[OFF(links[0].to)], 1);
	assert_string_equal(t->assign[t->events[0].first].path, "links.up.to");
	APPLY(1);
	assert_true(q->segments[1].hygiene_mean == 0.7);
	assert_true(q->attackers[0].targets[1] == 3.0);
	assert_true(q->attackers[0].targets[0] == 1.0);
	assert_int_equal(set[OFF(segments[1].hygiene_mean)], 1);
	assert_int_equal(set[OFF(attackers[0].targets[1])], 1);
	assert_string_equal(t->assign[t->events[1].first].path,
			    "segments.firms.hygiene_mean");
	assert_string_equal(t->assign[t->events[1].first + 1].path,
			    "attackers.apt.targets.firms");
	APPLY(2);
	assert_int_equal(q->workforce.enabled, 1);
	APPLY(3);
	assert_true(q->wog.maturity == 0.8);
	assert_string_equal(q->description, "later");
	assert_true(q->won.share_rate != 0.9);
	APPLY(4);
	assert_true(q->won.share_rate == 0.9);
	assert_int_equal(set[OFF(won.share_rate)], 1);
#undef APPLY
	/* Nothing else changed. */
	assert_int_equal(q->days, s->p.days);
	assert_true(q->won.maturity == s->p.won.maturity);
	assert_int_equal(set[OFF(days)], 0);

	free(set);
	free(q);
	scenario_destroy(s);
}

/* ---- @include --------------------------------------------------------- */

static void test_include_missing(void **state)
{
	const struct fixture *fx = *state;
	char top[256], inc[256], want[300];

	path_in(top, sizeof(top), fx, "top.cfg");
	path_in(inc, sizeof(inc), fx, "nope.cfg");
	write_text(fx, "top.cfg",
		   "days = 100;\n# the organisations\n@include \"nope.cfg\"\n");
	snprintf(want, sizeof(want), "%s:3:", top);
	fail_file(top, CD_EINVAL,
		  FRAGS(want, "cannot read included file", inc));
	/* A missing top file is CD_ENOENT. */
	fail_file(inc, CD_ENOENT, FRAGS("cannot read scenario", inc));
	/* A malformed @include line. */
	write_text(fx, "mal.cfg", "days = 100;\n@include nope.cfg\n");
	path_in(top, sizeof(top), fx, "mal.cfg");
	snprintf(want, sizeof(want), "%s:2:", top);
	fail_file(top, CD_EINVAL, FRAGS(want, "malformed @include"));
}

static void test_include_cycle(void **state)
{
	const struct fixture *fx = *state;
	char a[256], b[256], want[600];

	path_in(a, sizeof(a), fx, "a.cfg");
	path_in(b, sizeof(b), fx, "b.cfg");
	write_text(fx, "a.cfg", "days = 100;\n@include \"b.cfg\"\n");
	write_text(fx, "b.cfg", "# b\n\n@include \"a.cfg\"\n");
	snprintf(want, sizeof(want), "%s:3: @include \"%s\" makes a cycle", b,
		 a);
	fail_file(a, CD_EINVAL, FRAGS(want));
	/* A file including itself. */
	write_text(fx, "self.cfg", "@include \"self.cfg\"\n");
	path_in(a, sizeof(a), fx, "self.cfg");
	snprintf(want, sizeof(want), "%s:1:", a);
	fail_file(a, CD_EINVAL, FRAGS(want, "makes a cycle"));
	/* The same file included twice, not nested, is no cycle (and here a
	 * duplicate setting). */
	write_text(fx, "twice.cfg",
		   "@include \"seg.cfg\"\n@include \"seg.cfg\"\n");
	write_text(fx, "seg.cfg", "days = 5;\n");
	path_in(a, sizeof(a), fx, "twice.cfg");
	path_in(b, sizeof(b), fx, "seg.cfg");
	snprintf(want, sizeof(want), "%s:1: syntax error", b);
	fail_file(a, CD_EINVAL, FRAGS(want));
}

/* Errors name the file they are in and the line within it, before, inside
 * and after included files, nested and relative to the including file. */
static void test_include_lines(void **state)
{
	const struct fixture *fx = *state;
	char top[256], segs[256], want[300];
	struct cd_scenario *s;
	const char *file;
	int line;

	path_in(segs, sizeof(segs), fx, "parts");
	assert_int_equal(mkdir(segs, 0700), 0);
	write_text(fx, "parts/segs.cfg",
		   "# segments\n"
		   "@include \"more.cfg\"\n"
		   "segments = {\n"
		   "  gov = { kind = \"government\"; count = 2; };\n"
		   "  firms = { kind = \"corporation\"; count = 10; };\n"
		   "};\n");
	write_text(fx, "parts/more.cfg", "# more\n# more\n# more\n");
	write_text(fx, "atk.cfg", ATTACKERS);
	write_text(fx, "top.cfg",
		   "# top\n"
		   "days = 100;\n"
		   "@include \"parts/segs.cfg\"\n"
		   "@include \"atk.cfg\"\n"
		   "won = { maturity = 0.3; };\n");
	path_in(top, sizeof(top), fx, "top.cfg");
	s = load_file(top);
	assert_int_equal(s->p.n_segments, 2);
	assert_int_equal(s->p.n_attackers, 1);
	assert_int_equal(s->n_files, 4);
	assert_string_equal(s->files[0], top);
	/* Some expanded line maps back to line 4 of parts/segs.cfg, and it
	 * holds that line's text. */
	path_in(segs, sizeof(segs), fx, "parts/segs.cfg");
	for (line = 1; line <= s->n_lines; line++) {
		const char *f;
		int l;

		scenario_where(s, line, &f, &l);
		if (strcmp(f, segs) == 0 && l == 4)
			break;
	}
	assert_true(line <= s->n_lines);
	assert_true(strncmp(s->text + s->lines[line - 1].start, "  gov = {",
			    9) == 0);
	scenario_where(s, 0, &file, &line);
	assert_string_equal(file, top);
	scenario_destroy(s);

	/* An error in the top file after the includes. */
	write_text(fx, "top.cfg",
		   "# top\n"
		   "days = 100;\n"
		   "@include \"parts/segs.cfg\"\n"
		   "@include \"atk.cfg\"\n"
		   "won = { maturity = 0.3; };\n"
		   "wos = { maturty = 0.5; };\n");
	snprintf(want, sizeof(want), "%s:6:", top);
	fail_file(top, CD_EINVAL,
		  FRAGS(want, "unknown setting 'wos.maturty'",
			"did you mean 'maturity'?"));

	/* An error inside an included file, after a nested include. */
	write_text(fx, "parts/segs.cfg",
		   "# segments\n"
		   "@include \"more.cfg\"\n"
		   "segments = {\n"
		   "  gov = { kind = \"government\"; count = 2; };\n"
		   "  firms = { kind = \"corporation\"; count = 10;\n"
		   "    hygine_mean = 0.3; };\n"
		   "};\n");
	snprintf(want, sizeof(want), "%s:6:", segs);
	fail_file(top, CD_EINVAL,
		  FRAGS(want, "unknown setting 'segments.firms.hygine_mean'",
			"did you mean 'hygiene_mean'?"));

	/* A syntax error inside the nested include. */
	write_text(fx, "parts/more.cfg", "# more\n\nx = = 1;\n");
	path_in(segs, sizeof(segs), fx, "parts/more.cfg");
	snprintf(want, sizeof(want), "%s:3: syntax error", segs);
	fail_file(top, CD_EINVAL, FRAGS(want));

	/* scenario_load_string reads includes relative to its name. */
	path_in(top, sizeof(top), fx, "virtual.cfg");
	fail_string(top, "days = 100;\n@include \"atk.cfg\"\n", NULL, 0,
		    CD_EINVAL, FRAGS("missing required setting 'segments'"));
	write_text(fx, "parts/more.cfg", "# more\n");
	s = NULL;
	{
		struct cd_diag d = {{0}};
		int rc = scenario_load_string(
			&s, top,
			"days = 100;\n@include \"parts/segs.cfg\"\n"
			"@include \"atk.cfg\"\n",
			NULL, 0, &d);
		/* segs.cfg still has hygine_mean on its line 6. */
		check_rc(rc, CD_EINVAL, &d);
		path_in(segs, sizeof(segs), fx, "parts/segs.cfg");
		snprintf(want, sizeof(want), "%s:6:", segs);
		check_msg(d.msg, FRAGS(want));
	}
}

static void test_binary_file(void **state)
{
	const struct fixture *fx = *state;
	static const char bin[] = "days = 100;\n\0\0\x01\x02\xff";
	char path[256], top[256], want[300];

	write_bytes(fx, "bin.cfg", bin, sizeof(bin));
	path_in(path, sizeof(path), fx, "bin.cfg");
	fail_file(path, CD_EINVAL, FRAGS(path, "not a text file", "NUL"));
	/* Included, the message names the binary file. */
	write_text(fx, "top.cfg", "days = 100;\n@include \"bin.cfg\"\n");
	path_in(top, sizeof(top), fx, "top.cfg");
	snprintf(want, sizeof(want), "%s: not a text file", path);
	fail_file(top, CD_EINVAL, FRAGS(want));
}

static void test_empty_file(void **state)
{
	const struct fixture *fx = *state;
	char path[256];

	write_text(fx, "empty.cfg", "");
	path_in(path, sizeof(path), fx, "empty.cfg");
	fail_file(path, CD_EINVAL,
		  FRAGS(path, "missing required setting 'segments'"));
	write_text(fx, "comments.cfg", "# nothing here\n\n// nor here\n");
	path_in(path, sizeof(path), fx, "comments.cfg");
	fail_file(path, CD_EINVAL,
		  FRAGS(path, "missing required setting 'segments'"));
	fail_string("empty.cfg", "", NULL, 0, CD_EINVAL,
		    FRAGS("empty.cfg", "missing required setting 'segments'"));
}

static void test_duplicate_setting(void **state)
{
	(void)state;
	FAIL("days = 10;\n"
	     "days = 20;\n" BODY,
	     "bad.cfg:2:", "syntax error", "duplicate");
	FAIL("days = 10;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2;\n"
	     "    count = 3; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:4:", "duplicate");
}

/* A file name longer than the message buffer is truncated, not written
 * past the end of it: the bytes after d.msg stay as they were. */
static void test_long_file_name(void **state)
{
	static const char *const texts[] = {SMALL "dayz = 5;\n",
					    "days = = 1;\n", ""};
	char name[1500];
	struct {
		struct cd_diag d;
		char guard[2048];
	} *buf = malloc(sizeof(*buf));
	int i, k;

	(void)state;
	assert_non_null(buf);
	memset(name, 'n', sizeof(name));
	memcpy(name + sizeof(name) - 5, ".cfg", 5);
	for (i = 0; i < N_OF(texts); i++) {
		struct cd_scenario *s = NULL;
		int rc;

		memset(buf, 'g', sizeof(*buf));
		rc = scenario_load_string(&s, name, texts[i], NULL, 0, &buf->d);
		assert_null(s);
		assert_int_equal(rc, CD_EINVAL);
		assert_non_null(memchr(buf->d.msg, '\0', sizeof(buf->d.msg)));
		assert_true(strncmp(buf->d.msg, "nnnnnnnn", 8) == 0);
		for (k = 0; k < (int)sizeof(buf->guard); k++)
			if (buf->guard[k] != 'g')
				fail_msg("text %d: byte %d after the message "
					 "was overwritten",
					 i, k);
	}
	free(buf);
}

/* ---- --set ------------------------------------------------------------ */

static void test_set_applies(void **state)
{
	const char *sets[] = {"won.share_rate=0.647",
			      "segments.firms.count=5",
			      "attackers.apt.targets.firms=2",
			      "wog.maturity=0.9",
			      "description=\"two words\"",
			      "workforce.enabled=true",
			      "segments.gov.kind=infrastructure",
			      "links.down.from=nisc"};
	struct cd_scenario *s;
	const struct cd_params *p;

	(void)state;
	s = load_string_sets(SMALL "won = { maturity = 0.7; };\n", sets,
			     N_OF(sets));
	p = &s->p;
	/* Explicit: stages_derive would give 0.05 + 0.85 * 0.7 = 0.645. */
	assert_true(p->won.share_rate == 0.647);
	assert_int_equal(s->set[OFF(won.share_rate)], 1);
	/* The rest of won is still derived from its maturity. */
	assert_true(p->won.isac_coverage > 0.2 + 0.8 * 0.7 - 1e-12);
	assert_int_equal(s->set[OFF(won.isac_coverage)], 0);
	/* Segments take the explicit rate (both are not government now). */
	assert_true(p->segments[1].share_rate == 0.647);
	assert_true(p->segments[0].share_rate == 0.647);
	assert_int_equal(p->segments[0].kind, CD_KIND_INFRASTRUCTURE);
	assert_int_equal(p->segments[1].count, 5);
	assert_int_equal(s->set[OFF(segments[1].count)], 1);
	assert_true(p->attackers[0].targets[1] == 2.0);
	assert_true(p->attackers[0].targets[0] == 1.0);
	assert_int_equal(s->set[OFF(attackers[0].targets[1])], 1);
	/* A maturity given by --set drives its stage. */
	assert_true(p->wog.maturity == 0.9);
	assert_true(p->wog.relay > 0.3 + 0.7 * 0.9 - 1e-12 &&
		    p->wog.relay < 0.3 + 0.7 * 0.9 + 1e-12);
	assert_string_equal(p->description, "two words");
	assert_int_equal(p->workforce.enabled, 1);
	assert_int_equal(p->links[1].from, 0);
	assert_int_equal(s->n_sets, N_OF(sets));
	assert_string_equal(s->sets[0], "won.share_rate=0.647");
	assert_string_equal(s->sets[N_OF(sets) - 1], "links.down.from=nisc");
	scenario_destroy(s);
}

static void test_set_bad(void **state)
{
	static const struct {
		const char *set;
		const char *frag[3];
	} cases[] = {
		{"won.shar_rate=0.5",
		 {"unknown setting 'won.shar_rate'",
		  "did you mean 'share_rate'?"}},
		{"won.share_rate=1.5",
		 {"won.share_rate", "1.5 is out of range",
		  "allowed: a number in [0, 1]"}},
		{"won.share_rate=-0.1",
		 {"won.share_rate", "out of range",
		  "allowed: a number in [0, 1]"}},
		{"won.share_rate=nan",
		 {"won.share_rate", "not a finite number",
		  "allowed: a number in [0, 1]"}},
		{"won.share_rate=inf",
		 {"won.share_rate", "not a finite number",
		  "allowed: a number in [0, 1]"}},
		{"won.share_rate=-inf", {"won.share_rate", "not a finite"}},
		{"won.share_rate=1e999",
		 {"won.share_rate", "'1e999' is out of range",
		  "allowed: a number in [0, 1]"}},
		{"won.share_rate=0.5x",
		 {"won.share_rate", "'0.5x' is not a number",
		  "allowed: a number in [0, 1]"}},
		{"won.share_rate=", {"won.share_rate", "is not a number"}},
		{"won.share_rate=high", {"'high' is not a number"}},
		{"won.share_rate", {"expected --set path=value"}},
		{"=0.5", {"expected --set path=value"}},
		{"segments.firmz.count=5",
		 {"no segment named 'firmz' in segments",
		  "did you mean 'firms'?"}},
		{"segments.firms.count=2.5",
		 {"segments.firms.count", "2.5 is not an integer",
		  "allowed: an integer in [1, 100000000]"}},
		{"segments.firms.count=-1",
		 {"segments.firms.count", "-1 is out of range"}},
		{"segments.firms.count=1e9", {"out of range"}},
		{"segments.firms.hygine_mean=0.5",
		 {"unknown setting 'segments.firms.hygine_mean'",
		  "did you mean 'hygiene_mean'?"}},
		{"segments.firms=3", {"'segments.firms' is a segment"}},
		{"segments=3", {"'segments' is a group of segments"}},
		{"attackers.apt.targets.firmz=2",
		 {"no segment named 'firmz' in attackers.apt.targets",
		  "did you mean 'firms'?"}},
		{"attackers.apt.targets=2",
		 {"'attackers.apt.targets' is a group"}},
		{"attackers.apt.targets.firms=-2",
		 {"attackers.apt.targets.firms", "out of range"}},
		{"attackers.apt.targets.firms.x=2", {"has no settings in it"}},
		{"won=1", {"'won' is a group", "e.g. won.maturity"}},
		{"timeline=1", {"'timeline' cannot be set this way"}},
		{"overrides=1", {"'overrides' cannot be set this way"}},
		{"won.share_rate.x=1", {"'won.share_rate' is a single value"}},
		{"days=0",
		 {"days", "0 is out of range",
		  "allowed: an integer in [1, 36500]"}},
		{"segments.firms.kind=goverment",
		 {"'goverment' is not allowed", "did you mean 'government'?"}},
		{"workforce.enabled=maybe", {"'maybe' is not a boolean"}},
		{"links.up.from=nics",
		 {"no body named 'nics'", "did you mean 'nisc'?"}},
		{".=1", {"is not a setting path"}},
	};
	char want[300];
	int i;

	(void)state;
	for (i = 0; i < N_OF(cases); i++) {
		const char *frags[5] = {want, cases[i].frag[0],
					cases[i].frag[1], cases[i].frag[2],
					NULL};

		snprintf(want, sizeof(want), "--set %s: ", cases[i].set);
		fail_string("bad.cfg", SMALL, &cases[i].set, 1, CD_EINVAL,
			    frags);
	}
	/* Rules across settings are checked after --set: they name the
	 * setting in the file. */
	FAIL_SET(SMALL, "links.up.to=nisc", "bad.cfg:17:", "links.up",
		 "a link must join two different bodies");
	FAIL_SET(SMALL "workforce = { trained = 1000.0; };\n",
		 "workforce.employed=999", "bad.cfg:20:", "workforce.trained",
		 "1000 exceeds workforce.employed (999)");
}

/* ---- overrides -------------------------------------------------------- */

#define OVERRIDES                                                     \
	"won = { maturity = 0.3; share_rate = 0.2; };\n"              \
	"overrides = {\n"                                             \
	"  won = { share_rate = 0.5; };\n"                            \
	"  segments = { firms = { count = 42; }; };\n"                \
	"  attackers = { apt = { targets = { firms = 3.0; }; }; };\n" \
	"  days = 200;\n"                                             \
	"};\n"

static void test_overrides(void **state)
{
	const char *sets[] = {"won.share_rate=0.6"};
	struct cd_scenario *s;

	(void)state;
	s = load_string(SMALL OVERRIDES);
	assert_true(s->p.won.share_rate == 0.5);
	assert_int_equal(s->set[OFF(won.share_rate)], 1);
	assert_true(s->p.won.maturity == 0.3);
	assert_int_equal(s->p.segments[1].count, 42);
	assert_true(s->p.attackers[0].targets[1] == 3.0);
	assert_int_equal(s->p.days, 200);
	assert_true(s->p.segments[1].share_rate == 0.5);
	scenario_destroy(s);
	/* --set comes after overrides. */
	s = load_string_sets(SMALL OVERRIDES, sets, 1);
	assert_true(s->p.won.share_rate == 0.6);
	assert_int_equal(s->p.segments[1].count, 42);
	scenario_destroy(s);
	/* Overrides are validated where they are written. */
	FAIL(SMALL "overrides = {\n"
		   "  won = { maturity = 0.5;\n"
		   "    share_rate = 2.0; };\n"
		   "};\n",
	     "bad.cfg:22:", "won.share_rate", "2 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL(SMALL "overrides = {\n"
		   "  won = { shar_rate = 0.5; };\n"
		   "};\n",
	     "bad.cfg:21:", "unknown setting 'won.shar_rate'",
	     "did you mean 'share_rate'?");
	FAIL(SMALL "overrides = {\n"
		   "  segments = { firmz = { count = 3; }; };\n"
		   "};\n",
	     "bad.cfg:21:", "no segment named 'firmz'",
	     "did you mean 'firms'?");
	FAIL(SMALL "overrides = 5;\n", "bad.cfg:20:", "overrides",
	     "expected a group");
	FAIL(SMALL "overrides = { days = 0; };\n", "bad.cfg:20:", "days",
	     "0 is out of range");
	/* The checks across settings see the overridden values. */
	FAIL(SMALL "overrides = { links = { up = { to = \"nisc\"; }; }; };\n",
	     "links.up", "a link must join two different bodies");
	FAIL(SMALL "timeline = ( { day = 150; set = { won = { maturity = "
		   "0.5; }; }; } );\n"
		   "overrides = { days = 150; };\n",
	     "timeline[0].day", "150 is beyond the horizon");
}

/* The use overrides are for: a scenario that includes another and changes
 * some of its settings. */
static void test_overrides_include(void **state)
{
	const struct fixture *fx = *state;
	char top[256], want[300];
	struct cd_scenario *s;

	write_text(fx, "base.cfg",
		   SMALL "won = { maturity = 0.3; share_rate = 0.304; };\n");
	write_text(fx, "top.cfg",
		   "@include \"base.cfg\"\n"
		   "overrides = {\n"
		   "  won = { share_rate = 0.647; };\n"
		   "};\n");
	path_in(top, sizeof(top), fx, "top.cfg");
	s = load_file(top);
	assert_true(s->p.won.share_rate == 0.647);
	assert_true(s->p.won.maturity == 0.3);
	assert_true(s->p.segments[1].share_rate == 0.647);
	scenario_destroy(s);
	write_text(fx, "top.cfg",
		   "@include \"base.cfg\"\n"
		   "overrides = {\n"
		   "  won = { share_rate = 6.47; };\n"
		   "};\n");
	snprintf(want, sizeof(want), "%s:3:", top);
	fail_file(top, CD_EINVAL,
		  FRAGS(want, "won.share_rate", "6.47 is out of range"));
}

/* ---- shipped scenarios ------------------------------------------------ */

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every scenarios/NAME.cfg loads from the file system, and its copy in the
 * program is the same text. */
static void test_shipped_scenarios_load(void **state)
{
	DIR *dir = opendir(SOURCE_DIR "/scenarios");
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		char path[1024];
		struct stat st;
		struct cd_scenario *s, *emb;

		if (!has_suffix(e->d_name, ".cfg"))
			continue;
		snprintf(path, sizeof(path), "%s/scenarios/%s", SOURCE_DIR,
			 e->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (!S_ISREG(st.st_mode))
			continue;
		s = load_file(path);
		assert_true(s->p.n_segments > 0);
		assert_true(s->p.n_attackers > 0);
		if (scenario_embedded_text(e->d_name) == NULL)
			fail_msg("%s is not compiled into the program "
				 "(rebuild?)",
				 e->d_name);
		emb = load_embedded(e->d_name);
		if (strcmp(s->hash, emb->hash) != 0)
			fail_msg("%s: embedded hash %s, file hash %s",
				 e->d_name, emb->hash, s->hash);
		scenario_destroy(emb);
		scenario_destroy(s);
		n++;
	}
	closedir(dir);
	assert_true(n >= 1);
	assert_int_equal(n, scenario_embedded_count());
}

static void test_embedded_scenarios_load(void **state)
{
	int i, n = scenario_embedded_count();

	(void)state;
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		const char *name = scenario_embedded_name(i);
		struct cd_scenario *s;

		assert_non_null(name);
		assert_null(strchr(name, '/'));
		assert_non_null(scenario_embedded_text(name));
		s = load_embedded(name);
		assert_string_equal(s->path, name);
		scenario_destroy(s);
	}
	assert_null(scenario_embedded_name(n));
	assert_null(scenario_embedded_text("no_such.cfg"));
	{
		struct cd_scenario *s = NULL;
		struct cd_diag d = {{0}};
		int rc = scenario_load_embedded(&s, "no_such.cfg", NULL, 0, &d);

		check_rc(rc, CD_ENOENT, &d);
		assert_null(s);
		check_msg(d.msg, FRAGS("no_such.cfg"));
	}
}

/* The built-in default is exactly scenarios/japan_2017.cfg. */
static void test_embedded_equals_file(void **state)
{
	struct cd_scenario *f, *e;
	int i;

	(void)state;
	f = load_file(SOURCE_DIR "/scenarios/japan_2017.cfg");
	e = load_embedded("japan_2017.cfg");
	assert_string_equal(e->hash, f->hash);
	assert_string_equal(e->text, f->text);
	assert_int_equal(e->n_files, f->n_files);
	assert_true(f->n_files >= 5); /* japan_2017 and common/ */
	for (i = 0; i < e->n_files; i++)
		assert_true(has_suffix(f->files[i], e->files[i]));
	assert_memory_equal(&e->p, &f->p, sizeof(e->p));
	assert_memory_equal(e->set, f->set, sizeof(e->set));
	assert_memory_equal(&e->timeline, &f->timeline, sizeof(e->timeline));
	/* A few values the scenario cites. */
	assert_int_equal(f->p.days, 365);
	assert_true(f->p.won.share_rate == 0.304);
	assert_int_equal(f->set[OFF(won.share_rate)], 1);
	assert_true(f->p.workforce.employed == 265000.0);
	scenario_destroy(e);
	scenario_destroy(f);
}

#define DIR_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

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
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_attacker_zero_targets),
		cmocka_unit_test(test_workforce_trained),
		cmocka_unit_test(test_timeline_beyond_horizon),
		cmocka_unit_test(test_timeline_unknown_key),
		cmocka_unit_test(test_timeline_sorted),
		DIR_TEST(test_include_missing),
		DIR_TEST(test_include_cycle),
		DIR_TEST(test_include_lines),
		DIR_TEST(test_binary_file),
		DIR_TEST(test_empty_file),
		cmocka_unit_test(test_duplicate_setting),
		cmocka_unit_test(test_long_file_name),
		cmocka_unit_test(test_set_applies),
		cmocka_unit_test(test_set_bad),
		cmocka_unit_test(test_overrides),
		DIR_TEST(test_overrides_include),
		cmocka_unit_test(test_shipped_scenarios_load),
		cmocka_unit_test(test_embedded_scenarios_load),
		cmocka_unit_test(test_embedded_equals_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
