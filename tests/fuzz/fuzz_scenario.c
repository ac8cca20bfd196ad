/* fuzz_scenario: libFuzzer harness for scenario loading.
 *
 * The input is scenario text. It is loaded with scenario_load_string (so
 * @include expansion, libconfig parsing, schema validation, overrides, the
 * timeline and the cross-setting rules all see it); a loaded scenario is
 * described to /dev/null and, when it is small, simulated for a few days.
 * A load error must be a clean one: a known status and a non-empty
 * message. Crashes, leaks, undefined behaviour and hangs are findings.
 *
 * @include cannot reach the file system outside an empty directory: the
 * text is named DIR/fuzz.cfg, DIR being a fresh empty directory made at
 * start-up (removed at exit), and inputs that hold "@include" and any '/'
 * are refused (returned -1, so they stay out of the corpus). An included
 * path therefore has no '/' and resolves inside DIR, where there is
 * nothing to read ("." and ".." are directories, and reading one fails).
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/scenario.h"
#include "core/status.h"
#include "world/world.h"

/* A scenario is simulated when it has at most this many organisations, for
 * at most SIM_DAYS days. */
#define SIM_MAX_ORGS 10000
#define SIM_DAYS "3"
/* ... and when its attackers make at most this many candidate attempts
 * (attempts_per_day x success_prob, summed) a day: each candidate costs a
 * few draws, so 1e12 of them is a slow scenario, not a finding. */
#define SIM_MAX_CANDIDATES 1e6

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[512];
static char name[600];
static FILE *devnull;

static void cleanup(void)
{
	if (devnull)
		fclose(devnull);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	gsl_set_error_handler_off(); /* as the program's main does */
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0] || strlen(tmp) > 400)
		tmp = "/tmp";
	snprintf(dir, sizeof dir, "%s/cyberdef-fuzz.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror("fuzz_scenario: mkdtemp");
		abort();
	}
	snprintf(name, sizeof name, "%s/fuzz.cfg", dir);
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("fuzz_scenario: /dev/null");
		abort();
	}
	atexit(cleanup);
	return 0;
}

/* 1 if the n bytes at data hold the string s. */
static int contains(const uint8_t *data, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(data + i, s, k))
			return 1;
	return 0;
}

static double candidates_per_day(const struct cd_params *p)
{
	double n = 0;
	for (int a = 0; a < p->n_attackers; a++)
		n += p->attackers[a].attempts_per_day *
		     p->attackers[a].success_prob;
	return n;
}

/* Runs a few days of sc, if it is small. */
static void simulate(const struct cd_scenario *sc)
{
	if (sim_world_organisations_of(&sc->p) > SIM_MAX_ORGS ||
	    candidates_per_day(&sc->p) > SIM_MAX_CANDIDATES)
		return;
	static struct cd_params p; /* large: not on the stack */
	p = sc->p;
	struct cd_assign a;
	struct cd_diag d;
	if (p.days > atoi(SIM_DAYS)) {
		/* Timeline events beyond the new horizon never fire. */
		if (scenario_parse_assign(&p, "days", SIM_DAYS, "fuzz", &a,
					  &d)) {
			fprintf(stderr, "fuzz_scenario: %s\n", d.msg);
			abort();
		}
		params_apply(&p, NULL, &a);
	}
	sim_world *w = NULL;
	int rc = sim_world_create(&w, &p, sc->set, &sc->timeline, 1);
	if (rc == CD_ENOMEM || rc == CD_ELIMIT)
		return;
	if (rc) {
		fprintf(stderr, "fuzz_scenario: sim_world_create: %s\n",
			cd_strerror(rc));
		abort();
	}
	for (int day = 0; day < p.days && !rc; day++)
		rc = sim_world_step(w);
	sim_world_destroy(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memchr(data, '\0', size))
		return -1; /* the text would end there: nothing new */
	if (contains(data, size, "@include") && memchr(data, '/', size))
		return -1; /* could name a file outside the empty directory */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct cd_scenario *sc = NULL;
	struct cd_diag d;
	int rc = scenario_load_string(&sc, name, text, NULL, 0, &d);
	free(text);
	if (rc) {
		if (sc || !d.msg[0] ||
		    (rc != CD_EINVAL && rc != CD_ENOENT && rc != CD_ENOMEM)) {
			fprintf(stderr,
				"fuzz_scenario: unclean error: status %d, "
				"scenario %p, message \"%s\"\n",
				rc, (void *)sc, d.msg);
			abort();
		}
		return 0;
	}
	scenario_describe(sc, devnull);
	simulate(sc);
	scenario_destroy(sc);
	return 0;
}
