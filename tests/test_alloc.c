/* Allocation failures, injected (tests/alloc.h): every allocation that
 * cyberdef's own code makes in a representative operation is made to fail
 * in turn, k = 1..N, N being what the operation allocates when nothing
 * fails; then every allocation from the k-th on. Each time the operation
 * must return CD_ENOMEM (or succeed, when the failure was absorbed, with
 * the result it gives when nothing fails), never crash, and leave no block
 * allocated (alloc_live; the asan preset and valgrind check it again).
 *
 * The operations, on small scenarios: loading a scenario (with an
 * @include, a timeline, bodies and links, and --set texts) and the
 * built-in default (with its built-in parts); creating a
 * world and simulating days with footholds, sharing, partners abroad,
 * timeline events, crisis and workforce, and one of more active campaigns
 * than the attempt phase keeps on its stack; cd_run; summary_compute; the
 * output files of a run into a directory holding an earlier set (which
 * must stay whole); csv_table_parse; a sweep design; the cd_json helpers;
 * an output directory's lock, a set of files with its manifest, and its
 * verification (where jansson's parser may also report out of memory as
 * bad input: alloc.h); cd_file_read; cd_mkdir_p; the statistics that
 * allocate; and the sensitivity estimators' bootstrap scratch. Allocations
 * inside GSL, libconfig and libc are out of reach and out of scope.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "alloc.h"
#include "analysis/csv.h"
#include "analysis/csvread.h"
#include "analysis/design.h"
#include "analysis/gsa.h"
#include "analysis/json.h"
#include "analysis/outdir.h"
#include "analysis/output.h"
#include "analysis/run.h"
#include "analysis/stats.h"
#include "core/fileio.h"
#include "core/status.h"
#include "load/scenario.h"
#include "support.h"
#include "world/world.h"

/* Two segments, two attackers (an extortion campaign's ransom reveals),
 * a government body, a national one and a partner abroad, linked; a
 * timeline that changes memberships and indicators; crisis and
 * workforce. About 60 footholds in 40 days. */
static const char world_cfg[] =
	"days = 40; warmup_days = 0;\n"
	"@include \"part.cfg\"\n"
	"attackers = {\n"
	"  apt = { type = \"state\"; objective = \"espionage\";\n"
	"    campaigns_per_year = 150.0; attempts_per_day = 40.0;\n"
	"    success_prob = 0.05; targets = { gov = 5.0; firms = 1.0; }; };\n"
	"  crime = { type = \"criminal\"; objective = \"extortion\";\n"
	"    campaigns_per_year = 250.0; attempts_per_day = 100.0;\n"
	"    success_prob = 0.02; impact_days_mean = 1.0; demands_ransom = "
	"true;\n"
	"    targets = { firms = 1.0; }; };\n"
	"};\n"
	"bodies = {\n"
	"  nisc = { kind = \"government\"; members = { gov = 1.0; }; };\n"
	"  cert = { kind = \"national\"; reach = 0.8;\n"
	"    members = { firms = 0.7; }; };\n"
	"  us = { kind = \"partner\"; sees_abroad = 0.8; abroad_days = 2.0; "
	"};\n"
	"};\n"
	"links = {\n"
	"  a = { from = \"nisc\"; to = \"cert\"; };\n"
	"  b = { from = \"us\"; to = \"cert\"; };\n"
	"  c = { from = \"cert\"; to = \"us\"; };\n"
	"};\n"
	"detection = { internal_rate = 0.1; indicator_yield = 0.3;\n"
	"  containment_days = 3.0; };\n"
	"wos = { partner_inflow = 1.0; };\n"
	"workforce = { enabled = true; };\n"
	"crisis = { enabled = true; threshold = 2.0; };\n"
	"timeline = (\n"
	"  { day = 6; set = { bodies = { cert = { members = {\n"
	"      firms = 1.0; }; }; }; }; },\n"
	"  { day = 9; set = { detection = { indicator_yield = 0.5; }; }; }\n"
	");\n";

static const char part_cfg[] =
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 30; hygiene_mean = 0.2;\n"
	"    monitoring_mean = 0.9; trained_ratio = 1.0; share_rate = 1.0; };\n"
	"  firms = { kind = \"corporation\"; count = 300; hygiene_mean = 0.1;\n"
	"    monitoring_mean = 0.8; share_rate = 1.0; };\n"
	"};\n";

