/* Tests of sweeps: SPEC parsing, bad input, confidence intervals against
 * GSL's t quantile, byte-identical outputs whatever the number of jobs, a
 * design from CSV, reproducing one run of a sweep with `cyberdef run`,
 * the option forms getopt_long takes, sweep.json, a long --out, and the
 * library returning what the command says. The program runs through the
 * one child-process runner (support.h, sweep_fixture.h); the resume and
 * limit tests are in test_sweep_resume.c and test_sweep_limits.c, the
 * design reader's in test_design.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include "analysis/experiment.h"
#include "analysis/outdir.h"
#include "analysis/spec.h"
#include "analysis/sweep.h"
#include "core/status.h"
#include "sweep_fixture.h"

static void test_spec_range(void **state)
{
	(void)state;
	char(*v)[SWEEP_VALUE_MAX];
	int n;
	char err[256];
	assert_int_equal(sweep_parse_spec("0:1:0.05", &v, &n, err, sizeof err),
			 0);
	assert_int_equal(n, 21); /* stop included despite rounding */
	assert_string_equal(v[0], "0");
	assert_string_equal(v[3], "0.15"); /* not 0.15000000000000002 */
	assert_string_equal(v[20], "1");
	free(v);
	assert_int_equal(sweep_parse_spec("0:0.3:0.1", &v, &n, err, sizeof err),
			 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[3], "0.3");
	free(v);
	assert_int_equal(sweep_parse_spec("5:5:1", &v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "5");
	free(v);
	assert_int_equal(sweep_parse_spec("1:10:4", &v, &n, err, sizeof err),
			 0);
	assert_int_equal(n, 3); /* 1, 5, 9: stop not on the grid */
	assert_string_equal(v[2], "9");
	free(v);
}

