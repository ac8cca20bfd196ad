/* A model file including headers of its own and lower layers: compiles.
 * The control for upward.c, so that its failure means the layering. */
#include "core/rng.h"
#include "models/phases.h"
#include "params/params.h"
#include "state/orgs.h"

int layer_probe_downward(void);
int layer_probe_downward(void)
{
	return CD_MAX_SEGMENTS;
}
