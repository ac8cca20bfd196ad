/* Tests of the scenario loader, files and overrides: line numbers through
 * @include (missing, cyclic, binary and empty files, long names), --set and
 * `overrides`, and every shipped scenario loading both from the file system
 * and from the copy compiled into the program. Bad input of every class is
 * in test_scenario.c.
 */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/digest.h"
#include "core/status.h"
#include "load/scenario.h"
#include "loader.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define OFF(field) offsetof(struct cd_params, field)
#define DIR_TEST(fn) \
	cmocka_unit_test_setup_teardown(fn, ld_setup_dir, ld_teardown_dir)

/* ---- @include --------------------------------------------------------- */

static void test_include_missing(void **state)
{
	const struct fixture *fx = *state;
	char top[256], inc[256], want[300];

	ld_path_in(top, sizeof(top), fx, "top.cfg");
	ld_path_in(inc, sizeof(inc), fx, "nope.cfg");
	ld_write_text(fx, "top.cfg",
		      "days = 100; warmup_days = 0;\n# the "
		      "organisations\n@include \"nope.cfg\"\n");
	snprintf(want, sizeof(want), "%s:3:", top);
	ld_fail_file(top, CD_EINVAL,
		     FRAGS(want, "cannot read included file", inc));
	/* A missing top file is CD_ENOENT. */
	ld_fail_file(inc, CD_ENOENT, FRAGS("cannot read scenario", inc));
	/* A malformed @include line. */
	ld_write_text(fx, "mal.cfg",
		      "days = 100; warmup_days = 0;\n@include nope.cfg\n");
	ld_path_in(top, sizeof(top), fx, "mal.cfg");
	snprintf(want, sizeof(want), "%s:2:", top);
	ld_fail_file(top, CD_EINVAL, FRAGS(want, "malformed @include"));
}

static void test_include_cycle(void **state)
{
	const struct fixture *fx = *state;
	char a[256], b[256], want[600];

	ld_path_in(a, sizeof(a), fx, "a.cfg");
	ld_path_in(b, sizeof(b), fx, "b.cfg");
	ld_write_text(fx, "a.cfg",
		      "days = 100; warmup_days = 0;\n@include \"b.cfg\"\n");
	ld_write_text(fx, "b.cfg", "# b\n\n@include \"a.cfg\"\n");
	snprintf(want, sizeof(want), "%s:3: @include \"%s\" makes a cycle", b,
		 a);
	ld_fail_file(a, CD_EINVAL, FRAGS(want));
	/* A file including itself. */
	ld_write_text(fx, "self.cfg", "@include \"self.cfg\"\n");
	ld_path_in(a, sizeof(a), fx, "self.cfg");
	snprintf(want, sizeof(want), "%s:1:", a);
	ld_fail_file(a, CD_EINVAL, FRAGS(want, "makes a cycle"));
	/* The same file included twice, not nested, is no cycle (and here a
	 * duplicate setting). */
	ld_write_text(fx, "twice.cfg",
		      "@include \"seg.cfg\"\n@include \"seg.cfg\"\n");
	ld_write_text(fx, "seg.cfg", "days = 5; warmup_days = 0;\n");
	ld_path_in(a, sizeof(a), fx, "twice.cfg");
	ld_path_in(b, sizeof(b), fx, "seg.cfg");
	snprintf(want, sizeof(want), "%s:1: syntax error", b);
	ld_fail_file(a, CD_EINVAL, FRAGS(want));
}

/* Errors name the file they are in and the line within it, before, inside
 * and after included files, nested and relative to the including file. */
/* parts/segs.cfg with a misspelt setting on its line 6. */
#define BAD_SEGS                                            \
	"# segments\n"                                      \
	"@include \"more.cfg\"\n"                           \
	"segments = {\n"                                    \
	"  gov = { kind = \"government\"; count = 2; };\n"  \
	"  firms = { kind = \"corporation\"; count = 10;\n" \
	"    hygine_mean = 0.3; };\n"                       \
	"};\n"

