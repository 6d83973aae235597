// SPDX-License-Identifier: GPL-2.0-only
/*
 * io mode of the `files` tracker (see files_io.h): drain the per process
 * and file read/write sums of files_io.bpf.h and emit them, busiest
 * first, as `io` records.
 *
 * Paths: the kernel side keeps the file's dentry name and the fd of the
 * latest call. Here the full path is read from the /proc/PID/fd/FD link,
 * and used only if stat() through that link still finds the same inode;
 * otherwise (fd closed or reused, process gone) the record carries the
 * dentry name and path_resolved is false. Only readlink() and stat(), no
 * read(): the tracker's own lookups must not show up as io of its own.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "files.skel.h"
#include "files_io.h"
#include "map_drain.h"

const struct eun_field files_io_fields[] = {
	EUN_FIELD(struct files_io_event, path, EUN_FIELD_STR, NULL, 0,
		  "full path when path_resolved, else the file's last path component"),
	EUN_FIELD(struct files_io_event, path_resolved, EUN_FIELD_BOOL, NULL, 0,
		  "path was read from /proc/PID/fd/FD (that fd still held this file)"),
	EUN_FIELD(struct files_io_event, file_type, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "regular, dir, char, block, pipe, socket or symlink"),
	EUN_FIELD(struct files_io_event, reads, EUN_FIELD_U64, "calls", EUN_FIELD_F_COUNTER,
		  "successful read, pread64 and readv calls in this interval"),
	EUN_FIELD(struct files_io_event, writes, EUN_FIELD_U64, "calls", EUN_FIELD_F_COUNTER,
		  "successful write, pwrite64 and writev calls in this interval"),
	EUN_FIELD(struct files_io_event, read_bytes, EUN_FIELD_U64, "bytes", EUN_FIELD_F_COUNTER,
		  "bytes those reads returned"),
	EUN_FIELD(struct files_io_event, write_bytes, EUN_FIELD_U64, "bytes", EUN_FIELD_F_COUNTER,
		  "bytes those writes accepted"),
	EUN_FIELD(struct files_io_event, fd, EUN_FIELD_S32, NULL, 0,
		  "file descriptor of the latest call"),
	EUN_FIELD(struct files_io_event, dev, EUN_FIELD_STR, NULL, 0,
		  "device of the file system, major:minor"),
	EUN_FIELD(struct files_io_event, ino, EUN_FIELD_U64, NULL, 0,
		  "inode number"),
};

_Static_assert(sizeof(files_io_fields) / sizeof(files_io_fields[0]) == FILES_IO_N_FIELDS,
	       "FILES_IO_N_FIELDS must count files_io_fields");

struct files_io_row {
	struct files_io_key key;
	struct files_io_stats stats;
};

/* qsort order: most bytes first, then most calls. */
static int busiest_first(const void *a, const void *b)
{
	const struct files_io_stats *x = &((const struct files_io_row *)a)->stats;
	const struct files_io_stats *y = &((const struct files_io_row *)b)->stats;
	uint64_t bx = x->read_bytes + x->write_bytes, by = y->read_bytes + y->write_bytes;
	uint64_t cx = x->reads + x->writes, cy = y->reads + y->writes;

	if (bx != by)
		return bx < by ? 1 : -1;
	if (cx != cy)
		return cx < cy ? 1 : -1;
	return 0;
}

/* Full path of the row's file from /proc when its fd still holds it, else its dentry name. */
static void resolve_path(const struct files_io_row *row, struct files_io_event *e)
{
	char link[64];
	struct stat st;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%" PRIu32 "/fd/%d", row->key.pid, row->stats.fd);
	n = readlink(link, e->path, sizeof(e->path) - 1);
	if (n > 0 && stat(link, &st) == 0 && st.st_ino == row->key.ino) {
		e->path[n] = '\0';
		e->path_resolved = 1;
		return;
	}
	snprintf(e->path, sizeof(e->path), "%.*s", (int)sizeof(row->stats.name), row->stats.name);
	e->path_resolved = 0;
}

static const char *file_type(uint32_t mode)
{
	if (S_ISREG(mode))
		return "regular";
	if (S_ISDIR(mode))
		return "dir";
	if (S_ISCHR(mode))
		return "char";
	if (S_ISBLK(mode))
		return "block";
	if (S_ISFIFO(mode))
		return "pipe";
	if (S_ISSOCK(mode))
		return "socket";
	if (S_ISLNK(mode))
		return "symlink";
	return "other";
}

