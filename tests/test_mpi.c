/* Tests of sweeps over MPI ranks: `mpirun -np R cyberdef sweep` gives the
 * bytes of a one-process sweep whatever R; bad input exits 2 with one
 * message, not one per rank; a signal to any rank, or to mpirun, keeps the
 * journal, and --resume (under MPI or not) finishes it to the same bytes.
 * `mpirun -np R cyberdef calibrate` gives the bytes of a run on threads
 * (posterior.csv, fit.csv, generations.csv but wall_seconds), resumes
 * under MPI, and stops every rank with one message when a simulation
 * fails or a rank is signalled. Built without MPI, a launch as several
 * ranks is refused. Skipped (exit
 * 77) if MPI is enabled but mpirun is not found. mpirun and the program
 * run through the one child-process runner of support.h (mpirun as its
 * launcher prefix).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
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

#include "sweep_fixture.h"

/* ---- helpers --------------------------------------------------------------
 */

/* Starts cyberdef with args (NULL-terminated, without the program name)
 * through the one runner, under mpirun with `ranks` ranks (its launcher
 * prefix), or alone if ranks is 0; env: extra environment (NULL-ended, or
 * NULL). Killed after `timeout` seconds. */
static void start(struct ts_proc *p, int ranks, const char *const *args,
		  const char *const *env, double timeout)
{
	struct ts_spawn o = {.env = env, .timeout_s = timeout};
#ifdef MPIEXEC
	char np[16];
	snprintf(np, sizeof np, "%d", ranks);
	const char *const mpirun[] = {
		MPIEXEC, "--allow-run-as-root", "--oversubscribe", "-np", np,
		NULL};
	/* asan: see lsan_mpi.supp */
	const char *const mpi_env[] = {
		"LSAN_OPTIONS=" MPI_LSAN_OPTIONS,
		"OMPI_MCA_mca_base_component_disable_dlclose=1", NULL};
	if (ranks) {
		o.prefix = mpirun;
		o.env = mpi_env;
	}
#else
	assert_int_equal(ranks, 0);
#endif
	sw_start_as(p, &o, args, timeout);
}

/* Runs cyberdef as start does, to its end. Returns as sw_finish. */
static int cyberdef_env(int ranks, const char *const *args,
			const char *const *env)
{
	struct ts_proc p;
	start(&p, ranks, args, env, 300);
	return sw_finish(&p);
}

/* How many times text occurs in the last child's stderr; shows it if
 * none. NULL: just shows it. */
static int stderr_count(const char *text)
{
	const char *err = sw_stderr();
	int n = 0;
	for (const char *p = err; text && (p = strstr(p, text)); p++)
		n++;
	if (!n)
		fprintf(stderr, "stderr:\n%s\n", err);
	return n;
}

#ifdef CD_MPI
/* ---- under MPI ------------------------------------------------------------
 */

static int cyberdef(int ranks, const char *const *args)
{
	return cyberdef_env(ranks, args, NULL);
}

/* The three CSV files of sweeps in directories a and b are identical. */
static void assert_same_outputs(const char *a, const char *b)
{
	const char *files[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv"};
	for (int k = 0; k < 3; k++) {
		char x[400], y[400];
		snprintf(x, sizeof x, "%s/%s", a, files[k]);
		snprintf(y, sizeof y, "%s/%s", b, files[k]);
		ts_assert_same_file(x, y);
	}
}

/* 1, 2 and 3 ranks (3 does not divide the runs evenly) give the bytes of
 * a one-process, one-thread sweep. */
static void test_ranks_identical(void **state)
{
	(void)state;
	char cfg[300], ref[300];
	sw_path(cfg, "small.cfg");
	sw_path(ref, "ref");
	const char *one[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
		"--reps",  "5",	    "--jobs", "1",
		"--quiet", "--out", ref,      NULL};
	assert_int_equal(cyberdef(0, one), 0);
	struct {
		int ranks;
		const char *jobs;
	} cases[] = {{1, "2"}, {2, "1"}, {2, "2"}, {3, "1"}};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char out[300];
		snprintf(out, sizeof out, "%s/np%d_j%s", sw_tmp, cases[k].ranks,
			 cases[k].jobs);
		const char *args[] = {
			"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
			"--reps",  "5",	    "--jobs", cases[k].jobs,
			"--quiet", "--out", out,      NULL};
		int rc = cyberdef(cases[k].ranks, args);
		if (rc)
			stderr_count(NULL);
		assert_int_equal(rc, 0);
		assert_same_outputs(ref, out);
	}
}

