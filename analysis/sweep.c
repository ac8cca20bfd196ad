/* sweep: see sweep.h. Threads (POSIX) run the replicates; one mutex guards
 * the queue of runs and the journal. Built with CD_MPI, a sweep launched as
 * several MPI ranks shares its runs among them; rank 0 alone keeps the
 * journal and writes the outputs (see "ranks" below). */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#ifdef CD_MPI
#include <mpi.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csv.h"
#include "design.h"
#include "output.h"
#include "rng.h"
#include "scenario.h"
#include "digest.h"
#include "stats.h"
#include "status.h"
#include "version.h"
#include "world.h"

#define MAX_RUNS 100000000.0 /* points x replicates */
#define JOURNAL_MAGIC "cyberdef sweep journal 1\n"

/* Daily national totals kept per run: X(name, expression over struct
 * cd_daily *d summed over segments). */
#define DAILY_METRICS(X)                             \
	X(attempts, (double)d->attempts)             \
	X(blocked, (double)d->blocked)               \
	X(intrusions, (double)d->intrusions)         \
	X(detections, (double)detections(d))         \
	X(open_footholds, (double)d->open_footholds) \
	X(records_exfiltrated, d->records)           \
	X(outage_hours, d->outage_hours)             \
	X(loss_yen, d->loss_yen)

enum {
#define DAILY_ENUM(name, expr) D_##name,
	DAILY_METRICS(DAILY_ENUM)
#undef DAILY_ENUM
		N_DAILY
};
static const char *const daily_names[N_DAILY] = {
#define DAILY_NAME(name, expr) #name,
	DAILY_METRICS(DAILY_NAME)
#undef DAILY_NAME
};

static uint64_t detections(const struct cd_daily *d)
{
	uint64_t n = 0;
	for (int k = 0; k < CD_SOURCES; k++)
		n += d->detections[k];
	return n;
}

/* ---- SPEC parsing ------------------------------------------------------ */

int sweep_parse_spec(const char *spec, char (**values)[SWEEP_VALUE_MAX], int *n,
		     char *err, size_t size)
{
	*values = NULL;
	*n = 0;
	if (!*spec) {
		snprintf(err, size,
			 "empty SPEC; allowed: start:stop:step or a "
			 "list a,b,c");
		return CD_EINVAL;
	}
	if (strchr(spec, ':')) {
		double v[3];
		const char *p = spec;
		for (int k = 0; k < 3; k++) {
			char *end;
			errno = 0;
			v[k] = strtod(p, &end);
			if (end == p || errno || !isfinite(v[k]) ||
			    *end != (k < 2 ? ':' : '\0')) {
				snprintf(err, size,
					 "'%s' is not start:stop:step with "
					 "three "
					 "finite numbers",
					 spec);
				return CD_EINVAL;
			}
			p = end + 1;
		}
		if (!(v[2] > 0)) {
			snprintf(err, size, "'%s': the step must be > 0", spec);
			return CD_EINVAL;
		}
		if (v[1] < v[0]) {
			snprintf(err, size,
				 "'%s' is reversed: stop %.15g is below start "
				 "%.15g",
				 spec, v[1], v[0]);
			return CD_EINVAL;
		}
		/* Inclusive of stop within rounding (1e-9 of a step). */
		double count = floor((v[1] - v[0]) / v[2] + 1e-9) + 1;
		if (count > SWEEP_MAX_VALUES) {
			snprintf(err, size,
				 "'%s' makes %.0f values; allowed: at most %d",
				 spec, count, SWEEP_MAX_VALUES);
			return CD_EINVAL;
		}
		*values = malloc((size_t)count * sizeof **values);
		if (!*values)
			return CD_ENOMEM;
		for (int i = 0; i < (int)count; i++)
			snprintf((*values)[i], SWEEP_VALUE_MAX, "%.12g",
				 v[0] + i * v[2]);
		*n = (int)count;
		return 0;
	}
	int count = 1;
	for (const char *p = spec; *p; p++)
		count += *p == ',';
	if (count > SWEEP_MAX_VALUES) {
		snprintf(err, size,
			 "the list has %d values; allowed: at most %d", count,
			 SWEEP_MAX_VALUES);
		return CD_EINVAL;
	}
	*values = malloc((size_t)count * sizeof **values);
	if (!*values)
		return CD_ENOMEM;
	const char *p = spec;
	for (int i = 0; i < count; i++) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0 || len >= SWEEP_VALUE_MAX) {
			snprintf(err, size,
				 "'%s': value %d is %s; allowed: a list a,b,c "
				 "of non-empty values",
				 spec, i + 1, len ? "too long" : "empty");
			free(*values);
			*values = NULL;
			return CD_EINVAL;
		}
		snprintf((*values)[i], SWEEP_VALUE_MAX, "%.*s", (int)len, p);
		p = e ? e + 1 : p + len;
	}
	*n = count;
	return 0;
}

/* ---- the experiment ------------------------------------------------------ */

struct axis {
	char path[128];
	char spec[256];
	int n;
	char (*values)[SWEEP_VALUE_MAX];
};

struct sweep {
	const char *scenario; /* NULL: built-in default */
	const char *out;
	const char *design;
	int n_sets;
	const char *sets[CD_MAX_SETS];
	int n_axes;
	struct axis axes[CD_MAX_AXES];
	int n_points;		 /* grid or design rows */
	struct cd_design points; /* a design's rows, if s->design */
	int reps, jobs, resume, quiet;
	double max_memory; /* bytes; 0: the machine's memory */
	uint64_t seed;
	int max_days;
	size_t record; /* bytes per journal record */
	char hash[65]; /* base scenario */
	char design_hash[65];
};

/* The value text of axis a at point p. */
static const char *value_of(const struct sweep *s, int p, int a)
{
	if (s->design)
		return cd_design_cell(&s->points, p, a);
	int stride = 1;
	for (int k = s->n_axes - 1; k > a; k--)
		stride *= s->axes[k].n;
	return s->axes[a].values[(p / stride) % s->axes[a].n];
}

/* Loads the scenario of point p (base --set, then the point's values).
 * Prints the problem and returns the exit status on failure. */
static int load_point(const struct sweep *s, int p, struct cd_scenario **sc)
{
	const char *sets[2 * CD_MAX_SETS];
	char texts[CD_MAX_AXES][SWEEP_VALUE_MAX + 130];
	int n = 0;
	for (int i = 0; i < s->n_sets; i++)
		sets[n++] = s->sets[i];
	for (int a = 0; a < s->n_axes; a++) {
		snprintf(texts[a], sizeof texts[a], "%s=%s", s->axes[a].path,
			 value_of(s, p, a));
		sets[n++] = texts[a];
	}
	return cli_load_scenario(s->scenario, sets, n, sc);
}

/* ---- the journal ----------------------------------------------------------
 */

struct record_head {
	uint32_t point, rep;
	uint64_t seed;
};

