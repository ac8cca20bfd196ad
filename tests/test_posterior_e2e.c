/* --posterior end to end, on the 36,000-SME Japan of the test fixtures
 * (60 days, long enough that the particles give different runs): a tiny
 * posterior.csv (a decoy generation 0, then three particles of
 * detection.internal_rate with weights 0.2, 0.3 and 0.5). `run
 * --posterior` records the particle drawn in metadata.json and prints it,
 * and its files are byte for byte those of `run --set` with that
 * particle's value; a user's --set wins over the particle; over 600
 * replicates of a sweep the particles drawn follow the weights (within 4
 * binomial standard deviations) and every point draws the same particle
 * for a replicate; compare's arms share particle and seed per replicate,
 * and its runs.csv, points.csv and effects.csv do not depend on --jobs;
 * bad files are refused with FILE:LINE and exit status 2. The particle is
 * the loader's layer: it replaces what the scenario file sets (here a
 * value of scenarios/common/), and a what-if's `overrides` of the same
 * setting and a --set win over it, at the loader (the values in force,
 * the stage mappings derived from it, a rule across settings it breaks)
 * and end to end (the bytes of runs and of a sweep). The shipped
 * posterior runs. */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "e2e.h"
#include "load/scenario.h"

#define SAMPLE SOURCE_DIR "/tests/fixtures/japan_sample.cfg"

/* A calibration's posterior: its observation-model column (observe.*)
 * changes no run and is skipped. */
static const char post_csv[] =
	"generation,particle,detection.internal_rate,observe.dbir.weight_sme,"
	"weight,distance\n"
	"0,0,0.5,3,1,9\n"
	"0,1,0.6,3,1,9\n"
	"1,0,0.01,0.5,0.4,1\n"
	"1,1,0.02,7,0.6,1\n"
	"1,2,0.05,2,1,1\n";
static const char *const values[] = {"0.01", "0.02", "0.05"};
static const double weights[] = {0.2, 0.3, 0.5};

static void run_ok(const struct fixture *fx, struct ts_proc *p,
		   const char *seed, const char *out, const char *a,
		   const char *b)
{
	e2e_run(fx, p, "run", SAMPLE, "--set", "days=60", "--set",
		"warmup_days=0", "--seed", seed, "--out", out, a, b, NULL);
	e2e_assert_exit(p, 0);
}

/* The particle metadata.json of work/dir records. */
static long recorded_particle(const struct fixture *fx, const char *dir)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof path, "%s/%s", fx->work, dir);
	char *m = e2e_slurp_in(path, "metadata.json", NULL);
	const char *at = strstr(m, "\"posterior\": {");
	assert_non_null(at);
	e2e_assert_contains(at, "\"file\": \"post.csv\"");
	e2e_assert_contains(at, "\"generation\": 1");
	const char *k = strstr(at, "\"particle\": ");
	assert_non_null(k);
	long v = strtol(k + strlen("\"particle\": "), NULL, 10);
	assert_true(v >= 0 && v <= 2);
	e2e_free(m);
	return v;
}

static void test_run_applies_particle(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	const char *const seeds[] = {"1", "2", "3", "4"};
	for (int i = 0; i < 4; i++) {
		struct ts_proc p;
		char set[64], want[128];
		run_ok(fx, &p, seeds[i], "a", "--posterior", "post.csv");
		long k = recorded_particle(fx, "a");
		snprintf(want, sizeof want,
			 "posterior post.csv: generation 1, particle %ld: "
			 "detection.internal_rate=%s",
			 k, values[k]);
		e2e_assert_contains(p.out, want);
		e2e_proc_free(&p);
		snprintf(set, sizeof set, "detection.internal_rate=%s",
			 values[k]);
		run_ok(fx, &p, seeds[i], "b", "--set", set);
		e2e_proc_free(&p);
		e2e_assert_same_run(fx, "a", "b", "--posterior and --set");
	}
	struct ts_proc p; /* the command's own --set wins */
	e2e_run(fx, &p, "run", SAMPLE, "--set", "days=60", "--set",
		"warmup_days=0", "--posterior", "post.csv", "--set",
		"detection.internal_rate=0.03", "--out", "c", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	run_ok(fx, &p, "1", "d", "--set", "detection.internal_rate=0.03");
	e2e_proc_free(&p);
	e2e_assert_same_run(fx, "c", "d", "--posterior then --set");
}

/* Loads work/dir/runs.csv. */
static void runs_of(const struct fixture *fx, const char *dir, struct csv *t)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof path, "%s/%s", fx->work, dir);
	e2e_csv_load(t, path, "runs.csv");
}

