/* The declared limits of the scenario loader and of the `run` command line,
 * each walked at its edge and one past it.
 *
 * At the edge, every accepted count is honoured: it passes validation and
 * is then used (the world holds that many segments, attackers, bodies or
 * links and reaches the last of them, every timeline event is applied, the
 * value set is the value the run holds), or it is refused by the memory or
 * work guard with a clear message. One past the edge it is refused with
 * CD_EINVAL (or exit status 2) and a one-line message naming the file, the
 * line where there is one, the setting and what is allowed.
 *
 * The table `limits` at the end of this file lists every limit walked, with
 * where it is declared; each row is one cmocka test. The range of every
 * numeric and text setting is walked from the schema table itself
 * (schema_root and its sub-tables), so a setting added later is walked
 * too. Sweep-only limits (designs, --vary, --reps, --jobs) are walked in
 * tests/test_sweep.c.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw; implies POSIX.1-2008 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "params/params.h"
#include "load/scenario.h"
#include "params/schema.h"
#include "core/status.h"
#include "support.h"
#include "world/world.h"
#include "params/params.h" /* CD_MAX_SEGMENT_BODIES */

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif

#define NAME "lim.cfg"	       /* the name of generated scenarios */
#define TIMEOUT_MS 20000       /* a hung program fails its test */
#define MAX_ARGS 160	       /* of one program run */
#define INCLUDE_DEPTH 16       /* MAX_INCLUDE_DEPTH in sim/scenario.c */
#define FILE_BYTES (16u << 20) /* MAX_FILE_BYTES in sim/scenario.c */
#define SET_BYTES sizeof(((struct cd_scenario *)NULL)->sets[0]) /* a --set */

static char tmp[PATH_MAX]; /* this run's directory, for files and outputs */
static char last_msg[sizeof(struct cd_diag)]; /* of the last refusal */

/* ---- text ---------------------------------------------------------------- */

/* A growing text that counts its lines: `line` is the line the next
 * character goes on. */
struct text {
	char *s;
	size_t len, cap;
	int line;
};
static struct text T; /* the scenario being built; freed by teardown */

static void t_reset(struct text *t)
{
	t->len = 0;
	t->line = 1;
	if (t->s)
		t->s[0] = '\0';
}

static void t_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void t_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (t->len + (size_t)n + 1 > cap)
			cap *= 2;
		char *s = realloc(t->s, cap);
		assert_non_null(s);
		t->s = s;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	for (const char *c = t->s + t->len; *c; c++)
		t->line += *c == '\n';
	t->len += (size_t)n;
}

/* "lim.cfg:LINE:" (one static buffer: one use per call). */
static const char *at(int line)
{
	static char buf[64];
	snprintf(buf, sizeof buf, NAME ":%d:", line);
	return buf;
}

/* Writes `text` to tmp/name and its path into path. */
static void write_file(char *path, size_t size, const char *name,
		       const char *text, size_t len)
{
	ts_path_join(path, size, tmp, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* ---- loading and running ------------------------------------------------- */

/* Fails unless msg is one line holding every fragment of ap. */
static void check_msg(const char *msg, va_list ap)
{
	if (!msg[0] || strchr(msg, '\n'))
		fail_msg("not a one-line message: \"%s\"", msg);
	const char *frag;
	while ((frag = va_arg(ap, const char *)))
		if (!strstr(msg, frag))
			fail_msg("message lacks \"%s\":\n    %s", frag, msg);
}

/* Loads `text` (or, if NULL, the file `path`) with the --set texts: it must
 * be accepted. */
static struct cd_scenario *accept(const char *text, const char *path,
				  const char *const *sets, int n_sets)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	int rc = text ? scenario_load_string(&sc, NAME, text, sets, n_sets, &d)
		      : scenario_load_file(&sc, path, sets, n_sets, &d);
	if (rc)
		fail_msg("refused at the edge (%s): %s", cd_strerror(rc),
			 d.msg);
	assert_non_null(sc);
	return sc;
}

/* As accept, but it must be refused with CD_EINVAL and a message holding
 * every fragment of the NULL-terminated list. */
static void refuse(const char *text, const char *path, const char *const *sets,
		   int n_sets, ...)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	int rc = text ? scenario_load_string(&sc, NAME, text, sets, n_sets, &d)
		      : scenario_load_file(&sc, path, sets, n_sets, &d);
	scenario_destroy(sc);
	if (rc != CD_EINVAL)
		fail_msg("one past the edge: status %d (%s), want CD_EINVAL; "
			 "message: %s",
			 rc, cd_strerror(rc), d.msg);
	assert_null(sc);
	memcpy(last_msg, d.msg, sizeof last_msg);
	va_list ap;
	va_start(ap, n_sets);
	check_msg(d.msg, ap);
	va_end(ap);
}

static sim_world *world_of(const struct cd_scenario *sc)
{
	sim_world *w = NULL;
	int rc = sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 1);
	if (rc)
		fail_msg("sim_world_create: %s", cd_strerror(rc));
	return w;
}

static void steps(sim_world *w, int days)
{
	for (int d = 0; d < days; d++)
		assert_int_equal(sim_world_step(w), 0);
}

/* Adds `n` segments s1..sN, one per line, with `extra` settings each. */
static void add_segments(struct text *t, int n, const char *extra)
{
	t_add(t, "segments = {\n");
	for (int s = 1; s <= n; s++)
		t_add(t,
		      "  s%d = { kind = \"corporation\"; count = 10; %s };\n",
		      s, extra);
	t_add(t, "};\n");
}

/* An attacker `name` of ten campaigns a day against segment `target`. */
#define ATTACKER                                                    \
	"  %s = { type = \"criminal\"; objective = \"espionage\"; " \
	"campaigns_per_year = 3650.0; attempts_per_day = 100.0; "   \
	"success_prob = 0.5; stealth = 0.0; targets = { %s = 1.0; }; };\n"
/* An attacker that starts no campaign. */
#define IDLE                                                                   \
	"attackers = { a = { type = \"criminal\"; objective = \"espionage\"; " \
	"campaigns_per_year = 0.0; targets = { s1 = 1.0; }; }; };\n"
/* Organisations that are attacked, detect every foothold and report it. */
#define REPORTING                                                          \
	"hygiene_mean = 0.0; monitoring_mean = 1.0; trained_ratio = 1.0; " \
	"share_rate = 1.0;"
#define DETECTION "detection = { internal_rate = 1.0; };\n"

/* ---- counts of the scenario loader --------------------------------------- */

