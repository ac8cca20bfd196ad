/* targets: reading and checking a targets file (targets.h).
 *
 * Every refusal is "FILE:LINE: setting: problem; allowed: ..." and
 * CD_EINVAL, the line being libconfig's for the offending setting. */
#define _POSIX_C_SOURCE 200809L
#include "load/targets.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "params/schema.h"

const char *const targets_prior_names[TARGETS_PRIOR_KINDS + 1] = {
	"uniform", "log_uniform", "beta", "normal", NULL};

/* The state of one load. */
struct tl {
	struct cd_targets *t;
	const struct cd_params *p;
	const char *scenario; /* its name, for matching */
	char dir[1024];	      /* the file's directory ("" for a built-in) */
	struct cd_diag *d;
};

static int fail(struct tl *L, const config_setting_t *s, const char *fmt, ...)
{
	char what[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(L->d->msg, sizeof L->d->msg, "%.100s:%d: %s", L->t->path,
		 s ? (int)config_setting_source_line(s) : 0, what);
	return CD_EINVAL;
}

/* ", did you mean 'x'?" or "; allowed: a, b, c" for `name` among names. */
static void suggest(const char *name, const char *const *names, char *out,
		    size_t size)
{
	int n = 0;
	while (names[n])
		n++;
	const char *near = schema_suggest(name, names, n);
	if (near) {
		snprintf(out, size, "; did you mean '%s'?", near);
		return;
	}
	size_t len = (size_t)snprintf(out, size, "; allowed: ");
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
					i ? ", " : "", names[i]);
}

/* Refuses a member of group g not among `allowed` (NULL-ended). */
static int check_members(struct tl *L, const config_setting_t *g,
			 const char *path, const char *const *allowed)
{
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *m =
			config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(m);
		int k = 0;
		while (allowed[k] && strcmp(allowed[k], name))
			k++;
		if (!allowed[k]) {
			char hint[600];
			suggest(name, allowed, hint, sizeof hint);
			return fail(L, m, "unknown setting '%s.%s'%s", path,
				    name, hint);
		}
	}
	return 0;
}

static int is_number(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ||
	       t == CONFIG_TYPE_FLOAT;
}

/* Member `name` of g as a finite number into *v; *found says if given.
 * Refuses a missing member when required, and a non-number. */
static int get_number(struct tl *L, const config_setting_t *g, const char *path,
		      const char *name, int required, double *v, int *found)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	*found = s != NULL;
	if (!s)
		return required ? fail(L, g,
				       "%s.%s is missing; allowed: a "
				       "number",
				       path, name)
				: 0;
	if (!is_number(s))
		return fail(L, s, "%s.%s: allowed: a number", path, name);
	*v = config_setting_get_float(s);
	if (config_setting_type(s) != CONFIG_TYPE_FLOAT)
		*v = (double)config_setting_get_int64(s);
	if (!isfinite(*v))
		return fail(L, s, "%s.%s: allowed: a finite number", path,
			    name);
	return 0;
}

/* Member `name` of g as a non-empty text into buf. */
static int get_text(struct tl *L, const config_setting_t *g, const char *path,
		    const char *name, int required, char *buf, size_t size)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	buf[0] = '\0';
	if (!s)
		return required ? fail(L, g,
				       "%s.%s is missing; allowed: a "
				       "text in quotes",
				       path, name)
				: 0;
	const char *v = config_setting_get_string(s);
	if (!v || !*v || strlen(v) >= size)
		return fail(L, s,
			    "%s.%s: allowed: a text in quotes, 1 to %zu "
			    "bytes",
			    path, name, size - 1);
	snprintf(buf, size, "%s", v);
	return 0;
}

/* Member `name` of g as an integer in [lo, hi] into *v (def if absent and
 * not required). */
static int get_int(struct tl *L, const config_setting_t *g, const char *path,
		   const char *name, int required, long lo, long hi, int def,
		   int *v)
{
	const config_setting_t *s = config_setting_get_member(g, name);
	*v = def;
	if (!s)
		return required ? fail(L, g,
				       "%s.%s is missing; allowed: an "
				       "integer in [%ld, %ld]",
				       path, name, lo, hi)
				: 0;
	long long x = config_setting_get_int64(s);
	int t = config_setting_type(s);
	if ((t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) || x < lo ||
	    x > hi)
		return fail(L, s, "%s.%s: allowed: an integer in [%ld, %ld]",
			    path, name, lo, hi);
	*v = (int)x;
	return 0;
}

