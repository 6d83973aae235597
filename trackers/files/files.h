/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Record of the `files` tracker (one per open/openat/openat2 call), shared
 * by files.bpf.c and files.c. Starts with struct eun_record_header.
 */
#ifndef EUN_TRACKER_FILES_H
#define EUN_TRACKER_FILES_H

#include <eunomia/record.h>

enum files_event_type {
	FILES_OPEN = 1,
};

#define FILES_PATH_LEN 256
#define FILES_SYSCALL_LEN 8

struct files_open_event {
	struct eun_record_header hdr;
	__s64 ret;      /* fd, or -errno */
	__u32 flags;    /* O_* flags as passed */
	__u32 mode;     /* creation mode; 0 unless O_CREAT/O_TMPFILE */
	__s32 dfd;      /* directory fd; AT_FDCWD (-100) for open() */
	__u32 pad_;
	char syscall[FILES_SYSCALL_LEN]; /* "open", "openat" or "openat2" */
	char path[FILES_PATH_LEN];
};

#endif /* EUN_TRACKER_FILES_H */
