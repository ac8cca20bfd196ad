/* Output integrity: what the program leaves on disk when writing fails or
 * it is stopped. The built binary runs in a fresh temporary directory per
 * test, as in test_e2e.c.
 *
 * Covered: a full disk (a small tmpfs, mounted here when we may; skipped
 * with a message when not) during `run` and during the final write of a
 * `sweep` (exit 1, "No space left on device", no final file, no temporary,
 * an earlier complete run untouched, the sweep's journal kept so that
 * --resume finishes it with byte-identical outputs); output directories
 * that cannot be written (/dev/full/x, a regular file, a read-only tmpfs,
 * /proc) for run, sweep and plot; SIGINT into a directory holding an
 * earlier complete run and SIGTERM into a fresh one (test_e2e.c does the
 * other two pairings); and a sweep stopped by SIGTERM, which keeps an
 * earlier sweep's outputs byte-identical and resumes to the bytes of an
 * uninterrupted sweep (test_sweep.c does SIGINT and SIGKILL).
 */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp; implies POSIX.1-2008 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "support.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif

#define MAX_ARGS 32
#define TIMEOUT_S 60.0 /* a hung child fails the test, never hangs it */

/* Five days, 100 organisations: outputs of a few kilobytes. */
static const char tiny_cfg[] =
	"days = 5; warmup_days = 0;\n"
	"segments = { firms = { kind = \"corporation\"; count = 100; }; };\n"
	"attackers = { crooks = { type = \"criminal\"; objective = "
	"\"extortion\";\n"
	"  targets = { firms = 1.0; }; }; };\n";

/* Five days, thousands of footholds: incidents.csv of about a megabyte,
 * far more than the small file systems below hold. */
static const char heavy_cfg[] =
	"days = 5; warmup_days = 0;\n"
	"segments = { firms = { kind = \"corporation\"; count = 100000;\n"
	"  hygiene_mean = 0.1; }; };\n"
	"attackers = { crooks = { type = \"criminal\"; objective = "
	"\"extortion\";\n"
	"  campaigns_per_year = 3000.0; attempts_per_day = 20000.0;\n"
	"  success_prob = 0.01; targets = { firms = 1.0; }; }; };\n";

static const char *const run_files[] = {"timeseries.csv", "sharing.csv",
					"incidents.csv",  "summary.csv",
					"readiness.csv",  "metadata.json"};
#define N_RUN_FILES (int)(sizeof run_files / sizeof run_files[0])
static const char *const sweep_files[] = {
	"runs.csv", "points.csv", "timeseries_points.csv", "sweep.json"};

/* ---- fixture ------------------------------------------------------------ */

struct fixture {
	char root[PATH_MAX];
	char work[PATH_MAX]; /* the program's working directory */
	char cap[PATH_MAX];  /* where its stdout and stderr are captured */
	char mounts[4][PATH_MAX];
	int n_mounts;
	char *err; /* the stderr of the last run */
};

static void write_text(const struct fixture *fx, const char *name,
		       const char *text)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	if (ts_make_tmpdir(fx->root, sizeof fx->root, "cyberdef-integrity")) {
		free(fx);
		return -1;
	}
	if (snprintf(fx->work, sizeof fx->work, "%s/work", fx->root) >=
		    (int)sizeof fx->work ||
	    snprintf(fx->cap, sizeof fx->cap, "%s/cap", fx->root) >=
		    (int)sizeof fx->cap ||
	    mkdir(fx->work, 0777) || mkdir(fx->cap, 0777)) {
		ts_rm_rf(fx->root);
		free(fx);
		return -1;
	}
	*state = fx;
	write_text(fx, "tiny.cfg", tiny_cfg);
	write_text(fx, "heavy.cfg", heavy_cfg);
	write_text(fx, "sweep.cfg", ts_small_scenario); /* ~3 ms a run */
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	for (int i = fx->n_mounts; i-- > 0;)
		umount2(fx->mounts[i], MNT_DETACH);
	ts_rm_rf(fx->root);
	free(fx->err);
	free(fx);
	return 0;
}

