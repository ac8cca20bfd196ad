/* bench: `cyberdef bench`, the speed and memory figures of the README.
 *
 * Each measurement is a whole `cyberdef run` (set-up, simulation and
 * written outputs) in a child process, so that its wall time and peak
 * resident memory (getrusage of the child) are its own. A size ladder runs
 * the same scenario scaled to other numbers of organisations: every
 * segment's count times the same factor (at least 1), and every attacker's
 * attempts_per_day scaled with its targets' weight x count, so that each
 * organisation faces the same attempts per day at every size.
 */
#define _DEFAULT_SOURCE /* wait4: a child's own peak memory */
#define _POSIX_C_SOURCE 200809L
#include "cmd/bench.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/bench_coupling.h"
#include "cmd/cli.h"
#include "cmd/options.h"
#include "analysis/output.h"
#include "load/scenario.h"
#include "cmd/sweep_cmd.h"
#include "world/world.h"

#ifndef CD_BUILD_TYPE
#define CD_BUILD_TYPE "unknown"
#endif

#define MAX_SIZES 16

static const char usage[] =
	"usage: cyberdef bench [SCENARIO] [--sizes N,N,...] [--days D] [--seed "
	"S]\n"
	"                      [--set PATH=VALUE]... [--sweep-reps R]\n"
	"       cyberdef bench [SCENARIO] --alt PATH=VALUE... [--reps N] "
	"[--days D]\n"
	"                      [--seed S] [--set PATH=VALUE]...\n"
	"\n"
	"Measures SCENARIO (default: the built-in japan_2017) and the "
	"same\n"
	"scenario scaled to each size (default 10000,100000,1000000,3600000\n"
	"organisations): wall seconds from start to written outputs (the\n"
	"scenario's the median of 5 runs, and again without its warm-up),\n"
	"organisation-days and events per second, peak resident memory and\n"
	"bytes per organisation, one child process per run; days are those\n"
	"simulated, the warm-up's (warmup_days) and the horizon's. Then the "
	"sweep\n"
	"throughput of the built-in japan_2017: 21 points x R replicates "
	"(default\n"
	"3; 0 skips it) with --jobs 1 and --jobs 2.\n"
	"\n"
	"With --alt, measures instead how much common random numbers cut the\n"
	"noise of comparing SCENARIO with SCENARIO --set PATH=VALUE...: over "
	"N\n"
	"replicates (default 30), the variance of the difference of each\n"
	"headline metric between independent runs divided by that between\n"
	"runs sharing their seed (var_ratio), with a 95% interval.\n";

struct measure {
	int64_t orgs;
	uint64_t events;
	double footholds; /* made, warm-up included */
	double wall, rss; /* seconds, bytes */
	int days;
	int status;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void remove_outputs(const char *dir)
{
	static const char *const files[] = {
		"timeseries.csv", "sharing.csv",   "incidents.csv",
		"summary.csv",	  "readiness.csv", "metadata.json",
		"runs.csv",	  "points.csv",	   "timeseries_points.csv",
		"sweep.json"};
	char path[1200];
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[k]);
		(void)remove(path); /* most are absent */
	}
	rmdir(dir);
}

/* Runs SCENARIO with the given sets in a child; fills *m. */
static void measure_run(const char *scenario, const char *const *sets,
			int n_sets, uint64_t seed, struct measure *m)
{
	char dir[] = "/tmp/cyberdef-bench-XXXXXX";
	int fds[2];
	m->status = 1;
	if (!mkdtemp(dir) || pipe(fds))
		return;
	double t0 = now();
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		struct cd_scenario *sc = NULL;
		int rc = cli_load_scenario(scenario, sets, n_sets, &sc);
		struct measure r = {0};
		struct cd_summary s;
		struct cli_run_work work = {0};
		if (!rc)
			rc = cli_run_scenario(sc, seed, dir, CD_OUT_ALL,
					      "cyberdef bench", &s, &work);
		if (!rc) {
			r.orgs = sim_world_organisations_of(&sc->p);
			r.days = sc->p.warmup_days + sc->p.days; /* simulated */
			r.events = work.events;
			r.footholds = (double)work.footholds;
			if (write(fds[1], &r, sizeof r) != (ssize_t)sizeof r)
				rc = 1;
		}
		scenario_destroy(sc);
		_exit(rc);
	}
	close(fds[1]);
	struct rusage ru;
	int st = 0;
	if (pid > 0 && read(fds[0], m, sizeof *m) == (ssize_t)sizeof *m &&
	    wait4(pid, &st, 0, &ru) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0) {
		m->wall = now() - t0;
		m->rss = (double)ru.ru_maxrss * 1024.0;
		m->status = 0;
	} else if (pid > 0) {
		waitpid(pid, &st, 0);
		m->status =
			WIFEXITED(st) && WEXITSTATUS(st) ? WEXITSTATUS(st) : 1;
	}
	close(fds[0]);
	remove_outputs(dir);
}