static void manifest(const struct sweep *s, FILE *f)
{
	fprintf(f, "version=%s\nscenario=%s\nscenario_sha256=%s\n", CD_VERSION,
		s->scenario ? s->scenario : "(built-in default)", s->hash);
	for (int i = 0; i < s->n_sets; i++)
		fprintf(f, "set=%s\n", s->sets[i]);
	if (s->design)
		fprintf(f, "design=%s\ndesign_sha256=%s\n", s->design,
			s->design_hash);
	else
		for (int a = 0; a < s->n_axes; a++)
			fprintf(f, "vary=%s=%s\n", s->axes[a].path,
				s->axes[a].spec);
	fprintf(f, "reps=%d\nseed=%llu\npoints=%d\ndays=%d\nrecord=%zu\n",
		s->reps, (unsigned long long)s->seed, s->n_points, s->max_days,
		s->record);
}

/* Compares the manifest of an earlier sweep with this one's; on a
 * difference writes "KEY was A, now B" into why. */
static int same_manifest(const char *old, const char *now, char *why,
			 size_t size)
{
	const char *a = old, *b = now;
	/* The analyzer does not model what open_memstream wrote in `now`: */
	// NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
	while (*a || *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a);
		size_t lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la) != 0) {
			snprintf(why, size, "was '%.*s', now '%.*s'", (int)la,
				 a, (int)lb, b);
			return 0;
		}
		a += la + (ea != NULL);
		b += lb + (eb != NULL);
	}
	return 1;
}

/* ---- running ----------------------------------------------------------------
 */

struct shared {
	struct sweep *s;
	pthread_mutex_t lock;
	unsigned char *done; /* [points * reps]: 1 done, 2 another rank's */
	size_t next;	     /* next run index to look at */
	size_t total, finished, at_start;
	int journal;	       /* file descriptor; -1 on ranks other than 0 */
	int failed;	       /* exit status of the first failure */
	int stop;	       /* a signal that stopped another rank */
	int rank;	       /* MPI rank; 0 without MPI */
	int running;	       /* worker threads not yet ended */
	pthread_cond_t wake;   /* a record queued or a worker ended */
	unsigned char *outbox; /* rank > 0: records for rank 0 */
	size_t outbox_n, outbox_cap;
	double started, last_sync, last_progress;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress(struct shared *sh, int final)
{
	if (sh->s->quiet || !isatty(STDERR_FILENO))
		return;
	double t = now();
	if (!final && t - sh->last_progress < 0.25)
		return;
	sh->last_progress = t;
	double el = t - sh->started;
	double rate = el > 0 ? (double)(sh->finished - sh->at_start) / el : 0;
	double left = rate > 0 ? (double)(sh->total - sh->finished) / rate : 0;
	fprintf(stderr,
		"\rsweep: %zu/%zu runs, %.1f runs/s, %.0f s elapsed, %.0f s "
		"left   %s",
		sh->finished, sh->total, rate, el, left, final ? "\n" : "");
}

/* Runs (point, rep) and fills one journal record. */
static int simulate(const struct cd_scenario *sc, struct sweep *s, int point,
		    int rep, unsigned char *rec)
{
	struct record_head h = {
		(uint32_t)point, (uint32_t)rep,
		rng_derive(s->seed, (uint64_t)point, (uint64_t)rep)};
	double *summary = (double *)(void *)(rec + sizeof h);
	double *daily = summary + CD_SUMMARY_N;
	sim_world *w = NULL;
	int rc = sim_world_create(&w, &sc->p, sc->set, &sc->timeline, h.seed);
	if (rc)
		return rc;
	for (int day = 0; day < s->max_days; day++) {
		double *row = daily + (size_t)day * N_DAILY;
		if (day >= sc->p.days) {
			for (int k = 0; k < N_DAILY; k++)
				row[k] = NAN;
			continue;
		}
		/* A stop request ends the run within a day (and within
		 * sim_world_step, which polls it too). */
		if (cd_stopped() || (rc = sim_world_step(w))) {
			rc = rc ? rc : CD_EINTR;
			break;
		}
		for (int k = 0; k < N_DAILY; k++)
			row[k] = 0;
		for (int seg = 0; seg < sc->p.n_segments; seg++) {
			const struct cd_daily *d = sim_world_daily(w, seg);
#define DAILY_ADD(name, expr) row[D_##name] += (expr);
			DAILY_METRICS(DAILY_ADD)
#undef DAILY_ADD
		}
	}
	struct cd_summary sum;
	if (!rc)
		rc = summary_compute(w, h.seed, &sum);
	sim_world_destroy(w);
	if (rc)
		return rc;
	memcpy(rec, &h, sizeof h);
	memcpy(summary, sum.v, sizeof sum.v);
	return 0;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Keeps the record of run i; called under the lock. Rank 0 (or a single
 * process) appends it to the journal; other ranks queue it for their main
 * thread to send to rank 0. On error sets sh->failed. */
static void keep(struct shared *sh, size_t i, const unsigned char *rec)
{
	size_t size = sh->s->record;
	if (sh->rank > 0) {
		if (sh->outbox_n == sh->outbox_cap) {
			size_t cap = sh->outbox_cap ? 2 * sh->outbox_cap : 4;
			void *nb = realloc(sh->outbox, cap * size);
			if (!nb) {
				sh->failed = sh->failed ? sh->failed : 1;
				return;
			}
			sh->outbox = nb;
			sh->outbox_cap = cap;
		}
		memcpy(sh->outbox + sh->outbox_n++ * size, rec, size);
		sh->finished++;
		pthread_cond_signal(&sh->wake);
		return;
	}
	if (write_all(sh->journal, rec, size)) {
		fprintf(stderr,
			"cyberdef: cannot write the sweep journal: %s\n",
			strerror(errno));
		sh->failed = 1;
		return;
	}
	sh->done[i] = 1;
	sh->finished++;
	double t = now();
	if (t - sh->last_sync > 1) { /* survive a machine crash */
		fdatasync(sh->journal);
		sh->last_sync = t;
	}
	progress(sh, 0);
}

static void *worker(void *arg)
{
	struct shared *sh = arg;
	struct sweep *s = sh->s;
	struct cd_scenario *sc = NULL;
	int loaded = -1;
	unsigned char *rec = malloc(s->record);
	if (!rec) {
		pthread_mutex_lock(&sh->lock);
		sh->failed = sh->failed ? sh->failed : 1;
		sh->running--;
		pthread_cond_signal(&sh->wake);
		pthread_mutex_unlock(&sh->lock);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&sh->lock);
		while (sh->next < sh->total && sh->done[sh->next])
			sh->next++;
		size_t i = sh->next++;
		int go = i < sh->total && !cd_stopped() && !sh->stop &&
			 !sh->failed;
		pthread_mutex_unlock(&sh->lock);
		if (!go)
			break;
		int point = (int)(i / (size_t)s->reps),
		    rep = (int)(i % (size_t)s->reps);
		int status = 0; /* exit status of a failure */
		if (point != loaded) {
			scenario_destroy(sc);
			sc = NULL;
			status = load_point(s, point, &sc); /* prints why */
			loaded = status ? -1 : point;
		}
		int rc = status ? 0 : simulate(sc, s, point, rep, rec);
		if (rc == CD_EINTR)
			break; /* stopped: not journalled, done again later */
		if (rc) {
			fprintf(stderr, "cyberdef: run %d of point %d: %s\n",
				rep, point, cd_strerror(rc));
			status = rc == CD_ELIMIT ? 2 : 1;
		}
		pthread_mutex_lock(&sh->lock);
		if (status)
			sh->failed = sh->failed ? sh->failed : status;
		else
			keep(sh, i, rec);
		pthread_mutex_unlock(&sh->lock);
	}
	scenario_destroy(sc);
	free(rec);
	pthread_mutex_lock(&sh->lock);
	sh->running--;
	pthread_cond_signal(&sh->wake);
	pthread_mutex_unlock(&sh->lock);
	return NULL;
}

/* The exit status the runs came to: a failure's, 128 + the signal that
 * stopped them, 1 if some are missing, 0 if all are done. */
static int outcome(const struct shared *sh)
{
	int sig = cd_stop_signal ? cd_stop_signal : sh->stop;
	return sh->failed		  ? sh->failed
	       : sig			  ? 128 + sig
	       : sh->finished < sh->total ? 1
					  : 0;
}

/* ---- ranks (MPI) -----------------------------------------------------------
 *
 * Launched as R > 1 MPI ranks (mpirun, srun), every rank parses and checks
 * the arguments itself; rank 0 alone creates the output directory and the
 * journal, then broadcasts which runs are done. The runs left are dealt out
 * in turn, the k-th to rank k % R, and each rank runs its share on its own
 * threads. The main thread of a rank other than 0 sends each record to rank
 * 0 as soon as it is made (RECORD), and after its last one sends END; rank
 * 0's main thread appends the records it receives to the journal while its
 * own threads run. A signal or failure on any rank reaches rank 0 (STOP or
 * END), which relays STOP to every rank; rank 0 closes the exchange by
 * sending each rank the exit status (FINAL), then writes the outputs. Only
 * main threads call MPI (MPI_THREAD_FUNNELED). Records travel as bytes:
 * every node must share one architecture, as the journal already assumes.
 */

struct ranks {
	int rank, size; /* this process's MPI rank and the number of ranks */
	int mpi;	/* MPI is initialised */
	int saved_err;	/* rank > 0: stderr, while messages are held */
	FILE *held;	/* rank > 0: messages held back while checking */
};

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

#ifdef CD_MPI
enum { TAG_RECORD = 1, TAG_STOP, TAG_END, TAG_FINAL };

static void nap(void)
{
	struct timespec d = {0, 1000000}; /* 1 ms */
	nanosleep(&d, NULL);
}

/* Initialises MPI if launched as several ranks. Ranks other than 0 hold
 * back their messages until ranks_agree. Returns 0, or 1 if this MPI
 * cannot serve threads (call ranks_end either way). */
static int ranks_start(struct ranks *rk)
{
	*rk = (struct ranks){.size = 1, .saved_err = -1};
	if (launched_ranks() == 1)
		return 0; /* one process: no MPI at all */
	int provided;
	MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
	rk->mpi = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &rk->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &rk->size);
	if (provided < MPI_THREAD_FUNNELED) {
		if (!rk->rank)
			fprintf(stderr, "cyberdef: this MPI cannot be used "
					"with threads (MPI_THREAD_FUNNELED)\n");
		return 1;
	}
	if (rk->rank > 0) {
		(void)fflush(stderr);
		rk->held = tmpfile();
		rk->saved_err = rk->held ? dup(STDERR_FILENO) : -1;
		if (rk->saved_err >= 0)
			dup2(fileno(rk->held), STDERR_FILENO);
	}
	return 0;
}

