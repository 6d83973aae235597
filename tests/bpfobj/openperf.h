/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The record of openperf.bpf.c, in the style of libbpf-tools: a struct in
 * a header shared with user space, sent as a local variable through a
 * perf buffer, so the object's BTF never carries it.
 */
#ifndef OPENPERF_H
#define OPENPERF_H

#define OPENPERF_COMM_LEN 16
#define OPENPERF_NAME_LEN 256

struct ids {
	__u32 tid;
	__u32 ppid;
};

struct event {
	__u64 ts;        /* bpf_ktime_get_ns() */
	pid_t pid;       /* thread group id */
	uid_t uid;
	int ret;         /* fd, or -errno */
	int flags;       /* open flags */
	struct ids ids;
	__u64 callers[2];
	char comm[OPENPERF_COMM_LEN];
	char fname[OPENPERF_NAME_LEN];
};

#endif /* OPENPERF_H */