/* Every rank checks the arguments, exits 2, and only rank 0 says why;
 * nothing is written. */
static void test_bad_input_said_once(void **state)
{
	(void)state;
	char cfg[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "bad");
	const char *range[] = {
		"sweep", cfg, "--vary", "won.share_rate=0:2:0.5", "--reps", "2",
		"--out", out, NULL};
	assert_int_equal(cyberdef(2, range), 2);
	assert_int_equal(stderr_count("is out of range"), 1);
	const char *reps[] = {"sweep",	cfg, "--vary", "won.share_rate=0,1",
			      "--reps", "0", "--out",  out,
			      NULL};
	assert_int_equal(cyberdef(2, reps), 2);
	assert_int_equal(stderr_count("--reps: allowed"), 1);
	struct stat st;
	assert_int_not_equal(stat(out, &st), 0);
}

/* The pid of rank `rank` among the children of mpirun, or -1. */
static pid_t rank_pid(pid_t mpirun, int rank)
{
	DIR *d = opendir("/proc");
	assert_non_null(d);
	pid_t found = -1;
	struct dirent *e;
	while (found < 0 && (e = readdir(d))) {
		char path[300], want[64];
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		char *stat = ts_slurp(path, NULL);
		char *close = stat ? strrchr(stat, ')') : NULL;
		int ppid = -1;
		if (close)
			sscanf(close + 2, "%*c %d", &ppid);
		free(stat);
		if (ppid != mpirun)
			continue;
		snprintf(path, sizeof path, "/proc/%s/environ", e->d_name);
		size_t len;
		char *env = ts_slurp(path, &len);
		snprintf(want, sizeof want, "OMPI_COMM_WORLD_RANK=%d", rank);
		for (size_t k = 0; env && k < len; k += strlen(env + k) + 1)
			if (!strcmp(env + k, want))
				found = (pid_t)atoi(e->d_name);
		free(env);
	}
	closedir(d);
	return found;
}

/* A signal to rank 1, to every rank (as mpirun passes on SIGINT and
 * SIGTERM, after a second), or to rank 0 ends the sweep with the journal
 * kept; --resume under MPI or in one process finishes it to the bytes of
 * an uninterrupted sweep. */
static void test_signal_then_resume(void **state)
{
	(void)state;
	char cfg[300], ref[300];
	sw_path(cfg, "small.cfg");
	sw_path(ref, "ref_long");
	const char *full[] = {
		"sweep",  cfg,	 "--vary",  "won.share_rate=0:1:0.25",
		"--reps", "150", "--quiet", "--out",
		ref,	  NULL};
	assert_int_equal(cyberdef(0, full), 0);
	for (int k = 0; k < 3; k++) {
		char out[300], journal[400];
		snprintf(out, sizeof out, "%s/killed%d", sw_tmp, k);
		snprintf(journal, sizeof journal, "%s/.sweep/journal.bin", out);
		const char *args[] = {
			"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
			"--reps",  "150",   "--jobs", "1",
			"--quiet", "--out", out,      NULL};
		struct ts_proc p;
		start(&p, 2, args, NULL, 300);
		pid_t mpirun = p.pid;
		/* Once runs reach the journal, both ranks are at work. */
		struct stat st;
		struct timespec ms = {0, 1000000};
		for (int t = 0; t < 60000; t++) {
			if (stat(journal, &st) == 0 && st.st_size > 200000)
				break;
			nanosleep(&ms, NULL);
		}
		pid_t rank0 = rank_pid(mpirun, 0), rank1 = rank_pid(mpirun, 1);
		assert_true(rank0 > 0 && rank1 > 0);
		if (k != 2)
			kill(rank1, SIGTERM);
		if (k != 0)
			kill(rank0, k == 1 ? SIGTERM : SIGINT);
		int rc = sw_finish(&p);
		if (rc == 0) {
			fprintf(stderr, "sweep %d finished before the signal\n",
				k);
		} else {
			assert_int_equal(stderr_count("--resume"), 1);
			assert_int_equal(stat(journal, &st), 0);
			const char *again[] = {
				"sweep",   cfg,
				"--vary",  "won.share_rate=0:1:0.25",
				"--reps",  "150",
				"--quiet", "--out",
				out,	   "--resume",
				NULL};
			assert_int_equal(cyberdef(k == 1 ? 0 : 2, again), 0);
		}
		assert_same_outputs(ref, out);
		assert_int_not_equal(stat(journal, &st), 0); /* cleaned up */
	}
}

