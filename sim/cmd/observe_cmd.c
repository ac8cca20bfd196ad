/* observe_cmd: `cyberdef observe`, the fit of a scenario to its targets.
 *
 * Loads the scenario and the targets file, runs R replicates (seeds as a
 * sweep's, on --jobs threads: analysis/observe.h), computes each active
 * target's statistic of each replicate through the observation model at
 * its default weights, and writes fit.csv (per target: the observed value
 * and its uncertainty against the replicates' median and 90% interval)
 * and replicates.csv (each replicate's statistics), committed together. */
#define _POSIX_C_SOURCE 200809L
#include "cmd/observe_cmd.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "analysis/observe.h"
#include "cmd/cli.h"
#include "cmd/options.h"
#include "cmd/study_usage.h"
#include "core/status.h"
#include "load/targets.h"

enum { OPT_TARGETS = OPT_FIRST_OWN, OPT_REPS };

/* The fit of one target over the replicates. */
struct fit {
	int n;		       /* replicates where the statistic is defined */
	double median, lo, hi; /* their median, 5th and 95th percentiles */
	double distance;       /* (median - observed) / sd */
	int within;	       /* |distance| <= 1 (-1: undefined) */
};

static const char *const fit_header[] = {
	"target",	"scenario",	"statistic", "unit",	  "source",
	"data_year",	"horizon_year", "observed",  "sd",	  "replicates",
	"model_median", "model_p05",	"model_p95", "within_sd", "distance"};
#define FIT_COLUMNS (sizeof fit_header / sizeof fit_header[0])

struct observe_opts {
	struct cmd_common c;
	const char *targets;
	int reps;
};

