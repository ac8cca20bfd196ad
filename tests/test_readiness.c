/* readiness: the scoring of readiness.csv on known inputs (readiness.h).
 *
 * Component scores at and around their benchmarks, the level thresholds
 * at their boundaries, element scores from hand-computed quantities, and
 * what a run without evidence scores: no detections, no intrusions in
 * government or infrastructure and no breach contained leave the scored
 * elements undefined (an empty score), at level "insufficient evidence",
 * the CRI's own words for a capability it cannot judge.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/readiness.h"
#include "analysis/run.h"
#include "load/scenario.h"

/* got within 1e-12 (relative) of want. */
static void near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * (1 + fabs(want))))
		fail_msg("got %.17g, want %.17g", got, want);
}

static const char *const none = "insufficient evidence";
static const char *const part = "partially operational";
static const char *const full = "fully operational";

/* A time scores b / (b + x): 1/2 at the benchmark, 1/3 at twice it, 2/3
 * at half of it, 1 at 0; a negative time counts as 0. A fraction scores
 * itself within [0, 1]. NaN stays NaN. */
static void test_component(void **state)
{
	(void)state;
	near(readiness_component(99, 99), 0.5);
	near(readiness_component(198, 99), 1.0 / 3);
	near(readiness_component(49.5, 99), 2.0 / 3);
	near(readiness_component(0, 69), 1);
	near(readiness_component(-5, 69), 1);
	assert_true(readiness_component(1e300, 69) < 1e-290);
	near(readiness_component(0.25, 0), 0.25);
	near(readiness_component(-0.1, 0), 0);
	near(readiness_component(1.2, 0), 1);
	assert_true(isnan(readiness_component(NAN, 99)));
	assert_true(isnan(readiness_component(NAN, 0)));
}

/* Levels from the lower bound of each: 1/3 and 2/3 themselves belong to
 * the higher level, the doubles just below them to the lower. */
static void test_levels(void **state)
{
	(void)state;
	int e = CD_CRI_incident_response;
	double third = 1.0 / 3, two = 2.0 / 3;
	assert_string_equal(readiness_level(e, 0), none);
	assert_string_equal(readiness_level(e, nextafter(third, 0)), none);
	assert_string_equal(readiness_level(e, third), part);
	assert_string_equal(readiness_level(e, nextafter(two, 0)), part);
	assert_string_equal(readiness_level(e, two), full);
	assert_string_equal(readiness_level(e, 1), full);
	assert_string_equal(readiness_level(e, NAN), none);
}

/* Exactly incident response, information sharing and defense and crisis
 * response are scored; the other four are "not modelled" whatever the
 * score, and score NaN. */
static void test_modelled(void **state)
{
	(void)state;
	static const int scored[CD_CRI_N] = {
		[CD_CRI_incident_response] = 1,
		[CD_CRI_information_sharing] = 1,
		[CD_CRI_defense_and_crisis_response] = 1};
	double q[CD_RQ_N] = {10, 10, 0.5, 0.5, 0.5, 10}, score[CD_CRI_N];
	readiness_scores(q, score);
	for (int e = 0; e < CD_CRI_N; e++) {
		assert_int_equal(readiness_modelled(e), scored[e]);
		if (!scored[e]) {
			assert_true(isnan(score[e]));
			assert_string_equal(readiness_level(e, 0.9),
					    "not modelled");
			assert_string_equal(readiness_level(e, NAN),
					    "not modelled");
		}
	}
	assert_string_equal(cd_cri_names[0], "national_strategy");
	assert_string_equal(cd_cri_names[CD_CRI_N - 1],
			    "defense_and_crisis_response");
}

/* Element scores are the means of their components, worked by hand. */
static void test_scores(void **state)
{
	(void)state;
	double q[CD_RQ_N], score[CD_CRI_N];
	q[CD_RQ_DWELL] = 99;	       /* 1/2 */
	q[CD_RQ_CONTAIN] = 0;	       /* 1 */
	q[CD_RQ_REPORTED] = 0.3;       /* 0.3 */
	q[CD_RQ_COVERAGE] = 0.1;       /* 0.1 */
	q[CD_RQ_STOPPED_GOV_CI] = 0.9; /* 0.9 */
	q[CD_RQ_CONTAIN_GOV_CI] = 138; /* 1/3 */
	readiness_scores(q, score);
	near(score[CD_CRI_incident_response], 0.75);
	near(score[CD_CRI_information_sharing], 0.2);
	near(score[CD_CRI_defense_and_crisis_response], (0.9 + 1.0 / 3) / 2);
	assert_string_equal(readiness_level(CD_CRI_incident_response,
					    score[CD_CRI_incident_response]),
			    full);
	assert_string_equal(readiness_level(CD_CRI_information_sharing,
					    score[CD_CRI_information_sharing]),
			    none);
	assert_string_equal(
		readiness_level(CD_CRI_defense_and_crisis_response,
				score[CD_CRI_defense_and_crisis_response]),
		part);
	/* One undefined quantity leaves its element undefined, not scored
	 * from the rest. */
	q[CD_RQ_CONTAIN] = NAN;
	readiness_scores(q, score);
	assert_true(isnan(score[CD_CRI_incident_response]));
	near(score[CD_CRI_information_sharing], 0.2);
}

