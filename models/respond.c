/* respond: impact, damage while open, and containment (phases 3b, 5, 6).
 *
 * A foothold is not yet a breach (the kill chain): it reaches impact,
 * where exfiltration, outage, encryption or fraud starts, after a delay
 * drawn when it is made (geometric on 0, 1, 2, ... days with mean
 * impact_days_mean, keyed by the foothold), if it is still open then; a
 * foothold detected and contained before causes no damage. An attacker
 * that demands a ransom does so after impact, after a delay of mean
 * ransom_days_mean: the demand detects the foothold (external). From
 * impact through containment a foothold accrues its attacker's
 * damage_per_day x the segment's damage_scale every day, in the
 * objective's unit: records for espionage, outage hours for disruption,
 * yen for extortion. Damage follows counts (footholds.h), not a daily pass
 * over footholds.
 */
#include "core/status.h"
#include "models/phases.h"

int phase_impact(struct cd_model *m, const struct cd_rand *r)
{
	for (uint32_t i = 0; i < footholds_n_impacts(m->fh, m->day); i++) {
		CD_POLL_STOP(i);
		uint32_t fid = footholds_impact_at(m->fh, m->day, i);
		if (!footholds_impact(m->fh, fid, m->day))
			continue; /* contained before its impact */
		m->tally.events++;
		const struct cd_foothold *f = footholds_get(m->fh, fid);
		m->tally.daily[f->segment].breaches++;
		const struct cd_attacker *att =
			&m->p->attackers[footholds_attacker(m->fh, fid)];
		if (!att->demands_ransom || f->day_detected >= 0)
			continue;
		uint64_t delay = model_delay(
			att->ransom_days_mean,
			rand_u01(r, KEY_RANSOM, footholds_key(m->fh, fid), 0));
		if (delay >= (uint64_t)m->horizon)
			continue;
		int rc = footholds_schedule(
			m->fh, fid, (int64_t)m->day + (int64_t)delay, 1);
		if (rc)
			return rc;
	}
	return 0;
}

void phase_damage(struct cd_model *m)
{
	for (int s = 0; s < m->p->n_segments; s++) {
		struct cd_daily *d = &m->tally.daily[s];
		for (int a = 0; a < m->p->n_attackers; a++) {
			const struct cd_attacker *att = &m->p->attackers[a];
			double v = att->damage_per_day *
				   m->p->segments[s].damage_scale;
			uint32_t n = footholds_accrue(m->fh, s, a, v);
			if (!n)
				continue;
			if (att->objective == CD_OBJ_ESPIONAGE)
				d->records += v * n;
			else if (att->objective == CD_OBJ_DISRUPTION)
				d->outage_hours += v * n;
			else
				d->loss_yen += v * n;
		}
	}
}

void phase_contain(struct cd_model *m)
{
	for (uint32_t i = 0; i < footholds_n_containments(m->fh, m->day); i++) {
		uint32_t fid = footholds_containment(m->fh, m->day, i);
		m->tally.events++;
		footholds_close(m->fh, fid, m->day);
		m->tally.daily[footholds_get(m->fh, fid)->segment].contained++;
	}
}
