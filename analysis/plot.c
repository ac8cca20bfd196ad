/* plot: `cyberdef plot`, charts of a run's or a sweep's output with gnuplot.
 */
#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csv.h"
#include "embedded.h"
#include "output.h"
#include "schema.h"

/* The gnuplot scripts (the .gp files in analysis/), compiled in by
 * sim/embed.cmake; path is the file name, e.g. "plot_points.gp". */
extern const struct cd_embedded_file cd_plot_scripts[];
extern const int cd_n_plot_scripts;

#define PLOT_MAX_METRICS 4 /* panels in one chart */
#define PLOT_MAX_MARKS 16
#define PLOT_MAX_POINTS 64   /* --point options */
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
	"chart's path. Exit status: 0 success, 1 failure (no gnuplot, gnuplot\n"
	"failed, cannot write), 2 bad input.\n";

static const char no_gnuplot[] =
	"cyberdef: gnuplot not found: install it with `apt-get install "
	"gnuplot-nox` (Debian)\n";

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

static int out_of_memory(void)
{
	return fail(1, "out of memory");
}

/* Writes "<a><b>" into buf; returns 0, or 1 after a message if too long. */
static int path_cat(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s%s", a, b);
	if (n < 0 || (size_t)n >= size)
		return fail(1, "path too long: %s%s", a, b);
	return 0;
}

/* ---- CSV tables ---------------------------------------------------------- */

/* A CSV file (RFC 4180) split into NUL-terminated cells, in place. */
struct table {
	char path[PLOT_PATH_MAX]; /* for messages */
	char *text;		  /* the file, cells cut out of it */
	size_t ncols, nrows;	  /* nrows excludes the header */
	char **cell;		  /* (nrows + 1) * ncols; row 0 the header */
	size_t *line;		  /* line of each row in the file (1-based) */
};

static void table_free(struct table *t)
{
	free(t->text);
	free(t->cell);
	free(t->line);
	t->text = NULL;
	t->cell = NULL;
	t->line = NULL;
}

static const char *cell(const struct table *t, size_t row, size_t col)
{
	return t->cell[row * t->ncols + col];
}

/* Header index of column `name`, or -1. */
static long table_col(const struct table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(cell(t, 0, c), name))
			return (long)c;
	return -1;
}

/* Reads the whole file into *text (NUL-terminated). Returns 0, or the exit
 * status after a message: 2 if it cannot be opened, 1 otherwise. */
static int slurp(const char *path, char **text)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(2, "%s: %s", path, strerror(errno));
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	if (!buf) {
		(void)fclose(f);
		return out_of_memory();
	}
	if (ferror(f)) {
		int err = errno;
		(void)fclose(f);
		free(buf);
		return fail(1, "cannot read %s: %s", path, strerror(err));
	}
	(void)fclose(f);
	if (memchr(buf, '\0', n)) { /* the text would end at the first NUL */
		free(buf);
		return fail(2,
			    "%s: not a text file (it contains NUL bytes); "
			    "expected a CSV file written by cyberdef",
			    path);
	}
	buf[n] = '\0';
	*text = buf;
	return 0;
}

/* Appends one cell pointer; returns -1 when out of memory. */
static int push_cell(char ***cells, size_t *n, size_t *cap, char *c)
{
	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 1024;
		char **bigger = realloc(*cells, ncap * sizeof *bigger);
		if (!bigger)
			return -1;
		*cells = bigger;
		*cap = ncap;
	}
	(*cells)[(*n)++] = c;
	return 0;
}

static int push_line(size_t **lines, size_t n, size_t *cap, size_t line)
{
	if (n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 256;
		size_t *bigger = realloc(*lines, ncap * sizeof *bigger);
		if (!bigger)
			return -1;
		*lines = bigger;
		*cap = ncap;
	}
	(*lines)[n] = line;
	return 0;
}

/* Loads `path` as a table. Records end in CRLF or LF; fields may be quoted
 * ('"' doubled inside); blank lines are skipped; every record must have the
 * header's width. Returns 0, or the exit status after a message (2 for a
 * missing or malformed file). */