/* Restores stderr; shows the messages held back if show. */
static void ranks_release(struct ranks *rk, int show)
{
	if (rk->saved_err >= 0) {
		(void)fflush(stderr);
		dup2(rk->saved_err, STDERR_FILENO);
		close(rk->saved_err);
		rk->saved_err = -1;
		if (show) {
			char buf[4096];
			size_t n;
			fprintf(stderr, "cyberdef: MPI rank %d:\n", rk->rank);
			rewind(rk->held);
			while ((n = fread(buf, 1, sizeof buf, rk->held)) > 0)
				fwrite(buf, 1, n, stderr);
		}
	}
	if (rk->held)
		(void)fclose(rk->held); /* a temporary, read already */
	rk->held = NULL;
}

/* Every rank passes the status of the same step; returns the highest. A
 * rank's held messages are shown only where rank 0 succeeded (otherwise
 * rank 0 has said the same). */
static int ranks_agree(struct ranks *rk, int status)
{
	if (!rk->mpi)
		return status;
	int first = status, worst;
	MPI_Bcast(&first, 1, MPI_INT, 0, MPI_COMM_WORLD);
	MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	ranks_release(rk, status && !first);
	if (worst && !first && !rk->rank)
		fprintf(stderr, "cyberdef: other MPI ranks cannot start the "
				"sweep (see their messages); every rank must "
				"see the same files\n");
	return worst;
}

