/* observe: the observation model (observe.h).
 *
 * Selection. Source s sees a foothold of an organisation of class c with
 * weight w[s][c] (large corporations 1): the expected share of such
 * footholds in its sample, relative to a large corporation's. Weighting
 * rather than drawing a sample keeps the statistics free of a second
 * source of noise, and a weight of 0 drops a class.
 *
 * Which footholds, for year y of the horizon (records' days [lo, hi)):
 *   M-Trends  the footholds detected in [lo, hi), whenever made (its
 *             median dwell is over the intrusions investigated in a year);
 *   DBIR      the data breaches reaching impact in [lo, hi): a "breach"
 *             is a confirmed data disclosure, so espionage (exfiltration)
 *             and extortion without a ransom demand (fraud: credentials
 *             and data taken), not outages and not ransomware, which the
 *             DBIR counts as incidents;
 *   IBM       the same data breaches, contained in [lo, hi) (the study
 *             interviews organisations after containment).
 * Formulas: the weighted median (the mean of the lower and upper weighted
 * medians: the plain median when the weights are equal), the weighted
 * share, the weighted mean. */
#include "analysis/observe.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/run.h"

const char *const observe_statistic_names[OBSERVE_STATISTICS + 1] = {
#define CD_OBS_NAME(name, source, unit, help) #name,
	CD_OBSERVE_STATISTICS(CD_OBS_NAME)
#undef CD_OBS_NAME
		NULL};
const char *const observe_statistic_units[OBSERVE_STATISTICS] = {
#define CD_OBS_UNIT(name, source, unit, help) unit,
	CD_OBSERVE_STATISTICS(CD_OBS_UNIT)
#undef CD_OBS_UNIT
};
const char *const observe_statistic_help[OBSERVE_STATISTICS] = {
#define CD_OBS_HELP(name, source, unit, help) help,
	CD_OBSERVE_STATISTICS(CD_OBS_HELP)
#undef CD_OBS_HELP
};
const int observe_statistic_source[OBSERVE_STATISTICS] = {
#define CD_OBS_SOURCE(name, source, unit, help) OBSERVE_##source,
	CD_OBSERVE_STATISTICS(CD_OBS_SOURCE)
#undef CD_OBS_SOURCE
};
const char *const observe_source_names[OBSERVE_SOURCES] = {
#define CD_OBS_SRC_NAME(name, report) #name,
	CD_OBSERVE_SOURCES(CD_OBS_SRC_NAME)
#undef CD_OBS_SRC_NAME
};

/* The weights' defaults are assumptions (README "The observation
 * model"): Mandiant and IBM/Ponemon see few SMEs (0.01 of a large firm's
 * footholds each), the DBIR more (0.1: its partners include national
 * CERTs and police, who see small victims); government and
 * infrastructure as large firms. Range [0, 100]. */
#define W(src, cls, def)                                     \
	{                                                    \
		"observe." #src ".weight_" #cls, def, 0, 100 \
	}
const struct targets_obs_param observe_params[OBSERVE_N_PARAMS] = {
	W(mtrends, sme, 0.01),
	W(mtrends, government, 1),
	W(mtrends, infrastructure, 1),
	W(dbir, sme, 0.1),
	W(dbir, government, 1),
	W(dbir, infrastructure, 1),
	W(ibm, sme, 0.01),
	W(ibm, government, 1),
	W(ibm, infrastructure, 1),
};
#undef W

const struct targets_vocab observe_vocab = {observe_statistic_names,
					    observe_params, OBSERVE_N_PARAMS};

void observe_weights_of(struct observe_weights *wt, const double *obs)
{
	for (int s = 0; s < OBSERVE_SOURCES; s++) {
		const double *o = obs + s * (OBSERVE_CLASSES - 1);
		wt->w[s][OBSERVE_LARGE] = 1;
		wt->w[s][OBSERVE_SME] = o[0];
		wt->w[s][OBSERVE_GOVERNMENT] = o[1];
		wt->w[s][OBSERVE_INFRA] = o[2];
	}
}

