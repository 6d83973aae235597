/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records of the `capable` tracker, shared by capable.bpf.c and
 * plugins/capable.c. The BPF side writes the numeric part only (up to
 * CAPABLE_RAW_SIZE); the plugin's decode() fills in the capability name.
 */
#ifndef EUN_TRACKER_CAPABLE_H
#define EUN_TRACKER_CAPABLE_H

#include <eunomia/record.h>

enum capable_event_type {
	CAPABLE_CHECK = 1,
};

#define CAPABLE_NAME_LEN 24

struct capable_check_event {
	struct eun_record_header hdr;
	__u32 cap;            /* CAP_* number */
	__s32 ret;            /* 0 granted, -EPERM refused */
	__u32 target_userns;  /* inode of the user namespace the capability is needed in */
	__u32 euid;           /* effective uid of the credentials checked */
	/* --- filled by decode() in user space --- */
	char cap_name[CAPABLE_NAME_LEN];
};

/* Bytes the BPF program writes: everything before the name. */
#define CAPABLE_RAW_SIZE __builtin_offsetof(struct capable_check_event, cap_name)

#endif /* EUN_TRACKER_CAPABLE_H */
