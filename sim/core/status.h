/* status: the library's error codes.
 *
 * Every library function that can fail returns 0 on success or one of the
 * negative codes below (as libuv does); only the program's main() exits.
 * The list is an X-macro so that the enum and the messages cannot drift.
 */
#ifndef CD_STATUS_H
#define CD_STATUS_H

#include <signal.h>

#define CD_STATUS_LIST(X)                                 \
	X(CD_OK, 0, "success")                            \
	X(CD_ENOMEM, -1, "out of memory")                 \
	X(CD_EINVAL, -2, "invalid input")                 \
	X(CD_EIO, -3, "input/output error")               \
	X(CD_ERANGE, -4, "value out of range")            \
	X(CD_ENOENT, -5, "no such file or setting")       \
	X(CD_ELIMIT, -6, "a built-in limit was exceeded") \
	X(CD_EGSL, -7, "numerical error in GSL")          \
	X(CD_EINTR, -8, "interrupted")                    \
	X(CD_EBUSY, -9, "in use by another process")

enum cd_status {
#define CD_STATUS_ENUM(name, value, text) name = (value),
	CD_STATUS_LIST(CD_STATUS_ENUM)
#undef CD_STATUS_ENUM
};

/* Returns a static, human-readable text for a status code. Cannot fail. */
const char *cd_strerror(int status);

/* A diagnostic: one line, ready to print after "cyberdef: ". Library
 * functions that fail on input fill one to say what and where. */
struct cd_diag {
	char msg[1024];
};

/* The stop request. The program's one signal handler stores the signal's
 * number here; long loops of the library poll it (cd_stopped) and return
 * CD_EINTR, so that any run stops within a second of SIGINT or SIGTERM.
 * 0 while no stop is requested. */
extern volatile sig_atomic_t cd_stop_signal;

/* Nonzero once a stop was requested. Cannot fail. */
static inline int cd_stopped(void)
{
	return cd_stop_signal != 0;
}

/* Every 4096 iterations of a long loop (counter i), returns CD_EINTR from
 * the calling function if a stop was requested. */
#define CD_POLL_STOP(i)                                 \
	do {                                            \
		if (((i)&4095) == 4095 && cd_stopped()) \
			return CD_EINTR;                \
	} while (0)

#endif
