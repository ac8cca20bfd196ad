/* effects: see effects.h. */
#include "analysis/effects.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/output.h"

/* The metrics of a comparison that names none: the headline ones. */
static const char *const headline[] = {"intrusions",
				       "breaches",
				       "intrusions_state_government",
				       "median_dwell_days",
				       "median_dwell_detected_days",
				       "detections_shared",
				       "detections_partner",
				       "loss_yen",
				       "records_exfiltrated",
				       "outage_hours",
				       "crisis_days"};
#define N_HEADLINE (int)(sizeof headline / sizeof headline[0])

/* The kinds of effects.csv and the suffixes of their summary columns. */
static const char *const kinds[] = {"all", "government", "infrastructure",
				    "corporate"};
#define N_KINDS 4

int effects_metric(const char *name)
{
	for (int k = 0; k < CD_SUMMARY_N; k++)
		if (!strcmp(cd_summary_names[k], name))
			return k;
	return -1;
}

int effects_n_metrics(const struct experiment *e)
{
	return e->rq.n_metrics ? e->rq.n_metrics : N_HEADLINE;
}

const char *effects_metric_name(const struct experiment *e, int m)
{
	return e->rq.n_metrics ? e->rq.metrics[m] : headline[m];
}

/* The column of metric m's kind k, or -1 if the summary has none. */
static int kind_column(const struct experiment *e, int m, int k)
{
	const char *name = effects_metric_name(e, m);
	if (k == 0)
		return effects_metric(name);
	char col[160];
	snprintf(col, sizeof col, "%s_%s", name, kinds[k]);
	return effects_metric(col);
}

/* Threshold t: its metric's column, and the value (after '='). */
static int threshold_of(const char *text, double *x)
{
	const char *eq = strchr(text, '=');
	if (!eq || eq - text >= 160)
		return -1;
	char name[160];
	memcpy(name, text, (size_t)(eq - text));
	name[eq - text] = '\0';
	char *end;
	*x = strtod(eq + 1, &end);
	if (end == eq + 1 || *end || !isfinite(*x))
		return -1;
	return effects_metric(name);
}

int effects_check(const struct experiment *e, struct cd_diag *d)
{
	for (int m = 0; m < e->rq.n_metrics; m++)
		if (effects_metric(e->rq.metrics[m]) < 0) {
			snprintf(d->msg, sizeof d->msg,
				 "--metric %.200s: no such summary column; "
				 "allowed: a column of summary.csv (cyberdef "
				 "columns), e.g. intrusions or loss_yen",
				 e->rq.metrics[m]);
			return CD_EINVAL;
		}
	for (int t = 0; t < e->rq.n_exceed; t++) {
		double x;
		if (threshold_of(e->rq.exceed[t], &x) < 0) {
			snprintf(d->msg, sizeof d->msg,
				 "--exceed %.200s: allowed: METRIC=X, a column "
				 "of summary.csv and a finite number, e.g. "
				 "loss_yen=2e11",
				 e->rq.exceed[t]);
			return CD_EINVAL;
		}
	}
	return 0;
}

double effects_bytes(const struct experiment *e)
{
	return (2.0 * CD_SUMMARY_N + 1) * e->reps * (double)sizeof(double);
}

/* The summary metrics of arm p's replicates into v[CD_SUMMARY_N][reps]. */
static int read_arm(const struct experiment *e, const struct journal *j, int p,
		    unsigned char *rec, double *v, struct cd_diag *d)
{
	size_t reps = (size_t)e->reps;
	for (size_t r = 0; r < reps; r++) {
		if (journal_read(j, (size_t)p * reps + r, rec, d))
			return CD_EIO;
		const double *s = journal_summary(rec);
		for (size_t m = 0; m < CD_SUMMARY_N; m++)
			v[m * reps + r] = s[m];
	}
	return 0;
}

/* A field after a separator: a real, empty where undefined (csv_real
 * writes NaN so). */
