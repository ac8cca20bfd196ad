/* cli: the `cyberdef` command line. main() only calls cli_main. */
#define _POSIX_C_SOURCE 200809L
#include "cmd/cli.h"

#include "cmd/options.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/bench.h"
#include "core/fileio.h"
#include "analysis/output.h"
#include "analysis/posterior.h"
#include "analysis/run.h"
#include "cmd/calibrate_cmd.h"
#include "cmd/observe_cmd.h"
#include "cmd/plot_cmd.h"
#include "load/scenario.h"
#include "core/units.h"
#include "core/status.h"
#include "cmd/sweep_cmd.h"
#include "core/version.h"
#include "world/world.h"

/* The program's one signal handler: it records the request, and the
 * library's long loops and every command poll it (status.h). */
static void on_signal(int sig)
{
	cd_stop_signal = sig;
}

static void install_signal_handler(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static const char usage_main[] =
	"usage: cyberdef COMMAND [OPTIONS]\n"
	"\n"
	"An agent-based simulator of national cyber defense.\n"
	"\n"
	"commands:\n"
	"  run [SCENARIO]       simulate a scenario and write CSV files\n"
	"  list                 list the scenarios compiled into cyberdef\n"
	"  describe SCENARIO    print every resolved parameter and its source\n"
	"  sweep [SCENARIO]     vary settings over replicates on all cores\n"
	"  compare BASE ALT...  paired effects of alternatives, with "
	"intervals\n"
	"  sensitivity [SCENARIO] Sobol or Morris indices of settings\n"
	"  observe [SCENARIO] --targets FILE  fit to published figures, "
	"uncalibrated\n"
	"  calibrate [SCENARIO] --targets FILE  ABC-SMC posterior of its "
	"parameters\n"
	"  plot DIR             chart a run's or a sweep's output with "
	"gnuplot\n"
	"  bench [SCENARIO]     time and memory by size, sweep throughput\n"
	"  columns              print the output columns as Markdown tables\n"
	"\n"
	"options:\n"
	"  -h, --help           show this help (cyberdef COMMAND --help for "
	"more)\n"
	"  --version            show the version\n"
	"\n"
	"exit status: 0 success, 1 failure (e.g. cannot write), 2 bad input\n";

static const char usage_run[] =
	"usage: cyberdef run [SCENARIO] [--seed N] [--set PATH=VALUE]... "
	"[--days N]\n"
	"                    [--out DIR] [--outputs LIST] [--max-memory SIZE] "
	"[--quiet]\n"
	"                    [--posterior FILE]\n"
	"\n"
	"Simulates SCENARIO (a libconfig file; default: the built-in "
	"japan_2017,\n"
	"identical to scenarios/japan_2017.cfg) and writes timeseries.csv,\n"
	"sharing.csv, incidents.csv, summary.csv, readiness.csv and\n"
	"metadata.json to DIR.\n"
	"\n"
	"  --outputs LIST   the files to write, comma separated, of "
	"timeseries,\n"
	"                   sharing, incidents, summary and readiness, or all\n"
	"                   (default); metadata.json always (it lists them);\n"
	"                   the set's other files in DIR are removed\n"
	"  --seed N         run seed, 0 to 2^64-1 (default 1); same seed and\n"
	"                   inputs give byte-identical files\n"
	"  --set PATH=VALUE override any setting, e.g. --set "
	"won.share_rate=0.647;\n"
	"                   repeatable, validated like the file\n"
	"  --days N         simulated days (same as --set days=N)\n"
	"  --out DIR        output directory (default ./out), created if "
	"needed\n"
	"  --max-memory SIZE refuse a scenario needing more (e.g. 8G; "
	"default:\n"
	"                   the machine's memory)\n"
	"  --posterior FILE a calibration's posterior.csv: the run takes "
	"one\n"
	"                   particle of its final generation, drawn by "
	"weight\n"
	"                   from --seed, applied before the scenario's\n"
	"                   overrides and --set (recorded in "
	"metadata.json)\n"
	"  --quiet          print nothing on success\n"
	"  -h, --help       show this help\n";

/* Prints "cyberdef: PROBLEM ARG" and the usage; returns exit status 2. */
static int bad_usage(const char *problem, const char *arg, const char *usage)
{
	fprintf(stderr, "cyberdef: %s%s\n\n%s", problem, arg, usage);
	return 2;
}

/* Loads SCENARIO with --set overrides: a file, or else a built-in
 * scenario of that name (as `cyberdef list` shows them, with or without
 * .cfg); without SCENARIO, the built-in default. */
int cli_load_scenario(const char *path, const char *const *sets, int n_sets,
		      struct cd_scenario **sc)
{
	struct cd_diag d;
	int rc = scenario_open(sc, path, sets, n_sets, &d);
	if (rc)
		fprintf(stderr, "cyberdef: %s\n", d.msg);
	return rc == CD_ENOMEM ? 1 : rc ? 2 : 0;
}

static void print_summary(const struct cd_scenario *sc,
			  const struct cd_summary *s, const char *dir,
			  unsigned files)
{
	const double *v = s->v;
	printf("cyberdef %s: %s\n", CD_VERSION, sc->p.description);
	/* False positive: `s` is filled whenever cli_run_scenario returns 0,
	 * and its interrupt exit, 128 + signal number, is never 0. */
	/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
	printf("  scenario %s (seed %llu): %.0f days, %.0f organisations in "
	       "%d segments\n",
	       sc->path, (unsigned long long)s->seed, v[CD_SUM_days],
	       v[CD_SUM_organisations], sc->p.n_segments);
	printf("  %.0f campaigns made %.4g attempts: %.4g blocked by shared "
	       "indicators, %.0f intrusions\n",
	       v[CD_SUM_campaigns], v[CD_SUM_attempts], v[CD_SUM_blocked],
	       v[CD_SUM_intrusions]);
	printf("    by kind: government %.0f, infrastructure %.0f, corporate "
	       "%.0f; by attacker: state %.0f, criminal %.0f\n",
	       v[CD_SUM_intrusions_government],
	       v[CD_SUM_intrusions_infrastructure],
	       v[CD_SUM_intrusions_corporate], v[CD_SUM_intrusions_state],
	       v[CD_SUM_intrusions_criminal]);
	char dwell[160];
	if (isnan(v[CD_SUM_median_dwell_days]))
		snprintf(dwell, sizeof dwell,
			 "median dwell undefined (under half of the footholds "
			 "were found)");
	else
		snprintf(dwell, sizeof dwell, "median dwell %.1f days",
			 v[CD_SUM_median_dwell_days]);
	if (!isnan(v[CD_SUM_mean_dwell_days]))
		snprintf(dwell + strlen(dwell), sizeof dwell - strlen(dwell),
			 ", mean %.1f", v[CD_SUM_mean_dwell_days]);
	printf("  %.0f detected (internal %.0f, shared %.0f, partner %.0f, "
	       "national %.0f, external %.0f); %s\n",
	       v[CD_SUM_detections], v[CD_SUM_detections_internal],
	       v[CD_SUM_detections_shared], v[CD_SUM_detections_partner],
	       v[CD_SUM_detections_national], v[CD_SUM_detections_external],
	       dwell);
	printf("  %.0f footholds still open at the end; %.3g%% of "
	       "organisations compromised\n",
	       v[CD_SUM_open_footholds_end],
	       100 * v[CD_SUM_orgs_compromised_frac]);
	printf("  damage: %.4g records exfiltrated, %.4g outage hours, "
	       "%.4g yen lost\n",
	       v[CD_SUM_records_exfiltrated], v[CD_SUM_outage_hours],
	       v[CD_SUM_loss_yen]);
	printf("  sharing: %.0f detections reported, %.0f relays; crisis "
	       "days %.0f; trained staff %.0f%% of need\n",
	       v[CD_SUM_shares_sent], v[CD_SUM_relays], v[CD_SUM_crisis_days],
	       100 * v[CD_SUM_trained_ratio_end]);
	printf("  wrote %s/{", dir);
	const char *sep = "";
	for (int k = 0; k < CD_OUT_N; k++)
		if (files & (1u << k)) {
			printf("%s%s", sep, cd_output_names[k]);
			sep = ",";
		}
	printf("}.csv and metadata.json\n");
}

static void join_args(int argc, char **argv, char *buf, size_t size)
{
	size_t used = (size_t)snprintf(buf, size, "cyberdef");
	for (int i = 0; i < argc && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, " %s",
					 argv[i]);
}

static int write_day(void *ctx, const sim_world *w, struct cd_diag *d)
{
	int rc = output_day(ctx, w);
	if (rc)
		snprintf(d->msg, sizeof d->msg, "day %d: %s", sim_world_day(w),
			 cd_strerror(rc));
	return rc;
}

/* As cli_run_scenario, recording what info says in metadata.json. */
static int run_with(const struct cd_run_info *info, const char *dir,
		    unsigned files, struct cd_summary *s,
		    struct cli_run_work *work)
{
	const struct cd_scenario *sc = info->scenario;
	uint64_t seed = info->seed;
	cd_output *out = NULL;
	struct cd_diag d;
	if (output_open(&out, dir, files, &d)) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		return 1;
	}
	struct cd_run_sink sink = {write_day, out};
	sim_world *w;
	int rc = cd_run(sc, seed, &sink, s, &w, &d);
	if (rc) {
		output_abort(out);
		if (rc == CD_EINTR) {
			fprintf(stderr, "cyberdef: %s; no output written\n",
				d.msg);
			return 128 + cd_stop_signal;
		}
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		return rc == CD_ELIMIT ? 2 : 1;
	}
	rc = output_finish(out, w, s, info, &d);
	if (!rc && work) {
		const struct cd_foothold *f;
		work->events = sim_world_events(w);
		work->footholds = sim_world_footholds(w, &f);
	}
	sim_world_destroy(w);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		return 1;
	}
	return 0;
}

