/* --posterior end to end, on the 36,000-SME Japan of the test fixtures
 * (a few days): a tiny posterior.csv (a decoy generation 0, then three
 * particles of detection.internal_rate with weights 0.2, 0.3 and 0.5).
 * `run --posterior` records the particle drawn in metadata.json and
 * prints it, and its files are byte for byte those of `run --set` with
 * that particle's value; a user's --set wins over the particle; over 600
 * replicates of a sweep the particles drawn follow the weights (within 4
 * binomial standard deviations) and every point draws the same particle
 * for a replicate; compare's arms share particle and seed per replicate,
 * and its runs.csv, points.csv and effects.csv do not depend on --jobs; bad
 * files are refused with FILE:LINE and exit status 2. */
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

#define SAMPLE SOURCE_DIR "/tests/fixtures/japan_sample.cfg"

/* A calibration's posterior: its observation-model column (observe.*)
 * changes no run and is skipped. */
static const char post_csv[] =
	"generation,particle,detection.internal_rate,observe.dbir.weight_sme,"
	"weight,distance\n"
	"0,0,0.5,3,1,9\n"
	"0,1,0.6,3,1,9\n"
	"1,0,0.01,0.5,0.4,1\n"
	"1,1,0.02,7,0.6,1\n"
	"1,2,0.05,2,1,1\n";
static const char *const values[] = {"0.01", "0.02", "0.05"};
static const double weights[] = {0.2, 0.3, 0.5};

static void run_ok(const struct fixture *fx, struct ts_proc *p,
		   const char *seed, const char *out, const char *a,
		   const char *b)
{
	e2e_run(fx, p, "run", SAMPLE, "--set", "days=20", "--set",
		"warmup_days=0", "--seed", seed, "--out", out, a, b, NULL);
	e2e_assert_exit(p, 0);
}

/* The particle metadata.json of work/dir records. */
static long recorded_particle(const struct fixture *fx, const char *dir)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof path, "%s/%s", fx->work, dir);
	char *m = e2e_slurp_in(path, "metadata.json", NULL);
	const char *at = strstr(m, "\"posterior\": {");
	assert_non_null(at);
	e2e_assert_contains(at, "\"file\": \"post.csv\"");
	e2e_assert_contains(at, "\"generation\": 1");
	const char *k = strstr(at, "\"particle\": ");
	assert_non_null(k);
	long v = strtol(k + strlen("\"particle\": "), NULL, 10);
	assert_true(v >= 0 && v <= 2);
	e2e_free(m);
	return v;
}

static void test_run_applies_particle(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	const char *const seeds[] = {"1", "2", "3", "4"};
	for (int i = 0; i < 4; i++) {
		struct ts_proc p;
		char set[64], want[128];
		run_ok(fx, &p, seeds[i], "a", "--posterior", "post.csv");
		long k = recorded_particle(fx, "a");
		snprintf(want, sizeof want,
			 "posterior post.csv: generation 1, particle %ld: "
			 "detection.internal_rate=%s",
			 k, values[k]);
		e2e_assert_contains(p.out, want);
		e2e_proc_free(&p);
		snprintf(set, sizeof set, "detection.internal_rate=%s",
			 values[k]);
		run_ok(fx, &p, seeds[i], "b", "--set", set);
		e2e_proc_free(&p);
		e2e_assert_same_run(fx, "a", "b", "--posterior and --set");
	}
	struct ts_proc p; /* the command's own --set wins */
	e2e_run(fx, &p, "run", SAMPLE, "--set", "days=20", "--set",
		"warmup_days=0", "--posterior", "post.csv", "--set",
		"detection.internal_rate=0.03", "--out", "c", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	run_ok(fx, &p, "1", "d", "--set", "detection.internal_rate=0.03");
	e2e_proc_free(&p);
	e2e_assert_same_run(fx, "c", "d", "--posterior then --set");
}

/* Loads work/dir/runs.csv. */
static void runs_of(const struct fixture *fx, const char *dir, struct csv *t)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof path, "%s/%s", fx->work, dir);
	e2e_csv_load(t, path, "runs.csv");
}

