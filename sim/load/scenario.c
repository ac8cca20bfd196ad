#define _POSIX_C_SOURCE 200809L
#include "load/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "load/describe.h"
#include "params/schema.h"
#include "params/assign.h"
#include "core/digest.h"
#include "core/fileio.h"
#include "params/stages.h"
#include "core/status.h"
#include "world/world.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_FILE_BYTES (16u << 20)

/* ---- reading and @include expansion ---------------------------------- */

/* Reads a whole file into a NUL-terminated buffer: returns 0, or a status
 * with *why saying why (fileio.h). */
typedef int (*reader_fn)(const char *path, char **text, size_t *len,
			 const char **why);

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

/* libconfig 1.5 stores an integer written without an L suffix in an int and
 * silently wraps anything beyond 32 bits: `count = 4294967396;` would be
 * read as 100. Scans the expanded text (skipping strings and comments, as
 * libconfig's scanner does) and refuses such literals, naming the line. */
static int check_int_literals(const struct cd_scenario *sc, struct cd_diag *d)
{
	const char *t = sc->text;
	int line = 1;
	while (t && *t) {
		unsigned char c = (unsigned char)*t;
		if (c == '\n') {
			line++;
			t++;
		} else if (c == '#' || (c == '/' && t[1] == '/')) {
			while (*t && *t != '\n')
				t++;
		} else if (c == '/' && t[1] == '*') {
			for (t += 2; *t && !(t[0] == '*' && t[1] == '/'); t++)
				line += *t == '\n';
			t += *t ? 2 : 0;
		} else if (c == '"') {
			for (t++; *t && *t != '"'; t++) {
				if (*t == '\\' && t[1] && t[1] != '\n')
					t++;
				line += *t == '\n';
			}
			t += *t ? 1 : 0;
		} else if (isalpha(c) || c == '*') {
			/* A name, which may hold digits: s1, b-2. */
			while (isalnum((unsigned char)*t) || *t == '-' ||
			       *t == '_' || *t == '*')
				t++;
		} else if (isdigit(c) || ((c == '-' || c == '+' || c == '.') &&
					  isdigit((unsigned char)t[1]))) {
			const char *start = t;
			int real = 0, hex = 0;
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
				if (*t == '.') {
					real = 1;
					for (t++; isdigit((unsigned char)*t);
					     t++)
						;
				}
				if ((*t == 'e' || *t == 'E') &&
				    (isdigit((unsigned char)t[1]) ||
				     ((t[1] == '-' || t[1] == '+') &&
				      isdigit((unsigned char)t[2])))) {
					real = 1;
					for (t += 2; isdigit((unsigned char)*t);
					     t++)
						;
				}
			}
			/* A 64-bit integer or a real is read whole. */
			if (*t == 'L' || real)
				continue;
			/* Leading zeros do not count: 0000...04294967396,
			 * longer than text, is as wide as 4294967396. */
			const char *sig =
				start + (*start == '-' || *start == '+');
			sig += hex ? 2 : 0;
			while (*sig == '0' && sig + 1 < t)
				sig++;
			char text[64];
			snprintf(text, sizeof text, "%s%.*s",
				 *start == '-' ? "-" : "", (int)(t - sig), sig);
			errno = 0;
			long long v = t - sig > 32 ? LLONG_MAX
						   : strtoll(text, NULL,
							     hex ? 16 : 10);
			if (errno == 0 && v >= INT_MIN && v <= INT_MAX)
				continue;
			/* A long literal is shown by its two ends. */
			int cut = t - start > 40;
			int head = cut ? 16 : (int)(t - start),
			    tail = cut ? 16 : 0;
			const char *dots = cut ? "..." : "";
			const char *file;
			int fl;
			scenario_where(sc, line, &file, &fl);
			snprintf(
				d->msg, sizeof d->msg,
				"%s:%d: the integer %.*s%s%.*s does not fit in "
				"32 bits, and libconfig would silently read "
				"another number; allowed: an integer in "
				"[%d, %d], or a 64-bit integer written with "
				"an L suffix (%.*s%s%.*sL)",
				file, fl, head, start, dots, tail, t - tail,
				INT_MIN, INT_MAX, head, start, dots, tail,
				t - tail);
			return CD_EINVAL;
		} else {
			t++;
		}
	}
	return 0;
}

/* ---- values ----------------------------------------------------------- */

struct loader {
	struct cd_scenario *sc;
	struct cd_diag *d;
	int event_line[CD_MAX_TIMELINE];
	config_t *cfg;
};

static void join(char *out, size_t size, const char *a, const char *b)
{
	if (a && a[0])
		snprintf(out, size, "%s.%s", a, b);
	else
		snprintf(out, size, "%s", b);
}

static int vfail_line(struct loader *L, int expanded_line, const char *fmt,
		      va_list ap)
{
	const char *file;
	int line;
	scenario_where(L->sc, expanded_line, &file, &line);
	/* Line 0: no line to name (a setting missing from the whole file). */
	int n = line > 0 ? snprintf(L->d->msg, sizeof L->d->msg,
				    "%s:%d: ", file, line)
			 : snprintf(L->d->msg, sizeof L->d->msg, "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof L->d->msg) /* truncated: a long name */
		return CD_EINVAL;
	vsnprintf(L->d->msg + n, sizeof L->d->msg - (size_t)n, fmt, ap);
	return CD_EINVAL;
}

/* Writes "FILE:LINE: message" for an expanded line; returns CD_EINVAL. */
static int fail_line(struct loader *L, int expanded_line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail_line(L, expanded_line, fmt, ap);
	va_end(ap);
	return rc;
}

static int fail_at(struct loader *L, const config_setting_t *s, const char *fmt,
		   ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vfail_line(L, s ? (int)config_setting_source_line(s) : 0, fmt,
			    ap);
	va_end(ap);
	return rc;
}

static const char *type_name(int config_type)
{
	switch (config_type) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a real number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	default:
		return "something else";
	}
}

/* Returns the index of `name` among the n names stored at `base` with
 * `stride` (element structs begin with their name), or -1. */
static int find_name(const void *base, size_t stride, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp((const char *)base + (size_t)i * stride, name) == 0)
			return i;
	return -1;
}

static void list_names(const void *base, size_t stride, int n, char *out,
		       size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(
			out + used, size - used, "%s%s", i ? ", " : "",
			(const char *)base + (size_t)i * stride);
}

static void suggest_names(const void *base, size_t stride, int n,
			  const char *name, char *out, size_t size)
{
	const char *cands[CD_MAX_LINKS];
	for (int i = 0; i < n && i < CD_MAX_LINKS; i++)
		cands[i] = (const char *)base + (size_t)i * stride;
	const char *best = schema_suggest(name, cands, n);
	if (best)
		snprintf(out, size, "; did you mean '%s'?", best);
	else {
		char all[512];
		list_names(base, stride, n, all, sizeof all);
		snprintf(out, size, "; known: %s", n ? all : "(none)");
	}
}

