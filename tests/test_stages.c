/* Tests for stages: the maturity mappings of stages.h. With today's
 * coefficients (the schema's defaults), checked over a grid of maturities
 * for every stage: values equal the documented formulas, stay within
 * their schema ranges, move monotonically with their own stage's
 * maturity and ignore the others'. The library's table of mappings names
 * the schema's settings and their coefficients. Then what derives from
 * them: links, bodies and segments; and explicit settings, which always
 * win. Any allowed coefficients, the loader, describe and sweeps are in
 * test_stages_any.c.
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

#define GRID 20 /* maturities 0, 1/20, ..., 1 */

/* One documented mapping: value = a + b m, or round(a + b (1 - m)) for
 * latencies, where m is the maturity of `stage`. */
struct mapping {
	const char *field; /* in the section of `stage` */
	size_t offset;
	int stage;
	double a, b;
	int latency;	/* the round(a + b (1 - m)) form */
	int decreasing; /* documented as non-increasing in m */
};

static const struct mapping maps[] = {
	{"relay", OFF(wog.relay), CD_STAGE_WOG, 0.3, 0.7, 0, 0},
	{"lateral_relay", OFF(wog.lateral_relay), CD_STAGE_WOG, 0.05, 0.45, 0,
	 0},
	{"latency_days", OFF(wog.latency_days), CD_STAGE_WOG, 1, 13, 1, 1},
	{"national_monitoring", OFF(wog.national_monitoring), CD_STAGE_WOG,
	 0.002, 0.018, 0, 0},
	{"gov_share_rate", OFF(wog.gov_share_rate), CD_STAGE_WOG, 0.4, 0.55, 0,
	 0},
	{"share_rate", OFF(won.share_rate), CD_STAGE_WON, 0.33, 0.65, 0, 0},
	{"framework", OFF(won.framework), CD_STAGE_WON, 0.4, 0.6, 0, 0},
	{"isac_coverage", OFF(won.isac_coverage), CD_STAGE_WON, 0.2, 0.8, 0, 0},
	{"relay", OFF(won.relay), CD_STAGE_WON, 0.2, 0.75, 0, 0},
	{"latency_days", OFF(won.latency_days), CD_STAGE_WON, 1, 9, 1, 1},
	{"hygiene_uplift", OFF(won.hygiene_uplift), CD_STAGE_WON, 0, 0.3, 0, 0},
	{"partner_inflow", OFF(wos.partner_inflow), CD_STAGE_WOS, 0.1, 0.9, 0,
	 0},
	{"relay", OFF(wos.relay), CD_STAGE_WOS, 0.2, 0.7, 0, 0},
	{"latency_days", OFF(wos.latency_days), CD_STAGE_WOS, 1, 6, 1, 1},
	{"reciprocity", OFF(wos.reciprocity), CD_STAGE_WOS, 0.8, -0.6, 0, 1},
	{"deterrence", OFF(wos.deterrence), CD_STAGE_WOS, 0, 0.5, 0, 0},
};

static double documented(const struct mapping *m, double maturity)
{
	if (m->latency)
		return round(m->a + m->b * (1 - maturity));
	return m->a + m->b * maturity;
}

/* Every derived field of the stage sections is in the table above, so
 * a new mapping cannot go untested. */
static void test_table_covers_schema(void **state)
{
	int s, i, k, found;

	(void)state;
	for (s = CD_STAGE_WOG; s <= CD_STAGE_WOS; s++) {
		const char *section = cd_stage_names[s];
		const struct schema_table *t =
			schema_find(&schema_root, section)->sub;

		for (i = 0; i < t->n_fields; i++) {
			if (!(t->fields[i].flags & SCHEMA_DERIVED))
				continue;
			found = 0;
			for (k = 0; k < N_OF(maps); k++)
				if (!strcmp(cd_stage_names[maps[k].stage],
					    section) &&
				    !strcmp(maps[k].field, t->fields[i].name)) {
					assert_int_equal(
						t->base + t->fields[i].offset,
						maps[k].offset);
					found = 1;
				}
			if (!found)
				fail_msg("%s.%s is derived but not tested",
					 section, t->fields[i].name);
		}
	}
	for (k = 0; k < N_OF(maps); k++)
		assert_true(st_schema_field(cd_stage_names[maps[k].stage],
					    maps[k].field)
				    ->flags &
			    SCHEMA_DERIVED);
}

