/* sweep: see sweep.h. Threads (POSIX) run the replicates; one mutex guards
 * the queue of runs and the journal. Built with CD_MPI, a sweep launched as
 * several MPI ranks shares its runs among them; rank 0 alone keeps the
 * journal and writes the outputs (see "ranks" below). */
#define _POSIX_C_SOURCE 200809L
#include "analysis/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <gsl/gsl_cdf.h>
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

#include "analysis/csv.h"
#include "analysis/design.h"
#include "analysis/experiment.h"
#include "core/fileio.h"
#include "analysis/json.h"
#include "analysis/metrics.h"
#include "analysis/outdir.h"
#include "analysis/output.h"
#include "analysis/run.h"
#include "core/rng.h"
#include "load/scenario.h"
#include "core/digest.h"
#include "analysis/stats.h"
#include "core/units.h"
#include "core/status.h"
#include "core/version.h"
#include "world/world.h"

#define MAX_RUNS 100000000.0 /* points x replicates */

/* Daily national totals kept per run: the KEEP columns of timeseries.csv
 * (metrics.h). */
#define N_DAILY CD_KEPT_N

/* ---- the experiment ------------------------------------------------------ */

struct sweep {
	struct sweep_request rq; /* from the command line */
	const char *varies[CD_MAX_AXES];
	const char *sets[CD_MAX_SETS];
	struct experiment e;
	int quiet;
	double max_memory;		/* bytes; 0: the machine's memory */
	size_t record;			/* bytes per journal record */
	char *dir, *journal, *manifest; /* DIR/.sweep and its two files */
};

/* "a/b" in a new string, or NULL (out of memory). */
static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* Loads the scenario of point p, printing why it cannot. Returns the
 * exit status. */
static int load_point(const struct sweep *s, int p, struct cd_scenario **sc)
{
	struct cd_diag d;
	int rc = experiment_load(&s->e, p, sc, &d);
	if (rc)
		fprintf(stderr, "cyberdef: %s\n", d.msg);
	return rc == CD_ENOMEM ? 1 : rc ? 2 : 0;
}

/* ---- the journal ----------------------------------------------------------
 *
 * DIR/.sweep/journal.bin is JOURNAL_MAGIC, then one fixed-size record per
 * finished run, in the order runs finish: a head (point, replicate, seed),
 * the summary metrics, the daily totals of every day (NaN beyond the
 * point's horizon), and CHECK_BYTES of the SHA-256 of all that. A record
 * is used only if its checksum holds and its head names a run of this
 * sweep with the seed this sweep gives that run; any other is discarded
 * (its run is done again), never read as results. DIR/.sweep/manifest.txt
 * holds every argument that shapes the results, whole, so that --resume
 * continues only the same sweep.
 */

#define JOURNAL_MAGIC "cyberdef sweep journal 2\n"
#define CHECK_BYTES 16

struct record_head {
	uint32_t point, rep;
	uint64_t seed;
};

/* Writes the checksum of a filled record at its end. */
static void seal(const struct sweep *s, unsigned char *rec)
{
	cd_sha256 c;
	cd_sha256_begin(&c);
	cd_sha256_add(&c, rec, s->record - CHECK_BYTES);
	sha256_digest(&c, CHECK_BYTES, rec + s->record - CHECK_BYTES);
}

/* The run index of a record that is whole and of this sweep, or -1. */
static long long record_run(const struct sweep *s, const unsigned char *rec)
{
	unsigned char sum[CHECK_BYTES];
	cd_sha256 c;
	cd_sha256_begin(&c);
	cd_sha256_add(&c, rec, s->record - CHECK_BYTES);
	sha256_digest(&c, CHECK_BYTES, sum);
	struct record_head h;
	memcpy(&h, rec, sizeof h);
	if (memcmp(sum, rec + s->record - CHECK_BYTES, CHECK_BYTES) ||
	    h.point >= (uint32_t)s->e.n_points ||
	    h.rep >= (uint32_t)s->e.reps ||
	    h.seed != rng_derive(s->e.rq.seed, h.point, h.rep))
		return -1;
	return (long long)h.point * s->e.reps + h.rep;
}

/* Writes "key=value\n", the value whole, with '\' and control bytes as
 * \xHH so that one line is one field whatever the text holds. */
