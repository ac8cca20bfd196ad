/* plot_cmd: the `cyberdef plot` command (plot_cmd.h): its options, its
 * messages and exit statuses. The chart is prepared in the analysis layer
 * (analysis/plot.h) and drawn by gnuplot (plot_gnuplot.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "cmd/plot_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/plot.h"
#include "cmd/options.h"
#include "cmd/plot_gnuplot.h"
#include "core/status.h"

#define PLOT_USAGE                                                            \
	"usage: cyberdef plot DIR [--metric NAME]... [--x SETTING] "          \
	"[--mark X[=LABEL]]...\n"                                             \
	"                     [--timeseries] [--point N]... [--format "       \
	"png|svg]\n"                                                          \
	"                     [--chart posterior|fit] [--title TEXT] [--out " \
	"FILE]\n"

/* The usage shown after an error, and the help. */
static const char usage_short[] =
	PLOT_USAGE "(cyberdef plot --help for more)\n";

static const char usage_plot[] = PLOT_USAGE
	"\n"
	"Draws a chart with gnuplot from the output directory DIR of "
	"`cyberdef\n"
	"sweep`, `run`, `compare`, `sensitivity`, `calibrate` or `observe`:\n"
	"  - DIR/points.csv (a sweep): each metric's mean against the varied\n"
	"    setting, with its 95% confidence band; one line per value of any\n"
	"    other varied setting;\n"
	"  - DIR/timeseries_points.csv (a sweep, with --timeseries or without\n"
	"    points.csv): a daily metric's national total, mean and 95% band,\n"
	"    one line per sweep point;\n"
	"  - DIR/timeseries.csv (a run): a daily metric's national total (sum\n"
	"    over segments; fractions are averaged, crisis is the maximum);\n"
	"  - DIR/effects.csv (a comparison), DIR/indices.csv (a sensitivity\n"
	"    analysis): a forest plot of the effects or indices;\n"
	"  - DIR/posterior.csv (a calibration): the posterior marginals, one\n"
	"    panel per parameter: the final generation's weighted histogram "
	"on\n"
	"    its prior's range (log axis for a log-uniform prior), the "
	"weighted\n"
	"    median marked;\n"
	"  - DIR/fit.csv (a calibration with --chart fit, or `observe`): the\n"
	"    predictive check, one line per target relative to its observed\n"
	"    value: observed +-1 sd, model median and 90% interval.\n"
	"\n"
	"  --metric NAME   metric to draw, repeatable: one panel each, at most "
	"4\n"
	"                  (default intrusions); a summary column of "
	"summary.csv\n"
	"                  for points.csv, a daily column otherwise; the\n"
	"                  parameters (posterior.csv) or targets (fit.csv) "
	"to\n"
	"                  draw (default all)\n"
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
	"  --chart CHART   of a calibration: posterior (default) or fit\n"
	"  --title TEXT    chart title (default: from the metric and setting)\n"
	"  --out FILE      chart to write (default DIR/points_METRIC.png,\n"
	"                  DIR/timeseries_points_METRIC.png or\n"
	"                  DIR/timeseries_METRIC.png, DIR/posterior_all.png,\n"
	"                  DIR/fit_all.png, ...); written when complete\n"
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

/* Writes "<a><b>" into buf; returns 0, or 1 after a message if too long. */
static int path_cat(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s%s", a, b);
	if (n < 0 || (size_t)n >= size)
		return fail(1, "path too long: %s%s", a, b);
	return 0;
}

/* Parses a whole number text (strtod); returns 0, or -1 if it is not. */
static int parse_num(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return end == s || *end ? -1 : 0;
}

/* ---- options ----------------------------------------------------------- */

/* The options' codes (getopt_long's `val`). */
enum {
	OPT_METRIC = OPT_FIRST_OWN,
	OPT_X,
	OPT_MARK,
	OPT_POINT,
	OPT_FORMAT,
	OPT_TITLE,
	OPT_CHART, /* --out: a file, not the shared --out directory */
	OPT_TIMESERIES,
	OPT_WHICH /* --chart */
};

static const struct option longopts[] = {
	{"metric", required_argument, NULL, OPT_METRIC},
	{"x", required_argument, NULL, OPT_X},
	{"mark", required_argument, NULL, OPT_MARK},
	{"point", required_argument, NULL, OPT_POINT},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"title", required_argument, NULL, OPT_TITLE},
	{"out", required_argument, NULL, OPT_CHART},
	{"timeseries", no_argument, NULL, OPT_TIMESERIES},
	{"chart", required_argument, NULL, OPT_WHICH},
	CMD_OPT_HELP,
	CMD_OPT_END};

static int parse_mark(struct cmd_line *l, struct plot_opts *o, const char *v)
{
	if (o->n_marks == PLOT_MAX_MARKS)
		return cmd_bad(l, "too many --mark options; at most ", "16");
	char num[64];
	const char *eq = strchr(v, '=');
	size_t len = eq ? (size_t)(eq - v) : strlen(v);
	double x;
	snprintf(num, sizeof num, "%.*s", (int)len, v);
	if (len >= sizeof num || parse_num(num, &x) || !isfinite(x))
		return cmd_bad(l,
			       "--mark: expected X or X=LABEL with X a "
			       "number, got ",
			       v);
	o->mark[o->n_marks].x = x;
	o->mark[o->n_marks++].label = eq ? eq + 1 : v;
	return 0;
}