/* The library's table of mappings (stage_maps) is the documented one, in
 * the same order, and names settings of the schema at its offsets: the
 * derived setting and its two coefficients, X_base and X_slope. Every
 * X_base or X_slope of a stage section belongs to a mapping. */
static void test_map_table_matches_schema(void **state)
{
	(void)state;
	assert_int_equal(STAGE_N_MAPS, N_OF(maps));
	for (int k = 0; k < STAGE_N_MAPS; k++) {
		const struct stage_map *m = &stage_maps[k];
		const struct schema_table *t =
			schema_find(&schema_root, cd_stage_names[m->stage])
				->sub;
		const struct schema_field *f = stages_field(m, m->name);
		const struct schema_field *b = stages_field(m, m->base_name);
		const struct schema_field *s = stages_field(m, m->slope_name);
		char name[64];

		assert_string_equal(m->name, maps[k].field);
		assert_int_equal(m->stage, maps[k].stage);
		assert_int_equal(m->form == STAGE_LATENCY, maps[k].latency);
		assert_non_null(f);
		assert_non_null(b);
		assert_non_null(s);
		assert_int_equal(m->derived, maps[k].offset);
		assert_int_equal(m->derived, t->base + f->offset);
		assert_int_equal(m->base, t->base + b->offset);
		assert_int_equal(m->slope, t->base + s->offset);
		assert_int_equal(m->maturity,
				 t->base + schema_find(t, "maturity")->offset);
		snprintf(name, sizeof name, "%s_base", m->name);
		assert_string_equal(m->base_name, name);
		snprintf(name, sizeof name, "%s_slope", m->name);
		assert_string_equal(m->slope_name, name);
		assert_int_equal(b->type, SCHEMA_REAL);
		assert_int_equal(s->type, SCHEMA_REAL);
		assert_int_equal(b->flags, 0);
		assert_int_equal(s->flags, 0);
		assert_string_equal(b->unit, f->unit);
		assert_string_equal(s->unit, f->unit);
	}
	for (int st = CD_STAGE_WOG; st <= CD_STAGE_WOS; st++) {
		const struct schema_table *t =
			schema_find(&schema_root, cd_stage_names[st])->sub;
		for (int i = 0; i < t->n_fields; i++) {
			const char *nm = t->fields[i].name;
			size_t len = strlen(nm);
			int found = 0;
			if (!(len > 5 && !strcmp(nm + len - 5, "_base")) &&
			    !(len > 6 && !strcmp(nm + len - 6, "_slope")))
				continue;
			for (int k = 0; k < STAGE_N_MAPS; k++)
				found |=
					stage_maps[k].stage == st &&
					(!strcmp(stage_maps[k].base_name, nm) ||
					 !strcmp(stage_maps[k].slope_name, nm));
			if (!found)
				fail_msg("%s.%s is no mapping's coefficient",
					 cd_stage_names[st], nm);
		}
	}
}

/* The coefficients' defaults are today's documented constants exactly,
 * so that outputs stay what they were. */
static void test_default_coefficients(void **state)
{
	(void)state;
	for (int k = 0; k < STAGE_N_MAPS; k++) {
		const struct stage_map *m = &stage_maps[k];
		if (stages_field(m, m->base_name)->def != maps[k].a ||
		    stages_field(m, m->slope_name)->def != maps[k].b)
			fail_msg("%s.%s: default coefficients %.17g, %.17g; "
				 "documented %.17g, %.17g",
				 cd_stage_names[maps[k].stage], m->name,
				 stages_field(m, m->base_name)->def,
				 stages_field(m, m->slope_name)->def, maps[k].a,
				 maps[k].b);
	}
}

/* Over the whole grid: each value equals its documented formula and lies
 * within its schema range (probabilities in [0,1], latencies >= 0). */
static void test_grid_formula_and_range(void **state)
{
	struct cd_params *p = st_make_params();
	int g, n, s, k;

	(void)state;
	for (g = 0; g <= GRID; g++)
		for (n = 0; n <= GRID; n++)
			for (s = 0; s <= GRID; s++) {
				st_set_maturities(p, g / (double)GRID,
						  n / (double)GRID,
						  s / (double)GRID);
				stages_derive(p, NULL);
				for (k = 0; k < N_OF(maps); k++) {
					const struct mapping *m = &maps[k];
					const struct schema_field *f =
						st_schema_field(
							cd_stage_names
								[m->stage],
							m->field);
					double v = st_get(p, m->offset);

					if (!(v >= f->min && v <= f->max) ||
					    !isfinite(v))
						fail_msg("%s.%s = %.17g at "
							 "maturities (%d, %d, "
							 "%d)/%d: outside [%g, "
							 "%g]",
							 cd_stage_names
								 [m->stage],
							 m->field, v, g, n, s,
							 GRID, f->min, f->max);
					if (m->latency)
						assert_true(v >= 0 &&
							    v == floor(v));
					else
						assert_true(v >= 0 && v <= 1);
					st_check_close(
						v,
						documented(
							m,
							st_maturity_of(
								p, m->stage)),
						m->field);
				}
			}
	free(p);
}

