/* csvread: the one CSV reader, for designs, charts and tests.
 *
 * Reads an RFC 4180 file whole into a table of NUL-terminated text cells:
 * row 0 is the header, rows 1..nrows the records, every record as wide as
 * the header. It is strict, and says exactly what is wrong and where
 * ("FILE:LINE: field F: ..."), because its inputs come from other tools
 * and people: a UTF-8 byte-order mark at the start is skipped; records end
 * in LF or CRLF (the last may end the file instead); a line holding no
 * byte at all is skipped; a field is either unquoted, with no '"', CR or
 * LF in it, or quoted whole with inner quotes doubled (and may then hold
 * ',', CR and LF). A quote inside an unquoted field, text after a closing
 * quote, a quote left open, a lone CR, a NUL byte, a record of the wrong
 * width and a field or file over the caller's limits are each refused by
 * name. With `no_space`, an unquoted field that begins or ends with a
 * space or tab is refused too (RFC 4180 keeps them as part of the value,
 * which is rarely what was meant).
 *
 * The table owns one buffer holding every cell; csv_table_free releases
 * it. A line number counts LFs from 1, so a record with a quoted line
 * break starts on one line and ends on a later one; rows carry the line
 * they start on.
 */
#ifndef CD_CSVREAD_H
#define CD_CSVREAD_H

#include <stddef.h>

#include "core/status.h"

struct csv_limits {
	size_t max_bytes; /* of the file */
	size_t max_field; /* bytes of one field, after unquoting */
	size_t max_rows;  /* records after the header */
	size_t max_cols;  /* fields of a record */
	int no_space;	  /* refuse spaces around unquoted fields */
};

/* Generous limits for reading cyberdef's own outputs. */
extern const struct csv_limits csv_limits_default;

typedef struct csv_table {
	char *text;	/* the cells, NUL-terminated, one after another */
	char **cell;	/* [(nrows + 1) * ncols]: row 0 is the header */
	size_t *line;	/* [nrows + 1]: the line each row starts on */
	size_t ncols;	/* fields per record */
	size_t nrows;	/* records after the header */
	char name[512]; /* the file, as named in messages */
} csv_table;

/* Parses len bytes at data (need not be NUL-terminated) as CSV named
 * `name` in messages. Returns 0 and fills *t; or CD_EINVAL with d->msg
 * ("NAME:LINE: ..." saying what is wrong and what is allowed), or
 * CD_ELIMIT (a limit exceeded; d->msg says which), or CD_ENOMEM. An empty
 * file (no header) is CD_EINVAL. On error *t is empty and owns nothing. */
int csv_table_parse(csv_table *t, const char *name, const char *data,
		    size_t len, const struct csv_limits *lim,
		    struct cd_diag *d);

/* Reads the file at path (fileio.h: FIFOs without a writer are refused)
 * and parses it. Returns as csv_table_parse, or CD_ENOENT / CD_EIO with
 * d->msg "cannot read PATH: why". */
int csv_table_read(csv_table *t, const char *path, const struct csv_limits *lim,
		   struct cd_diag *d);

/* Frees what t owns and empties it. Accepts an empty table. */
void csv_table_free(csv_table *t);

/* The cell at (row, col): row 0 is the header. Cannot fail. */
const char *csv_table_cell(const csv_table *t, size_t row, size_t col);

/* The index of the header column named `name`, or -1. Cannot fail. */
long csv_table_column(const csv_table *t, const char *name);

#endif
