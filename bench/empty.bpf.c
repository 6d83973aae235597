// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark floor: programs on the same tracepoints an openat tracer
 * uses (syscall enter and exit of openat) that do nothing at all. The cost
 * they add to the workload is the price of running any BPF program there,
 * which no tracker can go below. Loaded by bench/empty_loader.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_openat")
int empty_enter_openat(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int empty_exit_openat(void *ctx)
{
	return 0;
}
