/* Tests of params/hygiene.h: the mean solved from a segment's share of
 * organisations implementing measures properly (hygiene_proper)
 * reproduces the share, in closed form (gsl_cdf_beta_Q) and in the
 * model's own keyed draws; it rises with the share; the loader refuses a
 * segment that gives both the mean and the share; and --set, `overrides`
 * and timeline events re-derive the mean (the one of the pair assigned
 * last is in force).
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "load/scenario.h"
#include "loader.h"
#include "params/assign.h"
#include "params/hygiene.h"
#include "params/stages.h"
#include "state/orgs.h"
#include "world/world.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define OFF(field) offsetof(struct cd_params, field)

static const double shares[] = {0.001, 0.01, 0.135, 0.27, 0.5,
				0.59,  0.9,  0.99,  0.999};
static const double concs[] = {0.1, 1, 10, 100, 1e4, 1e6};
static const double thresholds[] = {0.01, 0.2, 0.5, 0.8, 0.99};

/* Over the schema's ranges: the solved mean is inside (0, 1) and its
 * share, by GSL directly, is the share asked for. The bisection ends at
 * adjacent doubles, so the error is that of gsl_cdf_beta_Q, which grows
 * with the concentration: under 1e-14 at c <= 10, 6e-14 at 100, 8e-12 at
 * 1e4 and 1.6e-9 at 1e6 over shares k/1000 (measured when this was
 * written); the tolerance 1e-13 + 1e-14 c is above each. */
static void test_mean_reproduces_share(void **state)
{
	(void)state;
	for (int i = 0; i < N_OF(shares); i++)
		for (int j = 0; j < N_OF(concs); j++)
			for (int k = 0; k < N_OF(thresholds); k++) {
				double s = shares[i], c = concs[j],
				       t = thresholds[k];
				double m = hygiene_mean_for(s, c, t);
				double q =
					gsl_cdf_beta_Q(t, m * c, (1 - m) * c);
				double tol = 1e-13 + 1e-14 * c;
				if (!(m > 0 && m < 1 && fabs(q - s) < tol))
					fail_msg("share %g, conc %g, threshold "
						 "%g: mean %.17g gives %.17g",
						 s, c, t, m, q);
				assert_true(fabs(hygiene_share(m, c, t) - q) <
					    1e-15);
			}
	/* The ends: the model's degenerate draws. */
	assert_true(hygiene_share(0, 10, 0.5) == 0);
	assert_true(hygiene_share(1, 10, 0.5) == 1);
	assert_true(hygiene_mean_for(0, 10, 0.5) == 0);
	assert_true(hygiene_mean_for(1, 10, 0.5) == 1);
	/* Beta(5, 5) is symmetric about 0.5. */
	assert_true(fabs(hygiene_mean_for(0.5, 10, 0.5) - 0.5) < 1e-12);
}

/* The mean rises strictly with the share at every concentration and
 * threshold, and with the threshold at a fixed share. */
static void test_mean_monotone(void **state)
{
	(void)state;
	for (int j = 0; j < N_OF(concs); j++)
		for (int k = 0; k < N_OF(thresholds); k++) {
			double c = concs[j], t = thresholds[k], last = 0;
			for (int n = 1; n < 1000; n++) {
				double m = hygiene_mean_for(n / 1000.0, c, t);
				if (!(m > last))
					fail_msg("conc %g, threshold %g: share "
						 "%g gives mean %.17g, not "
						 "above "
						 "%.17g",
						 c, t, n / 1000.0, m, last);
				last = m;
			}
		}
	for (int j = 0; j < N_OF(concs); j++) {
		double last = 0;
		for (int k = 0; k < N_OF(thresholds); k++) {
			double m =
				hygiene_mean_for(0.27, concs[j], thresholds[k]);
			assert_true(m > last);
			last = m;
		}
	}
}

#define N_ORGS 200000
static const char *draws_cfg =
	"days = 10; warmup_days = 0;\n"
	"segments = { firms = { kind = \"corporation\"; count = 200000;\n"
	"  hygiene_proper = 0.27; }; };\n"
	"attackers = { a = { type = \"criminal\"; objective = \"extortion\";\n"
	"  targets = { firms = 1.0; }; }; };\n";

/* The share of the segment's organisations whose keyed hygiene draw is
 * at or above the threshold, and the share hygiene_share predicts. */
