/* Global sensitivity analysis: Saltelli and Morris designs, Sobol and
 * Morris estimators with bootstrap percentile intervals.
 *
 * The maths, as used below (Saltelli et al. 2010, sections 3-4). With A
 * and B two independent samples of the unit hypercube and AB_i = A with
 * column i from B, f_A and f_ABi share every input but x_i, f_B and f_ABi
 * share only x_i. So
 *   E[f_B (f_ABi - f_A)] = Cov(f_B, f_ABi) = V[E(Y | x_i)] = V_i
 *   E[(f_A - f_ABi)^2] / 2 = E[V(Y | x_~i)] = V_Ti
 * and S1_i = V_i / V, ST_i = V_Ti / V. The group j (A_j, B_j, AB_1j ..
 * AB_kj) is the unit of resampling: its k + 2 outputs are dependent, the
 * groups are (for the bootstrap's purpose) independent.
 *
 * A Morris trajectory visits k + 1 grid points, each step moving one
 * factor by +-delta; the steps' output differences over the move are the
 * elementary effects, one per factor and trajectory (Morris 1991).
 */
#include "analysis/gsa.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "core/rng.h"
#include "core/status.h"

/* Streams of keyed draws (rng_derive's second key), one per purpose. */
enum {
	GSA_KEY_SOBOL_BOOT = 0x67736131,  /* "gsa1" */
	GSA_KEY_MORRIS_DRAW = 0x67736132, /* "gsa2" */
	GSA_KEY_MORRIS_BOOT = 0x67736133  /* "gsa3" */
};

/* A uniform index in 0..m-1 from the key (m > 0). Cannot fail. */
static size_t key_index(uint64_t key, size_t m)
{
	size_t j = (size_t)(rng_key_uniform(key) * (double)m);
	return j < m ? j : m - 1;
}

/* The 95% percentile interval of the finite values among v[0..n-1] into
 * *e (NaN without any). Reorders v. Cannot fail. */
static void percentile_interval(double *v, size_t n, gsa_estimate *e)
{
	size_t m = 0;
	for (size_t b = 0; b < n; b++)
		if (isfinite(v[b]))
			v[m++] = v[b];
	e->ci_lo = e->ci_hi = NAN;
	if (m == 0)
		return;
	gsl_sort(v, 1, m);
	e->ci_lo = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.025);
	e->ci_hi = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.975);
}

/* Saltelli design */

size_t gsa_saltelli_rows(size_t k, size_t n)
{
	return n * (k + 2);
}

int gsa_saltelli_design(size_t k, size_t n, double *x)
{
	double q[2 * GSA_MAX_PARAMS];
	if (!x || k == 0 || k > GSA_MAX_PARAMS || n == 0 || n > GSA_SOBOL_MAX_N)
		return CD_EINVAL;
	gsl_qrng *g = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
	if (!g)
		return CD_ENOMEM;
	for (size_t j = 0; j < n; j++) {
		if (gsl_qrng_get(g, q)) {
			gsl_qrng_free(g);
			return CD_EGSL;
		}
		double *a = x + j * (k + 2) * k; /* A_j, then B_j, AB_i,j */
		for (size_t i = 0; i < k; i++) {
			a[i] = q[i];
			a[k + i] = q[k + i];
		}
		for (size_t i = 0; i < k; i++) {
			double *ab = a + (2 + i) * k;
			for (size_t c = 0; c < k; c++)
				ab[c] = q[c];
			ab[i] = q[k + i];
		}
	}
	gsl_qrng_free(g);
	return 0;
}

/* Sobol estimators */

/* The estimates from one (re)sample of m row groups: group idx[j] for
 * draw j, or, with key != 0, group idx[key_index(key + j, m)]. The
 * outputs are centred on c. Writes S1 and ST of parameter i to s1[i] and
 * st[i] (NaN when V is 0 or not finite, or m < 2); acc holds 2 k doubles
 * of scratch. Returns V (NaN if m < 2). Cannot fail. */
static double sobol_estimate(const double *y, size_t k, const size_t *idx,
			     size_t m, uint64_t key, double c, double *acc,
			     double *s1, double *st)
{
	double sum = 0, ss = 0, v = NAN;
	for (size_t i = 0; i < 2 * k; i++)
		acc[i] = 0;
	for (size_t j = 0; j < m; j++) {
		size_t g = idx[key ? key_index(key + j, m) : j];
		const double *f = y + g * (k + 2);
		double fa = f[0] - c, fb = f[1] - c;
		sum += fa + fb;
		ss += fa * fa + fb * fb;
		for (size_t i = 0; i < k; i++) {
			double d = f[2 + i] - f[0]; /* f_ABi - f_A */
			acc[i] += fb * d;
			acc[k + i] += d * d;
		}
	}
	if (m >= 2) {
		double n2 = 2.0 * (double)m;
		v = (ss - sum * sum / n2) / (n2 - 1);
	}
	int ok = isfinite(v) && v > 0;
	for (size_t i = 0; i < k; i++) {
		s1[i] = ok ? acc[i] / (double)m / v : NAN;
		st[i] = ok ? acc[k + i] / (double)m / (2 * v) : NAN;
		if (!isfinite(s1[i]) || !isfinite(st[i]))
			s1[i] = st[i] = NAN; /* an infinite output */
	}
	return v;
}

