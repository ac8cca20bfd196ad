/* The declared counts of the scenario loader, each walked at its edge and
 * one past it: segments, attackers, bodies, links, the bodies of one
 * segment, timeline events and the settings they change, the horizon,
 * names, --set texts, levels of @include and the bytes of a file.
 *
 * At the edge, every accepted count is honoured: it passes validation and
 * is then used (the world holds that many segments, attackers, bodies or
 * links and reaches the last of them, every timeline event is applied, the
 * value set is the value the run holds). One past the edge it is refused
 * with CD_EINVAL and a one-line message naming the file, the line where
 * there is one, the setting and what is allowed.
 *
 * The table `limits` at the end of this file lists every limit walked, with
 * where it is declared; each row is one cmocka test. test_limits_run.c
 * walks the range of every setting of the schema, the work and memory
 * guards and the limits of the `run` command line; tests/test_sweep.c the
 * sweep-only limits (designs, --vary, --reps, --jobs).
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/status.h"
#include "limits.h"
#include "load/scenario.h"
#include "params/params.h"
#include "params/schema.h"
#include "support.h"
#include "world/world.h"

#define INCLUDE_DEPTH 16       /* MAX_INCLUDE_DEPTH in sim/scenario.c */
#define FILE_BYTES (16u << 20) /* MAX_FILE_BYTES in sim/scenario.c */
#define SET_BYTES sizeof(((struct cd_scenario *)NULL)->sets[0]) /* a --set */

/* ---- counts of the scenario loader --------------------------------------- */

