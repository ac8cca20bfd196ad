/* Tests of `cyberdef plot`: the built program is run on small synthetic
 * points.csv, timeseries_points.csv and timeseries.csv files written here
 * (no dependence on `cyberdef sweep`), in a fresh temporary directory per
 * test, with stdout, stderr and the exit status captured.
 *
 * Covered: PNG and SVG charts of sweep points (one and two panels, marks, a
 * grid of two settings, settings that are labels, missing values), ribbon
 * charts of a sweep's days, a run's national totals (the sum over
 * segments), the default chart names and --out; bad input (unknown metric
 * with the list and a suggestion, missing directory or files, bad options,
 * a malformed file: exit 2, no chart); no gnuplot on PATH (exit 1 and the
 * install hint); gnuplot failing (exit 1 with its messages, an earlier
 * chart kept, no temporary left); text from the inputs never run as
 * code (issue 9: column names, values, runs, --title and --mark labels
 * holding `commands`, $(...), @macros, quotes and \ escapes: no command
 * runs and the chart shows each text as it is) and each class of
 * character shown or refused (exit 2 naming the file, line and column or
 * the option, before gnuplot runs); the set's manifest (a file that
 * differs from it is refused); SIGINT and SIGTERM while gnuplot draws
 * (128 + the signal, no chart). Checks that need gnuplot are skipped,
 * saying so, when it is not installed.
 */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/digest.h"
#include "support.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif

#define MAX_ARGS 32
#define RUN_TIMEOUT_S 60.0 /* a hung child fails the test, never hangs it */

extern char **environ;

/* ---- fixture ------------------------------------------------------------ */

/* root/ holds work/ (the data directories and charts), cap/ (captured
 * output), tmp/ (the child's TMPDIR, to check nothing is left there) and
 * nogp/ (an empty directory, a PATH without gnuplot). */
struct fixture {
	char root[PATH_MAX];
	char work[PATH_MAX];
	char cap[PATH_MAX];
	char tmp[PATH_MAX];
	char nogp[PATH_MAX];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	if (ts_make_tmpdir(fx->root, sizeof fx->root, "cyberdef-plot-test")) {
		free(fx);
		return -1;
	}
	char *dirs[] = {fx->work, fx->cap, fx->tmp, fx->nogp};
	const char *names[] = {"work", "cap", "tmp", "nogp"};
	for (int i = 0; i < 4; i++) {
		int n = snprintf(dirs[i], PATH_MAX, "%s/%s", fx->root,
				 names[i]);
		if (n < 0 || n >= PATH_MAX || mkdir(dirs[i], 0777)) {
			ts_rm_rf(fx->root);
			free(fx);
			return -1;
		}
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	ts_rm_rf(fx->root);
	free(fx);
	return 0;
}

/* ---- files -------------------------------------------------------------- */

/* Reads a whole file, NUL-terminated, into a buffer of `size` bytes;
 * returns its length, or -1 if it cannot be opened. */
static long slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (long)n;
}

/* Writes `text` to dir/name, turning each "\n" into "\r\n" (RFC 4180). */
static void write_csv(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			fputc('\r', f);
		fputc(*p, f);
	}
	assert_int_equal(fclose(f), 0);
}

static void make_dir(const struct fixture *fx, const char *name, char *path)
{
	ts_path_join(path, PATH_MAX, fx->work, name);
	assert_int_equal(mkdir(path, 0777), 0);
}

/* ---- synthetic outputs -------------------------------------------------- */

/* A sweep of won.share_rate over five points, two metrics; one missing
 * value (empty fields) in median_dwell_days. Columns as `cyberdef sweep`
 * writes them: point, the setting, runs, then M_mean, M_sd, M_ci_lo,
 * M_ci_hi, M_median per metric. */
static const char points_csv[] =
	"point,won.share_rate,runs,"
	"intrusions_mean,intrusions_sd,intrusions_ci_lo,intrusions_ci_hi,"
	"intrusions_median,"
	"median_dwell_days_mean,median_dwell_days_sd,median_dwell_days_ci_lo,"
	"median_dwell_days_ci_hi,median_dwell_days_median\n"
	"0,0.1,10,1800,60,1757.1,1842.9,1795,61,4,58.1,63.9,61\n"
	"1,0.3,10,1650,55,1610.7,1689.3,1660,60.5,4,57.6,63.4,60\n"
	"2,0.5,10,1500,50,1464.2,1535.8,1490,,,,,\n"
	"3,0.7,10,1400,52,1362.8,1437.2,1410,59,5,55.4,62.6,58.5\n"
	"4,0.9,10,1330,49,1294.9,1365.1,1325,58,4,55.1,60.9,58\n";

/* A grid: share rate x WoS maturity, and a string-valued setting. */
static const char grid_csv[] =
	"point,won.share_rate,wos.maturity,runs,"
	"intrusions_mean,intrusions_sd,intrusions_ci_lo,intrusions_ci_hi,"
	"intrusions_median\n"
	"0,0.2,0.3,5,1900,80,1800,2000,1890\n"
	"1,0.2,0.9,5,1600,70,1513,1687,1590\n"
	"2,0.8,0.3,5,1500,60,1425,1575,1490\n"
	"3,0.8,0.9,5,1200,50,1138,1262,1190\n";

