/* plot: `cyberdef plot` (plot.h): the command, and the preparation of a
 * chart's numbers and texts from one CSV file; plot_gnuplot.c runs
 * gnuplot on them.
 *
 * No text from a data file or an option can reach gnuplot as code, by
 * construction. The files plotted may come from anyone (a points.csv sent
 * by a colleague), and gnuplot is a programming language: inside its
 * double-quoted strings it runs `backquoted` shell commands and expands \
 * escapes, and on a command line it expands @macros. So:
 *   - gnuplot's command line (-e) holds only assignments of numbers to
 *     names chosen here ("npanels=2; mark_x1=0.304; "): plot_gnuplot.c
 *     has no function that could write a string into it;
 *   - the scripts are the constant ones compiled in (plot_points.gp and
 *     plot_timeseries.gp), which use no macro, eval, load or system; the
 *     chart's path is not given to gnuplot either: it writes to its
 *     standard output, a file opened here, and runs in a private
 *     directory on two files of numbers written here, data.csv (the
 *     values to draw) and labels.csv;
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
 * every byte but [A-Za-z0-9.-] made '_', so a column name cannot send
 * the chart elsewhere either.
 *
 * What is refused, with exit status 2 and a message naming the file, line
 * and column (or the option), is only what cannot be shown as it is
 * (plot_text_check, plot.h): text that is not UTF-8, control characters
 * (tab, CR, ESC, ...), line breaks (except up to 3 in --title), quotes in
 * a column name, and over-long text. Everything else is shown literally.
 */
#define _POSIX_C_SOURCE 200809L
#include "cmd/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/csv.h"
#include "analysis/csvread.h"
#include "analysis/outdir.h"
#include "analysis/output.h"
#include "cmd/plot_gnuplot.h"
#include "params/schema.h"
#include "core/status.h"

#define PLOT_AUTO_POINTS 5   /* more sweep points than this: pick some */
#define PLOT_PICKED_POINTS 4 /* how many */
#define PLOT_PATH_MAX 4096

static const char usage_short[] =
	"usage: cyberdef plot DIR [--metric NAME]... [--x SETTING] "
	"[--mark X[=LABEL]]...\n"
	"                     [--timeseries] [--point N]... [--format "
	"png|svg]\n"
	"                     [--title TEXT] [--out FILE]\n";

static const char usage_plot[] =
	"\n"
	"Draws a chart with gnuplot from the output directory DIR of "
	"`cyberdef\n"
	"sweep` or `cyberdef run`:\n"
	"  - DIR/points.csv (a sweep): each metric's mean against the varied\n"
	"    setting, with its 95% confidence band; one line per value of any\n"
	"    other varied setting;\n"
	"  - DIR/timeseries_points.csv (a sweep, with --timeseries or without\n"
	"    points.csv): a daily metric's national total, mean and 95% band,\n"
	"    one line per sweep point;\n"
	"  - DIR/timeseries.csv (a run): a daily metric's national total (sum\n"
	"    over segments; fractions are averaged, crisis is the maximum).\n"
	"\n"
	"  --metric NAME   metric to draw, repeatable: one panel each, at most "
	"4\n"
	"                  (default intrusions); a summary column of "
	"summary.csv\n"
	"                  for points.csv, a daily column otherwise\n"
	"  --x SETTING     varied setting on the x axis (default: the first\n"
	"                  varied column of points.csv)\n"
	"  --mark X[=LABEL]\n"
	"                  dashed vertical line at X (a setting value, or a "
	"day),\n"
	"                  labelled LABEL (default X); repeatable, e.g.\n"
	"                  --mark '0.304=Japan 30.4%' --mark '0.647=EU/US "
	"64.7%'\n"
	"  --timeseries    chart timeseries_points.csv even when points.csv "
	"exists\n"
	"  --point N       with timeseries_points.csv: draw sweep point N;\n"
	"                  repeatable (default: all points, or 4 spread over "
	"them\n"
	"                  when there are more than 5)\n"
	"  --format FMT    png (default) or svg; default from the --out "
	"extension\n"
	"  --title TEXT    chart title (default: from the metric and setting)\n"
	"  --out FILE      chart to write (default DIR/points_METRIC.png,\n"
	"                  DIR/timeseries_points_METRIC.png or\n"
	"                  DIR/timeseries_METRIC.png); written when complete\n"
	"  -h, --help      show this help\n"
	"\n"
	"Needs gnuplot on PATH (Debian: apt-get install gnuplot-nox). Prints "
	"the\n"
	"chart's path. Texts from the file and the options are shown as they\n"
	"are, never run: text that cannot be shown (not UTF-8, control\n"
	"characters, line breaks outside --title, quotes in a column name, "
	"too\n"
	"long) is refused. A file of a set with a manifest beside it (a "
	"sweep's\n"
	"sweep.json, a run's metadata.json) must be the one it lists.\n"
	"Exit status: 0 success, 1 failure (no gnuplot, gnuplot failed, "
	"cannot\n"
	"write), 2 bad input, 128 + N when stopped by signal N.\n";

/* ---- messages ---------------------------------------------------------- */

