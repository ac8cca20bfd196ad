/* Helpers of the walks of declared limits (library cyberdef_test_limits,
 * tests/test_limits*.c): a scenario text built line by line, loading it at
 * an edge (accepted) and one past it (refused with a one-line message),
 * running its world, and running the program on it.
 *
 * Every walk runs in a fresh directory lim_dir (lim_setup, lim_teardown).
 * As in support.h, every function may fail the current test through
 * cmocka. Include <cmocka.h> (with its prerequisites) first.
 */
#ifndef CYBERDEF_TESTS_LIMITS_H
#define CYBERDEF_TESTS_LIMITS_H

#include <limits.h>
#include <stddef.h>

#include "core/status.h"
#include "load/scenario.h"
#include "world/world.h"

#define NAME "lim.cfg" /* the name of generated scenarios */

/* This walk's directory, for files and outputs. */
extern char lim_dir[PATH_MAX];
/* The message of the last refusal (lim_refuse). */
extern char lim_last_msg[sizeof(struct cd_diag)];

/* cmocka setup and teardown of a walk: make and remove lim_dir, and free
 * T. */
int lim_setup(void **state);
int lim_teardown(void **state);

/* ---- text ---- */
/* A growing text that counts its lines: `line` is the line the next
 * character goes on. */
struct text {
	char *s;
	size_t len, cap;
	int line;
};
extern struct text T; /* the scenario being built; freed by teardown */

void t_reset(struct text *t);
void t_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "lim.cfg:LINE:" (one static buffer: one use per call). */
const char *lim_at(int line);
/* Writes len bytes of text to lim_dir/name and its path into path. */
void lim_write_file(char *path, size_t size, const char *name, const char *text,
		    size_t len);

/* ---- loading and running ---- */
/* Loads `text` (or, if NULL, the file `path`) with the --set texts: it must
 * be accepted. */
struct cd_scenario *lim_accept(const char *text, const char *path,
			       const char *const *sets, int n_sets);
/* As lim_accept, but it must be refused with CD_EINVAL and a one-line
 * message holding every fragment of the NULL-terminated list. */
void lim_refuse(const char *text, const char *path, const char *const *sets,
		int n_sets, ...);
/* The world of sc (seed 1), and `days` of it simulated. */
sim_world *lim_world(const struct cd_scenario *sc);
void lim_steps(sim_world *w, int days);
/* Adds `n` segments s1..sN, one per line, with `extra` settings each. */
void lim_add_segments(struct text *t, int n, const char *extra);

/* An attacker `name` of ten campaigns a day against segment `target`. */
#define ATTACKER                                                    \
	"  %s = { type = \"criminal\"; objective = \"espionage\"; " \
	"campaigns_per_year = 3650.0; attempts_per_day = 100.0; "   \
	"success_prob = 0.5; stealth = 0.0; targets = { %s = 1.0; }; };\n"
/* An attacker that starts no campaign. */
#define IDLE                                                                   \
	"attackers = { a = { type = \"criminal\"; objective = \"espionage\"; " \
	"campaigns_per_year = 0.0; targets = { s1 = 1.0; }; }; };\n"
/* Organisations that are attacked, detect every foothold and report it. */
#define REPORTING                                                          \
	"hygiene_mean = 0.0; monitoring_mean = 1.0; trained_ratio = 1.0; " \
	"share_rate = 1.0;"
#define DETECTION "detection = { internal_rate = 1.0; };\n"

/* ---- the program ---- */
struct lim_proc {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
};

/* Runs cyberdef in lim_dir with the NULL-terminated arguments of args
 * (at most LIM_MAX_ARGS), through the runner of support.h (a run that
 * hangs is killed and fails). */
#define LIM_MAX_ARGS 160
void lim_run_argv(struct lim_proc *r, const char *const *args);
/* The same, with the arguments given one by one, NULL-terminated. */
void lim_run(struct lim_proc *r, ...);
void lim_run_free(struct lim_proc *r);
/* Fails unless the run exited with `status` and, if the NULL-terminated
 * fragments are given, its stderr is one line "cyberdef: ..." (then the
 * usage, for a bad option) holding each. Frees the run. */
void lim_expect_run(struct lim_proc *r, int status, ...);
/* A tiny scenario in lim_dir/tiny.cfg; its path in path. */
void lim_tiny(char *path, size_t size);

#endif
