/* output: the files a run writes, and its summary.
 *
 * Each file's columns are one X-macro list below: name, unit, meaning and
 * the expression that computes the value. The same list writes the header,
 * the rows and the README's column tables (`cyberdef columns`), so they
 * cannot drift apart. Files are written under temporary names and renamed
 * only when the run completes; an aborted run leaves no output file.
 */
#ifndef CD_OUTPUT_H
#define CD_OUTPUT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "load/scenario.h"
#include "world/world.h"

/* What a run's summary is computed from: summary_compute gathers these
 * from the world in one pass, then every column is an expression over
 * them (CD_SUMMARY_COLUMNS), so no column can be left without its value. */
/* The plain medians of the summary (enum order = median[] order). */
enum {
	CD_MED_IMPACT,
	CD_MED_DWELL,
	CD_MED_DWELL_STATE,
	CD_MED_DWELL_CRIMINAL,
	CD_MED_DWELL_SELF,
	CD_MED_DWELL_NOTIFIED,
	CD_MEDIAN_GROUPS
};

struct cd_summary_parts {
	double days, organisations, campaigns, compromised;
	double attempts, blocked, failed, records, outage, loss;
	double by_source[CD_SOURCES]; /* detections, from the daily totals */
	double intrusions, by_kind[CD_KIND_COUNT];
	double by_type[CD_ATTACKER_TYPE_COUNT], state_government;
	double detected, dwell_sum, open_end, undetected_end, shared;
	double km[1 + CD_KIND_COUNT + CD_ATTACKER_TYPE_COUNT]; /* Kaplan-Meier
				medians: all, by kind, by attacker type */
	double breaches, breach_kind[CD_KIND_COUNT];
	double breach_type[CD_ATTACKER_TYPE_COUNT];
	double median[CD_MEDIAN_GROUPS]; /* plain medians: days to impact of
				breaches; dwell of the footholds detected in
				the horizon, all, by type, by finder */
	double knowledge, weight, relays, crisis_days, trained_end;
};

/* Summary columns: X(name, unit, meaning, value), the value an expression
 * over t (struct cd_summary_parts); NaN where undefined, written as an
 * empty field; integer-valued columns are written without decimals. All
 * are of the reported horizon (days 0 to days - 1), never the warm-up:
 * counts of what happened in it, levels at its end. */