/* top.cfg includes parts/segs.cfg (which includes parts/more.cfg) and
 * atk.cfg; writes them with segs.cfg's text `segs` (NULL: a good one). */
static void write_include_tree(const struct fixture *fx, const char *segs)
{
	char dir[256];
	ld_path_in(dir, sizeof(dir), fx, "parts");
	if (mkdir(dir, 0700))
		assert_int_equal(errno, EEXIST);
	ld_write_text(fx, "parts/segs.cfg",
		      segs ? segs
			   : "# segments\n"
			     "@include \"more.cfg\"\n"
			     "segments = {\n"
			     "  gov = { kind = \"government\"; count = 2; };\n"
			     "  firms = { kind = \"corporation\"; count = 10; "
			     "};\n"
			     "};\n");
	ld_write_text(fx, "parts/more.cfg", "# more\n# more\n# more\n");
	ld_write_text(fx, "atk.cfg", ATTACKERS);
	ld_write_text(fx, "top.cfg",
		      "# top\n"
		      "days = 100; warmup_days = 0;\n"
		      "@include \"parts/segs.cfg\"\n"
		      "@include \"atk.cfg\"\n"
		      "won = { maturity = 0.3; };\n");
}

/* Every expanded line maps back to its file and line. */
static void test_include_lines(void **state)
{
	const struct fixture *fx = *state;
	char top[256], segs[256];
	write_include_tree(fx, NULL);
	ld_path_in(top, sizeof(top), fx, "top.cfg");
	struct cd_scenario *s = ld_load_file(top);
	assert_int_equal(s->p.n_segments, 2);
	assert_int_equal(s->p.n_attackers, 1);
	assert_int_equal(s->n_files, 4);
	assert_string_equal(s->files[0], top);
	/* Some expanded line maps back to line 4 of parts/segs.cfg, and it
	 * holds that line's text. */
	ld_path_in(segs, sizeof(segs), fx, "parts/segs.cfg");
	int line;
	for (line = 1; line <= s->n_lines; line++) {
		const char *f;
		int l;
		scenario_where(s, line, &f, &l);
		if (strcmp(f, segs) == 0 && l == 4)
			break;
	}
	assert_true(line <= s->n_lines);
	assert_true(strncmp(s->text + s->lines[line - 1].start, "  gov = {",
			    9) == 0);
	const char *file;
	scenario_where(s, 0, &file, &line);
	assert_string_equal(file, top);
	scenario_destroy(s);
}

/* An error in the top file after the includes, inside an included file
 * after a nested include, and in the nested include: each at its file
 * and line. */
static void test_include_errors(void **state)
{
	const struct fixture *fx = *state;
	char top[256], path[256], want[300];
	write_include_tree(fx, NULL);
	ld_write_text(fx, "top.cfg",
		      "# top\n"
		      "days = 100; warmup_days = 0;\n"
		      "@include \"parts/segs.cfg\"\n"
		      "@include \"atk.cfg\"\n"
		      "won = { maturity = 0.3; };\n"
		      "wos = { maturty = 0.5; };\n");
	ld_path_in(top, sizeof(top), fx, "top.cfg");
	snprintf(want, sizeof(want), "%s:6:", top);
	ld_fail_file(top, CD_EINVAL,
		     FRAGS(want, "unknown setting 'wos.maturty'",
			   "did you mean 'maturity'?"));
	write_include_tree(fx, BAD_SEGS);
	ld_path_in(path, sizeof(path), fx, "parts/segs.cfg");
	snprintf(want, sizeof(want), "%s:6:", path);
	ld_fail_file(top, CD_EINVAL,
		     FRAGS(want, "unknown setting 'segments.firms.hygine_mean'",
			   "did you mean 'hygiene_mean'?"));
	ld_write_text(fx, "parts/more.cfg", "# more\n\nx = = 1;\n");
	ld_path_in(path, sizeof(path), fx, "parts/more.cfg");
	snprintf(want, sizeof(want), "%s:3: syntax error", path);
	ld_fail_file(top, CD_EINVAL, FRAGS(want));
}