static const char labels_csv[] =
	"point,scenario,runs,"
	"intrusions_mean,intrusions_sd,intrusions_ci_lo,intrusions_ci_hi,"
	"intrusions_median\n"
	"0,japan_2017,100,1655.9,150,1625.5,1686.3,1650\n"
	"1,eu_us_sharing,100,1458,120,1432.7,1483.3,1450\n"
	"2,singapore_model,100,1024.5,80,1007.5,1041.5,1020\n";

/* A sweep's days: three points of won.share_rate, days 0..39, two daily
 * metrics (mean, ci_lo, ci_hi each). Written by code: 120 rows. */
static void write_timeseries_points(const char *dir)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, dir, "timeseries_points.csv");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("point,won.share_rate,day,intrusions_mean,intrusions_ci_lo,"
	      "intrusions_ci_hi,open_footholds_mean,open_footholds_ci_lo,"
	      "open_footholds_ci_hi\r\n",
	      f);
	static const double rate[3] = {0.1, 0.5, 0.9};
	for (int p = 0; p < 3; p++)
		for (int d = 0; d < 40; d++) {
			double m = 5.0 - p + (d % 7) * 0.3;
			double o = d * (10.0 - 2 * p);
			fprintf(f, "%d,%g,%d,%g,%g,%g,%g,%g,%g\r\n", p, rate[p],
				d, m, m - 1, m + 1, o, o * 0.9, o * 1.1);
		}
	assert_int_equal(fclose(f), 0);
}

/* A run's timeseries.csv: two segments, 30 days. Every day the segments
 * have 1000 and 2000 intrusions, so the national total is 3000 (a y tick
 * label only the sum reaches). */
static void write_run_timeseries(const char *dir)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, dir, "timeseries.csv");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("day,segment,kind,attempts,blocked,failed,intrusions,"
	      "open_footholds,knowledge_coverage,crisis\r\n",
	      f);
	for (int d = 0; d < 30; d++) {
		fprintf(f,
			"%d,sme,corporation,9000,3000,5000,1000,%d,0.2,0\r\n",
			d, d);
		fprintf(f,
			"%d,key_ministries,government,9000,3000,4000,2000,%d,"
			"0.4,%d\r\n",
			d, 2 * d, d > 20);
	}
	assert_int_equal(fclose(f), 0);
}

/* ---- running the program ------------------------------------------------ */

struct proc {
	int status; /* exit status; 128 + signal if killed */
	char out[8192];
	char err[16384];
};

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Starts CYBERDEF_BIN with the NULL-terminated `args` in work/, TMPDIR set
 * to tmp/, PATH to `path` (NULL: unchanged), stdout and stderr into cap/.
 * Returns its process id. */
static pid_t spawn_env(const struct fixture *fx, const char *path,
		       const char *const *args)
{
	char out_path[PATH_MAX], err_path[PATH_MAX];
	ts_path_join(out_path, sizeof out_path, fx->cap, "stdout");
	ts_path_join(err_path, sizeof err_path, fx->cap, "stderr");
	char *argv[MAX_ARGS + 2];
	int n = 0;
	argv[n++] = (char *)CYBERDEF_BIN;
	for (; args[n - 1]; n++) {
		assert_true(n <= MAX_ARGS);
		argv[n] = (char *)args[n - 1];
	}
	argv[n] = NULL;

	/* The environment, with PATH and TMPDIR replaced. */
	static char path_var[PATH_MAX + 8], tmp_var[PATH_MAX + 8];
	snprintf(tmp_var, sizeof tmp_var, "TMPDIR=%s", fx->tmp);
	if (path)
		snprintf(path_var, sizeof path_var, "PATH=%s", path);
	char *envp[512];
	size_t k = 0;
	for (char **e = environ; *e && k < 508; e++)
		if (strncmp(*e, "TMPDIR=", 7) &&
		    (!path || strncmp(*e, "PATH=", 5)))
			envp[k++] = *e;
	envp[k++] = tmp_var;
	if (path)
		envp[k++] = path_var;
	envp[k] = NULL;

	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || e < 0 || in < 0 || chdir(fx->work) ||
		    dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execve(CYBERDEF_BIN, argv, envp);
		_exit(127);
	}
	return pid;
}

/* Waits for a child of spawn_env (killing it after RUN_TIMEOUT_S) and
 * fills p with its exit status and output. */
static void finish(const struct fixture *fx, struct proc *p, pid_t pid)
{
	char out_path[PATH_MAX], err_path[PATH_MAX];
	ts_path_join(out_path, sizeof out_path, fx->cap, "stdout");
	ts_path_join(err_path, sizeof err_path, fx->cap, "stderr");
	int st = 0;
	long waited_ms = 0;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		assert_true(r >= 0);
		if (r == pid)
			break;
		if (waited_ms > (long)(RUN_TIMEOUT_S * 1000)) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("cyberdef did not finish in %.0f s",
				 RUN_TIMEOUT_S);
		}
		sleep_ms(2);
		waited_ms += 2;
	}
	p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	assert_true(slurp(out_path, p->out, sizeof p->out) >= 0);
	assert_true(slurp(err_path, p->err, sizeof p->err) >= 0);
	if (p->status == 126 || p->status == 127)
		fail_msg("could not start %s", CYBERDEF_BIN);
}

/* Runs CYBERDEF_BIN as spawn_env does and waits for it. */
static void run_env(const struct fixture *fx, struct proc *p, const char *path,
		    const char *const *args)
{
	finish(fx, p, spawn_env(fx, path, args));
}

