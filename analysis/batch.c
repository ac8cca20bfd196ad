/* batch: see batch.h. POSIX threads run a rank's jobs; one mutex guards
 * the counter of jobs, the outputs received and the first failure. The
 * exchange of ranks.h (the sweep's) carries the other ranks' records,
 * served with the callbacks of struct ranks_queue, once per batch. */
#define _POSIX_C_SOURCE 200809L /* POSIX.1-2008 */
#include "analysis/batch.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ranks.h"

#define MAX_THREADS 1024
#define CHUNK ((size_t)1 << 20) /* bytes of inputs per broadcast */

/* What heads a record: which job, how it ended, and where. */
struct head {
	uint64_t index;
	int32_t status; /* 0, or the job's failure */
	int32_t rank;
	struct cd_diag d; /* the failure's message */
};

struct batch {
	struct ranks *rk;
	struct batch_spec s;
	size_t record; /* bytes of a record: head, then output */
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* a record queued or a worker ended */
	int closed;		/* rank 0: batch_close was called */
	unsigned char *scratch; /* [CHUNK], under MPI: inputs in transit */
	unsigned char *inbuf;	/* rank > 0: the batch's inputs */
	size_t inbuf_cap;
	/* The batch being run: */
	size_t n, next; /* jobs; the next of this rank's */
	const unsigned char *in;
	unsigned char *out; /* rank 0: [n * out] */
	unsigned char *got; /* rank 0: [n], the job's output is in out */
	size_t done;	    /* rank 0: outputs in out */
	int failed;	    /* the first failure's status */
	size_t fail_at;	    /* its job (SIZE_MAX: not a job's) */
	struct cd_diag failure;
	int stop;		    /* a signal that stopped another rank */
	int running;		    /* worker threads not yet ended */
	struct ranks_outbox outbox; /* rank > 0: records for rank 0 */
};

/* Keeps a failure: the one of the lowest job index (at), a job's before
 * any other. Called under the lock. */
static void fail(struct batch *b, size_t at, int status, const char *msg)
{
	if (b->failed && at >= b->fail_at)
		return;
	b->failed = status;
	b->fail_at = at;
	snprintf(b->failure.msg, sizeof b->failure.msg, "%s", msg);
}

/* ---- the jobs of this rank -------------------------------------------- */

/* Rank > 0: queues the record for the main thread to send to rank 0.
 * Called under the lock. */
static void queue_out(struct batch *b, const unsigned char *rec)
{
	if (ranks_outbox_push(&b->outbox, rec)) {
		fail(b, SIZE_MAX, CD_ENOMEM, "out of memory");
		return;
	}
	pthread_cond_signal(&b->wake);
}

/* Keeps what job h->index made, its output at out (rank 0: in place;
 * rank > 0: the record rec). Called under the lock. */
static void keep(struct batch *b, const struct head *h, unsigned char *rec)
{
	if (b->rk->rank > 0) {
		memcpy(rec, h, sizeof *h);
		queue_out(b, rec);
		if (h->status) /* rank 0 reports it; this rank stops */
			fail(b, h->index, h->status, h->d.msg);
		return;
	}
	if (h->status) {
		char msg[sizeof h->d.msg + 32];
		if (h->rank)
			snprintf(msg, sizeof msg, "MPI rank %d: %s", h->rank,
				 h->d.msg);
		else
			snprintf(msg, sizeof msg, "%s", h->d.msg);
		fail(b, h->index, h->status, msg);
		return;
	}
	b->got[h->index] = 1;
	b->done++;
}

/* The next job of this rank, or n if none or the batch stops. */
static size_t next_job(struct batch *b)
{
	pthread_mutex_lock(&b->lock);
	size_t i = b->next;
	if (i < b->n)
		b->next += (size_t)b->rk->size;
	int go = i < b->n && !cd_stopped() && !b->stop && !b->failed;
	pthread_mutex_unlock(&b->lock);
	return go ? i : b->n;
}

