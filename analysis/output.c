#include "analysis/output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "analysis/csvbuf.h"
#include "analysis/json.h"
#include "analysis/posterior.h"
#include "analysis/metrics.h"
#include "analysis/outdir.h"
#include "analysis/readiness.h"
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

/* A day of the world's records (from the start of the warm-up; -1:
 * never), reported from the start of the horizon (negative before it),
 * with `warm` (the warm-up's days) in scope; empty if never. */
#define W_D(w, v)                                            \
	do {                                                 \
		long long v_ = (long long)(v);               \
		if (v_ >= 0)                                 \
			csvbuf_int(w, v_ - (long long)warm); \
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
	t->campaigns = (double)(sim_world_n_campaigns(w) -
				sim_world_campaigns_before(w));
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

/* Whether foothold f (days from the start of the warm-up, which ends on
 * day `warm`) belongs to the reported horizon: made in it, or still open
 * when it began. Footholds contained in the warm-up are not reported. */
static int reported(const struct cd_foothold *f, int warm)
{
	return f->day_contained < 0 || f->day_contained >= warm;
}

/* The footholds' part: counts over the horizon, and the Kaplan-Meier
 * medians of dwell by kind and by attacker type (groups 0, 1 + kind,
 * 1 + kinds + type), with one count. Every foothold undetected at some
 * time in the horizon is observed: those made before it enter the risk
 * set at the age they had on day 0 (left truncation, stats.h), so that
 * long dwells are neither cut off nor overweighted. Returns 0 or
 * CD_ENOMEM. */
static int gather_footholds(const sim_world *w, struct cd_summary_parts *t)
{
	const struct cd_params *p = sim_world_params(w);
	const struct cd_foothold *fh;
	size_t n = sim_world_footholds(w, &fh), n_obs = 0;
	int warm = sim_world_warmup(w);
	size_t orgs = (size_t)sim_world_organisations(w);
	struct stats_obs *obs = malloc((n ? n : 1) * sizeof *obs);
	unsigned char *hit = calloc(orgs / 8 + 1, 1); /* orgs compromised */
	if (!obs || !hit) {
		free(obs);
		free(hit);
		return CD_ENOMEM;
	}
	double last = sim_world_day(w) + warm;
	for (size_t i = 0; i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		if (!reported(f, warm))
			continue;
		int kind = p->segments[f->segment].kind;
		int type = p->attackers[sim_world_campaign_attacker(
						w, f->campaign)]
				   .type;
		if (!(hit[f->org / 8] & 1u << f->org % 8)) {
			hit[f->org / 8] |= (unsigned char)(1u << f->org % 8);
			t->compromised++;
		}
		if (f->day_compromised >= warm) {
			t->intrusions++;
			t->by_kind[kind]++;
			t->by_type[type]++;
			if (type == CD_ATTACKER_STATE &&
			    kind == CD_KIND_GOVERNMENT)
				t->state_government++;
		}
		if (f->day_contained < 0)
			t->open_end++;
		if (f->day_detected >= 0 && f->day_detected < warm)
			continue; /* found before day 0: no dwell observed */
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
			t->shared += f->shared;
			x = 2.0 * dwell;
		}
		uint32_t entry = f->day_compromised < warm
					 ? (uint32_t)(warm - f->day_compromised)
					 : 0;
		obs[n_obs++] = (struct stats_obs){
			x, 1u | 2u << kind | 2u << (CD_KIND_COUNT + type),
			entry};
	}
	stats_km_medians(obs, n_obs, 1 + CD_KIND_COUNT + CD_ATTACKER_TYPE_COUNT,
			 t->km);
	free(obs);
	free(hit);
	return 0;
}

/* The median of the values counted in h[0..n-1] (h[v] = how many equal
 * v): the middle one, or the mean of the two middle ones; NaN if none. */
static double median_of_counts(const uint32_t *h, size_t n, uint64_t total)
{
	if (!total)
		return NAN;
	uint64_t lo = (total - 1) / 2, hi = total / 2, seen = 0; /* ranks */
	double a = NAN;
	for (size_t v = 0; v < n; v++) {
		if (seen <= lo && lo < seen + h[v])
			a = (double)v;
		if (seen <= hi && hi < seen + h[v])
			return (a + (double)v) / 2;
		seen += h[v];
	}
	return NAN; /* not reached: the counts add up to total */
}

/* Into group g's histogram (of n days) the value v. */
static void count_in(uint32_t *h, size_t n, int g, long v, uint64_t *total)
{
	if (v >= 0 && (size_t)v < n) {
		h[(size_t)g * n + (size_t)v]++;
		total[g]++;
	}
}

