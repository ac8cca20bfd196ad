/* experiment: see experiment.h. */
#define _POSIX_C_SOURCE 200809L /* strndup, strdup */
#include "analysis/experiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world/world.h"

int experiment_open(struct experiment *e, const struct sweep_request *rq,
		    struct cd_diag *d)
{
	*e = (struct experiment){.rq = *rq, .bad_point = -1};
	if (rq->n_varies > CD_MAX_AXES) {
		snprintf(d->msg, sizeof d->msg,
			 "%d settings to vary; allowed: at most %d in one "
			 "sweep",
			 rq->n_varies, CD_MAX_AXES);
		return CD_ELIMIT;
	}
	int rc = scenario_open(&e->base, rq->scenario, rq->sets, rq->n_sets, d);
	if (rc)
		return rc;
	const struct cd_scenario *base = e->base;
	snprintf(e->hash, sizeof e->hash, "%s", base->hash);
	if (rq->posterior) {
		rc = posterior_load(&e->post, rq->posterior, &base->p, d);
		if (rc)
			return rc;
		e->has_post = 1;
	}
	if (base->n_sweep_vary > CD_MAX_AXES) {
		snprintf(d->msg, sizeof d->msg,
			 "%.900s: the sweep block varies %d settings; allowed: "
			 "at "
			 "most %d in one sweep",
			 base->path, base->n_sweep_vary, CD_MAX_AXES);
		return CD_ELIMIT;
	}
	e->reps = rq->reps ? rq->reps : base->sweep_reps;
	e->from_block =
		!rq->design && !rq->n_varies && !rq->n_arms && !rq->n_params;
	e->n_varies = e->from_block ? base->n_sweep_vary : rq->n_varies;
	for (int k = 0; k < e->n_varies; k++)
		e->varies[k] =
			e->from_block ? base->sweep_vary[k] : rq->varies[k];
	return 0;
}

const char *experiment_value(const struct experiment *e, int p, int a)
{
	if (e->rq.design || e->rq.n_params)
		return cd_design_cell(&e->design, p, a);
	int stride = 1;
	for (int k = e->n_axes - 1; k > a; k--)
		stride *= e->axes[k].n;
	return e->axes[a].values[(p / stride) % e->axes[a].n];
}

const char *experiment_arm(const struct experiment *e, int p)
{
	if (p > 0)
		return e->rq.arms[p - 1];
	return e->rq.scenario ? e->rq.scenario : "japan_2017";
}

long experiment_particle(const struct experiment *e, int r)
{
	if (!e->has_post)
		return -1;
	return (long)posterior_draw(&e->post, e->rq.seed, (uint64_t)r);
}

/* Opens `scenario` with particle k (none if k < 0) as its layer. */
static int open_with(const struct experiment *e, const char *scenario, long k,
		     const char *const *sets, int n, struct cd_scenario **sc,
		     struct cd_diag *d)
{
	if (k < 0)
		return scenario_open(sc, scenario, sets, n, d);
	struct posterior_layer ly;
	posterior_layer(&e->post, (size_t)k, &ly);
	return scenario_open_layer(sc, scenario, &ly.layer, sets, n, d);
}

/* Loads arm p of a comparison: its scenario with particle k's settings
 * as its layer, the --set texts, then, for "@PATH=VALUE,...", those
 * changes in order. */
static int load_arm(const struct experiment *e, int p, long k,
		    struct cd_scenario **sc, struct cd_diag *d)
{
	const char *arm = p > 0 ? e->rq.arms[p - 1] : NULL;
	const char *sets[CD_MAX_SETS];
	int n = 0;
	for (int i = 0; i < e->rq.n_sets; i++)
		sets[n++] = e->rq.sets[i];
	if (!arm || arm[0] != '@')
		return open_with(e, arm ? arm : e->rq.scenario, k, sets, n, sc,
				 d);
	char *changes = strdup(arm + 1);
	if (!changes) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	int rc = 0;
	for (char *t = changes, *next; t && !rc; t = next) {
		next = strchr(t, ',');
		if (next)
			*next++ = '\0';
		if (n >= CD_MAX_SETS) {
			snprintf(d->msg, sizeof d->msg,
				 "%.900s: more than %d settings with the "
				 "--set texts; allowed: at most %d",
				 arm, CD_MAX_SETS, CD_MAX_SETS);
			rc = CD_ELIMIT;
		} else if (!strchr(t, '=') || *t == '=') {
			snprintf(
				d->msg, sizeof d->msg,
				"%.900s: expected @PATH=VALUE[,PATH=VALUE...], "
				"e.g. @won.share_rate=0.647",
				arm);
			rc = CD_EINVAL;
		} else {
			sets[n++] = t;
		}
	}
	if (!rc)
		rc = open_with(e, e->rq.scenario, k, sets, n, sc, d);
	free(changes);
	return rc;
}

