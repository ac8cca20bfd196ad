/* options: the command line of every command, parsed one way.
 *
 * Every command parses its arguments with cmd_getopt (getopt_long from
 * the C library) over a table of long options, and the options that
 * several commands share (--seed, --set, --days, --out, --jobs, --quiet,
 * --max-memory) are each parsed by one function, cmd_common, so that they
 * mean and refuse the same everywhere. Long options must be spelt out in
 * full: the abbreviations getopt_long would accept ("--se" for "--seed")
 * are refused, so that a later option cannot change what an old command
 * line means. A value may follow as the next argument or after '='.
 *
 * Errors are printed here ("cyberdef: ..." then the command's usage) and
 * turned into exit status 2: this is the command layer.
 */
#ifndef CD_CMD_OPTIONS_H
#define CD_CMD_OPTIONS_H

#include <getopt.h>
#include <stdint.h>

#include "load/scenario.h"

/* The shared options' codes (getopt_long's `val`). */
enum {
	OPT_SEED = 256,
	OPT_SET,
	OPT_DAYS,
	OPT_OUT,
	OPT_JOBS,
	OPT_QUIET,
	OPT_MAX_MEMORY,
	OPT_FIRST_OWN /* a command's own options start here */
};

/* struct option entries for the shared options. */
#define CMD_OPT_SEED                                      \
	{                                                 \
		"seed", required_argument, NULL, OPT_SEED \
	}
#define CMD_OPT_SET                                     \
	{                                               \
		"set", required_argument, NULL, OPT_SET \
	}
#define CMD_OPT_DAYS                                      \
	{                                                 \
		"days", required_argument, NULL, OPT_DAYS \
	}
#define CMD_OPT_OUT                                     \
	{                                               \
		"out", required_argument, NULL, OPT_OUT \
	}
#define CMD_OPT_JOBS                                      \
	{                                                 \
		"jobs", required_argument, NULL, OPT_JOBS \
	}
#define CMD_OPT_QUIET                                 \
	{                                             \
		"quiet", no_argument, NULL, OPT_QUIET \
	}
#define CMD_OPT_MAX_MEMORY                                            \
	{                                                             \
		"max-memory", required_argument, NULL, OPT_MAX_MEMORY \
	}
#define CMD_OPT_HELP                           \
	{                                      \
		"help", no_argument, NULL, 'h' \
	}
#define CMD_OPT_END              \
	{                        \
		NULL, 0, NULL, 0 \
	}

/* What the shared options set. Zero-initialise, then set defaults. */
struct cmd_common {
	uint64_t seed; /* --seed, 0 to 2^64 - 1 */
	int seed_given;
	const char *sets[CD_MAX_SETS]; /* --set texts, --days as days=N */
	int n_sets;
	char days[CD_MAX_SETS][CD_SET_MAX]; /* storage of "days=N" */
	const char *out;		    /* --out, never empty */
	int jobs;			    /* --jobs, 1..1024 */
	int quiet;			    /* --quiet */
	double max_memory;		    /* --max-memory, bytes; 0: none */
};

/* The parse of one command line: its usage (printed with errors) and the
 * positional arguments left once the options are taken. */
struct cmd_line {
	const char *usage;
	int argc;
	char **argv;
	const struct option *longopts;
	const char *optarg; /* the value of the option just returned */
	int n_pos;
	char *pos[64];
};

/* Starts parsing argv[1..argc-1] (argv[0] is the command's name) with the
 * long options `longopts` (ending with CMD_OPT_END) and the short option
 * -h. Returns 0, or 2 after a message when an option is unknown or
 * abbreviated. */
int cmd_begin(struct cmd_line *l, int argc, char **argv,
	      const struct option *longopts, const char *usage);
/* The next option's code (its `val`, or 'h'), with its value in
 * l->optarg; -1 when none is left (the positional arguments are then in
 * l->pos); or -2 after printing a message (exit status 2). */
int cmd_next(struct cmd_line *l);

/* The default of --jobs: the processors online, in 1..1024. */
int cmd_default_jobs(void);

/* Takes the shared option `code` with value `arg` into c. Returns 0, or 2
 * after printing why the value is not allowed. */
int cmd_common(struct cmd_line *l, struct cmd_common *c, int code,
	       const char *arg);

/* Prints "cyberdef: PROBLEM ARG" and the usage; returns 2. */
int cmd_bad(const struct cmd_line *l, const char *problem, const char *arg);

/* Allows at most `max` positional arguments (0 or 1), `what` naming them
 * ("scenario"). Returns 0, or 2 after "more than one scenario given: X".
 */
int cmd_positional(struct cmd_line *l, int max, const char *what);

#endif