int cli_run_scenario(const struct cd_scenario *sc, uint64_t seed,
		     const char *dir, unsigned files, const char *command,
		     struct cd_summary *s, struct cli_run_work *work)
{
	struct cd_run_info info = {sc, seed, command, NULL, 0};
	return run_with(&info, dir, files, s, work);
}

int memory_check(const struct cd_scenario *sc, int worlds, double limit)
{
	double need = (double)sim_world_memory_estimate(&sc->p) * worlds;
	if (!(limit > 0))
		limit = cd_machine_memory();
	if (limit > 0 && need > limit) {
		char a[48], b[48];
		cd_size_pair(need, limit, a, b, sizeof a);
		fprintf(stderr,
			"cyberdef: %s: %lld organisations in %d simultaneous "
			"run(s) need about %s, more than the %s allowed; "
			"allowed: fewer organisations, or a higher "
			"--max-memory "
			"if the machine has more\n",
			sc->path, (long long)sim_world_organisations_of(&sc->p),
			worlds, a, b);
		return 2;
	}
	return 0;
}

/* --outputs LIST: names of cd_output_names, or "all". Returns 0 and the
 * mask, or 2 after a message. */
static int parse_outputs(struct cmd_line *l, const char *v, unsigned *mask)
{
	char buf[256];
	*mask = 0;
	snprintf(buf, sizeof buf, "%s", v);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		unsigned bit = 0;
		for (int k = 0; k < CD_OUT_N; k++)
			if (!strcmp(t, cd_output_names[k]))
				bit = 1u << k;
		if (!strcmp(t, "all"))
			bit = CD_OUT_ALL;
		if (!bit || strlen(v) >= sizeof buf)
			return cmd_bad(
				l,
				"--outputs: allowed: a comma-separated "
				"list of timeseries, sharing, incidents, "
				"summary, readiness, or all; got ",
				v);
		*mask |= bit;
	}
	if (!*mask)
		return cmd_bad(l, "--outputs: allowed: at least one file; got ",
			       v);
	return 0;
}

