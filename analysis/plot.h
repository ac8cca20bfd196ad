/* plot: the charts of `cyberdef plot`, prepared without gnuplot.
 *
 * Reads one CSV file of an output directory (a sweep's points.csv or
 * timeseries_points.csv, a run's timeseries.csv, a comparison's
 * effects.csv, a sensitivity analysis's indices.csv, a calibration's
 * posterior.csv or fit.csv) after checking it
 * against its set's manifest (plot_load), checks the columns asked for and
 * every text to be shown, and prepares the chart's numbers and texts in
 * memory (plot_prepare): the job the command layer hands gnuplot
 * (sim/cmd/plot_gnuplot.c). No text from the file or the options ever
 * reaches gnuplot as code: see the top of analysis/plot.c. Units, titles
 * and how a national daily value is made come from the column tables
 * (analysis/metrics.h). Nothing here prints, starts a process or writes a
 * file: a failure is a status code (core/status.h) with a struct cd_diag
 * saying what, which may run over several lines (the names available).
 * The module owns nothing beyond one call.
 */
#ifndef CD_ANALYSIS_PLOT_H
#define CD_ANALYSIS_PLOT_H

#include <stddef.h>

#include "analysis/csvread.h"
#include "core/status.h"

#define PLOT_MAX_METRICS 4 /* panels in one chart */
#define PLOT_MAX_MARKS 16
#define PLOT_MAX_POINTS 64 /* --point options */
#define PLOT_PATH_MAX 4096

struct plot_mark {
	double x;	   /* finite */
	const char *label; /* shown at the mark */
};

/* The options of `cyberdef plot` (see its --help). */
struct plot_opts {
	const char *dir;
	const char *metric[PLOT_MAX_METRICS];
	int n_metrics;
	const char *x;
	struct plot_mark mark[PLOT_MAX_MARKS];
	int n_marks;
	long point[PLOT_MAX_POINTS];
	int n_points;
	int timeseries;
	const char *format; /* "png" or "svg"; NULL is "png" */
	const char *out;
	const char *title; /* NULL: made from the metric and setting */
	const char *chart; /* a calibration's: "posterior", "fit" or NULL */
};

/* The file a chart is drawn from. */
enum plot_source {
	PLOT_POINTS,	   /* a sweep's points.csv */
	PLOT_SWEEP_SERIES, /* a sweep's timeseries_points.csv */
	PLOT_RUN_SERIES,   /* a run's timeseries.csv */
	PLOT_EFFECTS,	   /* a comparison's effects.csv */
	PLOT_INDICES,	   /* a sensitivity analysis's indices.csv */
	PLOT_POSTERIOR,	   /* a calibration's posterior.csv */
	PLOT_FIT	   /* fit.csv of `calibrate` or `observe` */
};

/* Everything gnuplot is given for one chart, and a remark about it.
 * plot_job_free releases it. */
struct plot_job {
	char *command; /* the -e text: only "name=number; " assignments */
	char *data;    /* data.csv: numbers only (plot_points.gp says how) */
	size_t data_len;
	char *labels; /* labels.csv: lines "LABEL,BYTE" of decimal numbers */
	size_t labels_len;
	const char *script_name; /* the compiled-in script, e.g. */
	const char *script;	 /* "plot_points.gp", and its text */
	const char *kind;	 /* "points", "timeseries_points", ... */
	char metrics[2048];	 /* metrics drawn, joined by '_' */
	char note[256];		 /* a remark to show (points left out), or "" */
};

/* Chooses the file of o->dir to draw (with o->chart, a calibration's
 * posterior.csv or fit.csv; else, unless o->timeseries, a comparison's
 * effects.csv, else indices.csv, else points.csv, else posterior.csv,
 * else fit.csv; else timeseries_points.csv, else timeseries.csv), checks
 * that the options apply to it (--x, --point, --mark, --chart), checks it
 * against its set's manifest
 * (sweep.json or metadata.json: outdir.h) and reads it into *t. Returns 0
 * with *src and *t (free with csv_table_free); or CD_ENOENT (no such
 * directory or file), CD_EINVAL (not a directory, an option that does
 * not apply, a file that differs from its manifest, a malformed file),
 * CD_ELIMIT, CD_EIO or CD_ENOMEM, with d->msg saying what. */
