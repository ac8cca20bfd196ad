/* Tests of a sweep's declared limits, at and one past each edge: settings
 * varied (--vary and the sweep block), values of one --vary, --reps,
 * --jobs and the runs of a sweep, option values taken whole, the runs of
 * a long design, and the memory check counting the aggregation. The
 * program runs through the one child-process runner (support.h,
 * sweep_fixture.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/spec.h"
#include "core/status.h"
#include "load/scenario.h"
#include "sweep_fixture.h"

/* --vary: 16 are a grid of 16 settings (each a column of runs.csv), 17
 * are refused; so is a sweep block of 17, while one of 16 is used. */
static void test_vary_count_limit(void **state)
{
	(void)state;
	char cfg[300], out[300], runs[400];
	sw_path(cfg, "small.cfg");
	sw_path(out, "axes16");
	char texts[17][100];
	const char *args[64] = {"sweep", cfg};
	int n = 2;
	for (int k = 0; k < 16; k++) {
		snprintf(texts[k], sizeof texts[k], "%s=%s", sw_sixteen[k][0],
			 sw_sixteen[k][1]);
		args[n++] = "--vary";
		args[n++] = texts[k];
	}
	const char *tail[] = {"--reps", "1", "--quiet", "--out", out, NULL};
	for (int k = 0; k < 6; k++)
		args[n + k] = tail[k];
	assert_int_equal(sw_run(args), 0);
	snprintf(runs, sizeof runs, "%s/runs.csv", out);
	double v[4];
	for (int k = 0; k < 16; k++)
		assert_int_equal(sw_column(runs, sw_sixteen[k][0], v, 4), 1);
	snprintf(texts[16], sizeof texts[16], "days=120");
	args[n++] = "--vary";
	args[n++] = texts[16];
	sw_path(out, "axes17");
	for (int k = 0; k < 6; k++)
		args[n + k] = tail[k];
	args[n + 4] = out;
	assert_int_equal(sw_run(args), 2);
	sw_assert_stderr_has("--vary: at most 16");
	struct stat st;
	assert_int_not_equal(stat(out, &st), 0);

	/* The scenario's sweep block. */
	for (int count = 16; count <= 17; count++) {
		char path[300],
			*text = malloc(strlen(ts_small_scenario) + 4000);
		assert_non_null(text);
		strcpy(text, ts_small_scenario);
		strcat(text, "sweep = { reps = 1; vary = (");
		for (int k = 0; k < count; k++) {
			strcat(text, k ? ", \"" : "\"");
			strcat(text, texts[k]);
			strcat(text, "\"");
		}
		strcat(text, "); };\n");
		sw_path(path, "block.cfg");
		sw_write_file(path, text);
		free(text);
		sw_path(out, count == 16 ? "block16" : "block17");
		const char *block[] = {"sweep", path, "--quiet",
				       "--out", out,  NULL};
		int rc = sw_run(block);
		if (count == 16) {
			assert_int_equal(rc, 0);
			snprintf(runs, sizeof runs, "%s/runs.csv", out);
			for (int k = 0; k < 16; k++)
				assert_int_equal(
					sw_column(runs, sw_sixteen[k][0], v, 4),
					1);
		} else {
			assert_int_equal(rc, 2);
			sw_assert_stderr_has("block.cfg");
			sw_assert_stderr_has("at most 16");
			assert_int_not_equal(stat(out, &st), 0);
		}
	}
}

/* Values of one --vary: SWEEP_MAX_VALUES are made, every one; one more
 * is refused, as a range and as a list. */
static void test_values_limit(void **state)
{
	(void)state;
	char(*v)[SWEEP_VALUE_MAX];
	int n;
	char err[256];
	assert_int_equal(SWEEP_MAX_VALUES, 100000);
	assert_int_equal(
		sweep_parse_spec("1:100000:1", &v, &n, err, sizeof err), 0);
	assert_int_equal(n, 100000);
	assert_string_equal(v[99999], "100000");
	free(v);
	assert_int_equal(
		sweep_parse_spec("1:100001:1", &v, &n, err, sizeof err),
		CD_EINVAL);
	assert_non_null(strstr(err, "makes 100001 values"));
	struct sw_text t = {0};
	for (int k = 0; k < 100001; k++)
		sw_add(&t, k ? ",7" : "7");
	assert_int_equal(sweep_parse_spec(t.s, &v, &n, err, sizeof err),
			 CD_EINVAL);
	assert_non_null(strstr(err, "100001 values"));
	t.s[t.n - 2] = '\0'; /* 100000 values */
	assert_int_equal(sweep_parse_spec(t.s, &v, &n, err, sizeof err), 0);
	assert_int_equal(n, 100000);
	free(v);
	free(t.s);
	/* A range whose count is not finite says so, not "inf". */
	assert_int_equal(
		sweep_parse_spec("-1e308:1e308:1", &v, &n, err, sizeof err),
		CD_EINVAL);
	assert_null(strstr(err, "inf"));
	assert_non_null(strstr(err, "more than"));
}

/* --reps, --jobs and the runs of a sweep (MAX_RUNS, 10^8) at and past
 * their edges. An accepted count is used: it reaches the memory check,
 * whose message names it; a refused one is named as out of bounds. */
