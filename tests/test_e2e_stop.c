/* End-to-end tests of output that cannot be written and of runs that are
 * stopped: whatever happens, an output directory holds a run's whole set
 * of files, or the earlier set, or nothing, and never a temporary.
 *
 * Covered: output directories that cannot be created (/proc, under a
 * regular file, a regular file) and a file that cannot be renamed into
 * place (exit 1, nothing left); SIGINT into a fresh directory and SIGTERM
 * into one holding an earlier run (test_integrity.c does the other two
 * pairings); a second cyberdef refused while one holds the directory, and
 * leftovers of a killed run removed by the next; and SIGINT in the middle
 * of a long day, which stops the run within a quarter of a second.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */
#define _DEFAULT_SOURCE	  /* flock */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "e2e.h"

/* Three days of twenty organisations. */
static const char tiny_text[] =
	"days = 3; warmup_days = 0;\n"
	"segments = { firms = { kind = \"corporation\"; count = 20; }; };\n"
	"attackers = { crooks = { type = \"criminal\"; objective = "
	"\"extortion\"; targets = { firms = 1.0; }; }; };\n";

/* ---- output that cannot be written --------------------------------------- */

static void test_out_dir_cannot_be_created(void **state)
{
	struct fixture *fx = *state;
	struct ts_proc p;
	struct stat st;
	if (stat("/proc/self", &st) == 0) {
		e2e_run(fx, &p, "run", "--days", "2", "--out",
			"/proc/cyberdef-x", NULL);
		e2e_assert_exit(&p, 1);
		e2e_assert_contains(p.err, "cannot create output directory "
					   "/proc/cyberdef-x");
		assert_false(e2e_exists("/proc/cyberdef-x"));
		e2e_proc_free(&p);
	}

	/* Under a regular file, and the regular file itself. */
	e2e_write(fx->work, "plain", "not a directory\n");
	e2e_run(fx, &p, "run", "--days", "2", "--out", "plain/sub/dir", NULL);
	e2e_assert_exit(&p, 1);
	e2e_assert_contains(p.err, "plain/sub/dir");
	e2e_assert_contains(p.err, "Not a directory");
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", "--days", "2", "--out", "plain", NULL);
	e2e_assert_exit(&p, 1);
	e2e_assert_contains(p.err, "plain");
	e2e_proc_free(&p);
	char *text = e2e_slurp_in(fx->work, "plain", NULL);
	assert_string_equal(text, "not a directory\n");
	e2e_free(text);
	ts_assert_entries(fx->work, 1); /* only "plain" */
}

/* A file that cannot be renamed into place (its final name is a
 * directory): exit 1, and none of the files renamed before it stays. */
static void test_out_file_cannot_be_committed(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], blocker[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, "o");
	ts_path_join(blocker, sizeof blocker, dir, "summary.csv");
	assert_int_equal(mkdir(dir, 0777), 0);
	assert_int_equal(mkdir(blocker, 0777), 0);
	struct ts_proc p;
	e2e_run(fx, &p, "run", "--days", "5", "--out", "o", NULL);
	e2e_assert_exit(&p, 1);
	e2e_assert_contains(p.err, "summary.csv");
	e2e_proc_free(&p);
	ts_assert_entries(dir, 1); /* only the blocker */
	ts_assert_entries(blocker, 0);
}

/* ---- interrupt ---------------------------------------------------------- */

/* 1 if work/dir holds a temporary output file. */
static int has_temporary(const struct fixture *fx, const char *dir)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, dir);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		found |= e->d_name[0] == '.' &&
			 strstr(e->d_name, ".cyberdef-tmp.");
	closedir(d);
	return found;
}

/* Makes work/dir as the interrupted run should find it. */
typedef void prepare_fn(const struct fixture *fx, const char *dir);

/* No directory at all. */
static void prepare_nothing(const struct fixture *fx, const char *dir)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, dir);
	ts_rm_rf(path);
}

