/* study_usage: the --help texts of the study commands (sweep_cmd.c). */
#ifndef CD_CMD_STUDY_USAGE_H
#define CD_CMD_STUDY_USAGE_H

extern const char study_sweep_usage[];
extern const char study_compare_usage[];
extern const char study_sensitivity_usage[];
extern const char study_observe_usage[];
extern const char study_calibrate_usage[];

#endif
