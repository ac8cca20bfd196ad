/* fuzz_plot: libFuzzer harness for what `cyberdef plot` hands gnuplot.
 *
 * The input is three bytes of choices, then NUL-separated fields: the
 * --title, --x and --metric texts, one label per --mark, and last the
 * content of the CSV file (which may hold NULs). The first byte picks the
 * file (points.csv, timeseries_points.csv or timeseries.csv) and which
 * options are given; the second how many --mark and --point options; the
 * third the marks' x values and the points. The CSV is parsed with the one
 * reader (csv_table_parse) and the chart prepared with plot_prepare: every
 * step plot takes before it would start gnuplot. Nothing is forked and no
 * file is touched.
 *
 * Checked on every input: an error is a known status with a message. A
 * chart made is safe by construction, as analysis/plot.c says: the -e command
 * line is only "name=number; " assignments of the names plot uses (so no byte
 * of the input, no quote, backquote, '@' or '\' can be in it); the script
 * is one of those compiled in, verbatim, and they use no macro, eval,
 * load, system or backquote; data.csv holds only numbers; labels.csv only
 * "LABEL,BYTE" lines, whose labels, rebuilt, are text that may be shown
 * (plot_text_check), and are exactly the --title and --mark labels given;
 * and the chart's default path (plot_chart_path) is DIR/ and a name of
 * [A-Za-z0-9._-] only.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csvread.h"
#include "analysis/plot.h"
#include "core/embedded.h"
#include "core/status.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct cd_embedded_file cd_plot_scripts[];
extern const int cd_n_plot_scripts;

#define MAX_FIELDS (3 + PLOT_MAX_MARKS)

static void die(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_plot: %s\n%s\n", what, text ? text : "(null)");
	abort();
}

/* Dies if a line of script code (not a comment line) holds a banned
 * word. */
static void check_script(const char *name, const char *text)
{
	static const char *const banned[] = {"@",      "`",	"eval",
					     "system", "load ", "call "};
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		const char *code = line + strspn(line, " \t");
		char buf[1024];
		snprintf(buf, sizeof buf, "%.*s", (int)len, line);
		for (size_t k = 0;
		     *code != '#' && k < sizeof banned / sizeof *banned; k++)
			if (strstr(buf, banned[k]))
				die(name, buf);
		line += len + (line[len] == '\n');
	}
}

/* The scripts may rebuild labels from numbers and show them, nothing
 * else: no macro, eval, load, system or backquote in their code. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (cd_n_plot_scripts < 2)
		die("the scripts are missing", NULL);
	for (int i = 0; i < cd_n_plot_scripts; i++)
		check_script(cd_plot_scripts[i].path, cd_plot_scripts[i].text);
	return 0;
}

/* ---- the command line --------------------------------------------------- */

struct vars {
	double npanels, ngroups, nmarks, ncats, nbytes;
};

/* Checks that cmd is "name=number; " assignments, each name one plot
 * sets; fills v. */
static void check_command(const char *cmd, struct vars *v)
{
	static const char *const names[] = {"npanels", "ngroups",     "nmarks",
					    "ncats",   "xcat",	      "bands",
					    "svg",     "title_lines", "nbytes"};
	memset(v, 0xff, sizeof *v);
	if (strspn(cmd, "abcdefghijklmnopqrstuvwxyz0123456789_=;.+- ") !=
	    strlen(cmd))
		die("the command holds another byte", cmd);
	for (const char *p = cmd; *p;) {
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
		char name[32];
		if (!n || n >= sizeof name || p[n] != '=')
			die("not an assignment", p);
		memcpy(name, p, n);
		name[n] = '\0';
		char *end;
		double x = strtod(p + n + 1, &end);
		if (end == p + n + 1 || !isfinite(x) || strncmp(end, "; ", 2))
			die("not a number", p);
		int known = !strncmp(name, "mark_x", 6) &&
			    strspn(name + 6, "0123456789") == strlen(name + 6);
		for (size_t k = 0; k < sizeof names / sizeof *names; k++)
			known |= !strcmp(name, names[k]);
		if (!known)
			die("an unknown name", name);
		if (!strcmp(name, "npanels"))
			v->npanels = x;
		else if (!strcmp(name, "ngroups"))
			v->ngroups = x;
		else if (!strcmp(name, "nmarks"))
			v->nmarks = x;
		else if (!strcmp(name, "ncats"))
			v->ncats = x;
		else if (!strcmp(name, "nbytes"))
			v->nbytes = x;
		p = end + 2;
	}
}