/* Mounts a tmpfs with `opts` (e.g. "size=64k") at work/name, creating it.
 * Skips the test with a message when mounting is not permitted. */
static void mount_tmpfs(struct fixture *fx, const char *name, const char *opts)
{
	char dir[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, name);
	if (mkdir(dir, 0777) && errno != EEXIST)
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	if (mount("tmpfs", dir, "tmpfs", 0, opts)) {
		print_message("skipped: cannot mount a tmpfs at %s (%s); run "
			      "as root to test full and read-only file "
			      "systems\n",
			      dir, strerror(errno));
		skip();
	}
	assert_true(fx->n_mounts < 4);
	snprintf(fx->mounts[fx->n_mounts++], PATH_MAX, "%s", dir);
}

/* Remounts work/name with new options (e.g. "size=1m", or read-only). */
static void remount(const struct fixture *fx, const char *name,
		    unsigned long flags, const char *opts)
{
	char dir[PATH_MAX];
	ts_path_join(dir, sizeof dir, fx->work, name);
	if (mount("tmpfs", dir, "tmpfs", MS_REMOUNT | flags, opts))
		fail_msg("remount %s: %s", dir, strerror(errno));
}

static void unmount_last(struct fixture *fx)
{
	assert_true(fx->n_mounts > 0);
	const char *dir = fx->mounts[--fx->n_mounts];
	if (umount2(dir, 0))
		fail_msg("umount %s: %s", dir, strerror(errno));
}

/* ---- files -------------------------------------------------------------- */

static int exists(const struct fixture *fx, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;
	ts_path_join(path, sizeof path, fx->work, rel);
	return lstat(path, &st) == 0;
}

/* Entries of work/dir other than those named in `keep` (NULL-terminated,
 * may be NULL), printed if `print`; -1 if it does not exist. Counts
 * temporaries. */
static int others_in(const struct fixture *fx, const char *dir,
		     const char *const *keep, int *temporaries, int print)
{
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, dir);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (temporaries && e->d_name[0] == '.' &&
		    strstr(e->d_name, ".cyberdef-tmp."))
			(*temporaries)++;
		int kept = 0;
		for (const char *const *k = keep; k && *k; k++)
			kept |= !strcmp(*k, e->d_name);
		if (!kept && print)
			print_message("  %s holds %s\n", path, e->d_name);
		n += !kept;
	}
	closedir(d);
	return n;
}

/* Fails unless work/dir is missing or empty. */
static void assert_nothing_in(const struct fixture *fx, const char *dir)
{
	if (others_in(fx, dir, NULL, NULL, 1) > 0)
		fail_msg("%s/%s should hold nothing", fx->work, dir);
}

/* The files of a directory, to compare later. */
struct snapshot {
	int n;
	char name[8][64];
	char *text[8];
	size_t len[8];
};

static void snap(const struct fixture *fx, const char *dir,
		 const char *const *names, int n, struct snapshot *s)
{
	s->n = n;
	for (int i = 0; i < n; i++) {
		char rel[PATH_MAX], path[PATH_MAX];
		ts_path_join(rel, sizeof rel, dir, names[i]);
		ts_path_join(path, sizeof path, fx->work, rel);
		snprintf(s->name[i], sizeof s->name[i], "%s", names[i]);
		s->text[i] = ts_slurp(path, &s->len[i]);
		if (!s->text[i])
			fail_msg("cannot read %s", path);
	}
}

static void snap_free(struct snapshot *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->text[i]);
	s->n = 0;
}

/* Fails unless work/dir holds exactly the snapshot's files (and, if
 * `also`, that entry too), byte for byte, and no temporary. */