/* The --set texts that scale p to about n organisations. */
static int scale_sets(const struct cd_params *p, double n, char (*buf)[128],
		      int max)
{
	double total = (double)sim_world_organisations_of(p);
	double f = n / total;
	int k = 0, n_segments = p->n_segments;
	double count[CD_MAX_SEGMENTS];
	for (int s = 0; s < n_segments; s++) {
		/* every count: the attackers' loop below reads them all */
		count[s] = fmax(1, round((double)p->segments[s].count * f));
		if (k < max)
			snprintf(buf[k++], 128, "segments.%s.count=%.0f",
				 p->segments[s].name, count[s]);
	}
	for (int a = 0; a < p->n_attackers && k < max; a++) {
		double w0 = 0, w1 = 0;
		for (int s = 0; s < n_segments; s++) {
			w0 += p->attackers[a].targets[s] *
			      (double)p->segments[s].count;
			w1 += p->attackers[a].targets[s] * count[s];
		}
		double v = p->attackers[a].attempts_per_day * w1 / w0;
		snprintf(buf[k++], 128, "attackers.%s.attempts_per_day=%.17g",
			 p->attackers[a].name, fmin(v, 1e12));
	}
	return k;
}

static void row(const char *label, const struct measure *m)
{
	if (m->status) {
		printf("%-12s  failed (exit %d)\n", label, m->status);
		return;
	}
	double od = (double)m->orgs * m->days;
	printf("%-12s %12lld %5d %8.3f %12.3g %12.3g %10.1f %9.1f %9.2f\n",
	       label, (long long)m->orgs, m->days, m->wall, od / m->wall,
	       (double)m->events / m->wall, m->rss / 1048576.0,
	       m->rss / (double)m->orgs, 1e9 * m->wall / od);
	(void)fflush(stdout);
}

/* Times a sweep of the built-in default in a child. Returns runs/s. */
static double measure_sweep(int reps, int jobs)
{
	char dir[] = "/tmp/cyberdef-bench-XXXXXX";
	if (!mkdtemp(dir))
		return NAN;
	char r[32], j[32];
	snprintf(r, sizeof r, "%d", reps);
	snprintf(j, sizeof j, "%d", jobs);
	char *argv[] = {"sweep",  "--vary",  "won.share_rate=0:1:0.05",
			"--reps", r,	     "--jobs",
			j,	  "--quiet", "--out",
			dir,	  NULL};
	double t0 = now();
	pid_t pid = fork();
	if (pid == 0)
		_exit(sweep_main(10, argv));
	int st = 0;
	waitpid(pid, &st, 0);
	double wall = now() - t0;
	remove_outputs(dir);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return NAN;
	return 21.0 * reps / wall;
}

/* What the options ask for. */
struct bench_opts {
	const char *scenario;
	double sizes[MAX_SIZES];
	int n_sizes, sweep_reps;
	struct cmd_common c; /* --seed, --set, and --days as a set days=N */
	const char *alt[CD_MAX_SETS]; /* --alt: the coupling measurement */
	int n_alt, reps;
};

enum { OPT_SIZES = OPT_FIRST_OWN, OPT_SWEEP_REPS, OPT_ALT, OPT_REPS };

