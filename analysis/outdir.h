/* outdir: an output directory held by one cyberdef at a time, and sets of
 * output files that prove they are whole.
 *
 * A command that writes into --out DIR (run, sweep) first opens DIR here:
 * the directory is made if needed and locked for the command's life with
 * an exclusive flock(2) on DIR/.cyberdef.lock, which holds the owner's
 * process id. A second cyberdef writing into DIR meanwhile is refused at
 * once (CD_EBUSY, naming the owner), so two writers never interleave.
 * Holding the lock, the opener removes what a killed cyberdef left in DIR:
 * temporaries ".<name>.cyberdef-tmp.<pid>" and kept copies
 * ".<name>.cyberdef-old.<pid>" of the file names it is about to write, and
 * nothing else (the directory may hold other files). Temporaries of a
 * live cyberdef are never touched: it would hold the lock. The lock file
 * is removed on close; one left by a killed process is taken over.
 *
 * A set of output files (csv.h: cd_outfile_commit_all) ends with its
 * manifest, a JSON file whose "files" array lists each other file of the
 * set with its "sha256" and "bytes". cd_outdir_verify checks a file of the
 * set against it, so that a set left mixed by a crash between renames is
 * caught before anything reads it as whole.
 */
#ifndef CD_OUTDIR_H
#define CD_OUTDIR_H

#include <jansson.h>

#include "core/status.h"

typedef struct cd_outdir cd_outdir;

/* Makes and locks dir, then removes the leftovers of the n file names in
 * names (see above). Returns 0 and *out; or CD_EBUSY (another process
 * holds the lock: d->msg names it), CD_EIO (dir cannot be made or locked:
 * d->msg says why), CD_ENOMEM. */
int cd_outdir_open(cd_outdir **out, const char *dir, const char *const *names,
		   int n, struct cd_diag *d);

/* Removes, in dir, the leftovers of the n file names in names. Call only
 * while holding the lock of the directory that dir is (or is under).
 * Cannot fail (what cannot be removed stays). */
void cd_outdir_clean(const char *dir, const char *const *names, int n);

/* Unlocks, removes the lock file and frees o. Accepts NULL. */
void cd_outdir_close(cd_outdir *o);

/* The manifest's "files" array for the first n files of a set about to be
 * committed (csv.h), each {"name": its final name, "sha256", "bytes"}.
 * Returns a new reference, or NULL with errno ENOMEM (out of memory) or
 * saying why a file's contents cannot be read back. */
struct cd_outfile;
json_t *cd_outdir_files_json(struct cd_outfile *const *files, int n);

/* Checks the file `name` in dir against the set's manifest `manifest` in
 * dir. Returns 0 when they agree, when there is no manifest (the file is
 * not from a cyberdef set) or when the manifest does not list the file;
 * CD_EINVAL with d->msg when the file's SHA-256 or size differs from the
 * manifest's, or when the manifest cannot be read as one. Allocates
 * nothing itself; jansson 2.14's parser, out of memory, reports bad input
 * (or drops a byte of a token), so CD_EINVAL is then what it says. */
int cd_outdir_verify(const char *dir, const char *manifest, const char *name,
		     struct cd_diag *d);

#endif
