/* stats: summary statistics and two-sample tests over plain arrays.
 *
 * Used for the summary of one run (mean, spread and a 95% confidence
 * interval of a metric over days or organisations) and for sweep
 * aggregation (the same over replicates, and p-values comparing two sweep
 * points). The module owns no state and keeps no buffers: callers hand in
 * the data and, where sorting is needed, the scratch space. NaN marks a
 * missing value and is skipped everywhere, so n counts present values
 * only. Results are deterministic: the same input gives the same bits.
 */
#ifndef CD_STATS_H
#define CD_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Summary of a sample. Every field but n is NaN when undefined: all when
 * n == 0; sd, ci_lo and ci_hi when n == 1.
 */
typedef struct {
	size_t n;      /* values summarised (NaN entries excluded) */
	double mean;   /* arithmetic mean */
	double sd;     /* sample standard deviation (divisor n - 1) */
	double ci_lo;  /* 95% CI of the mean: mean - t sd / sqrt(n) */
	double ci_hi;  /* 95% CI of the mean: mean + t sd / sqrt(n) */
	double median; /* middle value; mean of the two middle ones if n even */
	double min;    /* smallest value */
	double max;    /* largest value */
} stats_summary;

/* Summaries */

/* Summarises x[0..n-1] into *out, skipping NaN entries (out->n counts the
 * rest). The confidence interval is mean +- t sd/sqrt(n) with t the 0.975
 * quantile of Student's t with n-1 degrees of freedom
 * (gsl_cdf_tdist_Pinv). `scratch` must hold at least n doubles and may
 * alias neither x nor out; it is overwritten (with the sorted values), so
 * the function never allocates. x and scratch may be NULL when n == 0.
 * Cannot fail.
 */
void stats_summarise(const double *x, size_t n, double *scratch,
		     stats_summary *out);

/* Returns the median of the non-NaN entries of x[0..n-1], or NaN if there
 * are none. Reorders x in place: the non-NaN values sorted ascending, then
 * the NaN entries. Cannot fail.
 */
double stats_median(double *x, size_t n);

/* Kaplan-Meier median of times to an event with right censoring: the
 * smallest t at which the estimated survival S(t) falls to 1/2 or below.
 * x[i] encodes observation i as 2 t + c, t >= 0 an integer time (e.g.
 * days) and c = 1 if censored at t (event not seen by then), 0 if the
 * event happened at t; events at t come before censorings at t. Sorts x in
 * place. Returns NaN if n == 0 or S never falls to 1/2 (fewer than half
 * the events can be seen). Cannot fail. */
double stats_km_median(double *x, size_t n);

/* Kaplan-Meier medians of up to 32 groups at once, with one count of the
 * times (or one sort, should memory run out): observation i (x encoded as
 * for stats_km_median) belongs to the groups whose bits are set in
 * `groups`. Left truncation: an observation with entry e > 0 was first
 * seen at time e (an intrusion already e days old when the horizon
 * began) and is at risk only from e on, so it neither counts at earlier
 * times nor biases them (e <= its time). May reorder obs; out[g] is group
 * g's median or NaN. Cannot fail. */
struct stats_obs {
	double x;
	uint32_t groups;
	uint32_t entry; /* time at which it enters the risk set (0: from 0) */
};
void stats_km_medians(struct stats_obs *obs, size_t n, int n_groups,
		      double *out);

/* Two-sample tests (NaN entries skipped; na, nb count all entries) */

/* Welch's unequal-variance t test of equal means. Returns the two-sided
 * p-value in [0,1] from Student's t distribution with the Welch-
 * Satterthwaite degrees of freedom. Returns NaN if either sample has fewer
 * than 2 values, or if both have zero variance and equal means; 0 if both
 * have zero variance and the means differ. Cannot fail.
 */
double stats_welch_p(const double *a, size_t na, const double *b, size_t nb);

/* Paired t test of equal means: the differences b[i] - a[i] (pairs with
 * a NaN skipped) against 0. Returns the two-sided p-value from Student's
 * t with (pairs - 1) degrees of freedom; NaN with fewer than 2 pairs or
 * when every difference is 0; 0 when they are all equal and not 0. If
 * mean is not NULL, *mean is the mean difference (NaN without pairs).
 * Cannot fail. */
double stats_paired_p(const double *a, const double *b, size_t n, double *mean);

/* Mann-Whitney U (Wilcoxon rank-sum) test. Returns the two-sided p-value in
 * [0,1] from the normal approximation with mid-ranks for ties, the tie
 * correction of the variance and a continuity correction of 1/2 (as R's
 * wilcox.test(exact = FALSE) and SciPy's mannwhitneyu(method =
 * "asymptotic") by default). The approximation is only trusted with at
 * least 8 values in each sample: returns NaN when either has fewer, when
 * all values are tied (the variance is 0), or when the internal merged
 * array of na + nb entries cannot be allocated. Otherwise cannot fail.
 */
double stats_mannwhitney_p(const double *a, size_t na, const double *b,
			   size_t nb);

/* The ratio of the variances of two independent samples, var1 / var2,
 * with a 95% percentile bootstrap interval: STATS_BOOT_B resamples of
 * each sample with replacement, apart (they are independent), drawn
 * from splitmix64 uniforms keyed by `seed` (the same input gives the same
 * bits).
 * Unlike the F interval, which is exact only for normal samples and far
 * too narrow for heavy tails (its error grows with the kurtosis), it
 * assumes no distribution; with small heavy-tailed samples it is still
 * approximate (percentile intervals of a variance undercover a little).
 * NaN entries are skipped. ratio and the interval are NaN when either
 * sample has fewer than 2 values or both variances are 0; when only var2
 * is 0, ratio is infinite and the interval NaN. `scratch` holds at least
 * STATS_BOOT_B + n1 + n2 doubles. Cannot fail. */
#define STATS_BOOT_B 2000
typedef struct {
	size_t n1, n2;
	double var1, var2, ratio, ci_lo, ci_hi;
} stats_var_ratio;
void stats_variance_ratio(const double *x1, size_t n1, const double *x2,
			  size_t n2, uint64_t seed, double *scratch,
			  stats_var_ratio *out);

#endif
