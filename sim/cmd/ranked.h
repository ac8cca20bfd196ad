/* ranked: a command launched as one of several MPI ranks (mpirun, srun),
 * as sweep, compare, sensitivity and calibrate can be (analysis/ranks.h).
 * cmd_ranked_main starts MPI around the command; every rank then checks
 * the command line and its files, and would say the same, so a rank
 * other than 0 writes its stderr into a temporary file until the ranks
 * agree on the check (cmd_ranked_agree), which shows a rank's messages
 * only where rank 0 found nothing wrong: a mistake is said once. */
#ifndef CD_CMD_RANKED_H
#define CD_CMD_RANKED_H

#include <stdio.h>

struct ranks;

/* A rank's stderr, held back while checking. */
struct cmd_hold {
	int rank;
	int saved; /* stderr, while it is held; -1 */
	FILE *held;
};

/* The command: argv as main's, arg as given. Returns the exit status. */
typedef int (*cmd_ranked_fn)(struct ranks *rk, struct cmd_hold *h, int argc,
			     char **argv, int arg);

/* Starts MPI if launched as several ranks (ranks_start; a failure is said
 * once, exit status 1), holds the stderr of ranks other than 0, runs fn,
 * and ends MPI. Returns fn's exit status. */
int cmd_ranked_main(int argc, char **argv, cmd_ranked_fn fn, int arg);

/* Every rank passes the exit status of the same step; returns the
 * highest, and releases the held stderr (shown where rank 0 succeeded and
 * this rank did not). When only other ranks failed, rank 0 says that they
 * cannot start `what` ("the sweep"). */
int cmd_ranked_agree(const struct ranks *rk, struct cmd_hold *h, int status,
		     const char *what);

#endif
