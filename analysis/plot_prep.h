/* plot_prep: the state of one plot_prepare call (analysis/plot.h) and the
 * steps its files share: plot.c (checks, metrics, rows, the job),
 * plot_points.c (a sweep's points.csv), plot_series.c (the time
 * series), plot_effects.c (the forest plots) and plot_calib.c (a
 * calibration's charts). Internal to them.
 */
#ifndef CD_ANALYSIS_PLOT_PREP_H
#define CD_ANALYSIS_PLOT_PREP_H

#include <stdio.h>

#include "analysis/plot.h"
#include "analysis/plot_encode.h"

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

/* What one plot_prepare call works with. */
struct prep {
	struct plot_job *j;
	const csv_table *t;
	const struct plot_opts *o;
	struct cd_diag *d;
	struct plot_buf note;
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
	const struct plot_priors *priors; /* posterior.csv: or NULL */
};

/* ---- messages (plot.c) --------------------------------------------------- */

/* Sets the message to what printf would write; returns CD_EINVAL. */
int plot_bad(struct prep *P, const char *fmt, ...);
/* Appends to the message, cutting it with "..." when it is full. */
void plot_more(struct prep *P, const char *fmt, ...);
/* Says "out of memory"; returns CD_ENOMEM. */
int plot_oom(struct prep *P);
/* Some of s for a message (s may be anything): itself when it is short
 * text that can be shown, else its printable ASCII bytes, with '?' for
 * the others, cut at 60. */
const char *plot_excerpt(const char *s, char *buf, size_t size);

/* ---- cells (plot.c) ------------------------------------------------------ */

/* Parses a number; an empty field is missing (NaN). Returns 0, or -1 (and
 * *v = NaN) if `s` is not a number. */
int plot_parse_num(const char *s, double *v);
/* Writes a number for gnuplot: shortest exact text; NaN when missing. */
void plot_put_num(FILE *f, double v);
const char *plot_cell(const struct prep *P, size_t row, size_t col);
long plot_col(const struct prep *P, const char *name);
/* The number in row r (from 1), column c; CD_EINVAL with a message if it
 * is not one. */
int plot_num_at(struct prep *P, size_t r, size_t c, double *v);
/* The text in row r, column c, to be shown on the chart; CD_EINVAL with a
 * message if it cannot be. */
int plot_cell_text(struct prep *P, size_t r, size_t c, const char **text);
/* Adds a copy of text to s. Returns 0, or -1 when out of memory. */
int plot_strs_add(struct strs *s, const char *text);

/* ---- metrics and rows (plot.c) ------------------------------------------- */

/* Returns the index in `av` of `want`, accepting a statistic's column
 * name (M_mean, ...) for M; otherwise -1, with a message saying what is
 * available (and a suggestion). `what` names the kind, e.g. "metric". */
long plot_pick_name(struct prep *P, const struct names *av, const char *want,
		    const char *what);
/* Fills P->avail with the metrics M of a sweep file: those for which
 * M_mean, M_ci_lo and M_ci_hi are all columns, in the order of the file.
 * Returns 0 or CD_ENOMEM. */
int plot_sweep_metrics(struct prep *P);
/* Sets P->cols to the columns M_mean, M_ci_lo and M_ci_hi of each metric
 * M that plot_sweep_metrics found. Cannot fail. */
void plot_stat_columns(struct prep *P);
/* Fills P->varied with the columns that hold the varied settings: every
 * column but `point`, `runs`, `day` and the statistics. */
int plot_varied_columns(struct prep *P);
/* Looks up the --metric names (default intrusions, else the file's first)
 * in P->avail; fills P->metric and the job's metrics. */
int plot_pick_metrics(struct prep *P, const char *what);
/* Checks that the first column of each metric has a number in some row of
 * P->keys: a chart of nothing would only make gnuplot fail. */
int plot_require_metrics(struct prep *P);
int plot_cmp_row_keys(const void *a, const void *b);
/* Makes room in P->keys for a key per row. */
int plot_alloc_keys(struct prep *P);
/* Adds the legend title of a series: "name=value, ..." from the varied
 * columns (except `skip`) of table row r, or "point N" when there are
 * none. */
int plot_add_group(struct prep *P, size_t r, const char *skip);
/* Writes the data file: per key a line of x and the data columns, series
 * separated by two blank lines. */
int plot_write_rows(struct prep *P);

/* ---- the files (plot_points.c, plot_series.c) ---------------------------- */

int plot_prep_points(struct prep *P);
int plot_prep_sweep_series(struct prep *P);
int plot_prep_run_series(struct prep *P);
int plot_prep_effects(struct prep *P);
int plot_prep_indices(struct prep *P);
int plot_prep_posterior(struct prep *P); /* plot_calib.c */
int plot_prep_fit(struct prep *P);	 /* plot_calib.c */

#endif
