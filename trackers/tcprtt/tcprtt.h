/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Maps and records of the `tcprtt` tracker, shared by tcprtt.bpf.c and
 * tcprtt.c. The BPF side adds every smoothed-RTT sample to a log2
 * histogram in tcprtt_hists under the configured key; the plugin's
 * collect() turns each entry into one `rtt` record and deletes it.
 */
#ifndef EUN_TRACKER_TCPRTT_H
#define EUN_TRACKER_TCPRTT_H

#include <eunomia/record.h>

enum tcprtt_event_type {
	TCPRTT_RTT = 1,
};

/* What the histograms are keyed by (config key `key`). */
enum tcprtt_key_kind {
	TCPRTT_KEY_RADDR = 0,
	TCPRTT_KEY_LADDR,
	TCPRTT_KEY_RPORT,
	TCPRTT_KEY_LPORT,
	TCPRTT_KEY_NONE,
};

#define TCPRTT_SLOTS 32       /* 1 us .. 2^31 us */
#define TCPRTT_MAX_KEYS 10240 /* distinct keys per interval */
#define TCPRTT_ADDR_LEN 46    /* INET6_ADDRSTRLEN */

/* Key of tcprtt_hists: the parts not selected by `key` are zero. */
struct tcprtt_key {
	__u16 family; /* AF_INET or AF_INET6 for address keys, else 0 */
	__u16 port;   /* host order, for port keys, else 0 */
	__u8 addr[16]; /* IPv4 in the first 4 bytes, network order */
};

/* Value of tcprtt_hists. */
struct tcprtt_hist {
	__u64 slots[TCPRTT_SLOTS];
	__u64 sum_us;
	__u64 count;
};

/* One record emitted by collect(). */
struct tcprtt_rtt_event {
	struct eun_record_header hdr;
	char family[8];                /* inet, inet6, "" when not keyed by address */
	char addr[TCPRTT_ADDR_LEN];    /* text, "" when not keyed by address */
	__u16 port;                    /* 0 when not keyed by port */
	__u64 count;
	__u64 srtt_sum;
	__u64 srtt[TCPRTT_SLOTS];
};

#endif /* EUN_TRACKER_TCPRTT_H */