/* --sizes N,N,...: up to MAX_SIZES numbers in [1, 2e9]. */
static int parse_sizes(struct cmd_line *l, struct bench_opts *b, const char *v)
{
	b->n_sizes = 0;
	char *end;
	for (const char *p = v; *p; p = *end ? end + 1 : end) {
		double x = strtod(p, &end);
		if (end == p || (*end && *end != ',') ||
		    !(x >= 1 && x <= 2e9) || b->n_sizes == MAX_SIZES) {
			char problem[1024];
			snprintf(problem, sizeof problem,
				 "--sizes %s: allowed: up to %d numbers in "
				 "[1, 2e9], comma separated",
				 v, MAX_SIZES);
			return cmd_bad(l, problem, "");
		}
		b->sizes[b->n_sizes++] = x;
	}
	return 0;
}

/* --sweep-reps R: an integer in [0, 100000]; --reps N: in [2, 100000]. */
static int parse_reps(struct cmd_line *l, int *out, const char *v, int code)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	int least = code == OPT_REPS ? 2 : 0;
	if (*v < '0' || *v > '9' || *end || errno || x > 100000 ||
	    x < (unsigned long long)least) {
		char problem[128];
		snprintf(problem, sizeof problem,
			 "%s: allowed: an integer in [%d, 100000], got ",
			 code == OPT_REPS ? "--reps" : "--sweep-reps", least);
		return cmd_bad(l, problem, v);
	}
	*out = (int)x;
	return 0;
}

/* --alt PATH=VALUE: one more setting of the alternative. */
static int parse_alt(struct cmd_line *l, struct bench_opts *b, const char *v)
{
	if (b->n_alt == CD_MAX_SETS)
		return cmd_bad(l,
			       "--alt: allowed: at most 64 settings, got "
			       "another: ",
			       v);
	if (!strchr(v, '='))
		return cmd_bad(l, "--alt: allowed: PATH=VALUE, got ", v);
	b->alt[b->n_alt++] = v;
	return 0;
}

