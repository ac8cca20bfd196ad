/* experiment: what a sweep runs: its points and replicates, checked.
 *
 * A sweep is asked for in a struct sweep_request (the command line), the
 * scenario's sweep block supplying what the request leaves out (reps, and
 * the vary texts when neither --vary nor --design is given). It is
 * resolved here into points: the grid of the varied settings' values
 * (spec.h; the last setting varies fastest) or the rows of a design
 * (design.h). Point p is the base scenario with the sweep's --set texts
 * and then p's values, and every point is loaded once before anything
 * runs, so that a combination breaking a rule across settings (a timeline
 * day beyond a varied horizon) is bad input before any output exists.
 *
 * The experiment owns its base scenario, its axes' values and its design;
 * the request's texts stay the caller's and must outlive it. Its fields
 * are plain data that the sweep's other modules (journal, aggregate,
 * sweep) read; only this module changes them. Nothing here prints: every
 * problem is a status and a struct cd_diag.
 */
#ifndef CD_ANALYSIS_EXPERIMENT_H
#define CD_ANALYSIS_EXPERIMENT_H

#include <stdint.h>

#include "analysis/design.h"
#include "analysis/posterior.h"
#include "analysis/sensitivity.h"
#include "analysis/spec.h"
#include "core/digest.h"
#include "core/status.h"
#include "load/scenario.h"
#include "params/params.h"

#define SWEEP_MAX_RUNS 100000000.0 /* points x replicates */

/* What a sweep is asked to do. */
struct sweep_request {
	const char *scenario;	 /* a file or built-in name; NULL: default */
	const char *out;	 /* the output directory */
	const char *design;	 /* a design CSV (instead of varies), or NULL */
	const char *const *sets; /* n_sets --set texts, for every run */
	int n_sets;
	const char *const *varies; /* n_varies "PATH=SPEC" texts, whole */
	int n_varies;
	int reps;      /* replicates per point; 0: the sweep block's */
	int jobs;      /* threads of each process, 1..1024 */
	int resume;    /* take up the unfinished sweep in out */
	uint64_t seed; /* master seed: run (p, r) uses cd_study_seed (run.h) */
	int independent; /* a seed per (point, replicate), not per replicate */
	/* A comparison (cyberdef compare): its arms are the points, point 0
	 * the scenario itself and point k the alternative arms[k - 1], a
	 * scenario (a file or built-in name) or "@PATH=VALUE[,...]", the
	 * scenario with those changes after the --set texts. No varies, no
	 * design. */
	const char *const *arms;
	int n_arms; /* 0: a sweep */
	/* What the comparison reports (effects.h): the summary metrics
	 * (NULL: its headline set) and "METRIC=X" thresholds. */
	const char *const *metrics;
	int n_metrics;
	const char *const *exceed;
	int n_exceed;
	/* A sensitivity analysis (cyberdef sensitivity): its parameters
	 * "PATH=LO:HI[:log]", method (enum sens_method), size (Sobol base
	 * samples or Morris trajectories) and Morris grid levels; its points
	 * are the design (sensitivity.h). The metrics are as a comparison's. */
	const char *const *params;
	int n_params;
	int method;
	size_t sens_n;
	unsigned levels;
	/* --posterior: a calibration's posterior.csv, or NULL. Replicate r
	 * of every point takes the particle posterior_draw(seed, r) of its
	 * final generation, as the loader's layer: after the scenario's own
	 * settings, before its `overrides` and the --set texts. */
	const char *posterior;
};

#define EXPERIMENT_MAX_ARMS 16 /* alternatives of one comparison */

/* One varied setting. */
struct sweep_axis {
	char *path;	  /* the setting (malloc'd) */
	const char *text; /* "PATH=SPEC", whole (a grid's; NULL: a design's) */
	int n;		  /* values of a grid's axis */
	char (*values)[SWEEP_VALUE_MAX];
};

struct experiment {
	struct sweep_request rq;
	struct cd_scenario *base;	 /* the scenario with the --set texts */
	char hash[CD_SHA256_HEX];	 /* of the base scenario's text */
	const char *varies[CD_MAX_AXES]; /* the request's or the block's */
	int n_varies;
	int from_block; /* varies are the sweep block's */
	int reps;	/* rq.reps, or the block's; 0: neither gives any */
	int n_axes;
	struct sweep_axis axes[CD_MAX_AXES];
	int n_points;		 /* grid points or design rows */
	struct cd_design design; /* the rows, if rq.design */
	char design_hash[CD_SHA256_HEX];
	/* A comparison's arms, once checked: each one's scenario hash. */
	char arm_hash[EXPERIMENT_MAX_ARMS + 1][CD_SHA256_HEX];
	struct sens_plan sens; /* a sensitivity analysis's design */
	/* Once every point is checked: */
	int max_days;	      /* the longest horizon of a point */
	double world_bytes;   /* estimated bytes of the largest point's run */
	long long world_orgs; /* organisations of that point */
	int bad_point;	      /* the point that failed to load, or -1 */
	/* rq.posterior's ensemble, checked against the base scenario. */
	int has_post;
	struct posterior post;
};

/* Takes the request into *e and loads the base scenario, then takes from
 * its sweep block what the request leaves out (e->reps, e->varies), so
 * that the caller can refuse a sweep with no replicates or nothing to
 * vary in its own words before experiment_plan. Returns 0; or as
 * scenario_open (CD_EINVAL, CD_ENOENT, CD_ELIMIT, CD_ENOMEM with d->msg),
 * or CD_ELIMIT when the sweep block varies more than CD_MAX_AXES
 * settings. Call experiment_free afterwards whatever it returns. */
int experiment_open(struct experiment *e, const struct sweep_request *rq,
		    struct cd_diag *d);

/* Makes the points (the design's rows, or the grid of the varies, each
 * value checked against the base), checks that they and the runs are
 * within bounds, then loads every point, finding the longest horizon and
 * the largest world. Returns 0; CD_EINVAL or CD_ELIMIT (bad input, d->msg:
 * a grid's axis, a count, or a point that does not load, then
 * e->bad_point names it), CD_ENOENT (a design cannot be read), CD_ENOMEM,
 * or CD_EINTR when a stop is requested while the points are checked. */
int experiment_plan(struct experiment *e, struct cd_diag *d);

/* The text of point p of a comparison: the scenario as given (or
 * "japan_2017", the built-in default) for point 0, then the alternatives
 * as given. Cannot fail. */
const char *experiment_arm(const struct experiment *e, int p);

/* The value text of axis a at point p. Cannot fail. */
const char *experiment_value(const struct experiment *e, int p, int a);

/* Loads the scenario of point p into *sc (the caller destroys it).
 * Returns 0, or as scenario_open with d->msg. */
int experiment_load(const struct experiment *e, int p, struct cd_scenario **sc,
		    struct cd_diag *d);

/* The index of the particle replicate r takes (posterior_draw of the
 * master seed and r), or -1 without --posterior. Cannot fail. */
long experiment_particle(const struct experiment *e, int r);

/* As experiment_load, with particle k's settings (k < 0: none) as the
 * loader's layer (scenario_open_layer). */
int experiment_load_particle(const struct experiment *e, int p, long k,
			     struct cd_scenario **sc, struct cd_diag *d);

/* Frees what e owns. Accepts an experiment zeroed or partly made. */
void experiment_free(struct experiment *e);

#endif
