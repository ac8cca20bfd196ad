/* sweep_cmd: see sweep_cmd.h. The one place that speaks for a sweep and
 * for a comparison (a sweep whose points are its arms): the library
 * (analysis/experiment.h, sweep.h) returns statuses and messages, and
 * calls back for progress and notices. */
#define _POSIX_C_SOURCE 200809L /* sysconf */
#include "cmd/sweep_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/csvread.h"
#include "analysis/effects.h"
#include "analysis/experiment.h"
#include "analysis/output.h"
#include "analysis/ranks.h"
#include "analysis/sweep.h"
#include "cmd/options.h"
#include "cmd/ranked.h"
#include "cmd/study_usage.h"
#include "core/status.h"
#include "core/units.h"

/* What the command line asks. */
struct sweep_line {
	struct cmd_line l;   /* its parse, for messages with the usage */
	struct cmd_common c; /* --set, --seed, --jobs, --out, --quiet, ... */
	struct sweep_request rq;
	const char *varies[CD_MAX_AXES];
	char *command;	 /* as typed, for sweep.json */
	int compare;	 /* cyberdef compare */
	int sensitivity; /* cyberdef sensitivity */
	const char *arms[EXPERIMENT_MAX_ARMS + 1];
	const char *params[SENS_MAX_PARAMS];
	const char *metrics[CD_SUMMARY_N], *exceed[CD_SUMMARY_N];
};

static void say(const char *msg)
{
	fprintf(stderr, "cyberdef: %s\n", msg);
}

enum {
	OPT_VARY = OPT_FIRST_OWN,
	OPT_REPS,
	OPT_DESIGN,
	OPT_RESUME,
	OPT_INDEPENDENT,
	OPT_METRIC,
	OPT_EXCEED,
	OPT_PARAM,
	OPT_METHOD,
	OPT_N,
	OPT_LEVELS,
	OPT_POSTERIOR
};

static const struct option longopts[] = {
	{"vary", required_argument, NULL, OPT_VARY},
	{"reps", required_argument, NULL, OPT_REPS},
	{"design", required_argument, NULL, OPT_DESIGN},
	{"resume", no_argument, NULL, OPT_RESUME},
	{"independent", no_argument, NULL, OPT_INDEPENDENT},
	{"metric", required_argument, NULL, OPT_METRIC},
	{"exceed", required_argument, NULL, OPT_EXCEED},
	{"param", required_argument, NULL, OPT_PARAM},
	{"method", required_argument, NULL, OPT_METHOD},
	{"n", required_argument, NULL, OPT_N},
	{"levels", required_argument, NULL, OPT_LEVELS},
	{"posterior", required_argument, NULL, OPT_POSTERIOR},
	CMD_OPT_SET,
	CMD_OPT_SEED,
	CMD_OPT_JOBS,
	CMD_OPT_OUT,
	CMD_OPT_MAX_MEMORY,
	CMD_OPT_QUIET,
	CMD_OPT_HELP,
	CMD_OPT_END};

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

/* Refuses an option the command does not take. Returns 0, or 2 after a
 * message. */
static int foreign(struct sweep_line *o, int code)
{
	if (o->compare &&
	    (code == OPT_VARY || code == OPT_DESIGN || code == OPT_INDEPENDENT))
		return cmd_bad(&o->l,
			       "compare takes no --vary, --design or "
			       "--independent: its arms are the scenarios "
			       "given",
			       "");
	if (o->sensitivity && (code == OPT_VARY || code == OPT_DESIGN ||
			       code == OPT_INDEPENDENT || code == OPT_EXCEED))
		return cmd_bad(&o->l,
			       "sensitivity takes no --vary, --design, "
			       "--independent or --exceed: its points are "
			       "its design",
			       "");
	if (!o->compare && !o->sensitivity &&
	    (code == OPT_METRIC || code == OPT_EXCEED))
		return cmd_bad(&o->l,
			       "--metric and --exceed are compare's; a sweep "
			       "reports every metric",
			       "");
	if (!o->sensitivity && (code == OPT_PARAM || code == OPT_METHOD ||
				code == OPT_N || code == OPT_LEVELS))
		return cmd_bad(&o->l,
			       "--param, --method, --n and --levels are "
			       "sensitivity's",
			       "");
	return 0;
}

