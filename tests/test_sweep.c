/* Tests of sweeps: SPEC parsing and grids, bad input, confidence intervals
 * against GSL's t quantile, byte-identical outputs whatever the number of
 * jobs, resume after a kill, designs from CSV, reproducing one run of a
 * sweep with `cyberdef run`, the option forms getopt_long takes, and the
 * library returning what the command says. The program runs through the
 * one child-process runner of support.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "analysis/design.h"
#include "core/digest.h"
#include "analysis/outdir.h"
#include "load/scenario.h"
#include "core/status.h"
#include "support.h"
#include "analysis/experiment.h"
#include "analysis/spec.h"
#include "analysis/sweep.h"

/* ---- helpers --------------------------------------------------------------
 */

static char tmp[256];

/* The shared small world, with a default experiment. */
static const char sweep_block[] =
	"sweep = { vary = ( \"won.share_rate=0.2,0.8\" ); reps = 3; };\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The stderr of the child that ended last. */
static char *last_err;

/* Starts cyberdef with args (NULL-terminated, without the program name)
 * through the one runner (support.h), killed after `timeout` seconds. */
static void start(struct ts_proc *p, const char *const *args, double timeout)
{
	const char *argv[64] = {CYBERDEF_BIN};
	int n = 1;
	for (; args[n - 1]; n++) {
		assert_true(n < 63);
		argv[n] = args[n - 1];
	}
	argv[n] = NULL;
	const struct ts_spawn o = {.timeout_s = timeout};
	ts_start(p, &o, argv);
}

/* Waits for a started child and keeps its stderr. Returns its exit
 * status, or 128 + the signal that ended it. */
static int finish(struct ts_proc *p)
{
	ts_finish(p);
	free(last_err);
	last_err = strdup(p->err);
	assert_non_null(last_err);
	int rc = p->exited ? p->status : 128 + p->status;
	ts_proc_free(p);
	return rc;
}

/* Runs cyberdef with args; a child still running after `secs` seconds
 * fails the test. Returns as finish. */
static int cyberdef_within(const char *const *args, double secs)
{
	struct ts_proc p;
	start(&p, args, secs);
	return finish(&p);
}

static int cyberdef(const char *const *args)
{
	return cyberdef_within(args, 120);
}

static void assert_stderr_has(const char *text)
{
	assert_non_null(last_err);
	if (!strstr(last_err, text))
		fprintf(stderr, "stderr lacks \"%s\":\n%s\n", text, last_err);
	assert_non_null(strstr(last_err, text));
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/cyberdef-sweep-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	char path[300];
	snprintf(path, sizeof path, "%s/small.cfg", tmp);
	char *text = malloc(strlen(ts_small_scenario) + sizeof sweep_block);
	assert_non_null(text);
	strcpy(text, ts_small_scenario);
	strcat(text, sweep_block);
	write_file(path, text);
	free(text);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(last_err);
	last_err = NULL;
	return ts_rm_rf(tmp);
}

static const char *path_in(char *buf, const char *name)
{
	snprintf(buf, 300, "%s/%s", tmp, name);
	return buf;
}

/* ---- SPEC parsing ---------------------------------------------------------
 */

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

/* ---- the command ------------------------------------------------------------
 */

static void test_bad_sweeps_exit_2(void **state)
{
	(void)state;
	char cfg[300], out[300];
	path_in(cfg, "small.cfg");
	path_in(out, "bad");
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
		int rc = cyberdef(cases[i].args);
		if (rc != 2)
			fprintf(stderr, "case %zu: exit %d\n", i, rc);
		assert_int_equal(rc, 2);
		assert_stderr_has(cases[i].says);
		struct stat st;
		assert_int_not_equal(stat(out, &st), 0); /* nothing written */
	}
}

/* Reads the numeric column `name` of every data row of a CSV. */
static int column(const char *path, const char *name, double *out, int max)
{
	char *text = ts_slurp(path, NULL);
	assert_non_null(text);
	char *save = NULL, *line = strtok_r(text, "\n", &save);
	int col = -1, k = 0, n = 0;
	for (char *f = line, *e; f; f = e ? e + 1 : NULL, k++) {
		e = strchr(f, ',');
		size_t len = e ? (size_t)(e - f) : strcspn(f, "\r");
		if (strlen(name) == len && !strncmp(f, name, len))
			col = k;
	}
	assert_true(col >= 0);
	while ((line = strtok_r(NULL, "\n", &save)) && n < max) {
		char *f = line;
		for (int j = 0; j < col; j++)
			f = strchr(f, ',') + 1;
		out[n++] = *f == ',' || *f == '\r' ? NAN : strtod(f, NULL);
	}
	free(text);
	return n;
}

/* The sweep block of the scenario supplies --vary and --reps; --jobs 1
 * and --jobs 2 give byte-identical files; the CI of points.csv is
 * mean +- t(0.975, n - 1) sd / sqrt(n) over the rows of runs.csv. */