/* scenario_load_string reads includes relative to its name. */
static void test_include_from_string(void **state)
{
	const struct fixture *fx = *state;
	char top[256], segs[256], want[300];
	write_include_tree(fx, BAD_SEGS);
	ld_path_in(top, sizeof(top), fx, "virtual.cfg");
	ld_fail_string(top,
		       "days = 100; warmup_days = 0;\n@include \"atk.cfg\"\n",
		       NULL, 0, CD_EINVAL,
		       FRAGS("missing required setting 'segments'"));
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_string(
		&s, top,
		"days = 100; warmup_days = 0;\n@include \"parts/segs.cfg\"\n"
		"@include \"atk.cfg\"\n",
		NULL, 0, &d);
	/* segs.cfg has hygine_mean on its line 6. */
	ld_check_rc(rc, CD_EINVAL, &d);
	ld_path_in(segs, sizeof(segs), fx, "parts/segs.cfg");
	snprintf(want, sizeof(want), "%s:6:", segs);
	ld_check_msg(d.msg, FRAGS(want));
}

static void test_binary_file(void **state)
{
	const struct fixture *fx = *state;
	static const char bin[] =
		"days = 100; warmup_days = 0;\n\0\0\x01\x02\xff";
	char path[256], top[256], want[300];

	ld_write_bytes(fx, "bin.cfg", bin, sizeof(bin));
	ld_path_in(path, sizeof(path), fx, "bin.cfg");
	ld_fail_file(path, CD_EINVAL, FRAGS(path, "not a text file", "NUL"));
	/* Included, the message names the binary file. */
	ld_write_text(fx, "top.cfg",
		      "days = 100; warmup_days = 0;\n@include \"bin.cfg\"\n");
	ld_path_in(top, sizeof(top), fx, "top.cfg");
	snprintf(want, sizeof(want), "%s: not a text file", path);
	ld_fail_file(top, CD_EINVAL, FRAGS(want));
}

static void test_empty_file(void **state)
{
	const struct fixture *fx = *state;
	char path[256];

	ld_write_text(fx, "empty.cfg", "");
	ld_path_in(path, sizeof(path), fx, "empty.cfg");
	ld_fail_file(path, CD_EINVAL,
		     FRAGS(path, "missing required setting 'segments'"));
	ld_write_text(fx, "comments.cfg", "# nothing here\n\n// nor here\n");
	ld_path_in(path, sizeof(path), fx, "comments.cfg");
	ld_fail_file(path, CD_EINVAL,
		     FRAGS(path, "missing required setting 'segments'"));
	ld_fail_string(
		"empty.cfg", "", NULL, 0, CD_EINVAL,
		FRAGS("empty.cfg", "missing required setting 'segments'"));
}

static void test_duplicate_setting(void **state)
{
	(void)state;
	FAIL("days = 10; warmup_days = 0;\n"
	     "days = 20; warmup_days = 0;\n" BODY,
	     "bad.cfg:2:", "syntax error", "duplicate");
	FAIL("days = 10; warmup_days = 0;\n"
	     "segments = {\n"
	     "  gov = { kind = \"government\"; count = 2;\n"
	     "    count = 3; };\n"
	     "};\n" ATTACKERS,
	     "bad.cfg:4:", "duplicate");
}

/* A file name longer than the message buffer is truncated, not written
 * past the end of it: the bytes after d.msg stay as they were. */
