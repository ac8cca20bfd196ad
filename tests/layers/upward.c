/* A model file including a command-layer header: must not compile, since
 * the models layer sees only the include roots of the layers below it
 * (CMakeLists.txt, "layers"). tests/layers/check.cmake builds it. */
#include "cmd/cli.h"

int layer_probe_upward(void);
int layer_probe_upward(void)
{
	return 0;
}
