/* params: the validated parameters of one scenario.
 *
 * Plain data (transparent structs, copied freely: a sweep copies one per
 * run). Each field below says what it means and its unit; the scenario
 * loader (load/scenario.c) is the only code that fills them from
 * libconfig, and the schema (params/schema.c) is the one table of their
 * names, allowed ranges and defaults: ranges are not repeated here, so
 * that they cannot drift (`schema_describe_allowed` writes one out).
 * Fixed-size arrays keep a scenario one allocation-free value; the limits
 * below are checked with a clear message when a scenario exceeds them.
 */
#ifndef CD_PARAMS_H
#define CD_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define CD_NAME_MAX 32		   /* names of segments, attackers, bodies */
#define CD_TEXT_MAX 256		   /* descriptions */
#define CD_VALUE_MAX 512	   /* text of one value, before it is checked */
#define CD_MAX_SEGMENTS 64	   /* segments per scenario */
#define CD_MAX_ATTACKERS 32	   /* attacker groups per scenario */
#define CD_MAX_BODIES 32	   /* sharing bodies: one bit each in a mask */
#define CD_MAX_LINKS 128	   /* links between bodies */
#define CD_MAX_TIMELINE 64	   /* policy events */
#define CD_MAX_TIMELINE_ASSIGN 256 /* settings changed by all events */
#define CD_MAX_DAYS 36500	   /* 100 years */
#define CD_MAX_WARMUP 3650	   /* 10 years */
#define CD_MAX_SEGMENT_BODIES 12   /* bodies one segment may belong to */
#define CD_MAX_AXES 16 /* settings a sweep varies (axes, design columns) */
#define CD_MAX_CANDIDATES \
	1e7 /* attempts_per_day x success_prob, per attacker */
/* The work a scenario may ask for, in expected units of about the cost of
 * one candidate intrusion (each is simulated): see sim_world_day_work. */
#define CD_MAX_DAY_WORK 1e7  /* in one day: about 10 s at most */
#define CD_MAX_RUN_WORK 1e10 /* in a whole run: an hour or two at most */

enum cd_kind {
	CD_KIND_GOVERNMENT,
	CD_KIND_INFRASTRUCTURE,
	CD_KIND_CORPORATION
};
#define CD_KIND_COUNT 3

enum cd_attacker_type { CD_ATTACKER_STATE, CD_ATTACKER_CRIMINAL };
#define CD_ATTACKER_TYPE_COUNT 2

enum cd_objective { CD_OBJ_ESPIONAGE, CD_OBJ_DISRUPTION, CD_OBJ_EXTORTION };
#define CD_OBJECTIVE_COUNT 3

enum cd_body_kind {
	CD_BODY_GOVERNMENT,
	CD_BODY_SECTOR,
	CD_BODY_NATIONAL,
	CD_BODY_PARTNER
};
#define CD_BODY_KIND_COUNT 4

/* Who staffs a segment's security: the national workforce, the military
 * cyber unit alone (military networks), or the unit on top of the
 * national workforce (a what-if: the unit defending civilian networks). */
enum cd_defender { CD_DEFENDER_NATIONAL, CD_DEFENDER_UNIT, CD_DEFENDER_BOTH };
#define CD_DEFENDER_COUNT 3

/* Which stage's maturity governs a link's relay probability and latency
 * when they are not set explicitly (see stages.h). */
enum cd_stage { CD_STAGE_NONE, CD_STAGE_WOG, CD_STAGE_WON, CD_STAGE_WOS };
#define CD_STAGE_COUNT 4

/* A segment: organisations of one kind, sector and size. Per-organisation
 * attributes are drawn from the distributions below (Beta with the given
 * mean and concentration a+b; the trained ratio is the segment ratio times
 * a Gamma(shape, 1/shape) factor, clamped to [0,1]). */
struct cd_segment {
	char name[CD_NAME_MAX];
	int kind;		   /* enum cd_kind */
	char sector[CD_NAME_MAX];  /* label, e.g. "finance" */
	char size[CD_NAME_MAX];	   /* label, e.g. "large", "sme" */
	int64_t count;		   /* organisations */
	double hygiene_mean;	   /* P(baseline measures in place); derived
				      from hygiene_proper when that is in
				      force (params/hygiene.h) */
	double hygiene_conc;	   /* Beta concentration a+b */
	double hygiene_proper;	   /* share of organisations with hygiene >=
				      won.proper_hygiene, before guideline
				      uplift (fraction) */
	double monitoring_mean;	   /* internal detection capability */
	double monitoring_conc;	   /* Beta concentration a+b */
	double trained_ratio;	   /* trained staff / staff needed */
	double trained_shape;	   /* Gamma shape of per-org factor */
	double staff_per_org;	   /* security staff needed per org */
	double workforce_priority; /* weight in allocation of trained staff */
	double share_rate;	   /* P(report indicators | detection), for an
				      organisation with a reporting channel */
	double framework;	   /* P(an organisation has a reporting
				      channel) at the reference trained ratio,
				      before the cap at 1 (sharing judgement) */
	double damage_scale;	   /* damage multiplier vs. attacker's rate */
	int defender;		   /* enum cd_defender */
	int national_monitoring;   /* 1: a government segment is under
				      wog.national_monitoring (GSOC); 0:
				      outside it; no effect on other kinds */
};

