/* aggregate: see aggregate.h. */
#include "analysis/aggregate.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/effects.h"
#include "analysis/json.h"
#include "analysis/metrics.h"
#include "analysis/outdir.h"
#include "analysis/output.h"
#include "analysis/stats.h"
#include "core/version.h"

/* Daily national totals kept per run: the KEEP columns of timeseries.csv
 * (metrics.h). */
#define N_DAILY CD_KEPT_N

/* A sweep's files, and a comparison's (with its effects and tails), the
 * manifest last. */
static const char *const sweep_files[] = {
	"runs.csv", "points.csv", "timeseries_points.csv", "sweep.json"};
static const char *const sensitivity_files[AGGREGATE_MAX_FILES] = {
	"runs.csv",   "points.csv",  "timeseries_points.csv",
	"design.csv", "indices.csv", "sweep.json"};
static const char *const compare_files[AGGREGATE_MAX_FILES] = {
	"runs.csv",    "points.csv", "timeseries_points.csv",
	"effects.csv", "tails.csv",  "sweep.json"};

int aggregate_files(const struct experiment *e, const char *const **names)
{
	*names = e->rq.n_arms	  ? compare_files
		 : e->rq.n_params ? sensitivity_files
				  : sweep_files;
	return e->rq.n_arms || e->rq.n_params ? AGGREGATE_MAX_FILES : 4;
}

/* The aggregation of one sweep: what it reads and what it holds. */
struct agg {
	const struct experiment *e;
	const struct journal *j;
	unsigned char *rec;	 /* one record */
	double *col;		 /* [CD_SUMMARY_N][reps]: one point's */
	double *scratch;	 /* [reps] */
	long double *mean, *dev; /* [days * N_DAILY] */
	double *dmean;		 /* [days * N_DAILY]: mean, as a double */
	uint32_t *n, *n2;	 /* [days * N_DAILY]: values in each pass */
	int horizon;		 /* days of the point */
	double *sens_y; /* a sensitivity analysis: [metric][point], means */
	double t;	/* Student t(0.975, t_df) */
	uint32_t t_df;
};

double aggregate_bytes(const struct experiment *e)
{
	double cells = (double)e->max_days * N_DAILY;
	return (e->rq.n_arms ? effects_bytes(e) : 0) +
	       (e->rq.n_params ? (double)effects_n_metrics(e) * e->n_points *
					 (double)sizeof(double)
			       : 0) +
	       (double)journal_record_size(e->max_days) +
	       (CD_SUMMARY_N + 1.0) * e->reps * (double)sizeof(double) +
	       cells * (2.0 * sizeof(long double) + sizeof(double) +
			2.0 * sizeof(uint32_t));
}

static int agg_alloc(struct agg *g, const struct experiment *e,
		     const struct journal *j)
{
	size_t cells = (size_t)e->max_days * N_DAILY, reps = (size_t)e->reps;
	*g = (struct agg){.e = e,
			  .j = j,
			  .rec = malloc(j->record),
			  .col = malloc(CD_SUMMARY_N * reps * sizeof(double)),
			  .scratch = malloc(reps * sizeof(double)),
			  .mean = malloc(cells * sizeof(long double) + 1),
			  .dev = malloc(cells * sizeof(long double) + 1),
			  .dmean = malloc(cells * sizeof(double) + 1),
			  .n = malloc(cells * sizeof(uint32_t) + 1),
			  .n2 = malloc(cells * sizeof(uint32_t) + 1)};
	if (e->rq.n_params)
		g->sens_y = malloc((size_t)effects_n_metrics(e) *
				   (size_t)e->n_points * sizeof(double));
	return g->rec && g->col && g->scratch && g->mean && g->dev &&
			       g->dmean && g->n && g->n2 &&
			       (g->sens_y || !e->rq.n_params)
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
	free(g->sens_y);
}

/* ---- rows ------------------------------------------------------------- */

static void axis_header(const struct experiment *e, FILE *f)
{
	if (e->rq.n_arms) {
		csv_sep(f);
		csv_str(f, "arm");
	}
	for (int a = 0; a < e->n_axes; a++) {
		csv_sep(f);
		csv_str(f, e->axes[a].path);
	}
}

static void axis_values(const struct experiment *e, int p, FILE *f)
{
	if (e->rq.n_arms) {
		csv_sep(f);
		csv_str(f, experiment_arm(e, p));
	}
	for (int a = 0; a < e->n_axes; a++) {
		csv_sep(f);
		csv_str(f, experiment_value(e, p, a));
	}
}