/* Takes an option of compare's or sensitivity's (`code` with value v).
 * Returns 0, 2 after a message, or -1 for an option of neither. */
static int take_study(struct sweep_line *o, int code, const char *v)
{
	long long x;
	switch (code) {
	case OPT_PARAM:
		if (o->rq.n_params == SENS_MAX_PARAMS)
			return cmd_bad(&o->l,
				       "--param: at most 16 in one analysis; "
				       "one more: ",
				       v);
		o->params[o->rq.n_params++] = v;
		return 0;
	case OPT_METHOD:
		if (strcmp(v, "sobol") && strcmp(v, "morris"))
			return cmd_bad(
				&o->l,
				"--method: allowed: sobol or morris, got ", v);
		o->rq.method = strcmp(v, "sobol") ? SENS_MORRIS : SENS_SOBOL;
		return 0;
	case OPT_N:
		if (whole_int(v, 1, 100000, &x))
			return cmd_bad(&o->l,
				       "--n: allowed: an integer in [1, "
				       "100000], got ",
				       v);
		o->rq.sens_n = (size_t)x;
		return 0;
	case OPT_LEVELS:
		if (whole_int(v, 2, 1024, &x) || x % 2)
			return cmd_bad(&o->l,
				       "--levels: allowed: an even integer in "
				       "[2, 1024], got ",
				       v);
		o->rq.levels = (unsigned)x;
		return 0;
	case OPT_METRIC:
		if (o->rq.n_metrics == CD_SUMMARY_N)
			return cmd_bad(&o->l,
				       "--metric: too many; one more: ", v);
		o->metrics[o->rq.n_metrics++] = v;
		return 0;
	case OPT_EXCEED:
		if (o->rq.n_exceed == CD_SUMMARY_N)
			return cmd_bad(&o->l,
				       "--exceed: too many; one more: ", v);
		o->exceed[o->rq.n_exceed++] = v;
		return 0;
	default:
		return -1;
	}
}

/* Takes option `code` with value v. Returns 0, or 2 after a message. */
static int take(struct sweep_line *o, int code, const char *v)
{
	long long x;
	int rc = foreign(o, code);
	if (rc || (rc = take_study(o, code, v)) >= 0)
		return rc;
	switch (code) {
	case OPT_VARY:
		if (o->rq.n_varies == CD_MAX_AXES)
			return cmd_bad(&o->l,
				       "--vary: at most 16 in one sweep (the "
				       "settings one sweep varies); one more: ",
				       v);
		o->varies[o->rq.n_varies++] = v;
		return 0;
	case OPT_REPS:
		if (whole_int(v, 1, 100000000, &x))
			return cmd_bad(&o->l,
				       "--reps: allowed: an integer in [1, "
				       "100000000], got ",
				       v);
		o->rq.reps = (int)x;
		return 0;
	case OPT_DESIGN:
		if (!*v)
			return cmd_bad(&o->l, "--design needs a file", "");
		o->rq.design = v;
		return 0;
	case OPT_POSTERIOR:
		if (!*v)
			return cmd_bad(&o->l, "--posterior needs a file", "");
		o->rq.posterior = v;
		return 0;
	case OPT_RESUME:
		o->rq.resume = 1;
		return 0;
	case OPT_INDEPENDENT:
		o->rq.independent = 1;
		return 0;
	default:
		return cmd_common(&o->l, &o->c, code, v);
	}
}

/* Parses the command line into o; only rank 0 shows --help. Returns -1
 * to go on, or the exit status. */
