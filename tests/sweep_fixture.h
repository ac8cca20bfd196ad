/* sweep_fixture: what the tests of sweeps share (test_sweep.c,
 * test_sweep_resume.c, test_sweep_limits.c, test_design.c, test_mpi.c).
 *
 * A fresh temporary directory per group (sw_setup) holding small.cfg, the
 * small world of support.h with a sweep block (won.share_rate 0.2 and 0.8,
 * 3 replicates); the program run through the one child-process runner of
 * support.h, its stderr kept for the assertions; and readers of a sweep's
 * outputs. Like support.h, every function may fail the current test:
 * include <cmocka.h> (with its prerequisites) first.
 */
#ifndef CYBERDEF_TESTS_SWEEP_FIXTURE_H
#define CYBERDEF_TESTS_SWEEP_FIXTURE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "support.h"

/* The group's temporary directory. */
extern char sw_tmp[256];

/* Sixteen settings of the small world, each with a valid value. */
extern const char *const sw_sixteen[16][2];

/* Makes sw_tmp and small.cfg in it; removes them. For
 * cmocka_run_group_tests. */
int sw_setup(void **state);
int sw_teardown(void **state);

/* "sw_tmp/name" into buf (300 bytes); returns buf. */
const char *sw_path(char *buf, const char *name);

/* Writes text into the file at path. */
void sw_write_file(const char *path, const char *text);

/* Starts cyberdef with args (NULL-terminated, without the program name)
 * as o says (NULL: defaults), killed after `timeout` seconds unless o
 * gives its own. */
void sw_start_as(struct ts_proc *p, const struct ts_spawn *o,
		 const char *const *args, double timeout);
void sw_start(struct ts_proc *p, const char *const *args, double timeout);

/* Waits for a started child and keeps its stderr (sw_stderr). Returns
 * its exit status, or 128 + the signal that ended it. */
int sw_finish(struct ts_proc *p);

/* Runs cyberdef with args to its end, failing the test if it runs longer
 * than secs (120 for sw_run). Returns as sw_finish. */
int sw_run_within(const char *const *args, double secs);
int sw_run(const char *const *args);

/* What the child that ended last wrote on stderr. */
const char *sw_stderr(void);

/* Fails the test, showing stderr, unless the last child's stderr holds
 * text. */
void sw_assert_stderr_has(const char *text);

/* Reads the numeric column `name` of up to max data rows of a CSV into
 * out (NaN where empty). Returns the rows read. */
int sw_column(const char *path, const char *name, double *out, int max);

/* Fails the test unless the three CSV files of the sweeps in directories
 * a and b hold the same bytes. */
void sw_assert_same_outputs(const char *a, const char *b);

/* The small world, loaded in process (the caller destroys it). */
struct cd_scenario *sw_small_world(void);

/* A growing text. Zero-initialise; free s. */
struct sw_text {
	char *s;
	size_t n, cap;
};
void sw_add(struct sw_text *t, const char *s);

/* A design of n rows of won.share_rate, 0.5 but the last, 0.25 (*len
 * bytes, malloc'd). */
char *sw_rows_design(int n, size_t *len);

/* Seconds since t0 (CLOCK_MONOTONIC). */
double sw_seconds_since(const struct timespec *t0);

/* Waits up to 20 s for path to exist with at least `size` bytes. */
void sw_wait_for_file(const char *path, off_t size);

/* Starts a sweep into out and stops it with SIGINT once its journal holds
 * `records` records (0: once the manifest is written). Returns the
 * record size, from the manifest. */
size_t sw_interrupted_sweep(const char *const *args, const char *out,
			    int records);

#endif