static void *worker(void *arg)
{
	struct batch *b = arg;
	int rank = b->rk->rank;
	unsigned char *rec = malloc(b->record);
	size_t i;
	while (rec && (i = next_job(b)) < b->n) {
		struct head h = {.index = i, .rank = rank};
		unsigned char *out =
			rank ? rec + sizeof h : b->out + i * b->s.out;
		h.status = b->s.run(b->s.ctx, b->in + i * b->s.in, out, &h.d);
		if (h.status == CD_EINTR)
			break; /* stopped: the batch is not complete */
		pthread_mutex_lock(&b->lock);
		keep(b, &h, rec);
		pthread_mutex_unlock(&b->lock);
	}
	pthread_mutex_lock(&b->lock);
	if (!rec)
		fail(b, SIZE_MAX, CD_ENOMEM, "out of memory");
	b->running--;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	free(rec);
	return NULL;
}

/* The batch's status once its jobs end: its first failure; CD_EINTR if
 * a signal stopped it (*sig); CD_EIO if outputs are missing; 0. Called
 * under the lock, on rank 0. */
static int outcome(struct batch *b, int *sig)
{
	*sig = cd_stop_signal ? cd_stop_signal : b->stop;
	if (b->failed)
		return b->failed;
	if (*sig) {
		snprintf(b->failure.msg, sizeof b->failure.msg,
			 "stopped by signal %d", *sig);
		return CD_EINTR;
	}
	if (b->done < b->n) {
		snprintf(b->failure.msg, sizeof b->failure.msg,
			 "%zu of a batch's %zu jobs were lost", b->n - b->done,
			 b->n);
		return CD_EIO;
	}
	return 0;
}

/* ---- what the exchange asks (ranks.h) --------------------------------- */

static void q_take(void *ctx, const unsigned char *rec, int from)
{
	struct batch *b = ctx;
	struct head h;
	memcpy(&h, rec, sizeof h);
	pthread_mutex_lock(&b->lock);
	if (h.index >= b->n || h.rank != from || b->got[h.index] ||
	    h.index % (size_t)b->rk->size != (size_t)from) {
		char msg[160];
		snprintf(msg, sizeof msg,
			 "MPI rank %d sent a damaged record; every rank must "
			 "run the same cyberdef on one architecture",
			 from);
		fail(b, SIZE_MAX, CD_EIO, msg);
	} else {
		if (!h.status)
			memcpy(b->out + h.index * b->s.out, rec + sizeof h,
			       b->s.out);
		keep(b, &h, NULL);
	}
	pthread_mutex_unlock(&b->lock);
}

static void q_halt(void *ctx, int failed, int sig)
{
	struct batch *b = ctx;
	pthread_mutex_lock(&b->lock);
	if (failed) {
		char msg[160];
		snprintf(msg, sizeof msg, "another MPI rank failed: %s",
			 cd_strerror(failed));
		fail(b, SIZE_MAX, failed, msg);
	}
	if (sig && !b->stop)
		b->stop = sig;
	if (sig && !cd_stopped())
		cd_stop_signal = sig; /* the jobs in flight stop too */
	pthread_mutex_unlock(&b->lock);
}

static void q_state(void *ctx, int *failed, int *sig, int *running)
{
	struct batch *b = ctx;
	pthread_mutex_lock(&b->lock);
	*failed = b->failed;
	*sig = cd_stop_signal ? cd_stop_signal : b->stop;
	*running = b->running;
	pthread_mutex_unlock(&b->lock);
}

static unsigned char *q_outbox(void *ctx, size_t *n, int *more)
{
	struct batch *b = ctx;
	pthread_mutex_lock(&b->lock);
	unsigned char *box = ranks_outbox_take(&b->outbox, &b->lock, &b->wake,
					       &b->running, n, more);
	pthread_mutex_unlock(&b->lock);
	return box;
}

static void q_outcome(void *ctx, int *status, int *sig)
{
	struct batch *b = ctx;
	pthread_mutex_lock(&b->lock);
	*status = outcome(b, sig);
	pthread_mutex_unlock(&b->lock);
}

/* ---- a batch ---------------------------------------------------------- */

/* Runs this rank's share of the batch set up in b: its jobs on threads,
 * the exchange on this one. Returns the batch's status (rank 0's, on
 * every rank). */
