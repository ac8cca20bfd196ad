/* calibrate_cmd: `cyberdef calibrate`, the ABC-SMC fit of a targets file's
 * parameters (analysis/abc.h) to its active targets.
 *
 * The problem: theta is the file's parameters (file order), the prior
 * their priors (targets_sample's inversion, targets_log_prior); a
 * simulation applies theta to the scenario as --set texts
 * (targets_scenario, then the command's own --set texts), runs it once
 * with the seed observe_runs derives from the engine's keyed seed, and
 * computes each active target's statistic through the observation model
 * at theta's selection weights. Jobs of a batch run on --jobs threads
 * and, launched as several MPI ranks, on every rank's (analysis/batch.h:
 * rank 0 runs the engine and writes the files, the others serve), each
 * job a pure function of its theta and seed, so nothing depends on
 * --jobs or the ranks. After the run, the posterior predictive: N draws of the
 * final generation's particles by weight (keyed uniforms "calibrate.predict"),
 * each simulated once (seed keyed "calibrate.predict.sim"), summarised
 * per target in fit.csv as observe's. metadata.json records what a
 * --resume must match. */
#define _POSIX_C_SOURCE 200809L
#include "cmd/calibrate_cmd.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/abc.h"
#include "analysis/batch.h"
#include "analysis/csv.h"
#include "analysis/json.h"
#include "analysis/observe.h"
#include "analysis/outdir.h"
#include "analysis/ranks.h"
#include "cmd/calibrate_meta.h"
#include "cmd/cli.h"
#include "cmd/fit.h"
#include "cmd/options.h"
#include "cmd/ranked.h"
#include "cmd/study_usage.h"
#include "core/digest.h"
#include "core/keyed.h"
#include "core/status.h"
#include "core/version.h"

enum {
	OPT_TARGETS = OPT_FIRST_OWN,
	OPT_PARTICLES,
	OPT_GENERATIONS,
	OPT_REPS,
	OPT_RESUME,
	OPT_HOLD_OUT
};

#define PREDICT_KEY "calibrate.predict"
#define PREDICT_SIM_KEY "calibrate.predict.sim"

struct cal_opts {
	struct cmd_common c;
	const char *targets;
	long particles, generations, reps;
	int resume;
	const char *hold[TARGETS_MAX]; /* --hold-out names */
	int n_hold;
};

/* An integer option in [lo, hi] into *v; 0, or 2 after a message. */
static int int_opt(struct cmd_line *l, const char *name, long lo, long hi,
		   long *v)
{
	char *end, msg[128];
	errno = 0;
	long x = strtol(l->optarg, &end, 10);
	if (end == l->optarg || *end || errno || x < lo || x > hi) {
		snprintf(msg, sizeof msg,
			 "%s: allowed: an integer in [%ld, %ld], got ", name,
			 lo, hi);
		return cmd_bad(l, msg, l->optarg);
	}
	*v = x;
	return 0;
}

static int own_opt(struct cmd_line *l, struct cal_opts *o, int c)
{
	switch (c) {
	case OPT_TARGETS:
		o->targets = l->optarg;
		return 0;
	case OPT_PARTICLES:
		return int_opt(l, "--particles", 2, ABC_MAX_PARTICLES,
			       &o->particles);
	case OPT_GENERATIONS:
		return int_opt(l, "--generations", 1, ABC_MAX_GENERATIONS,
			       &o->generations);
	case OPT_REPS:
		return int_opt(l, "--reps", 1, ABC_MAX_REPS, &o->reps);
	case OPT_RESUME:
		o->resume = 1;
		return 0;
	case OPT_HOLD_OUT:
		if (o->n_hold == TARGETS_MAX)
			return cmd_bad(l, "--hold-out: too many, at most 64: ",
				       l->optarg);
		o->hold[o->n_hold++] = l->optarg;
		return 0;
	default:
		return -3;
	}
}

/* Parses the command line into o; only rank 0 shows --help. Returns -1
 * after --help, 0 to go on, or the exit status. */
