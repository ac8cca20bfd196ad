/* stages: whole of government, nation and system (NATO NCSF Manual, as
 * applied to Japan by Gady 2017).
 *
 * Each stage has a maturity m in [0,1]. stages_derive maps maturities to
 * the low-level parameters they govern, with the documented monotone
 * functions below, except where a parameter was set explicitly (in the
 * file, by --set or by a timeline event), which always wins:
 *
 *   WoG  wog.relay               0.3 + 0.7 m       (tatewari: unsure relay)
 *        wog.latency_days        round(1 + 13 (1 - m))
 *        wog.national_monitoring 0.002 + 0.018 m   (GSOC, P/day)
 *        wog.gov_share_rate      0.4 + 0.55 m
 *   WoN  won.share_rate          0.05 + 0.85 m     (m 0.3 -> 0.305, m 0.7
 *                                                   -> 0.645: Gady's 30.4%
 *                                                   and 64.7%)
 *        won.isac_coverage       0.2 + 0.8 m
 *        won.relay               0.2 + 0.75 m
 *        won.latency_days        round(1 + 9 (1 - m))
 *        won.hygiene_uplift      0.3 m
 *   WoS  wos.partner_inflow      0.1 + 0.9 m
 *        wos.relay               0.2 + 0.7 m
 *        wos.latency_days        round(1 + 6 (1 - m))
 *        wos.reciprocity         0.8 - 0.6 m       (mature ties ask less
 *                                                   in return)
 *        wos.deterrence          0.5 m
 *
 * Then, unless set explicitly: a link's relay and latency_days come from
 * its stage's relay and latency_days, a body's latency_days from its
 * stage's latency_days (links and bodies of stage "none" keep their
 * defaults, 1 and 1 day); a sector body's coverage_scale is
 * won.isac_coverage; a segment's share_rate is wog.gov_share_rate for
 * government segments and won.share_rate otherwise.
 */
#ifndef CD_STAGES_H
#define CD_STAGES_H

#include "params/params.h"

/* Recomputes every derived parameter of p from the maturities, leaving
 * alone each field whose byte offset is marked in `set`. Cannot fail. */
void stages_derive(struct cd_params *p, const unsigned char *set);

#endif