/* An attacker group. Campaigns start as a Poisson process; each campaign
 * makes attempts_per_day attempts spread over segments in proportion to
 * targets[s] * count[s]. */
struct cd_attacker {
	char name[CD_NAME_MAX];
	int type;		   /* enum cd_attacker_type */
	int objective;		   /* enum cd_objective */
	double campaigns_per_year; /* new campaigns per year */
	double campaign_days;	   /* mean campaign lifetime, days */
	double attempts_per_day;   /* per campaign, all targets */
	double success_prob;	   /* P(foothold | attempt, hygiene 0) */
	double sophistication;	   /* share of attempts hygiene cannot stop */
	double stealth;		   /* cut in internal/national detection */
	double damage_per_day;	   /* per foothold and day from its impact
				      to its containment: records
				      (espionage), outage hours (disruption)
				      or yen (extortion) */
	double impact_days_mean;   /* mean days from foothold to impact
				      (geometric on 0, 1, 2, ...) */
	int demands_ransom;	   /* a ransom demand follows impact */
	double ransom_days_mean;   /* mean days from impact to the demand
				      (geometric on 0, 1, 2, ...) */
	double retire_blocked;	   /* blocked share at which half of the
				      campaigns retire (retool) each day */
	double retire_spread;	   /* width of the rise around it (0: all
				      retire at it, none below) */
	double targets[CD_MAX_SEGMENTS]; /* weight per organisation */
};

/* Detection and response, per open foothold and day. */
struct cd_detection {
	double internal_rate;	      /* daily P(detect) at monitoring 1, fully
					 trained staff, stealth 0 */
	double hunt_rate;	      /* daily P(detect) once the org knows the
					 campaign, fully trained staff */
	double untrained_skill;	      /* skill of untrained staff relative to
					 trained (detection, hunting) */
	double external_rate;	      /* daily P(notified from outside) */
	double block_efficacy;	      /* P(attempt blocked | target knows) */
	double indicator_yield;	      /* share of a campaign's indicators one
					 report reveals; 1: all at once */
	double containment_days;      /* mean days detection -> contained with
					 fully trained staff */
	double untrained_containment; /* containment time multiplier with no
					 trained staff */
};

/* A sharing body: members are segments with a coverage fraction; the body
 * distributes what it learns to members after latency_days; reach is the
 * fraction of members that act on what the body distributes. */
struct cd_body {
	char name[CD_NAME_MAX];
	int kind;	       /* enum cd_body_kind */
	int stage;	       /* enum cd_stage governing latency_days */
	double latency_days;   /* days from body learning to members knowing */
	double reach;	       /* P(member acts on distribution) */
	double coverage_scale; /* multiplier on coverage */
	double coverage[CD_MAX_SEGMENTS]; /* P(org of segment is a member) */
	double sees_abroad;	/* partner: P(sees a campaign abroad) at full
				   capability */
	double abroad_days;	/* partner: mean days to see it */
	double capability;	/* partner: share of its full capability it has
				   (scales its sightings and its links' relay) */
	int capacity_recipient; /* partner: wos.capacity_building reaches it */
};

/* A directed link: when `from` learns a campaign it relays it to `to`
 * with probability relay, latency_days later. */
struct cd_link {
	char name[CD_NAME_MAX];
	int from, to;	     /* body indices */
	int stage;	     /* enum cd_stage governing defaults */
	int lateral;	     /* stage wog: between peers (ministries), relay
				defaults to wog.lateral_relay */
	double relay;	     /* P(relay) */
	double latency_days; /* days */
};

/* The stages (stages.h). Each setting a stage's maturity governs, X, has
 * the two coefficients of its mapping beside it: X_base and X_slope, in
 * X's unit. */

/* Whole of government: coordination inside government. */
struct cd_wog {
	double maturity; /* m of the stage mappings */
	double relay;	 /* P(relay) on government links */
	double relay_base, relay_slope;
	double lateral_relay; /* P(relay) on lateral government links, between
				 ministries directly (tatewari: rare) */
	double lateral_relay_base, lateral_relay_slope;
	double latency_days; /* latency on government links, days */
	double latency_days_base, latency_days_slope;
	double national_monitoring; /* daily P(GSOC detects a foothold in a
				       government network) */
	double national_monitoring_base, national_monitoring_slope;
	double gov_share_rate; /* P(ministry reports a detection) */
	double gov_share_rate_base, gov_share_rate_slope;
};