static void test_frequencies(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	enum { N = 600 };
	struct ts_proc p;
	e2e_run(fx, &p, "sweep", SAMPLE, "--set", "warmup_days=0", "--vary",
		"days=2,3", "--reps", "600", "--posterior", "post.csv",
		"--jobs", "2", "--out", "s", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	struct csv t;
	runs_of(fx, "s", &t);
	assert_int_equal(t.nrows, 2 * N);
	size_t pc = e2e_csv_col(&t, "particle");
	assert_int_equal(pc, 2); /* after point and replicate */
	int count[3] = {0};
	for (size_t r = 0; r < N; r++) {
		long long k = e2e_inum(e2e_csv_at(&t, r, pc));
		assert_true(k >= 0 && k <= 2);
		count[k]++;
		assert_string_equal(e2e_csv_at(&t, r, pc),
				    e2e_csv_at(&t, r + N, pc));
	}
	for (int k = 0; k < 3; k++) {
		double mean = N * weights[k];
		double sd = sqrt(N * weights[k] * (1 - weights[k]));
		if (fabs(count[k] - mean) > 4 * sd)
			fail_msg("particle %d drawn %d times of %d; expected "
				 "%.0f +- %.1f (4 sd)",
				 k, count[k], N, mean, 4 * sd);
	}
	e2e_csv_free(&t);
}

static void compare(const struct fixture *fx, const char *jobs, const char *out)
{
	struct ts_proc p;
	e2e_run(fx, &p, "compare", SAMPLE, "@detection.hunt_rate=0.5", "--set",
		"days=10", "--set", "warmup_days=0", "--reps", "12",
		"--posterior", "post.csv", "--jobs", jobs, "--out", out,
		"--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
}

static void test_compare_pairs(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	compare(fx, "1", "c1");
	compare(fx, "2", "c2");
	char x[PATH_MAX], y[PATH_MAX];
	static const char *const names[] = {"runs.csv", "points.csv",
					    "effects.csv"};
	for (int i = 0; i < 3; i++) {
		e2e_out_path(fx, x, sizeof x, "c1", names[i]);
		e2e_out_path(fx, y, sizeof y, "c2", names[i]);
		ts_assert_same_file(x, y);
	}
	struct csv t;
	runs_of(fx, "c1", &t);
	assert_int_equal(t.nrows, 24);
	size_t pc = e2e_csv_col(&t, "particle"), sc = e2e_csv_col(&t, "seed");
	int distinct = 0;
	for (size_t r = 0; r < 12; r++) {
		assert_string_equal(e2e_csv_at(&t, r, pc),
				    e2e_csv_at(&t, r + 12, pc));
		assert_string_equal(e2e_csv_at(&t, r, sc),
				    e2e_csv_at(&t, r + 12, sc));
		distinct |= strcmp(e2e_csv_at(&t, r, pc),
				   e2e_csv_at(&t, 0, pc)) != 0;
	}
	assert_true(distinct); /* replicates do draw different particles */
	e2e_csv_free(&t);
	char dir[PATH_MAX + 8];
	snprintf(dir, sizeof dir, "%s/c1", fx->work);
	char *j = e2e_slurp_in(dir, "sweep.json", NULL);
	e2e_assert_contains(j, "\"posterior\": {");
	e2e_assert_contains(j, "\"file\": \"post.csv\"");
	e2e_assert_contains(j, "\"sha256\": \"");
	e2e_free(j);
}

static void refused(const struct fixture *fx, const char *text,
		    const char *want)
{
	e2e_write(fx->work, "bad.csv", text);
	struct ts_proc p;
	e2e_run(fx, &p, "run", SAMPLE, "--posterior", "bad.csv", "--out", "x",
		"--quiet", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, want);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "compare", SAMPLE, "@detection.hunt_rate=0.5",
		"--posterior", "bad.csv", "--reps", "2", "--out", "y",
		"--quiet", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, want);
	e2e_proc_free(&p);
	e2e_assert_no_output(fx, "x");
	e2e_assert_no_output(fx, "y");
}

#define HEAD "generation,particle,detection.internal_rate,weight,distance\n"

static void test_bad_files(void **state)
{
	struct fixture *fx = *state;
	refused(fx,
		"generation,particle,detection.nope,weight,distance\n"
		"1,0,0.1,1,1\n",
		"bad.csv:1: column 3: unknown setting 'detection.nope'");
	refused(fx, HEAD "1,0,0.1,1,1\n1,1,7,1,1\n",
		"bad.csv:3: field 3: detection.internal_rate: 7 is out of "
		"range");
	refused(fx, HEAD, "bad.csv:1: a header and no rows");
	refused(fx, HEAD "1,0,0.1,0,1\n", "bad.csv:2: field weight");
	refused(fx, HEAD "x,0,0.1,1,1\n", "bad.csv:2: field 1 (generation)");
	refused(fx, "generation,particle,weight\n1,0,1\n",
		"bad.csv:1: not a posterior.csv header");
	refused(fx, HEAD "1,0,0.1,1\n", "bad.csv:2:");
}

/* A what-if of the fixture's Japan: its overrides, with `extra` among
 * them. */
static void what_if(const struct fixture *fx, const char *name,
		    const char *extra)
{
	char text[2048];
	snprintf(text, sizeof text,
		 "@include \"%s/scenarios/japan_2017.cfg\"\n"
		 "overrides = {\n"
		 "  segments = { sme = { count = 36000; }; };\n"
		 "  attackers = {\n"
		 "    ransomware = { attempts_per_day = 30000.0; };\n"
		 "    fraud = { attempts_per_day = 25000.0; };\n"
		 "  };\n"
		 "  %s\n"
		 "};\n",
		 SOURCE_DIR, extra);
	e2e_write(fx->work, name, text);
}

/* The overrides of `over.cfg` name detection.internal_rate, those of
 * `sib.cfg` only its neighbour hunt_rate; `cov.cfg` turns the slope of
 * won.isac_coverage down as far as its default base allows. */
static void what_ifs(const struct fixture *fx)
{
	what_if(fx, "over.cfg", "detection = { internal_rate = 0.03; };");
	what_if(fx, "sib.cfg", "detection = { hunt_rate = 0.2; };");
	what_if(fx, "cov.cfg", "won = { isac_coverage_slope = -0.2; };");
}

/* Loads work/name with the layer `texts` and the --set text `set` (NULL:
 * none). */
static int load_layered(const struct fixture *fx, const char *name,
			const char *const *texts, int n, const char *set,
			struct cd_scenario **sc, struct cd_diag *d)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/%s", fx->work, name);
	struct cd_layer ly = {"posterior p.csv:2 (generation 0, particle 0)",
			      texts, n};
	return scenario_open_layer(sc, path, &ly, &set, set ? 1 : 0, d);
}

