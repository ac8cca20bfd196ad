/* describe: what each setting of a loaded scenario is and where it came
 * from. `cyberdef describe` (scenario_describe, scenario.h) prints every
 * setting with its origin; the check below names the origin of a stage
 * mapping's coefficient when the loader refuses it.
 */
#ifndef CD_DESCRIBE_H
#define CD_DESCRIBE_H

#include "core/status.h"
#include "load/scenario.h"
#include "params/params.h"

/* Checks the stage mappings of p (stages_check): every mapped setting
 * within its range at every maturity in [0,1]. p is s->p at the start
 * (event < 0), or the parameters in force after timeline event `event`
 * (an index of s->timeline.events, expanded line event_line). Returns 0,
 * or CD_EINVAL with d->msg naming where the offending coefficient was set
 * (the file and line, the --set, or the event), the coefficient, the
 * derived setting and what is allowed. */
int scenario_check_stages(const struct cd_scenario *s,
			  const struct cd_params *p, int event, int event_line,
			  struct cd_diag *d);

#endif