static const char *const world_sets[] = {"won.maturity=0.4",
					 "segments.firms.count=250"};

static char dir[PATH_MAX];		/* this run's directory */
static char cfg_path[PATH_MAX + 16];	/* dir/world.cfg */
static struct cd_scenario *sc;		/* world_cfg, loaded */
static struct cd_scenario *brief;	/* the same, for 10 days */
static struct cd_summary brief_summary; /* of brief at seed 3 */
static struct cd_summary baseline;	/* of sc at seed 3 */
static size_t baseline_footholds;	/* the same run's */
static long absorbed, failures, tried;	/* over every operation */

/* ---- the driver ----------------------------------------------------------
 */

/* An operation under test: returns 0 or a status, having freed all it
 * allocated; `check` (may be NULL) then tells whether a success gave the
 * result it gives when nothing fails, and `kept` (may be NULL) whether a
 * failure left things as they were. Both return 0 if so. */
struct op {
	const char *name;
	int (*run)(void);
	int (*check)(void);
	int (*kept)(void);
	int also; /* a status allowed besides CD_ENOMEM (0: none) */
};

static int run_armed(const struct op *op, long k, int persist)
{
	alloc_arm(k, persist);
	int rc = op->run();
	alloc_disarm();
	return rc;
}

/* Runs op with allocation k failing (and every later one if persist),
 * and judges the outcome. */
static void try_failing(const struct op *op, long k, int persist)
{
	int rc = run_armed(op, k, persist);
	char site[1200];
	alloc_site(site, sizeof site);
	const char *after = persist ? " and after" : "";
	tried++;
	if (alloc_live())
		fail_msg("%s, allocation %ld failing%s (made from %s): %zu "
			 "block(s) left allocated",
			 op->name, k, after, site, alloc_live());
	if (!alloc_failed())
		fail_msg("%s: allocation %ld never made (allocations differ "
			 "from run to run)",
			 op->name, k);
	failures++;
	if (rc == 0) {
		absorbed++;
		if (op->check && op->check())
			fail_msg("%s, allocation %ld failing%s (made from %s): "
				 "success, but not the result of a run with "
				 "memory",
				 op->name, k, after, site);
		return;
	}
	if (rc != CD_ENOMEM && !(op->also && rc == op->also))
		fail_msg("%s, allocation %ld failing%s (made from %s): "
			 "status %d (%s), want CD_ENOMEM",
			 op->name, k, after, site, rc, cd_strerror(rc));
	if (op->kept && op->kept())
		fail_msg("%s, allocation %ld failing%s (made from %s): the "
			 "failure changed what was there before",
			 op->name, k, after, site);
}

/* Fails every allocation of op in turn, then every one from k on. */
static void inject_each(const struct op *op)
{
	int rc = run_armed(op, 0, 0);
	long n = alloc_count(), was = absorbed;
	if (rc)
		fail_msg("%s fails without injection: %s", op->name,
			 cd_strerror(rc));
	if (alloc_live())
		fail_msg("%s leaves %zu block(s) without injection", op->name,
			 alloc_live());
	if (op->check)
		assert_int_equal(op->check(), 0);
	if (n == 0)
		fail_msg("%s allocates nothing: nothing to inject", op->name);
	for (long k = 1; k <= n; k++)
		try_failing(op, k, 0);
	for (long k = 1; k <= n; k++)
		try_failing(op, k, 1);
	print_message("  %s: %ld allocations, each failed alone and with all "
		      "after it; %ld failure(s) absorbed\n",
		      op->name, n, absorbed - was);
}

/* ---- scenarios, worlds and runs ------------------------------------------ */

static int op_load(void)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d;
	int rc = scenario_load_string(&s, cfg_path, world_cfg, world_sets, 2,
				      &d);
	scenario_destroy(s);
	return rc;
}

/* The loaded scenario is the one loaded with memory to spare. */
static int check_load(void)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d;
	if (scenario_load_string(&s, cfg_path, world_cfg, world_sets, 2, &d))
		return -1;
	int same = !memcmp(&s->p, &sc->p, sizeof s->p) &&
		   s->timeline.n_events == sc->timeline.n_events &&
		   !strcmp(s->hash, sc->hash);
	scenario_destroy(s);
	return same ? 0 : -1;
}