#define CD_SUMMARY_COLUMNS(X)                                                 \
	X(days, "days", "reported horizon (after the warm-up)", t->days)      \
	X(organisations, "organisations", "organisations simulated",          \
	  t->organisations)                                                   \
	X(campaigns, "campaigns", "attack campaigns started in the horizon",  \
	  t->campaigns)                                                       \
	X(attempts, "attempts", "intrusion attempts", t->attempts)            \
	X(blocked, "attempts", "attempts blocked by known indicators",        \
	  t->blocked)                                                         \
	X(failed, "attempts", "attempts that failed otherwise", t->failed)    \
	X(intrusions, "footholds", "successful intrusions (footholds made)",  \
	  t->intrusions)                                                      \
	X(detections, "footholds",                                            \
	  "footholds detected (with those made in the warm-up)", t->detected) \
	X(detections_internal, "footholds", "detected by own monitoring",     \
	  t->by_source[CD_SRC_INTERNAL])                                      \
	X(detections_shared, "footholds",                                     \
	  "detected hunting with indicators shared at home",                  \
	  t->by_source[CD_SRC_SHARED])                                        \
	X(detections_partner, "footholds",                                    \
	  "detected hunting with indicators relayed from abroad",             \
	  t->by_source[CD_SRC_PARTNER])                                       \
	X(detections_national, "footholds",                                   \
	  "detected by national monitoring of government networks",           \
	  t->by_source[CD_SRC_NATIONAL])                                      \
	X(detections_external, "footholds",                                   \
	  "detected by outside notification or ransom demand",                \
	  t->by_source[CD_SRC_EXTERNAL])                                      \
	X(open_footholds_end, "footholds",                                    \
	  "footholds not contained at the end", t->open_end)                  \
	X(undetected_end, "footholds",                                        \
	  "footholds not yet detected at the end", t->undetected_end)         \
	X(median_dwell_days, "days",                                          \
	  "median days from compromise to detection (Kaplan-Meier over the "  \
	  "footholds undetected at some time in the horizon: those made "     \
	  "before it enter at their age on day 0, those undetected at the "   \
	  "end are censored; empty if under half are ever found)",            \
	  t->km[0])                                                           \
	X(mean_dwell_days, "days",                                            \
	  "mean dwell of the footholds detected in the horizon",              \
	  t->detected > 0 ? t->dwell_sum / t->detected : NAN)                 \
	X(orgs_compromised_frac, "fraction",                                  \
	  "share of organisations holding a foothold at some time in the "    \
	  "horizon",                                                          \
	  t->compromised / t->organisations)                                  \
	X(records_exfiltrated, "records", "records stolen (espionage)",       \
	  t->records)                                                         \
	X(outage_hours, "hours", "outage hours (disruption)", t->outage)      \
	X(loss_yen, "yen", "losses to extortion and fraud", t->loss)          \
	X(intrusions_government, "footholds", "intrusions in government",     \
	  t->by_kind[CD_KIND_GOVERNMENT])                                     \
	X(intrusions_infrastructure, "footholds",                             \
	  "intrusions in critical infrastructure",                            \
	  t->by_kind[CD_KIND_INFRASTRUCTURE])                                 \
	X(intrusions_corporate, "footholds", "intrusions in corporations",    \
	  t->by_kind[CD_KIND_CORPORATION])                                    \
	X(median_dwell_days_government, "days", "median dwell, government",   \
	  t->km[1 + CD_KIND_GOVERNMENT])                                      \
	X(median_dwell_days_infrastructure, "days",                           \
	  "median dwell, critical infrastructure",                            \
	  t->km[1 + CD_KIND_INFRASTRUCTURE])                                  \
	X(median_dwell_days_corporate, "days", "median dwell, corporations",  \
	  t->km[1 + CD_KIND_CORPORATION])                                     \
	X(intrusions_state, "footholds", "intrusions by state attackers",     \
	  t->by_type[CD_ATTACKER_STATE])                                      \
	X(intrusions_criminal, "footholds", "intrusions by criminals",        \
	  t->by_type[CD_ATTACKER_CRIMINAL])                                   \
	X(intrusions_state_government, "footholds",                           \
	  "intrusions by state attackers in government", t->state_government) \
	X(median_dwell_days_state, "days", "median dwell, state attackers",   \
	  t->km[1 + CD_KIND_COUNT + CD_ATTACKER_STATE])                       \
	X(median_dwell_days_criminal, "days", "median dwell, criminals",      \
	  t->km[1 + CD_KIND_COUNT + CD_ATTACKER_CRIMINAL])                    \
	X(median_dwell_detected_days, "days",                                 \
	  "median dwell of the footholds detected in the horizon, as "        \
	  "incident-response reports count it (empty if none)",               \
	  t->median[CD_MED_DWELL])                                            \
	X(median_dwell_detected_days_state, "days",                           \
	  "the same, state attackers", t->median[CD_MED_DWELL_STATE])         \
	X(median_dwell_detected_days_criminal, "days", "the same, criminals", \
	  t->median[CD_MED_DWELL_CRIMINAL])                                   \
	X(median_dwell_detected_days_self, "days",                            \
	  "the same, found by the organisation itself (own monitoring, or "   \
	  "hunting with shared or partner indicators)",                       \
	  t->median[CD_MED_DWELL_SELF])                                       \
	X(median_dwell_detected_days_notified, "days",                        \
	  "the same, found by others (outside notification, national "        \
	  "monitoring) or the attacker's demand",                             \
	  t->median[CD_MED_DWELL_NOTIFIED])                                   \
	X(breaches, "footholds",                                              \
	  "footholds that reached impact (exfiltration, outage, encryption "  \
	  "or fraud started)",                                                \
	  t->breaches)                                                        \
	X(breaches_government, "footholds", "breaches in government",         \
	  t->breach_kind[CD_KIND_GOVERNMENT])                                 \
	X(breaches_infrastructure, "footholds",                               \
	  "breaches in critical infrastructure",                              \
	  t->breach_kind[CD_KIND_INFRASTRUCTURE])                             \
	X(breaches_corporate, "footholds", "breaches in corporations",        \
	  t->breach_kind[CD_KIND_CORPORATION])                                \
	X(breaches_state, "footholds", "breaches by state attackers",         \
	  t->breach_type[CD_ATTACKER_STATE])                                  \
	X(breaches_criminal, "footholds", "breaches by criminals",            \
	  t->breach_type[CD_ATTACKER_CRIMINAL])                               \
	X(median_days_to_impact, "days",                                      \
	  "median days from foothold to impact, over breaches (empty if "     \
	  "none)",                                                            \
	  t->median[CD_MED_IMPACT])                                           \
	X(shares_sent, "reports", "detections reported to sharing bodies",    \
	  t->shared)                                                          \
	X(relays, "relays", "campaign indicators relayed between bodies",     \
	  t->relays)                                                          \
	X(knowledge_coverage, "fraction",                                     \
	  "mean over days and active campaigns of the share of targeted "     \
	  "organisations that know the campaign",                             \
	  t->weight > 0 ? t->knowledge / t->weight / t->days : 0)             \
	X(crisis_days, "days",                                                \
	  "days the National Security Council was engaged", t->crisis_days)   \
	X(trained_ratio_end, "fraction",                                      \
	  "national trained staff / staff needed at the end", t->trained_end)

