/* fuzz_csv: libFuzzer harness for the one CSV reader (analysis/csvread.h).
 *
 * Arbitrary bytes are parsed with generous limits and with strict ones
 * (spaces refused, small field, row and column limits). Errors are fine if
 * they are clean: a known status, a message, and a table that owns
 * nothing. A table that parses must be rectangular, and survive a round
 * trip: written back with the CSV field writer (csv.h) and parsed again,
 * it gives the same cells. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/csvread.h"
#include "core/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct csv_limits strict = {
	.max_bytes = 1 << 16,
	.max_field = 16,
	.max_rows = 64,
	.max_cols = 8,
	.no_space = 1,
};

/* Writes t back as CSV into a malloc'd buffer. */
static char *write_back(const csv_table *t, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		abort();
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				csv_sep(f);
			const char *v = csv_table_cell(t, r, c);
			/* An empty single field must be quoted, or the row
			 * would read back as an empty line; so must a first
			 * field beginning with a byte-order mark, which the
			 * reader would skip. */
			if ((t->ncols == 1 && !*v) ||
			    (!r && !c && !strncmp(v, "\xef\xbb\xbf", 3))) {
				putc('"', f);
				for (; *v; v++) {
					if (*v == '"')
						putc('"', f);
					putc(*v, f);
				}
				putc('"', f);
			}
			else
				csv_str(f, v);
		}
		csv_eol(f);
	}
	if (fclose(f))
		abort();
	return buf;
}

static void check(const uint8_t *data, size_t size,
		  const struct csv_limits *lim)
{
	csv_table t;
	struct cd_diag d = {{0}};
	int rc = csv_table_parse(&t, "fuzz.csv", (const char *)data, size, lim,
				 &d);
	if (rc) {
		if ((rc != CD_EINVAL && rc != CD_ELIMIT && rc != CD_ENOMEM) ||
		    !d.msg[0] || t.cell || t.text)
			abort();
		return;
	}
	if (t.ncols == 0 || !t.cell || !t.line)
		abort();
	for (size_t r = 1; r <= t.nrows; r++)
		if (t.line[r] < t.line[r - 1])
			abort();
	size_t len;
	char *again = write_back(&t, &len);
	csv_table u;
	if (csv_table_parse(&u, "again.csv", again, len, NULL, &d) ||
	    u.ncols != t.ncols || u.nrows != t.nrows)
		abort();
	for (size_t k = 0; k < (t.nrows + 1) * t.ncols; k++)
		if (strcmp(t.cell[k], u.cell[k]))
			abort();
	csv_table_free(&u);
	free(again);
	csv_table_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, NULL);
	check(data, size, &strict);
	return 0;
}
