/* Tests of a sweep's reliability: --resume after kills at random moments
 * gives the bytes of an uninterrupted sweep; a stop in the middle of a
 * long run comes within a second or two; --resume refuses a different
 * sweep however long its arguments; damaged journal records are
 * discarded with a warning and done again; a second sweep into a
 * directory in use is refused. The program runs through the one
 * child-process runner (support.h, sweep_fixture.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/digest.h"
#include "sweep_fixture.h"

/* Kill a sweep at several points in its course; --resume gives the same
 * bytes as an uninterrupted sweep, and different arguments are refused
 * with what differs. */
static void test_resume_after_kill(void **state)
{
	(void)state;
	char cfg[300], ref[300];
	sw_path(cfg, "small.cfg");
	sw_path(ref, "ref");
	const char *full[] = {
		"sweep",  cfg,	"--vary",  "won.share_rate=0:1:0.25",
		"--reps", "20", "--quiet", "--out",
		ref,	  NULL};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sw_run(full), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) +
		      1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	srand(20261122);
	for (int k = 0; k < 3; k++) {
		char out[300];
		snprintf(out, sizeof out, "%s/killed%d", sw_tmp, k);
		const char *args[] = {
			"sweep",  cfg,	"--vary",  "won.share_rate=0:1:0.25",
			"--reps", "20", "--quiet", "--out",
			out,	  NULL};
		struct ts_proc p;
		sw_start(&p, args, 120);
		/* A random moment within the sweep's course. */
		double at = took * (0.1 + 0.7 * rand() / (double)RAND_MAX);
		struct timespec d = {(time_t)at,
				     (long)((at - floor(at)) * 1e9)};
		nanosleep(&d, NULL);
		kill(p.pid, k == 1 ? SIGKILL : SIGINT);
		int rc = sw_finish(&p);
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
			assert_int_equal(sw_run(other), 2);
			sw_assert_stderr_has("differs");
			sw_assert_stderr_has("vary=won.share_rate=0:1:0.25");
		}
		if (rc != 0)
			assert_int_equal(sw_run(again), 0);
		sw_assert_same_outputs(ref, out);
		char journal[400];
		snprintf(journal, sizeof journal, "%s/.sweep", out);
		struct stat st;
		assert_int_not_equal(stat(journal, &st), 0); /* cleaned up */
	}
}

/* SIGINT in the middle of a long run (seconds of work, a hundred years of
 * days) stops the sweep within a second or two, not at the end of the run:
 * exit 130, the "interrupted ... --resume" message, and the run in flight
 * not journalled (the journal holds its header only). */