int gsa_sobol_analyse(size_t k, size_t n, const double *y, size_t n_boot,
		      uint64_t seed, gsa_estimate *s1, gsa_estimate *st,
		      gsa_sobol_info *info)
{
	if (!y || !s1 || !st || k == 0 || k > GSA_MAX_PARAMS || n == 0 ||
	    n > GSA_SOBOL_MAX_N)
		return CD_EINVAL;
	if (n_boot > (SIZE_MAX / sizeof(double) - 1) / (2 * k))
		return CD_ENOMEM;
	size_t *idx = malloc(n * sizeof *idx);
	double *boot = malloc((n_boot + 1) * 2 * k * sizeof *boot);
	if (!idx || !boot) {
		free(idx);
		free(boot);
		return CD_ENOMEM;
	}
	/* boot[i n_boot + b]: S1_i of resample b; boot[(k + i) n_boot + b]:
	 * ST_i; the last 2 k doubles, the estimates of the full sample and
	 * then each resample's. */
	double *est = boot + 2 * k * n_boot;
	double acc[2 * GSA_MAX_PARAMS];

	size_t m = 0;
	double sum = 0;
	for (size_t j = 0; j < n; j++) {
		const double *f = y + j * (k + 2);
		int missing = 0;
		for (size_t r = 0; r < k + 2; r++)
			missing |= isnan(f[r]);
		if (!missing) {
			idx[m++] = j;
			sum += f[0] + f[1];
		}
	}
	double c = m ? sum / (2.0 * (double)m) : 0;
	if (!isfinite(c))
		c = 0; /* infinite outputs: V is not finite, indices NaN */

	double v = sobol_estimate(y, k, idx, m, 0, c, acc, est, est + k);
	for (size_t i = 0; i < k; i++) {
		s1[i].value = est[i];
		st[i].value = est[k + i];
	}
	if (info) {
		info->used = m;
		info->mean = m ? sum / (2.0 * (double)m) : NAN;
		info->var = v;
	}
	for (size_t b = 0; b < n_boot && m > 0; b++) {
		uint64_t key = rng_derive(seed, GSA_KEY_SOBOL_BOOT, b);
		sobol_estimate(y, k, idx, m, key, c, acc, est, est + k);
		for (size_t i = 0; i < 2 * k; i++)
			boot[i * n_boot + b] = est[i];
	}
	for (size_t i = 0; i < k; i++) {
		size_t nb = m > 0 && !isnan(s1[i].value) ? n_boot : 0;
		percentile_interval(boot + i * n_boot, nb, &s1[i]);
		percentile_interval(boot + (k + i) * n_boot, nb, &st[i]);
	}
	free(idx);
	free(boot);
	return 0;
}

/* Morris design */

size_t gsa_morris_rows(size_t k, size_t r)
{
	return r * (k + 1);
}

int gsa_morris_design(size_t k, size_t r, unsigned p, uint64_t seed, double *x)
{
	if (!x || k == 0 || k > GSA_MAX_PARAMS || r == 0 ||
	    r > GSA_MORRIS_MAX_R || p < 2 || p % 2 || p > GSA_MORRIS_MAX_LEVELS)
		return CD_EINVAL;
	unsigned half = p / 2; /* delta, in levels */
	double top = (double)(p - 1);
	for (size_t t = 0; t < r; t++) {
		/* Draws 0..k-1: base levels; k..2k-1: directions; 2k..:
		 * Fisher-Yates. */
		uint64_t key = rng_derive(seed, GSA_KEY_MORRIS_DRAW, t);
		unsigned level[GSA_MAX_PARAMS];
		int up[GSA_MAX_PARAMS];
		size_t order[GSA_MAX_PARAMS];
		for (size_t i = 0; i < k; i++) {
			unsigned base = (unsigned)key_index(key + i, half);
			up[i] = rng_key_uniform(key + k + i) < 0.5;
			level[i] = up[i] ? base : base + half;
			order[i] = i;
		}
		for (size_t i = k - 1; i > 0; i--) {
			size_t j = key_index(key + 2 * k + (k - 1 - i), i + 1);
			size_t tmp = order[i];
			order[i] = order[j];
			order[j] = tmp;
		}
		double *row = x + t * (k + 1) * k;
		for (size_t m = 0; m <= k; m++, row += k) {
			if (m > 0) {
				size_t i = order[m - 1];
				level[i] = up[i] ? level[i] + half
						 : level[i] - half;
			}
			for (size_t i = 0; i < k; i++)
				row[i] = (double)level[i] / top;
		}
	}
	return 0;
}

/* Morris estimators */

/* Checks the design x of r trajectories and writes the elementary
 * effects: ee[t k + i] of factor i in trajectory t. Returns 0, or
 * CD_EINVAL if a coordinate is not finite, a step does not change
 * exactly one coordinate, or a factor is not changed exactly once in a
 * trajectory. */
