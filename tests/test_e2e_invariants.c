/* End-to-end invariants: what must hold across the files of one run
 * (timeseries.csv, sharing.csv, incidents.csv, summary.csv and
 * readiness.csv), checked on the default scenario, a 30-day run and a
 * small world whose campaigns keep re-entering the same organisations.
 *
 * Each check is short and reads what check_run loaded: every cell a
 * finite number >= 0 where it is a number; the days of the timeseries and
 * sharing files; per row, attempts = blocked + failed + intrusions and
 * detections = the sum of their sources (each written from its own
 * counter, so a swapped or dropped column shows); the summary's totals
 * against the timeseries and against incidents.csv (one row per
 * intrusion, with its detection source, dwell and containment); the
 * Kaplan-Meier medians of dwell recomputed from incidents.csv; the share
 * of organisations compromised; and no two footholds of one campaign open
 * in one organisation at once. Runs with a warm-up report the footholds
 * still open when the horizon began (negative day_compromised) beside
 * those made in it: the flows count the horizon's events only, and the
 * Kaplan-Meier medians take the older footholds in from the age they had
 * on day 0 (left truncation).
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "e2e.h"

struct interval {
	long long campaign, org, from, to;
};

static int interval_cmp(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;
	if (x->campaign != y->campaign)
		return x->campaign < y->campaign ? -1 : 1;
	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return 0;
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* A foothold's dwell for the Kaplan-Meier estimate. */
struct obs {
	long long t; /* days to detection, or age at the end if undetected */
	long long entry; /* age on day 0 if made before it, else 0 */
	int censored;	 /* 1 if never detected; -1 if before day 0 (none) */
	int kind;	 /* 0 government, 1 infrastructure, 2 corporation */
	int type;	 /* 0 state, 1 criminal */
};

/* By time; at equal times events before censorings. */
static int obs_cmp(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->censored - y->censored;
}

/* Kaplan-Meier median of the observations of one kind and type (-1: any):
 * S(t) = prod over event times t_i <= t of (1 - d_i / n_i), with n_i the
 * footholds at risk at t_i: entered by then (entry <= t_i) and neither
 * detected nor censored before it; the median is the smallest event time
 * with S <= 1/2, NaN if S never gets there. */
static double km_median(const struct obs *o, size_t n, int kind, int type)
{
	struct obs *x = e2e_malloc((n + 1) * sizeof *x);
	long long *in = e2e_malloc((n + 1) * sizeof *in);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (o[i].censored >= 0 && (kind < 0 || o[i].kind == kind) &&
		    (type < 0 || o[i].type == type)) {
			in[m] = o[i].entry;
			x[m++] = o[i];
		}
	qsort(x, m, sizeof *x, obs_cmp);
	qsort(in, m, sizeof *in, ll_cmp);
	double s = 1, median = NAN;
	size_t entered = 0, left = 0;
	for (size_t i = 0; i < m && isnan(median);) {
		long long t = x[i].t;
		size_t events = 0, leaving = 0;
		for (; i < m && x[i].t == t; i++, leaving++)
			events += !x[i].censored;
		while (entered < m && in[entered] <= t)
			entered++;
		s *= 1.0 - (double)events / (double)(entered - left);
		left += leaving;
		if (events && s <= 0.5)
			median = (double)t;
	}
	e2e_free(x);
	e2e_free(in);
	return median;
}

static const char *const sources[] = {"internal", "shared", "partner",
				      "national", "external"};

/* The four CSV files of one run, loaded, and its horizon. */
struct run {
	struct csv ts, sh, inc, sum;
	long long days;
	const char *dir; /* where the files are */
};

#define S(r, name) e2e_at_num(&(r)->sum, 0, name)

/* The column detections_<source> of the k-th source. */
static const char *source_col(int k)
{
	static char name[5][64];
	snprintf(name[k], sizeof name[k], "detections_%s", sources[k]);
	return name[k];
}

/* Every summary value finite and >= 0; only the dwell statistics may be
 * missing (no detection in that group). The horizon is the expected one. */
static void check_summary_values(const struct run *r)
{
	const struct csv *sum = &r->sum;
	assert_int_equal(sum->nrows, 1);
	for (size_t c = 0; c < sum->ncols; c++) {
		const char *name = sum->cell[c], *s = e2e_csv_at(sum, 0, c);
		if (!*s && (strstr(name, "median_") == name ||
			    !strcmp(name, "mean_dwell_days")))
			continue;
		if (e2e_num(s) < 0)
			fail_msg("summary %s = %s < 0", name, s);
	}
	assert_true(S(r, "days") == (double)r->days);
}