/* Is `name` a built-in scenario, or a file (as given, or relative to the
 * targets file's directory)? */
static int known_scenario(const struct tl *L, const char *name)
{
	char buf[2048];
	snprintf(buf, sizeof buf, "%s.cfg", name);
	if (!strchr(name, '/') &&
	    (scenario_embedded_text(buf) || scenario_embedded_text(name)))
		return 1;
	if (access(name, R_OK) == 0)
		return 1;
	snprintf(buf, sizeof buf, "%s/%s", L->dir, name);
	return L->dir[0] && name[0] != '/' && access(buf, R_OK) == 0;
}

void targets_scenario_name(const char *path, char *buf, size_t size)
{
	if (!path)
		path = CD_DEFAULT_SCENARIO;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".cfg"))
		n -= 4;
	snprintf(buf, size, "%.*s", (int)n, base);
}

static const char *const target_members[] = {
	"scenario", "statistic", "value",	 "sd",	      "sampling_error",
	"source",   "data_year", "horizon_year", "departure", NULL};

/* The statistic and the scenario of target x (group g at path). */
static int target_names(struct tl *L, const config_setting_t *g,
			const char *path, struct targets_target *x)
{
	char stat[TARGETS_TEXT];
	int rc = get_text(L, g, path, "scenario", 1, x->scenario,
			  sizeof x->scenario);
	if (!rc)
		rc = get_text(L, g, path, "statistic", 1, stat, sizeof stat);
	if (rc)
		return rc;
	const char *const *names = L->t->vocab->statistics;
	for (x->statistic = 0; names[x->statistic]; x->statistic++)
		if (!strcmp(names[x->statistic], stat))
			break;
	if (!names[x->statistic]) {
		char hint[900];
		suggest(stat, names, hint, sizeof hint);
		return fail(L, config_setting_get_member(g, "statistic"),
			    "%s.statistic: unknown statistic '%s'%s", path,
			    stat, hint);
	}
	if (!known_scenario(L, x->scenario))
		return fail(L, config_setting_get_member(g, "scenario"),
			    "%s.scenario: unknown scenario '%s'; allowed: a "
			    "built-in scenario (cyberdef list) or a scenario "
			    "file, relative to the targets file",
			    path, x->scenario);
	char name[TARGETS_TEXT];
	targets_scenario_name(x->scenario, name, sizeof name);
	x->active = !strcmp(name, L->scenario);
	return 0;
}

/* The uncertainty rule: sd = max(sampling error, 0.2 |value|), unless
 * the target gives a departure (its reason). */
static int target_sd(struct tl *L, const config_setting_t *g, const char *path,
		     struct targets_target *x)
{
	int found;
	char why[TARGETS_TEXT];
	int rc = get_number(L, g, path, "sd", 1, &x->sd, &found);
	if (!rc)
		rc = get_number(L, g, path, "sampling_error", 0,
				&x->sampling_error, &found);
	if (!rc)
		rc = get_text(L, g, path, "departure", 0, why, sizeof why);
	if (rc)
		return rc;
	if (!(x->sd > 0))
		return fail(L, config_setting_get_member(g, "sd"),
			    "%s.sd: %g; allowed: a number above 0", path,
			    x->sd);
	if (x->sampling_error < 0)
		return fail(L, config_setting_get_member(g, "sampling_error"),
			    "%s.sampling_error: %g; allowed: a number at or "
			    "above 0",
			    path, x->sampling_error);
	double rule = fmax(x->sampling_error, 0.2 * fabs(x->value));
	if (!why[0] && fabs(x->sd - rule) > TARGETS_RULE_TOL * rule)
		return fail(L, config_setting_get_member(g, "sd"),
			    "%s.sd: %g departs from the rule, the larger of "
			    "the sampling error and 20%% of the value (%.6g); "
			    "allowed: sd = %.6g, or a departure = \"why\"",
			    path, x->sd, rule, rule);
	return 0;
}

