/* Summary statistics and two-sample tests, on GSL. */
#include "analysis/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "core/rng.h"

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

/* The Kaplan-Meier estimates of up to 32 groups, as the times are taken
 * in order. */
struct km {
	int n_groups, open; /* groups, those without a median yet */
	double s[32];	    /* survival so far */
	size_t at_risk[32];
	double *out;
};

/* Time t, with entering[g] observations entering the risk set (left
 * truncation), events[g] events and leaving[g] observations ending there
 * in group g. */
static void km_step(struct km *k, double t, const size_t *entering,
		    const size_t *events, const size_t *leaving)
{
	for (int g = 0; g < k->n_groups; g++) {
		k->at_risk[g] += entering[g];
		if (!leaving[g] || !isnan(k->out[g]))
			continue;
		k->s[g] *= 1.0 - (double)events[g] / (double)k->at_risk[g];
		k->at_risk[g] -= leaving[g];
		if (events[g] && k->s[g] <= 0.5) {
			k->out[g] = t;
			k->open--;
		}
	}
}

/* The observations entering after time lo and at or before hi, by
 * group, counted by a scan (the fallback has no memory to sort them). */
static void entering_in(const struct stats_obs *obs, size_t n, double lo,
			double hi, int n_groups, size_t *entering)
{
	for (int g = 0; g < n_groups; g++)
		entering[g] = 0;
	for (size_t i = 0; i < n; i++)
		if ((double)obs[i].entry > lo && (double)obs[i].entry <= hi)
			for (int g = 0; g < n_groups; g++)
				entering[g] += (obs[i].groups >> g) & 1;
}

/* The times in order by sorting the observations. At each time an
 * observation ends, those that entered since the last such time join the
 * risk set first (entries between ends change nothing until an end): one
 * scan per distinct time where any entry is late (left truncation), one
 * in all otherwise. */
static void km_sorted(struct km *k, struct stats_obs *obs, size_t n)
{
	int late = 0;
	for (size_t i = 0; i < n && !late; i++)
		late = obs[i].entry > 0;
	qsort(obs, n, sizeof *obs, obs_cmp);
	size_t i = 0;
	double prev = -1; /* entries up to this time are counted */
	while (i < n && k->open) {
		double t = floor(obs[i].x / 2);
		size_t events[32] = {0}, leaving[32] = {0}, entering[32] = {0};
		if (prev < 0 || late)
			entering_in(obs, n, prev, late ? t : INFINITY,
				    k->n_groups, entering);
		prev = t;
		for (; i < n && floor(obs[i].x / 2) == t; i++)
			for (int g = 0; g < k->n_groups; g++)
				if ((obs[i].groups >> g) & 1) {
					leaving[g]++;
					events[g] += fmod(obs[i].x, 2) == 0;
				}
		km_step(k, t, entering, events, leaving);
	}
}

/* The times in order by counting, when every x is an integer 2 t + c
 * below 4 n + 2^16 (the counts take O(n) memory): the same steps as
 * km_sorted, without a sort. Returns 0, or -1 (nothing done) for other x
 * or without memory. */
static int km_counted(struct km *k, const struct stats_obs *obs, size_t n)
{
	double hi = 0, cap = 4.0 * (double)n + 65536;
	for (size_t i = 0; i < n; i++) {
		double x = obs[i].x;
		if (!(x >= 0 && x < cap && x == floor(x)))
			return -1;
		hi = fmax(hi, x);
	}
	size_t nt = (size_t)hi / 2 + 1, ng = (size_t)k->n_groups;
	size_t *c = calloc(3 * nt * ng, sizeof *c); /* [x][g], [t][g] */
	if (!c)
		return -1;
	size_t *in = c + 2 * nt * ng; /* entries at t */
	for (size_t i = 0; i < n; i++)
		for (uint32_t g = 0, m = obs[i].groups; g < ng; g++) {
			size_t b = (m >> g) & 1;
			c[(size_t)obs[i].x * ng + g] += b;
			if (obs[i].entry < nt)
				in[obs[i].entry * ng + g] += b;
		}
	for (size_t t = 0; t < nt && k->open; t++) {
		size_t events[32], leaving[32];
		for (size_t g = 0; g < ng; g++) {
			events[g] = c[2 * t * ng + g];
			leaving[g] = events[g] + c[(2 * t + 1) * ng + g];
		}
		km_step(k, (double)t, in + t * ng, events, leaving);
	}
	free(c);
	return 0;
}