/* Runs `cyberdef ARGS...` (NULL-terminated) with the usual PATH. */
static void run(const struct fixture *fx, struct proc *p, ...)
{
	const char *args[MAX_ARGS + 1];
	va_list ap;
	va_start(ap, p);
	ts_collect_args(ap, args, MAX_ARGS);
	va_end(ap);
	run_env(fx, p, NULL, args);
}

static void assert_exit(const struct proc *p, int want)
{
	if (p->status != want)
		fail_msg("expected exit %d, got %d\nstdout:\n%s\nstderr:\n%s",
			 want, p->status, p->out, p->err);
}

static void assert_contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("expected \"%s\" in:\n%s", want, text);
}

/* Is gnuplot installed (an executable on PATH)? */
static int have_gnuplot(void)
{
	const char *path = getenv("PATH");
	if (!path)
		return 0;
	for (const char *p = path;;) {
		size_t len = strcspn(p, ":");
		char buf[PATH_MAX];
		snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)len,
			 len ? p : ".");
		if (access(buf, X_OK) == 0)
			return 1;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

#define NEED_GNUPLOT()                                                     \
	do {                                                               \
		if (!have_gnuplot()) {                                     \
			print_message("gnuplot is not installed (apt-get " \
				      "install gnuplot-nox): skipping\n"); \
			skip();                                            \
		}                                                          \
	} while (0)

/* Checks that `path` is a PNG: the signature and more than a few bytes. */
static void assert_png(const char *path)
{
	static char buf[1 << 20];
	long n = slurp(path, buf, sizeof buf);
	if (n < 0)
		fail_msg("no chart at %s", path);
	static const unsigned char sig[8] = {0x89, 'P',	 'N',  'G',
					     '\r', '\n', 0x1a, '\n'};
	assert_true(n > 8);
	assert_memory_equal(buf, sig, 8);
	if (n < 10000)
		fail_msg("%s is only %ld bytes", path, n);
}

/* Reads an SVG chart; checks it is one. */
static const char *read_svg(const char *path)
{
	static char buf[1 << 21];
	long n = slurp(path, buf, sizeof buf);
	if (n < 0)
		fail_msg("no chart at %s", path);
	assert_true(n > 1000);
	assert_contains(buf, "<svg");
	assert_contains(buf, "</svg>");
	return buf;
}

/* Checks that stdout is the chart's path and a line end. */
static void assert_printed(const struct proc *p, const char *path)
{
	char want[PATH_MAX + 2];
	snprintf(want, sizeof want, "%s\n", path);
	assert_string_equal(p->out, want);
}

/* ---- charts of sweep points --------------------------------------------- */

static void test_points_png(void **state)
{
	struct fixture *fx = *state;
	NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	struct proc p;
	run(fx, &p, "plot", "sweep", "--mark", "0.304=Japan 30.4%", "--mark",
	    "0.647=EU/US 64.7%", NULL);
	assert_exit(&p, 0);
	/* default metric intrusions; default name in DIR */
	assert_printed(&p, "sweep/points_intrusions.png");
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.png");
	assert_png(chart);
	ts_assert_entries(dir, 2); /* points.csv and the chart: no temporary */
	ts_assert_entries(fx->tmp, 0);
}

static void test_points_svg_two_panels(void **state)
{
	struct fixture *fx = *state;
	NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	struct proc p;
	/* --out in a directory that does not exist yet; the format from its
	 * extension; a statistic's column name stands for its metric */
	run(fx, &p, "plot", "sweep", "--metric", "intrusions", "--metric",
	    "median_dwell_days_mean", "--x", "won.share_rate", "--mark",
	    "0.304=Japan 30.4%", "--out", "charts/two.svg", NULL);
	assert_exit(&p, 0);
	assert_printed(&p, "charts/two.svg");
	ts_path_join(chart, sizeof chart, fx->work, "charts/two.svg");
	const char *svg = read_svg(chart);
	assert_contains(svg, "Japan 30.4%");
	assert_contains(svg, "won.share_rate (probability)");
	assert_contains(svg, "median_dwell_days (days)");
	assert_contains(svg, "intrusions (footholds)");
	ts_assert_entries(fx->tmp, 0);
}

static void test_points_grid_and_labels(void **state)
{
	struct fixture *fx = *state;
	NEED_GNUPLOT();
	char grid[PATH_MAX], labels[PATH_MAX], chart[PATH_MAX];
	make_dir(fx, "grid", grid);
	make_dir(fx, "labels", labels);
	write_csv(grid, "points.csv", grid_csv);
	write_csv(labels, "points.csv", labels_csv);
	struct proc p;
	/* one line per value of the other setting */
	run(fx, &p, "plot", "grid", "--format", "svg", NULL);
	assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, grid, "points_intrusions.svg");
	const char *svg = read_svg(chart);
	assert_contains(svg, "wos.maturity=0.3");
	assert_contains(svg, "wos.maturity=0.9");
	run(fx, &p, "plot", "grid", "--x", "wos.maturity", "--format", "svg",
	    "--title", "By maturity", NULL);
	assert_exit(&p, 0);
	svg = read_svg(chart);
	assert_contains(svg, "won.share_rate=0.2");
	assert_contains(svg, "By maturity");
	/* values that are not numbers: one tick each */
	run(fx, &p, "plot", "labels", "--format", "svg", NULL);
	assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, labels, "points_intrusions.svg");
	svg = read_svg(chart);
	assert_contains(svg, "singapore_model");
}

