/* fit: a scenario's active targets against a sample of model statistics,
 * shared by `cyberdef observe` (the replicates at the scenario's own
 * settings) and `cyberdef calibrate` (the posterior-predictive draws).
 *
 * A sample is `rows` rows of the active targets' statistics (row-major,
 * one column per active target, NaN where undefined); each target's fit
 * is the median and the 5th and 95th percentiles of its defined values,
 * and its distance (median - observed) / sd. fit.csv has one row per
 * active target, columns fit_header (the last, held_out, is 1 for a
 * target a calibration predicted without fitting it). */
#ifndef CD_CMD_FIT_H
#define CD_CMD_FIT_H

#include <stdio.h>

#include "load/targets.h"

struct cmd_common;
struct cd_scenario;

/* Loads the scenario at `path` (NULL: the default) with c's --set texts,
 * and the targets file `targets` against it. Returns 0 and both, or the
 * exit status after a message (nothing to free). */
int fit_load(const char *path, const struct cmd_common *c, const char *targets,
	     struct cd_scenario **sc, struct cd_targets **t);

/* The fit of one target over a sample. */
struct fit {
	int n;		       /* rows where the statistic is defined */
	double median, lo, hi; /* their median, 5th and 95th percentiles */
	double distance;       /* (median - observed) / sd */
	int within;	       /* |distance| <= 1 (-1: undefined) */
};

/* The active targets of a targets file, in file order. held[k] marks a
 * target a calibration held out of its distance (calibrate --hold-out),
 * to be predicted rather than fitted. */
struct fit_active {
	int n, idx[TARGETS_MAX]; /* their index in the file's targets */
	int stat[TARGETS_MAX], year[TARGETS_MAX];
	unsigned char held[TARGETS_MAX];
};

/* The active targets of t into a, none held out. Cannot fail. */
void fit_active_of(const struct cd_targets *t, struct fit_active *a);

/* Fits every active target from `values` (rows x a->n) into fits[a->n],
 * using buf[rows] as scratch. Cannot fail. */
void fit_all(const struct cd_targets *t, const struct fit_active *a,
	     const double *values, int rows, double *buf, struct fit *fits);

/* Writes fit.csv (header and one row per active target) to o. */
void fit_write(FILE *o, const struct cd_targets *t, const struct fit_active *a,
	       const struct fit *fits);

/* Prints the fits as a table and a summary line ending "; ROWS WHAT". */
void fit_print(const struct cd_targets *t, const struct fit_active *a,
	       const struct fit *fits, int rows, const char *what);

#endif
