/* The laws the model follows, judged by tests of significance over many
 * draws (label statistical): the Poisson sampler against the Poisson law;
 * the split of intrusion attempts into blocked ones and candidates
 * against its binomial closed forms, given the share of organisations
 * that know each campaign; and the mean dwell under a constant hazard.
 *
 * Each bound is a number of standard deviations derived from the
 * variance of what is compared (never tuned to the seed); five standard
 * deviations make a false alarm about one seed in 1.7 million.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "core/rng.h"
#include "core/status.h"
#include "load/scenario.h"
#include "world/world.h"

#define Z 5.0 /* standard deviations */

static struct cd_scenario *load(const char *text)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc = scenario_load_string(&sc, "inline.cfg", text, NULL, 0, &d);
	if (rc)
		fail_msg("load failed: %s", d.msg);
	return sc;
}

/* ---- the Poisson sampler --------------------------------------------------
 */

/* rng_poisson against the Poisson law: mean and variance within five
 * standard errors, and a chi-square test of the frequencies against
 * gsl_ran_poisson_pdf (bins pooled to expected counts >= 10) at p > 1e-4,
 * on both sides of the switch from inversion to PTRS at a mean of 10. */
enum { MAXK = 2000 };

/* The chi-square p-value of n draws whose frequencies are count[] against
 * gsl_ran_poisson_pdf(mu), bins pooled to expected counts >= 10. */
static double chi_square_p(const long *count, int n, double mu, int *df)
{
	double chi = 0, exp_acc = 0, obs_acc = 0;
	int bins = 0;
	for (int k = 0; k < MAXK; k++) {
		exp_acc += n * gsl_ran_poisson_pdf((unsigned)k, mu);
		obs_acc += (double)count[k];
		/* Close a bin once it and the tail beyond it expect at least
		 * 10; the last bin takes the rest. */
		if (exp_acc >= 10 &&
		    n * gsl_cdf_poisson_Q((unsigned)k, mu) >= 10) {
			chi += (obs_acc - exp_acc) * (obs_acc - exp_acc) /
			       exp_acc;
			bins++;
			exp_acc = obs_acc = 0;
		}
	}
	chi += (obs_acc - exp_acc) * (obs_acc - exp_acc) / exp_acc;
	*df = bins;
	return gsl_cdf_chisq_Q(chi, bins);
}

/* n draws of mean mu: their mean and variance within five standard
 * errors, and (up to a mean of 1000) their frequencies. */
static void check_poisson(gsl_rng *r, double mu, int n)
{
	static long count[MAXK];
	memset(count, 0, sizeof count);
	double sum = 0, ss = 0;
	for (int i = 0; i < n; i++) {
		double k = (double)rng_poisson(r, mu);
		sum += k;
		ss += k * k;
		if (k < MAXK)
			count[(int)k]++;
	}
	double mean = sum / n, var = ss / n - mean * mean;
	assert_true(fabs(mean - mu) < Z * sqrt(mu / n));
	/* sd of the sample variance: sqrt((2 mu^2 + mu) / n) */
	assert_true(fabs(var - mu) < Z * sqrt((2 * mu * mu + mu) / n));
	if (mu > 1000)
		return;
	int df;
	double p = chi_square_p(count, n, mu, &df);
	printf("poisson mu %g: mean %.4f var %.4f, p %.3g on %d degrees of "
	       "freedom\n",
	       mu, mean, var, p, df);
	assert_true(p > 1e-4);
}

static void test_poisson_sampler(void **state)
{
	(void)state;
	const double mus[] = {0.5, 3, 9.9, 10, 25, 300, 1e5};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 7);
	for (size_t m = 0; m < sizeof mus / sizeof mus[0]; m++)
		check_poisson(r, mus[m], 200000);
	assert_int_equal(rng_poisson(r, 0), 0);
	assert_int_equal(rng_poisson(r, -1), 0);
	assert_int_equal(rng_poisson(r, NAN), 0);
	gsl_rng_free(r);
}

