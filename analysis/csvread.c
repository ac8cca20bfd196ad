/* csvread: see csvread.h. One pass over the bytes: cells are copied,
 * unquoted, into one buffer (never longer than the input plus a NUL per
 * cell, which takes the place of its separator), their offsets kept in an
 * array that becomes the cell pointers at the end. */
#include "analysis/csvread.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"

const struct csv_limits csv_limits_default = {
	.max_bytes = (size_t)1 << 32,
	.max_field = (size_t)1 << 20,
	.max_rows = (size_t)1 << 28,
	.max_cols = 1 << 16,
	.no_space = 0,
};

struct parser {
	const char *name;
	const char *data;
	size_t len, i, line;
	const struct csv_limits *lim;
	struct cd_diag *d;
	char *out;
	size_t o;
	size_t *cells; /* offsets into out */
	size_t n_cells, cap_cells;
	size_t *lines;
	size_t n_lines, cap_lines;
};

static int fail(struct parser *P, int rc, size_t line, const char *fmt, ...)
{
	int n = snprintf(P->d->msg, sizeof P->d->msg, "%.500s:%zu: ", P->name,
			 line);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof P->d->msg)
		vsnprintf(P->d->msg + n, sizeof P->d->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

static int push(size_t **arr, size_t *n, size_t *cap, size_t v)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		size_t *na = realloc(*arr, nc * sizeof *na);
		if (!na)
			return CD_ENOMEM;
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A quoted field, P->i at its opening quote. */
static int quoted(struct parser *P, size_t field)
{
	size_t open_line = P->line, start = P->o;
	P->i++;
	for (;;) {
		if (P->i >= P->len)
			return fail(P, CD_EINVAL, open_line,
				    "field %zu: the quoted value that opens "
				    "here is not closed; allowed: a '\"' "
				    "ending it (a '\"' inside is written "
				    "'\"\"')",
				    field);
		char c = P->data[P->i];
		if (c == '"') {
			if (P->i + 1 < P->len && P->data[P->i + 1] == '"') {
				P->out[P->o++] = '"';
				P->i += 2;
			} else {
				P->i++;
				break;
			}
		} else {
			P->line += c == '\n';
			P->out[P->o++] = c;
			P->i++;
		}
		if (P->o - start > P->lim->max_field)
			return fail(P, CD_ELIMIT, open_line,
				    "field %zu: the value is longer than "
				    "%zu bytes (a limit)",
				    field, P->lim->max_field);
	}
	if (P->i < P->len) {
		char c = P->data[P->i];
		int crlf = c == '\r' && P->i + 1 < P->len &&
			   P->data[P->i + 1] == '\n';
		if (c != ',' && c != '\n' && !crlf)
			return fail(P, CD_EINVAL, P->line,
				    "field %zu: text after the closing '\"'; "
				    "allowed: ',' or the end of the line "
				    "after a quoted value (a '\"' inside it "
				    "is written '\"\"')",
				    field);
	}
	return 0;
}

/* An unquoted field, from P->i to the next ',' or line end. */
static int unquoted(struct parser *P, size_t field)
{
	size_t start = P->o;
	while (P->i < P->len) {
		char c = P->data[P->i];
		if (c == ',' || c == '\n')
			break;
		if (c == '\r') {
			if (P->i + 1 < P->len && P->data[P->i + 1] == '\n')
				break;
			return fail(P, CD_EINVAL, P->line,
				    "field %zu: a carriage return (CR) not "
				    "followed by a line feed; allowed: lines "
				    "ending in LF or CR LF",
				    field);
		}
		if (c == '"')
			return fail(P, CD_EINVAL, P->line,
				    "field %zu: a '\"' inside an unquoted "
				    "value; allowed: quote the whole value "
				    "and double each '\"' inside it (RFC 4180)",
				    field);
		P->out[P->o++] = c;
		P->i++;
		if (P->o - start > P->lim->max_field)
			return fail(P, CD_ELIMIT, P->line,
				    "field %zu: the value is longer than %zu "
				    "bytes (a limit)",
				    field, P->lim->max_field);
	}
	size_t n = P->o - start;
	if (!P->lim->no_space || n == 0)
		return 0;
	const char *v = P->out + start;
	size_t k = 0;
	while (k < n && is_blank(v[k]))
		k++;
	if (k == n)
		return fail(P, CD_EINVAL, P->line,
			    "field %zu holds only spaces or tabs; allowed: a "
			    "value, an empty field, or an empty line",
			    field);
	if (k > 0 || is_blank(v[n - 1]))
		return fail(P, CD_EINVAL, P->line,
			    "field %zu '%.*s' %s with a space or tab; "
			    "allowed: values without spaces around them",
			    field, (int)(n > 60 ? 60 : n), v,
			    k > 0 ? "begins" : "ends");
	return 0;
}

/* One record, P->i at its first byte. */
static int record(struct parser *P, size_t *width)
{
	size_t field = 0;
	for (;;) {
		field++;
		if (field > P->lim->max_cols)
			return fail(P, CD_ELIMIT, P->line,
				    "more than %zu fields (a limit)",
				    P->lim->max_cols);
		if (push(&P->cells, &P->n_cells, &P->cap_cells, P->o))
			return CD_ENOMEM;
		int rc = P->i < P->len && P->data[P->i] == '"'
				 ? quoted(P, field)
				 : unquoted(P, field);
		if (rc)
			return rc;
		P->out[P->o++] = '\0';
		if (P->i < P->len && P->data[P->i] == ',') {
			P->i++;
			continue;
		}
		if (P->i < P->len && P->data[P->i] == '\r')
			P->i++;
		if (P->i < P->len && P->data[P->i] == '\n') {
			P->i++;
			P->line++;
		}
		*width = field;
		return 0;
	}
}

static int parse(struct parser *P, csv_table *t)
{
	const char *nul = memchr(P->data, '\0', P->len);
	if (nul) {
		size_t line = 1;
		for (const char *c = P->data; c < nul; c++)
			line += *c == '\n';
		return fail(P, CD_EINVAL, line,
			    "not a text file (a NUL byte); expected a CSV "
			    "text file");
	}
	if (P->len >= 3 && !memcmp(P->data, "\xef\xbb\xbf", 3))
		P->i = 3; /* a UTF-8 byte-order mark, as Excel writes */
	while (P->i < P->len) {
		const char *c = P->data + P->i;
		if (*c == '\n' || (*c == '\r' && P->i + 1 < P->len &&
				   c[1] == '\n')) { /* an empty line */
			P->i += *c == '\r' ? 2 : 1;
			P->line++;
			continue;
		}
		size_t start = P->line, width = 0;
		int rc = record(P, &width);
		if (rc)
			return rc;
		if (P->n_lines == 0)
			t->ncols = width;
		else if (width != t->ncols)
			return fail(P, CD_EINVAL, start,
				    "%zu field%s, but the header has %zu; "
				    "allowed: every row as wide as the header",
				    width, width == 1 ? "" : "s", t->ncols);
		if (P->n_lines > P->lim->max_rows)
			return fail(P, CD_ELIMIT, start,
				    "more than %zu rows after the header (a "
				    "limit)",
				    P->lim->max_rows);
		if (push(&P->lines, &P->n_lines, &P->cap_lines, start))
			return CD_ENOMEM;
	}
	if (P->n_lines == 0) {
		snprintf(P->d->msg, sizeof P->d->msg,
			 "%.500s: empty file; expected a CSV header row",
			 P->name);
		return CD_EINVAL;
	}
	return 0;
}

int csv_table_parse(csv_table *t, const char *name, const char *data,
		    size_t len, const struct csv_limits *lim, struct cd_diag *d)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	if (!lim)
		lim = &csv_limits_default;
	if (len > lim->max_bytes) {
		snprintf(d->msg, sizeof d->msg,
			 "%.500s: larger than %zu bytes (a limit)", name,
			 lim->max_bytes);
		return CD_ELIMIT;
	}
	struct parser P = {.name = name,
			   .data = data,
			   .len = len,
			   .line = 1,
			   .lim = lim,
			   .d = d};
	P.out = malloc(len + 2);
	int rc = P.out ? parse(&P, t) : CD_ENOMEM;
	char **cell = rc ? NULL : malloc(P.n_cells * sizeof *cell);
	if (!rc && !cell)
		rc = CD_ENOMEM;
	if (rc) {
		if (rc == CD_ENOMEM)
			snprintf(d->msg, sizeof d->msg, "%.500s: out of memory",
				 name);
		free(P.out);
		free(P.cells);
		free(P.lines);
		return rc;
	}
	for (size_t k = 0; k < P.n_cells; k++)
		cell[k] = P.out + P.cells[k];
	free(P.cells);
	t->text = P.out;
	t->cell = cell;
	t->line = P.lines;
	t->nrows = P.n_lines - 1;
	return 0;
}

