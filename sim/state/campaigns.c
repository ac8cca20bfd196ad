/* campaigns: see campaigns.h. */
#include "state/campaigns.h"

#include <stdlib.h>

#include "core/status.h"
#include "core/vec.h"

struct campaign {
	uint64_t uid;
	int attacker;
	int day_start, day_end, day_expire;
};

/* An attacker's arrivals. */
struct arrivals {
	double intensity; /* expected starts so far */
	double next;	  /* the threshold of arrival k */
	uint64_t k;	  /* arrivals so far */
	int set;	  /* next is drawn */
};

struct cd_campaigns {
	struct campaign *c;
	uint32_t n, cap;
	uint32_t *active; /* ids of active campaigns, in start order */
	uint32_t n_active, cap_active;
	double target_total[CD_MAX_ATTACKERS]; /* sum of weight * count */
	struct arrivals arr[CD_MAX_ATTACKERS];
};

int campaigns_create(cd_campaigns **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : CD_ENOMEM;
}

void campaigns_destroy(cd_campaigns *c)
{
	if (!c)
		return;
	free(c->c);
	free(c->active);
	free(c);
}

void campaigns_refresh(cd_campaigns *c, const struct cd_params *p,
		       const cd_orgs *o)
{
	for (int a = 0; a < p->n_attackers; a++) {
		double t = 0;
		for (int s = 0; s < p->n_segments; s++)
			t += p->attackers[a].targets[s] *
			     orgs_segment_count(o, s);
		c->target_total[a] = t;
	}
}

int campaigns_start(cd_campaigns *c, int a, uint64_t uid, int day,
		    int day_expire, uint32_t *id)
{
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? 2 * c->cap : 64;
		struct campaign *nc = realloc(c->c, cap * sizeof *nc);
		if (!nc)
			return CD_ENOMEM;
		c->c = nc;
		c->cap = cap;
	}
	int rc = vec_push_u32(&c->active, &c->n_active, &c->cap_active, c->n);
	if (rc)
		return rc;
	*id = c->n;
	c->c[c->n++] = (struct campaign){uid, a, day, -1, day_expire};
	return 0;
}

void campaigns_add_intensity(cd_campaigns *c, int a, double expected)
{
	c->arr[a].intensity += expected;
}

uint64_t campaigns_arrivals(const cd_campaigns *c, int a)
{
	return c->arr[a].k;
}

int campaigns_due(cd_campaigns *c, int a, double gap)
{
	struct arrivals *r = &c->arr[a];
	if (!r->set) {
		r->next += gap;
		r->set = 1;
	}
	return r->next <= r->intensity;
}

void campaigns_arrived(cd_campaigns *c, int a)
{
	c->arr[a].k++;
	c->arr[a].set = 0;
}

void campaigns_retire(cd_campaigns *c, int day,
		      int (*retire)(void *ctx, uint32_t id), void *ctx)
{
	uint32_t kept = 0;
	for (uint32_t i = 0; i < c->n_active; i++) {
		uint32_t id = c->active[i];
		if (retire(ctx, id))
			c->c[id].day_end = day;
		else
			c->active[kept++] = id;
	}
	c->n_active = kept;
}

uint32_t campaigns_count(const cd_campaigns *c)
{
	return c->n;
}

uint32_t campaigns_n_active(const cd_campaigns *c)
{
	return c->n_active;
}

uint32_t campaigns_active(const cd_campaigns *c, uint32_t i)
{
	return c->active[i];
}

int campaigns_attacker(const cd_campaigns *c, uint32_t id)
{
	return c->c[id].attacker;
}

uint64_t campaigns_uid(const cd_campaigns *c, uint32_t id)
{
	return c->c[id].uid;
}

int campaigns_expire_day(const cd_campaigns *c, uint32_t id)
{
	return c->c[id].day_expire;
}

double campaigns_target_total(const cd_campaigns *c, int attacker)
{
	return c->target_total[attacker];
}
