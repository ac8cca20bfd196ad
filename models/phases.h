/* phases: the behaviour of one day, phase by phase (DESIGN.md 1.5).
 *
 * Each phase is a function of the model (model.h) and of the run's keyed
 * random source, handed to it by the day loop; phases change the state
 * only through the stores and never call each other. All return 0,
 * CD_EINTR (a stop was requested: status.h) or CD_ENOMEM, after which the
 * model is unusable; phase_timeline may also return CD_ELIMIT.
 */
#ifndef CD_MODELS_PHASES_H
#define CD_MODELS_PHASES_H

#include "models/model.h"

/* 1. Policy events due today take effect: their settings are written into
 *    the run's parameters (and count as set explicitly, so stage mappings
 *    do not undo them), the stage mappings are recomputed, and everything
 *    that depends on parameters is refreshed; a foothold's detection gets
 *    a new bound only where a rate rose beyond it (detection.h), so an
 *    event that changes nothing changes nothing. */
int phase_timeline(struct cd_model *m, const struct cd_rand *r);
/* 2. Campaigns retire (expired, or enough of their attempts blocked) and
 *    start (Poisson, per attacker); partners may see new ones abroad. */
int phase_campaigns(struct cd_model *m, const struct cd_rand *r);
/* 3. Intrusion attempts, in aggregate; candidates make footholds, each
 *    with its impact scheduled. */
int phase_attempts(struct cd_model *m, const struct cd_rand *r);
/* 3b. Footholds reaching impact today become breaches (if still open);
 *    an attacker that demands a ransom schedules its demand. */
int phase_impact(struct cd_model *m, const struct cd_rand *r);
/* 4. Detections due today; the organisation learns the campaign, may
 *    report it, and schedules containment. */
int phase_detect(struct cd_model *m, const struct cd_rand *r);
/* 5. Damage while open, from impact. */
void phase_damage(struct cd_model *m);
/* 6. Containments due today. */
void phase_contain(struct cd_model *m);
/* 7. Sharing bodies learn, distribute and relay. */
int phase_share(struct cd_model *m, const struct cd_rand *r);
/* 8. Crisis escalation. */
void phase_crisis(struct cd_model *m);
/* 9. Monthly workforce flows. */
int phase_workforce(struct cd_model *m, const struct cd_rand *r);

/* What the phases derive from the parameters, refreshed at the start and
 * after each policy event: attribute distributions, completeness, target
 * weights, trained ratios, memberships and who knows what. Returns 0,
 * CD_ENOMEM or CD_ELIMIT. */
int phase_refresh(struct cd_model *m);

#endif
