/* posterior: see posterior.h. */
#include "analysis/posterior.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csvread.h"
#include "analysis/observe.h"
#include "core/fileio.h"
#include "core/keyed.h"

#define POSTERIOR_MAX_BYTES ((size_t)1 << 30)

void posterior_free(struct posterior *p)
{
	free(p->particle);
	free(p->line);
	free(p->cum);
	free(p->text);
	p->particle = NULL;
	p->line = NULL;
	p->cum = NULL;
	p->text = NULL;
	p->n = 0;
}

/* Parses cell s as a whole number into *x. Returns 0 or -1. */
static int whole(const char *s, long *x)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno)
		return -1;
	*x = v;
	return 0;
}

/* Parses cell s as a finite real into *x. Returns 0 or -1. */
static int real(const char *s, double *x)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v))
		return -1;
	*x = v;
	return 0;
}

static int bad(struct cd_diag *d, const csv_table *t, size_t row,
	       const char *what)
{
	snprintf(d->msg, sizeof d->msg, "%.500s:%zu: %s", t->name, t->line[row],
		 what);
	return CD_EINVAL;
}

/* Is `name` a parameter of the observation model (observe.h), which a
 * calibration estimates but which changes no run? */
static int observation_param(const char *name)
{
	for (int k = 0; k < OBSERVE_N_PARAMS; k++)
		if (!strcmp(name, observe_params[k].name))
			return 1;
	return 0;
}

/* Checks the header: generation, particle, settings, weight, distance.
 * The observation model's parameters are skipped: they weigh what a
 * published source would see, not what happens in a run. */
static int header(struct posterior *p, const csv_table *t,
		  const struct cd_params *params, struct cd_diag *d)
{
	size_t c = t->ncols;
	if (c < 5 || strcmp(csv_table_cell(t, 0, 0), "generation") ||
	    strcmp(csv_table_cell(t, 0, 1), "particle") ||
	    strcmp(csv_table_cell(t, 0, c - 2), "weight") ||
	    strcmp(csv_table_cell(t, 0, c - 1), "distance"))
		return bad(d, t, 0,
			   "not a posterior.csv header; allowed: "
			   "generation,particle,SETTING...,weight,distance "
			   "(as cyberdef calibrate writes it)");
	if (c - 4 > POSTERIOR_MAX_PARAMS)
		return bad(d, t, 0, "more than 32 settings (a limit)");
	p->d = 0;
	for (size_t col = 2; col + 2 < c; col++) {
		const char *name = csv_table_cell(t, 0, col);
		if (observation_param(name))
			continue;
		char where[700];
		snprintf(where, sizeof where, "%.500s:%zu: column %zu", t->name,
			 t->line[0], col + 1);
		if (strlen(name) + 1 >= CD_SET_MAX / 2 ||
		    scenario_check_path(params, name, where, d))
			return CD_EINVAL;
		snprintf(p->name[p->d], sizeof p->name[p->d], "%s", name);
		p->col[p->d++] = col;
	}
	return 0;
}

/* Checks row r's generation, particle and weight; *g its generation. */
static int row_fields(const csv_table *t, size_t r, long *g, long *k, double *w,
		      struct cd_diag *d)
{
	size_t c = t->ncols;
	double dist;
	if (whole(csv_table_cell(t, r, 0), g))
		return bad(d, t, r,
			   "field 1 (generation): allowed: a whole number "
			   ">= 0");
	if (whole(csv_table_cell(t, r, 1), k))
		return bad(d, t, r,
			   "field 2 (particle): allowed: a whole number >= 0");
	if (real(csv_table_cell(t, r, c - 2), w) || !(*w > 0))
		return bad(d, t, r, "field weight: allowed: a finite real > 0");
	if (real(csv_table_cell(t, r, c - 1), &dist) || dist < 0)
		return bad(d, t, r,
			   "field distance: allowed: a finite real >= 0");
	return 0;
}

