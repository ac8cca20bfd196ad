/* metrics: the one table of columns of each output file.
 *
 * Each file's columns are one X-macro list: name, value kind, unit,
 * meaning, the expression that computes the value, and (for the daily
 * rows) how one national value per day is made from the segments' rows.
 * The output writers (output.c), the sweep's national daily totals
 * (sweep.c, aggregate.c), the charts (plot), `cyberdef columns` and so
 * the README's tables all read these lists, so a column cannot exist
 * without its value, its unit or its meaning, and no list is typed twice.
 *
 * Value kinds: I an integer count, R a real number, S a string, O an
 * optional integer (negative: missing, written as an empty field), D a
 * day of the world's records (counted from the start of the warm-up, -1:
 * never), written from the start of the reported horizon (negative
 * before it) or empty if never.
 * Aggregation of a daily column over segments: LABEL (not a value), SUM,
 * KEEP (a sum that sweeps also keep per point and day, in
 * timeseries_points.csv), KEEP_LEVEL (as KEEP, but a level at the end of
 * the day rather than a count over it), MEAN (over segments), MAX. A SUM
 * or KEEP column counts what happened during the day, so its national
 * daily value has its unit per day (cd_column_daily_unit); the others are
 * levels, in their unit.
 */
#ifndef CD_ANALYSIS_METRICS_H
#define CD_ANALYSIS_METRICS_H

#include "world/world.h"

/* timeseries.csv: one row per day and segment. In scope: w (the world),
 * p (its parameters), s (the segment), d (its struct cd_daily). */
#define CD_TIMESERIES_COLUMNS(X)                                               \
	X(day, I, "day", "day of the run, from 0", sim_world_day(w), LABEL)    \
	X(segment, S, "", "segment name", p->segments[s].name, LABEL)          \
	X(kind, S, "", "government, infrastructure or corporation",            \
	  cd_kind_names[p->segments[s].kind], LABEL)                           \
	X(attempts, I, "attempts", "intrusion attempts", d->attempts, KEEP)    \
	X(blocked, I, "attempts", "blocked by known indicators", d->blocked,   \
	  KEEP)                                                                \
	X(failed, I, "attempts", "failed otherwise", d->failed, SUM)           \
	X(intrusions, I, "footholds", "new footholds", d->intrusions, KEEP)    \
	X(breaches, I, "footholds",                                            \
	  "footholds reaching impact (exfiltration, outage, encryption or "    \
	  "fraud starts)",                                                     \
	  d->breaches, KEEP)                                                   \
	X(detections, I, "footholds", "footholds detected",                    \
	  cd_daily_detections(d), KEEP)                                        \
	X(detections_internal, I, "footholds", "by own monitoring",            \
	  d->detections[CD_SRC_INTERNAL], SUM)                                 \
	X(detections_shared, I, "footholds",                                   \
	  "hunting, indicators shared at home", d->detections[CD_SRC_SHARED],  \
	  SUM)                                                                 \
	X(detections_partner, I, "footholds",                                  \
	  "hunting, indicators from abroad", d->detections[CD_SRC_PARTNER],    \
	  SUM)                                                                 \
	X(detections_national, I, "footholds", "national monitoring (GSOC)",   \
	  d->detections[CD_SRC_NATIONAL], SUM)                                 \
	X(detections_external, I, "footholds",                                 \
	  "outside notice or ransom demand", d->detections[CD_SRC_EXTERNAL],   \
	  SUM)                                                                 \
	X(contained, I, "footholds", "footholds contained", d->contained, SUM) \
	X(open_footholds, I, "footholds", "not yet contained, end of day",     \
	  d->open_footholds, KEEP_LEVEL)                                       \
	X(records_exfiltrated, R, "records", "stolen that day", d->records,    \
	  KEEP)                                                                \
	X(outage_hours, R, "hours", "outage that day", d->outage_hours, KEEP)  \
	X(loss_yen, R, "yen", "extortion and fraud losses that day",           \
	  d->loss_yen, KEEP)                                                   \
	X(knowledge_coverage, R, "fraction",                                   \
	  "mean share of the segment knowing each active campaign that "       \
	  "targets it",                                                        \
	  d->knowledge, MEAN)                                                  \
	X(trained_ratio, R, "fraction", "segment's trained staff / needed",    \
	  d->trained_ratio, MEAN)                                              \
	X(crisis, I, "0/1",                                                    \
	  "1 while the National Security Council is engaged",                  \
	  sim_world_crisis(w), MAX)