/* Returns 0, 2 after a message, or -1 when --help was printed. */
static int parse_opts(int argc, char **argv, struct bench_opts *b)
{
	static const struct option longopts[] = {
		{"sizes", required_argument, NULL, OPT_SIZES},
		{"sweep-reps", required_argument, NULL, OPT_SWEEP_REPS},
		{"alt", required_argument, NULL, OPT_ALT},
		{"reps", required_argument, NULL, OPT_REPS},
		CMD_OPT_DAYS,
		CMD_OPT_SET,
		CMD_OPT_SEED,
		CMD_OPT_HELP,
		CMD_OPT_END};
	*b = (struct bench_opts){.scenario = "japan_2017",
				 .sizes = {1e4, 1e5, 1e6, 3.6e6},
				 .n_sizes = 4,
				 .sweep_reps = 3,
				 .reps = 30,
				 .c = {.seed = 1}};
	struct cmd_line l;
	int c, rc = cmd_begin(&l, argc, argv, longopts, usage);
	while (!rc && (c = cmd_next(&l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (c == OPT_SIZES)
			rc = parse_sizes(&l, b, l.optarg);
		else if (c == OPT_SWEEP_REPS)
			rc = parse_reps(&l, &b->sweep_reps, l.optarg, c);
		else if (c == OPT_REPS)
			rc = parse_reps(&l, &b->reps, l.optarg, c);
		else if (c == OPT_ALT)
			rc = parse_alt(&l, b, l.optarg);
		else
			rc = cmd_common(&l, &b->c, c, l.optarg);
	}
	if (rc || (rc = cmd_positional(&l, 1, "scenario")))
		return rc;
	if (l.n_pos)
		b->scenario = l.pos[0];
	return 0;
}

/* The scenario scaled to each size, a row each; then how the time per
 * organisation-day grew from the smallest size to the largest. */
static void measure_sizes(const struct bench_opts *b,
			  const struct cd_scenario *sc)
{
	double first = NAN, last = NAN;
	for (int k = 0; k < b->n_sizes; k++) {
		char sets[CD_MAX_SEGMENTS + CD_MAX_ATTACKERS + 1][128];
		const char *ptr[CD_MAX_SEGMENTS + CD_MAX_ATTACKERS + 1];
		int n = scale_sets(&sc->p, b->sizes[k], sets,
				   CD_MAX_SEGMENTS + CD_MAX_ATTACKERS);
		for (int i = 0; i < n; i++)
			ptr[i] = sets[i];
		for (int i = 0;
		     i < b->c.n_sets && n < (int)(sizeof ptr / sizeof *ptr);
		     i++)
			ptr[n++] = b->c.sets[i];
		struct measure m;
		measure_run(b->scenario, ptr, n, b->c.seed, &m);
		char label[32];
		snprintf(label, sizeof label, "%.3g", b->sizes[k]);
		row(label, &m);
		if (!m.status) {
			double per = m.wall / ((double)m.orgs * m.days);
			if (isnan(first))
				first = per;
			last = per;
		}
	}
	if (!isnan(first) && b->n_sizes > 1)
		printf("\ntime per organisation-day, largest size / smallest: "
		       "%.2f (1 = linear growth, below 1 = better)\n",
		       last / first);
}

/* Runs the scenario (with `extra` after the --set texts, if not NULL)
 * BENCH_REPEAT times; *m is the run of median wall time. */
#define BENCH_REPEAT 5
static void measure_median(const struct bench_opts *b, const char *extra,
			   struct measure *m)
{
	const char *sets[CD_MAX_SETS + 1];
	int n = 0;
	for (int i = 0; i < b->c.n_sets && n < CD_MAX_SETS; i++)
		sets[n++] = b->c.sets[i];
	if (extra)
		sets[n++] = extra;
	struct measure r[BENCH_REPEAT];
	for (int k = 0; k < BENCH_REPEAT; k++) {
		measure_run(b->scenario, sets, n, b->c.seed, &r[k]);
		if (r[k].status) {
			*m = r[k];
			return;
		}
		/* in order of wall time, as they come */
		for (int j = k; j > 0 && r[j].wall < r[j - 1].wall; j--) {
			struct measure t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	}
	*m = r[BENCH_REPEAT / 2];
}

int bench_main(int argc, char **argv)
{
	struct bench_opts b;
	int rc = parse_opts(argc, argv, &b);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (b.n_alt)
		return bench_coupling(b.scenario, &b.c, b.alt, b.n_alt, b.reps);
	struct cd_scenario *sc = NULL;
	rc = cli_load_scenario(b.scenario, b.c.sets, b.c.n_sets, &sc);
	if (rc)
		return rc;
	printf("cyberdef bench: %s, seed %llu, %s build, one child process "
	       "per run\n\n",
	       sc->path, (unsigned long long)b.c.seed, CD_BUILD_TYPE);
	printf("%-12s %12s %5s %8s %12s %12s %10s %9s %9s\n", "run",
	       "organisations", "days", "wall s", "org-days/s", "events/s",
	       "peak MiB", "B/org", "ns/org-day");
	struct measure m, cold;
	measure_median(&b, NULL, &m);
	row("scenario", &m);
	if (!m.status && m.footholds > 0) /* what bounds the run */
		printf("%-12s %12.0f footholds made: %.2f us per foothold "
		       "(wall / footholds)\n",
		       "", m.footholds, 1e6 * m.wall / m.footholds);
	if (!m.status && sc->p.warmup_days > 0) {
		measure_median(&b, "warmup_days=0", &cold);
		row("no warm-up", &cold);
		if (!cold.status)
			printf("%-12s the warm-up (%d days) takes %.3f s of "
			       "%.3f s (%.0f%%)\n",
			       "", sc->p.warmup_days, m.wall - cold.wall,
			       m.wall, 100 * (m.wall - cold.wall) / m.wall);
	}
	measure_sizes(&b, sc);
	if (b.sweep_reps > 0) {
		printf("\nsweep of the built-in japan_2017, 21 points x %d "
		       "replicates = %d runs:\n",
		       b.sweep_reps, 21 * b.sweep_reps);
		for (int jobs = 1; jobs <= 2; jobs++)
			printf("  --jobs %d: %.1f runs/s\n", jobs,
			       measure_sweep(b.sweep_reps, jobs));
	}
	scenario_destroy(sc);
	return 0;
}