static void cell(FILE *f, double x)
{
	csv_sep(f);
	csv_real(f, x);
}

void effects_paired(const double *a, const double *b, size_t reps,
		    struct effect *x)
{
	double ma = 0, mb = 0, md = 0;
	size_t n = 0;
	for (size_t r = 0; r < reps; r++)
		if (isfinite(a[r]) && isfinite(b[r])) {
			n++;
			ma += (a[r] - ma) / (double)n;
			mb += (b[r] - mb) / (double)n;
			md += (b[r] - a[r] - md) / (double)n;
		}
	double va = 0, vb = 0, vd = 0, vz = 0;
	double ratio = ma != 0 ? mb / ma : NAN;
	for (size_t r = 0; r < reps; r++)
		if (isfinite(a[r]) && isfinite(b[r])) {
			double da = a[r] - ma, db = b[r] - mb,
			       dd = b[r] - a[r] - md, z = db - ratio * da;
			va += da * da;
			vb += db * db;
			vd += dd * dd;
			vz += z * z;
		}
	*x = (struct effect){.n = n,
			     .base_mean = n ? ma : NAN,
			     .alt_mean = n ? mb : NAN,
			     .diff_mean = n ? md : NAN,
			     .diff_lo = NAN,
			     .diff_hi = NAN,
			     .rel = ratio - 1,
			     .rel_lo = NAN,
			     .rel_hi = NAN,
			     .p = NAN,
			     .var_ratio = NAN};
	if (n < 2)
		return;
	double k = 1.0 / (double)(n - 1);
	va *= k;
	vb *= k;
	vd *= k;
	vz *= k;
	double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
	double se = sqrt(vd / (double)n);
	x->diff_lo = md - t * se;
	x->diff_hi = md + t * se;
	if (vd > 0) {
		x->p = 2 * gsl_cdf_tdist_Q(fabs(md) / se, (double)(n - 1));
		x->var_ratio = (va + vb) / vd;
	}
	if (isfinite(ratio)) {
		double rse = sqrt(vz / (double)n) / fabs(ma);
		x->rel_lo = ratio - t * rse - 1;
		x->rel_hi = ratio + t * rse - 1;
	}
}

/* One row of effects.csv: alternative arm p, base values a and alt values
 * b of one column over the replicates. */
static void effect_row(FILE *f, const struct experiment *e, int p,
		       const char *metric, const char *kind, const double *a,
		       const double *b)
{
	struct effect x;
	effects_paired(a, b, (size_t)e->reps, &x);
	csv_str(f, experiment_arm(e, p));
	csv_sep(f);
	csv_str(f, metric);
	csv_sep(f);
	csv_str(f, kind);
	csv_sep(f);
	csv_int(f, (long long)x.n);
	double v[] = {x.base_mean, x.alt_mean, x.diff_mean, x.diff_lo,
		      x.diff_hi,   x.rel,      x.rel_lo,    x.rel_hi,
		      x.p,	   x.var_ratio};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cell(f, v[i]);
	csv_eol(f);
}

static void effects_header(FILE *f)
{
	static const char *const names[] = {
		"alternative", "metric",     "kind",	  "n",
		"base_mean",   "alt_mean",   "diff_mean", "diff_ci_lo",
		"diff_ci_hi",  "rel_effect", "rel_ci_lo", "rel_ci_hi",
		"p_value",     "var_ratio"};
	csv_header(f, names, sizeof names / sizeof names[0]);
}

static void tails_header(FILE *f)
{
	static const char *const names[] = {
		"arm", "metric",    "n",	"p10",	     "p50",
		"p90", "threshold", "p_exceed", "exceed_lo", "exceed_hi"};
	csv_header(f, names, sizeof names / sizeof names[0]);
}

