// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `files` tracker: one record per open, openat and openat2
 * call, with path, flags, mode, directory fd and result.
 *
 * Only the syscall exit tracepoints are used. The arguments are read back
 * at exit from the task's saved user registers, which saves the
 * enter-program plus hash-map stash (an update and a delete per call) that
 * would otherwise cost more than everything else here together.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include <eunomia/bpf/eunomia.bpf.h>
#include "files.h"
#include "syscall_args.bpf.h"
#include "files_io.bpf.h" /* io mode: read/write accounting, loaded only with io=true */

char LICENSE[] SEC("license") = "GPL";


/* Generic values, shared by x86 and arm64. */
#define AT_FDCWD -100
#define O_CREAT 0100
#define O_TMPFILE_ 020000000 /* __O_TMPFILE */

enum { SYS_OPEN, SYS_OPENAT, SYS_OPENAT2 };

/* Set by the plugin from its `failed_only` config key. */
const volatile __u8 files_cfg_failed_only = 0;

/* Where an open record is built before eun_record_output() copies it into
 * the ring with only as much of the path as it holds, about a third of the
 * full record for a typical path. One per CPU: programs do not nest on a
 * CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct files_open_event);
} files_scratch SEC(".maps");

static __always_inline int trace_open(struct trace_event_raw_sys_exit *ctx, int sys)
{
	struct files_open_event *e;
	struct pt_regs *regs;
	const char *path;
	__u64 flags, mode;
	__u32 zero = 0;
	long len;
	int dfd;

	if (!eun_should_trace())
		return 0;
	if (files_cfg_failed_only && ctx->ret >= 0)
		return 0;
	e = bpf_map_lookup_elem(&files_scratch, &zero);
	if (!e)
		return 0;
	eun_record_fill(&e->hdr, FILES_OPEN);

	regs = SYSCALL_REGS();
	if (sys == SYS_OPEN) { /* open(path, flags, mode) */
		dfd = AT_FDCWD;
		path = (const char *)SYSCALL_ARG0(regs);
		flags = SYSCALL_ARG1(regs);
		mode = SYSCALL_ARG2(regs);
	} else {               /* openat(dfd, path, flags, mode), openat2(dfd, path, how, size) */
		dfd = SYSCALL_ARG0(regs);
		path = (const char *)SYSCALL_ARG1(regs);
		if (sys == SYS_OPENAT) {
			flags = SYSCALL_ARG2(regs);
			mode = SYSCALL_ARG3(regs);
		} else {
			struct open_how how = {};

			bpf_probe_read_user(&how, 2 * sizeof(__u64), (const void *)SYSCALL_ARG2(regs));
			flags = how.flags;
			mode = how.mode;
		}
	}
	/* As the kernel does: the mode only counts when a file may be created
	 * (openat2 refuses a mode otherwise, so it is shown as given). */
	if (sys != SYS_OPENAT2 && !(flags & (O_CREAT | O_TMPFILE_)))
		mode = 0;

	e->ret = ctx->ret;
	e->flags = flags;
	e->mode = mode;
	e->dfd = dfd;
	e->pad_ = 0;
	if (sys == SYS_OPEN)
		__builtin_memcpy(e->syscall, "open\0\0\0", FILES_SYSCALL_LEN);
	else if (sys == SYS_OPENAT)
		__builtin_memcpy(e->syscall, "openat\0", FILES_SYSCALL_LEN);
	else
		__builtin_memcpy(e->syscall, "openat2", FILES_SYSCALL_LEN);
	len = bpf_probe_read_user_str(e->path, sizeof(e->path), path);
	if (len < 1)
		len = 1; /* unreadable path: the helper zeroed it, so "" */
	if (len > FILES_PATH_LEN)
		len = FILES_PATH_LEN;
	eun_record_output(e, offsetof(struct files_open_event, path) + len);
	return 0;
}

/* Only on architectures that still have open(2) (x86); the plugin skips it elsewhere. */
SEC("tp/syscalls/sys_exit_open")
int handle_open(struct trace_event_raw_sys_exit *ctx)
{
	return trace_open(ctx, SYS_OPEN);
}

SEC("tp/syscalls/sys_exit_openat")
int handle_openat(struct trace_event_raw_sys_exit *ctx)
{
	return trace_open(ctx, SYS_OPENAT);
}

SEC("tp/syscalls/sys_exit_openat2")
int handle_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return trace_open(ctx, SYS_OPENAT2);
}