/* ---- calibrate under MPI --------------------------------------------------
 */

#define CAL_SAMPLE SOURCE_DIR "/tests/fixtures/japan_sample.cfg"
#define CAL_TARGETS SOURCE_DIR "/tests/fixtures/calibrate_targets.cfg"

/* Starts `cyberdef calibrate` of the calibrate e2e test's tiny problem
 * (scenario, days, particles, generations given) into out under `ranks`
 * ranks (0: alone) with jobs threads; extra: one more argument or NULL. */
static void cal_start(struct ts_proc *p, int ranks, const char *scenario,
		      const char *days, const char *n, const char *g,
		      const char *jobs, const char *out, const char *extra)
{
	const char *args[] = {"calibrate",
			      scenario,
			      "--targets",
			      CAL_TARGETS,
			      "--set",
			      days,
			      "--set",
			      "warmup_days=0",
			      "--particles",
			      n,
			      "--generations",
			      g,
			      "--jobs",
			      jobs,
			      "--quiet",
			      "--out",
			      out,
			      extra,
			      NULL};
	start(p, ranks, args, NULL, 300);
}

/* Runs the calibration of cal_start at N 20, G 2, 60 days, to its end. */
static int cal_small(int ranks, const char *jobs, const char *out,
		     const char *extra)
{
	struct ts_proc p;
	cal_start(&p, ranks, CAL_SAMPLE, "days=60", "20", "2", jobs, out,
		  extra);
	int rc = sw_finish(&p);
	if (rc)
		stderr_count(NULL);
	return rc;
}

/* Drops the last column of every line of the CSV text s, in place. */
static void drop_last_column(char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		const char *nl = strchr(r, '\n');
		size_t len = nl ? (size_t)(nl - r) : strlen(r), keep = len;
		while (keep > 0 && r[keep - 1] != ',')
			keep--;
		memmove(w, r, keep ? keep - 1 : len);
		w += keep ? keep - 1 : len;
		if (nl)
			*w++ = '\n';
		r += len + (nl != NULL);
	}
	*w = '\0';
}

/* generations.csv of a and b agree but for the last column,
 * wall_seconds. */
static void assert_same_generations(const char *a, const char *b)
{
	char x[400], y[400];
	snprintf(x, sizeof x, "%s/generations.csv", a);
	snprintf(y, sizeof y, "%s/generations.csv", b);
	char *s = ts_slurp(x, NULL), *t = ts_slurp(y, NULL);
	assert_non_null(s);
	assert_non_null(t);
	drop_last_column(s);
	drop_last_column(t);
	assert_non_null(strstr(s, "ess\n"));
	assert_string_equal(s, t);
	free(s);
	free(t);
}

