/* orgs: see orgs.h. */
#include "state/orgs.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/keyed.h"
#include "core/rng.h"
#include "core/status.h"
#include "params/hygiene.h"

/* u(i, b) < c, with u = bits x 2^-53 and bits = rng_mix(key_b + i) >> 11,
 * holds exactly when bits < ceil(c 2^53) (bits < 2^53: every value of u
 * is exact), so memberships are integer tests of 53 bits. */
#define U_ONE (1ull << 53)

struct segment {
	uint64_t key;	/* of its organisations' draws: seed, name */
	uint32_t start; /* first organisation */
	uint32_t count;
	int n_rel; /* bodies with members in the segment */
	int rel[CD_MAX_SEGMENT_BODIES];
	uint64_t body_key[CD_MAX_SEGMENT_BODIES]; /* u(i, b) = U(key + i) */
	uint64_t cov[CD_MAX_SEGMENT_BODIES];	  /* member: bits < cov */
	uint64_t rch[CD_MAX_SEGMENT_BODIES];	  /* reached: bits < rch */
	uint32_t *mask_count; /* [2^n_rel]: orgs per reached mask */
	double hyg_a, hyg_b;  /* Beta of hygiene (after uplift) */
	double mon_a, mon_b;  /* Beta of monitoring */
};

struct cd_orgs {
	uint32_t n;
	int n_segments;
	uint32_t first[CD_MAX_SEGMENTS]; /* seg[s].start, packed for search */
	struct segment seg[CD_MAX_SEGMENTS];
	uint64_t key;			 /* the run's, for these draws */
	uint64_t body_id[CD_MAX_BODIES]; /* the bodies' names' identities */
	gsl_rng *rng;			 /* reseeded per organisation */
};

int orgs_create(cd_orgs **out, const struct cd_params *p, uint64_t run_seed)
{
	*out = NULL;
	cd_orgs *o = calloc(1, sizeof *o);
	if (!o)
		return CD_ENOMEM;
	o->key = rng_derive(run_seed, 0x6f726773u /* "orgs" */, 0);
	o->n_segments = p->n_segments;
	uint32_t start = 0;
	for (int s = 0; s < p->n_segments; s++) {
		/* An organisation is known by its segment's name and its place
		 * in it, never by the order of segments in the file. */
		o->seg[s].key = cd_id2(o->key, cd_name_id(p->segments[s].name));
		o->seg[s].start = o->first[s] = start;
		o->seg[s].count = (uint32_t)p->segments[s].count;
		start += o->seg[s].count;
	}
	o->n = start;
	o->rng = gsl_rng_alloc(rng_splitmix64);
	if (!o->rng) {
		orgs_destroy(o);
		return CD_ENOMEM;
	}
	*out = o;
	return 0;
}

void orgs_destroy(cd_orgs *o)
{
	if (!o)
		return;
	for (int s = 0; s < CD_MAX_SEGMENTS; s++)
		free(o->seg[s].mask_count);
	if (o->rng)
		gsl_rng_free(o->rng);
	free(o);
}

void orgs_refresh(cd_orgs *o, const struct cd_params *p)
{
	for (int s = 0; s < p->n_segments; s++) {
		const struct cd_segment *sp = &p->segments[s];
		struct segment *st = &o->seg[s];
		double h = hygiene_after_uplift(p, s);
		st->hyg_a = h * sp->hygiene_conc;
		st->hyg_b = (1 - h) * sp->hygiene_conc;
		st->mon_a = sp->monitoring_mean * sp->monitoring_conc;
		st->mon_b = (1 - sp->monitoring_mean) * sp->monitoring_conc;
	}
}

/* The threshold of bits for u < c (c > 0). */
static uint64_t threshold(double c)
{
	double t = ceil(c * 0x1.0p53);
	return t >= 0x1.0p53 ? U_ONE : (uint64_t)t;
}

/* The bodies with members in segment s (into st), with the thresholds of
 * their coverage and reach. Returns 0 or CD_ELIMIT. */
static int related_bodies(const cd_orgs *o, struct segment *st,
			  const struct cd_params *p, int s)
{
	st->n_rel = 0;
	for (int b = 0; b < p->n_bodies; b++) {
		double c =
			p->bodies[b].coverage[s] * p->bodies[b].coverage_scale;
		if (!(c > 0))
			continue;
		if (st->n_rel == CD_MAX_SEGMENT_BODIES)
			return CD_ELIMIT;
		int j = st->n_rel++;
		st->rel[j] = b;
		st->body_key[j] = cd_id2(st->key, o->body_id[b]);
		st->cov[j] = threshold(c);
		double r = c * p->bodies[b].reach;
		st->rch[j] = r > 0 ? threshold(r) : 0;
	}
	return 0;
}

/* The bits of u(i, b) for the j-th body of st, i the place in it. */
static uint64_t u_bits(const struct segment *st, int j, uint32_t place)
{
	return rng_mix(st->body_key[j] + place) >> 11;
}

/* Counts the segment's organisations by the mask of its bodies that reach
 * them: one pass of integer tests, nothing stored per organisation. */
