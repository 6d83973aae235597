// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark floor: programs that do nothing at all, on the tracepoints
 * each measured tracer uses. The cost they add to a workload is the price
 * of running any BPF program there, which no tracker can go below. Loaded
 * by bench/empty_loader.c, one set at a time:
 *   open       syscall exit of openat (the files tracker)
 *   open_pair  syscall enter and exit of openat (opensnoop)
 *   exec       sched_process_exec and _exit (the process tracker, whose
 *              fork event is off by default)
 *   tcp        inet_sock_set_state (the tcp tracker, tcplife)
 *   sys_enter  the BTF tracepoint sys_enter (the seccomp tracker)
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

SEC("tp_btf/sched_process_exec")
int empty_exec(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_process_exit")
int empty_exit(void *ctx)
{
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int empty_sock_state(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int empty_sys_enter(void *ctx)
{
	return 0;
}
