/* plot_calib: the two charts of a calibration (plot_prep.h) and the
 * priors they are drawn on (plot_load_priors, plot.h).
 *
 * The posterior marginals (posterior.csv of `cyberdef calibrate`): one
 * panel per parameter (--metric keeps some), the final generation's
 * weighted histogram: the particles' normalised weights summed per bin,
 * so each panel's bars add up to 1. The bins are equal on the prior's
 * range, in log10 x for a log-uniform prior (drawn on a log axis), their
 * number the Rice rule's ceil(2 n^(1/3)) for n particles, within [5, 40].
 * The prior's range is marked (dashed) and the weighted median drawn
 * (solid). Without the priors (metadata.json of an older cyberdef) the
 * bins span the particles' range on a linear axis, and a note says so.
 *
 * The predictive check (fit.csv of `calibrate` or `observe`): one line per
 * target (--metric keeps some), every value divided by the target's
 * observed value, so that days and fractions share one axis at 1: the
 * observed value with its +-1 sd bar, and the model's median with its 90%
 * interval (5th to 95th percentile); each line's label gives the values in
 * their units.
 *
 * The data files hold numbers only. Block 0 (gnuplot's index 0) holds what
 * the script needs per panel or chart; the blocks after it the bars or
 * lines (plot_posterior.gp and plot_fit.gp say which columns).
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/plot_prep.h"

#define MAX_BINS 40
#define MIN_BINS 5
#define PRIOR_TOL 1e-9 /* relative: a particle this near the range is in */

/* ---- the priors (metadata.json) ------------------------------------------ */

static const char *const prior_kinds[] = {"uniform", "log_uniform", "beta",
					  "normal"};

static int meta_bad(struct cd_diag *d, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return rc;
}

/* Reads parameters[i] of metadata.json `path` into *pr. */
static int read_prior(const json_t *o, const char *path, size_t i,
		      struct plot_prior *pr, struct cd_diag *d)
{
	const json_t *s = json_object_get(o, "setting");
	const json_t *k = json_object_get(o, "prior");
	const json_t *lo = json_object_get(o, "lo"),
		     *hi = json_object_get(o, "hi");
	if (!json_is_string(s) || !json_is_string(k) || !json_is_number(lo) ||
	    !json_is_number(hi))
		return meta_bad(d, CD_EINVAL,
				"%s: parameters[%zu]: expected an object with "
				"\"setting\" and \"prior\" (text) and \"lo\" "
				"and \"hi\" (numbers)",
				path, i);
	const char *kind = json_string_value(k);
	size_t n = 0;
	while (n < 4 && strcmp(kind, prior_kinds[n]))
		n++;
	if (n == 4)
		return meta_bad(d, CD_EINVAL,
				"%s: parameters[%zu]: unknown prior; allowed: "
				"uniform, log_uniform, beta, normal",
				path, i);
	if (strlen(json_string_value(s)) >= sizeof pr->setting)
		return meta_bad(d, CD_ELIMIT,
				"%s: parameters[%zu]: setting longer than %zu "
				"bytes",
				path, i, sizeof pr->setting - 1);
	snprintf(pr->setting, sizeof pr->setting, "%s", json_string_value(s));
	snprintf(pr->kind, sizeof pr->kind, "%s", prior_kinds[n]);
	pr->lo = json_number_value(lo);
	pr->hi = json_number_value(hi);
	if (!isfinite(pr->lo) || !isfinite(pr->hi) || !(pr->lo < pr->hi) ||
	    (n == 1 && !(pr->lo > 0)))
		return meta_bad(d, CD_EINVAL,
				"%s: parameters[%zu] (%s): the range [%g, %g] "
				"is not a prior's; allowed: finite lo < hi, "
				"lo > 0 for log_uniform",
				path, i, pr->setting, pr->lo, pr->hi);
	return 0;
}