/* The share k / n above a threshold and its 95% Wilson interval. */
static void wilson(double k, double n, double out[3])
{
	const double z = 1.959963984540054;
	double ph = k / n, z2 = z * z / n;
	double centre = (ph + z2 / 2) / (1 + z2);
	double half = z / (1 + z2) * sqrt(ph * (1 - ph) / n + z2 / (4 * n));
	out[0] = ph;
	out[1] = fmax(0, centre - half);
	out[2] = fmin(1, centre + half);
}

/* The tails.csv rows of arm p and metric column c (values x of the
 * replicates; sorted here), one per threshold of the column, or one
 * without if it has none. */
static void tail_rows(FILE *f, const struct experiment *e, int p, int c,
		      double *x, double *sorted)
{
	size_t n = 0;
	for (int r = 0; r < e->reps; r++)
		if (isfinite(x[r]))
			sorted[n++] = x[r];
	gsl_sort(sorted, 1, n);
	double q[3] = {NAN, NAN, NAN}, at[3] = {0.1, 0.5, 0.9};
	for (int k = 0; k < 3 && n; k++)
		q[k] = gsl_stats_quantile_from_sorted_data(sorted, 1, n, at[k]);
	int rows = 0;
	for (int t = 0; t <= e->rq.n_exceed; t++) {
		double thr = NAN, share[3] = {NAN, NAN, NAN};
		if (t < e->rq.n_exceed) {
			if (threshold_of(e->rq.exceed[t], &thr) != c)
				continue;
			size_t above = 0;
			for (size_t i = 0; i < n; i++)
				above += sorted[i] > thr;
			if (n)
				wilson((double)above, (double)n, share);
		} else if (rows) {
			break; /* the thresholds made its rows */
		}
		rows++;
		csv_str(f, experiment_arm(e, p));
		csv_sep(f);
		csv_str(f, cd_summary_names[c]);
		csv_sep(f);
		csv_int(f, (long long)n);
		double v[] = {q[0],	q[1],	  q[2],	   thr,
			      share[0], share[1], share[2]};
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			cell(f, v[i]);
		csv_eol(f);
	}
}

/* Whether column c is one tails.csv reports: a metric's, or a
 * threshold's. */
static int in_tails(const struct experiment *e, int c)
{
	for (int m = 0; m < effects_n_metrics(e); m++)
		if (kind_column(e, m, 0) == c)
			return 1;
	for (int t = 0; t < e->rq.n_exceed; t++) {
		double x;
		if (threshold_of(e->rq.exceed[t], &x) == c)
			return 1;
	}
	return 0;
}

int effects_write(const struct experiment *e, const struct journal *j,
		  FILE *effects, FILE *tails, struct cd_diag *d)
{
	size_t reps = (size_t)e->reps, cells = CD_SUMMARY_N * reps;
	double *base = malloc(cells * sizeof *base),
	       *alt = malloc(cells * sizeof *alt),
	       *sorted = malloc(reps * sizeof *sorted);
	unsigned char *rec = malloc(j->record);
	int rc = base && alt && sorted && rec ? 0 : CD_ENOMEM;
	if (rc)
		snprintf(d->msg, sizeof d->msg, "comparison: out of memory");
	effects_header(effects);
	tails_header(tails);
	for (int p = 0; !rc && p < e->n_points; p++) {
		double *v = p ? alt : base;
		rc = read_arm(e, j, p, rec, v, d);
		for (int m = 0; !rc && p && m < effects_n_metrics(e); m++)
			for (int k = 0; k < N_KINDS; k++) {
				int c = kind_column(e, m, k);
				if (c >= 0)
					effect_row(effects, e, p,
						   effects_metric_name(e, m),
						   kinds[k],
						   base + (size_t)c * reps,
						   v + (size_t)c * reps);
			}
		for (int c = 0; !rc && c < CD_SUMMARY_N; c++)
			if (in_tails(e, c))
				tail_rows(tails, e, p, c, v + (size_t)c * reps,
					  sorted);
	}
	free(base);
	free(alt);
	free(sorted);
	free(rec);
	return rc;
}