/* The value in force at the loader: the file's own setting (from
 * scenarios/common/japan_response.cfg) gives way to the layer, the
 * layer to `overrides`, everything to --set; a sibling override keeps
 * both; stage mappings derive from the layer's maturity. */
static void test_layer_order(void **state)
{
	struct fixture *fx = *state;
	what_ifs(fx);
	const char *rate[] = {"detection.internal_rate=0.05"};
	const char *both[] = {"detection.internal_rate=0.05",
			      "won.maturity=0.7"};
	struct cd_scenario *sc;
	struct cd_diag d;
	assert_int_equal(scenario_open(&sc, "japan_2017", NULL, 0, &d), 0);
	double own = sc->p.detection.internal_rate; /* the common file's */
	scenario_destroy(sc);
	assert_true(own != 0.05 && own != 0.03 && own != 0.04);
	assert_int_equal(load_layered(fx, "sib.cfg", NULL, 0, NULL, &sc, &d),
			 0);
	assert_true(sc->p.detection.internal_rate == own); /* the file's */
	scenario_destroy(sc);
	assert_int_equal(load_layered(fx, "over.cfg", rate, 1, NULL, &sc, &d),
			 0);
	assert_true(sc->p.detection.internal_rate == 0.03); /* overrides */
	scenario_destroy(sc);
	assert_int_equal(load_layered(fx, "over.cfg", rate, 1,
				      "detection.internal_rate=0.04", &sc, &d),
			 0);
	assert_true(sc->p.detection.internal_rate == 0.04); /* --set */
	scenario_destroy(sc);
	assert_int_equal(load_layered(fx, "sib.cfg", both, 2, NULL, &sc, &d),
			 0);
	assert_true(sc->p.detection.internal_rate == 0.05); /* the layer's */
	assert_true(sc->p.detection.hunt_rate == 0.2);
	assert_true(sc->p.won.maturity == 0.7);
	assert_true(fabs(sc->p.won.isac_coverage - (0.2 + 0.8 * 0.7)) < 1e-15);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	scenario_describe_only(sc, f, "calibrated");
	fclose(f);
	e2e_assert_contains(text, "posterior p.csv:2 (generation 0, particle "
				  "0): detection.internal_rate=0.05");
	free(text);
	scenario_destroy(sc);
}

