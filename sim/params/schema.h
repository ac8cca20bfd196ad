/* schema: the one table of every scenario setting.
 *
 * Each setting has a name, a type, an allowed range, a default, a unit and
 * the place in struct cd_params it fills. The scenario loader validates
 * files, --set overrides and timeline events against this table, and
 * `cyberdef describe` prints from it, so names, ranges and documentation
 * cannot drift apart. Settings form a tree: sections (detection, won, ...)
 * hold fields; collections (segments, attackers, bodies, links) hold named
 * elements whose fields are described by an element table.
 */
#ifndef CD_SCHEMA_H
#define CD_SCHEMA_H

#include <stddef.h>

#include "params/params.h"

enum schema_type {
	SCHEMA_INT,	   /* integer in [min, max], stored as int */
	SCHEMA_I64,	   /* integer in [min, max], stored as int64_t */
	SCHEMA_REAL,	   /* finite real in [min, max] (integers accepted) */
	SCHEMA_BOOL,	   /* true / false */
	SCHEMA_STR,	   /* text shorter than max bytes */
	SCHEMA_ENUM,	   /* one of names[] (stored as int) */
	SCHEMA_WEIGHTS,	   /* group: segment name = real in [min, max] */
	SCHEMA_BODYREF,	   /* name of a body (stored as int index) */
	SCHEMA_SECTION,	   /* group of fields of table `sub` */
	SCHEMA_COLLECTION, /* group of named elements of table `sub` */
	SCHEMA_TIMELINE,   /* list of { day; set = { ... } } */
	SCHEMA_OVERRIDES,  /* group: partial tree applied after loading */
	SCHEMA_SWEEP	   /* group: vary = ( "K=SPEC", ... ); reps = N; */
};

enum schema_flags {
	SCHEMA_REQUIRED = 1, /* must be given (no default) */
	SCHEMA_DERIVED = 2   /* default comes from a stage maturity */
};

struct schema_table;

/* Fields in reading order, as the tables' positional initialisers in
 * schema.c list them; 8 bytes of padding per field are of no account. */
/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding) */
struct schema_field {
	const char *name;
	int type;			/* enum schema_type */
	double min, max;		/* range; for SCHEMA_STR, max length */
	double def;			/* default (numbers, enums, bools) */
	const char *def_str;		/* default for strings */
	size_t offset;			/* in the section / element struct */
	const char *const *names;	/* SCHEMA_ENUM: NULL-terminated */
	int flags;			/* enum schema_flags */
	const char *unit;		/* e.g. "probability", "days" */
	const char *help;		/* one line */
	const struct schema_table *sub; /* SECTION / COLLECTION elements */
};

struct schema_table {
	const char *what;    /* "segment", "attacker", ... */
	size_t stride;	     /* element size (collections) */
	size_t base;	     /* offset of the section / array */
	size_t count_offset; /* collections: offset of the int count */
	int max_count;	     /* collections: capacity */
	int n_fields;
	const struct schema_field *fields;
};

/* The root table (top-level settings of a scenario file). */
extern const struct schema_table schema_root;

/* If `name` was a setting of t that has been removed, what replaces it
 * (one line, for the message); NULL otherwise. Cannot fail. */
const char *schema_removed(const struct schema_table *t, const char *name);

/* Returns the field named `name` in `t`, or NULL. Cannot fail. */
const struct schema_field *schema_find(const struct schema_table *t,
				       const char *name);

/* The field a setting's path names, as --set names it (e.g.
 * "won.share_rate", "segments.sme.count", "attackers.fraud.targets.sme":
 * a collection's element and a weight's segment are any name), or NULL
 * if the path names no assignable field. Cannot fail. */
const struct schema_field *schema_field_at(const char *path);

/* Among `n` candidate names, returns the one closest to `name` by edit
 * distance if it is close enough to be a plausible misspelling, else NULL.
 * Cannot fail. */
const char *schema_suggest(const char *name, const char *const *cands, int n);

/* Writes "what is allowed" for field f into buf (e.g. "a real number in
 * [0, 1]"). Cannot fail; truncates to size. */
void schema_describe_allowed(const struct schema_field *f, char *buf,
			     size_t size);

/* Fills every field of the element or section at `dst` with its
 * default (zero for required fields). Cannot fail. */
void schema_defaults(const struct schema_table *t, void *dst);

#endif
