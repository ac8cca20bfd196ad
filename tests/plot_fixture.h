/* The fixture of the tests of `cyberdef plot` (test_plot.c and
 * test_plot_text.c): a fresh temporary directory per test, small
 * synthetic points.csv, timeseries_points.csv and timeseries.csv files
 * (no dependence on `cyberdef sweep`), and the built program run there
 * through the one child-process runner (support.h: ts_start, ts_finish),
 * with its stdout, stderr and exit status captured.
 *
 * Like support.h, every function may fail the current test through
 * cmocka. Include <cmocka.h> (with its prerequisites) first.
 */
#ifndef CYBERDEF_TESTS_PLOT_FIXTURE_H
#define CYBERDEF_TESTS_PLOT_FIXTURE_H

#include <limits.h>
#include <stddef.h>

#include "support.h"

#define PF_MAX_ARGS 32
#define PF_TIMEOUT_S 60.0 /* a hung child fails the test, never hangs it */

/* root/ holds work/ (the data directories and charts, the child's working
 * directory), cap/ (captured output), tmp/ (the child's TMPDIR, to check
 * nothing is left there) and nogp/ (an empty directory, a PATH without
 * gnuplot). */
struct fixture {
	char root[PATH_MAX];
	char work[PATH_MAX];
	char cap[PATH_MAX];
	char tmp[PATH_MAX];
	char nogp[PATH_MAX];
};

/* cmocka setup and teardown: a fresh fixture in *state, and its removal. */
int pf_setup(void **state);
int pf_teardown(void **state);

/* ---- files ---------------------------------------------------------- */

/* Reads a whole file, NUL-terminated, into a buffer of `size` bytes;
 * returns its length, or -1 if it cannot be opened. */
long pf_slurp(const char *path, char *buf, size_t size);
/* Writes `text` to dir/name, turning each "\n" into "\r\n" (RFC 4180). */
void pf_write_csv(const char *dir, const char *name, const char *text);
/* Writes len bytes (or strlen) of text to dir/name, as they are. */
void pf_write_raw(const char *dir, const char *name, const char *text,
		  size_t len);
/* Makes work/name and writes its path into path (PATH_MAX bytes). */
void pf_make_dir(const struct fixture *fx, const char *name, char *path);

/* ---- synthetic outputs ---------------------------------------------- */

/* A sweep of won.share_rate over five points, two metrics; one missing
 * value (empty fields) in median_dwell_days. */
extern const char pf_points_csv[];
/* A grid: share rate x WoS maturity. */
extern const char pf_grid_csv[];
/* A string-valued setting. */
extern const char pf_labels_csv[];
/* A sweep's days: three points of won.share_rate, days 0..39, two daily
 * metrics, into dir/timeseries_points.csv. */
void pf_write_timeseries_points(const char *dir);
/* A run's timeseries.csv in dir: two segments, 30 days, with 1000 and
 * 2000 intrusions a day (a national total of 3000). */
void pf_write_run_timeseries(const char *dir);

/* ---- running the program -------------------------------------------- */

struct proc {
	int status; /* exit status; 128 + signal if killed */
	char out[8192];
	char err[16384];
};

/* Starts CYBERDEF_BIN with the NULL-terminated `args` in work/, TMPDIR set
 * to tmp/, PATH to `path` (NULL: unchanged), stdout and stderr into cap/,
 * killed after PF_TIMEOUT_S. */
void pf_start(const struct fixture *fx, struct ts_proc *tp, const char *path,
	      const char *const *args);
/* Waits for a child of pf_start and fills p with its exit status and
 * output. */
void pf_finish(struct ts_proc *tp, struct proc *p);
/* pf_start then pf_finish. */
void pf_run_env(const struct fixture *fx, struct proc *p, const char *path,
		const char *const *args);
/* Runs `cyberdef ARGS...` (NULL-terminated) with the usual PATH. */
void pf_run(const struct fixture *fx, struct proc *p, ...);

/* ---- checks --------------------------------------------------------- */

void pf_assert_exit(const struct proc *p, int want);
void pf_assert_contains(const char *text, const char *want);
/* Checks that stdout is the chart's path and a line end. */
void pf_assert_printed(const struct proc *p, const char *path);
/* Checks that `path` is a PNG: the signature and more than a few bytes. */
void pf_assert_png(const char *path);
/* Reads an SVG chart (into a static buffer); checks it is one. */
const char *pf_read_svg(const char *path);

/* Is gnuplot installed (an executable on PATH)? */
int pf_have_gnuplot(void);

/* Skips the test, saying so, when gnuplot is not installed. */
#define PF_NEED_GNUPLOT()                                                  \
	do {                                                               \
		if (!pf_have_gnuplot()) {                                  \
			print_message("gnuplot is not installed (apt-get " \
				      "install gnuplot-nox): skipping\n"); \
			skip();                                            \
		}                                                          \
	} while (0)

#endif