/* Whole of nation: public-private partnership. */
struct cd_won {
	double maturity;   /* m of the stage mappings */
	double share_rate; /* P(report | detection) of a firm with a
			      sharing framework */
	double share_rate_base, share_rate_slope;
	double framework; /* share of firms with an adequate information-
			     sharing framework (a reporting channel), at the
			     reference trained ratio */
	double framework_base, framework_slope;
	double isac_coverage; /* coverage of sector bodies */
	double isac_coverage_base, isac_coverage_slope;
	double relay; /* P(relay) on public-private links */
	double relay_base, relay_slope;
	double latency_days; /* latency on public-private links, days */
	double latency_days_base, latency_days_slope;
	double hygiene_uplift; /* guideline adoption: fraction of the gap
				  to full hygiene closed */
	double hygiene_uplift_base, hygiene_uplift_slope;
	double proper_hygiene;	    /* hygiene at or above which an
				       organisation implements its measures
				       properly (probability) */
	double reference_trained;   /* trained ratio at which the framework
				       shares were observed */
	double untrained_judgement; /* sharing judgement of untrained staff
				       relative to trained */
};

/* Whole of system: the international system. */
struct cd_wos {
	double maturity;       /* m of the stage mappings */
	double partner_inflow; /* multiplier on partners seeing campaigns
				  abroad */
	double partner_inflow_base, partner_inflow_slope;
	double relay; /* P(relay) on international links */
	double relay_base, relay_slope;
	double latency_days; /* latency on international links, days */
	double latency_days_base, latency_days_slope;
	double reciprocity; /* weight of Japan's outbound sharing in
			       inbound relay */
	double reciprocity_base, reciprocity_slope;
	double deterrence; /* cut in state campaign rate */
	double deterrence_base, deterrence_slope;
	double capacity_building; /* Japan's capacity building: share of a
				     recipient partner's capability gap
				     (1 - capability) it closes */
};

/* National cybersecurity workforce (Gady 2017). Flows are monthly. */
struct cd_workforce {
	int enabled;		    /* 0: segments keep trained_ratio */
	double needed;		    /* staff needed nationally */
	double employed;	    /* staff employed */
	double trained;		    /* of which trained */
	double training_per_month;  /* untrained -> trained */
	double entrants_per_month;  /* new (untrained) staff */
	double attrition_per_month; /* fraction leaving */
};

/* The military cyber unit (Gady 2017: the JSDF's Cyber Defense Unit).
 * Its staff, all trained, fill the staff gap of the segments it defends
 * (defender "unit" or "both"), by water-filling as the national pool. */
struct cd_cdu {
	double staff; /* people */
};

/* Crisis escalation: the National Security Council engages when footholds
 * detected in government and critical infrastructure over window_days
 * reach threshold. */
struct cd_crisis {
	int enabled;
	int window_days;	   /* whole days */
	double threshold;	   /* detections in window */
	int duration_days;	   /* whole days engaged */
	double latency_factor;	   /* multiplier on latencies */
	double containment_factor; /* multiplier on containment time */
};

/* Typed value of one setting, as assigned by --set, `overrides` or the
 * timeline. */
enum cd_value_type { CD_VAL_INT, CD_VAL_I64, CD_VAL_REAL, CD_VAL_STR };
struct cd_value {
	int type;	      /* enum cd_value_type */
	int64_t i;	      /* CD_VAL_INT, CD_VAL_I64 */
	double r;	      /* CD_VAL_REAL */
	char s[CD_VALUE_MAX]; /* CD_VAL_STR: any text --set can hold */
};

/* One validated assignment: write `value` (of the type the field is
 * stored as) at byte `offset` of struct cd_params. */
struct cd_assign {
	char path[256]; /* e.g. "won.share_rate" */
	size_t offset;
	size_t size; /* CD_VAL_STR: capacity of the field */
	struct cd_value value;
};

/* A policy event: at the start of `day`, apply the assignments. */
struct cd_event {
	int day;	  /* [0, days) */
	int first, count; /* range in cd_timeline.assign */
};

struct cd_timeline {
	int n_events, n_assign;
	struct cd_event events[CD_MAX_TIMELINE];
	struct cd_assign assign[CD_MAX_TIMELINE_ASSIGN];
};

struct cd_params {
	char description[CD_TEXT_MAX];
	int days;	 /* reported horizon, days */
	int warmup_days; /* simulated before it, from an empty start */
	int n_segments, n_attackers, n_bodies, n_links;
	struct cd_segment segments[CD_MAX_SEGMENTS];
	struct cd_attacker attackers[CD_MAX_ATTACKERS];
	struct cd_body bodies[CD_MAX_BODIES];
	struct cd_link links[CD_MAX_LINKS];
	struct cd_detection detection;
	struct cd_wog wog;
	struct cd_won won;
	struct cd_wos wos;
	struct cd_workforce workforce;
	struct cd_cdu cdu;
	struct cd_crisis crisis;
	/* The collections are kept in the order of their names, whatever
	 * the file's order (load/canon.c), so that no result depends on it;
	 * these say where the k-th segment and body of the file went, for
	 * outputs that keep the file's order. */
	int segment_order[CD_MAX_SEGMENTS];
	int body_order[CD_MAX_BODIES];
};

#endif