/* ---- time series -------------------------------------------------------- */

static void test_timeseries_points(void **state)
{
	struct fixture *fx = *state;
	NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	write_timeseries_points(dir);
	struct proc p;
	run(fx, &p, "plot", "sweep", "--timeseries", "--point", "0", "--point",
	    "2", "--metric", "open_footholds", "--mark", "20=day 20", NULL);
	assert_exit(&p, 0);
	assert_printed(&p, "sweep/timeseries_points_open_footholds.png");
	ts_path_join(chart, sizeof chart, dir,
		     "timeseries_points_open_footholds.png");
	assert_png(chart);
	run(fx, &p, "plot", "sweep", "--timeseries", "--metric", "intrusions",
	    "--metric", "open_footholds", "--out", "ts.svg", NULL);
	assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, fx->work, "ts.svg");
	const char *svg = read_svg(chart);
	assert_contains(svg, "won.share_rate=0.5");
	assert_contains(svg, "95% CI");
	/* without points.csv, --timeseries is implied */
	char only[PATH_MAX];
	make_dir(fx, "only", only);
	write_timeseries_points(only);
	run(fx, &p, "plot", "only", NULL);
	assert_exit(&p, 0);
	assert_printed(&p, "only/timeseries_points_intrusions.png");
	ts_assert_entries(fx->tmp, 0);
}

static void test_run_timeseries(void **state)
{
	struct fixture *fx = *state;
	NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	make_dir(fx, "run", dir);
	write_run_timeseries(dir);
	struct proc p;
	run(fx, &p, "plot", "run", "--format", "svg", NULL);
	assert_exit(&p, 0);
	assert_printed(&p, "run/timeseries_intrusions.svg");
	ts_path_join(chart, sizeof chart, dir, "timeseries_intrusions.svg");
	const char *svg = read_svg(chart);
	/* the national total, 1000 + 2000 a day, is on the scale */
	assert_contains(svg, ">3000<");
	assert_contains(svg, "national total");
	run(fx, &p, "plot", "run", "--metric", "knowledge_coverage", "--metric",
	    "crisis", "--metric", "open_footholds", NULL);
	assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, dir,
		     "timeseries_knowledge_coverage_crisis_open_footholds.png");
	assert_png(chart);
	ts_assert_entries(dir, 3);
	ts_assert_entries(fx->tmp, 0);
}

/* ---- bad input ---------------------------------------------------------- */

