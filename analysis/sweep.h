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

#include "analysis/spec.h"

/* The `cyberdef sweep` command. Returns the exit status. Started by an MPI
 * launcher as several ranks (mpirun, srun), it initialises and finalises
 * MPI itself and shares the runs among the ranks, rank 0 writing the
 * outputs; without CD_MPI it refuses to run so. */
int sweep_main(int argc, char **argv);

#endif