enum { OPT_OUTPUTS = OPT_FIRST_OWN, OPT_POSTERIOR };

/* Loads SCENARIO for a run seeded o->seed: with --posterior `file` (NULL:
 * none), the scenario with o's --set is loaded first (the posterior's
 * settings are checked against it), then again with the particle
 * replicate 0 draws (*post, *k) as its layer: after the scenario's own
 * settings, before its `overrides` and o's --set.
 * Returns 0, or 2 / 1 after a message (*post then owns nothing). */
static int load_run(const char *path, const struct cmd_common *o,
		    const char *file, struct posterior *post, size_t *k,
		    struct cd_scenario **sc)
{
	int rc = cli_load_scenario(path, o->sets, o->n_sets, sc);
	if (rc || !file)
		return rc;
	struct cd_diag d;
	rc = posterior_load(post, file, &(*sc)->p, &d);
	scenario_destroy(*sc);
	*sc = NULL;
	if (!rc) {
		*k = posterior_draw(post, o->seed, 0);
		struct posterior_layer ly;
		posterior_layer(post, *k, &ly);
		rc = scenario_open_layer(sc, path, &ly.layer, o->sets,
					 o->n_sets, &d);
	}
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		posterior_free(post);
	}
	return rc == CD_ENOMEM ? 1 : rc ? 2 : 0;
}

