/* Tests of the charts of a calibration as prepared for gnuplot, without
 * gnuplot (analysis/plot_calib.c): small posterior.csv, metadata.json and
 * fit.csv files are read with plot_load and plot_load_priors, and the
 * job's data file is checked number by number against hand-computed
 * weighted histograms and ratios.
 *
 * Covered: the final generation only is drawn; its weights are normalised
 * and summed per bin, the bins equal in log10 x for a log-uniform prior
 * and in x for a uniform one, on the prior's range; the weighted median;
 * --metric keeps parameters (and targets); without priors, linear bins
 * over the particles' range and a note; the predictive check's values
 * over the observed value, undefined model values as NaN; refusals
 * (CD_EINVAL with a message): priors of other parameters, a particle
 * outside its prior, a negative or an all-zero weight, a metadata.json of
 * another command, an unknown prior, a bad range, malformed JSON, an
 * observed value of 0, a missing column, a --metric that names nothing.
 */
#define _XOPEN_SOURCE 700

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "analysis/plot.h"
#include "plot_fixture.h"

/* Generation 1 is the final one: p = 0.1, 1, 10, 10 and q = 0.05, 0.5,
 * 0.5, 0.95 with weights 1, 2, 1, 0 (normalised 1/4, 1/2, 1/4, 0). The
 * row of generation 0 would fill other bins. */
static const char posterior_csv[] = "generation,particle,p,q,weight,distance\n"
				    "0,0,50,0.99,1,3\n"
				    "1,0,0.1,0.05,1,1\n"
				    "1,1,1,0.5,2,1\n"
				    "1,2,10,0.5,1,1\n"
				    "1,3,10,0.95,0,1\n";

static const char metadata_json[] =
	"{\"command\": \"calibrate\", \"parameters\": ["
	"{\"setting\": \"p\", \"prior\": \"log_uniform\", \"lo\": 0.01, "
	"\"hi\": 100},"
	"{\"setting\": \"q\", \"prior\": \"uniform\", \"lo\": 0, \"hi\": 1}"
	"]}\n";

static const char fit_csv[] =
	"target,scenario,statistic,unit,source,data_year,horizon_year,"
	"observed,sd,replicates,model_median,model_p05,model_p95,within_sd,"
	"distance\n"
	"dwell,x,s,days,src,2016,0,100,20,9,50,40,60,0,-2.5\n"
	"share,x,s,fraction,src,2016,0,0.5,0.1,0,,,,,\n";

/* The data file's blocks: lines of numbers, blocks separated by blank
 * lines. */
#define MAX_BLOCKS 8
#define MAX_LINES 16
struct blocks {
	int n, lines[MAX_BLOCKS], cols[MAX_BLOCKS][MAX_LINES];
	double v[MAX_BLOCKS][MAX_LINES][8];
};

static void parse_blocks(const char *data, size_t len, struct blocks *b)
{
	memset(b, 0, sizeof *b);
	char *copy = strndup(data, len), *save = NULL;
	assert_non_null(copy);
	int blank = 1;
	for (char *p = copy; *p;) {
		char *end = strchr(p, '\n');
		assert_non_null(end);
		*end = '\0';
		if (!*p) {
			blank = 1;
		} else {
			if (blank)
				b->n++;
			blank = 0;
			assert_true(b->n <= MAX_BLOCKS);
			int k = b->n - 1, l = b->lines[k]++;
			assert_true(l < MAX_LINES);
			int c = 0;
			for (char *f = strtok_r(p, ",", &save); f;
			     f = strtok_r(NULL, ",", &save)) {
				assert_true(c < 8);
				b->v[k][l][c++] = strcmp(f, "NaN")
							  ? strtod(f, NULL)
							  : NAN;
			}
			b->cols[k][l] = c;
		}
		p = end + 1;
	}
	free(copy);
}

static void assert_near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)))) {
		print_error("got %.17g, want %.17g\n", got, want);
		fail();
	}
}

/* The files of a calibration directory (NULL: absent). */
struct files {
	const char *post, *meta, *fit;
};

/* Writes the files into a new directory work/NAME and prepares the chart
 * of o there; returns the status, the job in *j (free it) and its data's
 * blocks in *b. */
static int prepare(const struct fixture *fx, const char *name,
		   const struct files *f, struct plot_opts *o,
		   struct plot_job *j, struct blocks *b, struct cd_diag *d)
{
	static char dir[PATH_MAX];
	const char *post = f->post, *meta = f->meta, *fit = f->fit;
	pf_make_dir(fx, name, dir);
	if (post)
		pf_write_raw(dir, "posterior.csv", post, 0);
	if (meta)
		pf_write_raw(dir, "metadata.json", meta, 0);
	if (fit)
		pf_write_raw(dir, "fit.csv", fit, 0);
	o->dir = dir;
	enum plot_source src;
	csv_table t;
	struct plot_priors pr;
	memset(j, 0, sizeof *j);
	int rc = plot_load(o, &src, &t, d);
	if (rc)
		return rc;
	rc = src == PLOT_POSTERIOR ? plot_load_priors(dir, &pr, d) : 0;
	if (!rc)
		rc = src == PLOT_POSTERIOR
			     ? plot_prepare_posterior(j, &t, &pr, o, d)
			     : plot_prepare(j, src, &t, o, d);
	if (!rc)
		parse_blocks(j->data, j->data_len, b);
	csv_table_free(&t);
	return rc;
}

