/* calibrate_meta: metadata.json of `cyberdef calibrate` (calibrate_meta.h). */
#define _POSIX_C_SOURCE 200809L
#include "cmd/calibrate_meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/json.h"
#include "core/version.h"

/* The SHA-256 of the targets file as targets_load reads it (a file, else
 * the built-in scenarios/targets/NAME). Returns 0, or -1. */
int cal_targets_sha256(const char *path, char hex[CD_SHA256_HEX])
{
	if (access(path, F_OK) == 0 || strchr(path, '/')) {
		FILE *f = fopen(path, "rb");
		if (!f)
			return -1;
		cd_sha256 c;
		char buf[8192];
		size_t n;
		cd_sha256_begin(&c);
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			cd_sha256_add(&c, buf, n);
		int bad = ferror(f);
		(void)fclose(f); /* read only: nothing to lose */
		cd_sha256_end(&c, hex);
		return bad ? -1 : 0;
	}
	char name[1100];
	size_t n = strlen(path);
	snprintf(name, sizeof name, "targets/%s%s", path,
		 n > 4 && !strcmp(path + n - 4, ".cfg") ? "" : ".cfg");
	const char *text = scenario_embedded_text(name);
	if (!text)
		return -1;
	cd_sha256_hex(text, strlen(text), hex);
	return 0;
}

/* The keys of metadata.json a --resume must match. generations may grow
 * (a resumed run can add generations: each depends only on the one
 * before, so the result is the one a longer first run would have
 * written), not shrink. */
static const char *const resume_keys[] = {
	"model_version", "scenario_sha256", "overrides", "targets_sha256",
	"seed",		 "particles",	    "reps",	 "alpha",
	"held_out"};
#define N_RESUME_KEYS (sizeof resume_keys / sizeof resume_keys[0])

/* The parameters and their priors, in file order (posterior.csv's
 * columns): what `cyberdef plot` needs to draw the marginals on their
 * priors' ranges and axes. Not a --resume key: targets_sha256 covers it. */
static json_t *parameters_json(const struct cd_targets *t)
{
	json_t *a = json_array();
	int ok = a != NULL;
	for (int j = 0; ok && j < t->n_params; j++) {
		const struct targets_prior *pr = &t->params[j].prior;
		json_t *p = json_object();
		cd_json_set(p, "setting", cd_json_text(t->params[j].setting),
			    &ok);
		cd_json_set(p, "prior",
			    json_string(targets_prior_names[pr->kind]), &ok);
		cd_json_set(p, "lo", json_real(pr->lo), &ok);
		cd_json_set(p, "hi", json_real(pr->hi), &ok);
		if (pr->kind == TARGETS_BETA || pr->kind == TARGETS_NORMAL) {
			cd_json_set(p, "a", json_real(pr->a), &ok);
			cd_json_set(p, "b", json_real(pr->b), &ok);
		}
		cd_json_append(a, p, &ok);
	}
	if (!ok) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *cal_metadata(const struct cal_meta *o, const struct cd_scenario *sc,
		     const struct cd_targets *t, const abc_config *cfg)
{
	json_t *m = json_object(), *sets = json_array(), *held = json_array();
	int ok = m && sets && held;
	for (int i = 0; ok && i < o->n_sets; i++)
		cd_json_append(sets, cd_json_text(o->sets[i]), &ok);
	for (int i = 0; ok && i < o->n_hold; i++)
		cd_json_append(held, cd_json_text(o->hold[i]), &ok);
	cd_json_set(m, "program", json_string("cyberdef"), &ok);
	cd_json_set(m, "version", json_string(CD_VERSION), &ok);
	cd_json_set(m, "model_version", json_integer(CD_MODEL_VERSION), &ok);
	cd_json_set(m, "command", json_string("calibrate"), &ok);
	cd_json_set(m, "scenario", cd_json_text(sc->path), &ok);
	cd_json_set(m, "scenario_sha256", json_string(sc->hash), &ok);
	cd_json_set(m, "overrides", json_incref(sets), &ok);
	cd_json_set(m, "targets", cd_json_text(o->targets), &ok);
	cd_json_set(m, "targets_sha256", json_string(o->thash), &ok);
	cd_json_set(m, "seed", cd_json_u64(cfg->seed), &ok);
	cd_json_set(m, "particles", json_integer((json_int_t)cfg->particles),
		    &ok);
	cd_json_set(m, "generations", json_integer(cfg->generations), &ok);
	cd_json_set(m, "reps", json_integer(cfg->reps), &ok);
	cd_json_set(m, "alpha", json_real(cfg->alpha), &ok);
	cd_json_set(m, "held_out", json_incref(held), &ok);
	cd_json_set(m, "parameters", parameters_json(t), &ok);
	json_decref(sets);
	json_decref(held);
	if (!ok) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* With --resume: old's generations must not exceed m's. Returns 0, or 2
 * after a message. */
static int resume_generations(const json_t *old, const json_t *m,
			      const char *path)
{
	json_int_t was =
		json_integer_value(json_object_get(old, "generations"));
	json_int_t now = json_integer_value(json_object_get(m, "generations"));
	if (now >= was)
		return 0;
	fprintf(stderr,
		"cyberdef: --resume: %s records generations %lld, this run "
		"has %lld: a resumed run can add generations, not remove "
		"them\n",
		path, (long long)was, (long long)now);
	return 2;
}

/* With --resume: dir's metadata.json must record the same settings as m
 * (generations no more than m's). Returns 0, or 2 after a message. */
int cal_resume_check(const json_t *m, const char *dir)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/metadata.json", dir);
	json_error_t e;
	json_t *old = json_load_file(path, 0, &e);
	if (!old) {
		fprintf(stderr,
			"cyberdef: --resume: cannot read %s (%s): nothing "
			"to resume from\n",
			path, e.text);
		return 2;
	}
	int rc = 0;
	for (size_t i = 0; !rc && i < N_RESUME_KEYS; i++) {
		const json_t *a = json_object_get(old, resume_keys[i]);
		const json_t *b = json_object_get(m, resume_keys[i]);
		if (a && json_equal(a, b))
			continue;
		char *was = a ? json_dumps(a, JSON_ENCODE_ANY) : NULL;
		char *now = json_dumps(b, JSON_ENCODE_ANY);
		fprintf(stderr,
			"cyberdef: --resume: %s records %s %s, this run has "
			"%s: resume with the settings of the first run, or "
			"write to another --out\n",
			path, resume_keys[i], was ? was : "(none)",
			now ? now : "?");
		free(was);
		free(now);
		rc = 2;
	}
	if (!rc)
		rc = resume_generations(old, m, path);
	json_decref(old);
	return rc;
}