int plot_load(const struct plot_opts *o, enum plot_source *src, csv_table *t,
	      struct cd_diag *d);

/* Prepares the chart of table t (read from a file of kind src) for the
 * options o: picks the metrics and setting, checks them and every text to
 * be shown (plot_text_check), and fills *j. Never runs gnuplot nor touches
 * a file. Returns 0; or CD_EINVAL (bad input) or CD_ENOMEM, with d->msg
 * saying what, beginning with the file's name or the option. Call
 * plot_job_free(j) either way. */
int plot_prepare(struct plot_job *j, enum plot_source src, const csv_table *t,
		 const struct plot_opts *o, struct cd_diag *d);

/* ---- a calibration's priors --------------------------------------------- */

#define PLOT_MAX_PARAMS 32 /* parameters of a calibration */

/* A parameter's prior as a calibration's metadata.json records it. */
struct plot_prior {
	char setting[257]; /* posterior.csv's column name */
	char kind[16];	   /* uniform, log_uniform, beta or normal */
	double lo, hi;	   /* its support, finite, lo < hi */
};

/* The priors of a calibration, in posterior.csv's column order; known is
 * 0 when metadata.json records none (a directory of an older cyberdef). */
struct plot_priors {
	int known, n;
	struct plot_prior v[PLOT_MAX_PARAMS];
};

/* Reads the priors of the calibration in dir from dir/metadata.json's
 * "parameters" (written by `cyberdef calibrate`). Returns 0 with *p (known
 * 0 when the file or the key is absent); or CD_EINVAL (a metadata.json
 * that is not JSON, of another command, or whose parameters are malformed:
 * an unknown prior, lo >= hi, a log-uniform lo <= 0), CD_ELIMIT (too many
 * parameters, a name too long), with d->msg saying what. Allocates
 * nothing. */
int plot_load_priors(const char *dir, struct plot_priors *p, struct cd_diag *d);

/* plot_prepare of a calibration's posterior.csv (src PLOT_POSTERIOR) with
 * its priors p (NULL: unknown); plot_prepare itself draws posterior.csv
 * with unknown priors. The same contract. */
int plot_prepare_posterior(struct plot_job *j, const csv_table *t,
			   const struct plot_priors *p,
			   const struct plot_opts *o, struct cd_diag *d);

/* Frees what j owns and empties it. Accepts an empty job. */
void plot_job_free(struct plot_job *j);

/* The chart's path into buf (size bytes): o->out, or else
 * DIR/<kind>_<metric>[_<metric>...].<format> with every byte of the name
 * that is not a letter, digit, '.' or '-' made '_' (the metric names come
 * from the file: no '/' may take the chart elsewhere). Returns 0, or
 * CD_ELIMIT with d->msg when the path is too long. */
int plot_chart_path(const struct plot_job *j, const struct plot_opts *o,
		    char *buf, size_t size, struct cd_diag *d);

/* ---- text shown on a chart ---------------------------------------------- */

/* Which text, and so what it may hold. Every kind must be UTF-8 (no
 * overlong forms, surrogates or code points past U+10FFFF) without control
 * characters (C0, DEL, C1: tab, CR, ESC, ...); any printable character,
 * including ` $ ( ) " ' \ @ % ^ _ { } & ~ < >, is shown as it is. */
enum plot_text_kind {
	PLOT_TEXT_NAME,	 /* a column name: no quote (" or '), no line
			  * break, at most 256 bytes */
	PLOT_TEXT_VALUE, /* a value shown (a setting's): no line break, at
			  * most 256 bytes */
	PLOT_TEXT_LABEL, /* a --mark label: no line break, at most 256
			  * bytes */
	PLOT_TEXT_TITLE, /* --title: at most 3 line breaks (LF), at most
			  * 512 bytes */
	PLOT_TEXT_SHOWN	 /* any text on a chart: line breaks allowed, any
			  * length */
};

/* Returns 0 if s may be shown as text of that kind; otherwise -1, with
 * `why` (size bytes) saying what is wrong, e.g. "holds a tab at byte 9 of
 * 12". Cannot fail otherwise. */
int plot_text_check(const char *s, enum plot_text_kind kind, char *why,
		    size_t size);

/* What text of that kind may hold, for messages: "allowed in ...". */
const char *plot_text_allowed(enum plot_text_kind kind);

#endif