static int table_load(struct table *t, const char *path)
{
	memset(t, 0, sizeof *t);
	snprintf(t->path, sizeof t->path, "%s", path);
	int rc = slurp(path, &t->text);
	if (rc)
		return rc;
	size_t n = 0, cap = 0, line_cap = 0, line = 1, records = 0;
	char *p = t->text;
	while (*p) {
		if (*p == '\n' || (*p == '\r' && p[1] == '\n')) { /* blank */
			p += *p == '\r' ? 2 : 1;
			line++;
			continue;
		}
		size_t first = n, start_line = line;
		for (;;) { /* one field */
			char *start = p, end;
			if (*p == '"') {
				char *w = p++;
				start = w;
				for (;;) {
					if (*p == '\0')
						return fail(2,
							    "%s:%zu: a quoted "
							    "field is not "
							    "closed",
							    path, start_line);
					if (*p == '"' && p[1] == '"') {
						*w++ = '"';
						p += 2;
					} else if (*p == '"') {
						p++;
						break;
					} else {
						if (*p == '\n')
							line++;
						*w++ = *p++;
					}
				}
				end = *p;
				if (end != ',' && end != '\0' && end != '\n' &&
				    !(end == '\r' && p[1] == '\n'))
					return fail(2,
						    "%s:%zu: text after a "
						    "quoted field",
						    path, line);
				*w = '\0';
			} else {
				while (*p && *p != ',' && *p != '\n' &&
				       !(*p == '\r' && p[1] == '\n'))
					p++;
				end = *p;
			}
			if (push_cell(&t->cell, &n, &cap, start))
				return out_of_memory();
			if (end == ',') {
				*p++ = '\0';
				continue;
			}
			if (end == '\r')
				*p++ = '\0';
			if (*p == '\n') {
				*p++ = '\0';
				line++;
			}
			break;
		}
		size_t width = n - first;
		if (records == 0)
			t->ncols = width;
		else if (width != t->ncols)
			return fail(2, "%s:%zu: %zu fields; the header has %zu",
				    path, start_line, width, t->ncols);
		if (push_line(&t->line, records, &line_cap, start_line))
			return out_of_memory();
		records++;
	}
	if (records == 0)
		return fail(2, "%s: empty file; expected a header row", path);
	t->nrows = records - 1;
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

/* The number in row `r` (1-based), column `c`; on error returns the exit
 * status after a message. */
static int num_at(const struct table *t, size_t r, size_t c, double *v)
{
	if (parse_num(cell(t, r, c), v))
		return fail(2, "%s:%zu: column %s: '%s' is not a number",
			    t->path, t->line[r], cell(t, 0, c), cell(t, r, c));
	return 0;
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
#define PLOT_SUMMARY_INFO(name, unit, help) {#name, unit, help},
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

/* ---- choosing metrics ---------------------------------------------------- */

/* Names a chart may draw from one file. */
struct names {
	const char **v;
	size_t n;
	char *pool; /* storage of names not in the table, or NULL */
};

static void names_free(struct names *v)
{
	free(v->v);
	free(v->pool);
	v->v = NULL;
	v->pool = NULL;
}

/* Prints the available names, wrapped, after "  available: ". */
static void print_names(const struct names *av)
{
	size_t col = 13;
	fputs("  available:", stderr);
	for (size_t i = 0; i < av->n; i++) {
		size_t len = strlen(av->v[i]) + 2;
		if (col + len > 78 && i > 0) {
			fputs("\n   ", stderr);
			col = 3;
		}
		fprintf(stderr, " %s%s", av->v[i], i + 1 < av->n ? "," : "");
		col += len;
	}
	fputc('\n', stderr);
}

/* Returns the index in `av` of metric `want`, accepting a statistic's
 * column name (M_mean, ...) for M; on failure prints what is available
 * (with a suggestion) and returns -1. `what` names the kind, e.g.
 * "metric" or "setting". */
static long pick_name(const struct names *av, const char *want,
		      const char *path, const char *what)
{
	for (size_t i = 0; i < av->n; i++)
		if (!strcmp(av->v[i], want))
			return (long)i;
	for (size_t k = 0; k < N_STAT_SUFFIXES; k++) {
		size_t lw = strlen(want), lk = strlen(stat_suffixes[k]);
		if (!ends_with(want, stat_suffixes[k]))
			continue;
		for (size_t i = 0; i < av->n; i++)
			if (strlen(av->v[i]) == lw - lk &&
			    !strncmp(av->v[i], want, lw - lk))
				return (long)i;
	}
	const char *best = schema_suggest(want, av->v, (int)av->n);
	fprintf(stderr, "cyberdef: %s: no %s '%s'", path, what, want);
	if (best)
		fprintf(stderr, "; did you mean '%s'?", best);
	fputc('\n', stderr);
	if (av->n)
		print_names(av);
	else
		fprintf(stderr, "  the file has no %s columns\n", what);
	return -1;
}

/* Fills `av` with the metrics M of a sweep file: those for which M_mean,
 * M_ci_lo and M_ci_hi are all columns, in the order of the file. Returns 0
 * or -1 (out of memory). */
static int sweep_metrics(const struct table *t, struct names *av)
{
	size_t bytes = 0;
	for (size_t c = 0; c < t->ncols; c++)
		bytes += strlen(cell(t, 0, c)) + 1;
	av->n = 0;
	av->v = malloc((t->ncols + 1) * sizeof *av->v);
	av->pool = malloc(bytes + 1);
	if (!av->v || !av->pool)
		return -1;
	char *p = av->pool, name[1024];
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = cell(t, 0, c);
		int len = (int)strlen(h) - 5;
		if (!ends_with(h, "_mean") || len + 10 > (int)sizeof name)
			continue;
		snprintf(name, sizeof name, "%.*s_ci_lo", len, h);
		if (table_col(t, name) < 0)
			continue;
		snprintf(name, sizeof name, "%.*s_ci_hi", len, h);
		if (table_col(t, name) < 0)
			continue;
		memcpy(p, h, (size_t)len);
		p[len] = '\0';
		av->v[av->n++] = p;
		p += len + 1;
	}
	return 0;
}

/* Column indexes of M_mean, M_ci_lo and M_ci_hi for a metric M that
 * sweep_metrics found. Cannot fail. */
static void stat_columns(const struct table *t, const char *m, size_t c[3])
{
	static const char *const sfx[3] = {"_mean", "_ci_lo", "_ci_hi"};
	char name[1024];
	for (int k = 0; k < 3; k++) {
		snprintf(name, sizeof name, "%s%s", m, sfx[k]);
		c[k] = (size_t)table_col(t, name);
	}
}

/* ---- building the gnuplot command ---------------------------------------- */

/* A growing string; `oom` is set when an allocation failed. */
struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->s ? b->s + b->len : NULL,
				  b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t ncap = b->cap ? b->cap : 256;
		while (ncap <= b->len + (size_t)n)
			ncap *= 2;
		char *bigger = realloc(b->s, ncap);
		if (!bigger) {
			b->oom = 1;
			return;
		}
		b->s = bigger;
		b->cap = ncap;
	}
}

/* Appends `name="value"; ` as a gnuplot assignment: '"' and '\' escaped;
 * newlines kept as \n (titles), other control characters as spaces. */
static void sb_set_str(struct sbuf *b, const char *name, const char *value)
{
	sb_printf(b, "%s=\"", name);
	for (const char *p = value; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(b, "\\%c", *p);
		else if (*p == '\n')
			sb_printf(b, "\\n");
		else if ((unsigned char)*p < 0x20)
			sb_printf(b, " ");
		else
			sb_printf(b, "%c", *p);
	}
	sb_printf(b, "\"; ");
}

static void sb_set_num(struct sbuf *b, const char *name, double v)
{
	sb_printf(b, "%s=%.17g; ", name, v);
}

/* Appends `name<i>="value"; `, for the numbered variables of the scripts. */
static void sb_set_stri(struct sbuf *b, const char *name, int i,
			const char *value)
{
	char var[64];
	snprintf(var, sizeof var, "%s%d", name, i);
	sb_set_str(b, var, value);
}

