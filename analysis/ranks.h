/* ranks: work shared among MPI ranks (the only user of MPI): a sweep's
 * runs (sweep.c), and the jobs of a batch (batch.c, once per batch; for
 * `cyberdef calibrate`). Described here for a sweep; a batch differs in
 * what rank 0 broadcasts (its jobs' inputs) and deals (job i to rank
 * i % R), and its records are the jobs' outputs.
 *
 * Launched as R > 1 MPI ranks (mpirun, srun), every rank checks the sweep
 * itself and the ranks agree on the outcome (ranks_agree); rank 0 alone
 * creates the output directory and the journal, then broadcasts which
 * runs are done. The runs left are dealt out in turn, the k-th to rank
 * k % R, and each rank runs its share on its own threads. While they
 * work, the main thread of each rank runs the exchange (ranks_exchange):
 * a rank other than 0 sends each record to rank 0 as soon as it is made
 * (RECORD), and after its last one END; rank 0 journals the records it
 * receives. A signal or failure on any rank reaches rank 0 (STOP or END),
 * which relays STOP to every rank; rank 0 closes the exchange by sending
 * each rank the outcome (FINAL), then writes the outputs. Only main
 * threads call MPI (MPI_THREAD_FUNNELED). Records travel as bytes: every
 * node must share one architecture, as the journal already assumes.
 *
 * Built without MPI (CD_MPI undefined), a sweep is one process, and a
 * launch as several is refused: they would all write one journal. What
 * the exchange needs of the runs is asked through struct ranks_queue, so
 * this module knows MPI and the protocol, and nothing of threads or
 * files. Nothing here prints.
 */
#ifndef CD_ANALYSIS_RANKS_H
#define CD_ANALYSIS_RANKS_H

#include <pthread.h>
#include <stddef.h>

#include "core/status.h"

struct ranks {
	int rank, size;	    /* this process's rank and the number of ranks */
	int mpi;	    /* MPI is initialised */
	unsigned char *rec; /* rank 0: one record, being received */
	void *requests;	    /* rank 0: the STOP sends, one per rank */
};

/* Initialises MPI if this process was launched as one of several ranks
 * (from the launcher's environment: Open MPI, MPICH's Hydra, Slurm).
 * Returns 0; or CD_EINVAL with d->msg when this MPI cannot serve threads,
 * or (built without MPI) when launched as several ranks. On error only
 * rank 0 should say it (rk->rank, from the environment without MPI).
 * Call ranks_end afterwards either way. */
int ranks_start(struct ranks *rk, struct cd_diag *d);

/* Every rank passes its status (>= 0) for the same step. Returns the
 * highest; *first gets rank 0's. Without MPI returns status, and *first
 * is status. */
int ranks_agree(const struct ranks *rk, int status, int *first);

/* Copies rank 0's n bytes at buf to every rank. Cannot fail. */
void ranks_broadcast(const struct ranks *rk, void *buf, size_t n);

/* Rank 0: makes room for the exchange of records of `record` bytes;
 * once per process. Returns 0, or CD_ENOMEM with d->msg. */
int ranks_reserve(struct ranks *rk, size_t record, struct cd_diag *d);

/* What the exchange asks of this rank's runs (sweep.c, batch.c). Each callback
 * is called from the main thread, while the rank's threads run. Statuses are
 * CD_* codes (0: none), signals numbers (0: none). */
struct ranks_queue {
	size_t record; /* bytes of one record */
	/* Rank 0: keeps the record that rank `from` sent. */
	void (*take)(void *ctx, const unsigned char *rec, int from);
	/* Another rank's failure and the signal that stopped it, if any. */
	void (*halt)(void *ctx, int failed, int sig);
	/* This rank's first failure, its stop signal (its own or another
	 * rank's), and whether any of its threads still runs. */
	void (*state)(void *ctx, int *failed, int *sig, int *running);
	/* A rank other than 0: takes the *n records the threads have
	 * queued (malloc'd; the exchange frees them), waiting up to 20 ms
	 * while none is queued and threads run; *more is 0 once none is
	 * left and no thread runs. */
	unsigned char *(*outbox)(void *ctx, size_t *n, int *more);
	/* Rank 0, once every rank has ended: the sweep's status and the
	 * signal that stopped it. */
	void (*outcome)(void *ctx, int *status, int *sig);
	void *ctx;
};

/* The records a rank other than 0 has queued for rank 0: its threads
 * push them under their owner's lock, the queue's outbox callback takes
 * them all (ranks_outbox_take). A zeroed one with `record` set is empty. */
struct ranks_outbox {
	unsigned char *buf;
	size_t n, cap, record; /* records, room, bytes of one */
};

/* Appends the record rec (record bytes). Returns 0, or CD_ENOMEM (the
 * outbox unchanged). Called under the owner's lock. */
int ranks_outbox_push(struct ranks_outbox *o, const unsigned char *rec);

/* What a queue's outbox callback does, under the owner's `lock` (held on
 * entry and on return): waits up to 20 ms on `wake` while the outbox is
 * empty and *running (the owner's count of running threads, which the
 * wait lets change), then takes its *n records (malloc'd, or NULL),
 * leaving it empty; *more is 0 once none is left and no thread runs. */
unsigned char *ranks_outbox_take(struct ranks_outbox *o, pthread_mutex_t *lock,
				 pthread_cond_t *wake, const int *running,
				 size_t *n, int *more);

/* Runs the exchange while this rank's threads work; returns when they
 * have ended and, on rank 0, when every rank has. final[0] and final[1]
 * get the status and signal rank 0 sent (on rank 0, its own outcome).
 * Without MPI (or as one rank) returns at once, final untouched. */
void ranks_exchange(struct ranks *rk, const struct ranks_queue *q,
		    int final[2]);

/* Finalises MPI if it was initialised, and frees what rk holds. */
void ranks_end(struct ranks *rk);

#endif
