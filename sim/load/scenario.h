/* scenario: loading and validating scenario files.
 *
 * The only module that touches libconfig. A scenario file is expanded
 * (@include resolved relative to the including file, cycles refused), parsed,
 * and every setting is checked against the schema: unknown names (with a
 * suggestion), wrong types and out-of-range values are reported with the
 * file, line, setting path and what is allowed. A layer of settings (a
 * posterior particle, if any), then `overrides` in the file, then --set
 * texts are applied with the same checks, stage maturities are
 * mapped to the parameters they govern (stages.h), and cross-setting rules
 * are checked. The result owns validated parameters and the timeline.
 */
#ifndef CD_SCENARIO_H
#define CD_SCENARIO_H

#include <stddef.h>
#include <stdio.h>

#include "params/assign.h"
#include "params/params.h"
#include "core/status.h"

/* Where an expanded line came from. */
struct cd_line {
	int file;  /* index into files */
	int line;  /* 1-based */
	int start; /* byte offset of the line in text */
};

#define CD_MAX_SETS 64
#define CD_SET_MAX 512 /* bytes of one --set text "path=value", and NUL */

/* A layer of settings: "path=value" texts applied after a scenario
 * file's own settings (with all it @includes) and before its `overrides`
 * block and the --set texts, each checked as a --set text is. A posterior
 * particle (analysis/posterior.h) is one, so that a what-if scenario's
 * `overrides` and the user's --set win over a calibrated value. */
#define CD_MAX_LAYER 32
#define CD_LAYER_NAME 1200 /* bytes of a layer's name, and NUL */
struct cd_layer {
	const char *name;	  /* in messages, e.g. "posterior post.csv:4
				     (generation 1, particle 2)" */
	const char *const *texts; /* [n] "path=value" */
	int n;
};

/* The origin (struct cd_scenario) of the layer's k-th text is
 * CD_ORIGIN_LAYER - k; of the k-th --set, -(k + 1) > CD_ORIGIN_LAYER. */
#define CD_ORIGIN_LAYER (-(CD_MAX_SETS + 1))

struct cd_scenario {
	struct cd_params p;			     /* validated, derived */
	unsigned char set[sizeof(struct cd_params)]; /* 1 at the offset of
							each field given
							explicitly */
	int *origin; /* [sizeof(struct cd_params)]: for the field at each
			offset, the expanded line that set it, -(k + 1) for
			the k-th --set, CD_ORIGIN_LAYER - k for the layer's
			k-th text, 0 for a default or derived value */
	struct cd_timeline timeline;
	char path[1024]; /* as given */
	char hash[65];	 /* SHA-256 of expanded text */
	int n_sets;
	char sets[CD_MAX_SETS][CD_SET_MAX]; /* --set texts, in order */
	int n_layer;			    /* the layer's texts, if any */
	char layer[CD_MAX_LAYER][CD_SET_MAX];
	char layer_name[CD_LAYER_NAME];
	int n_sweep_vary; /* the file's `sweep` block, if any */
	char sweep_vary[CD_MAX_AXES][CD_SET_MAX];
	int sweep_reps; /* 0 if not given */
	char *text;	/* expanded text */
	int n_lines;
	struct cd_line *lines; /* expanded line -> source */
	int n_files;
	char **files; /* source file names */
};

/* Loads and validates the scenario at `path` (a file), then applies the
 * `n_sets` texts "path=value" of `sets` as --set overrides.
 * Returns 0 and *out, or CD_EINVAL (bad input: d->msg says what and where),
 * CD_ENOENT (a file cannot be read: d->msg says which), CD_ENOMEM. */
int scenario_load_file(struct cd_scenario **out, const char *path,
		       const char *const *sets, int n_sets, struct cd_diag *d);

/* The default scenario: the built-in japan_2017. */
#define CD_DEFAULT_SCENARIO "japan_2017.cfg"

