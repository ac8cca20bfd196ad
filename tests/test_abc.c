/* Tests for abc: the ABC-SMC engine's contracts (analysis/abc.h), on a
 * small problem of two parameters, three statistics (one undefined in
 * part of the prior) and three replicates:
 *   - the same seed gives the same posterior.csv, byte for byte, whatever
 *     the order the batch runner executes the jobs in and whatever the
 *     batch size, and generations.csv but for wall_seconds;
 *   - a run resumed from a completed generation, or after a stop in the
 *     middle of one, writes the bytes of an uninterrupted run;
 *   - the cap stops a run with what it has, and a resume with a larger
 *     cap finds the particles a run with that cap finds;
 *   - a NaN statistic is never accepted;
 *   - bad configurations, unreadable files, a collapsed population and a
 *     failing simulation are refused with a message.
 * The closed-form posteriors are in test_abc_posterior.c.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "analysis/abc.h"
#include "analysis/csv.h"
#include "core/keyed.h"
#include "support.h"

/* The problem */

#define BOX 20.0
#define UNDEFINED_ABOVE 2.5 /* statistic 2 is NaN where theta0 > this */

static const char *const toy_names[] = {"alpha_rate", "beta_rate"};
static const double toy_obs[3] = {1.0, 3.0, 0.0};
static const double toy_sd[3] = {0.5, 0.5, 0.3};

static int box_sample(void *ctx, const double *u, double *theta)
{
	(void)ctx;
	theta[0] = -BOX + 2 * BOX * u[0];
	theta[1] = -BOX + 2 * BOX * u[1];
	return 0;
}

static double box_log_density(void *ctx, const double *theta)
{
	(void)ctx;
	return fabs(theta[0]) < BOX && fabs(theta[1]) < BOX ? 0 : -INFINITY;
}

static int toy_simulate(void *ctx, const double *theta, unsigned rep,
			uint64_t seed, double *stats)
{
	int *fail = ctx;
	(void)rep;
	if (fail && *fail && theta[0] > 0)
		return CD_EIO;
	cd_key k = cd_key_of(seed, 3);
	double e[3];
	for (uint64_t j = 0; j < 3; j++)
		e[j] = gsl_cdf_ugaussian_Pinv(cd_keyed_u01(k, j, 0));
	stats[0] = theta[0] + e[0];
	stats[1] = theta[0] + theta[1] + 0.5 * e[1];
	stats[2] = theta[0] > UNDEFINED_ABOVE ? NAN : 0.3 * e[2];
	return 0;
}

static abc_problem toy_problem(void)
{
	abc_problem p = {.d = 2,
			 .names = toy_names,
			 .prior = {box_sample, box_log_density, NULL},
			 .k = 3,
			 .obs = toy_obs,
			 .sd = toy_sd,
			 .simulate = toy_simulate};
	return p;
}

static abc_config toy_config(void)
{
	abc_config c;
	abc_config_default(&c);
	c.particles = 60;
	c.generations = 5;
	c.reps = 3;
	c.seed = 99;
	return c;
}

/* Batch runners */

/* Runs the jobs in an order drawn from (seed, call), or reversed. */
struct shuffler {
	uint64_t seed;
	uint64_t calls;
	int reverse;
	long fail_at; /* the call that returns CD_EINTR, or -1 */
};