int observe_class_of(const struct cd_params *p, int s)
{
	const struct cd_segment *g = &p->segments[s];
	if (g->kind == CD_KIND_GOVERNMENT)
		return OBSERVE_GOVERNMENT;
	if (g->kind == CD_KIND_INFRASTRUCTURE)
		return OBSERVE_INFRA;
	return strcmp(g->size, "sme") ? OBSERVE_LARGE : OBSERVE_SME;
}

int observe_view_of(struct observe_view *v, const sim_world *w)
{
	memset(v, 0, sizeof *v);
	v->p = sim_world_params(w);
	v->n = sim_world_footholds(w, &v->fh);
	v->n_campaigns = sim_world_n_campaigns(w);
	v->own = malloc((v->n_campaigns ? v->n_campaigns : 1) * sizeof *v->own);
	if (!v->own)
		return CD_ENOMEM;
	for (size_t c = 0; c < v->n_campaigns; c++)
		v->own[c] = sim_world_campaign_attacker(w, (uint32_t)c);
	v->attacker = v->own;
	v->warm = sim_world_warmup(w);
	v->days = v->p->days;
	return 0;
}

void observe_view_free(struct observe_view *v)
{
	free(v->own);
	v->own = NULL;
}

/* A data breach: impact reached, and a disclosure of data (espionage, or
 * extortion without a ransom demand). */
static int data_breach(const struct cd_attacker *a, const struct cd_foothold *f)
{
	return f->day_impact >= 0 &&
	       (a->objective == CD_OBJ_ESPIONAGE ||
		(a->objective == CD_OBJ_EXTORTION && !a->demands_ransom));
}

static int in(int32_t day, int lo, int hi)
{
	return day >= lo && day < hi;
}

/* Does statistic `stat` select foothold f of an organisation of class
 * cls (in records' days [lo, hi))? If so *x is its quantity (days, or
 * 0/1 for a share). */
static int select_one(int stat, const struct cd_attacker *a,
		      const struct cd_foothold *f, int cls, int lo, int hi,
		      double *x)
{
	switch (stat) {
	case OBSERVE_STAT_mtrends_median_dwell_days:
		*x = f->day_detected - f->day_compromised;
		return f->day_detected >= 0 && in(f->day_detected, lo, hi);
	case OBSERVE_STAT_mtrends_internal_share:
		*x = f->source == CD_SRC_INTERNAL ||
		     f->source == CD_SRC_SHARED || f->source == CD_SRC_PARTNER;
		return f->day_detected >= 0 && in(f->day_detected, lo, hi);
	case OBSERVE_STAT_dbir_state_share:
		*x = a->type == CD_ATTACKER_STATE;
		return data_breach(a, f) && in(f->day_impact, lo, hi);
	case OBSERVE_STAT_dbir_sme_share:
		*x = cls == OBSERVE_SME;
		return data_breach(a, f) && in(f->day_impact, lo, hi);
	case OBSERVE_STAT_ibm_mean_identify_days:
		*x = f->day_detected - f->day_compromised;
		break;
	default: /* OBSERVE_STAT_ibm_mean_contain_days */
		*x = f->day_contained - f->day_detected;
	}
	return data_breach(a, f) && f->day_detected >= 0 &&
	       f->day_contained >= 0 && in(f->day_contained, lo, hi);
}

struct weighted {
	double x, w;
};

static int by_x(const void *a, const void *b)
{
	double x = ((const struct weighted *)a)->x;
	double y = ((const struct weighted *)b)->x;
	return (x > y) - (x < y);
}

/* The weighted median of the n pairs (sorted here): the mean of the
 * smallest x whose cumulative weight reaches half the total and the
 * smallest whose cumulative weight passes it. */
static double weighted_median(struct weighted *v, size_t n, double total)
{
	qsort(v, n, sizeof *v, by_x);
	double cum = 0, lower = NAN;
	for (size_t i = 0; i < n; i++) {
		cum += v[i].w;
		if (isnan(lower) && cum >= total / 2)
			lower = v[i].x;
		if (cum > total / 2)
			return (lower + v[i].x) / 2;
	}
	return lower; /* rounding left the last sum at the half */
}