/* Breaches by kind and type in the horizon, and the plain medians: days
 * to impact of those breaches, and the dwell of the footholds detected in
 * the horizon, as incident-response reports count it (all, by attacker
 * type, found by the organisation itself or by others), by counting days.
 * Returns 0 or CD_ENOMEM. */
static int gather_breaches(const sim_world *w, struct cd_summary_parts *t)
{
	const struct cd_params *p = sim_world_params(w);
	const struct cd_foothold *fh;
	size_t n = sim_world_footholds(w, &fh);
	int warm = sim_world_warmup(w);
	size_t days = (size_t)(sim_world_day(w) + warm) + 1; /* simulated */
	uint32_t *h = calloc((size_t)CD_MEDIAN_GROUPS * days, sizeof *h);
	uint64_t total[CD_MEDIAN_GROUPS] = {0};
	if (!h)
		return CD_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		int kind = p->segments[f->segment].kind;
		int type = p->attackers[sim_world_campaign_attacker(
						w, f->campaign)]
				   .type;
		if (f->day_impact >= warm) {
			t->breaches++;
			t->breach_kind[kind]++;
			t->breach_type[type]++;
			count_in(h, days, CD_MED_IMPACT,
				 f->day_impact - f->day_compromised, total);
		}
		if (f->day_detected < warm)
			continue; /* never, or before the horizon */
		long dwell = f->day_detected - f->day_compromised;
		int self = f->source == CD_SRC_INTERNAL ||
			   f->source == CD_SRC_SHARED ||
			   f->source == CD_SRC_PARTNER;
		count_in(h, days, CD_MED_DWELL, dwell, total);
		count_in(h, days,
			 type == CD_ATTACKER_STATE ? CD_MED_DWELL_STATE
						   : CD_MED_DWELL_CRIMINAL,
			 dwell, total);
		count_in(h, days,
			 self ? CD_MED_DWELL_SELF : CD_MED_DWELL_NOTIFIED,
			 dwell, total);
	}
	for (int g = 0; g < CD_MEDIAN_GROUPS; g++)
		t->median[g] =
			median_of_counts(h + (size_t)g * days, days, total[g]);
	free(h);
	return 0;
}

int summary_compute(const sim_world *w, uint64_t seed, struct cd_summary *s)
{
	struct cd_summary_parts parts = {0}, *t = &parts;
	gather_totals(w, t);
	if (gather_footholds(w, t) || gather_breaches(w, t))
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
	fprintf(f, "\n#### readiness.csv (one row per essential element of the "
		   "Cyber Readiness Index 2.0)\n\n"
		   "| column | unit | meaning |\n|---|---|---|\n");
	CD_READINESS_COLUMNS(MARKDOWN_ROW)
}

/* ---- files -------------------------------------------------------------- */

enum {
	F_TIMESERIES,
	F_SHARING,
	F_INCIDENTS,
	F_SUMMARY,
	F_READINESS,
	F_METADATA,
	F_COUNT
};
static const char *const file_names[F_COUNT] = {
	"timeseries.csv", "sharing.csv",   "incidents.csv",
	"summary.csv",	  "readiness.csv", "metadata.json"};

const char *const cd_output_names[CD_OUT_N] = {
	"timeseries", "sharing", "incidents", "summary", "readiness"};

struct cd_output {
	char dir[1024];
	cd_outdir *lock; /* held from open to finish or abort */
	unsigned chosen; /* bit k: file k is written (metadata always) */
	cd_outfile *file[F_COUNT]; /* NULL where not chosen */
	cd_csvbuf buf;		   /* rows on their way to one of the files */
};

/* The stream of file k, or NULL if it is not written. */
static FILE *stream_of(const cd_output *o, int k)
{
	return o->file[k] ? cd_outfile_stream(o->file[k]) : NULL;
}

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

