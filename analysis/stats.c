/* Summary statistics and two-sample tests, on GSL. */
#include "analysis/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

void stats_summarise(const double *x, size_t n, double *scratch,
		     stats_summary *out)
{
	size_t i, m = 0;
	double t, half;

	for (i = 0; i < n; i++)
		if (!isnan(x[i]))
			scratch[m++] = x[i];
	out->n = m;
	out->mean = out->sd = out->ci_lo = out->ci_hi = NAN;
	out->median = out->min = out->max = NAN;
	if (m == 0)
		return;

	out->mean = gsl_stats_mean(scratch, 1, m);
	if (m >= 2) {
		out->sd = gsl_stats_sd_m(scratch, 1, m, out->mean);
		t = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1));
		half = t * out->sd / sqrt((double)m);
		out->ci_lo = out->mean - half;
		out->ci_hi = out->mean + half;
	}
	gsl_sort(scratch, 1, m);
	out->median = gsl_stats_median_from_sorted_data(scratch, 1, m);
	out->min = scratch[0];
	out->max = scratch[m - 1];
}

double stats_median(double *x, size_t n)
{
	size_t i, m = 0;

	/* Move the NaN entries to the end, keeping the others' order. */
	for (i = 0; i < n; i++)
		if (!isnan(x[i]))
			x[m++] = x[i];
	for (i = m; i < n; i++)
		x[i] = NAN;
	if (m == 0)
		return NAN;
	gsl_sort(x, 1, m);
	return gsl_stats_median_from_sorted_data(x, 1, m);
}

static int obs_cmp(const void *a, const void *b)
{
	double x = ((const struct stats_obs *)a)->x;
	double y = ((const struct stats_obs *)b)->x;
	return (x > y) - (x < y);
}

void stats_km_medians(struct stats_obs *obs, size_t n, int n_groups,
		      double *out)
{
	double s[32];
	size_t at_risk[32] = {0};
	int open = 0;
	for (int g = 0; g < n_groups; g++) {
		s[g] = 1;
		out[g] = NAN;
	}
	for (size_t i = 0; i < n; i++)
		for (int g = 0; g < n_groups; g++)
			at_risk[g] += (obs[i].groups >> g) & 1;
	for (int g = 0; g < n_groups; g++)
		open += at_risk[g] > 0;
	qsort(obs, n, sizeof *obs, obs_cmp);
	size_t i = 0;
	while (i < n && open) {
		double t = floor(obs[i].x / 2);
		size_t events[32] = {0}, leaving[32] = {0};
		for (; i < n && floor(obs[i].x / 2) == t; i++)
			for (int g = 0; g < n_groups; g++)
				if ((obs[i].groups >> g) & 1) {
					leaving[g]++;
					events[g] += fmod(obs[i].x, 2) == 0;
				}
		for (int g = 0; g < n_groups; g++) {
			if (!leaving[g] || !isnan(out[g]))
				continue;
			s[g] *= 1.0 - (double)events[g] / (double)at_risk[g];
			at_risk[g] -= leaving[g];
			if (events[g] && s[g] <= 0.5) {
				out[g] = t;
				open--;
			}
		}
	}
}

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* stats_km_medians for one group, on x itself: nothing to allocate, so
 * it cannot fail (it once copied x, and gave NaN when it could not). */
double stats_km_median(double *x, size_t n)
{
	if (n > 1) /* x may be NULL when n == 0 */
		qsort(x, n, sizeof *x, double_cmp);
	double s = 1;
	size_t at_risk = n;
	for (size_t i = 0; i < n;) {
		double t = floor(x[i] / 2);
		size_t events = 0, leaving = 0;
		for (; i < n && floor(x[i] / 2) == t; i++, leaving++)
			events += fmod(x[i], 2) == 0;
		s *= 1.0 - (double)events / (double)at_risk;
		at_risk -= leaving;
		if (events && s <= 0.5)
			return t;
	}
	return NAN;
}

