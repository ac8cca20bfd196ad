/* Tests of `cyberdef plot` (issue 9): text from the inputs is never run
 * as code. Column names, values, runs, --title and --mark labels holding
 * `commands`, $(...), @macros, quotes and \ escapes: no command runs and
 * the chart shows each text as it is; and each class of character is
 * shown or refused (exit 2 naming the file, line and column or the
 * option, before gnuplot runs). The fixture is plot_fixture.h. Checks that
 * need gnuplot are skipped, saying so, when it is not installed.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "plot_fixture.h"

/* ---- text from the inputs is never code ---------------------------------- */

/* Fails, listing them, if a command run by gnuplot (or a shell) left a
 * file behind: the payloads touch files in root/ and in work/. */
static void assert_no_markers(const struct fixture *fx)
{
	ts_assert_entries(fx->root, 4); /* work, cap, tmp, nogp */
	DIR *d = opendir(fx->work);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		if (strstr(e->d_name, "PWNED"))
			fail_msg("a command ran: %s/%s", fx->work, e->d_name);
	closedir(d);
	ts_assert_entries(fx->tmp, 0);
}

/* Expands each "@R" in fmt to root/ (where the payloads touch files). */
static void payload(const struct fixture *fx, char *buf, size_t size,
		    const char *fmt)
{
	size_t n = 0;
	for (const char *p = fmt; *p && n + 1 < size; p++) {
		if (p[0] == '@' && p[1] == 'R') {
			n += (size_t)snprintf(buf + n, size - n, "%s",
					      fx->root);
			p++;
		} else {
			buf[n++] = *p;
		}
	}
	assert_true(n + 1 < size);
	buf[n] = '\0';
}

/* A points.csv whose column name, values and runs hold commands, plotted
 * with a --title and --mark labels that hold commands: none runs, and the
 * chart shows each text as it is. */
static void test_injection_points(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], csv[8192], col[1024], v1[512], v2[512], runs[512];
	pf_make_dir(fx, "sweep", dir);
	/* (short and relative: legend entries must fit, and gnuplot ran in
	 * work/ before the fix) */
	payload(fx, col, sizeof col, "`touch PWNED_C` @c %s \\n ^{a}_b~");
	payload(fx, v1, sizeof v1, "`touch PWNED_V`");
	payload(fx, v2, sizeof v2, "\"system(\"\"touch PWNED_S\"\")\"");
	payload(fx, runs, sizeof runs, "`touch @R/PWNED_RUNS`");
	snprintf(csv, sizeof csv,
		 "point,won.share_rate,%s,runs,intrusions_mean,"
		 "intrusions_ci_lo,intrusions_ci_hi\n"
		 "0,0.1,%s,%s,10,9,11\n1,0.2,%s,%s,12,11,13\n"
		 "2,0.1,%s,%s,14,13,15\n3,0.2,%s,%s,16,15,17\n",
		 col, v1, runs, v1, runs, v2, runs, v2, runs);
	pf_write_raw(dir, "points.csv", csv, 0);
	char title[1024], mark1[512], mark2[512];
	payload(fx, title, sizeof title,
		"`touch @R/PWNED_TITLE` $(touch PWNED_T2) @title \"; "
		"system(\"touch PWNED_T3\"); t=\"");
	payload(fx, mark1, sizeof mark1, "0.15=`touch @R/PWNED_MARK`");
	payload(fx, mark2, sizeof mark2, "0.18=@mark %d \\ ' `touch PWNED_M2`");
	struct proc p;
	pf_run(fx, &p, "plot", "sweep", "--format", "svg", "--title", title,
	       "--mark", mark1, "--mark", mark2, NULL);
	assert_no_markers(fx);
	pf_assert_exit(&p, 0);
	char chart[PATH_MAX], want[1024];
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.svg");
	const char *svg = pf_read_svg(chart);
	payload(fx, want, sizeof want,
		"`touch @R/PWNED_TITLE` $(touch PWNED_T2) @title");
	pf_assert_contains(svg, want);
	pf_assert_contains(svg, "system(\"touch PWNED_T3\"); t=\"");
	payload(fx, want, sizeof want, "`touch @R/PWNED_MARK`");
	pf_assert_contains(svg, want);
	pf_assert_contains(svg, "@mark %d \\ ' `touch PWNED_M2`");
	/* name=value, in the legend */
	pf_assert_contains(svg,
			   "`touch PWNED_C` @c %s \\n ^{a}_b~=`touch PWNED_V`");
	pf_assert_contains(svg, "^{a}_b~=system(\"touch PWNED_S\")");
	/* the default title: `runs` holds no number */
	pf_run(fx, &p, "plot", "sweep", "--format", "svg", NULL);
	assert_no_markers(fx);
	pf_assert_exit(&p, 0);
	pf_assert_contains(pf_read_svg(chart), "mean over runs per point");
}

