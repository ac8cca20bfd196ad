/* bench_coupling: see bench_coupling.h. */
#include "cmd/bench_coupling.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/coupling.h"
#include "analysis/output.h"
#include "cmd/cli.h"
#include "core/status.h"

/* Prints v as a number, "inf", or "-" when undefined. */
static void cell(double v, int width)
{
	if (isnan(v))
		printf(" %*s", width, "-");
	else if (isinf(v))
		printf(" %*s", width, "inf");
	else
		printf(" %*.3g", width, v);
}

static void table(const struct cd_coupling_metric *m, int n, int reps)
{
	printf("%-28s %10s %10s %10s %10s %10s %9s %19s\n", "metric",
	       "mean diff", "ci lo", "ci hi", "sd indep", "sd coupled",
	       "var_ratio", "95% CI");
	for (int k = 0; k < n; k++) {
		printf("%-28s", cd_summary_names[m[k].column]);
		cell(m[k].diff.mean, 10);
		cell(m[k].diff.ci_lo, 10);
		cell(m[k].diff.ci_hi, 10);
		cell(sqrt(m[k].vr.var1), 10);
		cell(sqrt(m[k].vr.var2), 10);
		cell(m[k].vr.ratio, 9);
		printf("  [");
		cell(m[k].vr.ci_lo, 7);
		printf(",");
		cell(m[k].vr.ci_hi, 7);
		printf("]");
		if (m[k].vr.n1 < (size_t)reps || m[k].vr.n2 < (size_t)reps)
			printf("  (defined in %zu independent, %zu coupled "
			       "pairs)",
			       m[k].vr.n1, m[k].vr.n2);
		printf("\n");
	}
}

int bench_coupling(const char *scenario, const struct cmd_common *c,
		   const char *const *alt, int n_alt, int reps)
{
	const char *sets[CD_MAX_SETS];
	int n = 0;
	if (c->n_sets + n_alt > CD_MAX_SETS) {
		fprintf(stderr,
			"cyberdef: bench: %d --set (with --days) and %d --alt "
			"settings; allowed: at most %d in all\n",
			c->n_sets, n_alt, CD_MAX_SETS);
		return 2;
	}
	for (int i = 0; i < c->n_sets; i++)
		sets[n++] = c->sets[i];
	for (int i = 0; i < n_alt; i++)
		sets[n++] = alt[i];
	struct cd_scenario *base = NULL, *other = NULL;
	int rc = cli_load_scenario(scenario, c->sets, c->n_sets, &base);
	if (!rc)
		rc = cli_load_scenario(scenario, sets, n, &other);
	if (rc) {
		scenario_destroy(base);
		return rc;
	}
	printf("cyberdef bench: coupling of %s against it with", base->path);
	for (int i = 0; i < n_alt; i++)
		printf(" %s", alt[i]);
	printf(";\n%d coupled pairs (one seed per replicate, as in a sweep) "
	       "and %d independent\npairs (as sweep --independent) from "
	       "seed %llu\n\n",
	       reps, reps, (unsigned long long)c->seed);
	static const int headline[] = CD_COUPLING_HEADLINE;
	enum { N = sizeof headline / sizeof headline[0] };
	struct cd_coupling_metric m[N];
	struct cd_diag d = {{0}};
	rc = cd_coupling_measure(base, other, reps, c->seed, headline, N, m,
				 &d);
	scenario_destroy(base);
	scenario_destroy(other);
	if (rc) {
		fprintf(stderr, "cyberdef: bench: %s\n", d.msg);
		return rc == CD_EINTR ? 128 + cd_stop_signal : 1;
	}
	table(m, N, reps);
	printf("\nvar_ratio: variance of the difference over independent "
	       "pairs / over coupled\npairs (95%% CI: percentile bootstrap, "
	       "%d resamples of each set of %d pairs)\n",
	       STATS_BOOT_B, reps);
	return 0;
}
