/* model: what the behaviour phases work on.
 *
 * A day is a fixed sequence of phases (world.c), each a function of the
 * model's state and of the random stream it is handed; a phase changes
 * the state only through the stores' functions, and never calls another
 * phase. What several phases share (how a foothold's detection is
 * scheduled) is the detection model (detection.h), not a phase.
 */
#ifndef CD_MODELS_MODEL_H
#define CD_MODELS_MODEL_H

#include "state/bodies.h"
#include "state/campaigns.h"
#include "state/crisis.h"
#include "state/footholds.h"
#include "state/knowledge.h"
#include "state/orgs.h"
#include "state/tally.h"
#include "state/timeline.h"
#include "state/workforce.h"

struct cd_model {
	struct cd_params *p; /* in force: the timeline changes them */
	unsigned char *set;  /* fields set explicitly (scenario.h) */
	int day;	     /* the day being simulated */
	cd_orgs *orgs;
	cd_campaigns *camps;
	cd_knowledge *know;
	cd_footholds *fh;
	cd_bodies *bodies;
	cd_council crisis;
	cd_staff wf;
	cd_timeline_run tl;
	struct cd_tally tally;
};

/* The context knowledge is counted in. */
static inline struct cd_know_ctx model_know(const struct cd_model *m)
{
	return (struct cd_know_ctx){m->p, m->orgs, m->camps};
}

#endif
