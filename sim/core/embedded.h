/* embedded: the scenario files compiled into the program.
 *
 * Generated at build time from scenarios/ (see sim/embed.cmake), so that
 * `cyberdef run` without a scenario runs scenarios/japan_2017.cfg exactly,
 * includes and all, from any directory.
 */
#ifndef CD_EMBEDDED_H
#define CD_EMBEDDED_H

struct cd_embedded_file {
	const char *path; /* relative to scenarios/, e.g. "common/japan.cfg" */
	const char *text;
};

extern const struct cd_embedded_file cd_embedded_files[];
extern const int cd_n_embedded_files;

#endif