/* Writes a number for gnuplot: shortest exact text; NaN when missing. */
static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		csv_real(f, v);
	else
		fputs("NaN", f);
}

/* ---- the job ------------------------------------------------------------- */

struct mark {
	double x;
	const char *label;
};

struct opts {
	const char *dir;
	const char *metric[PLOT_MAX_METRICS];
	int n_metrics;
	const char *x;
	struct mark mark[PLOT_MAX_MARKS];
	int n_marks;
	long point[PLOT_MAX_POINTS];
	int n_points;
	int timeseries;
	const char *format; /* "png" or "svg" */
	const char *out;
	const char *title;
};

/* A data row's place in the chart: its series (block) and x value. */
struct row_key {
	double group; /* series, from 0 */
	double x;     /* setting value or day; row number for labels */
	size_t row;   /* table row, from 1; breaks ties */
};

static int cmp_row_keys(const void *a, const void *b)
{
	const struct row_key *p = a, *q = b;
	if (p->group != q->group)
		return p->group < q->group ? -1 : 1;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->row > q->row) - (p->row < q->row);
}

/* What one call owns; job_cleanup releases all of it. */
struct job {
	struct table tab;
	struct names avail;   /* metrics of the file */
	struct names varied;  /* varied settings of a sweep file */
	struct row_key *keys; /* rows to draw, in order */
	size_t n_keys;
	char metrics[2048];	    /* metrics drawn, separated by spaces */
	const char *kind;	    /* "points", "timeseries_points", ... */
	const char *script_name;    /* embedded script to run */
	struct sbuf vars;	    /* gnuplot -e assignments */
	char tmpdir[PLOT_PATH_MAX]; /* private, removed at the end */
	char data[PLOT_PATH_MAX];   /* tmpdir/data.csv */
	char script[PLOT_PATH_MAX]; /* tmpdir/plot.gp */
	char errlog[PLOT_PATH_MAX]; /* tmpdir/gnuplot.log */
	char out[PLOT_PATH_MAX];    /* the chart */
	char tmpout[PLOT_PATH_MAX]; /* gnuplot writes here, then rename */
};

static void job_cleanup(struct job *j)
{
	table_free(&j->tab);
	names_free(&j->avail);
	names_free(&j->varied);
	free(j->keys);
	free(j->vars.s);
	if (j->tmpout[0])
		(void)remove(j->tmpout);
	if (j->tmpdir[0]) {
		(void)remove(j->data);
		(void)remove(j->script);
		(void)remove(j->errlog);
		(void)rmdir(j->tmpdir);
	}
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

/* Opens tmpdir/data.csv for writing; returns NULL after a message. */
static FILE *open_data(struct job *j)
{
	FILE *f = fopen(j->data, "w");
	if (!f)
		fail(1, "cannot write %s: %s", j->data, strerror(errno));
	return f;
}

static int close_data(struct job *j, FILE *f)
{
	int bad = ferror(f);
	if (fclose(f) || bad)
		return fail(1, "cannot write %s: %s", j->data,
			    strerror(errno ? errno : EIO));
	return 0;
}

/* Allocates one key per table row. Returns 0 or the exit status. */
static int alloc_keys(struct job *j)
{
	j->keys = malloc((j->tab.nrows + 1) * sizeof *j->keys);
	return j->keys ? 0 : out_of_memory();
}

/* Fills j->varied with the columns that hold the varied settings: every
 * column but `point`, `runs`, `day` and the statistics. Returns 0 or the
 * exit status. */
static int varied_columns(struct job *j)
{
	const struct table *t = &j->tab;
	struct names *v = &j->varied;
	v->n = 0;
	v->v = malloc((t->ncols + 1) * sizeof *v->v);
	if (!v->v)
		return out_of_memory();
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = cell(t, 0, c);
		if (strcmp(h, "point") && strcmp(h, "runs") &&
		    strcmp(h, "day") && !is_stat_column(h))
			v->v[v->n++] = h;
	}
	return 0;
}

/* Sets group<g>="name=value, ..." from the varied columns (except `skip`)
 * of table row r, or "point N" when there are none. */
static void set_group_title(struct job *j, int g, size_t r, const char *skip)
{
	const struct table *t = &j->tab;
	struct sbuf gt = {0};
	for (size_t i = 0; i < j->varied.n; i++) {
		if (skip && !strcmp(j->varied.v[i], skip))
			continue;
		sb_printf(&gt, "%s%s=%s", gt.len ? ", " : "", j->varied.v[i],
			  cell(t, r, (size_t)table_col(t, j->varied.v[i])));
	}
	long cp = table_col(t, "point");
	if (!gt.len && cp >= 0)
		sb_printf(&gt, "point %s", cell(t, r, (size_t)cp));
	if (gt.oom)
		j->vars.oom = 1;
	else
		sb_set_stri(&j->vars, "group", g, gt.s ? gt.s : "");
	free(gt.s);
}

/* Looks up the --metric names (default `def`, else the file's first) in
 * j->avail; fills metric[] and j->metrics. Returns the number of metrics,
 * or -1 after a message. */
static int pick_metrics(struct job *j, const struct opts *o, const char *def,
			const char *what, const char *metric[])
{
	int n = 0;
	for (int i = 0; i < o->n_metrics; i++) {
		long k = pick_name(&j->avail, o->metric[i], j->tab.path, what);
		if (k < 0)
			return -1;
		metric[n++] = j->avail.v[k];
	}
	if (!n) {
		if (!j->avail.n) {
			fail(2, "%s: no %s columns", j->tab.path, what);
			return -1;
		}
		metric[n++] = j->avail.v[0];
		for (size_t i = 0; i < j->avail.n; i++)
			if (!strcmp(j->avail.v[i], def))
				metric[0] = j->avail.v[i];
	}
	j->metrics[0] = '\0';
	for (int m = 0; m < n; m++) {
		size_t len = strlen(j->metrics);
		snprintf(j->metrics + len, sizeof j->metrics - len, "%s%s",
			 m ? " " : "", metric[m]);
	}
	sb_set_str(&j->vars, "metrics", j->metrics);
	return n;
}

