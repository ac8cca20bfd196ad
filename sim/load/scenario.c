/* scenario: loading a scenario: see scenario.h. The work is shared with
 * expand.c (reading and @include), values.c (paths and values), groups.c
 * (the tree) and rules.c (rules across settings and limits). */
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

#include "core/embedded.h"
#include "core/fileio.h"
#include "params/hygiene.h"
#include "params/schema.h"
#include "params/stages.h"

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

/* A syntax error, with the file and line it is on. */
static int syntax_error(const struct cd_scenario *sc, const config_t *cfg,
			struct cd_diag *d)
{
	const char *file;
	int line, at = config_error_line(cfg);
	const char *what = config_error_text(cfg), *end = "";
	if (at > sc->n_lines || at < 1) {
		/* The text ended inside a group, list or string: name the
		 * last line that holds anything. */
		for (at = sc->n_lines; at > 1; at--) {
			const char *l = sc->text + sc->lines[at - 1].start;
			l += strspn(l, " \t\r");
			if (*l && *l != '\n')
				break;
		}
		end = " at the end of the file (a '{', '(', '[' or '\"' is "
		      "not closed)";
	}
	scenario_where(sc, at, &file, &line);
	snprintf(d->msg, sizeof d->msg,
		 "%s:%d: %s%s%s; see the scenario format in README.md", file,
		 line, strcmp(what, "syntax error") ? "syntax error: " : "",
		 what, end);
	return CD_EINVAL;
}

/* Is origin o that of a --set text (else of the layer, if < 0)? */
static int origin_is_set(int o)
{
	return o < 0 && o > CD_ORIGIN_LAYER;
}

void scenario_origin_text(const struct cd_scenario *s, int o, char *buf,
			  size_t size)
{
	int k = CD_ORIGIN_LAYER - o; /* the layer's k-th, if o is its */
	if (origin_is_set(o))
		snprintf(buf, size, "--set %s", s->sets[-o - 1]);
	else if (k >= 0 && k < s->n_layer)
		snprintf(buf, size, "%s: %s", s->layer_name, s->layer[k]);
	else
		snprintf(buf, size, "(not a --set or a layer's setting)");
}

int scenario_origin_after(int a, int b)
{
	/* ranks: 0 default, 1 a line, 2 the layer, 3 --set */
	int ra = a > 0 ? 1 : origin_is_set(a) ? 3 : a < 0 ? 2 : 0;
	int rb = b > 0 ? 1 : origin_is_set(b) ? 3 : b < 0 ? 2 : 0;
	if (ra != rb)
		return ra > rb;
	return ra == 1 ? a > b : a < b; /* later lines; later texts */
}

/* Applies the setting `path` = `value` of a --set text or of the layer
 * (`where` names it in messages) with origin `code`, as the file's
 * settings are applied. The same source may not give both of a
 * segment's hygiene_mean and hygiene_proper. */
static int apply_text(struct cd_scenario *sc, const char *path,
		      const char *value, const char *where, int code,
		      struct cd_diag *d)
{
	struct cd_assign a;
	int rc = scenario_parse_assign(&sc->p, path, value, where, &a, d);
	if (rc)
		return rc;
	size_t other = hygiene_displaced(a.offset);
	int o = other ? sc->origin[other] : 0;
	if (o < 0 && origin_is_set(o) == origin_is_set(code)) {
		char by[CD_LAYER_NAME + CD_SET_MAX + 8];
		scenario_origin_text(sc, o, by, sizeof by);
		snprintf(d->msg, sizeof d->msg,
			 "%.300s: %.400s gives the same segment's %s; "
			 "allowed: one of hygiene_mean and hygiene_proper (the "
			 "share at or above won.proper_hygiene, from which the "
			 "mean is derived) per segment",
			 where, by,
			 /* the mean comes first in struct cd_segment */
			 a.offset < other ? "hygiene_proper" : "hygiene_mean");
		return CD_EINVAL;
	}
	params_apply(&sc->p, sc->set, &a);
	sc->origin[a.offset] = code;
	if (other) /* no longer where the value in force came from */
		sc->origin[other] = 0;
	return 0;
}

/* The path of "path=value" into path[size]; returns the value, or NULL
 * if text is no such text. */
static const char *split_text(const char *text, char *path, size_t size)
{
	const char *eq = strchr(text, '=');
	if (!eq || eq == text || (size_t)(eq - text) >= size)
		return NULL;
	snprintf(path, size, "%.*s", (int)(eq - text), text);
	return eq + 1;
}

/* Applies the k-th --set text, as the file's settings are applied. */
static int apply_set(struct cd_scenario *sc, int k, const char *text,
		     struct cd_diag *d)
{
	char where[CD_SET_MAX + 8], path[256];
	snprintf(where, sizeof where, "--set %s", text);
	const char *value = split_text(text, path, sizeof path);
	if (!value) {
		snprintf(d->msg, sizeof d->msg,
			 "%.300s: expected --set path=value, e.g. --set "
			 "won.share_rate=0.647",
			 where);
		return CD_EINVAL;
	}
	int too_many = k >= CD_MAX_SETS;
	if (too_many || strlen(text) >= sizeof sc->sets[0]) {
		int max = too_many ? CD_MAX_SETS : (int)sizeof sc->sets[0] - 1;
		snprintf(d->msg, sizeof d->msg,
			 too_many ? "%.200s: more than %d --set options; "
				    "allowed: at most %d"
				  : "%.200s...: longer than %d bytes; allowed: "
				    "at most %d",
			 where, max, max);
		return CD_EINVAL;
	}
	int rc = apply_text(sc, path, value, where, -(sc->n_sets + 1), d);
	if (!rc)
		snprintf(sc->sets[sc->n_sets++], sizeof sc->sets[0], "%s",
			 text);
	return rc;
}