enum cd_summary_column {
#define CD_SUMMARY_ENUM(name, unit, help, value) CD_SUM_##name,
	CD_SUMMARY_COLUMNS(CD_SUMMARY_ENUM)
#undef CD_SUMMARY_ENUM
		CD_SUMMARY_N
};

struct cd_summary {
	uint64_t seed;
	double v[CD_SUMMARY_N]; /* NaN where undefined (e.g. no detection) */
};

extern const char *const cd_summary_names[CD_SUMMARY_N];

/* Computes the summary of a finished run. Returns 0 or CD_ENOMEM. */
int summary_compute(const sim_world *w, uint64_t seed, struct cd_summary *s);

/* Writes the summary header / one row (after a leading "seed" column). */
void summary_write_header(FILE *f);
void summary_write_row(FILE *f, const struct cd_summary *s);

/* Prints the column tables of every output file as Markdown. */
void output_columns_markdown(FILE *f);

/* What metadata.json records about a run. */
struct posterior;

struct cd_run_info {
	const struct cd_scenario *scenario;
	uint64_t seed;
	const char *command; /* the command line, for the record */
	/* --posterior: the ensemble and the index of the particle drawn
	 * (NULL: none), recorded in metadata.json. */
	const struct posterior *posterior;
	size_t particle;
};

typedef struct cd_output cd_output;

/* Which files a run writes (a mask): metadata.json always, the others as
 * chosen (run --outputs). */
enum {
	CD_OUT_TIMESERIES = 1,
	CD_OUT_SHARING = 2,
	CD_OUT_INCIDENTS = 4,
	CD_OUT_SUMMARY = 8,
	CD_OUT_READINESS = 16,
	CD_OUT_ALL = 31,
	CD_OUT_N = 5 /* the files that can be chosen */
};
/* The name of output bit k (0..4: "timeseries", ...), for --outputs. */
extern const char *const cd_output_names[CD_OUT_N];

/* Creates directory `dir` if needed, locks it for the run's life (outdir.h:
 * a second cyberdef writing there meanwhile is refused with CD_EBUSY) and
 * opens every output file under a temporary name, writing headers.
 * Returns 0, or CD_EBUSY / CD_EIO / CD_ENOMEM with d->msg saying which
 * path failed and why. */
int output_open(cd_output **out, const char *dir, unsigned files,
		struct cd_diag *d);
/* Writes the rows of the day just simulated. Returns 0 or CD_EIO. */
int output_day(cd_output *o, const sim_world *w);
/* Writes incidents, summary, readiness and metadata.json (which lists the other
 * files with their SHA-256), then commits the set (csv.h): the directory
 * then holds the whole new set, or, on error, the whole earlier one. The
 * files of the set not chosen are removed once it is committed, so that
 * no earlier run's file is taken for this one's.
 * Always frees o and releases the lock. Returns 0, or CD_EIO / CD_ENOMEM
 * with d->msg. */
int output_finish(cd_output *o, const sim_world *w, const struct cd_summary *s,
		  const struct cd_run_info *info, struct cd_diag *d);
/* Removes every temporary file and frees o. Accepts NULL. */
void output_abort(cd_output *o);

#endif