/* The summary's own sums: by kind, by attacker type, by source, and what
 * is left undetected. */
static void check_summary_consistency(const struct run *r)
{
	assert_true(S(r, "intrusions") ==
		    S(r, "intrusions_government") +
			    S(r, "intrusions_infrastructure") +
			    S(r, "intrusions_corporate"));
	assert_true(S(r, "intrusions") ==
		    S(r, "intrusions_state") + S(r, "intrusions_criminal"));
	assert_true(S(r, "intrusions_state_government") <=
		    S(r, "intrusions_state"));
	double src_sum = 0;
	for (int k = 0; k < 5; k++)
		src_sum += S(r, source_col(k));
	assert_true(S(r, "detections") == src_sum);
	assert_true(S(r, "orgs_compromised_frac") >= 0 &&
		    S(r, "orgs_compromised_frac") <= 1);
}

/* Days 0..days-1, each with the same segments in the same order. */
static void check_timeseries_days(const struct run *r)
{
	const struct csv *ts = &r->ts;
	size_t c_day = e2e_csv_col(ts, "day"),
	       c_seg = e2e_csv_col(ts, "segment");
	assert_true(ts->nrows > 0 && ts->nrows % (size_t)r->days == 0);
	size_t per_day = ts->nrows / (size_t)r->days;
	for (size_t i = 0; i < ts->nrows; i++) {
		assert_int_equal(e2e_inum(e2e_csv_at(ts, i, c_day)),
				 (long long)(i / per_day));
		if (i >= per_day)
			assert_string_equal(e2e_csv_at(ts, i, c_seg),
					    e2e_csv_at(ts, i - per_day, c_seg));
	}
	assert_int_equal(e2e_inum(e2e_csv_at(ts, ts->nrows - 1, c_day)),
			 r->days - 1);
}

/* The sharing file covers the same days. */
static void check_sharing_days(const struct run *r)
{
	const struct csv *sh = &r->sh;
	assert_true(sh->nrows % (size_t)r->days == 0);
	if (!sh->nrows)
		return;
	size_t per = sh->nrows / (size_t)r->days;
	for (size_t i = 0; i < sh->nrows; i++)
		assert_int_equal(e2e_inum(e2e_csv_at(sh, i, 0)),
				 (long long)(i / per));
}

/* One timeseries row: attempts split into blocked, failed and intrusions,
 * and detections into their sources. Returns its detections. */
static long long check_row(const struct csv *ts, size_t i)
{
	long long a = e2e_inum(e2e_csv_at(ts, i, e2e_csv_col(ts, "attempts"))),
		  b = e2e_inum(e2e_csv_at(ts, i, e2e_csv_col(ts, "blocked"))),
		  f = e2e_inum(e2e_csv_at(ts, i, e2e_csv_col(ts, "failed"))),
		  n = e2e_inum(
			  e2e_csv_at(ts, i, e2e_csv_col(ts, "intrusions"))),
		  d = e2e_inum(
			  e2e_csv_at(ts, i, e2e_csv_col(ts, "detections")));
	if (a != b + f + n)
		fail_msg("timeseries row %zu: attempts %lld != blocked %lld + "
			 "failed %lld + intrusions %lld",
			 i + 1, a, b, f, n);
	long long ds = 0;
	for (int k = 0; k < 5; k++)
		ds += e2e_inum(
			e2e_csv_at(ts, i, e2e_csv_col(ts, source_col(k))));
	assert_int_equal(d, ds);
	return d;
}

/* The sum of column col over the timeseries rows (rows of day `only`, or
 * all if only < 0). */
static double column_total(const struct run *r, const char *col, long long only)
{
	const struct csv *ts = &r->ts;
	size_t c = e2e_csv_col(ts, col), c_day = e2e_csv_col(ts, "day");
	double total = 0;
	for (size_t i = 0; i < ts->nrows; i++)
		if (only < 0 || e2e_inum(e2e_csv_at(ts, i, c_day)) == only)
			total += e2e_num(e2e_csv_at(ts, i, c));
	return total;
}

