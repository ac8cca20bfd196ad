/* Tests of `cyberdef plot`: the built program is run on small synthetic
 * points.csv, timeseries_points.csv and timeseries.csv files, in a fresh
 * temporary directory per test, with stdout, stderr and the exit status
 * captured (plot_fixture.h, through the one child-process runner of
 * support.h).
 *
 * Covered: a calibration's posterior marginals and predictive check (and
 * observe's fit.csv), with their refusals; PNG and SVG charts of sweep points
 * (one and two panels, marks, a grid of two settings, settings that are labels,
 * missing values), ribbon charts of a sweep's days, a run's national totals
 * (the sum over segments), the default chart names and --out; bad input
 * (unknown metric with the list and a suggestion, missing directory or files,
 * bad options, a malformed file: exit 2, no chart); no gnuplot on PATH (exit 1
 * and the install hint); gnuplot failing (exit 1 with its messages, an earlier
 * chart kept, no temporary left); the set's manifest (a file that differs
 * from it is refused); SIGINT and SIGTERM while gnuplot draws (128 + the
 * signal, no chart). Text from the inputs, never run as code, is tested in
 * test_plot_text.c. Checks that need gnuplot are skipped, saying so, when
 * it is not installed.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/digest.h"
#include "plot_fixture.h"

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- a comparison's forest plot ----------------------------------------- */

static const char effects_csv[] =
	"alternative,metric,kind,n,base_mean,alt_mean,diff_mean,diff_ci_lo,"
	"diff_ci_hi,rel_effect,rel_ci_lo,rel_ci_hi,p_value,var_ratio\n"
	"eu,intrusions,all,30,100,80,-20,-22,-18,-0.2,-0.22,-0.18,1e-9,9\n"
	"eu,intrusions,corporate,30,90,72,-18,-20,-16,-0.2,-0.22,-0.18,1e-9,"
	"9\n"
	"eu,loss_yen,all,30,5,4,-1,-1.5,-0.5,-0.2,-0.3,-0.1,1e-3,2\n"
	"@won.share_rate=0.9,intrusions,all,30,100,70,-30,-33,-27,-0.3,-0.33,"
	"-0.27,1e-9,9\n"
	"@won.share_rate=0.9,loss_yen,all,30,5,5,0,0,0,0,0,0,,\n";

/* effects.csv of `compare`: a forest plot; --metric keeps some lines; an
 * unknown metric and --x are refused. */
static void test_effects_forest(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "cmp", dir);
	pf_write_csv(dir, "effects.csv", effects_csv);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	struct proc p;
	pf_run(fx, &p, "plot", "cmp", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "cmp/effects_all.png");
	ts_path_join(chart, sizeof chart, dir, "effects_all.png");
	pf_assert_png(chart);
	pf_run(fx, &p, "plot", "cmp", "--metric", "loss_yen", "--format", "svg",
	       NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "cmp/effects_loss_yen.svg");
	pf_run(fx, &p, "plot", "cmp", "--metric", "breaches", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "--metric breaches: not a metric");
	pf_run(fx, &p, "plot", "cmp", "--x", "won.share_rate", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "drawn against zero");
	/* --timeseries still reaches the sweep's other files */
	pf_run(fx, &p, "plot", "cmp", "--timeseries", NULL);
	pf_assert_exit(&p, 2);
}

/* indices.csv of `sensitivity`: the total indices (or mu*) as lines. */
static void test_indices_chart(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "sens", dir);
	pf_write_csv(dir, "indices.csv",
		     "parameter,metric,method,index,value,ci_lo,ci_hi\n"
		     "a.x,intrusions,sobol,S1,0.5,0.4,0.6\n"
		     "a.x,intrusions,sobol,ST,0.6,0.5,0.7\n"
		     "a.y,intrusions,sobol,S1,0,,\n"
		     "a.y,intrusions,sobol,ST,0,0,0\n");
	struct proc p;
	pf_run(fx, &p, "plot", "sens", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "sens/indices_all.png");
	ts_path_join(chart, sizeof chart, dir, "indices_all.png");
	pf_assert_png(chart);
	pf_run(fx, &p, "plot", "sens", "--metric", "loss_yen", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "--metric loss_yen: not a metric");
}

