/* sweep: the runs of an experiment, on all cores and MPI ranks, journalled.
 *
 * A sweep runs every (point, replicate) of a checked experiment
 * (experiment.h) on threads that take the next run from one queue, and
 * over MPI ranks when launched as several (ranks.h). Run (p, r) is seeded
 * with rng_derive(seed, p, r), so results depend neither on the number
 * of jobs or ranks nor on the order runs finish. Each finished run is
 * journalled under DIR/.sweep/ as it finishes (journal.h), so that an
 * interrupted sweep finishes with --resume to byte-identical outputs; once
 * every run is done the outputs are made from the journal (aggregate.h):
 * runs.csv, points.csv, timeseries_points.csv and sweep.json, committed last.
 * Rank 0 holds the lock of DIR (outdir.h) for the sweep's life.
 *
 * A sweep owns its queue, threads, journal and directory lock. It returns
 * statuses and struct cd_diag messages, and reports progress and notices
 * through the caller's hooks: nothing here prints, exits or handles
 * signals (a stop is cd_stop_signal, status.h).
 */
#ifndef CD_ANALYSIS_SWEEP_H
#define CD_ANALYSIS_SWEEP_H

#include <stddef.h>

#include "analysis/experiment.h"
#include "analysis/ranks.h"
#include "core/status.h"

/* Where a sweep is: rank 0, each time a run is kept, and once at the
 * end. */
struct sweep_progress {
	size_t done, total; /* runs kept, and of the sweep */
	size_t at_start;    /* runs that were done when this process began */
	double elapsed;	    /* seconds since the runs began */
	int final;	    /* 1 the last time */
};

/* What the caller hears while a sweep runs; any may be NULL. */
struct sweep_hooks {
	/* A line that is not a failure (a warning, what --resume found, a
	 * further failure of a run after the first), as a cd_diag's. */
	void (*notice)(void *ctx, const char *msg);
	/* Progress; called with the queue locked, so return quickly. */
	void (*progress)(void *ctx, const struct sweep_progress *p);
	void *ctx;
};

/* What the sweep of an experiment needs at once, in bytes. */
struct sweep_memory {
	double runs;	    /* its simultaneous runs (worlds and records) */
	double aggregation; /* the aggregation, and the index of the runs */
	double total;	    /* its runs */
	int jobs;	    /* how many run at once in one process */
};

/* Estimates what the sweep of a checked experiment e needs. Cannot
 * fail. */
void sweep_memory_need(const struct experiment *e, struct sweep_memory *m);

typedef struct sweep sweep;

/* Makes the sweep of a checked experiment e (which must outlive it) over
 * the ranks rk. Returns 0 and *out, or CD_ENOMEM. */
int sweep_create(sweep **out, const struct experiment *e, struct ranks *rk,
		 const struct sweep_hooks *hooks);

/* Rank 0 (a call elsewhere does nothing): locks DIR and starts or takes
 * up the journal (journal_open). Returns 0, or as cd_outdir_open (CD_EBUSY
 * when another process writes DIR, CD_EIO) or journal_open, with d->msg. */
int sweep_start(sweep *s, struct cd_diag *d);

/* Runs this rank's share of the runs left, exchanging records with the
 * other ranks. Returns 0 when every run is done; CD_EINTR when runs are
 * missing (a stop was requested here or on another rank: sweep_signal);
 * or the sweep's first failure: CD_ELIMIT or CD_EINVAL (a point's run
 * breaks a limit; bad input), CD_EIO, CD_ENOMEM. d->msg says what failed
 * in this process, and is empty if nothing did. */
int sweep_run(sweep *s, struct cd_diag *d);

/* Rank 0, once sweep_run returned 0: writes the outputs (aggregate_write)
 * and removes the journal. Returns 0, or as aggregate_write. */
int sweep_finish(sweep *s, const char *command, struct cd_diag *d);

/* After sweep_run: the runs done and of the sweep; the signal that
 * stopped the sweep (0: none); the journal's directory (rank 0 after
 * sweep_start, or NULL). Cannot fail. */
size_t sweep_runs_done(const sweep *s);
size_t sweep_runs(const sweep *s);
int sweep_stop_signal(const sweep *s);
const char *sweep_journal_dir(const sweep *s);

/* Closes the journal, unlocks DIR and frees s. Accepts NULL. */
void sweep_destroy(sweep *s);

#endif
