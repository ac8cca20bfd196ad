/* abc_io: posterior.csv and generations.csv of an ABC-SMC run. */
#include "analysis/abc_io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "analysis/csvread.h"

#define POSTERIOR "posterior.csv"
#define GENERATIONS "generations.csv"

static const char *const gen_cols[] = {
	"generation",	   "tolerance",	  "accepted",
	"proposals",	   "simulations", "undefined",
	"acceptance_rate", "ess",	  "wall_seconds"};
#define N_GEN_COLS (sizeof gen_cols / sizeof gen_cols[0])

void abc_pop_free(struct abc_pop *pop)
{
	if (!pop)
		return;
	free(pop->theta);
	free(pop->weight);
	free(pop->distance);
	memset(pop, 0, sizeof *pop);
}

int abc_pop_alloc(struct abc_pop *pop, size_t n, size_t d)
{
	memset(pop, 0, sizeof *pop);
	pop->theta = malloc(n * d * sizeof *pop->theta);
	pop->weight = malloc(n * sizeof *pop->weight);
	pop->distance = malloc(n * sizeof *pop->distance);
	if (!pop->theta || !pop->weight || !pop->distance) {
		abc_pop_free(pop);
		return CD_ENOMEM;
	}
	pop->n = n;
	return 0;
}

/* Writing */

static void write_posterior(FILE *f, const abc_problem *p,
			    const struct abc_pop *pops, unsigned n_gen)
{
	csv_str(f, "generation");
	csv_sep(f);
	csv_str(f, "particle");
	for (size_t j = 0; j < p->d; j++) {
		csv_sep(f);
		csv_str(f, p->names[j]);
	}
	csv_sep(f);
	csv_str(f, "weight");
	csv_sep(f);
	csv_str(f, "distance");
	csv_eol(f);
	for (unsigned g = 0; g < n_gen; g++) {
		const struct abc_pop *q = &pops[g];
		for (size_t i = 0; i < q->n; i++) {
			csv_int(f, (long long)g);
			csv_sep(f);
			csv_int(f, (long long)i);
			for (size_t j = 0; j < p->d; j++) {
				csv_sep(f);
				csv_real(f, q->theta[i * p->d + j]);
			}
			csv_sep(f);
			csv_real(f, q->weight[i]);
			csv_sep(f);
			csv_real(f, q->distance[i]);
			csv_eol(f);
		}
	}
}

static void write_generations(FILE *f, const abc_generation *gen,
			      unsigned n_gen)
{
	csv_header(f, gen_cols, N_GEN_COLS);
	for (unsigned g = 0; g < n_gen; g++) {
		const abc_generation *s = &gen[g];
		csv_int(f, (long long)g);
		csv_sep(f);
		csv_real(f, s->tolerance);
		csv_sep(f);
		csv_int(f, (long long)s->accepted);
		csv_sep(f);
		csv_int(f, (long long)s->proposals);
		csv_sep(f);
		csv_int(f, (long long)s->simulations);
		csv_sep(f);
		csv_int(f, (long long)s->undefined);
		csv_sep(f);
		csv_real(f, s->acceptance_rate);
		csv_sep(f);
		csv_real(f, s->ess);
		csv_sep(f);
		csv_real(f, s->wall_seconds);
		csv_eol(f);
	}
}

static int open_in(cd_outfile **f, const char *dir, const char *name,
		   struct cd_diag *d)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >=
	    (int)sizeof path) {
		snprintf(d->msg, sizeof d->msg, "abc: path too long: %.900s",
			 dir);
		return CD_EINVAL;
	}
	int rc = cd_outfile_open(f, path);
	if (rc)
		snprintf(d->msg, sizeof d->msg, "cannot write %.900s: %s", path,
			 rc == CD_ENOMEM ? "out of memory" : strerror(errno));
	return rc;
}

int abc_io_write(const char *dir, const abc_problem *p,
		 const struct abc_pop *pops, const abc_generation *gen,
		 unsigned n_gen, struct cd_diag *d)
{
	cd_outfile *files[2] = {NULL, NULL};
	int rc = open_in(&files[0], dir, POSTERIOR, d);
	if (!rc)
		rc = open_in(&files[1], dir, GENERATIONS, d);
	if (rc) {
		cd_outfile_abort(files[0]);
		return rc;
	}
	write_posterior(cd_outfile_stream(files[0]), p, pops, n_gen);
	write_generations(cd_outfile_stream(files[1]), gen, n_gen);
	int failed = 0;
	rc = cd_outfile_commit_all(files, 2, &failed);
	if (rc)
		snprintf(d->msg, sizeof d->msg, "cannot write %.900s/%s: %s",
			 dir, failed ? GENERATIONS : POSTERIOR,
			 rc == CD_ENOMEM ? "out of memory" : strerror(errno));
	return rc;
}