/* ---- the files ---------------------------------------------------------- */

/* data.csv: lines of comma-separated numbers (or NaN), or empty lines. */
static void check_data(const char *data, size_t len)
{
	if (strlen(data) != len)
		die("data.csv holds a NUL", data);
	if (strspn(data, "0123456789.eE+-,\nNa") != len)
		die("data.csv holds another byte", data);
	for (const char *p = data; *p;) {
		size_t n = strcspn(p, ",\n");
		if (n == 3 && !strncmp(p, "NaN", 3)) {
			p += n;
		} else if (n) {
			char *end;
			double x = strtod(p, &end);
			if (end != p + n || !isfinite(x))
				die("data.csv holds a field that is no number",
				    p);
			p = end;
		} else if (*p == ',') {
			die("data.csv holds an empty field", p);
		}
		if (*p)
			p++;
	}
}

/* labels.csv: "K,B" lines with K from 1 to n in order and B a byte;
 * rebuilds the labels into text[1..n]. */
static char **decode_labels(const char *lab, size_t len, size_t n,
			    double nbytes)
{
	char **text = calloc(n + 1, sizeof *text);
	size_t *used = calloc(n + 1, sizeof *used), lines = 0, last = 1;
	if (!text || !used || strlen(lab) != len)
		die("out of memory, or a NUL in labels.csv", lab);
	for (size_t k = 1; k <= n; k++)
		if (!(text[k] = calloc(len + 1, 1)))
			die("out of memory", NULL);
	for (const char *p = lab; *p; lines++) {
		char *end;
		unsigned long k = strtoul(p, &end, 10), b;
		if (end == p || *end != ',' || k < last || k > n)
			die("labels.csv: a bad label number", p);
		p = end + 1;
		b = strtoul(p, &end, 10);
		if (end == p || *end != '\n' || b < 1 || b > 255)
			die("labels.csv: a bad byte", p);
		p = end + 1;
		text[k][used[k]++] = (char)b;
		last = k;
	}
	if ((double)lines != nbytes)
		die("nbytes is not the number of lines of labels.csv", lab);
	free(used);
	return text;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The labels may be shown; the title and the mark labels are those
 * given. */
static void check_labels(char **text, size_t n, const struct vars *v,
			 const struct plot_opts *o)
{
	char why[128];
	for (size_t k = 1; k <= n; k++) {
		if (plot_text_check(text[k], PLOT_TEXT_SHOWN, why, sizeof why))
			die(why, text[k]);
		if (k > 1 && strchr(text[k], '\n'))
			die("a line break outside the title", text[k]);
	}
	if (o->title && strcmp(text[1], o->title))
		die("the title is not the one given", text[1]);
	size_t first = 3 + 2 * (size_t)v->npanels + (size_t)v->ngroups + 1;
	const char *want[PLOT_MAX_MARKS], *got[PLOT_MAX_MARKS];
	if ((int)v->nmarks != o->n_marks)
		die("nmarks is not the number of marks", NULL);
	for (int i = 0; i < o->n_marks; i++) {
		want[i] = o->mark[i].label;
		got[i] = text[first + (size_t)i];
	}
	qsort(want, (size_t)o->n_marks, sizeof *want, cmp_str);
	qsort(got, (size_t)o->n_marks, sizeof *got, cmp_str);
	for (int i = 0; i < o->n_marks; i++)
		if (strcmp(want[i], got[i]))
			die("a mark label is not one given", got[i]);
}

/* The chart's default path is DIR/ and a name of [A-Za-z0-9._-] only: no
 * byte of a metric's name can lead elsewhere. */
static void check_chart_path(const struct plot_job *j,
			     const struct plot_opts *o)
{
	char path[PLOT_PATH_MAX];
	struct cd_diag d;
	if (o->out || plot_chart_path(j, o, path, sizeof path, &d))
		return;
	size_t dir = strlen(o->dir);
	const char *name = path + dir + 1;
	if (strncmp(path, o->dir, dir) || path[dir] != '/' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789._-") != strlen(name))
		die("the chart's default path holds another byte", path);
}

static void check_job(const struct plot_job *j, const struct plot_opts *o)
{
	struct vars v;
	if (!j->command || !j->data || !j->labels || !j->script || !j->kind)
		die("a job without its parts", NULL);
	check_command(j->command, &v);
	if (v.npanels < 1 || v.npanels > PLOT_MAX_METRICS || v.ngroups < 0 ||
	    v.ncats < 0 || v.nbytes < 0 || v.nmarks < 0)
		die("a count is missing or out of range", j->command);
	int script = 0;
	for (int i = 0; i < cd_n_plot_scripts; i++)
		script |= j->script == cd_plot_scripts[i].text &&
			  !strcmp(j->script_name, cd_plot_scripts[i].path);
	if (!script)
		die("the script is not one compiled in", j->script_name);
	check_data(j->data, j->data_len);
	size_t n = 3 + 2 * (size_t)v.npanels + (size_t)v.ngroups +
		   (size_t)v.nmarks + (size_t)v.ncats;
	char **text = decode_labels(j->labels, j->labels_len, n, v.nbytes);
	check_labels(text, n, &v, o);
	for (size_t k = 0; k <= n; k++)
		free(text[k]);
	free(text);
	check_chart_path(j, o);
}

/* ---- one input ---------------------------------------------------------- */

/* Splits up to max NUL-terminated fields off the front of data (a copy),
 * leaving the rest. Returns the number split. */
static int split(char *buf, size_t size, char **field, int max, char **rest,
		 size_t *rest_len)
{
	int n = 0;
	size_t at = 0;
	while (n < max) {
		char *nul = memchr(buf + at, '\0', size - at);
		if (!nul)
			break;
		field[n++] = buf + at;
		at = (size_t)(nul - buf) + 1;
	}
	*rest = buf + at;
	*rest_len = size - at;
	return n;
}

static const char *const file_names[] = {"points.csv", "timeseries_points.csv",
					 "timeseries.csv"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	unsigned flags = data[0], counts = data[1], seed = data[2];
	char *buf = malloc(size - 3 + 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 3, size - 3);
	buf[size - 3] = '\0';
	struct plot_opts o = {.dir = "fuzz", .format = "png"};
	o.n_marks = (int)(counts & 0x7);
	o.n_points = (int)(counts >> 3 & 0x3);
	char *field[MAX_FIELDS], *csv;
	size_t csv_len;
	int want = 3 + o.n_marks;
	if (split(buf, size - 3, field, want, &csv, &csv_len) < want) {
		free(buf);
		return 0;
	}
	o.title = flags & 0x04 ? field[0] : NULL;
	o.x = flags & 0x08 && *field[1] ? field[1] : NULL;
	if (flags & 0x10 && *field[2])
		o.metric[o.n_metrics++] = field[2];
	o.format = flags & 0x20 ? "svg" : "png";
	o.timeseries = !!(flags & 0x40);
	for (int i = 0; i < o.n_marks; i++) {
		o.mark[i].x = (double)(int8_t)(seed + 37u * (unsigned)i) / 8.0;
		o.mark[i].label = field[3 + i];
	}
	for (int i = 0; i < o.n_points; i++)
		o.point[i] = (long)((seed >> (2 * i)) & 0x3);
	enum plot_source src = (enum plot_source)((flags & 0x3) % 3);

	csv_table t;
	struct cd_diag d;
	int rc = csv_table_parse(&t, file_names[src], csv, csv_len, NULL, &d);
	if (rc == 0) {
		struct plot_job j;
		rc = plot_prepare(&j, src, &t, &o, &d);
		if (rc == 0)
			check_job(&j, &o);
		else if ((rc != CD_EINVAL && rc != CD_ENOMEM) || !*d.msg)
			die("an error without its message", d.msg);
		plot_job_free(&j);
		csv_table_free(&t);
	} else if (!*d.msg) {
		die("a CSV error without its message", NULL);
	}
	free(buf);
	return 0;
}
