/* values: settings named by a path, and values checked against the
 * schema; the messages every loader function fails with. See loader.h. */
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

#include "params/schema.h"

void load_join(char *out, size_t size, const char *a, const char *b)
{
	if (a && a[0])
		snprintf(out, size, "%s.%s", a, b);
	else
		snprintf(out, size, "%s", b);
}

static int load_vfail_line(struct loader *L, int expanded_line, const char *fmt,
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
int load_fail_line(struct loader *L, int expanded_line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = load_vfail_line(L, expanded_line, fmt, ap);
	va_end(ap);
	return rc;
}

int load_fail_at(struct loader *L, const config_setting_t *s, const char *fmt,
		 ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = load_vfail_line(L, s ? (int)config_setting_source_line(s) : 0,
				 fmt, ap);
	va_end(ap);
	return rc;
}

const char *load_type_name(int config_type)
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
int load_find_name(const void *base, size_t stride, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp((const char *)base + (size_t)i * stride, name) == 0)
			return i;
	return -1;
}

static void load_list_names(const void *base, size_t stride, int n, char *out,
			    size_t size)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(
			out + used, size - used, "%s%s", i ? ", " : "",
			(const char *)base + (size_t)i * stride);
}

void load_suggest_names(const void *base, size_t stride, int n,
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
		load_list_names(base, stride, n, all, sizeof all);
		snprintf(out, size, "; known: %s", n ? all : "(none)");
	}
}

void load_suggest_fields(const struct schema_table *t, const char *name,
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
void load_show_num(char *buf, size_t size, double v, double lo, double hi,
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

/* What a check is of: the field, what it allows, the value as given, and
 * where to write the problem. */
struct check {
	const struct cd_params *p;
	const struct schema_field *f;
	int type;	   /* the field's type, SCHEMA_REAL for a weight */
	int text;	   /* the value is command-line text */
	char allowed[512]; /* what the field allows, in words */
	char *err;
	size_t size;
};

/* Writes "PROBLEM; allowed: WHAT IS ALLOWED"; returns CD_EINVAL. */
__attribute__((format(printf, 2, 3))) static int refuse(struct check *k,
							const char *fmt, ...)
{
	char problem[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	snprintf(k->err, k->size, "%s; allowed: %s", problem, k->allowed);
	return CD_EINVAL;
}

/* Command-line text: reads a number or a boolean out of it, as the field
 * wants. */
static int from_text(struct check *k, const struct cd_value *in,
		     struct cd_value *v)
{
	int t = k->type;
	if (t == SCHEMA_INT || t == SCHEMA_I64 || t == SCHEMA_REAL) {
		char *end;
		errno = 0;
		double r = strtod(in->s, &end);
		if (end == in->s || *end)
			return refuse(k, "'%s' is not a number", in->s);
		if (errno == ERANGE && (r > 1 || r < -1))
			return refuse(k, "'%s' is out of range", in->s);
		v->type = CD_VAL_REAL;
		v->r = r;
	} else if (t == SCHEMA_BOOL) {
		if (!strcmp(in->s, "true") || !strcmp(in->s, "1"))
			v->i = 1;
		else if (!strcmp(in->s, "false") || !strcmp(in->s, "0"))
			v->i = 0;
		else
			return refuse(k, "'%s' is not a boolean", in->s);
		v->type = CD_VAL_INT;
	}
	return 0;
}

static int check_number(struct check *k, const struct cd_value *v,
			struct cd_value *out)
{
	double r;
	if (v->type == CD_VAL_INT || v->type == CD_VAL_I64)
		r = (double)v->i;
	else if (v->type == CD_VAL_REAL)
		r = v->r;
	else
		return refuse(k, "expected a number, got a string");
	char num[32];
	if (!isfinite(r)) {
		snprintf(num, sizeof num, "%g", r);
		return refuse(k, "%s is not a finite number", num);
	}
	if (k->type != SCHEMA_REAL && r != floor(r)) {
		load_show_num(num, sizeof num, r, floor(r), floor(r) + 1, 15);
		return refuse(k, "%s is not an integer", num);
	}
	if (r < k->f->min || r > k->f->max) {
		load_show_num(num, sizeof num, r, k->f->min, k->f->max, 15);
		return refuse(k, "%s is out of range", num);
	}
	if (k->type == SCHEMA_REAL) {
		out->type = CD_VAL_REAL;
		out->r = r;
	} else {
		out->type = k->type == SCHEMA_INT ? CD_VAL_INT : CD_VAL_I64;
		out->i = (int64_t)r;
	}
	return 0;
}

static int check_enum(struct check *k, const struct cd_value *v,
		      struct cd_value *out)
{
	const char *const *names = k->f->names;
	int n = 0;
	while (names[n])
		n++;
	if (v->type != CD_VAL_STR)
		return refuse(k, "not allowed");
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], v->s)) {
			out->type = CD_VAL_INT;
			out->i = i;
			return 0;
		}
	const char *best = schema_suggest(v->s, names, n);
	if (!best)
		return refuse(k, "not allowed");
	snprintf(k->err, k->size,
		 "'%s' is not allowed (did you mean '%s'?); allowed: %s", v->s,
		 best, k->allowed);
	return CD_EINVAL;
}