/* Writes the header of one block of the data file. */
static void block_header(FILE *f, int first, const struct table *t,
			 const char *xcol, int n_cols, const size_t *cols)
{
	fputs(first ? "" : "\n\n", f);
	csv_str(f, xcol);
	for (int c = 0; c < n_cols; c++) {
		csv_sep(f);
		csv_str(f, cell(t, 0, cols[c]));
	}
	fputc('\n', f);
}

/* The subtitle of sweep charts. */
static void runs_text(const struct table *t, char *buf, size_t size)
{
	long c = table_col(t, "runs");
	const char *runs = t->nrows && c >= 0 ? cell(t, 1, (size_t)c) : "";
	for (size_t r = 2; r <= t->nrows && *runs; r++)
		if (strcmp(cell(t, r, (size_t)c), runs))
			runs = "";
	if (*runs)
		snprintf(buf, size, "mean of %s runs", runs);
	else
		snprintf(buf, size, "mean over runs");
}

/* Checks that column `col` has a number in some row of j->keys: a chart of
 * nothing would only make gnuplot fail. Returns 0 or 2 after a message. */
static int require_values(const struct job *j, size_t col, const char *metric)
{
	for (size_t i = 0; i < j->n_keys; i++) {
		double v;
		if (!parse_num(cell(&j->tab, j->keys[i].row, col), &v) &&
		    isfinite(v))
			return 0;
	}
	return fail(2,
		    "%s: metric '%s' has no values (column %s is empty); "
		    "nothing to draw",
		    j->tab.path, metric, cell(&j->tab, 0, col));
}

/* ---- points.csv ---------------------------------------------------------- */

static int prepare_points(struct job *j, const struct opts *o)
{
	struct table *t = &j->tab;
	struct sbuf *b = &j->vars;
	int rc;
	if (table_col(t, "point") < 0)
		return fail(2,
			    "%s: no column 'point'; expected the points.csv "
			    "of `cyberdef sweep`",
			    t->path);
	if (sweep_metrics(t, &j->avail))
		return out_of_memory();
	if ((rc = varied_columns(j)))
		return rc;
	const char *metric[PLOT_MAX_METRICS];
	int n_metrics = pick_metrics(j, o, "intrusions", "metric", metric);
	if (n_metrics < 0)
		return 2;

	/* The x axis: a varied setting (or the point id when none). */
	const char *xcol = j->varied.n ? j->varied.v[0] : "point";
	if (o->x && strcmp(o->x, "point")) {
		long k = pick_name(&j->varied, o->x, t->path, "varied setting");
		if (k < 0)
			return 2;
		xcol = j->varied.v[k];
	} else if (o->x) {
		xcol = "point";
	}
	size_t cx = (size_t)table_col(t, xcol);
	int xcat = 0; /* values that are not all numbers: labels */
	for (size_t r = 1; r <= t->nrows; r++) {
		double v;
		if (parse_num(cell(t, r, cx), &v) || !isfinite(v))
			xcat = 1;
	}
	size_t cols[3 * PLOT_MAX_METRICS];
	int n_cols = 3 * n_metrics;
	for (int m = 0; m < n_metrics; m++)
		stat_columns(t, metric[m], cols + 3 * m);
	for (int c = 0; c < n_cols; c++)
		for (size_t r = 1; r <= t->nrows; r++) {
			double v;
			if ((rc = num_at(t, r, cols[c], &v)))
				return rc;
		}

	/* Series: rows with equal values of the other varied settings, in
	 * order of first appearance; within a series, rows by x. */
	if ((rc = alloc_keys(j)))
		return rc;
	size_t *first = malloc((t->nrows + 1) * sizeof *first);
	if (!first)
		return out_of_memory();
	size_t n_groups = 0;
	for (size_t r = 1; r <= t->nrows; r++) {
		size_t g = 0;
		for (; g < n_groups; g++) {
			size_t i = 0;
			for (; i < j->varied.n; i++) {
				size_t c = (size_t)table_col(t, j->varied.v[i]);
				if (c != cx &&
				    strcmp(cell(t, r, c), cell(t, first[g], c)))
					break;
			}
			if (i == j->varied.n)
				break;
		}
		if (g == n_groups)
			first[n_groups++] = r;
		double x = (double)r;
		if (!xcat)
			(void)parse_num(cell(t, r, cx), &x);
		j->keys[j->n_keys++] = (struct row_key){(double)g, x, r};
	}
	qsort(j->keys, j->n_keys, sizeof *j->keys, cmp_row_keys);
	for (int m = 0; m < n_metrics; m++)
		if ((rc = require_values(j, cols[3 * m], metric[m]))) {
			free(first);
			return rc;
		}
	for (size_t g = 0; g < n_groups && n_groups > 1; g++)
		set_group_title(j, (int)g + 1, first[g], xcol);
	free(first);

	FILE *f = open_data(j);
	if (!f)
		return 1;
	for (size_t i = 0; i < j->n_keys; i++) {
		const struct row_key *k = &j->keys[i];
		if (i == 0 || k->group != k[-1].group)
			block_header(f, i == 0, t, xcol, n_cols, cols);
		if (xcat)
			csv_str(f, cell(t, k->row, cx));
		else
			put_num(f, k->x);
		for (int c = 0; c < n_cols; c++) {
			double v;
			(void)parse_num(cell(t, k->row, cols[c]), &v);
			csv_sep(f);
			put_num(f, v);
		}
		fputc('\n', f);
	}
	if ((rc = close_data(j, f)))
		return rc;

	/* Labels. */
	char text[1024], mean[128];
	sb_set_str(b, "xcol", xcol);
	sb_printf(b, "xcat=%d; ngroups=%zu; ", xcat, n_groups);
	const char *unit = setting_unit(xcol);
	snprintf(text, sizeof text, "%s%s%s%s", xcol, unit ? " (" : "",
		 unit ? unit : "", unit ? ")" : "");
	sb_set_str(b, "xlabel", text);
	for (int m = 0; m < n_metrics; m++) {
		const struct metric_info *mi = find_summary_info(metric[m]);
		sb_set_stri(b, "yunit", m + 1, mi ? mi->unit : "");
	}
	runs_text(t, mean, sizeof mean);
	sb_set_str(b, "mean_title", mean);
	if (o->title) {
		sb_set_str(b, "title", o->title);
	} else {
		char head[512];
		const struct metric_info *mi = find_summary_info(metric[0]);
		if (n_metrics == 1 && mi)
			title_from_help(head, sizeof head, mi->help);
		else
			snprintf(head, sizeof head, "%s",
				 n_metrics == 1 ? metric[0] : "Sweep results");
		snprintf(text, sizeof text,
			 "%s against %s\n%s per point with its 95%% "
			 "confidence interval",
			 head, xcol, mean);
		sb_set_str(b, "title", text);
	}
	j->kind = "points";
	j->script_name = "plot_points.gp";
	return 0;
}