static void assert_bins(const struct blocks *b, int k, const double *w, int n)
{
	assert_int_equal(b->lines[k], n);
	for (int i = 0; i < n; i++)
		assert_near(b->v[k][i][2], w[i]);
}

/* The final generation's weighted histograms on the priors' ranges. */
static void test_posterior_histograms(void **state)
{
	struct plot_opts o = {0};
	struct plot_job j;
	struct blocks b;
	struct cd_diag d;
	struct files f = {posterior_csv, metadata_json, NULL};
	assert_int_equal(prepare(*state, "a", &f, &o, &j, &b, &d), 0);
	assert_string_equal(j.kind, "posterior");
	assert_string_equal(j.metrics, "all");
	assert_string_equal(j.script_name, "plot_posterior.gp");
	assert_non_null(strstr(j.command, "ncats=4; "));
	assert_string_equal(j.note, "");
	assert_int_equal(b.n, 3);
	/* block 0: k, has, lo, hi, log, median, xlo, xhi */
	assert_int_equal(b.lines[0], 2);
	const double *p = b.v[0][0], *q = b.v[0][1];
	const double head_p[] = {0, 1, 0.01, 100, 1, 1};
	const double head_q[] = {1, 1, 0, 1, 0, 0.5};
	for (int i = 0; i < 6; i++) {
		assert_near(p[i], head_p[i]);
		assert_near(q[i], head_q[i]);
	}
	assert_near(p[6], pow(10, -2 - 0.12)); /* 3% of 4 decades */
	assert_near(p[7], pow(10, 2 + 0.12));
	assert_near(q[6], -0.03);
	assert_near(q[7], 1.03);
	/* 4 particles: ceil(2 cbrt 4) = 4 bins, at least 5. p's bins are
	 * 0.8 decades wide from 10^-2: 0.1 in bin 1, 1 in 2, 10 in 3. */
	const double wp[] = {0, 0.25, 0.5, 0.25, 0};
	assert_bins(&b, 1, wp, 5);
	for (int i = 0; i < 5; i++) {
		assert_near(b.v[1][i][0], pow(10, -2 + 0.8 * i));
		assert_near(b.v[1][i][1], pow(10, -2 + 0.8 * (i + 1)));
	}
	/* q's are 0.2 wide: 0.05 in bin 0, 0.5 twice in 2, 0.95 (weight 0)
	 * in 4 */
	const double wq[] = {0.25, 0, 0.75, 0, 0};
	assert_bins(&b, 2, wq, 5);
	assert_near(b.v[2][3][0], 0.6);
	plot_job_free(&j);
}

/* --metric keeps parameters; without priors the bins span the
 * particles on a linear axis, and a note says so. */
static void test_posterior_options(void **state)
{
	struct plot_opts o = {.metric = {"q"}, .n_metrics = 1};
	struct plot_job j;
	struct blocks b;
	struct cd_diag d;
	struct files f = {posterior_csv, metadata_json, NULL};
	assert_int_equal(prepare(*state, "a", &f, &o, &j, &b, &d), 0);
	assert_string_equal(j.metrics, "q");
	assert_int_equal(b.n, 2);
	assert_near(b.v[0][0][0], 0);
	assert_near(b.v[0][0][2], 0); /* q's prior */
	plot_job_free(&j);
	o.n_metrics = 0;
	f.meta = "{\"command\": \"calibrate\"}";
	assert_int_equal(prepare(*state, "b", &f, &o, &j, &b, &d), 0);
	assert_non_null(strstr(j.note, "records no priors"));
	const double head[] = {0, 0, 0.1, 10, 0, 1};
	for (int i = 0; i < 6; i++)
		assert_near(b.v[0][0][i], head[i]);
	for (int i = 0; i < 5; i++)
		assert_near(b.v[1][i][0], 0.1 + 9.9 / 5 * i);
	const double wp[] = {0.75, 0, 0, 0, 0.25};
	assert_bins(&b, 1, wp, 5);
	plot_job_free(&j);
	f.meta = NULL; /* no metadata.json at all: the same */
	assert_int_equal(prepare(*state, "c", &f, &o, &j, &b, &d), 0);
	assert_non_null(strstr(j.note, "records no priors"));
	plot_job_free(&j);
}

/* Prepares work/NAME with files f and checks that it is refused with a
 * message holding `want`. */
static void refused(void **state, const char *name, const struct files *f,
		    struct plot_opts *o, const char *want)
{
	struct plot_job j;
	struct blocks b;
	struct cd_diag d;
	int rc = prepare(*state, name, f, o, &j, &b, &d);
	plot_job_free(&j);
	if (rc != CD_EINVAL || !strstr(d.msg, want)) {
		print_error("%s: status %d, message '%s'; want '%s'\n", name,
			    rc, d.msg, want);
		fail();
	}
}