/* The calibration's three result files in a and b agree. */
static void assert_same_calibration(const char *a, const char *b)
{
	const char *files[] = {"posterior.csv", "fit.csv"};
	for (int k = 0; k < 2; k++) {
		char x[400], y[400];
		snprintf(x, sizeof x, "%s/%s", a, files[k]);
		snprintf(y, sizeof y, "%s/%s", b, files[k]);
		ts_assert_same_file(x, y);
	}
	assert_same_generations(a, b);
}

/* 2 and 3 ranks (3 does not divide a batch of 20 evenly), with 1 or 2
 * threads each, give the files of a one-process run on threads; a run
 * cut after generation 0 resumes under 2 ranks to the same bytes. */
static void test_calibrate_ranks_identical(void **state)
{
	(void)state;
	char ref[300], out[300];
	sw_path(ref, "cal_ref");
	assert_int_equal(cal_small(0, "2", ref, NULL), 0);
	struct {
		int ranks;
		const char *jobs;
	} cases[] = {{2, "1"}, {3, "1"}, {2, "2"}};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		snprintf(out, sizeof out, "%s/cal_np%d_j%s", sw_tmp,
			 cases[k].ranks, cases[k].jobs);
		assert_int_equal(
			cal_small(cases[k].ranks, cases[k].jobs, out, NULL), 0);
		assert_same_calibration(ref, out);
	}
	/* As an interrupted run leaves them: generation 0 only. */
	sw_path(out, "cal_cut");
	assert_int_equal(cal_small(2, "1", out, NULL), 0);
	char path[400];
	snprintf(path, sizeof path, "%s/posterior.csv", out);
	char *text = ts_slurp(path, NULL), *s = text;
	for (int i = 0; s && i < 21; i++) /* the header and 20 particles */
		s = strchr(s, '\n') + 1;
	*s = '\0';
	sw_write_file(path, text);
	free(text);
	snprintf(path, sizeof path, "%s/generations.csv", out);
	text = ts_slurp(path, NULL);
	s = strchr(strchr(text, '\n') + 1, '\n') + 1;
	*s = '\0';
	sw_write_file(path, text);
	free(text);
	assert_int_equal(cal_small(2, "1", out, "--resume"), 0);
	assert_same_calibration(ref, out);
}

/* Bad input is said once; a failure of the simulations (the scenario
 * file spoilt mid-run) on any rank stops every rank with its message,
 * said once, and exit status 2 (bad input). */
static void test_calibrate_failures(void **state)
{
	(void)state;
	char out[300], dir[300], cfg[400];
	sw_path(out, "cal_bad");
	const char *few[] = {"calibrate", CAL_SAMPLE,	 "--targets",
			     CAL_TARGETS, "--particles", "1",
			     "--out",	  out,		 NULL};
	assert_int_equal(cyberdef(2, few), 2);
	assert_int_equal(stderr_count("--particles: allowed"), 1);
	struct stat st;
	assert_int_not_equal(stat(out, &st), 0);
	/* A copy of the sample whose include is absolute (the targets name
	 * the scenario japan_sample.cfg). */
	sw_path(dir, "spoilt");
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(cfg, sizeof cfg, "%s/japan_sample.cfg", dir);
	char *text = ts_slurp(CAL_SAMPLE, NULL);
	char *inc = strstr(text, "\"../../scenarios/");
	assert_non_null(inc);
	char *copy = malloc(strlen(text) + 300);
	*inc = '\0';
	sprintf(copy, "%s\"%s/scenarios/%s", text, SOURCE_DIR,
		inc + strlen("\"../../scenarios/"));
	sw_write_file(cfg, copy);
	free(copy);
	free(text);
	sw_path(out, "cal_spoilt");
	char gens[400];
	snprintf(gens, sizeof gens, "%s/generations.csv", out);
	struct ts_proc p;
	cal_start(&p, 2, cfg, "days=150", "40", "3", "1", out, NULL);
	struct timespec ms = {0, 1000000};
	for (int t = 0; t < 120000 && stat(gens, &st); t++)
		nanosleep(&ms, NULL); /* generation 0 is written */
	sw_write_file(cfg, "not a scenario\n");
	int rc = sw_finish(&p);
	if (rc == 0) {
		fprintf(stderr, "calibrate finished before the change\n");
		return;
	}
	assert_int_equal(rc, 2);
	assert_int_equal(stderr_count("syntax error"), 1);
}

