/* abc_io: the files of an ABC-SMC run (abc.h), written and read back.
 *
 * The engine's state after a generation is its populations and their
 * summaries; this module writes them as posterior.csv and
 * generations.csv (one set, committed together) and reads them back for
 * a resume, checking every field with FILE:LINE messages. Reals are
 * written by csv_real, the shortest text that reads back (strtod) as the
 * same double, so what is read back writes the same bytes again.
 */
#ifndef CD_ABC_IO_H
#define CD_ABC_IO_H

#include <stddef.h>

#include "analysis/abc.h"
#include "core/status.h"

/* One generation's population: n particles of d parameters. */
struct abc_pop {
	size_t n;
	double *theta;	  /* [n * d] */
	double *weight;	  /* [n], normalised */
	double *distance; /* [n] */
};

/* Frees what pop owns and empties it. Accepts an empty one. */
void abc_pop_free(struct abc_pop *pop);

/* Allocates room for n particles of d parameters (n set). Returns 0 or
 * CD_ENOMEM (pop then empty). */
int abc_pop_alloc(struct abc_pop *pop, size_t n, size_t d);

/* Writes dir/posterior.csv and dir/generations.csv for generations
 * 0..n_gen-1 (pops[g], gen[g]) of problem p, as one set. Returns 0 or
 * CD_EIO / CD_ENOMEM with d->msg. */
int abc_io_write(const char *dir, const abc_problem *p,
		 const struct abc_pop *pops, const abc_generation *gen,
		 unsigned n_gen, struct cd_diag *d);

/* Reads dir's files back: the leading generations of posterior.csv that
 * hold exactly `particles` particles (at most max_gen of them), with
 * their generations.csv records. Allocates *pops and *gen ([*n_gen]
 * each; the caller frees each pop, then both arrays). *n_gen may be 0
 * (no generation complete). Returns 0, or CD_EINVAL (a file that is not
 * such a run's: d->msg "FILE:LINE: ..."), CD_ENOENT / CD_EIO (cannot
 * read), CD_ENOMEM; on error allocates nothing. */
int abc_io_read(const char *dir, const abc_problem *p, size_t particles,
		unsigned max_gen, struct abc_pop **pops, abc_generation **gen,
		unsigned *n_gen, struct cd_diag *d);

#endif
