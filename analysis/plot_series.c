/* plot_series: the charts of daily metrics (plot_prep.h): a sweep's
 * timeseries_points.csv (each point's national total, mean over its runs
 * and 95% band) and a run's timeseries.csv (the national value of each
 * day, made from the segments' rows). Units, titles and how a national
 * value is made come from the daily columns (analysis/metrics.h:
 * cd_kept_columns, cd_timeseries_columns); a column the table does not
 * know is summed and shown without a unit.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/metrics.h"
#include "analysis/plot_prep.h"

#define PLOT_AUTO_POINTS 5   /* more sweep points than this: pick some */
#define PLOT_PICKED_POINTS 4 /* how many */

/* How one national value per day of `metric` is made (enum cd_agg). */
static int agg_of(const struct cd_column *table, const char *metric)
{
	const struct cd_column *c = cd_column_find(table, metric);
	return c ? c->agg : CD_AGG_SUM;
}

/* The title (its head from the table's meaning, then subtitle), the axis
 * texts and each panel's unit per day from the table. */
static void series_text(struct prep *P, const struct cd_column *table,
			const char *subtitle)
{
	const struct cd_column *c = cd_column_find(table, P->metric[0]);
	char head[512];
	if (P->n_metrics > 1)
		snprintf(head, sizeof head, "Daily metrics");
	else if (c)
		snprintf(head, sizeof head, "%s: %s", c->name, c->help);
	else
		snprintf(head, sizeof head, "%s per day", P->metric[0]);
	snprintf(P->title, sizeof P->title, "%s\n%s", head, subtitle);
	snprintf(P->xlabel, sizeof P->xlabel, "day");
	snprintf(P->mean, sizeof P->mean, "mean");
	P->tx.xlabel = P->xlabel;
	P->tx.mean_title = P->mean;
	P->tx.n_panels = P->n_metrics;
	for (int m = 0; m < P->n_metrics; m++) {
		c = cd_column_find(table, P->metric[m]);
		/* snprintf, not unit[m][0] = 0: GCC 12's LTO warns of that
		 * store past the array it cannot bound (n_metrics <=
		 * PLOT_MAX_METRICS, plot_pick_metrics). */
		snprintf(P->unit[m], sizeof P->unit[m], "%s", "");
		if (c)
			cd_column_daily_unit(c, P->unit[m], sizeof P->unit[m]);
		P->tx.metric[m] = P->metric[m];
		P->tx.unit[m] = P->unit[m];
	}
}

/* ---- timeseries_points.csv ----------------------------------------------- */

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Some of the n_ids points, spread over them, into want; says which. */
static int spread_points(struct prep *P, const long *ids, size_t n_ids,
			 long *want)
{
	int n = 0;
	for (size_t i = 0; i < PLOT_PICKED_POINTS; i++)
		want[n++] = ids[i * (n_ids - 1) / (PLOT_PICKED_POINTS - 1)];
	plot_buf_printf(&P->note, "drawing %d of the %zu points (", n, n_ids);
	for (int i = 0; i < n; i++)
		plot_buf_printf(&P->note, "%s%ld", i ? ", " : "", want[i]);
	plot_buf_printf(&P->note, "); choose others with --point");
	return n;
}

/* Chooses the sweep points to draw from the sorted, distinct ids[]:
 * --point, or all, or some spread over them. Returns the number, or -1
 * after a message. */
static int pick_points(struct prep *P, const long *ids, size_t n_ids,
		       long *want)
{
	const struct plot_opts *o = P->o;
	int n = 0;
	if (!o->n_points && n_ids > PLOT_AUTO_POINTS)
		return spread_points(P, ids, n_ids, want);
	for (int i = 0; i < o->n_points; i++) {
		if (!bsearch(&o->point[i], ids, n_ids, sizeof *ids, cmp_long)) {
			plot_bad(P,
				 "%s: no point %ld; the file has points %ld "
				 "to %ld",
				 P->t->name, o->point[i], ids[0],
				 ids[n_ids - 1]);
			return -1;
		}
		want[n++] = o->point[i];
	}
	for (size_t i = 0; !o->n_points && i < n_ids; i++)
		want[n++] = ids[i];
	return n;
}

