/* fileio: reading an input file whole, whatever kind of file it is.
 *
 * Scenario files, their @include files and sweep designs are read through
 * here, so that every input is treated alike: a regular file, a pipe or a
 * process substitution (`<(...)`, a /dev/fd path) is read to its end; a
 * FIFO that no process has open for writing is refused at once rather than
 * waited on for ever; a directory or an unreadable file is an error with
 * the system's reason; a file larger than the caller's limit is refused
 * before it is read whole. The module owns nothing: the buffer it returns
 * is the caller's.
 */
#ifndef CD_FILEIO_H
#define CD_FILEIO_H

#include <stddef.h>

/* Does `path` exist (as anything: file, directory, FIFO, dangling
 * symbolic link)? Returns 1 if it does, or if its existence cannot be
 * ruled out (e.g. a directory on the way cannot be searched); 0 only when
 * the system says there is no such file (ENOENT, ENOTDIR). A caller that
 * falls back to something else when a file is missing must fall back only
 * on 0. Cannot fail. */
int cd_file_exists(const char *path);

/* Reads the whole file at `path` into a malloc'd, NUL-terminated buffer
 * *text of *len bytes (the NUL not counted). Returns 0, or:
 *   CD_ENOENT  no such file;
 *   CD_EIO     it cannot be opened or read (permission, a directory, an
 *              I/O error), or it is a FIFO with no writer;
 *   CD_ELIMIT  it holds more than max_bytes bytes;
 *   CD_ENOMEM  out of memory.
 * On error *text is NULL and *why points to a static text saying why, for
 * a message such as "cannot read scenario X: <why>". Never blocks on a
 * FIFO that no process has open for writing; does block, as a pipe must,
 * while a writer is still writing. */
int cd_file_read(const char *path, size_t max_bytes, char **text, size_t *len,
		 const char **why);

#endif
