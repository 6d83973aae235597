/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Output sinks: creating them from their options, and freeing them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sink/sink.h"

#define DEFAULT_BUFFER_BYTES (64 * 1024)
#define DEFAULT_ROTATE_KEEP 5

/* Release everything without writing anything out. */
static void sink_release(struct eun_sink *s)
{
	if (s->owns_fd && s->fd >= 0)
		close(s->fd);
	eun_csv_free(s->csv);
	free(s->header);
	free(s->line);
	free(s->buf);
	free(s->name);
	free(s->path);
	free(s);
}

/* Release s and fail with err for a constructor: NULL with errno set. */
static struct eun_sink *sink_fail(struct eun_sink *s, int err)
{
	if (s)
		sink_release(s);
	errno = -err;
	return NULL;
}

/* Check what the options of any sink ask for. 0 or -EINVAL with the error text set. */
static int check_opts(enum eun_sink_format format, const struct eun_sink_opts *opts)
{
	if (!OPTS_VALID(opts, eun_sink_opts))
		return -EINVAL;
	if (format != EUN_SINK_JSON && format != EUN_SINK_CSV && format != EUN_SINK_TEXT)
		return set_error(EINVAL, "unknown sink format %d; use EUN_SINK_JSON, EUN_SINK_CSV "
				 "or EUN_SINK_TEXT", (int)format);
	if (format == EUN_SINK_CSV && !OPTS_GET(opts, n_trackers, 0))
		return set_error(EINVAL, "a CSV sink needs the trackers whose fields become its "
				 "columns: set opts.trackers and opts.n_trackers");
	if (OPTS_GET(opts, rotate_keep, 0) > EUN_SINK_MAX_ROTATE_KEEP)
		return set_error(EINVAL, "eun_sink_opts.rotate_keep %u is more than the %d rotated "
				 "files a sink keeps at most", OPTS_GET(opts, rotate_keep, 0),
				 EUN_SINK_MAX_ROTATE_KEEP);
	if (OPTS_GET(opts, rotate_keep, 0) && !OPTS_GET(opts, rotate_bytes, 0))
		return set_error(EINVAL, "eun_sink_opts.rotate_keep needs rotate_bytes, the size "
				 "at which the file is rotated");
	return 0;
}

/* A sink with its buffer, CSV layout and header line, but no target yet;
 * name is the target's name for messages. NULL with errno set. */
static struct eun_sink *sink_create(enum eun_sink_format format, const struct eun_sink_opts *opts,
				    const char *name)
{
	struct eun_sink *s;
	int err;

	if ((err = check_opts(format, opts)) < 0)
		return sink_fail(NULL, err);
	s = calloc(1, sizeof(*s));
	if (!s)
		return sink_fail(NULL, set_error(ENOMEM, "out of memory creating output %s", name));
	s->fd = -1;
	s->format = format;
	s->buf_cap = OPTS_GET(opts, buffer_bytes, 0) ?: DEFAULT_BUFFER_BYTES;
	s->buf = malloc(s->buf_cap);
	s->name = strdup(name);
	if (!s->buf || !s->name)
		return sink_fail(s, set_error(ENOMEM, "out of memory creating output %s", name));
	if (format == EUN_SINK_CSV) {
		s->csv = eun_csv_new(OPTS_GET(opts, trackers, NULL), OPTS_GET(opts, n_trackers, 0));
		if (!s->csv)
			return sink_fail(s, -errno);
	}
	if (!OPTS_GET(opts, no_header, false) && (err = sink_render_header(s)) < 0)
		return sink_fail(s, err);
	return s;
}

struct eun_sink *eun_sink_new_fd(int fd, enum eun_sink_format format, const struct eun_sink_opts *opts)
{
	struct eun_sink *s;
	char name[32];
	int err;

	clear_error();
	if (fd < 0)
		return sink_fail(NULL, set_error(EBADF, "eun_sink_new_fd: fd %d is not a file descriptor", fd));
	if (OPTS_GET(opts, rotate_bytes, 0) || OPTS_GET(opts, rotate_keep, 0) || OPTS_GET(opts, append, false))
		return sink_fail(NULL, set_error(EINVAL, "eun_sink_new_fd: rotate_bytes, rotate_keep and "
						 "append need a file; use eun_sink_new_file()"));
	snprintf(name, sizeof(name), "fd %d", fd);
	s = sink_create(format, opts, name);
	if (!s)
		return NULL;
	s->fd = fd;
	if ((err = sink_put_header(s)) < 0)
		return sink_fail(s, err);
	return s;
}

struct eun_sink *eun_sink_new_file(const char *path, enum eun_sink_format format,
				   const struct eun_sink_opts *opts)
{
	struct eun_sink *s;
	int err;

	clear_error();
	if (!path || !*path)
		return sink_fail(NULL, set_error(EINVAL, "eun_sink_new_file: path must be a file name"));
	s = sink_create(format, opts, path);
	if (!s)
		return NULL;
	s->path = strdup(path);
	if (!s->path)
		return sink_fail(s, set_error(ENOMEM, "out of memory creating output %s", path));
	s->owns_fd = true;
	s->rotate_bytes = OPTS_GET(opts, rotate_bytes, 0);
	s->rotate_keep = OPTS_GET(opts, rotate_keep, 0) ?: DEFAULT_ROTATE_KEEP;
	if ((err = sink_file_open(s, OPTS_GET(opts, append, false))) < 0)
		return sink_fail(s, err);
	/* An appended file that already has lines has its header already. */
	if (!s->file_bytes && (err = sink_put_header(s)) < 0)
		return sink_fail(s, err);
	return s;
}

int eun_sink_free(struct eun_sink *s)
{
	int err;

	if (!s)
		return 0;
	if (s->ctx)
		sink_detach(s);
	(void)sink_drain(s); /* a failure is kept in s->err */
	if (s->owns_fd && s->fd >= 0 && close(s->fd) < 0 && !s->err)
		s->err = errno;
	s->fd = -1;
	err = -s->err;
	sink_release(s);
	return err;
}
