/* model: what the behaviour phases work on.
 *
 * A day is a fixed sequence of phases (world.c), each a function of the
 * model's state and of the random source it is handed; a phase changes
 * the state only through the stores' functions, and never calls another
 * phase. What several phases share (how a foothold's detection is
 * drawn) is the detection model (detection.h), not a phase.
 *
 * The random source of a run is keyed (core/keyed.h): every decision is a
 * uniform of (the run's seed, the decision's purpose below, the identity
 * of what it decides), so two runs that differ in one policy share every
 * draw the policy does not reach (common random numbers). Identities are
 * built from names (segments, attackers, bodies, links), campaigns' uids
 * (attacker and rank), organisations' identities (segment and place) and
 * footholds' (campaign, organisation and index), never from the order of
 * a file or of earlier draws.
 */
#ifndef CD_MODELS_MODEL_H
#define CD_MODELS_MODEL_H

#include "core/keyed.h"
#include "state/bodies.h"
#include "state/campaigns.h"
#include "state/crisis.h"
#include "state/footholds.h"
#include "state/knowledge.h"
#include "state/orgs.h"
#include "state/tally.h"
#include "state/timeline.h"
#include "state/workforce.h"

/* The purposes of keyed draws, each with what its two counters are. */
enum cd_purpose {
	KEY_ARRIVAL = 1,    /* (attacker, k): gap to its k-th campaign */
	KEY_LIFETIME,	    /* (campaign, 0): its lifetime */
	KEY_SIGHTING,	    /* (campaign, partner): seen abroad? */
	KEY_SIGHTING_DELAY, /* (campaign, partner): after how long */
	KEY_COUNT,	    /* (campaign x segment, 4 day + kind): attempts */
	KEY_TARGET,	    /* (campaign x segment x day, j << 21 | try): the
			       organisation candidate j tries */
	KEY_BLOCK,	    /* (as KEY_TARGET): whether it blocks it */
	KEY_SUCCESS,	    /* (campaign x segment x day, j): j succeeds? */
	KEY_DETECT_GAP,	    /* (foothold, bound << 32 | candidate): days to
			       its next detection candidate */
	KEY_DETECT_ACCEPT,  /* (as KEY_DETECT_GAP): is it a detection? */
	KEY_SOURCE,	    /* (as KEY_DETECT_GAP): by which source */
	KEY_REPORT,	    /* (foothold, 0): reported? */
	KEY_CONTAIN,	    /* (foothold, 0): days to containment */
	KEY_RELAY,	    /* (campaign, link): relayed? */
	KEY_IMPACT,	    /* (foothold, 0): days to its impact */
	KEY_RANSOM,	    /* (foothold, 0): days from impact to the demand */
	KEY_RETIRE,	    /* (campaign, day): retired (retooled) today? */
	KEY_CHANNEL	    /* (organisation, 0): its place among those with
			       a reporting channel */
};

/* The random source of a run: its seed (all 64 bits key every draw). */
struct cd_rand {
	uint64_t seed;
};

/* The uniform in (0, 1) of decision (purpose, a, b). Cannot fail. */
static inline double rand_u01(const struct cd_rand *r, enum cd_purpose p,
			      uint64_t a, uint64_t b)
{
	return cd_keyed_u01(cd_key_of(r->seed, (uint64_t)p), a, b);
}

struct cd_model {
	struct cd_params *p; /* in force: the timeline changes them */
	unsigned char *set;  /* fields set explicitly (scenario.h) */
	int day;	     /* the day being simulated, from 0 at the start of
				the warm-up (the reported day is day - warmup) */
	int detected;	     /* the last day whose detections are drawn */
	int warmup;	     /* days before the reported horizon */
	int horizon;	     /* days simulated in all: warmup + p->days */
	/* Identities of names, for keys (names never change in a run). */
	uint64_t segment_id[CD_MAX_SEGMENTS], attacker_id[CD_MAX_ATTACKERS];
	uint64_t body_id[CD_MAX_BODIES], link_id[CD_MAX_LINKS];
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

/* A delay of 0, 1, 2, ... days with mean `mean` (geometric, P(0) =
 * 1 / (1 + mean)), by inversion of u: UINT64_MAX for never (mean
 * infinite or the hazard too small to matter). Cannot fail. */
static inline uint64_t model_delay(double mean, double u)
{
	uint64_t k = cd_geometric_inv(1 / (1 + mean), u);
	return k == UINT64_MAX ? k : k - 1;
}

/* The capability in force of body b: for a partner, its `capability` c
 * raised by Japan's capacity building when it is a recipient,
 *
 *   c + wos.capacity_building (1 - c)   (capacity_recipient)
 *   c                                   (otherwise),
 *
 * and 1 for a home body. It is the one place capacity building acts: a
 * partner sees a campaign abroad with probability sees_abroad x this x
 * wos.partner_inflow (campaign.c), and every link from it relays with its
 * probability x this (share.c). Cannot fail. */
static inline double model_capability(const struct cd_params *p, int b)
{
	const struct cd_body *body = &p->bodies[b];
	if (body->kind != CD_BODY_PARTNER)
		return 1;
	double c = body->capability;
	if (body->capacity_recipient)
		c += p->wos.capacity_building * (1 - c);
	return c;
}

/* Fills the identities of m->p's names (segment_id, ...). Cannot fail. */
void model_name_ids(struct cd_model *m);

/* The context knowledge is counted in. */
static inline struct cd_know_ctx model_know(const struct cd_model *m)
{
	return (struct cd_know_ctx){m->p, m->orgs, m->camps};
}

#endif
