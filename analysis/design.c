/* design: see design.h. The CSV itself is csvread's; this module adds
 * what a design means: settings in the header, values in the rows, each
 * checked against the base scenario. */
#include "analysis/design.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "load/scenario.h"

static const struct csv_limits design_limits = {
	.max_bytes = CD_DESIGN_MAX_BYTES,
	.max_field = 255, /* a setting's path; values: check_rows */
	.max_rows = CD_DESIGN_MAX_ROWS,
	.max_cols = CD_MAX_AXES,
	.no_space = 1,
};

/* 1 if the bytes hold nothing but a byte-order mark and line ends. */
static int no_text(const char *data, size_t len)
{
	size_t i = len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3) ? 3 : 0;
	for (; i < len; i++)
		if (data[i] != '\n' && data[i] != '\r')
			return 0;
	return 1;
}

/* Checks the header: every column names a setting, each once. */
static int check_header(const struct cd_design *dg, const struct cd_params *p,
			struct cd_diag *d)
{
	const char *name = dg->t.name;
	for (int c = 0; c < dg->n_cols; c++) {
		const char *path = cd_design_column(dg, c);
		char where[600];
		snprintf(where, sizeof where, "%.500s:%zu: column %d", name,
			 dg->t.line[0], c + 1);
		if (!path[0]) {
			snprintf(d->msg, sizeof d->msg,
				 "%s has no name; allowed: the path of a "
				 "setting, as --set names it (e.g. "
				 "won.share_rate)",
				 where);
			return CD_EINVAL;
		}
		if (scenario_check_path(p, path, where, d))
			return CD_EINVAL;
		for (int k = 0; k < c; k++)
			if (!strcmp(cd_design_column(dg, k), path)) {
				snprintf(d->msg, sizeof d->msg,
					 "%s names %s again (column %d does); "
					 "allowed: each setting once",
					 where, path, k + 1);
				return CD_EINVAL;
			}
	}
	return 0;
}

/* Checks every value against its setting. */
static int check_rows(const struct cd_design *dg, const struct cd_params *p,
		      struct cd_diag *d)
{
	for (int r = 0; r < dg->n_rows; r++)
		for (int c = 0; c < dg->n_cols; c++) {
			char where[600];
			struct cd_assign a;
			snprintf(where, sizeof where, "%.500s:%zu", dg->t.name,
				 dg->t.line[r + 1]);
			if (strlen(cd_design_cell(dg, r, c)) >=
			    SWEEP_VALUE_MAX) {
				snprintf(d->msg, sizeof d->msg,
					 "%s: field %d: the value is longer "
					 "than %d bytes (a limit)",
					 where, c + 1, SWEEP_VALUE_MAX - 1);
				return CD_ELIMIT;
			}
			if (scenario_parse_assign(p, cd_design_column(dg, c),
						  cd_design_cell(dg, r, c),
						  where, &a, d))
				return CD_EINVAL;
		}
	return 0;
}

int cd_design_parse(struct cd_design *dg, const char *name, const char *data,
		    size_t len, const struct cd_params *p, struct cd_diag *d)
{
	memset(dg, 0, sizeof *dg);
	cd_sha256_hex(data, len, dg->sha256);
	if (no_text(data, len)) {
		snprintf(d->msg, sizeof d->msg,
			 "%.500s:1: empty file; allowed: a CSV whose header "
			 "names settings, then one row per point",
			 name);
		return CD_EINVAL;
	}
	int rc = csv_table_parse(&dg->t, name, data, len, &design_limits, d);
	if (rc)
		return rc;
	dg->n_cols = (int)dg->t.ncols;
	dg->n_rows = (int)dg->t.nrows;
	if (dg->n_rows == 0) {
		snprintf(d->msg, sizeof d->msg,
			 "%.500s:%zu: a header and no rows (points) after it; "
			 "allowed: one row of values per point",
			 name, dg->t.line[0]);
		rc = CD_EINVAL;
	}
	if (!rc)
		rc = check_header(dg, p, d);
	if (!rc)
		rc = check_rows(dg, p, d);
	if (rc) {
		char keep[CD_SHA256_HEX];
		memcpy(keep, dg->sha256, sizeof keep);
		cd_design_free(dg);
		memcpy(dg->sha256, keep, sizeof keep);
	}
	return rc;
}

int cd_design_read(struct cd_design *dg, const char *path,
		   const struct cd_params *p, struct cd_diag *d)
{
	memset(dg, 0, sizeof *dg);
	char *text;
	size_t len;
	const char *why;
	int rc = cd_file_read(path, CD_DESIGN_MAX_BYTES, &text, &len, &why);
	if (rc == CD_ELIMIT) {
		snprintf(d->msg, sizeof d->msg,
			 "--design %.500s: larger than %zu bytes (a limit)",
			 path, CD_DESIGN_MAX_BYTES);
		return rc;
	}
	if (rc) {
		snprintf(d->msg, sizeof d->msg,
			 "cannot read --design %.500s: %s", path, why);
		return rc;
	}
	rc = cd_design_parse(dg, path, text, len, p, d);
	free(text);
	return rc;
}

const char *cd_design_column(const struct cd_design *dg, int c)
{
	return csv_table_cell(&dg->t, 0, (size_t)c);
}

const char *cd_design_cell(const struct cd_design *dg, int r, int c)
{
	return csv_table_cell(&dg->t, (size_t)r + 1, (size_t)c);
}

void cd_design_free(struct cd_design *dg)
{
	csv_table_free(&dg->t);
	dg->n_cols = dg->n_rows = 0;
}