/* Reading */

/* A field read back: a real (empty reads as `empty`), or a count. */
static int field_real(const csv_table *t, size_t row, size_t col, double empty,
		      double *out, struct cd_diag *d)
{
	const char *s = csv_table_cell(t, row, col);
	if (!*s) {
		*out = empty;
		if (!isnan(empty))
			return 0;
	} else {
		char *end = NULL;
		errno = 0;
		*out = strtod(s, &end);
		if (!*end && errno == 0 && isfinite(*out))
			return 0;
	}
	snprintf(d->msg, sizeof d->msg,
		 "%.500s:%zu: %.100s is \"%.100s\": a finite number is needed",
		 t->name, t->line[row], csv_table_cell(t, 0, col), s);
	return CD_EINVAL;
}

static int field_count(const csv_table *t, size_t row, size_t col, size_t *out,
		       struct cd_diag *d)
{
	const char *s = csv_table_cell(t, row, col);
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s >= '0' && *s <= '9' && !*end && errno == 0) {
		*out = (size_t)v;
		return 0;
	}
	snprintf(d->msg, sizeof d->msg,
		 "%.500s:%zu: %.100s is \"%.100s\": a count (0, 1, 2, ...) "
		 "is needed",
		 t->name, t->line[row], csv_table_cell(t, 0, col), s);
	return CD_EINVAL;
}

static int check_header(const csv_table *t, const char *const *names, size_t n,
			struct cd_diag *d)
{
	int ok = t->ncols == n;
	for (size_t c = 0; ok && c < n; c++)
		ok = strcmp(csv_table_cell(t, 0, c), names[c]) == 0;
	if (ok)
		return 0;
	size_t len = 0;
	for (size_t c = 0; c < n && len < 400; c++)
		len += (size_t)snprintf(d->msg + len, 400 - len, "%s%s",
					c ? "," : "", names[c]);
	char want[400];
	memcpy(want, d->msg, sizeof want);
	want[sizeof want - 1] = '\0';
	snprintf(d->msg, sizeof d->msg,
		 "%.500s:%zu: the header is not that of this run (%s): "
		 "resume needs the same parameters",
		 t->name, t->line[0], want);
	return CD_EINVAL;
}

static int read_table(csv_table *t, const char *dir, const char *name,
		      struct cd_diag *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return csv_table_read(t, path, &csv_limits_default, d);
}

/* The number of leading complete generations of posterior.csv (at most
 * max_gen): generation g is rows 1 + g N .. (g + 1) N, N = particles.
 * Only the last generation may be short (the cap); any other numbering
 * is refused. */
static int count_complete(const csv_table *t, size_t particles,
			  unsigned max_gen, unsigned *n_gen, struct cd_diag *d)
{
	size_t g = 0, i = 0;
	*n_gen = 0;
	for (size_t row = 1; row <= t->nrows; row++) {
		size_t rg, ri;
		int rc = field_count(t, row, 0, &rg, d);
		if (!rc)
			rc = field_count(t, row, 1, &ri, d);
		if (rc)
			return rc;
		if (i == particles && rg == g + 1) {
			g++;
			i = 0;
		}
		if (rg != g || ri != i || i == particles) {
			snprintf(d->msg, sizeof d->msg,
				 "%.500s:%zu: particle %zu of generation %zu "
				 "where particle %zu of generation %zu was "
				 "expected (particles = %zu)",
				 t->name, t->line[row], ri, rg,
				 i == particles ? 0 : i,
				 i == particles ? g + 1 : g, particles);
			return CD_EINVAL;
		}
		if (++i == particles && g < max_gen)
			*n_gen = (unsigned)(g + 1);
	}
	return 0;
}