/* A layer's value out of range, or breaking a rule across settings with
 * the file's, is refused, naming the layer and the text. */
static void test_layer_refused(void **state)
{
	struct fixture *fx = *state;
	what_ifs(fx);
	const char *bad[] = {"detection.internal_rate=7"};
	const char *base[] = {"won.isac_coverage_base=0.1"};
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	assert_int_equal(load_layered(fx, "sib.cfg", bad, 1, NULL, &sc, &d),
			 CD_EINVAL);
	assert_null(sc);
	e2e_assert_contains(d.msg, "posterior p.csv:2 (generation 0, particle "
				   "0): detection.internal_rate=7: "
				   "detection.internal_rate: 7 is out of "
				   "range; allowed: a number in [0, 1]");
	assert_int_equal(load_layered(fx, "cov.cfg", base, 1, NULL, &sc, &d),
			 CD_EINVAL);
	e2e_assert_contains(d.msg, "posterior p.csv:2 (generation 0, particle "
				   "0): won.isac_coverage_base=0.1: "
				   "won.isac_coverage_base: won.isac_coverage "
				   "= 0.1 - 0.2 m reaches -0.1");
	assert_int_equal(load_layered(fx, "sib.cfg", base, 1, NULL, &sc, &d),
			 0);
	scenario_destroy(sc);
}

/* Runs work/scenario for 60 days (seed 1) into `out`, with up to four
 * more arguments (NULL ends them). */
