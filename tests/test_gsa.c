/* Tests for gsa: the designs' layout and determinism, the Sobol
 * estimators against the Ishigami function's closed-form indices, the
 * Morris measures against functions whose elementary effects are known,
 * and the undefined and invalid cases.
 *
 * The closed forms (Ishigami and Homma 1990; Sobol' and Levitan 1999):
 * f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3 has
 *   V   = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
 *   V1  = (1 + b pi^4/5)^2 / 2,  V2 = a^2/8,  V3 = 0
 *   V13 = b^2 pi^8 (1/18 - 1/50),  the only interaction
 * so S1 = (V1, V2, 0)/V and ST = (V1 + V13, V2, V13)/V; with a = 7,
 * b = 0.1: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include <gsl/gsl_math.h> /* M_PI */
#include <gsl/gsl_qrng.h>

#include "analysis/gsa.h"
#include "core/status.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const double ish_a = 7, ish_b = 0.1;

/* The Ishigami function at unit coordinates u[0..2] (u[3..], dummies,
 * are ignored). */
static double ishigami(const double *u)
{
	double x1 = -M_PI + 2 * M_PI * u[0];
	double x2 = -M_PI + 2 * M_PI * u[1];
	double x3 = -M_PI + 2 * M_PI * u[2];
	double s2 = sin(x2);
	return sin(x1) + ish_a * s2 * s2 + ish_b * x3 * x3 * x3 * x3 * sin(x1);
}

/* The closed-form S1 and ST of the Ishigami function (header comment). */
static void ishigami_indices(double s1[3], double st[3])
{
	double pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8), a = ish_a, b = ish_b;
	double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
	double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5);
	double v2 = a * a / 8;
	double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
	s1[0] = v1 / v;
	s1[1] = v2 / v;
	s1[2] = 0;
	st[0] = (v1 + v13) / v;
	st[1] = v2 / v;
	st[2] = v13 / v;
}

static void *must_alloc(size_t n)
{
	void *p = malloc(n);
	assert_non_null(p);
	return p;
}

/* The Saltelli design of k parameters, base n, and f at every row. */
static void saltelli_run(size_t k, size_t n, double (*f)(const double *),
			 double **x, double **y)
{
	size_t rows = gsa_saltelli_rows(k, n);
	*x = must_alloc(rows * k * sizeof **x);
	*y = must_alloc(rows * sizeof **y);
	assert_int_equal(gsa_saltelli_design(k, n, *x), 0);
	for (size_t r = 0; r < rows; r++)
		(*y)[r] = f(*x + r * k);
}

static int covers(const gsa_estimate *e, double v)
{
	return e->ci_lo <= v && v <= e->ci_hi;
}

/* Saltelli design */

static void test_saltelli_layout(void **state)
{
	enum { K = 3, N = 64 };
	double x[N * (K + 2) * K], x2[N * (K + 2) * K], q[2 * K];
	(void)state;
	assert_int_equal(gsa_saltelli_rows(K, N), N * (K + 2));
	assert_int_equal(gsa_saltelli_design(K, N, x), 0);
	gsl_qrng *g = gsl_qrng_alloc(gsl_qrng_sobol, 2 * K);
	assert_non_null(g);
	for (size_t j = 0; j < N; j++) {
		assert_int_equal(gsl_qrng_get(g, q), 0);
		const double *a = x + j * (K + 2) * K, *b = a + K;
		for (size_t i = 0; i < K; i++) {
			assert_true(a[i] == q[i]);     /* A_j */
			assert_true(b[i] == q[K + i]); /* B_j */
		}
		for (size_t i = 0; i < K; i++) /* AB_i,j */
			for (size_t c = 0; c < K; c++)
				assert_true(a[(2 + i) * K + c] ==
					    (c == i ? b[c] : a[c]));
	}
	gsl_qrng_free(g);
	/* In the open unit cube: the all-zero point is not used. */
	for (size_t i = 0; i < N_OF(x); i++)
		assert_true(x[i] > 0 && x[i] < 1);
	assert_true(x[0] == 0.5);
	assert_int_equal(gsa_saltelli_design(K, N, x2), 0);
	assert_memory_equal(x, x2, sizeof x);
}

