/* observe: the observation model, what each published source would have
 * seen of a run.
 *
 * The figures a run is compared with are not censuses (README "The
 * observation model"). M-Trends reports the intrusions Mandiant
 * investigated; the DBIR the breaches its partners contributed; IBM and
 * Ponemon the breaches of the organisations they surveyed. Each source
 * sees a foothold of a run with a selection weight that depends on the
 * organisation's class (an SME, a large corporation, a government body,
 * an infrastructure operator), relative to a large corporation (weight
 * 1); the weights of the other classes are parameters of the model
 * (observe.SOURCE.weight_CLASS) with defaults, which a calibration may
 * estimate. A statistic is then computed over the footholds the source
 * selects in one year of the reported horizon, each counted with its
 * weight, as the report computes it (a median or a mean, or a share).
 *
 * Statistics read a view of a finished run (the footholds, the
 * parameters and each campaign's attacker), so that tests can build one
 * by hand; observe_runs runs replicates of a scenario on threads and
 * computes statistics of each.
 */
#ifndef CD_ANALYSIS_OBSERVE_H
#define CD_ANALYSIS_OBSERVE_H

#include <stddef.h>
#include <stdint.h>

#include "load/scenario.h"
#include "load/targets.h"
#include "world/world.h"

/* The sources: X(name, report). */
#define CD_OBSERVE_SOURCES(X)                                                 \
	X(mtrends, "Mandiant M-Trends: intrusions investigated")              \
	X(dbir, "Verizon DBIR: breaches contributed by partners")             \
	X(ibm, "IBM / Ponemon Cost of a Data Breach: breached organisations " \
	       "surveyed")

enum observe_source {
#define CD_OBS_SRC_ENUM(name, report) OBSERVE_##name,
	CD_OBSERVE_SOURCES(CD_OBS_SRC_ENUM)
#undef CD_OBS_SRC_ENUM
		OBSERVE_SOURCES
};

/* The classes of organisation a selection weight is given for. */
enum observe_class {
	OBSERVE_LARGE,	    /* a corporation whose size is not "sme": the
			       reference, weight 1 */
	OBSERVE_SME,	    /* a corporation of size "sme" */
	OBSERVE_GOVERNMENT, /* a segment of kind government */
	OBSERVE_INFRA,	    /* a segment of kind infrastructure */
	OBSERVE_CLASSES
};

/* The statistics: X(name, source, unit, what footholds and what formula).
 * A year is days 365 y to 365 y + 364 of the horizon (y = horizon_year,
 * cut at the horizon's end); "weighted" means each foothold counts with
 * its source's weight for its organisation's class. */
#define CD_OBSERVE_STATISTICS(X)                                             \
	X(mtrends_median_dwell_days, mtrends, "days",                        \
	  "weighted median of day_detected - day_compromised over the "      \
	  "footholds detected in the year (made in it or before)")           \
	X(mtrends_internal_share, mtrends, "fraction",                       \
	  "weighted share of the footholds detected in the year that the "   \
	  "organisation found itself (own monitoring, or hunting with "      \
	  "shared or partner indicators)")                                   \
	X(dbir_state_share, dbir, "fraction",                                \
	  "weighted share by state attackers of the data breaches reaching " \
	  "impact in the year (espionage, or extortion without a ransom "    \
	  "demand)")                                                         \
	X(dbir_sme_share, dbir, "fraction",                                  \
	  "weighted share at SMEs (corporations of size sme) of the same "   \
	  "data breaches")                                                   \
	X(ibm_mean_identify_days, ibm, "days",                               \
	  "weighted mean of day_detected - day_compromised over the data "   \
	  "breaches (as dbir_state_share) contained in the year")            \
	X(ibm_mean_contain_days, ibm, "days",                                \
	  "weighted mean of day_contained - day_detected over the same "     \
	  "breaches")

enum observe_statistic {
#define CD_OBS_STAT_ENUM(name, source, unit, help) OBSERVE_STAT_##name,
	CD_OBSERVE_STATISTICS(CD_OBS_STAT_ENUM)
#undef CD_OBS_STAT_ENUM
		OBSERVE_STATISTICS
};

/* The statistics' names (NULL-ended), units, meanings and sources. */
extern const char *const observe_statistic_names[OBSERVE_STATISTICS + 1];
extern const char *const observe_statistic_units[OBSERVE_STATISTICS];
extern const char *const observe_statistic_help[OBSERVE_STATISTICS];
extern const int observe_statistic_source[OBSERVE_STATISTICS];
extern const char *const observe_source_names[OBSERVE_SOURCES];

/* The observation model's parameters: the weight of each source and
 * class but the reference, in the order source x (SME, government,
 * infrastructure), named "observe.SOURCE.weight_CLASS". */
#define OBSERVE_N_PARAMS (OBSERVE_SOURCES * (OBSERVE_CLASSES - 1))
extern const struct targets_obs_param observe_params[OBSERVE_N_PARAMS];
extern const char *const observe_param_help[OBSERVE_N_PARAMS];

/* The vocabulary a targets file is checked against (targets_load). */
extern const struct targets_vocab observe_vocab;

/* The selection weights: weight[source][class]. */
struct observe_weights {
	double w[OBSERVE_SOURCES][OBSERVE_CLASSES];
};
/* The weights of the parameter values obs[OBSERVE_N_PARAMS] (e.g. from
 * targets_observation), the reference class at 1. Cannot fail. */
void observe_weights_of(struct observe_weights *wt, const double *obs);

/* What the statistics read of a finished run. */
struct observe_view {
	const struct cd_params *p;    /* segments' kind and size; attackers'
					 type, objective, demands_ransom */
	const struct cd_foothold *fh; /* the run's footholds */
	size_t n;		      /* how many */
	const int *attacker;	      /* attacker of each campaign */
	size_t n_campaigns;	      /* its length */
	int warm;		      /* records' day of horizon day 0 */
	int days;		      /* the horizon's length */
	int *own;		      /* observe_view_of's allocation */
};

/* The view of finished world w (which must outlive it). Returns 0, or
 * CD_ENOMEM. */
int observe_view_of(struct observe_view *v, const sim_world *w);
/* Frees what observe_view_of allocated. Accepts a zeroed view. */
void observe_view_free(struct observe_view *v);

/* The class of segment s of p. Cannot fail. */
int observe_class_of(const struct cd_params *p, int s);

/* Statistic `stat` of view v in year `year` of the horizon under weights
 * wt; NaN when undefined (no foothold selected, or zero total weight).
 * Cannot fail. */
double observe_statistic(int stat, const struct observe_view *v,
			 const struct observe_weights *wt, int year);

/* What observe_runs computes of each run: n statistics, the k-th
 * statistic stat[k] of year year[k], all under weights wt. */
struct observe_request {
	int n;
	const int *stat, *year;
	const struct observe_weights *wt;
};

/* Runs replicates first .. first + reps - 1 of sc, replicate r with seed
 * cd_study_seed(master, 0, r) (as a sweep's), on `jobs` threads, and
 * writes the statistics of replicate first + i into values[i * q->n ..]
 * and its seed into seeds[i] (may be NULL). The values do not depend on
 * jobs. Returns 0; CD_EINTR (a stop was requested), CD_ELIMIT, CD_ENOMEM,
 * with d->msg. */
int observe_runs(const struct cd_scenario *sc, const struct observe_request *q,
		 uint64_t master, uint64_t first, int reps, int jobs,
		 double *values, uint64_t *seeds, struct cd_diag *d);

#endif