static void keyed_share(const char *const *sets, int n_sets, double *seen,
			double *want)
{
	struct cd_scenario *s = ld_load_string_sets(draws_cfg, sets, n_sets);
	const struct cd_params *p = &s->p;
	cd_orgs *o = NULL;
	assert_int_equal(orgs_create(&o, p, 7), 0);
	orgs_refresh(o, p);
	uint32_t n = 0;
	for (uint32_t i = 0; i < N_ORGS; i++)
		n += orgs_hygiene(o, i, 0) >= p->won.proper_hygiene;
	*seen = n / (double)N_ORGS;
	*want = hygiene_share(hygiene_after_uplift(p, 0),
			      p->segments[0].hygiene_conc,
			      p->won.proper_hygiene);
	orgs_destroy(o);
	scenario_destroy(s);
}

/* 200,000 organisations' own draws: the share at or above the threshold
 * is the one asked for, within 4.5 binomial standard deviations
 * (sqrt(s (1 - s) / n), about 0.001: a false failure 1 in 150,000); and,
 * after guideline uplift, the share hygiene_share predicts, above it. */
static void test_keyed_draws_reproduce_share(void **state)
{
	(void)state;
	double seen, want;
	keyed_share(NULL, 0, &seen, &want);
	assert_true(fabs(want - 0.27) < 1e-10);
	double sd = sqrt(want * (1 - want) / N_ORGS);
	if (fabs(seen - want) > 4.5 * sd)
		fail_msg("no uplift: %.5f at or above, expected %.5f (sd %.5f)",
			 seen, want, sd);
	const char *const up[] = {"won.hygiene_uplift=0.3",
				  "won.proper_hygiene=0.6",
				  "segments.firms.hygiene_conc=4"};
	keyed_share(up, 3, &seen, &want);
	sd = sqrt(want * (1 - want) / N_ORGS);
	if (fabs(seen - want) > 4.5 * sd)
		fail_msg("uplift 0.3: %.5f at or above, expected %.5f (sd "
			 "%.5f)",
			 seen, want, sd);
	assert_true(want > 0.27 + 0.05);
}

/* A segment gives the mean or the share, not both: in its group, in
 * `overrides`, in a timeline event and by two --set options; the share
 * must be inside (0, 1), where a Beta has it. */
static void test_loader_refuses_both(void **state)
{
	(void)state;
	FAIL("days = 5;\n"
	     "segments = { s = { kind = \"corporation\"; count = 10;\n"
	     "  hygiene_mean = 0.3;\n"
	     "  hygiene_proper = 0.27; }; };\n" ATTACKERS,
	     "bad.cfg:4: segments.s.hygiene_proper: the segment also sets "
	     "hygiene_mean (line 3); allowed: one of hygiene_mean",
	     "hygiene_proper (the share of them at or above "
	     "won.proper_hygiene");
	FAIL(SMALL "overrides = { segments = { firms = {\n"
		   "  hygiene_proper = 0.27;\n"
		   "  hygiene_mean = 0.3; }; }; };\n",
	     "bad.cfg:22: segments.firms.hygiene_mean: the segment also sets "
	     "hygiene_proper (line 21); allowed: one of");
	FAIL(SMALL "timeline = ( { day = 3; set = { segments = { firms = {\n"
		   "  hygiene_mean = 0.3;\n"
		   "  hygiene_proper = 0.27; }; }; }; } );\n",
	     "bad.cfg:22: segments.firms.hygiene_proper: the segment also "
	     "sets hygiene_mean (line 21)");
	ld_fail_string(
		"bad.cfg", SMALL,
		(const char *const[]){"segments.firms.hygiene_mean=0.3",
				      "segments.firms.hygiene_proper=0.2"},
		2, CD_EINVAL,
		FRAGS("--set segments.firms.hygiene_proper=0.2: --set "
		      "segments.firms.hygiene_mean=0.3 gives the same "
		      "segment's hygiene_mean; allowed: one of "
		      "hygiene_mean and hygiene_proper"));
	FAIL_SET(SMALL, "segments.firms.hygiene_proper=1",
		 "--set segments.firms.hygiene_proper=1: "
		 "segments.firms.hygiene_proper: 1 is out of range; allowed: a "
		 "number in [0.001, 0.999]");
	FAIL(SMALL "overrides = { segments = { gov = { hygiene_proper = 0; "
		   "}; }; };\n",
	     "bad.cfg:20: segments.gov.hygiene_proper: 0 is out of range; "
	     "allowed: a number in [0.001, 0.999]");
	FAIL(SMALL "won = { proper_hygiene = 1.0; };\n",
	     "bad.cfg:20: won.proper_hygiene: 1 is out of range; allowed: a "
	     "number in [0.01, 0.99]");
}