static void assert_unchanged(const struct fixture *fx, const char *dir,
			     const struct snapshot *s, const char *also)
{
	const char *keep[10];
	int k = 0;
	for (int i = 0; i < s->n; i++)
		keep[k++] = s->name[i];
	keep[k++] = also;
	keep[k] = NULL;
	int temporaries = 0;
	if (others_in(fx, dir, keep, &temporaries, 1) != 0 || temporaries)
		fail_msg("%s/%s holds other files than before", fx->work, dir);
	for (int i = 0; i < s->n; i++) {
		char rel[PATH_MAX], path[PATH_MAX];
		ts_path_join(rel, sizeof rel, dir, s->name[i]);
		ts_path_join(path, sizeof path, fx->work, rel);
		size_t len;
		char *now = ts_slurp(path, &len);
		if (!now)
			fail_msg("%s is gone", path);
		int same = len == s->len[i] && !memcmp(now, s->text[i], len);
		free(now);
		if (!same)
			fail_msg("%s changed", path);
	}
}

/* Fails unless work/a/name and work/b/name have the same bytes. */
static void assert_same_file(const struct fixture *fx, const char *a,
			     const char *b, const char *name)
{
	char ra[PATH_MAX], rb[PATH_MAX], pa[PATH_MAX], pb[PATH_MAX];
	ts_path_join(ra, sizeof ra, a, name);
	ts_path_join(rb, sizeof rb, b, name);
	ts_path_join(pa, sizeof pa, fx->work, ra);
	ts_path_join(pb, sizeof pb, fx->work, rb);
	size_t la, lb;
	char *x = ts_slurp(pa, &la), *y = ts_slurp(pb, &lb);
	int same = x && y && la == lb && !memcmp(x, y, la);
	free(x);
	free(y);
	if (!same)
		fail_msg("%s and %s differ", pa, pb);
}

/* ---- running the program ------------------------------------------------ */

/* Starts cyberdef with the NULL-terminated args in work/. */
static void start(const struct fixture *fx, struct ts_proc *p,
		  const char *const *args)
{
	const char *argv[MAX_ARGS + 2];
	int n = 0;
	argv[n++] = CYBERDEF_BIN;
	for (; args[n - 1]; n++) {
		assert_true(n <= MAX_ARGS);
		argv[n] = args[n - 1];
	}
	argv[n] = NULL;
	struct ts_spawn o = {
		.cwd = fx->work, .capture = fx->cap, .timeout_s = TIMEOUT_S};
	ts_start(p, &o, argv);
}

/* Waits for a started run; keeps its stderr in fx->err and returns its
 * exit status, or 128 + the signal that killed it. */
static int finish(struct fixture *fx, struct ts_proc *p)
{
	ts_finish(p);
	free(fx->err);
	fx->err = p->err;
	p->err = NULL;
	int rc = p->exited ? p->status : 128 + p->status;
	ts_proc_free(p);
	return rc;
}

/* Runs cyberdef with the given arguments (NULL-terminated). */
static int cyberdef(struct fixture *fx, ...)
{
	const char *args[MAX_ARGS + 1];
	va_list ap;
	va_start(ap, fx);
	ts_collect_args(ap, args, MAX_ARGS);
	va_end(ap);
	struct ts_proc p;
	start(fx, &p, args);
	return finish(fx, &p);
}

/* Fails unless the last run exited `want` and its stderr holds every
 * fragment (NULL-terminated). */
static void assert_run(const struct fixture *fx, int rc, int want, ...)
{
	const char *err = fx->err;
	int bad = rc != want;
	va_list ap;
	va_start(ap, want);
	const char *frag;
	while ((frag = va_arg(ap, const char *)))
		if (!strstr(err, frag)) {
			print_message("stderr lacks \"%s\"\n", frag);
			bad = 1;
		}
	va_end(ap);
	if (bad) {
		print_message("exit %d (want %d); stderr:\n%s\n", rc, want,
			      err);
		fail_msg("unexpected result");
	}
}

/* ---- a full disk -------------------------------------------------------- */

