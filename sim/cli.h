/* cli: the command line of `cyberdef`, kept in the library so that tests
 * can drive it; the program's main() only calls cli_main. */
#ifndef CD_CLI_H
#define CD_CLI_H

/* Runs the command in argv; returns the exit status (0 success, 1
 * failure, 2 bad input). */
int cli_main(int argc, char **argv);

struct cd_scenario;
/* Loads SCENARIO with --set overrides: a file, or else a built-in scenario
 * of that name (with or without .cfg); NULL for the built-in default.
 * Prints any error to stderr. Returns 0 and *sc, or the exit status: 2 bad
 * input, 1 other failure. */
int cli_load_scenario(const char *path, const char *const *sets, int n_sets,
		      struct cd_scenario **sc);

#endif
