/* Tests for stages with any allowed coefficients (random and edge values
 * within their ranges): stages_check accepts a mapping exactly when it
 * stays within its setting's range, an accepted one is monotone in the
 * direction its slope's sign gives, and each coefficient's range is the
 * widest that the other's default allows. Then the loader (a combination
 * out of range is refused, naming where, the coefficient and the derived
 * setting), the timeline, describe and sweeps with coefficients.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/status.h"
#include "load/scenario.h"
#include "params/names.h"
#include "params/params.h"
#include "params/schema.h"
#include "params/stages.h"
#include "stages.h"
#include "support.h"
#include "world/world.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif

/* ---- any allowed coefficients ------------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15u; /* fixed: a failure repeats */

/* Uniform in [0, 1) (xorshift64*). */
static double uniform(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 0x2545f4914f6cdd1du) >> 11) * 0x1p-53;
}

/* Uniform in the schema range of f, its edges included now and then. */
static double draw(const struct schema_field *f)
{
	double u = uniform();
	if (u < 0.05)
		return f->min;
	if (u < 0.1)
		return f->max;
	return f->min + (f->max - f->min) * uniform();
}

/* The direction the documented form gives mapping m with p's slope: +1
 * non-decreasing in the maturity, -1 non-increasing, 0 constant. */
static int direction(const struct cd_params *p, const struct stage_map *m)
{
	double slope = st_get(p, m->slope);
	int sign = (slope > 0) - (slope < 0);
	return m->form == STAGE_LATENCY ? -sign : sign;
}

/* With p's coefficients accepted by stages_check: over a grid of 65
 * maturities and 16 random ones, in increasing order, mapping m's value
 * (from stages_derive) is the documented form, within its setting's
 * range, and monotone in the direction of its slope. */
