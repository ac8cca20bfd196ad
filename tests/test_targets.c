/* Targets files and priors (load/targets.h): the shipped file loads for
 * japan_2017 and for no scenario it does not name; each prior's quantile
 * inverts its distribution function and its density integrates to 1;
 * keyed draws are reproducible, independent of the parameters' order, and
 * have the prior's mean; a parameter vector applied to a scenario lands
 * where --set would put it, before the caller's own --set. (The refusals
 * with file:line are cases of the bad-input corpus, tests/bad/targets_*.) */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "analysis/observe.h"
#include "load/targets.h"

#define SHIPPED SOURCE_DIR "/scenarios/targets/global_2016_2017.cfg"

static struct cd_scenario *open_scenario(const char *name,
					 const char *const *sets, int n)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	if (scenario_open(&sc, name, sets, n, &d))
		fail_msg("%s", d.msg);
	return sc;
}

static void test_shipped(void **state)
{
	(void)state;
	struct cd_scenario *sc = open_scenario("japan_2017", NULL, 0);
	struct cd_targets *t = NULL;
	struct cd_diag d = {{0}};
	if (targets_load(&t, SHIPPED, "japan_2017", &sc->p, &observe_vocab, &d))
		fail_msg("%s", d.msg);
	assert_int_equal(t->n_targets, 12);
	assert_int_equal(t->n_active, 12);
	assert_true(t->n_params >= 1);
	for (int i = 0; i < t->n_targets; i++) {
		const struct targets_target *x = &t->targets[i];
		assert_true(fabs(x->sd - 0.2 * x->value) <= 1e-9 * x->value);
		assert_true(x->data_year >= 2016 && x->data_year <= 2018);
	}
	double theta[TARGETS_MAX_PARAMS];
	targets_current(t, sc, theta);
	for (int j = 0; j < t->n_params; j++) {
		const struct targets_param *q = &t->params[j];
		assert_true(q->reason[0] != '\0');
		if (!strcmp(q->setting, "detection.internal_rate"))
			assert_true(theta[j] == sc->p.detection.internal_rate);
		if (q->observation >= 0)
			assert_true(theta[j] ==
				    observe_params[q->observation].def);
	}
	targets_destroy(t);
	/* The built-in copy, by name; and a scenario it does not name. */
	assert_int_equal(targets_load(&t, "global_2016_2017", "japan_2017",
				      &sc->p, &observe_vocab, &d),
			 0);
	targets_destroy(t);
	assert_int_equal(targets_load(&t, SHIPPED,
				      "scenarios/eu_us_sharing.cfg", &sc->p,
				      &observe_vocab, &d),
			 CD_EINVAL);
	assert_non_null(strstr(d.msg, "no target names the scenario "
				      "'eu_us_sharing'"));
	assert_null(t);
	scenario_destroy(sc);
}

static const struct targets_prior priors[] = {
	{TARGETS_UNIFORM, 0, 0, 0.2, 0.7},
	{TARGETS_LOG_UNIFORM, 0, 0, 1e-4, 1},
	{TARGETS_BETA, 2, 5, 0, 1},
	{TARGETS_BETA, 3, 1.5, 1, 3},	  /* scaled */
	{TARGETS_NORMAL, 0.3, 0.1, 0, 1}, /* barely truncated */
	{TARGETS_NORMAL, 0, 1, 2, 4},	  /* in the upper tail */
};
#define N_PRIORS (sizeof priors / sizeof priors[0])

/* The density integrates to 1 over the support, and to u up to the
 * quantile at u (midpoint rule on a fine grid in log x for the
 * log-uniform prior, whose density spans four decades). */
static double integrate(const struct targets_prior *pr, double to)
{
	int n = 200000, logx = pr->kind == TARGETS_LOG_UNIFORM;
	double a = logx ? log(pr->lo) : pr->lo, b = logx ? log(to) : to;
	double h = (b - a) / n, sum = 0;
	for (int i = 0; i < n; i++) {
		double y = a + (i + 0.5) * h, x = logx ? exp(y) : y;
		sum += exp(targets_prior_log_density(pr, x)) * (logx ? x : 1);
	}
	return sum * h;
}

