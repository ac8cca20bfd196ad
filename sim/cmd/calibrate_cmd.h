/* calibrate_cmd: `cyberdef calibrate`, ABC-SMC over a targets file's
 * parameters (README "Calibration engine (ABC-SMC)"). */
#ifndef CD_CMD_CALIBRATE_CMD_H
#define CD_CMD_CALIBRATE_CMD_H

/* The command's main: argv[0] is "calibrate". Returns the exit status. */
int calibrate_main(int argc, char **argv);

#endif
