/* footholds: see footholds.h. */
#include "state/footholds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/bitset.h"
#include "core/hashmap.h"
#include "core/keyed.h"
#include "core/status.h"
#include "core/vec.h"

#define FOOTHOLD_LIMIT 0x7fffffffu

struct attr {
	double monitoring, factor; /* of the foothold's org */
	double cum0;		   /* cum[segment][attacker] at its impact */
	int attacker;
	uint32_t pair; /* its index among the footholds of its
			  (campaign, organisation) */
	uint64_t key;  /* its identity in keyed draws */
	double bound;  /* the hazard its detection candidates are drawn at */
	uint32_t cand; /* candidates of this bound so far */
};

/* A campaign's footholds, and which organisations hold one: a map per
 * campaign, small enough to stay in cache while the campaign attacks. */
struct list {
	uint32_t *id, n, cap;
	struct hashmap held; /* org -> its last foothold's id + 1 */
};

/* An open foothold, with what decides whether a change of trained ratios
 * may need its bound rechecked. */
struct slot {
	double limit; /* see footholds_set_limit */
	uint32_t id;
	uint32_t segment;
};

struct cd_footholds {
	struct cd_foothold *fh;
	struct attr *attr;
	uint32_t n, cap;
	struct slot *open;  /* footholds not yet contained */
	uint32_t *open_pos; /* [n]: index in open */
	uint32_t n_open, cap_open;
	uint32_t n_open_by[CD_MAX_SEGMENTS][CD_MAX_ATTACKERS];
	uint32_t n_impact_by[CD_MAX_SEGMENTS][CD_MAX_ATTACKERS]; /* open,
				  past impact: what damage counts */
	double cum[CD_MAX_SEGMENTS][CD_MAX_ATTACKERS];
	struct list *by_campaign; /* [n_campaigns] */
	uint32_t n_campaigns;
	struct bitset compromised; /* orgs ever compromised: only they are
				      in a campaign's held */
	struct calendar detect, contain, impact;
	struct cal_event *scratch; /* for sorting a day's detections */
	uint32_t cap_scratch;
};

int footholds_create(cd_footholds **out, int days)
{
	*out = NULL;
	cd_footholds *f = calloc(1, sizeof *f);
	if (!f)
		return CD_ENOMEM;
	bitset_init(&f->compromised);
	if (calendar_init(&f->detect, days) ||
	    calendar_init(&f->contain, days) ||
	    calendar_init(&f->impact, days)) {
		footholds_destroy(f);
		return CD_ENOMEM;
	}
	*out = f;
	return 0;
}

void footholds_destroy(cd_footholds *f)
{
	if (!f)
		return;
	free(f->fh);
	free(f->attr);
	free(f->open);
	free(f->open_pos);
	for (uint32_t c = 0; c < f->n_campaigns; c++) {
		free(f->by_campaign[c].id);
		hashmap_free(&f->by_campaign[c].held);
	}
	free(f->by_campaign);
	bitset_free(&f->compromised);
	calendar_free(&f->detect);
	calendar_free(&f->contain);
	calendar_free(&f->impact);
	free(f->scratch);
	free(f);
}

/* A day's events are of footholds made long before, whose records are
 * most likely not in cache: reading the i-th event of a day asks for the
 * records of the foothold AHEAD events on, which then arrive while the
 * events between are taken. */
#define AHEAD 8

static void fetch_ahead(const cd_footholds *f, const struct cal_bucket *b,
			uint32_t i)
{
	if (i + AHEAD < b->n) {
		uint32_t id = b->ev[i + AHEAD].a;
		__builtin_prefetch(&f->fh[id]);
		__builtin_prefetch(&f->attr[id]);
	}
}

static int grow(cd_footholds *f)
{
	uint32_t cap = f->cap ? 2 * f->cap : 256;
	struct cd_foothold *nf = realloc(f->fh, cap * sizeof *nf);
	if (nf)
		f->fh = nf;
	uint32_t *np = nf ? realloc(f->open_pos, cap * sizeof *np) : NULL;
	if (np)
		f->open_pos = np;
	struct attr *na = np ? realloc(f->attr, cap * sizeof *na) : NULL;
	if (!na)
		return CD_ENOMEM;
	f->attr = na;
	f->cap = cap;
	return 0;
}

