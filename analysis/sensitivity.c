/* sensitivity: see sensitivity.h. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "analysis/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/gsa.h"
#include "analysis/spec.h"
#include "load/scenario.h"
#include "params/schema.h"

#define SENS_MAX_ROWS 100000 /* points of a design (design.h's limit) */
#define SENS_BOOT 1000	     /* bootstrap resamples */

/* Parses "PATH=LO:HI[:log]" into *q, checking the setting and the range
 * against p. */
static int parse_param(const char *text, struct sens_param *q,
		       const struct cd_params *p, struct cd_diag *d)
{
	const char *eq = strchr(text, '=');
	char where[400];
	snprintf(where, sizeof where, "--param %.300s", text);
	if (!eq || eq == text || (size_t)(eq - text) >= sizeof q->path) {
		snprintf(d->msg, sizeof d->msg,
			 "%s: expected PATH=LO:HI or PATH=LO:HI:log, e.g. "
			 "detection.indicator_yield=0.05:0.3",
			 where);
		return CD_EINVAL;
	}
	memcpy(q->path, text, (size_t)(eq - text));
	q->path[eq - text] = '\0';
	if (scenario_check_path(p, q->path, where, d))
		return CD_EINVAL;
	const struct schema_field *f = schema_field_at(q->path);
	if (!f || (f->type != SCHEMA_INT && f->type != SCHEMA_I64 &&
		   f->type != SCHEMA_REAL && f->type != SCHEMA_WEIGHTS)) {
		snprintf(d->msg, sizeof d->msg,
			 "%s: %s is not a number; allowed: a numeric setting "
			 "(an integer, a real or a weight), not a switch, a "
			 "choice of names or a text",
			 where, q->path);
		return CD_EINVAL;
	}
	q->integer = f->type == SCHEMA_INT || f->type == SCHEMA_I64;
	char *end;
	const char *at = eq + 1;
	q->lo = strtod(at, &end);
	int ok = end != at && *end == ':';
	if (ok) {
		at = end + 1;
		q->hi = strtod(at, &end);
		ok = end != at && (!*end || !strcmp(end, ":log"));
	}
	if (!ok || !isfinite(q->lo) || !isfinite(q->hi) || !(q->lo < q->hi)) {
		snprintf(d->msg, sizeof d->msg,
			 "%s: allowed: LO:HI or LO:HI:log with finite LO < HI",
			 where);
		return CD_EINVAL;
	}
	q->log = *end != '\0';
	if (q->log && !(q->lo > 0)) {
		snprintf(d->msg, sizeof d->msg,
			 "%s: a log range needs LO > 0; allowed: LO:HI:log "
			 "with 0 < LO < HI",
			 where);
		return CD_EINVAL;
	}
	/* Both ends must be values the setting takes. */
	for (int side = 0; side < 2; side++) {
		char v[64];
		snprintf(v, sizeof v, "%.17g", side ? q->hi : q->lo);
		struct cd_assign a;
		if (scenario_parse_assign(p, q->path, v, where, &a, d))
			return CD_EINVAL;
	}
	return 0;
}

/* The value of parameter q at unit coordinate u, as text. */
static void value_text(const struct sens_param *q, double u, char *buf,
		       size_t size)
{
	double v = q->log ? q->lo * pow(q->hi / q->lo, u)
			  : q->lo + u * (q->hi - q->lo);
	v = fmin(fmax(v, q->lo), q->hi);
	if (q->integer)
		snprintf(buf, size, "%.0f", round(v));
	else
		snprintf(buf, size, "%.17g", v);
}

/* The design as CSV text, into s->csv. */
static int design_csv(struct sens_plan *s)
{
	FILE *f = open_memstream(&s->csv, &s->csv_len);
	if (!f)
		return CD_ENOMEM;
	for (int c = 0; c < s->k; c++) {
		if (c)
			csv_sep(f);
		csv_str(f, s->p[c].path);
	}
	csv_eol(f);
	for (size_t r = 0; r < s->rows; r++) {
		for (int c = 0; c < s->k; c++) {
			char v[SWEEP_VALUE_MAX];
			value_text(&s->p[c],
				   s->unit[r * (size_t)s->k + (size_t)c], v,
				   sizeof v);
			if (c)
				csv_sep(f);
			csv_str(f, v);
		}
		csv_eol(f);
	}
	return fclose(f) ? CD_ENOMEM : 0;
}

