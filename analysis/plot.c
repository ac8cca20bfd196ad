/* plot: the preparation of a chart's numbers and texts from one CSV file
 * (analysis/plot.h): the checks, the metrics and rows, and the job;
 * plot_points.c and plot_series.c prepare each kind of file, plot_load
 * (plot_source.c) reads it, and the command layer runs gnuplot on the job
 * (sim/cmd/plot_gnuplot.c).
 *
 * No text from a data file or an option can reach gnuplot as code, by
 * construction. The files plotted may come from anyone (a points.csv sent
 * by a colleague), and gnuplot is a programming language: inside its
 * double-quoted strings it runs `backquoted` shell commands and expands \
 * escapes, and on a command line it expands @macros. So:
 *   - gnuplot's command line (-e) holds only assignments of numbers to
 *     names chosen here ("npanels=2; mark_x1=0.304; "): plot_encode.c,
 *     its only writer, has no function that could write a string into
 *     it;
 *   - the scripts are the constant ones compiled in (the .gp files of
 *     analysis/: plot_points.gp, plot_timeseries.gp, ...), which use no
 *     macro, eval, load or system; the chart's path is not given to
 *     gnuplot either: it writes to its
 *     standard output, a file the command opens, and runs in a private
 *     directory on two files of numbers made here, data.csv (the values
 *     to draw) and labels.csv;
 *   - every text shown (title, axis labels, metric and setting names,
 *     legend entries, mark labels, category names) is in labels.csv as
 *     the decimal values of its bytes, one "LABEL,BYTE" line each, and
 *     the scripts rebuild it with sprintf("%c", BYTE): gnuplot reads it
 *     as numbers and only ever shows it, with enhanced text off
 *     (noenhanced), so ` $( " ' \ @ % ^ _ { } & ~ show as typed.
 * Alternatives, tested against gnuplot 5.4.4: single-quoted strings in -e
 * do turn off backquote substitution and \ escapes, and @ is not expanded
 * inside quotes; but that safety rests on gnuplot's quote tracking
 * agreeing with ours for every input (one ' left unpaired and the rest of
 * the line is code again), while a number cannot be misread. Labels read
 * as strings from a data file (strcol, columnhead) are not code either,
 * but gnuplot's data reader cuts them at a '"' and expands \ escapes in
 * them (ab"cd reads as ab, a\nb as two lines), so they would not show as
 * written. The chart's default name is made of the metrics' names with
 * every byte but [A-Za-z0-9.-] made '_' (plot_chart_path), so a column
 * name cannot send the chart elsewhere either.
 *
 * What is refused, as bad input (CD_EINVAL) with a message naming the
 * file, line and column (or the option), is only what cannot be shown as
 * it is (plot_text_check, plot.h): text that is not UTF-8, control
 * characters (tab, CR, ESC, ...), line breaks (except up to 3 in
 * --title), quotes in a column name, and over-long text. Everything else
 * is shown literally.
 */
#define _POSIX_C_SOURCE 200809L
#include "analysis/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/plot_prep.h"
#include "params/schema.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/* The statistics a sweep writes per metric: M_mean, M_sd, ... */
static const char *const stat_suffixes[] = {"_mean", "_sd", "_ci_lo", "_ci_hi",
					    "_median"};
#define N_STAT_SUFFIXES (sizeof stat_suffixes / sizeof stat_suffixes[0])

static int is_stat_column(const char *name)
{
	for (size_t k = 0; k < N_STAT_SUFFIXES; k++)
		if (ends_with(name, stat_suffixes[k]))
			return 1;
	return 0;
}

/* ---- messages ------------------------------------------------------------ */

static void vmore(struct cd_diag *d, const char *fmt, va_list ap)
{
	size_t len = strlen(d->msg), size = sizeof d->msg;
	int n = vsnprintf(d->msg + len, size - len, fmt, ap);
	if (n >= 0 && (size_t)n < size - len)
		return;
	/* full: end with "..." at the start of a UTF-8 character */
	size_t at = size - 4;
	while (at > 0 && ((unsigned char)d->msg[at] & 0xc0) == 0x80)
		at--;
	memcpy(d->msg + at, "...", 4);
}

void plot_more(struct prep *P, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmore(P->d, fmt, ap);
	va_end(ap);
}

