// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `seccomp` tracker (records in seccomp.h).
 *
 * Record mode (the default): which syscalls, per ABI and phase, the tasks
 * of one subject make, counted in the seccomp_rows array (one slot per
 * syscall number), with argument values of a few syscalls in seccomp_args
 * and, optionally, capability checks in seccomp_caps. The subject is the
 * common cgroup filter (eun_should_trace()), or a cgroup awaited by name:
 * the first cgroup v2 directory made whose name is the awaited container
 * id (ID, or PREFIX-ID[.scope] as systemd names it) becomes the subject
 * from that moment, before any task enters it, so its first syscall is
 * recorded whatever the runtime.
 *
 * Phases: a task is the runtime's until its first exec in the subject,
 * then the workload's; its children inherit its phase. For an awaited
 * container, only an exec in a mount namespace other than the one of the
 * task that made the cgroup counts (a runtime re-executing itself before
 * it enters the container's namespaces is still the runtime). A seccomp
 * filter installed before that exec moves the task (with TSYNC, its
 * process) to the filtered phase: what the runtime does under the profile.
 * So does no_new_privs set before it, for the whole process: a runtime sets
 * it to install the profile unprivileged, just before it does. A runtime's
 * threads but its first are in the filtered phase from the start: TSYNC
 * puts them under the profile too, and their housekeeping (Go's futexes and
 * sleeps) recurs at any moment, in the thread that installs it as well.
 *
 * Watch mode: tasks under a seccomp filter in the cgroup; a syscall the
 * filter answered with an errno is one whose sys_exit came without a
 * sys_enter (seccomp runs before the enter tracepoint and skips it), a
 * call outside the allowed list is caught at sys_enter (log action), a
 * task killed by the filter leaves seccomp mode DEAD at its exit.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define EUN_RINGBUF_KB 64 /* rare records only */
#include <eunomia/bpf/eunomia.bpf.h>
#include "seccomp.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- set by the plugin before load ------------------------------------ */

/* Phase of a task without one of its own: WORKLOAD when the subject runs
 * already (nothing to tell apart), RUNTIME when it is started for us. */
const volatile __u8 seccomp_cfg_start_phase = SECCOMP_PHASE_WORKLOAD;
/* Await a cgroup named seccomp_cfg_await_name (seccomp_cfg_await_len bytes). */
const volatile __u8 seccomp_cfg_await = 0;
const volatile __u32 seccomp_cfg_await_len = 0;
const volatile char seccomp_cfg_await_name[128] = {};
/* Watch mode: report calls outside seccomp_allowed at sys_enter. */
const volatile __u8 seccomp_cfg_check_allowed = 0;
/* The syscalls looked at more closely, by ABI and slot (enum seccomp_kind). */
const volatile __u8 seccomp_kind_of[SECCOMP_ABIS][SECCOMP_SLOTS] = {};

/* ---- state the programs share ----------------------------------------- */

/* The awaited subject once found: its cgroup id (0: not yet) and depth,
 * and the mount namespace of the task that made it (the runtime's). */
__u64 seccomp_subject_cgid = 0;
__u32 seccomp_subject_level = 0;
__u32 seccomp_runtime_mntns = 0;
__u64 seccomp_subject_claim = 0;
/* Calls whose number has no slot; capability checks not counted (map full). */
__u64 seccomp_nr_unknown = 0;
__u64 seccomp_caps_full = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SECCOMP_ROWS);
	__type(key, __u32);
	__type(value, struct seccomp_row);
} seccomp_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SECCOMP_ROWS * SECCOMP_ARG_KINDS);
	__type(key, __u32);
	__type(value, struct seccomp_arg_set);
} seccomp_args SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct seccomp_task);
} seccomp_tasks SEC(".maps");

/* Processes of the runtime phase that installed a filter on all their
 * threads (SECCOMP_FILTER_FLAG_TSYNC). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} seccomp_tsync SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SECCOMP_CAP_ENTRIES);
	__type(key, struct seccomp_cap_key);
	__type(value, struct seccomp_cap_val);
} seccomp_caps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, SECCOMP_CAP_ENTRIES);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, SECCOMP_CAP_FRAMES * sizeof(__u64));
} seccomp_cap_stacks SEC(".maps");

/* Watch mode, log action: bit nr of word [abi][nr / 64] set when allowed. */
#define SECCOMP_ALLOWED_WORDS (SECCOMP_SLOTS / 64)
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SECCOMP_ABIS * SECCOMP_ALLOWED_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} seccomp_allowed SEC(".maps");

