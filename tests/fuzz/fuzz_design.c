/* fuzz_design: libFuzzer harness for sweep designs.
 *
 * The input is the bytes of a design CSV. They are parsed with
 * cd_design_parse against a small built-in scenario (loaded once from the
 * text below, with segments, attackers and a body to name). A design that
 * parses must be what the reader promises: 1 to CD_MAX_AXES columns, 1 to
 * CD_DESIGN_MAX_ROWS rows, every column a distinct setting and every cell
 * a value of at most SWEEP_VALUE_MAX - 1 bytes that its setting accepts;
 * the hash is the SHA-256 of the input either way. A refusal must be a
 * clean one: CD_EINVAL, CD_ELIMIT or CD_ENOMEM, a message that starts
 * with the file's name, and nothing owned. Crashes, leaks, undefined
 * behaviour and hangs are findings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/design.h"
#include "core/digest.h"
#include "load/scenario.h"
#include "core/status.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_text[] =
	"days = 30;\n"
	"segments = {\n"
	"  gov = { kind = \"government\"; count = 4; };\n"
	"  firms = { kind = \"corporation\"; count = 10; };\n"
	"};\n"
	"attackers = {\n"
	"  apt = { type = \"state\"; objective = \"espionage\";\n"
	"    targets = { gov = 1.0; firms = 0.5; }; };\n"
	"  gang = { type = \"criminal\"; objective = \"extortion\";\n"
	"    targets = { firms = 1.0; }; };\n"
	"};\n"
	"bodies = { cert = { kind = \"national\"; members = { firms = 0.5; "
	"}; }; };\n";

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
	if (scenario_load_string(&base, "fuzz_design.cfg", base_text, NULL, 0,
				 &d)) {
		fprintf(stderr, "fuzz_design: base scenario: %s\n", d.msg);
		abort();
	}
	atexit(cleanup);
	return 0;
}

static void finding(const char *what, const char *msg)
{
	fprintf(stderr, "fuzz_design: %s (%s)\n", what, msg);
	abort();
}

/* Everything a parsed design promises. */
static void check_design(const struct cd_design *dg)
{
	if (dg->n_cols < 1 || dg->n_cols > CD_MAX_AXES || dg->n_rows < 1 ||
	    dg->n_rows > CD_DESIGN_MAX_ROWS)
		finding("design of impossible size", "");
	for (int c = 0; c < dg->n_cols; c++) {
		const char *path = cd_design_column(dg, c);
		struct cd_diag d;
		if (scenario_check_path(&base->p, path, "fuzz", &d))
			finding("a column that names no setting", d.msg);
		for (int k = 0; k < c; k++)
			if (!strcmp(path, cd_design_column(dg, k)))
				finding("a setting named twice", path);
	}
	for (int r = 0; r < dg->n_rows; r++)
		for (int c = 0; c < dg->n_cols; c++) {
			const char *v = cd_design_cell(dg, r, c);
			struct cd_assign a;
			struct cd_diag d;
			if (strlen(v) >= SWEEP_VALUE_MAX)
				finding("a value too long", v);
			if (scenario_parse_assign(&base->p,
						  cd_design_column(dg, c), v,
						  "fuzz", &a, &d))
				finding("a value its setting refuses", d.msg);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_design dg;
	struct cd_diag d;
	d.msg[0] = '\0';
	int rc = cd_design_parse(&dg, "fuzz.csv", (const char *)data, size,
				 &base->p, &d);
	char hex[CD_SHA256_HEX];
	cd_sha256_hex(data, size, hex);
	if (strcmp(hex, dg.sha256))
		finding("the hash is not the SHA-256 of the bytes", dg.sha256);
	if (rc) {
		if ((rc != CD_EINVAL && rc != CD_ELIMIT && rc != CD_ENOMEM) ||
		    strncmp(d.msg, "fuzz.csv:", 9) || dg.t.cell || dg.t.text)
			finding("an unclean refusal", d.msg);
		return 0;
	}
	check_design(&dg);
	cd_design_free(&dg);
	return 0;
}