/* The built-in default, japan_2017, whose parts are built in too. */
static int op_builtin(void)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d;
	int rc = scenario_open(&s, NULL, NULL, 0, &d);
	scenario_destroy(s);
	return rc;
}

static size_t world_footholds;

static int op_world(void)
{
	sim_world *w = NULL;
	int rc = sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 3);
	for (int d = 0; !rc && d < sc->p.days; d++)
		rc = sim_world_step(w);
	if (!rc) {
		const struct cd_foothold *f;
		world_footholds = sim_world_footholds(w, &f);
	}
	sim_world_destroy(w);
	return rc;
}

static int check_world(void)
{
	return world_footholds == baseline_footholds ? 0 : -1;
}

/* Four days of a hundred campaigns a day that last a month: more active
 * campaigns than the attempt phase keeps on its stack. */
static const char crowd_cfg[] =
	"days = 4; warmup_days = 0;\n"
	"segments = { s = { kind = \"corporation\"; count = 100; }; };\n"
	"attackers = { a = { type = \"criminal\"; objective = \"espionage\";\n"
	"  campaigns_per_year = 36500.0; campaign_days = 30.0;\n"
	"  attempts_per_day = 10.0; success_prob = 0.05;\n"
	"  targets = { s = 1.0; }; }; };\n";
static struct cd_scenario *crowd;

static int op_crowd(void)
{
	sim_world *w = NULL;
	int rc = sim_world_create(&w, &crowd->p, crowd->set, &crowd->timeline,
				  5);
	for (int d = 0; !rc && d < crowd->p.days; d++)
		rc = sim_world_step(w);
	if (!rc && sim_world_n_campaigns(w) <= 256)
		rc = CD_EINVAL; /* not the case meant */
	sim_world_destroy(w);
	return rc;
}

static struct cd_summary run_summary;

static int op_run(void)
{
	struct cd_diag d;
	return cd_run(brief, 3, NULL, &run_summary, NULL, &d);
}

static int same_summary(const struct cd_summary *a, const struct cd_summary *b)
{
	for (int k = 0; k < CD_SUMMARY_N; k++)
		if (!(a->v[k] == b->v[k] || (isnan(a->v[k]) && isnan(b->v[k]))))
			return 0;
	return a->seed == b->seed;
}

static int check_run(void)
{
	return same_summary(&run_summary, &brief_summary) ? 0 : -1;
}

static int check_summary(void)
{
	return same_summary(&run_summary, &baseline) ? 0 : -1;
}

static sim_world *done; /* sc run to its horizon at seed 3 */

static int op_summary(void)
{
	return summary_compute(done, 3, &run_summary);
}

/* ---- the output files of a run ------------------------------------------- */

static char out_dir[PATH_MAX + 16]; /* dir/out: the earlier set stays */
static const char *const out_files[] = {"timeseries.csv", "sharing.csv",
					"incidents.csv",  "summary.csv",
					"readiness.csv",  "metadata.json"};
#define N_OUT_FILES (sizeof out_files / sizeof out_files[0])
static char *earlier[N_OUT_FILES];
static size_t earlier_len[N_OUT_FILES];

static int sink_day(void *ctx, const sim_world *w, struct cd_diag *d)
{
	(void)d;
	return output_day(ctx, w);
}

static int op_output(void)
{
	cd_output *o = NULL;
	struct cd_diag d;
	int rc = output_open(&o, out_dir, CD_OUT_ALL, &d);
	if (rc)
		return rc;
	struct cd_run_sink sink = {sink_day, o};
	struct cd_summary s;
	sim_world *w = NULL;
	rc = cd_run(brief, 3, &sink, &s, &w, &d);
	if (rc) {
		output_abort(o);
		return rc;
	}
	struct cd_run_info info = {brief, 3, "cyberdef run (test_alloc)", NULL,
				   0};
	rc = output_finish(o, w, &s, &info, &d);
	sim_world_destroy(w);
	return rc;
}

/* The directory holds exactly the set written with memory to spare (the
 * earlier set after a failed write, the same bytes after a success). */