/* Each mapping is monotone in its own stage's maturity (non-decreasing,
 * latencies and wos.reciprocity non-increasing), and does not depend on
 * the other stages' maturities. */
static void test_grid_monotone(void **state)
{
	struct cd_params *p = st_make_params();
	double mats[3], prev[N_OF(maps)], first[N_OF(maps)];
	int own, o1, o2, i, k;

	(void)state;
	for (own = 0; own < 3; own++)
		for (o1 = 0; o1 <= GRID; o1 += 5)
			for (o2 = 0; o2 <= GRID; o2 += 5)
				for (i = 0; i <= GRID; i++) {
					/* own stage runs over the grid, the
					 * two others are held fixed. */
					mats[own] = i / (double)GRID;
					mats[(own + 1) % 3] = o1 / (double)GRID;
					mats[(own + 2) % 3] = o2 / (double)GRID;
					st_set_maturities(p, mats[0], mats[1],
							  mats[2]);
					stages_derive(p, NULL);
					for (k = 0; k < N_OF(maps); k++) {
						const struct mapping *m =
							&maps[k];
						double v = st_get(p, m->offset);

						if (m->stage != own + 1)
							continue;
						if (i > 0 &&
						    (m->decreasing
							     ? v > prev[k]
							     : v < prev[k]))
							fail_msg(
								"%s.%s not "
								"monotone at "
								"m = %d/%d: "
								"%.17g after "
								"%.17g",
								cd_stage_names
									[m->stage],
								m->field, i,
								GRID, v,
								prev[k]);
						prev[k] = v;
					}
				}
	/* Independence: at each own maturity, the value is the same for all
	 * maturities of the other stages. */
	for (own = 0; own < 3; own++)
		for (i = 0; i <= GRID; i++)
			for (o1 = 0; o1 <= GRID; o1 += 4)
				for (o2 = 0; o2 <= GRID; o2 += 4) {
					mats[own] = i / (double)GRID;
					mats[(own + 1) % 3] = o1 / (double)GRID;
					mats[(own + 2) % 3] = o2 / (double)GRID;
					st_set_maturities(p, mats[0], mats[1],
							  mats[2]);
					stages_derive(p, NULL);
					for (k = 0; k < N_OF(maps); k++) {
						if (maps[k].stage != own + 1)
							continue;
						if (o1 == 0 && o2 == 0)
							first[k] = st_get(
								p,
								maps[k].offset);
						else if (
							st_get(p,
							       maps[k].offset) !=
							first[k])
							fail_msg(
								"%s.%s depends "
								"on another "
								"stage",
								cd_stage_names
									[maps[k].stage],
								maps[k].field);
					}
				}
	/* And the ends differ: each mapping does move with its maturity. */
	st_set_maturities(p, 0, 0, 0);
	stages_derive(p, NULL);
	for (k = 0; k < N_OF(maps); k++)
		first[k] = st_get(p, maps[k].offset);
	st_set_maturities(p, 1, 1, 1);
	stages_derive(p, NULL);
	for (k = 0; k < N_OF(maps); k++)
		if (maps[k].decreasing
			    ? !(st_get(p, maps[k].offset) < first[k])
			    : !(st_get(p, maps[k].offset) > first[k]))
			fail_msg("%s.%s does not move the documented way",
				 cd_stage_names[maps[k].stage], maps[k].field);
	free(p);
}

/* The values the header quotes: Gady's 30.4% and 64.7% (of all firms:
 * the framework share times the share rate of firms with one), and the
 * rounding of latencies. */
