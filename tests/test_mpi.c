/* Tests of sweeps over MPI ranks: `mpirun -np R cyberdef sweep` gives the
 * bytes of a one-process sweep whatever R; bad input exits 2 with one
 * message, not one per rank; a signal to any rank, or to mpirun, keeps the
 * journal, and --resume (under MPI or not) finishes it to the same bytes.
 * Built without MPI, a launch as several ranks is refused. Skipped (exit
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
#else
/* ---- without MPI ----------------------------------------------------------
 */

/* Ranks of a build without MPI would all write one journal: refused. */
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
