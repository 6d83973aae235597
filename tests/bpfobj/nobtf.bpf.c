// SPDX-License-Identifier: GPL-2.0-only
/* Compiled without -g, so without BTF: "object with no BTF" test. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/syscalls/sys_exit_openat")
int nothing(void *ctx)
{
	return 0;
}
