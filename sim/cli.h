/* cli: the command line of `cyberdef`, kept in the library so that tests
 * can drive it; the program's main() only calls cli_main. */
#ifndef CD_CLI_H
#define CD_CLI_H

/* Runs the command in argv; returns the exit status (0 success, 1
 * failure, 2 bad input). */
int cli_main(int argc, char **argv);

#endif