/* ---- a calibration's charts --------------------------------------------- */

/* Writes a small calibration directory: posterior.csv (two generations,
 * a log-uniform and a uniform parameter), metadata.json with their priors,
 * and fit.csv of two targets in days and a fraction. */
static void write_calibration(const char *dir)
{
	pf_write_csv(dir, "posterior.csv",
		     "generation,particle,a.rate,b.share,weight,distance\n"
		     "0,0,0.5,0.2,0.5,3\n"
		     "0,1,0.05,0.7,0.5,2\n"
		     "1,0,0.02,0.6,0.3,1\n"
		     "1,1,0.03,0.65,0.4,0.5\n"
		     "1,2,0.2,0.8,0.3,0.8\n");
	pf_write_raw(
		dir, "metadata.json",
		"{\"command\": \"calibrate\", \"parameters\": [\n"
		"{\"setting\": \"a.rate\", \"prior\": \"log_uniform\", "
		"\"lo\": 0.001, \"hi\": 1},\n"
		"{\"setting\": \"b.share\", \"prior\": \"uniform\", \"lo\": "
		"0, \"hi\": 1}]}\n",
		0);
	pf_write_csv(dir, "fit.csv",
		     "target,scenario,statistic,unit,source,data_year,"
		     "horizon_year,observed,sd,replicates,model_median,"
		     "model_p05,model_p95,within_sd,distance\n"
		     "dwell,x,d,days,M-Trends,2016,0,99,19.8,3,80,60,120,1,"
		     "-0.96\n"
		     "share,x,s,fraction,DBIR,2017,0,0.12,0.024,3,0.05,0.01,"
		     "0.1,0,-2.9\n");
}

/* The posterior marginals by default, the predictive check with --chart
 * fit; fit.csv alone (`observe`) draws the check. */
static void test_calibration_charts(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "cal", dir);
	write_calibration(dir);
	struct proc p;
	pf_run(fx, &p, "plot", "cal", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "cal/posterior_all.png");
	ts_path_join(chart, sizeof chart, dir, "posterior_all.png");
	pf_assert_png(chart);
	pf_run(fx, &p, "plot", "cal", "--chart", "fit", "--format", "svg",
	       NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "cal/fit_all.svg");
	ts_path_join(chart, sizeof chart, dir, "fit_all.svg");
	const char *svg = pf_read_svg(chart);
	pf_assert_contains(svg, "dwell: observed 99");
	pf_assert_contains(svg, "model 0.05 [0.01, 0.1]");
	pf_run(fx, &p, "plot", "cal", "--chart", "posterior", "--metric",
	       "b.share", "--out", "b.svg", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "b.svg");
	char odir[PATH_MAX];
	pf_make_dir(fx, "obs", odir);
	pf_write_csv(odir, "fit.csv",
		     "target,unit,observed,sd,model_median,model_p05,"
		     "model_p95\n"
		     "dwell,days,99,19.8,80,60,120\n");
	pf_run(fx, &p, "plot", "obs", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "obs/fit_all.png");
	ts_assert_entries(fx->tmp, 0);
}

/* Bad calibration directories and options: exit 2, a message, no
 * chart. */