/* ---- timeseries_points.csv ----------------------------------------------- */

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Chooses the sweep points to draw from the sorted, distinct ids[]:
 * --point, or all, or some spread over them. Returns the number, or -1
 * after a message. */
static int pick_points(const struct job *j, const struct opts *o,
		       const long *ids, size_t n_ids, long *want)
{
	int n = 0;
	if (o->n_points) {
		for (int i = 0; i < o->n_points; i++) {
			if (!bsearch(&o->point[i], ids, n_ids, sizeof *ids,
				     cmp_long)) {
				fail(2,
				     "%s: no point %ld; the file has points "
				     "%ld to %ld",
				     j->tab.path, o->point[i], ids[0],
				     ids[n_ids - 1]);
				return -1;
			}
			want[n++] = o->point[i];
		}
	} else if (n_ids > PLOT_AUTO_POINTS) {
		for (size_t i = 0; i < PLOT_PICKED_POINTS; i++)
			want[n++] =
				ids[i * (n_ids - 1) / (PLOT_PICKED_POINTS - 1)];
		fprintf(stderr, "cyberdef: drawing %d of the %zu points (", n,
			n_ids);
		for (int i = 0; i < n; i++)
			fprintf(stderr, "%s%ld", i ? ", " : "", want[i]);
		fprintf(stderr, "); choose others with --point\n");
	} else {
		for (size_t i = 0; i < n_ids; i++)
			want[n++] = ids[i];
	}
	return n;
}

static int prepare_sweep_series(struct job *j, const struct opts *o)
{
	struct table *t = &j->tab;
	struct sbuf *b = &j->vars;
	long cpoint = table_col(t, "point"), cday = table_col(t, "day");
	int rc;
	if (cpoint < 0 || cday < 0)
		return fail(2,
			    "%s: no column '%s'; expected the "
			    "timeseries_points.csv of `cyberdef sweep`",
			    t->path, cpoint < 0 ? "point" : "day");
	if (sweep_metrics(t, &j->avail))
		return out_of_memory();
	if ((rc = varied_columns(j)))
		return rc;
	const char *metric[PLOT_MAX_METRICS];
	int n_metrics =
		pick_metrics(j, o, "intrusions", "daily metric", metric);
	if (n_metrics < 0)
		return 2;
	size_t cols[3 * PLOT_MAX_METRICS];
	int n_cols = 3 * n_metrics;
	for (int m = 0; m < n_metrics; m++)
		stat_columns(t, metric[m], cols + 3 * m);

	/* Every row's (point, day); the distinct points. */
	if ((rc = alloc_keys(j)))
		return rc;
	long *ids = malloc((t->nrows + 1) * sizeof *ids);
	if (!ids)
		return out_of_memory();
	size_t n_ids = 0;
	for (size_t r = 1; r <= t->nrows; r++) {
		double p, d;
		if ((rc = num_at(t, r, (size_t)cpoint, &p)) ||
		    (rc = num_at(t, r, (size_t)cday, &d))) {
			free(ids);
			return rc;
		}
		if (!(p >= 0 && p < 1e9 && p == floor(p)) ||
		    !(d >= 0 && d < 1e9 && d == floor(d))) {
			free(ids);
			return fail(2,
				    "%s:%zu: point and day must be whole "
				    "numbers, got '%s' and '%s'",
				    t->path, t->line[r],
				    cell(t, r, (size_t)cpoint),
				    cell(t, r, (size_t)cday));
		}
		ids[n_ids++] = (long)p;
		j->keys[r - 1] = (struct row_key){p, d, r};
	}
	qsort(ids, n_ids, sizeof *ids, cmp_long);
	size_t u = 0;
	for (size_t i = 0; i < n_ids; i++)
		if (u == 0 || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	n_ids = u;
	if (!n_ids) {
		free(ids);
		return fail(2, "%s: no rows", t->path);
	}
	long want[PLOT_MAX_POINTS];
	int n_want = pick_points(j, o, ids, n_ids, want);
	free(ids);
	if (n_want < 0)
		return 2;

	/* Keep the rows of the points drawn, as series in --point order. */
	size_t kept = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct row_key k = j->keys[i];
		int g = 0;
		while (g < n_want && (double)want[g] != k.group)
			g++;
		if (g == n_want)
			continue;
		k.group = g;
		j->keys[kept++] = k;
	}
	j->n_keys = kept;
	qsort(j->keys, j->n_keys, sizeof *j->keys, cmp_row_keys);
	for (int m = 0; m < n_metrics; m++)
		if ((rc = require_values(j, cols[3 * m], metric[m])))
			return rc;

	FILE *f = open_data(j);
	if (!f)
		return 1;
	int group = 0;
	for (size_t i = 0; i < j->n_keys; i++) {
		const struct row_key *k = &j->keys[i];
		if (i == 0 || k->group != k[-1].group) {
			block_header(f, i == 0, t, "day", n_cols, cols);
			set_group_title(j, ++group, k->row, NULL);
		}
		put_num(f, k->x);
		for (int c = 0; c < n_cols; c++) {
			double v;
			if ((rc = num_at(t, k->row, cols[c], &v))) {
				(void)fclose(f);
				return rc;
			}
			csv_sep(f);
			put_num(f, v);
		}
		fputc('\n', f);
	}
	if ((rc = close_data(j, f)))
		return rc;

	char text[1024];
	sb_printf(b, "bands=1; ngroups=%d; ", group);
	for (int m = 0; m < n_metrics; m++) {
		const struct daily_info *di = find_daily_info(metric[m]);
		sb_set_stri(b, "yunit", m + 1, di ? di->unit : "");
	}
	if (o->title) {
		sb_set_str(b, "title", o->title);
	} else {
		const struct daily_info *di = find_daily_info(metric[0]);
		char head[512];
		if (n_metrics > 1)
			snprintf(head, sizeof head, "Daily metrics");
		else if (di)
			snprintf(head, sizeof head, "%s", di->title);
		else
			snprintf(head, sizeof head, "%s per day", metric[0]);
		snprintf(text, sizeof text,
			 "%s\nnational total: mean over each sweep point's "
			 "runs with its 95%% confidence interval",
			 head);
		sb_set_str(b, "title", text);
	}
	j->kind = "timeseries_points";
	j->script_name = "plot_timeseries.gp";
	return 0;
}

