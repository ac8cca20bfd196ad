/* status: the library's error codes.
 *
 * Every library function that can fail returns 0 on success or one of the
 * negative codes below (as libuv does); only the program's main() exits.
 * The list is an X-macro so that the enum and the messages cannot drift.
 */
#ifndef CD_STATUS_H
#define CD_STATUS_H

#define CD_STATUS_LIST(X)                                 \
	X(CD_OK, 0, "success")                            \
	X(CD_ENOMEM, -1, "out of memory")                 \
	X(CD_EINVAL, -2, "invalid input")                 \
	X(CD_EIO, -3, "input/output error")               \
	X(CD_ERANGE, -4, "value out of range")            \
	X(CD_ENOENT, -5, "no such file or setting")       \
	X(CD_ELIMIT, -6, "a built-in limit was exceeded") \
	X(CD_EGSL, -7, "numerical error in GSL")          \
	X(CD_EINTR, -8, "interrupted")

enum cd_status {
#define CD_STATUS_ENUM(name, value, text) name = (value),
	CD_STATUS_LIST(CD_STATUS_ENUM)
#undef CD_STATUS_ENUM
};

/* Returns a static, human-readable text for a status code. Cannot fail. */
const char *cd_strerror(int status);

#endif
