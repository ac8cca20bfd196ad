/* fit: the fit of a scenario's active targets to a sample (fit.h). */
#include "cmd/fit.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/csv.h"
#include "analysis/observe.h"
#include "cmd/cli.h"
#include "cmd/options.h"
#include "core/status.h"

static const char *const fit_header[] = {
	"target",    "scenario",   "statistic",	   "unit",
	"source",    "data_year",  "horizon_year", "observed",
	"sd",	     "replicates", "model_median", "model_p05",
	"model_p95", "within_sd",  "distance",	   "held_out"};
#define FIT_COLUMNS (sizeof fit_header / sizeof fit_header[0])

void fit_active_of(const struct cd_targets *t, struct fit_active *a)
{
	a->n = 0;
	for (int i = 0; i < t->n_targets; i++)
		if (t->targets[i].active) {
			a->held[a->n] = 0;
			a->idx[a->n] = i;
			a->stat[a->n] = t->targets[i].statistic;
			a->year[a->n++] = t->targets[i].horizon_year;
		}
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Target x's fit from column k of the rows x n values. */
static void fit_of(const struct targets_target *x, const double *values,
		   int rows, int n, int k, double *buf, struct fit *f)
{
	f->n = 0;
	for (int r = 0; r < rows; r++) {
		double v = values[(size_t)r * (size_t)n + (size_t)k];
		if (!isnan(v))
			buf[f->n++] = v;
	}
	qsort(buf, (size_t)f->n, sizeof *buf, by_double);
	size_t m = (size_t)f->n;
	f->median = m ? gsl_stats_median_from_sorted_data(buf, 1, m) : NAN;
	f->lo = m ? gsl_stats_quantile_from_sorted_data(buf, 1, m, 0.05) : NAN;
	f->hi = m ? gsl_stats_quantile_from_sorted_data(buf, 1, m, 0.95) : NAN;
	f->distance = (f->median - x->value) / x->sd;
	f->within = isnan(f->distance) ? -1 : fabs(f->distance) <= 1;
}

void fit_all(const struct cd_targets *t, const struct fit_active *a,
	     const double *values, int rows, double *buf, struct fit *fits)
{
	for (int k = 0; k < a->n; k++)
		fit_of(&t->targets[a->idx[k]], values, rows, a->n, k, buf,
		       &fits[k]);
}

static void write_fit_row(FILE *o, const struct targets_target *x,
			  const struct fit *f, int held)
{
	csv_str(o, x->name);
	csv_sep(o);
	csv_str(o, x->scenario);
	csv_sep(o);
	csv_str(o, observe_statistic_names[x->statistic]);
	csv_sep(o);
	csv_str(o, observe_statistic_units[x->statistic]);
	csv_sep(o);
	csv_str(o, x->source);
	csv_sep(o);
	csv_int(o, x->data_year);
	csv_sep(o);
	csv_int(o, x->horizon_year);
	const double v[] = {x->value, x->sd, f->n, f->median, f->lo, f->hi};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		csv_sep(o);
		csv_real(o, v[i]);
	}
	csv_sep(o);
	if (f->within >= 0)
		csv_int(o, f->within);
	csv_sep(o);
	csv_real(o, f->distance);
	csv_sep(o);
	csv_int(o, held);
	csv_eol(o);
}

void fit_write(FILE *o, const struct cd_targets *t, const struct fit_active *a,
	       const struct fit *fits)
{
	csv_header(o, fit_header, FIT_COLUMNS);
	for (int k = 0; k < a->n; k++)
		write_fit_row(o, &t->targets[a->idx[k]], &fits[k], a->held[k]);
}

void fit_print(const struct cd_targets *t, const struct fit_active *a,
	       const struct fit *fits, int rows, const char *what)
{
	double ss = 0;
	int defined = 0, within = 0, held = 0, held_within = 0;
	printf("%-28s %10s %10s %10s %21s %7s\n", "target", "observed", "sd",
	       "median", "90% interval", "z");
	for (int k = 0; k < a->n; k++) {
		const struct targets_target *x = &t->targets[a->idx[k]];
		const struct fit *f = &fits[k];
		printf("%-28s %10.4g %10.4g %10.4g [%9.4g, %9.4g] %+7.2f%s\n",
		       x->name, x->value, x->sd, f->median, f->lo, f->hi,
		       f->distance, a->held[k] ? "  held out" : "");
		if (a->held[k]) {
			held++;
			held_within += f->within > 0;
		} else if (f->within >= 0) {
			ss += f->distance * f->distance;
			defined++;
			within += f->within;
		}
	}
	printf("%d of %d targets within one sd; root mean square z %.3g over "
	       "%d defined; %d %s\n",
	       within, a->n - held, defined ? sqrt(ss / defined) : NAN, defined,
	       rows, what);
	if (held)
		printf("held out (predicted, not fitted): %d of %d within one "
		       "sd\n",
		       held_within, held);
}

int fit_load(const char *path, const struct cmd_common *c, const char *targets,
	     struct cd_scenario **sc, struct cd_targets **t)
{
	int rc = cli_load_scenario(path, c->sets, c->n_sets, sc);
	if (rc)
		return rc;
	struct cd_diag d;
	*t = NULL;
	rc = targets_load(t, targets, path, &(*sc)->p, &observe_vocab, &d);
	if (rc) {
		fprintf(stderr, "cyberdef: %s\n", d.msg);
		scenario_destroy(*sc);
		return rc == CD_ENOMEM ? 1 : 2;
	}
	return 0;
}
