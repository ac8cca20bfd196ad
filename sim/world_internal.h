/* world_internal: the state of a run, shared by the engine (sim/) and the
 * behaviour modules (models/). Not for outputs, which use world.h.
 *
 * Organisations are indices 0..n_orgs-1, segment by segment. Their
 * attributes are never stored: defense_org() recomputes them from a
 * counter-based generator. Per organisation the world stores only two
 * body masks (4 bytes each); everything else is sparse and follows events.
 */
#ifndef CD_WORLD_INTERNAL_H
#define CD_WORLD_INTERNAL_H

#include <gsl/gsl_rng.h>

#include "calendar.h"
#include "hashmap.h"
#include "params.h"
#include "rng.h"
#include "status.h"
#include "world.h"

#define CD_MAX_SEGMENT_BODIES 12 /* bodies one segment may belong to */

struct seg_state {
	uint32_t start; /* first organisation */
	uint32_t count;
	int n_rel; /* bodies with members in the segment */
	int rel[CD_MAX_SEGMENT_BODIES];
	uint32_t *mask_count; /* [2^n_rel]: orgs per reached mask */
	double hyg_a, hyg_b;  /* Beta of hygiene (after uplift) */
	double mon_a, mon_b;  /* Beta of monitoring */
	double trained_ratio; /* current */
};

struct campaign {
	int attacker;
	int day_start, day_end, day_expire;
	uint32_t body_known;	/* bodies that learned it */
	uint32_t body_reached;	/* bodies whose members know it */
	uint32_t partner_known; /* bodies that learned it via a partner */
	uint32_t *knowers;	/* organisations that detected it */
	uint32_t n_knowers, cap_knowers;
	uint32_t *footholds; /* its footholds, open or not */
	uint32_t n_footholds, cap_footholds;
	uint32_t *known; /* [n_segments]: orgs that know it */
	double coverage; /* share of its target weight that knows */
	int32_t body_day[CD_MAX_BODIES]; /* day each body learned it, or -1 */
	double completeness; /* 1 - (1 - indicator_yield)^max(1, reports) */
	uint32_t reports;    /* reports received at home, and relays in from
				partners: each reveals more indicators */
};

/* Bits of a hashmap value for key (campaign << 32 | org). */
#define KNOWS_BIT 0x80000000u	  /* detected the campaign itself */
#define FOOTHOLD_MASK 0x7fffffffu /* open foothold id + 1, or 0 */

struct sim_world {
	struct cd_params p;
	unsigned char set[sizeof(struct cd_params)];
	struct cd_timeline timeline;
	int next_event; /* next timeline event */
	int day;	/* day being simulated / last simulated */
	uint64_t seed, org_key;
	gsl_rng *rng[RNG_STREAMS];
	gsl_rng *org_rng; /* reseeded per organisation */

	uint32_t n_orgs;
	struct seg_state seg[CD_MAX_SEGMENTS];
	uint32_t *member; /* bodies an org reports to */
	uint32_t *reach;  /* bodies whose distributions reach it */
	uint64_t body_key[CD_MAX_BODIES]; /* keys of the membership draws */
	double target_total[CD_MAX_ATTACKERS]; /* sum of weight * count */

	struct campaign *camps;
	uint32_t n_camps, cap_camps;
	uint32_t *active; /* ids of active campaigns */
	double *mu;	  /* scratch: candidates' mean per active campaign */
	uint32_t cap_mu;
	uint32_t n_active, cap_active;

	struct cd_foothold *fh;
	struct fh_attr {
		double monitoring, factor; /* of the foothold's org */
		double cum0; /* cum[segment][attacker] when it opened */
	} * fh_attr;
	uint32_t n_fh, cap_fh;
	uint32_t *open;	    /* ids of footholds not yet contained */
	uint32_t *open_pos; /* [n_fh]: index in open */
	uint32_t n_open, cap_open;

	/* Open footholds by segment and attacker, and the damage one open
	 * foothold has accrued over the run for each (damage follows counts,
	 * not a daily pass over footholds). */
	uint32_t n_open_by[CD_MAX_SEGMENTS][CD_MAX_ATTACKERS];
	double cum[CD_MAX_SEGMENTS][CD_MAX_ATTACKERS];

	struct hashmap state;	    /* (campaign, org) -> KNOWS_BIT | fh+1 */
	struct hashmap compromised; /* orgs ever compromised */

	struct calendar detect, contain, share;

	/* Sharing: relays sent out to each partner, campaigns known at home. */
	uint64_t sent_to[CD_MAX_BODIES];
	uint64_t known_at_home;

	/* Crisis. */
	int crisis_until; /* engaged while day < crisis_until */
	int crisis_days;
	uint64_t impact[366]; /* ring: gov + infra detections/day */
	uint64_t impact_sum;

	/* Workforce pool. */
	double wf_employed, wf_trained;

	struct cd_daily daily[CD_MAX_SEGMENTS], totals[CD_MAX_SEGMENTS];
	struct cd_body_daily bdaily[CD_MAX_BODIES], btotals[CD_MAX_BODIES];
	uint64_t events;
};

/* Every 4096 iterations of a long loop (counter i), returns CD_EINTR if a
 * stop was requested (status.h). */
#define CD_POLL_STOP(i)                                 \
	do {                                            \
		if (((i)&4095) == 4095 && cd_stopped()) \
			return CD_EINTR;                \
	} while (0)

/* ---- models/defense.c ---- */
double defense_hygiene(struct sim_world *w, uint32_t org, int seg);
double defense_monitoring(struct sim_world *w, uint32_t org, int seg);
double defense_factor(struct sim_world *w, uint32_t org, int seg);
double defense_trained(const struct sim_world *w, uint32_t fid);
void defense_completeness_update(struct sim_world *w, uint32_t c);
int defense_segment_of(const struct sim_world *w, uint32_t org);
int defense_knows(const struct sim_world *w, uint32_t c, uint32_t org);
double defense_completeness(const struct sim_world *w, uint32_t c);
int defense_rehazard_campaign(struct sim_world *w, uint32_t c);
void defense_refresh(struct sim_world *w); /* after parameters change */
int defense_schedule(struct sim_world *w, uint32_t fid);
int defense_rehazard_all(struct sim_world *w);
int defense_detect(struct sim_world *w);
void defense_damage(struct sim_world *w);
int defense_contain(struct sim_world *w);
int defense_learn(struct sim_world *w, uint32_t c, uint32_t org, int seg);

/* ---- models/attack.c ---- */
void attack_refresh(struct sim_world *w); /* after parameters change */
int attack_campaigns(struct sim_world *w);
int attack_attempts(struct sim_world *w);
void attack_coverage(struct sim_world *w, uint32_t c);

/* ---- models/sharing.c ---- */
int sharing_memberships(struct sim_world *w);
int sharing_report(struct sim_world *w, uint32_t c, uint32_t org,
		   double trained);
int sharing_abroad(struct sim_world *w, uint32_t c);
int sharing_propagate(struct sim_world *w);
void sharing_recount(struct sim_world *w, uint32_t c);

/* ---- models/policy.c ---- */
int policy_timeline(struct sim_world *w);
void policy_crisis(struct sim_world *w);
int policy_workforce(struct sim_world *w);
void policy_workforce_allocate(struct sim_world *w);
double policy_latency(const struct sim_world *w, double days);

#endif