int sensitivity_plan(struct sens_plan *s, const char *const *params,
		     int n_params, int method, size_t n, unsigned levels,
		     uint64_t seed, const struct cd_params *base,
		     struct cd_diag *d)
{
	*s = (struct sens_plan){.method = method, .n = n, .levels = levels};
	if (n_params < 1 || n_params > SENS_MAX_PARAMS) {
		snprintf(d->msg, sizeof d->msg,
			 "%d parameters; allowed: 1 to %d --param", n_params,
			 SENS_MAX_PARAMS);
		return n_params < 1 ? CD_EINVAL : CD_ELIMIT;
	}
	for (int i = 0; i < n_params; i++) {
		int rc = parse_param(params[i], &s->p[i], base, d);
		if (rc)
			return rc;
		for (int j = 0; j < i; j++)
			if (!strcmp(s->p[j].path, s->p[i].path)) {
				snprintf(d->msg, sizeof d->msg,
					 "--param %.300s: %s is given twice",
					 params[i], s->p[i].path);
				return CD_EINVAL;
			}
		s->k++;
	}
	size_t k = (size_t)s->k;
	double rows = method == SENS_SOBOL ? (double)n * (double)(k + 2)
					   : (double)n * (double)(k + 1);
	if (rows > SENS_MAX_ROWS) {
		snprintf(d->msg, sizeof d->msg,
			 "the design has %.0f points (%zu x %zu); allowed: at "
			 "most %d: a smaller --n",
			 rows, n, method == SENS_SOBOL ? k + 2 : k + 1,
			 SENS_MAX_ROWS);
		return CD_ELIMIT;
	}
	s->rows = (size_t)rows;
	s->unit = malloc(s->rows * k * sizeof *s->unit + 1);
	if (!s->unit)
		return CD_ENOMEM;
	int rc = method == SENS_SOBOL
			 ? gsa_saltelli_design(k, n, s->unit)
			 : gsa_morris_design(k, n, levels, seed, s->unit);
	if (rc == CD_EINVAL) {
		snprintf(d->msg, sizeof d->msg,
			 "--levels %u: allowed: an even number from 2 to %d",
			 levels, GSA_MORRIS_MAX_LEVELS);
		return rc;
	}
	return rc ? rc : design_csv(s);
}

void sensitivity_free(struct sens_plan *s)
{
	free(s->unit);
	free(s->csv);
	s->unit = NULL;
	s->csv = NULL;
}

/* One row of indices.csv. */
static void index_row(FILE *f, const char *param, const char *metric,
		      const char *method, const char *index,
		      const gsa_estimate *x)
{
	csv_str(f, param);
	csv_sep(f);
	csv_str(f, metric);
	csv_sep(f);
	csv_str(f, method);
	csv_sep(f);
	csv_str(f, index);
	const double v[] = {x->value, x->ci_lo, x->ci_hi};
	for (int i = 0; i < 3; i++) { /* empty where undefined */
		csv_sep(f);
		csv_real(f, v[i]);
	}
	csv_eol(f);
}

int sensitivity_indices(const struct sens_plan *s, const double *y,
			const char *const *metrics, int n_metrics,
			uint64_t seed, FILE *out)
{
	static const char *const names[] = {"parameter", "metric", "method",
					    "index",	 "value",  "ci_lo",
					    "ci_hi"};
	csv_header(out, names, sizeof names / sizeof names[0]);
	size_t k = (size_t)s->k;
	gsa_estimate s1[SENS_MAX_PARAMS], st[SENS_MAX_PARAMS];
	gsa_morris_index mi[SENS_MAX_PARAMS];
	for (int m = 0; m < n_metrics; m++) {
		const double *ym = y + (size_t)m * s->rows;
		int rc;
		if (s->method == SENS_SOBOL) {
			gsa_sobol_info info;
			rc = gsa_sobol_analyse(k, s->n, ym, SENS_BOOT, seed, s1,
					       st, &info);
		} else {
			size_t used;
			rc = gsa_morris_analyse(k, s->n, s->unit, ym, SENS_BOOT,
						seed, mi, &used);
		}
		if (rc)
			return rc == CD_ENOMEM ? rc : CD_EINVAL;
		for (size_t i = 0; i < k; i++) {
			const char *p = s->p[i].path;
			if (s->method == SENS_SOBOL) {
				index_row(out, p, metrics[m], "sobol", "S1",
					  &s1[i]);
				index_row(out, p, metrics[m], "sobol", "ST",
					  &st[i]);
			} else {
				index_row(out, p, metrics[m], "morris",
					  "mu_star", &mi[i].mu_star);
				index_row(out, p, metrics[m], "morris", "mu",
					  &mi[i].mu);
				index_row(out, p, metrics[m], "morris", "sigma",
					  &mi[i].sigma);
			}
		}
	}
	return 0;
}
