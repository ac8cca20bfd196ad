/* expand: reading a scenario and its @include files into one text, with
 * where each line came from, and the integer literals libconfig would
 * misread. See loader.h. */
#define _POSIX_C_SOURCE 200809L
#include "load/loader.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/embedded.h"
#include "core/fileio.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_FILE_BYTES (16u << 20)

/* Reads a whole file into a NUL-terminated buffer: returns 0, or a status
 * with *why saying why (fileio.h). */
typedef int (*reader_fn)(const char *path, char **text, size_t *len,
			 const char **why);

/* ---- reading and @include expansion ---------------------------------- */

static int read_fs(const char *path, char **text, size_t *len, const char **why)
{
	return cd_file_read(path, MAX_FILE_BYTES, text, len, why);
}

/* Collapses "a/../", "./" and "//" in a path of at most 1024 bytes, in
 * place, keeping a leading '/'. */
static void normalise(char *path)
{
	char *parts[64], *save = NULL;
	int n = 0;
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *tok = strtok_r(tmp, "/", &save); tok && n < 64;
	     tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0 && n > 0 &&
		    strcmp(parts[n - 1], "..") != 0)
			n--;
		else
			parts[n++] = tok;
	}
	char out[1024] = "";
	size_t used =
		path[0] == '/' ? (size_t)snprintf(out, sizeof out, "/") : 0;
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, sizeof out - used, "%s%s",
					 i ? "/" : "", parts[i]);
	snprintf(path, 1024, "%s", out);
}

static int read_embedded(const char *path, char **text, size_t *len,
			 const char **why)
{
	char norm[1024];
	snprintf(norm, sizeof norm, "%s", path);
	normalise(norm);
	for (int i = 0; i < cd_n_embedded_files; i++) {
		if (strcmp(cd_embedded_files[i].path, norm) == 0) {
			*len = strlen(cd_embedded_files[i].text);
			if (!(*text = malloc(*len + 1))) {
				*why = strerror(ENOMEM);
				return CD_ENOMEM;
			}
			memcpy(*text, cd_embedded_files[i].text, *len + 1);
			return 0;
		}
	}
	*why = strerror(ENOENT);
	return CD_ENOENT;
}

struct expander {
	struct cd_scenario *sc;
	struct cd_diag *d;
	reader_fn read;
	size_t len, cap; /* of sc->text */
	int lines_cap;
	int stack[MAX_INCLUDE_DEPTH + 1]; /* file indices being expanded */
	int depth;
};

static int add_file(struct expander *x, const char *path)
{
	char **nf = realloc(x->sc->files,
			    sizeof(char *) * (size_t)(x->sc->n_files + 1));
	if (!nf)
		return CD_ENOMEM;
	x->sc->files = nf;
	if (!(nf[x->sc->n_files] = strdup(path)))
		return CD_ENOMEM;
	return x->sc->n_files++;
}

static int append_line(struct expander *x, const char *s, size_t n, int file,
		       int line)
{
	if (x->len + n + 2 > x->cap) {
		size_t cap = x->cap ? x->cap : 4096;
		while (x->len + n + 2 > cap)
			cap *= 2;
		char *nt = realloc(x->sc->text, cap);
		if (!nt)
			return CD_ENOMEM;
		x->sc->text = nt;
		x->cap = cap;
	}
	if (x->sc->n_lines == x->lines_cap) {
		int cap = x->lines_cap ? 2 * x->lines_cap : 256;
		struct cd_line *nl =
			realloc(x->sc->lines, sizeof *nl * (size_t)cap);
		if (!nl)
			return CD_ENOMEM;
		x->sc->lines = nl;
		x->lines_cap = cap;
	}
	x->sc->lines[x->sc->n_lines++] =
		(struct cd_line){file, line, (int)x->len};
	memcpy(x->sc->text + x->len, s, n);
	x->len += n;
	x->sc->text[x->len++] = '\n';
	x->sc->text[x->len] = '\0';
	return 0;
}

/* If line s[0..n) is `@include "path"`, copies path to inc and returns 1;
 * returns -1 for a malformed @include, 0 for any other line. */
static int parse_include(const char *s, size_t n, char *inc, size_t size)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < 8 || strncmp(s + i, "@include", 8) != 0)
		return 0;
	i += 8;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '"')
		return -1;
	size_t start = ++i;
	while (i < n && s[i] != '"')
		i++;
	if (i >= n || i - start == 0 || i - start >= size)
		return -1;
	memcpy(inc, s + start, i - start);
	inc[i - start] = '\0';
	for (i++; i < n; i++) {
		if (s[i] == '#' ||
		    (s[i] == '/' && i + 1 < n && s[i + 1] == '/'))
			break;
		if (!isspace((unsigned char)s[i]))
			return -1;
	}
	return 1;
}