static void test_stop_mid_run(void **state)
{
	(void)state;
	char cfg[300], out[300], manifest[400], journal[400];
	sw_path(cfg, "small.cfg");
	sw_path(out, "long");
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
	sw_start(&p, args, 60);
	struct stat st;
	struct timespec ms = {0, 1000000}, t0;
	for (int t = 0; t < 20000 && stat(manifest, &st); t++)
		nanosleep(&ms, NULL);
	assert_int_equal(stat(manifest, &st), 0);
	struct timespec in = {0, 300000000}; /* well into the run */
	nanosleep(&in, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(kill(p.pid, SIGINT), 0);
	int rc = sw_finish(&p);
	double took = sw_seconds_since(&t0);
	if (took > 2)
		fprintf(stderr, "the sweep took %.1f s to stop\n", took);
	assert_true(took <= 2);
	assert_int_equal(rc, 128 + SIGINT);
	sw_assert_stderr_has("interrupted: 0 of 1 runs done");
	sw_assert_stderr_has("--resume");
	assert_int_equal(stat(journal, &st), 0);
	assert_true(st.st_size < 100); /* the header, no record */
}

/* A --vary list longer than 256 bytes, changed only at its end, is a
 * different sweep: --resume refuses it, and resumes the same one. */
static void test_resume_long_vary(void **state)
{
	(void)state;
	char cfg[300], out[300], a[400], b[400];
	sw_path(cfg, "small.cfg");
	sw_path(out, "longvary");
	strcpy(a, "won.share_rate=");
	for (int k = 0; k < 70; k++)
		strcat(a, "0.5,");
	strcpy(b, a);
	strcat(a, "0.1");
	strcat(b, "0.2");
	const char *first[] = {"sweep", cfg,	   "--vary", a,	  "--reps",
			       "20",	"--quiet", "--out",  out, NULL};
	sw_interrupted_sweep(first, out, 0);
	const char *other[] = {"sweep",	 cfg,	     "--vary",	b,
			       "--reps", "20",	     "--quiet", "--out",
			       out,	 "--resume", NULL};
	assert_int_equal(sw_run_within(other, 20), 2);
	sw_assert_stderr_has("differs");
	sw_assert_stderr_has("0.5,0.1', now '...");
	sw_assert_stderr_has("0.5,0.2'");
	const char *again[] = {"sweep",	 cfg,	     "--vary",	a,
			       "--reps", "20",	     "--quiet", "--out",
			       out,	 "--resume", NULL};
	assert_int_equal(sw_run_within(again, 60), 0);
	char runs[400];
	snprintf(runs, sizeof runs, "%s/runs.csv", out);
	double share[1500];
	assert_int_equal(sw_column(runs, "won.share_rate", share, 1500), 1420);
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
	sw_path(cfg, "small.cfg");
	sw_path(ref, "dmg_ref");
	sw_path(out, "dmg");
	snprintf(journal, sizeof journal, "%s/.sweep/journal.bin", out);
	const char *full[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.5",
		"--reps",  "40",    "--jobs", "1",
		"--quiet", "--out", ref,      NULL};
	assert_int_equal(sw_run(full), 0);
	const char *args[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.5",
		"--reps",  "40",    "--jobs", "1",
		"--quiet", "--out", out,      NULL};
	size_t record = sw_interrupted_sweep(args, out, 6);
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
	assert_int_equal(sw_run(again), 0);
	sw_assert_stderr_has("warning");
	sw_assert_stderr_has("discarded 4 of");
	sw_assert_stderr_has("their runs are done again");
	sw_assert_same_outputs(ref, out);
}

/* A second sweep into a directory a sweep is writing is refused at once
 * (exit 1, naming the holder), whatever its arguments, before it touches
 * anything; the first finishes to the bytes of an undisturbed sweep. */
static void test_lock_second_sweep(void **state)
{
	(void)state;
	char cfg[300], out[300], ref[300], manifest[400];
	sw_path(cfg, "small.cfg");
	sw_path(out, "locked");
	sw_path(ref, "lock_ref");
	snprintf(manifest, sizeof manifest, "%s/.sweep/manifest.txt", out);
	const char *first[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
		"--reps",  "60",    "--jobs", "1",
		"--quiet", "--out", out,      NULL};
	struct ts_proc p;
	sw_start(&p, first, 120);
	sw_wait_for_file(manifest, 1);
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
	assert_int_equal(sw_run_within(resume, 20), 1);
	sw_assert_stderr_has("in use by another cyberdef");
	sw_assert_stderr_has(holder);
	assert_int_equal(sw_run_within(other, 20), 1);
	sw_assert_stderr_has(holder);
	char *after = ts_slurp(manifest, NULL);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(sw_finish(&p), 0);
	const char *alone[] = {
		"sweep",   cfg,	    "--vary", "won.share_rate=0:1:0.25",
		"--reps",  "60",    "--jobs", "1",
		"--quiet", "--out", ref,      NULL};
	assert_int_equal(sw_run(alone), 0);
	sw_assert_same_outputs(ref, out);
}

/* A comparison stopped after a few runs and resumed writes the bytes of
 * one that ran through, effects and tails included; resuming it with
 * another alternative is refused, naming what differs. */
static void test_compare_resume(void **state)
{
	(void)state;
	char cfg[300], ref[300], out[300];
	sw_path(cfg, "small.cfg");
	sw_path(ref, "cmp_ref");
	sw_path(out, "cmp_cut");
	const char *full[] = {"compare", cfg,	    "@won.share_rate=0.9",
			      "--reps",	 "30",	    "--jobs",
			      "1",	 "--quiet", "--out",
			      ref,	 NULL};
	assert_int_equal(sw_run(full), 0);
	const char *first[] = {"compare", cfg,	     "@won.share_rate=0.9",
			       "--reps",  "30",	     "--jobs",
			       "1",	  "--quiet", "--out",
			       out,	  NULL};
	sw_interrupted_sweep(first, out, 6);
	const char *other[] = {"compare", cfg,	"@won.share_rate=0.8",
			       "--reps",  "30", "--quiet",
			       "--out",	  out,	"--resume",
			       NULL};
	assert_int_equal(sw_run_within(other, 60), 2);
	sw_assert_stderr_has("differs");
	const char *again[] = {"compare", cfg,	"@won.share_rate=0.9",
			       "--reps",  "30", "--quiet",
			       "--out",	  out,	"--resume",
			       NULL};
	assert_int_equal(sw_run_within(again, 60), 0);
	sw_assert_same_outputs(ref, out);
	static const char *const more[] = {"effects.csv", "tails.csv"};
	for (int k = 0; k < 2; k++) {
		char a[400], b[400];
		snprintf(a, sizeof a, "%s/%s", ref, more[k]);
		snprintf(b, sizeof b, "%s/%s", out, more[k]);
		assert_true(ts_same_bytes(a, b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resume_after_kill),
		cmocka_unit_test(test_stop_mid_run),
		cmocka_unit_test(test_resume_long_vary),
		cmocka_unit_test(test_journal_damage),
		cmocka_unit_test(test_lock_second_sweep),
		cmocka_unit_test(test_compare_resume),
	};
	return cmocka_run_group_tests(tests, sw_setup, sw_teardown);
}