static void suggest_fields(const struct schema_table *t, const char *name,
			   char *out, size_t size)
{
	const char *cands[64];
	int n = 0;
	for (int i = 0; i < t->n_fields && n < 64; i++)
		cands[n++] = t->fields[i].name;
	const char *best = schema_suggest(name, cands, n);
	if (best) {
		snprintf(out, size, "; did you mean '%s'?", best);
		return;
	}
	size_t used = (size_t)snprintf(out, size, "; allowed here:");
	for (int i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, " %s",
					 cands[i]);
}

static int side(double a, double b)
{
	return (a > b) - (a < b);
}

/* Writes v in `digits` significant digits, or in as many more (17 read
 * back as v) as it takes to read back on v's side of lo and of hi: a
 * value just past a limit is never shown as the limit itself. */
static void show_num(char *buf, size_t size, double v, double lo, double hi,
		     int digits)
{
	for (;; digits++) {
		snprintf(buf, size, "%.*g", digits, v);
		double b = strtod(buf, NULL);
		if (digits >= 17 ||
		    (side(b, lo) == side(v, lo) && side(b, hi) == side(v, hi)))
			return;
	}
}

/* Checks value `in` for field f and converts it into `out`, the form the
 * field is stored in. `text` says `in` is a string from the command line
 * that may hold a number. On error writes the problem into err. */
static int check_value(const struct cd_params *p, const struct schema_field *f,
		       int weights_entry, const struct cd_value *in, int text,
		       struct cd_value *out, char *err, size_t size)
{
	char allowed[512];
	schema_describe_allowed(f, allowed, sizeof allowed);
	int type = weights_entry ? SCHEMA_REAL : f->type;
	if (weights_entry)
		snprintf(allowed, sizeof allowed, "a number in [%.15g, %.15g]",
			 f->min, f->max);
	struct cd_value v = *in;
	/* Command-line text: read numbers and booleans out of it. */
	if (text &&
	    (type == SCHEMA_INT || type == SCHEMA_I64 || type == SCHEMA_REAL)) {
		char *end;
		errno = 0;
		double r = strtod(in->s, &end);
		if (end == in->s || *end) {
			snprintf(err, size, "'%s' is not a number; allowed: %s",
				 in->s, allowed);
			return CD_EINVAL;
		}
		if (errno == ERANGE && (r > 1 || r < -1)) {
			snprintf(err, size, "'%s' is out of range; allowed: %s",
				 in->s, allowed);
			return CD_EINVAL;
		}
		v.type = CD_VAL_REAL;
		v.r = r;
	} else if (text && type == SCHEMA_BOOL) {
		if (!strcmp(in->s, "true") || !strcmp(in->s, "1"))
			v.i = 1;
		else if (!strcmp(in->s, "false") || !strcmp(in->s, "0"))
			v.i = 0;
		else {
			snprintf(err, size,
				 "'%s' is not a boolean; allowed: %s", in->s,
				 allowed);
			return CD_EINVAL;
		}
		v.type = CD_VAL_INT;
	}
	*out = (struct cd_value){0};
	switch (type) {
	case SCHEMA_INT:
	case SCHEMA_I64:
	case SCHEMA_REAL: {
		double r;
		if (v.type == CD_VAL_INT || v.type == CD_VAL_I64)
			r = (double)v.i;
		else if (v.type == CD_VAL_REAL)
			r = v.r;
		else {
			snprintf(err, size,
				 "expected a number, got a string; "
				 "allowed: %s",
				 allowed);
			return CD_EINVAL;
		}
		if (!isfinite(r)) {
			snprintf(err, size,
				 "%g is not a finite number; allowed: %s", r,
				 allowed);
			return CD_EINVAL;
		}
		char num[32];
		if (type != SCHEMA_REAL && r != floor(r)) {
			show_num(num, sizeof num, r, floor(r), floor(r) + 1,
				 15);
			snprintf(err, size, "%s is not an integer; allowed: %s",
				 num, allowed);
			return CD_EINVAL;
		}
		if (r < f->min || r > f->max) {
			show_num(num, sizeof num, r, f->min, f->max, 15);
			snprintf(err, size, "%s is out of range; allowed: %s",
				 num, allowed);
			return CD_EINVAL;
		}
		if (type == SCHEMA_REAL) {
			out->type = CD_VAL_REAL;
			out->r = r;
		} else {
			out->type =
				type == SCHEMA_INT ? CD_VAL_INT : CD_VAL_I64;
			out->i = (int64_t)r;
		}
		return 0;
	}
	case SCHEMA_BOOL:
		if (v.type != CD_VAL_INT || (v.i != 0 && v.i != 1) ||
		    (!text && in->type != CD_VAL_INT)) {
			snprintf(err, size, "expected true or false");
			return CD_EINVAL;
		}
		out->type = CD_VAL_INT;
		out->i = v.i;
		return 0;
	case SCHEMA_STR:
		if (v.type != CD_VAL_STR) {
			snprintf(err, size, "expected a string; allowed: %s",
				 allowed);
			return CD_EINVAL;
		}
		if (strlen(v.s) > (size_t)f->max) {
			snprintf(err, size, "string too long; allowed: %s",
				 allowed);
			return CD_EINVAL;
		}
		out->type = CD_VAL_STR;
		snprintf(out->s, sizeof out->s, "%s", v.s);
		return 0;
	case SCHEMA_ENUM:
		if (v.type == CD_VAL_STR)
			for (int i = 0; f->names[i]; i++)
				if (!strcmp(f->names[i], v.s)) {
					out->type = CD_VAL_INT;
					out->i = i;
					return 0;
				}
		if (v.type == CD_VAL_STR) {
			int n = 0;
			while (f->names[n])
				n++;
			const char *best = schema_suggest(
				v.s, (const char *const *)f->names, n);
			if (best) {
				snprintf(err, size,
					 "'%s' is not allowed (did you mean "
					 "'%s'?); "
					 "allowed: %s",
					 v.s, best, allowed);
				return CD_EINVAL;
			}
		}
		snprintf(err, size, "not allowed; allowed: %s", allowed);
		return CD_EINVAL;
	case SCHEMA_BODYREF: {
		int k = v.type == CD_VAL_STR
				? find_name(p->bodies, sizeof p->bodies[0],
					    p->n_bodies, v.s)
				: -1;
		if (k < 0) {
			char sug[600];
			suggest_names(p->bodies, sizeof p->bodies[0],
				      p->n_bodies,
				      v.type == CD_VAL_STR ? v.s : "", sug,
				      sizeof sug);
			snprintf(err, size, "no body named '%s'%s",
				 v.type == CD_VAL_STR ? v.s : "?", sug);
			return CD_EINVAL;
		}
		out->type = CD_VAL_INT;
		out->i = k;
		return 0;
	}
	default:
		snprintf(err, size,
			 "a group of settings is expected here; "
			 "allowed: %s",
			 allowed);
		return CD_EINVAL;
	}
}