/* ---- the task, its ABI and its phase ---------------------------------- */

#define TS_COMPAT_ 0x0002   /* x86 thread_info.status: in a 32-bit syscall */
#define TIF_32BIT_ 22       /* arm64 thread_info.flags: a 32-bit task */
#define SECCOMP_MODE_FILTER_ 2
#define SECCOMP_MODE_DEAD_ 3 /* killed by its filter */

/* True when `task`, the current task, belongs to the subject. */
static __always_inline int in_subject(struct task_struct *task)
{
	if (seccomp_cfg_await) {
		__u64 cg = seccomp_subject_cgid;

		if (!cg || !eun_task_in_cgroup(task, cg, seccomp_subject_level))
			return 0;
	}
	return eun_should_trace_task(task);
}

/* ABI of the syscall nr the task is making. */
static __always_inline __u64 abi_of(struct task_struct *task, long nr)
{
#if defined(__TARGET_ARCH_x86)
	if (task->thread_info.status & TS_COMPAT_)
		return SECCOMP_ABI_COMPAT;
	if (nr & SECCOMP_X32_BIT)
		return SECCOMP_ABI_X32;
#elif defined(__TARGET_ARCH_arm64)
	if (task->thread_info.flags & (1UL << TIF_32BIT_))
		return SECCOMP_ABI_COMPAT;
#endif
	return SECCOMP_ABI_NATIVE;
}

/* Slot of nr in a row of its ABI, or SECCOMP_SLOTS if it has none. */
static __always_inline __u64 slot_of(long nr, __u64 abi)
{
	__u64 n = (__u64)nr;

	if (abi == SECCOMP_ABI_X32)
		n &= ~(__u64)SECCOMP_X32_BIT;
	if (n < SECCOMP_NR_DIRECT)
		return n;
	if (n >= SECCOMP_ARM_NR_BASE && n < SECCOMP_ARM_NR_BASE + (SECCOMP_SLOTS - SECCOMP_NR_DIRECT))
		return SECCOMP_NR_DIRECT + (n - SECCOMP_ARM_NR_BASE);
	return SECCOMP_SLOTS;
}

/* Syscall argument i (0-2) as the filter sees it: 32 bits for a compat call. */
static __always_inline __u64 arg_of(struct pt_regs *regs, __u64 abi, int i)
{
#if defined(__TARGET_ARCH_x86)
	if (abi == SECCOMP_ABI_COMPAT)
		return (__u32)(i == 0 ? regs->bx : i == 1 ? regs->cx : regs->dx);
	return i == 0 ? regs->di : i == 1 ? regs->si : regs->dx;
#elif defined(__TARGET_ARCH_arm64)
	__u64 v = regs->regs[i];

	return abi == SECCOMP_ABI_COMPAT ? (__u32)v : v;
#else
#error "syscall argument registers are only defined for x86 and arm64"
#endif
}

/* The number of the syscall the task is in (from its saved registers). */
static __always_inline long current_nr(struct task_struct *task)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

#if defined(__TARGET_ARCH_x86)
	return regs->orig_ax;
#elif defined(__TARGET_ARCH_arm64)
	return regs->syscallno;
#endif
}

/* Phase of the task, and its own state when it has one. */
static __always_inline __u64 phase_of(struct task_struct *task)
{
	struct seccomp_task *t;
	__u32 tgid;

	if (seccomp_cfg_start_phase == SECCOMP_PHASE_WORKLOAD)
		return SECCOMP_PHASE_WORKLOAD;
	t = bpf_task_storage_get(&seccomp_tasks, task, 0, 0);
	if (t && t->phase != SECCOMP_PHASE_RUNTIME)
		return t->phase;
	tgid = task->tgid;
	/* A runtime's other threads run under its profile as soon as it is
	 * installed (TSYNC), and what they do (a language runtime's futexes,
	 * sleeps, signals, memory) happens at any time, then too. */
	if (task->pid != tgid || bpf_map_lookup_elem(&seccomp_tsync, &tgid))
		return SECCOMP_PHASE_FILTERED;
	return SECCOMP_PHASE_RUNTIME;
}

