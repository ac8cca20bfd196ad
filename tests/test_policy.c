/* Tests of the policy layer: the timeline, crisis escalation, the
 * workforce pool, and the statistical effects the model exists to show,
 * judged over paired replicates (both arms run at seeds 1..n, so they
 * share every draw their difference does not reach: common random
 * numbers) with the paired t test. REPS replicates, except where the
 * effect is small against its noise: state intrusions into government
 * number a few dozen a year, and their paired difference has a standard
 * deviation of about 17 against an effect of about 10 (measured over 30
 * seeds), so p < 0.001 with power 0.9 needs about
 * ((3.3 + 1.28) x 17 / 10)^2 = 61 pairs: REPS_STATE.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "analysis/output.h"
#include "analysis/run.h"
#include "load/scenario.h"
#include "analysis/stats.h"
#include "world/world.h"

#define REPS 30
#define REPS_STATE 80 /* the most any test runs */
#define ALPHA 0.001   /* two-sided significance of each effect test */

static struct cd_scenario *load_file(const char *name, const char *const *sets,
				     int n_sets)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/scenarios/%s", SOURCE_DIR, name);
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc = scenario_load_file(&sc, path, sets, n_sets, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	return sc;
}

static struct cd_scenario *load_text(const char *text, const char *const *sets,
				     int n_sets)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc =
		scenario_load_string(&sc, "inline.cfg", text, sets, n_sets, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	return sc;
}

/* Runs a scenario with seeds 1..n; stores summary column `col`. */
static void replicate_n(const struct cd_scenario *sc, int col, double *out,
			int n)
{
	for (int r = 0; r < n; r++) {
		struct cd_summary s;
		struct cd_diag d;
		assert_int_equal(
			cd_run(sc, (uint64_t)r + 1, NULL, &s, NULL, &d), 0);
		out[r] = s.v[col];
		assert_true(out[r] == out[r]); /* not NaN */
	}
}

/* Asserts that b's mean is below a's over the paired replicates,
 * significantly at alpha (paired t test). */
static void assert_lower_n(const char *what, const double *a, const double *b,
			   int n, double alpha)
{
	double scratch[REPS_STATE], diff;
	stats_summary sa, sb;
	stats_summarise(a, (size_t)n, scratch, &sa);
	stats_summarise(b, (size_t)n, scratch, &sb);
	double p = stats_paired_p(a, b, (size_t)n, &diff);
	printf("%s, %d pairs: %.2f (sd %.2f) -> %.2f (sd %.2f), paired "
	       "difference %.2f, p = %.3g\n",
	       what, n, sa.mean, sa.sd, sb.mean, sb.sd, diff, p);
	assert_true(diff < 0);
	assert_true(p < alpha);
}

static void replicate(const struct cd_scenario *sc, int col, double *out)
{
	replicate_n(sc, col, out, REPS);
}

static void assert_lower_at(const char *what, const double *a, const double *b,
			    double alpha)
{
	assert_lower_n(what, a, b, REPS, alpha);
}

static void assert_lower(const char *what, const double *a, const double *b)
{
	assert_lower_at(what, a, b, ALPHA);
}

/* Gady 2017: Japanese firms share at 30.4%, European and US ones at
 * 64.7%. More sharing should mean fewer corporate intrusions. */
static void test_sharing_lowers_corporate_intrusions(void **state)
{
	(void)state;
	const char *eu[] = {"won.share_rate=0.647"};
	struct cd_scenario *jp = load_file("japan_2017.cfg", NULL, 0);
	struct cd_scenario *us = load_file("japan_2017.cfg", eu, 1);
	double a[REPS], b[REPS];
	replicate(jp, CD_SUM_intrusions_corporate, a);
	replicate(us, CD_SUM_intrusions_corporate, b);
	assert_lower("corporate intrusions, 30.4% -> 64.7% sharing", a, b);
	scenario_destroy(jp);
	scenario_destroy(us);
}