static void test_saltelli_args(void **state)
{
	double x[GSA_MAX_PARAMS * (GSA_MAX_PARAMS + 2) * 2];
	(void)state;
	x[0] = -1;
	assert_int_equal(gsa_saltelli_design(0, 4, x), CD_EINVAL);
	assert_int_equal(gsa_saltelli_design(GSA_MAX_PARAMS + 1, 1, x),
			 CD_EINVAL);
	assert_int_equal(gsa_saltelli_design(2, 0, x), CD_EINVAL);
	assert_int_equal(gsa_saltelli_design(2, GSA_SOBOL_MAX_N + 1, x),
			 CD_EINVAL);
	assert_int_equal(gsa_saltelli_design(2, 4, NULL), CD_EINVAL);
	assert_true(x[0] == -1); /* untouched */
	/* The largest k: GSL's 40 dimensions. */
	assert_int_equal(gsa_saltelli_design(GSA_MAX_PARAMS, 2, x), 0);
	for (size_t i = 0; i < N_OF(x); i++)
		assert_true(x[i] > 0 && x[i] < 1);
}

/* Sobol estimators */

/* Ishigami with a 4th, dummy input, at N = 8192 (a power of 2) with 1000
 * resamples. Each closed-form index must lie in its 95% interval, and
 * every interval must be narrower than 0.1, so that an estimator that is
 * wrong cannot pass by being vague. The bootstrap treats the row groups
 * as independent; the Sobol sequence's are more even than that, so the
 * intervals are if anything conservative. */
static void test_sobol_ishigami(void **state)
{
	enum { K = 4, N = 8192, BOOT = 1000 };
	double *x, *y, s1_true[3], st_true[3];
	gsa_estimate s1[K], st[K];
	gsa_sobol_info info;
	(void)state;
	ishigami_indices(s1_true, st_true);
	/* The rounded values of the literature. */
	assert_true(fabs(s1_true[0] - 0.3139) < 5e-5);
	assert_true(fabs(s1_true[1] - 0.4424) < 5e-5);
	assert_true(fabs(st_true[0] - 0.5576) < 5e-5);
	assert_true(fabs(st_true[2] - 0.2437) < 5e-5);

	saltelli_run(K, N, ishigami, &x, &y);
	assert_int_equal(gsa_sobol_analyse(K, N, y, BOOT, 42, s1, st, &info),
			 0);
	assert_int_equal(info.used, N);
	for (size_t i = 0; i < 3; i++) {
		print_message("x%zu  S1 %.4f [%.4f, %.4f] (exact %.4f)  "
			      "ST %.4f [%.4f, %.4f] (exact %.4f)\n",
			      i + 1, s1[i].value, s1[i].ci_lo, s1[i].ci_hi,
			      s1_true[i], st[i].value, st[i].ci_lo, st[i].ci_hi,
			      st_true[i]);
		assert_true(covers(&s1[i], s1_true[i]));
		assert_true(covers(&st[i], st_true[i]));
		assert_true(covers(&s1[i], s1[i].value));
		assert_true(covers(&st[i], st[i].value));
		assert_true(s1[i].ci_hi - s1[i].ci_lo < 0.1);
		assert_true(st[i].ci_hi - st[i].ci_lo < 0.1);
	}
	print_message("x4 (dummy)  S1 %.4g [%.4g, %.4g]  ST %.4g [%.4g, "
		      "%.4g]\n",
		      s1[3].value, s1[3].ci_lo, s1[3].ci_hi, st[3].value,
		      st[3].ci_lo, st[3].ci_hi);
	/* The dummy changes nothing: f_AB4 == f_A exactly. */
	assert_true(covers(&st[3], 0));
	assert_true(covers(&s1[3], 0));
	assert_true(fabs(st[3].value) < 1e-12);
	assert_true(fabs(s1[3].value) < 1e-12);
	free(x);
	free(y);
}