/* ---- record mode -------------------------------------------------------- */

/* Count one call in slot i of row r; the first one also notes when and who. */
static __always_inline void slot_count(struct seccomp_row *r, __u64 i)
{
	struct seccomp_slot *s;

	/* Checked here, right at the access: a check made before a spill of i
	 * is not always known to the verifier after it. */
	asm volatile("" : "+r"(i));
	if (i >= SECCOMP_SLOTS)
		return;
	s = &r->slot[i];
	if (!s->first_ns &&
	    __sync_val_compare_and_swap(&s->first_ns, 0, bpf_ktime_get_boot_ns()) == 0) {
		s->first_pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(s->first_comm, sizeof(s->first_comm));
	}
	__sync_fetch_and_add(&s->count, 1);
}

/* The kind of syscall slot i of abi (checked at the access, as in slot_count()). */
static __always_inline __u64 kind_of(__u64 abi, __u64 i)
{
	asm volatile("" : "+r"(i), "+r"(abi));
	if (i >= SECCOMP_SLOTS || abi >= SECCOMP_ABIS)
		return SECCOMP_KIND_NONE;
	return seccomp_kind_of[abi][i];
}

/* Add v to the argument set of kind in row. */
static __always_inline void arg_add(__u32 row, __u64 kind, __u64 v)
{
	__u32 idx = row * SECCOMP_ARG_KINDS + (__u32)kind;
	struct seccomp_arg_set *set = bpf_map_lookup_elem(&seccomp_args, &idx);

	if (!set)
		return;
	v |= SECCOMP_ARG_USED;
	for (int i = 0; i < SECCOMP_ARG_VALUES; i++) {
		__u64 cur = set->v[i];

		if (cur == v)
			return;
		if (!cur) {
			cur = __sync_val_compare_and_swap(&set->v[i], 0, v);
			if (!cur || cur == v)
				return;
		}
	}
	__sync_fetch_and_add(&set->overflow, 1);
}