/* Appends foothold id (of segment seg) to the open ones. Returns 0 or
 * CD_ENOMEM. */
static int push_open(cd_footholds *f, uint32_t id, int seg)
{
	if (f->n_open == f->cap_open) {
		uint32_t cap = f->cap_open ? 2 * f->cap_open : 256;
		struct slot *ns = realloc(f->open, cap * sizeof *ns);
		if (!ns)
			return CD_ENOMEM;
		f->open = ns;
		f->cap_open = cap;
	}
	f->open_pos[id] = f->n_open;
	f->open[f->n_open++] =
		(struct slot){-INFINITY, id, (uint32_t)seg}; /* unknown */
	return 0;
}

/* The last foothold of campaign c in org, + 1, or NULL if none. */
static const uint32_t *held(const cd_footholds *f, uint32_t c, uint32_t org)
{
	if (c >= f->n_campaigns || !bitset_has(&f->compromised, org))
		return NULL;
	return hashmap_get(&f->by_campaign[c].held, org);
}

/* The list of campaign c, made when its first foothold is. */
static struct list *campaign_list(cd_footholds *f, uint32_t c)
{
	if (c >= f->n_campaigns) {
		uint32_t n =
			c + 1 > 2 * f->n_campaigns ? c + 1 : 2 * f->n_campaigns;
		struct list *nl = realloc(f->by_campaign, n * sizeof *nl);
		if (!nl)
			return NULL;
		memset(nl + f->n_campaigns, 0,
		       (n - f->n_campaigns) * sizeof *nl);
		f->by_campaign = nl;
		f->n_campaigns = n;
	}
	return &f->by_campaign[c];
}

int footholds_open(cd_footholds *f, const struct cd_foothold_of *of,
		   double monitoring, double factor, uint32_t *fid)
{
	uint32_t c = of->campaign, org = of->org;
	int a = of->attacker, seg = of->segment, day = of->day;
	const uint32_t *last = held(f, c, org);
	uint32_t pair = last ? f->attr[*last - 1].pair + 1 : 0;
	if (f->n == f->cap && grow(f))
		return CD_ENOMEM;
	uint32_t id = f->n;
	if (id >= FOOTHOLD_LIMIT)
		return CD_ELIMIT;
	f->fh[id] = (struct cd_foothold){.org = org,
					 .campaign = c,
					 .segment = (uint16_t)seg,
					 .day_compromised = day,
					 .day_detected = -1,
					 .day_contained = -1,
					 .day_impact = -1};
	f->attr[id] = (struct attr){
		.monitoring = monitoring,
		.factor = factor,
		.attacker = a,
		.pair = pair,
		.key = cd_id2(cd_id2(of->campaign_uid, of->org_identity),
			      pair)};
	f->n_open_by[seg][a]++;
	f->n++;
	*fid = id;
	int rc = push_open(f, id, seg);
	struct list *l = rc ? NULL : campaign_list(f, c);
	if (!rc && !l)
		rc = CD_ENOMEM;
	if (!rc)
		rc = hashmap_put(&l->held, org, id + 1);
	if (!rc)
		rc = bitset_add(&f->compromised, org);
	if (!rc)
		rc = vec_push_u32(&l->id, &l->n, &l->cap, id);
	return rc;
}

void footholds_close(cd_footholds *f, uint32_t fid, int day)
{
	struct cd_foothold *h = &f->fh[fid];
	int a = f->attr[fid].attacker;
	h->day_contained = day;
	if (h->day_impact >= 0) {
		h->damage = f->cum[h->segment][a] - f->attr[fid].cum0;
		f->n_impact_by[h->segment][a]--;
	}
	f->n_open_by[h->segment][a]--;
	uint32_t pos = f->open_pos[fid];
	struct slot last = f->open[--f->n_open];
	f->open[pos] = last;
	f->open_pos[last.id] = pos;
}

void footholds_detect(cd_footholds *f, uint32_t fid, int day, int src)
{
	f->fh[fid].day_detected = day;
	f->fh[fid].source = (uint8_t)src;
	f->open[f->open_pos[fid]].limit = INFINITY; /* never rechecked */
}