static int parse(int argc, char **argv, struct cal_opts *o,
		 const char **scenario, int rank)
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
		{"particles", required_argument, NULL, OPT_PARTICLES},
		{"generations", required_argument, NULL, OPT_GENERATIONS},
		{"reps", required_argument, NULL, OPT_REPS},
		{"resume", no_argument, NULL, OPT_RESUME},
		{"hold-out", required_argument, NULL, OPT_HOLD_OUT},
		CMD_OPT_END};
	struct cmd_line l;
	int c, rc = cmd_begin(&l, argc, argv, longopts, study_calibrate_usage);
	while (!rc && (c = cmd_next(&l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			if (!rank)
				fputs(study_calibrate_usage, stdout);
			return -1;
		}
		rc = own_opt(&l, o, c);
		if (rc == -3)
			rc = cmd_common(&l, &o->c, c, l.optarg);
	}
	if (rc || (rc = cmd_positional(&l, 1, "scenario")))
		return rc;
	if (!o->targets || !*o->targets)
		return cmd_bad(&l, "--targets FILE is needed", "");
	*scenario = l.n_pos ? l.pos[0] : NULL;
	return 0;
}

/* What the callbacks share. */
struct cal {
	const char *scenario; /* as the command line names it */
	const char *const *sets;
	int n_sets;
	const struct cd_targets *t;
	struct fit_active all; /* the active targets, held-out ones marked */
	struct fit_active a;   /* those fitted: the engine's statistics */
	int pos[TARGETS_MAX];  /* a's k-th target is all's pos[k]-th */
	batch *b;	       /* the jobs' runner, over threads and ranks */
	pthread_mutex_t lock;
	int failed; /* a simulation failed: msg says why */
	char msg[sizeof(struct cd_diag){{0}}.msg];
};

static int prior_sample(void *ctx, const double *u, double *theta)
{
	const struct cd_targets *t = ((struct cal *)ctx)->t;
	for (int j = 0; j < t->n_params; j++)
		theta[j] = targets_prior_quantile(&t->params[j].prior, u[j]);
	return 0;
}

static double prior_density(void *ctx, const double *theta)
{
	return targets_log_prior(((struct cal *)ctx)->t, theta);
}

static void sim_failed(struct cal *C, const char *msg)
{
	pthread_mutex_lock(&C->lock);
	if (!C->failed) {
		C->failed = 1;
		snprintf(C->msg, sizeof C->msg, "%s", msg);
	}
	pthread_mutex_unlock(&C->lock);
}

/* One run of the scenario at theta with seed `seed` (replicate 0 of
 * observe_runs' master `seed`): every active target's statistic (the
 * held out too, for the predictive check), in C->all's order. Returns 0,
 * CD_EINTR, or a failure with d->msg. */
static int sim_once(const struct cal *C, const double *theta, uint64_t seed,
		    double *stats, struct cd_diag *d)
{
	struct cd_scenario *sc = NULL;
	int rc = targets_scenario(&sc, C->t, C->scenario, theta, C->sets,
				  C->n_sets, d);
	if (!rc) {
		double obs[OBSERVE_N_PARAMS];
		struct observe_weights wt;
		targets_observation(C->t, theta, obs);
		observe_weights_of(&wt, obs);
		struct observe_request q = {C->all.n, C->all.stat, C->all.year,
					    &wt};
		rc = observe_runs(sc, &q, seed, 0, 1, 1, stats, NULL, d);
	}
	scenario_destroy(sc);
	if (rc && rc != CD_EINTR && !d->msg[0])
		snprintf(d->msg, sizeof d->msg, "a simulation failed: %s",
			 cd_strerror(rc));
	return rc;
}

/* The problem's simulation, the fitted targets' statistics (the engine's
 * serial runner's; the command runs every batch, the predictive check's
 * too, through run_batch). */
static int simulate(void *ctx, const double *theta, unsigned rep, uint64_t seed,
		    double *stats)
{
	struct cal *C = ctx;
	struct cd_diag d = {{0}};
	double all[TARGETS_MAX];
	(void)rep; /* the engine has keyed the seed on it */
	int rc = sim_once(C, theta, seed, all, &d);
	if (rc)
		sim_failed(C, d.msg);
	for (int k = 0; !rc && k < C->a.n; k++)
		stats[k] = all[C->pos[k]];
	return rc;
}

/* A job of the batch runner (analysis/batch.h), as bytes: in, the seed
 * (uint64_t) then theta (d doubles); out, the k statistics. */
static int run_job(void *ctx, const void *in, void *out, struct cd_diag *d)
{
	const struct cal *C = ctx;
	uint64_t seed;
	double theta[TARGETS_MAX_PARAMS], stats[TARGETS_MAX];
	memcpy(&seed, in, sizeof seed);
	memcpy(theta, (const unsigned char *)in + sizeof seed,
	       (size_t)C->t->n_params * sizeof *theta);
	d->msg[0] = 0;
	int rc = sim_once(C, theta, seed, stats, d);
	if (!rc)
		memcpy(out, stats, (size_t)C->all.n * sizeof *stats);
	return rc;
}