/* The mean of segment firms of s, and whether its share is in force. */
static double mean_of(const struct cd_scenario *s, int *proper)
{
	*proper = hygiene_proper_in_force(&s->p, s->set, FIRMS);
	return s->p.segments[FIRMS].hygiene_mean;
}

#define WITH_SHARE(v)                                                     \
	"days = 100; warmup_days = 0;\n"                                  \
	"segments = {\n"                                                  \
	"  gov = { kind = \"government\"; count = 2; };\n"                \
	"  firms = { kind = \"corporation\"; count = 10; hygiene_proper " \
	"= " v "; };\n"                                                   \
	"};\n" ATTACKERS BODIES LINKS

/* --set and `overrides`: the later of the mean and the share is in force,
 * and the mean follows the share, its concentration and the threshold. */
static void test_set_rederives(void **state)
{
	(void)state;
	int proper;
	struct cd_scenario *s = ld_load_string(WITH_SHARE("0.27"));
	assert_true(mean_of(s, &proper) == hygiene_mean_for(0.27, 10, 0.5));
	assert_true(proper);
	scenario_destroy(s);
	const char *const share[] = {"segments.firms.hygiene_proper=0.59",
				     "segments.firms.hygiene_conc=4",
				     "won.proper_hygiene=0.4"};
	s = ld_load_string_sets(WITH_SHARE("0.27"), share, 3);
	assert_true(mean_of(s, &proper) == hygiene_mean_for(0.59, 4, 0.4));
	assert_true(proper &&
		    s->origin[OFF(segments[FIRMS].hygiene_mean)] == 0);
	scenario_destroy(s);
	/* The mean by --set displaces the file's share, */
	s = ld_load_string_sets(
		WITH_SHARE("0.27"),
		(const char *const[]){"segments.firms.hygiene_mean=0.3"}, 1);
	assert_true(mean_of(s, &proper) == 0.3);
	assert_false(proper);
	assert_int_equal(s->origin[OFF(segments[FIRMS].hygiene_proper)], 0);
	scenario_destroy(s);
	/* and the share by --set or `overrides` the file's mean. */
	s = ld_load_string_sets(
		SMALL,
		(const char *const[]){"segments.firms.hygiene_proper=0.4"}, 1);
	assert_true(mean_of(s, &proper) == hygiene_mean_for(0.4, 10, 0.5));
	assert_true(proper);
	scenario_destroy(s);
	s = ld_load_string(SMALL "overrides = { segments = { firms = { "
				 "hygiene_proper = 0.1; }; }; };\n");
	assert_true(mean_of(s, &proper) == hygiene_mean_for(0.1, 10, 0.5));
	scenario_destroy(s);
}

/* A timeline event of the share, then of the threshold, then of the
 * mean: after each, the mean in force in the running world. */
static void test_timeline_rederives(void **state)
{
	(void)state;
	struct cd_scenario *s = ld_load_string(WITH_SHARE(
		"0.27") "timeline = (\n"
			"  { day = 1; set = { segments = { firms = "
			"{ hygiene_proper = 0.59; }; }; }; },\n"
			"  { day = 2; set = { won = { proper_hygiene "
			"= 0.3; }; }; },\n"
			"  { day = 3; set = { segments = { firms = "
			"{ hygiene_mean = 0.2; }; }; }; },\n"
			"  { day = 4; set = { won = { proper_hygiene "
			"= 0.7; }; }; } );\n");
	const double want[] = {hygiene_mean_for(0.27, 10, 0.5),
			       hygiene_mean_for(0.59, 10, 0.5),
			       hygiene_mean_for(0.59, 10, 0.3), 0.2, 0.2};
	sim_world *w = NULL;
	assert_int_equal(sim_world_create(&w, &s->p, s->set, &s->timeline, 1),
			 0);
	for (int day = 0; day < 5; day++) {
		assert_int_equal(sim_world_step(w), 0);
		double m = sim_world_params(w)->segments[FIRMS].hygiene_mean;
		if (m != want[day])
			fail_msg("day %d: mean %.17g, expected %.17g", day, m,
				 want[day]);
	}
	sim_world_destroy(w);
	scenario_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mean_reproduces_share),
		cmocka_unit_test(test_mean_monotone),
		cmocka_unit_test(test_keyed_draws_reproduce_share),
		cmocka_unit_test(test_loader_refuses_both),
		cmocka_unit_test(test_set_rederives),
		cmocka_unit_test(test_timeline_rederives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
