/* Helpers shared by the cmocka tests (library cyberdef_test_support).
 *
 * Every function here may fail the current test through cmocka
 * (assert_*, fail_msg), so call them from inside a test, setup or
 * teardown only. Include <cmocka.h> (with its prerequisites) first. */
#ifndef CYBERDEF_TESTS_SUPPORT_H
#define CYBERDEF_TESTS_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

/* Writes "dir/name" into buf (size bytes); fails the test if it does not
 * fit. */
void ts_path_join(char *buf, size_t size, const char *dir, const char *name);

/* Creates a fresh directory "$TMPDIR/<prefix>-XXXXXX" (TMPDIR defaulting
 * to /tmp) and writes its path into buf (size bytes). Returns 0, or -1 if
 * it could not be made; does not fail the test, so that setup functions
 * can report the error themselves. */
int ts_make_tmpdir(char *buf, size_t size, const char *prefix);

/* Removes path and everything under it, not following symbolic links.
 * Returns 0, or -1 if something could not be removed (a missing path is
 * not an error). */
int ts_rm_rf(const char *path);

/* Reads the whole file at path into a malloc'd buffer, NUL-terminated
 * (the NUL is not counted in *len; len may be NULL). Returns NULL if the
 * file cannot be opened; fails the test on a read error or if memory runs
 * out. The caller frees the buffer. */
char *ts_slurp(const char *path, size_t *len);

/* Returns 1 if files a and b hold the same bytes, 0 if not; fails the test
 * if either cannot be read. */
int ts_same_bytes(const char *a, const char *b);

/* Fails the test unless files a and b exist and hold the same bytes
 * (cmocka then shows where they differ). */
void ts_assert_same_file(const char *a, const char *b);

/* Returns the number of entries of dir (without . and ..), printing each
 * if print; -1 if dir does not exist (any other error fails the test). */
int ts_count_entries(const char *dir, int print);

/* Fails the test, listing the entries, unless dir has exactly want
 * entries (-1: dir must not exist). */
void ts_assert_entries(const char *dir, int want);

/* Waits for child pid; returns its exit status, or 128 + the number of
 * the signal that killed it. */
int ts_wait_status(pid_t pid);

/* Copies the NULL-terminated const char * arguments of ap into args,
 * which holds max arguments and the NULL after them (asserts the count).
 * Returns the number copied. */
int ts_collect_args(va_list ap, const char **args, int max);

/* ---- the one runner of child processes ------------------------------ */

/* The factor by which every timeout and timing bound grows, from the
 * environment: CD_TEST_TIME_SCALE (e.g. 40 under valgrind); at least 1. */
double ts_time_scale(void);

/* Seconds on the monotonic clock, and a sleep of ms milliseconds (resumed
 * when a signal interrupts it). Cannot fail. */
double ts_now(void);
void ts_sleep_ms(long ms);

/* How to start a child. Every field may be left 0 / NULL. */
struct ts_spawn {
	const char *cwd;	   /* working directory (default: inherited) */
	const char *const *env;	   /* extra "KEY=VALUE" entries, NULL-ended;
				      "KEY=" alone unsets KEY */
	const char *const *prefix; /* a launcher's argv before the program
				      (e.g. mpirun -np 2), NULL-ended */
	const char *capture;	   /* directory for its stdout and stderr
				      files (default: a fresh temporary one) */
	double timeout_s;	   /* killed after it (times ts_time_scale);
				      default 60 s: no child runs unbounded */
};

/* What a child did. */
struct ts_proc {
	pid_t pid;
	int exited;	 /* 1 if it exited, 0 if a signal ended it */
	int status;	 /* its exit status, or the signal's number */
	int timed_out;	 /* killed by the runner after its timeout */
	double seconds;	 /* wall time from start to end */
	char *out, *err; /* what it wrote (NUL-terminated) */
	char cap[512];	 /* where stdout and stderr are captured */
	int own_cap;	 /* cap is the runner's to remove */
	double start, deadline;
	int reaped;  /* ts_poll saw it end: wstatus is its wait status */
	int wstatus; /* and end is when */
	double end;
};

/* Starts argv[0] (a path) with argv, stdin from /dev/null: at most 256
 * arguments, the launcher's prefix included. Fails the test if it
 * cannot. Only async-signal-safe calls run between fork and exec. */
void ts_start(struct ts_proc *p, const struct ts_spawn *o,
	      const char *const *argv);
/* Has a started child ended? Returns 1 once it has (reaping it: ts_finish
 * then only reads what it wrote), 0 while it runs; never waits and never
 * kills it (ts_finish enforces the deadline). */
int ts_poll(struct ts_proc *p);
/* Waits for a started child (killing it at its deadline) and reads what
 * it wrote. A child that timed out fails the test, after ts_finish has
 * cleaned up; so does one that could not be started (exit 126 or 127). */
void ts_finish(struct ts_proc *p);
/* ts_start then ts_finish. */
void ts_run(struct ts_proc *p, const struct ts_spawn *o,
	    const char *const *argv);
/* Frees what ts_finish read and removes its own capture directory. */
void ts_proc_free(struct ts_proc *p);

/* A small world for sweeps and program runs: two segments, a state and a
 * criminal attacker, one body; about 3 ms a run. */
extern const char ts_small_scenario[];

#endif