static int parse(int argc, char **argv, struct observe_opts *o,
		 const char **scenario)
{
	static const struct option longopts[] = {
		CMD_OPT_SEED,
		CMD_OPT_SET,
		CMD_OPT_OUT,
		CMD_OPT_JOBS,
		CMD_OPT_QUIET,
		CMD_OPT_MAX_MEMORY,
		CMD_OPT_HELP,
		{"targets", required_argument, NULL, OPT_TARGETS},
		{"reps", required_argument, NULL, OPT_REPS},
		CMD_OPT_END};
	struct cmd_line l;
	int c, rc = cmd_begin(&l, argc, argv, longopts, study_observe_usage);
	while (!rc && (c = cmd_next(&l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			fputs(study_observe_usage, stdout);
			return -1;
		}
		if (c == OPT_TARGETS) {
			o->targets = l.optarg;
		} else if (c == OPT_REPS) {
			char *end;
			long v = strtol(l.optarg, &end, 10);
			if (end == l.optarg || *end || v < 1 || v > 100000)
				return cmd_bad(&l,
					       "--reps: allowed: an integer "
					       "in [1, 100000], got ",
					       l.optarg);
			o->reps = (int)v;
		} else {
			rc = cmd_common(&l, &o->c, c, l.optarg);
		}
	}
	if (rc || (rc = cmd_positional(&l, 1, "scenario")))
		return rc;
	if (!o->targets || !*o->targets)
		return cmd_bad(&l, "--targets FILE is needed", "");
	*scenario = l.n_pos ? l.pos[0] : NULL;
	return 0;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Target x's fit from column k of the reps x n values. */
static void fit_of(const struct targets_target *x, const double *values,
		   int reps, int n, int k, double *buf, struct fit *f)
{
	f->n = 0;
	for (int r = 0; r < reps; r++) {
		double v = values[(size_t)r * (size_t)n + (size_t)k];
		if (!isnan(v))
			buf[f->n++] = v;
	}
	qsort(buf, (size_t)f->n, sizeof *buf, by_double);
	size_t m = (size_t)f->n;
	f->median = m ? gsl_stats_median_from_sorted_data(buf, 1, m) : NAN;
	f->lo = m ? gsl_stats_quantile_from_sorted_data(buf, 1, m, 0.05) : NAN;
	f->hi = m ? gsl_stats_quantile_from_sorted_data(buf, 1, m, 0.95) : NAN;
	f->distance = (f->median - x->value) / x->sd;
	f->within = isnan(f->distance) ? -1 : fabs(f->distance) <= 1;
}

static void write_fit_row(FILE *o, const struct targets_target *x,
			  const struct fit *f)
{
	csv_str(o, x->name);
	csv_sep(o);
	csv_str(o, x->scenario);
	csv_sep(o);
	csv_str(o, observe_statistic_names[x->statistic]);
	csv_sep(o);
	csv_str(o, observe_statistic_units[x->statistic]);
	csv_sep(o);
	csv_str(o, x->source);
	csv_sep(o);
	csv_int(o, x->data_year);
	csv_sep(o);
	csv_int(o, x->horizon_year);
	const double v[] = {x->value, x->sd, f->n, f->median, f->lo, f->hi};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		csv_sep(o);
		csv_real(o, v[i]);
	}
	csv_sep(o);
	if (f->within >= 0)
		csv_int(o, f->within);
	csv_sep(o);
	csv_real(o, f->distance);
	csv_eol(o);
}

/* What one observe computes: the active targets, their columns. */
struct study {
	const struct cd_targets *t;
	int n, idx[TARGETS_MAX]; /* active targets: their index in t */
	int stat[TARGETS_MAX], year[TARGETS_MAX];
	int reps;
	double *values;	 /* reps x n */
	uint64_t *seeds; /* reps */
	struct fit fit[TARGETS_MAX];
};

static void write_replicates(FILE *o, const struct study *S)
{
	csv_str(o, "replicate");
	csv_sep(o);
	csv_str(o, "seed");
	for (int k = 0; k < S->n; k++) {
		csv_sep(o);
		csv_str(o, S->t->targets[S->idx[k]].name);
	}
	csv_eol(o);
	for (int r = 0; r < S->reps; r++) {
		csv_int(o, r);
		csv_sep(o);
		char seed[24];
		snprintf(seed, sizeof seed, "%llu",
			 (unsigned long long)S->seeds[r]);
		csv_str(o, seed);
		for (int k = 0; k < S->n; k++) {
			csv_sep(o);
			csv_real(o, S->values[(size_t)r * (size_t)S->n +
					      (size_t)k]);
		}
		csv_eol(o);
	}
}

/* Writes fit.csv and replicates.csv into dir, committed together.
 * Returns 0, or the exit status 1 after a message. */
static int write_outputs(const struct study *S, const char *dir)
{
	char path[2][1200];
	cd_outfile *f[2] = {NULL, NULL};
	int failed = 0, rc = cd_mkdir_p(dir);
	snprintf(path[0], sizeof path[0], "%s/fit.csv", dir);
	snprintf(path[1], sizeof path[1], "%s/replicates.csv", dir);
	for (int i = 0; !rc && i < 2; i++)
		if ((rc = cd_outfile_open(&f[i], path[i])))
			failed = i;
	if (!rc) {
		FILE *o = cd_outfile_stream(f[0]);
		csv_header(o, fit_header, FIT_COLUMNS);
		for (int k = 0; k < S->n; k++)
			write_fit_row(o, &S->t->targets[S->idx[k]], &S->fit[k]);
		write_replicates(cd_outfile_stream(f[1]), S);
		rc = cd_outfile_commit_all(f, 2, &failed);
	} else {
		cd_outfile_abort(f[0]);
		cd_outfile_abort(f[1]);
	}
	if (rc) {
		perror(failed < 2 ? path[failed] : dir);
		fprintf(stderr, "cyberdef: cannot write the outputs in %s\n",
			dir);
		return 1;
	}
	return 0;
}

static void print_fit(const struct study *S, const char *dir)
{
	double ss = 0;
	int defined = 0, within = 0;
	printf("%-28s %10s %10s %10s %21s %7s\n", "target", "observed", "sd",
	       "median", "90% interval", "z");
	for (int k = 0; k < S->n; k++) {
		const struct targets_target *x = &S->t->targets[S->idx[k]];
		const struct fit *f = &S->fit[k];
		printf("%-28s %10.4g %10.4g %10.4g [%9.4g, %9.4g] %+7.2f\n",
		       x->name, x->value, x->sd, f->median, f->lo, f->hi,
		       f->distance);
		if (f->within >= 0) {
			ss += f->distance * f->distance;
			defined++;
			within += f->within;
		}
	}
	printf("%d of %d targets within one sd; root mean square z %.3g over "
	       "%d defined; %d replicates\n",
	       within, S->n, defined ? sqrt(ss / defined) : NAN, defined,
	       S->reps);
	printf("  wrote %s/{fit.csv,replicates.csv}\n", dir);
}

/* Runs the study of the active targets of t on sc; the exit status. */
static int run_study(struct study *S, const struct cd_scenario *sc,
		     const struct observe_opts *o, const char *dir)
{
	const struct cd_targets *t = S->t;
	double theta[TARGETS_MAX_PARAMS], obs[OBSERVE_N_PARAMS];
	struct observe_weights wt;
	targets_current(t, sc, theta);
	targets_observation(t, theta, obs);
	observe_weights_of(&wt, obs);
	for (int i = 0; i < t->n_targets; i++)
		if (t->targets[i].active) {
			S->idx[S->n] = i;
			S->stat[S->n] = t->targets[i].statistic;
			S->year[S->n++] = t->targets[i].horizon_year;
		}
	struct observe_request q = {S->n, S->stat, S->year, &wt};
	size_t cols = S->n ? (size_t)S->n : 1; /* the loader keeps one */
	S->values = malloc((size_t)S->reps * cols * sizeof *S->values);
	S->seeds = malloc((size_t)S->reps * sizeof *S->seeds);
	double *buf = malloc((size_t)S->reps * sizeof *buf);
	struct cd_diag d = {{0}};
	int rc = !S->values || !S->seeds || !buf ? CD_ENOMEM : 0;
	if (rc)
		snprintf(d.msg, sizeof d.msg, "out of memory");
	if (!rc)
		rc = observe_runs(sc, &q, o->c.seed, 0, S->reps, o->c.jobs,
				  S->values, S->seeds, &d);
	for (int k = 0; !rc && k < S->n; k++)
		fit_of(&t->targets[S->idx[k]], S->values, S->reps, S->n, k, buf,
		       &S->fit[k]);
	free(buf);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		return rc == CD_EINTR	 ? 128 + cd_stop_signal
		       : rc == CD_ELIMIT ? 2
					 : 1;
	}
	rc = write_outputs(S, dir);
	if (!rc && !o->c.quiet)
		print_fit(S, dir);
	return rc;
}

int observe_main(int argc, char **argv)
{
	struct observe_opts o = {.c = {.seed = 1, .out = "observe"},
				 .reps = 30};
	const char *path = NULL;
	int rc = parse(argc, argv, &o, &path);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!o.c.jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o.c.jobs = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
	}
	struct cd_scenario *sc;
	if ((rc = cli_load_scenario(path, o.c.sets, o.c.n_sets, &sc)))
		return rc;
	struct cd_targets *t = NULL;
	struct cd_diag d;
	rc = targets_load(&t, o.targets, path, &sc->p, &observe_vocab, &d);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		scenario_destroy(sc);
		return rc == CD_ENOMEM ? 1 : 2;
	}
	int jobs = o.c.jobs < o.reps ? o.c.jobs : o.reps;
	rc = memory_check(sc, jobs, o.c.max_memory);
	struct study S = {.t = t, .reps = o.reps};
	if (!rc)
		rc = run_study(&S, sc, &o, o.c.out);
	free(S.values);
	free(S.seeds);
	targets_destroy(t);
	scenario_destroy(sc);
	return rc;
}