/* Prints "cyberdef: MESSAGE" and returns `status`. */
static int fail(int status, const char *fmt, ...)
{
	va_list ap;
	fputs("cyberdef: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static int bad_usage(const char *problem, const char *arg)
{
	fprintf(stderr, "cyberdef: %s%s\n\n%s(cyberdef plot --help for more)\n",
		problem, arg, usage_short);
	return 2;
}

/* Writes "<a><b>" into buf; returns 0, or 1 after a message if too long. */
static int path_cat(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s%s", a, b);
	if (n < 0 || (size_t)n >= size)
		return fail(1, "path too long: %s%s", a, b);
	return 0;
}

/* Parses a number; an empty field is missing (NaN). Returns 0, or -1 (and
 * *v = NaN) if `s` is not a number. */
static int parse_num(const char *s, double *v)
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

/* Writes a number for gnuplot: shortest exact text; NaN when missing. */
static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		csv_real(f, v);
	else
		fputs("NaN", f);
}

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

/* ---- what the columns mean ----------------------------------------------- */

struct metric_info {
	const char *name;
	const char *unit;
	const char *help;
};

static const struct metric_info summary_info[] = {
#define PLOT_SUMMARY_INFO(name, unit, help, value) {#name, unit, help},
	CD_SUMMARY_COLUMNS(PLOT_SUMMARY_INFO)
#undef PLOT_SUMMARY_INFO
};

enum daily_agg { AGG_SUM, AGG_MEAN, AGG_MAX };

/* The daily columns of timeseries.csv (analysis/output.c) and of a sweep's
 * timeseries_points.csv, and how one national value per day is made from
 * the segments' rows. A column not listed here is summed. */
static const struct daily_info {
	const char *name;
	const char *unit;
	const char *title;
	enum daily_agg agg;
} daily_info[] = {
	{"attempts", "attempts/day", "Intrusion attempts per day", AGG_SUM},
	{"blocked", "attempts/day",
	 "Attempts blocked by known indicators, per day", AGG_SUM},
	{"failed", "attempts/day", "Attempts that failed otherwise, per day",
	 AGG_SUM},
	{"intrusions", "footholds/day", "New intrusions (footholds) per day",
	 AGG_SUM},
	{"detections", "footholds/day", "Footholds detected per day", AGG_SUM},
	{"detections_internal", "footholds/day",
	 "Footholds detected by own monitoring, per day", AGG_SUM},
	{"detections_shared", "footholds/day",
	 "Footholds found hunting with indicators shared at home, per day",
	 AGG_SUM},
	{"detections_partner", "footholds/day",
	 "Footholds found hunting with indicators from abroad, per day",
	 AGG_SUM},
	{"detections_national", "footholds/day",
	 "Footholds detected by national monitoring (GSOC), per day", AGG_SUM},
	{"detections_external", "footholds/day",
	 "Footholds detected by outside notice or ransom demand, per day",
	 AGG_SUM},
	{"contained", "footholds/day", "Footholds contained per day", AGG_SUM},
	{"open_footholds", "footholds",
	 "Footholds not yet contained at the end of each day", AGG_SUM},
	{"records_exfiltrated", "records/day", "Records stolen per day",
	 AGG_SUM},
	{"outage_hours", "hours/day", "Outage hours per day", AGG_SUM},
	{"loss_yen", "yen/day", "Losses to extortion and fraud per day",
	 AGG_SUM},
	{"knowledge_coverage", "fraction",
	 "Share knowing each active campaign (mean over segments)", AGG_MEAN},
	{"trained_ratio", "fraction",
	 "Trained staff / needed (mean over segments)", AGG_MEAN},
	{"crisis", "0/1", "National Security Council engaged", AGG_MAX},
};

static const struct metric_info *find_summary_info(const char *name)
{
	for (size_t i = 0; i < sizeof summary_info / sizeof summary_info[0];
	     i++)
		if (!strcmp(summary_info[i].name, name))
			return &summary_info[i];
	return NULL;
}

static const struct daily_info *find_daily_info(const char *name)
{
	for (size_t i = 0; i < sizeof daily_info / sizeof daily_info[0]; i++)
		if (!strcmp(daily_info[i].name, name))
			return &daily_info[i];
	return NULL;
}

/* The unit of scenario setting `path` (e.g. "won.share_rate" gives
 * "probability"), or NULL if unknown or unitless. Cannot fail. */
static const char *setting_unit(const char *path)
{
	char buf[256];
	size_t len = strlen(path);
	if (len >= sizeof buf)
		return NULL;
	memcpy(buf, path, len + 1);
	const struct schema_table *t = &schema_root;
	const struct schema_field *f = NULL;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ".", &save); tok;
	     tok = strtok_r(NULL, ".", &save)) {
		if (!t || !(f = schema_find(t, tok)))
			return NULL;
		t = NULL;
		if (f->type == SCHEMA_SECTION) {
			t = f->sub;
		} else if (f->type == SCHEMA_COLLECTION) {
			if (!strtok_r(NULL, ".", &save)) /* element name */
				return NULL;
			t = f->sub;
		} else if (f->type == SCHEMA_WEIGHTS) {
			if (!strtok_r(NULL, ".", &save)) /* segment name */
				return NULL;
		}
	}
	if (!f || t || !f->unit || !*f->unit)
		return NULL;
	return f->unit;
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

/* ---- the preparation ---------------------------------------------------- */

/* Names a chart may draw from one file. */
struct names {
	const char **v;
	size_t n;
	char *pool; /* storage of names not in the table, or NULL */
};

/* Owned strings. */
struct strs {
	char **v;
	size_t n, cap;
};

/* A data row's place in the chart: its series (block) and x value. */
struct row_key {
	double group; /* series, from 0 */
	double x;     /* setting value, category index or day */
	size_t row;   /* table row, from 1; breaks ties */
};

/* What one plot_prepare call works with; prep_free releases it. */
struct prep {
	struct plot_job *j;
	const csv_table *t;
	const struct plot_opts *o;
	struct plot_buf msg, note;
	struct names avail;  /* metrics of the file */
	struct names varied; /* varied settings of a sweep file */
	struct row_key *keys;
	size_t n_keys;
	const char *metric[PLOT_MAX_METRICS];
	int n_metrics;
	size_t cols[3 * PLOT_MAX_METRICS]; /* data columns, in order */
	int n_cols;
	const char *xcol; /* points.csv: the setting on the x axis */
	size_t cx;
	int xcat;
	struct strs groups, cats;
	FILE *data; /* the data file, in memory */
	char *data_buf;
	size_t data_size;
	struct plot_mark mark[PLOT_MAX_MARKS]; /* in order of x */
	struct plot_text tx;
	char title[PLOT_PATH_MAX + 1024], xlabel[1024], mean[128];
	char unit[PLOT_MAX_METRICS][128];
};

static void names_free(struct names *v)
{
	free(v->v);
	free(v->pool);
	v->v = NULL;
	v->pool = NULL;
}

static int strs_add(struct strs *s, const char *text)
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

static void prep_free(struct prep *P)
{
	if (P->data)
		(void)fclose(P->data);
	free(P->data_buf);
	free(P->msg.s);
	free(P->note.s);
	names_free(&P->avail);
	names_free(&P->varied);
	free(P->keys);
	strs_free(&P->groups);
	strs_free(&P->cats);
}

