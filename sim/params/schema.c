#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "params/schema.h"

#include "params/names.h"

#include <stdio.h>
#include <string.h>

#define P "probability"
#define F(st, fld, ty, lo, hi, d, fl, unit, help)                             \
	{                                                                     \
#fld, ty, lo, hi, d, NULL, offsetof(st, fld), NULL, fl, unit, \
			help, NULL                                            \
	}
#define REAL(st, fld, lo, hi, d, fl, unit, help) \
	F(st, fld, SCHEMA_REAL, lo, hi, d, fl, unit, help)
#define INT(st, fld, lo, hi, d, fl, unit, help) \
	F(st, fld, SCHEMA_INT, lo, hi, d, fl, unit, help)
#define BOOL(st, fld, d, help) F(st, fld, SCHEMA_BOOL, 0, 1, d, 0, "", help)
#define STR(st, fld, size, dstr, help)                                     \
	{                                                                  \
#fld, SCHEMA_STR, 0, (size)-1, 0, dstr, offsetof(st, fld), \
			NULL, 0, "", help, NULL                            \
	}
#define ENUM(st, fld, nm, d, fl, help)                                       \
	{                                                                    \
#fld, SCHEMA_ENUM, 0, 0, d, NULL, offsetof(st, fld), nm, fl, \
			"", help, NULL                                       \
	}
#define NAMED(nm, st, fld, ty, lo, hi, fl, unit, help)                      \
	{                                                                   \
		nm, ty, lo, hi, 0, NULL, offsetof(st, fld), NULL, fl, unit, \
			help, NULL                                          \
	}
#define TABLE(what, st, arr, cnt, max, fields)                              \
	{                                                                   \
		what, sizeof(st), offsetof(struct cd_params, arr),          \
			offsetof(struct cd_params, cnt), max,               \
			(int)(sizeof(fields) / sizeof((fields)[0])), fields \
	}
#define SECTION_TABLE(what, st, sec, fields)                                \
	{                                                                   \
		what, sizeof(st), offsetof(struct cd_params, sec), 0, 0,    \
			(int)(sizeof(fields) / sizeof((fields)[0])), fields \
	}

#define S struct cd_segment
static const struct schema_field segment_fields[] = {
	ENUM(S, kind, cd_kind_names, 0, SCHEMA_REQUIRED,
	     "what the organisations are; government segments report "
	     "at wog.gov_share_rate"),
	STR(S, sector, CD_NAME_MAX, "", "sector label, e.g. \"finance\""),
	STR(S, size, CD_NAME_MAX, "", "size label, e.g. \"large\", \"sme\""),
	F(S, count, SCHEMA_I64, 1, 1e8, 1, SCHEMA_REQUIRED, "organisations",
	  "number of organisations in the segment"),
	REAL(S, hygiene_mean, 0, 1, 0.5, 0, P,
	     "mean P(baseline measures properly in place); derived from "
	     "hygiene_proper when that is given instead"),
	REAL(S, hygiene_conc, 0.1, 1e6, 10, 0, "",
	     "Beta concentration a+b of hygiene across organisations"),
	REAL(S, hygiene_proper, 0.001, 0.999, 0.5, 0, "fraction",
	     "share of organisations with hygiene >= won.proper_hygiene "
	     "before guideline uplift; given instead of hygiene_mean, it sets "
	     "the mean (0 and 1: no Beta gives them)"),
	REAL(S, monitoring_mean, 0, 1, 0.5, 0, "fraction",
	     "mean internal monitoring capability"),
	REAL(S, monitoring_conc, 0.1, 1e6, 10, 0, "",
	     "Beta concentration a+b of monitoring across organisations"),
	REAL(S, trained_ratio, 0, 1, 0.3, 0, "fraction",
	     "trained security staff / staff needed (workforce replaces it)"),
	REAL(S, trained_shape, 0.1, 1e6, 4, 0, "",
	     "Gamma shape of the per-organisation factor on the odds of "
	     "being trained"),
	REAL(S, staff_per_org, 0, 1e5, 1, 0, "staff",
	     "security staff needed per organisation"),
	REAL(S, workforce_priority, 0, 1e3, 1, 0, "",
	     "weight of the segment when trained staff are allocated"),
	REAL(S, share_rate, 0, 1, 0.3, SCHEMA_DERIVED, P,
	     "P(report indicators | detection) for an organisation with a "
	     "reporting channel; default from won.share_rate or "
	     "wog.gov_share_rate"),
	REAL(S, framework, 0, 1, 1, SCHEMA_DERIVED, "fraction",
	     "share of its organisations with a reporting channel, at the "
	     "reference trained ratio: x judgement(trained) / "
	     "judgement(reference_trained), at most 1; default "
	     "won.framework for corporations, 1 for the others"),
	REAL(S, damage_scale, 0, 1e6, 1, 0, "",
	     "damage multiplier against the attacker's damage_per_day"),
	ENUM(S, defender, cd_defender_names, 0, 0,
	     "who staffs its security: the national workforce, the military "
	     "cyber unit (cdu) alone, or the unit on top of the national "
	     "workforce"),
	BOOL(S, national_monitoring, 1,
	     "government segments: under the national monitoring of "
	     "government networks (wog.national_monitoring, GSOC); false = "
	     "outside it; no effect on other kinds, never monitored"),
};
#undef S