/* Without the US umbrella (deterrence and intelligence), state attackers
 * should breach government more often. */
static void test_umbrella_withdrawn_raises_state_on_government(void **state)
{
	(void)state;
	struct cd_scenario *jp = load_file("japan_2017.cfg", NULL, 0);
	struct cd_scenario *no = load_file("umbrella_withdrawn.cfg", NULL, 0);
	double a[REPS_STATE], b[REPS_STATE];
	replicate_n(no, CD_SUM_intrusions_state_government, a, REPS_STATE);
	replicate_n(jp, CD_SUM_intrusions_state_government, b, REPS_STATE);
	assert_lower_n("state intrusions on government, umbrella withdrawn -> "
		       "japan_2017",
		       a, b, REPS_STATE, ALPHA);
	scenario_destroy(jp);
	scenario_destroy(no);
}

/* Trained staff find intrusions sooner. */
static void test_workforce_gap_closed_lowers_median_dwell(void **state)
{
	(void)state;
	struct cd_scenario *jp = load_file("japan_2017.cfg", NULL, 0);
	struct cd_scenario *wf = load_file("workforce_gap_closed.cfg", NULL, 0);
	double a[REPS], b[REPS];
	replicate(jp, CD_SUM_median_dwell_days, a);
	replicate(wf, CD_SUM_median_dwell_days, b);
	assert_lower("median dwell, japan_2017 -> workforce_gap_closed", a, b);
	scenario_destroy(jp);
	scenario_destroy(wf);
}

/* Segal (2013): sharing with the US is a "two-way street". With a low home
 * share rate, Japan relays few of the campaigns it knows to its partners;
 * with reciprocity weighing that fully (wos.reciprocity 1 against 0), the
 * partners relay less back, and fewer footholds are found with their
 * indicators. Paired at p < 0.01. */
static void test_reciprocity_lowers_partner_detections(void **state)
{
	(void)state;
	const char *none[] = {"won.share_rate=0.05", "wos.reciprocity=0"};
	const char *full[] = {"won.share_rate=0.05", "wos.reciprocity=1"};
	struct cd_scenario *a = load_file("japan_2017.cfg", none, 2);
	struct cd_scenario *b = load_file("japan_2017.cfg", full, 2);
	double x[REPS], y[REPS];
	replicate(a, CD_SUM_detections_partner, x);
	replicate(b, CD_SUM_detections_partner, y);
	assert_lower_at("partner detections, reciprocity 0 -> 1 at a 5% home "
			"share rate",
			x, y, 0.01);
	scenario_destroy(a);
	scenario_destroy(b);
}

static const char base[] =
	"days = 400; warmup_days = 0;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 200; staff_per_org = 10.0; "
	"workforce_priority = 2.0; };\n"
	"  firms = { kind = \"corporation\"; count = 5000; };\n"
	"};\n"
	"attackers = { apt = { type = \"state\"; objective = \"espionage\"; "
	"campaigns_per_year = 20.0; attempts_per_day = 200.0; success_prob = "
	"0.01; stealth = 0.2; targets = { gov = 20.0; firms = 1.0; }; }; };\n"
	"detection = { internal_rate = 0.05; };\n";

/* A timeline event changes a setting on its day: no campaign starts after
 * campaigns_per_year drops to 0 on day 100. */
static void test_timeline_applies_on_its_day(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text,
		 "%stimeline = ( { day = 100; set = { attackers = { apt = { "
		 "campaigns_per_year = 0.0; }; }; }; } );\n",
		 base);
	struct cd_scenario *sc = load_text(text, NULL, 0);
	sim_world *w = NULL;
	assert_int_equal(
		sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 3), 0);
	size_t before = 0;
	for (int d = 0; d < sc->p.days; d++) {
		assert_int_equal(sim_world_step(w), 0);
		if (d == 99)
			before = sim_world_n_campaigns(w);
		assert_true(
			sim_world_params(w)->attackers[0].campaigns_per_year ==
			(d < 100 ? 20.0 : 0.0));
	}
	assert_true(before > 0);
	assert_int_equal(sim_world_n_campaigns(w), before);
	sim_world_destroy(w);
	scenario_destroy(sc);
}

