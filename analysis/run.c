/* run: see run.h. */
#include "analysis/run.h"

#include <stdio.h>

#include "core/rng.h"
#include "core/status.h"

int cd_run(const struct cd_scenario *sc, uint64_t seed,
	   const struct cd_run_sink *sink, struct cd_summary *s,
	   sim_world **out, struct cd_diag *d)
{
	if (out)
		*out = NULL;
	sim_world *w = NULL;
	int rc = sim_world_create(&w, &sc->p, sc->set, &sc->timeline, seed);
	if (rc) {
		snprintf(d->msg, sizeof d->msg, "cannot create the world: %s",
			 cd_strerror(rc));
		return rc;
	}
	/* The warm-up's days (negative) are simulated, not reported. */
	for (int day = -sc->p.warmup_days; day < sc->p.days && !rc; day++) {
		rc = sim_world_step(w);
		if (rc == CD_EINTR)
			snprintf(d->msg, sizeof d->msg, "interrupted on day %d",
				 day);
		else if (rc)
			snprintf(d->msg, sizeof d->msg, "day %d: %s", day,
				 cd_strerror(rc));
		else if (day >= 0 && sink && sink->day)
			rc = sink->day(sink->ctx, w, d);
	}
	if (!rc && (rc = summary_compute(w, seed, s)))
		snprintf(d->msg, sizeof d->msg, "out of memory");
	if (rc || !out)
		sim_world_destroy(w);
	else
		*out = w;
	return rc;
}

uint64_t cd_study_seed(uint64_t master, int independent, uint64_t point,
		       uint64_t rep)
{
	return rng_derive(master, independent ? point : 0, rep);
}
