/* The ranges of the settings and the limits of `run`, each walked at its
 * edge and one past it: the range of every numeric and text setting, from
 * the schema table itself (schema_root and its sub-tables, so a setting
 * added later is walked too), in a file, by --set and by a timeline event;
 * the organisations, candidate intrusions and work a scenario may ask
 * for; and --seed, --days, --max-memory and the number of --set options
 * of `run`.
 *
 * At the edge a value is honoured (the run holds it) or refused by the
 * memory or work guard with a clear message; one past it, it is refused
 * with CD_EINVAL (or exit status 2) and a one-line message naming the
 * file, the line where there is one, the setting and what is allowed.
 * test_limits.c walks the counts of the scenario loader.
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

/* --seed: 0 and 2^64-1 run with that seed; 2^64 and -1 are refused. */
static void walk_cli_seed(void **state)
{
	(void)state;
	char cfg[PATH_MAX];
	lim_tiny(cfg, sizeof cfg);
	struct lim_proc r;
	const char *const ok[] = {"0", "18446744073709551615"};
	for (int k = 0; k < 2; k++) {
		lim_run(&r, "run", cfg, "--seed", ok[k], "--out", "seed", NULL);
		char want[64];
		snprintf(want, sizeof want, "(seed %s)", ok[k]);
		if (!strstr(r.out, want))
			fail_msg("stdout lacks \"%s\":\n%s", want, r.out);
		lim_expect_run(&r, 0, NULL);
	}
	const char *const bad[] = {"18446744073709551616", "-1"};
	for (int k = 0; k < 2; k++) {
		lim_run(&r, "run", cfg, "--seed", bad[k], "--out", "seed",
			NULL);
		lim_expect_run(&r, 2, "--seed",
			       "allowed: an integer in [0, 2^64-1]", bad[k],
			       NULL);
	}
}

/* --days: 1 and 36500 run that many days; 0 and 36501 are refused. */
static void walk_cli_days(void **state)
{
	(void)state;
	char cfg[PATH_MAX];
	lim_tiny(cfg, sizeof cfg);
	struct lim_proc r;
	const char *const ok[] = {"1", "36500"};
	for (int k = 0; k < 2; k++) {
		lim_run(&r, "run", cfg, "--days", ok[k], "--out", "days",
			"--set", "attackers.a.campaigns_per_year=0", NULL);
		char want[64];
		snprintf(want, sizeof want, ": %s days,", ok[k]);
		if (!strstr(r.out, want))
			fail_msg("stdout lacks \"%s\":\n%s", want, r.out);
		lim_expect_run(&r, 0, NULL);
	}
	const char *const bad[] = {"0", "36501"};
	for (int k = 0; k < 2; k++) {
		lim_run(&r, "run", cfg, "--days", bad[k], "--out", "days",
			NULL);
		lim_expect_run(&r, 2, "days", bad[k], "is out of range",
			       "allowed: an integer in [1, 36500]", NULL);
	}
}

/* --max-memory: exactly the estimate runs; a byte less, or 0, is
 * refused. */
static void walk_cli_max_memory(void **state)
{
	(void)state;
	char cfg[PATH_MAX], size[32];
	lim_tiny(cfg, sizeof cfg);
	struct cd_scenario *sc = lim_accept(NULL, cfg, NULL, 0);
	size_t need = sim_world_memory_estimate(&sc->p);
	scenario_destroy(sc);
	struct lim_proc r;
	snprintf(size, sizeof size, "%zu", need);
	lim_run(&r, "run", cfg, "--max-memory", size, "--out", "mem", NULL);
	lim_expect_run(&r, 0, NULL);
	snprintf(size, sizeof size, "%zu", need - 1);
	lim_run(&r, "run", cfg, "--max-memory", size, "--out", "mem2", NULL);
	lim_expect_run(&r, 2, cfg, "10 organisations", "more than the",
		       "allowed: fewer organisations, or a higher --max-memory",
		       NULL);
	lim_run(&r, "run", cfg, "--max-memory", "0", "--out", "mem2", NULL);
	lim_expect_run(&r, 2, "--max-memory: allowed: a size", "got 0", NULL);
	char out[PATH_MAX];
	struct stat st;
	ts_path_join(out, sizeof out, lim_dir, "mem2");
	assert_int_equal(lstat(out, &st), -1);
}

