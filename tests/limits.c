/* Helpers of the walks of declared limits: see limits.h. */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw; implies POSIX.1-2008 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

#include "limits.h"
#include "support.h"

#ifndef CYBERDEF_BIN
#error "CYBERDEF_BIN must name the cyberdef program (see tests/CMakeLists.txt)"
#endif

#define TIMEOUT_S 20.0 /* a hung program fails its walk */

char lim_dir[PATH_MAX];
char lim_last_msg[sizeof(struct cd_diag)];
struct text T;

int lim_setup(void **state)
{
	(void)state;
	return ts_make_tmpdir(lim_dir, sizeof lim_dir, "cyberdef-limits");
}

int lim_teardown(void **state)
{
	(void)state;
	free(T.s);
	T = (struct text){0};
	return ts_rm_rf(lim_dir);
}

/* ---- text ---------------------------------------------------------------- */

void t_reset(struct text *t)
{
	t->len = 0;
	t->line = 1;
	if (t->s)
		t->s[0] = '\0';
}

void t_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (t->len + (size_t)n + 1 > cap)
			cap *= 2;
		char *s = realloc(t->s, cap);
		assert_non_null(s);
		t->s = s;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	for (const char *c = t->s + t->len; *c; c++)
		t->line += *c == '\n';
	t->len += (size_t)n;
}

/* "lim.cfg:LINE:" (one static buffer: one use per call). */
const char *lim_at(int line)
{
	static char buf[64];
	snprintf(buf, sizeof buf, NAME ":%d:", line);
	return buf;
}

/* Writes `text` to tmp/name and its path into path. */
void lim_write_file(char *path, size_t size, const char *name, const char *text,
		    size_t len)
{
	ts_path_join(path, size, lim_dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* ---- loading and running ------------------------------------------------- */

/* Fails unless msg is one line holding every fragment of ap. */
static void check_msg(const char *msg, va_list ap)
{
	if (!msg[0] || strchr(msg, '\n'))
		fail_msg("not a one-line message: \"%s\"", msg);
	const char *frag;
	while ((frag = va_arg(ap, const char *)))
		if (!strstr(msg, frag))
			fail_msg("message lacks \"%s\":\n    %s", frag, msg);
}

/* Loads `text` (or, if NULL, the file `path`) with the --set texts: it must
 * be accepted. */
struct cd_scenario *lim_accept(const char *text, const char *path,
			       const char *const *sets, int n_sets)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	int rc = text ? scenario_load_string(&sc, NAME, text, sets, n_sets, &d)
		      : scenario_load_file(&sc, path, sets, n_sets, &d);
	if (rc)
		fail_msg("refused at the edge (%s): %s", cd_strerror(rc),
			 d.msg);
	assert_non_null(sc);
	return sc;
}

/* As accept, but it must be refused with CD_EINVAL and a message holding
 * every fragment of the NULL-terminated list. */
void lim_refuse(const char *text, const char *path, const char *const *sets,
		int n_sets, ...)
{
	struct cd_scenario *sc = NULL;
	struct cd_diag d = {{0}};
	int rc = text ? scenario_load_string(&sc, NAME, text, sets, n_sets, &d)
		      : scenario_load_file(&sc, path, sets, n_sets, &d);
	scenario_destroy(sc);
	if (rc != CD_EINVAL)
		fail_msg("one past the edge: status %d (%s), want CD_EINVAL; "
			 "message: %s",
			 rc, cd_strerror(rc), d.msg);
	assert_null(sc);
	memcpy(lim_last_msg, d.msg, sizeof lim_last_msg);
	va_list ap;
	va_start(ap, n_sets);
	check_msg(d.msg, ap);
	va_end(ap);
}

sim_world *lim_world(const struct cd_scenario *sc)
{
	sim_world *w = NULL;
	int rc = sim_world_create(&w, &sc->p, sc->set, &sc->timeline, 1);
	if (rc)
		fail_msg("sim_world_create: %s", cd_strerror(rc));
	return w;
}

void lim_steps(sim_world *w, int days)
{
	for (int d = 0; d < days; d++)
		assert_int_equal(sim_world_step(w), 0);
}

/* Adds `n` segments s1..sN, one per line, with `extra` settings each. */
void lim_add_segments(struct text *t, int n, const char *extra)
{
	t_add(t, "segments = {\n");
	for (int s = 1; s <= n; s++)
		t_add(t,
		      "  s%d = { kind = \"corporation\"; count = 10; %s };\n",
		      s, extra);
	t_add(t, "};\n");
}

/* ---- the program --------------------------------------------------------- */

void lim_run_free(struct lim_proc *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void lim_run_argv(struct lim_proc *r, const char *const *args)
{
	const char *argv[LIM_MAX_ARGS + 2];
	int n = 0;
	argv[n++] = CYBERDEF_BIN;
	for (; args[n - 1]; n++) {
		assert_true(n <= LIM_MAX_ARGS);
		argv[n] = args[n - 1];
	}
	argv[n] = NULL;
	struct ts_spawn o = {.cwd = lim_dir, .timeout_s = TIMEOUT_S};
	struct ts_proc p;
	ts_run(&p, &o, argv);
	r->status = p.exited ? p.status : 128 + p.status;
	r->out = p.out;
	r->err = p.err;
	p.out = p.err = NULL;
	ts_proc_free(&p);
}

void lim_run(struct lim_proc *r, ...)
{
	const char *args[LIM_MAX_ARGS + 1];
	va_list ap;
	va_start(ap, r);
	ts_collect_args(ap, args, LIM_MAX_ARGS);
	va_end(ap);
	lim_run_argv(r, args);
}

/* Fails unless the run exited with `status` and, if the NULL-terminated
 * fragments are given, its stderr is one line "cyberdef: ..." (then the
 * usage, for a bad option) holding each. */
void lim_expect_run(struct lim_proc *r, int status, ...)
{
	if (r->status != status)
		fail_msg("exit %d, want %d\nstdout:\n%s\nstderr:\n%s",
			 r->status, status, r->out, r->err);
	va_list ap;
	va_start(ap, status);
	const char *frag = va_arg(ap, const char *);
	if (frag && strncmp(r->err, "cyberdef: ", 10))
		fail_msg("stderr does not begin with \"cyberdef: \":\n%s",
			 r->err);
	char *nl = strchr(r->err, '\n');
	if (nl)
		*nl = '\0'; /* the message; the usage may follow */
	for (; frag; frag = va_arg(ap, const char *))
		if (!strstr(r->err, frag))
			fail_msg("stderr lacks \"%s\":\n%s", frag, r->err);
	va_end(ap);
	lim_run_free(r);
}

/* A tiny scenario in tmp/tiny.cfg; its path in path. */
void lim_tiny(char *path, size_t size)
{
	t_reset(&T);
	t_add(&T, "days = 3; warmup_days = 0;\n");
	lim_add_segments(&T, 1, "");
	t_add(&T, "attackers = {\n" ATTACKER "};\n", "a", "s1");
	lim_write_file(path, size, "tiny.cfg", T.s, T.len);
}