/* Sets the message to what printf would write; returns CD_EINVAL. */
static int bad(struct prep *P, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	P->msg.len = 0;
	plot_buf_printf(&P->msg, "%s", buf);
	return CD_EINVAL;
}

static int oom(struct prep *P)
{
	P->msg.len = 0;
	plot_buf_printf(&P->msg, "out of memory");
	return CD_ENOMEM;
}

/* Some of s for a message (s may be anything): itself when it is short
 * text that can be shown, else its printable ASCII bytes, with '?' for
 * the others, cut at 60. */
static const char *excerpt(const char *s, char *buf, size_t size)
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

static const char *cell(const struct prep *P, size_t row, size_t col)
{
	return csv_table_cell(P->t, row, col);
}

static long col(const struct prep *P, const char *name)
{
	return csv_table_column(P->t, name);
}

/* The number in row r (from 1), column c; CD_EINVAL with a message if it
 * is not one. */
static int num_at(struct prep *P, size_t r, size_t c, double *v)
{
	char buf[80];
	if (parse_num(cell(P, r, c), v))
		return bad(P, "%s:%zu: column %s: '%s' is not a number",
			   P->t->name, P->t->line[r], cell(P, 0, c),
			   excerpt(cell(P, r, c), buf, sizeof buf));
	return 0;
}

/* The text in row r, column c, to be shown on the chart; CD_EINVAL with a
 * message if it cannot be. */
static int cell_text(struct prep *P, size_t r, size_t c, const char **text)
{
	char why[128];
	*text = cell(P, r, c);
	if (plot_text_check(*text, PLOT_TEXT_VALUE, why, sizeof why))
		return bad(P, "%s:%zu: column %zu (%s): the value %s; %s",
			   P->t->name, P->t->line[r], c + 1, cell(P, 0, c), why,
			   plot_text_allowed(PLOT_TEXT_VALUE));
	return 0;
}

/* Every column name may be shown (as a metric, a setting, a legend
 * entry), so every one must be text that can be: checked first, so that
 * later messages may print them. */
static int check_header(struct prep *P)
{
	char why[128];
	for (size_t c = 0; c < P->t->ncols; c++)
		if (plot_text_check(cell(P, 0, c), PLOT_TEXT_NAME, why,
				    sizeof why))
			return bad(P, "%s:%zu: column %zu name %s; %s",
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
		return bad(P, "internal error: too many options");
	if (o->title &&
	    plot_text_check(o->title, PLOT_TEXT_TITLE, why, sizeof why))
		return bad(P, "--title: the text %s; %s", why,
			   plot_text_allowed(PLOT_TEXT_TITLE));
	for (int i = 0; i < o->n_marks; i++) {
		P->mark[i] = o->mark[i];
		if (!isfinite(o->mark[i].x) || !o->mark[i].label)
			return bad(P, "--mark: X must be a finite number");
		if (plot_text_check(o->mark[i].label, PLOT_TEXT_LABEL, why,
				    sizeof why))
			return bad(P, "--mark %.17g=...: the label %s; %s",
				   o->mark[i].x, why,
				   plot_text_allowed(PLOT_TEXT_LABEL));
	}
	qsort(P->mark, (size_t)o->n_marks, sizeof *P->mark, cmp_marks);
	return 0;
}

/* ---- choosing metrics and settings -------------------------------------- */

/* Appends the available names to the message, wrapped, after
 * "  available: ". */
static void print_names(struct prep *P, const struct names *av)
{
	size_t at = 13;
	plot_buf_printf(&P->msg, "\n  available:");
	for (size_t i = 0; i < av->n; i++) {
		size_t len = strlen(av->v[i]) + 2;
		if (at + len > 78 && i > 0) {
			plot_buf_printf(&P->msg, "\n   ");
			at = 3;
		}
		plot_buf_printf(&P->msg, " %s%s", av->v[i],
				i + 1 < av->n ? "," : "");
		at += len;
	}
}

/* Returns the index in `av` of `want`, accepting a statistic's column
 * name (M_mean, ...) for M; otherwise -1, with a message saying what is
 * available (and a suggestion). `what` names the kind, e.g. "metric". */
static long pick_name(struct prep *P, const struct names *av, const char *want,
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
	bad(P, "%s: no %s '%s'", P->t->name, what,
	    excerpt(want, buf, sizeof buf));
	if (best)
		plot_buf_printf(&P->msg, "; did you mean '%s'?", best);
	if (av->n)
		print_names(P, av);
	else
		plot_buf_printf(&P->msg, "\n  the file has no %s columns",
				what);
	return -1;
}

/* Fills P->avail with the metrics M of a sweep file: those for which
 * M_mean, M_ci_lo and M_ci_hi are all columns, in the order of the file.
 * Returns 0 or CD_ENOMEM. */
static int sweep_metrics(struct prep *P)
{
	const csv_table *t = P->t;
	struct names *av = &P->avail;
	size_t bytes = 0;
	for (size_t c = 0; c < t->ncols; c++)
		bytes += strlen(cell(P, 0, c)) + 1;
	av->n = 0;
	av->v = malloc((t->ncols + 1) * sizeof *av->v);
	av->pool = malloc(bytes + 1);
	if (!av->v || !av->pool)
		return oom(P);
	char *p = av->pool, name[1024];
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = cell(P, 0, c);
		int len = (int)strlen(h) - 5;
		if (!ends_with(h, "_mean") || len + 10 > (int)sizeof name)
			continue;
		snprintf(name, sizeof name, "%.*s_ci_lo", len, h);
		if (col(P, name) < 0)
			continue;
		snprintf(name, sizeof name, "%.*s_ci_hi", len, h);
		if (col(P, name) < 0)
			continue;
		memcpy(p, h, (size_t)len);
		p[len] = '\0';
		av->v[av->n++] = p;
		p += len + 1;
	}
	return 0;
}

/* Sets P->cols to the columns M_mean, M_ci_lo and M_ci_hi of each metric
 * M that sweep_metrics found. Cannot fail. */
