/* plot_effects: the forest plot of a comparison's effects.csv
 * (plot_prep.h): one line per alternative and metric (kind `all`), the
 * relative effect in per cent as a point with its 95% interval as a bar,
 * zero marked. --metric keeps only those metrics.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/plot_prep.h"

/* Whether table row r is drawn: kind all, and a --metric if any. */
static int drawn(struct prep *P, size_t r, size_t cm, size_t ck)
{
	if (strcmp(plot_cell(P, r, ck), "all"))
		return 0;
	if (!P->o->n_metrics)
		return 1;
	for (int i = 0; i < P->o->n_metrics; i++)
		if (!strcmp(plot_cell(P, r, cm), P->o->metric[i]))
			return 1;
	return 0;
}

/* Every --metric names a metric of the file. */
static int check_metrics(struct prep *P, size_t cm)
{
	for (int i = 0; i < P->o->n_metrics; i++) {
		size_t r = 1;
		while (r <= P->t->nrows &&
		       strcmp(plot_cell(P, r, cm), P->o->metric[i]))
			r++;
		if (r > P->t->nrows)
			return plot_bad(P,
					"--metric %s: not a metric of %s; "
					"allowed: a value of its metric column",
					P->o->metric[i], P->t->name);
	}
	return 0;
}

int plot_prep_effects(struct prep *P)
{
	static const char *const need[] = {"alternative", "metric",
					   "kind",	  "rel_effect",
					   "rel_ci_lo",	  "rel_ci_hi"};
	size_t col[6];
	for (int k = 0; k < 6; k++) {
		long c = plot_col(P, need[k]);
		if (c < 0)
			return plot_bad(P,
					"%s: no column '%s'; expected the "
					"effects.csv of `cyberdef compare`",
					P->t->name, need[k]);
		col[k] = (size_t)c;
	}
	int rc = check_metrics(P, col[1]);
	size_t lines = 0;
	for (size_t r = 1; !rc && r <= P->t->nrows; r++) {
		if (!drawn(P, r, col[1], col[2]))
			continue;
		const char *alt, *metric;
		if ((rc = plot_cell_text(P, r, col[0], &alt)) ||
		    (rc = plot_cell_text(P, r, col[1], &metric)))
			break;
		double v[3];
		for (int k = 0; k < 3 && !rc; k++)
			rc = plot_num_at(P, r, col[3 + k], &v[k]);
		if (rc)
			break;
		char label[600];
		snprintf(label, sizeof label, "%.290s: %.290s", alt, metric);
		if (plot_strs_add(&P->cats, label))
			return plot_oom(P);
		plot_put_num(P->data, (double)lines++);
		for (int k = 0; k < 3; k++) {
			fputc(',', P->data);
			plot_put_num(P->data, 100 * v[k]);
		}
		fputc('\n', P->data);
	}
	if (rc)
		return rc;
	if (!lines)
		return plot_bad(P, "%s: no effect of kind 'all' to draw",
				P->t->name);
	if (plot_strs_add(&P->groups, ""))
		return plot_oom(P);
	snprintf(P->title, sizeof P->title,
		 "Paired effects of the alternatives\nrelative to the base, "
		 "with 95%% intervals");
	snprintf(P->xlabel, sizeof P->xlabel, "effect (%%)");
	snprintf(P->mean, sizeof P->mean, "relative effect");
	P->tx.xlabel = P->xlabel;
	P->tx.mean_title = P->mean;
	P->tx.n_panels = 1;
	P->tx.metric[0] = "relative effect";
	P->tx.unit[0] = "%";
	P->tx.xcat = 1;
	P->tx.bands = 1;
	snprintf(P->j->metrics, sizeof P->j->metrics, "%s",
		 P->o->n_metrics ? P->o->metric[0] : "all");
	for (int i = 1; i < P->o->n_metrics; i++) {
		size_t len = strlen(P->j->metrics);
		snprintf(P->j->metrics + len, sizeof P->j->metrics - len, "_%s",
			 P->o->metric[i]);
	}
	P->j->kind = "effects";
	return 0;
}
