/* sweep_cmd: see sweep_cmd.h. The one place that speaks for a sweep:
 * the library (analysis/experiment.h, sweep.h) returns statuses and
 * messages, and calls back for progress and notices. */
#define _POSIX_C_SOURCE 200809L /* dup, fileno, sysconf */
#include "cmd/sweep_cmd.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/experiment.h"
#include "analysis/ranks.h"
#include "analysis/sweep.h"
#include "core/status.h"
#include "core/units.h"

/* What the command line asks. */
struct sweep_line {
	struct sweep_request rq;
	const char *varies[CD_MAX_AXES];
	const char *sets[CD_MAX_SETS];
	int quiet;
	double max_memory; /* bytes; 0: the machine's memory */
	char *command;	   /* as typed, for sweep.json */
};

static void say(const char *msg)
{
	fprintf(stderr, "cyberdef: %s\n", msg);
}

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
static int option(struct sweep_line *s, const char *a, const char *v)
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
		      struct sweep_line *s)
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

/* ---- what the library reports ----------------------------------------- */

static void on_notice(void *ctx, const char *msg)
{
	(void)ctx;
	say(msg);
}

/* The progress line: on a terminal, at most 4 times a second. */
struct progress_line {
	double last; /* elapsed seconds when last shown */
	int shown;
};

static void on_progress(void *ctx, const struct sweep_progress *p)
{
	struct progress_line *pl = ctx;
	if (!p->final && pl->shown && p->elapsed - pl->last < 0.25)
		return;
	pl->shown = 1;
	pl->last = p->elapsed;
	double el = p->elapsed;
	double rate = el > 0 ? (double)(p->done - p->at_start) / el : 0;
	char left[32] = "? s"; /* until a run has finished */
	if (rate > 0)
		snprintf(left, sizeof left, "%.0f s",
			 (double)(p->total - p->done) / rate);
	fprintf(stderr,
		"\rsweep: %zu/%zu runs, %.1f runs/s, %.0f s elapsed, %s "
		"left   %s",
		p->done, p->total, rate, el, left, p->final ? "\n" : "");
}

/* ---- ranks other than 0: messages held back while checking ------------ */

/* Every rank checks the sweep, and would say the same; a rank other than
 * 0 writes its stderr into a temporary file until the ranks agree, and
 * shows it only where rank 0 found nothing wrong. */
struct hold {
	int rank;
	int saved; /* stderr, while it is held; -1 */
	FILE *held;
};

static void hold_start(struct hold *h, int rank)
{
	*h = (struct hold){.rank = rank, .saved = -1};
	if (rank <= 0)
		return;
	(void)fflush(stderr);
	h->held = tmpfile();
	h->saved = h->held ? dup(STDERR_FILENO) : -1;
	if (h->saved >= 0)
		dup2(fileno(h->held), STDERR_FILENO);
}

/* Restores stderr; shows the messages held back if show. */
static void hold_release(struct hold *h, int show)
{
	if (h->saved >= 0) {
		(void)fflush(stderr);
		dup2(h->saved, STDERR_FILENO);
		close(h->saved);
		h->saved = -1;
		if (show) {
			char buf[4096];
			size_t n;
			fprintf(stderr, "cyberdef: MPI rank %d:\n", h->rank);
			rewind(h->held);
			while ((n = fread(buf, 1, sizeof buf, h->held)) > 0)
				fwrite(buf, 1, n, stderr);
		}
	}
	if (h->held)
		(void)fclose(h->held); /* a temporary, read already */
	h->held = NULL;
}

/* Every rank passes the exit status of the same step; returns the
 * highest. A rank's held messages are shown only where rank 0 succeeded
 * (otherwise rank 0 has said the same). */
static int agree(const struct ranks *rk, struct hold *h, int status)
{
	int first, worst = ranks_agree(rk, status, &first);
	hold_release(h, status && !first);
	if (worst && !first && !rk->rank)
		say("other MPI ranks cannot start the sweep (see their "
		    "messages); every rank must see the same files");
	return worst;
}

/* ---- exit statuses ---------------------------------------------------- */

/* While the sweep is checked, everything but memory is bad input. */
static int checking_exit(int rc)
{
	return rc == CD_ENOMEM ? 1 : rc == CD_EINTR ? 128 + cd_stop_signal : 2;
}

/* Once it runs: limits and bad input 2, a signal 128 + it, the rest 1. */
static int running_exit(int rc, int sig)
{
	if (rc == CD_EINVAL || rc == CD_ELIMIT)
		return 2;
	if (rc == CD_EINTR)
		return sig ? 128 + sig : 1;
	return rc ? 1 : 0;
}

/* ---- checking --------------------------------------------------------- */

/* Refuses a sweep whose simultaneous runs and aggregation would need
 * more memory than allowed (--max-memory, or the machine's). */