static void check_mapping(struct cd_params *p, const struct stage_map *m)
{
	const struct schema_field *f = stages_field(m, m->name);
	double mats[65 + 16], base = st_get(p, m->base),
			      slope = st_get(p, m->slope);
	double prev = 0;
	int n = 0, dir = direction(p, m);

	for (int i = 0; i <= 64; i++)
		mats[n++] = i / 64.0;
	for (int i = 0; i < 16; i++)
		mats[n++] = uniform();
	for (int i = 1; i < n; i++) /* insertion sort */
		for (int j = i; j > 0 && mats[j - 1] > mats[j]; j--) {
			double t = mats[j];
			mats[j] = mats[j - 1];
			mats[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		double want = m->form == STAGE_LATENCY
				      ? round(base + slope * (1 - mats[i]))
				      : base + slope * mats[i];
		double v;

		*st_field_at(p, m->maturity) = mats[i];
		stages_derive(p, NULL);
		v = st_get(p, m->derived);
		if (!isfinite(v) || v < f->min || v > f->max)
			fail_msg("%s.%s = %.17g at m = %.17g with base %.17g, "
				 "slope %.17g: outside [%g, %g]",
				 cd_stage_names[m->stage], m->name, v, mats[i],
				 base, slope, f->min, f->max);
		if (v != want)
			fail_msg("%s.%s = %.17g at m = %.17g, documented %.17g",
				 cd_stage_names[m->stage], m->name, v, mats[i],
				 want);
		if (i > 0 && (dir > 0	? v < prev
			      : dir < 0 ? v > prev
					: v != prev))
			fail_msg("%s.%s: %.17g at m = %.17g after %.17g, with "
				 "base %.17g, slope %.17g (direction %d)",
				 cd_stage_names[m->stage], m->name, v, mats[i],
				 prev, base, slope, dir);
		prev = v;
	}
}

/* 1 if mapping m with p's coefficients stays within its setting's range
 * at both ends, m = 0 and m = 1. */
static int ends_in_range(const struct cd_params *p, const struct stage_map *m)
{
	const struct schema_field *f = stages_field(m, m->name);
	for (int end = 0; end <= 1; end++) {
		double v = stages_value(p, m, end);
		if (!(v >= f->min && v <= f->max))
			return 0;
	}
	return 1;
}

/* Coefficients base and slope for mapping k, the others at their
 * defaults: stages_check accepts exactly the pairs whose ends are in
 * range, a pair with a coefficient at its default always, and an
 * accepted pair keeps the setting in range and monotone (check_mapping).
 * A refusal names mapping k, the end and the value there. Returns 1 if
 * accepted. */
static int try_pair(const struct cd_params *defaults, int k, double base,
		    double slope)
{
	const struct stage_map *m = &stage_maps[k];
	const struct schema_field *fb = stages_field(m, m->base_name);
	const struct schema_field *fs = stages_field(m, m->slope_name);
	struct cd_params *p = malloc(sizeof(*p));
	const struct stage_map *bad;
	double at = -1, v = 0;
	int ok;

	assert_non_null(p);
	*p = *defaults;
	*st_field_at(p, m->base) = base;
	*st_field_at(p, m->slope) = slope;
	bad = stages_check(p, &at, &v);
	ok = ends_in_range(p, m);
	if (bad == NULL && !ok)
		fail_msg("%s.%s: base %.17g, slope %.17g accepted, but an end "
			 "is out of range",
			 cd_stage_names[m->stage], m->name, base, slope);
	if (bad != NULL && (bad != m || ok || (at != 0 && at != 1) ||
			    v != stages_value(p, m, at)))
		fail_msg("%s.%s: base %.17g, slope %.17g refused as %s at "
			 "m = %g (value %.17g)",
			 cd_stage_names[m->stage], m->name, base, slope,
			 bad->name, at, v);
	if ((base == fb->def || slope == fs->def) && base >= fb->min &&
	    base <= fb->max && slope >= fs->min && slope <= fs->max &&
	    bad != NULL)
		fail_msg("%s.%s: base %.17g, slope %.17g refused, though one "
			 "is at its default",
			 cd_stage_names[m->stage], m->name, base, slope);
	if (bad == NULL)
		check_mapping(p, m);
	free(p);
	return bad == NULL;
}

/* Each coefficient's range is the widest that keeps the mapping within
 * its setting's range at every maturity with the other coefficient at its
 * default: its edges are accepted, and just past them (1e-9, or half a
 * day for a rounded latency) the mapping leaves the range. */
static void test_coefficient_ranges_widest(void **state)
{
	struct cd_params *p = st_make_params();

	(void)state;
	for (int k = 0; k < STAGE_N_MAPS; k++) {
		const struct stage_map *m = &stage_maps[k];
		const struct schema_field *f = stages_field(m, m->name);
		const struct schema_field *fb = stages_field(m, m->base_name);
		const struct schema_field *fs = stages_field(m, m->slope_name);
		double a = fb->def, b = fs->def;
		double past = m->form == STAGE_LATENCY ? 0.5 : 1e-9;

		/* The ends of the mapping are base and base + slope. */
		st_check_close(fb->min, f->min - fmin(0, b), m->base_name);
		st_check_close(fb->max, f->max - fmax(0, b), m->base_name);
		st_check_close(fs->min, f->min - a, m->slope_name);
		st_check_close(fs->max, f->max - a, m->slope_name);
		assert_true(try_pair(p, k, fb->min, b));
		assert_true(try_pair(p, k, fb->max, b));
		assert_true(try_pair(p, k, a, fs->min));
		assert_true(try_pair(p, k, a, fs->max));
		assert_true(try_pair(p, k, a, b));
		/* Past the edges (outside the schema range, so only this
		 * check would see them): out of the setting's range. */
		assert_false(try_pair(p, k, fb->min - past, b));
		assert_false(try_pair(p, k, fb->max + past, b));
		assert_false(try_pair(p, k, a, fs->min - past));
		assert_false(try_pair(p, k, a, fs->max + past));
	}
	free(p);
}

/* The property, for any allowed coefficients: for each mapping, every
 * pair of edges and many random pairs within the coefficients' ranges,
 * and each coefficient alone at random (the other at its default, always
 * accepted). Every accepted mapping stays within its setting's range and
 * is monotone in the direction its slope's sign gives; every refused one
 * leaves the range. Both outcomes occur. */
static void test_any_coefficients(void **state)
{
	struct cd_params *p = st_make_params();
	int accepted = 0, refused = 0;

	(void)state;
	for (int k = 0; k < STAGE_N_MAPS; k++) {
		const struct stage_map *m = &stage_maps[k];
		const struct schema_field *fb = stages_field(m, m->base_name);
		const struct schema_field *fs = stages_field(m, m->slope_name);
		const double bs[] = {fb->min, fb->def, fb->max};
		const double ss[] = {fs->min, fs->def, fs->max};
		int ok;

		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				ok = try_pair(p, k, bs[i], ss[j]);
				accepted += ok;
				refused += !ok;
			}
		for (int i = 0; i < 300; i++) {
			ok = try_pair(p, k, draw(fb), draw(fs));
			accepted += ok;
			refused += !ok;
			assert_true(try_pair(p, k, draw(fb), fs->def));
			assert_true(try_pair(p, k, fb->def, draw(fs)));
		}
	}
	assert_true(accepted > 0 && refused > 0);
	free(p);
}