/* CD_MAX_SEGMENTS: the world holds 64 segments and attacks the 64th. */
static void walk_segments(void **state)
{
	(void)state;
	for (int n = CD_MAX_SEGMENTS; n <= CD_MAX_SEGMENTS + 1; n++) {
		t_reset(&T);
		t_add(&T, "days = 3; warmup_days = 0;\n");
		lim_add_segments(&T, n, "");
		int last = T.line - 2; /* the line of sN */
		t_add(&T, "attackers = {\n" ATTACKER "};\n", "a", "s64");
		if (n > CD_MAX_SEGMENTS) {
			lim_refuse(T.s, NULL, NULL, 0, lim_at(last),
				   "segments.s65", "more than 64 segments",
				   "allowed: at most 64", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		sim_world *w = lim_world(sc);
		lim_steps(w, 3);
		assert_int_equal(sim_world_params(w)->n_segments, n);
		assert_int_equal(sim_world_organisations(w), 10 * n);
		/* Segments are kept in name order: find the file's. */
		const int *order = sim_world_params(w)->segment_order;
		assert_true(sim_world_totals(w, order[n - 1])->attempts > 0);
		assert_int_equal(sim_world_totals(w, order[0])->attempts, 0);
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
		t_add(&T, "days = 3; warmup_days = 0;\n");
		lim_add_segments(&T, 1, "");
		t_add(&T, "attackers = {\n");
		for (int a = 1; a <= n; a++) {
			char name[16];
			snprintf(name, sizeof name, "a%d", a);
			t_add(&T, ATTACKER, name, "s1");
		}
		t_add(&T, "};\n");
		if (n > CD_MAX_ATTACKERS) {
			lim_refuse(T.s, NULL, NULL, 0, lim_at(T.line - 2),
				   "attackers.a33", "more than 32 attackers",
				   "allowed: at most 32", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		sim_world *w = lim_world(sc);
		lim_steps(w, 3);
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
		t_add(&T, "days = 5; warmup_days = 0;\n");
		lim_add_segments(&T, 1, REPORTING);
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
			lim_refuse(T.s, NULL, NULL, 0, lim_at(T.line - 2),
				   "bodies.b33", "more than 32 bodies",
				   "allowed: at most 32", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		sim_world *w = lim_world(sc);
		lim_steps(w, 5);
		assert_int_equal(sim_world_params(w)->n_bodies, n);
		const int *order = sim_world_params(w)->body_order;
		for (int b = 0; b < n - 1; b++)
			if (!sim_world_body_totals(w, order[b])->learned)
				fail_msg("partner b%d learned nothing", b + 1);
		assert_true(sim_world_body_totals(w, order[n - 1])->reports >
			    0);
		assert_true(sim_world_body_totals(w, order[n - 1])->learned >
			    0);
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
		t_add(&T, "days = 5; warmup_days = 0;\n");
		lim_add_segments(&T, 1, REPORTING);
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
			lim_refuse(T.s, NULL, NULL, 0, lim_at(T.line - 2),
				   "links.l129", "more than 128 links",
				   "allowed: at most 128", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		sim_world *w = lim_world(sc);
		lim_steps(w, 5);
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
	t_add(&T, "days = 4; warmup_days = 0;\n");
	lim_add_segments(&T, 1, REPORTING);
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
		lim_refuse(T.s, NULL, NULL, 0, lim_at(line),
			   day < 0 ? "segment 's1' belongs to 13 sharing bodies"
				   : "timeline[0]: segment 's1' would belong "
				     "to 13",
			   "allowed: at most 12", NULL);
		return;
	}
	struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
	sim_world *w = lim_world(sc);
	const int *order = sim_world_params(w)->body_order; /* file's */
	for (int d = 0; d < 4; d++) {
		lim_steps(w, 1);
		uint64_t got = sim_world_body_daily(w, order[n - 1])->reports;
		uint64_t first = sim_world_body_daily(w, order[0])->reports;
		/* The 12th body hears what the first does, once a member. */
		if (d >= day)
			assert_int_equal(got, first);
		else
			assert_int_equal(got, 0);
	}
	assert_true(sim_world_body_totals(w, order[n - 1])->reports > 0);
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
		t_add(&T, "days = %d; warmup_days = 0;\n", n);
		lim_add_segments(&T, 1, "");
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
			lim_refuse(T.s, NULL, NULL, 0, lim_at(last),
				   "timeline[64]",
				   "more than 64 timeline events",
				   "allowed: at most 64", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		assert_int_equal(sc->timeline.n_events, n);
		sim_world *w = lim_world(sc);
		for (int d = 0; d < n; d++) {
			lim_steps(w, 1);
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
		t_add(&T, "days = 4; warmup_days = 0;\n");
		lim_add_segments(&T, CD_MAX_SEGMENTS, "");
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
			lim_refuse(T.s, NULL, NULL, 0, lim_at(line),
				   "won.maturity", "allowed: at most 256",
				   NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		assert_int_equal(sc->timeline.n_assign, CD_MAX_TIMELINE_ASSIGN);
		sim_world *w = lim_world(sc);
		lim_steps(w, 4);
		const struct cd_params *p = sim_world_params(w);
		for (int e = 0; e < 4; e++)
			for (int s = 0; s < CD_MAX_SEGMENTS; s++) {
				double v;
				memcpy(&v,
				       (const char *)&p->segments
						       [p->segment_order[s]] +
					       off[e],
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
		t_add(&T, "days = %d; warmup_days = 0;\n", CD_MAX_DAYS);
		lim_add_segments(&T, 1, "");
		t_add(&T, IDLE);
		int line = T.line;
		t_add(&T,
		      "timeline = ( { day = %d; set = { won = { share_rate = "
		      "0.25; }; }; } );\n",
		      CD_MAX_DAYS - 1 + past);
		if (past) {
			lim_refuse(T.s, NULL, NULL, 0, lim_at(line),
				   "timeline[0].day", "36500",
				   "allowed: an integer in [0, ", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		sim_world *w = lim_world(sc);
		lim_steps(w, CD_MAX_DAYS - 1);
		assert_true(sim_world_params(w)->won.share_rate != 0.25);
		lim_steps(w, 1);
		assert_int_equal(sim_world_day(w), CD_MAX_DAYS - 1);
		assert_true(sim_world_params(w)->won.share_rate == 0.25);
		sim_world_destroy(w);
		scenario_destroy(sc);
	}
	/* A shorter horizon: day = days is beyond it. */
	t_reset(&T);
	t_add(&T, "days = 10; warmup_days = 0;\n");
	lim_add_segments(&T, 1, "");
	t_add(&T, IDLE);
	int line = T.line;
	t_add(&T, "timeline = ( { day = 10; set = { won = { maturity = 1.0; "
		  "}; }; } );\n");
	lim_refuse(T.s, NULL, NULL, 0, lim_at(line), "timeline[0].day",
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
	      "days = 3; warmup_days = 0;\nsegments = {\n  %s = { kind = "
	      "\"government\"; "
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
		lim_refuse(T.s, NULL, NULL, 0, lim_at(line[which]), path,
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
	struct cd_scenario *sc = lim_accept(T.s, NULL, sets, 4);
	sim_world *w = lim_world(sc);
	lim_steps(w, 3);
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
	t_add(&T, "days = 3; warmup_days = 0;\n");
	lim_add_segments(&T, CD_MAX_SEGMENTS, "");
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
	struct cd_scenario *sc = lim_accept(T.s, NULL, sets, CD_MAX_SETS);
	assert_int_equal(sc->n_sets, CD_MAX_SETS);
	sim_world *w = lim_world(sc);
	assert_int_equal(sim_world_organisations(w),
			 CD_MAX_SETS * (CD_MAX_SETS + 1) / 2);
	sim_world_destroy(w);
	scenario_destroy(sc);
	lim_refuse(T.s, NULL, sets, CD_MAX_SETS + 1, "--set won.maturity=0.5",
		   "more than 64 --set options", "allowed: at most 64", NULL);

	/* A --set text of CD_SET_MAX - 1 bytes (a number with trailing
	 * zeros), and one more; a description of 255 bytes by --set. */
	char one[CD_SET_MAX + 8];
	int n = snprintf(one, sizeof one, "won.maturity=0.5");
	memset(one + n, '0', CD_SET_MAX - 1 - (size_t)n);
	one[CD_SET_MAX - 1] = '\0';
	sets[0] = one;
	sc = lim_accept(T.s, NULL, sets, 1);
	assert_true(sc->p.won.maturity == 0.5);
	assert_string_equal(sc->sets[0], one);
	scenario_destroy(sc);
	strcat(one, "0");
	lim_refuse(T.s, NULL, sets, 1, "--set won.maturity=0.5000",
		   "longer than 511 bytes", "allowed: at most 511", NULL);
	n = snprintf(one, sizeof one, "description=");
	memset(one + n, 'd', 255);
	one[n + 255] = '\0';
	sc = lim_accept(T.s, NULL, sets, 1);
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
			t_add(&T, "days = 7; warmup_days = 0;\n");
			lim_add_segments(&T, 1, "");
			t_add(&T, IDLE);
		}
		lim_write_file(k ? path : top, k ? sizeof path : size, name,
			       k < levels ? text : T.s,
			       k < levels ? strlen(text) : T.len);
	}
}

static void walk_include_depth(void **state)
{
	(void)state;
	char top[PATH_MAX], inner[PATH_MAX + 32];
	include_chain(INCLUDE_DEPTH, top, sizeof top);
	struct cd_scenario *sc = lim_accept(NULL, top, NULL, 0);
	assert_int_equal(sc->n_files, INCLUDE_DEPTH + 1);
	assert_int_equal(sc->p.days, 7);
	scenario_destroy(sc);
	include_chain(INCLUDE_DEPTH + 1, top, sizeof top);
	snprintf(inner, sizeof inner, "%s/inc%d.cfg:1:", lim_dir,
		 INCLUDE_DEPTH);
	lim_refuse(NULL, top, NULL, 0, inner, "nested more than 16 deep",
		   "allowed: at most 16", NULL);
}

/* MAX_FILE_BYTES: a scenario file, and a file it includes, of 16 MiB
 * (padded with comment lines) load; one byte more is refused. */
static void walk_file_bytes(void **state)
{
	(void)state;
	char path[PATH_MAX], top[PATH_MAX], want[PATH_MAX + 64];
	const char *inc = "@include \"big.cfg\"\n";
	lim_write_file(top, sizeof top, "top.cfg", inc, strlen(inc));
	for (int past = 0; past <= 1; past++) {
		t_reset(&T);
		t_add(&T, "days = 9; warmup_days = 0;\n");
		lim_add_segments(&T, 1, "");
		t_add(&T, IDLE);
		while (T.len + 128 <= (size_t)FILE_BYTES)
			t_add(&T, "#%62s\n", "padding");
		t_add(&T, "#%*s\n",
		      (int)(FILE_BYTES + (size_t)past - T.len - 2), "");
		assert_int_equal(T.len, FILE_BYTES + (size_t)past);
		lim_write_file(path, sizeof path, "big.cfg", T.s, T.len);
		if (past) {
			lim_refuse(NULL, path, NULL, 0, path,
				   "larger than 16 MiB",
				   "allowed: a scenario file of at most 16 MiB",
				   NULL);
			snprintf(want, sizeof want, "%s:1:", top);
			lim_refuse(NULL, top, NULL, 0, want, "big.cfg",
				   "larger than 16 MiB",
				   "allowed: a scenario file of at most 16 MiB",
				   NULL);
			continue;
		}
		const char *const files[] = {path, top};
		for (int k = 0; k < 2; k++) {
			struct cd_scenario *sc =
				lim_accept(NULL, files[k], NULL, 0);
			assert_int_equal(sc->p.days, 9);
			scenario_destroy(sc);
		}
	}
	unlink(path);
}

/* ---- the limits walked --------------------------------------------------- */

static const struct limit {
	const char *name;
	void (*walk)(void **state);
} limits[] = {
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
};

int main(void)
{
	enum { N = sizeof limits / sizeof limits[0] };
	struct CMUnitTest tests[N];
	for (int k = 0; k < N; k++)
		tests[k] = (struct CMUnitTest){limits[k].name, limits[k].walk,
					       NULL, NULL, NULL};
	return _cmocka_run_group_tests("limits", tests, N, lim_setup,
				       lim_teardown);
}