static struct batch_spec job_spec(struct cal *C, int threads)
{
	return (struct batch_spec){.in = sizeof(uint64_t) +
					 (size_t)C->t->n_params *
						 sizeof(double),
				   .out = (size_t)C->all.n * sizeof(double),
				   .threads = threads,
				   .run = run_job,
				   .ctx = C};
}

/* The batch runner: the jobs on every rank's --jobs threads. A job's
 * statistics are every active target's: a batch of the engine's problem
 * (p->k the fitted targets) keeps the fitted ones, the predictive check's
 * (p->k all of them) keeps all. Returns 0, or the batch's failure (C->msg
 * says why). */
static int run_batch(void *ctx, const abc_problem *p, abc_job *jobs, size_t n)
{
	struct cal *C = ctx;
	struct batch_spec s = job_spec(C, 1);
	size_t d = p->d * sizeof(double);
	unsigned char *in = malloc((n ? n : 1) * s.in);
	unsigned char *out = malloc((n ? n : 1) * s.out);
	struct cd_diag diag = {{0}};
	int rc = in && out ? 0 : CD_ENOMEM;
	for (size_t i = 0; !rc && i < n; i++) {
		memcpy(in + i * s.in, &jobs[i].seed, sizeof jobs[i].seed);
		memcpy(in + i * s.in + sizeof jobs[i].seed, jobs[i].theta, d);
	}
	if (!rc)
		rc = batch_run(C->b, n, in, out, &diag);
	double all[TARGETS_MAX];
	for (size_t i = 0; !rc && i < n; i++) {
		memcpy(all, out + i * s.out, s.out);
		for (size_t k = 0; k < p->k; k++)
			jobs[i].stats[k] = p->k == (size_t)C->all.n
						   ? all[k]
						   : all[C->pos[k]];
		jobs[i].status = 0;
	}
	if (rc && rc != CD_EINTR)
		sim_failed(C, rc == CD_ENOMEM && !diag.msg[0] ? "out of memory"
							      : diag.msg);
	free(in);
	free(out);
	return rc;
}

/* Writes one file of dir: metadata.json (m) or fit.csv (fits). Returns 0,
 * or 1 after a message. */
