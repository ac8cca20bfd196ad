/* golden: the project's regression guard on outputs.
 *
 * Runs every built-in scenario at seeds 1, 2 and 3, and one small sweep,
 * and compares the SHA-256 of every output file with the checksums
 * recorded in tests/golden/checksums.txt: CSV files byte for byte, JSON
 * files (metadata.json, the sweep's manifest) as JSON without their
 * "command" member (parsed, "command" deleted, written with sorted keys
 * and no spaces, then hashed). A refactor must keep every checksum; a
 * deliberate change of the model's results regenerates them with
 *
 *   build/release/tests/test_golden --update
 *
 * in the same commit as the change, with the reason in its message. Runs
 * outside valgrind (its floating point differs in the last digits of
 * sweep aggregates): label `golden`.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>

#include "core/digest.h"
#include "support.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program"
#endif
#ifndef SOURCE_DIR
#error "SOURCE_DIR must name the repository root"
#endif

#define CHECKSUMS SOURCE_DIR "/tests/golden/checksums.txt"
#define MAX_LINES 1024

static int update; /* --update: write the checksums instead */

struct sums {
	int n;
	char line[MAX_LINES][200]; /* "LABEL FILE SHA256" */
};

static struct sums got, want;
static char work[512];

/* The digest of a file: its bytes, or for .json its canonical form
 * without "command". */
static void file_digest(const char *path, char hex[CD_SHA256_HEX])
{
	size_t n = strlen(path);
	if (n > 5 && !strcmp(path + n - 5, ".json")) {
		json_error_t e;
		json_t *j = json_load_file(path, 0, &e);
		if (!j)
			fail_msg("%s: not JSON: %s", path, e.text);
		json_object_del(j, "command");
		char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
		assert_non_null(text);
		cd_sha256_hex(text, strlen(text), hex);
		free(text);
		json_decref(j);
		return;
	}
	size_t len;
	char *text = ts_slurp(path, &len);
	if (!text)
		fail_msg("cannot read %s", path);
	cd_sha256_hex(text, len, hex);
	free(text);
}

/* Records the digests of the named files of dir under label. */
static void record(const char *label, const char *dir, const char *const *files)
{
	for (int k = 0; files[k]; k++) {
		char path[1024], hex[CD_SHA256_HEX];
		snprintf(path, sizeof path, "%s/%s", dir, files[k]);
		file_digest(path, hex);
		assert_true(got.n < MAX_LINES);
		snprintf(got.line[got.n++], sizeof got.line[0], "%s %s %s",
			 label, files[k], hex);
	}
}

static void run_program(const char *const *argv)
{
	struct ts_proc p;
	struct ts_spawn o = {.cwd = work, .timeout_s = 300};
	ts_run(&p, &o, argv);
	if (!p.exited || p.status != 0)
		fail_msg("%s %s failed (status %d):\n%s", argv[1], argv[2],
			 p.status, p.err);
	ts_proc_free(&p);
}

static const char *const run_files[] = {"timeseries.csv",
					"sharing.csv",
					"incidents.csv",
					"summary.csv",
					"readiness.csv",
					"metadata.json",
					NULL};

/* Every built-in scenario: the files of scenarios/ (not common/). */
static void test_scenarios(void **state)
{
	(void)state;
	DIR *d = opendir(SOURCE_DIR "/scenarios");
	assert_non_null(d);
	char names[64][128];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len > 4 && !strcmp(e->d_name + len - 4, ".cfg") && n < 64)
			snprintf(names[n++], sizeof names[0], "%.*s",
				 (int)(len - 4), e->d_name);
	}
	closedir(d);
	assert_true(n >= 7); /* the shipped scenarios, at least */
	for (int i = 0; i < n; i++) {
		for (int seed = 1; seed <= 3; seed++) {
			char out[300], s[8], label[200];
			snprintf(out, sizeof out, "%s-%d", names[i], seed);
			snprintf(s, sizeof s, "%d", seed);
			const char *argv[] = {CYBERDEF_BIN, "run",     names[i],
					      "--seed",	    s,	       "--out",
					      out,	    "--quiet", NULL};
			run_program(argv);
			char dir[1024];
			snprintf(dir, sizeof dir, "%s/%s", work, out);
			snprintf(label, sizeof label, "run:%s:seed=%d",
				 names[i], seed);
			record(label, dir, run_files);
		}
	}
}

/* A small sweep over the share rate, two replicates, two jobs. */
static void test_sweep(void **state)
{
	(void)state;
	const char *argv[] = {CYBERDEF_BIN,
			      "sweep",
			      "japan_2017",
			      "--vary",
			      "won.share_rate=0:1:0.5",
			      "--reps",
			      "2",
			      "--set",
			      "days=60",
			      "--jobs",
			      "2",
			      "--quiet",
			      "--out",
			      "sweep",
			      NULL};
	run_program(argv);
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/sweep", work);
	/* The manifest: sweep.json, or metadata.json before it had a name
	 * of its own. */
	char path[1100];
	snprintf(path, sizeof path, "%s/sweep.json", dir);
	struct stat st;
	const char *manifest =
		stat(path, &st) == 0 ? "sweep.json" : "metadata.json";
	const char *files[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv", manifest, NULL};
	record("sweep:share_rate", dir, files);
}

static void load_want(void)
{
	FILE *f = fopen(CHECKSUMS, "r");
	if (!f)
		return;
	char line[sizeof want.line[0]];
	while (fgets(line, sizeof line, f) && want.n < MAX_LINES) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] && line[0] != '#')
			snprintf(want.line[want.n++], sizeof want.line[0], "%s",
				 line);
	}
	fclose(f);
}

/* Compares (or writes) everything recorded. */
static void test_compare(void **state)
{
	(void)state;
	if (update) {
		FILE *f = fopen(CHECKSUMS, "w");
		assert_non_null(f);
		fprintf(f, "# Golden checksums of cyberdef's outputs (see "
			   "tests/test_golden.c).\n# Regenerate only for a "
			   "deliberate change of results:\n#   "
			   "build/release/tests/test_golden --update\n");
		for (int i = 0; i < got.n; i++)
			fprintf(f, "%s\n", got.line[i]);
		assert_int_equal(fclose(f), 0);
		print_message("wrote %d checksums to %s\n", got.n, CHECKSUMS);
		return;
	}
	load_want();
	if (want.n == 0)
		fail_msg("no checksums in %s: record them with --update",
			 CHECKSUMS);
	int bad = 0;
	for (int i = 0; i < got.n; i++) {
		int found = 0;
		for (int j = 0; j < want.n && !found; j++)
			found = !strcmp(got.line[i], want.line[j]);
		if (!found) {
			print_message("changed or new: %s\n", got.line[i]);
			bad++;
		}
	}
	for (int j = 0; j < want.n; j++) {
		int found = 0;
		const char *sp = strrchr(want.line[j], ' ');
		size_t key = sp ? (size_t)(sp - want.line[j]) : 0;
		for (int i = 0; i < got.n && !found; i++)
			found = !strncmp(got.line[i], want.line[j], key + 1);
		if (!found) {
			print_message("missing: %s\n", want.line[j]);
			bad++;
		}
	}
	if (bad)
		fail_msg("%d of %d outputs differ from %s", bad, got.n,
			 CHECKSUMS);
}

static int setup(void **state)
{
	(void)state;
	return ts_make_tmpdir(work, sizeof work, "cyberdef-golden");
}

static int teardown(void **state)
{
	(void)state;
	return ts_rm_rf(work);
}

int main(int argc, char **argv)
{
	update = argc > 1 && !strcmp(argv[1], "--update");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_compare),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