/* CD_MAX_SETS on the command line: 64 --set options (--days is one) run
 * with the last applied; a 65th is refused. */
static void walk_cli_sets(void **state)
{
	(void)state;
	char cfg[PATH_MAX];
	lim_tiny(cfg, sizeof cfg);
	const char *args[LIM_MAX_ARGS + 1];
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
	struct lim_proc r;
	lim_run_argv(&r, args);
	if (!strstr(r.out, ": 2 days,"))
		fail_msg("the 64th option was not applied:\n%s", r.out);
	lim_expect_run(&r, 0, NULL);
	args[n++] = "--set";
	args[n++] = "days=1";
	args[n] = NULL;
	lim_run_argv(&r, args);
	lim_expect_run(&r, 2, "too many --set options", "at most 64", NULL);
}

/* ---- organisations and the work guard ------------------------------------ */

/* The 2^31-1 organisations of sim_world_create: 21 segments of 1e8 and one
 * of 47483647 (or one more) organisations. */
static void walk_organisations(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		t_reset(&T);
		t_add(&T, "days = 3; warmup_days = 0;\nsegments = {\n");
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
			lim_refuse(T.s, NULL, NULL, 0, lim_at(2), "segments:",
				   "2147483648 organisations in all",
				   "allowed: at most 2147483647", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		assert_int_equal(sim_world_organisations_of(&sc->p), INT32_MAX);
		scenario_destroy(sc);
		/* Accepted, it is then refused by the memory guard. */
		char cfg[PATH_MAX];
		lim_write_file(cfg, sizeof cfg, "orgs.cfg", T.s, T.len);
		struct lim_proc r;
		lim_run(&r, "run", cfg, "--max-memory", "1G", "--out", "orgs",
			NULL);
		lim_expect_run(&r, 2, cfg, "2147483647 organisations",
			       "more than the 1 GiB allowed", "--max-memory",
			       NULL);
	}
}

/* CD_MAX_CANDIDATES: attempts_per_day x success_prob = 1e7 is accepted
 * and held by the world; 1e7 + 1 is refused, and shown as more than 1e7. */
