/* The names of every enumerated value, in enum order: the one list of
 * each. Help texts and outputs refer to these tables rather than repeat
 * them; what each value means is said here. */
#include "params/names.h"

#include <stddef.h>

/* How a detection came about (enum cd_source, names.h). */
const char *const cd_source_names[CD_SOURCES + 1] = {
	"internal", "shared", "partner", "national", "external", NULL};
/* Segments: government bodies, critical-infrastructure operators,
 * corporations. */
const char *const cd_kind_names[CD_KIND_COUNT + 1] = {
	"government", "infrastructure", "corporation", NULL};
/* Attacker groups: state-sponsored (APT), or criminal. */
const char *const cd_attacker_type_names[CD_ATTACKER_TYPE_COUNT + 1] = {
	"state", "criminal", NULL};
/* Objectives, with the unit of damage_per_day: records stolen, outage
 * hours, yen extorted. */
const char *const cd_objective_names[CD_OBJECTIVE_COUNT + 1] = {
	"espionage", "disruption", "extortion", NULL};
/* Sharing bodies: a government network, a sector ISAC, the national
 * CERT or public-private partnership, a foreign partner. */
const char *const cd_body_kind_names[CD_BODY_KIND_COUNT + 1] = {
	"government", "sector", "national", "partner", NULL};
/* Stages (stages.h): none, whole of government, of nation, of system;
 * a stage's name is also the name of its section of settings. */
const char *const cd_stage_names[CD_STAGE_COUNT + 1] = {"none", "wog", "won",
							"wos", NULL};
/* Who staffs a segment's security: the national workforce, the military
 * cyber unit alone, or the unit on top of the national workforce. */
const char *const cd_defender_names[CD_DEFENDER_COUNT + 1] = {
	"national", "unit", "both", NULL};