static int emit_row(struct eun_skel *sp, const struct files_io_row *row)
{
	struct files_io_event e;

	memset(&e, 0, sizeof(e));
	e.hdr = row->stats.hdr;
	e.hdr.type = FILES_IO;
	e.hdr.ts_ns = 0;
	e.reads = row->stats.reads;
	e.writes = row->stats.writes;
	e.read_bytes = row->stats.read_bytes;
	e.write_bytes = row->stats.write_bytes;
	e.ino = row->key.ino;
	e.fd = row->stats.fd;
	/* The kernel's dev_t: 12-bit major above a 20-bit minor. */
	snprintf(e.dev, sizeof(e.dev), "%u:%u", row->key.dev >> 20, row->key.dev & 0xfffff);
	snprintf(e.file_type, sizeof(e.file_type), "%s", file_type(row->stats.mode));
	resolve_path(row, &e);
	return sp->host->emit(sp->t, &e, sizeof(e));
}

int files_io_collect(void *state)
{
	struct eun_skel *sp = state;
	struct files_bpf *skel = sp->skel;
	struct map_rows rows = { 0 };
	const struct files_io_row *v;
	uint64_t top = 0;
	size_t n;
	int err;

	if (!sp->loaded || !bpf_program__autoload(skel->progs.files_io_read))
		return 0;
	if ((err = eun_skel_cfg_uint(sp, "io_top", &top)))
		return err;
	err = map_drain_rows(bpf_map__fd(skel->maps.files_io_stats), sizeof(struct files_io_key),
			     sizeof(struct files_io_stats), offsetof(struct files_io_row, stats),
			     sizeof(struct files_io_row), busiest_first, &rows);
	if (err < 0) {
		sp->host->set_error(sp->t, "io: cannot read the read/write counts map: %s",
				    strerror(-err));
		free(rows.v);
		return err;
	}
	v = rows.v;
	n = top && top < rows.n ? top : rows.n;
	err = 0;
	for (size_t i = 0; i < n && !err; i++)
		err = emit_row(sp, &v[i]); /* emit() sets the error text */
	free(rows.v);
	eun_skel_warn_lost(sp, &skel->bss->files_io_full,
			   "reads and writes were not counted (io mode): more than %d (process, "
			   "file) pairs in one interval; lower interval_ms or filter by pid, uid "
			   "or comm",
			   FILES_IO_MAX_ENTRIES);
	return err;
}

/* With io off, an io-mode key set to anything but its default would be
 * ignored: refuse it. 0 or -EINVAL with the error set. */
static int refuse_io_keys(struct eun_skel *sp)
{
	uint64_t interval, top;
	const char *key = NULL;
	bool all;
	int err;

	if ((err = eun_skel_cfg_uint(sp, "interval_ms", &interval)) ||
	    (err = eun_skel_cfg_uint(sp, "io_top", &top)) ||
	    (err = eun_skel_cfg_bool(sp, "io_all", &all)))
		return err;
	if (interval != FILES_IO_DEFAULT_INTERVAL_MS)
		key = "interval_ms";
	else if (top)
		key = "io_top";
	else if (all)
		key = "io_all";
	if (!key)
		return 0;
	sp->host->set_error(sp->t, "files: config key '%s' sets up the io mode, which is off; "
			    "add io=true or remove it", key);
	return -EINVAL;
}

int files_io_configure(struct eun_skel *sp)
{
	struct files_bpf *skel = sp->skel;
	struct bpf_program *progs[] = {
		skel->progs.files_io_read,  skel->progs.files_io_pread64,  skel->progs.files_io_readv,
		skel->progs.files_io_write, skel->progs.files_io_pwrite64, skel->progs.files_io_writev,
	};
	const struct eun_host *host = sp->host;
	uint64_t interval;
	bool on;
	int err;

	if ((err = eun_skel_cfg_bool(sp, "io", &on)))
		return err;
	if (!on) {
		for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
			bpf_program__set_autoload(progs[i], false);
		return refuse_io_keys(sp);
	}
	if ((err = eun_skel_bind_bool(sp, "io_all", &skel->rodata->files_io_cfg_all)) ||
	    (err = eun_skel_cfg_uint(sp, "interval_ms", &interval)))
		return err;
	return host->set_collect_interval(sp->t, (uint32_t)interval);
}