/* Sets *m to the number of non-NaN entries of x[0..n-1], and *mean and
 * *var to their mean and sample variance (two passes; *var is NaN if
 * *m < 2, *mean NaN if *m == 0).
 */
static void stats_moments(const double *x, size_t n, size_t *m, double *mean,
			  double *var)
{
	size_t i, k = 0;
	double sum = 0.0, ss = 0.0, d;

	for (i = 0; i < n; i++) {
		if (!isnan(x[i])) {
			sum += x[i];
			k++;
		}
	}
	*m = k;
	*mean = k > 0 ? sum / (double)k : NAN;
	*var = NAN;
	if (k < 2)
		return;
	for (i = 0; i < n; i++) {
		if (!isnan(x[i])) {
			d = x[i] - *mean;
			ss += d * d;
		}
	}
	*var = ss / (double)(k - 1);
}

double stats_welch_p(const double *a, size_t na, const double *b, size_t nb)
{
	size_t ma, mb;
	double mean_a, mean_b, var_a, var_b, sa, sb, se2, t, df, p;

	stats_moments(a, na, &ma, &mean_a, &var_a);
	stats_moments(b, nb, &mb, &mean_b, &var_b);
	if (ma < 2 || mb < 2)
		return NAN;
	sa = var_a / (double)ma; /* squared standard errors of the means */
	sb = var_b / (double)mb;
	se2 = sa + sb;
	if (se2 == 0.0)
		return mean_a == mean_b ? NAN : 0.0;
	t = (mean_a - mean_b) / sqrt(se2);
	df = se2 * se2 /
	     (sa * sa / (double)(ma - 1) + sb * sb / (double)(mb - 1));
	p = 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
	return p > 1.0 ? 1.0 : p;
}

/* One value of the merged sample, and which sample it came from. */
struct stats_ranked {
	double v;
	int from_a;
};

static int stats_ranked_cmp(const void *pa, const void *pb)
{
	const struct stats_ranked *x = pa, *y = pb;

	return (x->v > y->v) - (x->v < y->v);
}

double stats_mannwhitney_p(const double *a, size_t na, const double *b,
			   size_t nb)
{
	struct stats_ranked *all;
	size_t i, j, k, n = 0, n1 = 0, n2;
	double r1 = 0.0, ties = 0.0, t, rank, u1, mu, var, z, p;

	if (na < 8 || nb < 8)
		return NAN; /* too few even before skipping NaN */
	if (na > SIZE_MAX / sizeof(*all) - nb)
		return NAN; /* the size would overflow: cannot allocate */
	all = malloc((na + nb) * sizeof(*all));
	if (all == NULL)
		return NAN;
	for (i = 0; i < na; i++) {
		if (!isnan(a[i])) {
			all[n].v = a[i];
			all[n++].from_a = 1;
		}
	}
	n1 = n;
	for (i = 0; i < nb; i++) {
		if (!isnan(b[i])) {
			all[n].v = b[i];
			all[n++].from_a = 0;
		}
	}
	n2 = n - n1;
	if (n1 < 8 || n2 < 8) {
		free(all);
		return NAN;
	}

	/* Ranks 1..n; a run of equal values all get their mean rank. */
	qsort(all, n, sizeof(*all), stats_ranked_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		rank = 0.5 * ((double)(i + 1) + (double)j);
		for (k = i; k < j; k++)
			if (all[k].from_a)
				r1 += rank;
		t = (double)(j - i);
		ties += t * t * t - t;
	}
	free(all);

	u1 = r1 - 0.5 * (double)n1 * (double)(n1 + 1);
	mu = 0.5 * (double)n1 * (double)n2;
	var = (double)n1 * (double)n2 / 12.0 *
	      ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
	if (!(var > 0.0))
		return NAN;
	z = fabs(u1 - mu) - 0.5;
	if (z < 0.0)
		z = 0.0;
	z /= sqrt(var);
	p = 2.0 * gsl_cdf_ugaussian_Q(z);
	return p > 1.0 ? 1.0 : p;
}