/* All mappings' coefficients drawn at once: stages_check returns the
 * first mapping that leaves its range (those before it stay in), or,
 * accepting, every mapping keeps its range at random maturities of all
 * three stages. */
static void test_all_coefficients_at_once(void **state)
{
	struct cd_params *p = st_make_params();
	int accepted = 0;

	(void)state;
	for (int round_ = 0; round_ < 2000; round_++) {
		const struct stage_map *bad;
		double at, v;
		int k;

		for (k = 0; k < STAGE_N_MAPS; k++) {
			const struct stage_map *m = &stage_maps[k];
			/* Half the rounds change one coefficient only, which
			 * must pass. */
			int one = round_ % 2;
			*st_field_at(p, m->base) =
				one ? stages_field(m, m->base_name)->def
				    : draw(stages_field(m, m->base_name));
			*st_field_at(p, m->slope) =
				draw(stages_field(m, m->slope_name));
		}
		bad = stages_check(p, &at, &v);
		for (k = 0; k < STAGE_N_MAPS && &stage_maps[k] != bad; k++)
			assert_true(ends_in_range(p, &stage_maps[k]));
		if (bad) {
			assert_false(ends_in_range(p, bad));
			assert_true(round_ % 2 == 0);
			continue;
		}
		accepted++;
		for (int i = 0; i < 20; i++) {
			st_set_maturities(p, uniform(), uniform(), uniform());
			if (i == 0)
				st_set_maturities(p, 0, 1, 0);
			stages_derive(p, NULL);
			for (k = 0; k < STAGE_N_MAPS; k++) {
				const struct stage_map *m = &stage_maps[k];
				const struct schema_field *f =
					stages_field(m, m->name);
				double x = st_get(p, m->derived);
				if (!(x >= f->min && x <= f->max))
					fail_msg("%s.%s = %.17g out of range",
						 cd_stage_names[m->stage],
						 m->name, x);
				/* What follows from it stays in range too. */
				assert_true(p->segments[0].share_rate >= 0 &&
					    p->segments[0].share_rate <= 1);
			}
		}
	}
	assert_true(accepted >= 1000);
	free(p);
}

/* ---- the loader, describe, the timeline and sweeps --------------------- */

/* A small scenario of 3 lines: a line appended to it is line 4. */
#define SMALL                                                                  \
	"days = 30; warmup_days = 0;\n"                                        \
	"segments = { gov = { kind = \"government\"; count = 2; }; firms = { " \
	"kind = \"corporation\"; count = 10; }; };\n"                          \
	"attackers = { apt = { type = \"state\"; objective = \"espionage\"; "  \
	"targets = { gov = 1.0; firms = 0.5; }; }; };\n"