/* Copies rank 0's n bytes at buf to every rank. */
static void ranks_broadcast(struct ranks *rk, void *buf, size_t n)
{
	if (rk->mpi)
		MPI_Bcast(buf, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
}

/* Rank 0: journals the records of the other ranks until its own threads
 * have ended and every rank has sent END, relaying any STOP; then sends
 * each rank the exit status. */
static void exchange_root(struct ranks *rk, struct shared *sh)
{
	size_t size = sh->s->record;
	unsigned char *rec = malloc(size);
	/* MPI_Request is a handle (a pointer in Open MPI): */
	/* NOLINTNEXTLINE(bugprone-sizeof-expression) */
	MPI_Request *stops = malloc((size_t)rk->size * sizeof *stops);
	if (!rec || !stops) {
		fprintf(stderr, "cyberdef: out of memory\n");
		MPI_Abort(MPI_COMM_WORLD, 1);
		free(rec);
		free(stops);
		return;
	}
	int ends = 0, relayed = 0, msg[2], stop[2]; /* stop: sent by Isend */
	for (;;) {
		int flag;
		MPI_Status st;
		MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag,
			   &st);
		if (flag && st.MPI_TAG == TAG_RECORD) {
			MPI_Recv(rec, (int)size, MPI_BYTE, st.MPI_SOURCE,
				 TAG_RECORD, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			struct record_head h;
			memcpy(&h, rec, sizeof h);
			if (h.point >= (uint32_t)sh->s->n_points ||
			    h.rep >= (uint32_t)sh->s->reps)
				continue; /* cannot happen */
			pthread_mutex_lock(&sh->lock);
			keep(sh, (size_t)h.point * (size_t)sh->s->reps + h.rep,
			     rec);
			pthread_mutex_unlock(&sh->lock);
			continue;
		}
		if (flag) { /* STOP or END: {failure status, signal} */
			MPI_Recv(msg, 2, MPI_INT, st.MPI_SOURCE, st.MPI_TAG,
				 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			pthread_mutex_lock(&sh->lock);
			if (msg[0] && !sh->failed)
				sh->failed = msg[0];
			if (msg[1] && !sh->stop)
				sh->stop = msg[1];
			if (msg[1] && !cd_stopped())
				cd_stop_signal = msg[1]; /* runs in flight */
			pthread_mutex_unlock(&sh->lock);
			ends += st.MPI_TAG == TAG_END;
			continue;
		}
		pthread_mutex_lock(&sh->lock);
		int halt = sh->failed || sh->stop || cd_stop_signal;
		int over = !sh->running && ends == rk->size - 1;
		if (halt && !relayed) {
			stop[0] = sh->failed;
			stop[1] = cd_stop_signal ? cd_stop_signal : sh->stop;
		}
		pthread_mutex_unlock(&sh->lock);
		if (halt && !relayed) {
			for (int k = 1; k < rk->size; k++)
				MPI_Isend(stop, 2, MPI_INT, k, TAG_STOP,
					  MPI_COMM_WORLD, &stops[k]);
			relayed = 1;
		}
		if (over)
			break;
		nap();
	}
	if (relayed)
		MPI_Waitall(rk->size - 1, stops + 1, MPI_STATUSES_IGNORE);
	pthread_mutex_lock(&sh->lock);
	int final[2] = {outcome(sh), 0};
	pthread_mutex_unlock(&sh->lock);
	for (int k = 1; k < rk->size; k++)
		MPI_Send(final, 2, MPI_INT, k, TAG_FINAL, MPI_COMM_WORLD);
	free(rec);
	free(stops);
}

/* A rank other than 0: sends the records its threads queue, and a signal
 * it receives, to rank 0; stops when rank 0 says STOP; ends with END.
 * Returns the exit status rank 0 sends back. */
static int exchange_other(struct shared *sh)
{
	size_t size = sh->s->record;
	int told = 0, msg[2] = {0, 0};
	pthread_mutex_lock(&sh->lock);
	for (;;) {
		if (!sh->outbox_n && sh->running) {
			struct timespec t;
			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_nsec += 20000000; /* look for STOP every 20 ms */
			if (t.tv_nsec >= 1000000000) {
				t.tv_sec++;
				t.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&sh->wake, &sh->lock, &t);
		}
		unsigned char *box = sh->outbox;
		size_t n = sh->outbox_n;
		int more = sh->running || n;
		sh->outbox = NULL;
		sh->outbox_n = sh->outbox_cap = 0;
		pthread_mutex_unlock(&sh->lock);
		/* Waiting in MPI_Send would spin, taking a core from the
		 * workers; wait for a batch of sends in naps instead (with
		 * MPI_Testall, which the MPI checker does not count): */
		// NOLINTNEXTLINE(clang-analyzer-optin.mpi.MPI-Checker)
		for (size_t k = 0; k < n;) {
			MPI_Request rq[64];
			int m = 0, all = 0;
			for (; m < 64 && k < n; m++, k++)
				MPI_Isend(box + k * size, (int)size, MPI_BYTE,
					  0, TAG_RECORD, MPI_COMM_WORLD,
					  &rq[m]);
			while (MPI_Testall(m, rq, &all, MPI_STATUSES_IGNORE),
			       !all)
				nap();
		}
		free(box);
		int flag;
		MPI_Iprobe(0, TAG_STOP, MPI_COMM_WORLD, &flag,
			   MPI_STATUS_IGNORE);
		if (flag)
			MPI_Recv(msg, 2, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
		if (cd_stop_signal && !told) {
			int say[2] = {0, cd_stop_signal};
			MPI_Send(say, 2, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD);
			told = 1;
		}
		pthread_mutex_lock(&sh->lock);
		if (flag && msg[0] && !sh->failed)
			sh->failed = msg[0];
		if (flag && msg[1] && !sh->stop)
			sh->stop = msg[1];
		if (flag && msg[1] && !cd_stopped())
			cd_stop_signal = msg[1]; /* the runs in flight too */
		if (!more)
			break;
	}
	int end[2] = {sh->failed, cd_stop_signal};
	pthread_mutex_unlock(&sh->lock);
	MPI_Send(end, 2, MPI_INT, 0, TAG_END, MPI_COMM_WORLD);
	for (;;) { /* a STOP may still come before FINAL */
		int flag;
		MPI_Status st;
		MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
		if (!flag) {
			nap();
			continue;
		}
		MPI_Recv(msg, 2, MPI_INT, 0, st.MPI_TAG, MPI_COMM_WORLD,
			 MPI_STATUS_IGNORE);
		if (st.MPI_TAG == TAG_FINAL)
			return msg[0];
	}
}

/* Runs the exchange of records while this rank's threads work. Returns
 * when they have ended and, on rank 0, every rank has ended; on ranks
 * other than 0 returns the exit status rank 0 sent, otherwise 0. */
static int ranks_exchange(struct ranks *rk, struct shared *sh)
{
	if (!rk->mpi)
		return 0;
	if (rk->rank > 0)
		return exchange_other(sh);
	exchange_root(rk, sh);
	return 0;
}

static void ranks_end(struct ranks *rk)
{
	ranks_release(rk, 0);
	if (rk->mpi)
		MPI_Finalize();
}
#else
/* Built without MPI: one process, and a refusal to run as several (they
 * would all write one journal). */
static int ranks_start(struct ranks *rk)
{
	*rk = (struct ranks){.size = 1, .saved_err = -1};
	int n = launched_ranks();
	if (n == 1)
		return 0;
	const char *rank = getenv("OMPI_COMM_WORLD_RANK");
	if (!rank)
		rank = getenv("PMI_RANK");
	if (!rank)
		rank = getenv("PMIX_RANK");
	if (!rank || !strcmp(rank, "0")) /* once, not once a rank */
		fprintf(stderr,
			"cyberdef: started as one of %d MPI processes, but "
			"this cyberdef was built without MPI; rebuild it "
			"with Open MPI installed (libopenmpi-dev), or run "
			"one process\n",
			n);
	return 1;
}

static int ranks_agree(struct ranks *rk, int status)
{
	(void)rk;
	return status;
}

static void ranks_broadcast(struct ranks *rk, void *buf, size_t n)
{
	(void)rk;
	(void)buf;
	(void)n;
}

static int ranks_exchange(struct ranks *rk, struct shared *sh)
{
	(void)rk;
	(void)sh;
	return 0;
}

static void ranks_end(struct ranks *rk)
{
	(void)rk;
}
#endif

/* ---- outputs --------------------------------------------------------------
 */

static void axis_header(const struct sweep *s, FILE *f)
{
	for (int a = 0; a < s->n_axes; a++) {
		csv_sep(f);
		csv_str(f, s->axes[a].path);
	}
}

static void axis_values(const struct sweep *s, int p, FILE *f)
{
	for (int a = 0; a < s->n_axes; a++) {
		csv_sep(f);
		csv_str(f, value_of(s, p, a));
	}
}

static void write_metadata(const struct sweep *s, FILE *f, const char *command)
{
	fprintf(f, "{\n  \"program\": \"cyberdef\",\n  \"command\": ");
	json_str(f, command);
	fprintf(f, ",\n  \"version\": ");
	json_str(f, CD_VERSION);
	fprintf(f, ",\n  \"scenario\": ");
	json_str(f, s->scenario ? s->scenario
				: "(built-in) scenarios/japan_2017.cfg");
	fprintf(f, ",\n  \"scenario_sha256\": ");
	json_str(f, s->hash);
	fprintf(f, ",\n  \"overrides\": [");
	for (int i = 0; i < s->n_sets; i++) {
		fprintf(f, "%s", i ? ", " : "");
		json_str(f, s->sets[i]);
	}
	fprintf(f, "],\n  \"vary\": [");
	for (int a = 0; a < s->n_axes; a++) {
		fprintf(f, "%s", a ? ", " : "");
		json_str(f, s->axes[a].path);
	}
	fprintf(f, "],\n  \"design\": ");
	if (s->design) {
		json_str(f, s->design);
		fprintf(f, ",\n  \"design_sha256\": ");
		json_str(f, s->design_hash);
	} else {
		fprintf(f, "null");
	}
	fprintf(f,
		",\n  \"points\": %d,\n  \"reps\": %d,\n  \"seed\": %llu,\n"
		"  \"run_seed\": \"rng_derive(seed, point, replicate), the "
		"seed column of runs.csv\",\n"
		"  \"files\": [\"runs.csv\", \"points.csv\", "
		"\"timeseries_points.csv\", \"metadata.json\"]\n}\n",
		s->n_points, s->reps, (unsigned long long)s->seed);
}

/* Reads the journal and writes the four outputs. */
static int aggregate(struct sweep *s, const char *journal, const char *command)
{
	int rc = CD_EIO;
	size_t total = (size_t)s->n_points * (size_t)s->reps;
	long long *where = malloc(total * sizeof *where);
	unsigned char *buf = malloc(s->record * (size_t)s->reps);
	double *col = malloc(2 * (size_t)s->reps * sizeof *col);
	cd_outfile *out[4] = {NULL, NULL, NULL, NULL};
	int fd = open(journal, O_RDONLY);
	if (!where || !buf || !col || fd < 0)
		goto done;
	for (size_t i = 0; i < total; i++)
		where[i] = -1;
	size_t magic = strlen(JOURNAL_MAGIC);
	struct stat st;
	if (fstat(fd, &st))
		goto done;
	for (long long off = (long long)magic;
	     off + (long long)s->record <= (long long)st.st_size;
	     off += (long long)s->record) {
		struct record_head h;
		if (pread(fd, &h, sizeof h, off) != (ssize_t)sizeof h)
			goto done;
		if (h.point < (uint32_t)s->n_points &&
		    h.rep < (uint32_t)s->reps)
			where[(size_t)h.point * (size_t)s->reps + h.rep] = off;
	}
	const char *names[4] = {"runs.csv", "points.csv",
				"timeseries_points.csv", "metadata.json"};
	for (int k = 0; k < 4; k++) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", s->out, names[k]);
		if (cd_outfile_open(&out[k], path))
			goto done;
	}
	FILE *runs = cd_outfile_stream(out[0]),
	     *pts = cd_outfile_stream(out[1]), *ts = cd_outfile_stream(out[2]);
	csv_str(runs, "point");
	csv_sep(runs);
	csv_str(runs, "replicate");
	axis_header(s, runs);
	csv_sep(runs);
	summary_write_header(runs);
	csv_str(pts, "point");
	axis_header(s, pts);
	csv_sep(pts);
	csv_str(pts, "runs");
	static const char *const stat_names[] = {"mean", "sd", "ci_lo", "ci_hi",
						 "median"};
	for (int m = 0; m < CD_SUMMARY_N; m++)
		for (int k = 0; k < 5; k++) {
			char name[128];
			snprintf(name, sizeof name, "%s_%s",
				 cd_summary_names[m], stat_names[k]);
			csv_sep(pts);
			csv_str(pts, name);
		}
	csv_eol(pts);
	csv_str(ts, "point");
	axis_header(s, ts);
	csv_sep(ts);
	csv_str(ts, "day");
	for (int m = 0; m < N_DAILY; m++)
		for (int k = 0; k < 3; k++) {
			char name[128];
			snprintf(name, sizeof name, "%s_%s", daily_names[m],
				 k == 0	  ? "mean"
				 : k == 1 ? "ci_lo"
					  : "ci_hi");
			csv_sep(ts);
			csv_str(ts, name);
		}
	csv_eol(ts);

	size_t head = sizeof(struct record_head);
	for (int p = 0; p < s->n_points; p++) {
		for (int r = 0; r < s->reps; r++) {
			long long off =
				where[(size_t)p * (size_t)s->reps + (size_t)r];
			unsigned char *rec = buf + (size_t)r * s->record;
			if (off < 0 || pread(fd, rec, s->record, off) !=
					       (ssize_t)s->record)
				goto done;
			struct cd_summary sum;
			struct record_head h;
			memcpy(&h, rec, sizeof h);
			sum.seed = h.seed;
			memcpy(sum.v, rec + head, sizeof sum.v);
			csv_int(runs, p);
			csv_sep(runs);
			csv_int(runs, r);
			axis_values(s, p, runs);
			csv_sep(runs);
			summary_write_row(runs, &sum);
		}
		csv_int(pts, p);
		axis_values(s, p, pts);
		csv_sep(pts);
		csv_int(pts, s->reps);
		for (int m = 0; m < CD_SUMMARY_N; m++) {
			for (int r = 0; r < s->reps; r++) {
				double v;
				memcpy(&v,
				       buf + (size_t)r * s->record + head +
					       (size_t)m * sizeof v,
				       sizeof v);
				col[r] = v;
			}
			stats_summary sm;
			stats_summarise(col, (size_t)s->reps, col + s->reps,
					&sm);
			double v[5] = {sm.mean, sm.sd, sm.ci_lo, sm.ci_hi,
				       sm.median};
			for (int k = 0; k < 5; k++) {
				csv_sep(pts);
				csv_real(pts, v[k]);
			}
		}
		csv_eol(pts);
		for (int day = 0; day < s->max_days; day++) {
			double first;
			memcpy(&first,
			       buf + head +
				       (CD_SUMMARY_N + (size_t)day * N_DAILY) *
					       sizeof first,
			       sizeof first);
			if (isnan(first))
				break; /* beyond this point's horizon */
			csv_int(ts, p);
			axis_values(s, p, ts);
			csv_sep(ts);
			csv_int(ts, day);
			for (int m = 0; m < N_DAILY; m++) {
				for (int r = 0; r < s->reps; r++) {
					double v;
					memcpy(&v,
					       buf + (size_t)r * s->record +
						       head +
						       (CD_SUMMARY_N +
							(size_t)day * N_DAILY +
							(size_t)m) *
							       sizeof v,
					       sizeof v);
					col[r] = v;
				}
				stats_summary sm;
				stats_summarise(col, (size_t)s->reps,
						col + s->reps, &sm);
				double v[3] = {sm.mean, sm.ci_lo, sm.ci_hi};
				for (int k = 0; k < 3; k++) {
					csv_sep(ts);
					csv_real(ts, v[k]);
				}
			}
			csv_eol(ts);
		}
	}
	write_metadata(s, cd_outfile_stream(out[3]), command);
	int failed;
	rc = cd_outfile_commit_all(out, 4, &failed);
done:
	if (rc && errno)
		fprintf(stderr,
			"cyberdef: cannot write the sweep outputs in %s: "
			"%s\n",
			s->out, strerror(errno));
	for (int k = 0; k < 4; k++)
		cd_outfile_abort(out[k]);
	if (fd >= 0)
		close(fd);
	free(where);
	free(buf);
	free(col);
	return rc;
}

/* ---- the command ------------------------------------------------------------
 */

static const char usage[] =
	"usage: cyberdef sweep [SCENARIO] --vary PATH=SPEC [--vary ...] --reps "
	"N\n"
	"                      [--design FILE.csv] [--set PATH=VALUE]... "
	"[--seed "
	"S]\n"
	"                      [--jobs J] [--out DIR] [--max-memory SIZE] "
	"[--resume]\n"
	"                      [--quiet]\n"
	"\n"
	"Runs SCENARIO (default: the built-in japan_2017) at every point of a\n"
	"grid or design, N replicates each, on all cores, and writes "
	"runs.csv,\n"
	"points.csv, timeseries_points.csv and metadata.json to DIR.\n"
	"\n"
	"  --vary PATH=SPEC  a setting and its values: start:stop:step (stop\n"
	"                    included) or a list a,b,c; several --vary make a\n"
	"                    grid (the last varies fastest). Default: the\n"
	"                    scenario's sweep { vary = (...); } block\n"
	"  --design FILE.csv points as rows of a CSV whose header names "
	"settings\n"
	"                    (e.g. a Latin hypercube from SALib), instead of "
	"--vary\n"
	"  --reps N          replicates per point (default: sweep { reps })\n"
	"  --set PATH=VALUE  fixed override for every run\n"
	"  --seed S          master seed (default 1); run (p, r) uses\n"
	"                    rng_derive(S, p, r), the seed column of runs.csv\n"
	"  --jobs J          threads (default: online processors)\n"
	"  --out DIR         output directory (default ./sweep)\n"
	"  --resume          finish an interrupted sweep in DIR\n"
	"  --max-memory SIZE refuse a sweep whose --jobs simultaneous runs "
	"need\n"
	"                    more (e.g. 8G; default: the machine's memory)\n"
	"  --quiet           no progress line\n";

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "cyberdef: %s%s\n\n%s", what, arg, usage);
	return 2;
}

