/* targets: the published figures a scenario is compared with, and the
 * settings a calibration may estimate, with their priors.
 *
 * A targets file is libconfig (README "Calibration targets"): a group
 * `targets` of named targets, each a statistic of the observation model
 * (analysis/observe.h) for a scenario, with its observed value, its
 * uncertainty (a standard deviation, by the fixed rule below), its source
 * and data year; and a list `parameters`, each a setting of the scenario
 * schema addressed by its path (as --set names it) or a parameter of the
 * observation model ("observe...."), with its prior and the reason for it.
 * The loader refuses, with "FILE:LINE: setting: what is allowed", an
 * unknown statistic, a target naming no known scenario, a file naming no
 * target for the scenario at hand, a setting that is unknown, not a real
 * number, or derived from a stage maturity (its mapping coefficients are
 * allowed), and a prior reaching outside the setting's range.
 *
 * Uncertainty rule: sd = max(published sampling error, 0.2 |value|); a
 * target whose sd differs says why in `departure`.
 *
 * The loaded file is plain data (struct cd_targets): iterate its arrays.
 * Priors are sampled by inversion of keyed uniforms (core/keyed.h), so a
 * draw depends only on the key, the particle and the setting's name.
 * A parameter vector theta (one value per parameter, in file order) is
 * applied to a scenario as --set texts, so it is validated exactly as
 * --set is.
 */
#ifndef CD_LOAD_TARGETS_H
#define CD_LOAD_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "core/keyed.h"
#include "core/status.h"
#include "load/scenario.h"
#include "params/params.h"

#define TARGETS_MAX 64	      /* targets in a file */
#define TARGETS_MAX_PARAMS 32 /* parameters in a file (each one --set) */
#define TARGETS_TEXT 256      /* bytes of a name, source or reason */

/* The relative tolerance of the uncertainty rule (a file's sd is written
 * in a few digits). */
#define TARGETS_RULE_TOL 1e-3

/* A parameter of the observation model, as the loader checks it. */
struct targets_obs_param {
	const char *name; /* "observe.mtrends.weight_sme" */
	double def;	  /* its value when not estimated */
	double min, max;  /* its range */
};

/* What the loader checks statistics and observation parameters against
 * (the observation model gives it: observe_vocab). */
struct targets_vocab {
	const char *const *statistics; /* NULL-ended names */
	const struct targets_obs_param *params;
	int n_params;
};

enum targets_prior_kind {
	TARGETS_UNIFORM,     /* on [lo, hi] */
	TARGETS_LOG_UNIFORM, /* log x uniform on [log lo, log hi], lo > 0 */
	TARGETS_BETA,	     /* lo + (hi - lo) Beta(a, b) */
	TARGETS_NORMAL,	     /* Normal(mean a, sd b) truncated to [lo, hi] */
	TARGETS_PRIOR_KINDS
};

/* "uniform", "log_uniform", "beta", "normal"; NULL-ended. */
extern const char *const targets_prior_names[TARGETS_PRIOR_KINDS + 1];

struct targets_prior {
	int kind;      /* enum targets_prior_kind */
	double a, b;   /* beta: alpha, beta; normal: mean, sd; else unused */
	double lo, hi; /* support, within the setting's range, lo < hi */
};

struct targets_target {
	char name[TARGETS_TEXT];     /* the group's name in the file */
	char scenario[TARGETS_TEXT]; /* as written */
	int statistic;		     /* index in vocab->statistics */
	double value;		     /* observed, in the statistic's unit */
	double sd;		     /* its uncertainty (standard deviation) */
	double sampling_error;	     /* published, or 0 if none */
	char source[TARGETS_TEXT];   /* report and year */
	int data_year;		     /* the year the figure describes */
	int horizon_year;	     /* the year of the run it is compared
					with: 0 is days 0 to 364 */
	int active;		     /* 1 if it names the scenario at hand */
	int line;		     /* in the file */
};

struct targets_param {
	char setting[CD_SET_MAX / 2]; /* path, e.g. detection.internal_rate */
	int observation;	      /* index in vocab->params, or -1: a
					 scenario setting */
	struct targets_prior prior;
	char reason[TARGETS_TEXT];
	int line;
};

struct cd_targets {
	char path[1024];
	const struct targets_vocab *vocab;
	int n_targets, n_active;
	struct targets_target targets[TARGETS_MAX];
	int n_params;
	struct targets_param params[TARGETS_MAX_PARAMS];
};

/* ---- loading ---- */
/* Loads the targets file `path` (a file; else, where no such file exists
 * and the name has no '/', the built-in file scenarios/targets/NAME, with
 * or without .cfg) for the scenario `scenario` (as the command line names
 * it: its name is its last path component without .cfg), whose loaded
 * parameters p check the parameters' paths. Targets of other scenarios
 * are kept, inactive. Returns 0 and *out; CD_EINVAL with d->msg
 * "FILE:LINE: ..."; CD_ENOENT (cannot read the file); CD_ENOMEM. */
int targets_load(struct cd_targets **out, const char *path,
		 const char *scenario, const struct cd_params *p,
		 const struct targets_vocab *v, struct cd_diag *d);

/* Frees t. Accepts NULL. */
void targets_destroy(struct cd_targets *t);

/* The name a target's `scenario` is matched with: the last component of
 * path without ".cfg" (NULL: the default, japan_2017). Cannot fail. */
void targets_scenario_name(const char *path, char *buf, size_t size);

/* ---- priors ---- */
/* The prior's quantile at u in (0, 1) (inversion): within [lo, hi].
 * Cannot fail. */
double targets_prior_quantile(const struct targets_prior *pr, double u);
/* Its log density at x: -INFINITY outside [lo, hi]. Cannot fail. */
double targets_prior_log_density(const struct targets_prior *pr, double x);
/* Draws theta[n_params] from the priors: parameter j at the quantile of
 * cd_keyed_u01(k, particle, cd_name_id(its setting)), so a draw depends
 * on the key, the particle and the setting's name only. Cannot fail. */
void targets_sample(const struct cd_targets *t, cd_key k, uint64_t particle,
		    double *theta);
/* The sum of the parameters' log prior densities at theta (-INFINITY
 * outside a support). Cannot fail. */
double targets_log_prior(const struct cd_targets *t, const double *theta);

/* ---- applying a parameter vector ---- */
/* theta at the scenario's own values (sc's parameters) and, for the
 * observation model's, their defaults: the uncalibrated point. Cannot
 * fail. */
void targets_current(const struct cd_targets *t, const struct cd_scenario *sc,
		     double *theta);
/* The observation model's parameters under theta into obs[n_params of
 * the vocabulary]: the defaults, and theta's values for those estimated.
 * Cannot fail. */
void targets_observation(const struct cd_targets *t, const double *theta,
			 double *obs);
/* The --set texts "path=value" of theta's scenario settings into
 * sets[CD_MAX_SETS] (values in 17 significant digits); returns how many.
 * Cannot fail. */
int targets_set_texts(const struct cd_targets *t, const double *theta,
		      char sets[][CD_SET_MAX]);
/* Loads `scenario` (as scenario_open: a file or a built-in name) with
 * theta's settings applied as --set texts, then the caller's n_sets texts
 * `sets` (which win). Returns as scenario_open: 0 and *out; CD_EINVAL
 * (with d->msg) when a value breaks a rule across settings. */
int targets_scenario(struct cd_scenario **out, const struct cd_targets *t,
		     const char *scenario, const double *theta,
		     const char *const *sets, int n_sets, struct cd_diag *d);

#endif