/* Runs text at seed 1 and gathers its quantities. */
static void run_text(const char *text, double q[CD_RQ_N], struct cd_summary *s)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	assert_int_equal(
		scenario_load_string(&sc, "inline.cfg", text, NULL, 0, &d), 0);
	sim_world *w = NULL;
	assert_int_equal(cd_run(sc, 1, NULL, s, &w, &d), 0);
	readiness_gather(w, s, q);
	sim_world_destroy(w);
	scenario_destroy(sc);
}

static const char world_head[] =
	"days = 200; warmup_days = 0;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 50; };\n"
	"  firms = { kind = \"corporation\"; count = 5000; hygiene_mean = 0.3; "
	"};\n"
	"};\n"
	"bodies = { cert = { kind = \"national\"; members = { gov = 1.0; "
	"firms = 0.6; }; }; };\n";

/* No campaign, so no intrusion and no detection: every scored element is
 * undefined, "insufficient evidence". */
static void test_no_evidence(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof text,
		 "%sattackers = { crime = { type = \"criminal\"; objective = "
		 "\"extortion\"; campaigns_per_year = 0.0; targets = { firms "
		 "= 1.0; }; }; };\n",
		 world_head);
	double q[CD_RQ_N], score[CD_CRI_N];
	struct cd_summary s;
	run_text(text, q, &s);
	assert_true(s.v[CD_SUM_detections] == 0);
	assert_true(isnan(q[CD_RQ_DWELL]));
	assert_true(isnan(q[CD_RQ_CONTAIN]));
	assert_true(isnan(q[CD_RQ_REPORTED]));
	assert_true(isnan(q[CD_RQ_STOPPED_GOV_CI]));
	assert_true(isnan(q[CD_RQ_CONTAIN_GOV_CI]));
	readiness_scores(q, score);
	for (int e = 0; e < CD_CRI_N; e++) {
		assert_true(isnan(score[e]));
		assert_string_equal(readiness_level(e, score[e]),
				    readiness_modelled(e) ? none
							  : "not modelled");
	}
}

/* A world with intrusions: the quantities are the summary's where they
 * are its columns, fractions in [0, 1], times not negative. */
static void test_gathered(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof text,
		 "%sattackers = {\n"
		 "  apt = { type = \"state\"; objective = \"espionage\"; "
		 "campaigns_per_year = 10.0; attempts_per_day = 100.0; "
		 "success_prob = 0.01; targets = { gov = 50.0; firms = 1.0; "
		 "}; };\n"
		 "  crime = { type = \"criminal\"; objective = \"extortion\"; "
		 "campaigns_per_year = 40.0; attempts_per_day = 20000.0; "
		 "success_prob = 1e-4; impact_days_mean = 2.0; targets = { "
		 "firms = 1.0; }; };\n};\n",
		 world_head);
	double q[CD_RQ_N];
	struct cd_summary s;
	run_text(text, q, &s);
	assert_true(s.v[CD_SUM_detections] > 0);
	assert_true(s.v[CD_SUM_intrusions_government] > 0);
	near(q[CD_RQ_DWELL], s.v[CD_SUM_median_dwell_detected_days]);
	near(q[CD_RQ_COVERAGE], s.v[CD_SUM_knowledge_coverage]);
	near(q[CD_RQ_REPORTED],
	     s.v[CD_SUM_shares_sent] / s.v[CD_SUM_detections]);
	for (int k = 0; k < CD_RQ_N; k++)
		if (isnan(q[k]))
			fail_msg("quantity %d undefined", k);
	assert_true(q[CD_RQ_REPORTED] >= 0 && q[CD_RQ_REPORTED] <= 1);
	assert_true(q[CD_RQ_STOPPED_GOV_CI] <= 1);
	assert_true(q[CD_RQ_CONTAIN] >= 0 && q[CD_RQ_CONTAIN_GOV_CI] >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_component),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_modelled),
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_no_evidence),
		cmocka_unit_test(test_gathered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
