/* abc: approximate Bayesian computation by sequential Monte Carlo
 * (ABC-SMC), the engine of calibration.
 *
 * The module knows nothing of the simulator. A caller describes a problem
 * (a parameter vector theta in R^d with a prior given by callbacks, a
 * simulation callback that returns k summary statistics, and the observed
 * statistics with their uncertainties) and a configuration; abc_run fits
 * a weighted population of N particles generation by generation and
 * writes posterior.csv and generations.csv into a directory after each
 * generation, so that a run stopped at any point resumes to the same
 * bytes. `cyberdef calibrate` is meant to be a thin command over it (the
 * targets file, priors and observation model live elsewhere).
 *
 * The algorithm: population Monte Carlo ABC (Beaumont, Cornuet, Marin and
 * Robert 2009, "Adaptive approximate Bayesian computation", Biometrika
 * 96, 983-990; Toni et al. 2009, J. R. Soc. Interface 6, 187-202), with
 * an adaptive tolerance schedule. Del Moral, Doucet and Jasra 2012
 * (Stat. Comput. 22, 1009-1020) choose each tolerance to keep a fraction
 * of the effective sample size; this engine, more simply, takes a
 * quantile of the previous distances, as pyabc's and EasyABC's
 * (Lenormand et al. 2013) quantile schedules do:
 *   generation 0: theta_i from the prior; every proposal whose distance
 *     is finite is accepted (tolerance +inf); weights 1/N.
 *   generation g >= 1: tolerance eps_g = the alpha-quantile (default
 *     alpha = 0.5, the median) of generation g-1's N distances, unweighted
 *     (gsl_stats_quantile_from_sorted_data: linear interpolation between
 *     order statistics). A proposal picks a parent j of generation g-1 by
 *     weight, perturbs it with a multivariate normal kernel
 *     K(. | theta_j) = N(theta_j, 2 Sigma), Sigma the weighted covariance
 *     of generation g-1 (Beaumont et al. 2009's choice, argued there
 *     from the Kullback-Leibler divergence to a Gaussian target; pyabc's
 *     default transition scales the covariance by a Silverman-type
 *     bandwidth instead, which is narrower: it accepts more and explores
 *     less), and redraws parent and perturbation together (up
 *     to ABC_MAX_ATTEMPTS times) until the prior density is positive. It
 *     is accepted when its distance is <= eps_g, and weighted
 *       w_i  proportional to  pi(theta_i) / sum_j w_j K(theta_i | theta_j)
 *     (in logs, with log-sum-exp), the weights normalised to sum 1.
 *   A generation ends when N proposals are accepted; the run after
 *   `generations` generations, or earlier at the cap (below). A proposal
 *   that finds no point of positive prior density in ABC_MAX_ATTEMPTS
 *   redraws is rejected unsimulated. With a discrete statistic the
 *   tolerance stops falling once half the distances tie at one value
 *   (the median is then that value): later generations refine the
 *   weights at that tolerance and no further.
 * Kernel scale. The kernel works in coordinates z, z_a = log theta_a for
 * the coordinates the problem marks log_scale (a parameter whose prior
 * spans orders of magnitude, such as a log-uniform one) and z_a = theta_a
 * for the others: Sigma is the covariance of z, a proposal is
 * z_j + sqrt(2) L u mapped back (theta_a = exp z_a), and the weight
 * carries the Jacobian, w_i proportional to pi(theta_i) prod_log theta_ia
 * / sum_j w_j K(z_i | z_j). In natural coordinates a parameter on
 * [1e-4, 1] has a covariance set by its largest values: the kernel
 * overshoots below zero (out of the support, redrawn) and the prior's
 * density 1 / theta makes the few small values that land carry most of
 * the weight, which collapses the effective sample size. z is always
 * computed from the stored theta, so a resumed run computes the same z.
 * Sigma is the normalised weighted covariance sum_i w_i (theta_i - m)
 * (theta_i - m)^T, m the weighted mean; its Cholesky factor L
 * (gsl_linalg_cholesky_decomp1) gives theta = theta_j + sqrt(2) L z and
 * log K = -|(sqrt(2) L)^-1 (theta - theta_j)|^2 / 2 + constant. A Sigma
 * that is not positive definite (a population collapsed onto a point or a
 * line) stops the run with CD_EGSL and a message. As all of the
 * library's GSL calls, this assumes the program has turned GSL's
 * abort-on-error handler off (main does; so do the tests).
 *
 * Distance. Each proposal is simulated R times (replicates r = 0..R-1);
 * the distance is that of the replicate-mean statistics:
 *   D = sqrt( sum_j ((mean_r s_rj - obs_j) / sd_j)^2 ).
 * Averaging the statistics, not the distances, shrinks their noise as
 * 1/R (the distance of a mean is smaller than the mean of distances, by
 * the noise), so more replicates sharpen the fit instead of inflating
 * every distance. With R = 1 this is standard ABC, whose target tends to
 * the posterior given the statistics as the tolerance falls.
 * A NaN statistic (one the simulation could not compute, e.g. a median of
 * no detections) in any replicate makes D = +inf: the proposal is never
 * accepted, in any generation including 0, and is counted as `undefined`.
 * This keeps in the likelihood the probability that the model yields the
 * statistic at all (as ABC with R = 1 does exactly), and invents no
 * penalty whose scale would be a further unsourced number.
 *
 * Determinism. Every draw is keyed (core/keyed.h) on the seed and the
 * identity of what it decides: proposal i of generation g uses draws
 * keyed (seed, purpose, cd_id2(g, i), draw index) only, and its
 * replicate r is simulated with seed cd_keyed_bits(seed, ABC_KEY_SIM,
 * cd_id2(g, i), r). Proposals are made in batches of `batch` consecutive
 * indices; the simulations of a batch are handed to run_batch as one
 * array of jobs, which may run them in any order, on threads or ranks;
 * then the batch is judged in index order and the generation keeps the
 * first N accepted indices. So the particles depend neither on the order
 * the jobs run nor on the batch size: only the count of simulations run
 * (some proposals after the N-th acceptance of a generation are simulated
 * and not used) depends on the batch size.
 *
 * The cap. A generation makes at most max_proposals proposals. When the
 * cap is reached with fewer than N accepted, the generation is written
 * with the particles it has (generations.csv shows accepted < N), the run
 * stops and abc_result.stop is ABC_STOP_CAP: a tolerance that falls
 * faster than the model can follow is reported, not hidden. Resuming with
 * a larger cap redoes that generation and, by the keyed draws, keeps the
 * particles it had found.
 *
 * Outputs (RFC 4180, reals by csv_real, which round-trips exactly):
 *   posterior.csv   generation, particle, one column per parameter (by
 *                   name), weight (normalised in its generation),
 *                   distance: every generation, particles in acceptance
 *                   order.
 *   generations.csv generation, tolerance (empty for generation 0: +inf),
 *                   accepted, proposals (up to and including the N-th
 *                   acceptance: independent of the batch size),
 *                   simulations (runs made, R per proposal simulated),
 *                   undefined (proposals whose distance was +inf),
 *                   acceptance_rate (accepted / proposals), ess (the
 *                   effective sample size 1 / sum w^2, Kish), and last
 *                   wall_seconds, the one column that differs between two
 *                   runs of the same seed (compare the others).
 * Both are rewritten whole after each generation, as one set
 * (cd_outfile_commit_all). The caller locks the directory (outdir.h).
 *
 * Resume. With resume set, abc_run reads both files back, keeps the
 * generations of posterior.csv that are complete (N particles) from 0 on,
 * drops any later rows, and continues from the last complete generation:
 * its particles, weights and distances are all the next generation needs
 * (the tolerance, covariance and weights are recomputed from them), so a
 * resumed run writes the bytes an uninterrupted one would (but for
 * wall_seconds). The configuration and problem must be those of the first
 * run; what the files show (names, N) is checked.
 *
 * References read for the design, none copied: the papers above; pyabc
 * (Klinger, Rickert and Hasenauer 2018, Bioinformatics 34, 3591) and
 * EasyABC (Jabot, Faure and Dumoulin 2013, Methods Ecol. Evol. 4, 684).
 */