/* Takes row r (of the final generation) as particle i. */
static int take_row(struct posterior *p, const csv_table *t, size_t r, size_t i,
		    const struct cd_params *params, struct cd_diag *d)
{
	for (int k = 0; k < p->d; k++) {
		const char *v = csv_table_cell(t, r, p->col[k]);
		char where[700];
		struct cd_assign a;
		snprintf(where, sizeof where, "%.500s:%zu: field %zu", t->name,
			 t->line[r], p->col[k] + 1);
		if (strlen(v) + strlen(p->name[k]) + 2 > CD_SET_MAX)
			return bad(d, t, r, "a value too long (a limit)");
		if (scenario_parse_assign(params, p->name[k], v, where, &a, d))
			return CD_EINVAL;
		size_t a_len = strlen(p->name[k]), v_len = strlen(v);
		char *out = p->text[i][k];
		memcpy(out, p->name[k], a_len);
		out[a_len] = '=';
		memcpy(out + a_len + 1, v, v_len + 1);
	}
	return 0;
}

/* The rows of t: checked, the final generation's taken. */
static int rows(struct posterior *p, const csv_table *t,
		const struct cd_params *params, struct cd_diag *d)
{
	long g, k, last = -1;
	double w, sum = 0;
	size_t n = 0;
	for (size_t r = 1; r <= t->nrows; r++) {
		if (row_fields(t, r, &g, &k, &w, d))
			return CD_EINVAL;
		n = g > last ? 1 : n + (g == last);
		last = g > last ? g : last;
	}
	p->generation = last;
	if (n == 0)
		return bad(d, t, 0, "no rows");
	p->particle = calloc(n, sizeof *p->particle);
	p->line = calloc(n, sizeof *p->line);
	p->cum = calloc(n, sizeof *p->cum);
	p->text = calloc(n, sizeof *p->text);
	if (!p->particle || !p->line || !p->cum || !p->text)
		return CD_ENOMEM;
	p->n = n;
	size_t i = 0;
	for (size_t r = 1; r <= t->nrows; r++) {
		(void)row_fields(t, r, &g, &k, &w, d);
		if (g != last)
			continue;
		if (take_row(p, t, r, i, params, d))
			return CD_EINVAL;
		p->particle[i] = k;
		p->line[i] = t->line[r];
		sum += w;
		p->cum[i++] = sum;
	}
	for (i = 0; i < n; i++)
		p->cum[i] /= sum;
	p->cum[n - 1] = 1.0;
	return 0;
}

int posterior_load(struct posterior *p, const char *path,
		   const struct cd_params *params, struct cd_diag *d)
{
	memset(p, 0, sizeof *p);
	char *data;
	size_t len;
	const char *why;
	int rc = cd_file_read(path, POSTERIOR_MAX_BYTES, &data, &len, &why);
	if (rc) {
		snprintf(d->msg, sizeof d->msg,
			 "cannot read posterior %.900s: %s", path, why);
		return rc == CD_ELIMIT ? CD_EINVAL : rc;
	}
	snprintf(p->path, sizeof p->path, "%s", path);
	cd_sha256_hex(data, len, p->sha256);
	csv_table t;
	rc = csv_table_parse(&t, path, data, len, &csv_limits_default, d);
	free(data);
	if (rc)
		return rc == CD_ELIMIT ? CD_EINVAL : rc;
	rc = header(p, &t, params, d);
	if (!rc && t.nrows == 0)
		rc = bad(d, &t, 0,
			 "a header and no rows; allowed: the particles of "
			 "at least one generation");
	if (!rc)
		rc = rows(p, &t, params, d);
	csv_table_free(&t);
	if (rc) {
		if (rc == CD_ENOMEM)
			snprintf(d->msg, sizeof d->msg, "out of memory");
		posterior_free(p);
	}
	return rc;
}

void posterior_layer(const struct posterior *p, size_t k,
		     struct posterior_layer *ly)
{
	snprintf(ly->name, sizeof ly->name,
		 "posterior %.1000s:%zu (generation %ld, particle %ld)",
		 p->path, p->line[k], p->generation, p->particle[k]);
	for (int i = 0; i < p->d; i++)
		ly->texts[i] = p->text[k][i];
	ly->layer = (struct cd_layer){ly->name, ly->texts, p->d};
}

size_t posterior_draw(const struct posterior *p, uint64_t seed, uint64_t r)
{
	cd_key key = cd_key_of(seed, cd_name_id(POSTERIOR_KEY));
	double u = cd_keyed_u01(key, r, 0);
	size_t lo = 0, hi = p->n - 1;
	while (lo < hi) { /* the first i with u <= cum[i] */
		size_t mid = lo + (hi - lo) / 2;
		if (u <= p->cum[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}