/* `run` on tmpfs of several sizes, each too small for the heavy run and
 * from the smallest that holds the tiny run (32 KiB: a 4 KiB page per
 * file of its set of six and the lock, and the copies a commit keeps):
 * into a fresh directory it leaves nothing; into a directory holding an
 * earlier complete run, that run stays byte for byte. */
static void test_run_full_disk(void **state)
{
	struct fixture *fx = *state;
	for (int kb = 32; kb <= 64; kb += 8) {
		char opts[32];
		snprintf(opts, sizeof opts, "size=%dk", kb);
		mount_tmpfs(fx, "fs", opts);
		int rc = cyberdef(fx, "run", "heavy.cfg", "--out", "fs/new",
				  "--quiet", NULL);
		assert_run(fx, rc, 1, "cyberdef: cannot write fs/new/",
			   "No space left on device", NULL);
		assert_nothing_in(fx, "fs/new");

		rc = cyberdef(fx, "run", "tiny.cfg", "--out", "fs/o", "--quiet",
			      NULL);
		assert_run(fx, rc, 0, NULL);
		struct snapshot before;
		snap(fx, "fs/o", run_files, N_RUN_FILES, &before);
		rc = cyberdef(fx, "run", "heavy.cfg", "--out", "fs/o",
			      "--quiet", NULL);
		assert_run(fx, rc, 1, "cannot write fs/o/",
			   "No space left on device", NULL);
		assert_unchanged(fx, "fs/o", &before, NULL);
		snap_free(&before);
		unmount_last(fx);
	}
}

/* After a sweep failed to write its outputs on a kb KiB file system:
 * no output and no temporary in fs/s (its journal may stay). */
static void assert_sweep_left_nothing(const struct fixture *fx, int kb)
{
	int temporaries = 0;
	const char *journal[] = {".sweep", NULL};
	others_in(fx, "fs/s", journal, &temporaries, 0);
	if (temporaries)
		fail_msg("a temporary is left in fs/s (%d KiB)", kb);
	char left[256] = "";
	for (int i = 0; i < 4; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "fs/s/%s", sweep_files[i]);
		size_t used = strlen(left);
		if (exists(fx, rel))
			snprintf(left + used, sizeof left - used, " %s",
				 sweep_files[i]);
	}
	if (left[0])
		fail_msg("a sweep that failed to write its outputs (%d KiB) "
			 "left some of them:%s",
			 kb, left);
}

/* Runs the sweep of test_sweep_full_disk into fs/s (resumed if
 * `resume`); returns its exit status. */
static int full_disk_sweep(struct fixture *fx, int resume)
{
	return cyberdef(fx, "sweep", "tiny.cfg", "--vary", "won.share_rate=0,1",
			"--reps", "2", "--quiet", "--out", "fs/s",
			resume ? "--resume" : NULL, NULL);
}

/* A sweep whose final write (the four outputs) meets a full disk: exit 1
 * with the reason, no output file, no temporary, and the journal kept;
 * with space again, --resume writes exactly what an uninterrupted sweep
 * writes. The sizes run from too small for the journal to large enough,
 * so that each output in turn is the one that fails. */
static void test_sweep_full_disk(void **state)
{
	struct fixture *fx = *state;
	int rc = cyberdef(fx, "sweep", "tiny.cfg", "--vary",
			  "won.share_rate=0,1", "--reps", "2", "--quiet",
			  "--out", "ref", NULL);
	assert_run(fx, rc, 0, NULL);
	int failures = 0;
	for (int kb = 4; kb <= 128; kb += 4) {
		char opts[32];
		snprintf(opts, sizeof opts, "size=%dk", kb);
		mount_tmpfs(fx, "fs", opts);
		rc = full_disk_sweep(fx, 0);
		if (rc == 0) {
			for (int i = 0; i < 3; i++)
				assert_same_file(fx, "ref", "fs/s",
						 sweep_files[i]);
			unmount_last(fx);
			break;
		}
		failures++;
		assert_run(fx, rc, 1, "cyberdef: cannot write",
			   "No space left on device", NULL);
		assert_sweep_left_nothing(fx, kb);
		remount(fx, "fs", 0, "size=4m");
		assert_run(fx, full_disk_sweep(fx, 1), 0, NULL);
		for (int i = 0; i < 3; i++)
			assert_same_file(fx, "ref", "fs/s", sweep_files[i]);
		assert_false(exists(fx, "fs/s/.sweep"));
		unmount_last(fx);
	}
	if (failures < 2)
		fail_msg("the sizes tried made only %d failing sweep(s)",
			 failures);
}