/* Reads --design into the points and axes of s. Prints why it cannot. */
static int read_design(struct sweep *s, const struct cd_scenario *base)
{
	struct cd_diag d;
	int rc = cd_design_read(&s->points, s->design, &base->p, &d);
	memcpy(s->design_hash, s->points.sha256, sizeof s->design_hash);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		return rc == CD_ENOMEM ? 1 : 2;
	}
	s->n_axes = s->points.n_cols;
	s->n_points = s->points.n_rows;
	for (int a = 0; a < s->n_axes; a++)
		snprintf(s->axes[a].path, sizeof s->axes[a].path, "%s",
			 cd_design_column(&s->points, a));
	return 0;
}

/* Adds an axis from "PATH=SPEC", validating every value against base. */
static int add_axis(struct sweep *s, const struct cd_scenario *base,
		    const char *text, const char *where)
{
	const char *eq = strchr(text, '=');
	if (!eq || eq == text ||
	    (size_t)(eq - text) >= sizeof s->axes[0].path) {
		fprintf(stderr,
			"cyberdef: %s: expected PATH=SPEC, e.g. "
			"won.share_rate=0:1:0.05\n",
			where);
		return 2;
	}
	if (s->n_axes == CD_MAX_AXES) {
		fprintf(stderr, "cyberdef: %s: at most %d --vary\n", where,
			CD_MAX_AXES);
		return 2;
	}
	struct axis *a = &s->axes[s->n_axes];
	snprintf(a->path, sizeof a->path, "%.*s", (int)(eq - text), text);
	snprintf(a->spec, sizeof a->spec, "%s", eq + 1);
	for (int k = 0; k < s->n_axes; k++)
		if (!strcmp(s->axes[k].path, a->path)) {
			fprintf(stderr, "cyberdef: %s: %s is varied twice\n",
				where, a->path);
			return 2;
		}
	char err[512];
	int rc = sweep_parse_spec(eq + 1, &a->values, &a->n, err, sizeof err);
	if (rc) {
		fprintf(stderr, "cyberdef: %s: %s\n", where,
			rc == CD_ENOMEM ? "out of memory" : err);
		return rc == CD_ENOMEM ? 1 : 2;
	}
	s->n_axes++;
	for (int i = 0; i < a->n; i++) {
		struct cd_assign as;
		struct cd_diag d;
		if (scenario_parse_assign(&base->p, a->path, a->values[i],
					  where, &as, &d)) {
			fprintf(stderr, "cyberdef: %s\n", d.msg);
			return 2;
		}
	}
	return 0;
}