/* ---- the attempt split ----------------------------------------------------
 */

/* Campaigns that start on day 0 only (the timeline stops them on day 1),
 * each making 2000 attempts a day on one segment of 100,000 organisations
 * with no hygiene (every candidate that finds no open foothold of its
 * campaign succeeds). Complete indicators (indicator_yield 1) and a
 * blocking efficacy e = 0.6; a body reaching half the segment learns each
 * campaign from the first report. Detections are quick, so few footholds
 * are open at once. Campaigns last for ever in practice (mean 100 years)
 * and never retire (retire_blocked 1 > e). */
static const char split_cfg[] =
	"days = 60;\n"
	"segments = { s = { kind = \"corporation\"; count = 100000;\n"
	"  hygiene_mean = 0.0; monitoring_mean = 1.0; trained_ratio = 1.0;\n"
	"  share_rate = 1.0; }; };\n"
	"attackers = { a = { type = \"criminal\"; objective = \"espionage\";\n"
	"  campaigns_per_year = 1825.0; campaign_days = 36500.0;\n"
	"  retire_blocked = 1.0; attempts_per_day = 2000.0;\n"
	"  success_prob = 0.01; stealth = 0.0; targets = { s = 1.0; }; }; };\n"
	"bodies = { cert = { kind = \"national\"; reach = 0.5;\n"
	"  members = { s = 1.0; }; }; };\n"
	"detection = { internal_rate = 0.5; block_efficacy = 0.6;\n"
	"  indicator_yield = 1.0; untrained_skill = 1.0;\n"
	"  containment_days = 1.0; };\n"
	"won = { hygiene_uplift = 0.0; };\n"
	"timeline = ( { day = 1; set = { attackers = { a = {\n"
	"  campaigns_per_year = 0.0; }; }; }; } );\n";

/* Sums over the days of a run of what the split predicts and what was
 * seen. */
struct split {
	double blocked, blocked_mean, blocked_var;
	double intrusions, cand_mean, cand_var, collisions;
	double max_share; /* the largest blocked share f e of a day */
};

/* Day d of the run just simulated: its A attempts, given the share f of
 * the segment that knew each campaign at the end of the day before, are
 * blocked with probability q = f e, and a candidate with probability
 * (1 - q) p0 (Poisson splitting: given A, each is binomial). A candidate
 * fails only if its target holds an open foothold of its campaign: at
 * most open / N of them, open counting the footholds left open the day
 * before and those made today. */
static void add_day(struct split *t, const struct cd_daily *x, double f,
		    double open_before, double e, double p0, double n_orgs)
{
	double a = (double)x->attempts, q = f * e, pc = (1 - q) * p0;
	t->blocked += (double)x->blocked;
	t->blocked_mean += a * q;
	t->blocked_var += a * q * (1 - q);
	t->intrusions += (double)x->intrusions;
	t->cand_mean += a * pc;
	t->cand_var += a * pc * (1 - pc);
	t->collisions +=
		a * pc * (open_before + (double)x->intrusions) / n_orgs;
	t->max_share = fmax(t->max_share, q);
}

