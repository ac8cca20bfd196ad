/* model: see model.h. */
#include "models/model.h"

void model_name_ids(struct cd_model *m)
{
	const struct cd_params *p = m->p;
	for (int s = 0; s < p->n_segments; s++)
		m->segment_id[s] = cd_name_id(p->segments[s].name);
	for (int a = 0; a < p->n_attackers; a++)
		m->attacker_id[a] = cd_name_id(p->attackers[a].name);
	for (int b = 0; b < p->n_bodies; b++)
		m->body_id[b] = cd_name_id(p->bodies[b].name);
	for (int k = 0; k < p->n_links; k++)
		m->link_id[k] = cd_name_id(p->links[k].name);
}
