/* outdir: see outdir.h. */
#define _DEFAULT_SOURCE /* flock */
#include "analysis/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "core/digest.h"
#include "core/fileio.h"
#include "analysis/json.h"

#define LOCK_NAME ".cyberdef.lock"

struct cd_outdir {
	int fd;
	char lock[4200];
};

/* Takes the lock file at path: returns its descriptor, locked, or -1
 * with errno (EWOULDBLOCK: another process holds it). A lock file removed
 * by its owner between our open and our flock is not the lock any more:
 * then we try again on the new one. */
static int take_lock(const char *path)
{
	for (int tries = 0; tries < 100; tries++) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			int err = errno;
			(void)close(fd);
			errno = err;
			return -1;
		}
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		(void)close(fd); /* unlinked under us: take the new one */
	}
	errno = EAGAIN;
	return -1;
}

/* Is `entry` ".<name>.cyberdef-tmp.<digits>" or ".<name>.cyberdef-old.
 * <digits>" for one of the names? */
static int is_leftover(const char *entry, const char *const *names, int n)
{
	if (entry[0] != '.')
		return 0;
	for (int k = 0; k < n; k++) {
		size_t len = strlen(names[k]);
		const char *rest = entry + 1 + len;
		if (strncmp(entry + 1, names[k], len) ||
		    (strncmp(rest, ".cyberdef-tmp.", 14) &&
		     strncmp(rest, ".cyberdef-old.", 14)))
			continue;
		rest += 14;
		if (!*rest)
			continue;
		while (*rest >= '0' && *rest <= '9')
			rest++;
		if (!*rest)
			return 1;
	}
	return 0;
}

void cd_outdir_clean(const char *dir, const char *const *names, int n)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *e;
	/* readdir_r is deprecated (POSIX.1-2008 TC2); this stream is ours
	 * alone. */
	// cppcheck-suppress readdirCalled
	while ((e = readdir(dp))) {
		if (!is_leftover(e->d_name, names, n))
			continue;
		char path[4400];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		(void)unlink(path);
	}
	(void)closedir(dp);
}

int cd_outdir_open(cd_outdir **out, const char *dir, const char *const *names,
		   int n, struct cd_diag *d)
{
	*out = NULL;
	if (cd_mkdir_p(dir)) {
		int err = errno;
		snprintf(d->msg, sizeof d->msg,
			 "cannot create output directory %.400s: %s", dir,
			 strerror(err));
		return err == ENOMEM ? CD_ENOMEM : CD_EIO;
	}
	cd_outdir *o = calloc(1, sizeof *o);
	if (!o) {
		snprintf(d->msg, sizeof d->msg, "out of memory");
		return CD_ENOMEM;
	}
	snprintf(o->lock, sizeof o->lock, "%s/%s", dir, LOCK_NAME);
	o->fd = take_lock(o->lock);
	if (o->fd < 0) {
		int err = errno;
		if (err == EWOULDBLOCK) {
			char pid[32] = "";
			int fd = open(o->lock, O_RDONLY | O_CLOEXEC);
			ssize_t got =
				fd >= 0 ? read(fd, pid, sizeof pid - 1) : -1;
			if (fd >= 0)
				(void)close(fd);
			pid[got > 0 ? got : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			snprintf(d->msg, sizeof d->msg,
				 "%.400s is in use by another cyberdef "
				 "(process %.20s), which holds %s; wait for it "
				 "to finish, or choose another --out",
				 dir, pid[0] ? pid : "unknown", LOCK_NAME);
			free(o);
			return CD_EBUSY;
		}
		snprintf(d->msg, sizeof d->msg,
			 "cannot write %.400s (the lock of the output "
			 "directory): %s",
			 o->lock, strerror(err));
		free(o);
		return CD_EIO;
	}
	char pid[32];
	int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(o->fd, 0) != 0 ||
	    pwrite(o->fd, pid, (size_t)len, 0) != len) {
		/* The lock holds without the note; say nothing. */
	}
	cd_outdir_clean(dir, names, n);
	*out = o;
	return 0;
}

