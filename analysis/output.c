#include "analysis/output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/csvbuf.h"
#include "analysis/json.h"
#include "analysis/metrics.h"
#include "analysis/outdir.h"
#include "analysis/stats.h"
#include "core/status.h"
#include "core/version.h"

/* Value writers by column kind, into a cd_csvbuf: I integer count, R
 * real, S string. */
#define W_I(w, v) csvbuf_int(w, (long long)(v))
#define W_R(w, v) csvbuf_real(w, (double)(v))
#define W_S(w, v) csvbuf_str(w, (v))

/* An optional integer: negative means missing (an empty field). */
#define W_O(w, v)                              \
	do {                                   \
		long long v_ = (long long)(v); \
		if (v_ >= 0)                   \
			csvbuf_int(w, v_);     \
	} while (0)

const char *const cd_summary_names[CD_SUMMARY_N] = {
#define CD_SUMMARY_NAME(name, unit, help, value) #name,
	CD_SUMMARY_COLUMNS(CD_SUMMARY_NAME)
#undef CD_SUMMARY_NAME
};

/* Writes "name,name,...\r\n" for a column list. */
#define HEADER_CELL(name, kind, unit, help, expr, agg) \
	if (first_)                                    \
		first_ = 0;                            \
	else                                           \
		csv_sep(out_);                         \
	csv_str(out_, #name);
#define ROW_CELL(name, kind, unit, help, expr, agg) \
	if (first_)                                 \
		first_ = 0;                         \
	else                                        \
		csvbuf_sep(buf_);                   \
	W_##kind(buf_, expr);
#define MARKDOWN_ROW(name, kind, unit, help, expr, agg) \
	fprintf(f, "| `%s` | %s | %s |\n", #name, unit, help);

/* ---- summary ------------------------------------------------------------ */

/* The daily totals' part of the summary. */
static void gather_totals(const sim_world *w, struct cd_summary_parts *t)
{
	const struct cd_params *p = sim_world_params(w);
	t->days = sim_world_day(w) + 1;
	t->organisations = (double)sim_world_organisations(w);
	t->campaigns = (double)sim_world_n_campaigns(w);
	t->compromised = (double)sim_world_orgs_compromised(w);
	for (int seg = 0; seg < p->n_segments; seg++) {
		const struct cd_daily *d = sim_world_totals(w, seg);
		t->attempts += (double)d->attempts;
		t->blocked += (double)d->blocked;
		t->failed += (double)d->failed;
		t->records += d->records;
		t->outage += d->outage_hours;
		t->loss += d->loss_yen;
		for (int k = 0; k < CD_SOURCES; k++)
			t->by_source[k] += (double)d->detections[k];
		t->knowledge += d->knowledge * (double)p->segments[seg].count;
		t->weight += (double)p->segments[seg].count;
	}
	for (int b = 0; b < p->n_bodies; b++)
		t->relays += (double)sim_world_body_totals(w, b)->relayed;
	t->crisis_days = sim_world_crisis_days(w);
	t->trained_end = sim_world_trained_ratio(w);
}

/* The footholds' part: counts, and the Kaplan-Meier medians of dwell of
 * all footholds, by kind and by attacker type (groups 0, 1 + kind,
 * 1 + kinds + type), with one sort. Returns 0 or CD_ENOMEM. */
static int gather_footholds(const sim_world *w, struct cd_summary_parts *t)
{
	const struct cd_params *p = sim_world_params(w);
	const struct cd_foothold *fh;
	size_t n = sim_world_footholds(w, &fh);
	struct stats_obs *obs = malloc((n ? n : 1) * sizeof *obs);
	if (!obs)
		return CD_ENOMEM;
	double last = sim_world_day(w);
	for (size_t i = 0; i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		int kind = p->segments[f->segment].kind;
		int type = p->attackers[sim_world_campaign_attacker(
						w, f->campaign)]
				   .type;
		t->intrusions++;
		t->by_kind[kind]++;
		t->by_type[type]++;
		if (type == CD_ATTACKER_STATE && kind == CD_KIND_GOVERNMENT)
			t->state_government++;
		if (f->day_contained < 0)
			t->open_end++;
		if (f->shared)
			t->shared++;
		/* A foothold still undetected at the end is censored at its
		 * age (the encoding of stats_km_median). */
		double x;
		if (f->day_detected < 0) {
			t->undetected_end++;
			x = 2.0 * (last - f->day_compromised) + 1;
		} else {
			double dwell = f->day_detected - f->day_compromised;
			t->detected++;
			t->dwell_sum += dwell;
			x = 2.0 * dwell;
		}
		obs[i] = (struct stats_obs){
			x, 1u | 2u << kind | 2u << (CD_KIND_COUNT + type)};
	}
	stats_km_medians(obs, n, 1 + CD_KIND_COUNT + CD_ATTACKER_TYPE_COUNT,
			 t->km);
	free(obs);
	return 0;
}

int summary_compute(const sim_world *w, uint64_t seed, struct cd_summary *s)
{
	struct cd_summary_parts parts = {0}, *t = &parts;
	gather_totals(w, t);
	if (gather_footholds(w, t))
		return CD_ENOMEM;
	s->seed = seed;
#define SUMMARY_VALUE(name, unit, help, value) s->v[CD_SUM_##name] = (value);
	CD_SUMMARY_COLUMNS(SUMMARY_VALUE)
#undef SUMMARY_VALUE
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
	CD_TIMESERIES_COLUMNS(MARKDOWN_ROW)
	fprintf(f, "\n#### sharing.csv (one row per day and sharing body)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n");
	CD_SHARING_COLUMNS(MARKDOWN_ROW)
	fprintf(f, "\n#### incidents.csv (one row per foothold)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n");
	CD_INCIDENT_COLUMNS(MARKDOWN_ROW)
	fprintf(f, "\n#### summary.csv (one row per run)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n"
		   "| `seed` | | run seed (`cyberdef run --seed`) |\n");
#define SUMMARY_MARKDOWN(name, unit, help, value) \
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
	cd_csvbuf buf; /* rows on their way to one of the files */
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

static int out_of_memory(struct cd_diag *d)
{
	snprintf(d->msg, sizeof d->msg, "out of memory");
	return CD_ENOMEM;
}

int output_open(cd_output **out, const char *dir, struct cd_diag *d)
{
	*out = NULL;
	cd_output *o = calloc(1, sizeof *o);
	if (!o)
		return out_of_memory(d);
	snprintf(o->dir, sizeof o->dir, "%s", dir);
	int rc = cd_outdir_open(&o->lock, dir, file_names, F_COUNT, d);
	if (rc) {
		free(o);
		return rc;
	}
	for (int k = 0; k < F_COUNT; k++) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", dir, file_names[k]);
		rc = cd_outfile_open(&o->file[k], path);
		if (rc) {
			rc = rc == CD_ENOMEM ? out_of_memory(d)
					     : io_error(d, "write", path);
			output_abort(o);
			return rc;
		}
	}
	FILE *out_;
	int first_ = 1;
	out_ = cd_outfile_stream(o->file[F_TIMESERIES]);
	CD_TIMESERIES_COLUMNS(HEADER_CELL)
	csv_eol(out_);
	first_ = 1;
	out_ = cd_outfile_stream(o->file[F_SHARING]);
	CD_SHARING_COLUMNS(HEADER_CELL)
	csv_eol(out_);
	first_ = 1;
	out_ = cd_outfile_stream(o->file[F_INCIDENTS]);
	CD_INCIDENT_COLUMNS(HEADER_CELL)
	csv_eol(out_);
	csvbuf_begin(&o->buf, out_); /* empty: the rows choose their file */
	*out = o;
	return 0;
}

int output_day(cd_output *o, const sim_world *w)
{
	const struct cd_params *p = sim_world_params(w);
	cd_csvbuf *buf_ = &o->buf;
	csvbuf_switch(buf_, cd_outfile_stream(o->file[F_TIMESERIES]));
	/* Rows in the scenario file's order; the world keeps its own. */
	for (int k = 0; k < p->n_segments; k++) {
		int s = p->segment_order[k];
		const struct cd_daily *d = sim_world_daily(w, s);
		int first_ = 1;
		CD_TIMESERIES_COLUMNS(ROW_CELL)
		csvbuf_eol(buf_);
	}
	csvbuf_switch(buf_, cd_outfile_stream(o->file[F_SHARING]));
	for (int k = 0; k < p->n_bodies; k++) {
		int b = p->body_order[k];
		const struct cd_body_daily *d = sim_world_body_daily(w, b);
		int first_ = 1;
		CD_SHARING_COLUMNS(ROW_CELL)
		csvbuf_eol(buf_);
	}
	csvbuf_flush(buf_);
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
	int unread = !files && errno != ENOMEM; /* a file cannot be read back */
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
	int rc = !ok ? (unread ? CD_EIO : CD_ENOMEM)
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
	cd_csvbuf *buf_ = &o->buf;
	csvbuf_switch(buf_, cd_outfile_stream(o->file[F_INCIDENTS]));
	for (size_t i = 0; i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		const struct cd_attacker *a =
			&p->attackers[sim_world_campaign_attacker(w,
								  f->campaign)];
		int first_ = 1;
		CD_INCIDENT_COLUMNS(ROW_CELL)
		csvbuf_eol(buf_);
	}
	csvbuf_flush(buf_);
	FILE *out_ = cd_outfile_stream(o->file[F_SUMMARY]);
	summary_write_header(out_);
	summary_write_row(out_, s);
	/* The manifest last: its checksums are of the files as written. */
	int failed = F_METADATA;
	int rc = write_metadata(o, info, p);
	if (rc == CD_ENOMEM) {
		output_abort(o);
		return out_of_memory(d);
	}
	/* All files or none (csv.h): an earlier run's files stay whole. */
	if (!rc)
		rc = cd_outfile_commit_all(o->file, F_COUNT, &failed);
	else
		rc = CD_EIO;
	if (rc == CD_ENOMEM) {
		out_of_memory(d);
	} else if (rc) {
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
