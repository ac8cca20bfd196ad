/* plot_effects: the forest plots (plot_prep.h) of a comparison's
 * effects.csv, one line per alternative and metric (kind `all`), the
 * relative effect in per cent as a point with its 95% interval as a bar,
 * zero marked; and of a sensitivity analysis's indices.csv, one line per
 * metric and parameter, its total Sobol index ST (or Morris mu*) with its
 * interval. --metric keeps only those metrics.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/plot_prep.h"

/* What a forest plot draws from its file: the columns of the two parts
 * of a line's label, of its kind (or index), and of its value, low and
 * high; which of the label columns holds the metric. */
struct forest {
	const char *need[6];
	size_t col[6];
	int metric_col; /* 0 or 1 */
	const char *expected;
};

/* Whether table row r is drawn: of kind `kind`, and a --metric if any. */
static int drawn(struct prep *P, const struct forest *F, size_t r,
		 const char *kind)
{
	if (strcmp(plot_cell(P, r, F->col[2]), kind))
		return 0;
	if (!P->o->n_metrics)
		return 1;
	for (int i = 0; i < P->o->n_metrics; i++)
		if (!strcmp(plot_cell(P, r, F->col[F->metric_col]),
			    P->o->metric[i]))
			return 1;
	return 0;
}

/* The columns, and every --metric a metric of the file. */
static int check(struct prep *P, struct forest *F)
{
	for (int k = 0; k < 6; k++) {
		long c = plot_col(P, F->need[k]);
		if (c < 0)
			return plot_bad(P,
					"%s: no column '%s'; expected the %s",
					P->t->name, F->need[k], F->expected);
		F->col[k] = (size_t)c;
	}
	for (int i = 0; i < P->o->n_metrics; i++) {
		size_t r = 1;
		while (r <= P->t->nrows &&
		       strcmp(plot_cell(P, r, F->col[F->metric_col]),
			      P->o->metric[i]))
			r++;
		if (r > P->t->nrows)
			return plot_bad(P,
					"--metric %s: not a metric of %s; "
					"allowed: a value of its metric column",
					P->o->metric[i], P->t->name);
	}
	return 0;
}

/* The lines: rows of kind `kind`, labelled "FIRST: SECOND", their value,
 * low and high times `scale`. */
static int write_lines(struct prep *P, const struct forest *F, const char *kind,
		       double scale)
{
	size_t lines = 0;
	for (size_t r = 1; r <= P->t->nrows; r++) {
		if (!drawn(P, F, r, kind))
			continue;
		const char *first, *second;
		int rc = plot_cell_text(P, r, F->col[0], &first);
		if (!rc)
			rc = plot_cell_text(P, r, F->col[1], &second);
		double v[3];
		for (int k = 0; k < 3 && !rc; k++)
			rc = plot_num_at(P, r, F->col[3 + k], &v[k]);
		if (rc)
			return rc;
		char label[600];
		snprintf(label, sizeof label, "%.290s: %.290s", first, second);
		if (plot_strs_add(&P->cats, label))
			return plot_oom(P);
		plot_put_num(P->data, (double)lines++);
		for (int k = 0; k < 3; k++) {
			fputc(',', P->data);
			plot_put_num(P->data, scale * v[k]);
		}
		fputc('\n', P->data);
	}
	if (!lines)
		return plot_bad(P, "%s: no line of %s '%s' to draw", P->t->name,
				F->need[2], kind);
	return plot_strs_add(&P->groups, "") ? plot_oom(P) : 0;
}

/* The texts of one panel of lines on categories, and the job's name:
 * the --metric names joined, or "all". */
static void texts(struct prep *P, const char *name, const char *unit)
{
	P->tx.xlabel = P->xlabel;
	P->tx.mean_title = P->mean;
	P->tx.n_panels = 1;
	P->tx.metric[0] = name;
	P->tx.unit[0] = unit;
	P->tx.xcat = 1;
	P->tx.bands = 1;
	snprintf(P->j->metrics, sizeof P->j->metrics, "%s",
		 P->o->n_metrics ? P->o->metric[0] : "all");
	for (int i = 1; i < P->o->n_metrics; i++) {
		size_t len = strlen(P->j->metrics);
		snprintf(P->j->metrics + len, sizeof P->j->metrics - len, "_%s",
			 P->o->metric[i]);
	}
}

int plot_prep_effects(struct prep *P)
{
	struct forest F = {{"alternative", "metric", "kind", "rel_effect",
			    "rel_ci_lo", "rel_ci_hi"},
			   {0},
			   1,
			   "effects.csv of `cyberdef compare`"};
	int rc = check(P, &F);
	if (rc || (rc = write_lines(P, &F, "all", 100)))
		return rc;
	snprintf(P->title, sizeof P->title,
		 "Paired effects of the alternatives\nrelative to the base, "
		 "with 95%% intervals");
	snprintf(P->xlabel, sizeof P->xlabel, "effect (%%)");
	snprintf(P->mean, sizeof P->mean, "relative effect");
	texts(P, "relative effect", "%");
	P->j->kind = "effects";
	return 0;
}

int plot_prep_indices(struct prep *P)
{
	struct forest F = {
		{"metric", "parameter", "index", "value", "ci_lo", "ci_hi"},
		{0},
		0,
		"indices.csv of `cyberdef sensitivity`"};
	int rc = check(P, &F);
	if (rc)
		return rc;
	/* ST for Sobol, mu_star for Morris: whichever the file has. */
	const char *index = "ST";
	for (size_t r = 1; r <= P->t->nrows; r++)
		if (!strcmp(plot_cell(P, r, F.col[2]), "mu_star"))
			index = "mu_star";
	if ((rc = write_lines(P, &F, index, 1)))
		return rc;
	int sobol = !strcmp(index, "ST");
	snprintf(P->title, sizeof P->title, "%s\nwith 95%% bootstrap intervals",
		 sobol ? "Sobol total indices (ST)"
		       : "Morris elementary effects (mu*)");
	snprintf(P->xlabel, sizeof P->xlabel, "%s",
		 sobol ? "total index"
		       : "mu* (change of the metric across the range)");
	snprintf(P->mean, sizeof P->mean, "%s", index);
	texts(P, index, "");
	P->j->kind = "indices";
	return 0;
}