static void field(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s=", key);
	for (const unsigned char *c = (const unsigned char *)value; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			fprintf(f, "\\x%02x", *c);
		else
			putc(*c, f);
	putc('\n', f);
}

/* The manifest of this sweep, in a new string; NULL if out of memory. */
static char *manifest_text(const struct sweep *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	fprintf(f, "journal=%s", JOURNAL_MAGIC); /* the record format */
	field(f, "version", CD_VERSION);
	field(f, "scenario",
	      s->e.rq.scenario ? s->e.rq.scenario : "(built-in default)");
	field(f, "scenario_sha256", s->e.hash);
	for (int i = 0; i < s->e.rq.n_sets; i++)
		field(f, "set", s->e.rq.sets[i]);
	if (s->e.rq.design) {
		field(f, "design", s->e.rq.design);
		field(f, "design_sha256", s->e.design_hash);
	}
	for (int a = 0; a < s->e.n_axes && !s->e.rq.design; a++)
		field(f, "vary", s->e.axes[a].text);
	fprintf(f, "reps=%d\nseed=%llu\npoints=%d\ndays=%d\nrecord=%zu\n",
		s->e.reps, (unsigned long long)s->e.rq.seed, s->e.n_points,
		s->e.max_days, s->record);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Prints a line of a manifest from about byte `from`, at most 160. */
static void show_line(const char *line, size_t len, size_t from)
{
	size_t at = from > 60 ? from - 40 : 0;
	at = at < len ? at : len;
	size_t n = len - at > 160 ? 160 : len - at;
	fprintf(stderr, "'%s%.*s%s'", at ? "..." : "", (int)n, line + at,
		at + n < len ? "..." : "");
}

/* Compares the manifest of an earlier sweep with this one's, whole; on a
 * difference says which line, "was 'A', now 'B'", and returns 0. */
static int same_manifest(const struct sweep *s, const char *old,
			 const char *now)
{
	const char *a = old, *b = now;
	/* The analyzer does not model what open_memstream wrote in `now`: */
	// NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
	while (*a || *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a);
		size_t lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la) != 0) {
			size_t j = 0; /* the first byte that differs */
			while (j < la && j < lb && a[j] == b[j])
				j++;
			fprintf(stderr,
				"cyberdef: --resume: this sweep differs from "
				"the one in %s: was ",
				s->e.rq.out);
			show_line(a, la, j);
			fprintf(stderr, ", now ");
			show_line(b, lb, j);
			fprintf(stderr, "\n");
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
	off_t end;	       /* the journal's length */
	long long *where;      /* rank 0: [run] offset of its record, or -1 */
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
	char left[32] = "? s"; /* until a run has finished */
	if (rate > 0)
		snprintf(left, sizeof left, "%.0f s",
			 (double)(sh->total - sh->finished) / rate);
	fprintf(stderr,
		"\rsweep: %zu/%zu runs, %.1f runs/s, %.0f s elapsed, %s "
		"left   %s",
		sh->finished, sh->total, rate, el, left, final ? "\n" : "");
}

/* Runs (point, rep) and fills one journal record. */
/* A run's national daily totals, day by day, into its record. */
struct daily_sink {
	const struct cd_params *p;
	double *daily; /* [max_days * N_DAILY] */
};

static int keep_day(void *ctx, const sim_world *w, struct cd_diag *diag)
{
	(void)diag;
	const struct daily_sink *k = ctx;
	double *row = k->daily + (size_t)sim_world_day(w) * N_DAILY;
	for (int m = 0; m < N_DAILY; m++)
		row[m] = 0;
	const struct cd_params *p = k->p;
	for (int s = 0; s < p->n_segments; s++) {
		const struct cd_daily *d = sim_world_daily(w, s);
		CD_TIMESERIES_COLUMNS(CD_KEPT_ADD)
	}
	return 0;
}

/* Runs (point, rep) and fills one journal record. */
static int simulate(const struct cd_scenario *sc, struct sweep *s, int point,
		    int rep, unsigned char *rec)
{
	struct record_head h = {
		(uint32_t)point, (uint32_t)rep,
		rng_derive(s->e.rq.seed, (uint64_t)point, (uint64_t)rep)};
	double *summary = (double *)(void *)(rec + sizeof h);
	double *daily = summary + CD_SUMMARY_N;
	for (size_t k = (size_t)sc->p.days * N_DAILY;
	     k < (size_t)s->e.max_days * N_DAILY; k++)
		daily[k] = NAN; /* beyond this point's horizon */
	struct daily_sink k = {&sc->p, daily};
	struct cd_run_sink sink = {keep_day, &k};
	struct cd_summary sum;
	struct cd_diag d;
	int rc = cd_run(sc, h.seed, &sink, &sum, NULL, &d);
	if (rc)
		return rc;
	memcpy(rec, &h, sizeof h);
	memcpy(summary, sum.v, sizeof sum.v);
	seal(s, rec);
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
	if (sh->done[i] == 1)
		return; /* cannot happen: each run is dealt out once */
	sh->where[i] = (long long)sh->end;
	if (write_all(sh->journal, rec, size)) {
		fprintf(stderr,
			"cyberdef: cannot write the sweep journal: %s\n",
			strerror(errno));
		sh->failed = 1;
		return;
	}
	sh->end += (off_t)size;
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
		int point = (int)(i / (size_t)s->e.reps),
		    rep = (int)(i % (size_t)s->e.reps);
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
			long long run = record_run(sh->s, rec);
			pthread_mutex_lock(&sh->lock);
			if (run < 0) {
				fprintf(stderr,
					"cyberdef: MPI rank %d sent a damaged "
					"record; every rank must run the same "
					"cyberdef on one architecture\n",
					st.MPI_SOURCE);
				sh->failed = sh->failed ? sh->failed : 1;
			} else {
				keep(sh, (size_t)run, rec);
			}
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
 *
 * The outputs are made point by point from the journal, in memory that
 * does not grow with the number of points (agg_bytes, counted by the
 * memory check): one record; the summary metrics of one point's
 * replicates, whose medians need them all; and, per day and daily metric,
 * a running mean and a running mean of squared deviations, over a first
 * and a second pass on the point's records. The recurrences are GSL's own
 * (gsl_stats_mean, gsl_stats_sd_m), so the numbers are those that
 * stats_summarise gives over the same values.
 */

struct agg {
	unsigned char *rec;	 /* one record */
	double *col;		 /* [CD_SUMMARY_N][reps]: one point's */
	double *scratch;	 /* [reps] */
	long double *mean, *dev; /* [days * N_DAILY] */
	double *dmean;		 /* [days * N_DAILY]: mean, as a double */
	uint32_t *n, *n2;	 /* [days * N_DAILY]: values in each pass */
	int horizon;		 /* days of the point */
	double t;		 /* Student t(0.975, t_df) */
	uint32_t t_df;
};

/* Bytes the aggregation holds at once. */
static double agg_bytes(const struct sweep *s)
{
	double cells = (double)s->e.max_days * N_DAILY;
	return (double)s->record +
	       (CD_SUMMARY_N + 1.0) * s->e.reps * (double)sizeof(double) +
	       cells * (2.0 * sizeof(long double) + sizeof(double) +
			2.0 * sizeof(uint32_t));
}

static int agg_alloc(const struct sweep *s, struct agg *g)
{
	size_t cells = (size_t)s->e.max_days * N_DAILY,
	       reps = (size_t)s->e.reps;
	*g = (struct agg){.rec = malloc(s->record),
			  .col = malloc(CD_SUMMARY_N * reps * sizeof(double)),
			  .scratch = malloc(reps * sizeof(double)),
			  .mean = malloc(cells * sizeof(long double) + 1),
			  .dev = malloc(cells * sizeof(long double) + 1),
			  .dmean = malloc(cells * sizeof(double) + 1),
			  .n = malloc(cells * sizeof(uint32_t) + 1),
			  .n2 = malloc(cells * sizeof(uint32_t) + 1)};
	return g->rec && g->col && g->scratch && g->mean && g->dev &&
			       g->dmean && g->n && g->n2
		       ? 0
		       : CD_ENOMEM;
}

static void agg_free(struct agg *g)
{
	free(g->rec);
	free(g->col);
	free(g->scratch);
	free(g->mean);
	free(g->dev);
	free(g->dmean);
	free(g->n);
	free(g->n2);
}

static void axis_header(const struct sweep *s, FILE *f)
{
	for (int a = 0; a < s->e.n_axes; a++) {
		csv_sep(f);
		csv_str(f, s->e.axes[a].path);
	}
}

static void axis_values(const struct sweep *s, int p, FILE *f)
{
	for (int a = 0; a < s->e.n_axes; a++) {
		csv_sep(f);
		csv_str(f, experiment_value(&s->e, p, a));
	}
}

static void write_headers(const struct sweep *s, FILE *runs, FILE *pts,
			  FILE *ts)
{
	static const char *const stat_names[] = {"mean", "sd", "ci_lo", "ci_hi",
						 "median"};
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
			snprintf(name, sizeof name, "%s_%s",
				 cd_kept_columns[m].name,
				 stat_names[k == 0 ? 0 : k + 1]);
			csv_sep(ts);
			csv_str(ts, name);
		}
	csv_eol(ts);
}

/* Reads the record of run (p, r) into g->rec, checking it again. */
static int read_run(const struct sweep *s, const long long *where, int fd,
		    int p, int r, struct agg *g)
{
	size_t i = (size_t)p * (size_t)s->e.reps + (size_t)r;
	if (where[i] >= 0 &&
	    pread(fd, g->rec, s->record, (off_t)where[i]) ==
		    (ssize_t)s->record &&
	    record_run(s, g->rec) == (long long)i)
		return 0;
	fprintf(stderr,
		"cyberdef: %s: the record of replicate %d of point %d cannot "
		"be read back whole; run the sweep again with --resume\n",
		s->journal, r, p);
	return CD_EIO;
}

/* Pass 1 over a record: its runs.csv row, its summary metrics, and the
 * running means of its days. */
static void first_pass(const struct sweep *s, int p, int r, struct agg *g,
		       FILE *runs)
{
	struct cd_summary sum;
	struct record_head h;
	const double *summary = (const double *)(void *)(g->rec + sizeof h);
	const double *daily = summary + CD_SUMMARY_N;
	memcpy(&h, g->rec, sizeof h);
	sum.seed = h.seed;
	memcpy(sum.v, summary, sizeof sum.v);
	csv_int(runs, p);
	csv_sep(runs);
	csv_int(runs, r);
	axis_values(s, p, runs);
	csv_sep(runs);
	summary_write_row(runs, &sum);
	for (int m = 0; m < CD_SUMMARY_N; m++)
		g->col[(size_t)m * (size_t)s->e.reps + (size_t)r] = sum.v[m];
	if (r == 0) { /* the days of this point, then a fresh start */
		g->horizon = 0;
		while (g->horizon < s->e.max_days &&
		       !isnan(daily[(size_t)g->horizon * N_DAILY]))
			g->horizon++;
		size_t cells = (size_t)g->horizon * N_DAILY;
		for (size_t k = 0; k < cells; k++) {
			g->mean[k] = g->dev[k] = 0;
			g->n[k] = g->n2[k] = 0;
		}
	}
	for (size_t k = 0; k < (size_t)g->horizon * N_DAILY; k++)
		if (!isnan(daily[k])) {
			uint32_t i = g->n[k]++;
			g->mean[k] += (daily[k] - g->mean[k]) / (i + 1);
		}
}

/* Pass 2 over a record: the running mean squared deviations. */
static void second_pass(const struct sweep *s, struct agg *g)
{
	const double *daily =
		(const double *)(void *)(g->rec + sizeof(struct record_head)) +
		CD_SUMMARY_N;
	(void)s;
	for (size_t k = 0; k < (size_t)g->horizon * N_DAILY; k++)
		if (!isnan(daily[k])) {
			uint32_t i = g->n2[k]++;
			const long double delta = daily[k] - g->dmean[k];
			g->dev[k] += (delta * delta - g->dev[k]) / (i + 1);
		}
}

/* Mean and 95% CI of cell k, as stats_summarise gives them. */
static void cell_ci(struct agg *g, size_t k, double v[3])
{
	uint32_t n = g->n[k];
	v[0] = n ? g->dmean[k] : NAN;
	v[1] = v[2] = NAN;
	if (n < 2)
		return;
	if (g->t_df != n - 1) {
		g->t_df = n - 1;
		g->t = gsl_cdf_tdist_Pinv(0.975, (double)g->t_df);
	}
	const double variance = (double)g->dev[k];
	double sd = sqrt(variance * ((double)n / (double)(n - 1)));
	double half = g->t * sd / sqrt((double)n);
	v[1] = v[0] - half;
	v[2] = v[0] + half;
}

static void write_point_rows(const struct sweep *s, int p, struct agg *g,
			     FILE *pts, FILE *ts)
{
	csv_int(pts, p);
	axis_values(s, p, pts);
	csv_sep(pts);
	csv_int(pts, s->e.reps);
	for (int m = 0; m < CD_SUMMARY_N; m++) {
		stats_summary sm;
		stats_summarise(g->col + (size_t)m * (size_t)s->e.reps,
				(size_t)s->e.reps, g->scratch, &sm);
		double v[5] = {sm.mean, sm.sd, sm.ci_lo, sm.ci_hi, sm.median};
		for (int k = 0; k < 5; k++) {
			csv_sep(pts);
			csv_real(pts, v[k]);
		}
	}
	csv_eol(pts);
	for (int day = 0; day < g->horizon; day++) {
		csv_int(ts, p);
		axis_values(s, p, ts);
		csv_sep(ts);
		csv_int(ts, day);
		for (int m = 0; m < N_DAILY; m++) {
			double v[3];
			cell_ci(g, (size_t)day * N_DAILY + (size_t)m, v);
			for (int k = 0; k < 3; k++) {
				csv_sep(ts);
				csv_real(ts, v[k]);
			}
		}
		csv_eol(ts);
	}
}

/* Writes the rows of point p: two passes over its records. */
static int aggregate_point(const struct sweep *s, const long long *where,
			   int fd, int p, struct agg *g, FILE *const *f)
{
	for (int r = 0; r < s->e.reps; r++) {
		if (read_run(s, where, fd, p, r, g))
			return CD_EIO;
		first_pass(s, p, r, g, f[0]);
	}
	for (size_t k = 0; k < (size_t)g->horizon * N_DAILY; k++)
		g->dmean[k] = (double)g->mean[k];
	for (int r = 0; r < s->e.reps && s->e.reps > 1; r++) {
		if (read_run(s, where, fd, p, r, g))
			return CD_EIO;
		second_pass(s, g);
	}
	write_point_rows(s, p, g, f[1], f[2]);
	return 0;
}

/* The manifest of the set, sweep.json; NULL if out of memory or a file
 * cannot be read back (errno). */
static json_t *sweep_json(const struct sweep *s, cd_outfile *const *out,
			  const char *command)
{
	json_t *root = json_object(), *sets = json_array(),
	       *paths = json_array(), *texts = json_array();
	int ok = root != NULL;
	for (int i = 0; i < s->e.rq.n_sets; i++)
		cd_json_append(sets, cd_json_text(s->e.rq.sets[i]), &ok);
	for (int a = 0; a < s->e.n_axes; a++) {
		cd_json_append(paths, cd_json_text(s->e.axes[a].path), &ok);
		if (!s->e.rq.design)
			cd_json_append(texts, cd_json_text(s->e.axes[a].text),
				       &ok);
	}
	if (!ok) {
		json_decref(sets);
		json_decref(paths);
		json_decref(texts);
		json_decref(root);
		return NULL;
	}
	cd_json_set(root, "program", json_string("cyberdef"), &ok);
	cd_json_set(root, "command", cd_json_text(command), &ok);
	cd_json_set(root, "version", cd_json_text(CD_VERSION), &ok);
	cd_json_set(
		root, "scenario",
		cd_json_text(s->e.rq.scenario
				     ? s->e.rq.scenario
				     : "(built-in) scenarios/japan_2017.cfg"),
		&ok);
	cd_json_set(root, "scenario_sha256", cd_json_text(s->e.hash), &ok);
	cd_json_set(root, "overrides", sets, &ok);
	cd_json_set(root, "vary", paths, &ok);
	cd_json_set(root, "vary_specs", texts, &ok);
	cd_json_set(root, "design", cd_json_text(s->e.rq.design), &ok);
	if (s->e.rq.design)
		cd_json_set(root, "design_sha256",
			    cd_json_text(s->e.design_hash), &ok);
	cd_json_set(root, "points", json_integer(s->e.n_points), &ok);
	cd_json_set(root, "reps", json_integer(s->e.reps), &ok);
	cd_json_set(root, "seed", cd_json_u64(s->e.rq.seed), &ok);
	cd_json_set(root, "run_seed",
		    json_string("rng_derive(seed, point, replicate), the seed "
				"column of runs.csv"),
		    &ok);
	cd_json_set(root, "files", cd_outdir_files_json(out, 3), &ok);
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static const char *const set_names[4] = {"runs.csv", "points.csv",
					 "timeseries_points.csv", "sweep.json"};

/* Writes the set from the journal: the three CSV files, then sweep.json,
 * committed last. Prints why it cannot. */
static int aggregate(const struct sweep *s, const long long *where,
		     const char *command)
{
	cd_outfile *out[4] = {NULL, NULL, NULL, NULL};
	struct agg g;
	int rc = agg_alloc(s, &g), failed = -1;
	int fd = rc ? -1 : open(s->journal, O_RDONLY);
	if (rc || fd < 0) {
		fprintf(stderr, "cyberdef: %s: %s\n",
			rc ? "aggregation" : s->journal,
			rc ? "out of memory" : strerror(errno));
		rc = CD_EIO;
		errno = 0; /* said */
		goto done;
	}
	for (int k = 0; k < 4 && !rc; k++) {
		char *path = join(s->e.rq.out, set_names[k]);
		rc = path ? cd_outfile_open(&out[k], path) : CD_ENOMEM;
		if (rc)
			failed = k;
		free(path);
	}
	if (rc)
		goto done;
	FILE *f[3] = {cd_outfile_stream(out[0]), cd_outfile_stream(out[1]),
		      cd_outfile_stream(out[2])};
	write_headers(s, f[0], f[1], f[2]);
	for (int p = 0; p < s->e.n_points && !rc; p++)
		rc = aggregate_point(s, where, fd, p, &g, f);
	if (rc) {
		errno = 0; /* said already */
		goto done;
	}
	json_t *meta = sweep_json(s, out, command);
	rc = meta ? cd_json_write(cd_outfile_stream(out[3]), meta) : CD_EIO;
	json_decref(meta);
	if (!rc)
		rc = cd_outfile_commit_all(out, 4, &failed);
done:
	if (rc && errno)
		fprintf(stderr, "cyberdef: cannot write %s/%s: %s\n",
			s->e.rq.out, set_names[failed >= 0 ? failed : 3],
			strerror(errno));
	for (int k = 0; k < 4; k++)
		cd_outfile_abort(out[k]);
	if (fd >= 0)
		close(fd);
	agg_free(&g);
	return rc ? 1 : 0;
}

/* ---- the command ------------------------------------------------------------
 */

static const char usage[] =
	"usage: cyberdef sweep [SCENARIO] --vary PATH=SPEC [--vary ...] --reps "
	"N\n"
	"                      [--design FILE.csv] [--set PATH=VALUE]... "
	"[--seed S]\n"
	"                      [--jobs J] [--out DIR] [--max-memory SIZE] "
	"[--resume]\n"
	"                      [--quiet]\n"
	"\n"
	"Runs SCENARIO (default: the built-in japan_2017) at every point of a\n"
	"grid or design, N replicates each, on all cores, and writes "
	"runs.csv,\n"
	"points.csv, timeseries_points.csv and sweep.json to DIR.\n"
	"\n"
	"  --vary PATH=SPEC  a setting and its values: start:stop:step (stop\n"
	"                    included) or a list a,b,c; several --vary (at "
	"most\n"
	"                    16) make a grid (the last varies fastest). "
	"Default:\n"
	"                    the scenario's sweep { vary = (...); } block\n"
	"  --design FILE.csv points as rows of a CSV whose header names "
	"settings\n"
	"                    (e.g. a Latin hypercube from SALib), instead of "
	"--vary\n"
	"  --reps N          replicates per point, 1 to 100000000 (default:\n"
	"                    sweep { reps })\n"
	"  --set PATH=VALUE  fixed override for every run\n"
	"  --seed S          master seed, 0 to 2^64-1 (default 1); run (p, r)\n"
	"                    uses rng_derive(S, p, r), the seed column of "
	"runs.csv\n"
	"  --jobs J          threads, 1 to 1024 (default: online processors)\n"
	"  --out DIR         output directory (default ./sweep)\n"
	"  --resume          finish an interrupted sweep in DIR\n"
	"  --max-memory SIZE refuse a sweep whose --jobs simultaneous runs "
	"and\n"
	"                    final aggregation need more (e.g. 8G; default: "
	"the\n"
	"                    machine's memory)\n"
	"  --quiet           no progress line\n";

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "cyberdef: %s%s\n\n%s", what, arg, usage);
	return 2;
}