static void stat_columns(struct prep *P)
{
	static const char *const sfx[3] = {"_mean", "_ci_lo", "_ci_hi"};
	char name[1024];
	P->n_cols = 3 * P->n_metrics;
	for (int m = 0; m < P->n_metrics; m++)
		for (int k = 0; k < 3; k++) {
			snprintf(name, sizeof name, "%s%s", P->metric[m],
				 sfx[k]);
			P->cols[3 * m + k] = (size_t)col(P, name);
		}
}

/* Fills P->varied with the columns that hold the varied settings: every
 * column but `point`, `runs`, `day` and the statistics. */
static int varied_columns(struct prep *P)
{
	struct names *v = &P->varied;
	v->n = 0;
	v->v = malloc((P->t->ncols + 1) * sizeof *v->v);
	if (!v->v)
		return oom(P);
	for (size_t c = 0; c < P->t->ncols; c++) {
		const char *h = cell(P, 0, c);
		if (strcmp(h, "point") && strcmp(h, "runs") &&
		    strcmp(h, "day") && !is_stat_column(h))
			v->v[v->n++] = h;
	}
	return 0;
}

/* Looks up the --metric names (default intrusions, else the file's first)
 * in P->avail; fills P->metric and the job's metrics. */
static int pick_metrics(struct prep *P, const char *what)
{
	const struct plot_opts *o = P->o;
	int n = 0;
	for (int i = 0; i < o->n_metrics; i++) {
		long k = pick_name(P, &P->avail, o->metric[i], what);
		if (k < 0)
			return CD_EINVAL;
		P->metric[n++] = P->avail.v[k];
	}
	if (!n) {
		if (!P->avail.n)
			return bad(P, "%s: no %s columns", P->t->name, what);
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

/* Checks that data column c has a number in some row of P->keys: a chart
 * of nothing would only make gnuplot fail. */
static int require_values(struct prep *P, size_t c, const char *metric)
{
	for (size_t i = 0; i < P->n_keys; i++) {
		double v;
		if (!parse_num(cell(P, P->keys[i].row, c), &v) && isfinite(v))
			return 0;
	}
	return bad(P,
		   "%s: metric '%s' has no values (column %s is empty); "
		   "nothing to draw",
		   P->t->name, metric, cell(P, 0, c));
}

/* require_values for the first column of each metric. */
static int require_metrics(struct prep *P)
{
	int per = P->n_cols / P->n_metrics, rc = 0;
	for (int m = 0; m < P->n_metrics && !rc; m++)
		rc = require_values(P, P->cols[per * m], P->metric[m]);
	return rc;
}

/* ---- rows and series ---------------------------------------------------- */

static int cmp_row_keys(const void *a, const void *b)
{
	const struct row_key *p = a, *q = b;
	if (p->group != q->group)
		return p->group < q->group ? -1 : 1;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->row > q->row) - (p->row < q->row);
}

static int alloc_keys(struct prep *P)
{
	P->keys = malloc((P->t->nrows + 1) * sizeof *P->keys);
	return P->keys ? 0 : oom(P);
}

/* Adds the legend title of a series: "name=value, ..." from the varied
 * columns (except `skip`) of table row r, or "point N" when there are
 * none. */
static int add_group(struct prep *P, size_t r, const char *skip)
{
	struct plot_buf gt = {0};
	const char *v;
	int rc = 0;
	for (size_t i = 0; i < P->varied.n && !rc; i++) {
		const char *name = P->varied.v[i];
		if (skip && !strcmp(name, skip))
			continue;
		rc = cell_text(P, r, (size_t)col(P, name), &v);
		if (!rc)
			plot_buf_printf(&gt, "%s%s=%s", gt.len ? ", " : "",
					name, v);
	}
	long cp = col(P, "point");
	if (!rc && !gt.len && cp >= 0 &&
	    !(rc = cell_text(P, r, (size_t)cp, &v)))
		plot_buf_printf(&gt, "point %s", v);
	if (!rc && (gt.oom || strs_add(&P->groups, gt.s ? gt.s : "")))
		rc = oom(P);
	free(gt.s);
	return rc;
}

/* The index of row r's x value among the categories (adding it). */
static int category_of(struct prep *P, size_t r, double *x)
{
	const char *v;
	int rc = cell_text(P, r, P->cx, &v);
	if (rc)
		return rc;
	size_t k = 0;
	while (k < P->cats.n && strcmp(P->cats.v[k], v))
		k++;
	if (k == P->cats.n && strs_add(&P->cats, v))
		return oom(P);
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
			size_t c = (size_t)col(P, P->varied.v[i]);
			if (c != P->cx &&
			    strcmp(cell(P, r, c), cell(P, first[g], c)))
				break;
		}
		if (i == P->varied.n)
			break;
	}
	return g;
}

/* Writes the data file: per key a line of x and the data columns, series
 * separated by two blank lines. */
static int write_rows(struct prep *P)
{
	for (size_t i = 0; i < P->n_keys; i++) {
		const struct row_key *k = &P->keys[i];
		if (i > 0 && k->group != k[-1].group)
			fputs("\n\n", P->data);
		put_num(P->data, k->x);
		for (int c = 0; c < P->n_cols; c++) {
			double v;
			int rc = num_at(P, k->row, P->cols[c], &v);
			if (rc)
				return rc;
			csv_sep(P->data);
			put_num(P->data, v);
		}
		fputc('\n', P->data);
	}
	return 0;
}

/* The units and names of the panels. */
static void panel_text(struct prep *P, int daily)
{
	P->tx.n_panels = P->n_metrics;
	for (int m = 0; m < P->n_metrics; m++) {
		const struct metric_info *mi = find_summary_info(P->metric[m]);
		const struct daily_info *di = find_daily_info(P->metric[m]);
		P->tx.metric[m] = P->metric[m];
		P->tx.unit[m] =
			daily ? (di ? di->unit : "") : (mi ? mi->unit : "");
	}
}

/* ---- points.csv --------------------------------------------------------- */

/* The x axis: a varied setting (or the point id when none); its values
 * are categories when they are not all numbers. */