int output_open(cd_output **out, const char *dir, unsigned files,
		struct cd_diag *d)
{
	*out = NULL;
	cd_output *o = calloc(1, sizeof *o);
	if (!o)
		return out_of_memory(d);
	snprintf(o->dir, sizeof o->dir, "%s", dir);
	o->chosen = (files & CD_OUT_ALL) | 1u << F_METADATA;
	int rc = cd_outdir_open(&o->lock, dir, file_names, F_COUNT, d);
	if (rc) {
		free(o);
		return rc;
	}
	for (int k = 0; k < F_COUNT; k++) {
		char path[1200];
		if (!(o->chosen & 1u << k))
			continue;
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
	if ((out_ = stream_of(o, F_TIMESERIES))) {
		CD_TIMESERIES_COLUMNS(HEADER_CELL)
		csv_eol(out_);
	}
	first_ = 1;
	if ((out_ = stream_of(o, F_SHARING))) {
		CD_SHARING_COLUMNS(HEADER_CELL)
		csv_eol(out_);
	}
	first_ = 1;
	if ((out_ = stream_of(o, F_INCIDENTS))) {
		CD_INCIDENT_COLUMNS(HEADER_CELL)
		csv_eol(out_);
	}
	first_ = 1;
	if ((out_ = stream_of(o, F_READINESS))) {
		CD_READINESS_COLUMNS(HEADER_CELL)
		csv_eol(out_);
	}
	csvbuf_begin(&o->buf, NULL); /* empty: the rows choose their file */
	*out = o;
	return 0;
}

int output_day(cd_output *o, const sim_world *w)
{
	const struct cd_params *p = sim_world_params(w);
	cd_csvbuf *buf_ = &o->buf;
	FILE *f = stream_of(o, F_TIMESERIES);
	if (f)
		csvbuf_switch(buf_, f);
	/* Rows in the scenario file's order; the world keeps its own. */
	for (int k = 0; f && k < p->n_segments; k++) {
		int s = p->segment_order[k];
		const struct cd_daily *d = sim_world_daily(w, s);
		int first_ = 1;
		CD_TIMESERIES_COLUMNS(ROW_CELL)
		csvbuf_eol(buf_);
	}
	if ((f = stream_of(o, F_SHARING)))
		csvbuf_switch(buf_, f);
	for (int k = 0; f && k < p->n_bodies; k++) {
		int b = p->body_order[k];
		const struct cd_body_daily *d = sim_world_body_daily(w, b);
		int first_ = 1;
		CD_SHARING_COLUMNS(ROW_CELL)
		csvbuf_eol(buf_);
	}
	csvbuf_flush(buf_);
	return 0;
}

/* The files written, in order (metadata.json last), into set; and their
 * indices into which. Returns how many. */
static int chosen_files(const cd_output *o, cd_outfile **set, int *which)
{
	int n = 0;
	for (int k = 0; k < F_COUNT; k++)
		if (o->file[k]) {
			which[n] = k;
			set[n++] = o->file[k];
		}
	return n;
}

/* metadata.json's "posterior": the file, its SHA-256, its final
 * generation, the particle drawn (its `particle` number there) and its
 * settings, applied before the scenario's overrides and --set. */
static json_t *posterior_json(const struct cd_run_info *info)
{
	const struct posterior *p = info->posterior;
	json_t *j = json_object(), *sets = json_array();
	int ok = j && sets;
	for (int i = 0; ok && i < p->d; i++)
		cd_json_append(sets, cd_json_text(p->text[info->particle][i]),
			       &ok);
	cd_json_set(j, "file", cd_json_text(p->path), &ok);
	cd_json_set(j, "sha256", json_string(p->sha256), &ok);
	cd_json_set(j, "generation", json_integer(p->generation), &ok);
	cd_json_set(j, "particle", json_integer(p->particle[info->particle]),
		    &ok);
	cd_json_set(j, "settings", sets, &ok);
	if (!ok) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* metadata.json: what reproduces the run, and the set's manifest (the
 * other files with their SHA-256), built with jansson (json.h). */
static int write_metadata(cd_output *o, const struct cd_run_info *info,
			  const struct cd_params *p)
{
	const struct cd_scenario *sc = info->scenario;
	cd_outfile *set[F_COUNT];
	int which[F_COUNT], n = chosen_files(o, set, which);
	json_t *m = json_object(), *sets = json_array();
	json_t *files = cd_outdir_files_json(set, n - 1);
	int unread = !files && errno != ENOMEM; /* a file cannot be read back */
	int ok = m && sets && files;
	for (int i = 0; ok && i < sc->n_sets; i++)
		cd_json_append(sets, cd_json_text(sc->sets[i]), &ok);
	if (ok) {
		cd_json_set(m, "program", json_string("cyberdef"), &ok);
		cd_json_set(m, "version", json_string(CD_VERSION), &ok);
		cd_json_set(m, "model_version", json_integer(CD_MODEL_VERSION),
			    &ok);
		cd_json_set(m, "scenario", cd_json_text(sc->path), &ok);
		cd_json_set(m, "scenario_sha256", json_string(sc->hash), &ok);
		cd_json_set(m, "description", cd_json_text(p->description),
			    &ok);
		cd_json_set(m, "overrides", json_incref(sets), &ok);
		cd_json_set(m, "seed", cd_json_u64(info->seed), &ok);
		cd_json_set(m, "days", json_integer(p->days), &ok);
		cd_json_set(m, "warmup_days", json_integer(p->warmup_days),
			    &ok);
		cd_json_set(m, "command", cd_json_text(info->command), &ok);
		if (info->posterior)
			cd_json_set(m, "posterior", posterior_json(info), &ok);
		cd_json_set(m, "files", json_incref(files), &ok);
	}
	int rc = !ok ? (unread ? CD_EIO : CD_ENOMEM)
		     : cd_json_write(cd_outfile_stream(o->file[F_METADATA]), m);
	json_decref(m);
	json_decref(sets);
	json_decref(files);
	return rc;
}

/* readiness.csv's rows, if it is chosen: the elements of run w with
 * summary s, scored (readiness.h). */
static void write_readiness(cd_output *o, const sim_world *w,
			    const struct cd_summary *s)
{
	FILE *f = stream_of(o, F_READINESS);
	if (!f)
		return;
	double q[CD_RQ_N], score[CD_CRI_N];
	readiness_gather(w, s, q);
	readiness_scores(q, score);
	cd_csvbuf *buf_ = &o->buf;
	csvbuf_switch(buf_, f);
	for (int e = 0; e < CD_CRI_N; e++) {
		int first_ = 1;
		CD_READINESS_COLUMNS(ROW_CELL)
		csvbuf_eol(buf_);
	}
	csvbuf_flush(buf_);
}

/* Once the set is committed: the files of a set this run did not write,
 * an earlier run's, go. Returns 0 or CD_EIO. */
static int remove_unchosen(const cd_output *o, struct cd_diag *d)
{
	for (int k = 0; k < F_COUNT; k++) {
		char path[1200];
		if (o->chosen & 1u << k)
			continue;
		snprintf(path, sizeof path, "%s/%s", o->dir, file_names[k]);
		if (unlink(path) != 0 && errno != ENOENT)
			return io_error(d, "remove", path);
	}
	return 0;
}

int output_finish(cd_output *o, const sim_world *w, const struct cd_summary *s,
		  const struct cd_run_info *info, struct cd_diag *d)
{
	const struct cd_params *p = sim_world_params(w);
	const struct cd_foothold *fh;
	size_t n = sim_world_footholds(w, &fh);
	cd_csvbuf *buf_ = &o->buf;
	FILE *out_ = stream_of(o, F_INCIDENTS);
	if (out_)
		csvbuf_switch(buf_, out_);
	int warm = sim_world_warmup(w);
	for (size_t i = 0; out_ && i < n; i++) {
		const struct cd_foothold *f = &fh[i];
		if (!reported(f, warm))
			continue;
		const struct cd_attacker *a =
			&p->attackers[sim_world_campaign_attacker(w,
								  f->campaign)];
		int first_ = 1;
		CD_INCIDENT_COLUMNS(ROW_CELL)
		csvbuf_eol(buf_);
	}
	csvbuf_flush(buf_);
	if ((out_ = stream_of(o, F_SUMMARY))) {
		summary_write_header(out_);
		summary_write_row(out_, s);
	}
	write_readiness(o, w, s);
	/* The manifest last: its checksums are of the files as written. */
	int failed = F_METADATA;
	int rc = write_metadata(o, info, p);
	if (rc == CD_ENOMEM) {
		output_abort(o);
		return out_of_memory(d);
	}
	/* All files or none (csv.h): an earlier run's files stay whole. */
	cd_outfile *set[F_COUNT];
	int which[F_COUNT], n_set = chosen_files(o, set, which);
	if (!rc)
		rc = cd_outfile_commit_all(set, n_set, &failed);
	else
		rc = CD_EIO;
	for (int i = 0; i < n_set; i++)
		o->file[which[i]] = set[i]; /* NULL once committed */
	if (rc == CD_ENOMEM) {
		out_of_memory(d);
	} else if (rc) {
		char path[1200];
		snprintf(path, sizeof path, "%s/%s", o->dir,
			 file_names[failed < 0 ? which[0] : which[failed]]);
		rc = io_error(d, "write", path);
	} else {
		rc = remove_unchosen(o, d);
	}
	for (int k = 0; k < F_COUNT; k++)
		cd_outfile_abort(o->file[k]); /* NULL once committed */
	cd_outdir_close(o->lock);
	free(o);
	return rc;
}
