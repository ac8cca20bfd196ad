/* hygiene: see hygiene.h. */
#include "params/hygiene.h"

#include <gsl/gsl_cdf.h>

#define SEG_BASE offsetof(struct cd_params, segments)
#define SEG_SIZE sizeof(struct cd_segment)
#define SEG_END (SEG_BASE + CD_MAX_SEGMENTS * SEG_SIZE)
#define MEAN_OFF offsetof(struct cd_segment, hygiene_mean)
#define PROPER_OFF offsetof(struct cd_segment, hygiene_proper)

double hygiene_share(double mean, double conc, double threshold)
{
	if (!(mean > 0))
		return 0;
	if (!(mean < 1))
		return 1;
	return gsl_cdf_beta_Q(threshold, mean * conc, (1 - mean) * conc);
}

double hygiene_mean_for(double share, double conc, double threshold)
{
	if (!(share > 0))
		return 0;
	if (!(share < 1))
		return 1;
	/* S(lo) < share <= S(hi) throughout; S is monotone, so the root
	 * stays bracketed. 1100 halvings reach adjacent doubles from any
	 * start (the loop ends long before, at about 60 near 0.5). */
	double lo = 0, hi = 1;
	for (int k = 0; k < 1100; k++) {
		double mid = lo + (hi - lo) / 2;
		if (mid <= lo || mid >= hi)
			break;
		if (hygiene_share(mid, conc, threshold) < share)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

double hygiene_after_uplift(const struct cd_params *p, int s)
{
	const struct cd_segment *sp = &p->segments[s];
	double h = sp->hygiene_mean;
	if (sp->kind != CD_KIND_GOVERNMENT)
		h += p->won.hygiene_uplift * (1 - h);
	return h;
}

int hygiene_proper_in_force(const struct cd_params *p, const unsigned char *set,
			    int s)
{
	const char *f = (const char *)&p->segments[s].hygiene_proper;
	return set && set[f - (const char *)p];
}

size_t hygiene_displaced(size_t offset)
{
	if (offset < SEG_BASE || offset >= SEG_END)
		return 0;
	size_t in = (offset - SEG_BASE) % SEG_SIZE;
	size_t seg = offset - in;
	if (in == MEAN_OFF)
		return seg + PROPER_OFF;
	if (in == PROPER_OFF)
		return seg + MEAN_OFF;
	return 0;
}

void hygiene_derive(struct cd_params *p, const unsigned char *set)
{
	for (int s = 0; s < p->n_segments; s++) {
		struct cd_segment *sp = &p->segments[s];
		if (hygiene_proper_in_force(p, set, s))
			sp->hygiene_mean = hygiene_mean_for(
				sp->hygiene_proper, sp->hygiene_conc,
				p->won.proper_hygiene);
	}
}