static int run_shuffled(void *ctx, const abc_problem *p, abc_job *jobs,
			size_t n)
{
	struct shuffler *s = ctx;
	uint64_t call = s->calls++;
	if (s->fail_at >= 0 && call == (uint64_t)s->fail_at)
		return CD_EINTR;
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	assert_non_null(order);
	for (size_t i = 0; i < n; i++)
		order[i] = s->reverse ? n - 1 - i : i;
	cd_key k = cd_key_of(s->seed, 11);
	for (size_t i = n; !s->reverse && i > 1; i--) {
		size_t j = (size_t)(cd_keyed_u01(k, call, i) * (double)i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < n; i++) {
		abc_job *j = &jobs[order[i]];
		j->status = p->simulate(p->sim_ctx, j->theta, j->rep, j->seed,
					j->stats);
	}
	free(order);
	return 0;
}

/* Files */

struct dirs {
	char root[512];
};

static int setup(void **state)
{
	struct dirs *d = calloc(1, sizeof *d);
	if (!d || ts_make_tmpdir(d->root, sizeof d->root, "cd-abc"))
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dirs *d = *state;
	ts_rm_rf(d->root);
	free(d);
	return 0;
}

static void subdir(char *buf, size_t size, const struct dirs *d,
		   const char *name)
{
	ts_path_join(buf, size, d->root, name);
	assert_int_equal(cd_mkdir_p(buf), 0);
}

/* The text of dir/name with the last field of every record cut
 * (generations.csv's wall_seconds). The caller frees it. */
static char *without_last_field(const char *dir, const char *name)
{
	char path[1024];
	ts_path_join(path, sizeof path, dir, name);
	char *s = ts_slurp(path, NULL);
	assert_non_null(s);
	char *out = s, *line = s;
	while (*line) {
		char *eol = strchr(line, '\n');
		char *end = eol ? eol : line + strlen(line);
		char *comma = line;
		for (char *q = line; q < end; q++)
			if (*q == ',')
				comma = q;
		size_t keep = (size_t)(comma - line);
		memmove(out, line, keep);
		out += keep;
		*out++ = '\n';
		line = eol ? eol + 1 : end;
	}
	*out = '\0';
	return s;
}

static void assert_same_run(const char *a, const char *b)
{
	char pa[1024], pb[1024];
	ts_path_join(pa, sizeof pa, a, "posterior.csv");
	ts_path_join(pb, sizeof pb, b, "posterior.csv");
	ts_assert_same_file(pa, pb);
	char *ga = without_last_field(a, "generations.csv");
	char *gb = without_last_field(b, "generations.csv");
	assert_string_equal(ga, gb);
	free(ga);
	free(gb);
}

static void run_ok(const abc_config *c, const char *dir, int resume,
		   abc_result *r)
{
	abc_problem p = toy_problem();
	struct cd_diag d = {{0}};
	int rc = abc_run(c, &p, dir, resume, r, &d);
	if (rc)
		fail_msg("abc_run: %s (%s)", d.msg, cd_strerror(rc));
}

/* Determinism */

static void test_any_order_same_bytes(void **state)
{
	const struct dirs *d = *state;
	char a[1024], b[1024], c7[1024], rev[1024], other[1024];
	subdir(a, sizeof a, d, "serial");
	subdir(b, sizeof b, d, "shuffled");
	subdir(c7, sizeof c7, d, "batch7");
	subdir(rev, sizeof rev, d, "reversed");
	subdir(other, sizeof other, d, "other_seed");
	abc_result r;
	abc_config c = toy_config();
	run_ok(&c, a, 0, &r);
	assert_int_equal(r.n_gen, c.generations);
	assert_int_equal(r.stop, ABC_STOP_DONE);
	abc_result_free(&r);

	struct shuffler sh = {.seed = 5, .fail_at = -1};
	c.run_batch = run_shuffled;
	c.batch_ctx = &sh;
	run_ok(&c, b, 0, &r);
	abc_result_free(&r);
	assert_same_run(a, b);

	struct shuffler sr = {.reverse = 1, .fail_at = -1};
	c.batch_ctx = &sr;
	run_ok(&c, rev, 0, &r);
	abc_result_free(&r);
	assert_same_run(a, rev);

	/* Another batch size: the same particles (only the count of
	 * simulations run may differ). */
	sh.calls = 0;
	c.batch_ctx = &sh;
	c.batch = 7;
	run_ok(&c, c7, 0, &r);
	abc_result_free(&r);
	char pa[1024], pc[1024];
	ts_path_join(pa, sizeof pa, a, "posterior.csv");
	ts_path_join(pc, sizeof pc, c7, "posterior.csv");
	ts_assert_same_file(pa, pc);

	c = toy_config();
	c.seed++;
	run_ok(&c, other, 0, &r);
	abc_result_free(&r);
	char po[1024];
	ts_path_join(po, sizeof po, other, "posterior.csv");
	assert_false(ts_same_bytes(pa, po));
}

/* Resume */

static void test_resume_same_bytes(void **state)
{
	const struct dirs *d = *state;
	char full[1024], part[1024], cut[1024];
	subdir(full, sizeof full, d, "full");
	subdir(part, sizeof part, d, "part");
	subdir(cut, sizeof cut, d, "cut");
	abc_config c = toy_config();
	abc_result r, r2;
	run_ok(&c, full, 0, &r);

	/* From a completed generation. */
	abc_config c2 = c;
	c2.generations = 2;
	run_ok(&c2, part, 0, &r2);
	assert_int_equal(r2.n_gen, 2);
	abc_result_free(&r2);
	run_ok(&c, part, 1, &r2);
	assert_same_run(full, part);
	assert_int_equal(r2.n_gen, r.n_gen);
	assert_memory_equal(r2.theta, r.theta, r.n * r.d * sizeof(double));
	assert_memory_equal(r2.weight, r.weight, r.n * sizeof(double));
	abc_result_free(&r2);

	/* After a stop in generation 2: at its 4th batch of 10 (generations
	 * 0 and 1 take 12 and 15). */
	struct shuffler sh = {.seed = 1, .fail_at = 30};
	abc_config c3 = c;
	c3.batch = 10;
	c3.run_batch = run_shuffled;
	c3.batch_ctx = &sh;
	abc_problem p = toy_problem();
	struct cd_diag dg = {{0}};
	assert_int_equal(abc_run(&c3, &p, cut, 0, &r2, &dg), CD_EINTR);
	assert_non_null(strstr(dg.msg, "failed"));
	assert_int_equal(r2.n_gen, 0); /* empty on error */
	char *left = without_last_field(cut, "generations.csv");
	assert_non_null(strstr(left, "\n1,")); /* generation 1 complete */
	assert_null(strstr(left, "\n4,"));
	free(left);
	sh.fail_at = -1;
	run_ok(&c3, cut, 1, &r2);
	abc_result_free(&r2);
	char pf[1024], pc[1024];
	ts_path_join(pf, sizeof pf, full, "posterior.csv");
	ts_path_join(pc, sizeof pc, cut, "posterior.csv");
	ts_assert_same_file(pf, pc);

	/* Resuming a finished run changes nothing. */
	run_ok(&c, part, 1, &r2);
	assert_same_run(full, part);
	abc_result_free(&r2);
	abc_result_free(&r);
}

/* The cap */

static void test_cap_stops_and_resumes(void **state)
{
	const struct dirs *d = *state;
	char capped[1024], free_run[1024];
	subdir(capped, sizeof capped, d, "capped");
	subdir(free_run, sizeof free_run, d, "free");
	abc_config c = toy_config();
	c.generations = 3;
	abc_result r;
	run_ok(&c, free_run, 0, &r);
	/* A cap that generation 0 meets and generation 1 does not. */
	size_t need0 = r.gen[0].proposals, need1 = r.gen[1].proposals;
	assert_true(need1 > need0);
	abc_result_free(&r);

	c.max_proposals = need0;
	run_ok(&c, capped, 0, &r);
	assert_int_equal(r.stop, ABC_STOP_CAP);
	assert_int_equal(r.n_gen, 2);
	assert_int_equal(r.gen[0].accepted, c.particles);
	assert_true(r.gen[1].accepted < c.particles);
	assert_int_equal(r.gen[1].proposals, need0);
	assert_int_equal(r.n, r.gen[1].accepted);
	abc_result_free(&r);

	/* Resumed with no cap, generation 1 is redone and keeps the
	 * particles it had found, as the first of its N. */
	c.max_proposals = 0;
	run_ok(&c, capped, 1, &r);
	assert_int_equal(r.stop, ABC_STOP_DONE);
	abc_result_free(&r);
	char pa[1024], pb[1024];
	ts_path_join(pa, sizeof pa, capped, "posterior.csv");
	ts_path_join(pb, sizeof pb, free_run, "posterior.csv");
	ts_assert_same_file(pa, pb);
	/* (generations.csv differs in generation 0's simulations: the cap
	 * cut its last batch short.) */
}

/* NaN statistics */

static void test_nan_never_accepted(void **state)
{
	(void)state;
	abc_config c = toy_config();
	abc_result r;
	run_ok(&c, NULL, 0, &r);
	/* Statistic 2 is NaN for theta0 > 2.5, about 44% of the prior. */
	assert_true(r.gen[0].undefined > r.gen[0].proposals / 4);
	assert_int_equal(r.gen[0].proposals,
			 r.gen[0].accepted + r.gen[0].undefined);
	assert_true(isinf(r.gen[0].tolerance));
	for (size_t i = 0; i < r.n; i++) {
		assert_true(r.theta[i * 2] <= UNDEFINED_ABOVE);
		assert_true(isfinite(r.distance[i]));
		assert_true(r.distance[i] <= r.gen[r.n_gen - 1].tolerance);
	}
	for (unsigned g = 1; g < r.n_gen; g++)
		assert_true(r.gen[g].tolerance <= r.gen[g - 1].tolerance);
	double sum = 0;
	for (size_t i = 0; i < r.n; i++)
		sum += r.weight[i];
	assert_true(fabs(sum - 1) < 1e-12);
	abc_result_free(&r);
}

/* Refusals */

static void expect_refused(const abc_config *c, const abc_problem *p,
			   const char *words)
{
	struct cd_diag d = {{0}};
	abc_result r;
	assert_int_equal(abc_check(c, p, &d), CD_EINVAL);
	if (!strstr(d.msg, words))
		fail_msg("\"%s\" does not say \"%s\"", d.msg, words);
	memset(&d, 0, sizeof d);
	assert_int_equal(abc_run(c, p, NULL, 0, &r, &d), CD_EINVAL);
	assert_non_null(strstr(d.msg, words));
	assert_null(r.theta);
}

static void test_bad_configuration_refused(void **state)
{
	(void)state;
	abc_problem p = toy_problem();
	abc_config c = toy_config();
	struct cd_diag d = {{0}};
	assert_int_equal(abc_check(&c, &p, &d), 0);

	c.particles = 1;
	expect_refused(&c, &p, "particles is 1: 2 to");
	c.particles = 0;
	expect_refused(&c, &p, "particles is 0");
	c.particles = ABC_MAX_PARTICLES + 1;
	expect_refused(&c, &p, "2 to 1000000 are allowed");
	c.particles = 2; /* the edge */
	assert_int_equal(abc_check(&c, &p, &d), 0);
	c = toy_config();
	const double alphas[] = {0, 1, -0.5, 1.5, NAN};
	for (size_t i = 0; i < sizeof alphas / sizeof alphas[0]; i++) {
		c.alpha = alphas[i];
		expect_refused(&c, &p, "must be in (0, 1)");
	}
	c = toy_config();
	c.generations = 0;
	expect_refused(&c, &p, "generations is 0");
	c = toy_config();
	c.reps = 0;
	expect_refused(&c, &p, "reps is 0");
	c = toy_config();
	c.max_proposals = c.particles - 1;
	expect_refused(&c, &p, "max_proposals is 59");

	c = toy_config();
	p.d = 0;
	expect_refused(&c, &p, "0 parameters: 1 to");
	p.d = ABC_MAX_PARAMS + 1;
	expect_refused(&c, &p, "65 parameters: 1 to 64");
	p = toy_problem();
	p.k = 0;
	expect_refused(&c, &p, "0 statistics");
	p = toy_problem();
	const double zero_sd[3] = {0.5, 0, 0.3};
	p.sd = zero_sd;
	expect_refused(&c, &p, "uncertainty of statistic 1 is 0");
	p = toy_problem();
	const double nan_obs[3] = {1, NAN, 0};
	p.obs = nan_obs;
	expect_refused(&c, &p, "observed statistic 1 is nan");
	p = toy_problem();
	p.simulate = NULL;
	expect_refused(&c, &p, "callback");
	p = toy_problem();
	const char *const same[] = {"x", "x"};
	p.names = same;
	expect_refused(&c, &p, "both named \"x\"");
	const char *const col[] = {"x", "weight"};
	p.names = col;
	expect_refused(&c, &p, "a column of posterior.csv");

	p = toy_problem();
	abc_result r;
	memset(&d, 0, sizeof d);
	assert_int_equal(abc_run(&c, &p, NULL, 1, &r, &d), CD_EINVAL);
	assert_non_null(strstr(d.msg, "resume needs the directory"));
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	ts_path_join(path, sizeof path, dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void expect_resume_refused(const char *dir, size_t particles, int code,
				  const char *words)
{
	abc_config c = toy_config();
	c.particles = particles;
	abc_problem p = toy_problem();
	struct cd_diag d = {{0}};
	abc_result r;
	assert_int_equal(abc_run(&c, &p, dir, 1, &r, &d), code);
	if (!strstr(d.msg, words))
		fail_msg("\"%s\" does not say \"%s\"", d.msg, words);
}

static void test_resume_refuses_other_files(void **state)
{
	const struct dirs *d = *state;
	char dir[1024];
	subdir(dir, sizeof dir, d, "bad");
	expect_resume_refused(dir, 60, CD_ENOENT, "posterior.csv");
	write_file(dir, "posterior.csv",
		   "generation,particle,other,beta_rate,weight,distance\r\n");
	expect_resume_refused(dir, 60, CD_EINVAL,
			      "posterior.csv:1: the header is not that of "
			      "this run");
	write_file(dir, "posterior.csv",
		   "generation,particle,alpha_rate,beta_rate,weight,"
		   "distance\r\n0,0,1,2,0.5,0.1\r\n0,2,1,2,0.5,0.1\r\n");
	expect_resume_refused(dir, 60, CD_EINVAL,
			      "posterior.csv:3: particle 2 of generation 0 "
			      "where particle 1");
	write_file(dir, "posterior.csv",
		   "generation,particle,alpha_rate,beta_rate,weight,"
		   "distance\r\n0,0,1,2,0.5,0.1\r\n0,1,1,x,0.5,0.1\r\n");
	expect_resume_refused(dir, 2, CD_EINVAL,
			      "posterior.csv:3: beta_rate is \"x\": a finite "
			      "number");
	write_file(dir, "posterior.csv",
		   "generation,particle,alpha_rate,beta_rate,weight,"
		   "distance\r\n0,0,1,2,0.5,0.1\r\n0,1,1,3,0.5,0.1\r\n");
	expect_resume_refused(dir, 2, CD_ENOENT, "generations.csv");
	write_file(dir, "posterior.csv",
		   "generation,particle,alpha_rate,beta_rate,weight,"
		   "distance\r\n0,0,1,x,0.5,0.1\r\n");
	/* Only complete generations are read: none here, so the run
	 * starts over and succeeds. */
	abc_config c = toy_config();
	abc_result r;
	run_ok(&c, dir, 1, &r);
	assert_int_equal(r.n_gen, c.generations);
	abc_result_free(&r);
}

/* Failures */

static int point_sample(void *ctx, const double *u, double *theta)
{
	(void)ctx;
	(void)u;
	theta[0] = 0.5;
	theta[1] = 0.5;
	return 0;
}

static void test_collapsed_and_failing(void **state)
{
	(void)state;
	abc_problem p = toy_problem();
	p.prior.sample = point_sample;
	abc_config c = toy_config();
	struct cd_diag d = {{0}};
	abc_result r;
	assert_int_equal(abc_run(&c, &p, NULL, 0, &r, &d), CD_EGSL);
	assert_non_null(strstr(d.msg, "not positive definite"));

	p = toy_problem();
	int fail = 1;
	p.sim_ctx = &fail;
	memset(&d, 0, sizeof d);
	assert_int_equal(abc_run(&c, &p, NULL, 0, &r, &d), CD_EIO);
	assert_non_null(strstr(d.msg, "a simulation of generation 0"));
}

static void test_distance_and_quantile(void **state)
{
	(void)state;
	const double obs[2] = {1, 2}, sd[2] = {0.5, 2};
	/* Two replicates: the means (2, 4) are 2 and 1 scales away. */
	const double stats[4] = {1.5, 3, 2.5, 5};
	assert_true(fabs(abc_distance(stats, 2, 2, obs, sd) - sqrt(5)) < 1e-15);
	const double nan_one[4] = {1.5, 3, NAN, 5};
	assert_true(isinf(abc_distance(nan_one, 2, 2, obs, sd)));
	double x[5] = {4, 1, 3, 2, 5};
	assert_true(abc_quantile(x, 5, 0.5) == 3);
	assert_true(abc_quantile(x, 5, 0.25) == 2);
	assert_true(fabs(abc_quantile(x, 5, 0.1) - 1.4) < 1e-15);
	assert_true(isnan(abc_quantile(x, 0, 0.5)));
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance_and_quantile),
		cmocka_unit_test(test_bad_configuration_refused),
		cmocka_unit_test(test_nan_never_accepted),
		cmocka_unit_test(test_collapsed_and_failing),
		cmocka_unit_test_setup_teardown(test_any_order_same_bytes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_same_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cap_stops_and_resumes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_refuses_other_files,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
