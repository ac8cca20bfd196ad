#include "analysis/output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/json.h"
#include "analysis/outdir.h"
#include "analysis/stats.h"
#include "core/status.h"
#include "core/version.h"

/* Value writers by column kind: I integer count, R real, S string. */
#define W_I(f, v) csv_int(f, (long long)(v))
#define W_R(f, v) csv_real(f, (double)(v))
#define W_S(f, v) csv_str(f, (v))

/* timeseries.csv: one row per day and segment. In scope: w, p, s (segment
 * index), d (struct cd_daily of the segment). */
#define TIMESERIES_COLUMNS(X)                                                 \
	X(day, I, "day", "day of the run, from 0", sim_world_day(w))          \
	X(segment, S, "", "segment name", p->segments[s].name)                \
	X(kind, S, "", "government, infrastructure or corporation",           \
	  cd_kind_names[p->segments[s].kind])                                 \
	X(attempts, I, "attempts", "intrusion attempts", d->attempts)         \
	X(blocked, I, "attempts", "blocked by known indicators", d->blocked)  \
	X(failed, I, "attempts", "failed otherwise", d->failed)               \
	X(intrusions, I, "footholds", "new footholds", d->intrusions)         \
	X(detections, I, "footholds", "footholds detected",                   \
	  total_detections(d))                                                \
	X(detections_internal, I, "footholds", "by own monitoring",           \
	  d->detections[CD_SRC_INTERNAL])                                     \
	X(detections_shared, I, "footholds",                                  \
	  "hunting, indicators shared at home", d->detections[CD_SRC_SHARED]) \
	X(detections_partner, I, "footholds",                                 \
	  "hunting, indicators from abroad", d->detections[CD_SRC_PARTNER])   \
	X(detections_national, I, "footholds", "national monitoring (GSOC)",  \
	  d->detections[CD_SRC_NATIONAL])                                     \
	X(detections_external, I, "footholds",                                \
	  "outside notice or ransom demand", d->detections[CD_SRC_EXTERNAL])  \
	X(contained, I, "footholds", "footholds contained", d->contained)     \
	X(open_footholds, I, "footholds", "not yet contained, end of day",    \
	  d->open_footholds)                                                  \
	X(records_exfiltrated, R, "records", "stolen that day", d->records)   \
	X(outage_hours, R, "hours", "outage that day", d->outage_hours)       \
	X(loss_yen, R, "yen", "extortion and fraud losses that day",          \
	  d->loss_yen)                                                        \
	X(knowledge_coverage, R, "fraction",                                  \
	  "mean share of the segment knowing each active campaign that "      \
	  "targets it",                                                       \
	  d->knowledge)                                                       \
	X(trained_ratio, R, "fraction", "segment's trained staff / needed",   \
	  d->trained_ratio)                                                   \
	X(crisis, I, "0/1",                                                   \
	  "1 while the National Security Council is engaged",                 \
	  sim_world_crisis(w))

/* sharing.csv: one row per day and sharing body. In scope: w, p, b, d. */
#define SHARING_COLUMNS(X)                                                   \
	X(day, I, "day", "day of the run, from 0", sim_world_day(w))         \
	X(body, S, "", "sharing body name", p->bodies[b].name)               \
	X(kind, S, "", "government, sector, national or partner",            \
	  cd_body_kind_names[p->bodies[b].kind])                                 \
	X(reports, I, "reports",                                             \
	  "detections reported by member organisations", d->reports)         \
	X(learned, I, "campaigns", "campaigns the body learned", d->learned) \
	X(relayed, I, "relays", "relays sent over links", d->relayed)        \
	X(received, I, "relays", "relays received over links", d->received)  \
	X(distributed, I, "campaigns", "campaigns distributed to members",   \
	  d->distributed)

/* incidents.csv: one row per foothold. In scope: w, p, i, f, a (attacker
 * params). */
