/* groups: walking a scenario's libconfig tree against the schema:
 * sections, collections, weights, the timeline, the sweep block and
 * partial trees (overrides, timeline events). See loader.h. */
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

#include "params/hygiene.h"
#include "params/schema.h"

/* Reads a scalar libconfig setting as a value; fails on groups/lists. */
static int load_setting_value(struct loader *L, const config_setting_t *s,
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
		if (!f && load_resolve(&L->sc->p, path, &f, &off, &entry, err,
				       sizeof err))
			return load_fail_at(L, s, "%s", err);
		if (entry)
			snprintf(allowed, sizeof allowed,
				 "a number in [%.15g, %.15g]", f->min, f->max);
		else
			schema_describe_allowed(f, allowed, sizeof allowed);
		return load_fail_at(L, s, "%s: string too long; allowed: %s",
				    path, allowed);
	}
	default: {
		char allowed[512] = "a single value", err[600];
		size_t off;
		int entry = 0;
		/* Say what the setting allows, not just "a single value". */
		if (!f && load_resolve(&L->sc->p, path, &f, &off, &entry, err,
				       sizeof err))
			f = NULL;
		if (f && entry)
			snprintf(allowed, sizeof allowed,
				 "a number in [%.15g, %.15g]", f->min, f->max);
		else if (f)
			schema_describe_allowed(f, allowed, sizeof allowed);
		return load_fail_at(
			L, s,
			"%s: expected a single value, got %s; "
			"allowed: %s",
			path, load_type_name(config_setting_type(s)), allowed);
	}
	}
}

/* Applies a leaf setting of the file at `path`, or stores it as a timeline
 * assignment when `store` is not NULL. */
static int load_leaf(struct loader *L, const config_setting_t *s,
		     const char *path, struct cd_assign *store)
{
	struct cd_value v;
	int rc = load_setting_value(L, s, path, NULL, &v);
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
	    !load_resolve(&L->sc->p, path, &f, &off, &entry, err, sizeof err) &&
	    (entry || f->type != SCHEMA_BOOL)) {
		char allowed[512];
		if (entry)
			snprintf(allowed, sizeof allowed,
				 "a number in [%.15g, %.15g]", f->min, f->max);
		else
			schema_describe_allowed(f, allowed, sizeof allowed);
		return load_fail_at(L, s, "%s: got a boolean; allowed: %s",
				    path, allowed);
	}
	if (load_make_assign(&L->sc->p, path, &v, 0, &a, err, sizeof err))
		return load_fail_at(L, s, "%s", err);
	if (store) {
		*store = a;
	} else {
		params_apply(&L->sc->p, L->sc->set, &a);
		L->sc->origin[a.offset] = (int)config_setting_source_line(s);
		size_t other = hygiene_displaced(a.offset);
		if (other) /* no longer where the value in force came from */
			L->sc->origin[other] = 0;
	}
	return 0;
}

/* A segment's group (in the file, `overrides` or a timeline event) gives
 * its hygiene_mean or its hygiene_proper, from which the mean is derived
 * (params/hygiene.h), not both: fails at the later of the two. */
static int one_hygiene(struct loader *L, const config_setting_t *g,
		       const char *path)
{
	const config_setting_t *m =
		config_setting_get_member(g, "hygiene_mean");
	const config_setting_t *s =
		config_setting_get_member(g, "hygiene_proper");
	if (!m || !s)
		return 0;
	int share_later =
		config_setting_source_line(s) >= config_setting_source_line(m);
	const config_setting_t *later = share_later ? s : m;
	const char *file;
	int line;
	scenario_where(L->sc,
		       (int)config_setting_source_line(share_later ? m : s),
		       &file, &line);
	return load_fail_at(
		L, later,
		"%s.%s: the segment also sets %s (line %d); allowed: one of "
		"hygiene_mean (the mean of its organisations' hygiene) and "
		"hygiene_proper (the share of them at or above "
		"won.proper_hygiene, from which the mean is derived)",
		path, config_setting_name(later),
		share_later ? "hygiene_mean" : "hygiene_proper", line);
}