static void test_frequencies(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	enum { N = 600 };
	struct ts_proc p;
	e2e_run(fx, &p, "sweep", SAMPLE, "--set", "warmup_days=0", "--vary",
		"days=2,3", "--reps", "600", "--posterior", "post.csv",
		"--jobs", "2", "--out", "s", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	struct csv t;
	runs_of(fx, "s", &t);
	assert_int_equal(t.nrows, 2 * N);
	size_t pc = e2e_csv_col(&t, "particle");
	assert_int_equal(pc, 2); /* after point and replicate */
	int count[3] = {0};
	for (size_t r = 0; r < N; r++) {
		long long k = e2e_inum(e2e_csv_at(&t, r, pc));
		assert_true(k >= 0 && k <= 2);
		count[k]++;
		assert_string_equal(e2e_csv_at(&t, r, pc),
				    e2e_csv_at(&t, r + N, pc));
	}
	for (int k = 0; k < 3; k++) {
		double mean = N * weights[k];
		double sd = sqrt(N * weights[k] * (1 - weights[k]));
		if (fabs(count[k] - mean) > 4 * sd)
			fail_msg("particle %d drawn %d times of %d; expected "
				 "%.0f +- %.1f (4 sd)",
				 k, count[k], N, mean, 4 * sd);
	}
	e2e_csv_free(&t);
}

static void compare(const struct fixture *fx, const char *jobs, const char *out)
{
	struct ts_proc p;
	e2e_run(fx, &p, "compare", SAMPLE, "@detection.hunt_rate=0.5", "--set",
		"days=10", "--set", "warmup_days=0", "--reps", "12",
		"--posterior", "post.csv", "--jobs", jobs, "--out", out,
		"--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
}

static void test_compare_pairs(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	compare(fx, "1", "c1");
	compare(fx, "2", "c2");
	char x[PATH_MAX], y[PATH_MAX];
	static const char *const names[] = {"runs.csv", "points.csv",
					    "effects.csv"};
	for (int i = 0; i < 3; i++) {
		e2e_out_path(fx, x, sizeof x, "c1", names[i]);
		e2e_out_path(fx, y, sizeof y, "c2", names[i]);
		ts_assert_same_file(x, y);
	}
	struct csv t;
	runs_of(fx, "c1", &t);
	assert_int_equal(t.nrows, 24);
	size_t pc = e2e_csv_col(&t, "particle"), sc = e2e_csv_col(&t, "seed");
	int distinct = 0;
	for (size_t r = 0; r < 12; r++) {
		assert_string_equal(e2e_csv_at(&t, r, pc),
				    e2e_csv_at(&t, r + 12, pc));
		assert_string_equal(e2e_csv_at(&t, r, sc),
				    e2e_csv_at(&t, r + 12, sc));
		distinct |= strcmp(e2e_csv_at(&t, r, pc),
				   e2e_csv_at(&t, 0, pc)) != 0;
	}
	assert_true(distinct); /* replicates do draw different particles */
	e2e_csv_free(&t);
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof dir, "%s/c1", fx->work);
	char *j = e2e_slurp_in(dir, "sweep.json", NULL);
	e2e_assert_contains(j, "\"posterior\": {");
	e2e_assert_contains(j, "\"file\": \"post.csv\"");
	e2e_assert_contains(j, "\"sha256\": \"");
	e2e_free(j);
}

static void refused(const struct fixture *fx, const char *text,
		    const char *want)
{
	e2e_write(fx->work, "bad.csv", text);
	struct ts_proc p;
	e2e_run(fx, &p, "run", SAMPLE, "--posterior", "bad.csv", "--out", "x",
		"--quiet", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, want);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "compare", SAMPLE, "@detection.hunt_rate=0.5",
		"--posterior", "bad.csv", "--reps", "2", "--out", "y",
		"--quiet", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, want);
	e2e_proc_free(&p);
	e2e_assert_no_output(fx, "x");
	e2e_assert_no_output(fx, "y");
}

#define HEAD "generation,particle,detection.internal_rate,weight,distance\n"

static void test_bad_files(void **state)
{
	struct fixture *fx = *state;
	refused(fx,
		"generation,particle,detection.nope,weight,distance\n"
		"1,0,0.1,1,1\n",
		"bad.csv:1: column 3: unknown setting 'detection.nope'");
	refused(fx, HEAD "1,0,0.1,1,1\n1,1,7,1,1\n",
		"bad.csv:3: field 3: detection.internal_rate: 7 is out of "
		"range");
	refused(fx, HEAD, "bad.csv:1: a header and no rows");
	refused(fx, HEAD "1,0,0.1,0,1\n", "bad.csv:2: field weight");
	refused(fx, HEAD "x,0,0.1,1,1\n", "bad.csv:2: field 1 (generation)");
	refused(fx, "generation,particle,weight\n1,0,1\n",
		"bad.csv:1: not a posterior.csv header");
	refused(fx, HEAD "1,0,0.1,1\n", "bad.csv:2:");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_applies_particle,
						e2e_setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_frequencies, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_compare_pairs, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, e2e_setup,
						e2e_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
