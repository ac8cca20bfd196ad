/* gsa: global sensitivity analysis, the designs and the estimators.
 *
 * Two methods, each as a pair: a design (the points of the unit hypercube
 * at which to run a model, in a fixed order) and an analysis (indices
 * from the model's outputs at those points, with bootstrap intervals).
 *
 * - Sobol indices (variance-based): the Saltelli design from a Sobol
 *   quasi-random sequence, first-order indices by the estimator of
 *   Saltelli et al. 2010 and total indices by that of Jansen 1999.
 * - Morris elementary effects (screening): r trajectories of k + 1
 *   points on a p-level grid (Morris 1991), and per factor the mean mu,
 *   the mean of absolute values mu* (Campolongo et al. 2007) and the
 *   standard deviation sigma of its elementary effects.
 *
 * The module knows nothing of the simulator: a caller maps each unit
 * coordinate u to its parameter's range (lo + u (hi - lo), or a log
 * scale), runs the model at every row, and hands the outputs back in row
 * order. It owns no state. Designs are written into the caller's arrays
 * and cannot fail once the arguments are valid; the analyses allocate
 * their bootstrap scratch and can fail only for want of memory. Every
 * random draw is a keyed splitmix64 uniform (core/rng.h) of the seed
 * argument and the identity of the draw, so the same arguments give the
 * same bits, and a study with more trajectories or bootstrap resamples
 * extends, rather than reshuffles, a smaller one.
 *
 * A NaN output marks a missing value (a metric undefined at that point):
 * a row group (Sobol) or trajectory (Morris) holding one is left out of
 * the analysis, and the number used is reported. Where an index is
 * undefined (no output variance, fewer than 2 groups used) it is NaN;
 * callers write an empty field.
 *
 * References: I. M. Sobol' (2001), Math. Comput. Simul. 55, 271-280;
 * A. Saltelli et al. (2010), Comput. Phys. Commun. 181, 259-270 (design,
 * S1 estimator: their table 2 (b), ST: (f)); M. J. W. Jansen (1999),
 * Comput. Phys. Commun. 117, 35-43; M. D. Morris (1991), Technometrics
 * 33, 161-174; F. Campolongo, J. Cariboni, A. Saltelli (2007), Environ.
 * Model. Softw. 22, 1509-1518; B. Efron, R. Tibshirani (1993), An
 * Introduction to the Bootstrap, ch. 13 (percentile intervals).
 */
#ifndef CD_GSA_H
#define CD_GSA_H

#include <stddef.h>
#include <stdint.h>

/* Limits */
#define GSA_MAX_PARAMS 20 /* k: gsl_qrng_sobol has at most 40 = 2 k dims */
#define GSA_SOBOL_MAX_N ((size_t)1 << 29)  /* n: GSL's has 2^30 - 1 points */
#define GSA_MORRIS_MAX_LEVELS 1024	   /* p */
#define GSA_MORRIS_MAX_R ((size_t)1 << 24) /* trajectories */
#define GSA_BOOT_DEFAULT 1000		   /* resamples, if a caller has none */

/* An estimate and its 95% bootstrap percentile interval: the 2.5th and
 * 97.5th percentiles (gsl_stats_quantile_from_sorted_data) of the
 * estimates from n_boot resamples of the row groups or trajectories,
 * drawn with replacement. Any of the three is NaN when undefined; the
 * interval also when n_boot is 0. Resamples in which the estimate is
 * undefined (e.g. a resample with no output variance) are left out of
 * the percentiles. */
typedef struct {
	double value; /* the estimate from every group used */
	double ci_lo; /* 2.5th percentile of the bootstrap estimates */
	double ci_hi; /* 97.5th percentile */
} gsa_estimate;

/* Sobol indices: the Saltelli design */

/* Rows of the Saltelli design of k parameters and base sample n:
 * n (k + 2). Does not check its arguments. Cannot fail. */
size_t gsa_saltelli_rows(size_t k, size_t n);

/* Writes the Saltelli 2010 design of k parameters and base sample size n
 * into x, row-major: gsa_saltelli_rows(k, n) rows of k unit coordinates,
 * x[row * k + i] the coordinate of parameter i (0-based).
 *
 * Point j (j = 0..n-1) of GSL's Sobol sequence of dimension 2 k gives
 * row j of matrix A (its first k coordinates) and of matrix B (its last
 * k); AB_i is A with column i taken from B. The rows come in n groups of
 * k + 2, group j holding, in this order:
 *   row j (k + 2)          A_j
 *   row j (k + 2) + 1      B_j
 *   row j (k + 2) + 2 + i  AB_i,j   (i = 0..k-1)
 * GSL's sequence already omits the all-zero point of the Sobol sequence
 * (its first point is (1/2, ..., 1/2)), so every coordinate lies in the
 * open interval (0, 1): a log-scale mapping never meets 0. The sequence's
 * balance is best when n is a power of 2 (Saltelli 2010 recommend it).
 *
 * Returns 0; CD_EINVAL (x untouched) if x is NULL, k is 0 or above
 * GSA_MAX_PARAMS, or n is 0 or above GSA_SOBOL_MAX_N; CD_ENOMEM (x
 * untouched) if GSL cannot allocate its generator; CD_EGSL (x partly
 * written) if the generator fails, which within these limits it does
 * not (it has 2^30 - 1 points). */
int gsa_saltelli_design(size_t k, size_t n, double *x);

