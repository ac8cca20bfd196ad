/* bench_coupling: `cyberdef bench --alt`, the noise common random numbers
 * take out of a comparison (analysis/coupling.h), as a table. */
#ifndef CD_BENCH_COUPLING_H
#define CD_BENCH_COUPLING_H

#include "cmd/options.h"

/* Measures var_ratio of the headline metrics between `scenario` (with
 * c->sets) and the same with the alternative's settings alt[0..n_alt-1]
 * applied after them, over `reps` replicates from c->seed. Prints the
 * table or the error. Returns the exit status. */
int bench_coupling(const char *scenario, const struct cmd_common *c,
		   const char *const *alt, int n_alt, int reps);

#endif
