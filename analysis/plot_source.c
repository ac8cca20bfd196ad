/* plot_source: which file of an output directory a chart is drawn from,
 * its check against its set's manifest and its reading (plot_load), and
 * the chart's default path (plot_chart_path): see analysis/plot.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "analysis/plot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/outdir.h"

/* The files a chart may be drawn from, and the manifests of their sets
 * (NULL: none; a calibration's metadata.json lists no files). */
static const struct source_file {
	const char *name, *manifest;
} source_files[] = {
	[PLOT_POINTS] = {"points.csv", "sweep.json"},
	[PLOT_SWEEP_SERIES] = {"timeseries_points.csv", "sweep.json"},
	[PLOT_RUN_SERIES] = {"timeseries.csv", "metadata.json"},
	[PLOT_EFFECTS] = {"effects.csv", "sweep.json"},
	[PLOT_INDICES] = {"indices.csv", "sweep.json"},
	[PLOT_POSTERIOR] = {"posterior.csv", NULL},
	[PLOT_FIT] = {"fit.csv", NULL},
};
#define N_SOURCES (sizeof source_files / sizeof source_files[0])

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Sets d->msg to what printf would write; returns rc. */
static int say(struct cd_diag *d, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return rc;
}

/* Checks that o->dir is a directory. */
static int check_dir(const struct plot_opts *o, struct cd_diag *d)
{
	struct stat st;
	if (stat(o->dir, &st) != 0) {
		int err = errno;
		snprintf(d->msg, sizeof d->msg,
			 "%s: %s; give the --out directory of `cyberdef run` "
			 "or `cyberdef sweep`",
			 o->dir, strerror(err));
		return err == ENOENT ? CD_ENOENT : CD_EIO;
	}
	if (!S_ISDIR(st.st_mode))
		return say(d, CD_EINVAL,
			   "%s: not a directory; give the --out directory of "
			   "`cyberdef run` or `cyberdef sweep`",
			   o->dir);
	return 0;
}

/* With --chart: the calibration's file it names. */
static int choose_chart(const struct plot_opts *o, enum plot_source *src,
			char path[][PLOT_PATH_MAX], struct cd_diag *d)
{
	int fit = !strcmp(o->chart, "fit");
	*src = fit ? PLOT_FIT : PLOT_POSTERIOR;
	if (is_file(path[*src]))
		return 0;
	return say(d, CD_ENOENT,
		   "--chart %s: %s holds no %s; give the --out directory of "
		   "`cyberdef calibrate`%s",
		   o->chart, o->dir, source_files[*src].name,
		   fit ? " or `cyberdef observe`" : "");
}

/* Chooses the file of o->dir to draw. */
static int choose_source(const struct plot_opts *o, enum plot_source *src,
			 struct cd_diag *d)
{
	char path[N_SOURCES][PLOT_PATH_MAX];
	for (size_t k = 0; k < N_SOURCES; k++) {
		int n = snprintf(path[k], sizeof path[k], "%s/%s", o->dir,
				 source_files[k].name);
		if (n < 0 || (size_t)n >= sizeof path[k])
			return say(d, CD_ELIMIT, "path too long: %s", o->dir);
	}
	int rc = check_dir(o, d);
	if (rc)
		return rc;
	if (o->chart)
		return choose_chart(o, src, path, d);
	if (!o->timeseries && is_file(path[PLOT_EFFECTS]))
		*src = PLOT_EFFECTS;
	else if (!o->timeseries && is_file(path[PLOT_INDICES]))
		*src = PLOT_INDICES;
	else if (!o->timeseries && is_file(path[PLOT_POINTS]))
		*src = PLOT_POINTS;
	else if (!o->timeseries && is_file(path[PLOT_POSTERIOR]))
		*src = PLOT_POSTERIOR;
	else if (!o->timeseries && is_file(path[PLOT_FIT]))
		*src = PLOT_FIT;
	else if (is_file(path[PLOT_SWEEP_SERIES]))
		*src = PLOT_SWEEP_SERIES;
	else if (is_file(path[PLOT_RUN_SERIES]))
		*src = PLOT_RUN_SERIES;
	else if (o->timeseries)
		return say(d, CD_ENOENT,
			   "%s holds neither timeseries_points.csv (`cyberdef "
			   "sweep`) nor timeseries.csv (`cyberdef run`)",
			   o->dir);
	else
		return say(d, CD_ENOENT,
			   "%s holds none of points.csv, "
			   "timeseries_points.csv (`cyberdef sweep`), "
			   "timeseries.csv (`cyberdef run`), effects.csv "
			   "(`cyberdef compare`), indices.csv (`cyberdef "
			   "sensitivity`), posterior.csv (`cyberdef "
			   "calibrate`) and fit.csv (`cyberdef observe`)",
			   o->dir);
	return 0;
}

/* Checks that --x, --point, --mark and --timeseries apply to the file
 * chosen. */
static int check_applies(const struct plot_opts *o, enum plot_source src,
			 struct cd_diag *d)
{
	int cal = src == PLOT_POSTERIOR || src == PLOT_FIT;
	if (cal && (o->x || o->n_marks || o->timeseries))
		return say(d, CD_EINVAL,
			   "%s applies to the charts of a sweep or a run, not "
			   "to a calibration's %s",
			   o->x		? "--x"
			   : o->n_marks ? "--mark"
					: "--timeseries",
			   source_files[src].name);
	if (src != PLOT_POINTS && o->x)
		return say(
			d, CD_EINVAL, "%s",
			src == PLOT_EFFECTS || src == PLOT_INDICES
				? "--x applies to a sweep's points.csv "
				  "only; effects and indices are drawn "
				  "against zero"
				: "--x applies to a sweep's points.csv only; "
				  "a time series has days on the x axis");
	if (src != PLOT_SWEEP_SERIES && o->n_points)
		return say(d, CD_EINVAL,
			   "--point applies to a sweep's "
			   "timeseries_points.csv only%s",
			   src == PLOT_POINTS ? " (add --timeseries)" : "");
	return 0;
}

int plot_load(const struct plot_opts *o, enum plot_source *src, csv_table *t,
	      struct cd_diag *d)
{
	memset(t, 0, sizeof *t);
	d->msg[0] = '\0';
	int rc = choose_source(o, src, d);
	if (!rc)
		rc = check_applies(o, *src, d);
	if (rc)
		return rc;
	const struct source_file *f = &source_files[*src];
	if (f->manifest &&
	    (rc = cd_outdir_verify(o->dir, f->manifest, f->name, d)))
		return rc;
	char path[PLOT_PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", o->dir, f->name);
	return csv_table_read(t, path, NULL, d);
}

int plot_chart_path(const struct plot_job *j, const struct plot_opts *o,
		    char *buf, size_t size, struct cd_diag *d)
{
	const char *fmt = o->format ? o->format : "png";
	int n = o->out ? snprintf(buf, size, "%s", o->out)
		       : snprintf(buf, size, "%s/%s_%s.%s", o->dir, j->kind,
				  j->metrics, fmt);
	if ((n < 0 || (size_t)n >= size) && o->out)
		return say(d, CD_ELIMIT, "--out: path too long: %s", o->out);
	if (n < 0 || (size_t)n >= size)
		return say(d, CD_ELIMIT, "path too long: %s/%s_%s.%s", o->dir,
			   j->kind, j->metrics, fmt);
	if (o->out)
		return 0;
	for (char *p = buf + strlen(o->dir) + 1; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '.' && *p != '-')
			*p = '_';
	return 0;
}