#define S struct cd_attacker
static const struct schema_field attacker_fields[] = {
	ENUM(S, type, cd_attacker_type_names, 0, SCHEMA_REQUIRED,
	     "who runs the group; wos.deterrence cuts state campaigns"),
	ENUM(S, objective, cd_objective_names, 0, SCHEMA_REQUIRED,
	     "what the campaigns are after, and so the unit of "
	     "damage_per_day"),
	REAL(S, campaigns_per_year, 0, 1e5, 12, 0, "campaigns/year",
	     "rate of new campaigns"),
	REAL(S, campaign_days, 1, CD_MAX_DAYS, 60, 0, "days",
	     "mean lifetime of a campaign"),
	REAL(S, attempts_per_day, 0, 1e12, 1000, 0, "attempts/day",
	     "intrusion attempts per campaign and day, all targets"),
	REAL(S, success_prob, 0, 1, 1e-3, 0, P,
	     "P(foothold | attempt) against an organisation with hygiene 0"),
	REAL(S, sophistication, 0, 1, 0.5, 0, "fraction",
	     "share of attempts that hygiene cannot stop"),
	REAL(S, stealth, 0, 1, 0.5, 0, "fraction",
	     "cut in internal and national-monitoring detection"),
	REAL(S, damage_per_day, 0, 1e12, 0, 0, "unit/day",
	     "records, outage hours or yen per foothold and day, from its "
	     "impact to its containment"),
	REAL(S, impact_days_mean, 0, CD_MAX_DAYS, 0, 0, "days",
	     "mean days from foothold to impact (exfiltration, outage, "
	     "encryption or fraud starts), geometric on 0, 1, 2, ...; 0 = the "
	     "day it is made"),
	BOOL(S, demands_ransom, 0,
	     "the attacker demands a ransom after impact, which detects the "
	     "foothold (external)"),
	REAL(S, ransom_days_mean, 0, CD_MAX_DAYS, 1, 0, "days",
	     "mean days from impact to the ransom demand, geometric on 0, 1, "
	     "2, ..."),
	REAL(S, retire_blocked, 0.001, 1, 0.5, 0, "fraction",
	     "share of a campaign's attempts blocked at which it is retired "
	     "(retooled) with probability 1/2 a day"),
	REAL(S, retire_spread, 0, 1, 0.02, 0, "fraction",
	     "width of the logistic rise of the daily retirement probability "
	     "around retire_blocked; 0 = retire exactly at it, never below"),
	NAMED("targets", S, targets, SCHEMA_WEIGHTS, 0, 1e9, SCHEMA_REQUIRED,
	      "weight", "segment = attack weight per organisation"),
};
#undef S