/* Resolves a dotted path to its field and byte offset in struct cd_params.
 * *entry is set when the path names one segment of a weights group. */
static int resolve(const struct cd_params *p, const char *path,
		   const struct schema_field **fo, size_t *off, int *entry,
		   char *err, size_t size)
{
	char buf[256];
	if (strlen(path) >= sizeof buf || !path[0]) {
		snprintf(err, size, "'%s' is not a setting path", path);
		return CD_EINVAL;
	}
	snprintf(buf, sizeof buf, "%s", path);
	const struct schema_table *t = &schema_root;
	size_t base = 0;
	char *save = NULL;
	char *comp = strtok_r(buf, ".", &save);
	char sofar[256] = "";
	*entry = 0;
	while (comp) {
		const struct schema_field *f = schema_find(t, comp);
		if (!f) {
			char sug[600];
			suggest_fields(t, comp, sug, sizeof sug);
			snprintf(err, size, "unknown setting '%s%s%s'%s", sofar,
				 sofar[0] ? "." : "", comp, sug);
			return CD_EINVAL;
		}
		char next[256];
		join(next, sizeof next, sofar, comp);
		snprintf(sofar, sizeof sofar, "%s", next);
		char *rest = strtok_r(NULL, ".", &save);
		switch (f->type) {
		case SCHEMA_SECTION:
			if (!rest) {
				snprintf(err, size,
					 "'%s' is a group; name a setting in "
					 "it, "
					 "e.g. %s.%s",
					 sofar, sofar, f->sub->fields[0].name);
				return CD_EINVAL;
			}
			t = f->sub;
			base = t->base;
			comp = rest;
			continue;
		case SCHEMA_COLLECTION: {
			const struct schema_table *sub = f->sub;
			const void *arr = (const char *)p + sub->base;
			int n = *(const int *)(const void *)((const char *)p +
							     sub->count_offset);
			if (!rest) {
				snprintf(err, size,
					 "'%s' is a group of %ss; name one and "
					 "a "
					 "setting, e.g. %s.NAME.%s",
					 sofar, sub->what, sofar,
					 sub->fields[0].name);
				return CD_EINVAL;
			}
			int k = find_name(arr, sub->stride, n, rest);
			if (k < 0) {
				char sug[600];
				suggest_names(arr, sub->stride, n, rest, sug,
					      sizeof sug);
				snprintf(err, size, "no %s named '%s' in %s%s",
					 sub->what, rest, sofar, sug);
				return CD_EINVAL;
			}
			join(next, sizeof next, sofar, rest);
			snprintf(sofar, sizeof sofar, "%s", next);
			t = sub;
			base = sub->base + (size_t)k * sub->stride;
			comp = strtok_r(NULL, ".", &save);
			if (!comp) {
				snprintf(err, size,
					 "'%s' is a %s; name a setting in it, "
					 "e.g. %s.%s",
					 sofar, sub->what, sofar,
					 sub->fields[0].name);
				return CD_EINVAL;
			}
			continue;
		}
		case SCHEMA_WEIGHTS: {
			if (!rest) {
				snprintf(
					err, size,
					"'%s' is a group; name a segment, e.g. "
					"%s.%s",
					sofar, sofar,
					p->n_segments ? p->segments[0].name
						      : "SEGMENT");
				return CD_EINVAL;
			}
			int k = find_name(p->segments, sizeof p->segments[0],
					  p->n_segments, rest);
			if (k < 0) {
				char sug[600];
				suggest_names(
					p->segments, sizeof p->segments[0],
					p->n_segments, rest, sug, sizeof sug);
				snprintf(err, size,
					 "no segment named '%s' in %s%s", rest,
					 sofar, sug);
				return CD_EINVAL;
			}
			if (strtok_r(NULL, ".", &save)) {
				snprintf(err, size,
					 "'%s.%s' has no settings in it", sofar,
					 rest);
				return CD_EINVAL;
			}
			*fo = f;
			*off = base + f->offset + (size_t)k * sizeof(double);
			*entry = 1;
			return 0;
		}
		case SCHEMA_TIMELINE:
		case SCHEMA_OVERRIDES:
		case SCHEMA_SWEEP:
			snprintf(err, size,
				 "'%s' cannot be set this way; edit the "
				 "scenario file",
				 sofar);
			return CD_EINVAL;
		default:
			if (rest) {
				snprintf(err, size,
					 "'%s' is a single value, not a "
					 "group",
					 sofar);
				return CD_EINVAL;
			}
			*fo = f;
			*off = base + f->offset;
			return 0;
		}
	}
	snprintf(err, size, "'%s' is not a setting path", path);
	return CD_EINVAL;
}

static int make_assign(const struct cd_params *p, const char *path,
		       const struct cd_value *in, int text, struct cd_assign *a,
		       char *err, size_t size)
{
	const struct schema_field *f;
	size_t off;
	int entry;
	int rc = resolve(p, path, &f, &off, &entry, err, size);
	if (rc)
		return rc;
	memset(a, 0, sizeof *a);
	rc = check_value(p, f, entry, in, text, &a->value, err, size);
	if (rc) {
		char tmp[1024];
		snprintf(tmp, sizeof tmp, "%s: %s", path, err);
		snprintf(err, size, "%s", tmp);
		return rc;
	}
	snprintf(a->path, sizeof a->path, "%s", path);
	a->offset = off;
	a->size = f->type == SCHEMA_STR ? (size_t)f->max + 1 : 0;
	return 0;
}

int scenario_check_path(const struct cd_params *p, const char *path,
			const char *where, struct cd_diag *d)
{
	const struct schema_field *f;
	size_t off;
	int entry;
	char err[900];
	if (resolve(p, path, &f, &off, &entry, err, sizeof err)) {
		snprintf(d->msg, sizeof d->msg, "%s: %s", where, err);
		return CD_EINVAL;
	}
	return 0;
}

int scenario_parse_assign(const struct cd_params *p, const char *path,
			  const char *text, const char *where,
			  struct cd_assign *a, struct cd_diag *d)
{
	struct cd_value v = {.type = CD_VAL_STR};
	size_t n = strlen(text);
	int quoted = n >= 2 && text[0] == '"' && text[n - 1] == '"';
	if (n - (quoted ? 2 : 0) >= sizeof v.s) { /* never cut it short */
		snprintf(
			d->msg, sizeof d->msg,
			"%.300s: %.200s: the value is %zu bytes long; allowed: "
			"at most %zu bytes of text",
			where, path, n - (quoted ? 2 : 0), sizeof v.s - 1);
		return CD_EINVAL;
	}
	/* Accept shell-friendly quotes around strings: name="x" or name=x. */
	if (quoted)
		snprintf(v.s, sizeof v.s, "%.*s", (int)(n - 2), text + 1);
	else
		snprintf(v.s, sizeof v.s, "%s", text);
	char err[900];
	if (make_assign(p, path, &v, 1, a, err, sizeof err)) {
		snprintf(d->msg, sizeof d->msg, "%s: %s", where, err);
		return CD_EINVAL;
	}
	return 0;
}