static void test_documented_points(void **state)
{
	struct cd_params *p = st_make_params();

	(void)state;
	st_set_maturities(p, 0.5, 0.3, 1.0);
	stages_derive(p, NULL);
	st_check_close(p->won.framework * p->won.share_rate, 0.3045,
		       "won.framework x won.share_rate at 0.3");
	st_check_close(p->wog.latency_days, 8, "wog.latency_days at 0.5");
	st_check_close(p->won.latency_days, 7, "won.latency_days at 0.3");
	st_check_close(p->wos.latency_days, 1, "wos.latency_days at 1");
	st_check_close(p->wos.reciprocity, 0.2, "wos.reciprocity at 1");
	st_check_close(p->wos.deterrence, 0.5, "wos.deterrence at 1");
	st_set_maturities(p, 0, 0.7, 0);
	stages_derive(p, NULL);
	st_check_close(p->won.framework * p->won.share_rate, 0.6437,
		       "won.framework x won.share_rate at 0.7");
	st_check_close(p->wog.latency_days, 14, "wog.latency_days at 0");
	st_check_close(p->wos.latency_days, 7, "wos.latency_days at 0");
	st_check_close(p->wog.national_monitoring, 0.002,
		       "wog.national_monitoring at 0");
	free(p);
}

/* Links and bodies take their stage's relay and latency; stage "none"
 * keeps its own (the schema defaults, 1 and 1 day); sector bodies take
 * won.isac_coverage; segments take won.share_rate or, when government,
 * wog.gov_share_rate, and won.framework when corporations, else 1. */
static void test_links_bodies_segments(void **state)
{
	struct cd_params *p = st_make_params();
	int g, n, s, i;

	(void)state;
	/* The defaults "none" keeps. */
	assert_true(p->links[3].relay == 1.0);
	assert_true(p->links[3].latency_days == 1.0);
	assert_true(p->bodies[3].latency_days == 1.0);
	assert_true(p->bodies[3].coverage_scale == 1.0);
	for (g = 0; g <= GRID; g += 4)
		for (n = 0; n <= GRID; n += 4)
			for (s = 0; s <= GRID; s += 4) {
				st_set_maturities(p, g / (double)GRID,
						  n / (double)GRID,
						  s / (double)GRID);
				stages_derive(p, NULL);
				assert_true(p->links[0].relay == p->wog.relay);
				assert_true(p->links[0].latency_days ==
					    p->wog.latency_days);
				assert_true(p->links[1].relay == p->won.relay);
				assert_true(p->links[1].latency_days ==
					    p->won.latency_days);
				assert_true(p->links[2].relay == p->wos.relay);
				assert_true(p->links[2].latency_days ==
					    p->wos.latency_days);
				assert_true(p->links[3].relay == 1.0);
				assert_true(p->links[3].latency_days == 1.0);

				assert_true(p->bodies[0].latency_days ==
					    p->wog.latency_days);
				assert_true(p->bodies[1].latency_days ==
					    p->won.latency_days);
				assert_true(p->bodies[2].latency_days == 1.0);
				assert_true(p->bodies[3].latency_days == 1.0);
				assert_true(p->bodies[4].latency_days ==
					    p->wos.latency_days);
				/* Sector bodies only. */
				assert_true(p->bodies[1].coverage_scale ==
					    p->won.isac_coverage);
				assert_true(p->bodies[2].coverage_scale ==
					    p->won.isac_coverage);
				for (i = 0; i < p->n_bodies; i++)
					if (p->bodies[i].kind != CD_BODY_SECTOR)
						assert_true(
							p->bodies[i]
								.coverage_scale ==
							1.0);

				for (i = 0; i < p->n_segments; i++) {
					const struct cd_segment *sg =
						&p->segments[i];
					assert_true(
						sg->share_rate ==
						(sg->kind == CD_KIND_GOVERNMENT
							 ? p->wog.gov_share_rate
							 : p->won.share_rate));
					assert_true(
						sg->framework ==
						(sg->kind == CD_KIND_CORPORATION
							 ? p->won.framework
							 : 1.0));
				}
			}
	/* Elements beyond the counts are left alone. */
	p->links[p->n_links].relay = 0.123;
	p->segments[p->n_segments].share_rate = 0.123;
	stages_derive(p, NULL);
	assert_true(p->links[p->n_links].relay == 0.123);
	assert_true(p->segments[p->n_segments].share_rate == 0.123);
	free(p);
}

