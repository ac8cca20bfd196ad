/* knowledge: see knowledge.h. */
#include "state/knowledge.h"

#include <math.h>
#include <stdlib.h>

#include "core/bitset.h"
#include "core/hashmap.h"
#include "core/status.h"
#include "core/vec.h"

struct known {
	uint32_t body_known;	/* bodies that learned it */
	uint32_t body_reached;	/* bodies whose members know it */
	uint32_t partner_known; /* bodies that learned it via a partner */
	int32_t body_day[CD_MAX_BODIES]; /* day each body learned it, or -1 */
	uint32_t *knowers;		 /* organisations that detected it */
	uint32_t n_knowers, cap_knowers;
	struct hashmap learned; /* the knowers: org -> LEARNED, and REPORTED
				   once it reported the campaign */
	uint32_t *known;	/* [n_segments]: orgs that know it */
	double coverage;	/* share of its target weight that knows */
	double completeness;
	uint32_t sources;	  /* distinct sources of its indicators */
	uint32_t partner_sources; /* partners whose sightings reached home */
	uint32_t sent_abroad;	  /* partners a home body relayed it to */
};

struct cd_knowledge {
	int n_segments;
	struct known *k;
	uint32_t n, cap;
	struct bitset learners; /* knowers of any campaign: others need no
				   lookup */
};

enum { LEARNED = 1, REPORTED = 2 };

int knowledge_create(cd_knowledge **out, int n_segments)
{
	cd_knowledge *k = calloc(1, sizeof *k);
	if (!k)
		return CD_ENOMEM;
	k->n_segments = n_segments;
	bitset_init(&k->learners);
	*out = k;
	return 0;
}

void knowledge_destroy(cd_knowledge *k)
{
	if (!k)
		return;
	for (uint32_t c = 0; c < k->n; c++) {
		free(k->k[c].knowers);
		free(k->k[c].known);
		hashmap_free(&k->k[c].learned);
	}
	free(k->k);
	bitset_free(&k->learners);
	free(k);
}

static void set_completeness(struct known *r, double yield)
{
	/* Whoever knows a campaign has at least one report's worth. */
	uint32_t n = r->sources ? r->sources : 1;
	r->completeness = 1 - pow(1 - yield, (double)n);
}

int knowledge_add(cd_knowledge *k, uint32_t c, double yield)
{
	if (k->n == k->cap) {
		uint32_t cap = k->cap ? 2 * k->cap : 64;
		struct known *nk = realloc(k->k, cap * sizeof *nk);
		if (!nk)
			return CD_ENOMEM;
		k->k = nk;
		k->cap = cap;
	}
	struct known *r = &k->k[c];
	*r = (struct known){0};
	for (int b = 0; b < CD_MAX_BODIES; b++)
		r->body_day[b] = -1;
	set_completeness(r, yield);
	r->known = calloc((size_t)k->n_segments, sizeof *r->known);
	if (!r->known)
		return CD_ENOMEM;
	k->n++;
	return 0;
}

static void update_coverage(cd_knowledge *k, const struct cd_know_ctx *x,
			    uint32_t c)
{
	struct known *r = &k->k[c];
	int a = campaigns_attacker(x->camps, c);
	const double *t = x->p->attackers[a].targets;
	double n = 0;
	for (int s = 0; s < x->p->n_segments; s++)
		n += t[s] * r->known[s];
	double total = campaigns_target_total(x->camps, a);
	r->coverage = total > 0 ? n / total : 0;
}

int knowledge_learn(cd_knowledge *k, const struct cd_know_ctx *x, uint32_t c,
		    uint32_t org, int seg)
{
	if (knowledge_learned(k, c, org))
		return 0;
	struct known *r = &k->k[c];
	int rc = bitset_add(&k->learners, org);
	if (!rc)
		rc = hashmap_put(&r->learned, org, LEARNED);
	if (!rc)
		rc = vec_push_u32(&r->knowers, &r->n_knowers, &r->cap_knowers,
				  org);
	if (rc)
		return rc;
	if (!(orgs_reach_in(x->orgs, org, seg) & r->body_reached)) {
		r->known[seg]++;
		update_coverage(k, x, c);
	}
	return 0;
}