void footholds_set_shared(cd_footholds *f, uint32_t fid, int shared)
{
	f->fh[fid].shared = shared > 0;
}

uint32_t footholds_accrue(cd_footholds *f, int s, int a, double v)
{
	uint32_t n = f->n_impact_by[s][a];
	if (n)
		f->cum[s][a] += v;
	return n;
}

int footholds_schedule_impact(cd_footholds *f, uint32_t fid, int64_t day)
{
	if (day >= f->impact.days)
		return 0;
	return calendar_add(&f->impact, (int)day,
			    (struct cal_event){fid, 0, 0, 0});
}

uint32_t footholds_n_impacts(const cd_footholds *f, int day)
{
	return f->impact.day[day].n;
}

uint32_t footholds_impact_at(const cd_footholds *f, int day, uint32_t i)
{
	fetch_ahead(f, &f->impact.day[day], i);
	return f->impact.day[day].ev[i].a;
}

int footholds_impact(cd_footholds *f, uint32_t fid, int day)
{
	struct cd_foothold *h = &f->fh[fid];
	if (h->day_contained >= 0 || h->day_impact >= 0)
		return 0;
	h->day_impact = day;
	f->attr[fid].cum0 = f->cum[h->segment][f->attr[fid].attacker];
	f->n_impact_by[h->segment][f->attr[fid].attacker]++;
	return 1;
}

void footholds_rebound(cd_footholds *f, uint32_t fid, double bound)
{
	f->fh[fid].version++; /* its scheduled candidates are stale */
	f->attr[fid].bound = bound;
	f->attr[fid].cand = 0;
}

void footholds_next_candidate(cd_footholds *f, uint32_t fid)
{
	f->attr[fid].cand++;
}

double footholds_bound(const cd_footholds *f, uint32_t fid)
{
	return f->attr[fid].bound;
}

uint64_t footholds_draw(const cd_footholds *f, uint32_t fid)
{
	return (uint64_t)f->fh[fid].version << 32 | f->attr[fid].cand;
}

uint64_t footholds_key(const cd_footholds *f, uint32_t fid)
{
	return f->attr[fid].key;
}

int footholds_schedule(cd_footholds *f, uint32_t fid, int64_t day, int reveal)
{
	if (day >= f->detect.days)
		return 0;
	return calendar_add(&f->detect, (int)day,
			    (struct cal_event){fid, 0, f->fh[fid].version,
					       (uint32_t)reveal});
}

int footholds_schedule_containment(cd_footholds *f, uint32_t fid, int day)
{
	return calendar_add(&f->contain, day, (struct cal_event){fid, 0, 0, 0});
}

uint32_t footholds_n_detections(const cd_footholds *f, int day)
{
	return f->detect.day[day].n;
}

struct cal_event footholds_detection(const cd_footholds *f, int day, uint32_t i)
{
	fetch_ahead(f, &f->detect.day[day], i);
	return f->detect.day[day].ev[i];
}

/* The canonical order of a day's detections: by foothold, ransom demands
 * first. Events equal in it are of one foothold, of which at most one is
 * current (footholds_current), so their order among them changes
 * nothing. */
static int before(const struct cal_event *a, const struct cal_event *b)
{
	return a->a != b->a ? a->a < b->a : a->flag > b->flag;
}

static int by_foothold(const void *x, const void *y)
{
	const struct cal_event *a = x, *b = y;
	return before(a, b) ? -1 : before(b, a);
}

