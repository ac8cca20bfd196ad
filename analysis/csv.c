/* Output files that appear only when complete, and CSV/JSON field text. */
#define _POSIX_C_SOURCE 200809L

#include "analysis/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "analysis/csvbuf.h"
#include "core/digest.h"
#include "core/status.h"

struct cd_outfile {
	FILE *fp;   /* stream on the temporary */
	char *path; /* final path, as given */
	char *tmp;  /* "<dir>/.<name>.cyberdef-tmp.<pid>" */
};

/* Frees the memory of `f` only. Preserves errno. */
static void cd_outfile_free(cd_outfile *f)
{
	int saved = errno;

	free(f->path);
	free(f->tmp);
	free(f);
	errno = saved;
}

/* Returns a new string "<dir>/.<name>.cyberdef-tmp.<pid>" for final path
 * `path`, or NULL with errno set (ENOENT for "", EISDIR for a path ending in
 * '/', ENOMEM).
 */
static char *cd_outfile_tmpname(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t namelen = strlen(name);
	char pid[32];
	size_t pidlen;
	char *tmp, *p;

	if (*path == '\0') {
		errno = ENOENT;
		return NULL;
	}
	if (namelen == 0) {
		errno = EISDIR;
		return NULL;
	}
	snprintf(pid, sizeof(pid), ".cyberdef-tmp.%ld", (long)getpid());
	pidlen = strlen(pid);
	tmp = malloc(dirlen + 1 + namelen + pidlen + 1);
	if (tmp == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	p = tmp;
	memcpy(p, path, dirlen);
	p += dirlen;
	*p++ = '.';
	/* Not terminated here: the copy of pid below ends the string. */
	/* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
	memcpy(p, name, namelen);
	p += namelen;
	memcpy(p, pid, pidlen + 1);
	return tmp;
}

int cd_outfile_open(cd_outfile **out, const char *path)
{
	cd_outfile *f;
	size_t pathlen;
	int rc = CD_ENOMEM;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		errno = ENOMEM;
		return CD_ENOMEM;
	}
	pathlen = strlen(path);
	f->path = malloc(pathlen + 1);
	if (f->path == NULL) {
		errno = ENOMEM;
		goto fail;
	}
	memcpy(f->path, path, pathlen + 1);
	f->tmp = cd_outfile_tmpname(path);
	if (f->tmp == NULL) {
		if (errno != ENOMEM)
			rc = CD_EIO;
		goto fail;
	}
	/* Binary mode: the "\r\n" we write is never translated. */
	f->fp = fopen(f->tmp, "wb");
	if (f->fp == NULL) {
		rc = CD_EIO;
		goto fail;
	}
	*out = f;
	return 0;
fail:
	cd_outfile_free(f);
	return rc;
}

FILE *cd_outfile_stream(cd_outfile *f)
{
	return f->fp;
}

const char *cd_outfile_path(const cd_outfile *f)
{
	return f->path;
}

int cd_outfile_commit(cd_outfile *f)
{
	int saved = errno, err = 0;

	if (f == NULL) {
		errno = EINVAL;
		return CD_EINVAL;
	}
	errno = 0;
	if (fflush(f->fp) != 0)
		err = errno != 0 ? errno : EIO;
	else if (ferror(f->fp))
		err = EIO; /* an earlier write failed; its errno is long gone */
	else if (fsync(fileno(f->fp)) != 0)
		err = errno;
	if (fclose(f->fp) != 0 && err == 0)
		err = errno != 0 ? errno : EIO;
	if (err == 0 && rename(f->tmp, f->path) != 0)
		err = errno;
	if (err != 0)
		(void)remove(f->tmp);
	cd_outfile_free(f);
	if (err == 0) {
		errno = saved;
		return 0;
	}
	errno = err;
	return CD_EIO;
}

/* "<dir>/.<name>.cyberdef-old.<pid>": where the file at `path` is kept
 * while a set replaces it. */
static char *backup_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 64;
	char *b = malloc(n);
	if (b)
		snprintf(b, n, "%.*s.%s.cyberdef-old.%ld", (int)dirlen, path,
			 path + dirlen, (long)getpid());
	return b;
}