/* ---- directories that cannot be written --------------------------------- */

static void test_unwritable_out(void **state)
{
	struct fixture *fx = *state;
	int rc = cyberdef(fx, "run", "tiny.cfg", "--out", "/dev/full/x", NULL);
	assert_run(fx, rc, 1, "cannot create output directory /dev/full/x",
		   "Not a directory", NULL);
	rc = cyberdef(fx, "run", "tiny.cfg", "--out", "/dev/full", NULL);
	assert_run(fx, rc, 1, "cannot create output directory /dev/full", NULL);
	rc = cyberdef(fx, "sweep", "tiny.cfg", "--vary", "won.share_rate=0,1",
		      "--reps", "1", "--quiet", "--out", "/dev/full/x", NULL);
	assert_run(fx, rc, 1, "/dev/full/x", NULL);
	rc = cyberdef(fx, "sweep", "tiny.cfg", "--vary", "won.share_rate=0,1",
		      "--reps", "1", "--quiet", "--out", "/proc/cyberdef-x",
		      NULL);
	assert_run(fx, rc, 1, "/proc/cyberdef-x", NULL);
	struct stat st;
	assert_int_not_equal(lstat("/proc/cyberdef-x", &st), 0);

	/* A regular file where the directory should be: left as it was. */
	write_text(fx, "plain", "not a directory\n");
	rc = cyberdef(fx, "sweep", "tiny.cfg", "--vary", "won.share_rate=0,1",
		      "--reps", "1", "--quiet", "--out", "plain", NULL);
	assert_run(fx, rc, 1, "cannot create output directory plain", NULL);
	rc = cyberdef(fx, "run", "tiny.cfg", "--out", "plain/sub", NULL);
	assert_run(fx, rc, 1, "plain/sub", "Not a directory", NULL);
	char path[PATH_MAX];
	ts_path_join(path, sizeof path, fx->work, "plain");
	char *text = ts_slurp(path, NULL);
	assert_string_equal(text, "not a directory\n");
	free(text);

	/* A chart: its directory under a regular file, or /dev/full. */
	rc = cyberdef(fx, "run", "tiny.cfg", "--out", "o", "--quiet", NULL);
	assert_run(fx, rc, 0, NULL);
	rc = cyberdef(fx, "plot", "o", "--out", "plain/chart.png", NULL);
	assert_run(fx, rc, 1, "cyberdef: ", NULL);
	rc = cyberdef(fx, "plot", "o", "--out", "/dev/full/chart.png", NULL);
	assert_run(fx, rc, 1, "cyberdef: ", NULL);
	struct snapshot only_run;
	snap(fx, "o", run_files, N_RUN_FILES, &only_run);
	assert_unchanged(fx, "o", &only_run, NULL);
	snap_free(&only_run);
	const char *work_files[] = {"tiny.cfg", "heavy.cfg", "sweep.cfg",
				    "plain",	"o",	     NULL};
	assert_int_equal(others_in(fx, ".", work_files, NULL, 1), 0);
}

/* A read-only file system: an earlier run there stays, nothing is added,
 * and a new directory is not made. */