static int parse_target(struct tl *L, const config_setting_t *g)
{
	struct cd_targets *t = L->t;
	char path[TARGETS_TEXT + 16];
	snprintf(path, sizeof path, "targets.%.200s", config_setting_name(g));
	if (!config_setting_is_group(g))
		return fail(L, g,
			    "%s: allowed: a group { scenario; statistic; "
			    "value; sd; source; data_year; }",
			    path);
	if (t->n_targets == TARGETS_MAX)
		return fail(L, g, "%s: allowed: at most %d targets", path,
			    TARGETS_MAX);
	struct targets_target *x = &t->targets[t->n_targets];
	memset(x, 0, sizeof *x);
	snprintf(x->name, sizeof x->name, "%s", config_setting_name(g));
	x->line = (int)config_setting_source_line(g);
	int found;
	int rc = check_members(L, g, path, target_members);
	if (!rc)
		rc = target_names(L, g, path, x);
	if (!rc)
		rc = get_number(L, g, path, "value", 1, &x->value, &found);
	if (!rc)
		rc = target_sd(L, g, path, x);
	if (!rc)
		rc = get_text(L, g, path, "source", 1, x->source,
			      sizeof x->source);
	if (!rc)
		rc = get_int(L, g, path, "data_year", 1, 1900, 2200, 0,
			     &x->data_year);
	if (!rc)
		rc = get_int(L, g, path, "horizon_year", 0, 0,
			     CD_MAX_DAYS / 365 - 1, 0, &x->horizon_year);
	if (!rc && x->active && 365L * x->horizon_year >= L->p->days)
		rc = fail(L, config_setting_get_member(g, "horizon_year"),
			  "%s.horizon_year: %d starts on day %d, after the "
			  "scenario's horizon of %d days; allowed: 0 to %d",
			  path, x->horizon_year, 365 * x->horizon_year,
			  L->p->days, (L->p->days - 1) / 365);
	if (rc)
		return rc;
	t->n_targets++;
	t->n_active += x->active;
	return 0;
}

static const char *const param_members[] = {"setting", "prior", "lo",	"hi",
					    "alpha",   "beta",	"mean", "sd",
					    "reason",  NULL};

/* Refuses a setting no calibration may estimate: a stage maturity (what
 * the what-ifs change) or a setting a maturity derives (estimating it
 * would freeze it against the maturity's what-ifs). */
static int check_estimable(struct tl *L, const config_setting_t *s,
			   const char *path, const struct schema_field *f)
{
	const char *leaf = strrchr(path, '.');
	leaf = leaf ? leaf + 1 : path;
	if (!strcmp(leaf, "maturity"))
		return fail(L, s,
			    "%s: a stage maturity is a policy input, "
			    "not estimated (what-ifs change it); allowed: "
			    "a setting no maturity derives, or a mapping "
			    "coefficient such as %.*s.relay_base",
			    path, (int)(leaf - path - 1), path);
	if (f->flags & SCHEMA_DERIVED)
		return fail(L, s,
			    "%s is derived from a stage maturity by "
			    "default (stages.h), so estimating it would "
			    "stop the maturity's what-ifs moving it; "
			    "allowed: a setting no maturity derives, or "
			    "the mapping's coefficients (e.g. %s_base and "
			    "%s_slope of the stage's section)",
			    path, leaf, leaf);
	if (f->type != SCHEMA_REAL && f->type != SCHEMA_WEIGHTS)
		return fail(L, s,
			    "%s is not a real number; allowed: a real "
			    "setting or a weight",
			    path);
	return 0;
}

/* Parameter q's setting, with its range into lo, hi. */
static int param_setting(struct tl *L, const config_setting_t *g,
			 const char *path, struct targets_param *q, double *lo,
			 double *hi)
{
	int rc = get_text(L, g, path, "setting", 1, q->setting,
			  sizeof q->setting);
	if (rc)
		return rc;
	const config_setting_t *s = config_setting_get_member(g, "setting");
	const struct targets_vocab *v = L->t->vocab;
	q->observation = -1;
	if (!strncmp(q->setting, "observe.", 8)) {
		for (int k = 0; k < v->n_params; k++)
			if (!strcmp(v->params[k].name, q->setting)) {
				q->observation = k;
				*lo = v->params[k].min;
				*hi = v->params[k].max;
				return 0;
			}
		return fail(L, s,
			    "%s: unknown parameter '%s' of the "
			    "observation model; allowed: %s ... (README "
			    "\"The observation model\")",
			    path, q->setting,
			    v->n_params ? v->params[0].name : "");
	}
	struct cd_diag e;
	if (scenario_check_path(L->p, q->setting, path, &e))
		return fail(L, s, "%s", e.msg);
	const struct schema_field *f = schema_field_at(q->setting);
	if (!f)
		return fail(L, s, "%s: '%s' is not a setting", path,
			    q->setting);
	*lo = f->min;
	*hi = f->max;
	return check_estimable(L, s, q->setting, f);
}

/* The members a prior of `kind` takes besides setting, prior, reason: a
 * bit per param_members entry (lo 2, hi 3, alpha 4, beta 5, mean 6, sd 7). */