static void test_run_limits(void **state)
{
	(void)state;
	char cfg[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "limits");
	struct {
		const char *vary, *reps, *jobs, *says;
		int exit;
	} cases[] = {
		{"won.share_rate=0.5", "100000000", "1",
		 "aggregating 100000000 runs (1 points x 100000000 replicates",
		 2},
		{"won.share_rate=0.5", "100000001", "1", "--reps: allowed", 2},
		{"won.share_rate=0.5", "0", "1", "--reps: allowed", 2},
		{"won.share_rate=0.25,0.75", "50000000", "1",
		 "aggregating 100000000 runs", 2},
		{"won.share_rate=0:1:0.0625", "5882353", "1",
		 "makes 100000001 runs (17 points x 5882353 replicates); "
		 "allowed: at most 100000000",
		 2},
		{"won.share_rate=0,1", "1", "1024", NULL, 0},
		{"won.share_rate=0,1", "1", "1025", "--jobs: allowed", 2},
		{"won.share_rate=0,1", "1", "0", "--jobs: allowed", 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[] = {
			"sweep",       cfg,	      "--vary",
			cases[i].vary, "--reps",      cases[i].reps,
			"--jobs",      cases[i].jobs, "--max-memory",
			"4G",	       "--quiet",     "--out",
			out,	       NULL};
		int rc = sw_run_within(args, 30);
		if (rc != cases[i].exit)
			fprintf(stderr, "case %zu: exit %d\n", i, rc);
		assert_int_equal(rc, cases[i].exit);
		if (cases[i].says)
			sw_assert_stderr_has(cases[i].says);
		ts_rm_rf(out);
	}
}

/* Option values are taken whole: trailing text, spaces and other bases
 * are refused by name. */
static void test_whole_values(void **state)
{
	(void)state;
	char cfg[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "whole");
	struct {
		const char *opt, *value, *says;
	} cases[] = {
		{"--reps", "5x", "--reps: allowed"},
		{"--reps", " 5", "--reps: allowed"},
		{"--reps", "5.0", "--reps: allowed"},
		{"--jobs", "2 ", "--jobs: allowed"},
		{"--jobs", "0x2", "--jobs: allowed"},
		{"--seed", "1e3", "--seed: allowed"},
		{"--seed", "18446744073709551616", "--seed: allowed"},
		{"--seed", "+1", "--seed: allowed"},
		{"--max-memory", " 8G", "--max-memory: allowed"},
		{"--max-memory", "8GB", "--max-memory: allowed"},
		{"--max-memory", "0x10", "--max-memory: allowed"},
		{"--max-memory", "8G ", "--max-memory: allowed"},
		{"--design", "", "--design needs a file"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[] = {
			"sweep",   cfg,	    "--vary",	  "won.share_rate=0,1",
			"--reps",  "1",	    cases[i].opt, cases[i].value,
			"--quiet", "--out", out,	  NULL};
		if (!strcmp(cases[i].opt, "--design"))
			args[2] = args[3] = args[4] = args[5] = "--quiet";
		int rc = sw_run_within(args, 30);
		if (rc != 2)
			fprintf(stderr, "%s '%s': exit %d\n", cases[i].opt,
				cases[i].value, rc);
		assert_int_equal(rc, 2);
		sw_assert_stderr_has(cases[i].says);
		struct stat st;
		assert_int_not_equal(stat(out, &st), 0);
	}
}

/* A design of 65537 rows (one past the old doubling's last step) is read
 * whole: with 1526 replicates it makes more runs than allowed, and says
 * so, instead of "more than 100000 rows". */
static void test_design_rows_program(void **state)
{
	(void)state;
	char cfg[300], design[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(design, "rows.csv");
	sw_path(out, "rows");
	size_t len;
	char *text = sw_rows_design(65537, &len);
	sw_write_file(design, text);
	free(text);
	const char *args[] = {"sweep", cfg,	  "--design", design, "--reps",
			      "1526",  "--quiet", "--out",    out,    NULL};
	assert_int_equal(sw_run_within(args, 60), 2);
	sw_assert_stderr_has("100009462 runs (65537 points x 1526 replicates)");
}

/* The aggregation is counted in the memory check: a limit that the runs
 * alone fit in but the aggregation of their replicates does not is
 * refused before anything is written, in KiB or MiB, never "0 MiB". */
static void test_memory_counts_aggregation(void **state)
{
	(void)state;
	char cfg[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "mem");
	const char *args[] = {"sweep",
			      cfg,
			      "--vary",
			      "won.share_rate=0.5",
			      "--reps",
			      "1000000",
			      "--max-memory",
			      "256M",
			      "--quiet",
			      "--out",
			      out,
			      NULL};
	assert_int_equal(sw_run_within(args, 30), 2);
	sw_assert_stderr_has("aggregating 1000000 runs");
	sw_assert_stderr_has("more than the 256 MiB allowed");
	struct stat st;
	assert_int_not_equal(stat(out, &st), 0);
	const char *tiny[] = {"sweep",
			      cfg,
			      "--vary",
			      "won.share_rate=0.5",
			      "--reps",
			      "1",
			      "--max-memory",
			      "100K",
			      "--quiet",
			      "--out",
			      out,
			      NULL};
	assert_int_equal(sw_run_within(tiny, 30), 2);
	sw_assert_stderr_has("more than the 100 KiB allowed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vary_count_limit),
		cmocka_unit_test(test_values_limit),
		cmocka_unit_test(test_run_limits),
		cmocka_unit_test(test_whole_values),
		cmocka_unit_test(test_design_rows_program),
		cmocka_unit_test(test_memory_counts_aggregation),
	};
	return cmocka_run_group_tests(tests, sw_setup, sw_teardown);
}