/* The same for a sweep's and a run's time series; the chart's default
 * name keeps no byte of a metric's name that could lead elsewhere. */
static void test_injection_timeseries(void **state)
{
	struct fixture *fx = *state;
	PF_NEED_GNUPLOT();
	char dir[PATH_MAX], csv[8192], col[512], val[512];
	pf_make_dir(fx, "sweep", dir);
	payload(fx, col, sizeof col, "`touch @R/PWNED_TSCOL`");
	payload(fx, val, sizeof val, "`touch @R/PWNED_TSVAL`");
	size_t n = (size_t)snprintf(csv, sizeof csv,
				    "point,%s,day,intrusions_mean,"
				    "intrusions_ci_lo,intrusions_ci_hi\n",
				    col);
	for (int pt = 0; pt < 2; pt++)
		for (int d = 0; d < 5; d++)
			n += (size_t)snprintf(csv + n, sizeof csv - n,
					      "%d,%s%d,%d,%d,%d,%d\n", pt, val,
					      pt, d, d + pt, d + pt - 1,
					      d + pt + 1);
	pf_write_raw(dir, "timeseries_points.csv", csv, 0);
	char mark[512];
	payload(fx, mark, sizeof mark, "2=`touch @R/PWNED_TSMARK`");
	struct proc p;
	pf_run(fx, &p, "plot", "sweep", "--format", "svg", "--mark", mark,
	       NULL);
	assert_no_markers(fx);
	pf_assert_exit(&p, 0);
	char chart[PATH_MAX], want[1024];
	ts_path_join(chart, sizeof chart, dir,
		     "timeseries_points_intrusions.svg");
	const char *svg = pf_read_svg(chart);
	payload(fx, want, sizeof want,
		"`touch @R/PWNED_TSCOL`=`touch @R/PWNED_TSVAL`1");
	pf_assert_contains(svg, want);

	/* a run's daily metric named by a command */
	char rdir[PATH_MAX], metric[512];
	pf_make_dir(fx, "run", rdir);
	payload(fx, metric, sizeof metric, "`touch @R/PWNED_METRIC` ../x");
	snprintf(csv, sizeof csv,
		 "day,segment,kind,intrusions,%s\n0,a,government,1,2\n"
		 "1,a,government,3,4\n",
		 metric);
	pf_write_raw(rdir, "timeseries.csv", csv, 0);
	pf_run(fx, &p, "plot", "run", "--metric", metric, NULL);
	assert_no_markers(fx);
	pf_assert_exit(&p, 0);
	/* run/timeseries_<metric, each byte but [A-Za-z0-9.-] made _>.png */
	assert_true(!strncmp(p.out, "run/timeseries__touch_", 22));
	assert_null(strchr(p.out + 4, '/'));
	assert_null(strchr(p.out, '`'));
	pf_assert_contains(p.out, "_PWNED_METRIC__.._x.png\n");
	ts_assert_entries(rdir, 2);
}

/* What each class of character in a column name, a value, --title and a
 * --mark label does: shown as it is, or refused with exit 2 naming the
 * file (or the option) before gnuplot runs. */
struct text_case {
	char where; /* 'n' column name, 'v' value, 't' --title, 'm' --mark */
	const char *text;
	const char *want; /* refused: in stderr; shown: in the chart */
	int refused;
};

