// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `mount` tracker: one record per mount, umount2, fsopen
 * and move_mount call, with source, target, file system type, flags and
 * result.
 *
 * Only the syscall exit tracepoints are used; the arguments are read back
 * at exit from the user registers saved at syscall entry (no enter program,
 * no hash map).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* Rare events: a 64 KiB ring holds thousands of them between two reads. */
#define EUN_RINGBUF_KB 64
#include <eunomia/bpf/eunomia.bpf.h>
#include "mount.h"
#include "syscall_args.bpf.h"

char LICENSE[] SEC("license") = "GPL";


/* Set by the plugin from its `failed_only` config key. */
const volatile __u8 mount_cfg_failed_only = 0;

/* Reserve a record for the current call and fill what every call has. */
static __always_inline struct mount_event *start_event(long ret, const char *call, __u64 flags)
{
	struct mount_event *e;

	if (!eun_should_trace())
		return 0;
	if (mount_cfg_failed_only && ret >= 0)
		return 0;
	e = eun_record_reserve(sizeof(*e), MOUNT_CALL);
	if (!e)
		return 0;
	e->ret = ret;
	e->flags = flags;
	__builtin_memcpy(e->call, call, MOUNT_CALL_LEN);
	e->fstype[0] = '\0';
	e->source[0] = '\0';
	e->target[0] = '\0';
	return e;
}

/* mount(source, target, fstype, flags, data) */
SEC("tp/syscalls/sys_exit_mount")
int handle_mount(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = SYSCALL_REGS();
	struct mount_event *e;

	e = start_event(ctx->ret, "mount\0\0\0\0\0\0\0\0\0\0", SYSCALL_ARG3(regs));
	if (!e)
		return 0;
	/* source and fstype may be NULL (remount, bind, propagation changes). */
	bpf_probe_read_user_str(e->source, sizeof(e->source), (const void *)SYSCALL_ARG0(regs));
	bpf_probe_read_user_str(e->target, sizeof(e->target), (const void *)SYSCALL_ARG1(regs));
	bpf_probe_read_user_str(e->fstype, sizeof(e->fstype), (const void *)SYSCALL_ARG2(regs));
	eun_record_submit(e);
	return 0;
}

/* umount2(target, flags); the kernel names it umount. */
SEC("tp/syscalls/sys_exit_umount")
int handle_umount(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = SYSCALL_REGS();
	struct mount_event *e;

	e = start_event(ctx->ret, "umount2\0\0\0\0\0\0\0\0", SYSCALL_ARG1(regs));
	if (!e)
		return 0;
	bpf_probe_read_user_str(e->target, sizeof(e->target), (const void *)SYSCALL_ARG0(regs));
	eun_record_submit(e);
	return 0;
}

/* fsopen(fsname, flags): the first step of a new-API mount. */
SEC("tp/syscalls/sys_exit_fsopen")
int handle_fsopen(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = SYSCALL_REGS();
	struct mount_event *e;

	e = start_event(ctx->ret, "fsopen\0\0\0\0\0\0\0\0\0", SYSCALL_ARG1(regs));
	if (!e)
		return 0;
	bpf_probe_read_user_str(e->fstype, sizeof(e->fstype), (const void *)SYSCALL_ARG0(regs));
	eun_record_submit(e);
	return 0;
}

/* move_mount(from_dfd, from_path, to_dfd, to_path, flags): attaches a mount. */
SEC("tp/syscalls/sys_exit_move_mount")
int handle_move_mount(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = SYSCALL_REGS();
	struct mount_event *e;

	e = start_event(ctx->ret, "move_mount\0\0\0\0\0", SYSCALL_ARG4(regs));
	if (!e)
		return 0;
	bpf_probe_read_user_str(e->source, sizeof(e->source), (const void *)SYSCALL_ARG1(regs));
	bpf_probe_read_user_str(e->target, sizeof(e->target), (const void *)SYSCALL_ARG3(regs));
	eun_record_submit(e);
	return 0;
}