/* Parses v, whole, as a decimal integer in [lo, hi]. */
static int whole_int(const char *v, long long lo, long long hi, long long *x)
{
	char *end;
	errno = 0;
	long long r = strtoll(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || r < lo || r > hi)
		return -1;
	*x = r;
	return 0;
}

/* Parses a size, whole: digits, '.', an exponent and one unit letter. */
static int whole_size(const char *v, double *bytes)
{
	size_t n = strlen(v), k = strspn(v, "0123456789.eE+-");
	if (*v < '0' || *v > '9' ||
	    (k != n && (k + 1 != n || !strchr("KkMmGgTt", v[k]))))
		return -1;
	return cd_size_parse(v, bytes);
}

/* Takes option a and its value v. Returns -1, or the exit status. */
static int option(struct sweep *s, const char *a, const char *v)
{
	long long x;
	if (!strcmp(a, "--vary")) {
		if (s->rq.n_varies == CD_MAX_AXES)
			return bad("--vary: at most 16 in one sweep (the "
				   "settings one sweep varies); one more: ",
				   v);
		s->varies[s->rq.n_varies++] = v;
	} else if (!strcmp(a, "--set")) {
		if (s->rq.n_sets == CD_MAX_SETS)
			return bad("--set: at most 64; one more: ", v);
		s->sets[s->rq.n_sets++] = v;
	} else if (!strcmp(a, "--out") || !strcmp(a, "--design")) {
		if (!*v)
			return bad(a, a[2] == 'o' ? " needs a directory"
						  : " needs a file");
		*(a[2] == 'o' ? &s->rq.out : &s->rq.design) = v;
	} else if (!strcmp(a, "--seed")) {
		char *end;
		errno = 0;
		unsigned long long u = strtoull(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || errno)
			return bad("--seed: allowed: an integer in [0, "
				   "2^64-1], got ",
				   v);
		s->rq.seed = u;
	} else if (!strcmp(a, "--max-memory")) {
		if (whole_size(v, &s->max_memory))
			return bad("--max-memory: allowed: a size such as "
				   "512M or 8G, got ",
				   v);
	} else if (!strcmp(a, "--jobs")) {
		if (whole_int(v, 1, 1024, &x))
			return bad("--jobs: allowed: an integer in [1, 1024], "
				   "got ",
				   v);
		s->rq.jobs = (int)x;
	} else {
		if (whole_int(v, 1, 100000000, &x))
			return bad("--reps: allowed: an integer in [1, "
				   "100000000], got ",
				   v);
		s->rq.reps = (int)x;
	}
	return -1;
}