static void test_long_file_name(void **state)
{
	static const char *const texts[] = {
		SMALL "dayz = 5;\n", "days = = 1; warmup_days = 0;\n", ""};
	char name[1500];
	struct {
		struct cd_diag d;
		char guard[2048];
	} *buf = malloc(sizeof(*buf));
	int i, k;

	(void)state;
	assert_non_null(buf);
	memset(name, 'n', sizeof(name));
	memcpy(name + sizeof(name) - 5, ".cfg", 5);
	for (i = 0; i < N_OF(texts); i++) {
		struct cd_scenario *s = NULL;
		int rc;

		memset(buf, 'g', sizeof(*buf));
		rc = scenario_load_string(&s, name, texts[i], NULL, 0, &buf->d);
		assert_null(s);
		assert_int_equal(rc, CD_EINVAL);
		assert_non_null(memchr(buf->d.msg, '\0', sizeof(buf->d.msg)));
		assert_true(strncmp(buf->d.msg, "nnnnnnnn", 8) == 0);
		for (k = 0; k < (int)sizeof(buf->guard); k++)
			if (buf->guard[k] != 'g')
				fail_msg("text %d: byte %d after the message "
					 "was overwritten",
					 i, k);
	}
	free(buf);
}

/* ---- --set ------------------------------------------------------------ */

static void test_set_applies(void **state)
{
	const char *sets[] = {"won.share_rate=0.647",
			      "segments.firms.count=5",
			      "attackers.apt.targets.firms=2",
			      "wog.maturity=0.9",
			      "description=\"two words\"",
			      "workforce.enabled=true",
			      "segments.gov.kind=infrastructure",
			      "links.down.from=nisc"};
	struct cd_scenario *s;
	const struct cd_params *p;

	(void)state;
	s = ld_load_string_sets(SMALL "won = { maturity = 0.7; };\n", sets,
				N_OF(sets));
	p = &s->p;
	/* Explicit: stages_derive would give 0.05 + 0.85 * 0.7 = 0.645. */
	assert_true(p->won.share_rate == 0.647);
	assert_int_equal(s->set[OFF(won.share_rate)], 1);
	/* The rest of won is still derived from its maturity. */
	assert_true(p->won.isac_coverage > 0.2 + 0.8 * 0.7 - 1e-12);
	assert_int_equal(s->set[OFF(won.isac_coverage)], 0);
	/* Segments take the explicit rate (both are not government now). */
	assert_true(p->segments[FIRMS].share_rate == 0.647);
	assert_true(p->segments[GOV].share_rate == 0.647);
	assert_int_equal(p->segments[GOV].kind, CD_KIND_INFRASTRUCTURE);
	assert_int_equal(p->segments[FIRMS].count, 5);
	assert_int_equal(s->set[OFF(segments[FIRMS].count)], 1);
	assert_true(p->attackers[0].targets[FIRMS] == 2.0);
	assert_true(p->attackers[0].targets[GOV] == 1.0);
	assert_int_equal(s->set[OFF(attackers[0].targets[FIRMS])], 1);
	/* A maturity given by --set drives its stage. */
	assert_true(p->wog.maturity == 0.9);
	assert_true(p->wog.relay > 0.3 + 0.7 * 0.9 - 1e-12 &&
		    p->wog.relay < 0.3 + 0.7 * 0.9 + 1e-12);
	assert_string_equal(p->description, "two words");
	assert_int_equal(p->workforce.enabled, 1);
	assert_int_equal(p->links[DOWN].from, NISC);
	assert_int_equal(s->n_sets, N_OF(sets));
	assert_string_equal(s->sets[0], "won.share_rate=0.647");
	assert_string_equal(s->sets[N_OF(sets) - 1], "links.down.from=nisc");
	scenario_destroy(s);
}