static void test_calibration_refused(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], sdir[PATH_MAX];
	pf_make_dir(fx, "cal", dir);
	write_calibration(dir);
	pf_make_dir(fx, "sweep", sdir);
	pf_write_csv(sdir, "points.csv", pf_points_csv);
	struct proc p;
	pf_run(fx, &p, "plot", "sweep", "--chart", "fit", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "--chart fit: sweep holds no fit.csv");
	pf_run(fx, &p, "plot", "cal", "--chart", "marginals", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "--chart: allowed: posterior or fit");
	pf_run(fx, &p, "plot", "cal", "--x", "a.rate", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "--x applies to the charts of a sweep");
	pf_run(fx, &p, "plot", "cal", "--timeseries", NULL);
	pf_assert_exit(&p, 2);
	pf_run(fx, &p, "plot", "cal", "--metric", "a.rat", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "did you mean 'a.rate'?");
	pf_write_raw(dir, "metadata.json",
		     "{\"command\": \"calibrate\", \"parameters\": "
		     "[{\"setting\": \"a.rate\", \"prior\": \"log_uniform\", "
		     "\"lo\": 0, \"hi\": 1}]}",
		     0);
	pf_run(fx, &p, "plot", "cal", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "cal/metadata.json: parameters[0] (a.rate)");
	pf_write_csv(dir, "fit.csv",
		     "target,unit,observed,sd,model_median,model_p05,"
		     "model_p95\n"
		     "share,fraction,0,0.1,0.2,0.1,0.3\n");
	pf_run(fx, &p, "plot", "cal", "--chart", "fit", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "cal/fit.csv:2: target share: observed "
				  "value '0' cannot scale its line");
	ts_assert_entries(dir, 3);
	ts_assert_entries(sdir, 1);
	ts_assert_entries(fx->tmp, 0);
}

/* ---- charts of sweep points --------------------------------------------- */

static void test_points_png(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	struct proc p;
	pf_run(fx, &p, "plot", "sweep", "--mark", "0.304=Japan 30.4%", "--mark",
	       "0.647=EU/US 64.7%", NULL);
	pf_assert_exit(&p, 0);
	/* default metric intrusions; default name in DIR */
	pf_assert_printed(&p, "sweep/points_intrusions.png");
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.png");
	pf_assert_png(chart);
	ts_assert_entries(dir, 2); /* points.csv and the chart: no temporary */
	ts_assert_entries(fx->tmp, 0);
}

static void test_points_svg_two_panels(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	struct proc p;
	/* --out in a directory that does not exist yet; the format from its
	 * extension; a statistic's column name stands for its metric */
	pf_run(fx, &p, "plot", "sweep", "--metric", "intrusions", "--metric",
	       "median_dwell_days_mean", "--x", "won.share_rate", "--mark",
	       "0.304=Japan 30.4%", "--out", "charts/two.svg", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "charts/two.svg");
	ts_path_join(chart, sizeof chart, fx->work, "charts/two.svg");
	const char *svg = pf_read_svg(chart);
	pf_assert_contains(svg, "Japan 30.4%");
	pf_assert_contains(svg, "won.share_rate (probability)");
	pf_assert_contains(svg, "median_dwell_days (days)");
	pf_assert_contains(svg, "intrusions (footholds)");
	ts_assert_entries(fx->tmp, 0);
}

static void test_points_grid_and_labels(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char grid[PATH_MAX], labels[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "grid", grid);
	pf_make_dir(fx, "labels", labels);
	pf_write_csv(grid, "points.csv", pf_grid_csv);
	pf_write_csv(labels, "points.csv", pf_labels_csv);
	struct proc p;
	/* one line per value of the other setting */
	pf_run(fx, &p, "plot", "grid", "--format", "svg", NULL);
	pf_assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, grid, "points_intrusions.svg");
	const char *svg = pf_read_svg(chart);
	pf_assert_contains(svg, "wos.maturity=0.3");
	pf_assert_contains(svg, "wos.maturity=0.9");
	pf_run(fx, &p, "plot", "grid", "--x", "wos.maturity", "--format", "svg",
	       "--title", "By maturity", NULL);
	pf_assert_exit(&p, 0);
	svg = pf_read_svg(chart);
	pf_assert_contains(svg, "won.share_rate=0.2");
	pf_assert_contains(svg, "By maturity");
	/* values that are not numbers: one tick each */
	pf_run(fx, &p, "plot", "labels", "--format", "svg", NULL);
	pf_assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, labels, "points_intrusions.svg");
	svg = pf_read_svg(chart);
	pf_assert_contains(svg, "singapore_model");
}