/* Reads the "parameters" of metadata.json m (at path) into *p. */
static int read_priors(const json_t *m, const char *path, struct plot_priors *p,
		       struct cd_diag *d)
{
	const json_t *cmd = json_object_get(m, "command");
	if (!json_is_object(m) || !json_is_string(cmd) ||
	    strcmp(json_string_value(cmd), "calibrate"))
		return meta_bad(d, CD_EINVAL,
				"%s: not the metadata.json of `cyberdef "
				"calibrate` (its \"command\" is not "
				"\"calibrate\")",
				path);
	const json_t *a = json_object_get(m, "parameters");
	if (!a)
		return 0; /* an older calibrate: the priors are unknown */
	if (!json_is_array(a))
		return meta_bad(d, CD_EINVAL,
				"%s: \"parameters\" is not an array", path);
	if (json_array_size(a) > PLOT_MAX_PARAMS)
		return meta_bad(d, CD_ELIMIT,
				"%s: %zu parameters; at most %d can be drawn",
				path, json_array_size(a), PLOT_MAX_PARAMS);
	for (size_t i = 0; i < json_array_size(a); i++) {
		int rc = read_prior(json_array_get(a, i), path, i, &p->v[i], d);
		if (rc)
			return rc;
	}
	p->n = (int)json_array_size(a);
	p->known = 1;
	return 0;
}

int plot_load_priors(const char *dir, struct plot_priors *p, struct cd_diag *d)
{
	memset(p, 0, sizeof *p);
	d->msg[0] = '\0';
	char path[PLOT_PATH_MAX + 32];
	struct stat st;
	snprintf(path, sizeof path, "%s/metadata.json", dir);
	if (stat(path, &st) != 0)
		return 0; /* no metadata: the priors are unknown */
	json_error_t e;
	json_t *m = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!m)
		return meta_bad(d, CD_EINVAL, "%s:%d: %s", path, e.line,
				e.text);
	int rc = read_priors(m, path, p, d);
	json_decref(m);
	if (rc)
		memset(p, 0, sizeof *p);
	return rc;
}

/* ---- the posterior marginals --------------------------------------------- */

/* One panel: a parameter's histogram on [a, b] (in log10 x when lg). */
struct panel {
	int par;     /* index among the file's parameters */
	int has, lg; /* prior known; log axis */
	double a, b; /* the bins' range, in the axis's scale */
	double median;
	int bins;
	double w[MAX_BINS];
};

struct post {
	size_t cg, cw;		     /* generation and weight columns */
	size_t col[PLOT_MAX_PARAMS]; /* the parameters' columns */
	int n_par;
	struct panel pan[PLOT_MAX_PARAMS];
	int n_pan;
	long gen;     /* the final generation */
	size_t *rows; /* its rows, n of them */
	size_t n;
	double *w;     /* their weights, normalised */
	double *pairs; /* scratch: value, weight */
};

/* The columns: generation and weight, and the parameters (all others but
 * particle and distance), which become P->avail. */
static int post_columns(struct prep *P, struct post *S)
{
	static const char *const need[] = {"generation", "particle", "weight",
					   "distance"};
	for (int k = 0; k < 4; k++)
		if (plot_col(P, need[k]) < 0)
			return plot_bad(P,
					"%s: no column '%s'; expected the "
					"posterior.csv of `cyberdef calibrate`",
					P->t->name, need[k]);
	S->cg = (size_t)plot_col(P, "generation");
	S->cw = (size_t)plot_col(P, "weight");
	P->avail.v = malloc((P->t->ncols + 1) * sizeof *P->avail.v);
	if (!P->avail.v)
		return plot_oom(P);
	for (size_t c = 0; c < P->t->ncols; c++) {
		const char *h = plot_cell(P, 0, c);
		int own = 0;
		for (int k = 0; k < 4; k++)
			own |= !strcmp(h, need[k]);
		if (own)
			continue;
		if (S->n_par == PLOT_MAX_PARAMS)
			return plot_bad(P, "%s: more than %d parameters",
					P->t->name, PLOT_MAX_PARAMS);
		S->col[S->n_par++] = c;
		P->avail.v[P->avail.n++] = h;
	}
	if (!S->n_par)
		return plot_bad(P, "%s: no parameter columns", P->t->name);
	return 0;
}

/* The priors, if known, must be of the file's parameters, in order. */
static int post_match_priors(struct prep *P, const struct post *S)
{
	const struct plot_priors *pr = P->priors;
	if (!pr || !pr->known)
		return 0;
	int same = pr->n == S->n_par;
	for (int i = 0; same && i < S->n_par; i++)
		same = !strcmp(pr->v[i].setting, P->avail.v[i]);
	if (!same)
		return plot_bad(P,
				"%s: its parameter columns are not the %d "
				"parameters metadata.json records beside it "
				"(%s%s): the files are not of one calibration",
				P->t->name, pr->n,
				pr->n ? pr->v[0].setting : "",
				pr->n > 1 ? ", ..." : "");
	return 0;
}

