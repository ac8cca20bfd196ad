/* orgs: see orgs.h. */
#include "state/orgs.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "core/keyed.h"
#include "core/rng.h"
#include "core/status.h"

struct segment {
	uint64_t key;	/* of its organisations' draws: seed, name */
	uint32_t start; /* first organisation */
	uint32_t count;
	int n_rel; /* bodies with members in the segment */
	int rel[CD_MAX_SEGMENT_BODIES];
	uint32_t *mask_count; /* [2^n_rel]: orgs per reached mask */
	double hyg_a, hyg_b;  /* Beta of hygiene (after uplift) */
	double mon_a, mon_b;  /* Beta of monitoring */
};

struct cd_orgs {
	uint32_t n;
	int n_segments;
	struct segment seg[CD_MAX_SEGMENTS];
	uint32_t *member; /* bodies an org reports to */
	uint32_t *reach;  /* bodies whose distributions reach it */
	uint64_t key;	  /* the run's, for these draws */
	uint64_t body_id[CD_MAX_BODIES]; /* the bodies' names' identities */
	gsl_rng *rng;			  /* reseeded per organisation */
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
		o->seg[s].start = start;
		o->seg[s].count = (uint32_t)p->segments[s].count;
		start += o->seg[s].count;
	}
	o->n = start;
	o->rng = gsl_rng_alloc(rng_splitmix64);
	if (o->rng && o->n) {
		o->member = calloc(o->n, sizeof *o->member);
		o->reach = calloc(o->n, sizeof *o->reach);
	}
	if (!o->rng || (o->n && (!o->member || !o->reach))) {
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
	free(o->member);
	free(o->reach);
	if (o->rng)
		gsl_rng_free(o->rng);
	free(o);
}

void orgs_refresh(cd_orgs *o, const struct cd_params *p)
{
	for (int s = 0; s < p->n_segments; s++) {
		const struct cd_segment *sp = &p->segments[s];
		struct segment *st = &o->seg[s];
		double h = sp->hygiene_mean;
		if (sp->kind != CD_KIND_GOVERNMENT)
			h += p->won.hygiene_uplift * (1 - h);
		st->hyg_a = h * sp->hygiene_conc;
		st->hyg_b = (1 - h) * sp->hygiene_conc;
		st->mon_a = sp->monitoring_mean * sp->monitoring_conc;
		st->mon_b = (1 - sp->monitoring_mean) * sp->monitoring_conc;
	}
}

/* The bodies with members in segment s, with their coverage and reach. */
static int related_bodies(struct segment *st, const struct cd_params *p, int s,
			  double *cov, double *rch)
{
	st->n_rel = 0;
	for (int b = 0; b < p->n_bodies; b++) {
		double c =
			p->bodies[b].coverage[s] * p->bodies[b].coverage_scale;
		if (!(c > 0))
			continue;
		if (st->n_rel == CD_MAX_SEGMENT_BODIES)
			return CD_ELIMIT;
		cov[st->n_rel] = c;
		rch[st->n_rel] = c * p->bodies[b].reach;
		st->rel[st->n_rel++] = b;
	}
	return 0;
}

/* One counter-based stream per segment and body: u(i, b) = U(key_sb + i),
 * i the organisation's place in its segment. */
static void draw_segment(cd_orgs *o, struct segment *st, const double *cov,
			 const double *rch)
{
	uint64_t key[CD_MAX_SEGMENT_BODIES];
	for (int j = 0; j < st->n_rel; j++)
		key[j] = cd_id2(st->key, o->body_id[st->rel[j]]);
	for (uint32_t i = st->start; i < st->start + st->count; i++) {
		uint32_t member = 0, reach = 0, local = 0;
		for (int j = 0; j < st->n_rel; j++) {
			double u = rng_key_uniform(key[j] + (i - st->start));
			if (u < cov[j])
				member |= 1u << st->rel[j];
			if (u < rch[j]) {
				reach |= 1u << st->rel[j];
				local |= 1u << j;
			}
		}
		o->member[i] = member;
		o->reach[i] = reach;
		st->mask_count[local]++;
	}
}

int orgs_memberships(cd_orgs *o, const struct cd_params *p)
{
	for (int b = 0; b < p->n_bodies; b++)
		o->body_id[b] = cd_name_id(p->bodies[b].name);
	for (int s = 0; s < p->n_segments; s++) {
		struct segment *st = &o->seg[s];
		double cov[CD_MAX_SEGMENT_BODIES], rch[CD_MAX_SEGMENT_BODIES];
		int rc = related_bodies(st, p, s, cov, rch);
		if (rc)
			return rc;
		free(st->mask_count);
		st->mask_count =
			calloc((size_t)1 << st->n_rel, sizeof *st->mask_count);
		if (!st->mask_count)
			return CD_ENOMEM;
		if (st->n_rel == 0) { /* no body: nobody to draw for */
			memset(o->member + st->start, 0,
			       st->count * sizeof *o->member);
			memset(o->reach + st->start, 0,
			       st->count * sizeof *o->reach);
			st->mask_count[0] = st->count;
			continue;
		}
		draw_segment(o, st, cov, rch);
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
		if (o->seg[mid].start <= org)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

uint32_t orgs_member(const cd_orgs *o, uint32_t org)
{
	return o->member[org];
}

uint32_t orgs_reach(const cd_orgs *o, uint32_t org)
{
	return o->reach[org];
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