/* Syncs the directory holding `path`, so that renames in it last. */
static void sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s",
			 slash == path ? 1 : (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		(void)fsync(fd); /* best effort: not every file system can */
		(void)close(fd);
	}
}

/* One file of a set being committed. */
struct member {
	char *backup; /* where the earlier file is kept; NULL if none */
	int moved;    /* the earlier file was renamed (not linked) away */
	int placed;   /* the new file is in place */
};

/* Keeps the earlier file at m's final path, if any: a hard link, so the
 * final path never goes missing; where links are impossible, a rename
 * just before the new file takes its place. Returns 0 or an errno. */
static int keep_earlier(cd_outfile *f, struct member *m)
{
	struct stat st;
	if (lstat(f->path, &st) != 0)
		return errno == ENOENT ? 0 : errno;
	if (S_ISDIR(st.st_mode))
		return 0; /* nothing to keep: its rename will fail */
	if (!(m->backup = backup_name(f->path)))
		return ENOMEM;
	(void)unlink(m->backup); /* a leftover of an earlier crash */
	if (link(f->path, m->backup) == 0)
		return 0;
	m->moved = 1;
	return 0;
}

/* Puts the earlier files of members [0, n) back, removing the new ones
 * that have no earlier file. Cannot fail in a way it could mend. */
static void take_back(cd_outfile **files, struct member *m, int n)
{
	for (int j = 0; j < n; j++) {
		if (m[j].backup && (m[j].placed || m[j].moved))
			(void)rename(m[j].backup, files[j]->path);
		else if (m[j].placed)
			(void)unlink(files[j]->path);
		m[j].placed = 0;
	}
}

int cd_outfile_commit_all(cd_outfile **files, int n, int *failed)
{
	enum { MAX_SET = 16 };
	struct member m[MAX_SET];
	memset(m, 0, sizeof m);
	int err = n > MAX_SET ? EINVAL : 0;
	*failed = -1;
	/* 1. Everything on disk, where a full disk shows. */
	for (int k = 0; k < n && !err; k++) {
		FILE *fp = files[k]->fp;
		errno = 0;
		if (fflush(fp) != 0)
			err = errno != 0 ? errno : EIO;
		else if (ferror(fp))
			err = EIO;
		else if (fsync(fileno(fp)) != 0)
			err = errno;
		if (err)
			*failed = k;
	}
	/* 2. The earlier files kept aside. */
	for (int k = 0; k < n && !err; k++)
		if ((err = keep_earlier(files[k], &m[k])))
			*failed = k;
	/* 3. The new files in place, in order (the set's manifest last). */
	for (int k = 0; k < n && !err; k++) {
		if (fclose(files[k]->fp) != 0)
			err = errno != 0 ? errno : EIO;
		files[k]->fp = NULL;
		if (!err && m[k].moved &&
		    rename(files[k]->path, m[k].backup) != 0)
			err = errno;
		if (!err && rename(files[k]->tmp, files[k]->path) != 0)
			err = errno;
		if (err) {
			*failed = k;
			if (m[k].moved) /* its earlier file went aside */
				(void)rename(m[k].backup, files[k]->path);
			m[k].moved = 0;
			break;
		}
		m[k].placed = 1;
	}
	/* 4. On failure, the earlier set back as it was; then tidy up. */
	if (err)
		take_back(files, m, n);
	char first[4096] = "";
	if (n > 0)
		snprintf(first, sizeof first, "%s", files[0]->path);
	for (int k = 0; k < n && k < MAX_SET; k++) {
		/* A linked copy is not needed once the set is in place, nor
		 * when the earlier file never left its place. */
		if (m[k].backup && (!err || !m[k].moved))
			(void)unlink(m[k].backup);
		free(m[k].backup);
		if (files[k]->fp)
			(void)fclose(files[k]->fp);
		if (!m[k].placed)
			(void)remove(files[k]->tmp);
		cd_outfile_free(files[k]);
		files[k] = NULL;
	}
	if (first[0])
		sync_dir_of(first);
	if (!err)
		return 0;
	errno = err;
	return err == ENOMEM ? CD_ENOMEM : CD_EIO;
}