/* The panels: the --metric parameters, or all. */
static int post_panels(struct prep *P, struct post *S)
{
	const struct plot_priors *pr = P->priors;
	int n = P->o->n_metrics ? P->o->n_metrics : S->n_par;
	for (int i = 0; i < n; i++) {
		long k = i;
		if (P->o->n_metrics &&
		    (k = plot_pick_name(P, &P->avail, P->o->metric[i],
					"parameter")) < 0)
			return CD_EINVAL;
		struct panel *q = &S->pan[S->n_pan++];
		q->par = (int)k;
		q->has = pr && pr->known;
		q->lg = q->has && !strcmp(pr->v[k].kind, "log_uniform");
	}
	return 0;
}

/* The rows of the final generation and their normalised weights. */
static int post_rows(struct prep *P, struct post *S)
{
	const csv_table *t = P->t;
	double g, w, total = 0;
	S->gen = -1;
	for (size_t r = 1; r <= t->nrows; r++) {
		int rc = plot_num_at(P, r, S->cg, &g);
		if (!rc && !(g >= 0 && g < 1e9 && g == floor(g)))
			rc = plot_bad(P,
				      "%s:%zu: generation '%s'; allowed: 0, "
				      "1, ...",
				      t->name, t->line[r],
				      plot_cell(P, r, S->cg));
		if (rc)
			return rc;
		S->gen = (long)g > S->gen ? (long)g : S->gen;
	}
	S->rows = malloc((t->nrows + 1) * sizeof *S->rows);
	S->w = malloc((t->nrows + 1) * sizeof *S->w);
	S->pairs = malloc(2 * (t->nrows + 1) * sizeof *S->pairs);
	if (!S->rows || !S->w || !S->pairs)
		return plot_oom(P);
	for (size_t r = 1; r <= t->nrows; r++) {
		(void)plot_num_at(P, r, S->cg, &g); /* checked above */
		if ((long)g != S->gen)
			continue;
		int rc = plot_num_at(P, r, S->cw, &w);
		if (!rc && !(isfinite(w) && w >= 0))
			rc = plot_bad(P,
				      "%s:%zu: weight '%s'; allowed: a "
				      "number >= 0",
				      t->name, t->line[r],
				      plot_cell(P, r, S->cw));
		if (rc)
			return rc;
		S->rows[S->n] = r;
		S->w[S->n++] = w;
		total += w;
	}
	if (!S->n)
		return plot_bad(P, "%s: no particles; nothing to draw",
				t->name);
	if (!(total > 0) || !isfinite(total))
		return plot_bad(P,
				"%s: the weights of generation %ld add up to "
				"%g; nothing to draw",
				t->name, S->gen, total);
	for (size_t i = 0; i < S->n; i++)
		S->w[i] /= total;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The particles' values of panel q's parameter into S->pairs (value,
 * weight), checked against its prior. */
static int panel_values(struct prep *P, struct post *S, const struct panel *q)
{
	const struct plot_prior *pr = q->has ? &P->priors->v[q->par] : NULL;
	size_t c = S->col[q->par];
	for (size_t i = 0; i < S->n; i++) {
		size_t r = S->rows[i];
		double x;
		int rc = plot_num_at(P, r, c, &x);
		if (rc)
			return rc;
		double tol =
			pr ? PRIOR_TOL * fmax(fabs(pr->lo), fabs(pr->hi)) : 0;
		if (!isfinite(x) ||
		    (pr && (x < pr->lo - tol || x > pr->hi + tol)))
			return plot_bad(
				P,
				"%s:%zu: %s = '%s' lies outside its "
				"prior's range [%g, %g] (metadata.json)",
				P->t->name, P->t->line[r], plot_cell(P, 0, c),
				plot_cell(P, r, c), pr ? pr->lo : NAN,
				pr ? pr->hi : NAN);
		S->pairs[2 * i] = pr ? fmin(fmax(x, pr->lo), pr->hi) : x;
		S->pairs[2 * i + 1] = S->w[i];
	}
	qsort(S->pairs, S->n, 2 * sizeof *S->pairs, by_value);
	return 0;
}

static double axis_of(const struct panel *q, double x)
{
	return q->lg ? log10(x) : x;
}

static double value_of(const struct panel *q, double a)
{
	return q->lg ? pow(10, a) : a;
}

/* Panel q's range, bins and median from S->pairs (sorted). */
static void panel_histogram(const struct prep *P, const struct post *S,
			    struct panel *q)
{
	size_t n = S->n;
	if (q->has) {
		q->a = axis_of(q, P->priors->v[q->par].lo);
		q->b = axis_of(q, P->priors->v[q->par].hi);
	} else {
		q->a = S->pairs[0];
		q->b = S->pairs[2 * (n - 1)];
		if (!(q->b > q->a)) { /* one value: a bin around it */
			double pad = q->a ? 0.05 * fabs(q->a) : 0.5;
			q->a -= pad;
			q->b += pad;
		}
	}
	int bins = (int)ceil(2 * cbrt((double)n));
	q->bins = bins < MIN_BINS   ? MIN_BINS
		  : bins > MAX_BINS ? MAX_BINS
				    : bins;
	double cum = 0;
	q->median = NAN;
	for (size_t i = 0; i < n; i++) {
		double x = S->pairs[2 * i], w = S->pairs[2 * i + 1];
		double f = (axis_of(q, x) - q->a) / (q->b - q->a);
		int k = (int)floor(f * q->bins);
		q->w[k < 0 ? 0 : k >= q->bins ? q->bins - 1 : k] += w;
		cum += w;
		if (isnan(q->median) && cum >= 0.5)
			q->median = x;
	}
	if (isnan(q->median)) /* rounding: the weights add up to 1 - eps */
		q->median = S->pairs[2 * (n - 1)];
}

/* Block 0: per panel "k,has,lo,hi,log,median,xlo,xhi" (the prior's range,
 * or the bins', and the axis's, 3% wider); then a block per panel: per
 * bin "left,right,weight". */
static void post_write(const struct prep *P, const struct post *S)
{
	FILE *f = P->data;
	for (int k = 0; k < S->n_pan; k++) {
		const struct panel *q = &S->pan[k];
		double pad = 0.03 * (q->b - q->a);
		const double v[] = {k,
				    q->has,
				    value_of(q, q->a),
				    value_of(q, q->b),
				    q->lg,
				    q->median,
				    value_of(q, q->a - pad),
				    value_of(q, q->b + pad)};
		for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
			if (i)
				fputc(',', f);
			plot_put_num(f, v[i]);
		}
		fputc('\n', f);
	}
	for (int k = 0; k < S->n_pan; k++) {
		const struct panel *q = &S->pan[k];
		fputs("\n\n", f);
		for (int b = 0; b < q->bins; b++) {
			double step = (q->b - q->a) / q->bins;
			plot_put_num(f, value_of(q, q->a + b * step));
			fputc(',', f);
			plot_put_num(f, value_of(q, q->a + (b + 1) * step));
			fputc(',', f);
			plot_put_num(f, q->w[b]);
			fputc('\n', f);
		}
	}
}

