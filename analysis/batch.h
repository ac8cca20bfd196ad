/* batch: batches of opaque jobs, run on this process's threads and, when
 * it was launched as one of several MPI ranks, on every rank's threads
 * (ranks.h). `cyberdef calibrate` runs the simulations of each ABC batch
 * through it.
 *
 * A job is a pure function of its input: `in` bytes in, `out` bytes
 * out. Rank 0 drives: batch_run broadcasts a batch's inputs; job i is
 * rank i % R's, and each rank runs its jobs on its own threads while its
 * main thread runs the exchange of ranks.h, which carries the outputs of
 * the other ranks' jobs to rank 0 as records (the job's index, status,
 * message, output) and relays a failure or a signal on any rank to every
 * rank. Rank 0 puts each output in its place, so what batch_run returns
 * depends neither on the number of ranks or threads nor on the order the
 * jobs end. The other ranks wait in batch_serve, job after job, batch
 * after batch, until rank 0 closes (batch_close) with the exit status
 * they return. Inputs and outputs travel as bytes: every rank must run
 * the same cyberdef on one architecture (as the sweep's records).
 *
 * As one process (no MPI, or a single rank) batch_run runs the jobs on
 * threads and batch_serve is never called. Nothing here prints.
 */
#ifndef CD_ANALYSIS_BATCH_H
#define CD_ANALYSIS_BATCH_H

#include <stddef.h>

#include "core/status.h"

struct ranks;

/* The jobs of a batch. */
struct batch_spec {
	size_t in, out; /* bytes of one job's input and output, >= 1 */
	int threads;	/* on each rank, 1..1024 */
	/* Runs one job: input at in, output into out. Returns 0, CD_EINTR
	 * when stopped (cd_stopped), or a failure with d->msg. Called on
	 * several threads at once, for different jobs. */
	int (*run)(void *ctx, const void *in, void *out, struct cd_diag *d);
	void *ctx;
};

typedef struct batch batch;

/* Every rank: a runner of batches of spec's jobs over rk's ranks (rk
 * started, and ended after batch_destroy). Returns 0, or CD_ENOMEM with
 * d->msg; *b is then NULL. */
int batch_create(batch **b, struct ranks *rk, const struct batch_spec *spec,
		 struct cd_diag *d);

/* Rank 0: runs the n jobs whose inputs are in[n * in] on every rank,
 * their outputs into out[n * out]. Returns 0 once every job has run;
 * or, with d->msg: CD_EINTR (a stop request on any rank: *d says so),
 * the failure of the job of lowest index among those that failed (its
 * message, with its rank's number if another rank's), CD_ENOMEM, CD_EIO
 * (a damaged record). A failure stops every rank's jobs; out is then
 * partly written. */
int batch_run(batch *b, size_t n, const void *in, void *out, struct cd_diag *d);

/* A rank other than 0: runs its share of each batch rank 0 runs, until
 * rank 0 closes. Returns the status rank 0 closed with. */
int batch_serve(batch *b);

/* Rank 0: no more batches; the other ranks' batch_serve returns status.
 * Does nothing the second time, or as one process. Cannot fail. */
void batch_close(batch *b, int status);

/* Frees b; on rank 0, closes with status 1 first if not closed (so no
 * rank waits for ever). Accepts NULL. */
void batch_destroy(batch *b);

#endif
