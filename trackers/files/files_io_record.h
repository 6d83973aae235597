/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Read/write accounting of the `files` tracker (io mode), shared by
 * files_io.bpf.h and files_io.c: the BPF side sums read and write
 * calls and bytes per process and file in a hash map; collect() drains it
 * every interval into `io` records.
 */
#ifndef EUN_TRACKER_FILES_IO_RECORD_H
#define EUN_TRACKER_FILES_IO_RECORD_H

#include <eunomia/record.h>

/* Event type id of `io` records; FILES_OPEN (files.h) is 1. */
#define FILES_IO 2

#define FILES_IO_NAME_LEN 64        /* dentry name kept by the kernel side */
#define FILES_IO_PATH_LEN 256
#define FILES_IO_MAX_ENTRIES 16384  /* (process, file) pairs per interval */

struct files_io_key {
	__u64 ino;
	__u32 dev; /* the kernel's s_dev: major << 20 | minor */
	__u32 pid; /* thread group id */
};

struct files_io_stats {
	__u64 reads;       /* read, pread64 and readv calls that succeeded */
	__u64 writes;      /* write, pwrite64 and writev calls that succeeded */
	__u64 read_bytes;
	__u64 write_bytes;
	struct eun_record_header hdr; /* the process, as seen at its first call this interval */
	__s32 fd;          /* descriptor of the latest call */
	__u32 mode;        /* i_mode of the inode (file type and permissions) */
	char name[FILES_IO_NAME_LEN]; /* last path component, from the dentry */
};

struct files_io_event {
	struct eun_record_header hdr;
	__u64 reads;
	__u64 writes;
	__u64 read_bytes;
	__u64 write_bytes;
	__u64 ino;
	__s32 fd;
	__u8 path_resolved; /* path is the full path from /proc/PID/fd, not the dentry name */
	__u8 pad_[3];
	char dev[16];       /* "major:minor" */
	char file_type[8];  /* regular, dir, char, block, pipe, socket, symlink */
	char path[FILES_IO_PATH_LEN];
};

#endif /* EUN_TRACKER_FILES_IO_RECORD_H */
