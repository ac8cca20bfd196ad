/* world: one run of the model.
 *
 * A world owns the run's state (organisations, campaigns, footholds,
 * sharing knowledge, the event calendar and the random streams) and
 * advances it one day at a time. Outputs read it through the accessors
 * below after each step; the world itself writes nothing.
 */
#ifndef CD_WORLD_H
#define CD_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "params.h"

typedef struct sim_world sim_world;

/* Detection sources, in output order. */
enum cd_source {
	CD_SRC_INTERNAL, /* the organisation's own monitoring */
	CD_SRC_SHARED,	 /* hunting with indicators shared at home */
	CD_SRC_PARTNER,	 /* hunting with indicators relayed from abroad */
	CD_SRC_NATIONAL, /* national monitoring of government networks */
	CD_SRC_EXTERNAL, /* notified from outside, or a ransom demand */
	CD_SOURCES
};
extern const char *const cd_source_names[CD_SOURCES];
extern const char *const cd_kind_names[CD_KIND_COUNT];
extern const char *const cd_attacker_type_names[CD_ATTACKER_TYPE_COUNT];
extern const char *const cd_objective_names[CD_OBJECTIVE_COUNT];

/* What happened in one segment on the last simulated day. */
struct cd_daily {
	uint64_t attempts, blocked, failed, intrusions;
	uint64_t detections[CD_SOURCES];
	uint64_t contained;
	uint64_t open_footholds;		/* at the end of the day */
	double records, outage_hours, loss_yen; /* damage that day */
	double knowledge;     /* mean over active campaigns that
				 target the segment of the share of
				 its organisations that know them */
	double trained_ratio; /* segment's trained ratio */
};

/* What happened at one sharing body on the last simulated day. */
struct cd_body_daily {
	uint64_t reports;     /* reports received from member organisations */
	uint64_t learned;     /* campaigns the body learned */
	uint64_t relayed;     /* relays it sent over links */
	uint64_t received;    /* relays it received over links */
	uint64_t distributed; /* campaigns distributed to members */
};

/* A foothold: one organisation compromised by one campaign. */
struct cd_foothold {
	uint32_t org, campaign;
	uint16_t segment;
	uint8_t source; /* enum cd_source, valid once detected */
	uint8_t shared; /* 1 if the organisation reported it */
	int32_t day_compromised;
	int32_t day_detected;  /* -1 while undetected */
	int32_t day_contained; /* -1 while open */
	uint32_t version;      /* bumps when its detection is redrawn */
	double damage;	       /* records, outage hours or yen, once contained;
				  sim_world_damage gives it for any foothold */
};

/* Creates a world for parameters p, the mask `set` of fields set
 * explicitly (see scenario.h; may be NULL) and timeline t (may be NULL),
 * all copied, with streams derived from run_seed. Returns 0 and *out,
 * CD_ENOMEM, or CD_ELIMIT if the scenario exceeds a built-in limit. */
int sim_world_create(sim_world **out, const struct cd_params *p,
		     const unsigned char *set, const struct cd_timeline *t,
		     uint64_t run_seed);
/* Estimated peak bytes of a run of p (organisation masks, calendars,
 * per-segment tables, and a margin for footholds), computed without
 * allocating: for refusing scenarios the machine cannot hold. */
size_t sim_world_memory_estimate(const struct cd_params *p);
/* The expected work of one day under p, in the units of CD_MAX_DAY_WORK
 * (about the cost of one candidate intrusion): for each attacker, its
 * expected simultaneous campaigns (start rate a day, after deterrence,
 * times the mean lifetime, capped at the horizon: retirement only
 * shortens them) times the work of one of them a day: the segments the
 * attempt loop visits, its candidate intrusions, and, as an upper bound,
 * for each candidate that may be reported (the largest share rate of its
 * targets that belong to a body) the walk over the campaign's footholds
 * that the report makes (at most all it made in its life, and none when
 * indicator_yield is 1). *worst (may be NULL) is the
 * attacker with the largest share. Computed without allocating; cannot
 * fail. */
double sim_world_day_work(const struct cd_params *p, int *worst);
/* Organisations of p (sum of segment counts). */
int64_t sim_world_organisations_of(const struct cd_params *p);

/* Frees the world. Accepts NULL. */
void sim_world_destroy(sim_world *w);

/* Simulates the next day. Returns 0; CD_EINTR when a stop was requested
 * (cd_stop_signal, status.h: polled inside the day's long loops, so a day
 * of any size stops within a second); or CD_ENOMEM. After an error the
 * world is unusable and must be destroyed. */
int sim_world_step(sim_world *w);

/* ---- read access for outputs ---- */
int sim_world_day(const sim_world *w); /* last simulated day */
const struct cd_params *sim_world_params(const sim_world *w);
const struct cd_daily *sim_world_daily(const sim_world *w, int segment);
const struct cd_body_daily *sim_world_body_daily(const sim_world *w, int body);
int sim_world_crisis(const sim_world *w); /* 1 if the NSC is engaged */
double sim_world_trained_ratio(const sim_world *w); /* national */
size_t sim_world_footholds(const sim_world *w, const struct cd_foothold **f);
/* Damage of foothold fid so far (final once it is contained). */
double sim_world_damage(const sim_world *w, uint32_t fid);
size_t sim_world_n_campaigns(const sim_world *w);
int sim_world_campaign_attacker(const sim_world *w, uint32_t campaign);
/* The day sharing body `body` learned the campaign, or -1. */
int sim_world_campaign_body_day(const sim_world *w, uint32_t campaign,
				int body);
uint64_t sim_world_orgs_compromised(const sim_world *w);
int64_t sim_world_organisations(const sim_world *w);
uint64_t sim_world_events(const sim_world *w); /* events processed:
							 candidate attempts,
							 detections,
							 containments,
							 sharing */
/* Per-run totals of daily counters, all segments. */
const struct cd_daily *sim_world_totals(const sim_world *w, int segment);
const struct cd_body_daily *sim_world_body_totals(const sim_world *w, int body);
int sim_world_crisis_days(const sim_world *w);

#endif