static int prepare_journal(struct sweep *s, struct shared *sh, char *jpath,
			   size_t size)
{
	char dir[1100], mpath[1200];
	snprintf(dir, sizeof dir, "%s/.sweep", s->out);
	snprintf(jpath, size, "%s/journal.bin", dir);
	snprintf(mpath, sizeof mpath, "%s/manifest.txt", dir);
	char *now_text = NULL;
	size_t now_len = 0;
	FILE *m = open_memstream(&now_text, &now_len);
	if (!m)
		return 1;
	manifest(s, m);
	if (fclose(m) != 0 || !now_text) {
		free(now_text);
		fprintf(stderr, "cyberdef: out of memory\n");
		return 1;
	}
	int rc = 0;
	struct stat st;
	if (stat(mpath, &st) == 0) {
		if (!s->resume) {
			fprintf(stderr,
				"cyberdef: %s holds an unfinished sweep; "
				"finish it "
				"with --resume (same arguments), or remove "
				"%s\n",
				s->out, dir);
			rc = 2;
			goto out;
		}
		FILE *old = fopen(mpath, "rb");
		char buf[65536];
		size_t n = old ? fread(buf, 1, sizeof buf - 1, old) : 0;
		if (old)
			(void)fclose(old); /* read only */
		buf[n] = '\0';
		char why[1200];
		if (!same_manifest(buf, now_text, why, sizeof why)) {
			fprintf(stderr,
				"cyberdef: --resume: this sweep differs from "
				"the "
				"one in %s: %s\n",
				s->out, why);
			rc = 2;
			goto out;
		}
	} else {
		if (s->resume)
			fprintf(stderr,
				"cyberdef: --resume: no unfinished sweep "
				"in %s; starting it\n",
				s->out);
		if (cd_mkdir_p(dir)) {
			fprintf(stderr, "cyberdef: cannot create %s: %s\n", dir,
				strerror(errno));
			rc = 1;
			goto out;
		}
		/* Journal first, manifest last: a manifest means a journal. */
		int fd = open(jpath, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0 ||
		    write_all(fd, JOURNAL_MAGIC, strlen(JOURNAL_MAGIC)) ||
		    fsync(fd) || close(fd)) {
			fprintf(stderr, "cyberdef: cannot write %s: %s\n",
				jpath, strerror(errno));
			rc = 1;
			goto out;
		}
		cd_outfile *mf;
		if (cd_outfile_open(&mf, mpath)) {
			rc = 1;
			goto out;
		}
		fputs(now_text, cd_outfile_stream(mf));
		if (cd_outfile_commit(mf)) {
			fprintf(stderr, "cyberdef: cannot write %s: %s\n",
				mpath, strerror(errno));
			rc = 1;
			goto out;
		}
	}
	/* Keep whole records only (a crash may have cut the last one), and
	 * mark the runs they hold as done. */
	sh->journal = open(jpath, O_RDWR);
	if (sh->journal < 0 || fstat(sh->journal, &st)) {
		fprintf(stderr, "cyberdef: cannot open %s: %s\n", jpath,
			strerror(errno));
		rc = 1;
		goto out;
	}
	size_t magic = strlen(JOURNAL_MAGIC);
	size_t whole = st.st_size >= (off_t)magic
			       ? ((size_t)st.st_size - magic) / s->record
			       : 0;
	for (size_t k = 0; k < whole; k++) {
		struct record_head h;
		if (pread(sh->journal, &h, sizeof h,
			  (off_t)(magic + k * s->record)) !=
		    (ssize_t)sizeof h) {
			rc = 1;
			goto out;
		}
		if (h.point < (uint32_t)s->n_points &&
		    h.rep < (uint32_t)s->reps &&
		    !sh->done[(size_t)h.point * (size_t)s->reps + h.rep]) {
			sh->done[(size_t)h.point * (size_t)s->reps + h.rep] = 1;
			sh->finished++;
		}
	}
	if (ftruncate(sh->journal, (off_t)(magic + whole * s->record)) ||
	    lseek(sh->journal, 0, SEEK_END) < 0) {
		rc = 1;
		goto out;
	}
out:
	free(now_text);
	return rc;
}

