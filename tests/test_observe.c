/* The observation model (analysis/observe.h): each statistic on footholds
 * built by hand, whose answers are worked out below from the definitions
 * in README "The observation model", with and without selection weights;
 * the weighted median against the plain one; undefined statistics. */
#include <math.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "analysis/observe.h"

enum { SME, LARGE, GOV, INFRA };      /* segments */
enum { ESP, FRAUD, RANSOM, DISRUPT }; /* attackers; campaign c is of c */

static struct cd_params P;
static const int attacker_of[] = {ESP, FRAUD, RANSOM, DISRUPT};

static void segment(int s, const char *name, int kind, const char *size)
{
	snprintf(P.segments[s].name, sizeof P.segments[s].name, "%s", name);
	snprintf(P.segments[s].size, sizeof P.segments[s].size, "%s", size);
	P.segments[s].kind = kind;
}

static void attacker(int a, int type, int objective, int ransom)
{
	P.attackers[a].type = type;
	P.attackers[a].objective = objective;
	P.attackers[a].demands_ransom = ransom;
}

/* A foothold: segment, campaign, days compromised, impact, detected,
 * contained (records' days; -1: never), source. */
#define FH(s, c, comp, imp, det, cont, src)                                 \
	{                                                                   \
		.segment = (s), .campaign = (c), .day_compromised = (comp), \
		.day_impact = (imp), .day_detected = (det),                 \
		.day_contained = (cont), .source = (src)                    \
	}

/* Warm-up 10 days, horizon 400: year 0 is records' days [10, 375), year
 * 1 is [375, 410). */
static const struct cd_foothold fh[] = {
	FH(LARGE, ESP, 0, 15, 20, 30, CD_SRC_INTERNAL),	      /* f0 */
	FH(LARGE, FRAUD, 10, 12, 50, 60, CD_SRC_EXTERNAL),    /* f1 */
	FH(GOV, ESP, 100, 150, 200, 210, CD_SRC_NATIONAL),    /* f2 */
	FH(SME, FRAUD, 5, 7, 8, 9, CD_SRC_INTERNAL),	      /* f3 */
	FH(INFRA, DISRUPT, 20, 30, 80, 90, CD_SRC_INTERNAL),  /* f4 */
	FH(SME, RANSOM, 100, 103, 103, 110, CD_SRC_EXTERNAL), /* f5 */
	FH(SME, FRAUD, 300, 305, -1, -1, 0),		      /* f6 */
	FH(LARGE, FRAUD, 360, 365, 380, 385, CD_SRC_SHARED),  /* f7 */
};

/* a within 1e-12 of b, in double precision (cmocka's float assertion
 * rounds to float). */
static void near(double a, double b, double tol)
{
	if (!(fabs(a - b) <= tol))
		fail_msg("%.17g, want %.17g", a, b);
}

static struct observe_view view(void)
{
	struct observe_view v = {&P,	      fh,  sizeof fh / sizeof fh[0],
				 attacker_of, 4,   10,
				 400,	      NULL};
	return v;
}

static void census(struct observe_weights *wt)
{
	double obs[OBSERVE_N_PARAMS];
	for (int k = 0; k < OBSERVE_N_PARAMS; k++)
		obs[k] = 1;
	observe_weights_of(wt, obs);
}

static int setup(void **state)
{
	(void)state;
	memset(&P, 0, sizeof P);
	P.n_segments = 4;
	P.n_attackers = 4;
	P.days = 400;
	segment(SME, "sme", CD_KIND_CORPORATION, "sme");
	segment(LARGE, "large", CD_KIND_CORPORATION, "large");
	segment(GOV, "gov", CD_KIND_GOVERNMENT, "ministry");
	segment(INFRA, "infra", CD_KIND_INFRASTRUCTURE, "large");
	attacker(ESP, CD_ATTACKER_STATE, CD_OBJ_ESPIONAGE, 0);
	attacker(FRAUD, CD_ATTACKER_CRIMINAL, CD_OBJ_EXTORTION, 0);
	attacker(RANSOM, CD_ATTACKER_CRIMINAL, CD_OBJ_EXTORTION, 1);
	attacker(DISRUPT, CD_ATTACKER_STATE, CD_OBJ_DISRUPTION, 0);
	return 0;
}

static double stat(int s, const struct observe_weights *wt, int year)
{
	struct observe_view v = view();
	return observe_statistic(s, &v, wt, year);
}

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(observe_class_of(&P, SME), OBSERVE_SME);
	assert_int_equal(observe_class_of(&P, LARGE), OBSERVE_LARGE);
	assert_int_equal(observe_class_of(&P, GOV), OBSERVE_GOVERNMENT);
	assert_int_equal(observe_class_of(&P, INFRA), OBSERVE_INFRA);
}

/* Every weight 1 (a census). Year 0: detected f0 (dwell 20, internal),
 * f1 (40, external), f2 (100, national), f4 (60, internal), f5 (3,
 * ransom): median 40, internal 2 of 5. Data breaches reaching impact:
 * f0, f2 (state), f1, f6, f7 (criminal; f3's impact is before the
 * horizon, f4 is an outage, f5 ransomware): 2 of 5, and 1 of 5 (f6)
 * at an SME. Data breaches
 * contained: f0, f1, f2: identify (20 + 40 + 100) / 3, contain 10. */