/* sharing.csv: one row per day and sharing body. In scope: w, p, b (the
 * body), d (its struct cd_body_daily). */
#define CD_SHARING_COLUMNS(X)                                                \
	X(day, I, "day", "day of the run, from 0", sim_world_day(w), LABEL)  \
	X(body, S, "", "sharing body name", p->bodies[b].name, LABEL)        \
	X(kind, S, "", "government, sector, national or partner",            \
	  cd_body_kind_names[p->bodies[b].kind], LABEL)                      \
	X(reports, I, "reports",                                             \
	  "detections reported by member organisations", d->reports, SUM)    \
	X(learned, I, "campaigns", "campaigns the body learned", d->learned, \
	  SUM)                                                               \
	X(relayed, I, "relays", "relays sent over links", d->relayed, SUM)   \
	X(received, I, "relays", "relays received over links", d->received,  \
	  SUM)                                                               \
	X(distributed, I, "campaigns", "campaigns distributed to members",   \
	  d->distributed, SUM)

/* incidents.csv: one row per foothold made in the reported horizon or
 * still open when it began. In scope: w, p, i (its number), f (the struct
 * cd_foothold), a (its attacker's parameters), warm (the warm-up's
 * days). */
#define CD_INCIDENT_COLUMNS(X)                                               \
	X(foothold, I, "", "foothold id", i, LABEL)                          \
	X(campaign, I, "", "campaign id", f->campaign, LABEL)                \
	X(attacker, S, "", "attacker group", a->name, LABEL)                 \
	X(attacker_type, S, "", "state or criminal",                         \
	  cd_attacker_type_names[a->type], LABEL)                            \
	X(objective, S, "", "espionage, disruption or extortion",            \
	  cd_objective_names[a->objective], LABEL)                           \
	X(segment, S, "", "target segment", p->segments[f->segment].name,    \
	  LABEL)                                                             \
	X(kind, S, "", "target kind",                                        \
	  cd_kind_names[p->segments[f->segment].kind], LABEL)                \
	X(organisation, I, "", "organisation index", f->org, LABEL)          \
	X(day_compromised, D, "day",                                         \
	  "day the foothold was made (negative: in the warm-up, open when "  \
	  "the horizon began)",                                              \
	  f->day_compromised, LABEL)                                         \
	X(day_impact, D, "day",                                              \
	  "day it reached impact (a breach); empty if never", f->day_impact, \
	  LABEL)                                                             \
	X(day_detected, D, "day", "day detected; empty if never",            \
	  f->day_detected, LABEL)                                            \
	X(detection_source, S, "",                                           \
	  "internal, shared, partner, national or external; empty if never", \
	  f->day_detected >= 0 ? cd_source_names[f->source] : "", LABEL)     \
	X(dwell_days, O, "days",                                             \
	  "day_detected - day_compromised; empty if never",                  \
	  f->day_detected >= 0 ? f->day_detected - f->day_compromised : -1,  \
	  LABEL)                                                             \
	X(day_contained, D, "day", "day contained; empty if still open",     \
	  f->day_contained, LABEL)                                           \
	X(days_open, I, "days",                                              \
	  "days open: compromise to containment (or end), inclusive",        \
	  (f->day_contained >= 0 ? f->day_contained                          \
				 : sim_world_day(w) + warm) -                \
		  f->day_compromised + 1,                                    \
	  LABEL)                                                             \
	X(damage, R, "records/hours/yen",                                    \
	  "damage in the objective's unit, over its life (with any before "  \
	  "day 0)",                                                          \
	  sim_world_damage(w, (uint32_t)i), LABEL)                           \
	X(shared, I, "0/1", "1 if the organisation reported it", f->shared,  \
	  LABEL)