/* Every row's (point, day) into P->keys; the distinct points into ids. */
static int point_days(struct prep *P, long *ids, size_t *n_ids)
{
	size_t cpoint = (size_t)plot_col(P, "point");
	size_t cday = (size_t)plot_col(P, "day");
	for (size_t r = 1; r <= P->t->nrows; r++) {
		double p, d;
		int rc;
		if ((rc = plot_num_at(P, r, cpoint, &p)) ||
		    (rc = plot_num_at(P, r, cday, &d)))
			return rc;
		if (!(p >= 0 && p < 1e9 && p == floor(p)) ||
		    !(d >= 0 && d < 1e9 && d == floor(d))) {
			char b1[80], b2[80];
			return plot_bad(P,
					"%s:%zu: point and day must be whole "
					"numbers, got '%s' and '%s'",
					P->t->name, P->t->line[r],
					plot_excerpt(plot_cell(P, r, cpoint),
						     b1, sizeof b1),
					plot_excerpt(plot_cell(P, r, cday), b2,
						     sizeof b2));
		}
		ids[r - 1] = (long)p;
		P->keys[r - 1] = (struct row_key){p, d, r};
	}
	qsort(ids, P->t->nrows, sizeof *ids, cmp_long);
	size_t u = 0;
	for (size_t i = 0; i < P->t->nrows; i++)
		if (u == 0 || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	*n_ids = u;
	if (!u)
		return plot_bad(P, "%s: no rows", P->t->name);
	return 0;
}

/* Keeps the rows of the points drawn, as series in --point order, each
 * with its legend title. */
static int keep_points(struct prep *P, const long *want, int n_want)
{
	size_t kept = 0;
	for (size_t i = 0; i < P->t->nrows; i++) {
		struct row_key k = P->keys[i];
		int g = 0;
		while (g < n_want && (double)want[g] != k.group)
			g++;
		if (g == n_want)
			continue;
		k.group = g;
		P->keys[kept++] = k;
	}
	P->n_keys = kept;
	qsort(P->keys, P->n_keys, sizeof *P->keys, plot_cmp_row_keys);
	int rc = 0;
	for (size_t i = 0; i < P->n_keys && !rc; i++)
		if (i == 0 || P->keys[i].group != P->keys[i - 1].group)
			rc = plot_add_group(P, P->keys[i].row, NULL);
	return rc;
}

/* The points to draw, as series of P->keys. */
static int sweep_rows(struct prep *P)
{
	long *ids = malloc((P->t->nrows + 1) * sizeof *ids),
	     want[PLOT_MAX_POINTS];
	size_t n_ids = 0;
	int n_want = -1, rc;
	if (!ids)
		return plot_oom(P);
	if (!(rc = point_days(P, ids, &n_ids)) &&
	    (n_want = pick_points(P, ids, n_ids, want)) < 0)
		rc = CD_EINVAL;
	free(ids);
	return rc ? rc : keep_points(P, want, n_want);
}

int plot_prep_sweep_series(struct prep *P)
{
	long cpoint = plot_col(P, "point"), cday = plot_col(P, "day");
	int rc;
	if (cpoint < 0 || cday < 0)
		return plot_bad(P,
				"%s: no column '%s'; expected the "
				"timeseries_points.csv of `cyberdef sweep`",
				P->t->name, cpoint < 0 ? "point" : "day");
	if ((rc = plot_sweep_metrics(P)) || (rc = plot_varied_columns(P)) ||
	    (rc = plot_pick_metrics(P, "daily metric")) ||
	    (rc = plot_alloc_keys(P)))
		return rc;
	plot_stat_columns(P);
	if ((rc = sweep_rows(P)) || (rc = plot_require_metrics(P)) ||
	    (rc = plot_write_rows(P)))
		return rc;
	series_text(P, cd_kept_columns,
		    "national total: mean over each sweep point's runs with "
		    "its 95% confidence interval");
	P->tx.bands = 1;
	P->j->kind = "timeseries_points";
	return 0;
}

/* ---- a run's timeseries.csv ---------------------------------------------- */

/* One national value: the sum, mean or maximum of the segments' values. */
static void add_value(double *acc, size_t *seen, double v, int agg)
{
	if (isnan(v))
		return;
	if (!(*seen)++)
		*acc = v;
	else if (agg == CD_AGG_MAX)
		*acc = v > *acc ? v : *acc;
	else
		*acc += v;
}

/* Writes one line per day: the national value of each metric, from the
 * segments' rows accumulated in day order. */
static int write_days(struct prep *P)
{
	const int n = P->n_metrics;
	int agg[PLOT_MAX_METRICS] = {0};
	for (int m = 0; m < n; m++)
		agg[m] = agg_of(cd_timeseries_columns, P->metric[m]);
	for (size_t i = 0; i < P->n_keys;) {
		double acc[PLOT_MAX_METRICS] = {0}, day = P->keys[i].x, v;
		size_t seen[PLOT_MAX_METRICS] = {0};
		for (; i < P->n_keys && P->keys[i].x == day; i++)
			for (int m = 0; m < n; m++) {
				int rc = plot_num_at(P, P->keys[i].row,
						     P->cols[m], &v);
				if (rc)
					return rc;
				add_value(&acc[m], &seen[m], v, agg[m]);
			}
		plot_put_num(P->data, day);
		for (int m = 0; m < n; m++) {
			double mean = seen[m] ? acc[m] / (double)seen[m] : NAN;
			csv_sep(P->data);
			plot_put_num(P->data, !seen[m]		      ? NAN
					      : agg[m] == CD_AGG_MEAN ? mean
								      : acc[m]);
		}
		fputc('\n', P->data);
	}
	return 0;
}

/* Every row's day into P->keys, in order of day. */
static int run_days(struct prep *P)
{
	size_t cday = (size_t)plot_col(P, "day");
	int rc = plot_alloc_keys(P);
	for (size_t r = 1; r <= P->t->nrows && !rc; r++) {
		double d;
		char buf[80];
		if ((rc = plot_num_at(P, r, cday, &d)))
			break;
		if (!(d >= 0 && d < 1e9 && d == floor(d)))
			return plot_bad(P,
					"%s:%zu: day must be a whole number, "
					"got '%s'",
					P->t->name, P->t->line[r],
					plot_excerpt(plot_cell(P, r, cday), buf,
						     sizeof buf));
		P->keys[P->n_keys++] = (struct row_key){0, d, r};
	}
	if (!rc && !P->n_keys)
		return plot_bad(P, "%s: no rows", P->t->name);
	if (!rc)
		qsort(P->keys, P->n_keys, sizeof *P->keys, plot_cmp_row_keys);
	return rc;
}

/* What the segments' values of a metric aggregated by agg make. */
static const char *how_national(int agg)
{
	return agg == CD_AGG_MEAN  ? "mean over segments"
	       : agg == CD_AGG_MAX ? "any segment"
				   : "";
}

/* The texts: the title and each panel's unit, with how the segments
 * combine. */
static void run_text(struct prep *P)
{
	/* The file's path in the title: shown, never refused (sanitized). */
	char path[PLOT_PATH_MAX], sub[PLOT_PATH_MAX + 64];
	snprintf(path, sizeof path, "%s", P->t->name);
	plot_text_sanitize(path, 0);
	const char *how =
		how_national(agg_of(cd_timeseries_columns, P->metric[0]));
	if (P->n_metrics > 1)
		snprintf(sub, sizeof sub, "one run, national values from %s",
			 path);
	else
		snprintf(sub, sizeof sub, "one run, %s, from %s",
			 *how ? how : "national total", path);
	series_text(P, cd_timeseries_columns, sub);
	for (int m = 0; m < P->n_metrics; m++) {
		how = how_national(agg_of(cd_timeseries_columns, P->metric[m]));
		size_t len = strlen(P->unit[m]);
		snprintf(P->unit[m] + len, sizeof P->unit[m] - len, "%s%s",
			 len && *how ? ", " : "", how);
	}
}

/* The metrics of a run's file: every column but day, segment and kind. */
static int run_metrics(struct prep *P)
{
	const csv_table *t = P->t;
	P->avail.v = malloc((t->ncols + 1) * sizeof *P->avail.v);
	if (!P->avail.v)
		return plot_oom(P);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = plot_cell(P, 0, c);
		if (strcmp(h, "day") && strcmp(h, "segment") &&
		    strcmp(h, "kind"))
			P->avail.v[P->avail.n++] = h;
	}
	return 0;
}

int plot_prep_run_series(struct prep *P)
{
	int rc;
	if (plot_col(P, "day") < 0)
		return plot_bad(P,
				"%s: no column 'day'; expected the "
				"timeseries.csv of `cyberdef run`",
				P->t->name);
	if ((rc = run_metrics(P)) ||
	    (rc = plot_pick_metrics(P, "daily metric")))
		return rc;
	P->n_cols = P->n_metrics;
	for (int m = 0; m < P->n_metrics; m++)
		P->cols[m] = (size_t)plot_col(P, P->metric[m]);
	if ((rc = run_days(P)) || (rc = plot_require_metrics(P)) ||
	    (rc = write_days(P)))
		return rc;
	if (plot_strs_add(&P->groups, ""))
		return plot_oom(P);
	run_text(P);
	P->j->kind = "timeseries";
	return 0;
}