/* A signal to rank 1, or to rank 0, stops the calibration with the
 * complete generations kept; --resume under 2 ranks finishes it to the
 * bytes of a one-process run. */
static void test_calibrate_signal_then_resume(void **state)
{
	(void)state;
	char ref[300];
	sw_path(ref, "cal_long");
	struct ts_proc p;
	cal_start(&p, 0, CAL_SAMPLE, "days=150", "40", "3", "2", ref, NULL);
	assert_int_equal(sw_finish(&p), 0);
	for (int k = 0; k < 2; k++) {
		char out[300], gens[400];
		snprintf(out, sizeof out, "%s/cal_killed%d", sw_tmp, k);
		snprintf(gens, sizeof gens, "%s/generations.csv", out);
		cal_start(&p, 2, CAL_SAMPLE, "days=150", "40", "3", "1", out,
			  NULL);
		struct stat st;
		struct timespec ms = {0, 1000000};
		for (int t = 0; t < 120000 && stat(gens, &st); t++)
			nanosleep(&ms, NULL); /* generation 0 is written */
		pid_t rank = rank_pid(p.pid, k == 0 ? 1 : 0);
		assert_true(rank > 0);
		kill(rank, SIGTERM);
		int rc = sw_finish(&p);
		if (rc == 0) {
			fprintf(stderr,
				"calibrate %d finished before the "
				"signal\n",
				k);
		} else {
			assert_int_equal(stderr_count("--resume"), 1);
			cal_start(&p, 2, CAL_SAMPLE, "days=150", "40", "3", "1",
				  out, "--resume");
			assert_int_equal(sw_finish(&p), 0);
		}
		assert_same_calibration(ref, out);
	}
}
#else
/* ---- without MPI ----------------------------------------------------------
 */

/* Ranks of a build without MPI would all write one journal (or one
 * calibration): refused. */
static void test_refused_without_mpi(void **state)
{
	(void)state;
	char cfg[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(out, "refused");
	const char *const env[] = {"OMPI_COMM_WORLD_SIZE=2", NULL};
	const char *args[] = {"sweep",	cfg, "--vary", "won.share_rate=0,1",
			      "--reps", "2", "--out",  out,
			      NULL};
	int rc = cyberdef_env(0, args, env);
	assert_int_equal(rc, 1);
	assert_int_equal(stderr_count("built without MPI"), 1);
	struct stat st;
	assert_int_not_equal(stat(out, &st), 0);
	const char *cal[] = {
		"calibrate", SOURCE_DIR "/tests/fixtures/japan_sample.cfg",
		"--targets", SOURCE_DIR "/tests/fixtures/calibrate_targets.cfg",
		"--out",     out,
		NULL};
	assert_int_equal(cyberdef_env(0, cal, env), 1);
	assert_int_equal(stderr_count("built without MPI"), 1);
	assert_int_not_equal(stat(out, &st), 0);
}
#endif

int main(void)
{
#ifdef CD_MPI
#ifdef MPIEXEC
	if (access(MPIEXEC, X_OK) == 0) {
		const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_ranks_identical),
			cmocka_unit_test(test_bad_input_said_once),
			cmocka_unit_test(test_signal_then_resume),
			cmocka_unit_test(test_calibrate_ranks_identical),
			cmocka_unit_test(test_calibrate_failures),
			cmocka_unit_test(test_calibrate_signal_then_resume),
		};
		return cmocka_run_group_tests(tests, sw_setup, sw_teardown);
	}
#endif
	fprintf(stderr, "mpi: skipped: mpirun not found\n");
	return 77;
#else
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_without_mpi),
	};
	return cmocka_run_group_tests(tests, sw_setup, sw_teardown);
#endif
}
