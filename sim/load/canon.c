/* canon: the collections of a scenario in the order of their names.
 *
 * A scenario's segments, attackers, bodies and links are sorted by name
 * once loaded, with everything that refers to them: the weights indexed
 * by segment (attackers' targets, bodies' members), links' ends, the
 * marks of what was set explicitly and where (set, origin), and the
 * timeline's assignments. Every loop of the engine then goes in the order
 * of names, so reversing a file's order changes no result. The file's
 * order of segments and bodies is kept for outputs (params.h). */
#include "load/loader.h"

#include <stdlib.h>
#include <string.h>

/* Where each element of a collection goes: new index of old index k. */
struct perm {
	int seg[CD_MAX_SEGMENTS], att[CD_MAX_ATTACKERS], body[CD_MAX_BODIES],
		link[CD_MAX_LINKS];
};

/* pos[k]: the rank of element k's name among the n names at base. */
static void rank_names(const void *base, size_t stride, int n, int *pos)
{
	for (int k = 0; k < n; k++) {
		const char *a = (const char *)base + (size_t)k * stride;
		int r = 0;
		for (int j = 0; j < n; j++)
			r += strcmp((const char *)base + (size_t)j * stride,
				    a) < 0;
		pos[k] = r; /* names are unique in a collection */
	}
}

/* The new offset of byte `o` of struct cd_params. */
static size_t remap(const struct cd_params *p, const struct perm *m, size_t o)
{
#define IN(arr)                                  \
	(o >= offsetof(struct cd_params, arr) && \
	 o < offsetof(struct cd_params, arr) + sizeof p->arr)
	size_t base, stride, k, within;
	if (IN(segments)) {
		base = offsetof(struct cd_params, segments);
		stride = sizeof p->segments[0];
		k = (o - base) / stride;
		within = (o - base) % stride;
		return k < (size_t)p->n_segments
			       ? base + (size_t)m->seg[k] * stride + within
			       : o;
	}
	if (IN(attackers) || IN(bodies)) {
		int att = IN(attackers);
		base = att ? offsetof(struct cd_params, attackers)
			   : offsetof(struct cd_params, bodies);
		stride = att ? sizeof p->attackers[0] : sizeof p->bodies[0];
		size_t w = att ? offsetof(struct cd_attacker, targets)
			       : offsetof(struct cd_body, coverage);
		k = (o - base) / stride;
		within = (o - base) % stride;
		if (k >= (size_t)(att ? p->n_attackers : p->n_bodies))
			return o;
		if (within >= w &&
		    within < w + CD_MAX_SEGMENTS * sizeof(double)) {
			size_t s = (within - w) / sizeof(double);
			if (s < (size_t)p->n_segments)
				within = w +
					 (size_t)m->seg[s] * sizeof(double) +
					 (within - w) % sizeof(double);
		}
		return base + (size_t)(att ? m->att[k] : m->body[k]) * stride +
		       within;
	}
	if (IN(links)) {
		base = offsetof(struct cd_params, links);
		stride = sizeof p->links[0];
		k = (o - base) / stride;
		within = (o - base) % stride;
		return k < (size_t)p->n_links
			       ? base + (size_t)m->link[k] * stride + within
			       : o;
	}
	return o;
#undef IN
}

/* The parameters with every collection in name order. */
static void reorder(const struct cd_params *p, const struct perm *m,
		    struct cd_params *q)
{
	for (int k = 0; k < p->n_segments; k++) {
		q->segments[m->seg[k]] = p->segments[k];
		q->segment_order[k] = m->seg[k];
	}
	for (int a = 0; a < p->n_attackers; a++) {
		struct cd_attacker *t = &q->attackers[m->att[a]];
		*t = p->attackers[a];
		for (int s = 0; s < p->n_segments; s++)
			t->targets[m->seg[s]] = p->attackers[a].targets[s];
	}
	for (int b = 0; b < p->n_bodies; b++) {
		struct cd_body *t = &q->bodies[m->body[b]];
		*t = p->bodies[b];
		for (int s = 0; s < p->n_segments; s++)
			t->coverage[m->seg[s]] = p->bodies[b].coverage[s];
		q->body_order[b] = m->body[b];
	}
	for (int k = 0; k < p->n_links; k++) {
		struct cd_link *t = &q->links[m->link[k]];
		*t = p->links[k];
		t->from = m->body[p->links[k].from];
		t->to = m->body[p->links[k].to];
	}
}

/* Is offset o the end of a link (a body index)? */
static int is_link_end(const struct cd_params *p, size_t o)
{
	size_t base = offsetof(struct cd_params, links),
	       stride = sizeof p->links[0];
	if (o < base || o >= base + sizeof p->links)
		return 0;
	size_t within = (o - base) % stride;
	return within == offsetof(struct cd_link, from) ||
	       within == offsetof(struct cd_link, to);
}

int load_canonicalize(struct loader *L)
{
	struct cd_scenario *sc = L->sc;
	const struct cd_params *p = &sc->p;
	struct perm m;
	rank_names(p->segments, sizeof p->segments[0], p->n_segments, m.seg);
	rank_names(p->attackers, sizeof p->attackers[0], p->n_attackers, m.att);
	rank_names(p->bodies, sizeof p->bodies[0], p->n_bodies, m.body);
	rank_names(p->links, sizeof p->links[0], p->n_links, m.link);
	struct cd_params *q = malloc(sizeof *q);
	unsigned char *set = calloc(1, sizeof sc->set);
	size_t n_fields = sizeof sc->p; /* an origin for every byte */
	int *origin = calloc(n_fields, sizeof *origin);
	if (!q || !set || !origin) {
		free(q);
		free(set);
		free(origin);
		return CD_ENOMEM;
	}
	*q = *p;
	reorder(p, &m, q);
	for (size_t o = 0; o < sizeof sc->p; o++) {
		size_t n = remap(p, &m, o);
		set[n] = sc->set[o];
		origin[n] = sc->origin[o];
	}
	struct cd_timeline *t = &sc->timeline;
	for (int i = 0; i < t->n_assign; i++) {
		struct cd_assign *a = &t->assign[i];
		if (is_link_end(p, a->offset))
			a->value.i = m.body[a->value.i];
		a->offset = remap(p, &m, a->offset);
	}
	sc->p = *q;
	memcpy(sc->set, set, sizeof sc->set);
	memcpy(sc->origin, origin, n_fields * sizeof *origin);
	free(q);
	free(set);
	free(origin);
	return 0;
}