/* The check above can fail: with f_ABi taken from the next row group,
 * AB_i no longer shares A's other inputs, the estimator measures
 * nothing (ST -> 1, S1 -> 0) and the closed forms fall outside the
 * intervals. */
static void test_sobol_ishigami_broken(void **state)
{
	enum { K = 3, N = 8192, BOOT = 1000 };
	double *x, *y, s1_true[3], st_true[3];
	gsa_estimate s1[K], st[K];
	(void)state;
	ishigami_indices(s1_true, st_true);
	saltelli_run(K, N, ishigami, &x, &y);
	double *shifted = must_alloc(N * (K + 2) * sizeof *shifted);
	for (size_t j = 0; j < N; j++) {
		const double *next = y + ((j + 1) % N) * (K + 2);
		memcpy(shifted + j * (K + 2), y + j * (K + 2), 2 * sizeof *y);
		memcpy(shifted + j * (K + 2) + 2, next + 2, K * sizeof *y);
	}
	assert_int_equal(
		gsa_sobol_analyse(K, N, shifted, BOOT, 42, s1, st, NULL), 0);
	for (size_t i = 0; i < K; i++)
		assert_false(covers(&st[i], st_true[i]));
	assert_false(covers(&s1[0], s1_true[0]));
	assert_false(covers(&s1[1], s1_true[1]));
	free(shifted);
	free(x);
	free(y);
}

/* A linear function: S1 = ST = c_i^2 / sum c^2, no interactions. */
static double linear3(const double *u)
{
	return 1 * u[0] + 2 * u[1] + 3 * u[2];
}

static void test_sobol_deterministic(void **state)
{
	enum { K = 3, N = 512, BOOT = 200 };
	double *x, *y;
	gsa_estimate s1[K], st[K], s1b[K], stb[K], s1c[K], stc[K];
	(void)state;
	saltelli_run(K, N, linear3, &x, &y);
	assert_int_equal(gsa_sobol_analyse(K, N, y, BOOT, 7, s1, st, NULL), 0);
	assert_int_equal(gsa_sobol_analyse(K, N, y, BOOT, 7, s1b, stb, NULL),
			 0);
	assert_memory_equal(s1, s1b, sizeof s1);
	assert_memory_equal(st, stb, sizeof st);
	/* Another seed: the same estimates, other resamples. */
	assert_int_equal(gsa_sobol_analyse(K, N, y, BOOT, 8, s1c, stc, NULL),
			 0);
	for (size_t i = 0; i < K; i++) {
		double want = (double)((i + 1) * (i + 1)) / 14.0;
		assert_true(s1c[i].value == s1[i].value);
		assert_true(stc[i].value == st[i].value);
		assert_true(s1c[i].ci_lo != s1[i].ci_lo ||
			    s1c[i].ci_hi != s1[i].ci_hi);
		assert_true(fabs(s1[i].value - want) < 0.05);
		assert_true(fabs(st[i].value - want) < 0.05);
	}
	/* No resamples: estimates, no intervals. */
	assert_int_equal(gsa_sobol_analyse(K, N, y, 0, 7, s1b, stb, NULL), 0);
	for (size_t i = 0; i < K; i++) {
		assert_true(s1b[i].value == s1[i].value);
		assert_true(isnan(s1b[i].ci_lo) && isnan(stb[i].ci_hi));
	}
	free(x);
	free(y);
}

static void check_all_nan(const gsa_estimate *e, size_t k)
{
	for (size_t i = 0; i < k; i++)
		assert_true(isnan(e[i].value) && isnan(e[i].ci_lo) &&
			    isnan(e[i].ci_hi));
}

