/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BPF side of the `files` tracker's io mode, included by files.bpf.c:
 * successful read, write, pread64, pwrite64, readv and writev calls,
 * counted with their bytes per process and file (inode) in files_io_stats.
 * files_io.c drains the map every interval. The programs load
 * only when the `io` config key is set (the plugin turns their autoload
 * off otherwise), so the open path pays nothing for them.
 *
 * The file is found from the fd argument in the task's fd table at
 * sys_exit; the dentry name is kept with the counts so that user space
 * can still name a file that was closed before it could resolve the path.
 */
#ifndef EUN_BPF_FILES_IO_H
#define EUN_BPF_FILES_IO_H

#include "agg_header.bpf.h"
#include "files_io_record.h"

#define FILES_IO_S_IFMT 0170000
#define FILES_IO_S_IFREG 0100000

/* Set by the plugin from its `io_all` config key: count every kind of file, not only regular ones. */
const volatile __u8 files_io_cfg_all = 0;

/* Calls not counted because files_io_stats was full; the plugin reads and resets it. */
__u64 files_io_full = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILES_IO_MAX_ENTRIES);
	__type(key, struct files_io_key);
	__type(value, struct files_io_stats);
} files_io_stats SEC(".maps");

/* The open file behind descriptor fd of the current task, or NULL. */
static __always_inline struct file *files_io_fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* The sums of key, created with the current task's header and the file's name when missing. */
static __always_inline struct files_io_stats *files_io_stats_of(struct files_io_key *key,
								struct file *f, __u32 mode)
{
	struct files_io_stats *st = bpf_map_lookup_elem(&files_io_stats, key);
	struct files_io_stats init = {};
	const unsigned char *name;

	if (st)
		return st;
	agg_header_fill(&init.hdr, FILES_IO);
	init.mode = mode;
	name = BPF_CORE_READ(f, f_path.dentry, d_name.name);
	bpf_probe_read_kernel_str(init.name, sizeof(init.name), name);
	/* Fails with EEXIST when another thread created it meanwhile (then
	 * the lookup finds theirs) and with E2BIG when the map is full. */
	bpf_map_update_elem(&files_io_stats, key, &init, BPF_NOEXIST);
	st = bpf_map_lookup_elem(&files_io_stats, key);
	if (!st)
		__sync_fetch_and_add(&files_io_full, 1);
	return st;
}

static __always_inline int files_io_account(struct trace_event_raw_sys_exit *ctx, bool write)
{
	struct files_io_stats *st;
	struct files_io_key key;
	struct inode *inode;
	struct file *f;
	long ret = ctx->ret;
	int fd;
	__u32 mode;

	if (ret < 0 || !eun_should_trace())
		return 0;
	fd = SYSCALL_ARG0(SYSCALL_REGS());
	f = files_io_fd_file(fd);
	if (!f)
		return 0;
	inode = BPF_CORE_READ(f, f_inode);
	mode = BPF_CORE_READ(inode, i_mode);
	if (!files_io_cfg_all && (mode & FILES_IO_S_IFMT) != FILES_IO_S_IFREG)
		return 0;

	key.ino = BPF_CORE_READ(inode, i_ino);
	key.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	key.pid = bpf_get_current_pid_tgid() >> 32;
	st = files_io_stats_of(&key, f, mode);
	if (!st)
		return 0;
	if (write) {
		__sync_fetch_and_add(&st->writes, 1);
		__sync_fetch_and_add(&st->write_bytes, ret);
	} else {
		__sync_fetch_and_add(&st->reads, 1);
		__sync_fetch_and_add(&st->read_bytes, ret);
	}
	st->fd = fd;
	return 0;
}

SEC("tp/syscalls/sys_exit_read")
int files_io_read(struct trace_event_raw_sys_exit *ctx)
{
	return files_io_account(ctx, false);
}

SEC("tp/syscalls/sys_exit_pread64")
int files_io_pread64(struct trace_event_raw_sys_exit *ctx)
{
	return files_io_account(ctx, false);
}

SEC("tp/syscalls/sys_exit_readv")
int files_io_readv(struct trace_event_raw_sys_exit *ctx)
{
	return files_io_account(ctx, false);
}

SEC("tp/syscalls/sys_exit_write")
int files_io_write(struct trace_event_raw_sys_exit *ctx)
{
	return files_io_account(ctx, true);
}

SEC("tp/syscalls/sys_exit_pwrite64")
int files_io_pwrite64(struct trace_event_raw_sys_exit *ctx)
{
	return files_io_account(ctx, true);
}

SEC("tp/syscalls/sys_exit_writev")
int files_io_writev(struct trace_event_raw_sys_exit *ctx)
{
	return files_io_account(ctx, true);
}

#endif /* EUN_BPF_FILES_IO_H */