static int check_output(void)
{
	if (ts_count_entries(out_dir, 0) != (int)N_OUT_FILES)
		return -1;
	for (size_t k = 0; k < N_OUT_FILES; k++) {
		char path[PATH_MAX * 2];
		snprintf(path, sizeof path, "%s/%s", out_dir, out_files[k]);
		size_t len;
		char *text = ts_slurp(path, &len);
		int same = text && len == earlier_len[k] &&
			   !memcmp(text, earlier[k], len);
		free(text);
		if (!same)
			return -1;
	}
	return 0;
}

/* ---- files, CSV, designs, JSON ------------------------------------------- */

static const char csv_text[] = "\xef\xbb\xbfname,value,note\r\n"
			       "a,1,\"with, a comma\"\r\n"
			       "b,2,\"two\nlines\"\n"
			       "\r\n"
			       "c,3,\"\"\"quoted\"\"\"\r\n";

static int op_csv(void)
{
	csv_table t;
	struct cd_diag d;
	int rc = csv_table_parse(&t, "t.csv", csv_text, sizeof csv_text - 1,
				 NULL, &d);
	if (!rc) {
		rc = t.nrows == 3 && t.ncols == 3 &&
				     !strcmp(csv_table_cell(&t, 2, 2),
					     "two\nlines")
			     ? 0
			     : CD_EINVAL;
		csv_table_free(&t);
	}
	return rc;
}

static const char design_text[] = "won.share_rate,detection.hunt_rate\n"
				  "0.1,0.2\n"
				  "0.5,0.3\n"
				  "\"0.9\",0.4\n";

static int op_design(void)
{
	struct cd_design dg;
	struct cd_diag d;
	int rc = cd_design_parse(&dg, "d.csv", design_text,
				 sizeof design_text - 1, &sc->p, &d);
	if (!rc) {
		rc = dg.n_rows == 3 && dg.n_cols == 2 ? 0 : CD_EINVAL;
		cd_design_free(&dg);
	}
	return rc;
}

static int op_json(void)
{
	json_t *root = json_object(), *arr = json_array();
	int ok = root && arr;
	cd_json_append(arr, cd_json_text("caf\xe9 \xff ok"), &ok);
	cd_json_append(arr, cd_json_u64(18446744073709551615ull), &ok);
	cd_json_append(arr, cd_json_text(NULL), &ok);
	if (ok)
		cd_json_set(root, "list", json_incref(arr), &ok);
	cd_json_set(root, "name", cd_json_text("a \"quoted\" name"), &ok);
	int rc = ok ? 0 : CD_ENOMEM;
	if (!rc) {
		char path[PATH_MAX + 16];
		snprintf(path, sizeof path, "%s/j.json", dir);
		FILE *f = fopen(path, "wb");
		rc = f ? cd_json_write(f, root) : CD_EIO;
		if (f && fclose(f) && !rc)
			rc = CD_EIO;
	}
	json_decref(arr);
	json_decref(root);
	return rc;
}

static char set_dir[PATH_MAX + 16]; /* dir/set */

/* A set of two files and its manifest, committed in a locked directory,
 * then each file checked against the manifest. */
static int op_outdir(void)
{
	static const char *const names[] = {"a.csv", "b.csv", "m.json"};
	cd_outdir *od = NULL;
	struct cd_diag d;
	int rc = cd_outdir_open(&od, set_dir, names, 3, &d);
	cd_outfile *f[3] = {NULL, NULL, NULL};
	for (int k = 0; k < 3 && !rc; k++) {
		char path[PATH_MAX * 2];
		snprintf(path, sizeof path, "%s/%s", set_dir, names[k]);
		rc = cd_outfile_open(&f[k], path);
		if (!rc && k < 2)
			fprintf(cd_outfile_stream(f[k]), "x,%d\r\n", k);
	}
	json_t *m = rc ? NULL : json_object();
	if (!rc) {
		int ok = m != NULL;
		if (ok)
			cd_json_set(m, "files", cd_outdir_files_json(f, 2),
				    &ok);
		rc = ok ? cd_json_write(cd_outfile_stream(f[2]), m) : CD_ENOMEM;
	}
	json_decref(m);
	int failed;
	if (!rc)
		rc = cd_outfile_commit_all(f, 3, &failed);
	for (int k = 0; k < 3; k++)
		cd_outfile_abort(f[k]); /* NULL once committed */
	/* Reading the manifest back: op_verify. */
	alloc_jansson(0);
	for (int k = 0; k < 2 && !rc; k++)
		rc = cd_outdir_verify(set_dir, "m.json", names[k], &d);
	alloc_jansson(1);
	cd_outdir_close(od);
	return rc;
}

