/* world: one run of the model.
 *
 * A world owns the run's state (organisations, campaigns, footholds,
 * sharing knowledge, the event calendar and the run's key) and
 * advances it one day at a time. Outputs read it through the accessors
 * below after each step; the world itself writes nothing.
 */
#ifndef CD_WORLD_H
#define CD_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "params/names.h"
#include "params/params.h"
#include "state/records.h"

typedef struct sim_world sim_world;

/* Creates a world for parameters p, the mask `set` of fields set
 * explicitly (see scenario.h; may be NULL) and timeline t (may be NULL),
 * all copied; every draw is keyed by run_seed (core/keyed.h). Returns 0 and
 * *out, CD_ENOMEM, or CD_ELIMIT if the scenario exceeds a built-in limit. */
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
/* Days are reported from the start of the horizon: the last simulated
 * day, negative during the warm-up (params.h, warmup_days). The world's
 * records (footholds, knowledge) keep days counted from the start of the
 * warm-up, never negative (-1: never); subtract sim_world_warmup to
 * report one. */
int sim_world_day(const sim_world *w);
int sim_world_warmup(const sim_world *w);
/* Campaigns started in the warm-up: the first this many of
 * sim_world_n_campaigns. */
size_t sim_world_campaigns_before(const sim_world *w);
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
int64_t sim_world_organisations(const sim_world *w);
uint64_t sim_world_events(const sim_world *w); /* events processed:
							 candidate attempts,
							 detections,
							 containments,
							 sharing */
/* Per-run totals of daily counters over the reported horizon. */
const struct cd_daily *sim_world_totals(const sim_world *w, int segment);
const struct cd_body_daily *sim_world_body_totals(const sim_world *w, int body);
int sim_world_crisis_days(const sim_world *w); /* in the horizon */

#endif
