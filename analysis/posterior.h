/* posterior: the final generation of a calibration, drawn from by weight.
 *
 * `cyberdef calibrate` writes posterior.csv (abc_io.h): columns
 * generation, particle, one per estimated setting (its --set path),
 * weight, distance. A posterior ensemble (--posterior FILE of run,
 * compare, sweep and sensitivity) reads that file, keeps its final
 * generation (the largest `generation`) with its weights normalised, and
 * gives replicate r of a run seeded `seed` the particle drawn by
 * inversion of the keyed uniform (seed, POSTERIOR_KEY; r, 0) over the
 * cumulative weights: reproducible, independent of --jobs, and the same
 * particle for replicate r of every arm of a comparison. The particle's
 * values are texts "path=value" with the value's text as written in the
 * file (so they read back as the same doubles), applied as the loader's
 * layer (scenario_open_layer): after the scenario's own settings, before
 * its `overrides` and the command's --set, which so win over them.
 */
#ifndef CD_ANALYSIS_POSTERIOR_H
#define CD_ANALYSIS_POSTERIOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/digest.h"
#include "core/status.h"
#include "load/scenario.h"

/* The key purpose of the particle draws (hashed by cd_name_id, far from
 * the model's small KEY_* values). */
#define POSTERIOR_KEY "posterior.particle"

#define POSTERIOR_MAX_PARAMS CD_MAX_LAYER

struct posterior {
	char path[1024];	    /* as given */
	char sha256[CD_SHA256_HEX]; /* of the file's bytes */
	long generation;	    /* the final one */
	size_t n;		    /* its particles */
	int d;			    /* parameters that are settings */
	char name[POSTERIOR_MAX_PARAMS][CD_SET_MAX];
	size_t col[POSTERIOR_MAX_PARAMS]; /* their columns in the file */
	long *particle;			  /* [n]: the `particle` column */
	size_t *line;			  /* [n]: its line in the file */
	double *cum; /* [n]: cumulative normalised weights, cum[n-1] = 1 */
	char (*text)[POSTERIOR_MAX_PARAMS][CD_SET_MAX]; /* [n]: --set texts */
};

/* Reads a posterior.csv at path. Returns 0 and fills *p; or CD_EINVAL
 * with d->msg "FILE:LINE: ..." (a malformed file, a column that is no
 * setting of `params` (a scenario's, loaded without the posterior), a
 * value outside the setting's range (scenario_parse_assign's checks), a weight
 * that is not positive and finite, no rows), CD_ENOENT / CD_EIO, CD_ENOMEM. On
 * error *p owns nothing. */
int posterior_load(struct posterior *p, const char *path,
		   const struct cd_params *params, struct cd_diag *d);

/* Frees what p owns. Accepts a zeroed one. */
void posterior_free(struct posterior *p);

/* Particle k as the loader's layer (scenario.h): ly->layer names it
 * "posterior FILE:LINE (generation G, particle K)" and points into ly
 * and p, so it is valid while both are and ly is not moved. Cannot
 * fail. */
struct posterior_layer {
	char name[CD_LAYER_NAME];
	const char *texts[POSTERIOR_MAX_PARAMS];
	struct cd_layer layer;
};
void posterior_layer(const struct posterior *p, size_t k,
		     struct posterior_layer *ly);

/* The index (0..n-1) of the particle replicate r of a run seeded `seed`
 * draws. Cannot fail. */
size_t posterior_draw(const struct posterior *p, uint64_t seed, uint64_t r);

#endif
