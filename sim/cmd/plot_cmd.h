/* plot_cmd: `cyberdef plot`, charts of a run's or a sweep's output with
 * gnuplot. The chart is prepared in the analysis layer (analysis/plot.h)
 * and drawn by gnuplot (plot_gnuplot.c); this is the command: options,
 * messages and exit statuses.
 */
#ifndef CD_PLOT_CMD_H
#define CD_PLOT_CMD_H

/* Runs `cyberdef plot`; argv[0] is "plot". Prints the chart's path on
 * success and a message on stderr otherwise. Returns the exit status: 0
 * success; 1 failure (gnuplot missing or failing, a file that cannot be
 * written); 2 bad input (options, a missing directory or file, an unknown
 * column, a malformed CSV file, a file that differs from its set's
 * manifest, text that cannot be shown); 128 + N when stopped by signal N
 * (status.h), with no chart written.
 */
int plot_main(int argc, char **argv);

#endif