#define S struct cd_body
static const struct schema_field body_fields[] = {
	ENUM(S, kind, cd_body_kind_names, 0, SCHEMA_REQUIRED,
	     "what the body is; a sector body's coverage_scale defaults "
	     "to won.isac_coverage"),
	ENUM(S, stage, cd_stage_names, 0, 0,
	     "stage whose maturity sets latency_days by default"),
	REAL(S, latency_days, 0, 365, 1, SCHEMA_DERIVED, "days",
	     "days from the body learning a campaign to its members knowing"),
	REAL(S, reach, 0, 1, 1, 0, "fraction",
	     "share of members that act on what the body distributes"),
	REAL(S, coverage_scale, 0, 1, 1, SCHEMA_DERIVED, "fraction",
	     "multiplier on member coverage; sector bodies default to "
	     "won.isac_coverage"),
	NAMED("members", S, coverage, SCHEMA_WEIGHTS, 0, 1, 0, P,
	      "segment = P(an organisation of it is a member)"),
	REAL(S, sees_abroad, 0, 1, 0, 0, P,
	     "partner: P(it sees a campaign abroad) at full capability, times "
	     "its capability and wos.partner_inflow"),
	REAL(S, abroad_days, 1, 3650, 30, 0, "days",
	     "partner: mean days from campaign start to seeing it abroad"),
	REAL(S, capability, 0, 1, 1, 0, "fraction",
	     "partner only: share of its full capability it has; multiplies "
	     "sees_abroad and the relay of its links (a recipient gains "
	     "wos.capacity_building of the gap 1 - capability)"),
	BOOL(S, capacity_recipient, 0,
	     "partner only: Japan's capacity building (wos.capacity_building) "
	     "raises its capability"),
};
#undef S

#define S struct cd_link
static const struct schema_field link_fields[] = {
	F(S, from, SCHEMA_BODYREF, 0, 0, 0, SCHEMA_REQUIRED, "",
	  "body that relays"),
	F(S, to, SCHEMA_BODYREF, 0, 0, 0, SCHEMA_REQUIRED, "",
	  "body that receives"),
	ENUM(S, stage, cd_stage_names, 0, 0,
	     "stage whose maturity sets relay and latency_days by default"),
	BOOL(S, lateral, 0,
	     "stage wog only: a link between peers (ministries' CSIRTs), "
	     "whose relay defaults to wog.lateral_relay"),
	REAL(S, relay, 0, 1, 1, SCHEMA_DERIVED, P,
	     "P(relay a campaign the sender learns)"),
	REAL(S, latency_days, 0, 365, 1, SCHEMA_DERIVED, "days",
	     "days from sender learning to receiver learning"),
};
#undef S

#define S struct cd_detection
static const struct schema_field detection_fields[] = {
	REAL(S, internal_rate, 0, 1, 0.01, 0, "P/day",
	     "internal detection at monitoring 1, trained staff, stealth 0"),
	REAL(S, hunt_rate, 0, 1, 0.1, 0, "P/day",
	     "detection once the organisation knows the campaign"),
	REAL(S, untrained_skill, 0, 1, 0.3, 0, "fraction",
	     "skill of untrained staff relative to trained"),
	REAL(S, external_rate, 0, 1, 0.002, 0, "P/day",
	     "notification from outside (partner, researcher)"),
	REAL(S, block_efficacy, 0, 1, 0.9, 0, P,
	     "P(attempt blocked | target knows all the campaign's indicators)"),
	REAL(S, indicator_yield, 0, 1, 1, 0, "fraction",
	     "share of a campaign's indicators one report reveals; blocking "
	     "and hunting scale with 1 - (1 - yield)^reports"),
	REAL(S, containment_days, 1, 3650, 7, 0, "days",
	     "mean days from detection to containment, trained staff"),
	REAL(S, untrained_containment, 1, 100, 3, 0, "factor",
	     "containment time multiplier with no trained staff"),
};
#undef S