static int pick_x(struct prep *P)
{
	const char *want = P->o->x;
	P->xcol = P->varied.n ? P->varied.v[0] : "point";
	if (want && strcmp(want, "point")) {
		long k = pick_name(P, &P->varied, want, "varied setting");
		if (k < 0)
			return CD_EINVAL;
		P->xcol = P->varied.v[k];
	} else if (want) {
		P->xcol = "point";
	}
	P->cx = (size_t)col(P, P->xcol);
	P->xcat = 0;
	for (size_t r = 1; r <= P->t->nrows; r++) {
		double v;
		if (parse_num(cell(P, r, P->cx), &v) || !isfinite(v))
			P->xcat = 1;
	}
	return 0;
}

/* Series: rows with equal values of the other varied settings, in order
 * of first appearance; within a series, rows by x. */
static int points_series(struct prep *P)
{
	const csv_table *t = P->t;
	int rc = alloc_keys(P);
	size_t *first = rc ? NULL : malloc((t->nrows + 1) * sizeof *first);
	if (!rc && !first)
		rc = oom(P);
	size_t n_groups = 0;
	for (size_t r = 1; r <= t->nrows && !rc; r++) {
		size_t g = series_of(P, r, first, n_groups);
		if (g == n_groups)
			first[n_groups++] = r;
		double x = 0;
		if (P->xcat)
			rc = category_of(P, r, &x);
		else
			(void)parse_num(cell(P, r, P->cx), &x);
		P->keys[P->n_keys++] = (struct row_key){(double)g, x, r};
	}
	if (!rc)
		qsort(P->keys, P->n_keys, sizeof *P->keys, cmp_row_keys);
	if (!rc && n_groups == 1 && strs_add(&P->groups, ""))
		rc = oom(P); /* one series: the legend says "mean" */
	for (size_t g = 0; g < n_groups && n_groups > 1 && !rc; g++)
		rc = add_group(P, first[g], P->xcol);
	free(first);
	return rc;
}