static unsigned prior_takes(int kind)
{
	switch (kind) {
	case TARGETS_BETA:
		return 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5;
	case TARGETS_NORMAL:
		return 1u << 2 | 1u << 3 | 1u << 6 | 1u << 7;
	default:
		return 1u << 2 | 1u << 3;
	}
}

/* Refuses a member the prior's kind does not take. */
static int prior_members(struct tl *L, const config_setting_t *g,
			 const char *path, int kind)
{
	for (int k = 2; k <= 7; k++) {
		const config_setting_t *m =
			config_setting_get_member(g, param_members[k]);
		if (m && !(prior_takes(kind) >> k & 1))
			return fail(L, m, "%s.%s: a %s prior takes no %s", path,
				    param_members[k], targets_prior_names[kind],
				    param_members[k]);
	}
	return 0;
}

/* The prior of parameter q: kind, shape, and support [lo, hi] within the
 * setting's range [min, max]. */
static int param_prior(struct tl *L, const config_setting_t *g,
		       const char *path, struct targets_param *q, double min,
		       double max)
{
	struct targets_prior *pr = &q->prior;
	char kind[TARGETS_TEXT];
	int rc = get_text(L, g, path, "prior", 1, kind, sizeof kind);
	if (rc)
		return rc;
	for (pr->kind = 0; targets_prior_names[pr->kind]; pr->kind++)
		if (!strcmp(targets_prior_names[pr->kind], kind))
			break;
	const config_setting_t *s = config_setting_get_member(g, "prior");
	if (!targets_prior_names[pr->kind]) {
		char hint[300];
		suggest(kind, targets_prior_names, hint, sizeof hint);
		return fail(L, s, "%s.prior: unknown prior '%s'%s", path, kind,
			    hint);
	}
	if ((rc = prior_members(L, g, path, pr->kind)))
		return rc;
	int k = pr->kind,
	    ranged = k == TARGETS_UNIFORM || k == TARGETS_LOG_UNIFORM;
	int f1, f2;
	pr->lo = k == TARGETS_BETA ? 0 : min;
	pr->hi = k == TARGETS_BETA ? 1 : max;
	rc = get_number(L, g, path, "lo", ranged, &pr->lo, &f1);
	if (!rc)
		rc = get_number(L, g, path, "hi", ranged, &pr->hi, &f2);
	if (!rc && k == TARGETS_BETA)
		rc = get_number(L, g, path, "alpha", 1, &pr->a, &f1) ||
		     get_number(L, g, path, "beta", 1, &pr->b, &f2);
	if (!rc && k == TARGETS_NORMAL)
		rc = get_number(L, g, path, "mean", 1, &pr->a, &f1) ||
		     get_number(L, g, path, "sd", 1, &pr->b, &f2);
	if (rc)
		return CD_EINVAL;
	if (!(pr->lo < pr->hi) || (k == TARGETS_LOG_UNIFORM && !(pr->lo > 0)))
		return fail(L, s, "%s: support [%g, %g]; allowed: lo < hi%s",
			    path, pr->lo, pr->hi,
			    k == TARGETS_LOG_UNIFORM ? ", lo > 0" : "");
	if (k == TARGETS_BETA && !(pr->a > 0 && pr->b > 0))
		return fail(L, s,
			    "%s: alpha %g, beta %g; allowed: both above "
			    "0",
			    path, pr->a, pr->b);
	if (k == TARGETS_NORMAL && !(pr->b > 0))
		return fail(L, s, "%s: sd %g; allowed: above 0", path, pr->b);
	if (pr->lo < min || pr->hi > max)
		return fail(L, s,
			    "%s: the %s prior's support [%g, %g] reaches "
			    "outside the range of %s; allowed: lo and hi "
			    "within [%g, %g]",
			    path, kind, pr->lo, pr->hi, q->setting, min, max);
	return 0;
}