static void write_headers(const struct experiment *e, FILE *runs, FILE *pts,
			  FILE *ts)
{
	static const char *const stat_names[] = {"mean", "sd", "ci_lo", "ci_hi",
						 "median"};
	csv_str(runs, "point");
	csv_sep(runs);
	csv_str(runs, "replicate");
	if (e->has_post) {
		csv_sep(runs);
		csv_str(runs, "particle");
	}
	axis_header(e, runs);
	csv_sep(runs);
	summary_write_header(runs);
	csv_str(pts, "point");
	axis_header(e, pts);
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
	axis_header(e, ts);
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

/* Pass 1 over the record of (p, r): its runs.csv row, its summary
 * metrics, and the running means of its days. */
static void first_pass(struct agg *g, int p, int r, FILE *runs)
{
	const struct experiment *e = g->e;
	const double *summary = journal_summary(g->rec);
	const double *daily = summary + CD_SUMMARY_N;
	struct journal_head h;
	journal_head_of(g->rec, &h);
	struct cd_summary sum;
	sum.seed = h.seed;
	memcpy(sum.v, summary, sizeof sum.v);
	csv_int(runs, p);
	csv_sep(runs);
	csv_int(runs, r);
	if (e->has_post) {
		csv_sep(runs);
		csv_int(runs, e->post.particle[experiment_particle(e, r)]);
	}
	axis_values(e, p, runs);
	csv_sep(runs);
	summary_write_row(runs, &sum);
	for (int m = 0; m < CD_SUMMARY_N; m++)
		g->col[(size_t)m * (size_t)e->reps + (size_t)r] = sum.v[m];
	if (r == 0) { /* the days of this point, then a fresh start */
		g->horizon = 0;
		while (g->horizon < e->max_days &&
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
static void second_pass(struct agg *g)
{
	const double *daily = journal_summary(g->rec) + CD_SUMMARY_N;
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

static void write_point_rows(struct agg *g, int p, FILE *pts, FILE *ts)
{
	const struct experiment *e = g->e;
	csv_int(pts, p);
	axis_values(e, p, pts);
	csv_sep(pts);
	csv_int(pts, e->reps);
	for (int m = 0; m < CD_SUMMARY_N; m++) {
		stats_summary sm;
		stats_summarise(g->col + (size_t)m * (size_t)e->reps,
				(size_t)e->reps, g->scratch, &sm);
		double v[5] = {sm.mean, sm.sd, sm.ci_lo, sm.ci_hi, sm.median};
		for (int k = 0; k < 5; k++) {
			csv_sep(pts);
			csv_real(pts, v[k]);
		}
	}
	csv_eol(pts);
	for (int day = 0; day < g->horizon; day++) {
		csv_int(ts, p);
		axis_values(e, p, ts);
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

/* A sensitivity analysis: point p's mean of each metric over its
 * replicates (those where it is defined; NaN if none). */
static void sens_means(struct agg *g, int p)
{
	const struct experiment *e = g->e;
	size_t reps = (size_t)e->reps;
	for (int m = 0; m < effects_n_metrics(e); m++) {
		int c = effects_metric(effects_metric_name(e, m));
		double sum = 0;
		size_t n = 0;
		for (size_t r = 0; r < reps; r++) {
			double v = g->col[(size_t)c * reps + r];
			if (isfinite(v)) {
				sum += v;
				n++;
			}
		}
		g->sens_y[(size_t)m * (size_t)e->n_points + (size_t)p] =
			n ? sum / (double)n : NAN;
	}
}

/* Writes the rows of point p: two passes over its records. */
static int aggregate_point(struct agg *g, int p, FILE *const *f,
			   struct cd_diag *d)
{
	size_t reps = (size_t)g->e->reps, first = (size_t)p * reps;
	for (size_t r = 0; r < reps; r++) {
		if (journal_read(g->j, first + r, g->rec, d))
			return CD_EIO;
		first_pass(g, p, (int)r, f[0]);
	}
	if (g->sens_y)
		sens_means(g, p);
	for (size_t k = 0; k < (size_t)g->horizon * N_DAILY; k++)
		g->dmean[k] = (double)g->mean[k];
	for (size_t r = 0; r < reps && reps > 1; r++) {
		if (journal_read(g->j, first + r, g->rec, d))
			return CD_EIO;
		second_pass(g);
	}
	write_point_rows(g, p, f[1], f[2]);
	return 0;
}

/* ---- the set ---------------------------------------------------------- */

/* The lists of sweep.json: overrides, vary, vary_specs; 0 if out of
 * memory (each then released). */
static int json_lists(const struct experiment *e, json_t *l[3])
{
	int ok = 1;
	l[0] = json_array();
	l[1] = json_array();
	l[2] = json_array();
	for (int i = 0; i < e->rq.n_sets; i++)
		cd_json_append(l[0], cd_json_text(e->rq.sets[i]), &ok);
	for (int a = 0; a < e->n_axes; a++) {
		cd_json_append(l[1], cd_json_text(e->axes[a].path), &ok);
		if (e->axes[a].text) /* a grid's */
			cd_json_append(l[2], cd_json_text(e->axes[a].text),
				       &ok);
	}
	if (ok)
		return 1;
	for (int k = 0; k < 3; k++)
		json_decref(l[k]);
	return 0;
}

/* What sweep.json says of a comparison's arms or a sensitivity
 * analysis's parameters, into root (ok cleared if out of memory). */
/* sweep.json's "posterior": the file, its SHA-256, its final generation
 * and how replicates draw from it (runs.csv's particle column). */
static json_t *posterior_json(const struct posterior *p)
{
	json_t *j = json_object();
	int ok = j != NULL;
	cd_json_set(j, "file", cd_json_text(p->path), &ok);
	cd_json_set(j, "sha256", json_string(p->sha256), &ok);
	cd_json_set(j, "generation", json_integer(p->generation), &ok);
	cd_json_set(j, "particles", json_integer((json_int_t)p->n), &ok);
	cd_json_set(j, "draw",
		    json_string("replicate r takes the particle drawn by "
				"weight with the keyed uniform (seed, "
				"posterior.particle; r, 0), the same at "
				"every point: the particle column of "
				"runs.csv"),
		    &ok);
	if (!ok) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static void study_json(const struct experiment *e, json_t *root, int *pok)
{
	int ok = *pok;
	if (e->rq.n_arms) {
		json_t *arms = json_array(), *hashes = json_array(),
		       *metrics = json_array(), *exceed = json_array();
		for (int p = 0; p < e->n_points; p++) {
			cd_json_append(arms, cd_json_text(experiment_arm(e, p)),
				       &ok);
			cd_json_append(hashes, cd_json_text(e->arm_hash[p]),
				       &ok);
		}
		for (int m = 0; m < e->rq.n_metrics; m++)
			cd_json_append(metrics, cd_json_text(e->rq.metrics[m]),
				       &ok);
		for (int t = 0; t < e->rq.n_exceed; t++)
			cd_json_append(exceed, cd_json_text(e->rq.exceed[t]),
				       &ok);
		cd_json_set(root, "arms", arms, &ok);
		cd_json_set(root, "arm_sha256", hashes, &ok);
		cd_json_set(root, "metrics", metrics, &ok);
		cd_json_set(root, "exceed", exceed, &ok);
	}
	if (e->rq.n_params) {
		json_t *params = json_array(), *metrics = json_array();
		for (int k = 0; k < e->rq.n_params; k++)
			cd_json_append(params, cd_json_text(e->rq.params[k]),
				       &ok);
		for (int m = 0; m < effects_n_metrics(e); m++)
			cd_json_append(metrics,
				       cd_json_text(effects_metric_name(e, m)),
				       &ok);
		cd_json_set(root, "params", params, &ok);
		cd_json_set(root, "method",
			    json_string(e->rq.method == SENS_SOBOL ? "sobol"
								   : "morris"),
			    &ok);
		cd_json_set(root, "size",
			    json_integer((json_int_t)e->rq.sens_n), &ok);
		if (e->rq.method == SENS_MORRIS)
			cd_json_set(root, "levels", json_integer(e->rq.levels),
				    &ok);
		cd_json_set(root, "metrics", metrics, &ok);
	}
	*pok = ok;
}

/* The manifest of the set, sweep.json; NULL if out of memory or a file
 * cannot be read back (errno). */
static json_t *sweep_json(const struct experiment *e, cd_outfile *const *out,
			  const char *command)
{
	json_t *root = json_object(), *l[3];
	if (!json_lists(e, l)) {
		json_decref(root);
		return NULL;
	}
	int ok = root != NULL;
	cd_json_set(root, "program", json_string("cyberdef"), &ok);
	cd_json_set(root, "command", cd_json_text(command), &ok);
	cd_json_set(root, "version", cd_json_text(CD_VERSION), &ok);
	cd_json_set(
		root, "scenario",
		cd_json_text(e->rq.scenario
				     ? e->rq.scenario
				     : "(built-in) scenarios/japan_2017.cfg"),
		&ok);
	cd_json_set(root, "scenario_sha256", cd_json_text(e->hash), &ok);
	cd_json_set(root, "overrides", l[0], &ok);
	cd_json_set(root, "vary", l[1], &ok);
	cd_json_set(root, "vary_specs", l[2], &ok);
	cd_json_set(root, "design", cd_json_text(e->rq.design), &ok);
	if (e->rq.design)
		cd_json_set(root, "design_sha256", cd_json_text(e->design_hash),
			    &ok);
	study_json(e, root, &ok);
	if (e->has_post)
		cd_json_set(root, "posterior", posterior_json(&e->post), &ok);
	cd_json_set(root, "points", json_integer(e->n_points), &ok);
	cd_json_set(root, "reps", json_integer(e->reps), &ok);
	cd_json_set(root, "seed", cd_json_u64(e->rq.seed), &ok);
	cd_json_set(root, "independent", json_boolean(e->rq.independent), &ok);
	cd_json_set(root, "run_seed",
		    json_string(e->rq.independent
					? "rng_derive(seed, point, replicate), "
					  "the seed column of runs.csv"
					: "rng_derive(seed, 0, replicate): the "
					  "same at every point, the seed "
					  "column of runs.csv"),
		    &ok);
	const char *const *names;
	int n_files = aggregate_files(e, &names);
	cd_json_set(root, "files", cd_outdir_files_json(out, n_files - 1), &ok);
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* "cannot write DIR/NAME: why", the file named by k (sweep.json if < 0). */
static int cannot_write(const struct experiment *e, int k, struct cd_diag *d)
{
	const char *const *names;
	int n = aggregate_files(e, &names);
	snprintf(d->msg, sizeof d->msg, "cannot write %s/%s: %s", e->rq.out,
		 names[k >= 0 ? k : n - 1], strerror(errno));
	return CD_EIO;
}

/* Opens the files of the set under temporary names. */
static int open_set(const struct experiment *e, cd_outfile **out,
		    struct cd_diag *d)
{
	const char *const *names;
	int n_files = aggregate_files(e, &names);
	for (int k = 0; k < n_files; k++) {
		size_t n = strlen(e->rq.out) + strlen(names[k]) + 2;
		char *path = malloc(n);
		if (path)
			snprintf(path, n, "%s/%s", e->rq.out, names[k]);
		int rc = path ? cd_outfile_open(&out[k], path) : CD_ENOMEM;
		free(path);
		if (rc)
			return cannot_write(e, k, d);
	}
	return 0;
}

/* The rows of every point, then sweep.json; commits the set. */
static int write_set(struct agg *g, cd_outfile **out, const char *command,
		     struct cd_diag *d)
{
	const struct experiment *e = g->e;
	FILE *f[3] = {cd_outfile_stream(out[0]), cd_outfile_stream(out[1]),
		      cd_outfile_stream(out[2])};
	write_headers(e, f[0], f[1], f[2]);
	for (int p = 0; p < e->n_points; p++) {
		int rc = aggregate_point(g, p, f, d);
		if (rc)
			return rc;
	}
	const char *const *names;
	int n_files = aggregate_files(e, &names);
	if (e->rq.n_arms) {
		int rc = effects_write(e, g->j, cd_outfile_stream(out[3]),
				       cd_outfile_stream(out[4]), d);
		if (rc)
			return rc;
	}
	if (e->rq.n_params) {
		const char *metrics[CD_SUMMARY_N];
		int nm = effects_n_metrics(e);
		for (int m = 0; m < nm; m++)
			metrics[m] = effects_metric_name(e, m);
		FILE *df = cd_outfile_stream(out[3]);
		if (fwrite(e->sens.csv, 1, e->sens.csv_len, df) !=
		    e->sens.csv_len)
			return cannot_write(e, 3, d);
		int rc = sensitivity_indices(&e->sens, g->sens_y, metrics, nm,
					     e->rq.seed,
					     cd_outfile_stream(out[4]));
		if (rc) {
			snprintf(d->msg, sizeof d->msg,
				 "sensitivity: out of memory");
			return CD_ENOMEM;
		}
	}
	json_t *meta = sweep_json(e, out, command);
	int rc = meta ? cd_json_write(cd_outfile_stream(out[n_files - 1]), meta)
		      : CD_EIO;
	json_decref(meta);
	int failed = -1;
	if (!rc)
		rc = cd_outfile_commit_all(out, n_files, &failed);
	return rc ? cannot_write(e, failed, d) : 0;
}

int aggregate_write(const struct experiment *e, const struct journal *j,
		    const char *command, struct cd_diag *d)
{
	cd_outfile *out[AGGREGATE_MAX_FILES] = {NULL};
	struct agg g;
	int rc = agg_alloc(&g, e, j);
	if (rc)
		snprintf(d->msg, sizeof d->msg, "aggregation: out of memory");
	if (!rc)
		rc = open_set(e, out, d);
	if (!rc)
		rc = write_set(&g, out, command, d);
	for (int k = 0; k < AGGREGATE_MAX_FILES; k++)
		cd_outfile_abort(out[k]);
	agg_free(&g);
	return rc;
}