static struct cd_scenario *load_ok(const char *text, const char *const *sets,
				   int n_sets)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_string(&sc, "st.cfg", text, sets, n_sets, &d);
	if (rc)
		fail_msg("refused: %s", d.msg);
	return sc;
}

/* Loads text with the --set texts: refused with CD_EINVAL, a one-line
 * message holding every fragment of the NULL-terminated list. */
static void load_bad(const char *text, const char *const *sets, int n_sets, ...)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	va_list ap;
	const char *frag;
	int rc = scenario_load_string(&sc, "st.cfg", text, sets, n_sets, &d);

	scenario_destroy(sc);
	if (rc != CD_EINVAL)
		fail_msg("status %d, want CD_EINVAL: %s", rc, d.msg);
	if (strchr(d.msg, '\n'))
		fail_msg("not one line: %s", d.msg);
	va_start(ap, n_sets);
	while ((frag = va_arg(ap, const char *)))
		if (!strstr(d.msg, frag))
			fail_msg("message lacks \"%s\":\n    %s", frag, d.msg);
	va_end(ap);
}

/* Coefficients given in the file, by overrides and by --set are the ones
 * the mappings use. */
static void test_loader_uses_coefficients(void **state)
{
	const char *sets[] = {"wos.reciprocity_slope=-0.2",
			      "wog.latency_days_slope=4"};
	struct cd_scenario *sc;

	(void)state;
	sc = load_ok(SMALL "won = { maturity = 0.5; share_rate_base = 0.1;\n"
			   "  share_rate_slope = 0.5; };\n"
			   "wos = { maturity = 0.25; };\n"
			   "wog = { maturity = 0.5; };\n"
			   "overrides = { won = { relay_base = 0.0; }; };\n",
		     sets, 2);
	st_check_close(sc->p.won.share_rate, 0.1 + 0.5 * 0.5, "won.share_rate");
	/* By the file's order: gov, then firms (load/canon.c). */
	st_check_close(sc->p.segments[sc->p.segment_order[1]].share_rate, 0.35,
		       "firms share_rate");
	st_check_close(sc->p.segments[sc->p.segment_order[0]].share_rate,
		       0.4 + 0.55 * 0.5, "gov share_rate");
	st_check_close(sc->p.won.relay, 0 + 0.75 * 0.5, "won.relay");
	st_check_close(sc->p.wos.reciprocity, 0.8 - 0.2 * 0.25,
		       "wos.reciprocity");
	st_check_close(sc->p.wog.latency_days, round(1 + 4 * 0.5),
		       "wog.latency_days");
	/* An explicit value still wins over its coefficients. */
	scenario_destroy(sc);
	sc = load_ok(SMALL "won = { maturity = 0.5; share_rate = 0.7;\n"
			   "  share_rate_slope = 0.1; };\n",
		     NULL, 0);
	st_check_close(sc->p.won.share_rate, 0.7, "explicit won.share_rate");
	scenario_destroy(sc);
}

/* Two coefficients that together take the setting out of its range at
 * some maturity are refused, naming where the one set last was set, the
 * coefficient, the derived setting and what is allowed. */
