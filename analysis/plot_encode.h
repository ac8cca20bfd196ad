/* plot_encode: what gnuplot is given for a chart (see the top of
 * analysis/plot.c for the design). It turns a chart's texts into
 * labels.csv (their bytes as numbers) and its settings into the -e text,
 * which can only hold "name=number; " assignments, and picks the
 * compiled-in script. Internal to the analysis/plot*.c files.
 */
#ifndef CD_ANALYSIS_PLOT_ENCODE_H
#define CD_ANALYSIS_PLOT_ENCODE_H

#include <stddef.h>

#include "analysis/plot.h"

/* A growing string; `oom` is set when an allocation failed, after which
 * nothing more is appended. */
struct plot_buf {
	char *s;
	size_t len, cap;
	int oom;
};

/* Appends printf-style text to b. */
void plot_buf_printf(struct plot_buf *b, const char *fmt, ...);

/* Makes s text that can be shown, in place: each byte that is not part
 * of printable UTF-8 (a control character, a line break unless
 * keep_breaks, a byte of no UTF-8 character) becomes '?'. For text made
 * here from a path; text from the inputs is checked and refused instead
 * (plot_text_check). Cannot fail. */
void plot_text_sanitize(char *s, int keep_breaks);

/* Every text of a chart, in the order of the scripts' labels (see
 * analysis/plot_points.gp), with the numbers that go with them. */
struct plot_text {
	const char *title, *xlabel, *mean_title;
	int n_panels;
	const char *metric[PLOT_MAX_METRICS]; /* names, for the y axes */
	const char *unit[PLOT_MAX_METRICS];
	const char *const *group; /* a legend title per data block */
	size_t n_groups;
	const struct plot_mark *mark; /* in order of x */
	int n_marks;
	const char *const *cat; /* with xcat: the category names */
	size_t n_cats;
	int xcat;  /* the x values are category indexes */
	int bands; /* the data has mean, low and high per panel */
	int svg;
};

/* Fills j->labels and j->command from tx, and j->script from the script
 * named script_name. Returns 0 or CD_ENOMEM. */
int plot_encode(struct plot_job *j, const struct plot_text *tx,
		const char *script_name);

#endif
