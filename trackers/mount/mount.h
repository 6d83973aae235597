/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Record of the `mount` tracker (one per mount, umount2, fsopen or
 * move_mount call), shared by mount.bpf.c and mount.c. Starts with
 * struct eun_record_header.
 */
#ifndef EUN_TRACKER_MOUNT_H
#define EUN_TRACKER_MOUNT_H

#include <eunomia/record.h>

enum mount_event_type {
	MOUNT_CALL = 1,
};

#define MOUNT_SOURCE_LEN 128
#define MOUNT_TARGET_LEN 256
#define MOUNT_FSTYPE_LEN 32
#define MOUNT_CALL_LEN 16

struct mount_event {
	struct eun_record_header hdr;
	__s64 ret;                        /* 0 (or an fd for fsopen), or -errno */
	__u64 flags;                      /* the call's flags argument as passed */
	char call[MOUNT_CALL_LEN];        /* "mount", "umount2", "fsopen", "move_mount" */
	char fstype[MOUNT_FSTYPE_LEN];
	char source[MOUNT_SOURCE_LEN];
	char target[MOUNT_TARGET_LEN];
};

#endif /* EUN_TRACKER_MOUNT_H */