/* Applies the layer's texts, in order, as --set texts are applied. */
static int apply_layer(struct cd_scenario *sc, const struct cd_layer *ly,
		       struct cd_diag *d)
{
	snprintf(sc->layer_name, sizeof sc->layer_name, "%s",
		 ly->name ? ly->name : "the layer");
	if (ly->n > CD_MAX_LAYER) {
		snprintf(d->msg, sizeof d->msg,
			 "%.900s: %d settings; allowed: at most %d",
			 sc->layer_name, ly->n, CD_MAX_LAYER);
		return CD_EINVAL;
	}
	for (int k = 0; k < ly->n; k++) {
		const char *text = ly->texts[k];
		char where[CD_LAYER_NAME + CD_SET_MAX + 4], path[256];
		snprintf(where, sizeof where, "%s: %s", sc->layer_name, text);
		const char *value = split_text(text, path, sizeof path);
		if (!value || strlen(text) >= sizeof sc->layer[0]) {
			snprintf(d->msg, sizeof d->msg,
				 "%.900s: allowed: path=value, at most %d "
				 "bytes",
				 where, (int)sizeof sc->layer[0] - 1);
			return CD_EINVAL;
		}
		/* Stored first: a message may name it by its origin. */
		snprintf(sc->layer[k], sizeof sc->layer[k], "%s", text);
		sc->n_layer = k + 1;
		int rc = apply_text(sc, path, value, where, CD_ORIGIN_LAYER - k,
				    d);
		if (rc)
			return rc;
	}
	return 0;
}

/* The settings of the parsed file, then the layer, its overrides, then
 * --set; then the rules across settings, the stage mappings and the
 * limits. */
static int settle(struct loader *L, const struct cd_layer *layer,
		  const char *const *sets, int n_sets)
{
	struct cd_scenario *sc = L->sc;
	init_params(&sc->p);
	const config_setting_t *root = config_root_setting(L->cfg);
	int rc = load_group(L, root, &schema_root, "");
	if (!rc && layer)
		rc = apply_layer(sc, layer, L->d);
	const config_setting_t *ov =
		config_setting_get_member(root, "overrides");
	if (!rc && ov)
		rc = load_partial(L, ov, "", NULL);
	for (int i = 0; i < n_sets && !rc; i++)
		rc = apply_set(sc, i, sets[i], L->d);
	if (!rc)
		rc = load_canonicalize(L);
	if (!rc)
		rc = load_cross_check(L, root);
	if (!rc) {
		stages_derive(&sc->p, sc->set);
		rc = load_check_run_limits(L, root);
	}
	if (!rc)
		load_sort_timeline(&sc->timeline);
	return rc;
}

static int load(struct cd_scenario **out, const char *name, const char *text,
		int embedded, const struct cd_layer *layer,
		const char *const *sets, int n_sets, struct cd_diag *d)
{
	*out = NULL;
	d->msg[0] = '\0';
	struct cd_scenario *sc = calloc(1, sizeof *sc);
	if (!sc)
		return CD_ENOMEM;
	/* One origin per byte offset of sc->p (not swapped arguments). */
	/* NOLINTNEXTLINE(clang-analyzer-unix.MallocSizeof) */
	sc->origin = calloc(sizeof sc->p, sizeof *sc->origin);
	snprintf(sc->path, sizeof sc->path, "%s", name);
	int rc = sc->origin ? load_expand(sc, name, text, embedded, d)
			    : CD_ENOMEM;
	if (!rc)
		rc = load_check_int_literals(sc, d);
	if (rc) {
		scenario_destroy(sc);
		return rc;
	}
	config_t cfg;
	config_init(&cfg);
	struct loader L = {.sc = sc, .d = d, .cfg = &cfg};
	if (config_read_string(&cfg, sc->text) != CONFIG_TRUE)
		rc = syntax_error(sc, &cfg, d);
	else
		rc = settle(&L, layer, sets, n_sets);
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
	return load(out, path, NULL, 0, NULL, sets, n_sets, d);
}

int scenario_load_embedded(struct cd_scenario **out, const char *name,
			   const char *const *sets, int n_sets,
			   struct cd_diag *d)
{
	return load(out, name, NULL, 1, NULL, sets, n_sets, d);
}

int scenario_load_string(struct cd_scenario **out, const char *name,
			 const char *text, const char *const *sets, int n_sets,
			 struct cd_diag *d)
{
	return load(out, name, text, 0, NULL, sets, n_sets, d);
}

int scenario_open_layer(struct cd_scenario **out, const char *path,
			const struct cd_layer *layer, const char *const *sets,
			int n_sets, struct cd_diag *d)
{
	char name[256];
	snprintf(name, sizeof name, "%.240s%s",
		 path ? path : CD_DEFAULT_SCENARIO,
		 path && !strstr(path, ".cfg") ? ".cfg" : "");
	/* A built-in only where no such file exists: a file that exists but
	 * cannot be read is an error, never silently another scenario. */
	int builtin = !path || (!strchr(path, '/') && !cd_file_exists(path) &&
				scenario_embedded_text(name));
	int rc = builtin ? load(out, name, NULL, 1, layer, sets, n_sets, d)
			 : load(out, path, NULL, 0, layer, sets, n_sets, d);
	if (!rc && builtin)
		snprintf((*out)->path, sizeof(*out)->path,
			 "(built-in) scenarios/%s", name);
	if (rc == CD_ENOMEM)
		snprintf(d->msg, sizeof d->msg, "out of memory");
	return rc;
}

int scenario_open(struct cd_scenario **out, const char *path,
		  const char *const *sets, int n_sets, struct cd_diag *d)
{
	return scenario_open_layer(out, path, NULL, sets, n_sets, d);
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