int experiment_load(const struct experiment *e, int p, struct cd_scenario **sc,
		    struct cd_diag *d)
{
	return experiment_load_particle(e, p, -1, sc, d);
}

int experiment_load_particle(const struct experiment *e, int p, long k,
			     struct cd_scenario **sc, struct cd_diag *d)
{
	if (e->rq.n_arms)
		return load_arm(e, p, k, sc, d);
	const char *sets[CD_MAX_SETS + CD_MAX_AXES];
	char *texts[CD_MAX_AXES] = {NULL};
	int n = 0, rc = 0;
	for (int i = 0; i < e->rq.n_sets; i++)
		sets[n++] = e->rq.sets[i];
	for (int a = 0; a < e->n_axes; a++) {
		const char *v = experiment_value(e, p, a);
		size_t len = strlen(e->axes[a].path) + strlen(v) + 2;
		texts[a] = malloc(len);
		if (!texts[a]) {
			rc = CD_ENOMEM;
			continue;
		}
		snprintf(texts[a], len, "%s=%s", e->axes[a].path, v);
		sets[n++] = texts[a];
	}
	if (rc)
		snprintf(d->msg, sizeof d->msg, "out of memory");
	else
		rc = open_with(e, e->rq.scenario, k, sets, n, sc, d);
	for (int a = 0; a < e->n_axes; a++)
		free(texts[a]);
	return rc;
}

/* ---- the points ------------------------------------------------------- */

/* A count for a message: digits, or 3 significant ones for a huge one. */
static void count_text(double n, char *buf, size_t size)
{
	snprintf(buf, size, n < 1e15 ? "%.0f" : "%.3g", n);
}

/* The points and axes of a design, from the file of --design or made by
 * a sensitivity analysis. */
static int read_design(struct experiment *e, struct cd_diag *d)
{
	int rc;
	if (e->rq.n_params) {
		const struct sweep_request *q = &e->rq;
		rc = sensitivity_plan(&e->sens, q->params, q->n_params,
				      q->method, q->sens_n, q->levels, q->seed,
				      &e->base->p, d);
		if (rc == CD_ENOMEM)
			snprintf(d->msg, sizeof d->msg, "out of memory");
		if (rc)
			return rc;
		rc = cd_design_parse(&e->design, "the sensitivity design",
				     e->sens.csv, e->sens.csv_len, &e->base->p,
				     d);
	} else {
		rc = cd_design_read(&e->design, e->rq.design, &e->base->p, d);
	}
	memcpy(e->design_hash, e->design.sha256, sizeof e->design_hash);
	if (rc)
		return rc;
	e->n_points = e->design.n_rows;
	for (int a = 0; a < e->design.n_cols; a++) {
		e->axes[a].path = strdup(cd_design_column(&e->design, a));
		if (!e->axes[a].path) {
			snprintf(d->msg, sizeof d->msg, "out of memory");
			return CD_ENOMEM;
		}
		e->n_axes++;
	}
	return 0;
}

/* Adds an axis from "PATH=SPEC", checking every value against the base;
 * `where` names it in messages. */
static int add_axis(struct experiment *e, const char *text, const char *where,
		    struct cd_diag *d)
{
	const char *eq = strchr(text, '=');
	if (!eq || eq == text) {
		snprintf(d->msg, sizeof d->msg,
			 "%s: expected PATH=SPEC, e.g. won.share_rate=0:1:0.05",
			 where);
		return CD_EINVAL;
	}
	struct sweep_axis *a = &e->axes[e->n_axes];
	a->text = text;
	a->path = strndup(text, (size_t)(eq - text));
	if (!a->path) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	e->n_axes++;
	for (int k = 0; k < e->n_axes - 1; k++)
		if (!strcmp(e->axes[k].path, a->path)) {
			snprintf(d->msg, sizeof d->msg,
				 "%s: %s is varied twice", where, a->path);
			return CD_EINVAL;
		}
	char err[512];
	int rc = sweep_parse_spec(eq + 1, &a->values, &a->n, err, sizeof err);
	if (rc) {
		snprintf(d->msg, sizeof d->msg, "%s: %s", where,
			 rc == CD_ENOMEM ? "out of memory" : err);
		return rc;
	}
	for (int i = 0; i < a->n; i++) {
		struct cd_assign as;
		if (scenario_parse_assign(&e->base->p, a->path, a->values[i],
					  where, &as, d))
			return CD_EINVAL;
	}
	return 0;
}