/* "mean of N runs" when every row has the same whole number of runs. */
static void runs_text(struct prep *P)
{
	long c = col(P, "runs");
	double runs = NAN, v;
	for (size_t r = 1; c >= 0 && r <= P->t->nrows; r++) {
		if (parse_num(cell(P, r, (size_t)c), &v) || !(v >= 1) ||
		    v > 1e15 || v != floor(v) || (r > 1 && v != runs)) {
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

static void points_text(struct prep *P)
{
	const char *unit = setting_unit(P->xcol);
	snprintf(P->xlabel, sizeof P->xlabel, "%s%s%s%s", P->xcol,
		 unit ? " (" : "", unit ? unit : "", unit ? ")" : "");
	runs_text(P);
	panel_text(P, 0);
	char head[512];
	const struct metric_info *mi = find_summary_info(P->metric[0]);
	if (P->n_metrics == 1 && mi)
		title_from_help(head, sizeof head, mi->help);
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

static int prepare_points(struct prep *P)
{
	int rc;
	if (col(P, "point") < 0)
		return bad(P,
			   "%s: no column 'point'; expected the points.csv "
			   "of `cyberdef sweep`",
			   P->t->name);
	if ((rc = sweep_metrics(P)) || (rc = varied_columns(P)) ||
	    (rc = pick_metrics(P, "metric")) || (rc = pick_x(P)))
		return rc;
	stat_columns(P);
	for (int c = 0; c < P->n_cols; c++)
		for (size_t r = 1; r <= P->t->nrows; r++) {
			double v;
			if ((rc = num_at(P, r, P->cols[c], &v)))
				return rc;
		}
	if ((rc = points_series(P)) || (rc = require_metrics(P)) ||
	    (rc = write_rows(P)))
		return rc;
	points_text(P);
	P->j->kind = "points";
	return 0;
}

/* ---- timeseries_points.csv ---------------------------------------------- */

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Chooses the sweep points to draw from the sorted, distinct ids[]:
 * --point, or all, or some spread over them. Returns the number, or -1
 * after a message. */
static int pick_points(struct prep *P, const long *ids, size_t n_ids,
		       long *want)
{
	const struct plot_opts *o = P->o;
	int n = 0;
	if (o->n_points) {
		for (int i = 0; i < o->n_points; i++) {
			if (!bsearch(&o->point[i], ids, n_ids, sizeof *ids,
				     cmp_long)) {
				bad(P,
				    "%s: no point %ld; the file has points "
				    "%ld to %ld",
				    P->t->name, o->point[i], ids[0],
				    ids[n_ids - 1]);
				return -1;
			}
			want[n++] = o->point[i];
		}
	} else if (n_ids > PLOT_AUTO_POINTS) {
		for (size_t i = 0; i < PLOT_PICKED_POINTS; i++)
			want[n++] =
				ids[i * (n_ids - 1) / (PLOT_PICKED_POINTS - 1)];
		plot_buf_printf(&P->note, "drawing %d of the %zu points (", n,
				n_ids);
		for (int i = 0; i < n; i++)
			plot_buf_printf(&P->note, "%s%ld", i ? ", " : "",
					want[i]);
		plot_buf_printf(&P->note, "); choose others with --point");
	} else {
		for (size_t i = 0; i < n_ids; i++)
			want[n++] = ids[i];
	}
	return n;
}

/* Every row's (point, day) into P->keys; the distinct points into ids. */
static int point_days(struct prep *P, long *ids, size_t *n_ids)
{
	size_t cpoint = (size_t)col(P, "point"), cday = (size_t)col(P, "day");
	for (size_t r = 1; r <= P->t->nrows; r++) {
		double p, d;
		int rc;
		if ((rc = num_at(P, r, cpoint, &p)) ||
		    (rc = num_at(P, r, cday, &d)))
			return rc;
		if (!(p >= 0 && p < 1e9 && p == floor(p)) ||
		    !(d >= 0 && d < 1e9 && d == floor(d))) {
			char b1[80], b2[80];
			return bad(P,
				   "%s:%zu: point and day must be whole "
				   "numbers, got '%s' and '%s'",
				   P->t->name, P->t->line[r],
				   excerpt(cell(P, r, cpoint), b1, sizeof b1),
				   excerpt(cell(P, r, cday), b2, sizeof b2));
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
		return bad(P, "%s: no rows", P->t->name);
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
	qsort(P->keys, P->n_keys, sizeof *P->keys, cmp_row_keys);
	int rc = 0;
	for (size_t i = 0; i < P->n_keys && !rc; i++)
		if (i == 0 || P->keys[i].group != P->keys[i - 1].group)
			rc = add_group(P, P->keys[i].row, NULL);
	return rc;
}

static void series_text(struct prep *P, const char *subtitle)
{
	const struct daily_info *di = find_daily_info(P->metric[0]);
	char head[512];
	if (P->n_metrics > 1)
		snprintf(head, sizeof head, "Daily metrics");
	else if (di)
		snprintf(head, sizeof head, "%s", di->title);
	else
		snprintf(head, sizeof head, "%s per day", P->metric[0]);
	snprintf(P->title, sizeof P->title, "%s\n%s", head, subtitle);
	snprintf(P->xlabel, sizeof P->xlabel, "day");
	snprintf(P->mean, sizeof P->mean, "mean");
	P->tx.xlabel = P->xlabel;
	P->tx.mean_title = P->mean;
}

static int prepare_sweep_series(struct prep *P)
{
	long cpoint = col(P, "point"), cday = col(P, "day");
	int rc;
	if (cpoint < 0 || cday < 0)
		return bad(P,
			   "%s: no column '%s'; expected the "
			   "timeseries_points.csv of `cyberdef sweep`",
			   P->t->name, cpoint < 0 ? "point" : "day");
	if ((rc = sweep_metrics(P)) || (rc = varied_columns(P)) ||
	    (rc = pick_metrics(P, "daily metric")) || (rc = alloc_keys(P)))
		return rc;
	stat_columns(P);
	long *ids = malloc((P->t->nrows + 1) * sizeof *ids),
	     want[PLOT_MAX_POINTS];
	size_t n_ids = 0;
	int n_want = -1;
	if (!ids)
		return oom(P);
	if (!(rc = point_days(P, ids, &n_ids)) &&
	    (n_want = pick_points(P, ids, n_ids, want)) < 0)
		rc = CD_EINVAL;
	free(ids);
	if (rc || (rc = keep_points(P, want, n_want)) ||
	    (rc = require_metrics(P)) || (rc = write_rows(P)))
		return rc;
	series_text(P, "national total: mean over each sweep point's runs "
		       "with its 95% confidence interval");
	panel_text(P, 1);
	P->tx.bands = 1;
	P->j->kind = "timeseries_points";
	return 0;
}

/* ---- a run's timeseries.csv --------------------------------------------- */

/* How one national value per day is made from the segments' rows. */
static enum daily_agg agg_of(const char *metric)
{
	const struct daily_info *di = find_daily_info(metric);
	return di ? di->agg : AGG_SUM;
}

/* Writes one line per day: the sum (or mean, or maximum) over the
 * segments' rows of each metric, accumulated in day order. */
static int write_days(struct prep *P)
{
	for (size_t i = 0; i < P->n_keys;) {
		double acc[PLOT_MAX_METRICS], day = P->keys[i].x;
		size_t seen[PLOT_MAX_METRICS] = {0};
		for (; i < P->n_keys && P->keys[i].x == day; i++) {
			for (int m = 0; m < P->n_metrics; m++) {
				double v;
				int rc = num_at(P, P->keys[i].row, P->cols[m],
						&v);
				if (rc)
					return rc;
				if (isnan(v))
					continue;
				if (!seen[m]++)
					acc[m] = v;
				else if (agg_of(P->metric[m]) == AGG_MAX)
					acc[m] = v > acc[m] ? v : acc[m];
				else
					acc[m] += v;
			}
		}
		put_num(P->data, day);
		for (int m = 0; m < P->n_metrics; m++) {
			enum daily_agg agg = agg_of(P->metric[m]);
			csv_sep(P->data);
			put_num(P->data, !seen[m] ? NAN
					 : agg == AGG_MEAN
						 ? acc[m] / (double)seen[m]
						 : acc[m]);
		}
		fputc('\n', P->data);
	}
	return 0;
}

/* Every row's day into P->keys, in order of day. */
static int run_days(struct prep *P)
{
	size_t cday = (size_t)col(P, "day");
	int rc = alloc_keys(P);
	for (size_t r = 1; r <= P->t->nrows && !rc; r++) {
		double d;
		char buf[80];
		if ((rc = num_at(P, r, cday, &d)))
			break;
		if (!(d >= 0 && d < 1e9 && d == floor(d)))
			return bad(P,
				   "%s:%zu: day must be a whole number, got "
				   "'%s'",
				   P->t->name, P->t->line[r],
				   excerpt(cell(P, r, cday), buf, sizeof buf));
		P->keys[P->n_keys++] = (struct row_key){0, d, r};
	}
	if (!rc && !P->n_keys)
		return bad(P, "%s: no rows", P->t->name);
	if (!rc)
		qsort(P->keys, P->n_keys, sizeof *P->keys, cmp_row_keys);
	return rc;
}

/* The y axis units of a run's panels, with how the segments combine. */
static void run_units(struct prep *P)
{
	for (int m = 0; m < P->n_metrics; m++) {
		const struct daily_info *di = find_daily_info(P->metric[m]);
		enum daily_agg agg = agg_of(P->metric[m]);
		const char *how = agg == AGG_MEAN  ? "mean over segments"
				  : agg == AGG_MAX ? "any segment"
						   : "";
		snprintf(P->unit[m], sizeof P->unit[m], "%s%s%s",
			 di ? di->unit : "", di && *how ? ", " : "", how);
		P->tx.unit[m] = P->unit[m];
	}
}

static int prepare_run_series(struct prep *P)
{
	const csv_table *t = P->t;
	int rc;
	if (col(P, "day") < 0)
		return bad(P,
			   "%s: no column 'day'; expected the timeseries.csv "
			   "of `cyberdef run`",
			   t->name);
	P->avail.v = malloc((t->ncols + 1) * sizeof *P->avail.v);
	if (!P->avail.v)
		return oom(P);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = cell(P, 0, c);
		if (strcmp(h, "day") && strcmp(h, "segment") &&
		    strcmp(h, "kind"))
			P->avail.v[P->avail.n++] = h;
	}
	if ((rc = pick_metrics(P, "daily metric")))
		return rc;
	P->n_cols = P->n_metrics;
	for (int m = 0; m < P->n_metrics; m++)
		P->cols[m] = (size_t)col(P, P->metric[m]);
	if ((rc = run_days(P)) || (rc = require_metrics(P)) ||
	    (rc = write_days(P)))
		return rc;
	if (strs_add(&P->groups, ""))
		return oom(P);
	/* The file's path in the title: shown, never refused (sanitized). */
	char path[PLOT_PATH_MAX], sub[PLOT_PATH_MAX + 64];
	snprintf(path, sizeof path, "%s", t->name);
	plot_text_sanitize(path, 0);
	enum daily_agg agg = agg_of(P->metric[0]);
	if (P->n_metrics > 1)
		snprintf(sub, sizeof sub, "one run, national values from %s",
			 path);
	else
		snprintf(sub, sizeof sub, "one run, %s, from %s",
			 agg == AGG_MEAN  ? "mean over segments"
			 : agg == AGG_MAX ? "any segment"
					  : "national total",
			 path);
	series_text(P, sub);
	panel_text(P, 1);
	run_units(P);
	P->j->kind = "timeseries";
	return 0;
}

/* ---- the job ------------------------------------------------------------ */

/* Ends the data file, moving it into the job. */
static int finish_data(struct prep *P, int rc)
{
	int broken = ferror(P->data);
	int closed = fclose(P->data);
	P->data = NULL;
	if (!rc && (broken || closed))
		rc = oom(P); /* a stream in memory fails only so */
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
						: "plot_timeseries.gp");
	return rc ? oom(P) : 0;
}

int plot_prepare(struct plot_job *j, enum plot_source src, const csv_table *t,
		 const struct plot_opts *o)
{
	memset(j, 0, sizeof *j);
	struct prep *P = calloc(1, sizeof *P);
	if (!P)
		return CD_ENOMEM;
	P->j = j;
	P->t = t;
	P->o = o;
	int rc = check_header(P);
	if (!rc)
		rc = check_options(P);
	if (!rc && !(P->data = open_memstream(&P->data_buf, &P->data_size)))
		rc = oom(P);
	if (!rc)
		rc = src == PLOT_POINTS		? prepare_points(P)
		     : src == PLOT_SWEEP_SERIES ? prepare_sweep_series(P)
						: prepare_run_series(P);
	if (P->data)
		rc = finish_data(P, rc);
	if (!rc)
		rc = encode(P, src);
	if (rc) {
		j->msg = P->msg.oom ? NULL : P->msg.s;
		P->msg.s = NULL;
	} else if (P->note.len && !P->note.oom) {
		j->note = P->note.s;
		P->note.s = NULL;
	}
	prep_free(P);
	free(P);
	return rc;
}

void plot_job_free(struct plot_job *j)
{
	free(j->command);
	free(j->data);
	free(j->labels);
	free(j->msg);
	free(j->note);
	memset(j, 0, sizeof *j);
}

/* ---- the command -------------------------------------------------------- */

static int parse_mark(struct plot_opts *o, const char *v)
{
	if (o->n_marks == PLOT_MAX_MARKS)
		return bad_usage("too many --mark options; at most ", "16");
	char num[64];
	const char *eq = strchr(v, '=');
	size_t len = eq ? (size_t)(eq - v) : strlen(v);
	double x;
	snprintf(num, sizeof num, "%.*s", (int)len, v);
	if (len >= sizeof num || parse_num(num, &x) || !isfinite(x))
		return bad_usage("--mark: expected X or X=LABEL with X a "
				 "number, got ",
				 v);
	o->mark[o->n_marks].x = x;
	o->mark[o->n_marks++].label = eq ? eq + 1 : v;
	return 0;
}

/* Takes the value v of option a (known to need one). */
static int opt_value(struct plot_opts *o, const char *a, const char *v)
{
	if (!strcmp(a, "--metric")) {
		if (o->n_metrics == PLOT_MAX_METRICS)
			return bad_usage("too many --metric options; at most ",
					 "4");
		if (!*v)
			return bad_usage("--metric needs a name", "");
		o->metric[o->n_metrics++] = v;
	} else if (!strcmp(a, "--x")) {
		if (!*v)
			return bad_usage("--x needs a setting", "");
		o->x = v;
	} else if (!strcmp(a, "--mark")) {
		return parse_mark(o, v);
	} else if (!strcmp(a, "--point")) {
		if (o->n_points == PLOT_MAX_POINTS)
			return bad_usage("too many --point options; at most ",
					 "64");
		double p;
		if (parse_num(v, &p) || !(p >= 0 && p < 1e9) || p != floor(p))
			return bad_usage("--point: expected a point number "
					 "(0, 1, ...), got ",
					 v);
		o->point[o->n_points++] = (long)p;
	} else if (!strcmp(a, "--format")) {
		if (strcmp(v, "png") && strcmp(v, "svg"))
			return bad_usage("--format: allowed: png or svg, got ",
					 v);
		o->format = v;
	} else if (!strcmp(a, "--title")) {
		o->title = v;
	} else if (!strcmp(a, "--out")) {
		if (!*v)
			return bad_usage("--out needs a file name", "");
		o->out = v;
	}
	return 0;
}

/* Returns 0, 2 after a message, or -1 when --help was printed. */
static int parse_opts(int argc, char **argv, struct plot_opts *o)
{
	static const char *const with_value[] = {
		"--metric", "--x",     "--mark", "--point",
		"--format", "--title", "--out"};
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_short, stdout);
			fputs(usage_plot, stdout);
			return -1;
		}
		if (!strcmp(a, "--timeseries")) {
			o->timeseries = 1;
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			if (o->dir)
				return bad_usage("more than one directory "
						 "given: ",
						 a);
			o->dir = a;
			continue;
		}
		int known = 0;
		for (size_t k = 0; k < sizeof with_value / sizeof *with_value;
		     k++)
			known |= !strcmp(a, with_value[k]);
		if (!known)
			return bad_usage("unknown option ", a);
		if (i + 1 >= argc)
			return bad_usage("missing value after ", a);
		int rc = opt_value(o, a, argv[++i]);
		if (rc)
			return rc;
	}
	if (!o->dir)
		return bad_usage("plot needs a DIR: the --out directory of "
				 "`cyberdef run` or `cyberdef sweep`",
				 "");
	/* The format follows --out's extension unless given. */
	const char *ext = o->out ? strrchr(o->out, '.') : NULL;
	const char *from_ext = ext && !strcmp(ext, ".svg")   ? "svg"
			       : ext && !strcmp(ext, ".png") ? "png"
							     : NULL;
	if (o->format && from_ext && strcmp(o->format, from_ext))
		return bad_usage(
			"--out has the extension of the other format: ",
			o->out);
	if (!o->format)
		o->format = from_ext ? from_ext : "png";
	return 0;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The files a chart may be drawn from, and the manifests of their sets. */
static const struct source_file {
	const char *name, *manifest;
} source_files[] = {
	[PLOT_POINTS] = {"points.csv", "sweep.json"},
	[PLOT_SWEEP_SERIES] = {"timeseries_points.csv", "sweep.json"},
	[PLOT_RUN_SERIES] = {"timeseries.csv", "metadata.json"},
};

/* Chooses the file of o->dir to draw. Returns 0, or 2 after a message. */
static int choose_source(const struct plot_opts *o, enum plot_source *src)
{
	char path[3][PLOT_PATH_MAX];
	for (int k = 0; k < 3; k++) {
		int n = snprintf(path[k], sizeof path[k], "%s/%s", o->dir,
				 source_files[k].name);
		if (n < 0 || (size_t)n >= sizeof path[k])
			return fail(2, "path too long: %s", o->dir);
	}
	struct stat st;
	if (stat(o->dir, &st) != 0)
		return fail(2,
			    "%s: %s; give the --out directory of `cyberdef "
			    "run` or `cyberdef sweep`",
			    o->dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail(2,
			    "%s: not a directory; give the --out directory "
			    "of `cyberdef run` or `cyberdef sweep`",
			    o->dir);
	if (!o->timeseries && is_file(path[PLOT_POINTS]))
		*src = PLOT_POINTS;
	else if (is_file(path[PLOT_SWEEP_SERIES]))
		*src = PLOT_SWEEP_SERIES;
	else if (is_file(path[PLOT_RUN_SERIES]))
		*src = PLOT_RUN_SERIES;
	else if (o->timeseries)
		return fail(2,
			    "%s holds neither timeseries_points.csv (`cyberdef "
			    "sweep`) nor timeseries.csv (`cyberdef run`)",
			    o->dir);
	else
		return fail(2,
			    "%s holds none of points.csv, "
			    "timeseries_points.csv (`cyberdef sweep`) and "
			    "timeseries.csv (`cyberdef run`)",
			    o->dir);
	if (*src != PLOT_POINTS && o->x)
		return fail(2, "--x applies to a sweep's points.csv only; a "
			       "time series has days on the x axis");
	if (*src != PLOT_SWEEP_SERIES && o->n_points)
		return fail(2,
			    "--point applies to a sweep's "
			    "timeseries_points.csv only%s",
			    *src == PLOT_POINTS ? " (add --timeseries)" : "");
	return 0;
}

/* Checks the file against its set's manifest, then reads it. Returns 0,
 * or the exit status after a message. */
static int read_source(const struct plot_opts *o, enum plot_source src,
		       csv_table *t)
{
	const struct source_file *f = &source_files[src];
	struct cd_diag d;
	int rc = cd_outdir_verify(o->dir, f->manifest, f->name, &d);
	if (rc)
		return fail(rc == CD_ENOMEM ? 1 : 2, "%s", d.msg);
	char path[PLOT_PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", o->dir, f->name);
	rc = csv_table_read(t, path, NULL, &d);
	if (rc)
		return fail(rc == CD_ENOMEM ? 1 : 2, "%s", d.msg);
	return 0;
}

/* Draws the prepared chart: its path is --out, or
 * DIR/<kind>_<metric>[_<metric>...].<format>, with every byte of the
 * name that is not a letter, digit, '.', '-' or '_' made '_' (the metric
 * names come from the file: no '/' may take the chart elsewhere). */
static int draw(const struct plot_job *j, const struct plot_opts *o)
{
	char name[PLOT_PATH_MAX];
	int n = snprintf(name, sizeof name, "%s/%s_%s.%s", o->dir, j->kind,
			 j->metrics, o->format);
	if (n < 0 || (size_t)n >= sizeof name)
		return fail(2, "path too long: %s/%s_%s.%s", o->dir, j->kind,
			    j->metrics, o->format);
	for (char *p = name + strlen(o->dir) + 1; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '.' && *p != '-')
			*p = '_';
	const char *out = o->out ? o->out : name;
	if (is_dir(out))
		return fail(2, "--out %s is a directory; give a file name",
			    out);
	if (j->note)
		fprintf(stderr, "cyberdef: %s\n", j->note);
	int rc = plot_gnuplot(j, out);
	if (!rc)
		printf("%s\n", out);
	return rc;
}

int plot_main(int argc, char **argv)
{
	struct plot_opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	/* "out/" names the same directory as "out": keep paths tidy. */
	char dir[PLOT_PATH_MAX];
	if (path_cat(dir, sizeof dir, o.dir, ""))
		return 2;
	for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/';)
		dir[--n] = '\0';
	o.dir = dir;
	/* (initialized for the analyzer, which does not follow fail()) */
	enum plot_source src = PLOT_POINTS;
	csv_table t;
	memset(&t, 0, sizeof t);
	if ((rc = choose_source(&o, &src)) || (rc = read_source(&o, src, &t)))
		return rc;
	struct plot_job j;
	int st = plot_prepare(&j, src, &t, &o);
	if (st)
		rc = fail(st == CD_ENOMEM ? 1 : 2, "%s",
			  j.msg ? j.msg : cd_strerror(st));
	else
		rc = draw(&j, &o);
	plot_job_free(&j);
	csv_table_free(&t);
	return rc;
}