static void print_particle(const struct posterior *post, size_t k)
{
	printf("  posterior %s: generation %ld, particle %ld:", post->path,
	       post->generation, post->particle[k]);
	for (int i = 0; i < post->d; i++)
		printf(" %s", post->text[k][i]);
	printf("\n");
}

static int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_OPT_SEED,
		CMD_OPT_SET,
		CMD_OPT_DAYS,
		CMD_OPT_OUT,
		CMD_OPT_QUIET,
		CMD_OPT_MAX_MEMORY,
		CMD_OPT_HELP,
		{"outputs", required_argument, NULL, OPT_OUTPUTS},
		{"posterior", required_argument, NULL, OPT_POSTERIOR},
		CMD_OPT_END};
	const char *posterior = NULL;
	unsigned files = CD_OUT_ALL;
	struct cmd_common o = {.seed = 1, .out = "out"};
	char command[2048]; /* as typed: getopt_long reorders argv */
	join_args(argc, argv, command, sizeof command);
	struct cmd_line l;
	int c, rc = cmd_begin(&l, argc, argv, longopts, usage_run);
	while (!rc && (c = cmd_next(&l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			fputs(usage_run, stdout);
			return 0;
		}
		if (c == OPT_POSTERIOR)
			posterior = l.optarg;
		else
			rc = c == OPT_OUTPUTS
				     ? parse_outputs(&l, l.optarg, &files)
				     : cmd_common(&l, &o, c, l.optarg);
	}
	if (rc || (rc = cmd_positional(&l, 1, "scenario")))
		return rc;
	const char *path = l.n_pos ? l.pos[0] : NULL, *dir = o.out;
	uint64_t seed = o.seed;
	int quiet = o.quiet;
	double max_memory = o.max_memory;
	struct cd_scenario *sc;
	struct posterior post = {0};
	size_t k = 0;
	rc = load_run(path, &o, posterior, &post, &k, &sc);
	if (rc)
		return rc;
	struct cd_summary s;
	struct cd_run_info info = {sc, seed, command, posterior ? &post : NULL,
				   k};
	rc = memory_check(sc, 1, max_memory);
	if (!rc)
		rc = run_with(&info, dir, files, &s, NULL);
	if (!rc && !quiet && posterior)
		print_particle(&post, k);
	if (!rc && !quiet)
		print_summary(sc, &s, dir, files);
	scenario_destroy(sc);
	posterior_free(&post);
	return rc;
}

/* The first comment line of a scenario: its one-line description. */
static void first_description(const char *text, char *buf, size_t size)
{
	buf[0] = '\0';
	const char *p = strstr(text, "description");
	if (p && (p = strchr(p, '"'))) {
		const char *e = strchr(p + 1, '"');
		if (e)
			snprintf(buf, size, "%.*s", (int)(e - p - 1), p + 1);
	}
}

static const char usage_describe[] =
	"usage: cyberdef describe SCENARIO [--set PATH=VALUE]... [--kind "
	"KIND]\n"
	"\n"
	"Prints every parameter of SCENARIO as the model will use it: after\n"
	"@include, overrides, --set and the stage mappings, with the file and\n"
	"line that set it and the source comment beside it there, then the\n"
	"timeline. SCENARIO is a file or a built-in name (cyberdef list).\n"
	"\n"
	"  --kind KIND  only the settings of one kind (the assumptions\n"
	"               register): assumption, calibrated, sourced (a source\n"
	"               comment), unannotated, set (--set), derived (a stage\n"
	"               mapping) or default\n";