void stats_km_medians(struct stats_obs *obs, size_t n, int n_groups,
		      double *out)
{
	struct km k = {.n_groups = n_groups, .out = out};
	size_t members[32] = {0};
	for (int g = 0; g < n_groups; g++) {
		k.s[g] = 1;
		out[g] = NAN;
	}
	for (size_t i = 0; i < n; i++)
		for (int g = 0; g < n_groups; g++)
			members[g] += (obs[i].groups >> g) & 1;
	for (int g = 0; g < n_groups; g++)
		k.open += members[g] > 0;
	/* The risk sets fill as the observations enter (km_step). */
	if (k.open && km_counted(&k, obs, n))
		km_sorted(&k, obs, n);
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

/* The sample variance of the non-NaN entries of x, and their number. */
static double variance_of(const double *x, size_t n, size_t *m)
{
	double mean = 0, ss = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) /* Welford: one pass, stable */
		if (!isnan(x[i])) {
			double dx = x[i] - mean;
			mean += dx / (double)++k;
			ss += dx * (x[i] - mean);
		}
	*m = k;
	return k >= 2 ? ss / (double)(k - 1) : NAN;
}

/* The values of x that are not NaN, into out; their number. */
static size_t present(const double *x, size_t n, double *out)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			out[m++] = x[i];
	return m;
}

/* The variance of n values drawn with replacement from x[0..n-1], the
 * indices from splitmix64 uniforms of key + i. */
static double resampled_variance(const double *x, size_t n, uint64_t key)
{
	double mean = 0, ss = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = (size_t)(rng_key_uniform(key + i) * (double)n);
		double v = x[j < n ? j : n - 1], dx = v - mean;
		mean += dx / (double)(i + 1);
		ss += dx * (v - mean);
	}
	return ss / (double)(n - 1);
}

void stats_variance_ratio(const double *x1, size_t n1, const double *x2,
			  size_t n2, uint64_t seed, double *scratch,
			  stats_var_ratio *out)
{
	double *logs = scratch, *a = scratch + STATS_BOOT_B;
	double *b = a + n1;
	size_t m1 = present(x1, n1, a), m2 = present(x2, n2, b);
	out->var1 = variance_of(a, m1, &out->n1);
	out->var2 = variance_of(b, m2, &out->n2);
	out->ratio = out->ci_lo = out->ci_hi = NAN;
	if (isnan(out->var1) || isnan(out->var2) ||
	    (out->var1 == 0 && out->var2 == 0))
		return;
	if (out->var2 == 0) {
		out->ratio = INFINITY;
		return;
	}
	out->ratio = out->var1 / out->var2;
	for (uint64_t r = 0; r < STATS_BOOT_B; r++) {
		double v1 = resampled_variance(a, m1, rng_derive(seed, r, 1));
		double v2 = resampled_variance(b, m2, rng_derive(seed, r, 2));
		/* +-inf when a resample has no spread: sorted to the ends */
		logs[r] =
			v2 > 0 ? (v1 > 0 ? log(v1 / v2) : -INFINITY) : INFINITY;
	}
	gsl_sort(logs, 1, STATS_BOOT_B);
	out->ci_lo = exp(gsl_stats_quantile_from_sorted_data(
		logs, 1, STATS_BOOT_B, 0.025));
	out->ci_hi = exp(gsl_stats_quantile_from_sorted_data(
		logs, 1, STATS_BOOT_B, 0.975));
}

double stats_paired_p(const double *a, const double *b, size_t n, double *mean)
{
	double m = 0, ss = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		double d = b[i] - a[i];
		if (isnan(d))
			continue;
		double dx = d - m; /* Welford */
		m += dx / (double)++k;
		ss += dx * (d - m);
	}
	if (mean)
		*mean = k ? m : NAN;
	if (k < 2)
		return NAN;
	double sd = sqrt(ss / (double)(k - 1));
	if (sd == 0)
		return m == 0 ? NAN : 0;
	double t = m / (sd / sqrt((double)k));
	return 2 * gsl_cdf_tdist_Q(fabs(t), (double)(k - 1));
}
