/* detect: detections due today (phase 4).
 *
 * Today's detection candidates (detection.h) are taken in the order the
 * footholds were made; a candidate that is not a detection schedules the
 * next. On a detection the organisation knows the campaign, and reports
 * it to the bodies it is a member of if it has a reporting channel (a
 * sharing framework), with probability share_rate. It has one when its
 * keyed uniform lies below min(1, framework x judgement(trained) /
 * judgement(reference)), judgement(t) = untrained_judgement + (1 -
 * untrained_judgement) t: 39% of firms lack an adequate framework, partly
 * for an inadequately trained workforce (Gady 2017, PwC), so the
 * segment's framework share holds at the reference trained ratio, and as
 * an organisation's staff are trained it gains a channel and keeps it.
 * This is the one place training changes sharing. A report reveals more of the
 * campaign's indicators. Containment follows after a geometric delay of
 * mean containment_days x (untrained_containment - (untrained_containment
 * - 1) trained), shortened while the National Security Council is
 * engaged. The report and the delay are keyed by the foothold.
 */
#include <math.h>
#include <stdlib.h>

#include "core/status.h"
#include "models/detection.h"
#include "models/phases.h"

/* Mean containment time for an organisation with trained ratio t. */
static double containment_mean(const struct cd_model *m, double t)
{
	const struct cd_detection *d = &m->p->detection;
	double mean =
		d->containment_days *
		(d->untrained_containment - (d->untrained_containment - 1) * t);
	if (crisis_active(&m->crisis, m->day))
		mean *= m->p->crisis.containment_factor;
	return mean;
}

/* Does the organisation of foothold fid have a reporting channel? */
static int has_channel(const struct cd_model *m, const struct cd_rand *r,
		       uint32_t fid)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	const struct cd_won *won = &m->p->won;
	double j = won->untrained_judgement,
	       trained = detection_trained(m, fid);
	double judge = (j + (1 - j) * trained) /
		       (j + (1 - j) * won->reference_trained);
	double p = fmin(1, m->p->segments[f->segment].framework * judge);
	uint64_t id = orgs_identity(m->orgs, f->org, f->segment);
	return rand_u01(r, KEY_CHANNEL, id, 0) < p;
}

/* The organisation of detected foothold fid reports its campaign, or
 * not. Returns 1 if it did, 0 if not, or a negative status. */
static int report(struct cd_model *m, const struct cd_rand *r, uint32_t fid)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	double rate = m->p->segments[f->segment].share_rate;
	uint32_t member = orgs_member(m->orgs, f->org);
	if (!member || !has_channel(m, r, fid) ||
	    !(rand_u01(r, KEY_REPORT, footholds_key(m->fh, fid), 0) < rate))
		return 0;
	knowledge_org_reports(m->know, f->campaign, f->org,
			      m->p->detection.indicator_yield);
	for (int b = 0; b < m->p->n_bodies; b++) {
		if (!(member & (1u << b)))
			continue;
		m->tally.bdaily[b].reports++;
		int rc = bodies_schedule(m->bodies, b, f->campaign, 0, m->day);
		if (rc)
			return rc;
	}
	return 1;
}

static int detected(struct cd_model *m, const struct cd_rand *r, uint32_t fid,
		    int src)
{
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	footholds_detect(m->fh, fid, m->day, src);
	m->tally.daily[f->segment].detections[src]++;
	struct cd_know_ctx x = model_know(m);
	int rc = knowledge_learn(m->know, &x, f->campaign, f->org, f->segment);
	if (rc)
		return rc;
	int shared = report(m, r, fid);
	if (shared < 0)
		return shared;
	footholds_set_shared(m->fh, fid, shared);
	double p = 1 / fmax(1, containment_mean(m, detection_trained(m, fid)));
	uint64_t delay = cd_geometric_inv(
		p, rand_u01(r, KEY_CONTAIN, footholds_key(m->fh, fid), 0));
	if (delay >= (uint64_t)m->horizon)
		return 0; /* beyond any horizon: open at the end */
	return footholds_schedule_containment(m->fh, fid, m->day + (int)delay);
}

int phase_detect(struct cd_model *m, const struct cd_rand *r)
{
	footholds_sort_detections(m->fh, m->day);
	for (uint32_t i = 0; i < footholds_n_detections(m->fh, m->day); i++) {
		CD_POLL_STOP(i);
		struct cal_event ev = footholds_detection(m->fh, m->day, i);
		if (!footholds_current(m->fh, ev))
			continue; /* a stale candidate, or already found */
		m->tally.events++;
		int src = CD_SRC_EXTERNAL; /* a ransom demand */
		int rc = ev.flag ? 1 : detection_candidate(m, r, ev.a, &src);
		if (rc > 0)
			rc = detected(m, r, ev.a, src);
		if (rc)
			return rc;
	}
	m->detected = m->day;
	return 0;
}
