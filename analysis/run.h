/* run: the one run loop.
 *
 * `run`, `sweep`, `bench` (and the comparisons and calibrations to come)
 * simulate a scenario through cd_run: the world is made from the
 * scenario's parameters, stepped day by day to the horizon, handed to the
 * caller's sink after each day, and summarised. What a caller does with
 * the days (write timeseries.csv, keep national totals for a sweep's
 * journal) is its sink's business, not the loop's.
 */
#ifndef CD_ANALYSIS_RUN_H
#define CD_ANALYSIS_RUN_H

#include <stdint.h>

#include "analysis/output.h"
#include "load/scenario.h"
#include "world/world.h"

/* What a caller does with each day of a run. */
struct cd_run_sink {
	/* After each reported day, 0 to days - 1 (the warm-up's days are
	 * simulated but not handed over) (NULL: nothing). Returns 0, or a
	 * status that stops the run (with d->msg). */
	int (*day)(void *ctx, const sim_world *w, struct cd_diag *d);
	void *ctx;
};

/* Simulates sc with `seed` through its warm-up and to its horizon,
 * calling the sink after each reported day, and writes the summary into *s. On
 * success, if out is not NULL, *out is the world, for the caller to read and
 * destroy; otherwise the world is destroyed. Returns 0; CD_EINTR when a stop
 * was requested (status.h; d->msg says on which day); CD_ELIMIT (a built-in
 * limit), CD_ENOMEM, or the status a sink returned, with d->msg. On error no
 * world is left. */
int cd_run(const struct cd_scenario *sc, uint64_t seed,
	   const struct cd_run_sink *sink, struct cd_summary *s,
	   sim_world **out, struct cd_diag *d);

/* The seed of replicate `rep` at point `point` of a study (a sweep, a
 * comparison) with master seed `master`: rng_derive(master, 0, rep), the
 * same at every point, so that the points of a study differ only where
 * their settings reach (common random numbers); with `independent`,
 * rng_derive(master, point, rep), a seed of its own per point. */
uint64_t cd_study_seed(uint64_t master, int independent, uint64_t point,
		       uint64_t rep);

#endif