/* Parses the command line into s and the --vary texts. Returns -1 to go
 * on, or the exit status. */
static int parse_args(const struct ranks *rk, int argc, char **argv,
		      struct sweep *s)
{
	static const char *const valued[] = {
		"--vary", "--reps", "--seed",	    "--jobs",
		"--out",  "--set",  "--max-memory", "--design"};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int takes = 0;
		for (size_t k = 0; k < sizeof valued / sizeof *valued; k++)
			takes |= !strcmp(a, valued[k]);
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			if (!rk->rank)
				fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--resume")) {
			s->rq.resume = 1;
		} else if (!strcmp(a, "--quiet")) {
			s->quiet = 1;
		} else if (takes) {
			if (i + 1 >= argc)
				return bad("missing value after ", a);
			int rc = option(s, a, argv[++i]);
			if (rc >= 0)
				return rc;
		} else if (a[0] == '-' && a[1]) {
			return bad("unknown option ", a);
		} else if (s->rq.scenario) {
			return bad("more than one scenario given: ", a);
		} else {
			s->rq.scenario = a;
		}
	}
	if (s->rq.design && s->rq.n_varies)
		return bad("--design and --vary cannot be combined", "");
	return -1;
}

/* Refuses a sweep whose simultaneous runs and aggregation would need
 * more memory than allowed (--max-memory, or the machine's). */