static void test_posterior_refused(void **state)
{
	struct plot_opts o = {0};
	struct files f = {posterior_csv, NULL, NULL};
	char meta[1024];
	snprintf(meta, sizeof meta, "%s", metadata_json);
	memcpy(strstr(meta, "\"p\""), "\"r\"", 3);
	f.meta = meta;
	refused(state, "names", &f, &o, "not of one calibration");
	f.meta = metadata_json;
	f.post = "generation,particle,p,q,weight,distance\n"
		 "0,0,200,0.5,1,1\n";
	refused(state, "outside", &f, &o, "outside its prior");
	f.post = "generation,particle,p,q,weight,distance\n"
		 "0,0,1,0.5,-1,1\n";
	refused(state, "negative", &f, &o, "weight '-1'");
	f.post = "generation,particle,p,q,weight,distance\n"
		 "0,0,1,0.5,0,1\n";
	refused(state, "zero", &f, &o, "add up to 0");
	f.post = "generation,particle,p,q,weight\n0,0,1,0.5,1\n";
	refused(state, "column", &f, &o, "no column 'distance'");
	f.post = posterior_csv;
	f.meta = "{\"command\": \"run\"}";
	refused(state, "command", &f, &o, "not the metadata.json of");
	f.meta = "{\"command\": \"calibrate\", \"parameters\": [{\"setting\": "
		 "\"p\", \"prior\": \"gamma\", \"lo\": 0, \"hi\": 1}]}";
	refused(state, "kind", &f, &o, "unknown prior");
	f.meta = "{\"command\": \"calibrate\", \"parameters\": [{\"setting\": "
		 "\"p\", \"prior\": \"log_uniform\", \"lo\": 0, \"hi\": 1}]}";
	refused(state, "range", &f, &o, "is not a prior's");
	f.meta = "{\"command\": ";
	refused(state, "json", &f, &o, "metadata.json:1:");
	f.meta = metadata_json;
	o.metric[0] = "s";
	o.n_metrics = 1;
	refused(state, "metric", &f, &o, "no parameter 's'");
}

/* The predictive check: each line over its observed value. */
static void test_fit_lines(void **state)
{
	struct plot_opts o = {.chart = "fit"};
	struct plot_job j;
	struct blocks b;
	struct cd_diag d;
	struct files f = {posterior_csv, metadata_json, fit_csv};
	assert_int_equal(prepare(*state, "a", &f, &o, &j, &b, &d), 0);
	assert_string_equal(j.kind, "fit");
	assert_string_equal(j.script_name, "plot_fit.gp");
	assert_non_null(strstr(j.command, "ncats=2; "));
	assert_int_equal(b.n, 2);
	/* x from 0.4 to 1.2, 5% wider */
	assert_near(b.v[0][0][0], 0.36);
	assert_near(b.v[0][0][1], 1.24);
	const double dwell[] = {0, 1, 0.8, 1.2, 0.5, 0.4, 0.6};
	for (int i = 0; i < 7; i++)
		assert_near(b.v[1][0][i], dwell[i]);
	assert_near(b.v[1][1][3], 1.2);
	assert_true(isnan(b.v[1][1][4]) && isnan(b.v[1][1][6]));
	plot_job_free(&j);
	/* fit.csv alone (`observe`) is drawn without --chart */
	struct plot_opts o2 = {.metric = {"share"}, .n_metrics = 1};
	struct files g = {NULL, NULL, fit_csv};
	assert_int_equal(prepare(*state, "b", &g, &o2, &j, &b, &d), 0);
	assert_string_equal(j.kind, "fit");
	assert_string_equal(j.metrics, "share");
	assert_int_equal(b.lines[1], 1);
	plot_job_free(&j);
}

static void test_fit_refused(void **state)
{
	struct plot_opts o = {.chart = "fit"};
	struct files f = {NULL, NULL, NULL};
	char fit[2048];
	snprintf(fit, sizeof fit, "%s", fit_csv);
	memcpy(strstr(fit, ",100,20,"), ",000,20,", 8);
	f.fit = fit;
	refused(state, "zero", &f, &o, "cannot scale its line");
	f.fit = "target,unit,observed,sd,model_median,model_p05\n"
		"a,days,1,1,1,1\n";
	refused(state, "column", &f, &o, "no column 'model_p95'");
	f.fit = fit_csv;
	o.metric[0] = "dwel";
	o.n_metrics = 1;
	refused(state, "metric", &f, &o, "--metric dwel: not a target");
	/* --chart names a file the directory lacks */
	struct plot_opts o2 = {.chart = "posterior"};
	struct plot_job j;
	struct blocks b;
	struct cd_diag d;
	assert_int_equal(prepare(*state, "none", &f, &o2, &j, &b, &d),
			 CD_ENOENT);
	assert_non_null(strstr(d.msg, "holds no posterior.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_posterior_histograms,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_posterior_options,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_posterior_refused,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_fit_lines, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_fit_refused, pf_setup,
						pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
