/* ranks: see ranks.h. The one file that includes mpi.h (CD_MPI). */
#define _POSIX_C_SOURCE 200809L /* nanosleep, clock_gettime */
#include "analysis/ranks.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef CD_MPI
#include <mpi.h>
#endif

/* The number of processes an MPI launcher started, from the environment it
 * sets before MPI_Init: Open MPI's mpirun, MPICH's Hydra or Slurm's PMI-2,
 * or srun with PMIx. 1 without a launcher. */
static int launched_ranks(void)
{
	const char *n = getenv("OMPI_COMM_WORLD_SIZE");
	if (!n)
		n = getenv("PMI_SIZE");
	if (!n && getenv("PMIX_RANK"))
		n = getenv("SLURM_STEP_NUM_TASKS");
	long v = n ? strtol(n, NULL, 10) : 1;
	return v > 1 && v < INT_MAX ? (int)v : 1;
}

int ranks_outbox_push(struct ranks_outbox *o, const unsigned char *rec)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 4;
		void *nb = realloc(o->buf, cap * o->record);
		if (!nb)
			return CD_ENOMEM;
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->n++ * o->record, rec, o->record);
	return 0;
}

unsigned char *ranks_outbox_take(struct ranks_outbox *o, pthread_mutex_t *lock,
				 pthread_cond_t *wake, const int *running,
				 size_t *n, int *more)
{
	if (!o->n && *running) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 20000000; /* look for STOP every 20 ms */
		if (t.tv_nsec >= 1000000000) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(wake, lock, &t);
	}
	unsigned char *box = o->buf;
	*n = o->n;
	*more = *running || *n;
	o->buf = NULL;
	o->n = o->cap = 0;
	return box;
}

#ifdef CD_MPI
enum { TAG_RECORD = 1, TAG_STOP, TAG_END, TAG_FINAL };

static void nap(void)
{
	struct timespec d = {0, 1000000}; /* 1 ms */
	nanosleep(&d, NULL);
}

int ranks_start(struct ranks *rk, struct cd_diag *d)
{
	*rk = (struct ranks){.size = 1};
	if (launched_ranks() == 1)
		return 0; /* one process: no MPI at all */
	int provided;
	MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
	rk->mpi = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &rk->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &rk->size);
	if (provided < MPI_THREAD_FUNNELED) {
		snprintf(d->msg, sizeof d->msg,
			 "this MPI cannot be used with threads "
			 "(MPI_THREAD_FUNNELED)");
		return CD_EINVAL;
	}
	return 0;
}

int ranks_agree(const struct ranks *rk, int status, int *first)
{
	*first = status;
	if (!rk->mpi)
		return status;
	int worst;
	MPI_Bcast(first, 1, MPI_INT, 0, MPI_COMM_WORLD);
	MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	return worst;
}