int csv_table_read(csv_table *t, const char *path, const struct csv_limits *lim,
		   struct cd_diag *d)
{
	memset(t, 0, sizeof *t);
	if (!lim)
		lim = &csv_limits_default;
	char *text;
	size_t len;
	const char *why;
	int rc = cd_file_read(path, lim->max_bytes, &text, &len, &why);
	if (rc == CD_ELIMIT) {
		snprintf(d->msg, sizeof d->msg,
			 "%.500s: larger than %zu bytes (a limit)", path,
			 lim->max_bytes);
		return rc;
	}
	if (rc) {
		snprintf(d->msg, sizeof d->msg, "cannot read %.500s: %s", path,
			 why);
		return rc;
	}
	rc = csv_table_parse(t, path, text, len, lim, d);
	free(text);
	return rc;
}

void csv_table_free(csv_table *t)
{
	free(t->text);
	free(t->cell);
	free(t->line);
	t->text = NULL;
	t->cell = NULL;
	t->line = NULL;
	t->ncols = t->nrows = 0;
}

const char *csv_table_cell(const csv_table *t, size_t row, size_t col)
{
	return t->cell[row * t->ncols + col];
}

long csv_table_column(const csv_table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcmp(csv_table_cell(t, 0, c), name))
			return (long)c;
	return -1;
}
