/* sensitivity: the design and the indices of a global sensitivity
 * analysis (cyberdef sensitivity), on the estimators of analysis/gsa.h.
 *
 * Each parameter is a numeric setting (integer or real; a weight) and a
 * range, "PATH=LO:HI" or "PATH=LO:HI:log" (LO > 0). The design is made in
 * the unit cube (Saltelli's for Sobol indices, Morris's trajectories for
 * elementary effects, both from the master seed) and mapped to values:
 * LO + u (HI - LO), or LO (HI / LO)^u on a log scale; an integer setting
 * takes the nearest integer, so its realised values are a grid of the
 * range. The design becomes the points of a sweep, as a design CSV
 * (design.h) would, and every point runs R replicates on common random
 * numbers (replicate r has the same seed at every point). The indices
 * are computed on each point's mean over its replicates: they are those
 * of the model averaged over R runs with seeds 1..R of the study, so with
 * few replicates they condition on those seeds (the noise of the runs is
 * not a parameter) and a parameter's index includes the part of the run
 * noise its changes reach.
 *
 * indices.csv: parameter, metric, method, index, value, ci_lo, ci_hi,
 * with index S1 and ST (Sobol: Saltelli 2010 and Jansen 1999) or mu_star,
 * mu and sigma (Morris: the change of the metric per unit of the unit
 * cube's coordinate, i.e. for a change of the parameter across its whole
 * range, or its whole log range), with 95% bootstrap intervals
 * (gsa.h); empty where undefined.
 */
#ifndef CD_ANALYSIS_SENSITIVITY_H
#define CD_ANALYSIS_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/status.h"
#include "params/params.h"

#define SENS_MAX_PARAMS CD_MAX_AXES

enum sens_method { SENS_NONE, SENS_SOBOL, SENS_MORRIS };

struct sens_param {
	char path[256];
	double lo, hi;
	int log, integer;
};

/* A planned analysis: its parameters and its design. */
struct sens_plan {
	int method; /* enum sens_method */
	int k;	    /* parameters */
	struct sens_param p[SENS_MAX_PARAMS];
	size_t n;	 /* Sobol: base samples; Morris: trajectories */
	unsigned levels; /* Morris: grid levels (even) */
	size_t rows;	 /* points of the design */
	double *unit;	 /* [rows * k]: the design in the unit cube */
	char *csv;	 /* the design as a CSV: header of paths, values */
	size_t csv_len;
};

/* Parses the parameter texts against the base parameters and makes the
 * design of `method` with n (Sobol base samples, or Morris trajectories)
 * and `levels`, from `seed`. Returns 0; or CD_EINVAL / CD_ELIMIT with
 * d->msg naming the text and what is allowed (a setting that is not a
 * number, a bad range, too many parameters or points), or CD_ENOMEM. Call
 * sensitivity_free afterwards either way. */
int sensitivity_plan(struct sens_plan *s, const char *const *params,
		     int n_params, int method, size_t n, unsigned levels,
		     uint64_t seed, const struct cd_params *base,
		     struct cd_diag *d);

void sensitivity_free(struct sens_plan *s);

/* Writes indices.csv from y[metric][point], the points' means of the
 * metrics named in `metrics` (n_metrics of them), bootstrapping with
 * `seed`. Returns 0 or CD_ENOMEM. */
int sensitivity_indices(const struct sens_plan *s, const double *y,
			const char *const *metrics, int n_metrics,
			uint64_t seed, FILE *out);

#endif