/* Reads a scalar libconfig setting as a value; fails on groups/lists. */
static int setting_value(struct loader *L, const config_setting_t *s,
			 const char *path, const struct schema_field *f,
			 struct cd_value *v)
{
	*v = (struct cd_value){0};
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		v->type = CD_VAL_INT;
		v->i = config_setting_get_int(s);
		return 0;
	case CONFIG_TYPE_INT64:
		v->type = CD_VAL_I64;
		v->i = config_setting_get_int64(s);
		return 0;
	case CONFIG_TYPE_FLOAT:
		v->type = CD_VAL_REAL;
		v->r = config_setting_get_float(s);
		return 0;
	case CONFIG_TYPE_BOOL:
		v->type = CD_VAL_INT;
		v->i = config_setting_get_bool(s);
		return 0;
	case CONFIG_TYPE_STRING: {
		v->type = CD_VAL_STR;
		const char *text = config_setting_get_string(s);
		if (strlen(text) < sizeof v->s) {
			snprintf(v->s, sizeof v->s, "%s", text);
			return 0;
		}
		/* Longer than any setting allows: say what this one does. */
		char allowed[512], err[600];
		size_t off;
		int entry = 0;
		if (!f &&
		    resolve(&L->sc->p, path, &f, &off, &entry, err, sizeof err))
			return fail_at(L, s, "%s", err);
		if (entry)
			snprintf(allowed, sizeof allowed,
				 "a number in [%.15g, %.15g]", f->min, f->max);
		else
			schema_describe_allowed(f, allowed, sizeof allowed);
		return fail_at(L, s, "%s: string too long; allowed: %s", path,
			       allowed);
	}
	default: {
		char allowed[512] = "a single value", err[600];
		size_t off;
		int entry = 0;
		/* Say what the setting allows, not just "a single value". */
		if (!f &&
		    resolve(&L->sc->p, path, &f, &off, &entry, err, sizeof err))
			f = NULL;
		if (f && entry)
			snprintf(allowed, sizeof allowed,
				 "a number in [%.15g, %.15g]", f->min, f->max);
		else if (f)
			schema_describe_allowed(f, allowed, sizeof allowed);
		return fail_at(L, s,
			       "%s: expected a single value, got %s; "
			       "allowed: %s",
			       path, type_name(config_setting_type(s)),
			       allowed);
	}
	}
}

/* Applies a leaf setting of the file at `path`, or stores it as a timeline
 * assignment when `store` is not NULL. */
static int leaf(struct loader *L, const config_setting_t *s, const char *path,
		struct cd_assign *store)
{
	struct cd_value v;
	int rc = setting_value(L, s, path, NULL, &v);
	if (rc)
		return rc;
	struct cd_assign a;
	char err[900];
	/* libconfig's true and false arrive as the integers 1 and 0: refuse
	 * them for anything but a boolean (`days = true;` is not 1 day). */
	const struct schema_field *f;
	size_t off;
	int entry;
	if (config_setting_type(s) == CONFIG_TYPE_BOOL &&
	    !resolve(&L->sc->p, path, &f, &off, &entry, err, sizeof err) &&
	    (entry || f->type != SCHEMA_BOOL)) {
		char allowed[512];
		if (entry)
			snprintf(allowed, sizeof allowed,
				 "a number in [%.15g, %.15g]", f->min, f->max);
		else
			schema_describe_allowed(f, allowed, sizeof allowed);
		return fail_at(L, s, "%s: got a boolean; allowed: %s", path,
			       allowed);
	}
	if (make_assign(&L->sc->p, path, &v, 0, &a, err, sizeof err))
		return fail_at(L, s, "%s", err);
	if (store) {
		*store = a;
	} else {
		params_apply(&L->sc->p, L->sc->set, &a);
		L->sc->origin[a.offset] = (int)config_setting_source_line(s);
	}
	return 0;
}

