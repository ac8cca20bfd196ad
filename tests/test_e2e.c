/* End-to-end tests of the cyberdef program: what a run writes. The built
 * binary runs in a fresh temporary directory per test (tests/e2e.h), with
 * stdout, stderr and the exit status captured, and its output files are
 * read back.
 *
 * Covered: byte-identical output for the same seed, in any directory, and
 * different output for another seed; the metadata record (seeds beyond
 * 2^63, overrides, the scenario's hash, the files it lists with their
 * SHA-256, text that is not UTF-8); the built-in default equal to
 * scenarios/japan_2017.cfg; help, version, columns, list and unknown
 * commands. The invariants across the output files are in
 * test_e2e_invariants.c, bad input in test_e2e_input.c, output that cannot
 * be written and runs that are stopped in test_e2e_stop.c.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/digest.h"
#include "e2e.h"

#ifndef SOURCE_DIR
#error "SOURCE_DIR must name the repository root (see tests/CMakeLists.txt)"
#endif

#define JAPAN_2017 SOURCE_DIR "/scenarios/japan_2017.cfg"
/* A smaller Japan (36,000 SMEs), for runs that need not be national. */
#define SAMPLE SOURCE_DIR "/tests/fixtures/japan_sample.cfg"

/* Ten days of fifty organisations. */
static const char tiny_cfg[] =
	"days = 10; warmup_days = 0;\n"
	"segments = { firms = { kind = \"corporation\"; count = 50; }; };\n"
	"attackers = { crooks = { type = \"criminal\"; objective = "
	"\"extortion\"; targets = { firms = 1.0; }; }; };\n";

/* ---- metadata.json ------------------------------------------------------ */

/* Summary row minus the leading seed column. */
static const char *summary_without_seed(const char *text)
{
	const char *row = strstr(text, "\r\n");
	assert_non_null(row);
	const char *comma = strchr(row + 2, ',');
	assert_non_null(comma);
	return comma;
}

/* metadata.json of work/dir, parsed strictly (jansson refuses invalid
 * UTF-8 and malformed JSON, so loading it is itself a check). */
static json_t *load_metadata(const struct fixture *fx, const char *dir)
{
	char rel[PATH_MAX / 2], path[PATH_MAX];
	snprintf(rel, sizeof rel, "%s/metadata.json", dir);
	ts_path_join(path, sizeof path, fx->work, rel);
	json_error_t err;
	json_t *m = json_load_file(path, 0, &err);
	if (!m)
		fail_msg("%s is not valid JSON: line %d: %s", path, err.line,
			 err.text);
	return m;
}

static const char *member_text(const json_t *m, const char *name)
{
	const char *v = json_string_value(json_object_get(m, name));
	if (!v)
		fail_msg("metadata.json has no string member %s", name);
	return v;
}

/* The overrides list joined by ";". */
static void overrides_text(const json_t *m, char *buf, size_t size)
{
	const json_t *o = json_object_get(m, "overrides");
	assert_true(json_is_array(o));
	size_t used = 0, i;
	const json_t *v;
	buf[0] = '\0';
	json_array_foreach(o, i, v) used +=
		(size_t)snprintf(buf + used, size - used, "%s%s", i ? ";" : "",
				 json_string_value(v));
}

/* Every file metadata.json lists has the SHA-256 and size it says. */
static void assert_files_listed(const struct fixture *fx, const char *dir,
				const json_t *m)
{
	const char *const *want = e2e_csv_files;
	const json_t *files = json_object_get(m, "files");
	assert_int_equal(json_array_size(files), E2E_CSV_FILES);
	for (size_t i = 0; i < E2E_CSV_FILES; i++) {
		const json_t *f = json_array_get(files, i);
		assert_string_equal(member_text(f, "name"), want[i]);
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s/%s", dir, want[i]);
		size_t len;
		char *text = e2e_slurp_in(fx->work, rel, &len);
		char hex[CD_SHA256_HEX];
		cd_sha256_hex(text, len, hex);
		assert_string_equal(member_text(f, "sha256"), hex);
		assert_int_equal(
			json_integer_value(json_object_get(f, "bytes")),
			(json_int_t)len);
		e2e_free(text);
	}
}

