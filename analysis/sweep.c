/* sweep: see sweep.h. POSIX threads run the replicates; one mutex guards
 * the queue of runs, the journal and the first failure. The records of
 * other ranks reach the journal through the exchange (ranks.h), which
 * this file serves with the callbacks of struct ranks_queue. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "analysis/sweep.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/aggregate.h"
#include "analysis/journal.h"
#include "analysis/metrics.h"
#include "analysis/outdir.h"
#include "analysis/run.h"
#include "world/world.h"

#define MAX_JOBS 1024

struct sweep {
	const struct experiment *e;
	struct ranks *rk;
	struct sweep_hooks hooks;
	struct journal j; /* rank 0, once started */
	cd_outdir *od;	  /* rank 0: the lock of DIR */
	pthread_mutex_t lock;
	pthread_cond_t wake; /* a record queued or a worker ended */
	unsigned char *done; /* [total]: 1 done, 2 another rank's */
	size_t next;	     /* next run index to look at */
	size_t total, finished, at_start;
	int failed;		    /* the first failure's status (CD_*) */
	struct cd_diag failure;	    /* what it was, if in this process */
	int stop;		    /* a signal that stopped another rank */
	int stop_sig;		    /* once run: the signal that stopped it */
	int running;		    /* worker threads not yet ended */
	struct ranks_outbox outbox; /* rank > 0: records for rank 0 */
	double started;		    /* when the runs began */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void notice(const struct sweep *s, const char *msg)
{
	if (s->hooks.notice)
		s->hooks.notice(s->hooks.ctx, msg);
}

/* Records a failure (status, msg: this process's, or NULL for another
 * rank's); the first is the sweep's, the others are notices. Called
 * under the lock. */
static void fail(struct sweep *s, int status, const char *msg)
{
	if (s->failed) {
		if (msg)
			notice(s, msg);
		return;
	}
	s->failed = status;
	if (msg)
		snprintf(s->failure.msg, sizeof s->failure.msg, "%s", msg);
}

static void progress(const struct sweep *s, int final)
{
	if (!s->hooks.progress)
		return;
	struct sweep_progress p = {s->finished, s->total, s->at_start,
				   now() - s->started, final};
	s->hooks.progress(s->hooks.ctx, &p);
}

/* ---- one run ---------------------------------------------------------- */

/* A run's national daily totals, day by day, into its record. */
struct daily_sink {
	const struct cd_params *p;
	double *daily; /* [max_days * CD_KEPT_N] */
};

static int keep_day(void *ctx, const sim_world *w, struct cd_diag *diag)
{
	(void)diag;
	const struct daily_sink *k = ctx;
	double *row = k->daily + (size_t)sim_world_day(w) * CD_KEPT_N;
	for (int m = 0; m < CD_KEPT_N; m++)
		row[m] = 0;
	const struct cd_params *p = k->p;
	for (int s = 0; s < p->n_segments; s++) {
		const struct cd_daily *d = sim_world_daily(w, s);
		CD_TIMESERIES_COLUMNS(CD_KEPT_ADD)
	}
	return 0;
}

/* Runs (point, rep) of scenario sc and fills its record. Returns as
 * cd_run. */
static int simulate(const struct sweep *s, const struct cd_scenario *sc,
		    int point, int rep, unsigned char *rec)
{
	struct journal_head h = {(uint32_t)point, (uint32_t)rep,
				 cd_study_seed(s->e->rq.seed,
					       s->e->rq.independent,
					       (uint64_t)point, (uint64_t)rep)};
	double *summary = journal_summary(rec);
	double *daily = summary + CD_SUMMARY_N;
	for (size_t k = (size_t)sc->p.days * CD_KEPT_N;
	     k < (size_t)s->e->max_days * CD_KEPT_N; k++)
		daily[k] = NAN; /* beyond this point's horizon */
	struct daily_sink k = {&sc->p, daily};
	struct cd_run_sink sink = {keep_day, &k};
	struct cd_summary sum;
	struct cd_diag d;
	int rc = cd_run(sc, h.seed, &sink, &sum, NULL, &d);
	if (rc)
		return rc;
	memcpy(summary, sum.v, sizeof sum.v);
	journal_seal(&s->j, rec, &h);
	return 0;
}

/* Rank > 0: queues the record for the main thread to send to rank 0.
 * Called under the lock. */
static void queue_out(struct sweep *s, const unsigned char *rec)
{
	if (ranks_outbox_push(&s->outbox, rec)) {
		fail(s, CD_ENOMEM, "out of memory");
		return;
	}
	s->finished++;
	pthread_cond_signal(&s->wake);
}

/* Keeps the record of run i: rank 0 (or a single process) appends it to
 * the journal; other ranks queue it for rank 0. Called under the lock. */
static void keep(struct sweep *s, size_t i, const unsigned char *rec)
{
	if (s->rk->rank > 0) {
		queue_out(s, rec);
		return;
	}
	if (s->done[i] == 1)
		return; /* cannot happen: each run is dealt out once */
	struct cd_diag d;
	int rc = journal_append(&s->j, i, rec, &d);
	if (rc) {
		fail(s, rc, d.msg);
		return;
	}
	s->done[i] = 1;
	s->finished++;
	progress(s, 0);
}