/* The task (and with TSYNC its process) installs a seccomp filter. */
static __always_inline void mark_filtered(struct task_struct *task, int tsync)
{
	struct seccomp_task *t;
	__u32 tgid = task->tgid;
	__u8 one = 1;

	t = bpf_task_storage_get(&seccomp_tasks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (t)
		t->phase = SECCOMP_PHASE_FILTERED;
	if (tsync)
		bpf_map_update_elem(&seccomp_tsync, &tgid, &one, BPF_ANY);
}

/* What a closer-looked-at syscall tells: its argument value, a filter install. */
static __always_inline void on_kind(__u64 kind, struct pt_regs *regs, struct task_struct *task,
				    __u64 abi, __u64 phase, __u32 row)
{
	__u64 a0 = arg_of(regs, abi, 0), flags = 0;

	switch (kind) {
	case SECCOMP_KIND_CLONE:
		arg_add(row, kind, a0 & SECCOMP_CLONE_NS_MASK);
		break;
	case SECCOMP_KIND_CLONE3:
		if (!bpf_probe_read_user(&flags, sizeof(flags), (const void *)a0))
			arg_add(row, kind, flags & SECCOMP_CLONE_NS_MASK);
		break;
	case SECCOMP_KIND_UNSHARE:
		arg_add(row, kind, a0 & SECCOMP_UNSHARE_NS_MASK);
		break;
	case SECCOMP_KIND_SOCKET:
		arg_add(row, kind, (a0 & 0xffffffffULL) << 32 |
					   (arg_of(regs, abi, 1) & SECCOMP_SOCK_TYPE_MASK));
		break;
	case SECCOMP_KIND_PERSONALITY:
		arg_add(row, kind, a0 & 0xffffffffULL);
		break;
	case SECCOMP_KIND_PRCTL:
		arg_add(row, kind, a0 & 0xffffffffULL);
		if (phase != SECCOMP_PHASE_RUNTIME)
			break;
		/* PR_SET_SECCOMP, SECCOMP_MODE_FILTER: this thread */
		if (a0 == 22 && arg_of(regs, abi, 1) == 2)
			mark_filtered(task, 0);
		/* PR_SET_NO_NEW_PRIVS, 1: what a runtime does to install the
		 * profile without privileges, as late as it can, on all its
		 * threads (TSYNC); from here on it may run under the profile. */
		if (a0 == 38 && arg_of(regs, abi, 1) == 1)
			mark_filtered(task, 1);
		break;
	case SECCOMP_KIND_IOCTL:
		arg_add(row, kind, arg_of(regs, abi, 1) & 0xffffffffULL);
		break;
	case SECCOMP_KIND_MMAP:
	case SECCOMP_KIND_MPROTECT:
		arg_add(row, kind, arg_of(regs, abi, 2) & SECCOMP_PROT_EXEC);
		break;
	case SECCOMP_KIND_SECCOMP:
		/* SECCOMP_SET_MODE_FILTER with a program (libseccomp probes the
		 * flags the kernel knows with a NULL one); flag TSYNC */
		if (phase == SECCOMP_PHASE_RUNTIME && a0 == 1 && arg_of(regs, abi, 2))
			mark_filtered(task, arg_of(regs, abi, 1) & 1);
		break;
	}
}

SEC("tp_btf/sys_enter")
int BPF_PROG(record_enter, struct pt_regs *regs, long nr)
{
	struct task_struct *task;
	struct seccomp_row *r;
	__u64 abi, phase, kind, slot;
	__u32 row;

	if (nr < 0) /* -1: a tracer or seccomp cancelled the call */
		return 0;
	task = bpf_get_current_task_btf();
	if (!in_subject(task))
		return 0;
	abi = abi_of(task, nr);
	slot = slot_of(nr, abi);
	if (slot >= SECCOMP_SLOTS) {
		__sync_fetch_and_add(&seccomp_nr_unknown, 1);
		return 0;
	}
	phase = phase_of(task);
	row = (__u32)(abi * SECCOMP_PHASES + phase);
	r = bpf_map_lookup_elem(&seccomp_rows, &row);
	if (!r)
		return 0;
	slot_count(r, slot);
	kind = kind_of(abi, slot);
	if (kind)
		on_kind(kind, regs, task, abi, phase, row);
	return 0;
}

/* An exec: the first one of a runtime task inside the subject (in a mount
 * namespace of its own for a container) starts its workload. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(record_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct seccomp_workload_raw *e;
	struct task_struct *task;
	struct seccomp_task *t;
	struct seccomp_row *r;
	__u64 abi, slot;
	__u32 row, tgid;
	long nr;

	task = bpf_get_current_task_btf();
	if (seccomp_cfg_start_phase == SECCOMP_PHASE_WORKLOAD || !in_subject(task))
		return 0;
	t = bpf_task_storage_get(&seccomp_tasks, task, 0, 0);
	if (t && t->phase == SECCOMP_PHASE_WORKLOAD)
		return 0;
	if (seccomp_runtime_mntns &&
	    eun_task_ro(task)->nsproxy->mnt_ns->ns.inum == seccomp_runtime_mntns)
		return 0;
	t = bpf_task_storage_get(&seccomp_tasks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t)
		return 0;
	t->phase = SECCOMP_PHASE_WORKLOAD;
	tgid = task->tgid;
	bpf_map_delete_elem(&seccomp_tsync, &tgid);

	/* The exec call itself is the workload's too: the profile must allow it. */
	nr = current_nr(task);
	abi = abi_of(task, nr);
	slot = slot_of(nr, abi);
	row = (__u32)(abi * SECCOMP_PHASES + SECCOMP_PHASE_WORKLOAD);
	r = bpf_map_lookup_elem(&seccomp_rows, &row);
	if (r && slot < SECCOMP_SLOTS)
		slot_count(r, slot);

	e = eun_record_reserve(sizeof(*e), SECCOMP_WORKLOAD);
	if (!e)
		return 0;
	e->abi = (__u32)abi;
	e->nr = (__u32)nr;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), bprm->filename);
	eun_record_submit(e);
	return 0;
}

