/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records of the `signal` tracker, shared by signal.bpf.c and
 * signal.c. The BPF side writes the numeric part only (up to
 * SIGNAL_RAW_SIZE); the plugin's decode() fills in the two names.
 */
#ifndef EUN_TRACKER_SIGNAL_H
#define EUN_TRACKER_SIGNAL_H

#include <eunomia/record.h>

enum signal_event_type {
	SIGNAL_SEND = 1,
};

/* Values of `result`, as the signal_generate tracepoint reports them. */
enum signal_result {
	SIGNAL_RES_DELIVERED = 0,
	SIGNAL_RES_IGNORED = 1,
	SIGNAL_RES_ALREADY_PENDING = 2,
	SIGNAL_RES_OVERFLOW_FAIL = 3,
	SIGNAL_RES_LOSE_INFO = 4,
};

#define SIGNAL_NAME_LEN 16

struct signal_send_event {
	struct eun_record_header hdr;
	__u32 target_pid;  /* thread group id of the receiving task */
	__u32 target_tid;  /* thread id of the receiving task */
	char target_comm[EUN_COMM_LEN];
	__u32 sig;
	__s32 code;        /* si_code (SI_USER 0, SI_KERNEL 0x80, SI_TKILL -6, ...) */
	__s32 result;      /* enum signal_result */
	__u8 group;        /* sent to the whole thread group */
	__u8 pad_[3];
	/* --- filled by decode() in user space --- */
	char sig_name[SIGNAL_NAME_LEN];
	char result_name[SIGNAL_NAME_LEN];
};

/* Bytes the BPF program writes: everything before the names. */
#define SIGNAL_RAW_SIZE __builtin_offsetof(struct signal_send_event, sig_name)

#endif /* EUN_TRACKER_SIGNAL_H */