/* Sobol indices: the estimators */

/* What a Sobol analysis used. */
typedef struct {
	size_t used; /* row groups used: those without a NaN output */
	double mean; /* of the pooled f_A and f_B of those groups */
	double var;  /* V: their sample variance (divisor 2 used - 1) */
} gsa_sobol_info;

/* Sobol indices of k parameters from the outputs y[0..rows-1] of a model
 * at the rows of gsa_saltelli_design(k, n), in its order. With f_A, f_B,
 * f_ABi the outputs of group j at A_j, B_j and AB_i,j, means over the
 * groups used, and V the variance of the pooled f_A and f_B:
 *   s1[i] = mean(f_B (f_ABi - f_A)) / V            (Saltelli et al. 2010)
 *   st[i] = mean((f_A - f_ABi)^2) / (2 V)           (Jansen 1999)
 * The outputs are first centred on the pooled mean (a constant shift:
 * the expectations are unchanged, and S1's estimator does not inherit
 * the variance a large mean would give it). The estimates are not
 * clipped: S1 may fall a little below 0 by sampling error.
 *
 * The intervals (gsa_estimate) come from n_boot resamples of the used
 * row groups, resample b drawing group indices from keyed uniforms of
 * (seed, b, draw). V = 0 (or not finite, or fewer than 2 groups used)
 * makes every index NaN; an infinite output makes the indices it enters
 * NaN. info, if not NULL, receives what was used.
 *
 * Returns 0; CD_EINVAL (nothing written) on NULL arrays or k, n outside
 * the limits of gsa_saltelli_design; CD_ENOMEM (nothing written) if the
 * bootstrap scratch, (n_boot + 1) 2 k doubles and n indices, cannot be
 * allocated. */
int gsa_sobol_analyse(size_t k, size_t n, const double *y, size_t n_boot,
		      uint64_t seed, gsa_estimate *s1, gsa_estimate *st,
		      gsa_sobol_info *info);

/* Morris elementary effects: the design */

/* Rows of a Morris design of r trajectories of k parameters: r (k + 1).
 * Does not check its arguments. Cannot fail. */
size_t gsa_morris_rows(size_t k, size_t r);

/* Writes r Morris trajectories of k parameters on a grid of p levels
 * {0, 1/(p-1), ..., 1} into x, row-major: gsa_morris_rows(k, r) rows of
 * k unit coordinates, trajectory t in rows t (k + 1) .. t (k + 1) + k.
 *
 * The step is delta = p / (2 (p - 1)), half the levels (Morris 1991).
 * Trajectory t is B* of Morris: a base point x* drawn uniformly from the
 * levels 0 .. 1 - delta of each factor, a direction d_i in {+1, -1} of
 * each factor and an order of the factors (a uniform permutation, by
 * Fisher-Yates), all keyed by (seed, t). Its first row has coordinate
 * x*_i where d_i = +1 and x*_i + delta where d_i = -1; row m (m = 1..k)
 * is row m - 1 with the m-th factor of the order moved by d delta. Every
 * coordinate is thus exactly a level l / (p - 1) (computed as such, so
 * comparable with ==), each level equally likely, and consecutive rows
 * differ in one coordinate. The r trajectories are drawn independently
 * (no selection for spread as in Campolongo et al. 2007).
 *
 * Returns 0; CD_EINVAL (x untouched) if x is NULL, k is 0 or above
 * GSA_MAX_PARAMS, r is 0 or above GSA_MORRIS_MAX_R, or p is odd, below 2
 * or above GSA_MORRIS_MAX_LEVELS (odd p puts x* + delta off the grid). */
int gsa_morris_design(size_t k, size_t r, unsigned p, uint64_t seed, double *x);

/* Morris elementary effects: the estimators */

/* One factor's Morris measures. */
typedef struct {
	gsa_estimate mu;      /* mean of the elementary effects */
	gsa_estimate mu_star; /* mean of their absolute values */
	gsa_estimate sigma; /* their sample sd (divisor r - 1); NaN if r < 2 */
} gsa_morris_index;

/* Morris measures of k parameters from the design x of r trajectories
 * (gsa_morris_design, or the same layout read back from a file) and the
 * outputs y[0..rows-1] at its rows, in order. In each trajectory, the
 * step from row m - 1 to row m changes exactly one coordinate i, by h;
 * its elementary effect is EE_i = (y_m - y_(m-1)) / h, the change of the
 * output per unit of the unit coordinate (over the parameter's whole
 * range when the mapping is linear), so mu* is comparable across
 * factors. A trajectory with a NaN output is left out (*used counts the
 * others, if used is not NULL); with none left every measure is NaN. A
 * measure made infinite or NaN by an infinite output is NaN.
 *
 * The intervals (gsa_estimate) come from n_boot resamples of the used
 * trajectories, resample b drawing from keyed uniforms of (seed, b,
 * draw).
 *
 * Returns 0; CD_EINVAL (nothing written) on NULL arrays, k or r outside
 * the limits of gsa_morris_design, or a design in which a step does not
 * change exactly one coordinate, or changes each factor other than once
 * per trajectory; CD_ENOMEM (nothing written) if the scratch, r k + 3 k
 * (n_boot + 1) doubles and r indices, cannot be allocated. */
int gsa_morris_analyse(size_t k, size_t r, const double *x, const double *y,
		       size_t n_boot, uint64_t seed, gsa_morris_index *out,
		       size_t *used);

#endif