/* Panel q's second line: its prior. */
static void prior_text(const struct prep *P, const struct panel *q, char *buf,
		       size_t size)
{
	if (!q->has) {
		snprintf(buf, size, "prior not recorded (linear axis)");
		return;
	}
	const struct plot_prior *pr = &P->priors->v[q->par];
	const char *kind = !strcmp(pr->kind, "log_uniform") ? "log-uniform"
			   : !strcmp(pr->kind, "normal")    ? "truncated normal"
							    : pr->kind;
	snprintf(buf, size, "%s prior on [%.4g, %.4g] (dashed)", kind, pr->lo,
		 pr->hi);
}

/* The texts: the title, and per panel its parameter and prior. */
static int post_texts(struct prep *P, const struct post *S)
{
	double ss = 0;
	for (size_t i = 0; i < S->n; i++)
		ss += S->w[i] * S->w[i];
	snprintf(P->title, sizeof P->title,
		 "Posterior marginals: generation %ld, %zu particles "
		 "(effective %.3g)\nweighted histograms; solid line: the "
		 "weighted median",
		 S->gen, S->n, 1 / ss);
	for (int k = 0; k < S->n_pan; k++) {
		char prior[160];
		prior_text(P, &S->pan[k], prior, sizeof prior);
		if (plot_strs_add(&P->cats, P->avail.v[S->pan[k].par]) ||
		    plot_strs_add(&P->cats, prior))
			return plot_oom(P);
	}
	snprintf(P->xlabel, sizeof P->xlabel, "value");
	snprintf(P->mean, sizeof P->mean, "posterior weight per bin");
	P->tx.xlabel = P->xlabel;
	P->tx.mean_title = P->mean;
	P->tx.n_panels = 0;
	P->tx.xcat = 1;
	if (!S->pan[0].has)
		plot_buf_printf(&P->note,
				"metadata.json records no priors (a "
				"calibration of an older cyberdef): linear "
				"axes over the particles' range");
	return 0;
}