/* Every row's split, and the summary's totals equal to the timeseries'. */
static void check_timeseries_totals(const struct run *r)
{
	for (size_t i = 0; i < r->ts.nrows; i++)
		check_row(&r->ts, i);
	static const char *const same[] = {"attempts", "blocked", "failed",
					   "intrusions", "detections"};
	for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
		if (S(r, same[k]) != column_total(r, same[k], -1))
			fail_msg("summary %s = %g, timeseries total %g",
				 same[k], S(r, same[k]),
				 column_total(r, same[k], -1));
	assert_true(S(r, "open_footholds_end") ==
		    column_total(r, "open_footholds", r->days - 1));
	/* The council's days: each day's flag is national (on every
	 * segment's row), and the days flagged are the summary's. */
	size_t per_day = r->ts.nrows / (size_t)r->days;
	double flagged = column_total(r, "crisis", -1);
	if (flagged != S(r, "crisis_days") * (double)per_day)
		fail_msg("timeseries flags %g crisis rows, summary %g days x "
			 "%zu segments",
			 flagged, S(r, "crisis_days"), per_day);
}

/* ---- incidents.csv ------------------------------------------------------ */

/* What the rows of incidents.csv add up to. */
struct incidents {
	struct interval *iv; /* [n]: each foothold's open interval */
	struct obs *obs;     /* [n]: its dwell, for Kaplan-Meier */
	long long *orgs;     /* [n]: its organisation */
	size_t n;
	size_t made, carried; /* made in the horizon, open when it began */
	size_t detected, undetected, open, contained, state, breaches;
	size_t by_src[5], by_kind[3];
	double dwell_sum;
};

static int source_index(const char *src, size_t row)
{
	for (int k = 0; k < 5; k++)
		if (!strcmp(src, sources[k]))
			return k;
	fail_msg("incident %zu: bad source '%s'", row, src);
	return 0;
}

static int kind_index(const char *kind)
{
	static const char *const kinds[] = {"government", "infrastructure",
					    "corporation"};
	for (int k = 0; k < 3; k++)
		if (!strcmp(kind, kinds[k]))
			return k;
	fail_msg("bad kind '%s'", kind);
	return 0;
}

/* The detection of incident row i: consistent day, dwell and source. */
static void read_detection(const struct run *r, size_t i, long long comp,
			   struct incidents *x)
{
	const struct csv *inc = &r->inc;
	const char *det = e2e_csv_at(inc, i, e2e_csv_col(inc, "day_detected")),
		   *src = e2e_csv_at(inc, i,
				     e2e_csv_col(inc, "detection_source")),
		   *dw = e2e_csv_at(inc, i, e2e_csv_col(inc, "dwell_days"));
	struct obs *o = &x->obs[i];
	if (!*det) {
		if (*src || *dw)
			fail_msg("incident %zu: never detected but "
				 "detection_source '%s', dwell_days '%s'",
				 i, src, dw);
		/* censored at its age on the last day */
		*o = (struct obs){r->days - 1 - comp, comp < 0 ? -comp : 0, 1,
				  0, 0};
		x->undetected++;
		return;
	}
	long long d = e2e_inum(det);
	assert_true(d >= comp && d < r->days);
	if (e2e_inum(dw) != d - comp)
		fail_msg("incident %zu: dwell_days %s != %lld - %lld", i, dw, d,
			 comp);
	source_index(src, i);
	if (d < 0) { /* found in the warm-up, contained after it */
		*o = (struct obs){d - comp, 0, -1, 0, 0};
		return;
	}
	x->by_src[source_index(src, i)]++;
	*o = (struct obs){d - comp, comp < 0 ? -comp : 0, 0, 0, 0};
	x->detected++;
	x->dwell_sum += (double)(d - comp);
}

/* The last day incident row i is open: its containment (which follows
 * its detection) or the last day; days_open agrees. */
static long long read_containment(const struct run *r, size_t i, long long comp,
				  struct incidents *x)
{
	const struct csv *inc = &r->inc;
	const char *cont =
		e2e_csv_at(inc, i, e2e_csv_col(inc, "day_contained"));
	const char *det = e2e_csv_at(inc, i, e2e_csv_col(inc, "day_detected"));
	long long end = r->days - 1;
	if (*cont) {
		long long c = e2e_inum(cont);
		/* contained in the horizon: in the warm-up, it is not here */
		assert_true(*det && c >= e2e_inum(det) && c >= 0 &&
			    c < r->days);
		end = c;
		x->contained++;
	} else {
		x->open++;
	}
	assert_int_equal(
		e2e_inum(e2e_csv_at(inc, i, e2e_csv_col(inc, "days_open"))),
		end - comp + 1);
	return end;
}