static void test_attempt_split(void **state)
{
	(void)state;
	struct cd_scenario *sc = load(split_cfg);
	const struct cd_params *p = &sc->p;
	double e = p->detection.block_efficacy;
	double p0 = p->attackers[0].success_prob;
	double n_orgs = (double)p->segments[0].count;
	struct split t = {0};
	for (uint64_t seed = 1; seed <= 3; seed++) {
		sim_world *w = NULL;
		assert_int_equal(
			sim_world_create(&w, p, sc->set, &sc->timeline, seed),
			0);
		double f = 0, open = 0; /* known and open at the day's start */
		for (int d = 0; d < p->days; d++) {
			assert_int_equal(sim_world_step(w), 0);
			const struct cd_daily *x = sim_world_daily(w, 0);
			add_day(&t, x, f, open, e, p0, n_orgs);
			f = x->knowledge;
			open = (double)x->open_footholds;
		}
		sim_world_destroy(w);
	}
	printf("blocked %.0f, expected %.1f (sd %.1f); intrusions %.0f, "
	       "candidates expected %.1f (sd %.1f, collisions at most %.1f); "
	       "largest blocked share %.3f\n",
	       t.blocked, t.blocked_mean, sqrt(t.blocked_var), t.intrusions,
	       t.cand_mean, sqrt(t.cand_var), t.collisions, t.max_share);
	/* The test has power: blocking was large, and often seen. */
	assert_true(t.max_share > 0.25 && t.blocked_mean > 1e4);
	assert_true(fabs(t.blocked - t.blocked_mean) <=
		    Z * sqrt(t.blocked_var));
	assert_true(t.intrusions <= t.cand_mean + Z * sqrt(t.cand_var));
	assert_true(t.intrusions >=
		    t.cand_mean - t.collisions - Z * sqrt(t.cand_var));
	scenario_destroy(sc);
}

/* ---- the mean dwell ---------------------------------------------------------
 */

/* One segment, constant hazard h from internal detection only: every
 * organisation has monitoring 1 (Beta mean 1), untrained_skill 1 makes
 * skill 1 whatever the staff, no stealth, no other source. Dwell is then
 * geometric on {1, 2, ...} with mean 1/h and variance (1 - h)/h^2.
 * Campaigns stop at day 100 (timeline) and the horizon is long, so no
 * foothold is censored in practice (P(dwell > 3400) = 0.95^3400). */
static void test_mean_dwell_matches_hazard(void **state)
{
	(void)state;
	const double h = 0.05;
	char text[2048];
	snprintf(text, sizeof text,
		 "days = 3650;\n"
		 "segments = { s = { kind = \"corporation\"; count = 20000; "
		 "hygiene_mean = 0.0; monitoring_mean = 1.0; }; };\n"
		 "attackers = { a = { type = \"criminal\"; objective = "
		 "\"espionage\"; campaigns_per_year = 40.0; campaign_days = "
		 "30.0; "
		 "attempts_per_day = 1000.0; success_prob = 0.005; stealth = "
		 "0.0; "
		 "targets = { s = 1.0; }; }; };\n"
		 "detection = { internal_rate = %.17g; hunt_rate = 0.0; "
		 "external_rate = 0.0; untrained_skill = 1.0; };\n"
		 "timeline = ( { day = 100; set = { attackers = { a = { "
		 "campaigns_per_year = 0.0; }; }; }; } );\n",
		 h);
	struct cd_scenario *sc = load(text);
	sim_world *w = NULL;
	assert_int_equal(
		sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 2024), 0);
	for (int d = 0; d < sc->p.days; d++)
		assert_int_equal(sim_world_step(w), 0);
	const struct cd_foothold *f;
	size_t n = sim_world_footholds(w, &f), detected = 0;
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(f[i].day_detected >= 0);
		assert_int_equal(f[i].source, CD_SRC_INTERNAL);
		sum += f[i].day_detected - f[i].day_compromised;
		detected++;
	}
	assert_true(detected > 500);
	double mean = sum / (double)detected;
	/* Four standard errors of the mean of a geometric law. */
	double se = sqrt((1 - h) / (h * h) / (double)detected);
	printf("mean dwell %.3f, 1/h %.3f, se %.3f, n %zu\n", mean, 1 / h, se,
	       detected);
	assert_true(fabs(mean - 1 / h) < 4 * se);
	sim_world_destroy(w);
	scenario_destroy(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poisson_sampler),
		cmocka_unit_test(test_attempt_split),
		cmocka_unit_test(test_mean_dwell_matches_hazard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