/* readiness.csv: one row per essential element of the Cyber Readiness
 * Index 2.0, in its order (readiness.h). In scope: e (the element) and
 * score (the elements' scores, NaN where not modelled or undefined). */
#define CD_READINESS_COLUMNS(X)                                           \
	X(element, S, "",                                                 \
	  "CRI 2.0 essential element: national_strategy, "                \
	  "incident_response, e_crime_and_law_enforcement, "              \
	  "information_sharing, investment_in_rd, diplomacy_and_trade, "  \
	  "defense_and_crisis_response",                                  \
	  cd_cri_names[e], LABEL)                                         \
	X(score, R, "0 to 1",                                             \
	  "mean of the element's component scores (see below); empty if " \
	  "not modelled or undefined",                                    \
	  score[e], LABEL)                                                \
	X(level, S, "",                                                   \
	  "not modelled, insufficient evidence (score below 1/3, or "     \
	  "undefined), partially operational (from 1/3) or fully "        \
	  "operational (from 2/3)",                                       \
	  readiness_level(e, score[e]), LABEL)

/* The sweep's national daily totals: the KEEP columns of timeseries.csv,
 * in order (timeseries_points.csv). */
enum cd_kept {
#define CD_KEPT_IF_LABEL(name)
#define CD_KEPT_IF_SUM(name)
#define CD_KEPT_IF_MEAN(name)
#define CD_KEPT_IF_MAX(name)
#define CD_KEPT_IF_KEEP(name) CD_KEPT_##name,
#define CD_KEPT_IF_KEEP_LEVEL(name) CD_KEPT_##name,
#define CD_KEPT_ENUM(name, kind, unit, help, expr, agg) CD_KEPT_IF_##agg(name)
	CD_TIMESERIES_COLUMNS(CD_KEPT_ENUM)
#undef CD_KEPT_ENUM
		CD_KEPT_N
};

/* Adds segment row d's kept values to row[CD_KEPT_N] (w, p, s in scope
 * as for CD_TIMESERIES_COLUMNS). */
#define CD_KEPT_ADD_LABEL(name, expr)
#define CD_KEPT_ADD_SUM(name, expr)
#define CD_KEPT_ADD_MEAN(name, expr)
#define CD_KEPT_ADD_MAX(name, expr)
#define CD_KEPT_ADD_KEEP(name, expr) row[CD_KEPT_##name] += (double)(expr);
#define CD_KEPT_ADD_KEEP_LEVEL(name, expr) CD_KEPT_ADD_KEEP(name, expr)
#define CD_KEPT_ADD(name, kind, unit, help, expr, agg) \
	CD_KEPT_ADD_##agg(name, expr)

/* How a daily column is made national. */
enum cd_agg {
	CD_AGG_LABEL,
	CD_AGG_SUM,
	CD_AGG_KEEP,
	CD_AGG_KEEP_LEVEL,
	CD_AGG_MEAN,
	CD_AGG_MAX
};

/* A column, for code that looks columns up by name at run time. */
struct cd_column {
	const char *name, *unit, *help;
	int agg; /* enum cd_agg */
};

/* The columns of timeseries.csv, of summary.csv (after its seed), and of
 * the kept national totals, each ending with a NULL name. */
extern const struct cd_column cd_timeseries_columns[];
extern const struct cd_column cd_summary_columns[];
extern const struct cd_column cd_kept_columns[];

/* The column named `name` of a NULL-ended table, or NULL. */
const struct cd_column *cd_column_find(const struct cd_column *t,
				       const char *name);

/* The unit of one national daily value of daily column c (of
 * cd_timeseries_columns or cd_kept_columns) into buf (size bytes): a count
 * over the day (SUM, KEEP) per day, "attempts" giving "attempts/day"; a
 * level (KEEP_LEVEL, MEAN, MAX) in its unit, e.g. "fraction"; "" for a
 * unitless column. Returns buf. Cannot fail (a unit too long is cut). */
const char *cd_column_daily_unit(const struct cd_column *c, char *buf,
				 size_t size);

/* Total detections of a segment's day, all sources. Cannot fail. */
uint64_t cd_daily_detections(const struct cd_daily *d);

#endif