/* Bad --set texts, each with fragments of its message. */
static const struct {
	const char *set;
	const char *frag[3];
} set_cases[] = {
	{"won.shar_rate=0.5",
	 {"unknown setting 'won.shar_rate'", "did you mean 'share_rate'?"}},
	{"won.share_rate=1.5",
	 {"won.share_rate", "1.5 is out of range",
	  "allowed: a number in [0, 1]"}},
	{"won.share_rate=-0.1",
	 {"won.share_rate", "out of range", "allowed: a number in [0, 1]"}},
	{"won.share_rate=nan",
	 {"won.share_rate", "not a finite number",
	  "allowed: a number in [0, 1]"}},
	{"won.share_rate=inf",
	 {"won.share_rate", "not a finite number",
	  "allowed: a number in [0, 1]"}},
	{"won.share_rate=-inf", {"won.share_rate", "not a finite"}},
	{"won.share_rate=1e999",
	 {"won.share_rate", "'1e999' is out of range",
	  "allowed: a number in [0, 1]"}},
	{"won.share_rate=0.5x",
	 {"won.share_rate", "'0.5x' is not a number",
	  "allowed: a number in [0, 1]"}},
	{"won.share_rate=", {"won.share_rate", "is not a number"}},
	{"won.share_rate=high", {"'high' is not a number"}},
	{"won.share_rate", {"expected --set path=value"}},
	{"=0.5", {"expected --set path=value"}},
	{"segments.firmz.count=5",
	 {"no segment named 'firmz' in segments", "did you mean 'firms'?"}},
	{"segments.firms.count=2.5",
	 {"segments.firms.count", "2.5 is not an integer",
	  "allowed: an integer in [1, 100000000]"}},
	{"segments.firms.count=-1",
	 {"segments.firms.count", "-1 is out of range"}},
	{"segments.firms.count=1e9", {"out of range"}},
	{"segments.firms.hygine_mean=0.5",
	 {"unknown setting 'segments.firms.hygine_mean'",
	  "did you mean 'hygiene_mean'?"}},
	{"segments.firms=3", {"'segments.firms' is a segment"}},
	{"segments=3", {"'segments' is a group of segments"}},
	{"attackers.apt.targets.firmz=2",
	 {"no segment named 'firmz' in attackers.apt.targets",
	  "did you mean 'firms'?"}},
	{"attackers.apt.targets=2", {"'attackers.apt.targets' is a group"}},
	{"attackers.apt.targets.firms=-2",
	 {"attackers.apt.targets.firms", "out of range"}},
	{"attackers.apt.targets.firms.x=2", {"has no settings in it"}},
	{"won=1", {"'won' is a group", "e.g. won.maturity"}},
	{"timeline=1", {"'timeline' cannot be set this way"}},
	{"overrides=1", {"'overrides' cannot be set this way"}},
	{"won.share_rate.x=1", {"'won.share_rate' is a single value"}},
	{"days=0",
	 {"days", "0 is out of range", "allowed: an integer in [1, 36500]"}},
	{"segments.firms.kind=goverment",
	 {"'goverment' is not allowed", "did you mean 'government'?"}},
	{"workforce.enabled=maybe", {"'maybe' is not a boolean"}},
	{"links.up.from=nics",
	 {"no body named 'nics'", "did you mean 'nisc'?"}},
	{".=1", {"is not a setting path"}},
};

static void test_set_bad(void **state)
{
	char want[300];
	int i;

	(void)state;
	for (i = 0; i < N_OF(set_cases); i++) {
		const char *frags[5] = {want, set_cases[i].frag[0],
					set_cases[i].frag[1],
					set_cases[i].frag[2], NULL};

		snprintf(want, sizeof(want), "--set %s: ", set_cases[i].set);
		ld_fail_string("bad.cfg", SMALL, &set_cases[i].set, 1,
			       CD_EINVAL, frags);
	}
	/* Rules across settings are checked after --set: they name the
	 * setting in the file. */
	FAIL_SET(SMALL, "links.up.to=nisc", "bad.cfg:17:", "links.up",
		 "a link must join two different bodies");
	FAIL_SET(SMALL "workforce = { trained = 1000.0; };\n",
		 "workforce.employed=999", "bad.cfg:20:", "workforce.trained",
		 "1000 exceeds workforce.employed (999)");
}

/* ---- overrides -------------------------------------------------------- */

#define OVERRIDES                                                     \
	"won = { maturity = 0.3; share_rate = 0.2; };\n"              \
	"overrides = {\n"                                             \
	"  won = { share_rate = 0.5; };\n"                            \
	"  segments = { firms = { count = 42; }; };\n"                \
	"  attackers = { apt = { targets = { firms = 3.0; }; }; };\n" \
	"  days = 200;\n"                                             \
	"};\n"