int knowledge_body_learns(cd_knowledge *k, uint32_t c, int b, int day,
			  int partner)
{
	struct known *r = &k->k[c];
	uint32_t bit = 1u << b;
	if (r->body_known & bit)
		return 0;
	r->body_known |= bit;
	r->body_day[b] = day;
	if (partner)
		r->partner_known |= bit;
	return 1;
}

/* Counts who knows c in each segment: the organisations its reaching
 * bodies reach, and those that detected it themselves otherwise. */
static void recount(cd_knowledge *k, const struct cd_know_ctx *x, uint32_t c)
{
	struct known *r = &k->k[c];
	for (int s = 0; s < x->p->n_segments; s++)
		r->known[s] = orgs_reached(x->orgs, s, r->body_reached);
	for (uint32_t i = 0; i < r->n_knowers; i++) {
		uint32_t org = r->knowers[i];
		if (!(orgs_reach(x->orgs, org) & r->body_reached))
			r->known[orgs_segment_of(x->orgs, org)]++;
	}
	update_coverage(k, x, c);
}

uint32_t knowledge_reach(cd_knowledge *k, const struct cd_know_ctx *x,
			 uint32_t c, int b)
{
	struct known *r = &k->k[c];
	uint32_t before = r->body_reached;
	if (before & (1u << b))
		return before;
	r->body_reached |= 1u << b;
	recount(k, x, c);
	return before;
}

void knowledge_recount_all(cd_knowledge *k, const struct cd_know_ctx *x)
{
	for (uint32_t c = 0; c < k->n; c++)
		recount(k, x, c);
}

int knowledge_org_reports(cd_knowledge *k, uint32_t c, uint32_t org,
			  double yield)
{
	uint32_t *v = knowledge_learned(k, c, org)
			      ? hashmap_get(&k->k[c].learned, org)
			      : NULL;
	if (!v || (*v & REPORTED))
		return 0; /* a detector only reports; once is one source */
	*v |= REPORTED;
	k->k[c].sources++;
	set_completeness(&k->k[c], yield);
	return 1;
}

int knowledge_partner_source(cd_knowledge *k, uint32_t c, int partner,
			     double yield)
{
	struct known *r = &k->k[c];
	uint32_t bit = 1u << partner;
	if (r->partner_sources & bit)
		return 0;
	r->partner_sources |= bit;
	r->sources++;
	set_completeness(r, yield);
	return 1;
}

int knowledge_sent_abroad(cd_knowledge *k, uint32_t c, int partner)
{
	uint32_t bit = 1u << partner;
	if (k->k[c].sent_abroad & bit)
		return 0;
	k->k[c].sent_abroad |= bit;
	return 1;
}

uint32_t knowledge_sources(const cd_knowledge *k, uint32_t c)
{
	return k->k[c].sources;
}

void knowledge_refresh(cd_knowledge *k, double yield)
{
	for (uint32_t c = 0; c < k->n; c++)
		set_completeness(&k->k[c], yield);
}

int knowledge_knows(const cd_knowledge *k, const cd_orgs *o, uint32_t c,
		    uint32_t org, int seg)
{
	if (orgs_reach_in(o, org, seg) & k->k[c].body_reached)
		return 1;
	return knowledge_learned(k, c, org);
}

int knowledge_learned(const cd_knowledge *k, uint32_t c, uint32_t org)
{
	return bitset_has(&k->learners, org) &&
	       hashmap_get(&k->k[c].learned, org) != NULL;
}

uint32_t knowledge_body_known(const cd_knowledge *k, uint32_t c)
{
	return k->k[c].body_known;
}

uint32_t knowledge_body_reached(const cd_knowledge *k, uint32_t c)
{
	return k->k[c].body_reached;
}

uint32_t knowledge_partner_known(const cd_knowledge *k, uint32_t c)
{
	return k->k[c].partner_known;
}

int knowledge_body_day(const cd_knowledge *k, uint32_t c, int b)
{
	return k->k[c].body_day[b];
}

uint32_t knowledge_known(const cd_knowledge *k, uint32_t c, int seg)
{
	return k->k[c].known[seg];
}

double knowledge_coverage(const cd_knowledge *k, uint32_t c)
{
	return k->k[c].coverage;
}

double knowledge_completeness(const cd_knowledge *k, uint32_t c)
{
	return k->k[c].completeness;
}
