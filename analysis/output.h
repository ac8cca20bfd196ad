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

#include <stdint.h>
#include <stdio.h>

#include "load/scenario.h"
#include "world/world.h"

/* Summary columns: X(name, unit, meaning). Values are computed in
 * summary_compute; integer-valued columns are written without decimals. */
#define CD_SUMMARY_COLUMNS(X)                                                  \
	X(days, "days", "simulated horizon")                                   \
	X(organisations, "organisations", "organisations simulated")           \
	X(campaigns, "campaigns", "attack campaigns started")                  \
	X(attempts, "attempts", "intrusion attempts")                          \
	X(blocked, "attempts", "attempts blocked by known indicators")         \
	X(failed, "attempts", "attempts that failed otherwise")                \
	X(intrusions, "footholds", "successful intrusions (footholds)")        \
	X(detections, "footholds", "footholds detected")                       \
	X(detections_internal, "footholds", "detected by own monitoring")      \
	X(detections_shared, "footholds",                                      \
	  "detected hunting with indicators shared at home")                   \
	X(detections_partner, "footholds",                                     \
	  "detected hunting with indicators relayed from abroad")              \
	X(detections_national, "footholds",                                    \
	  "detected by national monitoring of government networks")            \
	X(detections_external, "footholds",                                    \
	  "detected by outside notification or ransom demand")                 \
	X(open_footholds_end, "footholds",                                     \
	  "footholds not contained at the end")                                \
	X(undetected_end, "footholds", "footholds never detected by the end")  \
	X(median_dwell_days, "days",                                           \
	  "median days from compromise to detection (Kaplan-Meier: footholds " \
	  "undetected at the end are censored; empty if under half are ever "  \
	  "found)")                                                            \
	X(mean_dwell_days, "days", "mean dwell of the footholds detected")     \
	X(orgs_compromised_frac, "fraction",                                   \
	  "share of organisations compromised at least once")                  \
	X(records_exfiltrated, "records", "records stolen (espionage)")        \
	X(outage_hours, "hours", "outage hours (disruption)")                  \
	X(loss_yen, "yen", "losses to extortion and fraud")                    \
	X(intrusions_government, "footholds", "intrusions in government")      \
	X(intrusions_infrastructure, "footholds",                              \
	  "intrusions in critical infrastructure")                             \
	X(intrusions_corporate, "footholds", "intrusions in corporations")     \
	X(median_dwell_days_government, "days", "median dwell, government")    \
	X(median_dwell_days_infrastructure, "days",                            \
	  "median dwell, critical infrastructure")                             \
	X(median_dwell_days_corporate, "days", "median dwell, corporations")   \
	X(intrusions_state, "footholds", "intrusions by state attackers")      \
	X(intrusions_criminal, "footholds", "intrusions by criminals")         \
	X(intrusions_state_government, "footholds",                            \
	  "intrusions by state attackers in government")                       \
	X(median_dwell_days_state, "days", "median dwell, state attackers")    \
	X(median_dwell_days_criminal, "days", "median dwell, criminals")       \
	X(shares_sent, "reports", "detections reported to sharing bodies")     \
	X(relays, "relays", "campaign indicators relayed between bodies")      \
	X(knowledge_coverage, "fraction",                                      \
	  "mean over days and active campaigns of the share of targeted "      \
	  "organisations that know the campaign")                              \
	X(crisis_days, "days",                                                 \
	  "days the National Security Council was engaged")                    \
	X(trained_ratio_end, "fraction",                                       \
	  "national trained staff / staff needed at the end")

enum cd_summary_column {
#define CD_SUMMARY_ENUM(name, unit, help) CD_SUM_##name,
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
struct cd_run_info {
	const struct cd_scenario *scenario;
	uint64_t seed;
	const char *command; /* the command line, for the record */
};

typedef struct cd_output cd_output;

/* Creates directory `dir` if needed, locks it for the run's life (outdir.h:
 * a second cyberdef writing there meanwhile is refused with CD_EBUSY) and
 * opens every output file under a temporary name, writing headers.
 * Returns 0, or CD_EBUSY / CD_EIO / CD_ENOMEM with d->msg saying which
 * path failed and why. */
int output_open(cd_output **out, const char *dir, const sim_world *w,
		struct cd_diag *d);
/* Writes the rows of the day just simulated. Returns 0 or CD_EIO. */
int output_day(cd_output *o, const sim_world *w);
/* Writes incidents, summary and metadata.json (which lists the other
 * files with their SHA-256), then commits the set (csv.h): the directory
 * then holds the whole new set, or, on error, the whole earlier one.
 * Always frees o and releases the lock. Returns 0, or CD_EIO / CD_ENOMEM
 * with d->msg. */
int output_finish(cd_output *o, const sim_world *w, const struct cd_summary *s,
		  const struct cd_run_info *info, struct cd_diag *d);
/* Removes every temporary file and frees o. Accepts NULL. */
void output_abort(cd_output *o);

#endif