/* A field marked in `set` keeps its value; its neighbours are derived. */
static void test_explicit_stage_fields_win(void **state)
{
	struct cd_params *p = st_make_params();
	unsigned char *set = calloc(1, sizeof(*p));
	int k, j;

	(void)state;
	assert_non_null(set);
	for (k = 0; k < N_OF(maps); k++) {
		memset(set, 0, sizeof(*p));
		set[maps[k].offset] = 1;
		st_set_maturities(p, 0.25, 0.5, 0.75);
		*st_field_at(p, maps[k].offset) = 0.4321;
		stages_derive(p, set);
		if (st_get(p, maps[k].offset) != 0.4321)
			fail_msg("explicit %s.%s was overwritten",
				 cd_stage_names[maps[k].stage], maps[k].field);
		for (j = 0; j < N_OF(maps); j++)
			if (j != k)
				st_check_close(
					st_get(p, maps[j].offset),
					documented(&maps[j],
						   st_maturity_of(
							   p, maps[j].stage)),
					maps[j].field);
	}
	/* What follows from an explicit stage value uses it. */
	memset(set, 0, sizeof(*p));
	set[OFF(won.share_rate)] = 1;
	set[OFF(wog.gov_share_rate)] = 1;
	set[OFF(wog.relay)] = 1;
	set[OFF(won.latency_days)] = 1;
	set[OFF(won.isac_coverage)] = 1;
	p->won.share_rate = 0.647;
	p->wog.gov_share_rate = 0.111;
	p->wog.relay = 0.222;
	p->won.latency_days = 33;
	p->won.isac_coverage = 0.333;
	stages_derive(p, set);
	assert_true(p->segments[0].share_rate == 0.111);
	assert_true(p->segments[1].share_rate == 0.647);
	assert_true(p->segments[2].share_rate == 0.647);
	assert_true(p->links[0].relay == 0.222);
	assert_true(p->links[1].latency_days == 33);
	assert_true(p->bodies[1].latency_days == 33);
	assert_true(p->bodies[1].coverage_scale == 0.333);
	free(set);
	free(p);
}

/* Explicit link, body and segment fields win over their stage. */
static void test_explicit_elements_win(void **state)
{
	struct cd_params *p = st_make_params();
	unsigned char *set = calloc(1, sizeof(*p));

	(void)state;
	assert_non_null(set);
	st_set_maturities(p, 0.9, 0.9, 0.9);
	set[OFF(links[1].relay)] = 1;
	set[OFF(links[2].latency_days)] = 1;
	set[OFF(bodies[0].latency_days)] = 1;
	set[OFF(bodies[1].coverage_scale)] = 1;
	set[OFF(segments[0].share_rate)] = 1;
	set[OFF(segments[2].share_rate)] = 1;
	p->links[1].relay = 0.01;
	p->links[2].latency_days = 99;
	p->bodies[0].latency_days = 77;
	p->bodies[1].coverage_scale = 0.02;
	p->segments[0].share_rate = 0.03;
	p->segments[2].share_rate = 0.04;
	stages_derive(p, set);
	assert_true(p->links[1].relay == 0.01);
	assert_true(p->links[1].latency_days == p->won.latency_days);
	assert_true(p->links[2].latency_days == 99);
	assert_true(p->links[2].relay == p->wos.relay);
	assert_true(p->bodies[0].latency_days == 77);
	assert_true(p->bodies[1].coverage_scale == 0.02);
	assert_true(p->bodies[1].latency_days == p->won.latency_days);
	assert_true(p->bodies[2].coverage_scale == p->won.isac_coverage);
	assert_true(p->segments[0].share_rate == 0.03);
	assert_true(p->segments[3].share_rate == p->wog.gov_share_rate);
	assert_true(p->segments[2].share_rate == 0.04);
	assert_true(p->segments[1].share_rate == p->won.share_rate);
	/* Deriving again (as a timeline event would) changes nothing
	 * explicit. */
	st_set_maturities(p, 0.1, 0.1, 0.1);
	stages_derive(p, set);
	assert_true(p->links[1].relay == 0.01);
	assert_true(p->segments[0].share_rate == 0.03);
	assert_true(p->segments[1].share_rate == p->won.share_rate);
	st_check_close(p->won.share_rate, 0.33 + 0.65 * 0.1, "won.share_rate");
	free(set);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_covers_schema),
		cmocka_unit_test(test_map_table_matches_schema),
		cmocka_unit_test(test_default_coefficients),
		cmocka_unit_test(test_grid_formula_and_range),
		cmocka_unit_test(test_grid_monotone),
		cmocka_unit_test(test_documented_points),
		cmocka_unit_test(test_links_bodies_segments),
		cmocka_unit_test(test_explicit_stage_fields_win),
		cmocka_unit_test(test_explicit_elements_win),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
