/* respond: damage while open, and containment (phases 5 and 6).
 *
 * Each open foothold accrues its attacker's damage_per_day x the
 * segment's damage_scale every day, from compromise through containment,
 * in the objective's unit: records for espionage, outage hours for
 * disruption, yen for extortion. Damage follows counts (footholds.h), not
 * a daily pass over footholds.
 */
#include "models/phases.h"

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
