/* detection: the detection model shared by the phases.
 *
 * Each open foothold has daily detection probabilities h_k by source k
 * (internal monitoring, hunting with indicators shared at home or relayed
 * from abroad, national monitoring, external notification); its first
 * detection day is geometric with p = 1 - prod(1 - h_k), and the source is
 * drawn in proportion to h_k. When a foothold's hazards change (its
 * organisation learns the campaign, staff are trained, a policy changes),
 * the draw is made again from that day, which is exact for a geometric
 * law. An extortion campaign's ransom demand detects the foothold by
 * reveal_days at the latest.
 */
#ifndef CD_MODELS_DETECTION_H
#define CD_MODELS_DETECTION_H

#include <gsl/gsl_rng.h>

#include "models/model.h"
#include "state/records.h"

struct hazard {
	double h[CD_SOURCES];
	double total; /* P(detected on a given day) */
};

/* The trained ratio of foothold fid's organisation: min(1, segment
 * ratio x the organisation's factor). */
double detection_trained(const struct cd_model *m, uint32_t fid);
/* The hazards of foothold fid today. */
void detection_hazards(const struct cd_model *m, uint32_t fid,
		       struct hazard *hz);
/* (Re)draws fid's detection day from today, with r. Returns 0 or
 * CD_ENOMEM. */
int detection_schedule(struct cd_model *m, uint32_t fid, gsl_rng *r);
/* Redraws the undetected footholds of campaign c whose organisation knows
 * c; or of every open foothold. Returns 0, CD_EINTR or CD_ENOMEM. */
int detection_reschedule_campaign(struct cd_model *m, uint32_t c, gsl_rng *r);
int detection_reschedule_all(struct cd_model *m, gsl_rng *r);
/* One more report of c's indicators: blocking and hunting improve for
 * everyone who knows it, so its footholds are redrawn (unless one report
 * reveals all). Returns as detection_reschedule_campaign. */
int detection_more_indicators(struct cd_model *m, uint32_t c, gsl_rng *r);

#endif