/* The axes of a grid from the varies, and its points. */
static int make_grid(struct experiment *e, struct cd_diag *d)
{
	double points = 1;
	for (int k = 0; k < e->n_varies; k++) {
		char where[1400], text[100];
		sweep_short_text(e->varies[k], text, sizeof text);
		if (e->from_block)
			snprintf(where, sizeof where,
				 "%.1000s: sweep.vary[%d] \"%s\"",
				 e->base->path, k, text);
		else
			snprintf(where, sizeof where, "--vary %s", text);
		int rc = add_axis(e, e->varies[k], where, d);
		if (rc)
			return rc;
		points *= e->axes[k].n;
	}
	if (points * e->reps > SWEEP_MAX_RUNS) {
		char a[32], b[32];
		count_text(points * e->reps, a, sizeof a);
		count_text(points, b, sizeof b);
		snprintf(d->msg, sizeof d->msg,
			 "the sweep makes %s runs (%s points x %d replicates); "
			 "allowed: at most %.0f",
			 a, b, e->reps, SWEEP_MAX_RUNS);
		return CD_ELIMIT;
	}
	e->n_points = (int)points;
	return 0;
}

/* Loads every point: the longest horizon, the largest world. */
static int check_points(struct experiment *e, struct cd_diag *d)
{
	e->max_days = 0;
	for (int p = 0; p < e->n_points; p++) {
		struct cd_scenario *sc = NULL;
		if (cd_stopped()) {
			snprintf(d->msg, sizeof d->msg,
				 "interrupted while checking the sweep's "
				 "points; nothing written");
			return CD_EINTR;
		}
		int rc = experiment_load(e, p, &sc, d);
		if (rc) {
			e->bad_point = p;
			return rc;
		}
		if (e->rq.n_arms)
			memcpy(e->arm_hash[p], sc->hash, sizeof e->arm_hash[p]);
		if (sc->p.days > e->max_days)
			e->max_days = sc->p.days;
		double need = (double)sim_world_memory_estimate(&sc->p);
		if (p == 0 || need > e->world_bytes) {
			e->world_bytes = need;
			e->world_orgs =
				(long long)sim_world_organisations_of(&sc->p);
		}
		scenario_destroy(sc);
	}
	return 0;
}

/* The points of a comparison: its arms. */
static int make_arms(struct experiment *e, struct cd_diag *d)
{
	if (e->rq.n_arms > EXPERIMENT_MAX_ARMS) {
		snprintf(d->msg, sizeof d->msg,
			 "%d alternatives; allowed: at most %d in one "
			 "comparison",
			 e->rq.n_arms, EXPERIMENT_MAX_ARMS);
		return CD_ELIMIT;
	}
	e->n_points = e->rq.n_arms + 1;
	return 0;
}

int experiment_plan(struct experiment *e, struct cd_diag *d)
{
	int rc = e->rq.n_arms			  ? make_arms(e, d)
		 : e->rq.design || e->rq.n_params ? read_design(e, d)
						  : make_grid(e, d);
	if (rc)
		return rc;
	if (e->rq.n_sets + e->n_axes > CD_MAX_SETS) {
		snprintf(d->msg, sizeof d->msg,
			 "%d --set and %d varied settings make %d settings for "
			 "every run; allowed: at most %d",
			 e->rq.n_sets, e->n_axes, e->rq.n_sets + e->n_axes,
			 CD_MAX_SETS);
		return CD_ELIMIT;
	}
	if ((double)e->n_points * e->reps > SWEEP_MAX_RUNS) {
		snprintf(d->msg, sizeof d->msg,
			 "the sweep makes %.0f runs (%d points x %d "
			 "replicates); allowed: at most %.0f",
			 (double)e->n_points * e->reps, e->n_points, e->reps,
			 SWEEP_MAX_RUNS);
		return CD_ELIMIT;
	}
	return check_points(e, d);
}

void experiment_free(struct experiment *e)
{
	for (int a = 0; a < e->n_axes; a++) {
		free(e->axes[a].values);
		free(e->axes[a].path);
	}
	e->n_axes = 0;
	cd_design_free(&e->design);
	sensitivity_free(&e->sens);
	scenario_destroy(e->base);
	e->base = NULL;
	posterior_free(&e->post);
	e->has_post = 0;
}