static int check_bodyref(struct check *k, const struct cd_value *v,
			 struct cd_value *out)
{
	const struct cd_params *p = k->p;
	const char *name = v->type == CD_VAL_STR ? v->s : "";
	int b = v->type == CD_VAL_STR
			? load_find_name(p->bodies, sizeof p->bodies[0],
					 p->n_bodies, name)
			: -1;
	if (b < 0) {
		char sug[600];
		load_suggest_names(p->bodies, sizeof p->bodies[0], p->n_bodies,
				   name, sug, sizeof sug);
		snprintf(k->err, k->size, "no body named '%s'%s",
			 v->type == CD_VAL_STR ? v->s : "?", sug);
		return CD_EINVAL;
	}
	out->type = CD_VAL_INT;
	out->i = b;
	return 0;
}

/* Checks value `in` for field f and converts it into `out`, the form the
 * field is stored in. `text` says `in` is a string from the command line
 * that may hold a number. On error writes the problem into err. */
static int check_value(const struct cd_params *p, const struct schema_field *f,
		       int weights_entry, const struct cd_value *in, int text,
		       struct cd_value *out, char *err, size_t size)
{
	struct check k = {p,	f,  weights_entry ? SCHEMA_REAL : f->type,
			  text, "", err,
			  size};
	if (weights_entry)
		snprintf(k.allowed, sizeof k.allowed,
			 "a number in [%.15g, %.15g]", f->min, f->max);
	else
		schema_describe_allowed(f, k.allowed, sizeof k.allowed);
	struct cd_value v = *in;
	if (text && from_text(&k, in, &v))
		return CD_EINVAL;
	*out = (struct cd_value){0};
	switch (k.type) {
	case SCHEMA_INT:
	case SCHEMA_I64:
	case SCHEMA_REAL:
		return check_number(&k, &v, out);
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
		if (v.type != CD_VAL_STR)
			return refuse(&k, "expected a string");
		if (strlen(v.s) > (size_t)f->max)
			return refuse(&k, "string too long");
		out->type = CD_VAL_STR;
		snprintf(out->s, sizeof out->s, "%s", v.s);
		return 0;
	case SCHEMA_ENUM:
		return check_enum(&k, &v, out);
	case SCHEMA_BODYREF:
		return check_bodyref(&k, &v, out);
	default:
		return refuse(&k, "a group of settings is expected here");
	}
}

/* Resolves a dotted path to its field and byte offset in struct cd_params.
 * *entry is set when the path names one segment of a weights group. */
/* Walking a dotted path down the schema: the table and byte offset
 * reached, the path so far (for messages) and the tokens left. */
struct walk {
	const struct cd_params *p;
	const struct schema_table *t;
	size_t base;
	char *save;	 /* strtok_r's */
	char sofar[256]; /* the components taken, joined by '.' */
	char *err;
	size_t size;
};

static void walk_take(struct walk *k, const char *comp)
{
	char next[256];
	load_join(next, sizeof next, k->sofar, comp);
	snprintf(k->sofar, sizeof k->sofar, "%s", next);
}

/* Into element `rest` of collection f; *comp is then the setting in it. */
static int walk_collection(struct walk *k, const struct schema_field *f,
			   const char *rest, char **comp)
{
	const struct schema_table *sub = f->sub;
	const void *arr = (const char *)k->p + sub->base;
	int n = *(const int *)(const void *)((const char *)k->p +
					     sub->count_offset);
	if (!rest) {
		snprintf(k->err, k->size,
			 "'%s' is a group of %ss; name one and a setting, "
			 "e.g. %s.NAME.%s",
			 k->sofar, sub->what, k->sofar, sub->fields[0].name);
		return CD_EINVAL;
	}
	int e = load_find_name(arr, sub->stride, n, rest);
	if (e < 0) {
		char sug[600];
		load_suggest_names(arr, sub->stride, n, rest, sug, sizeof sug);
		snprintf(k->err, k->size, "no %s named '%s' in %s%s", sub->what,
			 rest, k->sofar, sug);
		return CD_EINVAL;
	}
	walk_take(k, rest);
	k->t = sub;
	k->base = sub->base + (size_t)e * sub->stride;
	*comp = strtok_r(NULL, ".", &k->save);
	if (!*comp) {
		snprintf(k->err, k->size,
			 "'%s' is a %s; name a setting in it, e.g. %s.%s",
			 k->sofar, sub->what, k->sofar, sub->fields[0].name);
		return CD_EINVAL;
	}
	return 0;
}

