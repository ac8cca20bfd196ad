/* What the tests of sweeps share: see sweep_fixture.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "load/scenario.h"
#include "sweep_fixture.h"

char sw_tmp[256];

const char *const sw_sixteen[16][2] = {
	{"won.share_rate", "0.3"},
	{"detection.hunt_rate", "0.1"},
	{"detection.indicator_yield", "0.3"},
	{"won.maturity", "0.3"},
	{"wog.maturity", "0.3"},
	{"wos.maturity", "0.3"},
	{"segments.gov.count", "40"},
	{"segments.firms.count", "300"},
	{"segments.firms.hygiene_mean", "0.3"},
	{"attackers.apt.campaigns_per_year", "10"},
	{"attackers.apt.attempts_per_day", "100"},
	{"attackers.apt.success_prob", "0.01"},
	{"attackers.crime.campaigns_per_year", "40"},
	{"attackers.crime.attempts_per_day", "2000"},
	{"attackers.crime.success_prob", "1e-4"},
	{"attackers.crime.ransom_days_mean", "4"},
};

/* The shared small world, with a default experiment. */
static const char sweep_block[] =
	"sweep = { vary = ( \"won.share_rate=0.2,0.8\" ); reps = 3; };\n";

/* The stderr of the child that ended last. */
static char *last_err;

void sw_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

int sw_setup(void **state)
{
	(void)state;
	if (ts_make_tmpdir(sw_tmp, sizeof sw_tmp, "cyberdef-sweep"))
		return -1;
	char path[300];
	sw_path(path, "small.cfg");
	char *text = malloc(strlen(ts_small_scenario) + sizeof sweep_block);
	assert_non_null(text);
	strcpy(text, ts_small_scenario);
	strcat(text, sweep_block);
	sw_write_file(path, text);
	free(text);
	return 0;
}

int sw_teardown(void **state)
{
	(void)state;
	free(last_err);
	last_err = NULL;
	return ts_rm_rf(sw_tmp);
}

const char *sw_path(char *buf, const char *name)
{
	ts_path_join(buf, 300, sw_tmp, name);
	return buf;
}

/* ---- the program ------------------------------------------------------ */

void sw_start_as(struct ts_proc *p, const struct ts_spawn *o,
		 const char *const *args, double timeout)
{
	const char *argv[64] = {CYBERDEF_BIN};
	int n = 1;
	for (; args[n - 1]; n++) {
		assert_true(n < 63);
		argv[n] = args[n - 1];
	}
	argv[n] = NULL;
	struct ts_spawn with = {.timeout_s = timeout};
	if (o) {
		with = *o;
		if (!(with.timeout_s > 0))
			with.timeout_s = timeout;
	}
	ts_start(p, &with, argv);
}

void sw_start(struct ts_proc *p, const char *const *args, double timeout)
{
	sw_start_as(p, NULL, args, timeout);
}

int sw_finish(struct ts_proc *p)
{
	ts_finish(p);
	free(last_err);
	last_err = strdup(p->err);
	assert_non_null(last_err);
	int rc = p->exited ? p->status : 128 + p->status;
	ts_proc_free(p);
	return rc;
}

int sw_run_within(const char *const *args, double secs)
{
	struct ts_proc p;
	sw_start(&p, args, secs);
	return sw_finish(&p);
}

int sw_run(const char *const *args)
{
	return sw_run_within(args, 120);
}

const char *sw_stderr(void)
{
	assert_non_null(last_err);
	return last_err;
}

void sw_assert_stderr_has(const char *text)
{
	const char *err = sw_stderr();
	if (!strstr(err, text))
		fprintf(stderr, "stderr lacks \"%s\":\n%s\n", text, err);
	assert_non_null(strstr(err, text));
}

/* ---- outputs and inputs ----------------------------------------------- */

int sw_column(const char *path, const char *name, double *out, int max)
{
	char *text = ts_slurp(path, NULL);
	assert_non_null(text);
	char *save = NULL, *line = strtok_r(text, "\n", &save);
	int col = -1, k = 0, n = 0;
	for (char *f = line, *e; f; f = e ? e + 1 : NULL, k++) {
		e = strchr(f, ',');
		size_t len = e ? (size_t)(e - f) : strcspn(f, "\r");
		if (strlen(name) == len && !strncmp(f, name, len))
			col = k;
	}
	assert_true(col >= 0);
	while ((line = strtok_r(NULL, "\n", &save)) && n < max) {
		char *f = line;
		for (int j = 0; j < col; j++)
			f = strchr(f, ',') + 1;
		out[n++] = *f == ',' || *f == '\r' ? NAN : strtod(f, NULL);
	}
	free(text);
	return n;
}

void sw_assert_same_outputs(const char *a, const char *b)
{
	const char *files[] = {"runs.csv", "points.csv",
			       "timeseries_points.csv"};
	for (int k = 0; k < 3; k++) {
		char x[2600], y[2600];
		ts_path_join(x, sizeof x, a, files[k]);
		ts_path_join(y, sizeof y, b, files[k]);
		ts_assert_same_file(x, y);
	}
}

struct cd_scenario *sw_small_world(void)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc = scenario_load_string(&sc, "small.cfg", ts_small_scenario, NULL,
				      0, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	return sc;
}

void sw_add(struct sw_text *t, const char *s)
{
	size_t k = strlen(s);
	if (t->n + k + 1 > t->cap) {
		t->cap = 2 * (t->n + k + 1);
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->n, s, k + 1);
	t->n += k;
}

char *sw_rows_design(int n, size_t *len)
{
	struct sw_text t = {0};
	sw_add(&t, "won.share_rate\n");
	for (int r = 0; r < n; r++)
		sw_add(&t, r == n - 1 ? "0.25\n" : "0.5\n");
	*len = t.n;
	return t.s;
}

/* ---- time and interruptions ------------------------------------------- */

double sw_seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

void sw_wait_for_file(const char *path, off_t size)
{
	struct stat st;
	struct timespec ms = {0, 500000};
	for (int t = 0; t < 40000; t++) {
		if (stat(path, &st) == 0 && st.st_size >= size)
			return;
		nanosleep(&ms, NULL);
	}
	fail_msg("%s did not appear", path);
}

size_t sw_interrupted_sweep(const char *const *args, const char *out,
			    int records)
{
	char manifest[400], journal[400];
	snprintf(manifest, sizeof manifest, "%s/.sweep/manifest.txt", out);
	snprintf(journal, sizeof journal, "%s/.sweep/journal.bin", out);
	struct ts_proc p;
	sw_start(&p, args, 120);
	sw_wait_for_file(manifest, 1);
	char *m = ts_slurp(manifest, NULL);
	const char *r = strstr(m, "\nrecord=");
	assert_non_null(r);
	size_t record = (size_t)strtoull(r + 8, NULL, 10);
	free(m);
	if (records)
		sw_wait_for_file(journal,
				 (off_t)(25 + (size_t)records * record));
	kill(p.pid, SIGINT);
	assert_int_equal(sw_finish(&p), 128 + SIGINT);
	return record;
}
