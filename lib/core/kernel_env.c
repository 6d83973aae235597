/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Check what starting a tracker needs from the kernel, and mount tracefs when missing. */
#include <linux/capability.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "core/core.h"

#define TRACEFS_DIR "/sys/kernel/tracing"
#define TRACEFS_MAGIC 0x74726163
#define BTF_PATH "/sys/kernel/btf/vmlinux"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* Loading tracing programs needs CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON. */
static int check_privileges(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &h, d) < 0)
		return set_error(errno, "cannot read this process's capabilities: %s", strerror(errno));
	if (has_cap(d, CAP_SYS_ADMIN) || (has_cap(d, CAP_BPF) && has_cap(d, CAP_PERFMON)))
		return 0;
	return set_error(EPERM, "loading BPF trackers needs root (CAP_SYS_ADMIN, or CAP_BPF and "
			 "CAP_PERFMON); run as root, e.g. with sudo");
}

static int check_btf(void)
{
	if (access(BTF_PATH, R_OK) == 0)
		return 0;
	return set_error(ENOTSUP, "kernel BTF is missing (%s: %s); trackers need a kernel built "
			 "with CONFIG_DEBUG_INFO_BTF=y", BTF_PATH, strerror(errno));
}

static bool tracefs_mounted(void)
{
	struct statfs st;

	return statfs(TRACEFS_DIR, &st) == 0 && st.f_type == TRACEFS_MAGIC;
}

/* libbpf resolves tp/ tracepoints through tracefs, which may be unmounted on a fresh machine. */
static int ensure_tracefs(void)
{
	if (tracefs_mounted())
		return 0;
	if (mount("nodev", TRACEFS_DIR, "tracefs", 0, NULL) == 0) {
		log_msg(EUN_LOG_INFO, "mounted tracefs at %s", TRACEFS_DIR);
		return 0;
	}
	if (errno == ENODEV)
		return set_error(ENOTSUP, "this kernel has no tracefs (CONFIG_TRACING is off); "
				 "tracepoint trackers cannot run");
	return set_error(errno == EPERM ? EPERM : ENOTSUP,
			 "tracefs is not mounted at %s and mounting it failed (%s); run as root or "
			 "mount it: mount -t tracefs nodev %s",
			 TRACEFS_DIR, strerror(errno), TRACEFS_DIR);
}

/* True if obj has a program attached through tracefs (tp/ or tracepoint/ sections). */
static bool uses_tracefs(struct bpf_object *obj)
{
	struct bpf_program *prog;

	if (!obj)
		return true; /* unknown: assume it does */
	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (bpf_program__autoload(prog) &&
		    (!strncmp(sec, "tp/", 3) || !strncmp(sec, "tracepoint/", 11)))
			return true;
	}
	return false;
}

int kernel_env_prepare(struct bpf_object *obj)
{
	int err = check_privileges();

	if (!err)
		err = check_btf();
	if (!err && uses_tracefs(obj))
		err = ensure_tracefs();
	return err;
}
