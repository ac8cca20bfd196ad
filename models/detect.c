/* detect: detections due today (phase 4).
 *
 * A detection's source is drawn in proportion to the foothold's hazards
 * (the ransom demand, when it came first, is external). The organisation
 * then knows the campaign, and reports it to the bodies it is a member of
 * with probability share_rate x judgement(trained) / judgement(reference),
 * judgement(t) = untrained_judgement + (1 - untrained_judgement) t:
 * untrained or outsourced staff cannot judge what to share (Gady 2017), so
 * the base rate holds at the reference trained ratio. A report reveals
 * more of the campaign's indicators. Containment follows after a geometric
 * delay of mean containment_days x (untrained_containment -
 * (untrained_containment - 1) trained), shortened while the National
 * Security Council is engaged.
 */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "models/detection.h"
#include "models/phases.h"
#include "core/status.h"

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

/* The organisation of a detected foothold reports campaign c, or not.
 * Returns 1 if it did, 0 if not, or a negative status. */
static int report(struct cd_model *m, uint32_t c, uint32_t org, double trained,
		  gsl_rng *sharing, gsl_rng *defense)
{
	int s = orgs_segment_of(m->orgs, org);
	const struct cd_won *won = &m->p->won;
	double j = won->untrained_judgement;
	double judge = (j + (1 - j) * trained) /
		       (j + (1 - j) * won->reference_trained);
	double rate = fmin(1, m->p->segments[s].share_rate * judge);
	uint32_t member = orgs_member(m->orgs, org);
	if (!member || !(gsl_rng_uniform(sharing) < rate))
		return 0;
	int rc = detection_more_indicators(m, c, defense);
	for (int b = 0; b < m->p->n_bodies && !rc; b++) {
		if (!(member & (1u << b)))
			continue;
		m->tally.bdaily[b].reports++;
		rc = bodies_schedule(m->bodies, b, c, 0, m->day);
	}
	return rc ? rc : 1;
}

/* Draws the source of a detection in proportion to the hazards. */
static int source(const struct cd_model *m, uint32_t fid, gsl_rng *r)
{
	struct hazard hz;
	detection_hazards(m, fid, &hz);
	double sum = 0;
	for (int k = 0; k < CD_SOURCES; k++)
		sum += hz.h[k];
	double u = gsl_rng_uniform(r) * sum;
	int src;
	for (src = 0; src < CD_SOURCES - 1; src++) {
		if (u < hz.h[src])
			break;
		u -= hz.h[src];
	}
	return src;
}

static int detected(struct cd_model *m, struct cal_event ev, gsl_rng *defense,
		    gsl_rng *sharing)
{
	uint32_t fid = ev.a;
	const struct cd_foothold *f = footholds_get(m->fh, fid);
	int src = ev.flag ? CD_SRC_EXTERNAL : source(m, fid, defense);
	footholds_detect(m->fh, fid, m->day, src);
	m->tally.daily[f->segment].detections[src]++;
	struct cd_know_ctx x = model_know(m);
	int rc = knowledge_learn(m->know, &x, f->campaign, f->org, f->segment);
	if (rc)
		return rc;
	int shared = report(m, f->campaign, f->org, detection_trained(m, fid),
			    sharing, defense);
	if (shared < 0)
		return shared;
	footholds_set_shared(m->fh, fid, shared);
	double p = 1 / fmax(1, containment_mean(m, detection_trained(m, fid)));
	unsigned int delay = gsl_ran_geometric(defense, p);
	return footholds_schedule_containment(m->fh, fid, m->day + (int)delay);
}

int phase_detect(struct cd_model *m, gsl_rng *defense, gsl_rng *sharing)
{
	for (uint32_t i = 0; i < footholds_n_detections(m->fh, m->day); i++) {
		CD_POLL_STOP(i);
		struct cal_event ev = footholds_detection(m->fh, m->day, i);
		if (!footholds_current(m->fh, ev))
			continue; /* redrawn since, or already found */
		m->tally.events++;
		int rc = detected(m, ev, defense, sharing);
		if (rc)
			return rc;
	}
	return 0;
}
