/* effects: what a comparison (cyberdef compare) reports, from its journal.
 *
 * Every arm ran replicate r with the same seed (common random numbers),
 * so arm and base are compared pair by pair. effects.csv has one row per
 * (alternative, metric, kind): kind `all` for the metric itself, and
 * `government`, `infrastructure`, `corporate` where the summary has the
 * metric's by-kind form (M_government, ...). Over the n pairs where both
 * values are defined (a median is not when too few footholds are found):
 * the arms' means, the mean paired difference with its 95% Student t
 * interval, the relative effect alt_mean / base_mean - 1 with a 95%
 * interval by the delta method (the ratio's variance from the paired
 * residuals b - R a), the two-sided p of the paired t test, and
 * var_ratio, the variance of a difference of independent runs (var a +
 * var b) over that of the paired difference: what pairing gained. An
 * undefined quantity (fewer than 2 pairs, a zero variance, a zero base
 * mean) is an empty field.
 *
 * tails.csv has, per arm and metric, the 10th, 50th and 90th percentiles
 * over the replicates (GSL's interpolated quantiles) and, for each
 * threshold given for the metric (--exceed METRIC=X), the share of
 * replicates above X with its 95% Wilson interval.
 *
 * Nothing here prints or owns anything between calls.
 */
#ifndef CD_ANALYSIS_EFFECTS_H
#define CD_ANALYSIS_EFFECTS_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/experiment.h"
#include "analysis/journal.h"

/* The paired comparison of one metric over reps replicates: base values
 * a[r], alternative b[r] (pairs with a value that is not finite are left
 * out). NaN where undefined. */
struct effect {
	size_t n; /* pairs */
	double base_mean, alt_mean, diff_mean, diff_lo, diff_hi;
	double rel, rel_lo, rel_hi; /* alt_mean / base_mean - 1 */
	double p, var_ratio;
};
void effects_paired(const double *a, const double *b, size_t reps,
		    struct effect *x);

/* The metrics e reports (its --metric, or the headline set), and the
 * name of metric m of them. Cannot fail. */
int effects_n_metrics(const struct experiment *e);
const char *effects_metric_name(const struct experiment *e, int m);

/* The summary column named `name`, or -1. Cannot fail. */
int effects_metric(const char *name);

/* Checks the metrics and thresholds a comparison asks for
 * (e->rq.metrics, e->rq.exceed: a summary column; METRIC=X with X a
 * finite number). Returns 0, or CD_EINVAL with d->msg naming the text
 * and what is allowed. */
int effects_check(const struct experiment *e, struct cd_diag *d);

/* Bytes effects_write holds at once. Cannot fail. */
double effects_bytes(const struct experiment *e);

/* Writes effects.csv and tails.csv of the checked comparison e from the
 * records of j (every run's must be there). Returns 0, or CD_EIO (a
 * record cannot be read back, d->msg) or CD_ENOMEM. */
int effects_write(const struct experiment *e, const struct journal *j,
		  FILE *effects, FILE *tails, struct cd_diag *d);

#endif
