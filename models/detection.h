/* detection: the detection model shared by the phases.
 *
 * Each open foothold has daily detection probabilities h_k by source k
 * (internal monitoring, hunting with indicators shared at home or relayed
 * from abroad, national monitoring, external notification), and is
 * detected on a day with probability h = 1 - prod(1 - h_k), the source
 * drawn in proportion to h_k.
 *
 * The detection day is drawn by thinning: candidate days come at a
 * daily probability B, a bound on h (geometric gaps), and a candidate on
 * a day when the hazard is h is a detection with probability h / B. Each
 * day then detects with probability B h / B = h, whatever h has done
 * since the candidates were drawn, so a change of hazard below the bound
 * (more indicators, a policy that changes nothing) needs no new draw; the
 * draws are keyed by the foothold, its bound's number and the
 * candidate's, so two runs share them. The bound is the hazard with
 * hunting at full completeness (when the organisation knows the campaign)
 * and a margin of 10% for training; only a rise beyond it (the
 * organisation comes to know the campaign, staff are trained, a policy
 * raises a rate) starts a new bound, from the first day whose detections
 * are not yet drawn. An attacker's ransom demand, which follows impact
 * (respond.c), detects a foothold too (a scheduled event of its own).
 */
#ifndef CD_MODELS_DETECTION_H
#define CD_MODELS_DETECTION_H

#include "models/model.h"
#include "state/records.h"

struct hazard {
	double h[CD_SOURCES];
	double total; /* P(detected on a given day) */
};

/* The trained ratio of foothold fid's organisation: its segment's ratio r
 * with the odds r / (1 - r) times the organisation's factor k (Gamma,
 * mean 1): r k / (1 - r + r k). 0 at r = 0 and 1 at r = 1 whatever k. */
double detection_trained(const struct cd_model *m, uint32_t fid);
/* The hazards of foothold fid today. */
void detection_hazards(const struct cd_model *m, uint32_t fid,
		       struct hazard *hz);
/* A new foothold's first bound and candidate (the first falls after
 * today: no foothold is found the day it is made). Returns 0 or
 * CD_ENOMEM. */
int detection_open(struct cd_model *m, const struct cd_rand *r, uint32_t fid);
/* Today's candidate of fid: whether it is a detection (1, with the source
 * in *src) or not (0, the next candidate scheduled). Returns 1, 0, or
 * CD_ENOMEM. */
int detection_candidate(struct cd_model *m, const struct cd_rand *r,
			uint32_t fid, int *src);
/* Starts a new bound for fid if its hazard's bound now exceeds the one
 * its candidates are drawn at; for every open undetected foothold; or for
 * those of campaign c in organisations that the bodies of mask `newly`
 * reach (and `before` did not). Return 0, CD_EINTR or CD_ENOMEM. */
int detection_recheck(struct cd_model *m, const struct cd_rand *r,
		      uint32_t fid);
int detection_recheck_all(struct cd_model *m, const struct cd_rand *r);
/* As detection_recheck_all, after a change of trained ratios and nothing
 * else: the same decisions, without the footholds whose bound provably
 * holds at their segment's new ratio. */
int detection_recheck_trained(struct cd_model *m, const struct cd_rand *r);
int detection_recheck_reached(struct cd_model *m, const struct cd_rand *r,
			      uint32_t c, uint32_t newly, uint32_t before);

#endif