#ifndef CD_ABC_H
#define CD_ABC_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* Limits */
#define ABC_MAX_PARAMS 64	    /* d */
#define ABC_MAX_STATS 1024	    /* k */
#define ABC_MAX_PARTICLES 1000000   /* N */
#define ABC_MAX_GENERATIONS 1000    /* generations */
#define ABC_MAX_REPS 10000	    /* R */
#define ABC_MAX_ATTEMPTS 1000	    /* redraws of a proposal into support */
#define ABC_DEFAULT_ALPHA 0.5	    /* quantile of the tolerance schedule */
#define ABC_DEFAULT_CAP_FACTOR 1000 /* max_proposals = 1000 N by default */

/* Key purposes of the engine's draws (names hashed by cd_name_id, far
 * from the model's small KEY_* values). */
#define ABC_KEY_PRIOR "abc.prior"
#define ABC_KEY_PARENT "abc.parent"
#define ABC_KEY_PERTURB "abc.perturb"
#define ABC_KEY_SIM "abc.sim"

/* The problem: what is estimated, how it is simulated, what is observed */

/* The prior. sample maps d uniforms u[0..d-1] in (0, 1), keyed draws of
 * the engine, onto a point theta[0..d-1] of the prior (e.g. by inverting
 * each coordinate's distribution function); it returns 0, or a negative
 * status that stops the run. log_density returns log pi(theta), up to a
 * constant, or -INFINITY outside the support; it cannot fail. */