/* ---- determinism -------------------------------------------------------- */

static void test_same_seed_same_bytes(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_run(fx, &p, "run", SAMPLE, "--seed", "7", "--out", "a", "--quiet",
		NULL);
	e2e_assert_exit(&p, 0);
	assert_string_equal(p.out, ""); /* --quiet */
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", SAMPLE, "--seed", "7", "--out", "b", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "wrote b/");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", SAMPLE, "--seed", "8", "--out", "c", "--quiet",
		NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);

	e2e_assert_same_run(fx, "a", "b", "seed 7 twice");
	char pa[PATH_MAX], pc[PATH_MAX];
	/* Another seed gives other results (the summary minus its seed
	 * column, or the incidents). */
	e2e_out_path(fx, pa, sizeof pa, "a", "incidents.csv");
	e2e_out_path(fx, pc, sizeof pc, "c", "incidents.csv");
	int incidents_same = ts_same_bytes(pa, pc);
	char *sa = e2e_slurp_in(fx->work, "a/summary.csv", NULL);
	char *sc = e2e_slurp_in(fx->work, "c/summary.csv", NULL);
	int summary_same =
		!strcmp(summary_without_seed(sa), summary_without_seed(sc));
	assert_false(incidents_same && summary_same);
	assert_true(!strncmp(strstr(sa, "\r\n") + 2, "7,", 2));
	assert_true(!strncmp(strstr(sc, "\r\n") + 2, "8,", 2));
	e2e_free(sa);
	e2e_free(sc);
}

/* The same seed in another directory, from another working directory:
 * the output does not depend on where it is written. */