/* Row i of incidents.csv, added to x. */
static void read_incident(const struct run *r, size_t i, struct incidents *x)
{
	const struct csv *inc = &r->inc;
#define CELL(name) e2e_csv_at(inc, i, e2e_csv_col(inc, name))
	/* Footholds in the order made; those contained in the warm-up are
	 * left out. */
	if (i > 0)
		assert_true(e2e_inum(CELL("foothold")) >
			    e2e_inum(e2e_csv_at(inc, i - 1,
						e2e_csv_col(inc, "foothold"))));
	long long comp = e2e_inum(CELL("day_compromised"));
	assert_true(comp < r->days);
	if (comp < 0)
		x->carried++;
	else
		x->made++;
	read_detection(r, i, comp, x);
	long long end = read_containment(r, i, comp, x);
	x->iv[i] = (struct interval){e2e_inum(CELL("campaign")),
				     e2e_inum(CELL("organisation")), comp, end};
	x->orgs[i] = x->iv[i].org;
	/* A breach reaches impact while open; a foothold that never does
	 * causes no damage. */
	const char *impact = CELL("day_impact");
	if (*impact) {
		long long d = e2e_inum(impact);
		assert_true(d >= comp && d <= end);
		x->breaches += d >= 0; /* a breach of the horizon */
	} else {
		assert_true(e2e_num(CELL("damage")) == 0);
	}
	const char *type = CELL("attacker_type");
	assert_true(!strcmp(type, "state") || !strcmp(type, "criminal"));
	x->obs[i].type = strcmp(type, "state") ? 1 : 0;
	x->obs[i].kind = kind_index(CELL("kind"));
	if (comp >= 0) { /* an intrusion of the horizon */
		x->state += !strcmp(type, "state");
		x->by_kind[x->obs[i].kind]++;
	}
#undef CELL
}

static void read_incidents(const struct run *r, struct incidents *x)
{
	size_t n = r->inc.nrows;
	*x = (struct incidents){.n = n};
	x->iv = e2e_malloc(n * sizeof *x->iv);
	x->obs = e2e_malloc(n * sizeof *x->obs);
	x->orgs = e2e_malloc(n * sizeof *x->orgs);
	for (size_t i = 0; i < n; i++)
		read_incident(r, i, x);
}

static void free_incidents(struct incidents *x)
{
	e2e_free(x->iv);
	e2e_free(x->obs);
	e2e_free(x->orgs);
}

/* The summary's counts equal incidents.csv's. */
static void check_incident_counts(const struct run *r,
				  const struct incidents *x)
{
	assert_true((double)x->made == S(r, "intrusions"));
	assert_true(S(r, "undetected_end") == (double)x->undetected);
	assert_true(S(r, "intrusions_government") == (double)x->by_kind[0]);
	assert_true(S(r, "intrusions_infrastructure") == (double)x->by_kind[1]);
	assert_true(S(r, "intrusions_corporate") == (double)x->by_kind[2]);
	assert_true(S(r, "intrusions_state") == (double)x->state);
	assert_true(S(r, "detections") == (double)x->detected);
	for (int k = 0; k < 5; k++)
		assert_true(S(r, source_col(k)) == (double)x->by_src[k]);
	assert_true(S(r, "open_footholds_end") == (double)x->open);
	assert_true(column_total(r, "contained", -1) == (double)x->contained);
	assert_true(S(r, "breaches") == (double)x->breaches);
	assert_true(column_total(r, "breaches", -1) == (double)x->breaches);
	assert_true(S(r, "breaches") ==
		    S(r, "breaches_government") +
			    S(r, "breaches_infrastructure") +
			    S(r, "breaches_corporate"));
	assert_true(S(r, "breaches") ==
		    S(r, "breaches_state") + S(r, "breaches_criminal"));
}

/* Mean dwell, and the Kaplan-Meier medians overall, by kind and by
 * attacker, from incidents.csv. */
/* The plain median of the dwell of detected footholds (of attacker type
 * `type`, or all if < 0), from incidents.csv, against the summary's col. */