static const struct text_case text_cases[] = {
	{'n', "a`b`c", "a`b`c", 0},
	{'n', "$(x)", "$(x)", 0},
	{'n', "a\\b", "a\\b", 0},
	{'n', "@x", "@x", 0},
	{'n', "%s%d", "%s%d", 0},
	{'n', "^{a}_b~", "^{a}_b~", 0},
	{'n', "caf\xc3\xa9", "caf\xc3\xa9", 0},
	{'n', "a\"b", "column 2 name holds a quote (\") at byte 2 of 3", 1},
	{'n', "a'b", "column 2 name holds a quote (') at byte 2 of 3", 1},
	{'n', "a\nb", "column 2 name holds a line break (LF) at byte 2", 1},
	{'n', "a\rb", "column 2 name holds a carriage return (CR)", 1},
	{'n', "a\tb", "column 2 name holds a tab at byte 2 of 3", 1},
	{'n', "a\x1b[2Jb", "holds an escape character (ESC) at byte 2", 1},
	{'n', "a\x01z", "holds a control character (code 1) at byte 2", 1},
	{'n', "a\x7fz", "holds a control character (code 127)", 1},
	{'n', "a\xc2\x85z", "holds a control character (code 133)", 1},
	{'n', "a\xffz", "is not UTF-8 text (byte 2 of 3 is 0xff)", 1},
	{'n', "a\xc0\xafz", "is not UTF-8 text (byte 2 of 4 is 0xc0)", 1},
	{'n', "\xed\xa0\x80", "is not UTF-8 text (byte 1 of 3 is 0xed)", 1},
	{'n', "caf\xc3", "is not UTF-8 text (byte 4 of 4 is 0xc3)", 1},
	{'n', NULL, "column 2 name is 300 bytes long", 1}, /* long */
	{'v', "a`b` $(c) @d", "a`b` $(c) @d", 0},
	{'v', "it's \"q\"", "it's \"q\"", 0},
	{'v', "a\tb", "column 2 (won.share_rate): the value holds a tab", 1},
	{'v', "a\nb", "the value holds a line break (LF)", 1},
	{'v', "a\xfe", "the value is not UTF-8 text", 1},
	{'t', "two\nlines `x` \" ' \\", "lines `x` \" ' \\", 0},
	{'t', "1\n2\n3\n4\n5", "--title: the text holds more than 3 line", 1},
	{'t', "a\tb", "--title: the text holds a tab", 1},
	{'t', NULL, "--title: the text is 513 bytes long", 1},
	{'m', NULL, "--mark 0.5=...: the label is 257 bytes long", 1},
	{'t', "a\x1b]0;pwn\x07", "--title: the text holds an escape", 1},
	{'m', "0.5=@m `x` %s \\ '\"", "@m `x` %s \\ '\"", 0},
	{'m', "0.5=a\nb", "--mark 0.5=...: the label holds a line break", 1},
	{'m', "0.5=a\xff", "--mark 0.5=...: the label is not UTF-8", 1},
};

/* Writes sweep/points.csv for case c; sets the extra arguments. */
static void write_case(const char *dir, const struct text_case *c,
		       const char **args)
{
	static char name[1024]; /* NULL text: a long one, as args[5] too */
	char text[2048], csv[8192];
	if (!c->text) {
		size_t len = c->where == 't'   ? 513
			     : c->where == 'm' ? 261
					       : 300;
		memset(name, 'x', len);
		if (c->where == 'm')
			memcpy(name, "0.5=", 4);
		name[len] = '\0';
	}
	/* as a quoted CSV field, '"' doubled */
	size_t n = 0;
	text[n++] = '"';
	for (const char *p = c->text ? c->text : name; *p; p++) {
		if (*p == '"')
			text[n++] = '"';
		text[n++] = *p;
	}
	text[n++] = '"';
	text[n] = '\0';
	int named = c->where == 'n';
	snprintf(csv, sizeof csv,
		 "point,%s,runs,intrusions_mean,intrusions_ci_lo,"
		 "intrusions_ci_hi\n0,%s,5,10,9,11\n1,%s,5,12,11,13\n",
		 named ? text : "won.share_rate",
		 c->where == 'v' ? text : "0.1", c->where == 'v' ? "b" : "0.2");
	pf_write_raw(dir, "points.csv", csv, 0);
	args[0] = "plot";
	args[1] = "sweep";
	args[2] = "--format";
	args[3] = "svg";
	args[4] = c->where == 't'   ? "--title"
		  : c->where == 'm' ? "--mark"
				    : NULL;
	args[5] = c->text ? c->text : name;
	args[6] = NULL;
}

static void test_text_classes(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX], chart[PATH_MAX];
	pf_make_dir(fx, "sweep", dir);
	ts_path_join(chart, sizeof chart, dir, "points_intrusions.svg");
	int gnuplot = pf_have_gnuplot();
	for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++) {
		const struct text_case *c = &text_cases[i];
		if (!c->refused && !gnuplot)
			continue;
		const char *args[8];
		write_case(dir, c, args);
		struct proc p;
		pf_run_env(fx, &p, NULL, args);
		if (c->refused) {
			pf_assert_exit(&p, 2);
			if (c->where == 'n' || c->where == 'v')
				pf_assert_contains(p.err, "sweep/points.csv:");
			pf_assert_contains(p.err, c->want);
			if (strstr(p.err, "gnuplot"))
				fail_msg("case %zu reached gnuplot:\n%s", i,
					 p.err);
			ts_assert_entries(dir, 1); /* no chart */
		} else {
			pf_assert_exit(&p, 0);
			pf_assert_contains(pf_read_svg(chart), c->want);
			assert_int_equal(remove(chart), 0);
		}
		ts_assert_entries(fx->tmp, 0);
	}
	if (!gnuplot)
		print_message("gnuplot is not installed: the refusals only\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_injection_points, pf_setup,
						pf_teardown),
		cmocka_unit_test_setup_teardown(test_injection_timeseries,
						pf_setup, pf_teardown),
		cmocka_unit_test_setup_teardown(test_text_classes, pf_setup,
						pf_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
