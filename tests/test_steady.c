/* The warm-up reaches a steady state: on the national scenario, with no
 * timeline and the workforce held (it has no steady state on a useful
 * timescale: training 6,000 a year against 2.4% attrition settles over
 * decades, so it would drift whatever the start), the first reported year
 * after the default warm-up is equivalent to the third, within a margin
 * of 10% of the first year's mean, by two one-sided paired t tests
 * (TOST, alpha 0.05 each: the 90% interval of the mean paired difference
 * lies inside the margin) on intrusions, open footholds (the year's mean
 * of the daily level), records stolen and losses.
 *
 * The two years are of one run of three years per seed (the first year is
 * the same run, seed and keyed draws, as a one-year run: nothing reported
 * depends on the length of the horizon). Without a warm-up the same test
 * must fail (the first year then starts empty): it checks that the test
 * can tell.
 *
 * Seeds: SEEDS paired runs. Records are the noisiest (a few espionage
 * breaches a year carry much of them): the standard deviation of their
 * paired difference, measured over these 300 seeds at the shipped
 * (calibrated) values, is about 60% of the year's mean, so the 90%
 * interval's half-width is about 1.65 x 60% / sqrt(300) = 5.7% of the
 * mean, under the margin (intrusions 1.2%, open footholds and losses
 * 0.8%): the test has power against a true difference of a few per cent,
 * and fails a shortfall like the one of a three-year warm-up at a slow
 * particle of the posterior (open footholds +15.5%: README, "Warm-up").
 * The control needs few seeds: from an empty start the third year has
 * more than twice the first's damage. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_cdf.h>

#include "analysis/run.h"
#include "load/scenario.h"
#include "world/world.h"

#define SEEDS 300
#define CONTROL_SEEDS 30
#define MARGIN 0.10
#define ALPHA 0.05

enum { INTRUSIONS, OPEN, RECORDS, LOSS, N_METRICS };
static const char *const names[N_METRICS] = {"intrusions", "open footholds",
					     "records", "losses"};

/* One run's years: [year][metric]. */
struct years {
	double v[3][N_METRICS];
};

static int add_day(void *ctx, const sim_world *w, struct cd_diag *d)
{
	(void)d;
	struct years *y = ctx;
	int year = sim_world_day(w) / 365;
	const struct cd_params *p = sim_world_params(w);
	for (int s = 0; s < p->n_segments; s++) {
		const struct cd_daily *x = sim_world_daily(w, s);
		y->v[year][INTRUSIONS] += (double)x->intrusions;
		y->v[year][OPEN] += (double)x->open_footholds / 365;
		y->v[year][RECORDS] += x->records;
		y->v[year][LOSS] += x->loss_yen;
	}
	return 0;
}

static struct cd_scenario *load(const char *warmup)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/scenarios/japan_2017.cfg", SOURCE_DIR);
	const char *sets[] = {"days=1095", "workforce.enabled=false", warmup};
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc = scenario_load_file(&sc, path, sets, warmup ? 3 : 2, &d);
	if (rc)
		fail_msg("%s", d.msg);
	assert_int_equal(sc->timeline.n_events, 0);
	return sc;
}

/* Whether year 1 and year 3 are equivalent on every metric (TOST); prints
 * each. */
static int equivalent(const char *warmup, int seeds)
{
	struct cd_scenario *sc = load(warmup);
	static struct years y[SEEDS];
	for (int r = 0; r < seeds; r++) {
		memset(&y[r], 0, sizeof y[r]);
		struct cd_run_sink sink = {add_day, &y[r]};
		struct cd_summary s;
		struct cd_diag d;
		assert_int_equal(
			cd_run(sc, (uint64_t)r + 1, &sink, &s, NULL, &d), 0);
	}
	printf("warm-up %d days, %d paired seeds, margin %.0f%% of year 1:\n",
	       sc->p.warmup_days, seeds, 100 * MARGIN);
	scenario_destroy(sc);
	int all = 1;
	double t = gsl_cdf_tdist_Pinv(1 - ALPHA, seeds - 1), n = seeds;
	for (int k = 0; k < N_METRICS; k++) {
		double m1 = 0, md = 0, ss = 0;
		for (int r = 0; r < seeds; r++) {
			m1 += y[r].v[0][k] / n;
			md += (y[r].v[2][k] - y[r].v[0][k]) / n;
		}
		for (int r = 0; r < seeds; r++) {
			double e = y[r].v[2][k] - y[r].v[0][k] - md;
			ss += e * e;
		}
		double se = sqrt(ss / (n - 1) / n);
		double lo = md - t * se, hi = md + t * se, delta = MARGIN * m1;
		int ok = lo > -delta && hi < delta;
		printf("  %-15s year 1 %.4g, year 3 - year 1 %+.2f%% (90%% "
		       "interval %+.2f%% to %+.2f%%, sd %.1f%%): %s\n",
		       names[k], m1, 100 * md / m1, 100 * lo / m1,
		       100 * hi / m1, 100 * sqrt(ss / (n - 1)) / m1,
		       ok ? "equivalent" : "not shown");
		all &= ok;
	}
	return all;
}

static void test_warmup_reaches_steady_state(void **state)
{
	(void)state;
	assert_true(equivalent(NULL, SEEDS)); /* the default warm-up */
}

/* The test can tell: from an empty start, year 1 is not year 3. */
static void test_no_warmup_is_not_steady(void **state)
{
	(void)state;
	assert_false(equivalent("warmup_days=0", CONTROL_SEEDS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warmup_reaches_steady_state),
		cmocka_unit_test(test_no_warmup_is_not_steady),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