static void run_what_if(const struct fixture *fx, const char *scenario,
			const char *out, const char *a, const char *b,
			const char *c, const char *e)
{
	struct ts_proc p;
	e2e_run(fx, &p, "run", scenario, "--set", "days=60", "--set",
		"warmup_days=0", "--out", out, "--quiet", a, b, c, e, NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
}

/* Fails if runs work/a and work/b wrote the same bytes in every file. */
static void assert_other_run(const struct fixture *fx, const char *a,
			     const char *b, const char *what)
{
	for (size_t i = 0; i < E2E_CSV_FILES; i++) {
		char pa[PATH_MAX], pb[PATH_MAX];
		e2e_out_path(fx, pa, sizeof pa, a, e2e_csv_files[i]);
		e2e_out_path(fx, pb, sizeof pb, b, e2e_csv_files[i]);
		if (!ts_same_bytes(pa, pb))
			return;
	}
	fail_msg("%s: the runs are the same", what);
}

/* End to end: a what-if's override of a calibrated setting survives
 * --posterior, --set beats both, and where no override names it the
 * particle's value applies; metadata.json lists the particle's settings
 * apart from the --set texts. */
static void test_overrides_win(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	what_ifs(fx);
	char set[64];
	run_what_if(fx, "over.cfg", "po", "--posterior", "post.csv", NULL,
		    NULL);
	long k = recorded_particle(fx, "po");
	run_what_if(fx, "over.cfg", "o", NULL, NULL, NULL, NULL);
	e2e_assert_same_run(fx, "po", "o", "overrides over the particle");
	snprintf(set, sizeof set, "detection.internal_rate=%s", values[k]);
	run_what_if(fx, "over.cfg", "os", "--set", set, NULL, NULL);
	assert_other_run(fx, "po", "os", "the particle after overrides");
	run_what_if(fx, "over.cfg", "pss", "--posterior", "post.csv", "--set",
		    "detection.internal_rate=0.04");
	run_what_if(fx, "over.cfg", "ss", "--set",
		    "detection.internal_rate=0.04", NULL, NULL);
	e2e_assert_same_run(fx, "pss", "ss", "--set over both");

	run_what_if(fx, "sib.cfg", "qp", "--posterior", "post.csv", NULL, NULL);
	k = recorded_particle(fx, "qp");
	snprintf(set, sizeof set, "detection.internal_rate=%s", values[k]);
	run_what_if(fx, "sib.cfg", "qs", "--set", set, NULL, NULL);
	e2e_assert_same_run(fx, "qp", "qs", "the particle, no override");
	run_what_if(fx, "sib.cfg", "q", NULL, NULL, NULL, NULL);
	assert_other_run(fx, "qp", "q", "the particle over the file's value");

	char dir[PATH_MAX + 8], want[128];
	snprintf(dir, sizeof dir, "%s/qp", fx->work);
	char *m = e2e_slurp_in(dir, "metadata.json", NULL);
	snprintf(want, sizeof want, "\"settings\": [\n      \"%s\"\n    ]",
		 set);
	e2e_assert_contains(m, want);
	e2e_assert_contains(m, "\"overrides\": [\n    \"days=60\",\n    "
			       "\"warmup_days=0\"\n  ]");
	e2e_free(m);
}

/* A sweep's points take the layer as a run does: with the override of
 * the posterior's setting, the sweep's results are those without the
 * posterior. */
static void test_sweep_keeps_override(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "post.csv", post_csv);
	what_ifs(fx);
	static const char *const out[] = {"sp", "s"};
	for (int i = 0; i < 2; i++) {
		struct ts_proc p;
		e2e_run(fx, &p, "sweep", "over.cfg", "--set", "warmup_days=0",
			"--vary", "days=60", "--reps", "4", "--out", out[i],
			"--quiet", i ? NULL : "--posterior", "post.csv", NULL);
		e2e_assert_exit(&p, 0);
		e2e_proc_free(&p);
	}
	static const char *const names[] = {"points.csv",
					    "timeseries_points.csv"};
	for (int i = 0; i < 2; i++) {
		char x[PATH_MAX], y[PATH_MAX];
		e2e_out_path(fx, x, sizeof x, "sp", names[i]);
		e2e_out_path(fx, y, sizeof y, "s", names[i]);
		ts_assert_same_file(x, y);
	}
}

/* A particle within its ranges that breaks a rule across settings with
 * the scenario's is refused before any output, naming its line. */
static void test_particle_breaks_rule(void **state)
{
	struct fixture *fx = *state;
	what_ifs(fx);
	e2e_write(fx->work, "cov.csv",
		  "generation,particle,won.isac_coverage_base,weight,distance\n"
		  "0,0,0.1,1,1\n");
	struct ts_proc p;
	e2e_run(fx, &p, "run", "cov.cfg", "--posterior", "cov.csv", "--out",
		"x", "--quiet", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "posterior cov.csv:2 (generation 0, "
				   "particle 0): won.isac_coverage_base=0.1: "
				   "won.isac_coverage_base: won.isac_coverage "
				   "= 0.1 - 0.2 m reaches -0.1 at maturity 1");
	e2e_proc_free(&p);
	e2e_assert_no_output(fx, "x");
}

