/* tally: what happened on the day just simulated, and over the run.
 *
 * Plain data, like the parameters: each phase adds its counts to the
 * day's rows (struct cd_daily per segment, struct cd_body_daily per
 * body, world.h); at the end of the day the world adds them to the run's
 * totals. `events` counts the engine's events (candidate attempts,
 * detections, containments, sharing), for the benchmark.
 */
#ifndef CD_STATE_TALLY_H
#define CD_STATE_TALLY_H

#include <stdint.h>

#include "params/params.h"
#include "state/records.h"

struct cd_tally {
	struct cd_daily daily[CD_MAX_SEGMENTS], totals[CD_MAX_SEGMENTS];
	struct cd_body_daily bdaily[CD_MAX_BODIES], btotals[CD_MAX_BODIES];
	uint64_t events;
};

#endif