/* Loads SCENARIO as the command line names it: a file, or else (only
 * where no such file exists, and the name has no '/') the built-in
 * scenario of that name, with or without .cfg; NULL for the default.
 * Returns as scenario_load_file; on CD_ENOMEM d->msg says so. */
int scenario_open(struct cd_scenario **out, const char *path,
		  const char *const *sets, int n_sets, struct cd_diag *d);

/* As scenario_open, with `layer` (NULL: none) applied after the file's
 * own settings and before its `overrides` and the --set texts. A text of
 * the layer that names no setting, or gives a value outside the
 * setting's range, fails as a --set text would, with d->msg naming the
 * layer: "NAME: PATH=VALUE: ...". */
int scenario_open_layer(struct cd_scenario **out, const char *path,
			const struct cd_layer *layer, const char *const *sets,
			int n_sets, struct cd_diag *d);

/* As scenario_load_file, for a scenario compiled into the program: `name`
 * is its path under scenarios/, e.g. "japan_2017.cfg". */
int scenario_load_embedded(struct cd_scenario **out, const char *name,
			   const char *const *sets, int n_sets,
			   struct cd_diag *d);

/* As scenario_load_file, from text in memory named `name` in messages;
 * @include paths are read from the file system relative to `name`'s
 * directory. */
int scenario_load_string(struct cd_scenario **out, const char *name,
			 const char *text, const char *const *sets, int n_sets,
			 struct cd_diag *d);

/* Prints every resolved parameter (after includes, the layer, overrides,
 * --set and stage mappings) with where it was set and its source comment, then
 * the timeline. Cannot fail. */
void scenario_describe(const struct cd_scenario *s, FILE *f);
/* The same, only the settings of kind `only` (NULL: all, the timeline
 * too), one of scenario_describe_kinds: "assumption" (its comment says
 * so), "calibrated" (its comment says so, or the layer set it: a
 * posterior particle), "sourced" (a comment that is neither),
 * "unannotated" (set in a file without a comment), "set" (--set),
 * "derived" (a stage mapping) and "default". */
void scenario_describe_only(const struct cd_scenario *s, FILE *f,
			    const char *only);
extern const char *const scenario_describe_kinds[]; /* NULL-ended */

/* Frees a scenario. Accepts NULL. */
void scenario_destroy(struct cd_scenario *s);

/* Resolves "path" (e.g. "won.share_rate", "segments.sme.count") against
 * the schema and the names in p, and parses `text` as its value.
 * Returns 0 and *a, or CD_EINVAL with d->msg naming the setting and what is
 * allowed (prefixed with `where`, e.g. "--set won.share_rate=2"). */
int scenario_parse_assign(const struct cd_params *p, const char *path,
			  const char *text, const char *where,
			  struct cd_assign *a, struct cd_diag *d);

/* Checks that `path` names a setting that can be assigned, without a
 * value. Returns 0, or CD_EINVAL with d->msg as scenario_parse_assign. */
int scenario_check_path(const struct cd_params *p, const char *path,
			const char *where, struct cd_diag *d);

/* For an origin o < 0 (struct cd_scenario), the text that set the value
 * as messages name it: "--set PATH=VALUE" or "LAYER: PATH=VALUE". */
void scenario_origin_text(const struct cd_scenario *s, int o, char *buf,
			  size_t size);
/* Was origin a applied after origin b? The order ranks a default or
 * derived value (0) first, then the file's lines by line (its own
 * settings and its `overrides` alike), then the layer's texts, then the
 * --set texts: a message blames a --set, else the layer, else the last
 * line. Cannot fail. */
int scenario_origin_after(int a, int b);

/* The file name and line an expanded line came from. */
void scenario_where(const struct cd_scenario *s, int expanded_line,
		    const char **file, int *line);

/* Names of the scenarios compiled into the program (under scenarios/,
 * excluding common/), and their text. */
int scenario_embedded_count(void);
const char *scenario_embedded_name(int i);
const char *scenario_embedded_text(const char *name);

#endif