/* The set of op_outdir checked against its manifest: only jansson
 * allocates, and its parser reports a failure as bad input (alloc.h),
 * which cd_outdir_verify can only take for what it says. */
static int op_verify(void)
{
	struct cd_diag d;
	int rc = cd_outdir_verify(set_dir, "m.json", "a.csv", &d);
	return rc ? rc : cd_outdir_verify(set_dir, "m.json", "b.csv", &d);
}

static char big_path[PATH_MAX + 16]; /* dir/big.txt: 20 kB */

static int op_file_read(void)
{
	char *text;
	size_t len;
	const char *why;
	int rc = cd_file_read(big_path, 1 << 20, &text, &len, &why);
	if (!rc) {
		rc = len == 20000 ? 0 : CD_EIO;
		free(text);
	}
	return rc;
}

static int op_mkdir(void)
{
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/made/a/b", dir);
	return cd_mkdir_p(path);
}

/* stats_mannwhitney_p gives NaN when it cannot allocate (stats.h): the
 * one outcome allowed besides the p-value. */
static double mw_p;

static int op_stats(void)
{
	double a[10], b[10];
	for (int i = 0; i < 10; i++) {
		a[i] = i;
		b[i] = i + 4.5;
	}
	mw_p = stats_mannwhitney_p(a, 10, b, 10);
	return isnan(mw_p) ? CD_ENOMEM : 0;
}

/* The Sobol and Morris estimators' scratch (the design's Sobol
 * generator is GSL's, out of reach). */
static int op_gsa(void)
{
	enum { K = 2, N = 16, R = 4 };
	double x[N * (K + 2) * K], y[N * (K + 2)];
	gsa_estimate s1[K], st[K];
	gsa_morris_index m[K];
	int rc = gsa_saltelli_design(K, N, x);
	for (size_t r = 0; r < N * (K + 2); r++)
		y[r] = x[r * K] + 2 * x[r * K + 1];
	if (!rc)
		rc = gsa_sobol_analyse(K, N, y, 50, 1, s1, st, NULL);
	if (!rc)
		rc = gsa_morris_design(K, R, 4, 1, x);
	for (size_t r = 0; r < R * (K + 1); r++)
		y[r] = x[r * K] * x[r * K + 1];
	return rc ? rc : gsa_morris_analyse(K, R, x, y, 50, 1, m, NULL);
}

/* ---- the tests ----------------------------------------------------------- */

static void test_scenario_load(void **state)
{
	(void)state;
	const struct op op = {.name = "scenario_load_string",
			      .run = op_load,
			      .check = check_load};
	inject_each(&op);
}

static void test_builtin(void **state)
{
	(void)state;
	const struct op op = {.name = "scenario_open (the built-in default)",
			      .run = op_builtin};
	inject_each(&op);
}

static void test_crowd(void **state)
{
	(void)state;
	struct cd_diag d;
	assert_int_equal(scenario_load_string(&crowd, "crowd.cfg", crowd_cfg,
					      NULL, 0, &d),
			 0);
	const struct op op = {.name = "a world of 400 campaigns",
			      .run = op_crowd};
	inject_each(&op);
	scenario_destroy(crowd);
	crowd = NULL;
}

static void test_world(void **state)
{
	(void)state;
	const struct op op = {.name = "sim_world_create and _step",
			      .run = op_world,
			      .check = check_world};
	inject_each(&op);
}

static void test_run(void **state)
{
	(void)state;
	const struct op op = {
		.name = "cd_run", .run = op_run, .check = check_run};
	inject_each(&op);
}

static void test_summary(void **state)
{
	(void)state;
	struct cd_diag d;
	assert_int_equal(cd_run(sc, 3, NULL, &run_summary, &done, &d), 0);
	const struct op op = {.name = "summary_compute",
			      .run = op_summary,
			      .check = check_summary};
	inject_each(&op);
	sim_world_destroy(done);
	done = NULL;
}

