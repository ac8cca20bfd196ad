/* observe_cmd: `cyberdef observe`, how well a scenario fits its targets
 * through the observation model (analysis/observe.h), uncalibrated. */
#ifndef CD_CMD_OBSERVE_CMD_H
#define CD_CMD_OBSERVE_CMD_H

/* The `cyberdef observe` command (argv[0] is "observe"). Returns the exit
 * status: 0 success; 1 failure (cannot write, out of memory); 2 bad input
 * (the scenario, the targets file, an option); 128 + the signal that
 * interrupted it (no output is written). */
int observe_main(int argc, char **argv);

#endif
