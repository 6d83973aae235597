/* SPDX-License-Identifier: GPL-2.0-only */
/* The record of bpfobj_open.bpf.c: a libbpf-tools-style struct in a header. */
#ifndef BPFOBJ_OPEN_H
#define BPFOBJ_OPEN_H

struct bench_open {
	__u64 ts;      /* bpf_ktime_get_ns() */
	pid_t pid;
	uid_t uid;
	int ret;
	int flags;
	char comm[16];
	char fname[64];
};

#endif /* BPFOBJ_OPEN_H */
