/* abc: ABC-SMC with an adaptive tolerance and a fitted normal kernel.
 *
 * The maths is in abc.h. The state of a run here is the population of
 * the previous generation, its kernel (the Cholesky factor M = sqrt(2) L
 * of 2 Sigma, and each particle whitened, y_j = M^-1 theta_j, so that
 * the exponent of K(theta | theta_j) is -|y - y_j|^2 / 2), its
 * cumulative weights (to pick parents), and the scratch of one batch.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "analysis/abc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis/abc_io.h"
#include "core/keyed.h"

/* Configuration */

void abc_config_default(abc_config *c)
{
	memset(c, 0, sizeof *c);
	c->particles = 200;
	c->generations = 4;
	c->reps = 1;
	c->alpha = ABC_DEFAULT_ALPHA;
	c->seed = 1;
}

static int bad(struct cd_diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return CD_EINVAL;
}

static int reserved(const char *name)
{
	static const char *const cols[] = {"generation", "particle", "weight",
					   "distance"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (strcmp(name, cols[i]) == 0)
			return 1;
	return 0;
}

static int check_names(const abc_problem *p, struct cd_diag *d)
{
	if (!p->names)
		return bad(d, "abc: the parameters have no names");
	for (size_t j = 0; j < p->d; j++) {
		const char *s = p->names[j];
		if (!s || !*s)
			return bad(d, "abc: parameter %zu has no name", j);
		if (reserved(s))
			return bad(d,
				   "abc: parameter %zu is named \"%.200s\", "
				   "a column of posterior.csv of its own",
				   j, s);
		for (size_t i = 0; i < j; i++)
			if (strcmp(p->names[i], s) == 0)
				return bad(d,
					   "abc: parameters %zu and %zu are "
					   "both named \"%.200s\"",
					   i, j, s);
	}
	return 0;
}

static int check_problem(const abc_problem *p, struct cd_diag *d)
{
	if (p->d < 1 || p->d > ABC_MAX_PARAMS)
		return bad(d,
			   "abc: the problem has %zu parameters: 1 to %d are "
			   "allowed",
			   p->d, ABC_MAX_PARAMS);
	if (p->k < 1 || p->k > ABC_MAX_STATS)
		return bad(d,
			   "abc: the problem has %zu statistics: 1 to %d are "
			   "allowed",
			   p->k, ABC_MAX_STATS);
	if (!p->prior.sample || !p->prior.log_density || !p->simulate)
		return bad(d, "abc: the prior's sample and log_density and "
			      "the simulation callback are all needed");
	if (!p->obs || !p->sd)
		return bad(d, "abc: the observed statistics and their "
			      "uncertainties are needed");
	for (size_t j = 0; j < p->k; j++) {
		if (!isfinite(p->obs[j]))
			return bad(d,
				   "abc: observed statistic %zu is %g: a "
				   "finite value is needed",
				   j, p->obs[j]);
		if (!(p->sd[j] > 0) || !isfinite(p->sd[j]))
			return bad(d,
				   "abc: the uncertainty of statistic %zu is "
				   "%g: a finite value > 0 is needed",
				   j, p->sd[j]);
	}
	return check_names(p, d);
}

int abc_check(const abc_config *c, const abc_problem *p, struct cd_diag *d)
{
	if (!c || !p)
		return bad(d, "abc: no configuration or no problem");
	if (c->particles < 2 || c->particles > ABC_MAX_PARTICLES)
		return bad(d,
			   "abc: particles is %zu: 2 to %d are allowed (a "
			   "weighted covariance needs at least two)",
			   c->particles, ABC_MAX_PARTICLES);
	if (c->generations < 1 || c->generations > ABC_MAX_GENERATIONS)
		return bad(d,
			   "abc: generations is %u: 1 to %d are allowed "
			   "(generation 0, from the prior, counts)",
			   c->generations, ABC_MAX_GENERATIONS);
	if (c->reps < 1 || c->reps > ABC_MAX_REPS)
		return bad(d, "abc: reps is %u: 1 to %d are allowed", c->reps,
			   ABC_MAX_REPS);
	if (!(c->alpha > 0 && c->alpha < 1))
		return bad(d,
			   "abc: alpha is %g: the quantile of the tolerance "
			   "schedule must be in (0, 1), e.g. 0.5",
			   c->alpha);
	if (c->max_proposals && c->max_proposals < c->particles)
		return bad(d,
			   "abc: max_proposals is %zu: at least particles "
			   "(%zu) are needed, or 0 for %d x particles",
			   c->max_proposals, c->particles,
			   ABC_DEFAULT_CAP_FACTOR);
	return check_problem(p, d);
}

/* Helpers */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double abc_quantile(double *x, size_t n, double alpha)
{
	if (n == 0)
		return NAN;
	qsort(x, n, sizeof *x, cmp_double);
	return gsl_stats_quantile_from_sorted_data(x, 1, n, alpha);
}

double abc_distance(const double *stats, unsigned reps, size_t k,
		    const double *obs, const double *sd)
{
	double sum = 0;
	for (size_t j = 0; j < k; j++) {
		double m = 0;
		for (unsigned r = 0; r < reps; r++) {
			double v = stats[(size_t)r * k + j];
			if (isnan(v))
				return INFINITY;
			m += v;
		}
		double z = (m / reps - obs[j]) / sd[j];
		sum += z * z;
	}
	return isnan(sum) ? INFINITY : sqrt(sum);
}

int abc_run_serial(void *ctx, const abc_problem *p, abc_job *jobs, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		jobs[i].status =
			p->simulate(p->sim_ctx, jobs[i].theta, jobs[i].rep,
				    jobs[i].seed, jobs[i].stats);
	return 0;
}

void abc_result_free(abc_result *r)
{
	if (!r)
		return;
	free(r->theta);
	free(r->weight);
	free(r->distance);
	free(r->gen);
	memset(r, 0, sizeof *r);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The state of a run */

struct run {
	const abc_config *c;
	const abc_problem *p;
	size_t n, batch, cap, d, k;
	unsigned reps;
	cd_key k_prior, k_parent, k_perturb, k_sim;
	const struct abc_pop *prev; /* the kernel's generation, or NULL */
	double *chol;		    /* [d * d]: M, lower triangle */
	double *white;		    /* [n * d]: M^-1 z_j of prev */
	double *zpop;		    /* [n * d]: z_j of prev */
	double *cum;		    /* [n]: cumulative weights of prev */
	double u[ABC_MAX_PARAMS];   /* scratch of d values */
	double y[ABC_MAX_PARAMS];   /* scratch of d values */
	double *b_theta;	    /* [batch * d] */
	unsigned char *b_live;	    /* [batch]: simulated */
	double *b_stats;	    /* [batch * reps * k] */
	abc_job *jobs;		    /* [batch * reps] */
	double *scratch;	    /* [n] */
};

static void run_free(struct run *s)
{
	free(s->chol);
	free(s->white);
	free(s->zpop);
	free(s->cum);
	free(s->b_theta);
	free(s->b_live);
	free(s->b_stats);
	free(s->jobs);
	free(s->scratch);
}

static int run_init(struct run *s, const abc_config *c, const abc_problem *p)
{
	memset(s, 0, sizeof *s);
	s->c = c;
	s->p = p;
	s->n = c->particles;
	s->d = p->d;
	s->k = p->k;
	s->reps = c->reps;
	s->batch = c->batch ? c->batch : c->particles;
	s->cap = c->max_proposals ? c->max_proposals
				  : ABC_DEFAULT_CAP_FACTOR * c->particles;
	if (s->batch > s->cap)
		s->batch = s->cap;
	s->k_prior = cd_key_of(c->seed, cd_name_id(ABC_KEY_PRIOR));
	s->k_parent = cd_key_of(c->seed, cd_name_id(ABC_KEY_PARENT));
	s->k_perturb = cd_key_of(c->seed, cd_name_id(ABC_KEY_PERTURB));
	s->k_sim = cd_key_of(c->seed, cd_name_id(ABC_KEY_SIM));
	size_t jobs = s->batch * s->reps;
	s->chol = malloc(s->d * s->d * sizeof *s->chol);
	s->white = calloc(s->n * s->d, sizeof *s->white);
	s->zpop = calloc(s->n * s->d, sizeof *s->zpop);
	s->cum = malloc(s->n * sizeof *s->cum);
	s->b_theta = malloc(s->batch * s->d * sizeof *s->b_theta);
	s->b_live = malloc(s->batch);
	s->b_stats = malloc(jobs * s->k * sizeof *s->b_stats);
	s->jobs = malloc(jobs * sizeof *s->jobs);
	s->scratch = malloc(s->n * sizeof *s->scratch);
	if (!s->chol || !s->white || !s->zpop || !s->cum || !s->b_theta ||
	    !s->b_live || !s->b_stats || !s->jobs || !s->scratch) {
		run_free(s);
		return CD_ENOMEM;
	}
	return 0;
}

/* The kernel */

/* The kernel's coordinates z of theta: log theta_a where the problem
 * asks for a log scale, theta_a elsewhere. */
static void to_kernel(const struct run *s, const double *theta, double *z)
{
	const unsigned char *ls = s->p->log_scale;
	for (size_t a = 0; a < s->d; a++)
		z[a] = ls && ls[a] ? log(theta[a]) : theta[a];
}

/* log |dz / dtheta|^-1 = sum of log theta_a over the log coordinates:
 * the Jacobian that turns the kernel's density in z into one in theta. */
static double log_jacobian(const struct run *s, const double *theta)
{
	const unsigned char *ls = s->p->log_scale;
	double sum = 0;
	for (size_t a = 0; ls && a < s->d; a++)
		if (ls[a])
			sum += log(theta[a]);
	return sum;
}

/* y = M^-1 x, M lower triangular (forward substitution). */
static void whiten(const double *m, size_t d, const double *x, double *y)
{
	for (size_t a = 0; a < d; a++) {
		double v = x[a];
		for (size_t b = 0; b < a; b++)
			v -= m[a * d + b] * y[b];
		y[a] = v / m[a * d + a];
	}
}

/* 2 Sigma of pop's kernel coordinates (s->zpop, filled here) into
 * s->chol (lower and upper triangles). */
static void covariance2(struct run *s, const struct abc_pop *pop)
{
	size_t d = s->d;
	double *m = s->u;
	memset(m, 0, d * sizeof *m);
	memset(s->chol, 0, d * d * sizeof *s->chol);
	for (size_t i = 0; i < pop->n; i++) {
		to_kernel(s, &pop->theta[i * d], &s->zpop[i * d]);
		for (size_t a = 0; a < d; a++)
			m[a] += pop->weight[i] * s->zpop[i * d + a];
	}
	for (size_t i = 0; i < pop->n; i++) {
		const double *t = &s->zpop[i * d];
		for (size_t a = 0; a < d; a++)
			for (size_t b = 0; b <= a; b++)
				s->chol[a * d + b] += pop->weight[i] *
						      (t[a] - m[a]) *
						      (t[b] - m[b]);
	}
	for (size_t a = 0; a < d; a++)
		for (size_t b = 0; b <= a; b++) {
			s->chol[a * d + b] *= 2;
			s->chol[b * d + a] = s->chol[a * d + b];
		}
}

/* Fits the kernel of the generation after pop (generation g - 1). */
static int kernel_fit(struct run *s, const struct abc_pop *pop, unsigned g,
		      struct cd_diag *d)
{
	covariance2(s, pop);
	for (size_t i = 0; i < pop->n; i++)
		for (size_t a = 0; a < s->d; a++) {
			if (isfinite(s->zpop[i * s->d + a]))
				continue;
			snprintf(d->msg, sizeof d->msg,
				 "abc: particle %zu of generation %u has "
				 "parameter %s = %g, which a log-scale kernel "
				 "cannot take (it must be > 0)",
				 i, g - 1, s->p->names[a],
				 pop->theta[i * s->d + a]);
			return CD_EINVAL;
		}
	gsl_matrix_view v = gsl_matrix_view_array(s->chol, s->d, s->d);
	if (gsl_linalg_cholesky_decomp1(&v.matrix) != 0) {
		snprintf(d->msg, sizeof d->msg,
			 "abc: the weighted covariance of generation %u is "
			 "not positive definite (its %zu particles lie on a "
			 "point or a plane): the kernel of generation %u "
			 "cannot be fitted; use more particles, or a larger "
			 "alpha",
			 g - 1, pop->n, g);
		return CD_EGSL;
	}
	double total = 0;
	for (size_t j = 0; j < pop->n; j++) {
		whiten(s->chol, s->d, &s->zpop[j * s->d], &s->white[j * s->d]);
		total += pop->weight[j];
		s->cum[j] = total;
	}
	s->prev = pop;
	return 0;
}

/* The first parent j with cum[j] > u * total. */
static size_t pick_parent(const struct run *s, double u)
{
	size_t lo = 0, hi = s->prev->n - 1;
	double target = u * s->cum[hi];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->cum[mid] > target)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int in_support(const struct run *s, const double *theta)
{
	return isfinite(s->p->prior.log_density(s->p->prior.ctx, theta));
}

/* Proposal i of generation g >= 1 into theta: a parent by weight, moved
 * by the kernel, redrawn until the prior is positive there. Returns 1,
 * or 0 if ABC_MAX_ATTEMPTS draws all fell outside the support. */
static int propose_kernel(struct run *s, unsigned g, size_t i, double *theta)
{
	uint64_t id = cd_id2(g, i);
	size_t d = s->d;
	for (uint64_t a = 0; a < ABC_MAX_ATTEMPTS; a++) {
		size_t j = pick_parent(s, cd_keyed_u01(s->k_parent, id, a));
		const double *t = &s->zpop[j * d];
		for (size_t r = 0; r < d; r++)
			s->u[r] = gsl_cdf_ugaussian_Pinv(
				cd_keyed_u01(s->k_perturb, id, a * d + r));
		for (size_t r = 0; r < d; r++) {
			double v = t[r];
			for (size_t b = 0; b <= r; b++)
				v += s->chol[r * d + b] * s->u[b];
			theta[r] = s->p->log_scale && s->p->log_scale[r]
					   ? exp(v)
					   : v;
		}
		if (in_support(s, theta))
			return 1;
	}
	return 0;
}

/* Proposal i of generation 0: a point of the prior. Returns 1 (0 if the
 * prior's own point has no density), or the prior's negative status. */
static int propose_prior(struct run *s, size_t i, double *theta)
{
	uint64_t id = cd_id2(0, i);
	for (size_t r = 0; r < s->d; r++)
		s->u[r] = cd_keyed_u01(s->k_prior, id, r);
	int rc = s->p->prior.sample(s->p->prior.ctx, s->u, theta);
	if (rc)
		return rc < 0 ? rc : CD_EINVAL;
	return in_support(s, theta);
}

/* Batches */

/* Proposals first .. first + nb - 1 of generation g, and their jobs
 * (*n_jobs of them, R per proposal inside the support). */
static int make_batch(struct run *s, unsigned g, size_t first, size_t nb,
		      size_t *n_jobs, struct cd_diag *d)
{
	size_t nj = 0;
	for (size_t b = 0; b < nb; b++) {
		size_t i = first + b;
		double *theta = &s->b_theta[b * s->d];
		int live = g ? propose_kernel(s, g, i, theta)
			     : propose_prior(s, i, theta);
		if (live < 0) {
			snprintf(d->msg, sizeof d->msg,
				 "abc: the prior's sample failed for "
				 "proposal %zu: %s",
				 i, cd_strerror(live));
			return live;
		}
		s->b_live[b] = (unsigned char)live;
		for (unsigned r = 0; live && r < s->reps; r++) {
			abc_job *j = &s->jobs[nj++];
			j->theta = theta;
			j->rep = r;
			j->seed = cd_keyed_bits(s->k_sim, cd_id2(g, i), r);
			j->stats = &s->b_stats[(b * s->reps + r) * s->k];
			j->status = 0;
			for (size_t q = 0; q < s->k; q++)
				j->stats[q] = NAN;
		}
	}
	*n_jobs = nj;
	return 0;
}

static int run_jobs(struct run *s, unsigned g, size_t first, size_t nj,
		    struct cd_diag *d)
{
	abc_run_batch_fn fn =
		s->c->run_batch ? s->c->run_batch : abc_run_serial;
	int rc = fn(s->c->batch_ctx, s->p, s->jobs, nj);
	if (rc) {
		snprintf(d->msg, sizeof d->msg,
			 "abc: the batch of generation %u from proposal %zu "
			 "failed: %s",
			 g, first, cd_strerror(rc));
		return rc;
	}
	for (size_t j = 0; j < nj; j++)
		if (s->jobs[j].status) {
			rc = s->jobs[j].status < 0 ? s->jobs[j].status
						   : CD_EINVAL;
			snprintf(d->msg, sizeof d->msg,
				 "abc: a simulation of generation %u "
				 "(replicate %u, batch from proposal %zu) "
				 "failed: %s",
				 g, s->jobs[j].rep, first, cd_strerror(rc));
			return rc;
		}
	return 0;
}

/* Judges the batch in index order into pop, until N are accepted. */
static void judge_batch(struct run *s, size_t nb, double eps,
			struct abc_pop *pop, abc_generation *sum)
{
	for (size_t b = 0; b < nb && sum->accepted < s->n; b++) {
		sum->proposals++;
		if (!s->b_live[b])
			continue;
		double dist = abc_distance(&s->b_stats[b * s->reps * s->k],
					   s->reps, s->k, s->p->obs, s->p->sd);
		if (isinf(dist)) {
			sum->undefined++;
			continue;
		}
		if (!(dist <= eps))
			continue;
		memcpy(&pop->theta[sum->accepted * s->d], &s->b_theta[b * s->d],
		       s->d * sizeof *pop->theta);
		pop->distance[sum->accepted++] = dist;
	}
}

/* Generation g's particles (unweighted) at tolerance eps. */
static int run_generation(struct run *s, unsigned g, double eps,
			  struct abc_pop *pop, abc_generation *sum,
			  struct cd_diag *d)
{
	size_t next = 0;
	while (sum->accepted < s->n && next < s->cap) {
		if (cd_stopped()) {
			snprintf(d->msg, sizeof d->msg,
				 "abc: stopped in generation %u", g);
			return CD_EINTR;
		}
		size_t nb = s->cap - next < s->batch ? s->cap - next : s->batch;
		size_t nj = 0;
		int rc = make_batch(s, g, next, nb, &nj, d);
		if (!rc)
			rc = run_jobs(s, g, next, nj, d);
		if (rc)
			return rc;
		sum->simulations += nj;
		judge_batch(s, nb, eps, pop, sum);
		next += nb;
	}
	pop->n = sum->accepted;
	return 0;
}

/* Weights */

/* log sum_j w_j exp(-|y - y_j|^2 / 2) over prev. */
static double log_mixture(struct run *s, const double *y)
{
	const struct abc_pop *q = s->prev;
	double top = -INFINITY;
	for (size_t j = 0; j < q->n; j++) {
		double r2 = 0;
		for (size_t a = 0; a < s->d; a++) {
			double e = y[a] - s->white[j * s->d + a];
			r2 += e * e;
		}
		s->scratch[j] = log(q->weight[j]) - r2 / 2;
		if (s->scratch[j] > top)
			top = s->scratch[j];
	}
	if (!isfinite(top))
		return top;
	double sum = 0;
	for (size_t j = 0; j < q->n; j++)
		sum += exp(s->scratch[j] - top);
	return sum > 0 ? top + log(sum) : -INFINITY;
}

/* The normalised weights of pop (generation g) and its ESS. */
static double weigh(struct run *s, unsigned g, struct abc_pop *pop)
{
	if (pop->n == 0)
		return 0;
	double top = -INFINITY;
	for (size_t i = 0; i < pop->n; i++) {
		double lw = 0;
		if (g > 0) {
			const double *t = &pop->theta[i * s->d];
			lw = s->p->prior.log_density(s->p->prior.ctx, t) +
			     log_jacobian(s, t);
			to_kernel(s, t, s->u);
			whiten(s->chol, s->d, s->u, s->y);
			/* The analyser loses track of s's buffers across the
			 * prior's callback (they are freed by run_free). */
			// NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
			lw -= log_mixture(s, s->y);
		}
		pop->weight[i] = lw;
		if (lw > top)
			top = lw;
	}
	double sum = 0, sum2 = 0;
	for (size_t i = 0; i < pop->n; i++) {
		pop->weight[i] = exp(pop->weight[i] - top);
		sum += pop->weight[i];
	}
	for (size_t i = 0; i < pop->n; i++) {
		pop->weight[i] /= sum;
		sum2 += pop->weight[i] * pop->weight[i];
	}
	return 1 / sum2;
}

/* The run */

static int one_generation(struct run *s, unsigned g, struct abc_pop *pops,
			  abc_generation *sum, struct cd_diag *d)
{
	double t0 = now_seconds();
	double eps = INFINITY;
	memset(sum, 0, sizeof *sum);
	if (g > 0) {
		int rc = kernel_fit(s, &pops[g - 1], g, d);
		if (rc)
			return rc;
		memcpy(s->scratch, pops[g - 1].distance,
		       pops[g - 1].n * sizeof *s->scratch);
		eps = abc_quantile(s->scratch, pops[g - 1].n, s->c->alpha);
	}
	sum->tolerance = eps;
	int rc = abc_pop_alloc(&pops[g], s->n, s->d);
	if (rc) {
		snprintf(d->msg, sizeof d->msg, "abc: out of memory");
		return rc;
	}
	rc = run_generation(s, g, eps, &pops[g], sum, d);
	if (rc)
		return rc;
	sum->ess = weigh(s, g, &pops[g]);
	sum->acceptance_rate =
		sum->proposals ? (double)sum->accepted / (double)sum->proposals
			       : NAN;
	sum->wall_seconds = now_seconds() - t0;
	return 0;
}

static int fill_result(abc_result *res, const struct abc_pop *last,
		       const abc_generation *gen, unsigned n_gen, size_t d)
{
	res->d = d;
	res->n = last ? last->n : 0;
	res->theta = malloc((res->n ? res->n : 1) * d * sizeof *res->theta);
	res->weight = malloc((res->n ? res->n : 1) * sizeof *res->weight);
	res->distance = malloc((res->n ? res->n : 1) * sizeof *res->distance);
	res->gen = malloc((n_gen ? n_gen : 1) * sizeof *res->gen);
	if (!res->theta || !res->weight || !res->distance || !res->gen) {
		abc_result_free(res);
		return CD_ENOMEM;
	}
	if (res->n) {
		memcpy(res->theta, last->theta, res->n * d * sizeof(double));
		memcpy(res->weight, last->weight, res->n * sizeof(double));
		memcpy(res->distance, last->distance, res->n * sizeof(double));
	}
	memcpy(res->gen, gen, n_gen * sizeof *gen);
	res->n_gen = n_gen;
	return 0;
}

/* Moves the generations read back from dir into pops and gen. */
static int resume_from(const char *dir, struct run *s, struct abc_pop *pops,
		       abc_generation *gen, unsigned *start, struct cd_diag *d)
{
	struct abc_pop *rp = NULL;
	abc_generation *rg = NULL;
	unsigned n = 0;
	int rc = abc_io_read(dir, s->p, s->n, s->c->generations, &rp, &rg, &n,
			     d);
	if (rc)
		return rc;
	memcpy(pops, rp, n * sizeof *rp);
	memcpy(gen, rg, n * sizeof *rg);
	free(rp);
	free(rg);
	*start = n;
	return 0;
}

static int run_all(struct run *s, const char *dir, int resume,
		   struct abc_pop *pops, abc_generation *gen, unsigned *n_gen,
		   struct cd_diag *d)
{
	unsigned start = 0;
	int rc = resume ? resume_from(dir, s, pops, gen, &start, d) : 0;
	*n_gen = start;
	for (unsigned g = start; rc == 0 && g < s->c->generations; g++) {
		rc = one_generation(s, g, pops, &gen[g], d);
		if (rc)
			break;
		*n_gen = g + 1;
		if (dir)
			rc = abc_io_write(dir, s->p, pops, gen, g + 1, d);
		if (pops[g].n < s->n)
			break;
	}
	return rc;
}

int abc_run(const abc_config *c, const abc_problem *p, const char *dir,
	    int resume, abc_result *res, struct cd_diag *d)
{
	memset(res, 0, sizeof *res);
	int rc = abc_check(c, p, d);
	if (rc)
		return rc;
	if (resume && !dir)
		return bad(d, "abc: resume needs the directory of the run");
	struct run s;
	struct abc_pop *pops = calloc(c->generations, sizeof *pops);
	abc_generation *gen = calloc(c->generations, sizeof *gen);
	rc = pops && gen ? run_init(&s, c, p) : CD_ENOMEM;
	if (rc) {
		free(pops);
		free(gen);
		snprintf(d->msg, sizeof d->msg, "abc: out of memory");
		return rc;
	}
	unsigned n_gen = 0;
	rc = run_all(&s, dir, resume, pops, gen, &n_gen, d);
	if (!rc) {
		rc = fill_result(res, n_gen ? &pops[n_gen - 1] : NULL, gen,
				 n_gen, p->d);
		if (rc)
			snprintf(d->msg, sizeof d->msg, "abc: out of memory");
		else if (n_gen && pops[n_gen - 1].n < c->particles)
			res->stop = ABC_STOP_CAP;
	}
	for (unsigned g = 0; g < c->generations; g++)
		abc_pop_free(&pops[g]);
	free(pops);
	free(gen);
	run_free(&s);
	return rc;
}