/* ---- the queue and its threads ---------------------------------------- */

/* The next run left to this rank, or total if none or the sweep stops. */
static size_t next_run(struct sweep *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->next < s->total && s->done[s->next])
		s->next++;
	size_t i = s->next++;
	int go = i < s->total && !cd_stopped() && !s->stop && !s->failed;
	pthread_mutex_unlock(&s->lock);
	return go ? i : s->total;
}

/* One worker's scenario: the point it has loaded. */
struct loaded {
	struct cd_scenario *sc;
	int point;     /* -1: none */
	long particle; /* its posterior particle, -1: none */
};

/* Runs run i into rec, loading its point if needed. Returns 0, CD_EINTR
 * (stopped: the run is done again later), or a failure with d->msg. */
static int run_one(struct sweep *s, struct loaded *l, size_t i,
		   unsigned char *rec, struct cd_diag *d)
{
	int point = (int)(i / (size_t)s->e->reps),
	    rep = (int)(i % (size_t)s->e->reps);
	long k = experiment_particle(s->e, rep);
	if (point != l->point || k != l->particle || !l->sc) {
		scenario_destroy(l->sc);
		l->sc = NULL;
		l->point = -1;
		int rc = experiment_load_particle(s->e, point, k, &l->sc, d);
		if (rc) /* checked before (but for a particle's settings with
			   the point's: a cross-setting rule), or a file
			   changed */
			return rc == CD_ENOMEM ? CD_ENOMEM : CD_EINVAL;
		l->point = point;
		l->particle = k;
	}
	int rc = simulate(s, l->sc, point, rep, rec);
	if (rc && rc != CD_EINTR)
		snprintf(d->msg, sizeof d->msg, "run %d of point %d: %s", rep,
			 point, cd_strerror(rc));
	return rc;
}