static void test_same_seed_other_dir(void **state)
{
	struct fixture *fx = *state;
	struct fixture other;
	char root[PATH_MAX];
	ts_path_join(root, sizeof root, fx->root, "other");
	e2e_fixture_at(&other, root);
	struct ts_proc p;
	e2e_run(fx, &p, "run", SAMPLE, "--seed", "7", "--out", "a", "--quiet",
		NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_run(&other, &p, "run", SAMPLE, "--seed", "7", "--out", "deeper/x/a",
		"--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	char deeper[PATH_MAX];
	ts_path_join(deeper, sizeof deeper, "../other/work", "deeper/x/a");
	e2e_assert_same_run(fx, "a", deeper, "seed 7 in two directories");
}

static int is_sha256_hex(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* The scenario hash of the built-in default, from a run of it. */
static void builtin_hash(const struct fixture *fx, char *hash, size_t size)
{
	struct ts_proc p;
	e2e_run(fx, &p, "run", "--days", "2", "--out", "b", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	json_t *m = load_metadata(fx, "b");
	snprintf(hash, size, "%s", member_text(m, "scenario_sha256"));
	json_decref(m);
	if (!is_sha256_hex(hash))
		fail_msg("scenario_sha256 is not 64 hex digits: %s", hash);
}

/* Seeds beyond 2^63 as decimal strings, the overrides in order (days
 * among them), the version, and every file with its SHA-256 and size. */
static void test_metadata(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_run(fx, &p, "run", "--seed", "12345678901234567890", "--set",
		"won.share_rate=0.647", "--days", "40", "--set",
		"detection.hunt_rate=0.2", "--out", "m", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	json_t *m = load_metadata(fx, "m");
	char v[512];
	assert_string_equal(member_text(m, "seed"), "12345678901234567890");
	overrides_text(m, v, sizeof v);
	assert_string_equal(v, "won.share_rate=0.647;days=40;"
			       "detection.hunt_rate=0.2");
	assert_int_equal(json_integer_value(json_object_get(m, "days")), 40);
	assert_string_equal(member_text(m, "version"), "0.1.0");
	assert_true(is_sha256_hex(member_text(m, "scenario_sha256")));
	assert_files_listed(fx, "m", m);
	json_decref(m);
}

/* The file gives the built-in copy's hash; another scenario another one.
 * No override but --days: the list holds days alone; none: it is empty,
 * and the seed is the default, 1. */
static void test_metadata_hash(void **state)
{
	struct fixture *fx = *state;
	char builtin[80], v[512];
	builtin_hash(fx, builtin, sizeof builtin);
	struct ts_proc p;
	e2e_run(fx, &p, "run", JAPAN_2017, "--days", "5", "--out", "f",
		"--quiet", "--seed", "18446744073709551615", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	json_t *m = load_metadata(fx, "f");
	assert_string_equal(member_text(m, "scenario_sha256"), builtin);
	assert_string_equal(member_text(m, "seed"), "18446744073709551615");
	overrides_text(m, v, sizeof v);
	assert_string_equal(v, "days=5");
	json_decref(m);
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	e2e_run(fx, &p, "run", "tiny.cfg", "--out", "t", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	m = load_metadata(fx, "t");
	assert_true(is_sha256_hex(member_text(m, "scenario_sha256")));
	assert_string_not_equal(member_text(m, "scenario_sha256"), builtin);
	assert_string_equal(member_text(m, "seed"), "1");
	overrides_text(m, v, sizeof v);
	assert_string_equal(v, "");
	json_decref(m);
}

/* --outputs writes the files chosen and metadata.json, which lists them
 * alone; the set's other files, an earlier run's, go once the new set is
 * committed. What is written is what a full run writes. */
static void test_outputs_chosen(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_write(fx->work, "tiny.cfg", tiny_cfg);
	e2e_run(fx, &p, "run", "tiny.cfg", "--out", "all", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", "tiny.cfg", "--out", "some", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", "tiny.cfg", "--out", "some", "--quiet",
		"--outputs", "summary,incidents", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	char dir[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, "some");
	ts_assert_entries(dir, 3);
	json_t *m = load_metadata(fx, "some");
	const json_t *files = json_object_get(m, "files");
	assert_int_equal(json_array_size(files), 2);
	assert_string_equal(member_text(json_array_get(files, 0), "name"),
			    "incidents.csv");
	assert_string_equal(member_text(json_array_get(files, 1), "name"),
			    "summary.csv");
	json_decref(m);
	static const char *const same[] = {"incidents.csv", "summary.csv"};
	for (size_t k = 0; k < 2; k++) {
		char a[64], b[64];
		snprintf(a, sizeof a, "all/%s", same[k]);
		snprintf(b, sizeof b, "some/%s", same[k]);
		size_t la, lb;
		char *x = e2e_slurp_in(fx->work, a, &la);
		char *y = e2e_slurp_in(fx->work, b, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(x, y, la);
		e2e_free(x);
		e2e_free(y);
	}
	e2e_run(fx, &p, "run", "tiny.cfg", "--out", "bad", "--outputs",
		"summary,charts", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err,
			    "--outputs: allowed: a comma-separated list");
	e2e_proc_free(&p);
}

/* A path and a description that are not UTF-8 still give valid JSON:
 * each invalid byte becomes U+FFFD (json.h). */
static void test_metadata_not_utf8(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "caf\xe9.cfg",
		  "description = \"bad \xff\xfe bytes \xc3\";\n"
		  "days = 3; warmup_days = 0;\n"
		  "segments = { firms = { kind = \"corporation\"; count = "
		  "5; }; };\n"
		  "attackers = { crooks = { type = \"criminal\"; objective = "
		  "\"extortion\"; targets = { firms = 1.0; }; }; };\n");
	struct ts_proc p;
	e2e_run(fx, &p, "run", "caf\xe9.cfg", "--out", "u", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	json_t *m = load_metadata(fx, "u");
	assert_string_equal(member_text(m, "scenario"), "caf\xef\xbf\xbd.cfg");
	assert_string_equal(member_text(m, "description"),
			    "bad \xef\xbf\xbd\xef\xbf\xbd bytes "
			    "\xef\xbf\xbd");
	json_decref(m);
}

/* ---- the built-in default is scenarios/japan_2017.cfg ------------------- */

static void test_default_is_japan_2017(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_run(fx, &p, "run", "--seed", "3", "--days", "30", "--out",
		"builtin", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", JAPAN_2017, "--seed", "3", "--days", "30",
		"--out", "file", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_assert_same_run(fx, "builtin", "file",
			    "built-in default and " JAPAN_2017);
}

/* Timeline events that set what is already in force, on day 0 and later
 * (stage maturities, an attacker's rate, a derived share rate set
 * explicitly, the workforce's training): every CSV of the national run
 * stays byte for byte the same, warm-up and all. Events never cost or add
 * a chance of detection. */
static const char idle_cfg[] =
	"@include \"" JAPAN_2017 "\"\n"
	"timeline = (\n"
	"  { day = 0; set = { won = { maturity = 0.3; }; }; },\n"
	"  { day = 12; set = { wog = { maturity = 0.5; };\n"
	"    attackers = { fraud = { campaigns_per_year = 120.0; }; }; }; },\n"
	"  { day = 25; set = { segments = { sme = { share_rate = 0.498; }; };\n"
	"    wos = { maturity = 0.6; }; }; },\n"
	"  { day = 40; set = { workforce = { training_per_month = 500.0; };\n"
	"    detection = { hunt_rate = 0.1; }; }; }\n"
	");\n";

static void test_idle_timeline_same_bytes(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "idle.cfg", idle_cfg);
	struct ts_proc p;
	e2e_run(fx, &p, "run", JAPAN_2017, "--seed", "5", "--days", "60",
		"--out", "plain", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", "idle.cfg", "--seed", "5", "--days", "60",
		"--out", "idle", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_assert_same_run(fx, "plain", "idle",
			    JAPAN_2017 " with and without an idle timeline");
}

/* ---- help, version, commands -------------------------------------------- */

static void test_help_version_commands(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_run(fx, &p, "--help", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "usage: cyberdef COMMAND");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "-h", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "usage: cyberdef COMMAND");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", "--help", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "usage: cyberdef run");
	e2e_assert_contains(p.out, "--seed");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "--version", NULL);
	e2e_assert_exit(&p, 0);
	assert_string_equal(p.out, "cyberdef 0.1.0\n");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "frobnicate", NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "unknown command frobnicate");
	e2e_proc_free(&p);
	e2e_run(fx, &p, NULL);
	e2e_assert_exit(&p, 2);
	e2e_assert_contains(p.err, "usage: cyberdef COMMAND");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "columns", NULL);
	e2e_assert_exit(&p, 0);
	e2e_assert_contains(p.out, "timeseries.csv");
	e2e_assert_contains(p.out, "| `dwell_days` |");
	/* README's Outputs tables are its output, verbatim. */
	size_t len;
	char *readme = ts_slurp(SOURCE_DIR "/README.md", &len);
	assert_non_null(readme);
	if (!strstr(readme, p.out))
		fail_msg("README.md does not hold `cyberdef columns` verbatim");
	free(readme);
	e2e_proc_free(&p);
	/* Help and version write nothing to the working directory. */
	ts_assert_entries(fx->work, 0);
}

/* `list` names every scenario in scenarios/ (not the parts in common/). */
static void test_list(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	e2e_run(fx, &p, "list", NULL);
	e2e_assert_exit(&p, 0);
	assert_true(!strncmp(p.out, "japan_2017.cfg ", 15) ||
		    strstr(p.out, "\njapan_2017.cfg "));
	e2e_assert_contains(p.out, "Japan 2017");
	DIR *d = opendir(SOURCE_DIR "/scenarios");
	assert_non_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".cfg"))
			continue;
		e2e_assert_contains(p.out, e->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 1);
	assert_null(strstr(p.out, "common/"));
	e2e_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, e2e_setup, e2e_teardown)
		T(test_same_seed_same_bytes),
		T(test_same_seed_other_dir),
		T(test_metadata),
		T(test_metadata_hash),
		T(test_metadata_not_utf8),
		T(test_outputs_chosen),
		T(test_default_is_japan_2017),
		T(test_idle_timeline_same_bytes),
		T(test_help_version_commands),
		T(test_list),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