static void test_spec_list(void **state)
{
	(void)state;
	char(*v)[SWEEP_VALUE_MAX];
	int n;
	char err[256];
	assert_int_equal(
		sweep_parse_spec("0.304,0.647", &v, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "0.304");
	assert_string_equal(v[1], "0.647");
	free(v);
	assert_int_equal(sweep_parse_spec("state", &v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	free(v);
}

static void test_spec_bad(void **state)
{
	(void)state;
	struct {
		const char *spec, *says;
	} cases[] = {
		{"", "empty"},
		{"1:0:0.1", "reversed"},
		{"0:1:0", "step must be > 0"},
		{"0:1:-0.1", "step must be > 0"},
		{"0:x:1", "three finite numbers"},
		{"0:1", "three finite numbers"},
		{"0:1:0.1:5", "three finite numbers"},
		{"0:1e12:1", "at most"},
		{"a,,b", "empty"},
		{",", "empty"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char(*v)[SWEEP_VALUE_MAX];
		int n;
		char err[256] = "";
		int rc = sweep_parse_spec(cases[i].spec, &v, &n, err,
					  sizeof err);
		if (rc != CD_EINVAL || !strstr(err, cases[i].says))
			fprintf(stderr, "SPEC '%s': rc %d, err '%s'\n",
				cases[i].spec, rc, err);
		assert_int_equal(rc, CD_EINVAL);
		assert_non_null(strstr(err, cases[i].says));
		assert_null(v);
	}
}

static void test_bad_sweeps_exit_2(void **state)
{
	(void)state;
	char cfg[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "bad");
	struct {
		const char *args[12];
		const char *says;
	} cases[] = {
		{{"sweep", cfg, "--vary", "won.share_rate=1:0:0.1", "--reps",
		  "2", "--out", out, NULL},
		 "reversed"},
		{{"sweep", cfg, "--vary", "won.share_rate=", "--reps", "2",
		  "--out", out, NULL},
		 "empty"},
		{{"sweep", cfg, "--vary", "won.share_rate=0:1:1e-9", "--reps",
		  "2", "--out", out, NULL},
		 "at most"},
		{{"sweep", cfg, "--vary", "won.share_rate=0:2:0.5", "--reps",
		  "2", "--out", out, NULL},
		 "out of range"},
		{{"sweep", cfg, "--vary", "won.shar_rate=0:1:0.5", "--reps",
		  "2", "--out", out, NULL},
		 "did you mean 'share_rate'"},
		{{"sweep", cfg, "--vary", "won.share_rate", "--reps", "2",
		  "--out", out, NULL},
		 "PATH=SPEC"},
		{{"sweep", cfg, "--vary", "won.share_rate=0,1", "--reps", "0",
		  "--out", out, NULL},
		 "--reps"},
		{{"sweep", cfg, "--vary", "won.share_rate=0:1:0.001", "--vary",
		  "wos.maturity=0:1:0.001", "--reps", "1000", "--out", out,
		  NULL},
		 "at most"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = sw_run(cases[i].args);
		if (rc != 2)
			fprintf(stderr, "case %zu: exit %d\n", i, rc);
		assert_int_equal(rc, 2);
		sw_assert_stderr_has(cases[i].says);
		struct stat st;
		assert_int_not_equal(stat(out, &st), 0); /* nothing written */
	}
}

/* The sweep block of the scenario supplies --vary and --reps; --jobs 1
 * and --jobs 2 give byte-identical files; the CI of points.csv is
 * mean +- t(0.975, n - 1) sd / sqrt(n) over the rows of runs.csv. */
static void test_jobs_identical_and_ci(void **state)
{
	(void)state;
	char cfg[300], a[300], b[300];
	sw_path(cfg, "small.cfg");
	sw_path(a, "j1");
	sw_path(b, "j2");
	const char *one[] = {"sweep", cfg,	 "--reps", "6", "--jobs",
			     "1",     "--quiet", "--out",  a,	NULL};
	const char *two[] = {"sweep", cfg,	 "--reps", "6", "--jobs",
			     "2",     "--quiet", "--out",  b,	NULL};
	assert_int_equal(sw_run(one), 0);
	assert_int_equal(sw_run(two), 0);
	sw_assert_same_outputs(a, b);
	char runs[400], points[400];
	snprintf(runs, sizeof runs, "%s/runs.csv", a);
	snprintf(points, sizeof points, "%s/points.csv", a);
	double v[64], share[64], mean[4], lo[4], hi[4], pshare[4];
	int n = sw_column(runs, "intrusions", v, 64);
	assert_int_equal(sw_column(runs, "won.share_rate", share, 64), n);
	assert_int_equal(n, 12); /* 2 points x 6 replicates */
	assert_int_equal(sw_column(points, "intrusions_mean", mean, 4), 2);
	sw_column(points, "intrusions_ci_lo", lo, 4);
	sw_column(points, "intrusions_ci_hi", hi, 4);
	sw_column(points, "won.share_rate", pshare, 4);
	for (int p = 0; p < 2; p++) {
		double sum = 0, ss = 0;
		int m = 0;
		for (int i = 0; i < n; i++)
			if (share[i] == pshare[p]) {
				sum += v[i];
				m++;
			}
		assert_int_equal(m, 6);
		double mu = sum / m;
		for (int i = 0; i < n; i++)
			if (share[i] == pshare[p])
				ss += (v[i] - mu) * (v[i] - mu);
		double half = gsl_cdf_tdist_Pinv(0.975, m - 1) *
			      sqrt(ss / (m - 1)) / sqrt(m);
		assert_true(fabs(mean[p] - mu) <= 1e-9 * fabs(mu));
		assert_true(fabs(lo[p] - (mu - half)) <=
			    1e-9 * (fabs(mu) + half));
		assert_true(fabs(hi[p] - (mu + half)) <=
			    1e-9 * (fabs(mu) + half));
	}
}

/* A design CSV: each row a point; an unknown column or a short row is bad
 * input. */
static void test_design(void **state)
{
	(void)state;
	char cfg[300], design[300], out[300], bad[300];
	sw_path(cfg, "small.cfg");
	sw_path(design, "design.csv");
	sw_path(out, "design");
	sw_write_file(design, "won.share_rate,detection.hunt_rate\r\n"
			      "0.1,0.05\r\n0.5,0.2\r\n0.9,0.4\r\n");
	const char *args[] = {"sweep", cfg,	  "--design", design, "--reps",
			      "2",     "--quiet", "--out",    out,    NULL};
	assert_int_equal(sw_run(args), 0);
	char points[400];
	snprintf(points, sizeof points, "%s/points.csv", out);
	double hunt[8];
	assert_int_equal(sw_column(points, "detection.hunt_rate", hunt, 8), 3);
	assert_true(hunt[0] == 0.05 && hunt[1] == 0.2 && hunt[2] == 0.4);

	sw_path(bad, "bad_design.csv");
	sw_write_file(bad, "won.share_rate,detection.hunt_rat\n0.1,0.1\n");
	const char *unknown[] = {"sweep", cfg,	     "--design", bad, "--reps",
				 "2",	  "--quiet", "--out",	 out, NULL};
	assert_int_equal(sw_run(unknown), 2);
	sw_assert_stderr_has("did you mean 'hunt_rate'");
	sw_write_file(bad, "won.share_rate,detection.hunt_rate\n0.1\n");
	assert_int_equal(sw_run(unknown), 2);
	sw_assert_stderr_has("bad_design.csv:2");
	sw_write_file(bad, "won.share_rate\n");
	assert_int_equal(sw_run(unknown), 2);
	sw_assert_stderr_has("no rows");
}

/* One run of a sweep reproduces with `cyberdef run --seed <its seed>` and
 * the point's settings. */
static void test_run_reproduces_sweep_row(void **state)
{
	(void)state;
	char cfg[300], out[300], one[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "repro");
	sw_path(one, "one");
	const char *args[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0.3,0.7",
		"--reps",  "3",	    "--seed", "99",
		"--quiet", "--out", out,      NULL};
	assert_int_equal(sw_run(args), 0);
	char runs[400];
	snprintf(runs, sizeof runs, "%s/runs.csv", out);
	char *text = ts_slurp(runs, NULL);
	char *save = NULL;
	strtok_r(text, "\n", &save);
	for (int k = 0; k < 4; k++) /* (0, 0) to (1, 0) */
		strtok_r(NULL, "\n", &save);
	char *row = strtok_r(NULL, "\n", &save); /* point 1, replicate 1 */
	assert_true(strncmp(row, "1,1,", 4) == 0);
	row[strcspn(row, "\r")] = '\0';
	char *fields[4], *p = row;
	for (int k = 0; k < 4; k++) {
		fields[k] = p;
		p = strchr(p, ',');
		*p++ = '\0';
	}
	char set[100];
	snprintf(set, sizeof set, "won.share_rate=%s", fields[2]);
	char seed[64];
	snprintf(seed, sizeof seed, "%s", fields[3]);
	const char *run[] = {"run", cfg,       "--seed", seed, "--set",
			     set,   "--quiet", "--out",	 one,  NULL};
	assert_int_equal(sw_run(run), 0);
	char summary[400];
	snprintf(summary, sizeof summary, "%s/summary.csv", one);
	char *s = ts_slurp(summary, NULL);
	char *line = strchr(s, '\n') + 1;
	line[strcspn(line, "\r")] = '\0';
	/* runs.csv after point,replicate,won.share_rate is the summary row. */
	char *again = ts_slurp(runs, NULL);
	assert_non_null(strstr(again, line));
	free(again);
	free(s);
	free(text);
}

/* The seed column of runs.csv in dir, as written (decimal strings):
 * seeds[point * reps + rep]. */
static void read_seeds(const char *dir, int n, unsigned long long *seeds)
{
	char runs[400];
	snprintf(runs, sizeof runs, "%s/runs.csv", dir);
	char *text = ts_slurp(runs, NULL), *save = NULL;
	strtok_r(text, "\n", &save); /* the header */
	for (int k = 0; k < n; k++) {
		char *row = strtok_r(NULL, "\n", &save);
		assert_non_null(row);
		int point, rep;
		assert_int_equal(sscanf(row, "%d,%d,%*[^,],%llu", &point, &rep,
					&seeds[k]),
				 3);
		assert_int_equal(point * 3 + rep, k);
	}
	assert_null(strtok_r(NULL, "\n", &save));
	free(text);
}

/* Replicate r runs with the same seed at every point (common random
 * numbers), and distinct replicates with distinct seeds; --independent
 * gives every run a seed of its own, point 0 keeping the shared ones. */
static void test_seeds_shared_or_independent(void **state)
{
	(void)state;
	char cfg[300], shared[300], apart[300];
	sw_path(cfg, "small.cfg");
	sw_path(shared, "seeds_shared");
	sw_path(apart, "seeds_apart");
	const char *a[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0,0.5,1",
		"--reps",  "3",	    "--seed", "7",
		"--quiet", "--out", shared,   NULL};
	const char *b[] = {"sweep",   cfg,
			   "--vary",  "won.share_rate=0,0.5,1",
			   "--reps",  "3",
			   "--seed",  "7",
			   "--quiet", "--independent",
			   "--out",   apart,
			   NULL};
	assert_int_equal(sw_run(a), 0);
	assert_int_equal(sw_run(b), 0);
	unsigned long long s[9], t[9];
	read_seeds(shared, 9, s);
	read_seeds(apart, 9, t);
	for (int r = 0; r < 3; r++) {
		assert_true(s[r] != s[(r + 1) % 3]);
		for (int p = 1; p < 3; p++)
			assert_true(s[p * 3 + r] == s[r]);
		assert_true(t[r] == s[r]);
	}
	for (int i = 0; i < 9; i++)
		for (int j = 0; j < i; j++)
			assert_true(t[i] != t[j]);
	char json[400];
	snprintf(json, sizeof json, "%s/sweep.json", apart);
	char *text = ts_slurp(json, NULL);
	assert_non_null(strstr(text, "\"independent\": true"));
	free(text);
}

/* getopt_long's forms --seed=S and --reps=N mean what --seed S and
 * --reps N mean, to the byte; an abbreviation is refused by name. */
static void test_option_forms(void **state)
{
	(void)state;
	char cfg[300], a[300], b[300];
	sw_path(cfg, "small.cfg");
	sw_path(a, "forms_eq");
	sw_path(b, "forms_sep");
	const char *eq[] = {"sweep",
			    "--reps=3",
			    cfg,
			    "--seed=5",
			    "--vary=won.share_rate=0,1",
			    "--quiet",
			    "--out",
			    a,
			    NULL};
	const char *sep[] = {"sweep",  "--vary", "won.share_rate=0,1",
			     cfg,      "--reps", "3",
			     "--seed", "5",	 "--quiet",
			     "--out",  b,	 NULL};
	assert_int_equal(sw_run(eq), 0);
	assert_int_equal(sw_run(sep), 0);
	sw_assert_same_outputs(a, b);
	const char *abbreviated[] = {"sweep", cfg, "--vary", "won.share_rate=0",
				     "--rep", "3", "--out",  b,
				     NULL};
	assert_int_equal(sw_run(abbreviated), 2);
	sw_assert_stderr_has("did you mean --reps?");
}

/* The library returns and the program speaks: a value out of range, a
 * point that breaks a rule across settings and the memory a sweep needs
 * are statuses, messages and numbers for the caller, and nothing of
 * them reaches stderr. */
static void test_library_returns(void **state)
{
	(void)state;
	char cfg[300], timeline[300], said[300];
	sw_path(cfg, "small.cfg");
	sw_path(timeline, "timeline.cfg");
	sw_path(said, "library_stderr.txt");
	char *text = malloc(strlen(ts_small_scenario) + 100);
	assert_non_null(text);
	strcpy(text, ts_small_scenario);
	strcat(text, "timeline = ( { day = 60; set = { won = { maturity = "
		     "0.5; }; }; } );\n");
	sw_write_file(timeline, text);
	free(text);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int fd = open(said, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);

	const char *range[] = {"won.share_rate=0:2:0.5"};
	struct sweep_request rq = {.scenario = cfg,
				   .out = "unused",
				   .varies = range,
				   .n_varies = 1,
				   .reps = 2,
				   .jobs = 4,
				   .seed = 1};
	struct experiment e;
	struct cd_diag d = {""};
	int rc_range = experiment_open(&e, &rq, &d);
	if (!rc_range)
		rc_range = experiment_plan(&e, &d);
	char msg_range[sizeof d.msg];
	memcpy(msg_range, d.msg, sizeof d.msg);
	experiment_free(&e);

	const char *days[] = {"days=120,50"}; /* point 1 ends before day 60 */
	rq.scenario = timeline;
	rq.varies = days;
	int rc_point = experiment_open(&e, &rq, &d);
	if (!rc_point)
		rc_point = experiment_plan(&e, &d);
	int bad_point = e.bad_point;
	experiment_free(&e);

	const char *two[] = {"won.share_rate=0,1"};
	rq.scenario = cfg;
	rq.varies = two;
	int rc_good = experiment_open(&e, &rq, &d);
	if (!rc_good)
		rc_good = experiment_plan(&e, &d);
	struct sweep_memory m;
	sweep_memory_need(&e, &m);
	int max_days = e.max_days;
	experiment_free(&e);

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(rc_range, CD_EINVAL);
	assert_non_null(strstr(msg_range, "--vary won.share_rate=0:2:0.5"));
	assert_non_null(strstr(msg_range, "1.5 is out of range"));
	assert_int_equal(rc_point, CD_EINVAL);
	assert_int_equal(bad_point, 1);
	assert_int_equal(rc_good, 0);
	assert_int_equal(max_days, 120);
	assert_true(m.total == 4 && m.jobs == 4);
	assert_true(m.runs > 0 && m.aggregation > 0);
	size_t len;
	char *out = ts_slurp(said, &len);
	assert_non_null(out);
	if (len)
		fprintf(stderr, "the library wrote to stderr:\n%s\n", out);
	assert_int_equal(len, 0);
	free(out);
}

/* The set's manifest is sweep.json, valid JSON (the directory's name is
 * not UTF-8), with the seed as a decimal string and each CSV's SHA-256;
 * it is not the metadata.json of a run in the same directory, and a file
 * put back from another sweep is caught against it. */
static void test_sweep_json(void **state)
{
	(void)state;
	char cfg[300], out[300], json[400], other[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "set\xff");
	const char *run[] = {"run",	cfg,	 "--set", "days=5",
			     "--quiet", "--out", out,	  NULL};
	assert_int_equal(sw_run(run), 0);
	char meta[400];
	snprintf(meta, sizeof meta, "%s/metadata.json", out);
	char *run_meta = ts_slurp(meta, NULL);
	const char *args[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0,1",
		"--reps",  "2",	    "--seed", "12345678901234567890",
		"--quiet", "--out", out,      NULL};
	assert_int_equal(sw_run(args), 0);
	char *now = ts_slurp(meta, NULL);
	assert_string_equal(run_meta, now); /* the run's, untouched */
	free(run_meta);
	free(now);
	snprintf(json, sizeof json, "%s/sweep.json", out);
	json_error_t err;
	json_t *root = json_load_file(json, 0, &err);
	if (!root)
		fprintf(stderr, "sweep.json: %s\n", err.text);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "seed")),
			    "12345678901234567890");
	const char *cmd = json_string_value(json_object_get(root, "command"));
	assert_non_null(cmd);
	assert_non_null(strstr(cmd, "set\xef\xbf\xbd")); /* U+FFFD */
	json_t *files = json_object_get(root, "files");
	assert_int_equal(json_array_size(files), 3);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(files, 2), "name")),
			    "timeseries_points.csv");
	json_decref(root);
	struct cd_diag d;
	const char *names[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv"};
	for (int k = 0; k < 3; k++)
		assert_int_equal(
			cd_outdir_verify(out, "sweep.json", names[k], &d), 0);
	/* runs.csv of another sweep, as a crash between renames leaves. */
	sw_path(other, "set_other");
	const char *two[] = {"sweep",  cfg, "--vary",  "won.share_rate=0,1",
			     "--reps", "3", "--quiet", "--out",
			     other,    NULL};
	assert_int_equal(sw_run(two), 0);
	char from[400], to[400];
	snprintf(from, sizeof from, "%s/runs.csv", other);
	snprintf(to, sizeof to, "%s/runs.csv", out);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(cd_outdir_verify(out, "sweep.json", "runs.csv", &d),
			 CD_EINVAL);
}