static int check_memory(const struct sweep *s)
{
	double world = s->e.world_bytes;
	double limit = s->max_memory > 0 ? s->max_memory : cd_machine_memory();
	double total = (double)s->e.n_points * s->e.reps;
	int jobs =
		total < s->e.rq.jobs ? (int)total : s->e.rq.jobs; /* at once */
	double runs = (world + 2.0 * (double)s->record) * jobs;
	double agg = agg_bytes(s) + total * (sizeof(long long) + 1.0);
	if (!(limit > 0) || runs + agg <= limit)
		return 0;
	char a[48], b[48], c[48], l[48];
	cd_size_text(runs, 3, a, sizeof a);
	cd_size_text(agg, 3, b, sizeof b);
	cd_size_pair(runs + agg, limit, c, l, sizeof c);
	fprintf(stderr,
		"cyberdef: %s: %lld organisations in %d simultaneous run(s) "
		"need about %s, and aggregating %.0f runs (%d points x %d "
		"replicates of %d days) about %s: about %s, more than the %s "
		"allowed; allowed: fewer organisations, --jobs, points, "
		"replicates or days, or a higher --max-memory if the machine "
		"has more\n",
		s->e.base->path, s->e.world_orgs, jobs, a, total, s->e.n_points,
		s->e.reps, s->e.max_days, b, c, l);
	return 2;
}