static void test_jobs_identical_and_ci(void **state)
{
	(void)state;
	char cfg[300], a[300], b[300];
	path_in(cfg, "small.cfg");
	path_in(a, "j1");
	path_in(b, "j2");
	const char *one[] = {"sweep", cfg,	 "--reps", "6", "--jobs",
			     "1",     "--quiet", "--out",  a,	NULL};
	const char *two[] = {"sweep", cfg,	 "--reps", "6", "--jobs",
			     "2",     "--quiet", "--out",  b,	NULL};
	assert_int_equal(cyberdef(one), 0);
	assert_int_equal(cyberdef(two), 0);
	const char *files[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv"};
	for (int k = 0; k < 3; k++) {
		char x[400], y[400];
		snprintf(x, sizeof x, "%s/%s", a, files[k]);
		snprintf(y, sizeof y, "%s/%s", b, files[k]);
		ts_assert_same_file(x, y);
	}
	char runs[400], points[400];
	snprintf(runs, sizeof runs, "%s/runs.csv", a);
	snprintf(points, sizeof points, "%s/points.csv", a);
	double v[64], share[64], mean[4], lo[4], hi[4], pshare[4];
	int n = column(runs, "intrusions", v, 64);
	assert_int_equal(column(runs, "won.share_rate", share, 64), n);
	assert_int_equal(n, 12); /* 2 points x 6 replicates */
	assert_int_equal(column(points, "intrusions_mean", mean, 4), 2);
	column(points, "intrusions_ci_lo", lo, 4);
	column(points, "intrusions_ci_hi", hi, 4);
	column(points, "won.share_rate", pshare, 4);
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

/* Kill a sweep at several points in its course; --resume gives the same
 * bytes as an uninterrupted sweep, and different arguments are refused
 * with what differs. */
static void test_resume_after_kill(void **state)
{
	(void)state;
	char cfg[300], ref[300];
	path_in(cfg, "small.cfg");
	path_in(ref, "ref");
	const char *full[] = {
		"sweep",  cfg,	"--vary",  "won.share_rate=0:1:0.25",
		"--reps", "20", "--quiet", "--out",
		ref,	  NULL};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cyberdef(full), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) +
		      1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	srand(20261122);
	for (int k = 0; k < 3; k++) {
		char out[300];
		snprintf(out, sizeof out, "%s/killed%d", tmp, k);
		const char *args[] = {
			"sweep",  cfg,	"--vary",  "won.share_rate=0:1:0.25",
			"--reps", "20", "--quiet", "--out",
			out,	  NULL};
		struct ts_proc p;
		start(&p, args, 120);
		/* A random moment within the sweep's course. */
		double at = took * (0.1 + 0.7 * rand() / (double)RAND_MAX);
		struct timespec d = {(time_t)at,
				     (long)((at - floor(at)) * 1e9)};
		nanosleep(&d, NULL);
		kill(p.pid, k == 1 ? SIGKILL : SIGINT);
		int rc = finish(&p);
		if (rc == 0)
			fprintf(stderr, "sweep %d finished before the kill\n",
				k);
		const char *again[] = {"sweep",	  cfg,
				       "--vary",  "won.share_rate=0:1:0.25",
				       "--reps",  "20",
				       "--quiet", "--out",
				       out,	  "--resume",
				       NULL};
		/* A kill before the sweep wrote its manifest (a slow start,
		 * as under valgrind) leaves nothing to resume or to differ
		 * from. */
		char manifest[400];
		struct stat ms;
		snprintf(manifest, sizeof manifest, "%s/.sweep/manifest.txt",
			 out);
		if (rc != 0 && stat(manifest, &ms) == 0) {
			const char *other[] = {
				"sweep",   cfg,
				"--vary",  "won.share_rate=0:1:0.5",
				"--reps",  "20",
				"--quiet", "--out",
				out,	   "--resume",
				NULL};
			assert_int_equal(cyberdef(other), 2);
			assert_stderr_has("differs");
			assert_stderr_has("vary=won.share_rate=0:1:0.25");
		}
		if (rc != 0)
			assert_int_equal(cyberdef(again), 0);
		const char *files[] = {"runs.csv", "points.csv",
				       "timeseries_points.csv"};
		for (int f = 0; f < 3; f++) {
			char x[400], y[400];
			snprintf(x, sizeof x, "%s/%s", ref, files[f]);
			snprintf(y, sizeof y, "%s/%s", out, files[f]);
			ts_assert_same_file(x, y);
		}
		char journal[400];
		snprintf(journal, sizeof journal, "%s/.sweep", out);
		struct stat st;
		assert_int_not_equal(stat(journal, &st), 0); /* cleaned up */
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* SIGINT in the middle of a long run (seconds of work, a hundred years of
 * days) stops the sweep within a second or two, not at the end of the run:
 * exit 130, the "interrupted ... --resume" message, and the run in flight
 * not journalled (the journal holds its header only). */
static void test_stop_mid_run(void **state)
{
	(void)state;
	char cfg[300], out[300], manifest[400], journal[400];
	path_in(cfg, "small.cfg");
	path_in(out, "long");
	snprintf(manifest, sizeof manifest, "%s/.sweep/manifest.txt", out);
	snprintf(journal, sizeof journal, "%s/.sweep/journal.bin", out);
	const char *args[] = {
		"sweep",   cfg,
		"--vary",  "won.share_rate=0.5",
		"--set",   "days=36500",
		"--set",   "segments.firms.count=300000",
		"--set",   "attackers.crime.campaigns_per_year=400",
		"--reps",  "1",
		"--jobs",  "1",
		"--quiet", "--out",
		out,	   NULL};
	struct ts_proc p;
	start(&p, args, 60);
	struct stat st;
	struct timespec ms = {0, 1000000}, t0;
	for (int t = 0; t < 20000 && stat(manifest, &st); t++)
		nanosleep(&ms, NULL);
	assert_int_equal(stat(manifest, &st), 0);
	struct timespec in = {0, 300000000}; /* well into the run */
	nanosleep(&in, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(kill(p.pid, SIGINT), 0);
	int rc = finish(&p);
	double took = seconds_since(&t0);
	if (took > 2)
		fprintf(stderr, "the sweep took %.1f s to stop\n", took);
	assert_true(took <= 2);
	assert_int_equal(rc, 128 + SIGINT);
	assert_stderr_has("interrupted: 0 of 1 runs done");
	assert_stderr_has("--resume");
	assert_int_equal(stat(journal, &st), 0);
	assert_true(st.st_size < 100); /* the header, no record */
}

/* A design CSV: each row a point; an unknown column or a short row is bad
 * input. */
static void test_design(void **state)
{
	(void)state;
	char cfg[300], design[300], out[300], bad[300];
	path_in(cfg, "small.cfg");
	path_in(design, "design.csv");
	path_in(out, "design");
	write_file(design, "won.share_rate,detection.hunt_rate\r\n"
			   "0.1,0.05\r\n0.5,0.2\r\n0.9,0.4\r\n");
	const char *args[] = {"sweep", cfg,	  "--design", design, "--reps",
			      "2",     "--quiet", "--out",    out,    NULL};
	assert_int_equal(cyberdef(args), 0);
	char points[400];
	snprintf(points, sizeof points, "%s/points.csv", out);
	double hunt[8];
	assert_int_equal(column(points, "detection.hunt_rate", hunt, 8), 3);
	assert_true(hunt[0] == 0.05 && hunt[1] == 0.2 && hunt[2] == 0.4);

	path_in(bad, "bad_design.csv");
	write_file(bad, "won.share_rate,detection.hunt_rat\n0.1,0.1\n");
	const char *unknown[] = {"sweep", cfg,	     "--design", bad, "--reps",
				 "2",	  "--quiet", "--out",	 out, NULL};
	assert_int_equal(cyberdef(unknown), 2);
	assert_stderr_has("did you mean 'hunt_rate'");
	write_file(bad, "won.share_rate,detection.hunt_rate\n0.1\n");
	assert_int_equal(cyberdef(unknown), 2);
	assert_stderr_has("bad_design.csv:2");
	write_file(bad, "won.share_rate\n");
	assert_int_equal(cyberdef(unknown), 2);
	assert_stderr_has("no rows");
}

/* ---- the design reader ------------------------------------------------------
 */

/* Sixteen settings of the small world, each with a valid value. */
static const char *const sixteen[][2] = {
	{"won.share_rate", "0.3"},
	{"detection.hunt_rate", "0.1"},
	{"detection.indicator_yield", "0.3"},
	{"won.maturity", "0.3"},
	{"wog.maturity", "0.3"},
	{"wos.maturity", "0.3"},
	{"segments.gov.count", "40"},
	{"segments.firms.count", "300"},
	{"segments.firms.hygiene_mean", "0.3"},
	{"attackers.apt.campaigns_per_year", "10"},
	{"attackers.apt.attempts_per_day", "100"},
	{"attackers.apt.success_prob", "0.01"},
	{"attackers.crime.campaigns_per_year", "40"},
	{"attackers.crime.attempts_per_day", "2000"},
	{"attackers.crime.success_prob", "1e-4"},
	{"attackers.crime.reveal_days", "4"},
};

static struct cd_scenario *small_world(void)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc = scenario_load_string(&sc, "small.cfg", ts_small_scenario, NULL,
				      0, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	return sc;
}

/* Appends to a growing text. */
struct text {
	char *s;
	size_t n, cap;
};

static void add(struct text *t, const char *s)
{
	size_t k = strlen(s);
	if (t->n + k + 1 > t->cap) {
		t->cap = 2 * (t->n + k + 1);
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->n, s, k + 1);
	t->n += k;
}

/* A design of n rows of won.share_rate: 0.5, except the last, 0.25. */
static char *rows_design(int n, size_t *len)
{
	struct text t = {0};
	add(&t, "won.share_rate\n");
	for (int r = 0; r < n; r++)
		add(&t, r == n - 1 ? "0.25\n" : "0.5\n");
	*len = t.n;
	return t.s;
}

/* 100000 rows are a design, every one of them read; 100001 are refused
 * by name. */
static void test_design_rows_limit(void **state)
{
	(void)state;
	struct cd_scenario *sc = small_world();
	struct cd_design dg;
	struct cd_diag d;
	size_t len;
	char *text = rows_design(CD_DESIGN_MAX_ROWS, &len);
	int rc = cd_design_parse(&dg, "d.csv", text, len, &sc->p, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(dg.n_rows, 100000);
	assert_int_equal(dg.n_cols, 1);
	assert_string_equal(cd_design_cell(&dg, 99998, 0), "0.5");
	assert_string_equal(cd_design_cell(&dg, 99999, 0), "0.25");
	cd_design_free(&dg);
	free(text);
	text = rows_design(CD_DESIGN_MAX_ROWS + 1, &len);
	d.msg[0] = '\0';
	rc = cd_design_parse(&dg, "d.csv", text, len, &sc->p, &d);
	assert_int_equal(rc, CD_ELIMIT);
	assert_non_null(strstr(d.msg, "d.csv:100002: "));
	assert_non_null(strstr(d.msg, "more than 100000 rows"));
	free(text);
	scenario_destroy(sc);
}

/* A header of k of the sixteen settings and one row of their values. */
static char *cols_design(int k)
{
	struct text t = {0};
	for (int c = 0; c < k; c++) {
		add(&t, c ? "," : "");
		add(&t, c < 16 ? sixteen[c][0] : "days");
	}
	add(&t, "\r\n");
	for (int c = 0; c < k; c++) {
		add(&t, c ? "," : "");
		add(&t, c < 16 ? sixteen[c][1] : "120");
	}
	add(&t, "\r\n");
	return t.s;
}

/* 16 columns are a design, each one kept; 17 are refused by name. */
static void test_design_columns_limit(void **state)
{
	(void)state;
	assert_int_equal(CD_MAX_AXES, 16);
	struct cd_scenario *sc = small_world();
	struct cd_design dg;
	struct cd_diag d;
	char *text = cols_design(16);
	int rc = cd_design_parse(&dg, "d.csv", text, strlen(text), &sc->p, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(dg.n_cols, 16);
	assert_int_equal(dg.n_rows, 1);
	for (int c = 0; c < 16; c++) {
		assert_string_equal(cd_design_column(&dg, c), sixteen[c][0]);
		assert_string_equal(cd_design_cell(&dg, 0, c), sixteen[c][1]);
	}
	cd_design_free(&dg);
	free(text);
	text = cols_design(17);
	rc = cd_design_parse(&dg, "d.csv", text, strlen(text), &sc->p, &d);
	assert_int_equal(rc, CD_ELIMIT);
	assert_non_null(strstr(d.msg, "d.csv:1: "));
	assert_non_null(strstr(d.msg, "more than 16 fields"));
	free(text);
	scenario_destroy(sc);
}

/* A setting's path may be longer than a value (63 bytes): segment and
 * attacker names of 31 bytes make an 81-byte path. A value over 63 bytes
 * is refused by name. */
static void test_design_long_path(void **state)
{
	(void)state;
	static const char text[] =
		"days = 3;\n"
		"segments = { s234567890123456789012345678901 = { kind = "
		"\"corporation\"; count = 5; }; };\n"
		"attackers = { a234567890123456789012345678901 = { type = "
		"\"criminal\"; objective = \"extortion\"; targets = { "
		"s234567890123456789012345678901 = 1.0; }; }; };\n";
	struct cd_scenario *sc;
	struct cd_diag d;
	assert_int_equal(
		scenario_load_string(&sc, "long.cfg", text, NULL, 0, &d), 0);
	static const char design[] =
		"attackers.a234567890123456789012345678901.targets."
		"s234567890123456789012345678901\n2.5\n";
	struct cd_design dg;
	int rc = cd_design_parse(&dg, "l.csv", design, strlen(design), &sc->p,
				 &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(cd_design_cell(&dg, 0, 0), "2.5");
	cd_design_free(&dg);
	static const char long_value[] = "days\n1000000000000000000000000000000"
					 "000000000000000000000000000"
					 "0000000\n";
	assert_int_equal(cd_design_parse(&dg, "v.csv", long_value,
					 strlen(long_value), &sc->p, &d),
			 CD_ELIMIT);
	assert_non_null(strstr(d.msg, "v.csv:2: field 1: the value is longer "
				      "than 63 bytes"));
	scenario_destroy(sc);
}

/* A byte-order mark is skipped; the hash is the SHA-256 of the bytes; a
 * row of "" is a value, not a blank line; every message has file and
 * line and names the problem. */
static void test_design_reader_messages(void **state)
{
	(void)state;
	struct cd_scenario *sc = small_world();
	struct cd_design dg;
	struct cd_diag d;
	const char bom[] = "\xef\xbb\xbfwon.share_rate\r\n0.5\r\n\r\n0.75\r\n";
	assert_int_equal(
		cd_design_parse(&dg, "b.csv", bom, strlen(bom), &sc->p, &d), 0);
	assert_string_equal(cd_design_column(&dg, 0), "won.share_rate");
	assert_int_equal(dg.n_rows, 2);
	assert_string_equal(cd_design_cell(&dg, 1, 0), "0.75");
	char hex[CD_SHA256_HEX];
	cd_sha256_hex(bom, strlen(bom), hex);
	assert_string_equal(dg.sha256, hex);
	cd_design_free(&dg);
	struct {
		const char *text, *says[2];
	} bad[] = {
		{"won.share_rate\n0.5\n\"\"\n",
		 {"x.csv:3: ", "won.share_rate: '' is not a number"}},
		{"won.share_rate,detection.hunt_rate\n0.5,0.1\n\"\"\n",
		 {"x.csv:3: ", "1 field, but the header has 2"}},
		{"won.share_rate\n0.5\n 0.5\n", {"x.csv:3: ", "begins with a"}},
		{"won.share_rate\n0.5 \n", {"x.csv:2: ", "ends with a"}},
		{"won.share_rate\n0.\"5\n", {"x.csv:2: ", "unquoted value"}},
		{"won.share_rate\n\"0.5\n", {"x.csv:2: ", "not closed"}},
		{"won.share_rate\n0.1234567890123456789012345678901234567890"
		 "12345678901234567890123\n",
		 {"x.csv:2: ", "longer than 63 bytes"}},
		{"won.share_rate\n2\n", {"x.csv:2: ", "out of range"}},
		{"won.share_rat\n0.5\n", {"x.csv:1: column 1", "share_rate"}},
		{"won.share_rate,won.share_rate\n0.5,0.5\n",
		 {"x.csv:1: column 2", "again (column 1 does)"}},
		{"won.share_rate,\n0.5,0.5\n",
		 {"x.csv:1: column 2", "no name"}},
		{"\n\nwon.share_rate\n", {"x.csv:3: ", "no rows"}},
		{"\xef\xbb\xbf\r\n\n", {"x.csv:1: ", "empty file"}},
		{"", {"x.csv:1: ", "empty file"}},
		{"won.share_rate\n0.5\n\0\n", {"x.csv:3: ", "NUL byte"}},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len = strlen(bad[i].text);
		if (strstr(bad[i].says[1], "NUL"))
			len += 2;
		d.msg[0] = '\0';
		int rc = cd_design_parse(&dg, "x.csv", bad[i].text, len, &sc->p,
					 &d);
		int ok = rc != 0 && strstr(d.msg, bad[i].says[0]) &&
			 strstr(d.msg, bad[i].says[1]);
		if (!ok)
			fprintf(stderr, "case %zu: rc %d, '%s'\n", i, rc,
				d.msg);
		assert_true(ok);
		assert_null(dg.t.cell);
	}
	scenario_destroy(sc);
}

/* The writer of a pipe: writes text into fd, then closes it. */
struct writer {
	int fd;
	const char *text;
	int ok;
};

static void *write_design(void *arg)
{
	struct writer *w = arg;
	size_t n = strlen(w->text);
	w->ok = write(w->fd, w->text, n) == (ssize_t)n;
	close(w->fd);
	return NULL;
}

/* A FIFO that no process writes is refused at once; a pipe with a writer
 * (as process substitution gives; here a thread) is read to its end. */
static void test_design_fifo(void **state)
{
	(void)state;
	struct cd_scenario *sc = small_world();
	char fifo[300];
	path_in(fifo, "design.fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct cd_design dg;
	struct cd_diag d;
	int rc = cd_design_read(&dg, fifo, &sc->p, &d);
	assert_int_equal(rc, CD_EIO);
	assert_non_null(strstr(d.msg, fifo));
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct writer w = {fds[1], "won.share_rate\n0.1\n0.2\n0.3\n", 0};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, write_design, &w), 0);
	char dev[64];
	snprintf(dev, sizeof dev, "/dev/fd/%d", fds[0]);
	rc = cd_design_read(&dg, dev, &sc->p, &d);
	assert_int_equal(pthread_join(th, NULL), 0);
	close(fds[0]);
	assert_true(w.ok);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(dg.n_rows, 3);
	cd_design_free(&dg);
	unlink(fifo);
	scenario_destroy(sc);
}

/* ---- reliability: resume, the journal, the lock, the set ----------------
 */

/* Waits up to 20 s for path to exist with at least `size` bytes. */
static void wait_for_file(const char *path, off_t size)
{
	struct stat st;
	struct timespec ms = {0, 500000};
	for (int t = 0; t < 40000; t++) {
		if (stat(path, &st) == 0 && st.st_size >= size)
			return;
		nanosleep(&ms, NULL);
	}
	fail_msg("%s did not appear", path);
}

/* Starts a sweep into out and stops it with SIGINT once its journal holds
 * `records` records (0: once the manifest is written). Returns the record
 * size, from the manifest. */
static size_t interrupted_sweep(const char *const *args, const char *out,
				int records)
{
	char manifest[400], journal[400];
	snprintf(manifest, sizeof manifest, "%s/.sweep/manifest.txt", out);
	snprintf(journal, sizeof journal, "%s/.sweep/journal.bin", out);
	struct ts_proc p;
	start(&p, args, 120);
	wait_for_file(manifest, 1);
	char *m = ts_slurp(manifest, NULL);
	const char *r = strstr(m, "\nrecord=");
	assert_non_null(r);
	size_t record = (size_t)strtoull(r + 8, NULL, 10);
	free(m);
	if (records)
		wait_for_file(journal, (off_t)(25 + (size_t)records * record));
	kill(p.pid, SIGINT);
	assert_int_equal(finish(&p), 128 + SIGINT);
	return record;
}

/* A --vary list longer than 256 bytes, changed only at its end, is a
 * different sweep: --resume refuses it, and resumes the same one. */
static void test_resume_long_vary(void **state)
{
	(void)state;
	char cfg[300], out[300], a[400], b[400];
	path_in(cfg, "small.cfg");
	path_in(out, "longvary");
	strcpy(a, "won.share_rate=");
	for (int k = 0; k < 70; k++)
		strcat(a, "0.5,");
	strcpy(b, a);
	strcat(a, "0.1");
	strcat(b, "0.2");
	const char *first[] = {"sweep", cfg,	   "--vary", a,	  "--reps",
			       "20",	"--quiet", "--out",  out, NULL};
	interrupted_sweep(first, out, 0);
	const char *other[] = {"sweep",	 cfg,	     "--vary",	b,
			       "--reps", "20",	     "--quiet", "--out",
			       out,	 "--resume", NULL};
	assert_int_equal(cyberdef_within(other, 20), 2);
	assert_stderr_has("differs");
	assert_stderr_has("0.5,0.1', now '...");
	assert_stderr_has("0.5,0.2'");
	const char *again[] = {"sweep",	 cfg,	     "--vary",	a,
			       "--reps", "20",	     "--quiet", "--out",
			       out,	 "--resume", NULL};
	assert_int_equal(cyberdef_within(again, 60), 0);
	char runs[400];
	snprintf(runs, sizeof runs, "%s/runs.csv", out);
	double share[1500];
	assert_int_equal(column(runs, "won.share_rate", share, 1500), 1420);
	assert_true(share[1419] == 0.1);
}

/* Overwrites n bytes at off of a file with the bytes at data. */
static void patch(const char *path, off_t off, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, n, off), (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

/* A zeroed record, a torn one, one whose checksum holds but whose seed is
 * not this sweep's, and zeros appended (as a crash can leave) are each
 * discarded with a warning that counts them, and their runs done again:
 * the outputs are those of an uninterrupted sweep. */
static void test_journal_damage(void **state)
{
	(void)state;
	char cfg[300], ref[300], out[300], journal[400];
	path_in(cfg, "small.cfg");
	path_in(ref, "dmg_ref");
	path_in(out, "dmg");
	snprintf(journal, sizeof journal, "%s/.sweep/journal.bin", out);
	const char *full[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.5",
		"--reps",  "40",    "--jobs", "1",
		"--quiet", "--out", ref,      NULL};
	assert_int_equal(cyberdef(full), 0);
	const char *args[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.5",
		"--reps",  "40",    "--jobs", "1",
		"--quiet", "--out", out,      NULL};
	size_t record = interrupted_sweep(args, out, 6);
	unsigned char *rec = calloc(1, record);
	assert_non_null(rec);
	patch(journal, (off_t)(25 + 1 * record), rec, record); /* zeroed */
	unsigned char flip = 0x5a;
	patch(journal, (off_t)(25 + 2 * record + record / 2), &flip, 1);
	/* Record 3 with another seed, and a checksum that holds. */
	int fd = open(journal, O_RDONLY);
	assert_int_equal(pread(fd, rec, record, (off_t)(25 + 3 * record)),
			 (ssize_t)record);
	close(fd);
	rec[8] ^= 1;
	cd_sha256 c;
	cd_sha256_begin(&c);
	cd_sha256_add(&c, rec, record - 16);
	sha256_digest(&c, 16, rec + record - 16);
	patch(journal, (off_t)(25 + 3 * record), rec, record);
	struct stat st;
	assert_int_equal(stat(journal, &st), 0);
	memset(rec, 0, record);
	patch(journal, st.st_size, rec, record); /* zeros appended */
	free(rec);
	const char *again[] = {
		"sweep",  cfg,	      "--vary",	 "won.share_rate=0:1:0.5",
		"--reps", "40",	      "--quiet", "--out",
		out,	  "--resume", NULL};
	assert_int_equal(cyberdef(again), 0);
	assert_stderr_has("warning");
	assert_stderr_has("discarded 4 of");
	assert_stderr_has("their runs are done again");
	const char *files[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv"};
	for (int k = 0; k < 3; k++) {
		char x[400], y[400];
		snprintf(x, sizeof x, "%s/%s", ref, files[k]);
		snprintf(y, sizeof y, "%s/%s", out, files[k]);
		ts_assert_same_file(x, y);
	}
}

/* A second sweep into a directory a sweep is writing is refused at once
 * (exit 1, naming the holder), whatever its arguments, before it touches
 * anything; the first finishes to the bytes of an undisturbed sweep. */
static void test_lock_second_sweep(void **state)
{
	(void)state;
	char cfg[300], out[300], ref[300], manifest[400];
	path_in(cfg, "small.cfg");
	path_in(out, "locked");
	path_in(ref, "lock_ref");
	snprintf(manifest, sizeof manifest, "%s/.sweep/manifest.txt", out);
	const char *first[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
		"--reps",  "60",    "--jobs", "1",
		"--quiet", "--out", out,      NULL};
	struct ts_proc p;
	start(&p, first, 120);
	wait_for_file(manifest, 1);
	char *before = ts_slurp(manifest, NULL);
	const char *resume[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
		"--reps",  "60",    "--jobs", "1",
		"--quiet", "--out", out,      "--resume",
		NULL};
	const char *other[] = {"sweep",	 cfg, "--vary",	 "won.share_rate=0,1",
			       "--reps", "2", "--quiet", "--out",
			       out,	 NULL};
	char holder[64];
	snprintf(holder, sizeof holder, "(process %d)", (int)p.pid);
	assert_int_equal(cyberdef_within(resume, 20), 1);
	assert_stderr_has("in use by another cyberdef");
	assert_stderr_has(holder);
	assert_int_equal(cyberdef_within(other, 20), 1);
	assert_stderr_has(holder);
	char *after = ts_slurp(manifest, NULL);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(finish(&p), 0);
	const char *alone[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
		"--reps",  "60",    "--jobs", "1",
		"--quiet", "--out", ref,      NULL};
	assert_int_equal(cyberdef(alone), 0);
	const char *files[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv"};
	for (int k = 0; k < 3; k++) {
		char x[400], y[400];
		snprintf(x, sizeof x, "%s/%s", ref, files[k]);
		snprintf(y, sizeof y, "%s/%s", out, files[k]);
		ts_assert_same_file(x, y);
	}
}

/* The set's manifest is sweep.json, valid JSON (the directory's name is
 * not UTF-8), with the seed as a decimal string and each CSV's SHA-256;
 * it is not the metadata.json of a run in the same directory, and a file
 * put back from another sweep is caught against it. */
static void test_sweep_json(void **state)
{
	(void)state;
	char cfg[300], out[300], json[400], other[300];
	path_in(cfg, "small.cfg");
	path_in(out, "set\xff");
	const char *run[] = {"run",	cfg,	 "--set", "days=5",
			     "--quiet", "--out", out,	  NULL};
	assert_int_equal(cyberdef(run), 0);
	char meta[400];
	snprintf(meta, sizeof meta, "%s/metadata.json", out);
	char *run_meta = ts_slurp(meta, NULL);
	const char *args[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0,1",
		"--reps",  "2",	    "--seed", "12345678901234567890",
		"--quiet", "--out", out,      NULL};
	assert_int_equal(cyberdef(args), 0);
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
	path_in(other, "set_other");
	const char *two[] = {"sweep",  cfg, "--vary",  "won.share_rate=0,1",
			     "--reps", "3", "--quiet", "--out",
			     other,    NULL};
	assert_int_equal(cyberdef(two), 0);
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
	path_in(cfg, "small.cfg");
	snprintf(out, sizeof out, "%s", tmp);
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
	assert_int_equal(cyberdef(args), 0);
	char path[2500];
	snprintf(path, sizeof path, "%s/sweep.json", out);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof path, "%s/.sweep", out);
	assert_int_not_equal(stat(path, &st), 0);
}

/* ---- declared limits, at and one past each edge ------------------------
 */

/* --vary: 16 are a grid of 16 settings (each a column of runs.csv), 17
 * are refused; so is a sweep block of 17, while one of 16 is used. */
static void test_vary_count_limit(void **state)
{
	(void)state;
	char cfg[300], out[300], runs[400];
	path_in(cfg, "small.cfg");
	path_in(out, "axes16");
	char texts[17][100];
	const char *args[64] = {"sweep", cfg};
	int n = 2;
	for (int k = 0; k < 16; k++) {
		snprintf(texts[k], sizeof texts[k], "%s=%s", sixteen[k][0],
			 sixteen[k][1]);
		args[n++] = "--vary";
		args[n++] = texts[k];
	}
	const char *tail[] = {"--reps", "1", "--quiet", "--out", out, NULL};
	for (int k = 0; k < 6; k++)
		args[n + k] = tail[k];
	assert_int_equal(cyberdef(args), 0);
	snprintf(runs, sizeof runs, "%s/runs.csv", out);
	double v[4];
	for (int k = 0; k < 16; k++)
		assert_int_equal(column(runs, sixteen[k][0], v, 4), 1);
	snprintf(texts[16], sizeof texts[16], "days=120");
	args[n++] = "--vary";
	args[n++] = texts[16];
	path_in(out, "axes17");
	for (int k = 0; k < 6; k++)
		args[n + k] = tail[k];
	args[n + 4] = out;
	assert_int_equal(cyberdef(args), 2);
	assert_stderr_has("--vary: at most 16");
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
		path_in(path, "block.cfg");
		write_file(path, text);
		free(text);
		path_in(out, count == 16 ? "block16" : "block17");
		const char *block[] = {"sweep", path, "--quiet",
				       "--out", out,  NULL};
		int rc = cyberdef(block);
		if (count == 16) {
			assert_int_equal(rc, 0);
			snprintf(runs, sizeof runs, "%s/runs.csv", out);
			for (int k = 0; k < 16; k++)
				assert_int_equal(
					column(runs, sixteen[k][0], v, 4), 1);
		} else {
			assert_int_equal(rc, 2);
			assert_stderr_has("block.cfg");
			assert_stderr_has("at most 16");
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
	struct text t = {0};
	for (int k = 0; k < 100001; k++)
		add(&t, k ? ",7" : "7");
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
	path_in(cfg, "small.cfg");
	path_in(out, "limits");
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
		int rc = cyberdef_within(args, 30);
		if (rc != cases[i].exit)
			fprintf(stderr, "case %zu: exit %d\n", i, rc);
		assert_int_equal(rc, cases[i].exit);
		if (cases[i].says)
			assert_stderr_has(cases[i].says);
		ts_rm_rf(out);
	}
}

/* Option values are taken whole: trailing text, spaces and other bases
 * are refused by name. */
static void test_whole_values(void **state)
{
	(void)state;
	char cfg[300], out[300];
	path_in(cfg, "small.cfg");
	path_in(out, "whole");
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
		int rc = cyberdef_within(args, 30);
		if (rc != 2)
			fprintf(stderr, "%s '%s': exit %d\n", cases[i].opt,
				cases[i].value, rc);
		assert_int_equal(rc, 2);
		assert_stderr_has(cases[i].says);
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
	path_in(cfg, "small.cfg");
	path_in(design, "rows.csv");
	path_in(out, "rows");
	size_t len;
	char *text = rows_design(65537, &len);
	write_file(design, text);
	free(text);
	const char *args[] = {"sweep", cfg,	  "--design", design, "--reps",
			      "1526",  "--quiet", "--out",    out,    NULL};
	assert_int_equal(cyberdef_within(args, 60), 2);
	assert_stderr_has("100009462 runs (65537 points x 1526 replicates)");
}

/* The aggregation is counted in the memory check: a limit that the runs
 * alone fit in but the aggregation of their replicates does not is
 * refused before anything is written, in KiB or MiB, never "0 MiB". */
static void test_memory_counts_aggregation(void **state)
{
	(void)state;
	char cfg[300], out[300];
	path_in(cfg, "small.cfg");
	path_in(out, "mem");
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
	assert_int_equal(cyberdef_within(args, 30), 2);
	assert_stderr_has("aggregating 1000000 runs");
	assert_stderr_has("more than the 256 MiB allowed");
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
	assert_int_equal(cyberdef_within(tiny, 30), 2);
	assert_stderr_has("more than the 100 KiB allowed");
}

/* getopt_long's forms --seed=S and --reps=N mean what --seed S and
 * --reps N mean, to the byte; an abbreviation is refused by name. */
static void test_option_forms(void **state)
{
	(void)state;
	char cfg[300], a[300], b[300];
	path_in(cfg, "small.cfg");
	path_in(a, "forms_eq");
	path_in(b, "forms_sep");
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
	assert_int_equal(cyberdef(eq), 0);
	assert_int_equal(cyberdef(sep), 0);
	const char *files[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv"};
	for (int k = 0; k < 3; k++) {
		char x[400], y[400];
		snprintf(x, sizeof x, "%s/%s", a, files[k]);
		snprintf(y, sizeof y, "%s/%s", b, files[k]);
		ts_assert_same_file(x, y);
	}
	const char *abbreviated[] = {"sweep", cfg, "--vary", "won.share_rate=0",
				     "--rep", "3", "--out",  b,
				     NULL};
	assert_int_equal(cyberdef(abbreviated), 2);
	assert_stderr_has("did you mean --reps?");
}

/* The library returns and the program speaks: a value out of range, a
 * point that breaks a rule across settings and the memory a sweep needs
 * are statuses, messages and numbers for the caller, and nothing of
 * them reaches stderr. */
static void test_library_returns(void **state)
{
	(void)state;
	char cfg[300], timeline[300], said[300];
	path_in(cfg, "small.cfg");
	path_in(timeline, "timeline.cfg");
	path_in(said, "library_stderr.txt");
	char *text = malloc(strlen(ts_small_scenario) + 100);
	assert_non_null(text);
	strcpy(text, ts_small_scenario);
	strcat(text, "timeline = ( { day = 60; set = { won = { maturity = "
		     "0.5; }; }; } );\n");
	write_file(timeline, text);
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

/* One run of a sweep reproduces with `cyberdef run --seed <its seed>` and
 * the point's settings. */
static void test_run_reproduces_sweep_row(void **state)
{
	(void)state;
	char cfg[300], out[300], one[300];
	path_in(cfg, "small.cfg");
	path_in(out, "repro");
	path_in(one, "one");
	const char *args[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0.3,0.7",
		"--reps",  "3",	    "--seed", "99",
		"--quiet", "--out", out,      NULL};
	assert_int_equal(cyberdef(args), 0);
	char runs[400];
	snprintf(runs, sizeof runs, "%s/runs.csv", out);
	char *text = ts_slurp(runs, NULL);
	char *save = NULL;
	strtok_r(text, "\n", &save);
	strtok_r(NULL, "\n", &save);
	char *row = strtok_r(NULL, "\n", &save); /* point 0, replicate 1 */
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
	assert_int_equal(cyberdef(run), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_range),
		cmocka_unit_test(test_spec_list),
		cmocka_unit_test(test_spec_bad),
		cmocka_unit_test(test_bad_sweeps_exit_2),
		cmocka_unit_test(test_jobs_identical_and_ci),
		cmocka_unit_test(test_resume_after_kill),
		cmocka_unit_test(test_stop_mid_run),
		cmocka_unit_test(test_design),
		cmocka_unit_test(test_run_reproduces_sweep_row),
		cmocka_unit_test(test_option_forms),
		cmocka_unit_test(test_library_returns),
		cmocka_unit_test(test_design_rows_limit),
		cmocka_unit_test(test_design_columns_limit),
		cmocka_unit_test(test_design_long_path),
		cmocka_unit_test(test_design_reader_messages),
		cmocka_unit_test(test_design_fifo),
		cmocka_unit_test(test_resume_long_vary),
		cmocka_unit_test(test_journal_damage),
		cmocka_unit_test(test_lock_second_sweep),
		cmocka_unit_test(test_sweep_json),
		cmocka_unit_test(test_long_out),
		cmocka_unit_test(test_vary_count_limit),
		cmocka_unit_test(test_values_limit),
		cmocka_unit_test(test_run_limits),
		cmocka_unit_test(test_whole_values),
		cmocka_unit_test(test_design_rows_program),
		cmocka_unit_test(test_memory_counts_aggregation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