int plot_bad(struct prep *P, const char *fmt, ...)
{
	va_list ap;
	P->d->msg[0] = '\0';
	va_start(ap, fmt);
	vmore(P->d, fmt, ap);
	va_end(ap);
	return CD_EINVAL;
}

int plot_oom(struct prep *P)
{
	snprintf(P->d->msg, sizeof P->d->msg, "out of memory");
	return CD_ENOMEM;
}

const char *plot_excerpt(const char *s, char *buf, size_t size)
{
	char why[128];
	size_t len = strlen(s), n = 0;
	if (len <= 60 && !plot_text_check(s, PLOT_TEXT_VALUE, why, sizeof why))
		return s;
	for (; n + 4 < size && n < 60 && s[n]; n++)
		buf[n] = (char)(s[n] >= 0x20 && s[n] < 0x7f ? s[n] : 0x3f);
	snprintf(buf + n, size - n, "%s", s[n] ? "..." : "");
	return buf;
}

/* ---- cells --------------------------------------------------------------- */

int plot_parse_num(const char *s, double *v)
{
	if (!*s) {
		*v = NAN;
		return 0;
	}
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (end == s || *end) {
		*v = NAN;
		return -1;
	}
	*v = x;
	return 0;
}

void plot_put_num(FILE *f, double v)
{
	if (isfinite(v))
		csv_real(f, v);
	else
		fputs("NaN", f);
}

const char *plot_cell(const struct prep *P, size_t row, size_t col)
{
	return csv_table_cell(P->t, row, col);
}

long plot_col(const struct prep *P, const char *name)
{
	return csv_table_column(P->t, name);
}

int plot_num_at(struct prep *P, size_t r, size_t c, double *v)
{
	char buf[80];
	if (plot_parse_num(plot_cell(P, r, c), v))
		return plot_bad(
			P, "%s:%zu: column %s: '%s' is not a number",
			P->t->name, P->t->line[r], plot_cell(P, 0, c),
			plot_excerpt(plot_cell(P, r, c), buf, sizeof buf));
	return 0;
}

int plot_cell_text(struct prep *P, size_t r, size_t c, const char **text)
{
	char why[128];
	*text = plot_cell(P, r, c);
	if (plot_text_check(*text, PLOT_TEXT_VALUE, why, sizeof why))
		return plot_bad(P, "%s:%zu: column %zu (%s): the value %s; %s",
				P->t->name, P->t->line[r], c + 1,
				plot_cell(P, 0, c), why,
				plot_text_allowed(PLOT_TEXT_VALUE));
	return 0;
}

int plot_strs_add(struct strs *s, const char *text)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 16;
		char **bigger = realloc(s->v, ncap * sizeof *bigger);
		if (!bigger)
			return -1;
		s->v = bigger;
		s->cap = ncap;
	}
	char *copy = strdup(text);
	if (!copy)
		return -1;
	s->v[s->n++] = copy;
	return 0;
}

static void strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static void names_free(struct names *v)
{
	free(v->v);
	free(v->pool);
	v->v = NULL;
	v->pool = NULL;
}

/* ---- the options and the header ------------------------------------------ */

/* Every column name may be shown (as a metric, a setting, a legend
 * entry), so every one must be text that can be: checked first, so that
 * later messages may print them. */
static int check_header(struct prep *P)
{
	char why[128];
	for (size_t c = 0; c < P->t->ncols; c++)
		if (plot_text_check(plot_cell(P, 0, c), PLOT_TEXT_NAME, why,
				    sizeof why))
			return plot_bad(P, "%s:%zu: column %zu name %s; %s",
					P->t->name, P->t->line[0], c + 1, why,
					plot_text_allowed(PLOT_TEXT_NAME));
	return 0;
}

static int cmp_marks(const void *a, const void *b)
{
	double x = ((const struct plot_mark *)a)->x;
	double y = ((const struct plot_mark *)b)->x;
	return (x > y) - (x < y);
}