#define INCIDENT_COLUMNS(X)                                                  \
	X(foothold, I, "", "foothold id", i)                                 \
	X(campaign, I, "", "campaign id", f->campaign)                       \
	X(attacker, S, "", "attacker group", a->name)                        \
	X(attacker_type, S, "", "state or criminal",                         \
	  cd_attacker_type_names[a->type])                                   \
	X(objective, S, "", "espionage, disruption or extortion",            \
	  cd_objective_names[a->objective])                                  \
	X(segment, S, "", "target segment", p->segments[f->segment].name)    \
	X(kind, S, "", "target kind",                                        \
	  cd_kind_names[p->segments[f->segment].kind])                       \
	X(organisation, I, "", "organisation index", f->org)                 \
	X(day_compromised, I, "day", "day the foothold was made",            \
	  f->day_compromised)                                                \
	X(day_detected, O, "day", "day detected; empty if never",            \
	  f->day_detected)                                                   \
	X(detection_source, S, "",                                           \
	  "internal, shared, partner, national or external; empty if never", \
	  f->day_detected >= 0 ? cd_source_names[f->source] : "")            \
	X(dwell_days, O, "days",                                             \
	  "day_detected - day_compromised; empty if never",                  \
	  f->day_detected >= 0 ? f->day_detected - f->day_compromised : -1)  \
	X(day_contained, O, "day", "day contained; empty if still open",     \
	  f->day_contained)                                                  \
	X(days_open, I, "days",                                              \
	  "days damage accrued: compromise to containment (or end), "        \
	  "inclusive",                                                       \
	  (f->day_contained >= 0 ? f->day_contained : sim_world_day(w)) -    \
		  f->day_compromised + 1)                                    \
	X(damage, R, "records/hours/yen", "damage in the objective's unit",  \
	  sim_world_damage(w, (uint32_t)i))                                  \
	X(shared, I, "0/1", "1 if the organisation reported it", f->shared)

/* An optional integer: negative means missing. */
#define W_O(f, v)                              \
	do {                                   \
		long long v_ = (long long)(v); \
		if (v_ >= 0)                   \
			csv_int(f, v_);        \
		else                           \
			csv_empty(f);          \
	} while (0)

const char *const cd_summary_names[CD_SUMMARY_N] = {
#define CD_SUMMARY_NAME(name, unit, help) #name,
	CD_SUMMARY_COLUMNS(CD_SUMMARY_NAME)
#undef CD_SUMMARY_NAME
};

static uint64_t total_detections(const struct cd_daily *d)
{
	uint64_t n = 0;
	for (int k = 0; k < CD_SOURCES; k++)
		n += d->detections[k];
	return n;
}

