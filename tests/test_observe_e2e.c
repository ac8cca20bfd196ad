/* `cyberdef observe` end to end, on the 36,000-SME Japan of the test
 * fixtures: fit.csv and replicates.csv are written, the same bytes with
 * --jobs 1 and 2; each target's model median is the median of its column
 * of replicates.csv, and its distance and within_sd follow from it; the
 * help lists the command. */
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

static void write_targets(const struct fixture *fx)
{
	static const char *const rows[][4] = {
		{"dwell", "mtrends_median_dwell_days", "99.0", "19.8"},
		{"internal", "mtrends_internal_share", "0.53", "0.106"},
		{"state", "dbir_state_share", "0.12", "0.024"},
		{"contain", "ibm_mean_contain_days", "69.0", "13.8"},
	};
	char text[4096];
	size_t n = (size_t)snprintf(text, sizeof text, "targets = {\n");
	for (size_t i = 0; i < 4; i++)
		n += (size_t)snprintf(
			text + n, sizeof text - n,
			"  %s = { scenario = \"%s\"; statistic = \"%s\"; "
			"value = %s; sd = %s; source = \"a test\"; "
			"data_year = 2016; };\n",
			rows[i][0], SAMPLE, rows[i][1], rows[i][2], rows[i][3]);
	snprintf(text + n, sizeof text - n, "};\n");
	e2e_write(fx->work, "t.cfg", text);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void test_observe(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	write_targets(fx);
	e2e_run(fx, &p, "observe", SAMPLE, "--targets", "t.cfg", "--reps", "5",
		"--jobs", "1", "--out", "a", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "wrote a/{fit.csv,replicates.csv}");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "observe", SAMPLE, "--targets", "t.cfg", "--reps", "5",
		"--jobs", "2", "--out", "b", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	assert_string_equal(p.out, "");
	e2e_proc_free(&p);
	char a[PATH_MAX], b[PATH_MAX];
	const char *files[] = {"fit.csv", "replicates.csv"};
	for (int i = 0; i < 2; i++) {
		e2e_out_path(fx, a, sizeof a, "a", files[i]);
		e2e_out_path(fx, b, sizeof b, "b", files[i]);
		ts_assert_same_file(a, b);
	}
	struct csv fit, reps;
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof dir, "%s/a", fx->work);
	e2e_csv_load(&fit, dir, "fit.csv");
	e2e_csv_load(&reps, dir, "replicates.csv");
	assert_int_equal(fit.nrows, 4);
	assert_int_equal(reps.nrows, 5);
	for (size_t r = 0; r < fit.nrows; r++) {
		const char *name =
			e2e_csv_at(&fit, r, e2e_csv_col(&fit, "target"));
		size_t c = e2e_csv_col(&reps, name);
		double v[5];
		for (size_t k = 0; k < 5; k++)
			v[k] = e2e_num(e2e_csv_at(&reps, k, c));
		qsort(v, 5, sizeof v[0], by_double);
		double median = e2e_at_num(&fit, r, "model_median");
		double obs = e2e_at_num(&fit, r, "observed");
		double sd = e2e_at_num(&fit, r, "sd");
		double z = e2e_at_num(&fit, r, "distance");
		assert_true(median == v[2]);
		assert_true(e2e_at_num(&fit, r, "model_p05") >= v[0]);
		assert_true(e2e_at_num(&fit, r, "model_p95") <= v[4]);
		assert_true(fabs(z - (median - obs) / sd) < 1e-12);
		assert_true(e2e_at_num(&fit, r, "within_sd") == (fabs(z) <= 1));
		assert_true(e2e_at_num(&fit, r, "replicates") == 5);
	}
	e2e_csv_free(&fit);
	e2e_csv_free(&reps);
}

static void test_help_lists_observe(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_run(fx, &p, "--help", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "observe [SCENARIO] --targets FILE");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "observe", "--help", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "usage: cyberdef observe");
	e2e_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_observe, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_help_lists_observe,
						e2e_setup, e2e_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