static void test_overrides(void **state)
{
	const char *sets[] = {"won.share_rate=0.6"};
	struct cd_scenario *s;

	(void)state;
	s = ld_load_string(SMALL OVERRIDES);
	assert_true(s->p.won.share_rate == 0.5);
	assert_int_equal(s->set[OFF(won.share_rate)], 1);
	assert_true(s->p.won.maturity == 0.3);
	assert_int_equal(s->p.segments[FIRMS].count, 42);
	assert_true(s->p.attackers[0].targets[FIRMS] == 3.0);
	assert_int_equal(s->p.days, 200);
	assert_true(s->p.segments[FIRMS].share_rate == 0.5);
	scenario_destroy(s);
	/* --set comes after overrides. */
	s = ld_load_string_sets(SMALL OVERRIDES, sets, 1);
	assert_true(s->p.won.share_rate == 0.6);
	assert_int_equal(s->p.segments[FIRMS].count, 42);
	scenario_destroy(s);
	/* Overrides are validated where they are written. */
	FAIL(SMALL "overrides = {\n"
		   "  won = { maturity = 0.5;\n"
		   "    share_rate = 2.0; };\n"
		   "};\n",
	     "bad.cfg:22:", "won.share_rate", "2 is out of range",
	     "allowed: a number in [0, 1]");
	FAIL(SMALL "overrides = {\n"
		   "  won = { shar_rate = 0.5; };\n"
		   "};\n",
	     "bad.cfg:21:", "unknown setting 'won.shar_rate'",
	     "did you mean 'share_rate'?");
	FAIL(SMALL "overrides = {\n"
		   "  segments = { firmz = { count = 3; }; };\n"
		   "};\n",
	     "bad.cfg:21:", "no segment named 'firmz'",
	     "did you mean 'firms'?");
	FAIL(SMALL "overrides = 5;\n", "bad.cfg:20:", "overrides",
	     "expected a group");
	FAIL(SMALL "overrides = { days = 0; };\n", "bad.cfg:20:", "days",
	     "0 is out of range");
	/* The checks across settings see the overridden values. */
	FAIL(SMALL "overrides = { links = { up = { to = \"nisc\"; }; }; };\n",
	     "links.up", "a link must join two different bodies");
	FAIL(SMALL "timeline = ( { day = 150; set = { won = { maturity = "
		   "0.5; }; }; } );\n"
		   "overrides = { days = 150; };\n",
	     "timeline[0].day", "150 is beyond the horizon");
}

/* The use overrides are for: a scenario that includes another and changes
 * some of its settings. */
static void test_overrides_include(void **state)
{
	const struct fixture *fx = *state;
	char top[256], want[300];
	struct cd_scenario *s;

	ld_write_text(fx, "base.cfg",
		      SMALL "won = { maturity = 0.3; share_rate = 0.304; };\n");
	ld_write_text(fx, "top.cfg",
		      "@include \"base.cfg\"\n"
		      "overrides = {\n"
		      "  won = { share_rate = 0.647; };\n"
		      "};\n");
	ld_path_in(top, sizeof(top), fx, "top.cfg");
	s = ld_load_file(top);
	assert_true(s->p.won.share_rate == 0.647);
	assert_true(s->p.won.maturity == 0.3);
	assert_true(s->p.segments[FIRMS].share_rate == 0.647);
	scenario_destroy(s);
	ld_write_text(fx, "top.cfg",
		      "@include \"base.cfg\"\n"
		      "overrides = {\n"
		      "  won = { share_rate = 6.47; };\n"
		      "};\n");
	snprintf(want, sizeof(want), "%s:3:", top);
	ld_fail_file(top, CD_EINVAL,
		     FRAGS(want, "won.share_rate", "6.47 is out of range"));
}

/* ---- shipped scenarios ------------------------------------------------ */

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every scenarios/NAME.cfg loads from the file system, and its copy in the
 * program is the same text. */
