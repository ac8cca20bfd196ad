/* coupling: how much common random numbers take out of the noise of a
 * comparison.
 *
 * For two scenarios, BASE and ALT, replicate r runs both with the same
 * seed (coupled, as every point of a sweep), and separately each with a
 * seed no other run uses (independent, as `sweep --independent`). For a
 * metric, var_ratio is the variance of the difference ALT - BASE over the
 * independent pairs divided by its variance over the coupled pairs: how
 * many times more replicates independent runs would need to estimate the
 * effect as precisely. Its 95% interval is a percentile bootstrap
 * (stats_variance_ratio), each set of pairs resampled apart: the two
 * share no run, so the two variances are independent. The bootstrap, not
 * the F distribution, because the differences are far from normal (many
 * coupled differences are exactly 0, and their kurtosis reaches 15).
 */
#ifndef CD_ANALYSIS_COUPLING_H
#define CD_ANALYSIS_COUPLING_H

#include <stdint.h>

#include "analysis/output.h"
#include "analysis/stats.h"
#include "load/scenario.h"

/* The headline metrics (summary columns) of the measurement. */
#define CD_COUPLING_HEADLINE                                         \
	{                                                            \
		CD_SUM_intrusions_corporate,                         \
			CD_SUM_intrusions_state_government,          \
			CD_SUM_records_exfiltrated, CD_SUM_loss_yen, \
			CD_SUM_median_dwell_days                     \
	}
#define CD_COUPLING_MAX_METRICS 16

struct cd_coupling_metric {
	int column;	    /* enum cd_summary_column */
	stats_summary diff; /* ALT - BASE over the coupled pairs */
	/* var1: the independent pairs' variance of the difference; var2:
	 * the coupled pairs'; ratio: var_ratio, with its interval. */
	stats_var_ratio vr;
};

/* Runs `reps` coupled and `reps` independent pairs of base and alt (4
 * reps runs in all) from master seed `seed`, and fills out[k] for
 * columns[k], k < n_columns <= CD_COUPLING_MAX_METRICS. A run whose
 * metric is undefined (NaN, e.g. a median dwell when under half of the
 * footholds are found) leaves its pair out of that metric. Returns 0, or
 * the status of a failed run (CD_EINTR when stopped, CD_ENOMEM, ...) with
 * d->msg saying which run. */
int cd_coupling_measure(const struct cd_scenario *base,
			const struct cd_scenario *alt, int reps, uint64_t seed,
			const int *columns, int n_columns,
			struct cd_coupling_metric *out, struct cd_diag *d);

#endif