static void check_detected_dwell(const struct run *r, const struct incidents *x,
				 const char *col, int type)
{
	long long *v = e2e_malloc((x->n + 1) * sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < x->n; i++)
		if (x->obs[i].censored == 0 &&
		    (type < 0 || x->obs[i].type == type))
			v[m++] = x->obs[i].t;
	qsort(v, m, sizeof *v, ll_cmp);
	double want = m ? (double)(v[(m - 1) / 2] + v[m / 2]) / 2 : NAN;
	e2e_free(v);
	const char *got = e2e_csv_at(&r->sum, 0, e2e_csv_col(&r->sum, col));
	if (isnan(want) ? *got != '\0' : !*got || e2e_num(got) != want)
		fail_msg("%s: summary has '%s', incidents.csv gives %g", col,
			 got, want);
}

static void check_dwell(const struct run *r, const struct incidents *x)
{
	const char *mean =
		e2e_csv_at(&r->sum, 0, e2e_csv_col(&r->sum, "mean_dwell_days"));
	if (x->detected)
		assert_true(fabs(e2e_num(mean) -
				 x->dwell_sum / (double)x->detected) <=
			    1e-12 * (1 + x->dwell_sum));
	else
		assert_string_equal(mean, "");
	static const struct {
		const char *col;
		int kind, type;
	} medians[] = {{"median_dwell_days", -1, -1},
		       {"median_dwell_days_government", 0, -1},
		       {"median_dwell_days_infrastructure", 1, -1},
		       {"median_dwell_days_corporate", 2, -1},
		       {"median_dwell_days_state", -1, 0},
		       {"median_dwell_days_criminal", -1, 1}};
	for (size_t k = 0; k < sizeof medians / sizeof medians[0]; k++) {
		double want = km_median(x->obs, x->n, medians[k].kind,
					medians[k].type);
		const char *got = e2e_csv_at(
			&r->sum, 0, e2e_csv_col(&r->sum, medians[k].col));
		if (isnan(want) ? *got != '\0' : !*got || e2e_num(got) != want)
			fail_msg("%s: summary has '%s', Kaplan-Meier from "
				 "incidents.csv gives %g",
				 medians[k].col, got, want);
	}
	check_detected_dwell(r, x, "median_dwell_detected_days", -1);
	check_detected_dwell(r, x, "median_dwell_detected_days_state", 0);
	check_detected_dwell(r, x, "median_dwell_detected_days_criminal", 1);
}

/* orgs_compromised_frac: distinct organisations / organisations. */
static void check_compromised(const struct run *r, struct incidents *x)
{
	qsort(x->orgs, x->n, sizeof *x->orgs, ll_cmp);
	size_t distinct = 0;
	for (size_t i = 0; i < x->n; i++)
		distinct += i == 0 || x->orgs[i] != x->orgs[i - 1];
	assert_true(fabs(S(r, "orgs_compromised_frac") * S(r, "organisations") -
			 (double)distinct) < 1e-6);
}

/* No two footholds of one campaign in one organisation overlap:
 * intervals [day_compromised, day_contained or last day]. Returns the
 * pairs checked. */
static size_t check_no_overlap(struct incidents *x)
{
	qsort(x->iv, x->n, sizeof *x->iv, interval_cmp);
	size_t repeats = 0;
	for (size_t i = 1; i < x->n; i++) {
		const struct interval *a = &x->iv[i - 1], *b = &x->iv[i];
		if (a->campaign != b->campaign || a->org != b->org)
			continue;
		repeats++;
		if (b->from <= a->to)
			fail_msg("campaign %lld compromised organisation %lld "
				 "on day %lld while its foothold of day %lld "
				 "was open until day %lld",
				 b->campaign, b->org, b->from, a->from, a->to);
	}
	return repeats;
}

/* ---- readiness.csv ------------------------------------------------------ */

/* Mean days from detection to containment of the breaches contained in
 * the horizon, of all kinds (gov_ci 0) or of government and critical
 * infrastructure (1), from incidents.csv; NaN if none. */