static int expand(struct expander *x, const char *path, const char *from,
		  int from_line);

/* Appends the lines of buf (the text of file `path`) to the expansion,
 * replacing each @include line by the included file's lines. */
static int expand_text(struct expander *x, const char *path, const char *buf,
		       size_t len)
{
	if (memchr(buf, '\0', len)) {
		snprintf(x->d->msg, sizeof x->d->msg,
			 "%s: not a text file (it contains NUL bytes); a "
			 "scenario is a libconfig text file",
			 path);
		return CD_EINVAL;
	}
	int file = add_file(x, path);
	if (file < 0)
		return file;
	x->stack[x->depth++] = file;
	int rc = 0;
	const char *p = buf, *end = buf + len;
	for (int line = 1; !rc; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		char inc[1024];
		int kind = parse_include(p, n, inc, sizeof inc);
		if (kind < 0) {
			snprintf(x->d->msg, sizeof x->d->msg,
				 "%s:%d: malformed @include; allowed: "
				 "@include \"file.cfg\" alone on its line",
				 path, line);
			rc = CD_EINVAL;
		} else if (kind > 0) {
			char full[2048];
			const char *slash = strrchr(path, '/');
			if (inc[0] == '/' || !slash)
				snprintf(full, sizeof full, "%s", inc);
			else
				snprintf(full, sizeof full, "%.*s/%s",
					 (int)(slash - path), path, inc);
			normalise(full);
			/* The include line stays as a blank line, so expanded
			 * line numbers map back one to one. */
			rc = append_line(x, "", 0, file, line);
			if (!rc)
				rc = expand(x, full, path, line);
		} else {
			rc = append_line(x, p, n, file, line);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	x->depth--;
	return rc;
}

/* Reads file `path` (included from `from`:`from_line`, or the top file when
 * from is NULL) and expands it. */
static int expand(struct expander *x, const char *path, const char *from,
		  int from_line)
{
	char norm[1024], other[1024];
	snprintf(norm, sizeof norm, "%s", path);
	normalise(norm);
	for (int i = 0; i < x->depth; i++) {
		snprintf(other, sizeof other, "%s", x->sc->files[x->stack[i]]);
		normalise(other);
		if (strcmp(other, norm) == 0) {
			snprintf(x->d->msg, sizeof x->d->msg,
				 "%s:%d: @include \"%s\" makes a cycle (%s is "
				 "already being included)",
				 from, from_line, path, path);
			return CD_EINVAL;
		}
	}
	/* depth files are open: this one is @include level depth (the top
	 * file is level 0), and the stack has room for levels 0 to 16. */
	if (x->depth > MAX_INCLUDE_DEPTH) {
		snprintf(x->d->msg, sizeof x->d->msg,
			 "%s:%d: @include nested more than %d deep; allowed: "
			 "at most %d levels of @include",
			 from, from_line, MAX_INCLUDE_DEPTH, MAX_INCLUDE_DEPTH);
		return CD_EINVAL;
	}
	size_t len = 0;
	char *buf = NULL;
	const char *why = "";
	int got = x->read(path, &buf, &len, &why);
	if (got == CD_ENOMEM)
		return CD_ENOMEM;
	if (got == CD_ELIMIT)
		why = "larger than 16 MiB; allowed: a scenario file of at most "
		      "16 MiB (16777216 bytes)";
	if (got) {
		if (from)
			snprintf(x->d->msg, sizeof x->d->msg,
				 "%s:%d: cannot read included file %s: %s",
				 from, from_line, path, why);
		else
			snprintf(x->d->msg, sizeof x->d->msg,
				 "cannot read scenario %s: %s", path, why);
		/* A file over the limit was read: it is bad input. */
		return from || got == CD_ELIMIT ? CD_EINVAL : CD_ENOENT;
	}
	int rc = expand_text(x, path, buf, len);
	free(buf);
	return rc;
}

void scenario_where(const struct cd_scenario *s, int expanded_line,
		    const char **file, int *line)
{
	if (expanded_line >= 1 && expanded_line <= s->n_lines) {
		const struct cd_line *l = &s->lines[expanded_line - 1];
		*file = s->files[l->file];
		*line = l->line;
	} else {
		*file = s->n_files ? s->files[0] : s->path;
		*line = 0;
	}
}

/* Skips a comment or a string at t (counting its line breaks into
 * *line); returns where it ends, or t itself if none starts there. */
static const char *skip_text(const char *t, int *line)
{
	if (*t == '#' || (t[0] == '/' && t[1] == '/')) {
		while (*t && *t != '\n')
			t++;
	} else if (t[0] == '/' && t[1] == '*') {
		for (t += 2; *t && !(t[0] == '*' && t[1] == '/'); t++)
			*line += *t == '\n';
		t += *t ? 2 : 0;
	} else if (*t == '"') {
		for (t++; *t && *t != '"'; t++) {
			if (*t == '\\' && t[1] && t[1] != '\n')
				t++;
			*line += *t == '\n';
		}
		t += *t ? 1 : 0;
	}
	return t;
}

/* Scans the number literal at t: returns its end, with *wide set if it is
 * an integer without the L suffix that does not fit in 32 bits (so
 * libconfig would wrap it). */
static const char *scan_number(const char *t, int *wide)
{
	const char *start = t;
	int real = 0, hex = 0;
	*wide = 0;
	if (*t == '-' || *t == '+')
		t++;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X') &&
	    isxdigit((unsigned char)t[2])) {
		hex = 1;
		for (t += 2; isxdigit((unsigned char)*t); t++)
			;
	} else {
		while (isdigit((unsigned char)*t))
			t++;
		if (*t == '.')
			for (real = 1, t++; isdigit((unsigned char)*t); t++)
				;
		if ((*t == 'e' || *t == 'E') &&
		    (isdigit((unsigned char)t[1]) ||
		     ((t[1] == '-' || t[1] == '+') &&
		      isdigit((unsigned char)t[2]))))
			for (real = 1, t += 2; isdigit((unsigned char)*t); t++)
				;
	}
	if (*t == 'L' || real)
		return t; /* a 64-bit integer or a real is read whole */
	/* Leading zeros do not count: 0000...04294967396, longer than text,
	 * is as wide as 4294967396. */
	const char *sig = start + (*start == '-' || *start == '+') + 2 * hex;
	while (*sig == '0' && sig + 1 < t)
		sig++;
	char text[64];
	snprintf(text, sizeof text, "%s%.*s", *start == '-' ? "-" : "",
		 (int)(t - sig), sig);
	errno = 0;
	long long v =
		t - sig > 32 ? LLONG_MAX : strtoll(text, NULL, hex ? 16 : 10);
	*wide = !(errno == 0 && v >= INT_MIN && v <= INT_MAX);
	return t;
}

/* The message for the literal [start, end) on expanded line `line`. */
static int too_wide(const struct cd_scenario *sc, int line, const char *start,
		    const char *end, struct cd_diag *d)
{
	/* A long literal is shown by its two ends. */
	int cut = end - start > 40;
	int head = cut ? 16 : (int)(end - start), tail = cut ? 16 : 0;
	const char *dots = cut ? "..." : "";
	const char *file;
	int fl;
	scenario_where(sc, line, &file, &fl);
	snprintf(d->msg, sizeof d->msg,
		 "%s:%d: the integer %.*s%s%.*s does not fit in 32 bits, and "
		 "libconfig would silently read another number; allowed: an "
		 "integer in [%d, %d], or a 64-bit integer written with an L "
		 "suffix (%.*s%s%.*sL)",
		 file, fl, head, start, dots, tail, end - tail, INT_MIN,
		 INT_MAX, head, start, dots, tail, end - tail);
	return CD_EINVAL;
}

/* libconfig 1.5 stores an integer written without an L suffix in an int and
 * silently wraps anything beyond 32 bits: `count = 4294967396;` would be
 * read as 100. Scans the expanded text (skipping strings and comments, as
 * libconfig's scanner does) and refuses such literals, naming the line. */
int load_check_int_literals(const struct cd_scenario *sc, struct cd_diag *d)
{
	const char *t = sc->text;
	int line = 1;
	while (t && *t) {
		unsigned char c = (unsigned char)*t;
		const char *after = skip_text(t, &line);
		if (after != t) {
			t = after;
		} else if (c == '\n') {
			line++;
			t++;
		} else if (isalpha(c) || c == '*') {
			/* A name, which may hold digits: s1, b-2. */
			while (isalnum((unsigned char)*t) || *t == '-' ||
			       *t == '_' || *t == '*')
				t++;
		} else if (isdigit(c) || ((c == '-' || c == '+' || c == '.') &&
					  isdigit((unsigned char)t[1]))) {
			int wide;
			const char *end = scan_number(t, &wide);
			if (wide)
				return too_wide(sc, line, t, end, d);
			t = end;
		} else {
			t++;
		}
	}
	return 0;
}

int load_expand(struct cd_scenario *sc, const char *name, const char *text,
		int embedded, struct cd_diag *d)
{
	struct expander x = {
		.sc = sc, .d = d, .read = embedded ? read_embedded : read_fs};
	int rc = text ? expand_text(&x, name, text, strlen(text))
		      : expand(&x, name, NULL, 0);
	if (!rc && !sc->text)
		rc = append_line(&x, "", 0, 0, 1);
	if (!rc)
		cd_sha256_hex(sc->text, x.len, sc->hash);
	return rc;
}