static void test_sobol_undefined(void **state)
{
	enum { K = 2, N = 32, ROWS = N * (K + 2) };
	double y[ROWS];
	gsa_estimate s1[K], st[K];
	gsa_sobol_info info;
	(void)state;
	/* No output variance. */
	for (size_t r = 0; r < ROWS; r++)
		y[r] = 3.5;
	assert_int_equal(gsa_sobol_analyse(K, N, y, 100, 1, s1, st, &info), 0);
	check_all_nan(s1, K);
	check_all_nan(st, K);
	assert_int_equal(info.used, N);
	assert_true(info.mean == 3.5 && info.var == 0);
	/* Every group missing. */
	for (size_t r = 0; r < ROWS; r++)
		y[r] = NAN;
	assert_int_equal(gsa_sobol_analyse(K, N, y, 100, 1, s1, st, &info), 0);
	check_all_nan(s1, K);
	check_all_nan(st, K);
	assert_int_equal(info.used, 0);
	assert_true(isnan(info.mean) && isnan(info.var));
	/* One group left: no variance to speak of. */
	y[0] = y[1] = y[2] = y[3] = 1;
	assert_int_equal(gsa_sobol_analyse(K, N, y, 100, 1, s1, st, &info), 0);
	check_all_nan(s1, K);
	assert_int_equal(info.used, 1);
	/* An infinite output. */
	double x[ROWS * K];
	assert_int_equal(gsa_saltelli_design(K, N, x), 0);
	for (size_t r = 0; r < ROWS; r++)
		y[r] = x[r * K] + x[r * K + 1];
	y[5] = INFINITY; /* B_1 */
	assert_int_equal(gsa_sobol_analyse(K, N, y, 100, 1, s1, st, &info), 0);
	check_all_nan(s1, K);
	check_all_nan(st, K);
	y[5] = 1;
	y[7] = -INFINITY; /* AB_2,1 */
	assert_int_equal(gsa_sobol_analyse(K, N, y, 100, 1, s1, st, &info), 0);
	assert_true(isfinite(info.var));
	check_all_nan(s1 + 1, 1); /* the index it enters */
	check_all_nan(st + 1, 1);
	assert_true(isfinite(s1[0].value) && isfinite(st[0].ci_hi));
}

static void test_sobol_missing_group(void **state)
{
	enum { K = 3, N = 256 };
	double *x, *y;
	gsa_estimate s1[K], st[K], s1m[K], stm[K];
	gsa_sobol_info info;
	(void)state;
	saltelli_run(K, N, linear3, &x, &y);
	/* Without group 9, by hand: the same as with it marked missing. */
	double *y2 = must_alloc((N - 1) * (K + 2) * sizeof *y2);
	memcpy(y2, y, 9 * (K + 2) * sizeof *y);
	memcpy(y2 + 9 * (K + 2), y + 10 * (K + 2),
	       (N - 10) * (K + 2) * sizeof *y);
	y[9 * (K + 2) + 3] = NAN;
	assert_int_equal(gsa_sobol_analyse(K, N, y, 0, 1, s1m, stm, &info), 0);
	assert_int_equal(info.used, N - 1);
	assert_int_equal(gsa_sobol_analyse(K, N - 1, y2, 0, 1, s1, st, NULL),
			 0);
	for (size_t i = 0; i < K; i++) {
		assert_true(s1[i].value == s1m[i].value);
		assert_true(st[i].value == stm[i].value);
	}
	free(y2);
	free(x);
	free(y);
}