static double contain_mean(const struct run *r, int gov_ci)
{
	const struct csv *t = &r->inc;
	size_t impact = e2e_csv_col(t, "day_impact");
	size_t det = e2e_csv_col(t, "day_detected");
	size_t con = e2e_csv_col(t, "day_contained");
	size_t kind = e2e_csv_col(t, "kind");
	double sum = 0, n = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const char *k = e2e_csv_at(t, i, kind);
		if (!*e2e_csv_at(t, i, impact) || !*e2e_csv_at(t, i, con) ||
		    e2e_num(e2e_csv_at(t, i, con)) < 0)
			continue;
		if (gov_ci && strcmp(k, "government") &&
		    strcmp(k, "infrastructure"))
			continue;
		sum += e2e_num(e2e_csv_at(t, i, con)) -
		       e2e_num(e2e_csv_at(t, i, det));
		n++;
	}
	return n > 0 ? sum / n : NAN;
}

/* readiness.csv: the seven elements in the CRI's order; each scored one
 * recomputed from summary.csv and incidents.csv by README's formulas (a
 * time x with benchmark b scores b / (b + x), a fraction itself; the
 * element the mean), its level from the thresholds 1/3 and 2/3; the
 * others not modelled with an empty score. */
static void check_readiness(const struct run *r)
{
	static const char *const names[7] = {"national_strategy",
					     "incident_response",
					     "e_crime_and_law_enforcement",
					     "information_sharing",
					     "investment_in_rd",
					     "diplomacy_and_trade",
					     "defense_and_crisis_response"};
	static const int scored[7] = {0, 1, 0, 1, 0, 0, 1};
	double made = S(r, "intrusions_government") +
		      S(r, "intrusions_infrastructure");
	double broke =
		S(r, "breaches_government") + S(r, "breaches_infrastructure");
	double stopped = 1 - broke / made;
	double want[7] = {
		NAN,
		(99 / (99 + S(r, "median_dwell_detected_days")) +
		 69 / (69 + contain_mean(r, 0))) /
			2,
		NAN,
		(S(r, "shares_sent") / S(r, "detections") +
		 S(r, "knowledge_coverage")) /
			2,
		NAN,
		NAN,
		((stopped < 0 ? 0 : stopped) + 69 / (69 + contain_mean(r, 1))) /
			2};
	struct csv t;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s", r->dir);
	e2e_csv_load(&t, path, "readiness.csv");
	assert_int_equal(t.nrows, 7);
	size_t ce = e2e_csv_col(&t, "element"), cs = e2e_csv_col(&t, "score");
	size_t cl = e2e_csv_col(&t, "level");
	for (size_t e = 0; e < 7; e++) {
		const char *score = e2e_csv_at(&t, e, cs);
		const char *level = e2e_csv_at(&t, e, cl);
		assert_string_equal(e2e_csv_at(&t, e, ce), names[e]);
		if (!scored[e]) {
			assert_string_equal(score, "");
			assert_string_equal(level, "not modelled");
			continue;
		}
		if (isnan(want[e])) { /* no evidence */
			assert_string_equal(score, "");
			assert_string_equal(level, "insufficient evidence");
			continue;
		}
		double got = e2e_num(score);
		if (!(fabs(got - want[e]) <= 1e-12))
			fail_msg("readiness %s: %.17g, want %.17g", names[e],
				 got, want[e]);
		assert_string_equal(level, got >= 2.0 / 3 ? "fully operational"
					   : got >= 1.0 / 3
						   ? "partially operational"
						   : "insufficient evidence");
	}
	e2e_csv_free(&t);
}

/* Checks the invariants of the run in work/dir; `days` is the expected
 * horizon. Returns the number of (campaign, organisation) pairs with more
 * than one foothold, so callers can make sure the overlap check had
 * something to check. */
static size_t check_run(const struct fixture *fx, const char *dir,
			long long days)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, dir);
	struct run r = {.days = days, .dir = path};
	e2e_csv_load(&r.ts, path, "timeseries.csv");
	e2e_csv_load(&r.sh, path, "sharing.csv");
	e2e_csv_load(&r.inc, path, "incidents.csv");
	e2e_csv_load(&r.sum, path, "summary.csv");
	e2e_assert_numeric_nonneg(&r.ts, "timeseries.csv", "segment kind");
	e2e_assert_numeric_nonneg(&r.sh, "sharing.csv", "body kind");
	check_summary_values(&r);
	check_summary_consistency(&r);
	check_timeseries_days(&r);
	check_sharing_days(&r);
	check_timeseries_totals(&r);
	struct incidents x;
	read_incidents(&r, &x);
	check_incident_counts(&r, &x);
	check_dwell(&r, &x);
	check_compromised(&r, &x);
	check_readiness(&r);
	size_t repeats = check_no_overlap(&x);
	free_incidents(&x);
	e2e_csv_free(&r.ts);
	e2e_csv_free(&r.sh);
	e2e_csv_free(&r.inc);
	e2e_csv_free(&r.sum);
	return repeats;
}