static int write_one(const char *dir, const char *name, const json_t *m,
		     const struct cal *C, const struct fit *fits)
{
	char path[1200];
	cd_outfile *f = NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int rc = cd_outfile_open(&f, path);
	if (!rc) {
		if (m)
			rc = cd_json_write(cd_outfile_stream(f), m);
		else
			fit_write(cd_outfile_stream(f), C->t, &C->all, fits);
		if (rc)
			cd_outfile_abort(f);
		else
			rc = cd_outfile_commit(f);
	}
	if (rc) {
		perror(path);
		fprintf(stderr, "cyberdef: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

/* The posterior predictive: res->n draws of the final particles by weight,
 * each simulated once, into values (n x k). Returns 0 or the first
 * failing job's status (index order). */
static int predict(struct cal *C, const abc_problem *p, const abc_result *res,
		   uint64_t seed, double *values)
{
	size_t n = res->n, d = res->d;
	abc_job *jobs = calloc(n ? n : 1, sizeof *jobs);
	if (!jobs)
		return CD_ENOMEM;
	cd_key kp = cd_key_of(seed, cd_name_id(PREDICT_KEY));
	cd_key ks = cd_key_of(seed, cd_name_id(PREDICT_SIM_KEY));
	for (size_t i = 0; i < n; i++) {
		double u = cd_keyed_u01(kp, i, 0), cum = 0;
		size_t j = 0;
		for (; j + 1 < n; j++)
			if (u < (cum += res->weight[j]))
				break;
		jobs[i] = (abc_job){.theta = res->theta + j * d,
				    .seed = cd_keyed_bits(ks, i, 0),
				    .stats = values + i * p->k};
	}
	int rc = run_batch(C, p, jobs, n);
	for (size_t i = 0; !rc && i < n; i++)
		rc = jobs[i].status;
	free(jobs);
	return rc;
}

static int exit_of(int rc)
{
	return rc == CD_EINTR			    ? 128 + cd_stop_signal
	       : rc == CD_EINVAL || rc == CD_ENOENT ? 2
						    : 1;
}

/* Says why the run failed with rc (msg, unless a simulation's failure
 * says it better), and how to go on after a stop. Returns the exit
 * status. */
static int failed(const struct cal *C, int rc, const char *msg, const char *dir)
{
	fprintf(stderr, "cyberdef: %s\n",
		rc == CD_ENOMEM ? "out of memory"
		: C->failed	? C->msg
				: msg);
	if (rc == CD_EINTR)
		fprintf(stderr,
			"cyberdef: interrupted: the generations completed are "
			"kept in %s; finish with the same command and "
			"--resume\n",
			dir);
	return exit_of(rc);
}

/* The posterior-predictive check of res, the final population of the
 * engine's problem p: every active target's statistics (the fitted and
 * the held out) of res->n draws, into fit.csv. Returns 0 or the exit
 * status after a message. */
static int check(struct cal *C, const abc_problem *p, const abc_result *res,
		 uint64_t seed, const char *dir, int quiet)
{
	abc_problem all = *p;
	all.k = (size_t)C->all.n;
	double *values = malloc((res->n ? res->n : 1) * all.k * sizeof *values);
	double *buf = malloc((res->n ? res->n : 1) * sizeof *buf);
	struct fit fits[TARGETS_MAX];
	int rc = !values || !buf ? CD_ENOMEM
				 : predict(C, &all, res, seed, values);
	if (!rc) {
		fit_all(C->t, &C->all, values, (int)res->n, buf, fits);
		rc = write_one(dir, "fit.csv", NULL, C, fits);
		if (!rc && !quiet) {
			fit_print(C->t, &C->all, fits, (int)res->n,
				  "posterior-predictive runs");
			printf("  wrote %s/{posterior.csv,generations.csv,"
			       "fit.csv,metadata.json}\n",
			       dir);
		}
	} else {
		rc = failed(C, rc, "the posterior-predictive runs failed", dir);
	}
	free(values);
	free(buf);
	return rc;
}

/* Runs the engine, then the predictive check, and writes fit.csv. */
static int calibrate(struct cal *C, const abc_config *cfg, const char *dir,
		     int resume, int quiet)
{
	const struct cd_targets *t = C->t;
	const char *names[TARGETS_MAX_PARAMS];
	double obs[TARGETS_MAX], sd[TARGETS_MAX];
	unsigned char log_scale[TARGETS_MAX_PARAMS];
	for (int j = 0; j < t->n_params; j++) {
		names[j] = t->params[j].setting;
		log_scale[j] = t->params[j].prior.kind == TARGETS_LOG_UNIFORM;
	}
	for (int k = 0; k < C->a.n; k++) {
		obs[k] = t->targets[C->a.idx[k]].value;
		sd[k] = t->targets[C->a.idx[k]].sd;
	}
	abc_problem p = {.d = (size_t)t->n_params,
			 .names = names,
			 .prior = {prior_sample, prior_density, C},
			 .k = (size_t)C->a.n,
			 .obs = obs,
			 .sd = sd,
			 .simulate = simulate,
			 .sim_ctx = C,
			 .log_scale = log_scale};
	abc_result res = {0};
	struct cd_diag d = {{0}};
	int rc = abc_run(cfg, &p, dir, resume, &res, &d);
	if (rc)
		return failed(C, rc, d.msg, dir);
	if (res.stop == ABC_STOP_CAP)
		fprintf(stderr,
			"cyberdef: generation %u reached the cap of proposals "
			"with %zu particles accepted; the run stopped there\n",
			res.n_gen - 1, res.n);
	rc = check(C, &p, &res, cfg->seed, dir, quiet);
	abc_result_free(&res);
	return rc;
}

/* Locks dir, checks or writes metadata.json, and calibrates. */
static int run_in(struct cal *C, const struct cal_opts *o,
		  const struct cd_scenario *sc, const abc_config *cfg)
{
	static const char *const files[] = {"posterior.csv", "generations.csv",
					    "fit.csv", "metadata.json"};
	char thash[CD_SHA256_HEX];
	if (cal_targets_sha256(o->targets, thash)) {
		fprintf(stderr, "cyberdef: cannot read targets file %s\n",
			o->targets);
		return 2;
	}
	struct cal_meta mm = {o->c.sets, o->c.n_sets, o->hold,
			      o->n_hold, o->targets,  thash};
	json_t *m = cal_metadata(&mm, sc, C->t, cfg);
	if (!m) {
		fprintf(stderr, "cyberdef: out of memory\n");
		return 1;
	}
	cd_outdir *od = NULL;
	struct cd_diag d = {{0}};
	int rc = cd_outdir_open(&od, o->c.out, files, 4, &d);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n",
			rc == CD_ENOMEM ? "out of memory" : d.msg);
		rc = rc == CD_EBUSY ? 2 : 1;
	} else {
		/* A resume rewrites metadata.json too: its generations may
		 * have grown. */
		rc = o->resume ? cal_resume_check(m, o->c.out) : 0;
		if (!rc)
			rc = write_one(o->c.out, "metadata.json", m, C, NULL);
	}
	json_decref(m);
	if (!rc)
		rc = calibrate(C, cfg, o->c.out, o->resume, o->c.quiet);
	cd_outdir_close(od);
	return rc;
}

/* The engine's configuration from the options. */
static void config_of(abc_config *cfg, const struct cal_opts *o, struct cal *C)
{
	abc_config_default(cfg);
	cfg->particles = (size_t)o->particles;
	cfg->generations = (unsigned)o->generations;
	cfg->reps = (unsigned)o->reps;
	cfg->seed = o->c.seed;
	cfg->run_batch = run_batch;
	cfg->batch_ctx = C;
}

/* C->all, the active targets with those of --hold-out marked, and C->a,
 * the others. Returns 0, or 2 after a message (a name that is no active
 * target, or nothing left to fit). */
static int hold_out(struct cal *C, const struct cal_opts *o)
{
	const struct cd_targets *t = C->t;
	fit_active_of(t, &C->all);
	for (int h = 0; h < o->n_hold; h++) {
		int k = 0;
		while (k < C->all.n &&
		       strcmp(t->targets[C->all.idx[k]].name, o->hold[h]))
			k++;
		if (k == C->all.n) {
			fprintf(stderr,
				"cyberdef: --hold-out %s: %s has no target of "
				"that name for this scenario; its targets:",
				o->hold[h], o->targets);
			for (k = 0; k < C->all.n; k++)
				fprintf(stderr, " %s",
					t->targets[C->all.idx[k]].name);
			fputc('\n', stderr);
			return 2;
		}
		C->all.held[k] = 1;
	}
	C->a.n = 0;
	for (int k = 0; k < C->all.n; k++)
		if (!C->all.held[k]) {
			C->a.idx[C->a.n] = C->all.idx[k];
			C->a.stat[C->a.n] = C->all.stat[k];
			C->a.held[C->a.n] = 0;
			C->pos[C->a.n] = k;
			C->a.year[C->a.n++] = C->all.year[k];
		}
	if (C->a.n)
		return 0;
	fprintf(stderr, "cyberdef: --hold-out: every target is held out: "
			"nothing is left to fit\n");
	return 2;
}

/* Every rank checks the command line and its files; rank 0 then
 * calibrates while the others run their share of each batch
 * (analysis/batch.h). Returns the exit status (rank 0's, on each). */
static int calibrate_ranked(struct ranks *rk, struct cmd_hold *h, int argc,
			    char **argv, int arg)
{
	(void)arg;
	struct cal_opts o = {.c = {.seed = 1, .out = "calibrate"},
			     .particles = 200,
			     .generations = 4,
			     .reps = 1};
	const char *path = NULL;
	int rc = parse(argc, argv, &o, &path, rk->rank);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!o.c.jobs)
		o.c.jobs = cmd_default_jobs();
	struct cd_scenario *sc = NULL;
	struct cd_targets *t = NULL;
	rc = fit_load(path, &o.c, o.targets, &sc, &t);
	if (rc) { /* nothing to free */
		sc = NULL;
		t = NULL;
	} else if (!t->n_params) {
		fprintf(stderr, "cyberdef: %s: no parameters to estimate\n",
			o.targets);
		rc = 2;
	}
	struct cal C = {.scenario = path,
			.sets = o.c.sets,
			.n_sets = o.c.n_sets,
			.t = t};
	pthread_mutex_init(&C.lock, NULL);
	if (!rc)
		rc = memory_check(sc, o.c.jobs, o.c.max_memory);
	if (!rc)
		rc = hold_out(&C, &o);
	if (!rc) {
		struct cd_diag d;
		struct batch_spec s = job_spec(&C, o.c.jobs);
		if (batch_create(&C.b, rk, &s, &d)) {
			fprintf(stderr, "cyberdef: %s\n", d.msg);
			rc = 1;
		}
	}
	if (!(rc = cmd_ranked_agree(rk, h, rc, "the calibration"))) {
		abc_config cfg;
		config_of(&cfg, &o, &C);
		rc = rk->rank ? batch_serve(C.b) : run_in(&C, &o, sc, &cfg);
	}
	batch_close(C.b, rc);
	batch_destroy(C.b);
	pthread_mutex_destroy(&C.lock);
	targets_destroy(t);
	scenario_destroy(sc);
	return rc;
}

int calibrate_main(int argc, char **argv)
{
	return cmd_ranked_main(argc, argv, calibrate_ranked, 0);
}
