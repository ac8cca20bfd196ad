/* journal: see journal.h. */
#define _POSIX_C_SOURCE 200809L /* open_memstream, pread, fdatasync */
#include "analysis/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "analysis/metrics.h"
#include "analysis/outdir.h"
#include "analysis/output.h"
#include "core/digest.h"
#include "core/fileio.h"
#include "analysis/run.h"
#include "core/version.h"

#define JOURNAL_MAGIC "cyberdef sweep journal 2\n"
#define CHECK_BYTES 16

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* "a/b" in a new string, or NULL (out of memory). */
static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", a, b);
	return p;
}

size_t journal_record_size(int days)
{
	return sizeof(struct journal_head) +
	       (CD_SUMMARY_N + (size_t)days * CD_KEPT_N) * sizeof(double) +
	       CHECK_BYTES;
}

int journal_init(struct journal *j, const struct experiment *e,
		 struct cd_diag *d)
{
	size_t runs = (size_t)e->n_points * (size_t)e->reps;
	*j = (struct journal){.out = e->rq.out,
			      .record = journal_record_size(e->max_days),
			      .seed = e->rq.seed,
			      .independent = e->rq.independent,
			      .points = (uint32_t)e->n_points,
			      .reps = (uint32_t)e->reps,
			      .fd = -1};
	j->dir = join(e->rq.out, ".sweep");
	j->path = j->dir ? join(j->dir, "journal.bin") : NULL;
	j->manifest = j->dir ? join(j->dir, "manifest.txt") : NULL;
	j->where = malloc(runs * sizeof *j->where);
	if (!j->path || !j->manifest || !j->where) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	for (size_t i = 0; i < runs; i++)
		j->where[i] = -1;
	return 0;
}

/* ---- records ---------------------------------------------------------- */

double *journal_summary(unsigned char *rec)
{
	return (double *)(void *)(rec + sizeof(struct journal_head));
}

void journal_head_of(const unsigned char *rec, struct journal_head *h)
{
	memcpy(h, rec, sizeof *h);
}

static void checksum(const struct journal *j, const unsigned char *rec,
		     unsigned char sum[CHECK_BYTES])
{
	cd_sha256 c;
	cd_sha256_begin(&c);
	cd_sha256_add(&c, rec, j->record - CHECK_BYTES);
	sha256_digest(&c, CHECK_BYTES, sum);
}

void journal_seal(const struct journal *j, unsigned char *rec,
		  const struct journal_head *h)
{
	memcpy(rec, h, sizeof *h);
	checksum(j, rec, rec + j->record - CHECK_BYTES);
}

