/* plot_encode: see plot_encode.h, and the top of analysis/plot.c for why
 * text reaches gnuplot only as numbers. Nothing in this file writes a
 * string into gnuplot's command line: the -e text is made by set_num
 * alone.
 */
#include "analysis/plot_encode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/status.h"

/* The gnuplot scripts (the .gp files in analysis/), compiled in by
 * sim/core/embed.cmake; path is the file name, e.g. "plot_points.gp". */
extern const struct cd_embedded_file cd_plot_scripts[];
extern const int cd_n_plot_scripts;

/* Appends `name=v; `. The name is one of this file's literals; v is a
 * finite number, printed so that it reads back exactly. This is the only
 * writer of the -e text. */
static void set_num(struct plot_buf *b, const char *name, double v)
{
	if (!isfinite(v))
		v = 0; /* never: callers pass counts and finite marks */
	plot_buf_printf(b, "%s=%.17g; ", name, v);
}

/* Appends label k (from 1): one line "k,BYTE" per byte of s. */
static size_t put_label(struct plot_buf *b, size_t k, const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
		plot_buf_printf(b, "%zu,%u\n", k, (unsigned)*p);
	return n;
}

/* Writes the labels in the scripts' order; returns the number of lines. */
static size_t put_labels(struct plot_buf *b, const struct plot_text *tx)
{
	size_t k = 0, n = 0;
	n += put_label(b, ++k, tx->title ? tx->title : "");
	n += put_label(b, ++k, tx->xlabel ? tx->xlabel : "");
	n += put_label(b, ++k, tx->mean_title ? tx->mean_title : "");
	for (int p = 0; p < tx->n_panels; p++)
		n += put_label(b, ++k, tx->metric[p] ? tx->metric[p] : "");
	for (int p = 0; p < tx->n_panels; p++)
		n += put_label(b, ++k, tx->unit[p] ? tx->unit[p] : "");
	for (size_t g = 0; g < tx->n_groups; g++)
		n += put_label(b, ++k, tx->group[g]);
	for (int i = 0; i < tx->n_marks; i++)
		n += put_label(b, ++k, tx->mark[i].label);
	for (size_t c = 0; c < tx->n_cats; c++)
		n += put_label(b, ++k, tx->cat[c]);
	return n;
}

int plot_encode(struct plot_job *j, const struct plot_text *tx,
		const char *script_name)
{
	struct plot_buf lab = {0}, cmd = {0};
	size_t bytes = put_labels(&lab, tx);
	int lines = 1;
	for (const char *p = tx->title ? tx->title : ""; *p; p++)
		lines += *p == '\n';
	set_num(&cmd, "npanels", tx->n_panels);
	set_num(&cmd, "ngroups", (double)tx->n_groups);
	set_num(&cmd, "nmarks", tx->n_marks);
	set_num(&cmd, "ncats", (double)tx->n_cats);
	set_num(&cmd, "xcat", tx->xcat);
	set_num(&cmd, "bands", tx->bands);
	set_num(&cmd, "svg", tx->svg);
	set_num(&cmd, "title_lines", lines);
	set_num(&cmd, "nbytes", (double)bytes);
	for (int i = 0; i < tx->n_marks; i++) {
		char var[32];
		snprintf(var, sizeof var, "mark_x%d", i + 1);
		set_num(&cmd, var, tx->mark[i].x);
	}
	plot_buf_printf(&lab, "%s", ""); /* an empty file is a string too */
	j->script_name = script_name;
	j->script = NULL;
	for (int i = 0; i < cd_n_plot_scripts; i++)
		if (!strcmp(cd_plot_scripts[i].path, script_name))
			j->script = cd_plot_scripts[i].text;
	if (lab.oom || cmd.oom || !j->script) {
		free(lab.s);
		free(cmd.s);
		return CD_ENOMEM;
	}
	j->labels = lab.s;
	j->labels_len = lab.len;
	j->command = cmd.s;
	return 0;
}