/* CD_MAX_SEGMENTS: the world holds 64 segments and attacks the 64th. */
static void walk_segments(void **state)
{
	(void)state;
	for (int n = CD_MAX_SEGMENTS; n <= CD_MAX_SEGMENTS + 1; n++) {
		t_reset(&T);
		t_add(&T, "days = 3;\n");
		add_segments(&T, n, "");
		int last = T.line - 2; /* the line of sN */
		t_add(&T, "attackers = {\n" ATTACKER "};\n", "a", "s64");
		if (n > CD_MAX_SEGMENTS) {
			refuse(T.s, NULL, NULL, 0, at(last), "segments.s65",
			       "more than 64 segments", "allowed: at most 64",
			       NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		sim_world *w = world_of(sc);
		steps(w, 3);
		assert_int_equal(sim_world_params(w)->n_segments, n);
		assert_int_equal(sim_world_organisations(w), 10 * n);
		assert_true(sim_world_totals(w, n - 1)->attempts > 0);
		assert_int_equal(sim_world_totals(w, 0)->attempts, 0);
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
}

/* CD_MAX_ATTACKERS: the world holds 32 attackers, and each makes
 * campaigns. */
static void walk_attackers(void **state)
{
	(void)state;
	for (int n = CD_MAX_ATTACKERS; n <= CD_MAX_ATTACKERS + 1; n++) {
		t_reset(&T);
		t_add(&T, "days = 3;\n");
		add_segments(&T, 1, "");
		t_add(&T, "attackers = {\n");
		for (int a = 1; a <= n; a++) {
			char name[16];
			snprintf(name, sizeof name, "a%d", a);
			t_add(&T, ATTACKER, name, "s1");
		}
		t_add(&T, "};\n");
		if (n > CD_MAX_ATTACKERS) {
			refuse(T.s, NULL, NULL, 0, at(T.line - 2),
			       "attackers.a33", "more than 32 attackers",
			       "allowed: at most 32", NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		sim_world *w = world_of(sc);
		steps(w, 3);
		assert_int_equal(sim_world_params(w)->n_attackers, n);
		int made[CD_MAX_ATTACKERS] = {0};
		for (uint32_t c = 0; c < sim_world_n_campaigns(w); c++)
			made[sim_world_campaign_attacker(w, c)]++;
		for (int a = 0; a < n; a++)
			if (!made[a])
				fail_msg("attacker a%d made no campaign",
					 a + 1);
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
}

/* CD_MAX_BODIES: 31 partners that learn every campaign abroad and a 32nd
 * body (the last bit of the membership masks) that members report to. */
static void walk_bodies(void **state)
{
	(void)state;
	for (int n = CD_MAX_BODIES; n <= CD_MAX_BODIES + 1; n++) {
		t_reset(&T);
		t_add(&T, "days = 5;\n");
		add_segments(&T, 1, REPORTING);
		t_add(&T, "attackers = {\n" ATTACKER "};\n" DETECTION, "a",
		      "s1");
		t_add(&T, "wos = { partner_inflow = 1.0; };\nbodies = {\n");
		for (int b = 1; b < n; b++)
			t_add(&T,
			      "  b%d = { kind = \"partner\"; sees_abroad = "
			      "1.0; "
			      "abroad_days = 1.0; };\n",
			      b);
		t_add(&T,
		      "  b%d = { kind = \"national\"; members = { s1 = 1.0; }; "
		      "};\n};\n",
		      n);
		if (n > CD_MAX_BODIES) {
			refuse(T.s, NULL, NULL, 0, at(T.line - 2), "bodies.b33",
			       "more than 32 bodies", "allowed: at most 32",
			       NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		sim_world *w = world_of(sc);
		steps(w, 5);
		assert_int_equal(sim_world_params(w)->n_bodies, n);
		for (int b = 0; b < n - 1; b++)
			if (!sim_world_body_totals(w, b)->learned)
				fail_msg("partner b%d learned nothing", b + 1);
		assert_true(sim_world_body_totals(w, n - 1)->reports > 0);
		assert_true(sim_world_body_totals(w, n - 1)->learned > 0);
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
}

/* CD_MAX_LINKS: 127 links between two idle bodies, and a 128th, the only
 * way into `heard`, that relays what `cert` learns. */
static void walk_links(void **state)
{
	(void)state;
	for (int n = CD_MAX_LINKS; n <= CD_MAX_LINKS + 1; n++) {
		t_reset(&T);
		t_add(&T, "days = 5;\n");
		add_segments(&T, 1, REPORTING);
		t_add(&T, "attackers = {\n" ATTACKER "};\n" DETECTION, "a",
		      "s1");
		t_add(&T, "bodies = {\n"
			  "  cert = { kind = \"national\"; members = { s1 = "
			  "1.0; }; };\n"
			  "  heard = { kind = \"national\"; };\n"
			  "  x = { kind = \"national\"; };\n"
			  "  y = { kind = \"national\"; };\n};\nlinks = {\n");
		for (int k = 1; k < n; k++)
			t_add(&T, "  l%d = { from = \"x\"; to = \"y\"; };\n",
			      k);
		t_add(&T,
		      "  l%d = { from = \"cert\"; to = \"heard\"; relay = 1.0; "
		      "latency_days = 0.0; };\n};\n",
		      n);
		if (n > CD_MAX_LINKS) {
			refuse(T.s, NULL, NULL, 0, at(T.line - 2), "links.l129",
			       "more than 128 links", "allowed: at most 128",
			       NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		sim_world *w = world_of(sc);
		steps(w, 5);
		assert_int_equal(sim_world_params(w)->n_links, n);
		assert_true(sim_world_body_totals(w, 0)->relayed > 0);
		assert_true(sim_world_body_totals(w, 1)->received > 0);
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
}

/* The bodies of one segment and their reports, with the 12th body given
 * members by a timeline event on day `day` (-1: from the start). */
static void segment_bodies(int n, int day)
{
	t_reset(&T);
	t_add(&T, "days = 4;\n");
	add_segments(&T, 1, REPORTING);
	t_add(&T, "attackers = {\n" ATTACKER "};\n" DETECTION "bodies = {\n",
	      "a", "s1");
	int line = 0;
	for (int b = 1; b <= n; b++) {
		line = T.line;
		t_add(&T, "  b%d = { kind = \"national\"; %s };\n", b,
		      b < n || day < 0 ? "members = { s1 = 1.0; };" : "");
	}
	t_add(&T, "};\n");
	if (day >= 0) {
		line = T.line;
		t_add(&T,
		      "timeline = ( { day = %d; set = { bodies = { b%d = { "
		      "members = { s1 = 1.0; }; }; }; }; } );\n",
		      day, n);
	}
	if (n > CD_MAX_SEGMENT_BODIES) {
		refuse(T.s, NULL, NULL, 0, at(line),
		       day < 0 ? "segment 's1' belongs to 13 sharing bodies"
			       : "timeline[0]: segment 's1' would belong to 13",
		       "allowed: at most 12", NULL);
		return;
	}
	struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
	sim_world *w = world_of(sc);
	for (int d = 0; d < 4; d++) {
		steps(w, 1);
		uint64_t got = sim_world_body_daily(w, n - 1)->reports;
		uint64_t first = sim_world_body_daily(w, 0)->reports;
		/* The 12th body hears what the first does, once a member. */
		if (d >= day)
			assert_int_equal(got, first);
		else
			assert_int_equal(got, 0);
	}
	assert_true(sim_world_body_totals(w, n - 1)->reports > 0);
	sim_world_destroy(w);
	scenario_destroy(sc);
}

/* CD_MAX_SEGMENT_BODIES: a segment in 12 bodies, from the start and
 * after a timeline event; a 13th is refused at its line in both. */
static void walk_segment_bodies(void **state)
{
	(void)state;
	segment_bodies(CD_MAX_SEGMENT_BODIES, -1);
	segment_bodies(CD_MAX_SEGMENT_BODIES + 1, -1);
	segment_bodies(CD_MAX_SEGMENT_BODIES, 2);
	segment_bodies(CD_MAX_SEGMENT_BODIES + 1, 2);
}

/* CD_MAX_TIMELINE: 64 events, one a day, each applied on its day. */
static void walk_timeline_events(void **state)
{
	(void)state;
	for (int n = CD_MAX_TIMELINE; n <= CD_MAX_TIMELINE + 1; n++) {
		t_reset(&T);
		t_add(&T, "days = %d;\n", n);
		add_segments(&T, 1, "");
		t_add(&T, IDLE "timeline = (\n");
		int last = 0;
		for (int e = 0; e < n; e++) {
			last = T.line;
			t_add(&T,
			      "  { day = %d; set = { won = { share_rate = "
			      "%.7f; "
			      "}; }; }%s\n",
			      e, (e + 1) / 128.0, e + 1 < n ? "," : "");
		}
		t_add(&T, ");\n");
		if (n > CD_MAX_TIMELINE) {
			refuse(T.s, NULL, NULL, 0, at(last), "timeline[64]",
			       "more than 64 timeline events",
			       "allowed: at most 64", NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		assert_int_equal(sc->timeline.n_events, n);
		sim_world *w = world_of(sc);
		for (int d = 0; d < n; d++) {
			steps(w, 1);
			/* k / 128 is exact in binary and in 7 decimals. */
			assert_true(sim_world_params(w)->won.share_rate ==
				    (d + 1) / 128.0);
		}
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
}

/* CD_MAX_TIMELINE_ASSIGN: four events that each change one setting of all
 * 64 segments, 256 in all, every one applied; a 257th (won.maturity, on a
 * line of its own) is refused at its line. */
static void walk_timeline_settings(void **state)
{
	(void)state;
	static const char *const field[] = {"hygiene_mean", "monitoring_mean",
					    "trained_ratio", "share_rate"};
	const size_t off[] = {offsetof(struct cd_segment, hygiene_mean),
			      offsetof(struct cd_segment, monitoring_mean),
			      offsetof(struct cd_segment, trained_ratio),
			      offsetof(struct cd_segment, share_rate)};
	for (int extra = 0; extra <= 1; extra++) {
		t_reset(&T);
		t_add(&T, "days = 4;\n");
		add_segments(&T, CD_MAX_SEGMENTS, "");
		t_add(&T, IDLE "timeline = (\n");
		int line = 0;
		for (int e = 0; e < 4; e++) {
			t_add(&T, "  { day = %d; set = { segments = {", e);
			for (int s = 0; s < CD_MAX_SEGMENTS; s++)
				t_add(&T, " s%d = { %s = %.7f; };", s + 1,
				      field[e], (s + 1) / 128.0);
			t_add(&T, " };\n");
			line = T.line;
			if (e == 3 && extra)
				t_add(&T, "    won = { maturity = 0.5; };\n");
			t_add(&T, "  }; }%s\n", e < 3 ? "," : "");
		}
		t_add(&T, ");\n");
		if (extra) {
			refuse(T.s, NULL, NULL, 0, at(line), "won.maturity",
			       "allowed: at most 256", NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		assert_int_equal(sc->timeline.n_assign, CD_MAX_TIMELINE_ASSIGN);
		sim_world *w = world_of(sc);
		steps(w, 4);
		const struct cd_params *p = sim_world_params(w);
		for (int e = 0; e < 4; e++)
			for (int s = 0; s < CD_MAX_SEGMENTS; s++) {
				double v;
				memcpy(&v,
				       (const char *)&p->segments[s] + off[e],
				       sizeof v);
				if (v != (s + 1) / 128.0)
					fail_msg("segments.s%d.%s = %g: the "
						 "event was not applied",
						 s + 1, field[e], v);
			}
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
}

/* The horizon: CD_MAX_DAYS days simulated to the last; a timeline event
 * on the last day (days - 1) applied on it, one on day `days` refused. */
static void walk_days(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		t_reset(&T);
		t_add(&T, "days = %d;\n", CD_MAX_DAYS);
		add_segments(&T, 1, "");
		t_add(&T, IDLE);
		int line = T.line;
		t_add(&T,
		      "timeline = ( { day = %d; set = { won = { share_rate = "
		      "0.25; }; }; } );\n",
		      CD_MAX_DAYS - 1 + past);
		if (past) {
			refuse(T.s, NULL, NULL, 0, at(line), "timeline[0].day",
			       "36500", "allowed: an integer in [0, ", NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		sim_world *w = world_of(sc);
		steps(w, CD_MAX_DAYS - 1);
		assert_true(sim_world_params(w)->won.share_rate != 0.25);
		steps(w, 1);
		assert_int_equal(sim_world_day(w), CD_MAX_DAYS - 1);
		assert_true(sim_world_params(w)->won.share_rate == 0.25);
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
	/* A shorter horizon: day = days is beyond it. */
	t_reset(&T);
	t_add(&T, "days = 10;\n");
	add_segments(&T, 1, "");
	t_add(&T, IDLE);
	int line = T.line;
	t_add(&T, "timeline = ( { day = 10; set = { won = { maturity = 1.0; "
		  "}; }; } );\n");
	refuse(T.s, NULL, NULL, 0, at(line), "timeline[0].day",
	       "allowed: an integer in [0, 10)", NULL);
}

/* CD_NAME_MAX: a segment, attacker, body and link named with 31 bytes
 * (one of them with `len` bytes) load whole and --set reaches each. */
static void names(int len, int which)
{
	char nm[4][64];
	const char *const kind[] = {"segments", "attackers", "bodies", "links"};
	for (int k = 0; k < 4; k++) {
		int n = k == which ? len : CD_NAME_MAX - 1;
		memset(nm[k], "sabl"[k], (size_t)n);
		nm[k][n] = '\0';
	}
	t_reset(&T);
	int line[4];
	line[0] = T.line + 2;
	t_add(&T,
	      "days = 3;\nsegments = {\n  %s = { kind = \"government\"; "
	      "count = 5; };\n};\n",
	      nm[0]);
	line[1] = T.line + 1;
	t_add(&T, "attackers = {\n" ATTACKER "};\n", nm[1], nm[0]);
	line[2] = T.line + 1;
	t_add(&T, "bodies = {\n  %s = { kind = \"national\"; };\n", nm[2]);
	t_add(&T, "  c = { kind = \"national\"; };\n};\n");
	line[3] = T.line + 1;
	t_add(&T, "links = {\n  %s = { from = \"%s\"; to = \"c\"; };\n};\n",
	      nm[3], nm[2]);
	if (len >= CD_NAME_MAX) {
		char path[128];
		snprintf(path, sizeof path, "%s.%s", kind[which], nm[which]);
		refuse(T.s, NULL, NULL, 0, at(line[which]), path,
		       "name longer than 31 bytes",
		       "allowed: a name of at most 31 bytes", NULL);
		return;
	}
	char set[4][256];
	snprintf(set[0], sizeof set[0], "segments.%s.count=7", nm[0]);
	snprintf(set[1], sizeof set[1], "attackers.%s.targets.%s=2", nm[1],
		 nm[0]);
	snprintf(set[2], sizeof set[2], "bodies.%s.members.%s=0.25", nm[2],
		 nm[0]);
	snprintf(set[3], sizeof set[3], "links.%s.relay=0.5", nm[3]);
	const char *sets[] = {set[0], set[1], set[2], set[3]};
	struct cd_scenario *sc = accept(T.s, NULL, sets, 4);
	sim_world *w = world_of(sc);
	steps(w, 3);
	const struct cd_params *p = sim_world_params(w);
	assert_string_equal(p->segments[0].name, nm[0]);
	assert_string_equal(p->attackers[0].name, nm[1]);
	assert_string_equal(p->bodies[0].name, nm[2]);
	assert_string_equal(p->links[0].name, nm[3]);
	assert_int_equal(sim_world_organisations(w), 7);
	assert_true(p->attackers[0].targets[0] == 2);
	assert_true(p->bodies[0].coverage[0] == 0.25);
	assert_true(p->links[0].relay == 0.5);
	sim_world_destroy(w);
	scenario_destroy(sc);
}

static void walk_names(void **state)
{
	(void)state;
	names(CD_NAME_MAX - 1, 0);
	for (int k = 0; k < 4; k++)
		names(CD_NAME_MAX, k);
}

/* CD_MAX_SETS, and the 255 bytes of one --set: 64 --set options, each
 * applied, and one of 255 bytes applied whole. */
static void walk_sets(void **state)
{
	(void)state;
	t_reset(&T);
	t_add(&T, "days = 3;\n");
	add_segments(&T, CD_MAX_SEGMENTS, "");
	t_add(&T, IDLE);
	char text[CD_MAX_SETS + 1][256];
	const char *sets[CD_MAX_SETS + 1];
	for (int k = 0; k < CD_MAX_SETS; k++) {
		snprintf(text[k], sizeof text[k], "segments.s%d.count=%d",
			 k + 1, k + 1);
		sets[k] = text[k];
	}
	snprintf(text[CD_MAX_SETS], sizeof text[0], "won.maturity=0.5");
	sets[CD_MAX_SETS] = text[CD_MAX_SETS];
	struct cd_scenario *sc = accept(T.s, NULL, sets, CD_MAX_SETS);
	assert_int_equal(sc->n_sets, CD_MAX_SETS);
	sim_world *w = world_of(sc);
	assert_int_equal(sim_world_organisations(w),
			 CD_MAX_SETS * (CD_MAX_SETS + 1) / 2);
	sim_world_destroy(w);
	scenario_destroy(sc);
	refuse(T.s, NULL, sets, CD_MAX_SETS + 1, "--set won.maturity=0.5",
	       "more than 64 --set options", "allowed: at most 64", NULL);

	/* A --set text of CD_SET_MAX - 1 bytes (a number with trailing
	 * zeros), and one more; a description of 255 bytes by --set. */
	char one[CD_SET_MAX + 8];
	int n = snprintf(one, sizeof one, "won.maturity=0.5");
	memset(one + n, '0', CD_SET_MAX - 1 - (size_t)n);
	one[CD_SET_MAX - 1] = '\0';
	sets[0] = one;
	sc = accept(T.s, NULL, sets, 1);
	assert_true(sc->p.won.maturity == 0.5);
	assert_string_equal(sc->sets[0], one);
	scenario_destroy(sc);
	strcat(one, "0");
	refuse(T.s, NULL, sets, 1, "--set won.maturity=0.5000",
	       "longer than 511 bytes", "allowed: at most 511", NULL);
	n = snprintf(one, sizeof one, "description=");
	memset(one + n, 'd', 255);
	one[n + 255] = '\0';
	sc = accept(T.s, NULL, sets, 1);
	assert_int_equal(strlen(sc->p.description), 255);
	scenario_destroy(sc);
}

/* MAX_INCLUDE_DEPTH: tmp/incN.cfg includes incN+1.cfg down to `levels`
 * levels of @include; the innermost file gives the scenario (days = 7). */
static void include_chain(int levels, char *top, size_t size)
{
	char path[PATH_MAX], text[64];
	for (int k = 0; k <= levels; k++) {
		char name[32];
		snprintf(name, sizeof name, "inc%d.cfg", k);
		if (k < levels)
			snprintf(text, sizeof text, "@include \"inc%d.cfg\"\n",
				 k + 1);
		t_reset(&T);
		if (k == levels) {
			t_add(&T, "days = 7;\n");
			add_segments(&T, 1, "");
			t_add(&T, IDLE);
		}
		write_file(k ? path : top, k ? sizeof path : size, name,
			   k < levels ? text : T.s,
			   k < levels ? strlen(text) : T.len);
	}
}

static void walk_include_depth(void **state)
{
	(void)state;
	char top[PATH_MAX], inner[PATH_MAX + 32];
	include_chain(INCLUDE_DEPTH, top, sizeof top);
	struct cd_scenario *sc = accept(NULL, top, NULL, 0);
	assert_int_equal(sc->n_files, INCLUDE_DEPTH + 1);
	assert_int_equal(sc->p.days, 7);
	scenario_destroy(sc);
	include_chain(INCLUDE_DEPTH + 1, top, sizeof top);
	snprintf(inner, sizeof inner, "%s/inc%d.cfg:1:", tmp, INCLUDE_DEPTH);
	refuse(NULL, top, NULL, 0, inner, "nested more than 16 deep",
	       "allowed: at most 16", NULL);
}

/* MAX_FILE_BYTES: a scenario file, and a file it includes, of 16 MiB
 * (padded with comment lines) load; one byte more is refused. */
static void walk_file_bytes(void **state)
{
	(void)state;
	char path[PATH_MAX], top[PATH_MAX], want[PATH_MAX + 64];
	const char *inc = "@include \"big.cfg\"\n";
	write_file(top, sizeof top, "top.cfg", inc, strlen(inc));
	for (int past = 0; past <= 1; past++) {
		t_reset(&T);
		t_add(&T, "days = 9;\n");
		add_segments(&T, 1, "");
		t_add(&T, IDLE);
		while (T.len + 128 <= (size_t)FILE_BYTES)
			t_add(&T, "#%62s\n", "padding");
		t_add(&T, "#%*s\n",
		      (int)(FILE_BYTES + (size_t)past - T.len - 2), "");
		assert_int_equal(T.len, FILE_BYTES + (size_t)past);
		write_file(path, sizeof path, "big.cfg", T.s, T.len);
		if (past) {
			refuse(NULL, path, NULL, 0, path, "larger than 16 MiB",
			       "allowed: a scenario file of at most 16 MiB",
			       NULL);
			snprintf(want, sizeof want, "%s:1:", top);
			refuse(NULL, top, NULL, 0, want, "big.cfg",
			       "larger than 16 MiB",
			       "allowed: a scenario file of at most 16 MiB",
			       NULL);
			continue;
		}
		const char *const files[] = {path, top};
		for (int k = 0; k < 2; k++) {
			struct cd_scenario *sc =
				accept(NULL, files[k], NULL, 0);
			assert_int_equal(sc->p.days, 9);
			scenario_destroy(sc);
		}
	}
	unlink(path);
}

/* ---- the command line ---------------------------------------------------- */

struct run {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Runs cyberdef with the NULL-terminated arguments of args in tmp,
 * capturing stdout and stderr; a run that hangs is killed and fails. */
static void run_argv(struct run *r, const char *const *args)
{
	char out[PATH_MAX], err[PATH_MAX];
	ts_path_join(out, sizeof out, tmp, "stdout");
	ts_path_join(err, sizeof err, tmp, "stderr");
	char *argv[MAX_ARGS + 2];
	int n = 0;
	argv[n++] = (char *)CYBERDEF_BIN;
	for (; args[n - 1]; n++) {
		assert_true(n <= MAX_ARGS);
		argv[n] = (char *)args[n - 1];
	}
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || e < 0 || in < 0 || chdir(tmp) || dup2(in, 0) < 0 ||
		    dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(CYBERDEF_BIN, argv);
		_exit(127);
	}
	int st = 0;
	for (long waited = 0;; waited += 2) {
		pid_t got = waitpid(pid, &st, WNOHANG);
		assert_true(got >= 0);
		if (got == pid)
			break;
		if (waited > TIMEOUT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("cyberdef did not finish in %d s",
				 TIMEOUT_MS / 1000);
		}
		sleep_ms(2);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = ts_slurp(out, NULL);
	r->err = ts_slurp(err, NULL);
	assert_non_null(r->out);
	assert_non_null(r->err);
	if (r->status == 126 || r->status == 127)
		fail_msg("could not start %s", CYBERDEF_BIN);
}

static void run(struct run *r, ...)
{
	const char *args[MAX_ARGS + 1];
	va_list ap;
	va_start(ap, r);
	ts_collect_args(ap, args, MAX_ARGS);
	va_end(ap);
	run_argv(r, args);
}

/* Fails unless the run exited with `status` and, if the NULL-terminated
 * fragments are given, its stderr is one line "cyberdef: ..." (then the
 * usage, for a bad option) holding each. */
static void expect_run(struct run *r, int status, ...)
{
	if (r->status != status)
		fail_msg("exit %d, want %d\nstdout:\n%s\nstderr:\n%s",
			 r->status, status, r->out, r->err);
	va_list ap;
	va_start(ap, status);
	const char *frag = va_arg(ap, const char *);
	if (frag && strncmp(r->err, "cyberdef: ", 10))
		fail_msg("stderr does not begin with \"cyberdef: \":\n%s",
			 r->err);
	char *nl = strchr(r->err, '\n');
	if (nl)
		*nl = '\0'; /* the message; the usage may follow */
	for (; frag; frag = va_arg(ap, const char *))
		if (!strstr(r->err, frag))
			fail_msg("stderr lacks \"%s\":\n%s", frag, r->err);
	va_end(ap);
	run_free(r);
}

/* A tiny scenario in tmp/tiny.cfg; its path in path. */
static void tiny(char *path, size_t size)
{
	t_reset(&T);
	t_add(&T, "days = 3;\n");
	add_segments(&T, 1, "");
	t_add(&T, "attackers = {\n" ATTACKER "};\n", "a", "s1");
	write_file(path, size, "tiny.cfg", T.s, T.len);
}

/* --seed: 0 and 2^64-1 run with that seed; 2^64 and -1 are refused. */
static void walk_cli_seed(void **state)
{
	(void)state;
	char cfg[PATH_MAX];
	tiny(cfg, sizeof cfg);
	struct run r;
	const char *const ok[] = {"0", "18446744073709551615"};
	for (int k = 0; k < 2; k++) {
		run(&r, "run", cfg, "--seed", ok[k], "--out", "seed", NULL);
		char want[64];
		snprintf(want, sizeof want, "(seed %s)", ok[k]);
		if (!strstr(r.out, want))
			fail_msg("stdout lacks \"%s\":\n%s", want, r.out);
		expect_run(&r, 0, NULL);
	}
	const char *const bad[] = {"18446744073709551616", "-1"};
	for (int k = 0; k < 2; k++) {
		run(&r, "run", cfg, "--seed", bad[k], "--out", "seed", NULL);
		expect_run(&r, 2, "--seed",
			   "allowed: an integer in [0, 2^64-1]", bad[k], NULL);
	}
}

/* --days: 1 and 36500 run that many days; 0 and 36501 are refused. */
static void walk_cli_days(void **state)
{
	(void)state;
	char cfg[PATH_MAX];
	tiny(cfg, sizeof cfg);
	struct run r;
	const char *const ok[] = {"1", "36500"};
	for (int k = 0; k < 2; k++) {
		run(&r, "run", cfg, "--days", ok[k], "--out", "days", "--set",
		    "attackers.a.campaigns_per_year=0", NULL);
		char want[64];
		snprintf(want, sizeof want, ": %s days,", ok[k]);
		if (!strstr(r.out, want))
			fail_msg("stdout lacks \"%s\":\n%s", want, r.out);
		expect_run(&r, 0, NULL);
	}
	const char *const bad[] = {"0", "36501"};
	for (int k = 0; k < 2; k++) {
		run(&r, "run", cfg, "--days", bad[k], "--out", "days", NULL);
		expect_run(&r, 2, "days", bad[k], "is out of range",
			   "allowed: an integer in [1, 36500]", NULL);
	}
}

/* --max-memory: exactly the estimate runs; a byte less, or 0, is
 * refused. */
static void walk_cli_max_memory(void **state)
{
	(void)state;
	char cfg[PATH_MAX], size[32];
	tiny(cfg, sizeof cfg);
	struct cd_scenario *sc = accept(NULL, cfg, NULL, 0);
	size_t need = sim_world_memory_estimate(&sc->p);
	scenario_destroy(sc);
	struct run r;
	snprintf(size, sizeof size, "%zu", need);
	run(&r, "run", cfg, "--max-memory", size, "--out", "mem", NULL);
	expect_run(&r, 0, NULL);
	snprintf(size, sizeof size, "%zu", need - 1);
	run(&r, "run", cfg, "--max-memory", size, "--out", "mem2", NULL);
	expect_run(&r, 2, cfg, "10 organisations", "more than the",
		   "allowed: fewer organisations, or a higher --max-memory",
		   NULL);
	run(&r, "run", cfg, "--max-memory", "0", "--out", "mem2", NULL);
	expect_run(&r, 2, "--max-memory: allowed: a size", "got 0", NULL);
	char out[PATH_MAX];
	struct stat st;
	ts_path_join(out, sizeof out, tmp, "mem2");
	assert_int_equal(lstat(out, &st), -1);
}

/* CD_MAX_SETS on the command line: 64 --set options (--days is one) run
 * with the last applied; a 65th is refused. */
static void walk_cli_sets(void **state)
{
	(void)state;
	char cfg[PATH_MAX];
	tiny(cfg, sizeof cfg);
	const char *args[MAX_ARGS + 1];
	int n = 0;
	args[n++] = "run";
	args[n++] = cfg;
	args[n++] = "--out";
	args[n++] = "sets";
	for (int k = 0; k < CD_MAX_SETS - 1; k++) {
		args[n++] = "--set";
		args[n++] = "attackers.a.campaigns_per_year=1";
	}
	args[n++] = "--days";
	args[n++] = "2";
	args[n] = NULL;
	struct run r;
	run_argv(&r, args);
	if (!strstr(r.out, ": 2 days,"))
		fail_msg("the 64th option was not applied:\n%s", r.out);
	expect_run(&r, 0, NULL);
	args[n++] = "--set";
	args[n++] = "days=1";
	args[n] = NULL;
	run_argv(&r, args);
	expect_run(&r, 2, "too many --set options", "at most 64", NULL);
}

/* ---- organisations and the work guard ------------------------------------ */

/* The 2^31-1 organisations of sim_world_create: 21 segments of 1e8 and one
 * of 47483647 (or one more) organisations. */
static void walk_organisations(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		t_reset(&T);
		t_add(&T, "days = 3;\nsegments = {\n");
		for (int s = 1; s <= 21; s++)
			t_add(&T,
			      "  s%d = { kind = \"corporation\"; count = "
			      "100000000; };\n",
			      s);
		t_add(&T,
		      "  s22 = { kind = \"corporation\"; count = %d; };\n};\n",
		      47483647 + past);
		t_add(&T, IDLE);
		if (past) {
			refuse(T.s, NULL, NULL, 0, at(2),
			       "segments:", "2147483648 organisations in all",
			       "allowed: at most 2147483647", NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		assert_int_equal(sim_world_organisations_of(&sc->p), INT32_MAX);
		scenario_destroy(sc);
		/* Accepted, it is then refused by the memory guard. */
		char cfg[PATH_MAX];
		write_file(cfg, sizeof cfg, "orgs.cfg", T.s, T.len);
		struct run r;
		run(&r, "run", cfg, "--max-memory", "1G", "--out", "orgs",
		    NULL);
		expect_run(&r, 2, cfg, "2147483647 organisations",
			   "more than the 1 GiB allowed", "--max-memory", NULL);
	}
}

/* CD_MAX_CANDIDATES: attempts_per_day x success_prob = 1e7 is accepted
 * and held by the world; 1e7 + 1 is refused, and shown as more than 1e7. */
static void walk_candidates(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		t_reset(&T);
		t_add(&T, "days = 3;\n");
		add_segments(&T, 1, "");
		int line = T.line + 1;
		t_add(&T,
		      "attackers = {\n  a = { type = \"criminal\"; objective = "
		      "\"espionage\"; campaigns_per_year = 0.0; "
		      "attempts_per_day = %d.0; success_prob = 1.0; targets = "
		      "{ s1 = 1.0; }; };\n};\n",
		      10000000 + past);
		if (past) {
			refuse(T.s, NULL, NULL, 0, at(line), "attackers.a",
			       "= 10000001 candidate intrusions",
			       "allowed: at most 1e+07", NULL);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
		sim_world *w = world_of(sc);
		steps(w, 3);
		const struct cd_attacker *a =
			&sim_world_params(w)->attackers[0];
		assert_true(a->attempts_per_day * a->success_prob ==
			    CD_MAX_CANDIDATES);
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
}

/* A scenario of exactly CD_MAX_DAY_WORK a day and CD_MAX_RUN_WORK in all:
 * 50 segments (a pair cost of 50 x 0.02 = 1 exactly), 10 campaigns a day
 * of 1000 days, 999 candidate intrusions each: 10 x 1000 x (1 + 999) a day
 * for 1000 days. `attempts` and `days` step past; `event` (if > 0) is the
 * attempts a timeline event on day 500 sets. */
static int work_scenario(int attempts, int days, int event)
{
	t_reset(&T);
	t_add(&T, "days = %d;\n", days);
	add_segments(&T, 50, "");
	int line = T.line + 1;
	t_add(&T,
	      "attackers = {\n  a = { type = \"criminal\"; objective = "
	      "\"espionage\"; campaigns_per_year = 3650.0; campaign_days = "
	      "1000.0; attempts_per_day = %d.0; success_prob = 1.0; targets = "
	      "{ s1 = 1.0; }; };\n};\n",
	      attempts);
	if (event > 0) {
		line = T.line;
		t_add(&T,
		      "timeline = ( { day = 500; set = { attackers = { a = { "
		      "attempts_per_day = %d.0; }; }; }; } );\n",
		      event);
	}
	return line;
}

/* CD_MAX_DAY_WORK and CD_MAX_RUN_WORK, at the start and after a timeline
 * event: the edge loads and runs a day; one past is refused, shown as
 * more than the limit. */
static void walk_work(void **state)
{
	(void)state;
	work_scenario(999, 1000, 999);
	struct cd_scenario *sc = accept(T.s, NULL, NULL, 0);
	assert_true(sim_world_day_work(&sc->p, NULL) == CD_MAX_DAY_WORK);
	assert_true(sim_world_day_work(&sc->p, NULL) * sc->p.days ==
		    CD_MAX_RUN_WORK);
	sim_world *w = world_of(sc);
	steps(w, 1);
	assert_true(sim_world_events(w) > 0);
	sim_world_destroy(w);
	scenario_destroy(sc);

	int line = work_scenario(1000, 1000, 0);
	refuse(T.s, NULL, NULL, 0, at(line), "attackers.a",
	       "about 1.001e+07 units of work a day",
	       "allowed: at most 1e+07 a day", NULL);
	line = work_scenario(999, 1000, 1000);
	refuse(T.s, NULL, NULL, 0, at(line), "timeline[0]: after it",
	       "attackers.a", "about 1.001e+07 units of work a day",
	       "allowed: at most 1e+07 a day", NULL);
	work_scenario(999, 1001, 0);
	refuse(T.s, NULL, NULL, 0, at(1), "about 1.001e+10 units of work",
	       "allowed: at most 1e+10", NULL);
}

/* ---- the range of every setting, from the schema ------------------------- */

/* The base of the walk, one line each: a line with a NULL name opens
 * `group` (a walked setting of it is written just after), one with a
 * name gives that setting of `group` (left out when it is the one
 * walked). Every group the schema has must be here. */
static const struct base_line {
	const char *group, *name, *text;
} base[] = {
	{"", NULL, NULL},
	{"", "days", "days = 3;"},
	{"segments", NULL, "segments = {"},
	{"segments.s1", NULL, "  s1 = { kind = \"corporation\";"},
	{"segments.s1", "count", "    count = 10;"},
	{NULL, NULL, "  };"},
	{"segments.s2", NULL, "  s2 = { kind = \"government\"; count = 5; };"},
	{NULL, NULL, "};"},
	{"attackers", NULL, "attackers = {"},
	{"attackers.a1", NULL, "  a1 = { type = \"state\";"},
	{"attackers.a1", "objective", "    objective = \"espionage\";"},
	{"attackers.a1", "success_prob", "    success_prob = 0.0;"},
	{"attackers.a1", "targets", "    targets = { s1 = 0.5; s2 = 0.5; };"},
	{NULL, NULL, "  };"},
	{NULL, NULL, "};"},
	{"bodies", NULL, "bodies = {"},
	{"bodies.b1", NULL, "  b1 = { kind = \"national\";"},
	{"bodies.b1", "members", "    members = { s1 = 0.5; };"},
	{NULL, NULL, "  };"},
	{"bodies.b2", NULL, "  b2 = { kind = \"partner\"; };"},
	{NULL, NULL, "};"},
	{"links", NULL, "links = {"},
	{"links.l1", NULL, "  l1 = { from = \"b1\"; to = \"b2\";"},
	{NULL, NULL, "  };"},
	{NULL, NULL, "};"},
	{"detection", NULL, "detection = {"},
	{NULL, NULL, "};"},
	{"wog", NULL, "wog = {"},
	{NULL, NULL, "};"},
	{"won", NULL, "won = {"},
	{NULL, NULL, "};"},
	{"wos", NULL, "wos = {"},
	{NULL, NULL, "};"},
	{"workforce", NULL, "workforce = {"},
	{"workforce", "employed", "  employed = 100000000.0;"},
	{"workforce", "trained", "  trained = 0.0;"},
	{NULL, NULL, "};"},
	{"crisis", NULL, "crisis = {"},
	{NULL, NULL, "};"},
};

/* One setting walked. */
struct setting {
	const struct schema_field *f;
	char group[64]; /* where the file gives it: "", "segments.s1", ... */
	char path[128]; /* e.g. "attackers.a1.targets.s2" */
	size_t offset;	/* in struct cd_params */
	int entry;	/* a segment's entry of a weights group */
	char allowed[512];
};

/* One value of it: accepted (ok) or one past the edge. */
struct value {
	int ok;
	char text[304]; /* as written in a file */
	char bare[300]; /* as given to --set, and shown in messages */
	double r;
	int64_t i;
};

/* The shortest text, of 15 to 17 digits, that reads back as r. */
static void real_text(char *buf, size_t size, double r)
{
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, r);
		if (strtod(buf, NULL) == r)
			break;
	}
}

/* The values walked: the edges (accepted) and one step past each: 1 for
 * an integer, the next representable number for a real, one byte for a
 * text. Returns the count. */
static int values_of(const struct setting *s, struct value *v)
{
	int type = s->entry ? SCHEMA_REAL : s->f->type;
	double lo = s->f->min, hi = s->f->max;
	memset(v, 0, 4 * sizeof *v);
	if (type == SCHEMA_STR) {
		size_t len[3] = {0, (size_t)hi, (size_t)hi + 1};
		for (int k = 0; k < 3; k++) {
			memset(v[k].bare, 'x', len[k]);
			v[k].bare[len[k]] = '\0';
			snprintf(v[k].text, sizeof v[k].text, "\"%s\"",
				 v[k].bare);
			v[k].ok = k < 2;
		}
		return 3;
	}
	double r[4] = {lo, hi, lo - 1, hi + 1};
	if (type == SCHEMA_REAL)
		r[2] = nextafter(lo, -INFINITY), r[3] = nextafter(hi, INFINITY);
	for (int k = 0; k < 4; k++) {
		v[k].ok = k < 2;
		v[k].r = r[k];
		v[k].i = (int64_t)r[k];
		if (type == SCHEMA_REAL)
			real_text(v[k].bare, sizeof v[k].bare, r[k]);
		else
			snprintf(v[k].bare, sizeof v[k].bare, "%lld",
				 (long long)v[k].i);
		/* A real in a file is written as one: 1e12 as 1e12.0. */
		int real = type == SCHEMA_REAL && !strpbrk(v[k].bare, ".e");
		snprintf(v[k].text, sizeof v[k].text, "%s%s", v[k].bare,
			 real ? ".0" : "");
	}
	return 4;
}

/* 1 if p holds value v of setting s. */
static int holds(const struct cd_params *p, const struct setting *s,
		 const struct value *v)
{
	const char *at_ = (const char *)p + s->offset;
	int i;
	int64_t i64;
	double r;
	switch (s->entry ? SCHEMA_REAL : s->f->type) {
	case SCHEMA_INT:
		memcpy(&i, at_, sizeof i);
		return i == v->i;
	case SCHEMA_I64:
		memcpy(&i64, at_, sizeof i64);
		return i64 == v->i;
	case SCHEMA_REAL:
		memcpy(&r, at_, sizeof r);
		return r == v->r;
	default:
		return strcmp(at_, v->bare) == 0;
	}
}

/* Writes the base into T with setting s = v in its group (file) or in a
 * timeline event on day 0 (timeline); returns the line of s. */
static int base_with(const struct setting *s, const struct value *v,
		     int timeline)
{
	t_reset(&T);
	int line = 0, found = 0;
	for (size_t k = 0; k < sizeof base / sizeof base[0]; k++) {
		const struct base_line *b = &base[k];
		int mine = b->group && !strcmp(b->group, s->group);
		if (mine && b->name && !strcmp(b->name, s->f->name) && v &&
		    !timeline)
			continue;
		if (b->text)
			t_add(&T, "%s\n", b->text);
		if (!mine || b->name)
			continue;
		found = 1;
		if (!v || timeline)
			continue;
		line = T.line;
		if (s->entry)
			t_add(&T, "%s = { s1 = 0.5; s2 = %s; };\n", s->f->name,
			      v->text);
		else
			t_add(&T, "%s = %s;\n", s->f->name, v->text);
	}
	if (!found)
		fail_msg("%s: the walk's base has no group '%s': add one",
			 s->path, s->group);
	if (v && timeline) {
		line = T.line;
		t_add(&T, "timeline = ( { day = 0; set = { ");
		int depth = 0;
		for (const char *c = s->path, *dot; c;
		     c = dot ? dot + 1 : NULL) {
			dot = strchr(c, '.');
			int n = dot ? (int)(dot - c) : (int)strlen(c);
			t_add(&T, dot ? "%.*s = { " : "%.*s = ", n, c);
			depth += dot != NULL;
		}
		t_add(&T, "%s;", v->text);
		while (depth--)
			t_add(&T, " };");
		t_add(&T, " }; } );\n");
	}
	return line;
}

/* Fails unless the last refusal of value v of s shows the value as
 * given: "PATH: VALUE is ...", VALUE reading back past the edge. */
static void shows_value(const struct setting *s, const struct value *v)
{
	char key[160];
	snprintf(key, sizeof key, "%s: ", s->path);
	const char *p = NULL;
	for (const char *q = last_msg; (q = strstr(q, key)); q++)
		p = q + strlen(key);
	char *end = NULL;
	double shown = p ? strtod(p, &end) : 0;
	if (!p || end == p || strncmp(end, " is out of range", 16))
		fail_msg("no \"%sVALUE is out of range\" in:\n    %s", key,
			 last_msg);
	if (shown >= s->f->min && shown <= s->f->max)
		fail_msg("%s = %s is shown as %.17g, within [%.17g, %.17g]:\n"
			 "    %s",
			 s->path, v->bare, shown, s->f->min, s->f->max,
			 last_msg);
}

/* World-sized checks are skipped for a value that would make a world of
 * more than this (segments.s1.count = 1e8). */
#define WORLD_BYTES (64u << 20)

/* s = v in the file, and through --set: held by the scenario and the
 * world, or refused naming where, the setting and what is allowed. */
static void walk_file_and_set(const struct setting *s, const struct value *v)
{
	char set[600], where[700];
	snprintf(set, sizeof set, "%s=%s", s->path, v->bare);
	snprintf(where, sizeof where, "--set %s", s->path);
	const char *sets[] = {set};
	for (int by_set = 0; by_set <= 1; by_set++) {
		if (by_set && strlen(set) >= SET_BYTES)
			continue; /* beyond the --set limit: walk_sets */
		int line = base_with(s, by_set ? NULL : v, 0);
		if (!v->ok) {
			refuse(T.s, NULL, sets, by_set,
			       by_set ? where : at(line), s->path, s->allowed,
			       NULL);
			if (s->f->type != SCHEMA_STR)
				shows_value(s, v);
			continue;
		}
		struct cd_scenario *sc = accept(T.s, NULL, sets, by_set);
		if (!holds(&sc->p, s, v))
			fail_msg("%s = %s was accepted but not held%s", s->path,
				 v->bare, by_set ? " (--set)" : "");
		if (sim_world_memory_estimate(&sc->p) < WORLD_BYTES) {
			sim_world *w = world_of(sc);
			steps(w, 1);
			assert_true(holds(sim_world_params(w), s, v));
			sim_world_destroy(w);
		}
		scenario_destroy(sc);
	}
}

/* s = v set by a timeline event on day 0: applied on that day, or
 * refused at the event's line. Returns 0 for a setting the timeline
 * cannot change (the days and counts a run is built with). */
static int walk_timeline(const struct setting *s, const struct value *v)
{
	int line = base_with(s, v, 1);
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_string(&sc, NAME, T.s, NULL, 0, &d);
	if (rc && strstr(d.msg, "the timeline cannot change it"))
		return 0;
	if (!v->ok) {
		scenario_destroy(sc);
		refuse(T.s, NULL, NULL, 0, at(line), s->path, s->allowed, NULL);
		if (s->f->type != SCHEMA_STR)
			shows_value(s, v);
		return 1;
	}
	if (rc)
		fail_msg("timeline: refused at the edge: %s", d.msg);
	sim_world *w = world_of(sc);
	steps(w, 1);
	if (!holds(sim_world_params(w), s, v))
		fail_msg("timeline: %s = %s was accepted but not applied",
			 s->path, v->bare);
	sim_world_destroy(w);
	scenario_destroy(sc);
	return 1;
}

/* Walks every numeric and text setting of table t (recursively), whose
 * settings are written in `group` at `base_off` of struct cd_params.
 * Returns the count walked. */
static int walk_table(const struct schema_table *t, const char *group,
		      size_t base_off)
{
	int n = 0;
	for (int i = 0; i < t->n_fields; i++) {
		const struct schema_field *f = &t->fields[i];
		struct setting s = {.f = f, .offset = base_off + f->offset};
		snprintf(s.group, sizeof s.group, "%s", group);
		snprintf(s.path, sizeof s.path, "%s%s%s", group,
			 group[0] ? "." : "", f->name);
		char sub[64];
		switch (f->type) {
		case SCHEMA_SECTION:
			n += walk_table(f->sub, f->name, f->sub->base);
			continue;
		case SCHEMA_COLLECTION: /* its element named e.g. s1, a1 */
			snprintf(sub, sizeof sub, "%s.%c1", f->name,
				 f->sub->what[0]);
			n += walk_table(f->sub, sub, f->sub->base);
			continue;
		case SCHEMA_WEIGHTS: /* the entry of segment s2 */
			s.entry = 1;
			s.offset += sizeof(double);
			strcat(s.path, ".s2");
			snprintf(s.allowed, sizeof s.allowed,
				 "allowed: a number in [%.15g, %.15g]", f->min,
				 f->max);
			break;
		case SCHEMA_INT:
		case SCHEMA_I64:
		case SCHEMA_REAL:
		case SCHEMA_STR:
			strcpy(s.allowed, "allowed: ");
			schema_describe_allowed(f, s.allowed + 9,
						sizeof s.allowed - 9);
			break;
		default: /* enums, booleans, body names, groups: no range */
			continue;
		}
		struct value v[4];
		int nv = values_of(&s, v), timeline = 1;
		for (int k = 0; k < nv; k++) {
			walk_file_and_set(&s, &v[k]);
			timeline = timeline && walk_timeline(&s, &v[k]);
		}
		n++;
	}
	return n;
}

/* The range of every setting of the schema. */
static void walk_schema_ranges(void **state)
{
	(void)state;
	int n = walk_table(&schema_root, "", 0);
	/* 71 when this was written: a floor, so that the walk cannot
	 * silently walk nothing. */
	assert_true(n >= 71);
}

/* ---- the limits walked --------------------------------------------------- */

static const struct limit {
	const char *name;
	void (*walk)(void **state);
} limits[] = {
	/* Every numeric and text setting of sim/schema.c (schema_root and
	 * its sub-tables): min and max, in a file, by --set and by a
	 * timeline event, each held by the run; one step past refused. This
	 * covers `days` [1, CD_MAX_DAYS], counts [1, 1e8], descriptions of
	 * CD_TEXT_MAX - 1 = 255 bytes and labels of CD_NAME_MAX - 1 = 31. */
	{"schema_ranges", walk_schema_ranges},
	/* params.h CD_MAX_SEGMENTS: 64 segments, the 64th attacked; 65. */
	{"segments_64", walk_segments},
	/* params.h CD_MAX_ATTACKERS: 32 attackers, each campaigning; 33. */
	{"attackers_32", walk_attackers},
	/* params.h CD_MAX_BODIES: 32 bodies, each learning (the 32nd is the
	 * last bit of the membership masks); 33. */
	{"bodies_32", walk_bodies},
	/* params.h CD_MAX_LINKS: 128 links, the 128th relaying; 129. */
	{"links_128", walk_links},
	/* params.h CD_MAX_SEGMENT_BODIES (checked in
	 * scenario.c): a segment in 12 bodies, reporting to the 12th, from the
	 * start and after a timeline event; 13 in both. */
	{"segment_bodies_12", walk_segment_bodies},
	/* params.h CD_MAX_TIMELINE: 64 events, each applied on its day; 65. */
	{"timeline_events_64", walk_timeline_events},
	/* params.h CD_MAX_TIMELINE_ASSIGN: 256 settings changed by the
	 * timeline, each applied; 257. */
	{"timeline_settings_256", walk_timeline_settings},
	/* params.h CD_MAX_DAYS: 36500 days run to the last, an event on day
	 * days - 1 applied on it; day = days refused. */
	{"days_36500", walk_days},
	/* params.h CD_NAME_MAX: names of 31 bytes for a segment, an
	 * attacker, a body and a link, reached by --set; 32 bytes. */
	{"names_31", walk_names},
	/* scenario.h CD_MAX_SETS and sc->sets[]: 64 --set options, each
	 * applied, and one of 255 bytes; 65 options, 256 bytes. */
	{"sets_64_of_255_bytes", walk_sets},
	/* scenario.c MAX_INCLUDE_DEPTH: 16 levels of @include; 17. */
	{"include_depth_16", walk_include_depth},
	/* scenario.c MAX_FILE_BYTES: a scenario file and an included file of
	 * 16 MiB; one byte more. */
	{"file_16_MiB", walk_file_bytes},
	/* scenario.c and world.c, 2^31 - 1 organisations in all: accepted,
	 * then refused by the memory guard of `run`; 2^31 refused. */
	{"organisations_2e31", walk_organisations},
	/* params.h CD_MAX_CANDIDATES: attempts_per_day x success_prob of
	 * 1e7; 1e7 + 1. */
	{"candidates_1e7", walk_candidates},
	/* params.h CD_MAX_DAY_WORK and CD_MAX_RUN_WORK: exactly 1e7 a day
	 * and 1e10 in all, also after a timeline event; one past each. */
	{"work_1e7_day_1e10_run", walk_work},
	/* cli.c `run --seed`: 0 and 2^64-1; 2^64 and -1. */
	{"cli_seed", walk_cli_seed},
	/* cli.c `run --days`: 1 and 36500; 0 and 36501. */
	{"cli_days", walk_cli_days},
	/* cli.c `run --max-memory`: the estimate itself; a byte less; 0. */
	{"cli_max_memory", walk_cli_max_memory},
	/* cli.c CD_MAX_SETS on the command line: 64 (--days among them); 65. */
	{"cli_sets_64", walk_cli_sets},
};

static int setup(void **state)
{
	(void)state;
	return ts_make_tmpdir(tmp, sizeof tmp, "cyberdef-limits");
}

static int teardown(void **state)
{
	(void)state;
	free(T.s);
	T = (struct text){0};
	return ts_rm_rf(tmp);
}

int main(void)
{
	enum { N = sizeof limits / sizeof limits[0] };
	struct CMUnitTest tests[N];
	for (int k = 0; k < N; k++)
		tests[k] = (struct CMUnitTest){limits[k].name, limits[k].walk,
					       NULL, NULL, NULL};
	return _cmocka_run_group_tests("limits", tests, N, setup, teardown);
}
