/* fileio: see fileio.h.
 *
 * A FIFO is opened without blocking (O_NONBLOCK makes open return at once
 * even with no writer). Its first read then tells the two cases apart: on
 * Linux and POSIX, a read from a FIFO with no writer returns 0 (end of
 * file) at once, while one with a writer that has not written yet fails
 * with EAGAIN. Only then is the descriptor made blocking, to read what the
 * writer sends up to its end, as for any pipe. */
#define _POSIX_C_SOURCE 200809L
#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"

int cd_file_exists(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0)
		return 1;
	return !(errno == ENOENT || errno == ENOTDIR);
}

/* Reads from fd until its end into *buf (capacity *cap, *n used). */
static int read_rest(int fd, size_t max_bytes, char **buf, size_t *cap,
		     size_t *n, const char **why)
{
	for (;;) {
		if (*n + 1 >= *cap) {
			size_t ncap = *cap * 2;
			char *nb = realloc(*buf, ncap);
			if (!nb) {
				*why = strerror(ENOMEM);
				return CD_ENOMEM;
			}
			*buf = nb;
			*cap = ncap;
		}
		ssize_t got = read(fd, *buf + *n, *cap - 1 - *n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*why = strerror(errno);
			return CD_EIO;
		}
		if (got == 0)
			return 0;
		*n += (size_t)got;
		if (*n > max_bytes) {
			*why = "the file is larger than allowed";
			return CD_ELIMIT;
		}
	}
}

int cd_file_read(const char *path, size_t max_bytes, char **text, size_t *len,
		 const char **why)
{
	*text = NULL;
	*len = 0;
	*why = "";
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		*why = strerror(err);
		return err == ENOENT || err == ENOTDIR ? CD_ENOENT : CD_EIO;
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		rc = CD_EIO;
	} else if (S_ISDIR(st.st_mode)) {
		*why = strerror(EISDIR);
		rc = CD_EIO;
	} else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max_bytes) {
		*why = "the file is larger than allowed";
		rc = CD_ELIMIT;
	}
	size_t cap = 4096, n = 0;
	char *buf = rc ? NULL : malloc(cap);
	if (!rc && !buf) {
		*why = strerror(ENOMEM);
		rc = CD_ENOMEM;
	}
	if (!rc && S_ISFIFO(st.st_mode)) {
		ssize_t got;
		do
			got = read(fd, buf, cap - 1);
		while (got < 0 && errno == EINTR);
		if (got == 0) {
			*why = "a FIFO or pipe with no process writing to it "
			       "(nothing to read)";
			rc = CD_EIO;
		} else if (got < 0 && errno != EAGAIN) {
			*why = strerror(errno);
			rc = CD_EIO;
		} else if (got > 0) {
			n = (size_t)got;
		}
	}
	if (!rc) {
		int flags = fcntl(fd, F_GETFL);
		if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
			*why = strerror(errno);
			rc = CD_EIO;
		}
	}
	if (!rc)
		rc = read_rest(fd, max_bytes, &buf, &cap, &n, why);
	(void)close(fd); /* read only */
	if (rc) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}
