/* readiness: a run scored on the essential elements of the Potomac
 * Institute's Cyber Readiness Index 2.0 (readiness.csv).
 *
 * The CRI 2.0 (Hathaway et al. 2015; Gady 2017 cites it for Japan)
 * assesses a country on seven essential elements, each at one of three
 * levels: insufficient evidence, partially operational, fully
 * operational. This module scores the elements that a mechanism of the
 * model drives, from quantities of the run's reported horizon (the
 * summary's own columns, and the containment times of incidents.csv),
 * each mapped to [0, 1]; the others are "not modelled". The benchmarks
 * and the level thresholds are one table, in readiness.c; the README
 * ("readiness.csv") gives each formula and why.
 */
#ifndef CD_ANALYSIS_READINESS_H
#define CD_ANALYSIS_READINESS_H

#include "analysis/output.h"
#include "world/world.h"

/* The essential elements, in the CRI 2.0's order: X(name, CRI title). */
#define CD_CRI_ELEMENTS(X)                                            \
	X(national_strategy, "national strategy")                     \
	X(incident_response, "incident response")                     \
	X(e_crime_and_law_enforcement, "e-crime and law enforcement") \
	X(information_sharing, "information sharing")                 \
	X(investment_in_rd, "investment in R&D")                      \
	X(diplomacy_and_trade, "diplomacy and trade")                 \
	X(defense_and_crisis_response, "defense and crisis response")

enum cd_cri_element {
#define CD_CRI_ENUM(name, title) CD_CRI_##name,
	CD_CRI_ELEMENTS(CD_CRI_ENUM)
#undef CD_CRI_ENUM
		CD_CRI_N
};

/* The element's name as readiness.csv writes it (e.g. "incident_response"). */
extern const char *const cd_cri_names[CD_CRI_N];

/* The quantities the scored elements are computed from; NaN where
 * undefined. All of the reported horizon. */
enum cd_readiness_quantity {
	CD_RQ_DWELL,	      /* days: median dwell of the footholds detected
				 (summary median_dwell_detected_days) */
	CD_RQ_CONTAIN,	      /* days: mean day_contained - day_detected of
				 the breaches contained */
	CD_RQ_REPORTED,	      /* fraction: shares_sent / detections */
	CD_RQ_COVERAGE,	      /* fraction: knowledge_coverage */
	CD_RQ_STOPPED_GOV_CI, /* fraction: 1 - breaches / intrusions, in
				 government and critical infrastructure */
	CD_RQ_CONTAIN_GOV_CI, /* days: as CD_RQ_CONTAIN, government and
				 critical infrastructure */
	CD_RQ_N
};

/* The quantities of a finished run w with summary s into q[CD_RQ_N].
 * Cannot fail. */
void readiness_gather(const sim_world *w, const struct cd_summary *s,
		      double q[CD_RQ_N]);

/* One quantity's score in [0, 1]: a time x (days) with benchmark b > 0
 * scores b / (b + x) (1/2 at the benchmark; x < 0 counts as 0); a
 * fraction (b = 0) scores itself, clamped to [0, 1]. NaN (undefined)
 * gives NaN. Cannot fail. */
double readiness_component(double x, double b);

/* The elements' scores from q into score[CD_CRI_N]: the mean of the
 * element's component scores; NaN if the element is not modelled or any
 * of its quantities is undefined. Cannot fail. */
void readiness_scores(const double q[CD_RQ_N], double score[CD_CRI_N]);

/* Whether a mechanism of the model drives element e. */
int readiness_modelled(int e);

/* The level of element e at score `score`: "not modelled"; "insufficient
 * evidence" when undefined (NaN: no evidence to judge by) or below the
 * first threshold; "partially operational"; "fully operational". A
 * static string. Cannot fail. */
const char *readiness_level(int e, double score);

#endif