static void test_read_only_out(void **state)
{
	struct fixture *fx = *state;
	mount_tmpfs(fx, "ro", "size=1m");
	int rc = cyberdef(fx, "run", "tiny.cfg", "--out", "ro/prev", "--quiet",
			  NULL);
	assert_run(fx, rc, 0, NULL);
	rc = cyberdef(fx, "sweep", "tiny.cfg", "--vary", "won.share_rate=0,1",
		      "--reps", "1", "--quiet", "--out", "ro/sweep", NULL);
	assert_run(fx, rc, 0, NULL);
	struct snapshot run_before, sweep_before;
	snap(fx, "ro/prev", run_files, N_RUN_FILES, &run_before);
	snap(fx, "ro/sweep", sweep_files, 4, &sweep_before);
	remount(fx, "ro", MS_RDONLY, NULL);

	rc = cyberdef(fx, "run", "tiny.cfg", "--out", "ro/prev", "--quiet",
		      NULL);
	assert_run(fx, rc, 1, "cannot write ro/prev/", "Read-only file system",
		   NULL);
	assert_unchanged(fx, "ro/prev", &run_before, NULL);
	rc = cyberdef(fx, "run", "tiny.cfg", "--out", "ro/new", "--quiet",
		      NULL);
	assert_run(fx, rc, 1, "cannot create output directory ro/new",
		   "Read-only file system", NULL);
	assert_false(exists(fx, "ro/new"));
	rc = cyberdef(fx, "sweep", "tiny.cfg", "--vary", "won.share_rate=0,1",
		      "--reps", "1", "--quiet", "--out", "ro/sweep", NULL);
	assert_run(fx, rc, 1, "ro/sweep", "Read-only file system", NULL);
	assert_unchanged(fx, "ro/sweep", &sweep_before, NULL);
	rc = cyberdef(fx, "plot", "ro/prev", "--out", "ro/prev/chart.png",
		      NULL);
	assert_run(fx, rc, 1, "cyberdef: ", NULL);
	assert_unchanged(fx, "ro/prev", &run_before, NULL);
	snap_free(&run_before);
	snap_free(&sweep_before);
}

/* ---- signals ------------------------------------------------------------ */

/* 1 if work/dir holds a temporary output file. */
static int has_temporary(const struct fixture *fx, const char *dir)
{
	int temporaries = 0;
	others_in(fx, dir, NULL, &temporaries, 0);
	return temporaries > 0;
}

/* Starts a 100-year run of the built-in scenario into work/dir in p and
 * returns once it has written for 200 ms, or fails; a machine fast enough
 * to finish first gets a busier run. */
static void start_long_run(struct fixture *fx, const char *dir,
			   struct ts_proc *p)
{
	const char *const busier[] = {
		"days=36500", "attackers.ransomware.campaigns_per_year=600",
		"attackers.ransomware.campaigns_per_year=6000"};
	for (size_t k = 0; k < 3; k++) {
		const char *const args[] = {"run",   "--set",	"days=36500",
					    "--set", busier[k], "--out",
					    dir,     "--quiet", NULL};
		start(fx, p, args);
		double until = ts_now() + 10 * ts_time_scale();
		while (!ts_poll(p) && !has_temporary(fx, dir) &&
		       ts_now() < until)
			ts_sleep_ms(2);
		if (!ts_poll(p)) {
			ts_sleep_ms(200);
			if (!ts_poll(p))
				return;
		}
		int rc = finish(fx, p);
		if (rc != 0)
			fail_msg("the long run failed by itself (exit %d):\n%s",
				 rc, fx->err);
	}
	fail_msg("could not make a run that lasts longer than 200 ms");
}

static void stop_run(struct fixture *fx, const char *dir, int sig)
{
	struct ts_proc p;
	start_long_run(fx, dir, &p);
	assert_int_equal(kill(p.pid, sig), 0);
	/* The handler is in place once the files are open: exit 128 + sig
	 * with a message, not death by the signal. */
	assert_run(fx, finish(fx, &p), 128 + sig, "interrupted", NULL);
}

