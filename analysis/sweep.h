/* sweep: experiments over a grid or a design of settings, with replicates.
 *
 * `cyberdef sweep` runs every (point, replicate) of an experiment on all
 * cores and writes runs.csv, points.csv (mean, sd, 95% CI, median of every
 * summary metric per point), timeseries_points.csv (daily mean and 95% CI
 * per point) and sweep.json, the set's manifest (arguments, hashes, and
 * each CSV's SHA-256), committed last. Run (p, r) is seeded with
 * rng_derive(seed, p, r), so results depend neither on the number of jobs
 * nor on the order runs finish. The sweep holds the lock of DIR for its
 * life (outdir.h). Completed runs are journalled under DIR/.sweep/ as they
 * finish, each record checksummed; --resume takes only records that are
 * whole and of the same sweep (its arguments are compared whole) and
 * finishes to byte-identical outputs.
 */
#ifndef CD_SWEEP_H
#define CD_SWEEP_H

#include <stddef.h>

#define SWEEP_VALUE_MAX 64	/* bytes of one value's text */
#define SWEEP_MAX_VALUES 100000 /* values of one --vary */

/* Parses SPEC ("start:stop:step", inclusive of stop within rounding, or a
 * list "a,b,c") into *n value texts at *values (malloc'd; free it). Numbers
 * of a range are written with 12 significant digits, so 0:1:0.1 gives
 * "0.3", not 0.30000000000000004. Returns 0, or CD_EINVAL with err saying
 * what is wrong (empty, reversed, zero step, too many values), or
 * CD_ENOMEM. */
int sweep_parse_spec(const char *spec, char (**values)[SWEEP_VALUE_MAX], int *n,
		     char *err, size_t size);

/* The `cyberdef sweep` command. Returns the exit status. Started by an MPI
 * launcher as several ranks (mpirun, srun), it initialises and finalises
 * MPI itself and shares the runs among the ranks, rank 0 writing the
 * outputs; without CD_MPI it refuses to run so. */
int sweep_main(int argc, char **argv);

#endif