/* Checks the experiment: what to vary, how many runs that makes, every
 * point, then the memory. Prints why not; returns the exit status. */
static int check(struct sweep *s)
{
	struct cd_diag d;
	int rc = experiment_open(&s->e, &s->rq, &d);
	if (!rc && !s->e.reps)
		return bad("--reps is needed (or reps in the scenario's "
			   "sweep block)",
			   "");
	if (!rc && !s->rq.design && !s->e.n_varies)
		return bad("nothing to vary: give --vary PATH=SPEC or "
			   "--design FILE.csv",
			   "");
	if (!rc)
		rc = experiment_plan(&s->e, &d);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		if (s->e.bad_point >= 0)
			fprintf(stderr, "cyberdef: (at sweep point %d)\n",
				s->e.bad_point);
		return rc == CD_ENOMEM	? 1
		       : rc == CD_EINTR ? 128 + cd_stop_signal
					: 2;
	}
	s->record = sizeof(struct record_head) +
		    (CD_SUMMARY_N + (size_t)s->e.max_days * N_DAILY) *
			    sizeof(double) +
		    CHECK_BYTES;
	return check_memory(s);
}

/* Makes DIR/.sweep with an empty journal and the manifest, last. */
static int new_journal(const struct sweep *s, const char *manifest)
{
	if (s->e.rq.resume)
		fprintf(stderr,
			"cyberdef: --resume: no unfinished sweep in %s; "
			"starting it\n",
			s->e.rq.out);
	if (cd_mkdir_p(s->dir)) {
		fprintf(stderr, "cyberdef: cannot create %s: %s\n", s->dir,
			strerror(errno));
		return 1;
	}
	/* Journal first, manifest last: a manifest means a journal. */
	int fd = open(s->journal, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 || write_all(fd, JOURNAL_MAGIC, strlen(JOURNAL_MAGIC)) ||
	    fsync(fd) || close(fd)) {
		fprintf(stderr, "cyberdef: cannot write %s: %s\n", s->journal,
			strerror(errno));
		return 1;
	}
	cd_outfile *mf;
	if (cd_outfile_open(&mf, s->manifest)) {
		fprintf(stderr, "cyberdef: cannot write %s: %s\n", s->manifest,
			strerror(errno));
		return 1;
	}
	fputs(manifest, cd_outfile_stream(mf));
	if (cd_outfile_commit(mf)) {
		fprintf(stderr, "cyberdef: cannot write %s: %s\n", s->manifest,
			strerror(errno));
		return 1;
	}
	return 0;
}