/* Checks the option texts, and puts the marks in order of x. */
static int check_options(struct prep *P)
{
	const struct plot_opts *o = P->o;
	char why[128];
	if (o->n_metrics < 0 || o->n_metrics > PLOT_MAX_METRICS ||
	    o->n_marks < 0 || o->n_marks > PLOT_MAX_MARKS || o->n_points < 0 ||
	    o->n_points > PLOT_MAX_POINTS)
		return plot_bad(P, "internal error: too many options");
	if (o->title &&
	    plot_text_check(o->title, PLOT_TEXT_TITLE, why, sizeof why))
		return plot_bad(P, "--title: the text %s; %s", why,
				plot_text_allowed(PLOT_TEXT_TITLE));
	for (int i = 0; i < o->n_marks; i++) {
		P->mark[i] = o->mark[i];
		if (!isfinite(o->mark[i].x) || !o->mark[i].label)
			return plot_bad(P, "--mark: X must be a finite number");
		if (plot_text_check(o->mark[i].label, PLOT_TEXT_LABEL, why,
				    sizeof why))
			return plot_bad(P, "--mark %.17g=...: the label %s; %s",
					o->mark[i].x, why,
					plot_text_allowed(PLOT_TEXT_LABEL));
	}
	qsort(P->mark, (size_t)o->n_marks, sizeof *P->mark, cmp_marks);
	return 0;
}

/* ---- choosing metrics and settings --------------------------------------- */

/* Appends the available names to the message, wrapped, after
 * "  available: ". */
static void print_names(struct prep *P, const struct names *av)
{
	size_t at = 13;
	plot_more(P, "\n  available:");
	for (size_t i = 0; i < av->n; i++) {
		size_t len = strlen(av->v[i]) + 2;
		if (at + len > 78 && i > 0) {
			plot_more(P, "\n   ");
			at = 3;
		}
		plot_more(P, " %s%s", av->v[i], i + 1 < av->n ? "," : "");
		at += len;
	}
}

long plot_pick_name(struct prep *P, const struct names *av, const char *want,
		    const char *what)
{
	for (size_t i = 0; i < av->n; i++)
		if (!strcmp(av->v[i], want))
			return (long)i;
	size_t lw = strlen(want);
	for (size_t k = 0; k < N_STAT_SUFFIXES; k++) {
		size_t lk = strlen(stat_suffixes[k]);
		if (!ends_with(want, stat_suffixes[k]))
			continue;
		for (size_t i = 0; i < av->n; i++)
			if (strlen(av->v[i]) == lw - lk &&
			    !strncmp(av->v[i], want, lw - lk))
				return (long)i;
	}
	char buf[80];
	const char *best = schema_suggest(want, av->v, (int)av->n);
	plot_bad(P, "%s: no %s '%s'", P->t->name, what,
		 plot_excerpt(want, buf, sizeof buf));
	if (best)
		plot_more(P, "; did you mean '%s'?", best);
	if (av->n)
		print_names(P, av);
	else
		plot_more(P, "\n  the file has no %s columns", what);
	return -1;
}

int plot_sweep_metrics(struct prep *P)
{
	const csv_table *t = P->t;
	struct names *av = &P->avail;
	size_t bytes = 0;
	for (size_t c = 0; c < t->ncols; c++)
		bytes += strlen(plot_cell(P, 0, c)) + 1;
	av->n = 0;
	av->v = malloc((t->ncols + 1) * sizeof *av->v);
	av->pool = malloc(bytes + 1);
	if (!av->v || !av->pool)
		return plot_oom(P);
	char *p = av->pool, name[1024];
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = plot_cell(P, 0, c);
		int len = (int)strlen(h) - 5;
		if (!ends_with(h, "_mean") || len + 10 > (int)sizeof name)
			continue;
		snprintf(name, sizeof name, "%.*s_ci_lo", len, h);
		if (plot_col(P, name) < 0)
			continue;
		snprintf(name, sizeof name, "%.*s_ci_hi", len, h);
		if (plot_col(P, name) < 0)
			continue;
		memcpy(p, h, (size_t)len);
		p[len] = '\0';
		av->v[av->n++] = p;
		p += len + 1;
	}
	return 0;
}

void plot_stat_columns(struct prep *P)
{
	static const char *const sfx[3] = {"_mean", "_ci_lo", "_ci_hi"};
	char name[1024];
	P->n_cols = 3 * P->n_metrics;
	for (int m = 0; m < P->n_metrics; m++)
		for (int k = 0; k < 3; k++) {
			snprintf(name, sizeof name, "%s%s", P->metric[m],
				 sfx[k]);
			P->cols[3 * m + k] = (size_t)plot_col(P, name);
		}
}

