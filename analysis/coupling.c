/* coupling: see coupling.h. */
#include "analysis/coupling.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/run.h"
#include "core/status.h"

/* The four runs of replicate r: the coupled pair shares a seed; the
 * independent pair takes points 2 and 3 of an independent study, seeds no
 * coupled run uses. */
enum { BASE_C, ALT_C, BASE_I, ALT_I, ARMS };

static int run_arm(const struct cd_scenario *sc, uint64_t seed, int arm, int r,
		   struct cd_summary *s, struct cd_diag *d)
{
	static const char *const names[ARMS] = {
		"coupled base", "coupled alternative", "independent base",
		"independent alternative"};
	struct cd_diag why = {{0}};
	int rc = cd_run(sc, seed, NULL, s, NULL, &why);
	if (rc)
		snprintf(d->msg, sizeof d->msg,
			 "replicate %d, %s (seed %llu): %.900s", r, names[arm],
			 (unsigned long long)seed, why.msg);
	return rc;
}

int cd_coupling_measure(const struct cd_scenario *base,
			const struct cd_scenario *alt, int reps, uint64_t seed,
			const int *columns, int n_columns,
			struct cd_coupling_metric *out, struct cd_diag *d)
{
	size_t n = reps > 0 ? (size_t)reps : 0;
	/* diff[k][r] coupled, then diff[k][reps + r] independent. */
	double *diff = malloc((2 * n * (size_t)n_columns + 1) * sizeof *diff);
	double *scratch = malloc((STATS_BOOT_B + 2 * n + 1) * sizeof *scratch);
	int rc = diff && scratch ? 0 : CD_ENOMEM;
	if (rc)
		snprintf(d->msg, sizeof d->msg, "out of memory");
	for (size_t r = 0; r < n && !rc; r++) {
		const struct cd_scenario *sc[ARMS] = {base, alt, base, alt};
		uint64_t seeds[ARMS] = {cd_study_seed(seed, 0, 0, r),
					cd_study_seed(seed, 0, 1, r),
					cd_study_seed(seed, 1, 2, r),
					cd_study_seed(seed, 1, 3, r)};
		struct cd_summary s[ARMS];
		for (int a = 0; a < ARMS && !rc; a++)
			rc = run_arm(sc[a], seeds[a], a, (int)r, &s[a], d);
		for (int k = 0; k < n_columns && !rc; k++) {
			int c = columns[k];
			double *row = diff + 2 * n * (size_t)k;
			row[r] = s[ALT_C].v[c] - s[BASE_C].v[c];
			row[n + r] = s[ALT_I].v[c] - s[BASE_I].v[c];
		}
	}
	for (int k = 0; k < n_columns && !rc; k++) {
		const double *row = diff + 2 * n * (size_t)k;
		out[k].column = columns[k];
		stats_summarise(row, n, scratch, &out[k].diff);
		stats_variance_ratio(row + n, n, row, n, seed, scratch,
				     &out[k].vr);
	}
	free(diff);
	free(scratch);
	return rc;
}