/* Checks that the unfinished sweep in DIR is this one. */
static int old_journal(const struct sweep *s, const char *manifest)
{
	if (!s->e.rq.resume) {
		fprintf(stderr,
			"cyberdef: %s holds an unfinished sweep; finish it "
			"with --resume (same arguments), or remove %s\n",
			s->e.rq.out, s->dir);
		return 2;
	}
	char *old;
	size_t len;
	const char *why;
	if (cd_file_read(s->manifest, (size_t)1 << 30, &old, &len, &why)) {
		fprintf(stderr, "cyberdef: cannot read %s: %s\n", s->manifest,
			why);
		return 1;
	}
	int same = strlen(old) == len && same_manifest(s, old, manifest);
	if (strlen(old) != len)
		fprintf(stderr,
			"cyberdef: %s is not a sweep manifest (a NUL "
			"byte); remove %s to start again\n",
			s->manifest, s->dir);
	free(old);
	return same ? 0 : 2;
}

/* Takes the journal's records: those that are whole and of this sweep
 * mark their runs done; the others are discarded, with a warning. Cuts a
 * record left partial by a crash. */
static int scan_journal(const struct sweep *s, struct shared *sh)
{
	struct stat st;
	size_t magic = strlen(JOURNAL_MAGIC);
	char head[sizeof JOURNAL_MAGIC];
	sh->journal = open(s->journal, O_RDWR);
	if (sh->journal < 0 || fstat(sh->journal, &st)) {
		fprintf(stderr, "cyberdef: cannot open %s: %s\n", s->journal,
			strerror(errno));
		return 1;
	}
	if (st.st_size < (off_t)magic ||
	    pread(sh->journal, head, magic, 0) != (ssize_t)magic ||
	    memcmp(head, JOURNAL_MAGIC, magic)) {
		fprintf(stderr,
			"cyberdef: %s is not a journal of this cyberdef (its "
			"header differs); remove %s to start the sweep again\n",
			s->journal, s->dir);
		return 2;
	}
	size_t whole = ((size_t)st.st_size - magic) / s->record, bad = 0;
	int cut = ((size_t)st.st_size - magic) % s->record != 0;
	unsigned char *rec = malloc(s->record);
	for (size_t k = 0; rec && k < whole; k++) {
		off_t off = (off_t)(magic + k * s->record);
		long long run = -1;
		if (pread(sh->journal, rec, s->record, off) ==
		    (ssize_t)s->record)
			run = record_run(s, rec);
		if (run < 0 || sh->done[run]) {
			bad += run < 0;
			continue;
		}
		sh->done[run] = 1;
		sh->where[run] = (long long)off;
		sh->finished++;
	}
	free(rec);
	sh->end = (off_t)(magic + whole * s->record);
	if (!rec || ftruncate(sh->journal, sh->end) ||
	    lseek(sh->journal, 0, SEEK_END) < 0) {
		fprintf(stderr, "cyberdef: cannot read %s: %s\n", s->journal,
			rec ? strerror(errno) : "out of memory");
		return 1;
	}
	if (bad || cut)
		fprintf(stderr,
			"cyberdef: warning: %s: discarded %zu of %zu records "
			"that fail their checksum or are not of this sweep "
			"(point, replicate or seed)%s; their runs are done "
			"again\n",
			s->journal, bad, whole,
			cut ? ", and a record cut off at the end" : "");
	return 0;
}

/* Rank 0: starts the journal of this sweep, or takes up the unfinished
 * one in DIR/.sweep. Holds the lock of DIR. */
static int open_journal(const struct sweep *s, struct shared *sh)
{
	static const char *const temporaries[] = {"manifest.txt"};
	char *now_text = manifest_text(s);
	if (!now_text) {
		fprintf(stderr, "cyberdef: out of memory\n");
		return 1;
	}
	cd_outdir_clean(s->dir, temporaries, 1);
	struct stat st;
	int rc = stat(s->manifest, &st) == 0 ? old_journal(s, now_text)
					     : new_journal(s, now_text);
	free(now_text);
	return rc ? rc : scan_journal(s, sh);
}

static void remove_journal(const struct sweep *s)
{
	/* First: without a manifest the journal is inert. If it stays, a
	 * later sweep in this directory would take it for an unfinished one. */
	if (remove(s->manifest) != 0 && errno != ENOENT)
		fprintf(stderr, "cyberdef: warning: cannot remove %s: %s\n",
			s->manifest, strerror(errno));
	(void)remove(s->journal);
	rmdir(s->dir);
}

/* Runs this rank's share of the runs left on s->e.rq.jobs threads, exchanging
 * records with the other ranks. Returns what ranks_exchange returns. */
