/* prior: the priors of a targets file, and its parameter vectors applied
 * to a scenario (targets.h).
 *
 * Quantiles by inversion: uniform lo + u (hi - lo); log-uniform
 * lo (hi / lo)^u; beta lo + (hi - lo) I^-1_u(a, b); the normal truncated
 * to [lo, hi] as mean + sd Phi^-1(Phi(l) + u (Phi(h) - Phi(l))) with l, h
 * the standardised bounds, taken in the upper tail (Q = 1 - Phi) when
 * both bounds lie above the mean, where Phi would round to 1. */
#include "load/targets.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load/loader.h"

#define LOG_SQRT_2PI 0.91893853320467274178 /* log sqrt(2 pi) */

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static double normal_quantile(const struct targets_prior *pr, double u)
{
	double l = (pr->lo - pr->a) / pr->b, h = (pr->hi - pr->a) / pr->b;
	double z;
	if (l > 0) { /* both bounds above the mean: the upper tail */
		double ql = gsl_cdf_ugaussian_Q(l), qh = gsl_cdf_ugaussian_Q(h);
		z = gsl_cdf_ugaussian_Qinv(ql - u * (ql - qh));
	} else {
		double pl = gsl_cdf_ugaussian_P(l), ph = gsl_cdf_ugaussian_P(h);
		z = gsl_cdf_ugaussian_Pinv(pl + u * (ph - pl));
	}
	return pr->a + pr->b * z;
}

double targets_prior_quantile(const struct targets_prior *pr, double u)
{
	double x, w = pr->hi - pr->lo;
	switch (pr->kind) {
	case TARGETS_LOG_UNIFORM:
		x = pr->lo * exp(u * log(pr->hi / pr->lo));
		break;
	case TARGETS_BETA:
		x = pr->lo + w * gsl_cdf_beta_Pinv(u, pr->a, pr->b);
		break;
	case TARGETS_NORMAL:
		x = normal_quantile(pr, u);
		break;
	default:
		x = pr->lo + u * w;
	}
	return clamp(x, pr->lo, pr->hi);
}

double targets_prior_log_density(const struct targets_prior *pr, double x)
{
	if (!(x >= pr->lo && x <= pr->hi))
		return -INFINITY;
	double w = pr->hi - pr->lo;
	switch (pr->kind) {
	case TARGETS_LOG_UNIFORM:
		return -log(x) - log(log(pr->hi / pr->lo));
	case TARGETS_BETA: {
		double d = gsl_ran_beta_pdf((x - pr->lo) / w, pr->a, pr->b);
		return d > 0 ? log(d) - log(w) : -INFINITY;
	}
	case TARGETS_NORMAL: {
		double l = (pr->lo - pr->a) / pr->b,
		       h = (pr->hi - pr->a) / pr->b;
		double mass =
			l > 0 ? gsl_cdf_ugaussian_Q(l) - gsl_cdf_ugaussian_Q(h)
			      : gsl_cdf_ugaussian_P(h) - gsl_cdf_ugaussian_P(l);
		double z = (x - pr->a) / pr->b;
		return -0.5 * z * z - LOG_SQRT_2PI - log(pr->b * mass);
	}
	default:
		return -log(w);
	}
}

void targets_sample(const struct cd_targets *t, cd_key k, uint64_t particle,
		    double *theta)
{
	for (int j = 0; j < t->n_params; j++) {
		const struct targets_param *q = &t->params[j];
		double u = cd_keyed_u01(k, particle, cd_name_id(q->setting));
		theta[j] = targets_prior_quantile(&q->prior, u);
	}
}

double targets_log_prior(const struct cd_targets *t, const double *theta)
{
	double sum = 0;
	for (int j = 0; j < t->n_params; j++)
		sum += targets_prior_log_density(&t->params[j].prior, theta[j]);
	return sum;
}

void targets_current(const struct cd_targets *t, const struct cd_scenario *sc,
		     double *theta)
{
	for (int j = 0; j < t->n_params; j++) {
		const struct targets_param *q = &t->params[j];
		if (q->observation >= 0) {
			theta[j] = t->vocab->params[q->observation].def;
			continue;
		}
		const struct schema_field *f;
		size_t off;
		int entry;
		char err[512];
		theta[j] = NAN; /* the loader checked the path against sc */
		if (!load_resolve(&sc->p, q->setting, &f, &off, &entry, err,
				  sizeof err))
			memcpy(&theta[j], (const char *)&sc->p + off,
			       sizeof theta[j]);
	}
}

void targets_observation(const struct cd_targets *t, const double *theta,
			 double *obs)
{
	const struct targets_vocab *v = t->vocab;
	for (int k = 0; k < v->n_params; k++)
		obs[k] = v->params[k].def;
	for (int j = 0; j < t->n_params; j++)
		if (t->params[j].observation >= 0)
			obs[t->params[j].observation] = theta[j];
}

int targets_set_texts(const struct cd_targets *t, const double *theta,
		      char sets[][CD_SET_MAX])
{
	int n = 0;
	for (int j = 0; j < t->n_params; j++)
		if (t->params[j].observation < 0)
			snprintf(sets[n++], CD_SET_MAX, "%s=%.17g",
				 t->params[j].setting, theta[j]);
	return n;
}

int targets_scenario(struct cd_scenario **out, const struct cd_targets *t,
		     const char *scenario, const double *theta,
		     const char *const *sets, int n_sets, struct cd_diag *d)
{
	const char *all[CD_MAX_SETS];
	char own[TARGETS_MAX_PARAMS][CD_SET_MAX];
	int n = targets_set_texts(t, theta, own);
	if (n + n_sets > CD_MAX_SETS) {
		snprintf(d->msg, sizeof d->msg,
			 "%d estimated settings and %d --set: allowed: at "
			 "most %d together",
			 n, n_sets, CD_MAX_SETS);
		return CD_EINVAL;
	}
	for (int j = 0; j < n; j++)
		all[j] = own[j];
	for (int j = 0; j < n_sets; j++)
		all[n + j] = sets[j];
	return scenario_open(out, scenario, all, n + n_sets, d);
}