/* ---- a run's timeseries.csv ---------------------------------------------- */

static int prepare_run_series(struct job *j, const struct opts *o)
{
	struct table *t = &j->tab;
	struct sbuf *b = &j->vars;
	long cday = table_col(t, "day");
	int rc;
	if (cday < 0)
		return fail(2,
			    "%s: no column 'day'; expected the timeseries.csv "
			    "of `cyberdef run`",
			    t->path);
	j->avail.n = 0;
	j->avail.v = malloc((t->ncols + 1) * sizeof *j->avail.v);
	if (!j->avail.v)
		return out_of_memory();
	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = cell(t, 0, c);
		if (strcmp(h, "day") && strcmp(h, "segment") &&
		    strcmp(h, "kind"))
			j->avail.v[j->avail.n++] = h;
	}
	const char *metric[PLOT_MAX_METRICS];
	int n_metrics =
		pick_metrics(j, o, "intrusions", "daily metric", metric);
	if (n_metrics < 0)
		return 2;
	size_t cols[PLOT_MAX_METRICS];
	enum daily_agg agg[PLOT_MAX_METRICS];
	for (int m = 0; m < n_metrics; m++) {
		const struct daily_info *di = find_daily_info(metric[m]);
		cols[m] = (size_t)table_col(t, metric[m]);
		agg[m] = di ? di->agg : AGG_SUM;
	}

	/* One national value per day: sum (or mean, or maximum) over the
	 * segments' rows, accumulated in day order. */
	if ((rc = alloc_keys(j)))
		return rc;
	for (size_t r = 1; r <= t->nrows; r++) {
		double d;
		if ((rc = num_at(t, r, (size_t)cday, &d)))
			return rc;
		if (!(d >= 0 && d < 1e9 && d == floor(d)))
			return fail(2,
				    "%s:%zu: day must be a whole number, got "
				    "'%s'",
				    t->path, t->line[r],
				    cell(t, r, (size_t)cday));
		j->keys[j->n_keys++] = (struct row_key){0, d, r};
	}
	if (!j->n_keys)
		return fail(2, "%s: no rows", t->path);
	qsort(j->keys, j->n_keys, sizeof *j->keys, cmp_row_keys);
	for (int m = 0; m < n_metrics; m++)
		if ((rc = require_values(j, cols[m], metric[m])))
			return rc;

	FILE *f = open_data(j);
	if (!f)
		return 1;
	block_header(f, 1, t, "day", n_metrics, cols);
	for (size_t i = 0; i < j->n_keys;) {
		double acc[PLOT_MAX_METRICS], day = j->keys[i].x;
		size_t seen[PLOT_MAX_METRICS] = {0};
		for (; i < j->n_keys && j->keys[i].x == day; i++) {
			for (int m = 0; m < n_metrics; m++) {
				double v;
				if ((rc = num_at(t, j->keys[i].row, cols[m],
						 &v))) {
					(void)fclose(f);
					return rc;
				}
				if (isnan(v))
					continue;
				if (!seen[m]++)
					acc[m] = v;
				else if (agg[m] == AGG_MAX)
					acc[m] = v > acc[m] ? v : acc[m];
				else
					acc[m] += v;
			}
		}
		put_num(f, day);
		for (int m = 0; m < n_metrics; m++) {
			csv_sep(f);
			put_num(f, !seen[m] ? NAN
				   : agg[m] == AGG_MEAN
					   ? acc[m] / (double)seen[m]
					   : acc[m]);
		}
		fputc('\n', f);
	}
	if ((rc = close_data(j, f)))
		return rc;

	char text[PLOT_PATH_MAX + 512];
	sb_printf(b, "bands=0; ngroups=1; ");
	for (int m = 0; m < n_metrics; m++) {
		const struct daily_info *di = find_daily_info(metric[m]);
		const char *how = agg[m] == AGG_MEAN  ? "mean over segments"
				  : agg[m] == AGG_MAX ? "any segment"
						      : "";
		snprintf(text, sizeof text, "%s%s%s", di ? di->unit : "",
			 di && *how ? ", " : "", how);
		sb_set_stri(b, "yunit", m + 1, text);
	}
	if (o->title) {
		sb_set_str(b, "title", o->title);
	} else {
		const struct daily_info *di = find_daily_info(metric[0]);
		const char *what = agg[0] == AGG_MEAN  ? "mean over segments"
				   : agg[0] == AGG_MAX ? "any segment"
						       : "national total";
		if (n_metrics > 1)
			snprintf(text, sizeof text,
				 "Daily metrics\none run, national values "
				 "from %s",
				 t->path);
		else
			snprintf(text, sizeof text,
				 "%s%s\none run, %s, from %s",
				 di ? di->title : metric[0],
				 di ? "" : " per day", what, t->path);
		sb_set_str(b, "title", text);
	}
	j->kind = "timeseries";
	j->script_name = "plot_timeseries.gp";
	return 0;
}

/* ---- running gnuplot ----------------------------------------------------- */

