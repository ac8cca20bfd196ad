/* fuzz_args: libFuzzer harness for command-line settings and sweep specs.
 *
 * The input is text "PATH=VALUE" (no '=': all of it is PATH and VALUE is
 * empty), as --set, `overrides` and the columns of a sweep design give
 * settings. PATH=VALUE is parsed with scenario_parse_assign against a
 * fixed valid scenario (loaded once from the text below: every kind of
 * setting, collection and weights group is there to be named) and applied
 * to a copy of its parameters; scenario_check_path must accept every PATH
 * that scenario_parse_assign accepts. The whole input and VALUE are then
 * parsed as a sweep SPEC with sweep_parse_spec, and (as `--vary PATH=SPEC`
 * does) the first values of VALUE's spec are parsed as PATH's value.
 * Errors are fine if they are clean: a known status and a non-empty
 * message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/scenario.h"
#include "core/status.h"
#include "analysis/spec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Values of a spec checked against PATH, at most (as many as a sweep
 * would check, but each costs a full parse). */
#define MAX_CHECKED 64

static const char base_text[] =
	"description = \"fuzz_args base\";\n"
	"days = 100;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 2; sector = \"gov\"; };\n"
	"  grid = { kind = \"infrastructure\"; count = 3; size = \"large\";"
	" };\n"
	"  firms = { kind = \"corporation\"; count = 10; };\n"
	"};\n"
	"attackers = {\n"
	"  apt = { type = \"state\"; objective = \"espionage\";\n"
	"    targets = { gov = 1.0; firms = 0.5; }; };\n"
	"  gang = { type = \"criminal\"; objective = \"extortion\";\n"
	"    impact_days_mean = 5.0; demands_ransom = true; targets = { firms = 1.0; grid = 2.0; }; };\n"
	"};\n"
	"bodies = {\n"
	"  nisc = { kind = \"government\"; stage = \"wog\";\n"
	"    members = { gov = 1.0; }; };\n"
	"  cert = { kind = \"national\"; };\n"
	"  isac = { kind = \"sector\"; members = { firms = 0.5; }; };\n"
	"  us = { kind = \"partner\"; sees_abroad = 0.5; };\n"
	"};\n"
	"links = {\n"
	"  up = { from = \"nisc\"; to = \"cert\"; stage = \"won\"; };\n"
	"  down = { from = \"cert\"; to = \"isac\"; };\n"
	"  abroad = { from = \"us\"; to = \"cert\"; stage = \"wos\"; };\n"
	"};\n"
	"detection = { hunt_rate = 0.2; };\n"
	"wog = { maturity = 0.5; };\n"
	"won = { maturity = 0.3; };\n"
	"wos = { maturity = 0.6; };\n"
	"workforce = { enabled = true; };\n"
	"crisis = { enabled = true; threshold = 3.0; };\n"
	"timeline = ( { day = 10; set = { won = { maturity = 0.5; }; }; } );\n"
	"sweep = { vary = ( \"won.maturity=0:1:0.5\" ); reps = 2; };\n"
	"overrides = { wos = { maturity = 0.7; }; };\n";

static struct cd_scenario *base;

static void cleanup(void)
{
	scenario_destroy(base);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct cd_diag d;
	if (scenario_load_string(&base, "fuzz_args_base.cfg", base_text, NULL,
				 0, &d)) {
		fprintf(stderr, "fuzz_args: base scenario: %s\n", d.msg);
		abort();
	}
	atexit(cleanup);
	return 0;
}

static void check_clean(int rc, const char *msg, const char *what)
{
	if (rc != CD_EINVAL || !msg[0]) {
		fprintf(stderr, "fuzz_args: %s: unclean error %d, \"%s\"\n",
			what, rc, msg);
		abort();
	}
}

/* Parses text as PATH's value and applies it to a copy of the base.
 * Returns the status of scenario_parse_assign. */
static int assign(const char *path, const char *text)
{
	static struct cd_params p; /* large: not on the stack */
	static unsigned char set[sizeof(struct cd_params)];
	struct cd_assign a;
	struct cd_diag d;
	d.msg[0] = '\0';
	int rc = scenario_parse_assign(&base->p, path, text, "fuzz", &a, &d);
	if (rc) {
		check_clean(rc, d.msg, "scenario_parse_assign");
		return rc;
	}
	if (a.offset >= sizeof p) {
		fprintf(stderr, "fuzz_args: %s: offset %zu\n", path, a.offset);
		abort();
	}
	p = base->p;
	params_apply(&p, set, &a);
	return 0;
}

/* Parses spec; when path is not NULL, checks its first values as PATH's. */
static void spec(const char *text, const char *path)
{
	char(*values)[SWEEP_VALUE_MAX] = NULL;
	int n = -1;
	char err[512] = "";
	int rc = sweep_parse_spec(text, &values, &n, err, sizeof err);
	if (rc == CD_ENOMEM)
		return;
	if (rc) {
		check_clean(rc, err, "sweep_parse_spec");
		if (values || n) {
			fprintf(stderr,
				"fuzz_args: failed spec left %d "
				"values\n",
				n);
			abort();
		}
		return;
	}
	if (n < 1 || n > SWEEP_MAX_VALUES || !values) {
		fprintf(stderr, "fuzz_args: spec gave %d values\n", n);
		abort();
	}
	for (int i = 0; i < n; i++)
		if (!memchr(values[i], '\0', SWEEP_VALUE_MAX) ||
		    !values[i][0]) {
			fprintf(stderr,
				"fuzz_args: value %d is not a "
				"non-empty string\n",
				i);
			abort();
		}
	for (int i = 0; path && i < n && i < MAX_CHECKED; i++)
		assign(path, values[i]);
	free(values);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memchr(data, '\0', size))
		return -1; /* a command-line text holds no NUL */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	spec(text, NULL);
	char *eq = strchr(text, '=');
	const char *value = "";
	if (eq) {
		*eq = '\0';
		value = eq + 1;
	}
	struct cd_diag d;
	d.msg[0] = '\0';
	int path_rc = scenario_check_path(&base->p, text, "fuzz", &d);
	if (path_rc)
		check_clean(path_rc, d.msg, "scenario_check_path");
	if (assign(text, value) == 0 && path_rc) {
		fprintf(stderr,
			"fuzz_args: scenario_check_path refuses '%s', "
			"which scenario_parse_assign accepts\n",
			text);
		abort();
	}
	spec(value, text);
	free(text);
	return 0;
}