int cd_outfile_digest(cd_outfile *f, char hex[65], unsigned long long *bytes)
{
	errno = 0;
	if (fflush(f->fp) != 0 || ferror(f->fp)) {
		if (!errno)
			errno = EIO;
		return CD_EIO;
	}
	int fd = open(f->tmp, O_RDONLY);
	if (fd < 0)
		return CD_EIO;
	cd_sha256 c;
	cd_sha256_begin(&c);
	unsigned long long n = 0;
	char buf[1 << 16];
	for (;;) {
		ssize_t got = read(fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;
			(void)close(fd);
			errno = err;
			return CD_EIO;
		}
		if (got == 0)
			break;
		cd_sha256_add(&c, buf, (size_t)got);
		n += (unsigned long long)got;
	}
	(void)close(fd); /* read only */
	cd_sha256_end(&c, hex);
	*bytes = n;
	return 0;
}

void cd_outfile_abort(cd_outfile *f)
{
	int saved = errno;

	if (f == NULL)
		return;
	(void)fclose(f->fp);
	(void)remove(f->tmp);
	cd_outfile_free(f);
	errno = saved;
}

/* Makes one directory; an existing directory is success. Returns 0, or -1
 * with errno set (ENOTDIR when `path` exists and is not a directory).
 */
static int cd_mkdir_one(const char *path)
{
	struct stat st;
	int err;

	if (mkdir(path, 0777) == 0)
		return 0;
	/* Test existence after the failure: EEXIST is not the only errno an
	 * existing directory can give (EACCES, EROFS), and another process
	 * may have made it meanwhile.
	 */
	err = errno;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		err = ENOTDIR;
	}
	errno = err;
	return -1;
}

int cd_mkdir_p(const char *path)
{
	size_t len;
	char *buf, *p, *slash;
	int rc = 0, err = 0;

	if (path == NULL || *path == '\0') {
		errno = ENOENT;
		return CD_EIO;
	}
	len = strlen(path);
	buf = malloc(len + 1);
	if (buf == NULL) {
		errno = ENOMEM;
		return CD_ENOMEM;
	}
	memcpy(buf, path, len + 1);

	/* Make each prefix that ends a non-empty component, in order. */
	p = buf;
	while (*p == '/')
		p++;
	while (*p != '\0') {
		slash = strchr(p, '/');
		if (slash != NULL)
			*slash = '\0';
		if (cd_mkdir_one(buf) != 0) {
			err = errno;
			rc = CD_EIO;
			break;
		}
		if (slash == NULL)
			break;
		*slash = '/';
		p = slash + 1;
		while (*p == '/')
			p++;
	}
	free(buf);
	if (rc != 0)
		errno = err;
	return rc;
}

/* CSV */

void csv_str(FILE *f, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

void csv_int(FILE *f, long long v)
{
	char buf[CSV_INT_MAX];
	size_t n = csv_format_int(buf, v);
	(void)fwrite(buf, 1, n, f);
}

/* The text is csvbuf.h's, so a file written through a cd_csvbuf reads as
 * one written field by field. */
void csv_real(FILE *f, double v)
{
	char buf[CSV_REAL_MAX];
	size_t n = csv_format_real(buf, v);
	(void)fwrite(buf, 1, n, f);
}

void csv_header(FILE *f, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			csv_sep(f);
		csv_str(f, names[i]);
	}
	csv_eol(f);
}

void csv_empty(FILE *f)
{
	(void)f;
}

void csv_sep(FILE *f)
{
	putc(',', f);
}

void csv_eol(FILE *f)
{
	fputs("\r\n", f);
}

/* JSON */

void json_str(FILE *f, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", (unsigned)*p);
			else
				putc(*p, f);
		}
	}
	putc('"', f);
}