/* ---- time series -------------------------------------------------------- */

static void test_timeseries_points(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	pf_write_timeseries_points(dir);
	struct proc p;
	pf_run(fx, &p, "plot", "sweep", "--timeseries", "--point", "0",
	       "--point", "2", "--metric", "open_footholds", "--mark",
	       "20=day 20", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "sweep/timeseries_points_open_footholds.png");
	ts_path_join(chart, sizeof chart, dir,
		     "timeseries_points_open_footholds.png");
	pf_assert_png(chart);
	pf_run(fx, &p, "plot", "sweep", "--timeseries", "--metric",
	       "intrusions", "--metric", "open_footholds", "--out", "ts.svg",
	       NULL);
	pf_assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, fx->work, "ts.svg");
	const char *svg = pf_read_svg(chart);
	pf_assert_contains(svg, "won.share_rate=0.5");
	pf_assert_contains(svg, "95% CI");
	/* without points.csv, --timeseries is implied */
	char only[PATH_MAX];
	pf_make_dir(fx, "only", only);
	pf_write_timeseries_points(only);
	pf_run(fx, &p, "plot", "only", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "only/timeseries_points_intrusions.png");
	ts_assert_entries(fx->tmp, 0);
}

static void test_run_timeseries(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "run", dir);
	pf_write_run_timeseries(dir);
	struct proc p;
	pf_run(fx, &p, "plot", "run", "--format", "svg", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_printed(&p, "run/timeseries_intrusions.svg");
	ts_path_join(chart, sizeof chart, dir, "timeseries_intrusions.svg");
	const char *svg = pf_read_svg(chart);
	/* the national total, 1000 + 2000 a day, is on the scale */
	pf_assert_contains(svg, ">3000<");
	pf_assert_contains(svg, "national total");
	pf_run(fx, &p, "plot", "run", "--metric", "knowledge_coverage",
	       "--metric", "crisis", "--metric", "open_footholds", NULL);
	pf_assert_exit(&p, 0);
	ts_path_join(chart, sizeof chart, dir,
		     "timeseries_knowledge_coverage_crisis_open_footholds.png");
	pf_assert_png(chart);
	ts_assert_entries(dir, 3);
	ts_assert_entries(fx->tmp, 0);
}

/* ---- bad input ---------------------------------------------------------- */