double observe_statistic(int stat, const struct observe_view *v,
			 const struct observe_weights *wt, int year)
{
	int lo = v->warm + 365 * year, hi = lo + 365;
	if (hi > v->warm + v->days)
		hi = v->warm + v->days;
	const double *w = wt->w[observe_statistic_source[stat]];
	int median = stat == OBSERVE_STAT_mtrends_median_dwell_days;
	struct weighted *pairs = NULL;
	size_t n = 0;
	if (median && !(pairs = malloc((v->n ? v->n : 1) * sizeof *pairs)))
		return NAN; /* cannot happen short of memory: undefined */
	double sum = 0, total = 0, ws[CD_MAX_SEGMENTS] = {0};
	int cls[CD_MAX_SEGMENTS] = {0};
	for (int s = 0; s < v->p->n_segments; s++)
		ws[s] = w[cls[s] = observe_class_of(v->p, s)];
	for (size_t i = 0; i < v->n; i++) {
		const struct cd_foothold *f = &v->fh[i];
		const struct cd_attacker *a =
			&v->p->attackers[v->attacker[f->campaign]];
		double x, wi = ws[f->segment];
		if (!(wi > 0) ||
		    !select_one(stat, a, f, cls[f->segment], lo, hi, &x))
			continue;
		sum += wi * x;
		total += wi;
		if (median)
			pairs[n++] = (struct weighted){x, wi};
	}
	double r = !(total > 0) ? NAN
		   : median	? weighted_median(pairs, n, total)
				: sum / total;
	free(pairs);
	return r;
}

/* The replicates of one observe_runs, taken by threads from a counter. */
struct pool {
	const struct cd_scenario *sc;
	const struct observe_request *q;
	uint64_t master, first;
	int reps, next, rc;
	double *values;
	uint64_t *seeds;
	struct cd_diag d;
	pthread_mutex_t lock;
};

/* Replicate i: its run and its statistics into row i. */
static int one_run(struct pool *P, int i, struct cd_diag *d)
{
	const struct observe_request *q = P->q;
	uint64_t seed = cd_study_seed(P->master, 0, 0, P->first + (uint64_t)i);
	struct cd_summary s;
	sim_world *w = NULL;
	int rc = cd_run(P->sc, seed, NULL, &s, &w, d);
	if (rc)
		return rc;
	struct observe_view v;
	rc = observe_view_of(&v, w);
	if (rc)
		snprintf(d->msg, sizeof d->msg, "out of memory");
	for (int k = 0; !rc && k < q->n; k++)
		P->values[(size_t)i * (size_t)q->n + (size_t)k] =
			observe_statistic(q->stat[k], &v, q->wt, q->year[k]);
	if (P->seeds)
		P->seeds[i] = seed;
	observe_view_free(&v);
	sim_world_destroy(w);
	return rc;
}

static void *worker(void *arg)
{
	struct pool *P = arg;
	for (;;) {
		pthread_mutex_lock(&P->lock);
		int i = P->rc ? P->reps : P->next++;
		pthread_mutex_unlock(&P->lock);
		if (i >= P->reps)
			return NULL;
		struct cd_diag d = {{0}};
		int rc = one_run(P, i, &d);
		if (rc) {
			pthread_mutex_lock(&P->lock);
			if (!P->rc) {
				P->rc = rc;
				P->d = d;
			}
			pthread_mutex_unlock(&P->lock);
		}
	}
}

int observe_runs(const struct cd_scenario *sc, const struct observe_request *q,
		 uint64_t master, uint64_t first, int reps, int jobs,
		 double *values, uint64_t *seeds, struct cd_diag *d)
{
	struct pool P = {.sc = sc,
			 .q = q,
			 .master = master,
			 .first = first,
			 .reps = reps,
			 .values = values,
			 .seeds = seeds};
	pthread_t th[64] = {0};
	int n = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs, started = 0;
	if (n > reps)
		n = reps > 0 ? reps : 1;
	pthread_mutex_init(&P.lock, NULL);
	for (int t = 1; t < n; t++)
		if (!pthread_create(&th[t], NULL, worker, &P))
			started = t;
		else
			break;
	worker(&P); /* this thread too */
	for (int t = 1; t <= started; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&P.lock);
	if (P.rc)
		*d = P.d;
	return P.rc;
}