static void walk_candidates(void **state)
{
	(void)state;
	for (int past = 0; past <= 1; past++) {
		t_reset(&T);
		t_add(&T, "days = 3; warmup_days = 0;\n");
		lim_add_segments(&T, 1, "");
		int line = T.line + 1;
		t_add(&T,
		      "attackers = {\n  a = { type = \"criminal\"; objective = "
		      "\"espionage\"; campaigns_per_year = 0.0; "
		      "attempts_per_day = %d.0; success_prob = 1.0; targets = "
		      "{ s1 = 1.0; }; };\n};\n",
		      10000000 + past);
		if (past) {
			lim_refuse(T.s, NULL, NULL, 0, lim_at(line),
				   "attackers.a",
				   "= 10000001 candidate intrusions",
				   "allowed: at most 1e+07", NULL);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
		sim_world *w = lim_world(sc);
		lim_steps(w, 3);
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
	t_add(&T, "days = %d; warmup_days = 0;\n", days);
	lim_add_segments(&T, 50, "");
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
	struct cd_scenario *sc = lim_accept(T.s, NULL, NULL, 0);
	assert_true(sim_world_day_work(&sc->p, NULL) == CD_MAX_DAY_WORK);
	assert_true(sim_world_day_work(&sc->p, NULL) * sc->p.days ==
		    CD_MAX_RUN_WORK);
	sim_world *w = lim_world(sc);
	lim_steps(w, 1);
	assert_true(sim_world_events(w) > 0);
	sim_world_destroy(w);
	scenario_destroy(sc);

	int line = work_scenario(1000, 1000, 0);
	lim_refuse(T.s, NULL, NULL, 0, lim_at(line), "attackers.a",
		   "about 1.001e+07 units of work a day",
		   "allowed: at most 1e+07 a day", NULL);
	line = work_scenario(999, 1000, 1000);
	lim_refuse(T.s, NULL, NULL, 0, lim_at(line), "timeline[0]: after it",
		   "attackers.a", "about 1.001e+07 units of work a day",
		   "allowed: at most 1e+07 a day", NULL);
	work_scenario(999, 1001, 0);
	lim_refuse(T.s, NULL, NULL, 0, lim_at(1),
		   "about 1.001e+10 units of work", "allowed: at most 1e+10",
		   NULL);
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
	{"", "warmup_days", "warmup_days = 0;"},
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
	{"bodies.b2", NULL, "  b2 = { kind = \"partner\";"},
	{NULL, NULL, "  };"},
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
	{"cdu", NULL, "cdu = {"},
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
	for (const char *q = lim_last_msg; (q = strstr(q, key)); q++)
		p = q + strlen(key);
	char *end = NULL;
	double shown = p ? strtod(p, &end) : 0;
	if (!p || end == p || strncmp(end, " is out of range", 16))
		fail_msg("no \"%sVALUE is out of range\" in:\n    %s", key,
			 lim_last_msg);
	if (shown >= s->f->min && shown <= s->f->max)
		fail_msg("%s = %s is shown as %.17g, within [%.17g, %.17g]:\n"
			 "    %s",
			 s->path, v->bare, shown, s->f->min, s->f->max,
			 lim_last_msg);
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
			lim_refuse(T.s, NULL, sets, by_set,
				   by_set ? where : lim_at(line), s->path,
				   s->allowed, NULL);
			if (s->f->type != SCHEMA_STR)
				shows_value(s, v);
			continue;
		}
		struct cd_scenario *sc = lim_accept(T.s, NULL, sets, by_set);
		if (!holds(&sc->p, s, v))
			fail_msg("%s = %s was accepted but not held%s", s->path,
				 v->bare, by_set ? " (--set)" : "");
		if (sim_world_memory_estimate(&sc->p) < WORLD_BYTES) {
			sim_world *w = lim_world(sc);
			lim_steps(w, 1);
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
		lim_refuse(T.s, NULL, NULL, 0, lim_at(line), s->path,
			   s->allowed, NULL);
		if (s->f->type != SCHEMA_STR)
			shows_value(s, v);
		return 1;
	}
	if (rc)
		fail_msg("timeline: refused at the edge: %s", d.msg);
	sim_world *w = lim_world(sc);
	lim_steps(w, 1);
	if (!holds(sim_world_params(w), s, v))
		fail_msg("timeline: %s = %s was accepted but not applied",
			 s->path, v->bare);
	sim_world_destroy(w);
	scenario_destroy(sc);
	return 1;
}

/* The body settings only a partner may set (load/rules.c). */
static int partner_only(const char *name)
{
	return !strcmp(name, "capability");
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
		if (!strcmp(group, "bodies.b1") && partner_only(f->name)) {
			/* walked on the partner b2, the second body */
			snprintf(s.group, sizeof s.group, "bodies.b2");
			s.offset += sizeof(struct cd_body);
		}
		snprintf(s.path, sizeof s.path, "%s%s%s", s.group,
			 s.group[0] ? "." : "", f->name);
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

int main(void)
{
	enum { N = sizeof limits / sizeof limits[0] };
	struct CMUnitTest tests[N];
	for (int k = 0; k < N; k++)
		tests[k] = (struct CMUnitTest){limits[k].name, limits[k].walk,
					       NULL, NULL, NULL};
	return _cmocka_run_group_tests("limits_run", tests, N, lim_setup,
				       lim_teardown);
}
