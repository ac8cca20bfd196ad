/* The fixture of the tests of `cyberdef plot`: see plot_fixture.h. */
#define _XOPEN_SOURCE 700 /* mkdtemp */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "plot_fixture.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif

/* ---- fixture ------------------------------------------------------------ */

int pf_setup(void **state)
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

int pf_teardown(void **state)
{
	struct fixture *fx = *state;
	ts_rm_rf(fx->root);
	free(fx);
	return 0;
}

/* ---- files -------------------------------------------------------------- */

/* Reads a whole file, NUL-terminated, into a buffer of `size` bytes;
 * returns its length, or -1 if it cannot be opened. */
long pf_slurp(const char *path, char *buf, size_t size)
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
void pf_write_csv(const char *dir, const char *name, const char *text)
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

void pf_make_dir(const struct fixture *fx, const char *name, char *path)
{
	ts_path_join(path, PATH_MAX, fx->work, name);
	assert_int_equal(mkdir(path, 0777), 0);
}

/* Writes len bytes (or strlen) of text to dir/name, as they are. */
void pf_write_raw(const char *dir, const char *name, const char *text,
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

/* ---- synthetic outputs -------------------------------------------------- */

/* A sweep of won.share_rate over five points, two metrics; one missing
 * value (empty fields) in median_dwell_days. Columns as `cyberdef sweep`
 * writes them: point, the setting, runs, then M_mean, M_sd, M_ci_lo,
 * M_ci_hi, M_median per metric. */
const char pf_points_csv[] =
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

/* A grid: share rate x WoS maturity. */
const char pf_grid_csv[] =
	"point,won.share_rate,wos.maturity,runs,"
	"intrusions_mean,intrusions_sd,intrusions_ci_lo,intrusions_ci_hi,"
	"intrusions_median\n"
	"0,0.2,0.3,5,1900,80,1800,2000,1890\n"
	"1,0.2,0.9,5,1600,70,1513,1687,1590\n"
	"2,0.8,0.3,5,1500,60,1425,1575,1490\n"
	"3,0.8,0.9,5,1200,50,1138,1262,1190\n";

/* A string-valued setting. */
const char pf_labels_csv[] =
	"point,scenario,runs,"
	"intrusions_mean,intrusions_sd,intrusions_ci_lo,intrusions_ci_hi,"
	"intrusions_median\n"
	"0,japan_2017,100,1655.9,150,1625.5,1686.3,1650\n"
	"1,eu_us_sharing,100,1458,120,1432.7,1483.3,1450\n"
	"2,singapore_model,100,1024.5,80,1007.5,1041.5,1020\n";

/* A sweep's days: three points of won.share_rate, days 0..39, two daily
 * metrics (mean, ci_lo, ci_hi each). Written by code: 120 rows. */
void pf_write_timeseries_points(const char *dir)
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
void pf_write_run_timeseries(const char *dir)
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

void pf_start(const struct fixture *fx, struct ts_proc *tp, const char *path,
	      const char *const *args)
{
	const char *argv[PF_MAX_ARGS + 2];
	int n = 0;
	argv[n++] = CYBERDEF_BIN;
	for (; args[n - 1]; n++) {
		assert_true(n <= PF_MAX_ARGS);
		argv[n] = args[n - 1];
	}
	argv[n] = NULL;
	/* (read by ts_start before it returns) */
	char tmp_var[PATH_MAX + 8], path_var[PATH_MAX + 8];
	snprintf(tmp_var, sizeof tmp_var, "TMPDIR=%s", fx->tmp);
	const char *env[3] = {tmp_var, NULL, NULL};
	if (path) {
		snprintf(path_var, sizeof path_var, "PATH=%s", path);
		env[1] = path_var;
	}
	struct ts_spawn sp = {.cwd = fx->work,
			      .env = env,
			      .capture = fx->cap,
			      .timeout_s = PF_TIMEOUT_S};
	ts_start(tp, &sp, argv);
}

void pf_finish(struct ts_proc *tp, struct proc *p)
{
	ts_finish(tp);
	p->status = tp->exited ? tp->status : 128 + tp->status;
	snprintf(p->out, sizeof p->out, "%s", tp->out);
	snprintf(p->err, sizeof p->err, "%s", tp->err);
	ts_proc_free(tp);
}

void pf_run_env(const struct fixture *fx, struct proc *p, const char *path,
		const char *const *args)
{
	struct ts_proc tp;
	pf_start(fx, &tp, path, args);
	pf_finish(&tp, p);
}

void pf_run(const struct fixture *fx, struct proc *p, ...)
{
	const char *args[PF_MAX_ARGS + 1];
	va_list ap;
	va_start(ap, p);
	ts_collect_args(ap, args, PF_MAX_ARGS);
	va_end(ap);
	pf_run_env(fx, p, NULL, args);
}

/* ---- checks ------------------------------------------------------------- */

void pf_assert_exit(const struct proc *p, int want)
{
	if (p->status != want)
		fail_msg("expected exit %d, got %d\nstdout:\n%s\nstderr:\n%s",
			 want, p->status, p->out, p->err);
}

void pf_assert_contains(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("expected \"%s\" in:\n%s", want, text);
}

/* Is gnuplot installed (an executable on PATH)? */
int pf_have_gnuplot(void)
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

/* Checks that `path` is a PNG: the signature and more than a few bytes. */
void pf_assert_png(const char *path)
{
	static char buf[1 << 20];
	long n = pf_slurp(path, buf, sizeof buf);
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
const char *pf_read_svg(const char *path)
{
	static char buf[1 << 21];
	long n = pf_slurp(path, buf, sizeof buf);
	if (n < 0)
		fail_msg("no chart at %s", path);
	assert_true(n > 1000);
	pf_assert_contains(buf, "<svg");
	pf_assert_contains(buf, "</svg>");
	return buf;
}

/* Checks that stdout is the chart's path and a line end. */
void pf_assert_printed(const struct proc *p, const char *path)
{
	char want[PATH_MAX + 2];
	snprintf(want, sizeof want, "%s\n", path);
	assert_string_equal(p->out, want);
}