static void test_census_year0(void **state)
{
	(void)state;
	struct observe_weights wt;
	census(&wt);
	near(stat(OBSERVE_STAT_mtrends_median_dwell_days, &wt, 0), 40, 1e-12);
	near(stat(OBSERVE_STAT_mtrends_internal_share, &wt, 0), 0.4, 1e-12);
	near(stat(OBSERVE_STAT_dbir_state_share, &wt, 0), 0.4, 1e-12);
	near(stat(OBSERVE_STAT_dbir_sme_share, &wt, 0), 0.2, 1e-12);
	near(stat(OBSERVE_STAT_ibm_mean_identify_days, &wt, 0), 160.0 / 3,
	     1e-12);
	near(stat(OBSERVE_STAT_ibm_mean_contain_days, &wt, 0), 10, 1e-12);
}

/* Year 1, cut at the horizon's end (day 410): f7 alone was detected
 * (dwell 20, shared indicators: found by the organisation) and contained
 * (identify 20, contain 5); no data breach reached impact. */
static void test_census_year1(void **state)
{
	(void)state;
	struct observe_weights wt;
	census(&wt);
	near(stat(OBSERVE_STAT_mtrends_median_dwell_days, &wt, 1), 20, 1e-12);
	near(stat(OBSERVE_STAT_mtrends_internal_share, &wt, 1), 1, 1e-12);
	assert_true(isnan(stat(OBSERVE_STAT_dbir_state_share, &wt, 1)));
	assert_true(isnan(stat(OBSERVE_STAT_dbir_sme_share, &wt, 1)));
	near(stat(OBSERVE_STAT_ibm_mean_identify_days, &wt, 1), 20, 1e-12);
	near(stat(OBSERVE_STAT_ibm_mean_contain_days, &wt, 1), 5, 1e-12);
	assert_true(isnan(stat(OBSERVE_STAT_dbir_state_share, &wt, 2)));
}

/* Weights: M-Trends without SMEs drops f5: dwell 20, 40, 60, 100, median
 * (40 + 60) / 2, internal 2 of 4. With government at 3 instead: weights
 * 1, 1, 1, 1, 3 on 3, 20, 40, 60, 100 (total 7): the cumulative weight
 * first reaches and passes 3.5 at 60; internal 2 of 7. The DBIR with SMEs
 * at 0.5: f6 counts half, state 2 of 4.5, SMEs 0.5 of 4.5. */
static void test_weighted(void **state)
{
	(void)state;
	struct observe_weights wt;
	census(&wt);
	wt.w[OBSERVE_mtrends][OBSERVE_SME] = 0;
	near(stat(OBSERVE_STAT_mtrends_median_dwell_days, &wt, 0), 50, 1e-12);
	near(stat(OBSERVE_STAT_mtrends_internal_share, &wt, 0), 0.5, 1e-12);
	census(&wt);
	wt.w[OBSERVE_mtrends][OBSERVE_GOVERNMENT] = 3;
	near(stat(OBSERVE_STAT_mtrends_median_dwell_days, &wt, 0), 60, 1e-12);
	near(stat(OBSERVE_STAT_mtrends_internal_share, &wt, 0), 2.0 / 7, 1e-12);
	census(&wt);
	wt.w[OBSERVE_dbir][OBSERVE_SME] = 0.5;
	near(stat(OBSERVE_STAT_dbir_state_share, &wt, 0), 2 / 4.5, 1e-12);
	near(stat(OBSERVE_STAT_dbir_sme_share, &wt, 0), 0.5 / 4.5, 1e-12);
	/* A source's weights reach only its own statistics. */
	near(stat(OBSERVE_STAT_mtrends_internal_share, &wt, 0), 0.4, 1e-12);
}

/* Every weight 0: nothing is seen, every statistic undefined. */
static void test_nothing_seen(void **state)
{
	(void)state;
	double obs[OBSERVE_N_PARAMS] = {0};
	struct observe_weights wt;
	observe_weights_of(&wt, obs);
	for (int k = 0; k < OBSERVE_N_PARAMS; k++)
		if (wt.w[k / 3][OBSERVE_LARGE] != 1)
			fail();
	for (int s = 0; s < OBSERVE_STATISTICS; s++) {
		struct observe_weights none = wt;
		for (int src = 0; src < OBSERVE_SOURCES; src++)
			none.w[src][OBSERVE_LARGE] = 0;
		assert_true(isnan(stat(s, &none, 0)));
	}
}

/* The table: names, units, sources and parameters in step. */
static void test_table(void **state)
{
	(void)state;
	assert_null(observe_statistic_names[OBSERVE_STATISTICS]);
	assert_string_equal(observe_statistic_names[0],
			    "mtrends_median_dwell_days");
	assert_int_equal(
		observe_statistic_source[OBSERVE_STAT_dbir_state_share],
		OBSERVE_dbir);
	assert_string_equal(observe_params[3].name, "observe.dbir.weight_sme");
	assert_int_equal(observe_vocab.n_params, OBSERVE_N_PARAMS);
	for (int k = 0; k < OBSERVE_N_PARAMS; k++) {
		assert_true(observe_params[k].def >= observe_params[k].min);
		assert_true(observe_params[k].def <= observe_params[k].max);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_classes, setup),
		cmocka_unit_test_setup(test_census_year0, setup),
		cmocka_unit_test_setup(test_census_year1, setup),
		cmocka_unit_test_setup(test_weighted, setup),
		cmocka_unit_test_setup(test_nothing_seen, setup),
		cmocka_unit_test_setup(test_table, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
