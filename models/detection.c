/* detection: see detection.h. */
#include "models/detection.h"

#include <math.h>

#include "core/status.h"

#define BOUND_MARGIN 1.1 /* over the hazard, for staff trained meanwhile */

/* The trained ratio of an organisation with factor k in a segment of
 * ratio r (detection.h). */
static double trained_of(double r, double k)
{
	if (!(r < 1))
		return 1;
	return r * k / (1 - r + r * k);
}

double detection_trained(const struct cd_model *m, uint32_t fid)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	/* The factor scales the odds r / (1 - r): 0 and 1 stay 0 and 1 (a
	 * fully trained segment is fully trained in every organisation),
	 * and the organisations of a segment spread around its ratio. */
	return trained_of(m->wf.ratio[f->segment],
			  footholds_factor(m->fh, fid));
}

/* The hazards of fid, with hunting at completeness `compl` (< 0: the
 * campaign's own). */
static void hazards_at(const struct cd_model *m, uint32_t fid, double compl,
		       struct hazard *hz)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	const struct cd_detection *d = &m->p->detection;
	uint32_t c = f->campaign;
	const struct cd_attacker *att =
		&m->p->attackers[footholds_attacker(m->fh, fid)];
	double skill = d->untrained_skill +
		       (1 - d->untrained_skill) * detection_trained(m, fid);
	for (int k = 0; k < CD_SOURCES; k++)
		hz->h[k] = 0;
	hz->h[CD_SRC_INTERNAL] = d->internal_rate *
				 footholds_monitoring(m->fh, fid) * skill *
				 (1 - att->stealth);
	/* Hunting, if the organisation knows the campaign (knowledge_knows):
	 * "partner" when all it knows came in from abroad, "shared"
	 * otherwise. */
	uint32_t via = orgs_reach_in(m->orgs, f->org, f->segment) &
		       knowledge_body_reached(m->know, c);
	int own = knowledge_learned(m->know, c, f->org);
	if (via || own) {
		int partner = !own && via &&
			      !(via & ~knowledge_partner_known(m->know, c));
		hz->h[partner ? CD_SRC_PARTNER : CD_SRC_SHARED] =
			d->hunt_rate * skill *
			(compl < 0 ? knowledge_completeness(m->know, c)
				   : compl );
	}
	const struct cd_segment *seg = &m->p->segments[f->segment];
	if (seg->kind == CD_KIND_GOVERNMENT && seg->national_monitoring)
		hz->h[CD_SRC_NATIONAL] =
			m->p->wog.national_monitoring * (1 - att->stealth);
	hz->h[CD_SRC_EXTERNAL] = d->external_rate;
	double miss = 1;
	for (int k = 0; k < CD_SOURCES; k++)
		miss *= 1 - hz->h[k];
	hz->total = 1 - miss;
}

void detection_hazards(const struct cd_model *m, uint32_t fid,
		       struct hazard *hz)
{
	hazards_at(m, fid, -1, hz);
}

/* Rechecks after a change of trained ratios only (phase_workforce) skip
 * the footholds whose bound provably still holds; the others are
 * rechecked as always, so every decision is the one a recheck would make.
 * The proof: between two rechecks of a foothold, only its segment's
 * trained ratio r moves its hazard with full indicators (the parameters
 * change only on timeline events, which recheck all, and what its
 * organisation knows only when a body reaches it, which rechecks it).
 * r moves the organisation's trained ratio t = r k / (1 - r + r k), which
 * rises with r. Raising t by a factor q raises skill (affine in t, with a
 * non-negative intercept), so every source's hazard, by at most q, and
 * then h = 1 - prod(1 - h_k) by at most q too (1 - h is a product of
 * decreasing convex factors, so h(q) / q decreases). With h computed at
 * trained ratio t under bound b, a trained ratio t' <= t q, q = (b - e) /
 * (h + e), keeps the hazard below b; e = 1e-13 covers the rounding of
 * both hazards (about 1e-15, absolute) and of q (relative). The limit is
 * kept on r, where t reaches t q: r = t / (t + k (1 - t)), the inverse of
 * the odds form. A bound of 1, or t q >= 1, holds at any ratio. */
#define LIMIT_SLACK 1e-13

/* Records the highest trained ratio of fid's segment at which hazard h
 * (with full indicators, at today's ratio) stays within its bound b. */
static void set_limit(struct cd_model *m, uint32_t fid, double h, double b)
{
	double k = footholds_factor(m->fh, fid);
	double t = detection_trained(m, fid) * (1 - LIMIT_SLACK);
	double q = (b - LIMIT_SLACK) / (h + LIMIT_SLACK) * (1 - LIMIT_SLACK);
	double tq = t * q, limit;
	if (b >= 1 || (q > 1 && tq >= 1))
		limit = INFINITY;
	else if (q > 1)
		limit = tq / (tq + k * (1 - tq)) * (1 - LIMIT_SLACK);
	else
		limit = -INFINITY;
	footholds_set_limit(m->fh, fid, limit);
}

