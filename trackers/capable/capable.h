/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records of the `capable` tracker, shared by capable.bpf.c and
 * capable.c. The BPF side writes struct capable_raw_event: the
 * numbers and the innermost kernel frames of the check; the plugin's
 * decode() turns it into struct capable_check_event, with the capability
 * name, the kernel function that asked for the check and whether that
 * function asks for an audited check.
 */
#ifndef EUN_TRACKER_CAPABLE_H
#define EUN_TRACKER_CAPABLE_H

#include <eunomia/record.h>

enum capable_event_type {
	CAPABLE_CHECK = 1,
};

#define CAPABLE_NAME_LEN 24
#define CAPABLE_CALLER_LEN 48
#define CAPABLE_AUDIT_LEN 8
/* Kernel frames kept: the tracepoint's own frames, cap_capable,
 * security_capable and the caller fit in 8 with room to spare. */
#define CAPABLE_FRAMES 8

/* What the BPF program submits. */
struct capable_raw_event {
	struct eun_record_header hdr;
	__u32 cap;            /* CAP_* number */
	__s32 ret;            /* 0 granted, -EPERM refused */
	__u32 target_userns;  /* inode of the user namespace the capability is needed in */
	__u32 euid;           /* effective uid of the credentials checked */
	__u64 frames[CAPABLE_FRAMES]; /* kernel return addresses, innermost first, 0 after the last */
};

/* The record the plugin hands out (after decode): the same numbers, then text. */
struct capable_check_event {
	struct eun_record_header hdr;
	__u32 cap;
	__s32 ret;
	__u32 target_userns;
	__u32 euid;
	char cap_name[CAPABLE_NAME_LEN];
	char caller[CAPABLE_CALLER_LEN]; /* kernel function that asked, e.g. ns_capable */
	char audit[CAPABLE_AUDIT_LEN];   /* yes, no or unknown */
};

#endif /* EUN_TRACKER_CAPABLE_H */