/* Finds an executable `gnuplot` in PATH; returns 0 and its path, or -1. */
static int find_gnuplot(char *buf, size_t size)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	for (const char *p = path;;) {
		size_t len = strcspn(p, ":");
		int n = snprintf(buf, size, "%.*s/gnuplot", (int)len,
				 len ? p : ".");
		struct stat st;
		if (n > 0 && (size_t)n < size && stat(buf, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 0;
		if (!p[len])
			return -1;
		p += len + 1;
	}
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

/* Prints the file `path` (gnuplot's messages) to stderr, indented. */
static void print_log(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '\n')
			continue;
		fprintf(stderr, "  %s", line);
		if (!strchr(line, '\n'))
			fputc('\n', stderr);
	}
	(void)fclose(f); /* read only */
}

static int log_empty(const char *path)
{
	struct stat st;
	return stat(path, &st) != 0 || st.st_size == 0;
}

/* Runs gnuplot on the job's script; its output goes to the temporary chart
 * name, which is renamed onto the chart when complete. */
static int run_gnuplot(struct job *j, const char *gnuplot)
{
	const char *argv[] = {"gnuplot", "-d",	    "-e",
			      j->vars.s, j->script, NULL};
	struct sigaction sa = {0}, old_int, old_term;
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	(void)fflush(NULL); /* the child must not write our buffers again */
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		return fail(1, "cannot start gnuplot: %s", strerror(err));
	}
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int log = open(j->errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || log < 0 || dup2(in, 0) < 0 || dup2(log, 1) < 0 ||
		    dup2(log, 2) < 0)
			_exit(126);
		(void)signal(SIGINT, SIG_DFL);
		(void)signal(SIGTERM, SIG_DFL);
		execv(gnuplot, (char *const *)argv);
		static const char msg[] = "cannot execute gnuplot\n";
		(void)!write(2, msg, sizeof msg - 1);
		_exit(127);
	}
	int st = 0, killed = 0;
	for (;;) {
		if (interrupted && !killed) {
			kill(pid, SIGTERM);
			killed = 1;
		}
		pid_t r = waitpid(pid, &st, 0);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			st = -1;
			break;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (interrupted)
		return fail(128 + interrupted, "interrupted; no chart written");
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (st != -1 && WIFSIGNALED(st))
			fail(1, "gnuplot was killed by signal %d",
			     WTERMSIG(st));
		else
			fail(1, "gnuplot failed (exit status %d):",
			     st == -1 ? -1 : WEXITSTATUS(st));
		print_log(j->errlog);
		return 1;
	}
	struct stat ost;
	if (stat(j->tmpout, &ost) != 0 || ost.st_size == 0) {
		fail(1, "gnuplot wrote no chart:");
		print_log(j->errlog);
		return 1;
	}
	if (!log_empty(j->errlog)) { /* warnings */
		fprintf(stderr, "cyberdef: gnuplot says:\n");
		print_log(j->errlog);
	}
	int fd = open(j->tmpout, O_RDONLY);
	if (fd < 0 || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(j->tmpout, j->out) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return fail(1, "cannot write %s: %s", j->out, strerror(err));
	}
	j->tmpout[0] = '\0'; /* renamed: nothing to remove */
	return 0;
}

/* Writes the script named j->script_name into the temporary directory. */
static int write_script(struct job *j)
{
	const char *text = NULL;
	for (int i = 0; i < cd_n_plot_scripts; i++)
		if (!strcmp(cd_plot_scripts[i].path, j->script_name))
			text = cd_plot_scripts[i].text;
	if (!text)
		return fail(1, "internal error: no script %s", j->script_name);
	FILE *f = fopen(j->script, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		int err = errno;
		return fail(1, "cannot write %s: %s", j->script, strerror(err));
	}
	return 0;
}

/* ---- the command --------------------------------------------------------- */

