/* calibrate_meta: what `cyberdef calibrate` records in metadata.json and
 * what a --resume must match (calibrate_cmd.c's). */
#ifndef CD_CMD_CALIBRATE_META_H
#define CD_CMD_CALIBRATE_META_H

#include <jansson.h>

#include "analysis/abc.h"
#include "core/digest.h"
#include "load/scenario.h"
#include "load/targets.h"

/* What the command line gives metadata.json. */
struct cal_meta {
	const char *const *sets; /* the --set texts */
	int n_sets;
	const char *const *hold; /* the --hold-out names */
	int n_hold;
	const char *targets; /* the targets file as named */
	const char *thash;   /* its SHA-256 (cal_targets_sha256) */
};

/* The SHA-256 of the targets file as targets_load reads it (a file, else
 * the built-in scenarios/targets/NAME). Returns 0, or -1. */
int cal_targets_sha256(const char *path, char hex[CD_SHA256_HEX]);

/* metadata.json of a calibration of sc to t under cfg, or NULL (out of
 * memory). */
json_t *cal_metadata(const struct cal_meta *o, const struct cd_scenario *sc,
		     const struct cd_targets *t, const abc_config *cfg);

/* With --resume: dir's metadata.json must record the settings of m (its
 * generations no more than m's). Returns 0, or 2 after a message. */
int cal_resume_check(const json_t *m, const char *dir);

#endif