static void worker_ends(struct sweep *s)
{
	pthread_mutex_lock(&s->lock);
	s->running--;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

static void *worker(void *arg)
{
	struct sweep *s = arg;
	struct loaded l = {NULL, -1, -1};
	unsigned char *rec = malloc(s->j.record);
	size_t i;
	while (rec && (i = next_run(s)) < s->total) {
		struct cd_diag d;
		int rc = run_one(s, &l, i, rec, &d);
		if (rc == CD_EINTR)
			break; /* stopped: not journalled, done again later */
		pthread_mutex_lock(&s->lock);
		if (rc)
			fail(s, rc, d.msg);
		else
			keep(s, i, rec);
		pthread_mutex_unlock(&s->lock);
	}
	if (!rec) {
		pthread_mutex_lock(&s->lock);
		fail(s, CD_ENOMEM, "out of memory");
		pthread_mutex_unlock(&s->lock);
	}
	scenario_destroy(l.sc);
	free(rec);
	worker_ends(s);
	return NULL;
}

/* The sweep's status once its runs end: its first failure; CD_EINTR if
 * runs are missing (*signal: the signal that stopped it, if one did); 0.
 * Called under the lock. */
static int outcome(const struct sweep *s, int *sig)
{
	*sig = cd_stop_signal ? cd_stop_signal : s->stop;
	return s->failed		? s->failed
	       : *sig			? CD_EINTR
	       : s->finished < s->total ? CD_EINTR
					: 0;
}

/* ---- what the exchange asks of the queue (ranks.h) -------------------- */

static void q_take(void *ctx, const unsigned char *rec, int from)
{
	struct sweep *s = ctx;
	long long run = journal_run(&s->j, rec);
	pthread_mutex_lock(&s->lock);
	if (run < 0) {
		struct cd_diag d;
		snprintf(d.msg, sizeof d.msg,
			 "MPI rank %d sent a damaged record; every rank must "
			 "run the same cyberdef on one architecture",
			 from);
		fail(s, CD_EIO, d.msg);
	} else {
		keep(s, (size_t)run, rec);
	}
	pthread_mutex_unlock(&s->lock);
}

static void q_halt(void *ctx, int failed, int sig)
{
	struct sweep *s = ctx;
	pthread_mutex_lock(&s->lock);
	if (failed)
		fail(s, failed, NULL);
	if (sig && !s->stop)
		s->stop = sig;
	if (sig && !cd_stopped())
		cd_stop_signal = sig; /* the runs in flight stop too */
	pthread_mutex_unlock(&s->lock);
}

static void q_state(void *ctx, int *failed, int *sig, int *running)
{
	struct sweep *s = ctx;
	pthread_mutex_lock(&s->lock);
	*failed = s->failed;
	*sig = cd_stop_signal ? cd_stop_signal : s->stop;
	*running = s->running;
	pthread_mutex_unlock(&s->lock);
}

static unsigned char *q_outbox(void *ctx, size_t *n, int *more)
{
	struct sweep *s = ctx;
	pthread_mutex_lock(&s->lock);
	unsigned char *box = ranks_outbox_take(&s->outbox, &s->lock, &s->wake,
					       &s->running, n, more);
	pthread_mutex_unlock(&s->lock);
	return box;
}

static void q_outcome(void *ctx, int *status, int *sig)
{
	struct sweep *s = ctx;
	pthread_mutex_lock(&s->lock);
	*status = outcome(s, sig);
	pthread_mutex_unlock(&s->lock);
}

/* ---- the sweep -------------------------------------------------------- */

void sweep_memory_need(const struct experiment *e, struct sweep_memory *m)
{
	double record = (double)journal_record_size(e->max_days);
	m->total = (double)e->n_points * e->reps;
	m->jobs = m->total < e->rq.jobs ? (int)m->total : e->rq.jobs;
	m->runs = (e->world_bytes + 2.0 * record) * m->jobs;
	m->aggregation =
		aggregate_bytes(e) + m->total * (sizeof(long long) + 1.0);
}

int sweep_create(sweep **out, const struct experiment *e, struct ranks *rk,
		 const struct sweep_hooks *hooks)
{
	*out = NULL;
	struct sweep *s = calloc(1, sizeof *s);
	size_t total = (size_t)e->n_points * (size_t)e->reps;
	unsigned char *done = calloc(total ? total : 1, 1);
	if (!s || !done) {
		free(s);
		free(done);
		return CD_ENOMEM;
	}
	*s = (struct sweep){.e = e, .rk = rk, .done = done, .total = total};
	if (hooks)
		s->hooks = *hooks;
	s->j = (struct journal){.fd = -1,
				.record = journal_record_size(e->max_days)};
	s->outbox.record = s->j.record;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	*out = s;
	return 0;
}

int sweep_start(sweep *s, struct cd_diag *d)
{
	if (s->rk->rank > 0)
		return 0;
	const char *const *names;
	int n_files = aggregate_files(s->e, &names);
	int rc = cd_outdir_open(&s->od, s->e->rq.out, names, n_files, d);
	if (rc == CD_ENOMEM)
		snprintf(d->msg, sizeof d->msg, "out of memory");
	if (!rc)
		rc = journal_init(&s->j, s->e, d);
	if (!rc)
		rc = journal_open(&s->j, s->e, s->done, &s->finished,
				  s->hooks.notice, s->hooks.ctx, d);
	if (!rc)
		rc = ranks_reserve(s->rk, s->j.record, d);
	return rc;
}

/* Deals the runs left out in turn, the k-th to rank k % ranks, marking
 * the others' 2. Returns how many are this rank's. */
static size_t deal(struct sweep *s)
{
	const struct ranks *rk = s->rk;
	ranks_broadcast(rk, s->done, s->total);
	size_t todo = 0, left = 0;
	for (size_t i = 0; i < s->total; i++) {
		if (s->done[i])
			continue;
		if (left++ % (size_t)rk->size == (size_t)rk->rank)
			todo++;
		else
			s->done[i] = 2;
	}
	return todo;
}

/* Starts n workers on threads, th[] their handles. Returns how many
 * started; if none could, runs one worker here. */
static int start_workers(struct sweep *s, pthread_t *th, int n)
{
	int started = 0;
	s->running = n;
	for (int k = 0; k < n; k++) {
		if (pthread_create(&th[k], NULL, worker, s))
			break;
		started++;
	}
	pthread_mutex_lock(&s->lock);
	s->running -= n - started;
	pthread_mutex_unlock(&s->lock);
	if (!started && n > 0) {
		s->running = 1;
		worker(s);
	}
	return started;
}

int sweep_run(sweep *s, struct cd_diag *d)
{
	const struct ranks_queue q = {s->j.record, q_take,    q_halt, q_state,
				      q_outbox,	   q_outcome, s};
	size_t todo = deal(s);
	s->at_start = s->finished;
	s->started = now();
	int jobs = (size_t)s->e->rq.jobs < todo ? s->e->rq.jobs : (int)todo;
	pthread_t th[MAX_JOBS];
	int started = start_workers(s, th, jobs < MAX_JOBS ? jobs : MAX_JOBS);
	int final[2] = {0, 0};
	ranks_exchange(s->rk, &q, final);
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	int status;
	if (s->rk->rank > 0) {
		status = final[0]; /* rank 0's, which it reports */
		s->stop_sig = final[1];
	} else {
		progress(s, 1);
		journal_sync(&s->j);
		status = outcome(s, &s->stop_sig);
	}
	*d = s->failure;
	return status;
}

int sweep_finish(sweep *s, const char *command, struct cd_diag *d)
{
	int rc = aggregate_write(s->e, &s->j, command, d);
	if (!rc)
		journal_remove(&s->j, s->hooks.notice, s->hooks.ctx);
	return rc;
}

size_t sweep_runs_done(const sweep *s)
{
	return s->finished;
}

size_t sweep_runs(const sweep *s)
{
	return s->total;
}

int sweep_stop_signal(const sweep *s)
{
	return s->stop_sig;
}

const char *sweep_journal_dir(const sweep *s)
{
	return s->j.dir;
}

void sweep_destroy(sweep *s)
{
	if (!s)
		return;
	journal_free(&s->j);
	cd_outdir_close(s->od);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s->done);
	free(s->outbox.buf);
	free(s);
}