static int run_share(struct batch *b)
{
	const struct ranks_queue q = {b->record, q_take,    q_halt, q_state,
				      q_outbox,	 q_outcome, b};
	size_t r = (size_t)b->rk->rank, R = (size_t)b->rk->size;
	size_t mine = b->n > r ? (b->n - r + R - 1) / R : 0;
	int want = (size_t)b->s.threads < mine ? b->s.threads : (int)mine;
	pthread_t th[MAX_THREADS];
	int started = 0;
	b->running = want;
	for (; started < want && started < MAX_THREADS; started++)
		if (pthread_create(&th[started], NULL, worker, b))
			break;
	pthread_mutex_lock(&b->lock);
	b->running -= want - started;
	pthread_mutex_unlock(&b->lock);
	if (!started && want > 0) {
		b->running = 1;
		worker(b); /* no thread: this one */
	}
	int final[2] = {0, 0};
	ranks_exchange(b->rk, &q, final);
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	if (b->rk->mpi)
		return final[0];
	int sig;
	return outcome(b, &sig);
}

/* Sets b up for a batch of n jobs, inputs at in. */
static void begin(struct batch *b, size_t n, const unsigned char *in)
{
	b->n = n;
	b->next = (size_t)b->rk->rank;
	b->in = in;
	b->done = 0;
	b->failed = 0;
	b->fail_at = SIZE_MAX;
	b->failure.msg[0] = 0;
	b->stop = 0;
}

/* Every rank: rank 0's n bytes at src (rank 0 passes it, the others
 * NULL) to dst on every other rank, in chunks through scratch; a rank
 * passing dst NULL keeps none of them. */
static void broadcast(struct batch *b, const unsigned char *src,
		      unsigned char *dst, size_t n)
{
	for (size_t at = 0; at < n; at += CHUNK) {
		size_t c = n - at < CHUNK ? n - at : CHUNK;
		unsigned char *buf = dst ? dst + at : b->scratch;
		if (src) {
			memcpy(b->scratch, src + at, c);
			buf = b->scratch;
		}
		ranks_broadcast(b->rk, buf, c);
	}
}

int batch_run(batch *b, size_t n, const void *in, void *out, struct cd_diag *d)
{
	unsigned char *got = calloc(n ? n : 1, 1);
	if (!got) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	if (b->rk->mpi) {
		long long h[2] = {(long long)n, 0};
		ranks_broadcast(b->rk, h, sizeof h);
		broadcast(b, in, NULL, n * b->s.in);
	}
	begin(b, n, in);
	b->out = out;
	b->got = got;
	int rc = run_share(b);
	*d = b->failure;
	free(got);
	b->got = NULL;
	return rc;
}

int batch_serve(batch *b)
{
	for (;;) {
		long long h[2];
		ranks_broadcast(b->rk, h, sizeof h);
		if (h[0] < 0)
			return (int)h[1];
		size_t n = (size_t)h[0], bytes = n * b->s.in;
		if (bytes > b->inbuf_cap) {
			void *nb = realloc(b->inbuf, bytes);
			if (nb) {
				b->inbuf = nb;
				b->inbuf_cap = bytes;
			}
		}
		int room = bytes <= b->inbuf_cap;
		broadcast(b, NULL, room ? b->inbuf : NULL, bytes);
		begin(b, n, b->inbuf);
		if (!room) { /* run none; rank 0 learns why at END */
			b->failed = CD_ENOMEM;
			b->next = n;
		}
		(void)run_share(b);
	}
}

void batch_close(batch *b, int status)
{
	if (!b || b->rk->rank || b->closed)
		return;
	b->closed = 1;
	long long h[2] = {-1, status};
	ranks_broadcast(b->rk, h, sizeof h);
}

int batch_create(batch **out, struct ranks *rk, const struct batch_spec *spec,
		 struct cd_diag *d)
{
	*out = NULL;
	struct batch *b = calloc(1, sizeof *b);
	if (!b)
		goto nomem;
	*b = (struct batch){.rk = rk,
			    .s = *spec,
			    .record = sizeof(struct head) + spec->out};
	b->outbox.record = b->record;
	if (rk->mpi && !(b->scratch = malloc(CHUNK)))
		goto nomem;
	if (ranks_reserve(rk, b->record, d))
		goto nomem;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	*out = b;
	return 0;
nomem:
	if (b)
		free(b->scratch);
	free(b);
	snprintf(d->msg, sizeof d->msg, "out of memory");
	return CD_ENOMEM;
}

void batch_destroy(batch *b)
{
	if (!b)
		return;
	batch_close(b, 1);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
	free(b->scratch);
	free(b->inbuf);
	free(b->outbox.buf);
	free(b);
}
