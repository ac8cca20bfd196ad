/* readiness: the CRI 2.0 elements scored from a run (readiness.h).
 *
 * The scoring table. An element is scored from its components, each a
 * quantity of the horizon mapped to [0, 1]; its score is their mean. A
 * time x (days) with a published global benchmark b scores b / (b + x):
 * 1/2 at the benchmark, 1/3 at twice it, 2/3 at half of it. A fraction
 * (benchmark 0) scores itself. The levels cut the score in thirds: below
 * 1/3 "insufficient evidence", from 1/3 "partially operational", from 2/3
 * "fully operational". So a time within a factor of two of the global
 * benchmark is partially operational, which is where the CRI 2.0 put the
 * United States in most elements (Potomac Institute 2016, "United States
 * Cyber Readiness at a Glance"), the country whose incidents dominate
 * the M-Trends and IBM samples; the factor of two is an assumption. A
 * fraction is partially operational from a third and fully from two
 * thirds (an assumption: equal thirds). Fixed before any scenario's
 * result was seen; not fitted to Gady's (2017) report of Japan's levels.
 */
#include "analysis/readiness.h"

#include <math.h>
#include <stddef.h>

const char *const cd_cri_names[CD_CRI_N] = {
#define CD_CRI_NAME(name, title) #name,
	CD_CRI_ELEMENTS(CD_CRI_NAME)
#undef CD_CRI_NAME
};

/* Days: M-Trends 2017, global median dwell of the intrusions
 * investigated in 2016; IBM/Ponemon Cost of a Data Breach 2018, global
 * mean days to contain a breach after identifying it. */
#define MTRENDS_DWELL_DAYS 99.0
#define IBM_CONTAIN_DAYS 69.0

static const struct component {
	int element;	  /* enum cd_cri_element */
	int quantity;	  /* enum cd_readiness_quantity */
	double benchmark; /* days (a time), or 0 (a fraction) */
} components[] = {
	{CD_CRI_incident_response, CD_RQ_DWELL, MTRENDS_DWELL_DAYS},
	{CD_CRI_incident_response, CD_RQ_CONTAIN, IBM_CONTAIN_DAYS},
	{CD_CRI_information_sharing, CD_RQ_REPORTED, 0},
	{CD_CRI_information_sharing, CD_RQ_COVERAGE, 0},
	{CD_CRI_defense_and_crisis_response, CD_RQ_STOPPED_GOV_CI, 0},
	{CD_CRI_defense_and_crisis_response, CD_RQ_CONTAIN_GOV_CI,
	 IBM_CONTAIN_DAYS},
};
#define N_COMPONENTS (sizeof components / sizeof components[0])

/* The levels, lowest first, each from its lower bound of the score. */
static const struct level {
	const char *name;
	double from;
} levels[] = {
	{"insufficient evidence", 0.0},
	{"partially operational", 1.0 / 3.0},
	{"fully operational", 2.0 / 3.0},
};
#define N_LEVELS (sizeof levels / sizeof levels[0])

static const char not_modelled[] = "not modelled";

/* Mean days from detection to containment of the breaches (footholds
 * that reached impact) contained in the horizon, all (into q[all]) and
 * in government and critical infrastructure (q[gov_ci]); NaN if none. */
static void contain_means(const sim_world *w, double q[CD_RQ_N])
{
	const struct cd_params *p = sim_world_params(w);
	const struct cd_foothold *fh;
	size_t n = sim_world_footholds(w, &fh);
	int warm = sim_world_warmup(w);
	double sum[2] = {0, 0}, count[2] = {0, 0}; /* all, gov + CI */
	for (size_t i = 0; i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		if (f->day_impact < 0 || f->day_contained < warm ||
		    f->day_detected < 0)
			continue;
		double days = f->day_contained - f->day_detected;
		int kind = p->segments[f->segment].kind;
		sum[0] += days;
		count[0]++;
		if (kind == CD_KIND_GOVERNMENT ||
		    kind == CD_KIND_INFRASTRUCTURE) {
			sum[1] += days;
			count[1]++;
		}
	}
	q[CD_RQ_CONTAIN] = count[0] > 0 ? sum[0] / count[0] : NAN;
	q[CD_RQ_CONTAIN_GOV_CI] = count[1] > 0 ? sum[1] / count[1] : NAN;
}

void readiness_gather(const sim_world *w, const struct cd_summary *s,
		      double q[CD_RQ_N])
{
	const double *v = s->v;
	double detected = v[CD_SUM_detections];
	double made = v[CD_SUM_intrusions_government] +
		      v[CD_SUM_intrusions_infrastructure];
	double breached = v[CD_SUM_breaches_government] +
			  v[CD_SUM_breaches_infrastructure];
	q[CD_RQ_DWELL] = v[CD_SUM_median_dwell_detected_days];
	q[CD_RQ_REPORTED] =
		detected > 0 ? v[CD_SUM_shares_sent] / detected : NAN;
	q[CD_RQ_COVERAGE] = v[CD_SUM_knowledge_coverage];
	q[CD_RQ_STOPPED_GOV_CI] = made > 0 ? 1 - breached / made : NAN;
	contain_means(w, q);
}

double readiness_component(double x, double b)
{
	if (isnan(x))
		return NAN;
	if (b > 0)
		return b / (b + (x > 0 ? x : 0));
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

void readiness_scores(const double q[CD_RQ_N], double score[CD_CRI_N])
{
	double sum[CD_CRI_N] = {0};
	int count[CD_CRI_N] = {0};
	for (size_t k = 0; k < N_COMPONENTS; k++) {
		const struct component *c = &components[k];
		sum[c->element] +=
			readiness_component(q[c->quantity], c->benchmark);
		count[c->element]++;
	}
	for (int e = 0; e < CD_CRI_N; e++)
		score[e] = count[e] ? sum[e] / count[e] : NAN; /* NaN stays */
}

int readiness_modelled(int e)
{
	for (size_t k = 0; k < N_COMPONENTS; k++)
		if (components[k].element == e)
			return 1;
	return 0;
}

const char *readiness_level(int e, double score)
{
	if (!readiness_modelled(e))
		return not_modelled;
	const char *name = levels[0].name; /* also when undefined */
	for (size_t k = 1; k < N_LEVELS; k++)
		if (score >= levels[k].from)
			name = levels[k].name;
	return name;
}