/* Sorts v[0..n) by merging runs of doubling width through tmp[n]. */
static void merge_sort(struct cal_event *v, struct cal_event *tmp, uint32_t n)
{
	struct cal_event *src = v, *dst = tmp;
	for (uint32_t w = 1; w < n; w *= 2) {
		for (uint32_t lo = 0; lo < n; lo += 2 * w) {
			uint32_t mid = lo + w < n ? lo + w : n;
			uint32_t hi = mid + w < n ? mid + w : n;
			uint32_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = before(&src[j], &src[i]) ? src[j++]
								    : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		struct cal_event *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
}

void footholds_sort_detections(cd_footholds *f, int day)
{
	struct cal_bucket *b = &f->detect.day[day];
	if (b->n < 2) /* b->ev is NULL on a day without events */
		return;
	if (b->n > f->cap_scratch) {
		struct cal_event *t = realloc(f->scratch, b->n * sizeof *t);
		if (!t) { /* no memory for merging: sorted in place */
			qsort(b->ev, b->n, sizeof *b->ev, by_foothold);
			return;
		}
		f->scratch = t;
		f->cap_scratch = b->n;
	}
	merge_sort(b->ev, f->scratch, b->n);
}

int footholds_current(const cd_footholds *f, struct cal_event ev)
{
	const struct cd_foothold *h = &f->fh[ev.a];
	return (ev.flag || h->version == ev.version) && h->day_detected < 0 &&
	       h->day_contained < 0;
}

uint32_t footholds_n_containments(const cd_footholds *f, int day)
{
	return f->contain.day[day].n;
}

uint32_t footholds_containment(const cd_footholds *f, int day, uint32_t i)
{
	fetch_ahead(f, &f->contain.day[day], i);
	return f->contain.day[day].ev[i].a;
}

void footholds_end_day(cd_footholds *f, int day)
{
	calendar_clear(&f->detect, day);
	calendar_clear(&f->contain, day);
	calendar_clear(&f->impact, day);
}

size_t footholds_count(const cd_footholds *f)
{
	return f->n;
}

const struct cd_foothold *footholds_all(const cd_footholds *f)
{
	return f->fh;
}

const struct cd_foothold *footholds_get(const cd_footholds *f, uint32_t fid)
{
	return &f->fh[fid];
}

int footholds_attacker(const cd_footholds *f, uint32_t fid)
{
	return f->attr[fid].attacker;
}

double footholds_monitoring(const cd_footholds *f, uint32_t fid)
{
	return f->attr[fid].monitoring;
}

double footholds_factor(const cd_footholds *f, uint32_t fid)
{
	return f->attr[fid].factor;
}

double footholds_damage(const cd_footholds *f, uint32_t fid)
{
	const struct cd_foothold *h = &f->fh[fid];
	if (h->day_contained >= 0 || h->day_impact < 0)
		return h->damage; /* 0 before impact */
	return f->cum[h->segment][f->attr[fid].attacker] - f->attr[fid].cum0;
}

int footholds_has_open(const cd_footholds *f, uint32_t c, uint32_t org)
{
	const uint32_t *v = held(f, c, org);
	return v && f->fh[*v - 1].day_contained < 0;
}

uint32_t footholds_n_open(const cd_footholds *f)
{
	return f->n_open;
}

uint32_t footholds_open_at(const cd_footholds *f, uint32_t i)
{
	return f->open[i].id;
}

void footholds_set_limit(cd_footholds *f, uint32_t fid, double limit)
{
	if (f->fh[fid].day_contained < 0)
		f->open[f->open_pos[fid]].limit = limit;
}

uint32_t footholds_next_over(const cd_footholds *f, const double *ratio,
			     uint32_t i)
{
	while (i < f->n_open && ratio[f->open[i].segment] <= f->open[i].limit)
		i++;
	return i;
}

uint32_t footholds_open_by(const cd_footholds *f, int s, int a)
{
	return f->n_open_by[s][a];
}

uint64_t footholds_orgs_compromised(const cd_footholds *f)
{
	return f->compromised.n;
}

uint32_t footholds_of(const cd_footholds *f, uint32_t c, const uint32_t **list)
{
	if (c >= f->n_campaigns) {
		*list = NULL;
		return 0;
	}
	*list = f->by_campaign[c].id;
	return f->by_campaign[c].n;
}

void footholds_prune(cd_footholds *f, uint32_t c)
{
	if (c >= f->n_campaigns)
		return;
	struct list *l = &f->by_campaign[c];
	uint32_t kept = 0;
	for (uint32_t k = 0; k < l->n; k++)
		if (f->fh[l->id[k]].day_contained < 0)
			l->id[kept++] = l->id[k];
	l->n = kept;
}
