/* stages: whole of government, nation and system (NATO NCSF Manual, as
 * applied to Japan by Gady 2017).
 *
 * Each stage has a maturity m in [0,1]. stages_derive maps maturities to
 * the low-level parameters they govern, except where a parameter was set
 * explicitly (in the file, by --set or by a timeline event), which always
 * wins. Each mapped setting X of a stage's section has two coefficients,
 * the settings X_base and X_slope of the same section (schema.c), so that
 * --set, the timeline, sweeps and designs reach them like any setting:
 *
 *   linear    X = X_base + X_slope m
 *   latency   X = round(X_base + X_slope (1 - m))   (days: X_base at full
 *                                                   maturity, X_slope more
 *                                                   at none)
 *
 * A linear mapping rises with m when its slope is positive and falls when
 * it is negative; a latency falls with m when its slope is positive. The
 * defaults of the coefficients are these mappings:
 *
 *   WoG  wog.relay               0.3 + 0.7 m       (tatewari: unsure relay)
 *        wog.lateral_relay       0.05 + 0.45 m     (ministry to ministry)
 *        wog.latency_days        round(1 + 13 (1 - m))
 *        wog.national_monitoring 0.002 + 0.018 m   (GSOC, P/day)
 *        wog.gov_share_rate      0.4 + 0.55 m
 *   WoN  won.share_rate          0.33 + 0.65 m     (of firms with a
 *                                                   framework)
 *        won.framework           0.4 + 0.6 m       (firms with one: x share
 *                                                   = 0.304 at m 0.3, 0.644
 *                                                   at m 0.7, Gady's 30.4%
 *                                                   and 64.7%)
 *        won.isac_coverage       0.2 + 0.8 m
 *        won.relay               0.2 + 0.75 m
 *        won.latency_days        round(1 + 9 (1 - m))
 *        won.hygiene_uplift      0 + 0.3 m
 *   WoS  wos.partner_inflow      0.1 + 0.9 m
 *        wos.relay               0.2 + 0.7 m
 *        wos.latency_days        round(1 + 6 (1 - m))
 *        wos.reciprocity         0.8 - 0.6 m       (mature ties ask less
 *                                                   in return)
 *        wos.deterrence          0 + 0.5 m
 *
 * Validation: the schema range of each coefficient is every value that,
 * with the other coefficient at its default, keeps X within X's own range
 * at every maturity in [0,1]; two coefficients changed together may not,
 * and stages_check finds such a mapping (the loader refuses it, naming
 * the line). A mapping is monotone in m, so its values at m = 0 and m = 1
 * bound it: floating-point sums and products are monotone too.
 *
 * Then, unless set explicitly: a link's relay and latency_days come from
 * its stage's relay and latency_days, a body's latency_days from its
 * stage's latency_days (links and bodies of stage "none" keep their
 * defaults, 1 and 1 day), a lateral link of stage wog taking
 * wog.lateral_relay instead of wog.relay; a sector body's coverage_scale is
 * won.isac_coverage; a segment's share_rate is wog.gov_share_rate for
 * government segments and won.share_rate otherwise, its framework
 * won.framework for corporations and 1 otherwise; and a segment's
 * hygiene_mean, where its hygiene_proper is in force (assigned after any
 * hygiene_mean), is the Beta mean that puts that share of its
 * organisations at or above won.proper_hygiene (hygiene.h).
 */
#ifndef CD_STAGES_H
#define CD_STAGES_H

#include <stddef.h>

#include "params/params.h"

struct schema_field;

enum stage_form {
	STAGE_LINEAR, /* base + slope m */
	STAGE_LATENCY /* round(base + slope (1 - m)) */
};

/* One mapping. Settings are named in the stage's section, whose name is
 * cd_stage_names[stage]; offsets are of struct cd_params. */
struct stage_map {
	int stage; /* enum cd_stage */
	int form;  /* enum stage_form */
	/* The settings: X, X_base, X_slope (e.g. "relay", "relay_base"). */
	const char *name, *base_name, *slope_name;
	size_t maturity, derived, base, slope;
};

#define STAGE_N_MAPS 16

/* The mappings, in the order stages_derive applies them. */
extern const struct stage_map stage_maps[STAGE_N_MAPS];

/* The value of mapping m with the coefficients of p at `maturity` (the
 * formula above; not clamped). Cannot fail. */
double stages_value(const struct cd_params *p, const struct stage_map *m,
		    double maturity);

/* The schema field of m's stage section named `name` (m->name,
 * m->base_name or m->slope_name), or NULL if there is none (the tests
 * check that each is there). Cannot fail. */
const struct schema_field *stages_field(const struct stage_map *m,
					const char *name);

/* Returns NULL when every mapping of p keeps its setting within the
 * setting's schema range at every maturity in [0,1]; else the first
 * mapping that does not, with *at the maturity (0 or 1) where it leaves
 * the range and *value its value there. Cannot fail. */
const struct stage_map *stages_check(const struct cd_params *p, double *at,
				     double *value);

/* Recomputes every derived parameter of p from the maturities, leaving
 * alone each field whose byte offset is marked in `set`. Cannot fail. */
void stages_derive(struct cd_params *p, const unsigned char *set);

#endif