static int cmd_describe(int argc, char **argv)
{
	enum { OPT_KIND = OPT_FIRST_OWN };
	static const struct option longopts[] = {
		{"kind", required_argument, NULL, OPT_KIND},
		CMD_OPT_SET,
		CMD_OPT_DAYS,
		CMD_OPT_HELP,
		CMD_OPT_END};
	struct cmd_common o = {0};
	struct cmd_line l;
	const char *only = NULL;
	int c, rc = cmd_begin(&l, argc, argv, longopts, usage_describe);
	while (!rc && (c = cmd_next(&l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			fputs(usage_describe, stdout);
			return 0;
		}
		if (c != OPT_KIND) {
			rc = cmd_common(&l, &o, c, l.optarg);
			continue;
		}
		only = NULL;
		for (int k = 0; scenario_describe_kinds[k]; k++)
			if (!strcmp(l.optarg, scenario_describe_kinds[k]))
				only = scenario_describe_kinds[k];
		if (!only)
			return cmd_bad(&l,
				       "--kind: allowed: assumption, "
				       "calibrated, sourced, unannotated, set, "
				       "derived or default; got ",
				       l.optarg);
	}
	if (rc || (rc = cmd_positional(&l, 1, "scenario")))
		return rc;
	if (!l.n_pos)
		return cmd_bad(&l, "describe needs a SCENARIO", "");
	struct cd_scenario *sc;
	rc = cli_load_scenario(l.pos[0], o.sets, o.n_sets, &sc);
	if (rc)
		return rc;
	scenario_describe_only(sc, stdout, only);
	scenario_destroy(sc);
	return 0;
}

static const char usage_list[] =
	"usage: cyberdef list\n\nLists the scenarios compiled into cyberdef "
	"(the files in scenarios/).\n";
static const char usage_columns[] =
	"usage: cyberdef columns\n\nPrints every output file's columns, "
	"with units and meanings, as\nMarkdown tables.\n";

/* A command without options or arguments: parses argv as every command
 * does (--help, unknown options and extra arguments refused). Returns -1
 * to go on, or the exit status. */
static int no_options(int argc, char **argv, const char *usage)
{
	static const struct option longopts[] = {CMD_OPT_HELP, CMD_OPT_END};
	struct cmd_line l;
	int c, rc = cmd_begin(&l, argc, argv, longopts, usage);
	while (!rc && (c = cmd_next(&l)) != -1) {
		if (c == -2)
			return 2;
		if (c == 'h') {
			fputs(usage, stdout);
			return 0;
		}
	}
	if (rc || (rc = cmd_positional(&l, 0, "argument")))
		return rc;
	return -1;
}

static int cmd_list(int argc, char **argv)
{
	int rc = no_options(argc, argv, usage_list);
	if (rc >= 0)
		return rc;
	for (int i = 0; i < scenario_embedded_count(); i++) {
		const char *name = scenario_embedded_name(i);
		char desc[CD_TEXT_MAX];
		first_description(scenario_embedded_text(name), desc,
				  sizeof desc);
		printf("%-26s %s\n", name, desc);
	}
	return 0;
}

static int cmd_columns(int argc, char **argv)
{
	int rc = no_options(argc, argv, usage_columns);
	if (rc >= 0)
		return rc;
	output_columns_markdown(stdout);
	return 0;
}

int cli_main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	install_signal_handler();
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("cyberdef %s\n", CD_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "describe"))
		return cmd_describe(argc - 1, argv + 1);
	if (!strcmp(cmd, "sweep"))
		return sweep_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return compare_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "sensitivity"))
		return sensitivity_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "observe"))
		return observe_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "calibrate"))
		return calibrate_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "plot"))
		return plot_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "bench"))
		return bench_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "columns"))
		return cmd_columns(argc - 1, argv + 1);
	return bad_usage("unknown command ", cmd, usage_main);
}