long long journal_run(const struct journal *j, const unsigned char *rec)
{
	unsigned char sum[CHECK_BYTES];
	checksum(j, rec, sum);
	struct journal_head h;
	journal_head_of(rec, &h);
	if (memcmp(sum, rec + j->record - CHECK_BYTES, CHECK_BYTES) ||
	    h.point >= j->points || h.rep >= j->reps ||
	    h.seed != cd_study_seed(j->seed, j->independent, h.point, h.rep))
		return -1;
	return (long long)h.point * j->reps + h.rep;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int journal_append(struct journal *j, size_t run, const unsigned char *rec,
		   struct cd_diag *d)
{
	if (write_all(j->fd, rec, j->record)) {
		snprintf(d->msg, sizeof d->msg,
			 "cannot write the sweep journal: %s", strerror(errno));
		return CD_EIO;
	}
	j->where[run] = (long long)j->end;
	j->end += (off_t)j->record;
	double t = seconds();
	if (t - j->last_sync > 1) { /* survive a machine crash */
		fdatasync(j->fd);
		j->last_sync = t;
	}
	return 0;
}

int journal_read(const struct journal *j, size_t run, unsigned char *rec,
		 struct cd_diag *d)
{
	if (j->where[run] >= 0 &&
	    pread(j->fd, rec, j->record, (off_t)j->where[run]) ==
		    (ssize_t)j->record &&
	    journal_run(j, rec) == (long long)run)
		return 0;
	snprintf(d->msg, sizeof d->msg,
		 "%s: the record of replicate %u of point %u cannot be read "
		 "back whole; run the sweep again with --resume",
		 j->path, (unsigned)(run % j->reps), (unsigned)(run / j->reps));
	return CD_EIO;
}

void journal_sync(struct journal *j)
{
	if (j->fd >= 0)
		fdatasync(j->fd);
}

/* ---- the manifest ----------------------------------------------------- */

/* Writes "key=value\n", the value whole, with '\' and control bytes as
 * \xHH so that one line is one field whatever the text holds. */
static void field(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s=", key);
	for (const unsigned char *c = (const unsigned char *)value; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '\\')
			fprintf(f, "\\x%02x", *c);
		else
			putc(*c, f);
	putc('\n', f);
}

/* The manifest of sweep e, in a new string; NULL if out of memory. */
static char *manifest_text(const struct journal *j, const struct experiment *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	fprintf(f, "journal=%s", JOURNAL_MAGIC); /* the record format */
	field(f, "version", CD_VERSION);
	field(f, "scenario",
	      e->rq.scenario ? e->rq.scenario : "(built-in default)");
	field(f, "scenario_sha256", e->hash);
	for (int i = 0; i < e->rq.n_sets; i++)
		field(f, "set", e->rq.sets[i]);
	if (e->rq.design) {
		field(f, "design", e->rq.design);
		field(f, "design_sha256", e->design_hash);
	}
	for (int a = 0; a < e->n_axes; a++)
		if (e->axes[a].text) /* a grid's: a design's are in its hash */
			field(f, "vary", e->axes[a].text);
	for (int k = 0; k < e->rq.n_arms; k++) {
		field(f, "arm", e->rq.arms[k]);
		field(f, "arm_sha256", e->arm_hash[k + 1]);
	}
	for (int k = 0; k < e->rq.n_params; k++)
		field(f, "param", e->rq.params[k]);
	if (e->rq.n_params) {
		fprintf(f, "method=%d\nsize=%zu\nlevels=%u\n", e->rq.method,
			e->rq.sens_n, e->rq.levels);
		field(f, "design_sha256", e->design_hash);
	}
	if (e->has_post) {
		field(f, "posterior", e->post.path);
		field(f, "posterior_sha256", e->post.sha256);
	}
	for (int k = 0; k < e->rq.n_metrics; k++)
		field(f, "metric", e->rq.metrics[k]);
	for (int k = 0; k < e->rq.n_exceed; k++)
		field(f, "exceed", e->rq.exceed[k]);
	fprintf(f,
		"reps=%d\nseed=%llu\nindependent=%d\npoints=%d\ndays=%d\n"
		"record=%zu\n",
		e->reps, (unsigned long long)e->rq.seed, e->rq.independent,
		e->n_points, e->max_days, j->record);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Writes a line of a manifest from about byte `from`, at most 160 bytes,
 * quoted, at the end of the text in buf. */
static void show_line(char *buf, size_t size, const char *line, size_t len,
		      size_t from)
{
	size_t at = from > 60 ? from - 40 : 0, used = strlen(buf);
	at = at < len ? at : len;
	size_t n = len - at > 160 ? 160 : len - at;
	snprintf(buf + used, size - used, "'%s%.*s%s'", at ? "..." : "", (int)n,
		 line + at, at + n < len ? "..." : "");
}

/* Compares the manifest of an earlier sweep with this one's, whole. On a
 * difference, d->msg says which line, "was 'A', now 'B'", and returns 0. */
static int same_manifest(const struct journal *j, const char *old,
			 const char *now, struct cd_diag *d)
{
	const char *a = old, *b = now;
	/* The analyzer does not model what open_memstream wrote in `now`: */
	// NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
	while (*a || *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a);
		size_t lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la) != 0) {
			size_t k = 0; /* the first byte that differs */
			while (k < la && k < lb && a[k] == b[k])
				k++;
			snprintf(d->msg, sizeof d->msg,
				 "--resume: this sweep differs from the one in "
				 "%s: was ",
				 j->out);
			show_line(d->msg, sizeof d->msg, a, la, k);
			size_t used = strlen(d->msg);
			snprintf(d->msg + used, sizeof d->msg - used, ", now ");
			show_line(d->msg, sizeof d->msg, b, lb, k);
			return 0;
		}
		a += la + (ea != NULL);
		b += lb + (eb != NULL);
	}
	return 1;
}

/* ---- opening ---------------------------------------------------------- */

static int cannot(struct cd_diag *d, const char *what, const char *path,
		  const char *why)
{
	snprintf(d->msg, sizeof d->msg, "cannot %s %s: %s", what, path, why);
	return CD_EIO;
}

/* Makes DIR/.sweep with an empty journal and then the manifest. */
static int new_journal(const struct journal *j, const char *manifest,
		       int resume, journal_notice *say, void *ctx,
		       struct cd_diag *d)
{
	if (resume && say) {
		struct cd_diag n;
		snprintf(n.msg, sizeof n.msg,
			 "--resume: no unfinished sweep in %s; starting it",
			 j->out);
		say(ctx, n.msg);
	}
	if (cd_mkdir_p(j->dir))
		return cannot(d, "create", j->dir, strerror(errno));
	/* Journal first, manifest last: a manifest means a journal. */
	int fd = open(j->path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 || write_all(fd, JOURNAL_MAGIC, strlen(JOURNAL_MAGIC)) ||
	    fsync(fd) || close(fd))
		return cannot(d, "write", j->path, strerror(errno));
	cd_outfile *mf;
	if (cd_outfile_open(&mf, j->manifest))
		return cannot(d, "write", j->manifest, strerror(errno));
	fputs(manifest, cd_outfile_stream(mf));
	if (cd_outfile_commit(mf))
		return cannot(d, "write", j->manifest, strerror(errno));
	return 0;
}