/* Walks a partial tree (overrides, or a timeline event's `set`). */
static int partial(struct loader *L, const config_setting_t *g,
		   const char *path, struct cd_event *ev)
{
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *c =
			config_setting_get_elem(g, (unsigned)i);
		char cp[256];
		join(cp, sizeof cp, path, config_setting_name(c));
		int rc;
		if (config_setting_is_group(c)) {
			rc = partial(L, c, cp, ev);
		} else if (ev &&
			   (!strcmp(cp, "days") ||
			    (!strncmp(cp, "segments.", 9) && strlen(cp) > 6 &&
			     !strcmp(cp + strlen(cp) - 6, ".count")))) {
			/* The run is built with these: a change would be
			 * silently ignored. */
			return fail_at(L, c,
				       "%s: the timeline cannot change it; "
				       "allowed: set it in the scenario (it "
				       "is fixed when the run starts)",
				       cp);
		} else if (ev) {
			struct cd_timeline *t = &L->sc->timeline;
			if (t->n_assign >= CD_MAX_TIMELINE_ASSIGN)
				return fail_at(
					L, c,
					"%s: more than %d settings changed by "
					"the timeline in all; allowed: at "
					"most %d",
					cp, CD_MAX_TIMELINE_ASSIGN,
					CD_MAX_TIMELINE_ASSIGN);
			rc = leaf(L, c, cp, &t->assign[t->n_assign]);
			if (!rc) {
				t->n_assign++;
				ev->count++;
			}
		} else {
			rc = leaf(L, c, cp, NULL);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int load_group(struct loader *L, const config_setting_t *g,
		      const struct schema_table *t, const char *path);

static int expect_group(struct loader *L, const config_setting_t *s,
			const char *path, const struct schema_field *f)
{
	if (config_setting_is_group(s))
		return 0;
	char allowed[512];
	schema_describe_allowed(f, allowed, sizeof allowed);
	return fail_at(L, s,
		       "%s: expected a group { ... }, got %s; allowed: %s",
		       path, type_name(config_setting_type(s)), allowed);
}

static int load_collection(struct loader *L, const config_setting_t *g,
			   const struct schema_field *f, const char *path)
{
	const struct schema_table *sub = f->sub;
	int *count = (int *)(void *)((char *)&L->sc->p + sub->count_offset);
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e =
			config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(e);
		char ep[256];
		join(ep, sizeof ep, path, name);
		if (*count >= sub->max_count)
			return fail_at(L, e,
				       "%s: more than %d %s; allowed: at most "
				       "%d (a built-in limit)",
				       ep, sub->max_count, f->name,
				       sub->max_count);
		if (strlen(name) >= CD_NAME_MAX)
			return fail_at(L, e,
				       "%s: name longer than %d bytes; "
				       "allowed: a name of at most %d bytes",
				       ep, CD_NAME_MAX - 1, CD_NAME_MAX - 1);
		if (!config_setting_is_group(e))
			return fail_at(
				L, e, "%s: expected a %s { ... }, got %s", ep,
				sub->what, type_name(config_setting_type(e)));
		char *elem = (char *)&L->sc->p + sub->base +
			     (size_t)*count * sub->stride;
		schema_defaults(sub, elem);
		snprintf(elem, CD_NAME_MAX, "%s", name);
		(*count)++;
		int rc = load_group(L, e, sub, ep);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_weights(struct loader *L, const config_setting_t *g,
			const char *path)
{
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *c =
			config_setting_get_elem(g, (unsigned)i);
		char cp[256];
		join(cp, sizeof cp, path, config_setting_name(c));
		int rc = leaf(L, c, cp, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

static int load_timeline(struct loader *L, const config_setting_t *s,
			 const char *path)
{
	if (!config_setting_is_list(s))
		return fail_at(L, s,
			       "%s: expected a list ( { day = D; set = "
			       "{ ... }; }, ... ), got %s",
			       path, type_name(config_setting_type(s)));
	struct cd_timeline *t = &L->sc->timeline;
	int n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		const config_setting_t *e =
			config_setting_get_elem(s, (unsigned)i);
		char ep[64];
		snprintf(ep, sizeof ep, "%s[%d]", path, i);
		if (!config_setting_is_group(e))
			return fail_at(L, e,
				       "%s: expected { day = D; set = "
				       "{ ... }; }, got %s",
				       ep, type_name(config_setting_type(e)));
		if (t->n_events >= CD_MAX_TIMELINE)
			return fail_at(L, e,
				       "%s: more than %d timeline events; "
				       "allowed: at most %d",
				       ep, CD_MAX_TIMELINE, CD_MAX_TIMELINE);
		for (int k = 0; k < config_setting_length(e); k++) {
			const config_setting_t *c =
				config_setting_get_elem(e, (unsigned)k);
			const char *nm = config_setting_name(c);
			if (strcmp(nm, "day") && strcmp(nm, "set")) {
				const char *cands[] = {"day", "set"};
				const char *best = schema_suggest(nm, cands, 2);
				return fail_at(
					L, c,
					"%s: unknown setting '%s'%s%s%s; "
					"allowed: day, set",
					ep, nm, best ? " (did you mean '" : "",
					best ? best : "", best ? "'?)" : "");
			}
		}
		const config_setting_t *day =
			config_setting_get_member(e, "day");
		const config_setting_t *set =
			config_setting_get_member(e, "set");
		if (!day)
			return fail_at(L, e, "%s: missing 'day'", ep);
		if (!set)
			return fail_at(L, e, "%s: missing 'set = { ... }'", ep);
		int type = config_setting_type(day);
		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			return fail_at(L, day,
				       "%s.day: expected an integer day, "
				       "got %s",
				       ep, type_name(type));
		long long dv = config_setting_get_int64(day);
		if (type == CONFIG_TYPE_INT)
			dv = config_setting_get_int(day);
		if (dv < 0 || dv >= CD_MAX_DAYS)
			return fail_at(L, day,
				       "%s.day: %lld is out of range; "
				       "allowed: an integer in [0, days)",
				       ep, dv);
		if (!config_setting_is_group(set))
			return fail_at(L, set,
				       "%s.set: expected a group { ... }, "
				       "got %s",
				       ep, type_name(config_setting_type(set)));
		struct cd_event *ev = &t->events[t->n_events];
		ev->day = (int)dv;
		ev->first = t->n_assign;
		ev->count = 0;
		L->event_line[t->n_events] =
			(int)config_setting_source_line(day);
		t->n_events++;
		int rc = partial(L, set, "", ev);
		if (rc)
			return rc;
	}
	return 0;
}

/* The `sweep` block: kept as text; `cyberdef sweep` parses the specs with
 * the same code as its --vary options. */
static int load_sweep(struct loader *L, const config_setting_t *g,
		      const char *path)
{
	struct cd_scenario *sc = L->sc;
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *c =
			config_setting_get_elem(g, (unsigned)i);
		const char *nm = config_setting_name(c);
		if (!strcmp(nm, "reps")) {
			if (config_setting_type(c) != CONFIG_TYPE_INT ||
			    config_setting_get_int(c) < 1)
				return fail_at(L, c,
					       "%s.reps: allowed: an integer "
					       ">= 1",
					       path);
			sc->sweep_reps = config_setting_get_int(c);
		} else if (!strcmp(nm, "vary")) {
			int n = config_setting_length(c);
			if (!(config_setting_is_list(c) ||
			      config_setting_is_array(c)) ||
			    n > CD_MAX_AXES)
				return fail_at(L, c,
					       "%s.vary: %d entries; allowed: "
					       "at most %d (the settings one "
					       "sweep varies), each a string "
					       "\"K=SPEC\"",
					       path, n, CD_MAX_AXES);
			for (int k = 0; k < n; k++) {
				const char *v =
					config_setting_get_string_elem(c, k);
				if (!v || strlen(v) >= sizeof sc->sweep_vary[0])
					return fail_at(L, c,
						       "%s.vary: allowed: "
						       "strings \"K=SPEC\"",
						       path);
				snprintf(sc->sweep_vary[k],
					 sizeof sc->sweep_vary[0], "%s", v);
			}
			sc->n_sweep_vary = n;
		} else {
			const char *cands[] = {"vary", "reps"};
			const char *best = schema_suggest(nm, cands, 2);
			return fail_at(L, c,
				       "%s: unknown setting '%s'%s%s%s; "
				       "allowed: vary, reps",
				       path, nm, best ? " (did you mean '" : "",
				       best ? best : "", best ? "'?)" : "");
		}
	}
	return 0;
}

/* Loads the fields of table t from group g: unknown names first, then each
 * field in table order (so segments are known before attackers name them). */
static int load_group(struct loader *L, const config_setting_t *g,
		      const struct schema_table *t, const char *path)
{
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *c =
			config_setting_get_elem(g, (unsigned)i);
		const char *nm = config_setting_name(c);
		if (!schema_find(t, nm)) {
			char sug[600], cp[256];
			suggest_fields(t, nm, sug, sizeof sug);
			join(cp, sizeof cp, path, nm);
			return fail_at(L, c, "unknown setting '%s'%s", cp, sug);
		}
	}
	for (int i = 0; i < t->n_fields; i++) {
		const struct schema_field *f = &t->fields[i];
		const config_setting_t *c =
			config_setting_get_member(g, f->name);
		char cp[256];
		join(cp, sizeof cp, path, f->name);
		if (!c) {
			if (f->flags & SCHEMA_REQUIRED)
				return fail_at(L, g,
					       "%s%smissing required "
					       "setting '%s'",
					       path, path[0] ? ": " : "", cp);
			continue;
		}
		int rc = 0;
		switch (f->type) {
		case SCHEMA_SECTION:
			rc = expect_group(L, c, cp, f);
			if (!rc)
				rc = load_group(L, c, f->sub, cp);
			break;
		case SCHEMA_COLLECTION:
			rc = expect_group(L, c, cp, f);
			if (!rc)
				rc = load_collection(L, c, f, cp);
			break;
		case SCHEMA_WEIGHTS:
			rc = expect_group(L, c, cp, f);
			if (!rc)
				rc = load_weights(L, c, cp);
			break;
		case SCHEMA_TIMELINE:
			rc = load_timeline(L, c, cp);
			break;
		case SCHEMA_OVERRIDES:
			rc = expect_group(L, c, cp, f); /* applied later */
			break;
		case SCHEMA_SWEEP:
			rc = expect_group(L, c, cp, f);
			if (!rc)
				rc = load_sweep(L, c, cp);
			break;
		default:
			rc = leaf(L, c, cp, NULL);
			break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- rules across settings -------------------------------------------- */

static int cross_check(struct loader *L, const config_setting_t *root)
{
	struct cd_params *p = &L->sc->p;
	const char *top = L->sc->n_files ? L->sc->files[0] : L->sc->path;
	if (p->n_segments == 0) {
		snprintf(L->d->msg, sizeof L->d->msg,
			 "%.900s: segments: at least one segment is needed",
			 top);
		return CD_EINVAL;
	}
	if (p->n_attackers == 0) {
		snprintf(L->d->msg, sizeof L->d->msg,
			 "%.900s: attackers: at least one attacker group is "
			 "needed",
			 top);
		return CD_EINVAL;
	}
	for (int a = 0; a < p->n_attackers; a++) {
		double w = 0;
		for (int s = 0; s < p->n_segments; s++)
			w += p->attackers[a].targets[s] *
			     (double)p->segments[s].count;
		if (!(w > 0)) {
			char path[128];
			snprintf(path, sizeof path, "attackers.%s.targets",
				 p->attackers[a].name);
			const config_setting_t *s = config_lookup(L->cfg, path);
			return fail_at(L, s ? s : root,
				       "%s: no segment has a positive weight; "
				       "allowed: at least one segment = a "
				       "number > 0",
				       path);
		}
	}
	for (int k = 0; k < p->n_links; k++) {
		if (p->links[k].from == p->links[k].to) {
			char path[128];
			snprintf(path, sizeof path, "links.%s",
				 p->links[k].name);
			const config_setting_t *s = config_lookup(L->cfg, path);
			return fail_at(L, s ? s : root,
				       "%s: a link must join two different "
				       "bodies",
				       path);
		}
	}
	if (p->workforce.trained > p->workforce.employed) {
		const config_setting_t *s =
			config_lookup(L->cfg, "workforce.trained");
		return fail_at(L, s ? s : root,
			       "workforce.trained: %.15g exceeds "
			       "workforce.employed (%.15g); allowed: at most "
			       "employed",
			       p->workforce.trained, p->workforce.employed);
	}
	for (int e = 0; e < L->sc->timeline.n_events; e++) {
		if (L->sc->timeline.events[e].day >= p->days) {
			const char *file;
			int line;
			scenario_where(L->sc, L->event_line[e], &file, &line);
			snprintf(L->d->msg, sizeof L->d->msg,
				 "%s:%d: timeline[%d].day: %d is beyond the "
				 "horizon; allowed: an integer in [0, %d)",
				 file, line, e, L->sc->timeline.events[e].day,
				 p->days);
			return CD_EINVAL;
		}
	}
	return 0;
}

/* The engine's limits on the parameters in force: at the start (event < 0,
 * lines from the settings) or after timeline event `event` (its line). */
/* Fails at attacker a's setting, or at timeline event `event` (>= 0). */
static int fail_attacker(struct loader *L, const struct cd_params *p, int a,
			 int event, const config_setting_t *root,
			 const char *what)
{
	char path[128];
	snprintf(path, sizeof path, "attackers.%s", p->attackers[a].name);
	if (event >= 0)
		return fail_line(L, L->event_line[event],
				 "timeline[%d]: after it, %s: %s", event, path,
				 what);
	/* The line that last set one of the rates, e.g. in `overrides`. */
	const struct cd_attacker *att = &p->attackers[a];
	const double *f[] = {&att->campaigns_per_year, &att->campaign_days,
			     &att->attempts_per_day, &att->success_prob};
	int line = 0, set = 0;
	for (int k = 0; k < 4; k++) {
		int o = L->sc->origin[(const char *)f[k] - (const char *)p];
		line = o > line ? o : line;
		set = o < set ? o : set; /* -(k + 1): the k-th --set */
	}
	if (set < 0) {
		snprintf(L->d->msg, sizeof L->d->msg, "--set %.200s: %s: %s",
			 L->sc->sets[-set - 1], path, what);
		return CD_EINVAL;
	}
	if (line > 0)
		return fail_line(L, line, "%s: %s", path, what);
	const config_setting_t *s = config_lookup(L->cfg, path);
	return fail_at(L, s ? s : root, "%s: %s", path, what);
}

/* The work the parameters in force ask for (world.h): each candidate
 * intrusion is simulated, so an attack rate without bound would make a
 * run that never ends. */
static int check_work(struct loader *L, const struct cd_params *p, int event,
		      const config_setting_t *root)
{
	char what[600], num[32];
	for (int a = 0; a < p->n_attackers; a++) {
		double cand = p->attackers[a].attempts_per_day *
			      p->attackers[a].success_prob;
		if (cand <= CD_MAX_CANDIDATES)
			continue;
		show_num(num, sizeof num, cand, CD_MAX_CANDIDATES,
			 CD_MAX_CANDIDATES, 3);
		snprintf(what, sizeof what,
			 "attempts_per_day x success_prob = %s candidate "
			 "intrusions per campaign and day; allowed: at most "
			 "%.0g (a built-in limit: each one is simulated)",
			 num, CD_MAX_CANDIDATES);
		return fail_attacker(L, p, a, event, root, what);
	}
	int worst = 0;
	double day = sim_world_day_work(p, &worst);
	if (day <= CD_MAX_DAY_WORK)
		return 0;
	show_num(num, sizeof num, day, CD_MAX_DAY_WORK, CD_MAX_DAY_WORK, 3);
	snprintf(what, sizeof what,
		 "the attackers ask for about %s units of work a day "
		 "(expected simultaneous campaigns x the work of one a day: "
		 "its candidate intrusions, and the footholds each report "
		 "rehazards), this attacker most; "
		 "allowed: at most %.0g a day (a built-in limit: each is "
		 "simulated): fewer or shorter campaigns, or fewer attempts",
		 num, CD_MAX_DAY_WORK);
	return fail_attacker(L, p, worst, event, root, what);
}

static int check_limits(struct loader *L, const struct cd_params *p, int event,
			const config_setting_t *root)
{
	int rc = scenario_check_stages(L->sc, p, event,
				       event >= 0 ? L->event_line[event] : 0,
				       L->d);
	if (!rc)
		rc = check_work(L, p, event, root);
	if (rc)
		return rc;
	int64_t total = 0;
	for (int s = 0; s < p->n_segments; s++)
		total += p->segments[s].count;
	if (total > (int64_t)INT32_MAX) { /* sim_world_create's limit */
		char what[300];
		snprintf(what, sizeof what,
			 "segments: %lld organisations in all; allowed: at "
			 "most %ld in all segments (a built-in limit)",
			 (long long)total, (long)INT32_MAX);
		/* Blame the last --set of a count, if one made it. */
		int set = 0;
		for (int s = 0; s < p->n_segments; s++) {
			int o = L->sc->origin[(const char *)&p->segments[s]
						      .count -
					      (const char *)p];
			set = o < set ? o : set;
		}
		if (set < 0) {
			snprintf(L->d->msg, sizeof L->d->msg,
				 "--set %.200s: %s", L->sc->sets[-set - 1],
				 what);
			return CD_EINVAL;
		}
		const config_setting_t *s = config_lookup(L->cfg, "segments");
		return fail_at(L, s ? s : root, "%s", what);
	}
	for (int s = 0; s < p->n_segments; s++) {
		int n = 0, last = 0;
		for (int b = 0; b < p->n_bodies; b++)
			if (p->bodies[b].coverage[s] *
				    p->bodies[b].coverage_scale >
			    0) {
				n++;
				last = b;
			}
		if (n <= CD_MAX_SEGMENT_BODIES)
			continue;
		char path[128];
		snprintf(path, sizeof path, "bodies.%s.members.%s",
			 p->bodies[last].name, p->segments[s].name);
		const config_setting_t *m = config_lookup(L->cfg, path);
		if (event >= 0)
			return fail_line(
				L, L->event_line[event],
				"timeline[%d]: segment '%s' would "
				"belong to %d sharing bodies (members "
				"> 0); allowed: at most %d (a built-in "
				"limit)",
				event, p->segments[s].name, n,
				CD_MAX_SEGMENT_BODIES);
		return fail_at(L, m ? m : root,
			       "segment '%s' belongs to %d sharing bodies "
			       "(members > 0); allowed: at most %d (a built-in "
			       "limit)",
			       p->segments[s].name, n, CD_MAX_SEGMENT_BODIES);
	}
	for (int k = 0; k < p->n_links && event >= 0; k++)
		if (p->links[k].from == p->links[k].to)
			return fail_line(L, L->event_line[event],
					 "links.%s: timeline[%d] makes it join "
					 "body '%s' to itself; allowed: two "
					 "different bodies",
					 p->links[k].name, event,
					 p->bodies[p->links[k].from].name);
	return 0;
}

/* Fails when the whole run asks for more than CD_MAX_RUN_WORK. */
static int check_run_work(struct loader *L, double work, int event,
			  const config_setting_t *root)
{
	if (work <= CD_MAX_RUN_WORK)
		return 0;
	char num[32];
	show_num(num, sizeof num, work, CD_MAX_RUN_WORK, CD_MAX_RUN_WORK, 3);
	const char *msg =
		"the run asks for about %s units of work in all (expected "
		"simultaneous campaigns x the work of one a day, summed over "
		"its days%s); allowed: at "
		"most %.0g (a built-in limit: an hour or two of work): fewer "
		"days, campaigns or attempts";
	if (event >= 0)
		return fail_line(L, L->event_line[event], msg, num,
				 ", with this timeline event", CD_MAX_RUN_WORK);
	const config_setting_t *s = config_lookup(L->cfg, "days");
	return fail_at(L, s ? s : root, msg, num, "", CD_MAX_RUN_WORK);
}

/* Checks the limits at the start and after each day's timeline events,
 * applied in day order to a copy, and the work of the whole run: each
 * stretch of days between events costs its days x its work a day. Call
 * after stages_derive. */
static int check_run_limits(struct loader *L, const config_setting_t *root)
{
	const struct cd_scenario *sc = L->sc;
	int rc = check_limits(L, &sc->p, -1, root);
	if (rc)
		return rc;
	const struct cd_timeline *t = &sc->timeline;
	if (t->n_events == 0)
		return check_run_work(
			L, sim_world_day_work(&sc->p, NULL) * sc->p.days, -1,
			root);
	struct cd_params *q = malloc(sizeof *q);
	unsigned char *set = malloc(sizeof sc->set);
	if (!q || !set) {
		free(q);
		free(set);
		return CD_ENOMEM;
	}
	*q = sc->p;
	memcpy(set, sc->set, sizeof sc->set);
	int order[CD_MAX_TIMELINE]; /* by day; file order within a day */
	for (int i = 0; i < t->n_events; i++) {
		int j = i;
		for (; j > 0 && t->events[order[j - 1]].day > t->events[i].day;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	/* The stretch of days from one event to the next costs its days x
	 * its work a day; the largest stretch is blamed if the sum is too
	 * much (-1: the one before the first event). */
	double work = 0, most = -1;
	int from = 0, blame = -1, cause = -1;
	for (int k = 0; k <= t->n_events && !rc; k++) {
		int to = k < t->n_events ? t->events[order[k]].day : q->days;
		double w = sim_world_day_work(q, NULL) * (to - from);
		work += w;
		if (w > most) {
			most = w;
			blame = cause;
		}
		if (k == t->n_events)
			break;
		const struct cd_event *e = &t->events[order[k]];
		for (int a = 0; a < e->count; a++)
			params_apply(q, set, &t->assign[e->first + a]);
		stages_derive(q, set);
		rc = check_limits(L, q, order[k], root);
		from = to;
		cause = order[k];
	}
	if (!rc)
		rc = check_run_work(L, work, blame, root);
	free(q);
	free(set);
	return rc;
}

/* Sorts timeline events by day, keeping file order within a day. */
static void sort_timeline(struct cd_timeline *t)
{
	for (int i = 1; i < t->n_events; i++) {
		struct cd_event e = t->events[i];
		int j = i;
		while (j > 0 && t->events[j - 1].day > e.day) {
			t->events[j] = t->events[j - 1];
			j--;
		}
		t->events[j] = e;
	}
}

/* ---- loading ---------------------------------------------------------- */

static void init_params(struct cd_params *p)
{
	memset(p, 0, sizeof *p);
	schema_defaults(&schema_root, p);
	for (int i = 0; i < schema_root.n_fields; i++) {
		const struct schema_field *f = &schema_root.fields[i];
		if (f->type == SCHEMA_SECTION)
			schema_defaults(f->sub, (char *)p + f->sub->base);
	}
}

static int load(struct cd_scenario **out, const char *name, const char *text,
		reader_fn read, const char *const *sets, int n_sets,
		struct cd_diag *d)
{
	*out = NULL;
	d->msg[0] = '\0';
	struct cd_scenario *sc = calloc(1, sizeof *sc);
	if (!sc)
		return CD_ENOMEM;
	/* One origin per byte offset of sc->p (not swapped arguments). */
	/* NOLINTNEXTLINE(clang-analyzer-unix.MallocSizeof) */
	sc->origin = calloc(sizeof sc->p, sizeof *sc->origin);
	if (!sc->origin) {
		free(sc);
		return CD_ENOMEM;
	}
	snprintf(sc->path, sizeof sc->path, "%s", name);
	struct expander x = {.sc = sc, .d = d, .read = read};
	int rc = text ? expand_text(&x, name, text, strlen(text))
		      : expand(&x, name, NULL, 0);
	if (rc) {
		scenario_destroy(sc);
		return rc;
	}
	if (!sc->text) {
		rc = append_line(&x, "", 0, 0, 1);
		if (rc) {
			scenario_destroy(sc);
			return rc;
		}
	}
	cd_sha256_hex(sc->text, x.len, sc->hash);

	config_t cfg;
	config_init(&cfg);
	struct loader L = {.sc = sc, .d = d, .cfg = &cfg};
	rc = check_int_literals(sc, d);
	if (rc)
		goto done;
	if (config_read_string(&cfg, sc->text) != CONFIG_TRUE) {
		const char *file;
		int line, at = config_error_line(&cfg);
		const char *what = config_error_text(&cfg), *end = "";
		if (at > sc->n_lines || at < 1) {
			/* The text ended inside a group, list or string: name
			 * the last line that holds anything. */
			for (at = sc->n_lines; at > 1; at--) {
				const char *l =
					sc->text + sc->lines[at - 1].start;
				l += strspn(l, " \t\r");
				if (*l && *l != '\n')
					break;
			}
			end = " at the end of the file (a '{', '(', '[' or "
			      "'\"' is not closed)";
		}
		scenario_where(sc, at, &file, &line);
		snprintf(d->msg, sizeof d->msg,
			 "%s:%d: %s%s%s; see the scenario format in README.md",
			 file, line,
			 strcmp(what, "syntax error") ? "syntax error: " : "",
			 what, end);
		rc = CD_EINVAL;
		goto done;
	}
	init_params(&sc->p);
	const config_setting_t *root = config_root_setting(&cfg);
	rc = load_group(&L, root, &schema_root, "");
	if (rc)
		goto done;
	const config_setting_t *ov =
		config_setting_get_member(root, "overrides");
	if (ov) {
		rc = partial(&L, ov, "", NULL);
		if (rc)
			goto done;
	}
	for (int i = 0; i < n_sets; i++) {
		const char *eq = strchr(sets[i], '=');
		char where[300], path[256];
		snprintf(where, sizeof where, "--set %s", sets[i]);
		if (!eq || eq == sets[i] ||
		    (size_t)(eq - sets[i]) >= sizeof path) {
			snprintf(d->msg, sizeof d->msg,
				 "%s: expected --set path=value, e.g. --set "
				 "won.share_rate=0.647",
				 where);
			rc = CD_EINVAL;
			goto done;
		}
		if (i >= CD_MAX_SETS || strlen(sets[i]) >= sizeof sc->sets[0]) {
			snprintf(
				d->msg, sizeof d->msg,
				i >= CD_MAX_SETS
					? "%.200s: more than %d --set options; "
					  "allowed: at most %d"
					: "%.200s...: longer than %d bytes; "
					  "allowed: at most %d",
				where,
				i >= CD_MAX_SETS ? CD_MAX_SETS
						 : (int)sizeof sc->sets[0] - 1,
				i >= CD_MAX_SETS ? CD_MAX_SETS
						 : (int)sizeof sc->sets[0] - 1);
			rc = CD_EINVAL;
			goto done;
		}
		snprintf(path, sizeof path, "%.*s", (int)(eq - sets[i]),
			 sets[i]);
		struct cd_assign a;
		rc = scenario_parse_assign(&sc->p, path, eq + 1, where, &a, d);
		if (rc)
			goto done;
		params_apply(&sc->p, sc->set, &a);
		sc->origin[a.offset] = -(sc->n_sets + 1);
		snprintf(sc->sets[sc->n_sets++], sizeof sc->sets[0], "%s",
			 sets[i]);
	}
	rc = cross_check(&L, root);
	if (rc)
		goto done;
	stages_derive(&sc->p, sc->set);
	rc = check_run_limits(&L, root);
	if (rc)
		goto done;
	sort_timeline(&sc->timeline);
done:
	config_destroy(&cfg);
	if (rc) {
		scenario_destroy(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

int scenario_load_file(struct cd_scenario **out, const char *path,
		       const char *const *sets, int n_sets, struct cd_diag *d)
{
	return load(out, path, NULL, read_fs, sets, n_sets, d);
}

int scenario_load_embedded(struct cd_scenario **out, const char *name,
			   const char *const *sets, int n_sets,
			   struct cd_diag *d)
{
	return load(out, name, NULL, read_embedded, sets, n_sets, d);
}

int scenario_load_string(struct cd_scenario **out, const char *name,
			 const char *text, const char *const *sets, int n_sets,
			 struct cd_diag *d)
{
	return load(out, name, text, read_fs, sets, n_sets, d);
}

int scenario_open(struct cd_scenario **out, const char *path,
		  const char *const *sets, int n_sets, struct cd_diag *d)
{
	char name[256];
	snprintf(name, sizeof name, "%.240s%s",
		 path ? path : CD_DEFAULT_SCENARIO,
		 path && !strstr(path, ".cfg") ? ".cfg" : "");
	/* A built-in only where no such file exists: a file that exists but
	 * cannot be read is an error, never silently another scenario. */
	int builtin = !path || (!strchr(path, '/') && !cd_file_exists(path) &&
				scenario_embedded_text(name));
	int rc = builtin ? scenario_load_embedded(out, name, sets, n_sets, d)
			 : scenario_load_file(out, path, sets, n_sets, d);
	if (!rc && builtin)
		snprintf((*out)->path, sizeof(*out)->path,
			 "(built-in) scenarios/%s", name);
	if (rc == CD_ENOMEM)
		snprintf(d->msg, sizeof d->msg, "out of memory");
	return rc;
}

void scenario_destroy(struct cd_scenario *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	free(s->lines);
	free(s->text);
	free(s->origin);
	free(s);
}

/* ---- embedded scenarios ----------------------------------------------- */

int scenario_embedded_count(void)
{
	int n = 0;
	for (int i = 0; i < cd_n_embedded_files; i++)
		if (!strchr(cd_embedded_files[i].path, '/'))
			n++;
	return n;
}

const char *scenario_embedded_name(int k)
{
	for (int i = 0; i < cd_n_embedded_files; i++)
		if (!strchr(cd_embedded_files[i].path, '/') && k-- == 0)
			return cd_embedded_files[i].path;
	return NULL;
}

const char *scenario_embedded_text(const char *name)
{
	for (int i = 0; i < cd_n_embedded_files; i++)
		if (!strcmp(cd_embedded_files[i].path, name))
			return cd_embedded_files[i].text;
	return NULL;
}