static void test_shipped_scenarios_load(void **state)
{
	DIR *dir = opendir(SOURCE_DIR "/scenarios");
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		char path[1024];
		struct stat st;
		struct cd_scenario *s, *emb;

		if (!has_suffix(e->d_name, ".cfg"))
			continue;
		snprintf(path, sizeof(path), "%s/scenarios/%s", SOURCE_DIR,
			 e->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (!S_ISREG(st.st_mode))
			continue;
		s = ld_load_file(path);
		assert_true(s->p.n_segments > 0);
		assert_true(s->p.n_attackers > 0);
		if (scenario_embedded_text(e->d_name) == NULL)
			fail_msg("%s is not compiled into the program "
				 "(rebuild?)",
				 e->d_name);
		emb = ld_load_embedded(e->d_name);
		if (strcmp(s->hash, emb->hash) != 0)
			fail_msg("%s: embedded hash %s, file hash %s",
				 e->d_name, emb->hash, s->hash);
		scenario_destroy(emb);
		scenario_destroy(s);
		n++;
	}
	closedir(dir);
	assert_true(n >= 1);
	assert_int_equal(n, scenario_embedded_count());
}

static void test_embedded_scenarios_load(void **state)
{
	int i, n = scenario_embedded_count();

	(void)state;
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		const char *name = scenario_embedded_name(i);
		struct cd_scenario *s;

		assert_non_null(name);
		assert_null(strchr(name, '/'));
		assert_non_null(scenario_embedded_text(name));
		s = ld_load_embedded(name);
		assert_string_equal(s->path, name);
		scenario_destroy(s);
	}
	assert_null(scenario_embedded_name(n));
	assert_null(scenario_embedded_text("no_such.cfg"));
	{
		struct cd_scenario *s = NULL;
		struct cd_diag d = {{0}};
		int rc = scenario_load_embedded(&s, "no_such.cfg", NULL, 0, &d);

		ld_check_rc(rc, CD_ENOENT, &d);
		assert_null(s);
		ld_check_msg(d.msg, FRAGS("no_such.cfg"));
	}
}

/* The built-in default is exactly scenarios/japan_2017.cfg. */
static void test_embedded_equals_file(void **state)
{
	struct cd_scenario *f, *e;
	int i;

	(void)state;
	f = ld_load_file(SOURCE_DIR "/scenarios/japan_2017.cfg");
	e = ld_load_embedded("japan_2017.cfg");
	assert_string_equal(e->hash, f->hash);
	assert_string_equal(e->text, f->text);
	assert_int_equal(e->n_files, f->n_files);
	assert_true(f->n_files >= 5); /* japan_2017 and common/ */
	for (i = 0; i < e->n_files; i++)
		assert_true(has_suffix(f->files[i], e->files[i]));
	assert_memory_equal(&e->p, &f->p, sizeof(e->p));
	assert_memory_equal(e->set, f->set, sizeof(e->set));
	assert_memory_equal(&e->timeline, &f->timeline, sizeof(e->timeline));
	/* A few values the scenario cites. */
	assert_int_equal(f->p.days, 365);
	assert_true(f->p.won.share_rate == 0.498);
	assert_true(f->p.won.framework == 0.61);
	assert_int_equal(f->set[OFF(won.share_rate)], 1);
	assert_int_equal(f->set[OFF(won.framework)], 1);
	assert_true(f->p.workforce.employed == 265000.0);
	scenario_destroy(e);
	scenario_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DIR_TEST(test_include_missing),
		DIR_TEST(test_include_cycle),
		DIR_TEST(test_include_lines),
		DIR_TEST(test_include_errors),
		DIR_TEST(test_include_from_string),
		DIR_TEST(test_binary_file),
		DIR_TEST(test_empty_file),
		cmocka_unit_test(test_duplicate_setting),
		cmocka_unit_test(test_long_file_name),
		cmocka_unit_test(test_set_applies),
		cmocka_unit_test(test_set_bad),
		cmocka_unit_test(test_overrides),
		DIR_TEST(test_overrides_include),
		cmocka_unit_test(test_shipped_scenarios_load),
		cmocka_unit_test(test_embedded_scenarios_load),
		cmocka_unit_test(test_embedded_equals_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
