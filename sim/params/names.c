#include "params/names.h"

#include <stddef.h>

const char *const cd_source_names[CD_SOURCES + 1] = {
	"internal", "shared", "partner", "national", "external", NULL};
const char *const cd_kind_names[CD_KIND_COUNT + 1] = {
	"government", "infrastructure", "corporation", NULL};
const char *const cd_attacker_type_names[CD_ATTACKER_TYPE_COUNT + 1] = {
	"state", "criminal", NULL};
const char *const cd_objective_names[CD_OBJECTIVE_COUNT + 1] = {
	"espionage", "disruption", "extortion", NULL};
const char *const cd_body_kind_names[CD_BODY_KIND_COUNT + 1] = {
	"government", "sector", "national", "partner", NULL};
const char *const cd_stage_names[CD_STAGE_COUNT + 1] = {"none", "wog", "won",
							"wos", NULL};
