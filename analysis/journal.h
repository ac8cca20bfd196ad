/* journal: a sweep's finished runs, kept in DIR/.sweep/ until its outputs
 * are written, so that an interrupted sweep can be finished (--resume).
 *
 * DIR/.sweep/journal.bin is a header, then one fixed-size record per
 * finished run, in the order runs finish: a head (point, replicate,
 * seed), the summary metrics, the daily totals of every day (NaN beyond
 * the point's horizon), and 16 bytes of the SHA-256 of all that. A record
 * is taken only if its checksum holds and its head names a run of this
 * sweep with the seed this sweep gives that run; any other is discarded
 * (its run is done again), never read as results. DIR/.sweep/manifest.txt
 * holds every argument that shapes the results, whole, so that --resume
 * continues only the same sweep. The journal is written before its
 * manifest and removed after it, so a manifest always has its journal.
 *
 * A struct journal owns the paths, the open journal file and the index of
 * where each run's record lies. One process (rank 0) opens it, for the
 * life of the sweep, holding the lock of DIR (outdir.h); appends come one
 * at a time (the caller's lock). Nothing here prints: failures are a
 * status and a struct cd_diag, and what the user should know but is not
 * a failure (a fresh start on --resume, discarded records) goes to the
 * caller's notice callback.
 */
#ifndef CD_ANALYSIS_JOURNAL_H
#define CD_ANALYSIS_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "analysis/experiment.h"
#include "core/status.h"

/* A line for the user that is not a failure, as a cd_diag's message. */
typedef void journal_notice(void *ctx, const char *msg);

/* The head of a record. */
struct journal_head {
	uint32_t point, rep;
	uint64_t seed; /* cd_study_seed(master seed, independent, point, rep) */
};

struct journal {
	const char *out;	     /* DIR (the experiment's) */
	char *dir, *path, *manifest; /* DIR/.sweep and its two files */
	size_t record;		     /* bytes of one record */
	uint64_t seed;		     /* the sweep's master seed */
	int independent;	     /* and how run seeds derive from it */
	uint32_t points, reps;	     /* the sweep's runs */
	long long *where; /* [points * reps]: offset of a run's record, -1 */
	int fd;		  /* the journal, open; -1 */
	off_t end;	  /* its length */
	double last_sync; /* when it was last synced (monotonic seconds) */
};

/* Bytes of a record of a sweep whose longest horizon is `days`. Cannot
 * fail. */
size_t journal_record_size(int days);

/* Prepares *j for the sweep e (no file is touched). Returns 0, or
 * CD_ENOMEM with d->msg. Call journal_free afterwards either way. */
int journal_init(struct journal *j, const struct experiment *e,
		 struct cd_diag *d);

/* Starts the journal of e in DIR/.sweep (the manifest last), or, when one
 * is there, takes it up if e->rq.resume and its manifest is e's, whole.
 * Then reads it: each record that is whole and of this sweep marks its
 * run done (done[run] = 1, *finished counts them); the others are
 * discarded with a notice; a record cut off at the end is cut away.
 * Returns 0; CD_EINVAL with d->msg when DIR holds another or an
 * unfinished sweep without --resume, or a journal or manifest that is not
 * one; CD_EIO (cannot read or write, d->msg says why) or CD_ENOMEM. */
int journal_open(struct journal *j, const struct experiment *e,
		 unsigned char *done, size_t *finished, journal_notice *say,
		 void *ctx, struct cd_diag *d);

/* The summary metrics of a record (CD_SUMMARY_N of them), followed by its
 * daily totals (days x CD_KEPT_N, day by day). Cannot fail. */
double *journal_summary(unsigned char *rec);

/* The head of a record. Cannot fail. */
void journal_head_of(const unsigned char *rec, struct journal_head *h);

/* Writes head h into a record whose values are filled, then its
 * checksum. Cannot fail. */
void journal_seal(const struct journal *j, unsigned char *rec,
		  const struct journal_head *h);

/* The run (point * reps + replicate) of a record that is whole and of
 * this sweep, or -1. Cannot fail. */
long long journal_run(const struct journal *j, const unsigned char *rec);

/* Appends the record of run `run`, and syncs the journal to disk when a
 * second has passed since it last was. Returns 0, or CD_EIO with d->msg. */
int journal_append(struct journal *j, size_t run, const unsigned char *rec,
		   struct cd_diag *d);

/* Reads the record of run `run` back into rec, checking it again.
 * Returns 0, or CD_EIO with d->msg (missing, unreadable or damaged). */
int journal_read(const struct journal *j, size_t run, unsigned char *rec,
		 struct cd_diag *d);

/* Syncs the journal to disk. Cannot fail (a failed sync is seen by the
 * next write or read). */
void journal_sync(struct journal *j);

/* Removes the journal, once the outputs are written: the manifest first
 * (a journal without one is inert), then the journal and DIR/.sweep. A
 * manifest that cannot be removed is a notice. Cannot fail otherwise. */
void journal_remove(struct journal *j, journal_notice *say, void *ctx);

/* Closes and frees what j owns. Accepts a zeroed or freed journal. */
void journal_free(struct journal *j);

#endif
