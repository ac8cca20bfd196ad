/* plot: `cyberdef plot`, charts of a run's or a sweep's output with gnuplot.
 *
 * Reads the CSV files in an output directory (a sweep's points.csv and
 * timeseries_points.csv, or a run's timeseries.csv), checks the columns
 * asked for, writes a tidy data file and one of the gnuplot scripts
 * compiled into the program (analysis/plot_points.gp,
 * analysis/plot_timeseries.gp) to a private temporary directory, and runs
 * `gnuplot` from PATH on them. The chart appears under its final name only
 * when gnuplot has finished it. The module owns nothing beyond one call.
 */
#ifndef CD_PLOT_H
#define CD_PLOT_H

/* Runs `cyberdef plot`; argv[0] is "plot". Prints the chart's path on
 * success and a message on stderr otherwise. Returns the exit status: 0
 * success; 1 failure (gnuplot missing or failing, a file that cannot be
 * written); 2 bad input (options, a missing directory or file, an unknown
 * column, a malformed CSV file).
 */
int plot_main(int argc, char **argv);

#endif