static int run_all(struct ranks *rk, struct shared *sh)
{
	struct sweep *s = sh->s;
	/* Deal the runs left out in turn: the k-th to rank k % ranks. */
	ranks_broadcast(rk, sh->done, sh->total);
	size_t todo = 0, left = 0;
	for (size_t i = 0; i < sh->total; i++) {
		if (sh->done[i])
			continue;
		if (left++ % (size_t)rk->size == (size_t)rk->rank)
			todo++;
		else
			sh->done[i] = 2;
	}
	sh->at_start = sh->finished;
	sh->started = sh->last_sync = now();
	pthread_mutex_init(&sh->lock, NULL);
	pthread_cond_init(&sh->wake, NULL);
	int jobs_n = (size_t)s->e.rq.jobs < todo ? s->e.rq.jobs : (int)todo;
	pthread_t th[1024];
	int started = 0;
	sh->running = jobs_n;
	for (int j = 0; j < jobs_n; j++) {
		if (pthread_create(&th[j], NULL, worker, sh))
			break;
		started++;
	}
	pthread_mutex_lock(&sh->lock);
	sh->running -= jobs_n - started;
	pthread_mutex_unlock(&sh->lock);
	if (!started && jobs_n > 0) {
		sh->running = 1;
		worker(sh);
	}
	int final = ranks_exchange(rk, sh);
	for (int j = 0; j < started; j++)
		pthread_join(th[j], NULL);
	pthread_cond_destroy(&sh->wake);
	pthread_mutex_destroy(&sh->lock);
	if (sh->journal >= 0) {
		progress(sh, 1);
		fdatasync(sh->journal);
		close(sh->journal);
		sh->journal = -1;
	}
	return final;
}

/* "cyberdef ARGS...", whole, in a new string; NULL if out of memory. */
static char *command_line(int argc, char **argv)
{
	size_t n = sizeof "cyberdef";
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *c = malloc(n), *p = c;
	if (!c)
		return NULL;
	p += sprintf(p, "cyberdef");
	for (int i = 0; i < argc; i++)
		p += sprintf(p, " %s", argv[i]);
	return c;
}

/* Rank 0, once every run is done: the outputs, then the journal goes. */
static int finish(struct sweep *s, const struct shared *sh, int argc,
		  char **argv)
{
	char *command = command_line(argc, argv);
	int status = command ? aggregate(s, sh->where, command) : 1;
	if (!command)
		fprintf(stderr, "cyberdef: out of memory\n");
	free(command);
	if (status)
		return status;
	remove_journal(s);
	if (!s->quiet)
		printf("cyberdef: %d points x %d replicates: wrote "
		       "%s/{runs,points,timeseries_points}.csv and "
		       "sweep.json\n",
		       s->e.n_points, s->e.reps, s->e.rq.out);
	return 0;
}

/* Rank 0: locks DIR (for the sweep's life: *od) and opens the journal. */
static int start_journal(struct sweep *s, struct shared *sh, cd_outdir **od)
{
	struct cd_diag d;
	int rc = cd_outdir_open(od, s->e.rq.out, set_names, 4, &d);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n",
			rc == CD_ENOMEM ? "out of memory" : d.msg);
		return 1;
	}
	sh->where = malloc(sh->total * sizeof *sh->where);
	if (!sh->where) {
		fprintf(stderr, "cyberdef: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < sh->total; i++)
		sh->where[i] = -1;
	return open_journal(s, sh);
}

static int sweep_command(struct ranks *rk, int argc, char **argv)
{
	struct sweep s = {.rq = {.out = "sweep", .seed = 1}};
	s.rq.sets = s.sets;
	s.rq.varies = s.varies;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	s.rq.jobs = jobs > 0 ? (jobs < 1024 ? (int)jobs : 1024) : 1;
	int status = parse_args(rk, argc, argv, &s);
	if (status >= 0)
		return status;

	/* Every rank checks the sweep; they agree on the outcome below. */
	struct shared sh = {.s = &s, .journal = -1, .rank = rk->rank};
	cd_outdir *od = NULL;
	status = check(&s);
	s.dir = join(s.rq.out, ".sweep");
	s.journal = s.dir ? join(s.dir, "journal.bin") : NULL;
	s.manifest = s.dir ? join(s.dir, "manifest.txt") : NULL;
	sh.total = (size_t)s.e.n_points * (size_t)s.e.reps;
	sh.done = status ? NULL : calloc(sh.total, 1);
	if (!status && (!sh.done || !s.manifest || !s.journal)) {
		fprintf(stderr, "cyberdef: out of memory\n");
		status = 1;
	}
	if ((status = ranks_agree(rk, status)))
		goto done;
	/* Rank 0 alone touches the output directory and the journal. */
	if (!rk->rank)
		status = start_journal(&s, &sh, &od);
	if ((status = ranks_agree(rk, status)))
		goto done;
	int final = run_all(rk, &sh);
	if (rk->rank > 0) {
		status = final; /* rank 0 reports and writes the outputs */
	} else if ((status = outcome(&sh))) {
		if (!sh.failed)
			fprintf(stderr,
				"cyberdef: interrupted: %zu of %zu runs done "
				"and kept in %s; finish with the same "
				"command and --resume\n",
				sh.finished, sh.total, s.dir);
	} else {
		status = finish(&s, &sh, argc, argv);
	}
done:
	if (sh.journal >= 0)
		close(sh.journal);
	cd_outdir_close(od);
	free(sh.done);
	free(sh.where);
	free(sh.outbox);
	free(s.dir);
	free(s.journal);
	free(s.manifest);
	experiment_free(&s.e);
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