/* An --out longer than any fixed buffer the sweep had is used whole. */
static void test_long_out(void **state)
{
	(void)state;
	char cfg[300], out[2400];
	sw_path(cfg, "small.cfg");
	snprintf(out, sizeof out, "%s", sw_tmp);
	for (int k = 0; k < 11; k++)
		strcat(out,
		       "/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxy"
		       "zabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw"
		       "xyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst"
		       "uvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij");
	assert_true(strlen(out) > 2000);
	const char *args[] = {"sweep",	cfg, "--vary",	"won.share_rate=0,1",
			      "--reps", "2", "--quiet", "--out",
			      out,	NULL};
	assert_int_equal(sw_run(args), 0);
	char path[2500];
	snprintf(path, sizeof path, "%s/sweep.json", out);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof path, "%s/.sweep", out);
	assert_int_not_equal(stat(path, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_range),
		cmocka_unit_test(test_spec_list),
		cmocka_unit_test(test_spec_bad),
		cmocka_unit_test(test_bad_sweeps_exit_2),
		cmocka_unit_test(test_jobs_identical_and_ci),
		cmocka_unit_test(test_design),
		cmocka_unit_test(test_run_reproduces_sweep_row),
		cmocka_unit_test(test_seeds_shared_or_independent),
		cmocka_unit_test(test_option_forms),
		cmocka_unit_test(test_library_returns),
		cmocka_unit_test(test_sweep_json),
		cmocka_unit_test(test_long_out),
	};
	return cmocka_run_group_tests(tests, sw_setup, sw_teardown);
}
