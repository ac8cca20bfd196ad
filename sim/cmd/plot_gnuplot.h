/* plot_gnuplot: the part of `cyberdef plot` that runs gnuplot on a job
 * prepared in the analysis layer (analysis/plot.h), in a private
 * directory, writing the chart to its final name only when complete.
 * Internal to the plot command (plot_cmd.c).
 */
#ifndef CD_PLOT_GNUPLOT_H
#define CD_PLOT_GNUPLOT_H

#include "analysis/plot.h"

/* Draws j's chart with gnuplot into the file `out`: finds gnuplot on
 * PATH, writes j's files into a private temporary directory, runs gnuplot
 * there with its output into a temporary file beside `out` and renames
 * that onto `out` when gnuplot succeeded. Polls cd_stop_signal: when a
 * stop is requested, kills gnuplot and leaves no chart. Returns the exit
 * status (0, 1, or 128 + the signal) after printing any message. */
int plot_gnuplot(const struct plot_job *j, const char *out);

#endif