static int parse_opts(int argc, char **argv, struct opts *o)
{
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
		if (a[0] == '-' && a[1]) {
			static const char *const with_value[] = {
				"--metric", "--x",     "--mark", "--point",
				"--format", "--title", "--out"};
			int known = 0;
			for (size_t k = 0; k < 7; k++)
				known |= !strcmp(a, with_value[k]);
			if (!known)
				return bad_usage("unknown option ", a);
			if (i + 1 >= argc)
				return bad_usage("missing value after ", a);
		}
		const char *v = argv[i + 1];
		if (!strcmp(a, "--metric")) {
			if (o->n_metrics == PLOT_MAX_METRICS)
				return bad_usage("too many --metric options; "
						 "at most ",
						 "4");
			if (!*v)
				return bad_usage("--metric needs a name", "");
			o->metric[o->n_metrics++] = v;
		} else if (!strcmp(a, "--x")) {
			if (!*v)
				return bad_usage("--x needs a setting", "");
			o->x = v;
		} else if (!strcmp(a, "--mark")) {
			if (o->n_marks == PLOT_MAX_MARKS)
				return bad_usage("too many --mark options; "
						 "at most ",
						 "16");
			char num[64];
			const char *eq = strchr(v, '=');
			size_t len = eq ? (size_t)(eq - v) : strlen(v);
			double x;
			snprintf(num, sizeof num, "%.*s", (int)len, v);
			if (len >= sizeof num || parse_num(num, &x) ||
			    !isfinite(x))
				return bad_usage("--mark: expected X or "
						 "X=LABEL with X a number, "
						 "got ",
						 v);
			o->mark[o->n_marks].x = x;
			o->mark[o->n_marks++].label = eq ? eq + 1 : v;
		} else if (!strcmp(a, "--point")) {
			if (o->n_points == PLOT_MAX_POINTS)
				return bad_usage("too many --point options; "
						 "at most ",
						 "64");
			double p;
			if (parse_num(v, &p) || !(p >= 0 && p < 1e9) ||
			    p != floor(p))
				return bad_usage("--point: expected a point "
						 "number (0, 1, ...), got ",
						 v);
			o->point[o->n_points++] = (long)p;
		} else if (!strcmp(a, "--format")) {
			if (strcmp(v, "png") && strcmp(v, "svg"))
				return bad_usage("--format: allowed: png or "
						 "svg, got ",
						 v);
			o->format = v;
		} else if (!strcmp(a, "--title")) {
			o->title = v;
		} else if (!strcmp(a, "--out")) {
			if (!*v)
				return bad_usage("--out needs a file name", "");
			o->out = v;
		} else if (o->dir) {
			return bad_usage("more than one directory given: ", a);
		} else {
			o->dir = a;
			continue;
		}
		i++;
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

static int cmp_marks(const void *a, const void *b)
{
	double x = ((const struct mark *)a)->x, y = ((const struct mark *)b)->x;
	return (x > y) - (x < y);
}

/* Chooses the input file and mode, loads it and prepares the data. */
static int prepare(struct job *j, const struct opts *o)
{
	char points[PLOT_PATH_MAX], series[PLOT_PATH_MAX], run[PLOT_PATH_MAX];
	int rc;
	if ((rc = path_cat(points, sizeof points, o->dir, "/points.csv")) ||
	    (rc = path_cat(series, sizeof series, o->dir,
			   "/timeseries_points.csv")) ||
	    (rc = path_cat(run, sizeof run, o->dir, "/timeseries.csv")))
		return rc;
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
	enum { POINTS, SWEEP_SERIES, RUN_SERIES } mode;
	if (!o->timeseries && is_file(points))
		mode = POINTS;
	else if (is_file(series))
		mode = SWEEP_SERIES;
	else if (is_file(run))
		mode = RUN_SERIES;
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
	if (mode != POINTS && o->x)
		return fail(2, "--x applies to a sweep's points.csv only; a "
			       "time series has days on the x axis");
	if (mode != SWEEP_SERIES && o->n_points)
		return fail(2,
			    "--point applies to a sweep's "
			    "timeseries_points.csv only%s",
			    mode == POINTS ? " (add --timeseries)" : "");

	rc = table_load(&j->tab, mode == POINTS		? points
				 : mode == SWEEP_SERIES ? series
							: run);
	if (rc)
		return rc;
	rc = mode == POINTS	    ? prepare_points(j, o)
	     : mode == SWEEP_SERIES ? prepare_sweep_series(j, o)
				    : prepare_run_series(j, o);
	if (rc)
		return rc;

	/* The chart's path: --out, or DIR/<kind>_<metric>[_<metric>...].<fmt>
	 */
	char name[PLOT_PATH_MAX];
	int n = snprintf(name, sizeof name, "%s/%s_%s.%s", o->dir, j->kind,
			 j->metrics, o->format);
	for (char *p = name + strlen(o->dir) + 1; n > 0 && *p; p++)
		if (*p == ' ')
			*p = '_';
	if (n < 0 || (size_t)n >= sizeof name)
		return fail(2, "path too long: %s", name);
	if ((rc = path_cat(j->out, sizeof j->out, o->out ? o->out : name, "")))
		return rc;
	if (is_dir(j->out))
		return fail(2, "--out %s is a directory; give a file name",
			    j->out);
	return 0;
}

int plot_main(int argc, char **argv)
{
	struct opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	/* "out/" names the same directory as "out": keep paths tidy. */
	char dir_arg[PLOT_PATH_MAX];
	if (path_cat(dir_arg, sizeof dir_arg, o.dir, ""))
		return 2;
	for (size_t n = strlen(dir_arg); n > 1 && dir_arg[n - 1] == '/';)
		dir_arg[--n] = '\0';
	o.dir = dir_arg;
	struct job j;
	memset(&j, 0, sizeof j);

	const char *tmp = getenv("TMPDIR");
	if (path_cat(j.tmpdir, sizeof j.tmpdir, tmp && *tmp ? tmp : "/tmp",
		     "/cyberdef-plot-XXXXXX")) {
		j.tmpdir[0] = '\0';
		return 1;
	}
	if (!mkdtemp(j.tmpdir)) {
		rc = fail(1, "cannot make a temporary directory %s: %s",
			  j.tmpdir, strerror(errno));
		j.tmpdir[0] = '\0';
		goto done;
	}
	if ((rc = path_cat(j.data, sizeof j.data, j.tmpdir, "/data.csv")) ||
	    (rc = path_cat(j.script, sizeof j.script, j.tmpdir, "/plot.gp")) ||
	    (rc = path_cat(j.errlog, sizeof j.errlog, j.tmpdir,
			   "/gnuplot.log")))
		goto done;

	if ((rc = prepare(&j, &o)))
		goto done;
	char gnuplot[PLOT_PATH_MAX];
	if (find_gnuplot(gnuplot, sizeof gnuplot)) {
		fputs(no_gnuplot, stderr);
		rc = 1;
		goto done;
	}

	/* The chart's directory, and its temporary name there. */
	char dir[PLOT_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", j.out);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : j.out;
	if (slash) {
		*slash = '\0';
		if (*dir && cd_mkdir_p(dir)) {
			rc = fail(1, "cannot create directory %s: %s", dir,
				  strerror(errno));
			goto done;
		}
	}
	int n = snprintf(j.tmpout, sizeof j.tmpout, "%s%s.%s.tmp.%ld",
			 slash ? dir : "", slash ? "/" : "", base,
			 (long)getpid());
	if (n < 0 || (size_t)n >= sizeof j.tmpout) {
		j.tmpout[0] = '\0';
		rc = fail(2, "--out: path too long: %s", j.out);
		goto done;
	}

	struct sbuf *b = &j.vars;
	sb_set_str(b, "datafile", j.data);
	sb_set_str(b, "outfile", j.tmpout);
	sb_set_str(b, "term", o.format);
	qsort(o.mark, (size_t)o.n_marks, sizeof *o.mark, cmp_marks);
	sb_printf(b, "nmarks=%d; ", o.n_marks);
	for (int i = 0; i < o.n_marks; i++) {
		char var[32];
		snprintf(var, sizeof var, "mark_x%d", i + 1);
		sb_set_num(b, var, o.mark[i].x);
		sb_set_stri(b, "mark_label", i + 1, o.mark[i].label);
	}
	if (b->oom) {
		rc = out_of_memory();
		goto done;
	}
	if ((rc = write_script(&j)) || (rc = run_gnuplot(&j, gnuplot)))
		goto done;
	printf("%s\n", j.out);
done:
	job_cleanup(&j);
	return rc;
}
