/* sweep_cmd: `cyberdef sweep`, the command of the sweep library.
 *
 * Parses the command line (options.h), checks the experiment
 * (analysis/experiment.h) and the memory it needs, runs it
 * (analysis/sweep.h) and says what happened: the messages, the progress
 * line on a terminal, the notices, and the exit status chosen from the
 * library's status codes. Started by an MPI launcher as several ranks,
 * each rank runs this; ranks other than 0 hold their messages back while
 * the sweep is checked, so that bad input is said once.
 */
#ifndef CD_CMD_SWEEP_CMD_H
#define CD_CMD_SWEEP_CMD_H

/* The `cyberdef sweep` command (argv[0] is "sweep"). Returns the exit
 * status: 0 success; 1 failure (cannot write, out of memory, another
 * cyberdef holds the directory, a launch MPI cannot serve); 2 bad input;
 * 128 + the signal that interrupted it (the journal is kept). */
int sweep_main(int argc, char **argv);

/* The `cyberdef compare` command (argv[0] is "compare"): a sweep whose
 * points are its arms (analysis/effects.h). Returns the exit status. */
int compare_main(int argc, char **argv);

/* The `cyberdef sensitivity` command (argv[0] is "sensitivity"): a sweep
 * whose points are a Sobol or Morris design (analysis/sensitivity.h).
 * Returns the exit status. */
int sensitivity_main(int argc, char **argv);

#endif