static void test_sobol_args(void **state)
{
	double y[4 * 4] = {0};
	gsa_estimate s1[2], st[2];
	(void)state;
	assert_int_equal(gsa_sobol_analyse(2, 4, NULL, 10, 1, s1, st, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_sobol_analyse(2, 4, y, 10, 1, NULL, st, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_sobol_analyse(2, 4, y, 10, 1, s1, NULL, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_sobol_analyse(0, 4, y, 10, 1, s1, st, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_sobol_analyse(21, 4, y, 10, 1, s1, st, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_sobol_analyse(2, 0, y, 10, 1, s1, st, NULL),
			 CD_EINVAL);
	/* Scratch too large to allocate. */
	assert_int_equal(
		gsa_sobol_analyse(2, 4, y, SIZE_MAX / 2, 1, s1, st, NULL),
		CD_ENOMEM);
}

/* Morris design */

/* Checks that x is r trajectories of k factors on the p-level grid, each
 * step moving one factor, each factor once, by delta. */
static void check_morris_design(const double *x, size_t k, size_t r, unsigned p)
{
	double top = p - 1, delta = p / (2.0 * (p - 1));
	for (size_t t = 0; t < r; t++) {
		const double *row = x + t * (k + 1) * k;
		unsigned moved = 0;
		for (size_t m = 0; m <= k; m++)
			for (size_t i = 0; i < k; i++) {
				double u = row[m * k + i], l = u * top;
				assert_true(u >= 0 && u <= 1);
				assert_true(fabs(l - round(l)) < 1e-12);
				assert_true(u == round(l) / top);
			}
		for (size_t m = 1; m <= k; m++) {
			size_t n_moved = 0;
			for (size_t i = 0; i < k; i++) {
				double d =
					row[m * k + i] - row[(m - 1) * k + i];
				if (d == 0)
					continue;
				n_moved++;
				assert_true(fabs(fabs(d) - delta) < 1e-12);
				assert_false((moved >> i) & 1);
				moved |= 1u << i;
			}
			assert_int_equal(n_moved, 1);
		}
		assert_int_equal(moved, (1u << k) - 1);
	}
}

static void test_morris_design(void **state)
{
	enum { K = 5, R = 200, P = 4 };
	size_t rows = gsa_morris_rows(K, R);
	double *x = must_alloc(rows * K * sizeof *x);
	double *x2 = must_alloc(rows * K * sizeof *x);
	(void)state;
	assert_int_equal(rows, R * (K + 1));
	assert_int_equal(gsa_morris_design(K, R, P, 99, x), 0);
	check_morris_design(x, K, R, P);
	/* Every level is visited, and factors move both ways, first and
	 * last. */
	size_t level[P] = {0}, first[K] = {0}, down = 0;
	for (size_t r = 0; r < rows; r++)
		for (size_t i = 0; i < K; i++)
			level[(size_t)lround(x[r * K + i] * (P - 1))]++;
	for (size_t t = 0; t < R; t++) {
		const double *row = x + t * (K + 1) * K;
		for (size_t i = 0; i < K; i++) {
			first[i] += row[K + i] != row[i];
			down += row[K * K + i] < row[i];
		}
	}
	for (size_t l = 0; l < P; l++)
		assert_true(level[l] > 0);
	for (size_t i = 0; i < K; i++)
		assert_true(first[i] > 0);
	assert_true(down > 0 && down < R * K);
	/* Determinism: the same seed, the same bits; fewer trajectories,
	 * a prefix; another seed, another design. */
	assert_int_equal(gsa_morris_design(K, R, P, 99, x2), 0);
	assert_memory_equal(x, x2, rows * K * sizeof *x);
	assert_int_equal(gsa_morris_design(K, 10, P, 99, x2), 0);
	assert_memory_equal(x, x2, gsa_morris_rows(K, 10) * K * sizeof *x);
	assert_int_equal(gsa_morris_design(K, R, P, 100, x2), 0);
	assert_true(memcmp(x, x2, rows * K * sizeof *x) != 0);
	/* Other grids, and one factor. */
	assert_int_equal(gsa_morris_design(K, R, 2, 1, x2), 0);
	check_morris_design(x2, K, R, 2);
	assert_int_equal(gsa_morris_design(K, R, 10, 1, x2), 0);
	check_morris_design(x2, K, R, 10);
	assert_int_equal(gsa_morris_design(1, R, 6, 1, x2), 0);
	check_morris_design(x2, 1, R, 6);
	free(x);
	free(x2);
}

static void test_morris_design_args(void **state)
{
	double x[64];
	(void)state;
	x[0] = -1;
	assert_int_equal(gsa_morris_design(0, 2, 4, 1, x), CD_EINVAL);
	assert_int_equal(gsa_morris_design(GSA_MAX_PARAMS + 1, 2, 4, 1, x),
			 CD_EINVAL);
	assert_int_equal(gsa_morris_design(2, 0, 4, 1, x), CD_EINVAL);
	assert_int_equal(gsa_morris_design(2, GSA_MORRIS_MAX_R + 1, 4, 1, x),
			 CD_EINVAL);
	assert_int_equal(gsa_morris_design(2, 2, 0, 1, x), CD_EINVAL);
	assert_int_equal(gsa_morris_design(2, 2, 1, 1, x), CD_EINVAL);
	assert_int_equal(gsa_morris_design(2, 2, 5, 1, x), CD_EINVAL);
	assert_int_equal(
		gsa_morris_design(2, 2, GSA_MORRIS_MAX_LEVELS + 2, 1, x),
		CD_EINVAL);
	assert_int_equal(gsa_morris_design(2, 2, 4, 1, NULL), CD_EINVAL);
	assert_true(x[0] == -1);
}

/* Morris estimators */

static const double lin_c[] = {1, -2, 0.5, 0, 3};

static double linear5(const double *u)
{
	double f = 0;
	for (size_t i = 0; i < N_OF(lin_c); i++)
		f += lin_c[i] * u[i];
	return f;
}

static void morris_run(size_t k, size_t r, unsigned p, uint64_t seed,
		       double (*f)(const double *), double **x, double **y)
{
	size_t rows = gsa_morris_rows(k, r);
	*x = must_alloc(rows * k * sizeof **x);
	*y = must_alloc(rows * sizeof **y);
	assert_int_equal(gsa_morris_design(k, r, p, seed, *x), 0);
	for (size_t i = 0; i < rows; i++)
		(*y)[i] = f(*x + i * k);
}

/* A linear function: every elementary effect of x_i is c_i, so mu = c_i,
 * mu* = |c_i| and sigma = 0, up to rounding, in every resample. */
static void test_morris_linear(void **state)
{
	enum { K = 5, R = 50, BOOT = 500 };
	double *x, *y;
	gsa_morris_index m[K];
	size_t used;
	(void)state;
	morris_run(K, R, 4, 3, linear5, &x, &y);
	assert_int_equal(gsa_morris_analyse(K, R, x, y, BOOT, 5, m, &used), 0);
	assert_int_equal(used, R);
	for (size_t i = 0; i < K; i++) {
		double c = lin_c[i], tol = 1e-12;
		print_message("x%zu  mu* %.6g [%.6g, %.6g] (exact %g)  sigma "
			      "%.3g\n",
			      i + 1, m[i].mu_star.value, m[i].mu_star.ci_lo,
			      m[i].mu_star.ci_hi, fabs(c), m[i].sigma.value);
		assert_true(fabs(m[i].mu.value - c) < tol);
		assert_true(fabs(m[i].mu_star.value - fabs(c)) < tol);
		assert_true(m[i].mu_star.ci_lo - tol <= fabs(c) &&
			    fabs(c) <= m[i].mu_star.ci_hi + tol);
		assert_true(m[i].mu.ci_lo - tol <= c &&
			    c <= m[i].mu.ci_hi + tol);
		assert_true(m[i].sigma.value < tol);
		assert_true(m[i].sigma.ci_hi < tol);
	}
	free(x);
	free(y);
}

static double product12(const double *u)
{
	return u[0] * u[1];
}

/* f = x1 x2 with a dummy x3, p = 4. The effect of x1 is the value x2
 * has at x1's step, uniform on the levels {0, 1/3, 2/3, 1} (x2's start
 * or end, each uniform: header of gsa_morris_design), so mu = mu* = 1/2
 * and sigma = sqrt(5/36), the levels' sd; the same for x2. x3: all 0.
 * The r effects of a factor are independent (one per trajectory), so
 * mu* has standard error sigma / sqrt(r), and the sample sd about
 * sqrt((m4 - sigma^4) / r) / (2 sigma), m4 the levels' 4th central
 * moment. The estimates must lie within 4 standard errors (a chance of
 * about 6e-5 each to fail when right), and the intervals' widths within
 * 25% of the normal 2 x 1.96 standard errors, so that they are neither
 * vague nor falsely sharp. */
static void test_morris_product(void **state)
{
	enum { K = 3, R = 400, BOOT = 1000 };
	double *x, *y, sd = sqrt(5.0 / 36);
	double m4 = (2 * pow(0.5, 4) + 2 * pow(1.0 / 6, 4)) / 4;
	double se_mu = sd / sqrt(R);
	double se_sd = sqrt((m4 - sd * sd * sd * sd) / R) / (2 * sd);
	gsa_morris_index m[K];
	(void)state;
	morris_run(K, R, 4, 11, product12, &x, &y);
	assert_int_equal(gsa_morris_analyse(K, R, x, y, BOOT, 5, m, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		const gsa_estimate *ms = &m[i].mu_star, *s = &m[i].sigma;
		print_message("x%zu  mu* %.4f [%.4f, %.4f] (exact 0.5, se "
			      "%.4f)  sigma %.4f [%.4f, %.4f] (exact %.4f, se "
			      "%.4f)\n",
			      i + 1, ms->value, ms->ci_lo, ms->ci_hi, se_mu,
			      s->value, s->ci_lo, s->ci_hi, sd, se_sd);
		assert_true(s->ci_lo > 0.1);
		assert_true(fabs(ms->value - 0.5) < 4 * se_mu);
		assert_true(fabs(s->value - sd) < 4 * se_sd);
		assert_true(fabs((ms->ci_hi - ms->ci_lo) / (3.92 * se_mu) - 1) <
			    0.25);
		assert_true(fabs((s->ci_hi - s->ci_lo) / (3.92 * se_sd) - 1) <
			    0.25);
		assert_true(m[i].mu.value == ms->value); /* x >= 0 */
	}
	assert_true(m[2].mu_star.value == 0 && m[2].sigma.value == 0);
	assert_true(m[2].mu_star.ci_hi == 0 && m[2].sigma.ci_hi == 0);
	free(x);
	free(y);
}

static void test_morris_deterministic_and_missing(void **state)
{
	enum { K = 3, R = 40, BOOT = 200 };
	double *x, *y;
	gsa_morris_index a[K], b[K];
	size_t used;
	(void)state;
	morris_run(K, R, 6, 2, product12, &x, &y);
	assert_int_equal(gsa_morris_analyse(K, R, x, y, BOOT, 9, a, &used), 0);
	assert_int_equal(gsa_morris_analyse(K, R, x, y, BOOT, 9, b, &used), 0);
	assert_memory_equal(a, b, sizeof a);
	/* Trajectory 3 missing: as if it had not been run. */
	y[3 * (K + 1) + 2] = NAN;
	assert_int_equal(gsa_morris_analyse(K, R, x, y, 0, 9, a, &used), 0);
	assert_int_equal(used, R - 1);
	double *x2 = must_alloc((R - 1) * (K + 1) * K * sizeof *x2);
	double *y2 = must_alloc((R - 1) * (K + 1) * sizeof *y2);
	memcpy(x2, x, 3 * (K + 1) * K * sizeof *x);
	memcpy(x2 + 3 * (K + 1) * K, x + 4 * (K + 1) * K,
	       (R - 4) * (K + 1) * K * sizeof *x);
	memcpy(y2, y, 3 * (K + 1) * sizeof *y);
	memcpy(y2 + 3 * (K + 1), y + 4 * (K + 1),
	       (R - 4) * (K + 1) * sizeof *y);
	assert_int_equal(gsa_morris_analyse(K, R - 1, x2, y2, 0, 9, b, NULL),
			 0);
	for (size_t i = 0; i < K; i++) {
		assert_true(a[i].mu_star.value == b[i].mu_star.value);
		assert_true(a[i].sigma.value == b[i].sigma.value);
	}
	/* All missing: NaN, no crash. */
	for (size_t i = 0; i < gsa_morris_rows(K, R); i++)
		y[i] = NAN;
	assert_int_equal(gsa_morris_analyse(K, R, x, y, BOOT, 9, a, &used), 0);
	assert_int_equal(used, 0);
	for (size_t i = 0; i < K; i++) {
		check_all_nan(&a[i].mu, 1);
		check_all_nan(&a[i].mu_star, 1);
		check_all_nan(&a[i].sigma, 1);
	}
	/* One trajectory: no sd. */
	assert_int_equal(gsa_morris_analyse(K, 1, x2, y2, BOOT, 9, a, &used),
			 0);
	assert_true(!isnan(a[0].mu_star.value) && isnan(a[0].sigma.value));
	free(x2);
	free(y2);
	free(x);
	free(y);
}

static void test_morris_args(void **state)
{
	enum { K = 2, R = 3 };
	double x[R * (K + 1) * K], y[R * (K + 1)] = {0};
	gsa_morris_index m[K];
	(void)state;
	assert_int_equal(gsa_morris_design(K, R, 4, 1, x), 0);
	assert_int_equal(gsa_morris_analyse(K, R, NULL, y, 10, 1, m, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_morris_analyse(K, R, x, NULL, 10, 1, m, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_morris_analyse(K, R, x, y, 10, 1, NULL, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_morris_analyse(0, R, x, y, 10, 1, m, NULL),
			 CD_EINVAL);
	assert_int_equal(gsa_morris_analyse(K, 0, x, y, 10, 1, m, NULL),
			 CD_EINVAL);
	assert_int_equal(
		gsa_morris_analyse(K, R, x, y, SIZE_MAX / 4, 1, m, NULL),
		CD_ENOMEM);
	/* Not a trajectory: a step moving both factors, one moving none, a
	 * factor moved twice, a NaN coordinate. */
	double bad[(K + 1) * K] = {0, 0, 1, 1, 1, 0};
	assert_int_equal(gsa_morris_analyse(K, 1, bad, y, 10, 1, m, NULL),
			 CD_EINVAL);
	memcpy(bad, (double[]){0, 0, 0, 0, 0, 1}, sizeof bad);
	assert_int_equal(gsa_morris_analyse(K, 1, bad, y, 10, 1, m, NULL),
			 CD_EINVAL);
	memcpy(bad, (double[]){0, 0, 1, 0, 0, 0}, sizeof bad);
	assert_int_equal(gsa_morris_analyse(K, 1, bad, y, 10, 1, m, NULL),
			 CD_EINVAL);
	memcpy(bad, (double[]){0, NAN, 1, NAN, 1, 1}, sizeof bad);
	assert_int_equal(gsa_morris_analyse(K, 1, bad, y, 10, 1, m, NULL),
			 CD_EINVAL);
	/* A constant output: every effect 0, defined. */
	assert_int_equal(gsa_morris_analyse(K, R, x, y, 10, 1, m, NULL), 0);
	assert_true(m[0].mu_star.value == 0 && m[1].sigma.value == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saltelli_layout),
		cmocka_unit_test(test_saltelli_args),
		cmocka_unit_test(test_sobol_ishigami),
		cmocka_unit_test(test_sobol_ishigami_broken),
		cmocka_unit_test(test_sobol_deterministic),
		cmocka_unit_test(test_sobol_undefined),
		cmocka_unit_test(test_sobol_missing_group),
		cmocka_unit_test(test_sobol_args),
		cmocka_unit_test(test_morris_design),
		cmocka_unit_test(test_morris_design_args),
		cmocka_unit_test(test_morris_linear),
		cmocka_unit_test(test_morris_product),
		cmocka_unit_test(test_morris_deterministic_and_missing),
		cmocka_unit_test(test_morris_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