/* The NSC engages when government and CI detections in the window reach
 * the threshold, and never when escalation is disabled. */
static void test_crisis_engages_on_threshold(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text,
		 "%scrisis = { enabled = true; window_days = 30.0; threshold = "
		 "2.0; duration_days = 20.0; };\n",
		 base);
	const char *off[] = {"crisis.enabled=false"};
	const char *high[] = {"crisis.threshold=1e9"};
	struct cd_scenario *on = load_text(text, NULL, 0);
	struct cd_scenario *no = load_text(text, off, 1);
	struct cd_scenario *hi = load_text(text, high, 1);
	sim_world *w = NULL;
	assert_int_equal(
		sim_world_create(&w, &on->p, on->set, &on->timeline, 4), 0);
	int engaged_days = 0;
	for (int d = 0; d < on->p.days; d++) {
		assert_int_equal(sim_world_step(w), 0);
		engaged_days += sim_world_crisis(w);
	}
	assert_true(engaged_days > 0);
	assert_true(sim_world_crisis_days(w) > 0);
	sim_world_destroy(w);
	for (int k = 0; k < 2; k++) {
		struct cd_scenario *sc = k ? hi : no;
		assert_int_equal(
			sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 4),
			0);
		for (int d = 0; d < sc->p.days; d++)
			assert_int_equal(sim_world_step(w), 0);
		assert_int_equal(sim_world_crisis_days(w), 0);
		sim_world_destroy(w);
	}
	scenario_destroy(on);
	scenario_destroy(no);
	scenario_destroy(hi);
}

/* Training converts untrained staff month by month: the national trained
 * ratio rises, never beyond 1, and the segment with priority fills first. */
static void test_workforce_training_raises_trained_ratio(void **state)
{
	(void)state;
	char text[4096];
	snprintf(
		text, sizeof text,
		"%sworkforce = { enabled = true; needed = 350000.0; employed = "
		"265000.0; trained = 105000.0; training_per_month = 10000.0; "
		"};\n",
		base);
	struct cd_scenario *sc = load_text(text, NULL, 0);
	sim_world *w = NULL;
	assert_int_equal(
		sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 1), 0);
	double last = sim_world_trained_ratio(w);
	assert_true(fabs(last - 105000.0 / 350000.0) < 1e-12);
	int months = 0;
	for (int d = 0; d < sc->p.days; d++) {
		months += (d + 1) * 12 / 365 != d * 12 / 365;
		assert_int_equal(sim_world_step(w), 0);
		double r = sim_world_trained_ratio(w);
		assert_true(r >= last - 1e-12 && r <= 1);
		last = r;
		/* Segments are kept in name order (load/canon.c). */
		const int *order = sc->p.segment_order;
		double gov = sim_world_daily(w, order[0])->trained_ratio;
		double firms = sim_world_daily(w, order[1])->trained_ratio;
		assert_true(gov >= firms && gov <= 1);
	}
	/* 10,000 a month for 13 month ends (no entrants, no attrition), within
	 * the 160,000 untrained. */
	assert_int_equal(months, 13);
	assert_true(fabs(last - (105000.0 + 10000.0 * months) / 350000.0) <
		    1e-9);
	sim_world_destroy(w);
	scenario_destroy(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline_applies_on_its_day),
		cmocka_unit_test(test_crisis_engages_on_threshold),
		cmocka_unit_test(test_workforce_training_raises_trained_ratio),
		cmocka_unit_test(test_sharing_lowers_corporate_intrusions),
		cmocka_unit_test(
			test_umbrella_withdrawn_raises_state_on_government),
		cmocka_unit_test(test_workforce_gap_closed_lowers_median_dwell),
		cmocka_unit_test(test_reciprocity_lowers_partner_detections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
