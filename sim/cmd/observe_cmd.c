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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/observe.h"
#include "cmd/cli.h"
#include "cmd/fit.h"
#include "cmd/options.h"
#include "cmd/study_usage.h"
#include "core/status.h"
#include "load/targets.h"

enum { OPT_TARGETS = OPT_FIRST_OWN, OPT_REPS };

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

/* What one observe computes: the active targets, their columns. */
struct study {
	const struct cd_targets *t;
	struct fit_active a;
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
	for (int k = 0; k < S->a.n; k++) {
		csv_sep(o);
		csv_str(o, S->t->targets[S->a.idx[k]].name);
	}
	csv_eol(o);
	for (int r = 0; r < S->reps; r++) {
		csv_int(o, r);
		csv_sep(o);
		char seed[24];
		snprintf(seed, sizeof seed, "%llu",
			 (unsigned long long)S->seeds[r]);
		csv_str(o, seed);
		for (int k = 0; k < S->a.n; k++) {
			csv_sep(o);
			csv_real(o, S->values[(size_t)r * (size_t)S->a.n +
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
		fit_write(o, S->t, &S->a, S->fit);
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
	fit_print(S->t, &S->a, S->fit, S->reps, "replicates");
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
	fit_active_of(t, &S->a);
	struct observe_request q = {S->a.n, S->a.stat, S->a.year, &wt};
	size_t cols = S->a.n ? (size_t)S->a.n : 1; /* the loader keeps one */
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
	if (!rc)
		fit_all(t, &S->a, S->values, S->reps, buf, S->fit);
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
	if (!o.c.jobs)
		o.c.jobs = cmd_default_jobs();
	struct cd_scenario *sc;
	struct cd_targets *t;
	if ((rc = fit_load(path, &o.c, o.targets, &sc, &t)))
		return rc;
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
