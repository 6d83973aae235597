/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output sinks: writing to the fd, opening and rotating the file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sink.h"

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

int sink_write_all(struct eun_sink *s, const char *data, size_t n)
{
	while (n) {
		ssize_t done = write(s->fd, data, n);

		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return set_error(errno, "cannot write to output %s: %s", s->name, strerror(errno));
		data += done;
		n -= (size_t)done;
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
