/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The socket behind a file descriptor of the current task, for programs
 * on syscall exit tracepoints (bind, accept): the fd table read with CO-RE
 * reads, the file checked to be a socket inode. Include after vmlinux.h.
 */
#ifndef EUNOMIA_FD_SOCKET_H
#define EUNOMIA_FD_SOCKET_H

#include <bpf/bpf_core_read.h>

#define FD_SOCKET_S_IFMT 00170000
#define FD_SOCKET_S_IFSOCK 0140000

/* The socket behind fd in the current task's fd table, or NULL. */
static __always_inline struct socket *fd_socket(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = 0;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & FD_SOCKET_S_IFMT) != FD_SOCKET_S_IFSOCK)
		return 0;
	return BPF_CORE_READ(f, private_data);
}

#endif /* EUNOMIA_FD_SOCKET_H */