static int parse_point(struct cmd_line *l, struct plot_opts *o, const char *v)
{
	if (o->n_points == PLOT_MAX_POINTS)
		return cmd_bad(l, "too many --point options; at most ", "64");
	double p;
	if (parse_num(v, &p) || !(p >= 0 && p < 1e9) || p != floor(p))
		return cmd_bad(l,
			       "--point: expected a point number (0, 1, ...), "
			       "got ",
			       v);
	o->point[o->n_points++] = (long)p;
	return 0;
}

/* Takes option `code` with its value v. Returns 0, or 2 after a
 * message. */
static int take(struct cmd_line *l, struct plot_opts *o, int code,
		const char *v)
{
	switch (code) {
	case OPT_METRIC:
		if (o->n_metrics == PLOT_MAX_METRICS)
			return cmd_bad(l, "too many --metric options; at most ",
				       "4");
		if (!*v)
			return cmd_bad(l, "--metric needs a name", "");
		o->metric[o->n_metrics++] = v;
		return 0;
	case OPT_X:
		if (!*v)
			return cmd_bad(l, "--x needs a setting", "");
		o->x = v;
		return 0;
	case OPT_MARK:
		return parse_mark(l, o, v);
	case OPT_POINT:
		return parse_point(l, o, v);
	case OPT_FORMAT:
		if (strcmp(v, "png") && strcmp(v, "svg"))
			return cmd_bad(l, "--format: allowed: png or svg, got ",
				       v);
		o->format = v;
		return 0;
	case OPT_TITLE:
		o->title = v;
		return 0;
	case OPT_CHART:
		if (!*v)
			return cmd_bad(l, "--out needs a file name", "");
		o->out = v;
		return 0;
	case OPT_TIMESERIES:
		o->timeseries = 1;
		return 0;
	case OPT_WHICH:
		if (strcmp(v, "posterior") && strcmp(v, "fit"))
			return cmd_bad(l,
				       "--chart: allowed: posterior or fit, "
				       "got ",
				       v);
		o->chart = v;
		return 0;
	default:
		return cmd_bad(l, "internal error: an unknown option code", "");
	}
}

/* The format follows --out's extension unless given. */
static int pick_format(struct cmd_line *l, struct plot_opts *o)
{
	const char *ext = o->out ? strrchr(o->out, '.') : NULL;
	const char *from_ext = ext && !strcmp(ext, ".svg")   ? "svg"
			       : ext && !strcmp(ext, ".png") ? "png"
							     : NULL;
	if (o->format && from_ext && strcmp(o->format, from_ext))
		return cmd_bad(l,
			       "--out has the extension of the other format: ",
			       o->out);
	if (!o->format)
		o->format = from_ext ? from_ext : "png";
	return 0;
}

/* Returns 0, 2 after a message, or -1 when --help was printed. */
static int parse_opts(int argc, char **argv, struct plot_opts *o)
{
	memset(o, 0, sizeof *o);
	struct cmd_line l;
	int c, rc = cmd_begin(&l, argc, argv, longopts, usage_short);
	while (!rc && (c = cmd_next(&l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			fputs(usage_plot, stdout);
			return -1;
		}
		rc = take(&l, o, c, l.optarg);
	}
	if (rc || (rc = cmd_positional(&l, 1, "directory")))
		return rc;
	if (!l.n_pos)
		return cmd_bad(&l,
			       "plot needs a DIR: the --out directory of "
			       "`cyberdef run`, `sweep`, `compare`, "
			       "`sensitivity`, `calibrate` or `observe`",
			       "");
	o->dir = l.pos[0];
	return pick_format(&l, o);
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The exit status of a library status: 1 out of memory, else 2 (bad
 * input). */
static int exit_of(int status)
{
	return status == CD_ENOMEM ? 1 : 2;
}

/* Draws the prepared chart: its path is --out, or the default
 * (plot_chart_path). */
static int draw(const struct plot_job *j, const struct plot_opts *o)
{
	char out[PLOT_PATH_MAX];
	struct cd_diag d;
	int st = plot_chart_path(j, o, out, sizeof out, &d);
	if (st)
		return fail(exit_of(st), "%s", d.msg);
	if (is_dir(out))
		return fail(2, "--out %s is a directory; give a file name",
			    out);
	if (j->note[0])
		fprintf(stderr, "cyberdef: %s\n", j->note);
	int rc = plot_gnuplot(j, out);
	if (!rc)
		printf("%s\n", out);
	return rc;
}

/* plot_prepare, with a calibration's priors for its posterior.csv. */
static int prepare(struct plot_job *j, enum plot_source src, const csv_table *t,
		   const struct plot_opts *o, struct cd_diag *d)
{
	if (src != PLOT_POSTERIOR)
		return plot_prepare(j, src, t, o, d);
	struct plot_priors *pr = malloc(sizeof *pr);
	memset(j, 0, sizeof *j);
	if (!pr) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	int st = plot_load_priors(o->dir, pr, d);
	if (!st)
		st = plot_prepare_posterior(j, t, pr, o, d);
	free(pr);
	return st;
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
	enum plot_source src = PLOT_POINTS;
	csv_table t;
	struct cd_diag d;
	int st = plot_load(&o, &src, &t, &d);
	if (st)
		return fail(exit_of(st), "%s", d.msg);
	struct plot_job j;
	st = prepare(&j, src, &t, &o, &d);
	if (st)
		rc = fail(exit_of(st), "%s",
			  d.msg[0] ? d.msg : cd_strerror(st));
	else
		rc = draw(&j, &o);
	plot_job_free(&j);
	csv_table_free(&t);
	return rc;
}
