/* design: the points of a sweep given as a CSV file (`sweep --design`).
 *
 * A design is a CSV (RFC 4180, read by csvread.h) whose header names up to
 * CD_MAX_AXES settings, each as `--set` names it, and whose every row is
 * one point: the values of those settings, each checked against the base
 * scenario as `--set` would check it. Designs come from other tools (SALib,
 * the EMA Workbench, OpenMOLE, spreadsheets), so the reader is strict and
 * every message names the file and the line: a UTF-8 byte-order mark is
 * skipped; a bad quote, a value longer than SWEEP_VALUE_MAX - 1 bytes (a
 * setting's path: 255), a
 * space before or after an unquoted value, a row of the wrong width, a
 * column with no name, an unknown or repeated setting, a value a setting
 * does not allow, more than CD_DESIGN_MAX_ROWS rows or more than
 * CD_MAX_AXES columns are each refused by name. A line holding no byte is
 * skipped; a line holding "" is a row of one empty value (refused as a
 * value unless a setting allows it). The library returns; the program
 * prints: every problem here is a status and a message.
 *
 * A design owns its cells (one csv_table); cd_design_free releases them.
 */
#ifndef CD_DESIGN_H
#define CD_DESIGN_H

#include <stddef.h>

#include "analysis/csvread.h"
#include "core/digest.h"
#include "params/params.h"
#include "core/status.h"
#include "analysis/spec.h"

#define CD_DESIGN_MAX_ROWS 100000		/* points of one design */
#define CD_DESIGN_MAX_BYTES ((size_t)256 << 20) /* of the file */

struct cd_design {
	csv_table t;		    /* row 0: the settings */
	int n_cols;		    /* settings varied, 1..CD_MAX_AXES */
	int n_rows;		    /* points, 1..CD_DESIGN_MAX_ROWS */
	char sha256[CD_SHA256_HEX]; /* of the file's bytes, as read */
};

/* Parses len bytes at data (need not be NUL-terminated), named `name` in
 * messages, as a design against the base parameters p. Returns 0 and
 * fills *dg; or CD_EINVAL / CD_ELIMIT with d->msg ("NAME:LINE: what is
 * wrong; allowed: ..."), or CD_ENOMEM. On error *dg owns nothing. The
 * hash is the SHA-256 of the len bytes, whatever the outcome. */
int cd_design_parse(struct cd_design *dg, const char *name, const char *data,
		    size_t len, const struct cd_params *p, struct cd_diag *d);

/* Reads the file at path (fileio.h: a pipe or process substitution is
 * read to its end, a FIFO without a writer is refused) and parses it.
 * Returns as cd_design_parse, or CD_ENOENT / CD_EIO with d->msg "cannot
 * read --design PATH: why". */
int cd_design_read(struct cd_design *dg, const char *path,
		   const struct cd_params *p, struct cd_diag *d);

/* The setting of column c, and the value of column c at point r
 * (0-based). Cannot fail. */
const char *cd_design_column(const struct cd_design *dg, int c);
const char *cd_design_cell(const struct cd_design *dg, int r, int c);

/* Frees what dg owns and empties it. Accepts an empty design. */
void cd_design_free(struct cd_design *dg);

#endif