static void count_segment(struct segment *st)
{
	if (st->n_rel == 1) { /* most organisations: one body, one count */
		uint32_t n = 0;
		for (uint32_t i = 0; i < st->count; i++)
			n += u_bits(st, 0, i) < st->rch[0];
		st->mask_count[1] = n;
		st->mask_count[0] = st->count - n;
		return;
	}
	for (uint32_t i = 0; i < st->count; i++) {
		uint32_t local = 0;
		for (int j = 0; j < st->n_rel; j++)
			local |= (uint32_t)(u_bits(st, j, i) < st->rch[j]) << j;
		st->mask_count[local]++;
	}
}

/* Are a segment's memberships as they were? Then so are its counts. */
static int same_bodies(const struct segment *a, const struct segment *b)
{
	if (a->n_rel != b->n_rel)
		return 0;
	for (int j = 0; j < a->n_rel; j++)
		if (a->rel[j] != b->rel[j] || a->cov[j] != b->cov[j] ||
		    a->rch[j] != b->rch[j])
			return 0;
	return 1;
}

int orgs_memberships(cd_orgs *o, const struct cd_params *p)
{
	for (int b = 0; b < p->n_bodies; b++)
		o->body_id[b] = cd_name_id(p->bodies[b].name);
	for (int s = 0; s < p->n_segments; s++) {
		struct segment *st = &o->seg[s], was = *st;
		int rc = related_bodies(o, st, p, s);
		if (rc)
			return rc;
		if (st->mask_count && same_bodies(st, &was))
			continue; /* a timeline event that left them alone */
		free(st->mask_count);
		st->mask_count =
			calloc((size_t)1 << st->n_rel, sizeof *st->mask_count);
		if (!st->mask_count)
			return CD_ENOMEM;
		if (st->n_rel == 0) /* no body: nobody to draw for */
			st->mask_count[0] = st->count;
		else
			count_segment(st);
	}
	return 0;
}

uint32_t orgs_count(const cd_orgs *o)
{
	return o->n;
}

uint32_t orgs_segment_start(const cd_orgs *o, int s)
{
	return o->seg[s].start;
}

uint32_t orgs_segment_count(const cd_orgs *o, int s)
{
	return o->seg[s].count;
}

int orgs_segment_of(const cd_orgs *o, uint32_t org)
{
	int lo = 0, hi = o->n_segments - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (o->first[mid] <= org)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

uint32_t orgs_member(const cd_orgs *o, uint32_t org)
{
	const struct segment *st = &o->seg[orgs_segment_of(o, org)];
	uint32_t mask = 0;
	for (int j = 0; j < st->n_rel; j++)
		if (u_bits(st, j, org - st->start) < st->cov[j])
			mask |= 1u << st->rel[j];
	return mask;
}

uint32_t orgs_reach(const cd_orgs *o, uint32_t org)
{
	return orgs_reach_in(o, org, orgs_segment_of(o, org));
}

uint32_t orgs_reach_in(const cd_orgs *o, uint32_t org, int seg)
{
	const struct segment *st = &o->seg[seg];
	uint32_t mask = 0;
	for (int j = 0; j < st->n_rel; j++)
		if (u_bits(st, j, org - st->start) < st->rch[j])
			mask |= 1u << st->rel[j];
	return mask;
}

uint32_t orgs_reached(const cd_orgs *o, int s, uint32_t bodies)
{
	const struct segment *st = &o->seg[s];
	uint32_t local = 0;
	for (int j = 0; j < st->n_rel; j++)
		if (bodies & (1u << st->rel[j]))
			local |= 1u << j;
	uint32_t n = 0;
	if (local)
		for (uint32_t m = 0; m < (1u << st->n_rel); m++)
			if (m & local)
				n += st->mask_count[m];
	return n;
}

static double beta(gsl_rng *r, double a, double b)
{
	if (a <= 0)
		return 0;
	if (b <= 0)
		return 1;
	return gsl_ran_beta(r, a, b);
}

/* The counter-based generator, keyed by (run, segment name, place in the
 * segment, attribute): each attribute has its own key, so drawing one
 * costs only its own draw. */
static gsl_rng *org_rng(cd_orgs *o, uint32_t org, int seg, uint64_t attribute)
{
	const struct segment *st = &o->seg[seg];
	gsl_rng_set(o->rng, (unsigned long)rng_derive(st->key, org - st->start,
						      attribute));
	return o->rng;
}

uint64_t orgs_identity(const cd_orgs *o, uint32_t org, int seg)
{
	return cd_id2(o->seg[seg].key, org - o->seg[seg].start);
}

double orgs_hygiene(cd_orgs *o, uint32_t org, int seg)
{
	const struct segment *st = &o->seg[seg];
	return beta(org_rng(o, org, seg, 1), st->hyg_a, st->hyg_b);
}

double orgs_monitoring(cd_orgs *o, uint32_t org, int seg)
{
	const struct segment *st = &o->seg[seg];
	return beta(org_rng(o, org, seg, 2), st->mon_a, st->mon_b);
}

double orgs_factor(cd_orgs *o, const struct cd_params *p, uint32_t org, int seg)
{
	double shape = p->segments[seg].trained_shape;
	return gsl_ran_gamma(org_rng(o, org, seg, 3), shape, 1 / shape);
}
