/* Output files that appear only when complete, and CSV/JSON field text. */
#define _POSIX_C_SOURCE 200809L

#include "csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "status.h"

struct cd_outfile {
	FILE *fp;   /* stream on the temporary */
	char *path; /* final path, as given */
	char *tmp;  /* "<dir>/.<name>.tmp.<pid>" */
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

/* Returns a new string "<dir>/.<name>.tmp.<pid>" for final path `path`, or
 * NULL with errno set (ENOENT for "", EISDIR for a path ending in '/',
 * ENOMEM).
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
	snprintf(pid, sizeof(pid), ".tmp.%ld", (long)getpid());
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

int cd_outfile_commit_all(cd_outfile **files, int n, int *failed)
{
	enum { MAX_SET = 16 };
	char *renamed[MAX_SET] = {NULL};
	int err = n > MAX_SET ? EINVAL : 0;
	*failed = -1;
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
	for (int k = 0; k < n; k++) {
		if (err) {
			cd_outfile_abort(files[k]);
		} else if (!(renamed[k] = strdup(files[k]->path))) {
			err = ENOMEM;
			*failed = k;
			cd_outfile_abort(files[k]);
		} else if (cd_outfile_commit(files[k])) {
			err = errno != 0 ? errno : EIO;
			*failed = k;
			/* A rename failed (a full disk fails earlier): take
			 * back the files of this set already in place, so no
			 * mixed set remains. */
			for (int j = 0; j < k; j++)
				(void)remove(renamed[j]);
		}
		files[k] = NULL;
	}
	for (int k = 0; k < n && k < MAX_SET; k++)
		free(renamed[k]);
	if (!err)
		return 0;
	errno = err;
	return CD_EIO;
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
	fprintf(f, "%lld", v);
}

/* Writes number text from printf's "%g" with whatever radix character the
 * locale used replaced by '.'. "%g" prints only digits, a sign, 'e' and
 * one radix character (a string of one or more bytes), so any other run
 * of bytes is the radix character.
 */
static void csv_put_number(FILE *f, const char *s)
{
	int in_radix = 0;

	for (; *s != '\0'; s++) {
		if ((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' ||
		    *s == 'e') {
			putc(*s, f);
			in_radix = 0;
		} else if (!in_radix) {
			putc('.', f);
			in_radix = 1;
		}
	}
}

/* The program never calls setlocale, so printf and strtod run in the "C"
 * locale; should a caller ever change LC_NUMERIC, the round-trip test
 * still holds (printf and strtod share the locale) and csv_put_number
 * writes '.' for the locale's radix character. glibc's printf and strtod
 * are correctly rounded, so the text depends only on the value.
 */
void csv_real(FILE *f, double v)
{
	char buf[64];

	if (!isfinite(v))
		return; /* missing */
	if (v == 0.0) {
		putc('0', f); /* also for -0 */
		return;
	}
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	csv_put_number(f, buf);
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
