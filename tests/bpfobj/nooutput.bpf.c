// SPDX-License-Identifier: GPL-2.0-only
/* A program that sends nothing to user space: "no output map" test. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 opens = 0;

SEC("tracepoint/syscalls/sys_exit_openat")
int count_open(void *ctx)
{
	__sync_fetch_and_add(&opens, 1);
	return 0;
}