/* The chart's name: the --metric parameters joined, or "all". */
static void job_names(struct prep *P, const char *kind)
{
	char *m = P->j->metrics;
	size_t size = sizeof P->j->metrics;
	snprintf(m, size, "%s", P->o->n_metrics ? P->o->metric[0] : "all");
	for (int i = 1; i < P->o->n_metrics; i++) {
		size_t len = strlen(m);
		snprintf(m + len, size - len, "_%s", P->o->metric[i]);
	}
	P->j->kind = kind;
}

int plot_prep_posterior(struct prep *P)
{
	struct post S = {0};
	int rc = post_columns(P, &S);
	if (!rc)
		rc = post_match_priors(P, &S);
	if (!rc)
		rc = post_panels(P, &S);
	if (!rc)
		rc = post_rows(P, &S);
	for (int k = 0; k < S.n_pan && !rc; k++) {
		rc = panel_values(P, &S, &S.pan[k]);
		if (!rc)
			panel_histogram(P, &S, &S.pan[k]);
	}
	if (!rc) {
		post_write(P, &S);
		rc = post_texts(P, &S);
		job_names(P, "posterior");
	}
	free(S.rows);
	free(S.w);
	free(S.pairs);
	return rc;
}

/* ---- the predictive check ------------------------------------------------ */

enum { F_TARGET, F_UNIT, F_OBS, F_SD, F_MED, F_LO, F_HI, F_COLS };

/* A target's values: observed, sd, median, p05, p95 (the model's NaN
 * when undefined). */
struct fit_row {
	double v[5];
};

/* Whether row r is drawn: every row, or one a --metric names. */
static int fit_drawn(const struct prep *P, const size_t *col, size_t r)
{
	if (!P->o->n_metrics)
		return 1;
	for (int i = 0; i < P->o->n_metrics; i++)
		if (!strcmp(plot_cell(P, r, col[F_TARGET]), P->o->metric[i]))
			return 1;
	return 0;
}

/* The columns, and every --metric a target of the file. */
static int fit_columns(struct prep *P, size_t *col)
{
	static const char *const need[F_COLS] = {
		"target",	"unit",	     "observed", "sd",
		"model_median", "model_p05", "model_p95"};
	for (int k = 0; k < F_COLS; k++) {
		long c = plot_col(P, need[k]);
		if (c < 0)
			return plot_bad(P,
					"%s: no column '%s'; expected the "
					"fit.csv of `cyberdef calibrate` or "
					"`cyberdef observe`",
					P->t->name, need[k]);
		col[k] = (size_t)c;
	}
	for (int i = 0; i < P->o->n_metrics; i++) {
		size_t r = 1;
		while (r <= P->t->nrows &&
		       strcmp(plot_cell(P, r, col[F_TARGET]), P->o->metric[i]))
			r++;
		if (r > P->t->nrows)
			return plot_bad(P,
					"--metric %s: not a target of %s; "
					"allowed: a value of its target column",
					P->o->metric[i], P->t->name);
	}
	return 0;
}

/* Row r's values into *f, checked: the observed value finite and > 0 (it
 * scales the line), sd finite and >= 0. */
static int fit_values(struct prep *P, const size_t *col, size_t r,
		      struct fit_row *f)
{
	for (int k = 0; k < 5; k++) {
		int rc = plot_num_at(P, r, col[F_OBS + k], &f->v[k]);
		if (rc)
			return rc;
	}
	if (!(isfinite(f->v[0]) && f->v[0] > 0))
		return plot_bad(P,
				"%s:%zu: target %s: observed value '%s' cannot "
				"scale its line; allowed: a number > 0",
				P->t->name, P->t->line[r],
				plot_cell(P, r, col[F_TARGET]),
				plot_cell(P, r, col[F_OBS]));
	if (!(isfinite(f->v[1]) && f->v[1] >= 0))
		return plot_bad(P,
				"%s:%zu: target %s: sd '%s'; allowed: a number "
				">= 0",
				P->t->name, P->t->line[r],
				plot_cell(P, r, col[F_TARGET]),
				plot_cell(P, r, col[F_SD]));
	return 0;
}