static void test_loader_refuses_combinations(void **state)
{
	(void)state;
	/* In the file: the later line is blamed. */
	load_bad(SMALL "won = {\n"
		       "  share_rate_base = 0.35;\n"
		       "  share_rate_slope = 0.67;\n"
		       "};\n",
		 NULL, 0, "st.cfg:6: ", "won.share_rate_slope: ",
		 "won.share_rate = 0.35 + 0.67 m reaches 1.02 at maturity 1",
		 "outside [0, 1]",
		 "allowed: won.share_rate_slope in [-0.33, 0.65] with "
		 "won.share_rate_base = 0.35",
		 "at every maturity in [0, 1]", NULL);
	load_bad(SMALL "wos = { reciprocity_slope = -0.7;\n"
		       "  reciprocity_base = 0.6; };\n",
		 NULL, 0, "st.cfg:5: ", "wos.reciprocity_base: ",
		 "wos.reciprocity = 0.6 - 0.7 m reaches -0.1 at maturity 1",
		 "allowed: wos.reciprocity_base in [0.7, 1] with "
		 "wos.reciprocity_slope = -0.7",
		 NULL);
	/* A latency leaves its range at maturity 0. */
	load_bad(SMALL "wog = { latency_days_base = 352; };\n"
		       "overrides = { wog = { latency_days_slope = 20; }; };\n",
		 NULL, 0, "st.cfg:5: ", "wog.latency_days_slope: ",
		 "wog.latency_days = round(352 + 20 (1 - m)) reaches 372 at "
		 "maturity 0",
		 "outside [0, 365]", "wog.latency_days_slope in [-1, 13]",
		 NULL);
	/* By --set: the last --set of the two is blamed, over the file. */
	{
		const char *sets[] = {"won.relay_slope=0.8",
				      "won.relay_base=0.25"};
		load_bad(SMALL, sets, 2, "--set won.relay_base=0.25: ",
			 "won.relay_base: ", "won.relay = 0.25 + 0.8 m",
			 "won.relay_base in [0, 0.2]", NULL);
		load_bad(SMALL "won = { relay_base = 0.25; };\n", sets, 1,
			 "--set won.relay_slope=0.8: ", "won.relay_slope: ",
			 NULL);
	}
	/* Even when the derived setting is given explicitly: a mapping must
	 * hold at every maturity (a timeline may change the maturity). */
	load_bad(SMALL "won = { relay = 0.5; relay_base = 0.25;\n"
		       "  relay_slope = 0.8; };\n",
		 NULL, 0, "st.cfg:5: ", "won.relay_slope", NULL);
}

/* A timeline event may set coefficients: they apply from its day (the
 * world re-derives), and a combination it makes out of range is refused
 * at the event's line. */
static void test_timeline_coefficients(void **state)
{
	struct cd_scenario *sc;
	sim_world *w = NULL;

	(void)state;
	load_bad(SMALL
		 "won = { share_rate_base = 0.35; };\n"
		 "timeline = (\n"
		 "  { day = 3; set = { wog = { relay_slope = 0.1; }; }; },\n"
		 "  { day = 5; set = { won = { share_rate_slope = 0.67; "
		 "}; }; }\n"
		 ");\n",
		 NULL, 0,
		 "st.cfg:7: ", "timeline[1]: after it, won.share_rate_slope: ",
		 "won.share_rate = 0.35 + 0.67 m reaches 1.02 at maturity 1",
		 NULL);
	sc = load_ok(SMALL "won = { maturity = 0.4; };\n"
			   "timeline = ( { day = 3; set = { won = {\n"
			   "  share_rate_slope = 0.5; }; }; } );\n",
		     NULL, 0);
	assert_int_equal(
		sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 1), 0);
	for (int day = 0; day < 4; day++) {
		const struct cd_params *q = sim_world_params(w);
		/* The event of day 3 applies as day 3 is simulated. */
		double want = day <= 3 ? 0.33 + 0.65 * 0.4 : 0.33 + 0.5 * 0.4;
		st_check_close(q->won.share_rate, want, "won.share_rate");
		st_check_close(q->segments[q->segment_order[1]].share_rate,
			       want, "firms share_rate");
		assert_int_equal(sim_world_step(w), 0);
	}
	st_check_close(sim_world_params(w)->won.share_rate, 0.33 + 0.5 * 0.4,
		       "won.share_rate after day 3");
	sim_world_destroy(w);
	scenario_destroy(sc);
}

/* describe shows each coefficient with its origin, and each mapped
 * setting with its mapping read from the coefficients in force. */