typedef struct abc_prior {
	int (*sample)(void *ctx, const double *u, double *theta);
	double (*log_density)(void *ctx, const double *theta);
	void *ctx;
} abc_prior;

/* One simulation: writes the k statistics of replicate `rep` at theta
 * into stats[0..k-1] (NaN: not defined in this run) and returns 0, or a
 * negative status that stops the run (the first failing job's status, in
 * index order, is returned by abc_run). It must be a pure function of
 * (theta, rep, seed): the same arguments give the same statistics. */
typedef int (*abc_simulate_fn)(void *ctx, const double *theta, unsigned rep,
			       uint64_t seed, double *stats);

typedef struct abc_problem {
	size_t d;		  /* parameters, 1..ABC_MAX_PARAMS */
	const char *const *names; /* d distinct column names for theta */
	abc_prior prior;
	size_t k;	   /* statistics, 1..ABC_MAX_STATS */
	const double *obs; /* k observed values, finite */
	const double *sd;  /* k scales of the distance, finite, > 0 */
	abc_simulate_fn simulate;
	void *sim_ctx;
	/* d flags, or NULL (all 0): 1 moves coordinate a on a log scale
	 * (its prior's support must lie in (0, inf)); see "Kernel scale". */
	const unsigned char *log_scale;
} abc_problem;

/* A simulation of a batch. The engine fills theta, rep and seed; the
 * batch runner writes stats (k values, through the problem's simulate)
 * and status (0 or a negative status). */
typedef struct abc_job {
	const double *theta; /* d values */
	unsigned rep;
	uint64_t seed;
	double *stats; /* k values */
	int status;
} abc_job;

/* Runs the n jobs of a batch, in any order, sequentially or in parallel,
 * each through p->simulate(p->sim_ctx, ...), setting each job's stats and
 * status. Returns 0, or a negative status of its own (e.g. CD_EINTR, a
 * worker lost) that stops the run; the jobs' statuses are checked
 * separately. */
typedef int (*abc_run_batch_fn)(void *ctx, const abc_problem *p, abc_job *jobs,
				size_t n);

/* The default runner: the jobs one after another in array order. */
int abc_run_serial(void *ctx, const abc_problem *p, abc_job *jobs, size_t n);

