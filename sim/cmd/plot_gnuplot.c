/* plot_gnuplot: see plot_gnuplot.h, and the top of analysis/plot.c for
 * why text reaches gnuplot only as numbers. This file writes nothing
 * gnuplot reads but the job's own parts, made in analysis/plot_encode.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "cmd/plot_gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "core/status.h"

#define GP_PATH_MAX 4096
#define GP_KILL_GRACE_MS 2000 /* after SIGTERM, before SIGKILL */

static const char no_gnuplot[] =
	"cyberdef: gnuplot not found: install it with `apt-get install "
	"gnuplot-nox` (Debian)\n";

/* Prints "cyberdef: MESSAGE" and returns `status`. */
static int fail(int status, const char *fmt, ...)
{
	va_list ap;
	fputs("cyberdef: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/* ---- running gnuplot ---------------------------------------------------- */

/* The files of one gnuplot run; cleanup removes what is left. */
struct run {
	char tmpdir[GP_PATH_MAX];   /* private: data.csv, labels.csv, ... */
	char log[GP_PATH_MAX + 32]; /* tmpdir/gnuplot.log: its stderr */
	char tmpout[GP_PATH_MAX];   /* the chart while gnuplot writes it */
	int chart_fd, log_fd;	    /* open on tmpout and log, or -1 */
};

static const char *const run_files[] = {"data.csv", "labels.csv", "plot.gp",
					"gnuplot.log"};

static void run_cleanup(struct run *r)
{
	if (r->chart_fd >= 0)
		(void)close(r->chart_fd);
	if (r->log_fd >= 0)
		(void)close(r->log_fd);
	if (r->tmpout[0])
		(void)remove(r->tmpout);
	if (!r->tmpdir[0])
		return;
	for (size_t i = 0; i < sizeof run_files / sizeof *run_files; i++) {
		char path[GP_PATH_MAX + 32];
		snprintf(path, sizeof path, "%s/%s", r->tmpdir, run_files[i]);
		(void)remove(path);
	}
	(void)rmdir(r->tmpdir);
}

/* Finds an executable `gnuplot` in PATH; returns 0 and its path, or -1. */
static int find_gnuplot(char *buf, size_t size)
{
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	for (const char *p = path;;) {
		size_t len = strcspn(p, ":");
		int n = snprintf(buf, size, "%.*s/gnuplot", (int)len,
				 len ? p : ".");
		struct stat st;
		if (n > 0 && (size_t)n < size && stat(buf, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 0;
		if (!p[len])
			return -1;
		p += len + 1;
	}
}

/* Writes len bytes of text to tmpdir/name. Returns 0 or 1 after a
 * message. */
static int write_file(const struct run *r, const char *name, const char *text,
		      size_t len)
{
	char path[GP_PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/%s", r->tmpdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		int err = errno;
		return fail(1, "cannot write %s: %s", path, strerror(err));
	}
	return 0;
}

/* Makes the private directory and writes the job's files into it. */
static int write_inputs(const struct plot_job *j, struct run *r)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(r->tmpdir, sizeof r->tmpdir, "%s/cyberdef-plot-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
	if (n < 0 || (size_t)n >= sizeof r->tmpdir || !mkdtemp(r->tmpdir)) {
		int err = n < 0 || (size_t)n >= sizeof r->tmpdir ? ENAMETOOLONG
								 : errno;
		fail(1, "cannot make a temporary directory %s: %s", r->tmpdir,
		     strerror(err));
		r->tmpdir[0] = '\0';
		return 1;
	}
	int rc;
	if ((rc = write_file(r, "data.csv", j->data, j->data_len)) ||
	    (rc = write_file(r, "labels.csv", j->labels, j->labels_len)) ||
	    (rc = write_file(r, "plot.gp", j->script, strlen(j->script))))
		return rc;
	snprintf(r->log, sizeof r->log, "%s/gnuplot.log", r->tmpdir);
	r->log_fd =
		open(r->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (r->log_fd < 0)
		return fail(1, "cannot write %s: %s", r->log, strerror(errno));
	return 0;
}

/* Makes the chart's directory and opens the temporary chart there. */
static int open_chart(struct run *r, const char *out)
{
	char dir[GP_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", out);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : out;
	if (slash) {
		*slash = '\0';
		if (*dir && cd_mkdir_p(dir))
			return fail(1, "cannot create directory %s: %s", dir,
				    strerror(errno));
	}
	int n = snprintf(r->tmpout, sizeof r->tmpout, "%s%s.%s.tmp.%ld",
			 slash ? dir : "", slash ? "/" : "", base,
			 (long)getpid());
	if (n < 0 || (size_t)n >= sizeof r->tmpout) {
		r->tmpout[0] = '\0';
		return fail(2, "--out: path too long: %s", out);
	}
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	r->chart_fd = open(r->tmpout, flags, 0666);
	if (r->chart_fd < 0 && errno == EEXIST && remove(r->tmpout) == 0)
		r->chart_fd = open(r->tmpout, flags, 0666); /* a stale one */
	if (r->chart_fd < 0) {
		int err = errno;
		r->tmpout[0] = '\0'; /* not ours */
		return fail(1, "cannot write %s: %s", out, strerror(err));
	}
	return 0;
}

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	(void)nanosleep(&ts, NULL); /* a signal ends it early: fine */
}

/* Waits for the child, killing it once a stop is requested. Returns 0
 * with its wait status in *st, or -1 if it cannot be waited for. */
static int wait_child(pid_t pid, int *st)
{
	int killed = 0;
	long since_kill = 0;
	for (;;) {
		pid_t w = waitpid(pid, st, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		if (cd_stopped() && !killed) {
			(void)kill(pid, SIGTERM);
			killed = 1;
		} else if (killed == 1 && since_kill > GP_KILL_GRACE_MS) {
			(void)kill(pid, SIGKILL);
			killed = 2;
		}
		nap_ms(10);
		since_kill += killed ? 10 : 0;
	}
}

/* Prints the file `path` (gnuplot's messages) to stderr, indented. */
static void print_log(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '\n')
			continue;
		fprintf(stderr, "  %s", line);
		if (!strchr(line, '\n'))
			fputc('\n', stderr);
	}
	(void)fclose(f); /* read only */
}

/* Runs gnuplot in the private directory: `gnuplot -d -e VARS plot.gp`,
 * standard input /dev/null, output the chart, messages the log. */
static int run_gnuplot(const struct plot_job *j, const char *gnuplot,
		       struct run *r)
{
	const char *argv[] = {"gnuplot",  "-d",	     "-e",
			      j->command, "plot.gp", NULL};
	(void)fflush(NULL); /* the child must not write our buffers again */
	pid_t pid = fork();
	if (pid < 0)
		return fail(1, "cannot start gnuplot: %s", strerror(errno));
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		if (in < 0 || chdir(r->tmpdir) || dup2(in, 0) < 0 ||
		    dup2(r->chart_fd, 1) < 0 || dup2(r->log_fd, 2) < 0)
			_exit(126);
		(void)signal(SIGINT, SIG_DFL);
		(void)signal(SIGTERM, SIG_DFL);
		execv(gnuplot, (char *const *)argv);
		static const char msg[] = "cannot execute gnuplot\n";
		(void)!write(2, msg, sizeof msg - 1);
		_exit(127);
	}
	int st = 0;
	if (wait_child(pid, &st))
		st = -1;
	if (cd_stopped())
		return fail(128 + cd_stop_signal,
			    "interrupted; no chart written");
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		if (st != -1 && WIFSIGNALED(st))
			fail(1, "gnuplot was killed by signal %d",
			     WTERMSIG(st));
		else
			fail(1, "gnuplot failed (exit status %d):",
			     st == -1 ? -1 : WEXITSTATUS(st));
		print_log(r->log);
		return 1;
	}
	return 0;
}

/* Checks, syncs and renames the finished chart onto `out`. */
static int commit_chart(struct run *r, const char *out)
{
	struct stat st;
	if (fstat(r->chart_fd, &st) != 0 || st.st_size == 0) {
		fail(1, "gnuplot wrote no chart:");
		print_log(r->log);
		return 1;
	}
	if (stat(r->log, &st) == 0 && st.st_size > 0) { /* warnings */
		fprintf(stderr, "cyberdef: gnuplot says:\n");
		print_log(r->log);
	}
	int fd = r->chart_fd, bad = fsync(fd) != 0;
	r->chart_fd = -1;
	bad |= close(fd) != 0;
	if (bad || rename(r->tmpout, out) != 0)
		return fail(1, "cannot write %s: %s", out, strerror(errno));
	r->tmpout[0] = '\0'; /* renamed: nothing to remove */
	return 0;
}

int plot_gnuplot(const struct plot_job *j, const char *out)
{
	char gnuplot[GP_PATH_MAX];
	if (find_gnuplot(gnuplot, sizeof gnuplot)) {
		fputs(no_gnuplot, stderr);
		return 1;
	}
	if (cd_stopped())
		return fail(128 + cd_stop_signal,
			    "interrupted; no chart written");
	struct run r = {.chart_fd = -1, .log_fd = -1};
	int rc = write_inputs(j, &r);
	if (!rc)
		rc = open_chart(&r, out);
	if (!rc)
		rc = run_gnuplot(j, gnuplot, &r);
	if (!rc)
		rc = commit_chart(&r, out);
	run_cleanup(&r);
	return rc;
}