static int morris_effects(size_t k, size_t r, const double *x, const double *y,
			  double *ee)
{
	for (size_t t = 0; t < r; t++) {
		const double *row = x + t * (k + 1) * k;
		const double *f = y + t * (k + 1);
		uint32_t seen = 0;
		for (size_t i = 0; i < k; i++)
			if (!isfinite(row[i]))
				return CD_EINVAL;
		for (size_t m = 1; m <= k; m++) {
			const double *prev = row + (m - 1) * k,
				     *cur = row + m * k;
			size_t moved = k, n_moved = 0;
			for (size_t i = 0; i < k; i++) {
				if (!isfinite(cur[i]))
					return CD_EINVAL;
				if (cur[i] != prev[i]) {
					moved = i;
					n_moved++;
				}
			}
			if (n_moved != 1 || (seen >> moved) & 1)
				return CD_EINVAL;
			seen |= (uint32_t)1 << moved;
			ee[t * k + moved] =
				(f[m] - f[m - 1]) / (cur[moved] - prev[moved]);
		}
	}
	return 0;
}

/* The measures of factor i from m trajectories of effects ee (row t of k
 * effects): trajectory pick[j] for draw j. mu, mu* and sigma into
 * out[0..2] (sigma NaN if m < 2; all NaN if m == 0; any not finite,
 * from an infinite output, NaN). Two passes, so
 * equal effects give sigma exactly 0. Cannot fail. */
static void morris_measures(const double *ee, size_t k, size_t i,
			    const size_t *pick, size_t m, double *out)
{
	double sum = 0, abs_sum = 0, ss = 0;
	out[0] = out[1] = out[2] = NAN;
	if (m == 0)
		return;
	for (size_t j = 0; j < m; j++) {
		double e = ee[pick[j] * k + i];
		sum += e;
		abs_sum += fabs(e);
	}
	double mean = sum / (double)m;
	for (size_t j = 0; j < m; j++) {
		double d = ee[pick[j] * k + i] - mean;
		ss += d * d;
	}
	out[0] = mean;
	out[1] = abs_sum / (double)m;
	out[2] = m >= 2 ? sqrt(ss / (double)(m - 1)) : NAN;
	for (size_t s = 0; s < 3; s++)
		if (!isfinite(out[s]))
			out[s] = NAN; /* an infinite output */
}

int gsa_morris_analyse(size_t k, size_t r, const double *x, const double *y,
		       size_t n_boot, uint64_t seed, gsa_morris_index *out,
		       size_t *used)
{
	if (!x || !y || !out || k == 0 || k > GSA_MAX_PARAMS || r == 0 ||
	    r > GSA_MORRIS_MAX_R)
		return CD_EINVAL;
	if (n_boot > (SIZE_MAX / sizeof(double) - r * k) / (3 * k) - 1)
		return CD_ENOMEM;
	double *ee = malloc((r * k + 3 * k * (n_boot + 1)) * sizeof *ee);
	size_t *pick = malloc(r * sizeof *pick);
	if (!ee || !pick) {
		free(ee);
		free(pick);
		return CD_ENOMEM;
	}
	int rc = morris_effects(k, r, x, y, ee);
	if (rc) {
		free(ee);
		free(pick);
		return rc;
	}
	/* Keep the trajectories without a NaN output, in order. */
	size_t m = 0;
	for (size_t t = 0; t < r; t++) {
		int missing = 0;
		for (size_t j = 0; j <= k; j++)
			missing |= isnan(y[t * (k + 1) + j]);
		if (missing)
			continue;
		for (size_t i = 0; i < k; i++)
			ee[m * k + i] = ee[t * k + i];
		m++;
	}
	/* boot[(3 i + s) n_boot + b]: measure s (mu, mu*, sigma) of factor
	 * i in resample b. */
	double *boot = ee + r * k, *est = boot + 3 * k * n_boot;
	for (size_t j = 0; j < m; j++)
		pick[j] = j;
	for (size_t i = 0; i < k; i++) {
		morris_measures(ee, k, i, pick, m, est);
		out[i].mu.value = est[0];
		out[i].mu_star.value = est[1];
		out[i].sigma.value = est[2];
	}
	for (size_t b = 0; b < n_boot && m > 0; b++) {
		uint64_t key = rng_derive(seed, GSA_KEY_MORRIS_BOOT, b);
		for (size_t j = 0; j < m; j++)
			pick[j] = key_index(key + j, m);
		for (size_t i = 0; i < k; i++) {
			morris_measures(ee, k, i, pick, m, est);
			for (size_t s = 0; s < 3; s++)
				boot[(3 * i + s) * n_boot + b] = est[s];
		}
	}
	size_t nb = m > 0 ? n_boot : 0;
	for (size_t i = 0; i < k; i++) {
		percentile_interval(boot + 3 * i * n_boot, nb, &out[i].mu);
		percentile_interval(boot + (3 * i + 1) * n_boot, nb,
				    &out[i].mu_star);
		percentile_interval(boot + (3 * i + 2) * n_boot, nb,
				    &out[i].sigma);
	}
	if (used)
		*used = m;
	free(ee);
	free(pick);
	return 0;
}