static void remove_journal(const struct sweep *s)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/.sweep/manifest.txt", s->out);
	/* First: without a manifest the journal is inert. If it stays, a
	 * later sweep in this directory would take it for an unfinished one. */
	if (remove(path) != 0 && errno != ENOENT)
		fprintf(stderr, "cyberdef: warning: cannot remove %s: %s\n",
			path, strerror(errno));
	snprintf(path, sizeof path, "%s/.sweep/journal.bin", s->out);
	(void)remove(path);
	snprintf(path, sizeof path, "%s/.sweep", s->out);
	rmdir(path);
}

static int sweep_command(struct ranks *rk, int argc, char **argv)
{
	struct sweep s = {.out = "sweep", .seed = 1, .reps = 0};
	const char *varies[CD_MAX_AXES];
	int n_varies = 0;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	s.jobs = jobs > 0 ? (int)jobs : 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			if (!rk->rank)
				fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--resume")) {
			s.resume = 1;
		} else if (!strcmp(a, "--quiet")) {
			s.quiet = 1;
		} else if (!strcmp(a, "--max-memory")) {
			if (i + 1 >= argc ||
			    cli_parse_size(argv[i + 1], &s.max_memory))
				return bad(
					"--max-memory: allowed: a size such as "
					"512M or 8G, got ",
					i + 1 < argc ? argv[i + 1] : "nothing");
			i++;
		} else if (!strcmp(a, "--vary") || !strcmp(a, "--reps") ||
			   !strcmp(a, "--seed") || !strcmp(a, "--jobs") ||
			   !strcmp(a, "--out") || !strcmp(a, "--set") ||
			   !strcmp(a, "--design")) {
			if (i + 1 >= argc)
				return bad("missing value after ", a);
			const char *v = argv[++i];
			char *end;
			errno = 0;
			if (!strcmp(a, "--vary")) {
				if (n_varies == CD_MAX_AXES)
					return bad("too many --vary; at most ",
						   "16");
				varies[n_varies++] = v;
			} else if (!strcmp(a, "--set")) {
				if (s.n_sets == CD_MAX_SETS)
					return bad("too many --set; at most ",
						   "64");
				s.sets[s.n_sets++] = v;
			} else if (!strcmp(a, "--out")) {
				if (!*v)
					return bad("--out needs a directory",
						   "");
				s.out = v;
			} else if (!strcmp(a, "--design")) {
				s.design = v;
			} else if (!strcmp(a, "--seed")) {
				unsigned long long x = strtoull(v, &end, 10);
				if (*v < '0' || *v > '9' || *end || errno)
					return bad("--seed: allowed: an "
						   "integer in "
						   "[0, 2^64-1], got ",
						   v);
				s.seed = x;
			} else {
				long x = strtol(v, &end, 10);
				int max =
					!strcmp(a, "--jobs") ? 1024 : 100000000;
				if (*v < '0' || *v > '9' || *end || errno ||
				    x < 1 || x > max)
					return bad(
						!strcmp(a, "--jobs")
							? "--jobs: allowed: an "
							  "integer in [1, "
							  "1024], "
							  "got "
							: "--reps: allowed: an "
							  "integer in [1, "
							  "100000000], got ",
						v);
				if (!strcmp(a, "--jobs"))
					s.jobs = (int)x;
				else
					s.reps = (int)x;
			}
		} else if (a[0] == '-' && a[1]) {
			return bad("unknown option ", a);
		} else if (s.scenario) {
			return bad("more than one scenario given: ", a);
		} else {
			s.scenario = a;
		}
	}
	if (s.design && n_varies)
		return bad("--design and --vary cannot be combined", "");

	/* Every rank checks the sweep; they agree on the outcome below. */
	struct cd_scenario *base = NULL;
	int status = cli_load_scenario(s.scenario, s.sets, s.n_sets, &base);
	if (status)
		goto checked;
	snprintf(s.hash, sizeof s.hash, "%s", base->hash);
	if (!s.reps)
		s.reps = base->sweep_reps;
	int from_block = !s.design && !n_varies;
	if (from_block)
		for (int k = 0; k < base->n_sweep_vary && k < CD_MAX_AXES; k++)
			varies[n_varies++] = base->sweep_vary[k];
	if (!s.reps) {
		status =
			bad("--reps is needed (or reps in the scenario's sweep "
			    "block)",
			    "");
		goto checked;
	}
	if (s.design) {
		status = read_design(&s, base);
	} else if (!n_varies) {
		status = bad(
			"nothing to vary: give --vary PATH=SPEC or --design "
			"FILE.csv",
			"");
	} else {
		for (int k = 0; k < n_varies && !status; k++) {
			char where[1400];
			if (from_block)
				snprintf(where, sizeof where,
					 "%s: sweep.vary[%d] \"%s\"",
					 base->path, k, varies[k]);
			else
				snprintf(where, sizeof where, "--vary %s",
					 varies[k]);
			status = add_axis(&s, base, varies[k], where);
		}
		double points = 1;
		for (int a = 0; a < s.n_axes; a++)
			points *= s.axes[a].n;
		if (!status && points * s.reps > MAX_RUNS) {
			fprintf(stderr,
				"cyberdef: the sweep makes %.0f runs (%.0f "
				"points "
				"x %d replicates); allowed: at most %.0f\n",
				points * s.reps, points, s.reps, MAX_RUNS);
			status = 2;
		}
		s.n_points = (int)points;
	}
	if (!status && (double)s.n_points * s.reps > MAX_RUNS) {
		fprintf(stderr, "cyberdef: the sweep makes too many runs\n");
		status = 2;
	}
	if (status)
		goto checked;
	/* Every point must load: a combination can break a rule across
	 * settings (e.g. a timeline day beyond a varied horizon). */
	s.max_days = 0;
	for (int p = 0; p < s.n_points; p++) {
		struct cd_scenario *sc = NULL;
		if ((status = load_point(&s, p, &sc))) {
			fprintf(stderr, "cyberdef: (at sweep point %d)\n", p);
			goto checked;
		}
		if (sc->p.days > s.max_days)
			s.max_days = sc->p.days;
		/* --jobs runs at once, before any is allocated. */
		status = memory_check(sc, s.jobs, s.max_memory);
		scenario_destroy(sc);
		if (status)
			goto checked;
	}
	s.record =
		sizeof(struct record_head) +
		(CD_SUMMARY_N + (size_t)s.max_days * N_DAILY) * sizeof(double);
