/* loader: what the parts of scenario loading share (internal to the load
 * layer: expand.c, values.c, groups.c, rules.c, scenario.c).
 *
 * A scenario is loaded in steps: its text is expanded (@include resolved,
 * each expanded line mapped to its file and line), checked for integer
 * literals libconfig would misread, parsed by libconfig, walked against
 * the schema (groups.c, values of each setting checked by values.c), then
 * checked across settings and against the engine's limits (rules.c).
 * Every failure is a message "FILE:LINE: ..." in the loader's diagnostic
 * and CD_EINVAL (or CD_ENOMEM).
 */
#ifndef CD_LOAD_LOADER_H
#define CD_LOAD_LOADER_H

#include <libconfig.h>
#include <stddef.h>

#include "core/status.h"
#include "load/scenario.h"
#include "params/params.h"
#include "params/schema.h"

/* The state of one load. */
struct loader {
	struct cd_scenario *sc;
	struct cd_diag *d;
	int event_line[CD_MAX_TIMELINE]; /* expanded line of each event */
	config_t *cfg;
};

/* ---- expand.c ---- */
/* Expands the scenario `name` (its text, or the file of that name, read
 * from the file system or, with embedded, from the scenarios compiled
 * into the program) into sc->text, sc->lines and sc->files, and hashes it
 * (sc->hash). Returns 0, CD_EINVAL (d->msg), CD_ENOENT (the top file
 * cannot be read) or CD_ENOMEM. */
int load_expand(struct cd_scenario *sc, const char *name, const char *text,
		int embedded, struct cd_diag *d);
/* Refuses an integer literal libconfig would silently wrap. */
int load_check_int_literals(const struct cd_scenario *sc, struct cd_diag *d);

/* ---- values.c ---- */
/* "a.b" from a and b ("b" when a is empty). */
void load_join(char *out, size_t size, const char *a, const char *b);
/* Writes "FILE:LINE: message" for an expanded line, or for the line of a
 * libconfig setting (s may be NULL); returns CD_EINVAL. */
int load_fail_line(struct loader *L, int expanded_line, const char *fmt, ...);
int load_fail_at(struct loader *L, const config_setting_t *s, const char *fmt,
		 ...);
/* Writes v in `digits` significant digits, or as many more as it takes
 * to read back on v's side of lo and of hi (a value just past a limit is
 * never shown as the limit itself). */
void load_show_num(char *buf, size_t size, double v, double lo, double hi,
		   int digits);
/* "a group", "an integer", ... for a libconfig type. */
const char *load_type_name(int config_type);
/* Index of `name` among n names at base with stride (element structs
 * begin with their name), or -1. */
int load_find_name(const void *base, size_t stride, int n, const char *name);
/* "; did you mean 'x'?", or the list of what is allowed. */
void load_suggest_names(const void *base, size_t stride, int n,
			const char *name, char *out, size_t size);
void load_suggest_fields(const struct schema_table *t, const char *name,
			 char *out, size_t size);
/* Resolves a dotted path to its field and byte offset in struct
 * cd_params; *entry is set when it names one segment of a weights group.
 * Returns 0, or CD_EINVAL with the problem in err. */
int load_resolve(const struct cd_params *p, const char *path,
		 const struct schema_field **fo, size_t *off, int *entry,
		 char *err, size_t size);
/* Checks value `in` for the setting at `path` and makes the assignment;
 * `text`: `in` is command-line text that may hold a number. */
int load_make_assign(const struct cd_params *p, const char *path,
		     const struct cd_value *in, int text, struct cd_assign *a,
		     char *err, size_t size);

/* ---- groups.c ---- */
/* Loads the fields of table t from group g at `path`. */
int load_group(struct loader *L, const config_setting_t *g,
	       const struct schema_table *t, const char *path);
/* Walks a partial tree: `overrides` (ev NULL: applied now) or a timeline
 * event's `set` (stored in the timeline). */
int load_partial(struct loader *L, const config_setting_t *g, const char *path,
		 struct cd_event *ev);

/* ---- canon.c ---- */
/* Sorts segments, attackers, bodies and links by name, with everything
 * that refers to them (canon.c). Returns 0 or CD_ENOMEM. */
int load_canonicalize(struct loader *L);

/* ---- rules.c ---- */
/* The rules across settings (at least one segment and attacker, targets,
 * links, workforce, timeline days). */
int load_cross_check(struct loader *L, const config_setting_t *root);
/* The engine's limits at the start and after each timeline event, and
 * the work of the whole run. Call after stages_derive. */
int load_check_run_limits(struct loader *L, const config_setting_t *root);
/* Sorts timeline events by day, keeping file order within a day. */
void load_sort_timeline(struct cd_timeline *t);

#endif
