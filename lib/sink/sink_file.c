/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output sinks: writing to the fd, opening and rotating the file. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sink/sink.h"

int sink_file_open(struct eun_sink *s, bool append)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
	struct stat st;

	s->fd = open(s->path, flags, 0644);
	if (s->fd < 0)
		return set_error(errno, "cannot open output file '%s': %s; check that its directory "
				 "exists and is writable", s->path, strerror(errno));
	if (fstat(s->fd, &st) < 0) {
		int err = errno;

		close(s->fd);
		s->fd = -1;
		return set_error(err, "cannot stat output file '%s': %s", s->path, strerror(err));
	}
	s->file_bytes = (uint64_t)st.st_size;
	/* Lines already in an appended file count: the next rotation may move them. */
	s->file_lines = st.st_size > 0;
	return 0;
}

/* Block until fd can take more bytes (an fd left non-blocking). 0 or -1 with errno set. */
static int wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	for (;;) {
		int n = poll(&p, 1, -1);

		if (n > 0 || (n < 0 && errno != EINTR))
			return n > 0 ? 0 : -1;
	}
}

/* After a write of data failed with done bytes of it in the sink's own
 * file, cut off the part of a line that made it there, so that the file
 * ends with a whole line. Every write starts at a line boundary. */
static void cut_torn_line(struct eun_sink *s, const char *data, size_t done)
{
	const char *nl = done ? memrchr(data, '\n', done) : NULL;
	size_t torn = nl ? done - (size_t)(nl + 1 - data) : done;
	off_t end;

	if (!s->owns_fd || !torn)
		return;
	end = lseek(s->fd, 0, SEEK_CUR);
	if (end >= (off_t)torn)
		(void)ftruncate(s->fd, end - (off_t)torn); /* best effort: the write error is what counts */
}

int sink_write_all(struct eun_sink *s, const char *data, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(s->fd, data + done, n - done);
		int err;

		if (w > 0) {
			done += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && wait_writable(s->fd) == 0)
			continue;
		err = w < 0 ? errno : EIO; /* write() of a regular file never returns 0 */
		cut_torn_line(s, data, done);
		return set_error(err, "cannot write to output %s: %s", s->name, strerror(err));
	}
	return 0;
}

/* "path.i" in a new string, or NULL. */
static char *rotated_name(const char *path, unsigned i)
{
	char *name;

	return asprintf(&name, "%s.%u", path, i) < 0 ? NULL : name;
}

/* Rename from to to; a missing from is not an error. 0 or -errno. */
static int shift_file(const char *from, const char *to)
{
	if (rename(from, to) == 0 || errno == ENOENT)
		return 0;
	return set_error(errno, "cannot rotate output file '%s' to '%s': %s", from, to, strerror(errno));
}

int sink_file_rotate(struct eun_sink *s)
{
	int err = 0;

	if (close(s->fd) < 0)
		err = set_error(errno, "cannot close output file '%s' before rotating it: %s", s->path,
				strerror(errno));
	s->fd = -1;
	if (err)
		return err;
	/* Oldest first, so that every rename replaces a file already moved on. */
	for (unsigned i = s->rotate_keep; i >= 1 && !err; i--) {
		char *from = i > 1 ? rotated_name(s->path, i - 1) : s->path;
		char *to = rotated_name(s->path, i);

		if (!from || !to)
			err = set_error(ENOMEM, "out of memory rotating output file '%s'", s->path);
		else
			err = shift_file(from, to);
		if (from != s->path)
			free(from);
		free(to);
	}
	return err ? err : sink_file_open(s, false);
}