/* Starts fid's bound at the hazard it has now with full indicators. */
static void rebound(struct cd_model *m, uint32_t fid)
{
	struct hazard hz;
	hazards_at(m, fid, 1, &hz);
	double b = fmin(1, BOUND_MARGIN * hz.total);
	footholds_rebound(m->fh, fid, b);
	set_limit(m, fid, hz.total, b);
}

/* Schedules fid's next candidate, `from` being the last day it may not
 * fall on. */
static int next_candidate(struct cd_model *m, const struct cd_rand *r,
			  uint32_t fid, int from)
{
	double b = footholds_bound(m->fh, fid);
	uint64_t gap = cd_geometric_inv(
		b, rand_u01(r, KEY_DETECT_GAP, footholds_key(m->fh, fid),
			    footholds_draw(m->fh, fid)));
	if (gap >= (uint64_t)m->horizon)
		return 0; /* beyond any horizon */
	return footholds_schedule(m->fh, fid, (int64_t)from + (int64_t)gap, 0);
}

int detection_open(struct cd_model *m, const struct cd_rand *r, uint32_t fid)
{
	rebound(m, fid);
	return next_candidate(m, r, fid, m->day);
}

int detection_recheck(struct cd_model *m, const struct cd_rand *r, uint32_t fid)
{
	struct hazard hz;
	hazards_at(m, fid, 1, &hz);
	double b = footholds_bound(m->fh, fid);
	int above = hz.total > b; /* else the candidates drawn still bound it */
	if (above) { /* a new bound: candidates from the first day not drawn */
		b = fmin(1, BOUND_MARGIN * hz.total);
		footholds_rebound(m->fh, fid, b);
	}
	set_limit(m, fid, hz.total, b);
	return above ? next_candidate(m, r, fid, m->detected) : 0;
}

int detection_candidate(struct cd_model *m, const struct cd_rand *r,
			uint32_t fid, int *src)
{
	struct hazard hz;
	detection_hazards(m, fid, &hz);
	double b = footholds_bound(m->fh, fid);
	if (hz.total > b) { /* cannot happen after a recheck; be exact */
		rebound(m, fid);
		return next_candidate(m, r, fid, m->day - 1);
	}
	uint64_t key = footholds_key(m->fh, fid),
		 draw = footholds_draw(m->fh, fid);
	if (!(rand_u01(r, KEY_DETECT_ACCEPT, key, draw) * b < hz.total)) {
		footholds_next_candidate(m->fh, fid);
		return next_candidate(m, r, fid, m->day);
	}
	double sum = 0; /* the source, in proportion to the h_k */
	for (int k = 0; k < CD_SOURCES; k++)
		sum += hz.h[k];
	double u = rand_u01(r, KEY_SOURCE, key, draw) * sum;
	for (*src = 0; *src < CD_SOURCES - 1; (*src)++) {
		if (u < hz.h[*src])
			break;
		u -= hz.h[*src];
	}
	return 1;
}

int detection_recheck_all(struct cd_model *m, const struct cd_rand *r)
{
	for (uint32_t i = 0; i < footholds_n_open(m->fh); i++) {
		CD_POLL_STOP(i);
		uint32_t fid = footholds_open_at(m->fh, i);
		if (footholds_get(m->fh, fid)->day_detected < 0) {
			int rc = detection_recheck(m, r, fid);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int detection_recheck_trained(struct cd_model *m, const struct cd_rand *r)
{
	uint32_t n = footholds_n_open(m->fh), polled = 0;
	for (uint32_t i = 0;
	     (i = footholds_next_over(m->fh, m->wf.ratio, i)) < n; i++) {
		CD_POLL_STOP(polled);
		polled++;
		uint32_t fid = footholds_open_at(m->fh, i);
		if (footholds_get(m->fh, fid)->day_detected < 0) {
			int rc = detection_recheck(m, r, fid);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int detection_recheck_reached(struct cd_model *m, const struct cd_rand *r,
			      uint32_t c, uint32_t newly, uint32_t before)
{
	footholds_prune(m->fh, c);
	const uint32_t *list;
	uint32_t n = footholds_of(m->fh, c, &list);
	for (uint32_t k = 0; k < n; k++) {
		CD_POLL_STOP(k);
		const struct cd_foothold *f = footholds_get(m->fh, list[k]);
		if (f->day_detected >= 0)
			continue;
		uint32_t reach = orgs_reach_in(m->orgs, f->org, f->segment);
		if ((reach & newly) && !(reach & before)) {
			int rc = detection_recheck(m, r, list[k]);
			if (rc)
				return rc;
		}
	}
	return 0;
}