static void test_describe(void **state)
{
	const char *sets[] = {"wos.reciprocity_base=0.9"};
	struct cd_scenario *sc;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	sc = load_ok(SMALL "won = { maturity = 0.5;\n"
			   "  share_rate_slope = 0.5; # calibrated\n"
			   "};\n",
		     sets, 1);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	scenario_describe(sc, f);
	assert_int_equal(fclose(f), 0);
	static const char *const want[][2] = {
		{"won.share_rate_slope ", "= 0.5 "},
		{"won.share_rate_slope ", "# st.cfg:5: calibrated"},
		{"won.share_rate_base ", "# default"},
		{"won.share_rate ", "= 0.58 "},
		{"won.share_rate ", "# derived: won.share_rate_base + "
				    "won.share_rate_slope m = 0.33 + 0.5 m, "
				    "m = won.maturity = 0.5"},
		{"wos.reciprocity_base ", "# --set wos.reciprocity_base=0.9"},
		{"wos.reciprocity ", "# derived: wos.reciprocity_base + "
				     "wos.reciprocity_slope m = 0.9 - 0.6 m, "
				     "m = wos.maturity = 0"},
		{"wog.latency_days ",
		 "# derived: round(wog.latency_days_base + "
		 "wog.latency_days_slope (1 - m)) = round(1 + 13 (1 - m)), "
		 "m = wog.maturity = 0"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const char *line = text;
		int found = 0;
		while (line && *line && !found) {
			const char *end = strchr(line, '\n');
			size_t n = end ? (size_t)(end - line) : strlen(line);
			char buf[1024];
			snprintf(buf, sizeof buf, "%.*s", (int)n, line);
			found = !strncmp(buf, want[i][0], strlen(want[i][0])) &&
				strstr(buf, want[i][1]);
			line = end ? end + 1 : NULL;
		}
		if (!found)
			fail_msg("describe has no line %s...%s:\n%s",
				 want[i][0], want[i][1], text);
	}
	free(text);
	scenario_destroy(sc);
}

/* Sweeps reach the coefficients: a grid over a slope runs, and a point
 * whose coefficients leave the range is refused before anything runs,
 * naming the point's setting. */
static void test_sweep_coefficients(void **state)
{
	char dir[512], path[600], out[600];
	struct ts_proc pr;
	FILE *f;

	(void)state;
	assert_int_equal(ts_make_tmpdir(dir, sizeof dir, "cd-stages"), 0);
	ts_path_join(path, sizeof path, dir, "small.cfg");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(ts_small_scenario, f);
	assert_int_equal(fclose(f), 0);
	ts_path_join(out, sizeof out, dir, "out");
	{
		const char *argv[] = {CYBERDEF_BIN,
				      "sweep",
				      path,
				      "--vary",
				      "won.share_rate_slope=0:0.6:0.3",
				      "--set",
				      "won.share_rate_base=0.1",
				      "--reps",
				      "1",
				      "--jobs",
				      "2",
				      "--quiet",
				      "--out",
				      out,
				      NULL};
		ts_run(&pr, NULL, argv);
		if (!pr.exited || pr.status != 0)
			fail_msg("sweep failed (%d): %s", pr.status, pr.err);
		ts_proc_free(&pr);
	}
	ts_path_join(out, sizeof out, dir, "out2");
	{
		const char *argv[] = {CYBERDEF_BIN,
				      "sweep",
				      path,
				      "--vary",
				      "won.share_rate_slope=0.5,0.67",
				      "--set",
				      "won.share_rate_base=0.35",
				      "--reps",
				      "1",
				      "--quiet",
				      "--out",
				      out,
				      NULL};
		ts_run(&pr, NULL, argv);
		assert_true(pr.exited);
		assert_int_equal(pr.status, 2);
		if (!strstr(pr.err, "--set won.share_rate_slope=0.67: "
				    "won.share_rate_slope: won.share_rate = "
				    "0.35 + 0.67 m reaches 1.02"))
			fail_msg("unexpected message: %s", pr.err);
		ts_proc_free(&pr);
	}
	assert_int_equal(ts_rm_rf(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coefficient_ranges_widest),
		cmocka_unit_test(test_any_coefficients),
		cmocka_unit_test(test_all_coefficients_at_once),
		cmocka_unit_test(test_loader_uses_coefficients),
		cmocka_unit_test(test_loader_refuses_combinations),
		cmocka_unit_test(test_timeline_coefficients),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_sweep_coefficients),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