int plot_varied_columns(struct prep *P)
{
	struct names *v = &P->varied;
	v->n = 0;
	v->v = malloc((P->t->ncols + 1) * sizeof *v->v);
	if (!v->v)
		return plot_oom(P);
	for (size_t c = 0; c < P->t->ncols; c++) {
		const char *h = plot_cell(P, 0, c);
		if (strcmp(h, "point") && strcmp(h, "runs") &&
		    strcmp(h, "day") && !is_stat_column(h))
			v->v[v->n++] = h;
	}
	return 0;
}

int plot_pick_metrics(struct prep *P, const char *what)
{
	const struct plot_opts *o = P->o;
	int n = 0;
	for (int i = 0; i < o->n_metrics; i++) {
		long k = plot_pick_name(P, &P->avail, o->metric[i], what);
		if (k < 0)
			return CD_EINVAL;
		P->metric[n++] = P->avail.v[k];
	}
	if (!n) {
		if (!P->avail.n)
			return plot_bad(P, "%s: no %s columns", P->t->name,
					what);
		P->metric[n++] = P->avail.v[0];
		for (size_t i = 0; i < P->avail.n; i++)
			if (!strcmp(P->avail.v[i], "intrusions"))
				P->metric[0] = P->avail.v[i];
	}
	P->n_metrics = n;
	char *names = P->j->metrics;
	size_t size = sizeof P->j->metrics;
	names[0] = '\0';
	for (int m = 0; m < n; m++) {
		size_t len = strlen(names);
		snprintf(names + len, size - len, "%s%s", m ? "_" : "",
			 P->metric[m]);
	}
	return 0;
}

/* Checks that data column c has a number in some row of P->keys. */
static int require_values(struct prep *P, size_t c, const char *metric)
{
	for (size_t i = 0; i < P->n_keys; i++) {
		double v;
		if (!plot_parse_num(plot_cell(P, P->keys[i].row, c), &v) &&
		    isfinite(v))
			return 0;
	}
	return plot_bad(P,
			"%s: metric '%s' has no values (column %s is empty); "
			"nothing to draw",
			P->t->name, metric, plot_cell(P, 0, c));
}

int plot_require_metrics(struct prep *P)
{
	int per = P->n_cols / P->n_metrics, rc = 0;
	for (int m = 0; m < P->n_metrics && !rc; m++)
		rc = require_values(P, P->cols[per * m], P->metric[m]);
	return rc;
}

/* ---- rows and series ----------------------------------------------------- */

int plot_cmp_row_keys(const void *a, const void *b)
{
	const struct row_key *p = a, *q = b;
	if (p->group != q->group)
		return p->group < q->group ? -1 : 1;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->row > q->row) - (p->row < q->row);
}

int plot_alloc_keys(struct prep *P)
{
	P->keys = malloc((P->t->nrows + 1) * sizeof *P->keys);
	return P->keys ? 0 : plot_oom(P);
}

int plot_add_group(struct prep *P, size_t r, const char *skip)
{
	struct plot_buf gt = {0};
	const char *v;
	int rc = 0;
	for (size_t i = 0; i < P->varied.n && !rc; i++) {
		const char *name = P->varied.v[i];
		if (skip && !strcmp(name, skip))
			continue;
		rc = plot_cell_text(P, r, (size_t)plot_col(P, name), &v);
		if (!rc)
			plot_buf_printf(&gt, "%s%s=%s", gt.len ? ", " : "",
					name, v);
	}
	long cp = plot_col(P, "point");
	if (!rc && !gt.len && cp >= 0 &&
	    !(rc = plot_cell_text(P, r, (size_t)cp, &v)))
		plot_buf_printf(&gt, "point %s", v);
	if (!rc && (gt.oom || plot_strs_add(&P->groups, gt.s ? gt.s : "")))
		rc = plot_oom(P);
	free(gt.s);
	return rc;
}

int plot_write_rows(struct prep *P)
{
	for (size_t i = 0; i < P->n_keys; i++) {
		const struct row_key *k = &P->keys[i];
		if (i > 0 && k->group != k[-1].group)
			fputs("\n\n", P->data);
		plot_put_num(P->data, k->x);
		for (int c = 0; c < P->n_cols; c++) {
			double v;
			int rc = plot_num_at(P, k->row, P->cols[c], &v);
			if (rc)
				return rc;
			csv_sep(P->data);
			plot_put_num(P->data, v);
		}
		fputc('\n', P->data);
	}
	return 0;
}