static void test_prior_quantile_density(void **state)
{
	(void)state;
	for (size_t k = 0; k < N_PRIORS; k++) {
		const struct targets_prior *pr = &priors[k];
		double last = -INFINITY;
		if (fabs(integrate(pr, pr->hi) - 1) > 1e-4)
			fail_msg("prior %zu: mass %.9g", k,
				 integrate(pr, pr->hi));
		for (double u = 0.05; u < 1; u += 0.15) {
			double x = targets_prior_quantile(pr, u);
			assert_true(x >= pr->lo && x <= pr->hi && x > last);
			last = x;
			if (fabs(integrate(pr, x) - u) > 1e-4)
				fail_msg("prior %zu: F(Q(%g)) = %g", k, u,
					 integrate(pr, x));
		}
		assert_true(targets_prior_log_density(pr, pr->lo - 1e-9) ==
			    -INFINITY);
		assert_true(targets_prior_log_density(pr, pr->hi + 1e-9) ==
			    -INFINITY);
	}
	/* Closed forms: the medians of the uniform and log-uniform. */
	assert_true(fabs(targets_prior_quantile(&priors[0], 0.5) - 0.45) <
		    1e-12);
	assert_true(fabs(targets_prior_quantile(&priors[1], 0.5) - 0.01) <
		    1e-12);
	assert_true(fabs(targets_prior_quantile(&priors[2], 0.3) -
			 gsl_cdf_beta_Pinv(0.3, 2, 5)) < 1e-12);
}

/* Two parameters, in either order. */
static void two_params(struct cd_targets *t, int swap)
{
	memset(t, 0, sizeof *t);
	t->n_params = 2;
	t->vocab = &observe_vocab;
	struct targets_param *a = &t->params[swap], *b = &t->params[!swap];
	snprintf(a->setting, sizeof a->setting, "detection.internal_rate");
	a->prior = priors[0];
	a->observation = -1;
	snprintf(b->setting, sizeof b->setting, "observe.dbir.weight_sme");
	b->prior = priors[1];
	b->observation = 3;
}

/* Keyed draws: the same for the same key and particle, whatever the
 * order of the parameters; the uniform's sample mean within 4 standard
 * errors of (lo + hi) / 2 over 20,000 particles. */
static void test_prior_sample(void **state)
{
	(void)state;
	static struct cd_targets t, u;
	two_params(&t, 0);
	two_params(&u, 1);
	cd_key k = cd_key_of(42, cd_name_id("prior"));
	double sum = 0, x[2], y[2];
	int n = 20000;
	for (int i = 0; i < n; i++) {
		targets_sample(&t, k, (uint64_t)i, x);
		targets_sample(&u, k, (uint64_t)i, y);
		assert_true(x[0] == y[1] && x[1] == y[0]);
		assert_true(isfinite(targets_log_prior(&t, x)));
		sum += x[0];
	}
	double se = 0.5 / sqrt(12.0 * n);
	assert_true(fabs(sum / n - 0.45) < 4 * se);
	targets_sample(&t, k, 7, x);
	targets_sample(&t, k, 8, y);
	assert_true(x[0] != y[0]);
	x[0] = 0.9; /* outside [0.2, 0.7] */
	assert_true(targets_log_prior(&t, x) == -INFINITY);
	double obs[OBSERVE_N_PARAMS];
	x[1] = 0.25;
	targets_observation(&t, x, obs);
	assert_true(obs[3] == 0.25 && obs[0] == observe_params[0].def);
}

/* theta lands as --set would put it, and the caller's --set wins. */
static void test_apply(void **state)
{
	(void)state;
	static struct cd_targets t;
	two_params(&t, 0);
	double theta[2] = {0.123, 0.5};
	char sets[CD_MAX_SETS][CD_SET_MAX];
	assert_int_equal(targets_set_texts(&t, theta, sets), 1);
	assert_string_equal(sets[0], "detection.internal_rate=0.123");
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	assert_int_equal(
		targets_scenario(&sc, &t, "japan_2017", theta, NULL, 0, &d), 0);
	assert_true(sc->p.detection.internal_rate == 0.123);
	struct cd_scenario *ref =
		open_scenario("japan_2017", (const char *const[]){sets[0]}, 1);
	assert_memory_equal(&sc->p, &ref->p, sizeof sc->p);
	scenario_destroy(sc);
	scenario_destroy(ref);
	const char *mine[] = {"detection.internal_rate=0.2"};
	assert_int_equal(
		targets_scenario(&sc, &t, "japan_2017", theta, mine, 1, &d), 0);
	assert_true(sc->p.detection.internal_rate == 0.2);
	scenario_destroy(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_prior_quantile_density),
		cmocka_unit_test(test_prior_sample),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