static int parse_param(struct tl *L, const config_setting_t *g, int i)
{
	struct cd_targets *t = L->t;
	char path[64];
	snprintf(path, sizeof path, "parameters.[%d]", i);
	if (!config_setting_is_group(g))
		return fail(L, g,
			    "%s: allowed: a group { setting; prior; ...; "
			    "reason; }",
			    path);
	if (t->n_params == TARGETS_MAX_PARAMS)
		return fail(L, g, "%s: allowed: at most %d parameters", path,
			    TARGETS_MAX_PARAMS);
	struct targets_param *q = &t->params[t->n_params];
	memset(q, 0, sizeof *q);
	q->line = (int)config_setting_source_line(g);
	double min = 0, max = 0;
	int rc = check_members(L, g, path, param_members);
	if (!rc)
		rc = param_setting(L, g, path, q, &min, &max);
	if (!rc)
		rc = param_prior(L, g, path, q, min, max);
	if (!rc)
		rc = get_text(L, g, path, "reason", 1, q->reason,
			      sizeof q->reason);
	for (int j = 0; !rc && j < t->n_params; j++)
		if (!strcmp(t->params[j].setting, q->setting))
			rc = fail(L, config_setting_get_member(g, "setting"),
				  "%s: %s is estimated twice (line %d); "
				  "allowed: one prior per setting",
				  path, q->setting, t->params[j].line);
	if (rc)
		return rc;
	t->n_params++;
	return 0;
}

static const char *const root_members[] = {"description", "targets",
					   "parameters", NULL};

static int parse_root(struct tl *L, const config_setting_t *root)
{
	int rc = check_members(L, root, "(top level)", root_members);
	if (rc)
		return rc;
	const config_setting_t *g = config_setting_get_member(root, "targets");
	if (!g || !config_setting_is_group(g))
		return fail(L, g,
			    "targets: %s; allowed: a group of named "
			    "targets",
			    g ? "not a group" : "missing");
	for (int i = 0; !rc && i < config_setting_length(g); i++)
		rc = parse_target(L, config_setting_get_elem(g, (unsigned)i));
	if (rc)
		return rc;
	if (!L->t->n_active)
		return fail(L, g,
			    "targets: no target names the scenario '%s'; "
			    "allowed: a scenario the file names (%s%s)",
			    L->scenario,
			    L->t->n_targets ? L->t->targets[0].scenario : "",
			    L->t->n_targets > 1 ? ", ..." : "");
	const config_setting_t *ps =
		config_setting_get_member(root, "parameters");
	if (!ps)
		return 0;
	if (!config_setting_is_list(ps))
		return fail(L, ps,
			    "parameters: allowed: a list ( { setting; "
			    "prior; ...; reason; }, ... )");
	for (int i = 0; !rc && i < config_setting_length(ps); i++)
		rc = parse_param(L, config_setting_get_elem(ps, (unsigned)i),
				 i);
	return rc;
}

/* Reads the file, or the built-in targets file of that name, into cfg. */
static int read_config(struct tl *L, const char *path, config_t *cfg)
{
	char name[1100];
	int ok;
	if (access(path, F_OK) == 0 || strchr(path, '/')) {
		FILE *f = fopen(path, "r");
		if (!f) {
			snprintf(L->d->msg, sizeof L->d->msg,
				 "cannot read targets file %.900s: %s", path,
				 strerror(errno));
			return CD_ENOENT;
		}
		ok = config_read(cfg, f);
		(void)fclose(f); /* read only: nothing to lose */
		const char *slash = strrchr(path, '/');
		snprintf(L->dir, sizeof L->dir, "%.*s",
			 slash ? (int)(slash - path) : 1, slash ? path : ".");
	} else {
		size_t n = strlen(path);
		snprintf(name, sizeof name, "targets/%s%s", path,
			 n > 4 && !strcmp(path + n - 4, ".cfg") ? "" : ".cfg");
		const char *text = scenario_embedded_text(name);
		if (!text) {
			snprintf(
				L->d->msg, sizeof L->d->msg,
				"cannot read targets file %.900s: no such file "
				"or built-in targets file",
				path);
			return CD_ENOENT;
		}
		ok = config_read_string(cfg, text);
	}
	if (!ok) {
		snprintf(L->d->msg, sizeof L->d->msg, "%.900s:%d: %s", path,
			 config_error_line(cfg), config_error_text(cfg));
		return CD_EINVAL;
	}
	return 0;
}

int targets_load(struct cd_targets **out, const char *path,
		 const char *scenario, const struct cd_params *p,
		 const struct targets_vocab *v, struct cd_diag *d)
{
	char name[TARGETS_TEXT];
	*out = NULL;
	struct cd_targets *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	targets_scenario_name(scenario, name, sizeof name);
	snprintf(t->path, sizeof t->path, "%s", path);
	t->vocab = v;
	struct tl L = {.t = t, .p = p, .scenario = name, .d = d};
	config_t cfg;
	config_init(&cfg);
	int rc = read_config(&L, path, &cfg);
	if (!rc)
		rc = parse_root(&L, config_root_setting(&cfg));
	config_destroy(&cfg);
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void targets_destroy(struct cd_targets *t)
{
	free(t);
}