static int read_pops(const csv_table *t, const abc_problem *p, size_t particles,
		     unsigned n_gen, struct abc_pop *pops, struct cd_diag *d)
{
	for (unsigned g = 0; g < n_gen; g++) {
		int rc = abc_pop_alloc(&pops[g], particles, p->d);
		if (rc)
			return rc;
		for (size_t i = 0; i < particles; i++) {
			size_t row = 1 + g * particles + i;
			for (size_t j = 0; rc == 0 && j < p->d; j++)
				rc = field_real(t, row, 2 + j, NAN,
						&pops[g].theta[i * p->d + j],
						d);
			if (!rc)
				rc = field_real(t, row, 2 + p->d, NAN,
						&pops[g].weight[i], d);
			if (!rc)
				rc = field_real(t, row, 3 + p->d, NAN,
						&pops[g].distance[i], d);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int read_gen_row(const csv_table *t, size_t row, unsigned g,
			abc_generation *s, struct cd_diag *d)
{
	size_t num;
	int rc = field_count(t, row, 0, &num, d);
	if (!rc && num != g) {
		snprintf(d->msg, sizeof d->msg,
			 "%.500s:%zu: generation %zu where %u was expected",
			 t->name, t->line[row], num, g);
		rc = CD_EINVAL;
	}
	if (!rc)
		rc = field_real(t, row, 1, INFINITY, &s->tolerance, d);
	if (!rc)
		rc = field_count(t, row, 2, &s->accepted, d);
	if (!rc)
		rc = field_count(t, row, 3, &s->proposals, d);
	if (!rc)
		rc = field_count(t, row, 4, &s->simulations, d);
	if (!rc)
		rc = field_count(t, row, 5, &s->undefined, d);
	if (!rc)
		rc = field_real(t, row, 6, NAN, &s->acceptance_rate, d);
	if (!rc)
		rc = field_real(t, row, 7, NAN, &s->ess, d);
	if (!rc)
		rc = field_real(t, row, 8, NAN, &s->wall_seconds, d);
	return rc;
}

static int read_gens(const char *dir, unsigned n_gen, abc_generation *gen,
		     struct cd_diag *d)
{
	csv_table t;
	int rc = read_table(&t, dir, GENERATIONS, d);
	if (rc)
		return rc;
	rc = check_header(&t, gen_cols, N_GEN_COLS, d);
	if (!rc && t.nrows < n_gen) {
		snprintf(d->msg, sizeof d->msg,
			 "%.500s: %zu generations where posterior.csv has %u "
			 "complete",
			 t.name, t.nrows, n_gen);
		rc = CD_EINVAL;
	}
	for (unsigned g = 0; rc == 0 && g < n_gen; g++)
		rc = read_gen_row(&t, 1 + g, g, &gen[g], d);
	csv_table_free(&t);
	return rc;
}

static int posterior_header(const abc_problem *p, const char ***names)
{
	const char **h = malloc((p->d + 4) * sizeof *h);
	if (!h)
		return CD_ENOMEM;
	h[0] = "generation";
	h[1] = "particle";
	for (size_t j = 0; j < p->d; j++)
		h[2 + j] = p->names[j];
	h[2 + p->d] = "weight";
	h[3 + p->d] = "distance";
	*names = h;
	return 0;
}

static int read_posterior(csv_table *t, const char *dir, const abc_problem *p,
			  size_t particles, unsigned max_gen, unsigned *n_gen,
			  struct cd_diag *d)
{
	const char **h = NULL;
	int rc = read_table(t, dir, POSTERIOR, d);
	if (rc)
		return rc;
	rc = posterior_header(p, &h);
	if (!rc)
		rc = check_header(t, h, p->d + 4, d);
	free(h);
	if (!rc)
		rc = count_complete(t, particles, max_gen, n_gen, d);
	if (rc)
		csv_table_free(t);
	return rc;
}

int abc_io_read(const char *dir, const abc_problem *p, size_t particles,
		unsigned max_gen, struct abc_pop **pops, abc_generation **gen,
		unsigned *n_gen, struct cd_diag *d)
{
	csv_table t;
	unsigned n = 0;
	*pops = NULL;
	*gen = NULL;
	*n_gen = 0;
	int rc = read_posterior(&t, dir, p, particles, max_gen, &n, d);
	if (rc)
		return rc;
	struct abc_pop *q = calloc(n ? n : 1, sizeof *q);
	abc_generation *s = calloc(n ? n : 1, sizeof *s);
	rc = q && s ? 0 : CD_ENOMEM;
	if (!rc)
		rc = read_pops(&t, p, particles, n, q, d);
	csv_table_free(&t);
	if (!rc && n)
		rc = read_gens(dir, n, s, d);
	if (rc) {
		if (rc == CD_ENOMEM)
			snprintf(d->msg, sizeof d->msg, "abc: out of memory");
		for (unsigned g = 0; q && g < n; g++)
			abc_pop_free(&q[g]);
		free(q);
		free(s);
		return rc;
	}
	*pops = q;
	*gen = s;
	*n_gen = n;
	return 0;
}
