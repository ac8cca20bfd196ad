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

/* A small world for sweeps and program runs: two segments, a state and a
 * criminal attacker, one body; about 3 ms a run. */
extern const char ts_small_scenario[];

#endif