/* The complete output of an earlier short run (a copy goes to "copy"). */
static void prepare_previous_run(const struct fixture *fx, const char *dir)
{
	prepare_nothing(fx, dir);
	prepare_nothing(fx, "copy");
	struct ts_proc p;
	e2e_run(fx, &p, "run", "--days", "5", "--out", dir, "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	e2e_run(fx, &p, "run", "--days", "5", "--out", "copy", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
}

/* Starts a 100-year run of the default scenario into work/dir in p and
 * returns once it has run for 200 ms past opening its files, or fails.
 * Should a fast machine finish first, it prepares the directory again and
 * tries a busier run (ten, then a hundred times the ransomware
 * campaigns). */
static void start_long_run(const struct fixture *fx, const char *dir,
			   prepare_fn *prepare, struct ts_proc *p)
{
	const char *const busier[] = {
		"days=36500", "attackers.ransomware.campaigns_per_year=600",
		"attackers.ransomware.campaigns_per_year=6000"};
	for (size_t k = 0; k < 3; k++) {
		prepare(fx, dir);
		const char *const args[] = {"run",   "--set",	"days=36500",
					    "--set", busier[k], "--out",
					    dir,     "--quiet", NULL};
		e2e_start(fx, p, args);
		/* Wait until the files are open (the loop has begun), then
		 * let it run for 200 ms. */
		double until = ts_now() + 10 * ts_time_scale();
		while (!ts_poll(p) && !has_temporary(fx, dir) &&
		       ts_now() < until)
			ts_sleep_ms(2);
		if (!ts_poll(p)) {
			ts_sleep_ms(200);
			if (!ts_poll(p))
				return;
		}
		e2e_collect(p);
		if (!p->exited || p->status != 0)
			fail_msg("the long run failed by itself (status "
				 "%d):\n%s",
				 p->status, p->err);
		e2e_proc_free(p);
	}
	fail_msg("could not make a run that lasts longer than 200 ms");
}

static void check_interrupt(const struct fixture *fx, int sig, const char *dir,
			    prepare_fn *prepare)
{
	struct ts_proc p;
	start_long_run(fx, dir, prepare, &p);
	assert_int_equal(kill(p.pid, sig), 0);
	e2e_collect(&p);
	if (p.exited) {
		assert_int_equal(p.status, 128 + sig);
		e2e_assert_contains(p.err, "interrupted");
	} else {
		assert_int_equal(p.status, sig);
	}
	e2e_proc_free(&p);
}

static void test_interrupt(void **state)
{
	struct fixture *fx = *state;
	check_interrupt(fx, SIGINT, "o", prepare_nothing);
	assert_false(has_temporary(fx, "o"));
	e2e_assert_no_output(fx, "o");
}

/* SIGTERM into a directory holding an earlier complete run: that run's
 * files stay exactly as they were, and no temporary is left. */
static void test_terminate_keeps_previous_output(void **state)
{
	struct fixture *fx = *state;
	check_interrupt(fx, SIGTERM, "o", prepare_previous_run);
	assert_false(has_temporary(fx, "o"));
	char dir[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, "o");
	ts_assert_entries(dir, E2E_CSV_FILES + 1);
	for (size_t i = 0; i < E2E_CSV_FILES; i++) {
		char pa[PATH_MAX], pb[PATH_MAX];
		e2e_out_path(fx, pa, sizeof pa, "o", e2e_csv_files[i]);
		e2e_out_path(fx, pb, sizeof pb, "copy", e2e_csv_files[i]);
		if (!ts_same_bytes(pa, pb))
			fail_msg("interrupted run changed %s",
				 e2e_csv_files[i]);
	}
}

/* ---- one writer per output directory ------------------------------------ */

/* While another process holds --out, a run is refused and touches
 * nothing; leftovers of a killed run are removed by the next one. */
static void test_out_dir_in_use(void **state)
{
	struct fixture *fx = *state;
	e2e_write(fx->work, "tiny.cfg", tiny_text);
	char dir[PATH_MAX], lock[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, "o");
	assert_int_equal(mkdir(dir, 0777), 0);
	e2e_write(dir, ".summary.csv.cyberdef-tmp.999999", "left by a crash");
	e2e_write(dir, ".metadata.json.cyberdef-old.999999", "kept copy");
	e2e_write(dir, "notes.txt", "the user's");
	ts_path_join(lock, sizeof lock, dir, ".cyberdef.lock");
	int fd = open(lock, O_RDWR | O_CREAT, 0666);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(write(fd, "4242\n", 5), 5);
	struct ts_proc p;
	e2e_run(fx, &p, "run", "tiny.cfg", "--out", "o", NULL);
	e2e_assert_exit(&p, 1);
	e2e_assert_contains(p.err, "in use by another cyberdef (process 4242)");
	e2e_proc_free(&p);
	ts_assert_entries(dir, 4); /* untouched, leftovers too */
	close(fd);		   /* the holder ends: a stale lock file */
	e2e_run(fx, &p, "run", "tiny.cfg", "--out", "o", "--quiet", NULL);
	e2e_assert_exit(&p, 0);
	e2e_proc_free(&p);
	ts_assert_entries(dir, 7); /* the set of 6, and notes.txt */
}

/* ---- stopping within a second ------------------------------------------ */

/* A day of about eight million candidate intrusions, within the limits on
 * work, takes about a second (more in debug and sanitizer builds); SIGINT
 * in the middle of it stops the run at once, with no output, because the
 * day's loops poll the stop flag. Three tries, so that stopping only at
 * the end of a day would be caught. */
static void test_stop_mid_day(void **state)
{
	struct fixture *fx = *state;
	char text[2048];
	size_t used = (size_t)snprintf(
		text, sizeof text,
		"days = 5; warmup_days = 0;\n"
		"segments = { firms = { kind = \"corporation\"; count = "
		"100000; hygiene_mean = 1.0; hygiene_conc = 1e6; }; };\n"
		"attackers = {\n");
	for (int a = 0; a < 3; a++)
		used += (size_t)snprintf(
			text + used, sizeof text - used,
			"  c%d = { type = \"criminal\"; objective = "
			"\"extortion\"; campaigns_per_year = 1e5; "
			"campaign_days = 1.0; attempts_per_day = 1e6; "
			"success_prob = 0.01; sophistication = 0.0; "
			"targets = { firms = 1.0; }; };\n",
			a);
	snprintf(text + used, sizeof text - used, "};\n");
	e2e_write(fx->work, "heavy.cfg", text);
	for (int trial = 0; trial < 3; trial++) {
		const char *args[] = {"run", "heavy.cfg", "--out", "o", NULL};
		struct ts_proc p;
		e2e_start(fx, &p, args);
		/* Its files are open (so its handler is in place, however
		 * slowly a runner such as valgrind starts it); then into
		 * the day. */
		double until = ts_now() + 10 * ts_time_scale();
		while (!has_temporary(fx, "o") && !ts_poll(&p) &&
		       ts_now() < until)
			ts_sleep_ms(2);
		ts_sleep_ms(300 + 150 * trial);
		assert_false(ts_poll(&p)); /* busy */
		double t0 = ts_now();
		assert_int_equal(kill(p.pid, SIGINT), 0);
		e2e_collect(&p);
		double took = p.end - t0;
		e2e_assert_exit(&p, 128 + SIGINT);
		e2e_assert_contains(p.err, "interrupted on day");
		e2e_proc_free(&p);
		e2e_assert_no_output(fx, "o");
		if (took > 0.25 * ts_time_scale())
			fail_msg("the run took %.2f s to stop after SIGINT",
				 took);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, e2e_setup, e2e_teardown)
		T(test_out_dir_cannot_be_created),
		T(test_out_file_cannot_be_committed),
		T(test_interrupt),
		T(test_terminate_keeps_previous_output),
		T(test_out_dir_in_use),
		T(test_stop_mid_day),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