/* Row r's label: "TARGET: observed V +- SD UNIT; model M [LO, HI]". */
static int fit_label(struct prep *P, const size_t *col, size_t r,
		     const struct fit_row *f)
{
	const char *name, *unit;
	int rc = plot_cell_text(P, r, col[F_TARGET], &name);
	if (!rc)
		rc = plot_cell_text(P, r, col[F_UNIT], &unit);
	if (rc)
		return rc;
	char label[800], model[160];
	const double *v = f->v;
	if (isnan(v[2]))
		snprintf(model, sizeof model, "model undefined");
	else
		snprintf(model, sizeof model, "model %.3g [%.3g, %.3g]", v[2],
			 v[3], v[4]);
	snprintf(label, sizeof label, "%s: observed %.3g \xc2\xb1 %.3g %s; %s",
		 name, v[0], v[1], unit, model);
	return plot_strs_add(&P->cats, label) ? plot_oom(P) : 0;
}

/* Widens [*lo, *hi] to take x, if it is a number. */
static void widen(double *lo, double *hi, double x)
{
	if (isfinite(x)) {
		*lo = fmin(*lo, x);
		*hi = fmax(*hi, x);
	}
}

/* The lines: block 0 "xlo,xhi" (every value and 1, 5% wider), block 1
 * per target "k,1,1-sd/obs,1+sd/obs,median/obs,p05/obs,p95/obs". */
static int fit_lines(struct prep *P, const size_t *col)
{
	double lo = 1, hi = 1;
	size_t n = 0;
	for (size_t r = 1; r <= P->t->nrows; r++) {
		struct fit_row f;
		if (!fit_drawn(P, col, r))
			continue;
		int rc = fit_values(P, col, r, &f);
		if (!rc)
			rc = fit_label(P, col, r, &f);
		if (rc)
			return rc;
		double s = 1 / f.v[0];
		widen(&lo, &hi, 1 - f.v[1] * s);
		widen(&lo, &hi, 1 + f.v[1] * s);
		for (int k = 2; k < 5; k++)
			widen(&lo, &hi, f.v[k] * s);
		n++;
	}
	if (!n)
		return plot_bad(P, "%s: no target to draw", P->t->name);
	double pad = 0.05 * (hi - lo);
	plot_put_num(P->data, lo - pad);
	fputc(',', P->data);
	plot_put_num(P->data, hi + pad);
	fputs("\n\n\n", P->data);
	n = 0;
	for (size_t r = 1; r <= P->t->nrows; r++) {
		struct fit_row f;
		if (!fit_drawn(P, col, r))
			continue;
		(void)fit_values(P, col, r, &f); /* checked above */
		double s = 1 / f.v[0];
		const double v[] = {(double)n++,    1,		1 - f.v[1] * s,
				    1 + f.v[1] * s, f.v[2] * s, f.v[3] * s,
				    f.v[4] * s};
		for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
			if (i)
				fputc(',', P->data);
			plot_put_num(P->data, v[i]);
		}
		fputc('\n', P->data);
	}
	return 0;
}

int plot_prep_fit(struct prep *P)
{
	size_t col[F_COLS] = {0};
	int rc = fit_columns(P, col);
	if (rc || (rc = fit_lines(P, col)))
		return rc;
	if (plot_strs_add(&P->groups, "observed \xc2\xb1 1 sd") ||
	    plot_strs_add(&P->groups, "model median, 90% interval"))
		return plot_oom(P);
	snprintf(P->title, sizeof P->title,
		 "The model against its targets\neach line relative to its "
		 "observed value");
	snprintf(P->xlabel, sizeof P->xlabel, "value / observed value");
	snprintf(P->mean, sizeof P->mean, "observed value");
	P->tx.xlabel = P->xlabel;
	P->tx.mean_title = P->mean;
	P->tx.n_panels = 1;
	P->tx.metric[0] = "value / observed";
	P->tx.unit[0] = "";
	P->tx.xcat = 1;
	P->tx.bands = 1;
	job_names(P, "fit");
	return 0;
}