/* ---- the job ------------------------------------------------------------- */

static void prep_free(struct prep *P)
{
	if (P->data)
		(void)fclose(P->data);
	free(P->data_buf);
	free(P->note.s);
	names_free(&P->avail);
	names_free(&P->varied);
	free(P->keys);
	strs_free(&P->groups);
	strs_free(&P->cats);
}

/* Ends the data file, moving it into the job. */
static int finish_data(struct prep *P, int rc)
{
	int broken = ferror(P->data);
	int closed = fclose(P->data);
	P->data = NULL;
	if (!rc && (broken || closed))
		rc = plot_oom(P); /* a stream in memory fails only so */
	if (!rc) {
		P->j->data = P->data_buf;
		P->j->data_len = P->data_size;
		P->data_buf = NULL;
	}
	return rc;
}

/* The texts common to every chart, then the labels and the -e text. */
static int encode(struct prep *P, enum plot_source src)
{
	const struct plot_opts *o = P->o;
	P->tx.title = o->title ? o->title : P->title;
	if (!o->title)
		plot_text_sanitize(P->title, 1);
	P->tx.group = (const char *const *)P->groups.v;
	P->tx.n_groups = P->groups.n;
	P->tx.cat = (const char *const *)P->cats.v;
	P->tx.n_cats = P->cats.n;
	P->tx.mark = P->mark;
	P->tx.n_marks = o->n_marks;
	P->tx.svg = o->format && !strcmp(o->format, "svg");
	int rc = plot_encode(P->j, &P->tx,
			     src == PLOT_POINTS ? "plot_points.gp"
			     : src == PLOT_EFFECTS || src == PLOT_INDICES
				     ? "plot_forest.gp"
			     : src == PLOT_POSTERIOR ? "plot_posterior.gp"
			     : src == PLOT_FIT	     ? "plot_fit.gp"
						     : "plot_timeseries.gp");
	return rc ? plot_oom(P) : 0;
}

/* The steps of plot_prepare, on P. */
static int prepare(struct prep *P, enum plot_source src)
{
	int rc = check_header(P);
	if (!rc)
		rc = check_options(P);
	if (!rc && !(P->data = open_memstream(&P->data_buf, &P->data_size)))
		rc = plot_oom(P);
	if (!rc)
		rc = src == PLOT_POINTS		? plot_prep_points(P)
		     : src == PLOT_SWEEP_SERIES ? plot_prep_sweep_series(P)
		     : src == PLOT_EFFECTS	? plot_prep_effects(P)
		     : src == PLOT_INDICES	? plot_prep_indices(P)
		     : src == PLOT_POSTERIOR	? plot_prep_posterior(P)
		     : src == PLOT_FIT		? plot_prep_fit(P)
						: plot_prep_run_series(P);
	if (P->data)
		rc = finish_data(P, rc);
	if (!rc)
		rc = encode(P, src);
	if (!rc && P->note.len && !P->note.oom)
		snprintf(P->j->note, sizeof P->j->note, "%s", P->note.s);
	return rc;
}

static int prepare_with(struct plot_job *j, enum plot_source src,
			const csv_table *t, const struct plot_priors *pr,
			const struct plot_opts *o, struct cd_diag *d)
{
	memset(j, 0, sizeof *j);
	d->msg[0] = '\0';
	struct prep *P = calloc(1, sizeof *P);
	if (!P) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	P->j = j;
	P->t = t;
	P->o = o;
	P->d = d;
	P->priors = pr;
	int rc = prepare(P, src);
	prep_free(P);
	free(P);
	return rc;
}

int plot_prepare(struct plot_job *j, enum plot_source src, const csv_table *t,
		 const struct plot_opts *o, struct cd_diag *d)
{
	return prepare_with(j, src, t, NULL, o, d);
}

int plot_prepare_posterior(struct plot_job *j, const csv_table *t,
			   const struct plot_priors *p,
			   const struct plot_opts *o, struct cd_diag *d)
{
	return prepare_with(j, PLOT_POSTERIOR, t, p, o, d);
}

void plot_job_free(struct plot_job *j)
{
	free(j->command);
	free(j->data);
	free(j->labels);
	memset(j, 0, sizeof *j);
}