static int check_memory(const struct sweep_line *o, const struct experiment *e)
{
	struct sweep_memory m;
	sweep_memory_need(e, &m);
	double limit = o->max_memory > 0 ? o->max_memory : cd_machine_memory();
	double need = m.runs + m.aggregation;
	if (!(limit > 0) || need <= limit)
		return 0;
	char a[48], b[48], c[48], l[48];
	cd_size_text(m.runs, 3, a, sizeof a);
	cd_size_text(m.aggregation, 3, b, sizeof b);
	cd_size_pair(need, limit, c, l, sizeof c);
	fprintf(stderr,
		"cyberdef: %s: %lld organisations in %d simultaneous run(s) "
		"need about %s, and aggregating %.0f runs (%d points x %d "
		"replicates of %d days) about %s: about %s, more than the %s "
		"allowed; allowed: fewer organisations, --jobs, points, "
		"replicates or days, or a higher --max-memory if the machine "
		"has more\n",
		e->base->path, e->world_orgs, m.jobs, a, m.total, e->n_points,
		e->reps, e->max_days, b, c, l);
	return 2;
}

/* Checks the sweep (every rank): what to vary, how many runs that makes,
 * every point, the memory; then makes it. Returns the exit status. */
static int check(struct sweep_line *o, struct experiment *e, sweep **sw,
		 struct ranks *rk, const struct sweep_hooks *hooks)
{
	struct cd_diag d;
	int rc = experiment_open(e, &o->rq, &d);
	if (!rc && !e->reps)
		return bad("--reps is needed (or reps in the scenario's "
			   "sweep block)",
			   "");
	if (!rc && !o->rq.design && !e->n_varies)
		return bad("nothing to vary: give --vary PATH=SPEC or "
			   "--design FILE.csv",
			   "");
	if (!rc)
		rc = experiment_plan(e, &d);
	if (rc) {
		say(d.msg);
		if (e->bad_point >= 0)
			fprintf(stderr, "cyberdef: (at sweep point %d)\n",
				e->bad_point);
		return checking_exit(rc);
	}
	if ((rc = check_memory(o, e)))
		return rc;
	if (sweep_create(sw, e, rk, hooks)) {
		say("out of memory");
		return 1;
	}
	return 0;
}

/* ---- running ---------------------------------------------------------- */

/* Rank 0: locks DIR and opens the journal. Returns the exit status. */
static int start(sweep *sw)
{
	struct cd_diag d;
	int rc = sweep_start(sw, &d);
	if (rc)
		say(d.msg);
	return running_exit(rc, 0);
}

/* Runs the sweep; rank 0 then writes the outputs. Returns the exit
 * status. */
static int run(const struct sweep_line *o, const struct experiment *e,
	       sweep *sw, int rank)
{
	struct cd_diag d;
	int rc = sweep_run(sw, &d);
	if (d.msg[0])
		say(d.msg);
	if (rc == CD_EINTR && !rank)
		fprintf(stderr,
			"cyberdef: interrupted: %zu of %zu runs done and kept "
			"in %s; finish with the same command and --resume\n",
			sweep_runs_done(sw), sweep_runs(sw),
			sweep_journal_dir(sw));
	if (rc || rank) /* rank 0 reports and writes the outputs */
		return running_exit(rc, sweep_stop_signal(sw));
	rc = sweep_finish(sw, o->command, &d);
	if (rc) {
		say(d.msg);
		return running_exit(rc, 0);
	}
	if (!o->quiet)
		printf("cyberdef: %d points x %d replicates: wrote "
		       "%s/{runs,points,timeseries_points}.csv and "
		       "sweep.json\n",
		       e->n_points, e->reps, e->rq.out);
	return 0;
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

static int sweep_command(struct ranks *rk, struct hold *h, int argc,
			 char **argv)
{
	struct sweep_line o = {.rq = {.out = "sweep", .seed = 1}};
	o.rq.sets = o.sets;
	o.rq.varies = o.varies;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	o.rq.jobs = jobs > 0 ? (jobs < 1024 ? (int)jobs : 1024) : 1;
	int status = parse_args(rk, argc, argv, &o);
	if (status >= 0)
		return status;
	o.command = command_line(argc, argv); /* before getopt reorders */
	struct progress_line pl = {0};
	struct sweep_hooks hooks = {on_notice, NULL, &pl};
	if (!o.quiet && isatty(STDERR_FILENO))
		hooks.progress = on_progress;
	struct experiment e = {0};
	sweep *sw = NULL;
	/* Every rank checks the sweep; they agree on the outcome. */
	status = o.command ? check(&o, &e, &sw, rk, &hooks) : 1;
	if (!o.command)
		say("out of memory");
	if ((status = agree(rk, h, status)))
		goto done;
	/* Rank 0 alone touches the output directory and the journal. */
	if (!rk->rank)
		status = start(sw);
	if ((status = agree(rk, h, status)))
		goto done;
	status = run(&o, &e, sw, rk->rank);
done:
	sweep_destroy(sw);
	experiment_free(&e);
	free(o.command);
	return status;
}

/* Launched as several MPI ranks, each runs this (analysis/ranks.h). */
int sweep_main(int argc, char **argv)
{
	struct ranks rk;
	struct cd_diag d;
	if (ranks_start(&rk, &d)) {
		if (!rk.rank) /* once, not once a rank */
			say(d.msg);
		ranks_end(&rk);
		return 1;
	}
	struct hold h;
	hold_start(&h, rk.rank);
	int status = sweep_command(&rk, &h, argc, argv);
	hold_release(&h, 0);
	ranks_end(&rk);
	return status;
}