/* Walks a partial tree (overrides, or a timeline event's `set`). */
int load_partial(struct loader *L, const config_setting_t *g, const char *path,
		 struct cd_event *ev)
{
	const char *dot = strchr(path, '.');
	if (dot && dot - path == 8 && !strncmp(path, "segments", 8) &&
	    !strchr(dot + 1, '.')) { /* segments.NAME */
		int rc = one_hygiene(L, g, path);
		if (rc)
			return rc;
	}
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *c =
			config_setting_get_elem(g, (unsigned)i);
		char cp[256];
		load_join(cp, sizeof cp, path, config_setting_name(c));
		int rc;
		if (config_setting_is_group(c)) {
			rc = load_partial(L, c, cp, ev);
		} else if (ev &&
			   (!strcmp(cp, "days") || !strcmp(cp, "warmup_days") ||
			    (!strncmp(cp, "segments.", 9) && strlen(cp) > 6 &&
			     !strcmp(cp + strlen(cp) - 6, ".count")))) {
			/* The run is built with these: a change would be
			 * silently ignored. */
			return load_fail_at(
				L, c,
				"%s: the timeline cannot change it; "
				"allowed: set it in the scenario (it "
				"is fixed when the run starts)",
				cp);
		} else if (ev) {
			struct cd_timeline *t = &L->sc->timeline;
			if (t->n_assign >= CD_MAX_TIMELINE_ASSIGN)
				return load_fail_at(
					L, c,
					"%s: more than %d settings changed by "
					"the timeline in all; allowed: at "
					"most %d",
					cp, CD_MAX_TIMELINE_ASSIGN,
					CD_MAX_TIMELINE_ASSIGN);
			rc = load_leaf(L, c, cp, &t->assign[t->n_assign]);
			if (!rc) {
				t->n_assign++;
				ev->count++;
			}
		} else {
			rc = load_leaf(L, c, cp, NULL);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int load_expect_group(struct loader *L, const config_setting_t *s,
			     const char *path, const struct schema_field *f)
{
	if (config_setting_is_group(s))
		return 0;
	char allowed[512];
	schema_describe_allowed(f, allowed, sizeof allowed);
	return load_fail_at(
		L, s, "%s: expected a group { ... }, got %s; allowed: %s", path,
		load_type_name(config_setting_type(s)), allowed);
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
		load_join(ep, sizeof ep, path, name);
		if (*count >= sub->max_count)
			return load_fail_at(
				L, e,
				"%s: more than %d %s; allowed: at most "
				"%d (a built-in limit)",
				ep, sub->max_count, f->name, sub->max_count);
		if (strlen(name) >= CD_NAME_MAX)
			return load_fail_at(
				L, e,
				"%s: name longer than %d bytes; "
				"allowed: a name of at most %d bytes",
				ep, CD_NAME_MAX - 1, CD_NAME_MAX - 1);
		if (!config_setting_is_group(e))
			return load_fail_at(
				L, e, "%s: expected a %s { ... }, got %s", ep,
				sub->what,
				load_type_name(config_setting_type(e)));
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
		load_join(cp, sizeof cp, path, config_setting_name(c));
		int rc = load_leaf(L, c, cp, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* Fails at c, setting `nm` of the group at `where`, which takes only the
 * settings a and b: names them, and the closer if it is a misspelling. */
static int unknown_of_two(struct loader *L, const config_setting_t *c,
			  const char *where, const char *nm, const char *a,
			  const char *b)
{
	const char *cands[] = {a, b};
	const char *best = schema_suggest(nm, cands, 2);
	return load_fail_at(L, c,
			    "%s: unknown setting '%s'%s%s%s; allowed: %s, %s",
			    where, nm, best ? " (did you mean '" : "",
			    best ? best : "", best ? "'?)" : "", a, b);
}

/* Checks the members of timeline event e (named ep): only day and set. */
static int event_members(struct loader *L, const config_setting_t *e,
			 const char *ep)
{
	for (int k = 0; k < config_setting_length(e); k++) {
		const config_setting_t *c =
			config_setting_get_elem(e, (unsigned)k);
		const char *nm = config_setting_name(c);
		if (strcmp(nm, "day") && strcmp(nm, "set"))
			return unknown_of_two(L, c, ep, nm, "day", "set");
	}
	return 0;
}

/* The day of timeline event e, in *day. */
static int event_day(struct loader *L, const config_setting_t *day,
		     const char *ep, long long *dv)
{
	int type = config_setting_type(day);
	if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
		return load_fail_at(L, day,
				    "%s.day: expected an integer day, got %s",
				    ep, load_type_name(type));
	*dv = type == CONFIG_TYPE_INT ? config_setting_get_int(day)
				      : config_setting_get_int64(day);
	if (*dv < 0 || *dv >= CD_MAX_DAYS)
		return load_fail_at(L, day,
				    "%s.day: %lld is out of range; allowed: an "
				    "integer in [0, days)",
				    ep, *dv);
	return 0;
}

/* Timeline event e, the i-th of the list at path. */
static int load_event(struct loader *L, const config_setting_t *e,
		      const char *path, int i)
{
	struct cd_timeline *t = &L->sc->timeline;
	char ep[64];
	snprintf(ep, sizeof ep, "%s[%d]", path, i);
	if (!config_setting_is_group(e))
		return load_fail_at(L, e,
				    "%s: expected { day = D; set = { ... }; }, "
				    "got %s",
				    ep, load_type_name(config_setting_type(e)));
	if (t->n_events >= CD_MAX_TIMELINE)
		return load_fail_at(L, e,
				    "%s: more than %d timeline events; "
				    "allowed: at most %d",
				    ep, CD_MAX_TIMELINE, CD_MAX_TIMELINE);
	int rc = event_members(L, e, ep);
	if (rc)
		return rc;
	const config_setting_t *day = config_setting_get_member(e, "day");
	const config_setting_t *set = config_setting_get_member(e, "set");
	if (!day)
		return load_fail_at(L, e, "%s: missing 'day'", ep);
	if (!set)
		return load_fail_at(L, e, "%s: missing 'set = { ... }'", ep);
	long long dv;
	if ((rc = event_day(L, day, ep, &dv)))
		return rc;
	if (!config_setting_is_group(set))
		return load_fail_at(
			L, set, "%s.set: expected a group { ... }, got %s", ep,
			load_type_name(config_setting_type(set)));
	struct cd_event *ev = &t->events[t->n_events];
	*ev = (struct cd_event){(int)dv, t->n_assign, 0};
	L->event_line[t->n_events] = (int)config_setting_source_line(day);
	t->n_events++;
	return load_partial(L, set, "", ev);
}

static int load_timeline(struct loader *L, const config_setting_t *s,
			 const char *path)
{
	if (!config_setting_is_list(s))
		return load_fail_at(L, s,
				    "%s: expected a list ( { day = D; set = "
				    "{ ... }; }, ... ), got %s",
				    path,
				    load_type_name(config_setting_type(s)));
	int n = config_setting_length(s);
	for (int i = 0; i < n; i++) {
		int rc = load_event(L, config_setting_get_elem(s, (unsigned)i),
				    path, i);
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
				return load_fail_at(
					L, c,
					"%s.reps: allowed: an integer "
					">= 1",
					path);
			sc->sweep_reps = config_setting_get_int(c);
		} else if (!strcmp(nm, "vary")) {
			int n = config_setting_length(c);
			if (!(config_setting_is_list(c) ||
			      config_setting_is_array(c)) ||
			    n > CD_MAX_AXES)
				return load_fail_at(
					L, c,
					"%s.vary: %d entries; allowed: "
					"at most %d (the settings one "
					"sweep varies), each a string "
					"\"K=SPEC\"",
					path, n, CD_MAX_AXES);
			for (int k = 0; k < n; k++) {
				const char *v =
					config_setting_get_string_elem(c, k);
				if (!v || strlen(v) >= sizeof sc->sweep_vary[0])
					return load_fail_at(
						L, c,
						"%s.vary: allowed: "
						"strings \"K=SPEC\"",
						path);
				snprintf(sc->sweep_vary[k],
					 sizeof sc->sweep_vary[0], "%s", v);
			}
			sc->n_sweep_vary = n;
		} else {
			return unknown_of_two(L, c, path, nm, "vary", "reps");
		}
	}
	return 0;
}

/* Loads the fields of table t from group g: unknown names first, then each
 * field in table order (so segments are known before attackers name them). */
int load_group(struct loader *L, const config_setting_t *g,
	       const struct schema_table *t, const char *path)
{
	int n = config_setting_length(g);
	for (int i = 0; i < n; i++) {
		const config_setting_t *c =
			config_setting_get_elem(g, (unsigned)i);
		const char *nm = config_setting_name(c);
		if (!schema_find(t, nm)) {
			char sug[600], cp[256];
			const char *instead = schema_removed(t, nm);
			load_join(cp, sizeof cp, path, nm);
			if (instead)
				return load_fail_at(L, c,
						    "%s: no longer a setting; "
						    "%s",
						    cp, instead);
			load_suggest_fields(t, nm, sug, sizeof sug);
			return load_fail_at(L, c, "unknown setting '%s'%s", cp,
					    sug);
		}
	}
	if (!strcmp(t->what, "segment")) {
		int rc = one_hygiene(L, g, path);
		if (rc)
			return rc;
	}
	for (int i = 0; i < t->n_fields; i++) {
		const struct schema_field *f = &t->fields[i];
		const config_setting_t *c =
			config_setting_get_member(g, f->name);
		char cp[256];
		load_join(cp, sizeof cp, path, f->name);
		if (!c) {
			if (f->flags & SCHEMA_REQUIRED)
				return load_fail_at(L, g,
						    "%s%smissing required "
						    "setting '%s'",
						    path, path[0] ? ": " : "",
						    cp);
			continue;
		}
		int rc = 0;
		switch (f->type) {
		case SCHEMA_SECTION:
			rc = load_expect_group(L, c, cp, f);
			if (!rc)
				rc = load_group(L, c, f->sub, cp);
			break;
		case SCHEMA_COLLECTION:
			rc = load_expect_group(L, c, cp, f);
			if (!rc)
				rc = load_collection(L, c, f, cp);
			break;
		case SCHEMA_WEIGHTS:
			rc = load_expect_group(L, c, cp, f);
			if (!rc)
				rc = load_weights(L, c, cp);
			break;
		case SCHEMA_TIMELINE:
			rc = load_timeline(L, c, cp);
			break;
		case SCHEMA_OVERRIDES:
			rc = load_expect_group(L, c, cp, f); /* applied later */
			break;
		case SCHEMA_SWEEP:
			rc = load_expect_group(L, c, cp, f);
			if (!rc)
				rc = load_sweep(L, c, cp);
			break;
		default:
			rc = load_leaf(L, c, cp, NULL);
			break;
		}
		if (rc)
			return rc;
	}
	return 0;
}