/* The coefficients of the stage mapping of setting X (stages.h): X_base
 * and X_slope, in X's unit, with X = X_base + X_slope m (LINEAR) or
 * round(X_base + X_slope (1 - m)) (LATENCY), m the stage's maturity.
 * The range of each is every value that, the other coefficient at its
 * default, keeps X within X's own range at every maturity in [0, 1]
 * (tests/test_stages.c checks that they are those widest ranges); the
 * loader refuses two changed coefficients that together do not
 * (stages_check). The defaults are the mappings stages.h documents. */
#define COEFS(st, sec, fld, unit, blo, bhi, bdef, slo, shi, sdef, bhelp, \
	      shelp)                                                     \
	REAL(st, fld##_base, blo, bhi, bdef, 0, unit,                    \
	     "base of " #sec "." #fld bhelp),                            \
		REAL(st, fld##_slope, slo, shi, sdef, 0, unit,           \
		     "slope of " #sec "." #fld shelp)
#define LINEAR(st, sec, fld, unit, blo, bhi, bdef, slo, shi, sdef)        \
	COEFS(st, sec, fld, unit, blo, bhi, bdef, slo, shi, sdef,         \
	      " = base + slope m: its value at maturity 0",               \
	      " = base + slope m: its change from maturity 0 to 1 (< 0: " \
	      "it falls)")
#define LATENCY(st, sec, fld, unit, blo, bhi, bdef, slo, shi, sdef)         \
	COEFS(st, sec, fld, unit, blo, bhi, bdef, slo, shi, sdef,           \
	      " = round(base + slope (1 - m)): days at maturity 1",         \
	      " = round(base + slope (1 - m)): days more at maturity 0 (< " \
	      "0: fewer)")

#define S struct cd_wog
static const struct schema_field wog_fields[] = {
	REAL(S, maturity, 0, 1, 0, 0, "", "whole-of-government maturity"),
	REAL(S, relay, 0, 1, 0, SCHEMA_DERIVED, P,
	     "relay on government links: relay_base + relay_slope m"),
	LINEAR(S, wog, relay, P, 0, 0.3, 0.3, -0.3, 0.7, 0.7),
	REAL(S, lateral_relay, 0, 1, 0, SCHEMA_DERIVED, P,
	     "relay on lateral government links (ministry to ministry): "
	     "lateral_relay_base + lateral_relay_slope m"),
	LINEAR(S, wog, lateral_relay, P, 0, 0.55, 0.05, -0.05, 0.95, 0.45),
	REAL(S, latency_days, 0, 365, 0, SCHEMA_DERIVED, "days",
	     "latency on government links: round(latency_days_base + "
	     "latency_days_slope (1 - m))"),
	LATENCY(S, wog, latency_days, "days", 0, 352, 1, -1, 364, 13),
	REAL(S, national_monitoring, 0, 1, 0, SCHEMA_DERIVED, "P/day",
	     "GSOC detection in government networks: "
	     "national_monitoring_base + national_monitoring_slope m"),
	LINEAR(S, wog, national_monitoring, "P/day", 0, 0.982, 0.002, -0.002,
	       0.998, 0.018),
	REAL(S, gov_share_rate, 0, 1, 0, SCHEMA_DERIVED, P,
	     "P(government body reports a detection): gov_share_rate_base + "
	     "gov_share_rate_slope m"),
	LINEAR(S, wog, gov_share_rate, P, 0, 0.45, 0.4, -0.4, 0.6, 0.55),
};
#undef S

#define S struct cd_won
static const struct schema_field won_fields[] = {
	REAL(S, maturity, 0, 1, 0, 0, "", "whole-of-nation maturity"),
	REAL(S, share_rate, 0, 1, 0, SCHEMA_DERIVED, P,
	     "share rate of firms with a sharing framework: share_rate_base + "
	     "share_rate_slope m"),
	LINEAR(S, won, share_rate, P, 0, 0.35, 0.33, -0.33, 0.67, 0.65),
	REAL(S, framework, 0, 1, 0, SCHEMA_DERIVED, "fraction",
	     "share of firms with an adequate information-sharing framework "
	     "(a reporting channel): framework_base + framework_slope m"),
	LINEAR(S, won, framework, "fraction", 0, 0.4, 0.4, -0.4, 0.6, 0.6),
	REAL(S, isac_coverage, 0, 1, 0, SCHEMA_DERIVED, "fraction",
	     "coverage scale of sector bodies: isac_coverage_base + "
	     "isac_coverage_slope m"),
	LINEAR(S, won, isac_coverage, "fraction", 0, 0.2, 0.2, -0.2, 0.8, 0.8),
	REAL(S, relay, 0, 1, 0, SCHEMA_DERIVED, P,
	     "relay on public-private links: relay_base + relay_slope m"),
	LINEAR(S, won, relay, P, 0, 0.25, 0.2, -0.2, 0.8, 0.75),
	REAL(S, latency_days, 0, 365, 0, SCHEMA_DERIVED, "days",
	     "latency on public-private links: round(latency_days_base + "
	     "latency_days_slope (1 - m))"),
	LATENCY(S, won, latency_days, "days", 0, 356, 1, -1, 364, 9),
	REAL(S, hygiene_uplift, 0, 1, 0, SCHEMA_DERIVED, "fraction",
	     "guideline adoption: share of the hygiene gap closed: "
	     "hygiene_uplift_base + hygiene_uplift_slope m"),
	LINEAR(S, won, hygiene_uplift, "fraction", 0, 0.7, 0, 0, 1, 0.3),
	REAL(S, proper_hygiene, 0.01, 0.99, 0.5, 0, P,
	     "hygiene at or above which an organisation implements its "
	     "baseline measures properly (segments' hygiene_proper)"),
	REAL(S, reference_trained, 0.01, 1, 0.3, 0, "fraction",
	     "trained ratio at which the framework shares were observed: they "
	     "hold there, and scale with judgement elsewhere"),
	REAL(S, untrained_judgement, 0, 1, 0.3, 0, "fraction",
	     "sharing judgement of untrained staff relative to trained: how "
	     "much less likely an organisation with no trained staff is to "
	     "have a reporting channel (1 = training does not change it)"),
};
#undef S

#define S struct cd_wos
static const struct schema_field wos_fields[] = {
	REAL(S, maturity, 0, 1, 0, 0, "", "whole-of-system maturity"),
	REAL(S, partner_inflow, 0, 1, 0, SCHEMA_DERIVED, "fraction",
	     "multiplier on partners seeing campaigns: partner_inflow_base + "
	     "partner_inflow_slope m"),
	LINEAR(S, wos, partner_inflow, "fraction", 0, 0.1, 0.1, -0.1, 0.9, 0.9),
	REAL(S, relay, 0, 1, 0, SCHEMA_DERIVED, P,
	     "relay on international links: relay_base + relay_slope m"),
	LINEAR(S, wos, relay, P, 0, 0.3, 0.2, -0.2, 0.8, 0.7),
	REAL(S, latency_days, 0, 365, 0, SCHEMA_DERIVED, "days",
	     "latency on international links: round(latency_days_base + "
	     "latency_days_slope (1 - m))"),
	LATENCY(S, wos, latency_days, "days", 0, 359, 1, -1, 364, 6),
	REAL(S, reciprocity, 0, 1, 0, SCHEMA_DERIVED, "weight",
	     "weight of outbound sharing in inbound relay: reciprocity_base + "
	     "reciprocity_slope m"),
	LINEAR(S, wos, reciprocity, "weight", 0.6, 1, 0.8, -0.8, 0.2, -0.6),
	REAL(S, deterrence, 0, 1, 0, SCHEMA_DERIVED, "fraction",
	     "cut in state campaign rate by alliance deterrence: "
	     "deterrence_base + deterrence_slope m"),
	LINEAR(S, wos, deterrence, "fraction", 0, 0.5, 0, 0, 1, 0.5),
	REAL(S, capacity_building, 0, 1, 0, 0, "fraction",
	     "Japan's capacity building: share of each recipient partner's "
	     "capability gap (1 - capability) it closes; not mapped from "
	     "maturity"),
};
#undef S
#undef LATENCY
#undef LINEAR
#undef COEFS

#define S struct cd_workforce
static const struct schema_field workforce_fields[] = {
	BOOL(S, enabled, 0, "run the national workforce pool"),
	REAL(S, needed, 0, 1e8, 350000, 0, "staff", "staff needed nationally"),
	REAL(S, employed, 0, 1e8, 265000, 0, "staff", "staff employed"),
	REAL(S, trained, 0, 1e8, 105000, 0, "staff",
	     "of the employed, sufficiently trained"),
	REAL(S, training_per_month, 0, 1e7, 0, 0, "staff/month",
	     "untrained staff trained per month"),
	REAL(S, entrants_per_month, 0, 1e7, 0, 0, "staff/month",
	     "new (untrained) staff per month"),
	REAL(S, attrition_per_month, 0, 1, 0, 0, "fraction/month",
	     "share of staff leaving per month"),
};
#undef S

#define S struct cd_cdu
static const struct schema_field cdu_fields[] = {
	REAL(S, staff, 0, 1e7, 0, 0, "staff",
	     "trained people of the military cyber unit, who fill the staff "
	     "gap of the segments it defends (defender \"unit\" or \"both\")"),
};
#undef S

#define S struct cd_crisis
static const struct schema_field crisis_fields[] = {
	BOOL(S, enabled, 0, "National Security Council escalation"),
	INT(S, window_days, 1, 365, 30, 0, "days", "window of national impact"),
	REAL(S, threshold, 1, 1e9, 10, 0, "detections",
	     "government + infrastructure detections in the window"),
	INT(S, duration_days, 1, 3650, 30, 0, "days", "days engaged"),
	REAL(S, latency_factor, 0, 1, 0.25, 0, "factor",
	     "multiplier on sharing latencies while engaged"),
	REAL(S, containment_factor, 0.01, 1, 0.5, 0, "factor",
	     "multiplier on containment time while engaged"),
};
#undef S

static const struct schema_table segment_table =
	TABLE("segment", struct cd_segment, segments, n_segments,
	      CD_MAX_SEGMENTS, segment_fields);
static const struct schema_table attacker_table =
	TABLE("attacker", struct cd_attacker, attackers, n_attackers,
	      CD_MAX_ATTACKERS, attacker_fields);
static const struct schema_table body_table = TABLE(
	"body", struct cd_body, bodies, n_bodies, CD_MAX_BODIES, body_fields);
static const struct schema_table link_table = TABLE(
	"link", struct cd_link, links, n_links, CD_MAX_LINKS, link_fields);
static const struct schema_table detection_table = SECTION_TABLE(
	"detection", struct cd_detection, detection, detection_fields);
static const struct schema_table wog_table =
	SECTION_TABLE("wog", struct cd_wog, wog, wog_fields);
static const struct schema_table won_table =
	SECTION_TABLE("won", struct cd_won, won, won_fields);
static const struct schema_table wos_table =
	SECTION_TABLE("wos", struct cd_wos, wos, wos_fields);
static const struct schema_table workforce_table = SECTION_TABLE(
	"workforce", struct cd_workforce, workforce, workforce_fields);
static const struct schema_table cdu_table =
	SECTION_TABLE("cdu", struct cd_cdu, cdu, cdu_fields);
static const struct schema_table crisis_table =
	SECTION_TABLE("crisis", struct cd_crisis, crisis, crisis_fields);

#define SUB(nm, ty, tab, fl, help)                                   \
	{                                                            \
		nm, ty, 0, 0, 0, NULL, 0, NULL, fl, "", help, &(tab) \
	}
#define S struct cd_params
static const struct schema_field root_fields[] = {
	STR(S, description, CD_TEXT_MAX, "", "one line: what the scenario is"),
	INT(S, days, 1, CD_MAX_DAYS, 365, 0, "days",
	    "the reported horizon: days 0 to days - 1"),
	INT(S, warmup_days, 0, CD_MAX_WARMUP, 2190, 0, "days",
	    "days simulated before day 0 from an empty start, not reported, so "
	    "that the horizon starts in steady state: after 6 years "
	    "japan_2017's national open footholds and losses of the next year "
	    "are within 1% of those two years on; 6 and not 3 because the "
	    "calibration's posterior holds particles of slow own detection "
	    "that take 6 years to fill (README, \"The model\"); the "
	    "workforce and the timeline hold their day-0 values meanwhile"),
	SUB("segments", SCHEMA_COLLECTION, segment_table, SCHEMA_REQUIRED,
	    "organisations, by kind, sector and size"),
	SUB("attackers", SCHEMA_COLLECTION, attacker_table, SCHEMA_REQUIRED,
	    "attacker groups"),
	SUB("bodies", SCHEMA_COLLECTION, body_table, 0, "sharing bodies"),
	SUB("links", SCHEMA_COLLECTION, link_table, 0,
	    "relays between sharing bodies"),
	SUB("detection", SCHEMA_SECTION, detection_table, 0,
	    "detection and response"),
	SUB("wog", SCHEMA_SECTION, wog_table, 0, "whole of government"),
	SUB("won", SCHEMA_SECTION, won_table, 0, "whole of nation"),
	SUB("wos", SCHEMA_SECTION, wos_table, 0, "whole of system"),
	SUB("workforce", SCHEMA_SECTION, workforce_table, 0,
	    "national cybersecurity workforce"),
	SUB("cdu", SCHEMA_SECTION, cdu_table, 0, "military cyber unit"),
	SUB("crisis", SCHEMA_SECTION, crisis_table, 0, "crisis escalation"),
	{"timeline", SCHEMA_TIMELINE, 0, 0, 0, NULL, 0, NULL, 0, "",
	 "policy events: ( { day = D; set = { ... }; }, ... )", NULL},
	{"sweep", SCHEMA_SWEEP, 0, 0, 0, NULL, 0, NULL, 0, "",
	 "default experiment for `cyberdef sweep`: vary = ( \"K=SPEC\", ... ); "
	 "reps = N;",
	 NULL},
	{"overrides", SCHEMA_OVERRIDES, 0, 0, 0, NULL, 0, NULL, 0, "",
	 "settings changed after loading (for scenarios that @include another)",
	 NULL},
};
#undef S

const struct schema_table schema_root = {
	"scenario", sizeof(struct cd_params),
	0,	    0,
	0,	    (int)(sizeof(root_fields) / sizeof(root_fields[0])),
	root_fields};

const struct schema_field *schema_find(const struct schema_table *t,
				       const char *name)
{
	for (int i = 0; i < t->n_fields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

/* Settings that were and are no more, with what replaces them. */
static const struct {
	const char *what; /* the table's `what` */
	const char *name;
	const char *instead;
} removed[] = {
	{"attacker", "reveal_days",
	 "the kill chain replaced it: impact_days_mean (days from foothold to "
	 "impact), demands_ransom = true and ransom_days_mean (days from "
	 "impact to the demand)"},
};

const char *schema_removed(const struct schema_table *t, const char *name)
{
	for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++)
		if (!strcmp(t->what, removed[i].what) &&
		    !strcmp(name, removed[i].name))
			return removed[i].instead;
	return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];
	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *schema_suggest(const char *name, const char *const *cands, int n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (int i = 0; i < n; i++) {
		size_t d = edit_distance(name, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	/* Plausible misspelling: at most a third of the letters wrong. */
	size_t len = strlen(name);
	if (best && best_d <= (len < 6 ? 2 : len / 3))
		return best;
	return NULL;
}

void schema_describe_allowed(const struct schema_field *f, char *buf,
			     size_t size)
{
	switch (f->type) {
	case SCHEMA_INT:
	case SCHEMA_I64:
		snprintf(buf, size, "an integer in [%.15g, %.15g]", f->min,
			 f->max);
		break;
	case SCHEMA_REAL:
		snprintf(buf, size, "a number in [%.15g, %.15g]", f->min,
			 f->max);
		break;
	case SCHEMA_BOOL:
		snprintf(buf, size, "true or false");
		break;
	case SCHEMA_STR:
		snprintf(buf, size, "a string of at most %.0f bytes", f->max);
		break;
	case SCHEMA_ENUM: {
		size_t used = (size_t)snprintf(buf, size, "one of");
		for (int i = 0; f->names[i] && used < size; i++)
			used += (size_t)snprintf(buf + used, size - used,
						 "%s \"%s\"", i ? "," : "",
						 f->names[i]);
		break;
	}
	case SCHEMA_WEIGHTS:
		snprintf(buf, size,
			 "a group of segment names, each = a number in "
			 "[%.15g, %.15g]",
			 f->min, f->max);
		break;
	case SCHEMA_BODYREF:
		snprintf(buf, size, "the name of a body in `bodies`");
		break;
	case SCHEMA_SECTION:
		snprintf(buf, size, "a group { ... } of %s settings",
			 f->sub->what);
		break;
	case SCHEMA_COLLECTION:
		snprintf(buf, size, "a group of named %ss: name = { ... }",
			 f->sub->what);
		break;
	case SCHEMA_TIMELINE:
		snprintf(buf, size,
			 "a list ( { day = D; set = { ... }; }, ... )");
		break;
	case SCHEMA_SWEEP:
		snprintf(buf, size,
			 "a group { vary = ( \"K=SPEC\", ... ); reps = N; }");
		break;
	default:
		snprintf(buf, size, "a group of settings");
		break;
	}
}

void schema_defaults(const struct schema_table *t, void *dst)
{
	char *base = dst;
	for (int i = 0; i < t->n_fields; i++) {
		const struct schema_field *f = &t->fields[i];
		char *p = base + f->offset;
		switch (f->type) {
		case SCHEMA_INT:
			*(int *)(void *)p = (int)f->def;
			break;
		case SCHEMA_I64:
			*(int64_t *)(void *)p = (int64_t)f->def;
			break;
		case SCHEMA_REAL:
			*(double *)(void *)p = f->def;
			break;
		case SCHEMA_BOOL:
		case SCHEMA_ENUM:
		case SCHEMA_BODYREF:
			*(int *)(void *)p = (int)f->def;
			break;
		case SCHEMA_STR:
			snprintf(p, (size_t)f->max + 1, "%s", f->def_str);
			break;
		case SCHEMA_WEIGHTS:
			for (int s = 0; s < CD_MAX_SEGMENTS; s++)
				((double *)(void *)p)[s] = f->def;
			break;
		default:
			break;
		}
	}
}

const struct schema_field *schema_field_at(const char *path)
{
	char buf[256];
	size_t len = strlen(path);
	if (len >= sizeof buf)
		return NULL;
	memcpy(buf, path, len + 1);
	const struct schema_table *t = &schema_root;
	const struct schema_field *f = NULL;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ".", &save); tok;
	     tok = strtok_r(NULL, ".", &save)) {
		if (!t || !(f = schema_find(t, tok)))
			return NULL;
		t = NULL;
		if (f->type == SCHEMA_SECTION) {
			t = f->sub;
		} else if (f->type == SCHEMA_COLLECTION) {
			if (!strtok_r(NULL, ".", &save)) /* element name */
				return NULL;
			t = f->sub;
		} else if (f->type == SCHEMA_WEIGHTS) {
			if (!strtok_r(NULL, ".", &save)) /* segment name */
				return NULL;
		}
	}
	return f && !t ? f : NULL;
}