/* A new task starts in its parent's phase (a filter is inherited too). */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(record_fork, struct task_struct *parent, struct task_struct *child)
{
	struct seccomp_task *pt, *ct;
	__u32 phase;

	if (seccomp_cfg_start_phase == SECCOMP_PHASE_WORKLOAD || !in_subject(parent))
		return 0;
	pt = bpf_task_storage_get(&seccomp_tasks, parent, 0, 0);
	if (pt) {
		phase = pt->phase;
	} else {
		__u32 tgid = parent->tgid;

		if (!bpf_map_lookup_elem(&seccomp_tsync, &tgid))
			return 0;
		phase = SECCOMP_PHASE_FILTERED;
	}
	ct = bpf_task_storage_get(&seccomp_tasks, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (ct)
		ct->phase = phase;
	return 0;
}

/* Report the subject's cgroup, found or gone. */
static __always_inline void subject_event(struct cgroup *cgrp, const char *path, __u32 state)
{
	struct seccomp_subject_event *e = eun_record_reserve(sizeof(*e), SECCOMP_SUBJECT);

	if (!e)
		return;
	e->cgid = cgrp->kn->id;
	e->level = cgrp->level;
	e->state = state;
	bpf_probe_read_kernel_str(e->path, sizeof(e->path), path);
	eun_record_submit(e);
}

/* True when a cgroup directory name (len bytes in a 128-byte buffer) is
 * the awaited id: ID itself, or PREFIX-ID or PREFIX-ID.scope (systemd
 * units), but not a conmon's. Every index is masked into the buffer, which
 * is all the verifier needs; the length checks keep the logic right. */
static __always_inline int name_matches(const char *name, __u64 len)
{
#define AT(i) name[(i) & 127]
	__u64 n = seccomp_cfg_await_len, start;

	if (len >= 6 && AT(len - 6) == '.' && AT(len - 5) == 's' && AT(len - 4) == 'c' &&
	    AT(len - 3) == 'o' && AT(len - 2) == 'p' && AT(len - 1) == 'e')
		len -= 6;
	if (n == 0 || n > 127 || len < n)
		return 0;
	start = len - n;
	if (start > 0 && AT(start - 1) != '-')
		return 0;
	if (start >= 7 && AT(start - 7) == 'c' && AT(start - 6) == 'o' && AT(start - 5) == 'n' &&
	    AT(start - 4) == 'm' && AT(start - 3) == 'o' && AT(start - 2) == 'n')
		return 0;
	for (__u64 i = 0; i < 127; i++) {
		if (i >= n)
			break;
		if (AT(start + i) != seccomp_cfg_await_name[i])
			return 0;
	}
	return 1;
#undef AT
}

/* The awaited container's cgroup is made: it becomes the subject. */
SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(await_mkdir, struct cgroup *cgrp, const char *path)
{
	struct task_struct *task;
	char name[128] = {};
	long len;

	if (!seccomp_cfg_await || seccomp_subject_cgid)
		return 0;
	task = eun_task_ro(bpf_get_current_task_btf());
	/* cgroup v2 only: v1 hierarchies number their cgroups apart. */
	if (cgrp->root != task->cgroups->dfl_cgrp->root)
		return 0;
	len = bpf_probe_read_kernel_str(name, sizeof(name), cgrp->kn->name);
	if (len <= 1 || !name_matches(name, (__u64)len - 1))
		return 0;
	if (__sync_val_compare_and_swap(&seccomp_subject_claim, 0, 1) != 0)
		return 0;
	seccomp_subject_level = cgrp->level;
	seccomp_runtime_mntns = task->nsproxy->mnt_ns->ns.inum;
	seccomp_subject_cgid = cgrp->kn->id;
	subject_event(cgrp, path, SECCOMP_SUBJECT_FOUND);
	return 0;
}

/* The subject's cgroup is removed: the container (or cgroup) is gone. An
 * awaited container may be made again (a restart) and is then awaited. */
SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(subject_rmdir, struct cgroup *cgrp, const char *path)
{
	__u64 id = cgrp->kn->id;

	if (seccomp_cfg_await) {
		if (!seccomp_subject_cgid || id != seccomp_subject_cgid)
			return 0;
		subject_event(cgrp, path, SECCOMP_SUBJECT_GONE);
		seccomp_subject_cgid = 0;
		seccomp_subject_claim = 0;
		return 0;
	}
	if (eun_cfg_cgroup_id && id == eun_cfg_cgroup_id)
		subject_event(cgrp, path, SECCOMP_SUBJECT_GONE);
	return 0;
}

/* A capability check of a task of the subject. */
SEC("tp_btf/cap_capable")
int BPF_PROG(record_cap, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	struct task_struct *task;
	struct seccomp_cap_key key = {};
	struct seccomp_cap_val *v, init = {};

	task = bpf_get_current_task_btf();
	if (!in_subject(task))
		return 0;
	key.phase = phase_of(task);
	key.cap = cap;
	key.granted = ret == 0;
	key.override = eun_task_ro(task)->cred != eun_task_ro(task)->real_cred;
	key.stack_id = bpf_get_stackid(ctx, &seccomp_cap_stacks, 0);
	v = bpf_map_lookup_elem(&seccomp_caps, &key);
	if (!v) {
		init.first_ns = bpf_ktime_get_boot_ns();
		init.first_pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(init.first_comm, sizeof(init.first_comm));
		bpf_map_update_elem(&seccomp_caps, &key, &init, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&seccomp_caps, &key);
		if (!v) {
			__sync_fetch_and_add(&seccomp_caps_full, 1);
			return 0;
		}
	}
	__sync_fetch_and_add(&v->count, 1);
	return 0;
}

/* ---- watch mode ----------------------------------------------------------- */

static __always_inline void denied_event(struct task_struct *task, long nr, int err,
					 __u32 action)
{
	struct seccomp_denied_raw *e = eun_record_reserve(sizeof(*e), SECCOMP_DENIED);

	if (!e)
		return;
	e->abi = (__u32)abi_of(task, nr);
	e->nr = e->abi == SECCOMP_ABI_X32 ? (__u32)nr & ~SECCOMP_X32_BIT : (__u32)nr;
	e->err = err;
	e->action = action;
	eun_record_submit(e);
}

/* True when the allowed list has nr of abi. */
static __always_inline int allowed(__u64 abi, __u64 slot)
{
	__u32 idx = (__u32)(abi * SECCOMP_ALLOWED_WORDS + slot / 64);
	__u64 *w = bpf_map_lookup_elem(&seccomp_allowed, &idx);

	return w && (*w >> (slot % 64) & 1);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(watch_enter, struct pt_regs *regs, long nr)
{
	struct task_struct *task;
	struct seccomp_task *t;
	__u64 abi, slot;

	task = bpf_get_current_task_btf();
	if (task->seccomp.mode != SECCOMP_MODE_FILTER_ || !eun_should_trace_task(task))
		return 0;
	t = bpf_task_storage_get(&seccomp_tasks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (t)
		t->entered = 1;
	if (!seccomp_cfg_check_allowed || nr < 0)
		return 0;
	abi = abi_of(task, nr);
	slot = slot_of(nr, abi);
	if (slot >= SECCOMP_SLOTS || !allowed(abi, slot))
		denied_event(task, nr, 0, SECCOMP_DENY_LOG);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(watch_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task;
	struct seccomp_task *t;

	task = bpf_get_current_task_btf();
	if (task->seccomp.mode != SECCOMP_MODE_FILTER_ || !eun_should_trace_task(task))
		return 0;
	t = bpf_task_storage_get(&seccomp_tasks, task, 0, 0);
	if (t && t->entered) {
		t->entered = 0;
		return 0;
	}
	/* No sys_enter: the filter answered; an errno if ret is one. */
	if (ret < 0 && ret >= -4095)
		denied_event(task, current_nr(task), (int)-ret, SECCOMP_DENY_ERRNO);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(watch_dead, struct task_struct *p)
{
	struct task_struct *task = bpf_get_current_task_btf();

	if (task->seccomp.mode != SECCOMP_MODE_DEAD_ || !eun_should_trace_task(task))
		return 0;
	denied_event(task, current_nr(task), 0, SECCOMP_DENY_KILL);
	return 0;
}