static int parse(struct sweep_line *o, int argc, char **argv, int rank)
{
	const char *text = o->compare	    ? study_compare_usage
			   : o->sensitivity ? study_sensitivity_usage
					    : study_sweep_usage;
	o->c = (struct cmd_common){.seed = 1,
				   .out = o->compare	   ? "compare"
					  : o->sensitivity ? "sensitivity"
							   : "sweep",
				   .jobs = cmd_default_jobs()};
	int c, rc = cmd_begin(&o->l, argc, argv, longopts, text);
	while (!rc && (c = cmd_next(&o->l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			if (!rank)
				fputs(text, stdout);
			return 0;
		}
		rc = take(o, c, o->l.optarg);
	}
	if (!rc && o->compare) {
		if (o->l.n_pos < 2)
			return cmd_bad(&o->l,
				       "compare needs BASE and at least one "
				       "ALT",
				       "");
		if (o->l.n_pos > EXPERIMENT_MAX_ARMS + 1)
			return cmd_bad(&o->l,
				       "compare: at most 16 alternatives; one "
				       "more: ",
				       o->l.pos[EXPERIMENT_MAX_ARMS + 1]);
		for (int k = 1; k < o->l.n_pos; k++)
			o->arms[k - 1] = o->l.pos[k];
		o->rq.arms = o->arms;
		o->rq.n_arms = o->l.n_pos - 1;
		o->rq.metrics = o->metrics;
		o->rq.exceed = o->exceed;
	} else if (rc || (rc = cmd_positional(&o->l, 1, "scenario"))) {
		return rc;
	}
	if (o->sensitivity) {
		if (!o->rq.n_params)
			return cmd_bad(&o->l,
				       "sensitivity needs --param "
				       "PATH=LO:HI[:log]",
				       "");
		if (!o->rq.method)
			return cmd_bad(&o->l,
				       "sensitivity needs --method sobol or "
				       "morris",
				       "");
		if (!o->rq.sens_n)
			o->rq.sens_n = o->rq.method == SENS_SOBOL ? 64 : 20;
		if (!o->rq.levels)
			o->rq.levels = 4;
		if (!o->rq.reps)
			o->rq.reps = 1;
		o->rq.params = o->params;
		o->rq.metrics = o->metrics;
	}
	if (o->rq.design && o->rq.n_varies)
		return cmd_bad(&o->l, "--design and --vary cannot be combined",
			       "");
	o->rq.scenario = o->l.n_pos ? o->l.pos[0] : NULL;
	o->rq.out = o->c.out;
	o->rq.sets = o->c.sets;
	o->rq.n_sets = o->c.n_sets;
	o->rq.varies = o->varies;
	o->rq.jobs = o->c.jobs;
	o->rq.seed = o->c.seed;
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
	double limit =
		o->c.max_memory > 0 ? o->c.max_memory : cd_machine_memory();
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
		return cmd_bad(&o->l,
			       "--reps is needed (or reps in the scenario's "
			       "sweep block)",
			       "");
	if (!rc && !o->compare && !o->sensitivity && !o->rq.design &&
	    !e->n_varies)
		return cmd_bad(&o->l,
			       "nothing to vary: give --vary PATH=SPEC or "
			       "--design FILE.csv",
			       "");
	if (!rc && (o->compare || o->sensitivity))
		rc = effects_check(e, &d);
	if (!rc)
		rc = experiment_plan(e, &d);
	if (rc) {
		say(d.msg);
		if (e->bad_point >= 0 && o->compare)
			fprintf(stderr, "cyberdef: (in arm %.900s)\n",
				experiment_arm(e, e->bad_point));
		else if (e->bad_point >= 0)
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

/* The table of a comparison's overall effects (kind all), read back
 * from DIR/effects.csv: what the terminal shows. */
static void print_effects(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/effects.csv", dir);
	csv_table t;
	struct cd_diag d;
	if (csv_table_read(&t, path, &csv_limits_default, &d))
		return; /* written and committed: nothing to add */
	static const char *const cols[] = {
		"alternative", "metric",    "kind",
		"base_mean",   "alt_mean",  "rel_effect",
		"rel_ci_lo",   "rel_ci_hi", "p_value"};
	size_t c[9];
	for (size_t k = 0; k < 9; k++)
		for (c[k] = 0; c[k] < t.ncols; c[k]++)
			if (!strcmp(csv_table_cell(&t, 0, c[k]), cols[k]))
				break;
	printf("%-28s %-28s %12s %12s %24s %9s\n", "alternative", "metric",
	       "base", "alt", "effect (95% interval)", "p");
	for (size_t r = 1; r <= t.nrows; r++) {
		const char *v[9];
		for (size_t k = 0; k < 9; k++)
			v[k] = c[k] < t.ncols ? csv_table_cell(&t, r, c[k])
					      : "";
		if (strcmp(v[2], "all"))
			continue;
		char eff[64] = "";
		if (*v[5])
			snprintf(eff, sizeof eff, "%+.1f%% (%+.1f, %+.1f)",
				 100 * strtod(v[5], NULL),
				 *v[6] ? 100 * strtod(v[6], NULL) : NAN,
				 *v[7] ? 100 * strtod(v[7], NULL) : NAN);
		char p[32] = ""; /* empty where undefined, as in the file */
		if (*v[8])
			snprintf(p, sizeof p, "%.2g", strtod(v[8], NULL));
		printf("%-28.28s %-28.28s %12.4g %12.4g %24s %9s\n", v[0], v[1],
		       *v[3] ? strtod(v[3], NULL) : NAN,
		       *v[4] ? strtod(v[4], NULL) : NAN, eff, p);
	}
	csv_table_free(&t);
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
	if (o->c.quiet)
		return 0;
	if (o->compare) {
		print_effects(e->rq.out);
		printf("cyberdef: %d arms x %d replicates: wrote "
		       "%s/{effects,tails,runs,points,timeseries_points}.csv "
		       "and sweep.json\n",
		       e->n_points, e->reps, e->rq.out);
	} else if (o->sensitivity) {
		printf("cyberdef: %d points x %d replicates: wrote "
		       "%s/{indices,design,runs,points,timeseries_points}.csv "
		       "and sweep.json\n",
		       e->n_points, e->reps, e->rq.out);
	} else {
		printf("cyberdef: %d points x %d replicates: wrote "
		       "%s/{runs,points,timeseries_points}.csv and "
		       "sweep.json\n",
		       e->n_points, e->reps, e->rq.out);
	}
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

/* What a study command is. */
enum study { STUDY_SWEEP, STUDY_COMPARE, STUDY_SENSITIVITY };

static int sweep_command(struct ranks *rk, struct cmd_hold *h, int argc,
			 char **argv, int kind)
{
	struct sweep_line o = {.command = command_line(argc, argv),
			       .compare = kind == STUDY_COMPARE,
			       .sensitivity = kind == STUDY_SENSITIVITY};
	int status = parse(&o, argc, argv, rk->rank); /* reorders argv */
	if (status >= 0) {
		free(o.command);
		return status;
	}
	struct progress_line pl = {0};
	struct sweep_hooks hooks = {on_notice, NULL, &pl};
	if (!o.c.quiet && isatty(STDERR_FILENO))
		hooks.progress = on_progress;
	struct experiment e = {0};
	sweep *sw = NULL;
	/* Every rank checks the sweep; they agree on the outcome. */
	status = o.command ? check(&o, &e, &sw, rk, &hooks) : 1;
	if (!o.command)
		say("out of memory");
	if ((status = cmd_ranked_agree(rk, h, status, "the sweep")))
		goto done;
	/* Rank 0 alone touches the output directory and the journal. */
	if (!rk->rank)
		status = start(sw);
	if ((status = cmd_ranked_agree(rk, h, status, "the sweep")))
		goto done;
	status = run(&o, &e, sw, rk->rank);
done:
	sweep_destroy(sw);
	experiment_free(&e);
	free(o.command);
	return status;
}

int sweep_main(int argc, char **argv)
{
	return cmd_ranked_main(argc, argv, sweep_command, STUDY_SWEEP);
}

int compare_main(int argc, char **argv)
{
	return cmd_ranked_main(argc, argv, sweep_command, STUDY_COMPARE);
}

int sensitivity_main(int argc, char **argv)
{
	return cmd_ranked_main(argc, argv, sweep_command, STUDY_SENSITIVITY);
}
