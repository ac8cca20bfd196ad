/* csv: output files that appear only when complete, and the text of CSV
 * and JSON fields.
 *
 * A cd_outfile owns a temporary file written next to its final path and
 * the stream on it; committing it flushes, syncs and renames the temporary
 * onto the final path, so a reader sees either the old file, no file or
 * the complete new one, never a half-written one. The field writers own
 * nothing: they format one value onto a caller's stream, in the "C" locale
 * way whatever the process locale, and leave error checking to the
 * stream's error indicator, which cd_outfile_commit inspects.
 *
 * CSV follows RFC 4180: fields separated by ',', records ended by "\r\n",
 * a field quoted only when it must be. A missing value is an empty field.
 */
#ifndef CD_CSV_H
#define CD_CSV_H

#include <stdio.h>

typedef struct cd_outfile cd_outfile; /* struct cd_outfile is opaque */

/* Files that appear only when complete */

/* Opens the temporary file "<dir>/.<name>.cyberdef-tmp.<pid>" for writing,
 * where <dir> and <name> are the directory and last component of `path` (<dir>
 * is the working directory when `path` has no '/'). An existing temporary of
 * that name is truncated, so keep at most one outfile per final path open
 * in a process. On success sets *out and returns 0. On error returns CD_EIO
 * (cannot create the temporary, e.g. the directory does not exist; `path`
 * empty or ending in '/') or CD_ENOMEM, sets *out = NULL, leaves no file
 * behind and preserves errno for the caller's message.
 */
int cd_outfile_open(cd_outfile **out, const char *path);

/* Returns the stream to write to. It is valid until commit or abort, and
 * must not be closed by the caller. Cannot fail.
 */
FILE *cd_outfile_stream(cd_outfile *f);

/* Returns the final path given to cd_outfile_open; valid until commit or
 * abort. Cannot fail.
 */
const char *cd_outfile_path(const cd_outfile *f);

/* Flushes the stream, checks its error indicator (so any failed write since
 * open is caught here), fsyncs, closes and renames the temporary onto the
 * final path, replacing any file there. Always frees `f`. Returns 0 on
 * success. On any error removes the temporary, leaves the final path as it
 * was and returns CD_EIO with errno set for the caller's message (EIO when
 * the only sign of failure is the stream's error indicator). Returns
 * CD_EINVAL when `f` is NULL.
 */
int cd_outfile_commit(cd_outfile *f);

/* Closes and removes the temporary, leaving the final path as it was, and
 * frees `f`. Accepts NULL. Preserves errno. Cannot fail.
 */
void cd_outfile_abort(cd_outfile *f);

/* Commits a set of files together, so that the directory holds either the
 * whole new set or the whole earlier one, never neither and never a mix:
 *   1. every file is flushed and fsynced (where a full disk shows);
 *   2. each earlier file at a final path is kept aside, as a hard link
 *      "<dir>/.<name>.cyberdef-old.<pid>" (or, where the file system has
 *      no links, renamed there just before its replacement arrives);
 *   3. the new files are renamed into place in array order: put the set's
 *      manifest (metadata.json, which lists the others' checksums) last;
 *   4. if any step fails, every file already replaced gets its earlier
 *      file back (a file that had none is removed), the temporaries are
 *      removed, and CD_EIO is returned (CD_ENOMEM when memory ran out)
 *      with errno set and *failed the index of the file that failed; on
 *      success the kept copies go.
 * A crash between two renames can still leave some files new and some
 * old; the manifest's checksums then show the set is not whole (see
 * outdir.h). Always frees every file and sets each to NULL. */
int cd_outfile_commit_all(cd_outfile **files, int n, int *failed);

/* Writes the SHA-256 (hex) and the size of what has been written to f so
 * far into hex and *bytes, flushing the stream first. Returns 0, or CD_EIO
 * with errno set (the stream's error indicator, or a failed read back). */
int cd_outfile_digest(cd_outfile *f, char hex[65], unsigned long long *bytes);

/* Makes directory `path` and any missing parents, like mkdir -p, with mode
 * 0777 & ~umask. An existing directory is not an error. Returns 0; on error
 * returns CD_EIO (CD_ENOMEM if out of memory) with errno set, for example
 * to ENOTDIR when a component exists and is not a directory. Directories
 * created before the error are left in place.
 */
int cd_mkdir_p(const char *path);

/* CSV fields (RFC 4180). Errors show in the stream's error indicator. */

/* Writes `s` as a field, quoted with '"' doubled only when it contains
 * ',', '"', CR or LF. NULL writes an empty (missing) field.
 */
void csv_str(FILE *f, const char *s);

/* Writes a decimal integer. */
void csv_int(FILE *f, long long v);

/* Writes the shortest of "%.15g" and "%.17g" that reads back (strtod) as
 * exactly `v`; "%.17g" always does for IEEE doubles. The text is the same
 * on every run and in every locale ('.' is the decimal point). NaN and
 * +-infinity write an empty (missing) field; -0 writes "0".
 */
void csv_real(FILE *f, double v);

/* Writes an empty (missing) field: nothing at all. */
void csv_empty(FILE *f);

/* Writes the field separator ",". */
void csv_sep(FILE *f);

/* Writes a header record: the n names, separated, then the end. */
void csv_header(FILE *f, const char *const *names, size_t n);

/* Ends a record with "\r\n". */
void csv_eol(FILE *f);

/* JSON strings, for metadata */

/* Writes `s` as a quoted JSON string (RFC 8259): '"' and '\' are escaped,
 * LF, CR and TAB as \n, \r and \t, other bytes below 0x20 as \u00XX; other
 * bytes (UTF-8 is assumed) pass through. NULL writes the literal null.
 */
void json_str(FILE *f, const char *s);

#endif