/* The last generation of a posterior.csv. */
static double final_generation(const struct csv *t)
{
	double last = 0;
	for (size_t r = 0; r < t->nrows; r++)
		if (e2e_at_num(t, r, "generation") > last)
			last = e2e_at_num(t, r, "generation");
	return last;
}

/* The shipped calibration's posterior, scenarios/posteriors/japan_2017.csv,
 * is read against japan_2017 (its settings and ranges) and runs; its
 * final generation has 200 particles (README "How well it fits"). */
static void test_shipped_posterior(void **state)
{
	struct fixture *fx = *state;
	struct csv t;
	e2e_csv_load(&t, SOURCE_DIR "/scenarios/posteriors", "japan_2017.csv");
	double last = final_generation(&t);
	size_t n = 0;
	for (size_t r = 0; r < t.nrows; r++)
		n += e2e_at_num(&t, r, "generation") == last;
	assert_int_equal(n, 200);
	e2e_csv_free(&t);
	struct ts_proc p;
	run_ok(fx, &p, "1", "shipped", "--posterior",
	       SOURCE_DIR "/scenarios/posteriors/japan_2017.csv");
	e2e_proc_free(&p);
}

/* The shipped values are the shipped posterior's particle of smallest
 * distance in its final generation (README "How well it fits"): every
 * calibrated setting of japan_2017 (`describe --kind calibrated`, which
 * lists exactly the posterior's scenario settings, not the observation
 * model's weights) holds it rounded to 4 digits, within half a unit of
 * the 4th digit, and names the particle and the file. */
static void test_shipped_values(void **state)
{
	struct fixture *fx = *state;
	struct csv t;
	e2e_csv_load(&t, SOURCE_DIR "/scenarios/posteriors", "japan_2017.csv");
	size_t best = 0;
	double last = final_generation(&t), dist = INFINITY;
	for (size_t r = 0; r < t.nrows; r++)
		if (e2e_at_num(&t, r, "generation") == last &&
		    e2e_at_num(&t, r, "distance") < dist) {
			dist = e2e_at_num(&t, r, "distance");
			best = r;
		}
	char tag[128];
	snprintf(tag, sizeof tag,
		 "calibrated: generation %.0f particle %.0f of "
		 "scenarios/posteriors/japan_2017.csv",
		 last, e2e_at_num(&t, best, "particle"));
	struct ts_proc p;
	e2e_run(fx, &p, "describe", "japan_2017", "--kind", "calibrated", NULL);
	e2e_assert_exit(&p, 0);
	int settings = 0, listed = 0;
	for (size_t c = 0; c < t.ncols; c++) {
		const char *name = t.cell[c];
		if (!strchr(name, '.') || !strncmp(name, "observe.", 8))
			continue;
		settings++;
		size_t len = strlen(name);
		const char *at = p.out;
		while ((at = strstr(at, name)) &&
		       !((at == p.out || at[-1] == '\n') && at[len] == ' '))
			at += len;
		if (!at)
			fail_msg("describe lists no calibrated %s", name);
		double v = strtod(strchr(at, '=') + 1, NULL);
		double want = e2e_at_num(&t, best, name);
		if (fabs(v - want) > 5e-4 * fabs(want))
			fail_msg("%s = %g, the particle's %g", name, v, want);
		const char *eol = strchr(at, '\n');
		const char *hit = strstr(at, tag);
		assert_true(hit && (!eol || hit < eol));
	}
	for (const char *l = p.out; l && *l; l = strchr(l, '\n')) {
		l += *l == '\n';
		listed += *l && *l != '#';
	}
	assert_int_equal(settings, 6);
	assert_int_equal(listed, settings);
	e2e_proc_free(&p);
	e2e_csv_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_applies_particle,
						e2e_setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_frequencies, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_compare_pairs, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_layer_order, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_layer_refused, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_overrides_win, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_sweep_keeps_override,
						e2e_setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_posterior,
						e2e_setup, e2e_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_values, e2e_setup,
						e2e_teardown),
		cmocka_unit_test_setup_teardown(test_particle_breaks_rule,
						e2e_setup, e2e_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