/* The weight of segment `rest` in weights group f: its byte offset. */
static int walk_weights(struct walk *k, const struct schema_field *f,
			const char *rest, size_t *off)
{
	const struct cd_params *p = k->p;
	if (!rest) {
		snprintf(k->err, k->size,
			 "'%s' is a group; name a segment, e.g. %s.%s",
			 k->sofar, k->sofar,
			 p->n_segments ? p->segments[0].name : "SEGMENT");
		return CD_EINVAL;
	}
	int s = load_find_name(p->segments, sizeof p->segments[0],
			       p->n_segments, rest);
	if (s < 0) {
		char sug[600];
		load_suggest_names(p->segments, sizeof p->segments[0],
				   p->n_segments, rest, sug, sizeof sug);
		snprintf(k->err, k->size, "no segment named '%s' in %s%s", rest,
			 k->sofar, sug);
		return CD_EINVAL;
	}
	if (strtok_r(NULL, ".", &k->save)) {
		snprintf(k->err, k->size, "'%s.%s' has no settings in it",
			 k->sofar, rest);
		return CD_EINVAL;
	}
	*off = k->base + f->offset + (size_t)s * sizeof(double);
	return 0;
}

/* A single value (the end of a path), or a group that cannot be set. */
static int walk_leaf(struct walk *k, const struct schema_field *f,
		     const char *rest, size_t *off)
{
	if (f->type == SCHEMA_TIMELINE || f->type == SCHEMA_OVERRIDES ||
	    f->type == SCHEMA_SWEEP) {
		snprintf(k->err, k->size,
			 "'%s' cannot be set this way; edit the scenario file",
			 k->sofar);
		return CD_EINVAL;
	}
	if (rest) {
		snprintf(k->err, k->size, "'%s' is a single value, not a group",
			 k->sofar);
		return CD_EINVAL;
	}
	*off = k->base + f->offset;
	return 0;
}

int load_resolve(const struct cd_params *p, const char *path,
		 const struct schema_field **fo, size_t *off, int *entry,
		 char *err, size_t size)
{
	char buf[256];
	if (strlen(path) >= sizeof buf || !path[0]) {
		snprintf(err, size, "'%s' is not a setting path", path);
		return CD_EINVAL;
	}
	snprintf(buf, sizeof buf, "%s", path);
	struct walk k = {.p = p, .t = &schema_root, .err = err, .size = size};
	char *comp = strtok_r(buf, ".", &k.save);
	*entry = 0;
	while (comp) {
		const struct schema_field *f = schema_find(k.t, comp);
		if (!f) {
			char sug[600];
			const char *instead = schema_removed(k.t, comp);
			if (instead) {
				snprintf(err, size,
					 "%s%s%s: no longer a setting; %s",
					 k.sofar, k.sofar[0] ? "." : "", comp,
					 instead);
				return CD_EINVAL;
			}
			load_suggest_fields(k.t, comp, sug, sizeof sug);
			snprintf(err, size, "unknown setting '%s%s%s'%s",
				 k.sofar, k.sofar[0] ? "." : "", comp, sug);
			return CD_EINVAL;
		}
		walk_take(&k, comp);
		char *rest = strtok_r(NULL, ".", &k.save);
		if (f->type == SCHEMA_SECTION) {
			if (!rest) {
				snprintf(err, size,
					 "'%s' is a group; name a setting in "
					 "it, e.g. %s.%s",
					 k.sofar, k.sofar,
					 f->sub->fields[0].name);
				return CD_EINVAL;
			}
			k.t = f->sub;
			k.base = k.t->base;
			comp = rest;
		} else if (f->type == SCHEMA_COLLECTION) {
			if (walk_collection(&k, f, rest, &comp))
				return CD_EINVAL;
		} else {
			*fo = f;
			*entry = f->type == SCHEMA_WEIGHTS;
			return *entry ? walk_weights(&k, f, rest, off)
				      : walk_leaf(&k, f, rest, off);
		}
	}
	snprintf(err, size, "'%s' is not a setting path", path);
	return CD_EINVAL;
}

int load_make_assign(const struct cd_params *p, const char *path,
		     const struct cd_value *in, int text, struct cd_assign *a,
		     char *err, size_t size)
{
	const struct schema_field *f;
	size_t off;
	int entry;
	int rc = load_resolve(p, path, &f, &off, &entry, err, size);
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
	if (load_resolve(p, path, &f, &off, &entry, err, sizeof err)) {
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
	if (load_make_assign(p, path, &v, 1, a, err, sizeof err)) {
		snprintf(d->msg, sizeof d->msg, "%s: %s", where, err);
		return CD_EINVAL;
	}
	return 0;
}