void ranks_broadcast(const struct ranks *rk, void *buf, size_t n)
{
	if (rk->mpi)
		MPI_Bcast(buf, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
}

int ranks_reserve(struct ranks *rk, size_t record, struct cd_diag *d)
{
	if (!rk->mpi || rk->rank)
		return 0;
	rk->rec = malloc(record);
	/* MPI_Request is a handle (a pointer in Open MPI): */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	rk->requests = malloc((size_t)rk->size * sizeof(MPI_Request));
	if (rk->rec && rk->requests)
		return 0;
	snprintf(d->msg, sizeof d->msg, "out of memory");
	return CD_ENOMEM;
}

/* Rank 0: takes the message that st announces, a record or STOP or END.
 * Returns 1 for an END. */
static int root_receive(struct ranks *rk, const struct ranks_queue *q,
			const MPI_Status *st)
{
	if (st->MPI_TAG == TAG_RECORD) {
		MPI_Recv(rk->rec, (int)q->record, MPI_BYTE, st->MPI_SOURCE,
			 TAG_RECORD, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		q->take(q->ctx, rk->rec, st->MPI_SOURCE);
		return 0;
	}
	int msg[2]; /* {failure status, signal} */
	MPI_Recv(msg, 2, MPI_INT, st->MPI_SOURCE, st->MPI_TAG, MPI_COMM_WORLD,
		 MPI_STATUS_IGNORE);
	q->halt(q->ctx, msg[0], msg[1]);
	return st->MPI_TAG == TAG_END;
}

/* Rank 0: takes the records of the other ranks until its own threads
 * have ended and every rank has sent END, relaying a failure or a signal
 * as STOP; then sends each rank the outcome. */
static void exchange_root(struct ranks *rk, const struct ranks_queue *q,
			  int final[2])
{
	MPI_Request *stops = rk->requests;
	int ends = 0, relayed = 0, stop[2]; /* stop: sent by Isend */
	for (;;) {
		int flag, failed, sig, running;
		MPI_Status st;
		MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag,
			   &st);
		if (flag) {
			ends += root_receive(rk, q, &st);
			continue;
		}
		q->state(q->ctx, &failed, &sig, &running);
		if ((failed || sig) && !relayed) {
			stop[0] = failed;
			stop[1] = sig;
			for (int k = 1; k < rk->size; k++)
				MPI_Isend(stop, 2, MPI_INT, k, TAG_STOP,
					  MPI_COMM_WORLD, &stops[k]);
			relayed = 1;
		}
		if (!running && ends == rk->size - 1)
			break;
		nap();
	}
	if (relayed)
		MPI_Waitall(rk->size - 1, stops + 1, MPI_STATUSES_IGNORE);
	q->outcome(q->ctx, &final[0], &final[1]);
	for (int k = 1; k < rk->size; k++)
		MPI_Send(final, 2, MPI_INT, k, TAG_FINAL, MPI_COMM_WORLD);
}

/* A rank other than 0: sends n records to rank 0. Waiting in MPI_Send
 * would spin, taking a core from the workers; it waits for a batch of
 * sends in naps instead (with MPI_Testall, which the MPI checker does not
 * count). */
static void send_records(const struct ranks_queue *q, unsigned char *box,
			 size_t n)
{
	// NOLINTNEXTLINE(clang-analyzer-optin.mpi.MPI-Checker)
	for (size_t k = 0; k < n;) {
		MPI_Request rq[64];
		int m = 0, all = 0;
		for (; m < 64 && k < n; m++, k++)
			MPI_Isend(box + k * q->record, (int)q->record, MPI_BYTE,
				  0, TAG_RECORD, MPI_COMM_WORLD, &rq[m]);
		while (MPI_Testall(m, rq, &all, MPI_STATUSES_IGNORE), !all)
			nap();
	}
}

/* A rank other than 0, after its END: the outcome rank 0 sends. */
static void await_final(int final[2])
{
	for (;;) { /* a STOP may still come before FINAL */
		int flag, msg[2];
		MPI_Status st;
		MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
		if (!flag) {
			nap();
			continue;
		}
		MPI_Recv(msg, 2, MPI_INT, 0, st.MPI_TAG, MPI_COMM_WORLD,
			 MPI_STATUS_IGNORE);
		if (st.MPI_TAG == TAG_FINAL) {
			final[0] = msg[0];
			final[1] = msg[1];
			return;
		}
	}
}

/* A rank other than 0: sends the records its threads queue, and a signal
 * it receives, to rank 0; stops when rank 0 says STOP; ends with END. */
static void exchange_other(const struct ranks_queue *q, int final[2])
{
	int told = 0, more = 1, end[2], running;
	while (more) {
		size_t n;
		int flag, failed, sig, msg[2] = {0, 0};
		unsigned char *box = q->outbox(q->ctx, &n, &more);
		send_records(q, box, n);
		free(box);
		MPI_Iprobe(0, TAG_STOP, MPI_COMM_WORLD, &flag,
			   MPI_STATUS_IGNORE);
		if (flag)
			MPI_Recv(msg, 2, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
		q->state(q->ctx, &failed, &sig, &running);
		if (sig && !told) {
			int say[2] = {0, sig};
			MPI_Send(say, 2, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD);
			told = 1;
		}
		if (flag)
			q->halt(q->ctx, msg[0], msg[1]);
	}
	q->state(q->ctx, &end[0], &end[1], &running);
	MPI_Send(end, 2, MPI_INT, 0, TAG_END, MPI_COMM_WORLD);
	await_final(final);
}

void ranks_exchange(struct ranks *rk, const struct ranks_queue *q, int final[2])
{
	if (!rk->mpi)
		return;
	if (rk->rank > 0)
		exchange_other(q, final);
	else
		exchange_root(rk, q, final);
}

void ranks_end(struct ranks *rk)
{
	free(rk->rec);
	free(rk->requests);
	rk->rec = NULL;
	rk->requests = NULL;
	if (rk->mpi)
		MPI_Finalize();
	rk->mpi = 0;
}
#else
/* Built without MPI: one process, and a refusal to run as several (they
 * would all write one journal). */
int ranks_start(struct ranks *rk, struct cd_diag *d)
{
	*rk = (struct ranks){.size = 1};
	int n = launched_ranks();
	if (n == 1)
		return 0;
	const char *rank = getenv("OMPI_COMM_WORLD_RANK");
	if (!rank)
		rank = getenv("PMI_RANK");
	if (!rank)
		rank = getenv("PMIX_RANK");
	rk->rank = rank && strcmp(rank, "0") ? 1 : 0; /* said once, by 0 */
	snprintf(d->msg, sizeof d->msg,
		 "started as one of %d MPI processes, but this cyberdef was "
		 "built without MPI; rebuild it with Open MPI installed "
		 "(libopenmpi-dev), or run one process",
		 n);
	return CD_EINVAL;
}

int ranks_agree(const struct ranks *rk, int status, int *first)
{
	(void)rk;
	*first = status;
	return status;
}

void ranks_broadcast(const struct ranks *rk, void *buf, size_t n)
{
	(void)rk;
	(void)buf;
	(void)n;
}

int ranks_reserve(struct ranks *rk, size_t record, struct cd_diag *d)
{
	(void)rk;
	(void)record;
	(void)d;
	return 0;
}

void ranks_exchange(struct ranks *rk, const struct ranks_queue *q, int final[2])
{
	(void)rk;
	(void)q;
	(void) final;
}

void ranks_end(struct ranks *rk)
{
	(void)rk;
}
#endif