#undef S

/* ---- the runs ----------------------------------------------------------- */

static void run_ok(const struct fixture *fx, const char *const *args)
{
	struct ts_proc p;
	e2e_start(fx, &p, args);
	e2e_collect(&p);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
}

static void test_invariants_default(void **state)
{
	struct fixture *fx = *state;
	const char *args[] = {"run", "--seed",	"11", "--out",
			      "inv", "--quiet", NULL};
	run_ok(fx, args);
	check_run(fx, "inv", 365);
}

static void test_invariants_days30(void **state)
{
	struct fixture *fx = *state;
	const char *args[] = {"run", "--set",	"days=30", "--out",
			      "d30", "--quiet", NULL};
	run_ok(fx, args);
	check_run(fx, "d30", 30); /* exactly days 0..29 */
}

/* A small world where one campaign keeps re-entering the same few
 * organisations: knowing a campaign does not block it, detection and
 * containment are quick. The overlap check then has pairs to check. */
static const char repeat_cfg[] =
	"days = 150; warmup_days = 0;\n"
	"segments = {\n"
	"  firms = { kind = \"corporation\"; count = 5; };\n"
	"  office = { kind = \"government\"; count = 3; };\n"
	"};\n"
	"attackers = {\n"
	"  crooks = { type = \"criminal\"; objective = \"extortion\";\n"
	"    campaigns_per_year = 6.0; campaign_days = 300.0;\n"
	"    attempts_per_day = 20.0; success_prob = 0.5;\n"
	"    damage_per_day = 1000.0;\n"
	"    targets = { firms = 1.0; office = 1.0; }; };\n"
	"  spies = { type = \"state\"; objective = \"espionage\";\n"
	"    campaigns_per_year = 6.0; campaign_days = 300.0;\n"
	"    attempts_per_day = 10.0; success_prob = 0.5;\n"
	"    damage_per_day = 10.0;\n"
	"    targets = { office = 1.0; }; };\n"
	"};\n"
	"detection = { external_rate = 0.5; block_efficacy = 0.0;\n"
	"  containment_days = 1.0; };\n";

static void test_invariants_repeated_footholds(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "repeat.cfg", repeat_cfg);
	const char *const seeds[] = {"1", "2", "3"};
	size_t repeats = 0;
	for (size_t i = 0; i < 3; i++) {
		struct ts_proc p;
		char dir[32];
		snprintf(dir, sizeof dir, "rep%zu", i);
		e2e_run(fx, &p, "run", "repeat.cfg", "--seed", seeds[i],
			"--out", dir, "--quiet", NULL);
		e2e_assert_exit(&p, 0);
		e2e_proc_free(&p);
		repeats += check_run(fx, dir, 150);
	}
	/* Otherwise the overlap check above checked nothing. */
	assert_true(repeats > 0);
}

/* The same world after a warm-up: footholds open on day 0 are reported
 * with their negative day_compromised, and the checks hold with them. */
static void test_invariants_warmup(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "repeat.cfg", repeat_cfg);
	struct ts_proc p;
	e2e_run(fx, &p, "run", "repeat.cfg", "--seed", "4", "--set",
		"warmup_days=200", "--set", "days=60", "--out", "warm",
		"--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	check_run(fx, "warm", 60);
	struct csv inc;
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, "warm");
	e2e_csv_load(&inc, path, "incidents.csv");
	size_t carried = 0, c = e2e_csv_col(&inc, "day_compromised");
	for (size_t i = 0; i < inc.nrows; i++)
		carried += e2e_inum(e2e_csv_at(&inc, i, c)) < 0;
	e2e_csv_free(&inc);
	assert_true(carried > 0); /* the warm-up's footholds were checked */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, e2e_setup, e2e_teardown)
		T(test_invariants_default),
		T(test_invariants_days30),
		T(test_invariants_repeated_footholds),
		T(test_invariants_warmup),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