/* Configuration */

typedef struct abc_config {
	size_t particles;     /* N >= 2 */
	unsigned generations; /* G >= 1, generation 0 included */
	unsigned reps;	      /* R >= 1 simulations per proposal */
	double alpha;	      /* in (0, 1): eps_g = alpha-quantile */
	uint64_t seed;
	size_t batch;		    /* proposals per batch, >= 1; 0: N */
	size_t max_proposals;	    /* per generation, >= N; 0: 1000 N */
	abc_run_batch_fn run_batch; /* NULL: abc_run_serial */
	void *batch_ctx;
} abc_config;

/* The defaults: N = 200 particles and G = 4 generations (the size the
 * issue's first calibration asks for), R = 1, alpha = 0.5, seed 1,
 * batch = N, cap = 1000 N, the serial runner. Cannot fail. */
void abc_config_default(abc_config *c);

/* Checks c and p; returns 0, or CD_EINVAL with d->msg naming the setting,
 * its value and what is allowed (e.g. "abc: particles is 1: at least 2
 * are needed for a weighted covariance"). */
int abc_check(const abc_config *c, const abc_problem *p, struct cd_diag *d);

/* Results */

enum abc_stop {
	ABC_STOP_DONE = 0, /* every generation asked for is complete */
	ABC_STOP_CAP = 1   /* the last generation hit max_proposals */
};

/* What generations.csv holds, per generation. */
typedef struct abc_generation {
	double tolerance;	/* +inf for generation 0 */
	size_t accepted;	/* N, or fewer at the cap */
	size_t proposals;	/* up to the N-th acceptance (or the cap) */
	size_t simulations;	/* runs made (R per proposal simulated) */
	size_t undefined;	/* proposals of distance +inf, among those */
	double acceptance_rate; /* accepted / proposals */
	double ess;		/* 1 / sum w^2 */
	double wall_seconds;	/* of the generation; not reproducible */
} abc_generation;

/* The run's final state: the last generation's population, and the
 * summary of every generation. Owned by the caller: abc_result_free. */
typedef struct abc_result {
	size_t d;
	size_t n;	     /* particles of the last generation */
	double *theta;	     /* [n * d], row-major */
	double *weight;	     /* [n], normalised */
	double *distance;    /* [n] */
	unsigned n_gen;	     /* generations written (0..n_gen-1) */
	abc_generation *gen; /* [n_gen] */
	enum abc_stop stop;
} abc_result;

/* Runs ABC-SMC for problem p under configuration c, writing posterior.csv
 * and generations.csv into dir (which must exist) after each generation;
 * dir NULL writes nothing (and resume must then be 0). With resume, goes
 * on from the files in dir (see above). On success returns 0 and fills
 * *res (free it with abc_result_free). On error returns CD_EINVAL (bad
 * configuration, or files that cannot be resumed: d->msg says which, with
 * FILE:LINE), CD_ENOENT (resume, and no posterior.csv or no
 * generations.csv to resume from), CD_EGSL (a covariance not positive
 * definite), CD_EIO,
 * CD_ENOMEM, CD_EINTR (a stop request, polled between batches) or the
 * status of a failing callback, with d->msg set; *res is then empty, and
 * the files in dir hold the generations completed before the error. */
int abc_run(const abc_config *c, const abc_problem *p, const char *dir,
	    int resume, abc_result *res, struct cd_diag *d);

/* Frees what r owns and empties it. Accepts an empty result. */
void abc_result_free(abc_result *r);

/* Helpers, exposed for tests and for the command's reports */

/* The alpha-quantile of x[0..n-1] (sorted in place), linearly
 * interpolated; NaN when n == 0. Cannot fail. */
double abc_quantile(double *x, size_t n, double alpha);

/* The distance of the replicate-mean statistics: stats holds R rows of k
 * values; +inf if any value is NaN (see above). Cannot fail. */
double abc_distance(const double *stats, unsigned reps, size_t k,
		    const double *obs, const double *sd);

#endif
