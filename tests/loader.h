/* Helpers of the tests of the scenario loader (library
 * cyberdef_test_loader, tests/test_scenario*.c): a small valid scenario
 * to change line by line, loading that must succeed or fail with a given
 * status and a one-line message, and a temporary directory for files.
 * As in support.h, every function may fail the current test through
 * cmocka. Include <cmocka.h> (with its prerequisites) first.
 */
#ifndef CYBERDEF_TESTS_LOADER_H
#define CYBERDEF_TESTS_LOADER_H

#include <stddef.h>

#include "core/status.h"
#include "load/scenario.h"

/* A small valid scenario with one group per line, so that a test can name
 * the line of each setting. BODY is 18 lines; SMALL is 19, so a line
 * appended to SMALL is line 20. */
#define SEGMENTS                                                    \
	"segments = {\n"                                            \
	"  gov = { kind = \"government\"; count = 2; };\n"          \
	"  firms = { kind = \"corporation\"; count = 10; };\n" /**/ \
	"};\n"
#define ATTACKERS                                                  \
	"attackers = {\n"                                          \
	"  apt = { type = \"state\"; objective = \"espionage\";\n" \
	"    targets = { gov = 1.0; firms = 0.5; }; };\n"          \
	"};\n"
#define BODIES                                                           \
	"bodies = {\n"                                                   \
	"  nisc = { kind = \"government\"; stage = \"wog\";\n"           \
	"    members = { gov = 1.0; }; };\n"                             \
	"  cert = { kind = \"national\"; };\n"                           \
	"  isac = { kind = \"sector\"; members = { firms = 0.5; }; };\n" \
	"};\n"
#define LINKS                                                            \
	"links = {\n"                                                    \
	"  up = { from = \"nisc\"; to = \"cert\"; stage = \"won\"; };\n" \
	"  down = { from = \"cert\"; to = \"isac\"; };\n"                \
	"};\n"
#define BODY SEGMENTS ATTACKERS BODIES LINKS
#define SMALL "days = 100; warmup_days = 0;\n" BODY
/* Where SMALL's elements are once loaded: collections are kept in the
 * order of their names (load/canon.c). */
enum { FIRMS, GOV };	   /* segments */
enum { CERT, ISAC, NISC }; /* bodies */
enum { DOWN, UP };	   /* links */

/* Fails unless msg is one line holding every fragment of the
 * NULL-terminated list. */
void ld_check_msg(const char *msg, const char *const *frags);
/* Fails unless rc is want; on failure shows the message. */
void ld_check_rc(int rc, int want, const struct cd_diag *d);
/* Loads `text` named `name` with the --set texts, expects status `want`
 * and a message holding every fragment. */
void ld_fail_string(const char *name, const char *text, const char *const *sets,
		    int n_sets, int want, const char *const *frags);
/* Expects `path` to fail to load with status want and the fragments. */
void ld_fail_file(const char *path, int want, const char *const *frags);

#define FRAGS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* The text "bad.cfg" must fail with CD_EINVAL and the fragments. */
#define FAIL(text, ...) \
	ld_fail_string("bad.cfg", text, NULL, 0, CD_EINVAL, FRAGS(__VA_ARGS__))
/* As FAIL, with one --set text. */
#define FAIL_SET(text, set, ...)                                       \
	ld_fail_string("bad.cfg", text, (const char *const[]){set}, 1, \
		       CD_EINVAL, FRAGS(__VA_ARGS__))

/* Loads that must succeed: text named good.cfg (with --set texts), a
 * file, a scenario compiled into the program. */
struct cd_scenario *ld_load_string_sets(const char *text,
					const char *const *sets, int n_sets);
struct cd_scenario *ld_load_string(const char *text);
struct cd_scenario *ld_load_file(const char *path);
struct cd_scenario *ld_load_embedded(const char *name);

/* ---- a temporary directory for files ---- */
struct fixture {
	char dir[64];
};
/* cmocka setup and teardown: make and remove the directory. */
int ld_setup_dir(void **state);
int ld_teardown_dir(void **state);
/* Writes "<dir>/<rel>" into buf. */
void ld_path_in(char *buf, size_t size, const struct fixture *fx,
		const char *rel);
/* Writes len bytes of text (or a string) to "<dir>/<rel>". */
void ld_write_bytes(const struct fixture *fx, const char *rel, const char *text,
		    size_t len);
void ld_write_text(const struct fixture *fx, const char *rel, const char *text);

#endif