/* SIGINT into a directory holding an earlier complete run: every one of
 * its five files stays byte for byte; no temporary is left. */
static void test_sigint_keeps_earlier_run(void **state)
{
	struct fixture *fx = *state;
	int rc = cyberdef(fx, "run", "tiny.cfg", "--out", "o", "--quiet", NULL);
	assert_run(fx, rc, 0, NULL);
	struct snapshot before;
	snap(fx, "o", run_files, N_RUN_FILES, &before);
	stop_run(fx, "o", SIGINT);
	assert_unchanged(fx, "o", &before, NULL);
	snap_free(&before);
}

/* SIGTERM into a fresh directory: no file at all. */
static void test_sigterm_leaves_nothing(void **state)
{
	struct fixture *fx = *state;
	stop_run(fx, "o", SIGTERM);
	assert_nothing_in(fx, "o");
}

/* A sweep stopped by SIGTERM once its journal holds a run: exit 143, an
 * earlier sweep's outputs in the directory untouched, and --resume (with
 * other --jobs) writes what an uninterrupted sweep writes. */
static void test_sweep_sigterm_resume(void **state)
{
	struct fixture *fx = *state;
	int rc = cyberdef(fx, "sweep", "tiny.cfg", "--vary",
			  "won.share_rate=0,1", "--reps", "2", "--quiet",
			  "--out", "s", NULL);
	assert_run(fx, rc, 0, NULL);
	struct snapshot before;
	snap(fx, "s", sweep_files, 4, &before);

	const char *const reps[] = {"20", "200", "2000"};
	size_t k = 0;
	for (; k < 3; k++) {
		const char *const args[] = {
			"sweep",   "sweep.cfg",
			"--vary",  "won.share_rate=0:1:0.25",
			"--reps",  reps[k],
			"--jobs",  "1",
			"--quiet", "--out",
			"s",	   NULL};
		struct ts_proc p;
		start(fx, &p, args);
		char journal[PATH_MAX];
		ts_path_join(journal, sizeof journal, fx->work,
			     "s/.sweep/journal.bin");
		struct stat st;
		double until = ts_now() + 20 * ts_time_scale();
		/* Past the journal's 25-byte header: a run is kept. */
		while (ts_now() < until &&
		       (stat(journal, &st) || st.st_size < 64))
			ts_sleep_ms(1);
		kill(p.pid, SIGTERM);
		rc = finish(fx, &p);
		if (rc == 0) { /* finished first: start again, longer */
			snap_free(&before);
			snap(fx, "s", sweep_files, 4, &before);
			continue;
		}
		assert_run(fx, rc, 128 + SIGTERM, "interrupted", "--resume",
			   NULL);
		break;
	}
	if (k == 3)
		fail_msg("every sweep finished before SIGTERM reached it");
	assert_unchanged(fx, "s", &before, ".sweep");
	snap_free(&before);

	rc = cyberdef(fx, "sweep", "sweep.cfg", "--vary",
		      "won.share_rate=0:1:0.25", "--reps", reps[k], "--jobs",
		      "2", "--quiet", "--out", "s", "--resume", NULL);
	assert_run(fx, rc, 0, NULL);
	rc = cyberdef(fx, "sweep", "sweep.cfg", "--vary",
		      "won.share_rate=0:1:0.25", "--reps", reps[k], "--quiet",
		      "--out", "ref", NULL);
	assert_run(fx, rc, 0, NULL);
	for (int i = 0; i < 3; i++)
		assert_same_file(fx, "ref", "s", sweep_files[i]);
	assert_false(exists(fx, "s/.sweep"));
	assert_false(has_temporary(fx, "s"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_run_full_disk),
		T(test_sweep_full_disk),
		T(test_unwritable_out),
		T(test_read_only_out),
		T(test_sigint_keeps_earlier_run),
		T(test_sigterm_leaves_nothing),
		T(test_sweep_sigterm_resume),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
