/* aggregate: a sweep's outputs, made from its journal once every run is
 * done.
 *
 * runs.csv has one row per run (point, replicate, the point's values and
 * the run's summary, seed included); points.csv one row per point with
 * the mean, sd, 95% CI and median of every summary metric over its
 * replicates; timeseries_points.csv one row per point and day with the
 * mean and 95% CI of every kept daily total (metrics.h: KEEP); and
 * sweep.json, the set's manifest (arguments, hashes and each CSV's
 * SHA-256), committed last (csv.h). The outputs are made point by point,
 * in memory that does not grow with the number of points
 * (aggregate_bytes, which the sweep's memory check counts): one record;
 * the summary metrics of one point's replicates, whose medians need them
 * all; and, per day and daily total, a running mean and a running mean of
 * squared deviations over two passes on the point's records. The
 * recurrences are GSL's own (gsl_stats_mean, gsl_stats_sd_m), so the
 * numbers are those stats_summarise gives over the same values. Nothing
 * here prints; the module owns nothing between calls.
 */
#ifndef CD_ANALYSIS_AGGREGATE_H
#define CD_ANALYSIS_AGGREGATE_H

#include "analysis/experiment.h"
#include "analysis/journal.h"
#include "core/status.h"

#define AGGREGATE_MAX_FILES 6

/* The names of e's set into *names (sweep.json last): runs.csv,
 * points.csv, timeseries_points.csv, and for a comparison effects.csv and
 * tails.csv (effects.h). Returns how many. Cannot fail. */
int aggregate_files(const struct experiment *e, const char *const **names);

/* Bytes the aggregation of e holds at once. Cannot fail. */
double aggregate_bytes(const struct experiment *e);

/* Writes the set into e->rq.out from the records of j (every run's must
 * be there), `command` being the command line for sweep.json. Returns 0;
 * or CD_EIO (a record cannot be read back whole, or a file cannot be
 * written: none of the set is then replaced) or CD_ENOMEM, with d->msg. */
int aggregate_write(const struct experiment *e, const struct journal *j,
		    const char *command, struct cd_diag *d);

#endif
