/* cli: the command line of `cyberdef`, kept in the library so that tests
 * can drive it; the program's main() only calls cli_main. */
#ifndef CD_CLI_H
#define CD_CLI_H

#include <stdint.h>

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

struct cd_summary;
/* What a run did, for the benchmark: the events the engine processed and
 * the footholds it made, warm-up included. */
struct cli_run_work {
	uint64_t events, footholds;
};
/* Runs a loaded scenario with `seed`, writing every output file into dir
 * (created if needed) and the summary into *s; *work (may be NULL) gets
 * what the run did. Prints any error. Returns the exit
 * status: 0, 1 (cannot write, out of memory), 2 (a built-in limit), or
 * 128 + signal when interrupted (no output is left). */
int cli_run_scenario(const struct cd_scenario *sc, uint64_t seed,
		     const char *dir, unsigned files, const char *command,
		     struct cd_summary *s, struct cli_run_work *work);

/* Refuses (prints why, returns 2) a scenario whose `worlds` simultaneous
 * runs would need more than `limit` bytes (0: the machine's memory). */
int memory_check(const struct cd_scenario *sc, int worlds, double limit);

#endif