static void test_unknown_metric(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	struct proc p;
	run(fx, &p, "plot", "sweep", "--metric", "intrusion", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "sweep/points.csv: no metric 'intrusion'");
	assert_contains(p.err, "did you mean 'intrusions'?");
	assert_contains(p.err, "available: intrusions, median_dwell_days");
	run(fx, &p, "plot", "sweep", "--metric", "zzz", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "available: intrusions, median_dwell_days");
	run(fx, &p, "plot", "sweep", "--x", "won.share", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "no varied setting 'won.share'");
	assert_contains(p.err, "available: won.share_rate");
	/* a daily metric of a run */
	char rdir[PATH_MAX];
	make_dir(fx, "run", rdir);
	write_run_timeseries(rdir);
	run(fx, &p, "plot", "run", "--metric", "intrusions_corporate", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "no daily metric 'intrusions_corporate'");
	assert_contains(p.err, "attempts, blocked, failed, intrusions");
	ts_assert_entries(dir, 1);
	ts_assert_entries(rdir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_missing_dir_or_files(void **state)
{
	struct fixture *fx = *state;
	struct proc p;
	run(fx, &p, "plot", "nowhere", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "nowhere: No such file or directory");
	char dir[PATH_MAX];
	make_dir(fx, "empty", dir);
	run(fx, &p, "plot", "empty", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "empty holds none of points.csv");
	write_csv(dir, "points.csv", points_csv);
	run(fx, &p, "plot", "empty", "--timeseries", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "neither timeseries_points.csv");
	run(fx, &p, "plot", "empty/points.csv", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "not a directory");
	run(fx, &p, "plot", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "plot needs a DIR");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_bad_options(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	struct proc p;
	static const struct {
		const char *args[6];
		const char *msg;
	} cases[] = {
		{{"--format", "gif"}, "--format: allowed: png or svg, got gif"},
		{{"--mark", "Japan=0.3"}, "--mark: expected X or X=LABEL"},
		{{"--mark"}, "missing value after --mark"},
		{{"--bogus"}, "unknown option --bogus"},
		{{"--point", "1"}, "--point applies to a sweep's "},
		{{"--point", "-1"}, "--point: expected a point number"},
		{{"--out", "x.svg", "--format", "png"},
		 "extension of the other"},
		{{"--out", "."}, "is a directory"},
		{{"other"}, "more than one directory given: other"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[MAX_ARGS + 1] = {"plot", "sweep"};
		int n = 2;
		for (int k = 0; k < 6 && cases[i].args[k]; k++)
			args[n++] = cases[i].args[k];
		args[n] = NULL;
		run_env(fx, &p, NULL, args);
		assert_exit(&p, 2);
		assert_contains(p.err, cases[i].msg);
	}
	/* --x means nothing for a time series */
	char rdir[PATH_MAX];
	make_dir(fx, "run", rdir);
	write_run_timeseries(rdir);
	run(fx, &p, "plot", "run", "--x", "won.share_rate", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "--x applies to a sweep's points.csv only");
	/* help */
	run(fx, &p, "plot", "--help", NULL);
	assert_exit(&p, 0);
	assert_contains(p.out, "usage: cyberdef plot DIR");
	run(fx, &p, "--help", NULL);
	assert_exit(&p, 0);
	assert_contains(p.out, "plot DIR");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_malformed_files(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	make_dir(fx, "sweep", dir);
	struct proc p;
	write_csv(dir, "points.csv",
		  "point,won.share_rate,runs,intrusions_mean,intrusions_ci_lo,"
		  "intrusions_ci_hi\n0,0.1,5,10,9,11\n1,0.2,5,10,9\n");
	run(fx, &p, "plot", "sweep", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err,
			"sweep/points.csv:3: 5 fields, but the header has 6");
	write_csv(dir, "points.csv",
		  "point,won.share_rate,runs,intrusions_mean,intrusions_ci_lo,"
		  "intrusions_ci_hi\n0,0.1,5,10,9,11\n1,0.2,5,ten,9,11\n");
	run(fx, &p, "plot", "sweep", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err,
			"sweep/points.csv:3: column intrusions_mean: 'ten' is "
			"not a number");
	write_csv(dir, "points.csv", "");
	run(fx, &p, "plot", "sweep", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "empty file");
	write_csv(dir, "points.csv", "a,b\n1,2\n");
	run(fx, &p, "plot", "sweep", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "no column 'point'");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
}

/* ---- text from the inputs is never code (issue 9) ----------------------- */

/* Writes len bytes (or strlen) of text to dir/name, as they are. */
static void write_raw(const char *dir, const char *name, const char *text,
		      size_t len)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (!len)
		len = strlen(text);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Fails, listing them, if a command run by gnuplot (or a shell) left a
 * file behind: the payloads touch files in root/ and in work/. */
static void assert_no_markers(const struct fixture *fx)
{
	ts_assert_entries(fx->root, 4); /* work, cap, tmp, nogp */
	DIR *d = opendir(fx->work);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		if (strstr(e->d_name, "PWNED"))
			fail_msg("a command ran: %s/%s", fx->work, e->d_name);
	closedir(d);
	ts_assert_entries(fx->tmp, 0);
}

/* Expands each "@R" in fmt to root/ (where the payloads touch files). */
static void payload(const struct fixture *fx, char *buf, size_t size,
		    const char *fmt)
{
	size_t n = 0;
	for (const char *p = fmt; *p && n + 1 < size; p++) {
		if (p[0] == '@' && p[1] == 'R') {
			n += (size_t)snprintf(buf + n, size - n, "%s",
					      fx->root);
			p++;
		} else {
			buf[n++] = *p;
		}
	}
	assert_true(n + 1 < size);
	buf[n] = '\0';
}

/* A points.csv whose column name, values and runs hold commands, plotted
 * with a --title and --mark labels that hold commands: none runs, and the
 * chart shows each text as it is. */
static void test_injection_points(void **state)
{
	struct fixture *fx = *state;
	NEED_GNUPLOT();
	char dir[PATH_MAX], csv[8192], col[1024], v1[512], v2[512], runs[512];
	make_dir(fx, "sweep", dir);
	/* (short and relative: legend entries must fit, and gnuplot ran in
	 * work/ before the fix) */
	payload(fx, col, sizeof col, "`touch PWNED_C` @c %s \\n ^{a}_b~");
	payload(fx, v1, sizeof v1, "`touch PWNED_V`");
	payload(fx, v2, sizeof v2, "\"system(\"\"touch PWNED_S\"\")\"");
	payload(fx, runs, sizeof runs, "`touch @R/PWNED_RUNS`");
	snprintf(csv, sizeof csv,
		 "point,won.share_rate,%s,runs,intrusions_mean,"
		 "intrusions_ci_lo,intrusions_ci_hi\n"
		 "0,0.1,%s,%s,10,9,11\n1,0.2,%s,%s,12,11,13\n"
		 "2,0.1,%s,%s,14,13,15\n3,0.2,%s,%s,16,15,17\n",
		 col, v1, runs, v1, runs, v2, runs, v2, runs);
	write_raw(dir, "points.csv", csv, 0);
	char title[1024], mark1[512], mark2[512];
	payload(fx, title, sizeof title,
		"`touch @R/PWNED_TITLE` $(touch PWNED_T2) @title \"; "
		"system(\"touch PWNED_T3\"); t=\"");
	payload(fx, mark1, sizeof mark1, "0.15=`touch @R/PWNED_MARK`");
	payload(fx, mark2, sizeof mark2, "0.18=@mark %d \\ ' `touch PWNED_M2`");
	struct proc p;
	run(fx, &p, "plot", "sweep", "--format", "svg", "--title", title,
	    "--mark", mark1, "--mark", mark2, NULL);
	assert_no_markers(fx);
	assert_exit(&p, 0);
	char chart[PATH_MAX], want[1024];
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.svg");
	const char *svg = read_svg(chart);
	payload(fx, want, sizeof want,
		"`touch @R/PWNED_TITLE` $(touch PWNED_T2) @title");
	assert_contains(svg, want);
	assert_contains(svg, "system(\"touch PWNED_T3\"); t=\"");
	payload(fx, want, sizeof want, "`touch @R/PWNED_MARK`");
	assert_contains(svg, want);
	assert_contains(svg, "@mark %d \\ ' `touch PWNED_M2`");
	/* name=value, in the legend */
	assert_contains(svg,
			"`touch PWNED_C` @c %s \\n ^{a}_b~=`touch PWNED_V`");
	assert_contains(svg, "^{a}_b~=system(\"touch PWNED_S\")");
	/* the default title: `runs` holds no number */
	run(fx, &p, "plot", "sweep", "--format", "svg", NULL);
	assert_no_markers(fx);
	assert_exit(&p, 0);
	assert_contains(read_svg(chart), "mean over runs per point");
}

/* The same for a sweep's and a run's time series; the chart's default
 * name keeps no byte of a metric's name that could lead elsewhere. */
static void test_injection_timeseries(void **state)
{
	struct fixture *fx = *state;
	NEED_GNUPLOT();
	char dir[PATH_MAX], csv[8192], col[512], val[512];
	make_dir(fx, "sweep", dir);
	payload(fx, col, sizeof col, "`touch @R/PWNED_TSCOL`");
	payload(fx, val, sizeof val, "`touch @R/PWNED_TSVAL`");
	size_t n = (size_t)snprintf(csv, sizeof csv,
				    "point,%s,day,intrusions_mean,"
				    "intrusions_ci_lo,intrusions_ci_hi\n",
				    col);
	for (int pt = 0; pt < 2; pt++)
		for (int d = 0; d < 5; d++)
			n += (size_t)snprintf(csv + n, sizeof csv - n,
					      "%d,%s%d,%d,%d,%d,%d\n", pt, val,
					      pt, d, d + pt, d + pt - 1,
					      d + pt + 1);
	write_raw(dir, "timeseries_points.csv", csv, 0);
	char mark[512];
	payload(fx, mark, sizeof mark, "2=`touch @R/PWNED_TSMARK`");
	struct proc p;
	run(fx, &p, "plot", "sweep", "--format", "svg", "--mark", mark, NULL);
	assert_no_markers(fx);
	assert_exit(&p, 0);
	char chart[PATH_MAX], want[1024];
	ts_path_join(chart, sizeof chart, dir,
		     "timeseries_points_intrusions.svg");
	const char *svg = read_svg(chart);
	payload(fx, want, sizeof want,
		"`touch @R/PWNED_TSCOL`=`touch @R/PWNED_TSVAL`1");
	assert_contains(svg, want);

	/* a run's daily metric named by a command */
	char rdir[PATH_MAX], metric[512];
	make_dir(fx, "run", rdir);
	payload(fx, metric, sizeof metric, "`touch @R/PWNED_METRIC` ../x");
	snprintf(csv, sizeof csv,
		 "day,segment,kind,intrusions,%s\n0,a,government,1,2\n"
		 "1,a,government,3,4\n",
		 metric);
	write_raw(rdir, "timeseries.csv", csv, 0);
	run(fx, &p, "plot", "run", "--metric", metric, NULL);
	assert_no_markers(fx);
	assert_exit(&p, 0);
	/* run/timeseries_<metric, each byte but [A-Za-z0-9.-] made _>.png */
	assert_true(!strncmp(p.out, "run/timeseries__touch_", 22));
	assert_null(strchr(p.out + 4, '/'));
	assert_null(strchr(p.out, '`'));
	assert_contains(p.out, "_PWNED_METRIC__.._x.png\n");
	ts_assert_entries(rdir, 2);
}

/* What each class of character in a column name, a value, --title and a
 * --mark label does: shown as it is, or refused with exit 2 naming the
 * file (or the option) before gnuplot runs. */
struct text_case {
	char where; /* 'n' column name, 'v' value, 't' --title, 'm' --mark */
	const char *text;
	const char *want; /* refused: in stderr; shown: in the chart */
	int refused;
};

static const struct text_case text_cases[] = {
	{'n', "a`b`c", "a`b`c", 0},
	{'n', "$(x)", "$(x)", 0},
	{'n', "a\\b", "a\\b", 0},
	{'n', "@x", "@x", 0},
	{'n', "%s%d", "%s%d", 0},
	{'n', "^{a}_b~", "^{a}_b~", 0},
	{'n', "caf\xc3\xa9", "caf\xc3\xa9", 0},
	{'n', "a\"b", "column 2 name holds a quote (\") at byte 2 of 3", 1},
	{'n', "a'b", "column 2 name holds a quote (') at byte 2 of 3", 1},
	{'n', "a\nb", "column 2 name holds a line break (LF) at byte 2", 1},
	{'n', "a\rb", "column 2 name holds a carriage return (CR)", 1},
	{'n', "a\tb", "column 2 name holds a tab at byte 2 of 3", 1},
	{'n', "a\x1b[2Jb", "holds an escape character (ESC) at byte 2", 1},
	{'n', "a\x01z", "holds a control character (code 1) at byte 2", 1},
	{'n', "a\x7fz", "holds a control character (code 127)", 1},
	{'n', "a\xc2\x85z", "holds a control character (code 133)", 1},
	{'n', "a\xffz", "is not UTF-8 text (byte 2 of 3 is 0xff)", 1},
	{'n', "a\xc0\xafz", "is not UTF-8 text (byte 2 of 4 is 0xc0)", 1},
	{'n', "\xed\xa0\x80", "is not UTF-8 text (byte 1 of 3 is 0xed)", 1},
	{'n', "caf\xc3", "is not UTF-8 text (byte 4 of 4 is 0xc3)", 1},
	{'n', NULL, "column 2 name is 300 bytes long", 1}, /* long */
	{'v', "a`b` $(c) @d", "a`b` $(c) @d", 0},
	{'v', "it's \"q\"", "it's \"q\"", 0},
	{'v', "a\tb", "column 2 (won.share_rate): the value holds a tab", 1},
	{'v', "a\nb", "the value holds a line break (LF)", 1},
	{'v', "a\xfe", "the value is not UTF-8 text", 1},
	{'t', "two\nlines `x` \" ' \\", "lines `x` \" ' \\", 0},
	{'t', "1\n2\n3\n4\n5", "--title: the text holds more than 3 line", 1},
	{'t', "a\tb", "--title: the text holds a tab", 1},
	{'t', NULL, "--title: the text is 513 bytes long", 1},
	{'m', NULL, "--mark 0.5=...: the label is 257 bytes long", 1},
	{'t', "a\x1b]0;pwn\x07", "--title: the text holds an escape", 1},
	{'m', "0.5=@m `x` %s \\ '\"", "@m `x` %s \\ '\"", 0},
	{'m', "0.5=a\nb", "--mark 0.5=...: the label holds a line break", 1},
	{'m', "0.5=a\xff", "--mark 0.5=...: the label is not UTF-8", 1},
};

/* Writes sweep/points.csv for case c; sets the extra arguments. */
static void write_case(const char *dir, const struct text_case *c,
		       const char **args)
{
	static char name[1024]; /* NULL text: a long one, as args[5] too */
	char text[2048], csv[8192];
	if (!c->text) {
		size_t len = c->where == 't'   ? 513
			     : c->where == 'm' ? 261
					       : 300;
		memset(name, 'x', len);
		if (c->where == 'm')
			memcpy(name, "0.5=", 4);
		name[len] = '\0';
	}
	/* as a quoted CSV field, '"' doubled */
	size_t n = 0;
	text[n++] = '"';
	for (const char *p = c->text ? c->text : name; *p; p++) {
		if (*p == '"')
			text[n++] = '"';
		text[n++] = *p;
	}
	text[n++] = '"';
	text[n] = '\0';
	int named = c->where == 'n';
	snprintf(csv, sizeof csv,
		 "point,%s,runs,intrusions_mean,intrusions_ci_lo,"
		 "intrusions_ci_hi\n0,%s,5,10,9,11\n1,%s,5,12,11,13\n",
		 named ? text : "won.share_rate",
		 c->where == 'v' ? text : "0.1", c->where == 'v' ? "b" : "0.2");
	write_raw(dir, "points.csv", csv, 0);
	args[0] = "plot";
	args[1] = "sweep";
	args[2] = "--format";
	args[3] = "svg";
	args[4] = c->where == 't'   ? "--title"
		  : c->where == 'm' ? "--mark"
				    : NULL;
	args[5] = c->text ? c->text : name;
	args[6] = NULL;
}

static void test_text_classes(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], chart[PATH_MAX];
	make_dir(fx, "sweep", dir);
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.svg");
	int gnuplot = have_gnuplot();
	for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++) {
		const struct text_case *c = &text_cases[i];
		if (!c->refused && !gnuplot)
			continue;
		const char *args[8];
		write_case(dir, c, args);
		struct proc p;
		run_env(fx, &p, NULL, args);
		if (c->refused) {
			assert_exit(&p, 2);
			if (c->where == 'n' || c->where == 'v')
				assert_contains(p.err, "sweep/points.csv:");
			assert_contains(p.err, c->want);
			if (strstr(p.err, "gnuplot"))
				fail_msg("case %zu reached gnuplot:\n%s", i,
					 p.err);
			ts_assert_entries(dir, 1); /* no chart */
		} else {
			assert_exit(&p, 0);
			assert_contains(read_svg(chart), c->want);
			assert_int_equal(remove(chart), 0);
		}
		ts_assert_entries(fx->tmp, 0);
	}
	if (!gnuplot)
		print_message("gnuplot is not installed: the refusals only\n");
}

/* ---- the set's manifest ------------------------------------------------- */

/* Writes dir/manifest listing dir/name with its digest, or a wrong one. */
static void write_manifest(const char *dir, const char *manifest,
			   const char *name, int wrong)
{
	char path[PATH_MAX], hex[CD_SHA256_HEX], json[1024];
	size_t len;
	ts_path_join(path, sizeof path, dir, name);
	char *text = ts_slurp(path, &len);
	assert_non_null(text);
	cd_sha256_hex(text, len, hex);
	free(text);
	if (wrong)
		hex[0] = hex[0] == '0' ? '1' : '0';
	snprintf(json, sizeof json,
		 "{\"files\": [{\"name\": \"other.csv\", \"sha256\": \"00\"},"
		 " {\"name\": \"%s\", \"sha256\": \"%s\", \"bytes\": %zu}]}\n",
		 name, hex, len);
	write_raw(dir, manifest, json, 0);
}

static void test_manifest(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], rdir[PATH_MAX];
	make_dir(fx, "sweep", dir);
	make_dir(fx, "run", rdir);
	write_csv(dir, "points.csv", points_csv);
	write_timeseries_points(dir);
	write_run_timeseries(rdir);
	struct proc p;
	write_manifest(dir, "sweep.json", "points.csv", 1);
	run(fx, &p, "plot", "sweep", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "sweep/points.csv is not the file sweep.json "
			       "lists");
	write_manifest(dir, "sweep.json", "timeseries_points.csv", 1);
	run(fx, &p, "plot", "sweep", "--timeseries", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "sweep/timeseries_points.csv is not the file "
			       "sweep.json lists");
	write_manifest(rdir, "metadata.json", "timeseries.csv", 1);
	run(fx, &p, "plot", "run", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "run/timeseries.csv is not the file "
			       "metadata.json lists");
	write_raw(rdir, "metadata.json", "{\"files\": 3", 0);
	run(fx, &p, "plot", "run", NULL);
	assert_exit(&p, 2);
	assert_contains(p.err, "run/metadata.json: not a cyberdef manifest");
	ts_assert_entries(dir, 3);
	ts_assert_entries(rdir, 2);
	if (!have_gnuplot())
		return;
	/* the files the manifests list are drawn; a sweep's metadata.json
	 * is not its manifest */
	write_manifest(dir, "sweep.json", "points.csv", 0);
	write_manifest(dir, "metadata.json", "points.csv", 1);
	run(fx, &p, "plot", "sweep", NULL);
	assert_exit(&p, 0);
	write_manifest(rdir, "metadata.json", "timeseries.csv", 0);
	run(fx, &p, "plot", "run", NULL);
	assert_exit(&p, 0);
	ts_assert_entries(fx->tmp, 0);
}

/* ---- stopped by a signal ------------------------------------------------ */

/* SIGINT and SIGTERM while gnuplot draws: it is killed, the status is
 * 128 + the signal, and no chart (nor a temporary) is left. */
static void test_interrupted(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], bin[PATH_MAX], fake[PATH_MAX], path[2 * PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	make_dir(fx, "bin", bin);
	ts_path_join(fake, sizeof fake, bin, "gnuplot");
	write_raw(bin, "gnuplot", "#!/bin/sh\nprintf half\nexec sleep 30\n", 0);
	assert_int_equal(chmod(fake, 0755), 0);
	snprintf(path, sizeof path, "%s:/usr/bin:/bin", bin);
	const int sigs[2] = {SIGINT, SIGTERM};
	for (int k = 0; k < 2; k++) {
		const char *args[] = {"plot", "sweep", NULL};
		pid_t pid = spawn_env(fx, path, args);
		/* until gnuplot runs, in its private directory */
		for (int ms = 0; ts_count_entries(fx->tmp, 0) < 1; ms += 5) {
			if (ms > 10000)
				fail_msg("gnuplot did not start");
			sleep_ms(5);
		}
		sleep_ms(200);
		assert_int_equal(kill(pid, sigs[k]), 0);
		struct proc p;
		finish(fx, &p, pid);
		assert_exit(&p, 128 + sigs[k]);
		assert_contains(p.err, "interrupted; no chart written");
		assert_string_equal(p.out, "");
		ts_assert_entries(dir, 1);
		ts_assert_entries(fx->tmp, 0);
	}
}

/* ---- gnuplot missing or failing ----------------------------------------- */

static void test_no_gnuplot(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	struct proc p;
	const char *args[] = {"plot", "sweep", NULL};
	run_env(fx, &p, fx->nogp, args);
	assert_exit(&p, 1);
	assert_contains(p.err, "cyberdef: gnuplot not found: install it with "
			       "`apt-get install gnuplot-nox` (Debian)");
	assert_string_equal(p.out, "");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_gnuplot_fails(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], bin[PATH_MAX], fake[PATH_MAX], chart[PATH_MAX];
	make_dir(fx, "sweep", dir);
	write_csv(dir, "points.csv", points_csv);
	/* an earlier chart, which a failed plot must leave as it was */
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.png");
	FILE *f = fopen(chart, "w");
	assert_non_null(f);
	fputs("earlier chart", f);
	assert_int_equal(fclose(f), 0);
	/* a "gnuplot" that writes half a chart, complains and fails */
	make_dir(fx, "bin", bin);
	ts_path_join(fake, sizeof fake, bin, "gnuplot");
	f = fopen(fake, "w");
	assert_non_null(f);
	/* (gnuplot writes the chart to its standard output) */
	fputs("#!/bin/sh\n"
	      "printf 'half'\n"
	      "echo \"plot.gp, line 7: undefined variable: boom\" >&2\n"
	      "exit 1\n",
	      f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(fake, 0755), 0);
	struct proc p;
	const char *args[] = {"plot", "sweep", NULL};
	char path[2 * PATH_MAX];
	snprintf(path, sizeof path, "%s:/usr/bin:/bin", bin);
	run_env(fx, &p, path, args);
	assert_exit(&p, 1);
	assert_contains(p.err, "gnuplot failed (exit status 1)");
	assert_contains(p.err, "undefined variable: boom");
	char buf[64];
	assert_true(slurp(chart, buf, sizeof buf) > 0);
	assert_string_equal(buf, "earlier chart");
	ts_assert_entries(dir, 2);
	ts_assert_entries(fx->tmp, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_points_png, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_points_svg_two_panels,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_points_grid_and_labels,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeseries_points, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_run_timeseries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_metric, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir_or_files,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_options, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_gnuplot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gnuplot_fails, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_injection_points, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_injection_timeseries,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_classes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