static void test_output(void **state)
{
	(void)state;
	assert_int_equal(op_output(), 0); /* the earlier set */
	for (size_t k = 0; k < N_OUT_FILES; k++) {
		char path[PATH_MAX * 2];
		snprintf(path, sizeof path, "%s/%s", out_dir, out_files[k]);
		earlier[k] = ts_slurp(path, &earlier_len[k]);
		assert_non_null(earlier[k]);
	}
	/* A failure leaves the earlier set as it was. */
	const struct op op = {.name = "output_open, _day and _finish",
			      .run = op_output,
			      .check = check_output,
			      .kept = check_output};
	inject_each(&op);
}

static void test_csv_table_parse(void **state)
{
	(void)state;
	const struct op op = {
		.name = "csv_table_parse", .run = op_csv, .check = NULL};
	inject_each(&op);
}

static void test_design(void **state)
{
	(void)state;
	const struct op op = {
		.name = "cd_design_parse", .run = op_design, .check = NULL};
	inject_each(&op);
}

static void test_json(void **state)
{
	(void)state;
	const struct op op = {
		.name = "cd_json helpers", .run = op_json, .check = NULL};
	inject_each(&op);
}

static void test_outdir(void **state)
{
	(void)state;
	const struct op op = {
		.name = "cd_outdir and a set", .run = op_outdir, .check = NULL};
	inject_each(&op);
}

static void test_verify(void **state)
{
	(void)state;
	assert_int_equal(op_outdir(), 0);
	const struct op op = {.name = "cd_outdir_verify",
			      .run = op_verify,
			      .also = CD_EINVAL};
	inject_each(&op);
}

static void test_file_read(void **state)
{
	(void)state;
	const struct op op = {
		.name = "cd_file_read", .run = op_file_read, .check = NULL};
	inject_each(&op);
}

static void test_mkdir_p(void **state)
{
	(void)state;
	const struct op op = {
		.name = "cd_mkdir_p", .run = op_mkdir, .check = NULL};
	inject_each(&op);
}

static void test_stats(void **state)
{
	(void)state;
	const struct op op = {
		.name = "stats_mannwhitney_p", .run = op_stats, .check = NULL};
	inject_each(&op);
}

static void test_gsa(void **state)
{
	(void)state;
	const struct op op = {
		.name = "gsa estimators", .run = op_gsa, .check = NULL};
	inject_each(&op);
}

/* ---- setup --------------------------------------------------------------- */

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static int setup(void **state)
{
	(void)state;
	if (ts_make_tmpdir(dir, sizeof dir, "cyberdef-alloc"))
		return -1;
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/part.cfg", dir);
	write_file(path, part_cfg, sizeof part_cfg - 1);
	snprintf(cfg_path, sizeof cfg_path, "%s/world.cfg", dir);
	snprintf(out_dir, sizeof out_dir, "%s/out", dir);
	snprintf(set_dir, sizeof set_dir, "%s/set", dir);
	snprintf(big_path, sizeof big_path, "%s/big.txt", dir);
	static char big[20000];
	memset(big, 'x', sizeof big);
	write_file(big_path, big, sizeof big);
	struct cd_diag d;
	if (scenario_load_string(&sc, cfg_path, world_cfg, world_sets, 2, &d))
		return -1;
	const char *brief_sets[] = {world_sets[0], world_sets[1], "days=10"};
	if (scenario_load_string(&brief, cfg_path, world_cfg, brief_sets, 3,
				 &d) ||
	    cd_run(brief, 3, NULL, &brief_summary, NULL, &d))
		return -1;
	sim_world *w = NULL;
	if (cd_run(sc, 3, NULL, &baseline, &w, &d))
		return -1;
	const struct cd_foothold *f;
	baseline_footholds = sim_world_footholds(w, &f);
	sim_world_destroy(w);
	return baseline_footholds >= 20 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	print_message("%ld failures injected in %ld runs, %ld absorbed\n",
		      failures, tried, absorbed);
	for (size_t k = 0; k < N_OUT_FILES; k++)
		free(earlier[k]);
	scenario_destroy(sc);
	scenario_destroy(brief);
	return ts_rm_rf(dir);
}

int main(void)
{
	alloc_hook_jansson();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_load),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_world),
		cmocka_unit_test(test_crowd),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_csv_table_parse),
		cmocka_unit_test(test_design),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_outdir),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_file_read),
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_gsa),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