static void test_unknown_metric(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	struct proc p;
	pf_run(fx, &p, "plot", "sweep", "--metric", "intrusion", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "sweep/points.csv: no metric 'intrusion'");
	pf_assert_contains(p.err, "did you mean 'intrusions'?");
	pf_assert_contains(p.err, "available: intrusions, median_dwell_days");
	pf_run(fx, &p, "plot", "sweep", "--metric", "zzz", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "available: intrusions, median_dwell_days");
	pf_run(fx, &p, "plot", "sweep", "--x", "won.share", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "no varied setting 'won.share'");
	pf_assert_contains(p.err, "available: won.share_rate");
	/* a daily metric of a run */
	char rdir[PATH_MAX];
	pf_make_dir(fx, "run", rdir);
	pf_write_run_timeseries(rdir);
	pf_run(fx, &p, "plot", "run", "--metric", "intrusions_corporate", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "no daily metric 'intrusions_corporate'");
	pf_assert_contains(p.err, "attempts, blocked, failed, intrusions");
	ts_assert_entries(dir, 1);
	ts_assert_entries(rdir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_missing_dir_or_files(void **state)
{
	struct fixture *fx = *state;
	struct proc p;
	pf_run(fx, &p, "plot", "nowhere", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "nowhere: No such file or directory");
	char dir[PATH_MAX];
	pf_make_dir(fx, "empty", dir);
	pf_run(fx, &p, "plot", "empty", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "empty holds none of points.csv");
	pf_write_csv(dir, "points.csv", pf_points_csv);
	pf_run(fx, &p, "plot", "empty", "--timeseries", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "neither timeseries_points.csv");
	pf_run(fx, &p, "plot", "empty/points.csv", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "not a directory");
	pf_run(fx, &p, "plot", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "plot needs a DIR");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_bad_options(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
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
		const char *args[PF_MAX_ARGS + 1] = {"plot", "sweep"};
		int n = 2;
		for (int k = 0; k < 6 && cases[i].args[k]; k++)
			args[n++] = cases[i].args[k];
		args[n] = NULL;
		pf_run_env(fx, &p, NULL, args);
		pf_assert_exit(&p, 2);
		pf_assert_contains(p.err, cases[i].msg);
	}
	/* --x means nothing for a time series */
	char rdir[PATH_MAX];
	pf_make_dir(fx, "run", rdir);
	pf_write_run_timeseries(rdir);
	pf_run(fx, &p, "plot", "run", "--x", "won.share_rate", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "--x applies to a sweep's points.csv only");
	/* help */
	pf_run(fx, &p, "plot", "--help", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_contains(p.out, "usage: cyberdef plot DIR");
	pf_run(fx, &p, "--help", NULL);
	pf_assert_exit(&p, 0);
	pf_assert_contains(p.out, "plot DIR");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_malformed_files(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	struct proc p;
	pf_write_csv(
		dir, "points.csv",
		"point,won.share_rate,runs,intrusions_mean,intrusions_ci_lo,"
		"intrusions_ci_hi\n0,0.1,5,10,9,11\n1,0.2,5,10,9\n");
	pf_run(fx, &p, "plot", "sweep", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(
		p.err, "sweep/points.csv:3: 5 fields, but the header has 6");
	pf_write_csv(
		dir, "points.csv",
		"point,won.share_rate,runs,intrusions_mean,intrusions_ci_lo,"
		"intrusions_ci_hi\n0,0.1,5,10,9,11\n1,0.2,5,ten,9,11\n");
	pf_run(fx, &p, "plot", "sweep", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(
		p.err, "sweep/points.csv:3: column intrusions_mean: 'ten' is "
		       "not a number");
	pf_write_csv(dir, "points.csv", "");
	pf_run(fx, &p, "plot", "sweep", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "empty file");
	pf_write_csv(dir, "points.csv", "a,b\n1,2\n");
	pf_run(fx, &p, "plot", "sweep", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "no column 'point'");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
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
	pf_write_raw(dir, manifest, json, 0);
}

static void test_manifest(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], rdir[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_make_dir(fx, "run", rdir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	pf_write_timeseries_points(dir);
	pf_write_run_timeseries(rdir);
	struct proc p;
	write_manifest(dir, "sweep.json", "points.csv", 1);
	pf_run(fx, &p, "plot", "sweep", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "sweep/points.csv is not the file sweep.json "
				  "lists");
	write_manifest(dir, "sweep.json", "timeseries_points.csv", 1);
	pf_run(fx, &p, "plot", "sweep", "--timeseries", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "sweep/timeseries_points.csv is not the file "
				  "sweep.json lists");
	write_manifest(rdir, "metadata.json", "timeseries.csv", 1);
	pf_run(fx, &p, "plot", "run", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "run/timeseries.csv is not the file "
				  "metadata.json lists");
	pf_write_raw(rdir, "metadata.json", "{\"files\": 3", 0);
	pf_run(fx, &p, "plot", "run", NULL);
	pf_assert_exit(&p, 2);
	pf_assert_contains(p.err, "run/metadata.json: not a cyberdef manifest");
	ts_assert_entries(dir, 3);
	ts_assert_entries(rdir, 2);
	if (!pf_have_gnuplot())
		return;
	/* the files the manifests list are drawn; a sweep's metadata.json
	 * is not its manifest */
	write_manifest(dir, "sweep.json", "points.csv", 0);
	write_manifest(dir, "metadata.json", "points.csv", 1);
	pf_run(fx, &p, "plot", "sweep", NULL);
	pf_assert_exit(&p, 0);
	write_manifest(rdir, "metadata.json", "timeseries.csv", 0);
	pf_run(fx, &p, "plot", "run", NULL);
	pf_assert_exit(&p, 0);
	ts_assert_entries(fx->tmp, 0);
}

/* ---- stopped by a signal ------------------------------------------------ */

/* SIGINT and SIGTERM while gnuplot draws: it is killed, the status is
 * 128 + the signal, and no chart (nor a temporary) is left. */
static void test_interrupted(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], bin[PATH_MAX], fake[PATH_MAX], path[2 * PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	pf_make_dir(fx, "bin", bin);
	ts_path_join(fake, sizeof fake, bin, "gnuplot");
	pf_write_raw(bin, "gnuplot", "#!/bin/sh\nprintf half\nexec sleep 30\n",
		     0);
	assert_int_equal(chmod(fake, 0755), 0);
	snprintf(path, sizeof path, "%s:/usr/bin:/bin", bin);
	const int sigs[2] = {SIGINT, SIGTERM};
	for (int k = 0; k < 2; k++) {
		const char *args[] = {"plot", "sweep", NULL};
		struct ts_proc tp;
		struct proc p;
		pf_start(fx, &tp, path, args);
		/* until gnuplot runs, in its private directory */
		for (int ms = 0; ts_count_entries(fx->tmp, 0) < 1; ms += 5) {
			if (ms > 10000 * ts_time_scale()) {
				assert_int_equal(kill(tp.pid, SIGKILL), 0);
				pf_finish(&tp, &p);
				fail_msg("gnuplot did not start");
			}
			sleep_ms(5);
		}
		sleep_ms(200);
		assert_int_equal(kill(tp.pid, sigs[k]), 0);
		pf_finish(&tp, &p);
		pf_assert_exit(&p, 128 + sigs[k]);
		pf_assert_contains(p.err, "interrupted; no chart written");
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
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	struct proc p;
	const char *args[] = {"plot", "sweep", NULL};
	pf_run_env(fx, &p, fx->nogp, args);
	pf_assert_exit(&p, 1);
	pf_assert_contains(p.err,
			   "cyberdef: gnuplot not found: install it with "
			   "`apt-get install gnuplot-nox` (Debian)");
	assert_string_equal(p.out, "");
	ts_assert_entries(dir, 1);
	ts_assert_entries(fx->tmp, 0);
}

static void test_gnuplot_fails(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], bin[PATH_MAX], fake[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	pf_write_csv(dir, "points.csv", pf_points_csv);
	/* an earlier chart, which a failed plot must leave as it was */
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.png");
	FILE *f = fopen(chart, "w");
	assert_non_null(f);
	fputs("earlier chart", f);
	assert_int_equal(fclose(f), 0);
	/* a "gnuplot" that writes half a chart, complains and fails */
	pf_make_dir(fx, "bin", bin);
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
	pf_run_env(fx, &p, path, args);
	pf_assert_exit(&p, 1);
	pf_assert_contains(p.err, "gnuplot failed (exit status 1)");
	pf_assert_contains(p.err, "undefined variable: boom");
	char buf[64];
	assert_true(pf_slurp(chart, buf, sizeof buf) > 0);
	assert_string_equal(buf, "earlier chart");
	ts_assert_entries(dir, 2);
	ts_assert_entries(fx->tmp, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_indices_chart, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_calibration_charts,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_calibration_refused,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_effects_forest, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_points_png, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_points_svg_two_panels,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_points_grid_and_labels,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_timeseries_points,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_run_timeseries, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_metric, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir_or_files,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_bad_options, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_malformed_files, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_no_gnuplot, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_gnuplot_fails, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_manifest, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_interrupted, pf_setup,
						pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