/* Writes "name,name,...\r\n" for a column list. */
#define HEADER_CELL(name, kind, unit, help, expr) \
	if (first_)                               \
		first_ = 0;                       \
	else                                      \
		csv_sep(out_);                    \
	csv_str(out_, #name);
#define ROW_CELL(name, kind, unit, help, expr) \
	if (first_)                            \
		first_ = 0;                    \
	else                                   \
		csv_sep(out_);                 \
	W_##kind(out_, expr);
#define MARKDOWN_ROW(name, kind, unit, help, expr) \
	fprintf(f, "| `%s` | %s | %s |\n", #name, unit, help);

/* ---- summary ------------------------------------------------------------ */

int summary_compute(const sim_world *w, uint64_t seed, struct cd_summary *s)
{
	const struct cd_params *p = sim_world_params(w);
	const struct cd_foothold *fh;
	size_t n = sim_world_footholds(w, &fh);
	double *v = s->v;
	s->seed = seed;
	for (int k = 0; k < CD_SUMMARY_N; k++)
		v[k] = 0;
	v[CD_SUM_days] = sim_world_day(w) + 1;
	v[CD_SUM_organisations] = (double)sim_world_organisations(w);
	v[CD_SUM_campaigns] = (double)sim_world_n_campaigns(w);
	double knowledge = 0, weight = 0;
	for (int seg = 0; seg < p->n_segments; seg++) {
		const struct cd_daily *t = sim_world_totals(w, seg);
		v[CD_SUM_attempts] += (double)t->attempts;
		v[CD_SUM_blocked] += (double)t->blocked;
		v[CD_SUM_failed] += (double)t->failed;
		v[CD_SUM_records_exfiltrated] += t->records;
		v[CD_SUM_outage_hours] += t->outage_hours;
		v[CD_SUM_loss_yen] += t->loss_yen;
		v[CD_SUM_detections_internal] +=
			(double)t->detections[CD_SRC_INTERNAL];
		v[CD_SUM_detections_shared] +=
			(double)t->detections[CD_SRC_SHARED];
		v[CD_SUM_detections_partner] +=
			(double)t->detections[CD_SRC_PARTNER];
		v[CD_SUM_detections_national] +=
			(double)t->detections[CD_SRC_NATIONAL];
		v[CD_SUM_detections_external] +=
			(double)t->detections[CD_SRC_EXTERNAL];
		knowledge += t->knowledge * (double)p->segments[seg].count;
		weight += (double)p->segments[seg].count;
	}
	v[CD_SUM_knowledge_coverage] =
		weight > 0 ? knowledge / weight / v[CD_SUM_days] : 0;
	for (int b = 0; b < p->n_bodies; b++)
		v[CD_SUM_relays] +=
			(double)sim_world_body_totals(w, b)->relayed;
	v[CD_SUM_crisis_days] = sim_world_crisis_days(w);
	v[CD_SUM_trained_ratio_end] = sim_world_trained_ratio(w);
	v[CD_SUM_orgs_compromised_frac] =
		(double)sim_world_orgs_compromised(w) / v[CD_SUM_organisations];

	/* Dwell: Kaplan-Meier medians of all footholds, by kind and by
	 * attacker type (groups 0, 1 + kind, 4 + type), with one sort. */
	struct stats_obs *obs = malloc((n ? n : 1) * sizeof *obs);
	if (!obs)
		return CD_ENOMEM;
	double sum = 0, last = sim_world_day(w);
	for (size_t i = 0; i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		int kind = p->segments[f->segment].kind;
		int type = p->attackers[sim_world_campaign_attacker(
						w, f->campaign)]
				   .type;
		v[CD_SUM_intrusions]++;
		v[kind == CD_KIND_GOVERNMENT ? CD_SUM_intrusions_government
		  : kind == CD_KIND_INFRASTRUCTURE
			  ? CD_SUM_intrusions_infrastructure
			  : CD_SUM_intrusions_corporate]++;
		v[type == CD_ATTACKER_STATE ? CD_SUM_intrusions_state
					    : CD_SUM_intrusions_criminal]++;
		if (type == CD_ATTACKER_STATE && kind == CD_KIND_GOVERNMENT)
			v[CD_SUM_intrusions_state_government]++;
		if (f->day_contained < 0)
			v[CD_SUM_open_footholds_end]++;
		if (f->shared)
			v[CD_SUM_shares_sent]++;
		/* A foothold still undetected at the end is censored at its
		 * age (the encoding of stats_km_median). */
		double x;
		if (f->day_detected < 0) {
			v[CD_SUM_undetected_end]++;
			x = 2.0 * (last - f->day_compromised) + 1;
		} else {
			double dwell = f->day_detected - f->day_compromised;
			v[CD_SUM_detections]++;
			sum += dwell;
			x = 2.0 * dwell;
		}
		obs[i] = (struct stats_obs){x, 1u | 2u << kind | 16u << type};
	}
	double med[6];
	stats_km_medians(obs, n, 6, med);
	free(obs);
	v[CD_SUM_mean_dwell_days] =
		v[CD_SUM_detections] > 0 ? sum / v[CD_SUM_detections] : NAN;
	v[CD_SUM_median_dwell_days] = med[0];
	v[CD_SUM_median_dwell_days_government] = med[1 + CD_KIND_GOVERNMENT];
	v[CD_SUM_median_dwell_days_infrastructure] =
		med[1 + CD_KIND_INFRASTRUCTURE];
	v[CD_SUM_median_dwell_days_corporate] = med[1 + CD_KIND_CORPORATION];
	v[CD_SUM_median_dwell_days_state] = med[4 + CD_ATTACKER_STATE];
	v[CD_SUM_median_dwell_days_criminal] = med[4 + CD_ATTACKER_CRIMINAL];
	return 0;
}

void summary_write_header(FILE *f)
{
	csv_str(f, "seed");
	for (int k = 0; k < CD_SUMMARY_N; k++) {
		csv_sep(f);
		csv_str(f, cd_summary_names[k]);
	}
	csv_eol(f);
}

void summary_write_row(FILE *f, const struct cd_summary *s)
{
	fprintf(f, "%llu", (unsigned long long)s->seed);
	for (int k = 0; k < CD_SUMMARY_N; k++) {
		csv_sep(f);
		csv_real(f, s->v[k]);
	}
	csv_eol(f);
}

void output_columns_markdown(FILE *f)
{
	fprintf(f, "#### timeseries.csv (one row per day and segment)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n");
	TIMESERIES_COLUMNS(MARKDOWN_ROW)
	fprintf(f, "\n#### sharing.csv (one row per day and sharing body)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n");
	SHARING_COLUMNS(MARKDOWN_ROW)
	fprintf(f, "\n#### incidents.csv (one row per foothold)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n");
	INCIDENT_COLUMNS(MARKDOWN_ROW)
	fprintf(f, "\n#### summary.csv (one row per run)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n"
		   "| `seed` | | run seed (`cyberdef run --seed`) |\n");
#define SUMMARY_MARKDOWN(name, unit, help) \
	fprintf(f, "| `%s` | %s | %s |\n", #name, unit, help);
	CD_SUMMARY_COLUMNS(SUMMARY_MARKDOWN)
#undef SUMMARY_MARKDOWN
}

/* ---- files -------------------------------------------------------------- */

enum { F_TIMESERIES, F_SHARING, F_INCIDENTS, F_SUMMARY, F_METADATA, F_COUNT };
static const char *const file_names[F_COUNT] = {"timeseries.csv", "sharing.csv",
						"incidents.csv", "summary.csv",
						"metadata.json"};

struct cd_output {
	char dir[1024];
	cd_outdir *lock; /* held from open to finish or abort */
	cd_outfile *file[F_COUNT];
};

void output_abort(cd_output *o)
{
	if (!o)
		return;
	for (int k = 0; k < F_COUNT; k++)
		cd_outfile_abort(o->file[k]);
	cd_outdir_close(o->lock);
	free(o);
}

static int io_error(struct cd_diag *d, const char *what, const char *path)
{
	snprintf(d->msg, sizeof d->msg, "cannot %s %s: %s", what, path,
		 strerror(errno));
	return CD_EIO;
}

int output_open(cd_output **out, const char *dir, const sim_world *w,
		struct cd_diag *d)
{
	*out = NULL;
	cd_output *o = calloc(1, sizeof *o);
	if (!o)
		return CD_ENOMEM;
	snprintf(o->dir, sizeof o->dir, "%s", dir);
	int rc = cd_outdir_open(&o->lock, dir, file_names, F_COUNT, d);
	if (rc) {
		free(o);
		return rc;
	}
	for (int k = 0; k < F_COUNT; k++) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", dir, file_names[k]);
		if (cd_outfile_open(&o->file[k], path)) {
			rc = io_error(d, "write", path);
			output_abort(o);
			return rc;
		}
	}
	FILE *out_;
	int first_ = 1;
	out_ = cd_outfile_stream(o->file[F_TIMESERIES]);
	TIMESERIES_COLUMNS(HEADER_CELL)
	csv_eol(out_);
	first_ = 1;
	out_ = cd_outfile_stream(o->file[F_SHARING]);
	SHARING_COLUMNS(HEADER_CELL)
	csv_eol(out_);
	first_ = 1;
	out_ = cd_outfile_stream(o->file[F_INCIDENTS]);
	INCIDENT_COLUMNS(HEADER_CELL)
	csv_eol(out_);
	(void)w;
	*out = o;
	return 0;
}

int output_day(cd_output *o, const sim_world *w)
{
	const struct cd_params *p = sim_world_params(w);
	FILE *out_ = cd_outfile_stream(o->file[F_TIMESERIES]);
	for (int s = 0; s < p->n_segments; s++) {
		const struct cd_daily *d = sim_world_daily(w, s);
		int first_ = 1;
		TIMESERIES_COLUMNS(ROW_CELL)
		csv_eol(out_);
	}
	out_ = cd_outfile_stream(o->file[F_SHARING]);
	for (int b = 0; b < p->n_bodies; b++) {
		const struct cd_body_daily *d = sim_world_body_daily(w, b);
		int first_ = 1;
		SHARING_COLUMNS(ROW_CELL)
		csv_eol(out_);
	}
	return 0;
}

/* metadata.json: what reproduces the run, and the set's manifest (the
 * other files with their SHA-256), built with jansson (json.h). */
static int write_metadata(cd_output *o, const struct cd_run_info *info,
			  const struct cd_params *p)
{
	const struct cd_scenario *sc = info->scenario;
	json_t *m = json_object(), *sets = json_array();
	json_t *files = cd_outdir_files_json(o->file, F_METADATA);
	int ok = m && sets && files;
	for (int i = 0; ok && i < sc->n_sets; i++)
		cd_json_append(sets, cd_json_text(sc->sets[i]), &ok);
	if (ok) {
		cd_json_set(m, "program", json_string("cyberdef"), &ok);
		cd_json_set(m, "version", json_string(CD_VERSION), &ok);
		cd_json_set(m, "scenario", cd_json_text(sc->path), &ok);
		cd_json_set(m, "scenario_sha256", json_string(sc->hash), &ok);
		cd_json_set(m, "description", cd_json_text(p->description),
			    &ok);
		cd_json_set(m, "overrides", json_incref(sets), &ok);
		cd_json_set(m, "seed", cd_json_u64(info->seed), &ok);
		cd_json_set(m, "days", json_integer(p->days), &ok);
		cd_json_set(m, "command", cd_json_text(info->command), &ok);
		cd_json_set(m, "files", json_incref(files), &ok);
	}
	int rc = !ok ? (files ? CD_ENOMEM : CD_EIO)
		     : cd_json_write(cd_outfile_stream(o->file[F_METADATA]), m);
	json_decref(m);
	json_decref(sets);
	json_decref(files);
	return rc;
}

int output_finish(cd_output *o, const sim_world *w, const struct cd_summary *s,
		  const struct cd_run_info *info, struct cd_diag *d)
{
	const struct cd_params *p = sim_world_params(w);
	const struct cd_foothold *fh;
	size_t n = sim_world_footholds(w, &fh);
	FILE *out_ = cd_outfile_stream(o->file[F_INCIDENTS]);
	for (size_t i = 0; i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		const struct cd_attacker *a =
			&p->attackers[sim_world_campaign_attacker(w,
								  f->campaign)];
		int first_ = 1;
		INCIDENT_COLUMNS(ROW_CELL)
		csv_eol(out_);
	}
	out_ = cd_outfile_stream(o->file[F_SUMMARY]);
	summary_write_header(out_);
	summary_write_row(out_, s);
	/* The manifest last: its checksums are of the files as written. */
	int failed = F_METADATA;
	int rc = write_metadata(o, info, p);
	if (rc == CD_ENOMEM) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		output_abort(o);
		return rc;
	}
	/* All files or none (csv.h): an earlier run's files stay whole. */
	if (!rc)
		rc = cd_outfile_commit_all(o->file, F_COUNT, &failed);
	else
		rc = CD_EIO;
	if (rc) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", o->dir,
			 file_names[failed < 0 ? 0 : failed]);
		rc = io_error(d, "write", path);
	}
	for (int k = 0; k < F_COUNT; k++)
		cd_outfile_abort(o->file[k]); /* NULL once committed */
	cd_outdir_close(o->lock);
	free(o);
	return rc;
}