void cd_outdir_close(cd_outdir *o)
{
	if (!o)
		return;
	(void)unlink(o->lock); /* while locked: see take_lock */
	(void)close(o->fd);
	free(o);
}

json_t *cd_outdir_files_json(struct cd_outfile *const *files, int n)
{
	json_t *arr = json_array();
	int ok = arr != NULL, err = ENOMEM;
	for (int k = 0; k < n && ok; k++) {
		char hex[CD_SHA256_HEX];
		unsigned long long bytes;
		if (cd_outfile_digest(files[k], hex, &bytes)) {
			err = errno;
			ok = 0;
			break;
		}
		const char *path = cd_outfile_path(files[k]);
		const char *slash = strrchr(path, '/');
		json_t *f = json_object();
		int fok = f != NULL;
		if (fok) {
			cd_json_set(f, "name",
				    cd_json_text(slash ? slash + 1 : path),
				    &fok);
			cd_json_set(f, "sha256", json_string(hex), &fok);
			cd_json_set(f, "bytes", json_integer((json_int_t)bytes),
				    &fok);
		}
		if (!fok) {
			json_decref(f);
			ok = 0;
			break;
		}
		cd_json_append(arr, f, &ok);
	}
	if (!ok) {
		json_decref(arr);
		errno = err;
		return NULL;
	}
	return arr;
}

/* The SHA-256 and size of the file at path; 0 or an errno. */
static int file_digest(const char *path, char hex[CD_SHA256_HEX],
		       unsigned long long *bytes)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	cd_sha256 c;
	cd_sha256_begin(&c);
	unsigned long long n = 0;
	char buf[1 << 16];
	int err = 0;
	for (;;) {
		ssize_t got = read(fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			err = errno;
		if (got <= 0)
			break;
		cd_sha256_add(&c, buf, (size_t)got);
		n += (unsigned long long)got;
	}
	(void)close(fd); /* read only */
	cd_sha256_end(&c, hex);
	*bytes = n;
	return err;
}

int cd_outdir_verify(const char *dir, const char *manifest, const char *name,
		     struct cd_diag *d)
{
	char mpath[4200], fpath[4200];
	snprintf(mpath, sizeof mpath, "%s/%s", dir, manifest);
	snprintf(fpath, sizeof fpath, "%s/%s", dir, name);
	if (!cd_file_exists(mpath))
		return 0;
	json_error_t jerr;
	json_t *root = json_load_file(mpath, 0, &jerr);
	json_t *files = root ? json_object_get(root, "files") : NULL;
	if (!json_is_array(files)) {
		snprintf(d->msg, sizeof d->msg,
			 "%.400s: not a cyberdef manifest (%.100s); it should "
			 "list the files of the set it was written with",
			 mpath, root ? "no \"files\" list" : jerr.text);
		json_decref(root);
		return CD_EINVAL;
	}
	int rc = 0;
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
	{
		const char *fn = json_string_value(json_object_get(f, "name"));
		const char *want =
			json_string_value(json_object_get(f, "sha256"));
		json_t *jb = json_object_get(f, "bytes");
		if (!fn || strcmp(fn, name) || !want)
			continue;
		char hex[CD_SHA256_HEX];
		unsigned long long bytes = 0;
		int err = file_digest(fpath, hex, &bytes);
		if (!err && !strcmp(hex, want) &&
		    (!json_is_integer(jb) ||
		     (unsigned long long)json_integer_value(jb) == bytes))
			break; /* the file the manifest lists */
		if (err)
			snprintf(d->msg, sizeof d->msg,
				 "%.400s: cannot read it to check it against "
				 "%.100s: %.100s",
				 fpath, manifest, strerror(err));
		else
			snprintf(d->msg, sizeof d->msg,
				 "%.400s is not the file %.100s lists (its "
				 "SHA-256 differs): the set was left mixed "
				 "by an interrupted write, or the file was "
				 "changed since; run the command that wrote "
				 "it again",
				 fpath, manifest);
		rc = CD_EINVAL;
		break;
	}
	json_decref(root);
	return rc;
}