/* Checks that the unfinished sweep in DIR is this one. */
static int old_journal(const struct journal *j, const char *manifest,
		       int resume, struct cd_diag *d)
{
	if (!resume) {
		snprintf(d->msg, sizeof d->msg,
			 "%s holds an unfinished sweep; finish it with "
			 "--resume (same arguments), or remove %s",
			 j->out, j->dir);
		return CD_EINVAL;
	}
	char *old;
	size_t len;
	const char *why;
	if (cd_file_read(j->manifest, (size_t)1 << 30, &old, &len, &why))
		return cannot(d, "read", j->manifest, why);
	int whole = strlen(old) == len;
	int same = whole && same_manifest(j, old, manifest, d);
	if (!whole)
		snprintf(d->msg, sizeof d->msg,
			 "%s is not a sweep manifest (a NUL byte); remove %s "
			 "to start again",
			 j->manifest, j->dir);
	free(old);
	return same ? 0 : CD_EINVAL;
}

/* The records of an open journal, whole ones from `magic` bytes on. */
static void read_records(struct journal *j, unsigned char *rec, size_t whole,
			 unsigned char *done, size_t *finished, size_t *bad)
{
	size_t magic = strlen(JOURNAL_MAGIC);
	for (size_t k = 0; k < whole; k++) {
		off_t off = (off_t)(magic + k * j->record);
		long long run = -1;
		if (pread(j->fd, rec, j->record, off) == (ssize_t)j->record)
			run = journal_run(j, rec);
		if (run < 0 || done[run]) {
			*bad += run < 0;
			continue;
		}
		done[run] = 1;
		j->where[run] = (long long)off;
		(*finished)++;
	}
}

/* Takes the journal's records (journal_open). */
static int scan(struct journal *j, unsigned char *done, size_t *finished,
		journal_notice *say, void *ctx, struct cd_diag *d)
{
	struct stat st;
	size_t magic = strlen(JOURNAL_MAGIC);
	char head[sizeof JOURNAL_MAGIC];
	j->fd = open(j->path, O_RDWR);
	if (j->fd < 0 || fstat(j->fd, &st))
		return cannot(d, "open", j->path, strerror(errno));
	if (st.st_size < (off_t)magic ||
	    pread(j->fd, head, magic, 0) != (ssize_t)magic ||
	    memcmp(head, JOURNAL_MAGIC, magic)) {
		snprintf(d->msg, sizeof d->msg,
			 "%s is not a journal of this cyberdef (its header "
			 "differs); remove %s to start the sweep again",
			 j->path, j->dir);
		return CD_EINVAL;
	}
	size_t whole = ((size_t)st.st_size - magic) / j->record, bad = 0;
	int cut = ((size_t)st.st_size - magic) % j->record != 0;
	unsigned char *rec = malloc(j->record);
	if (rec)
		read_records(j, rec, whole, done, finished, &bad);
	free(rec);
	j->end = (off_t)(magic + whole * j->record);
	if (!rec)
		return cannot(d, "read", j->path, "out of memory");
	if (ftruncate(j->fd, j->end) || lseek(j->fd, 0, SEEK_END) < 0)
		return cannot(d, "read", j->path, strerror(errno));
	if ((bad || cut) && say) {
		struct cd_diag n;
		snprintf(n.msg, sizeof n.msg,
			 "warning: %s: discarded %zu of %zu records that fail "
			 "their checksum or are not of this sweep (point, "
			 "replicate or seed)%s; their runs are done again",
			 j->path, bad, whole,
			 cut ? ", and a record cut off at the end" : "");
		say(ctx, n.msg);
	}
	return 0;
}

int journal_open(struct journal *j, const struct experiment *e,
		 unsigned char *done, size_t *finished, journal_notice *say,
		 void *ctx, struct cd_diag *d)
{
	static const char *const temporaries[] = {"manifest.txt"};
	char *now = manifest_text(j, e);
	if (!now) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	cd_outdir_clean(j->dir, temporaries, 1);
	struct stat st;
	int rc = stat(j->manifest, &st) == 0
			 ? old_journal(j, now, e->rq.resume, d)
			 : new_journal(j, now, e->rq.resume, say, ctx, d);
	free(now);
	if (!rc)
		rc = scan(j, done, finished, say, ctx, d);
	j->last_sync = seconds();
	return rc;
}

/* ---- closing ---------------------------------------------------------- */

void journal_remove(struct journal *j, journal_notice *say, void *ctx)
{
	/* First: without a manifest the journal is inert. If it stays, a
	 * later sweep in this directory would take it for an unfinished one. */
	if (remove(j->manifest) != 0 && errno != ENOENT && say) {
		struct cd_diag n;
		snprintf(n.msg, sizeof n.msg, "warning: cannot remove %s: %s",
			 j->manifest, strerror(errno));
		say(ctx, n.msg);
	}
	(void)remove(j->path);
	rmdir(j->dir);
}

void journal_free(struct journal *j)
{
	if (j->path && j->fd >= 0)
		close(j->fd);
	free(j->dir);
	free(j->path);
	free(j->manifest);
	free(j->where);
	*j = (struct journal){.fd = -1};
}