checked:
	if ((status = ranks_agree(rk, status)))
		goto done;

	/* Rank 0 alone touches the output directory and the journal. */
	if (!rk->rank && cd_mkdir_p(s.out)) {
		fprintf(stderr,
			"cyberdef: cannot create output directory %s: %s\n",
			s.out, strerror(errno));
		status = 1;
	}
	struct shared sh = {.s = &s, .journal = -1, .rank = rk->rank};
	sh.total = (size_t)s.n_points * (size_t)s.reps;
	sh.done = calloc(sh.total, 1);
	if (!sh.done)
		status = 1;
	char jpath[1200];
	if (!status && !rk->rank)
		status = prepare_journal(&s, &sh, jpath, sizeof jpath);
	if ((status = ranks_agree(rk, status)) || !sh.done) {
		if (sh.journal >= 0)
			close(sh.journal);
		free(sh.done);
		status = status ? status : 1;
		goto done;
	}
	/* Deal the runs left out in turn: the k-th to rank k % ranks. */
	ranks_broadcast(rk, sh.done, sh.total);
	size_t todo = 0, left = 0;
	for (size_t i = 0; i < sh.total; i++) {
		if (sh.done[i])
			continue;
		if (left++ % (size_t)rk->size == (size_t)rk->rank)
			todo++;
		else
			sh.done[i] = 2;
	}
	sh.at_start = sh.finished;
	sh.started = sh.last_sync = now();
	pthread_mutex_init(&sh.lock, NULL);
	pthread_cond_init(&sh.wake, NULL);
	int jobs_n = (size_t)s.jobs < todo ? s.jobs : (int)todo;
	pthread_t th[1024];
	int started = 0;
	sh.running = jobs_n;
	for (int j = 0; j < jobs_n; j++) {
		if (pthread_create(&th[j], NULL, worker, &sh))
			break;
		started++;
	}
	pthread_mutex_lock(&sh.lock);
	sh.running -= jobs_n - started;
	pthread_mutex_unlock(&sh.lock);
	if (!started && jobs_n > 0) {
		sh.running = 1;
		worker(&sh);
	}
	int final = ranks_exchange(rk, &sh);
	for (int j = 0; j < started; j++)
		pthread_join(th[j], NULL);
	pthread_cond_destroy(&sh.wake);
	pthread_mutex_destroy(&sh.lock);
	if (sh.journal >= 0) {
		progress(&sh, 1);
		fdatasync(sh.journal);
		close(sh.journal);
	}
	free(sh.done);
	free(sh.outbox);
	if (rk->rank > 0) {
		status = final; /* rank 0 reports and writes the outputs */
		goto done;
	}
	if ((status = outcome(&sh))) {
		if (!sh.failed)
			fprintf(stderr,
				"cyberdef: interrupted: %zu of %zu runs done "
				"and kept in %s/.sweep; finish with the same "
				"command and --resume\n",
				sh.finished, sh.total, s.out);
		goto done;
	}
	char command[4096];
	size_t used = (size_t)snprintf(command, sizeof command, "cyberdef");
	for (int i = 0; i < argc && used < sizeof command; i++)
		used += (size_t)snprintf(command + used, sizeof command - used,
					 " %s", argv[i]);
	if (aggregate(&s, jpath, command)) {
		status = 1;
		goto done;
	}
	remove_journal(&s);
	if (!s.quiet)
		printf("cyberdef: %d points x %d replicates: wrote "
		       "%s/{runs,points,timeseries_points}.csv and "
		       "metadata.json\n",
		       s.n_points, s.reps, s.out);
done:
	for (int a = 0; a < s.n_axes; a++)
		free(s.axes[a].values);
	cd_design_free(&s.points);
	scenario_destroy(base);
	return status;
}

/* Launched as several MPI ranks, each runs this; see "ranks" above. */
int sweep_main(int argc, char **argv)
{
	struct ranks rk;
	int status = ranks_start(&rk);
	if (!status)
		status = sweep_command(&rk, argc, argv);
	ranks_end(&rk);
	return status;
}
