/* plot_points: the chart of a sweep's points.csv (plot_prep.h): each
 * metric's mean against a varied setting, with its 95% confidence band,
 * one line per value of the other varied settings. Units and titles come
 * from the summary columns (analysis/metrics.h: cd_summary_columns) and
 * the scenario schema (a setting's unit).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/metrics.h"
#include "analysis/plot_prep.h"
#include "params/schema.h"

/* The unit of scenario setting `path` (e.g. "won.share_rate" gives
 * "probability"), or NULL if unknown or unitless. Cannot fail. */
static const char *setting_unit(const char *path)
{
	const struct schema_field *f = schema_field_at(path);
	return f && f->unit && *f->unit ? f->unit : NULL;
}

/* Writes `help` up to its first " (" or ";", with a capital first letter. */
static void title_from_help(char *buf, size_t size, const char *help)
{
	size_t n = strcspn(help, "(;");
	while (n > 0 && help[n - 1] == ' ')
		n--;
	snprintf(buf, size, "%.*s", (int)n, help);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* The x axis: a varied setting (or the point id when none); its values
 * are categories when they are not all numbers. */
static int pick_x(struct prep *P)
{
	const char *want = P->o->x;
	P->xcol = P->varied.n ? P->varied.v[0] : "point";
	if (want && strcmp(want, "point")) {
		long k = plot_pick_name(P, &P->varied, want, "varied setting");
		if (k < 0)
			return CD_EINVAL;
		P->xcol = P->varied.v[k];
	} else if (want) {
		P->xcol = "point";
	}
	P->cx = (size_t)plot_col(P, P->xcol);
	P->xcat = 0;
	for (size_t r = 1; r <= P->t->nrows; r++) {
		double v;
		if (plot_parse_num(plot_cell(P, r, P->cx), &v) || !isfinite(v))
			P->xcat = 1;
	}
	return 0;
}

/* The index of row r's x value among the categories (adding it). */
static int category_of(struct prep *P, size_t r, double *x)
{
	const char *v;
	int rc = plot_cell_text(P, r, P->cx, &v);
	if (rc)
		return rc;
	size_t k = 0;
	while (k < P->cats.n && strcmp(P->cats.v[k], v))
		k++;
	if (k == P->cats.n && plot_strs_add(&P->cats, v))
		return plot_oom(P);
	*x = (double)k;
	return 0;
}

/* The series of row r among the first rows `first` of the n series so
 * far: rows with equal values of the varied settings other than x. */
static size_t series_of(const struct prep *P, size_t r, const size_t *first,
			size_t n)
{
	size_t g = 0;
	for (; g < n; g++) {
		size_t i = 0;
		for (; i < P->varied.n; i++) {
			size_t c = (size_t)plot_col(P, P->varied.v[i]);
			if (c != P->cx && strcmp(plot_cell(P, r, c),
						 plot_cell(P, first[g], c)))
				break;
		}
		if (i == P->varied.n)
			break;
	}
	return g;
}

/* Series: rows with equal values of the other varied settings, in order
 * of first appearance; within a series, rows by x. */
static int points_series(struct prep *P)
{
	const csv_table *t = P->t;
	int rc = plot_alloc_keys(P);
	if (rc)
		return rc;
	size_t *first = malloc((t->nrows + 1) * sizeof *first);
	if (!first)
		return plot_oom(P);
	size_t n_groups = 0;
	for (size_t r = 1; r <= t->nrows && !rc; r++) {
		size_t g = series_of(P, r, first, n_groups);
		if (g == n_groups)
			first[n_groups++] = r;
		double x = 0;
		if (P->xcat)
			rc = category_of(P, r, &x);
		else
			(void)plot_parse_num(plot_cell(P, r, P->cx), &x);
		P->keys[P->n_keys++] = (struct row_key){(double)g, x, r};
	}
	if (!rc)
		qsort(P->keys, P->n_keys, sizeof *P->keys, plot_cmp_row_keys);
	if (!rc && n_groups == 1 && plot_strs_add(&P->groups, ""))
		rc = plot_oom(P); /* one series: the legend says "mean" */
	for (size_t g = 0; g < n_groups && n_groups > 1 && !rc; g++)
		rc = plot_add_group(P, first[g], P->xcol);
	free(first);
	return rc;
}

/* "mean of N runs" when every row has the same whole number of runs. */
static void runs_text(struct prep *P)
{
	long c = plot_col(P, "runs");
	double runs = NAN, v;
	for (size_t r = 1; c >= 0 && r <= P->t->nrows; r++) {
		if (plot_parse_num(plot_cell(P, r, (size_t)c), &v) ||
		    !(v >= 1) || v > 1e15 || v != floor(v) ||
		    (r > 1 && v != runs)) {
			runs = NAN;
			break;
		}
		runs = v;
	}
	if (isfinite(runs))
		snprintf(P->mean, sizeof P->mean, "mean of %.0f runs", runs);
	else
		snprintf(P->mean, sizeof P->mean, "mean over runs");
}

/* The texts: axis labels, units from the summary columns, the title. */
static void points_text(struct prep *P)
{
	const char *unit = setting_unit(P->xcol);
	snprintf(P->xlabel, sizeof P->xlabel, "%s%s%s%s", P->xcol,
		 unit ? " (" : "", unit ? unit : "", unit ? ")" : "");
	runs_text(P);
	P->tx.n_panels = P->n_metrics;
	for (int m = 0; m < P->n_metrics; m++) {
		const struct cd_column *c =
			cd_column_find(cd_summary_columns, P->metric[m]);
		P->tx.metric[m] = P->metric[m];
		P->tx.unit[m] = c ? c->unit : "";
	}
	char head[512];
	const struct cd_column *c =
		cd_column_find(cd_summary_columns, P->metric[0]);
	if (P->n_metrics == 1 && c)
		title_from_help(head, sizeof head, c->help);
	else
		snprintf(head, sizeof head, "%s",
			 P->n_metrics == 1 ? P->metric[0] : "Sweep results");
	snprintf(P->title, sizeof P->title,
		 "%s against %s\n%s per point with its 95%% confidence "
		 "interval",
		 head, P->xcol, P->mean);
	P->tx.xlabel = P->xlabel;
	P->tx.mean_title = P->mean;
	P->tx.xcat = P->xcat;
	P->tx.bands = 1;
}

int plot_prep_points(struct prep *P)
{
	int rc;
	if (plot_col(P, "point") < 0)
		return plot_bad(P,
				"%s: no column 'point'; expected the "
				"points.csv of `cyberdef sweep`",
				P->t->name);
	if ((rc = plot_sweep_metrics(P)) || (rc = plot_varied_columns(P)) ||
	    (rc = plot_pick_metrics(P, "metric")) || (rc = pick_x(P)))
		return rc;
	plot_stat_columns(P);
	for (int c = 0; c < P->n_cols; c++)
		for (size_t r = 1; r <= P->t->nrows; r++) {
			double v;
			if ((rc = plot_num_at(P, r, P->cols[c], &v)))
				return rc;
		}
	if ((rc = points_series(P)) || (rc = plot_require_metrics(P)) ||
	    (rc = plot_write_rows(P)))
		return rc;
	points_text(P);
	P->j->kind = "points";
	return 0;
}
