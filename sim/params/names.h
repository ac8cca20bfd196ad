/* names: the names of every enumerated value, in one place.
 *
 * The schema accepts these names in scenario files, and every output
 * writes them; each table is in enum order and ends with NULL, so the
 * schema can walk it and an output can index it.
 */
#ifndef CD_PARAMS_NAMES_H
#define CD_PARAMS_NAMES_H

#include "params/params.h"

/* Detection sources, in output order. */
enum cd_source {
	CD_SRC_INTERNAL, /* the organisation's own monitoring */
	CD_SRC_SHARED,	 /* hunting with indicators shared at home */
	CD_SRC_PARTNER,	 /* hunting with indicators relayed from abroad */
	CD_SRC_NATIONAL, /* national monitoring of government networks */
	CD_SRC_EXTERNAL, /* notified from outside, or a ransom demand */
	CD_SOURCES
};

extern const char *const cd_source_names[CD_SOURCES + 1];
extern const char *const cd_kind_names[CD_KIND_COUNT + 1];
extern const char *const cd_attacker_type_names[CD_ATTACKER_TYPE_COUNT + 1];
extern const char *const cd_objective_names[CD_OBJECTIVE_COUNT + 1];
extern const char *const cd_body_kind_names[CD_BODY_KIND_COUNT + 1];
extern const char *const cd_stage_names[CD_STAGE_COUNT + 1];
extern const char *const cd_defender_names[CD_DEFENDER_COUNT + 1];

#endif
