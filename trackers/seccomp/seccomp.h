/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Maps and records of the `seccomp` tracker, shared by seccomp.bpf.c and
 * the plugin (seccomp.c).
 *
 * Record mode: for its one subject (a cgroup subtree, or a container's
 * cgroup awaited by name), the BPF side keeps, per ABI and phase, one row
 * of SECCOMP_SLOTS slots (count, first call, first process) indexed by
 * syscall number, and small sets of values of a few arguments. Nothing
 * goes through the ring per syscall; collect() reads the rows and emits
 * what changed. The ring carries only rare events: the subject's cgroup
 * found or removed, a task's workload started (its first exec).
 *
 * Watch mode: denied syscalls of tasks under a seccomp filter, one ring
 * record each (decode() names the syscall).
 */
#ifndef EUN_TRACKER_SECCOMP_H
#define EUN_TRACKER_SECCOMP_H

#include <eunomia/record.h>

enum seccomp_event_type {
	SECCOMP_CALL = 1,     /* collect: calls of one syscall in one ABI and phase */
	SECCOMP_ARG = 2,      /* collect: one argument value seen */
	SECCOMP_CAP = 3,      /* collect: capability checks of one kind */
	SECCOMP_SUBJECT = 4,  /* ring: the subject's cgroup was found or removed */
	SECCOMP_WORKLOAD = 5, /* ring: a task of the subject started its workload */
	SECCOMP_DENIED = 6,   /* ring (watch mode): a syscall was denied */
};

/* ABIs: rows of the native table, of the 32-bit compat table (x86 ia32,
 * arm32 on arm64) and of x32 (x86-64 only). */
enum seccomp_abi {
	SECCOMP_ABI_NATIVE = 0,
	SECCOMP_ABI_COMPAT = 1,
	SECCOMP_ABI_X32 = 2,
	SECCOMP_ABIS = 3,
};

/* Phases of a task of the subject. A task is the runtime's until its first
 * exec inside the subject (for a container: in a mount namespace other than
 * the runtime's); after a seccomp filter install or no_new_privs before
 * that exec, and in threads other than the process's first, its calls go
 * to RUNTIME_FILTERED (what the runtime may do under the profile). */
enum seccomp_phase {
	SECCOMP_PHASE_RUNTIME = 0,
	SECCOMP_PHASE_FILTERED = 1,
	SECCOMP_PHASE_WORKLOAD = 2,
	SECCOMP_PHASES = 3,
};

#define SECCOMP_ROWS (SECCOMP_ABIS * SECCOMP_PHASES)

/* Slots per row: syscall numbers 0..SECCOMP_NR_DIRECT-1 map to themselves
 * (x32 numbers without their bit), the 16 ARM private syscalls from
 * SECCOMP_ARM_NR_BASE to the last 16 slots. */
#define SECCOMP_SLOTS 640
#define SECCOMP_NR_DIRECT 624
#define SECCOMP_ARM_NR_BASE 0x0f0000
#define SECCOMP_X32_BIT 0x40000000

/* One syscall number in one row. */
struct seccomp_slot {
	__u64 count;
	__u64 first_ns;        /* boot-time ns of the first call; 0: never called */
	__u32 first_pid;       /* process (tgid) of the first call */
	char first_comm[16];   /* its comm then */
	__u32 pad_;
};

struct seccomp_row {
	struct seccomp_slot slot[SECCOMP_SLOTS];
};

/* Syscalls the BPF side looks at more closely, per ABI (numbers set by the
 * plugin in seccomp_kind_of[][]). The first ones have argument sets. */
enum seccomp_kind {
	SECCOMP_KIND_NONE = 0,
	SECCOMP_KIND_CLONE,       /* arg 0 & SECCOMP_CLONE_NS_MASK */
	SECCOMP_KIND_CLONE3,      /* clone_args.flags & SECCOMP_CLONE_NS_MASK (user memory) */
	SECCOMP_KIND_UNSHARE,     /* arg 0 & SECCOMP_UNSHARE_NS_MASK */
	SECCOMP_KIND_SOCKET,      /* arg 0 << 32 | arg 1 & SECCOMP_SOCK_TYPE_MASK */
	SECCOMP_KIND_PERSONALITY, /* arg 0 (32 bits) */
	SECCOMP_KIND_PRCTL,       /* arg 0 (32 bits) */
	SECCOMP_KIND_IOCTL,       /* arg 1 (32 bits) */
	SECCOMP_KIND_MMAP,        /* arg 2 & PROT_EXEC (mmap, or mmap2 on 32-bit) */
	SECCOMP_KIND_MPROTECT,    /* arg 2 & PROT_EXEC */
	SECCOMP_KIND_ARGS_END_,   /* kinds below have argument sets */
	SECCOMP_KIND_SECCOMP = SECCOMP_KIND_ARGS_END_, /* seccomp(): filter installs */
	SECCOMP_KIND_EXECVE,
	SECCOMP_KIND_EXECVEAT,
	SECCOMP_KINDS,
};

#define SECCOMP_ARG_KINDS 16 /* argument sets per row (>= SECCOMP_KIND_ARGS_END_) */
#define SECCOMP_ARG_VALUES 8 /* distinct values kept per set; more sets overflow */
#define SECCOMP_ARG_USED (1ULL << 63) /* set on every stored value (0 is a value) */

#define SECCOMP_CLONE_NS_MASK 0x7e020000ULL   /* CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET} */
#define SECCOMP_UNSHARE_NS_MASK 0x7e020080ULL /* the same and CLONE_NEWTIME */
#define SECCOMP_SOCK_TYPE_MASK 0xfULL         /* the type without SOCK_NONBLOCK/CLOEXEC */
#define SECCOMP_PROT_EXEC 0x4ULL

/* Values of one argument of one syscall in one row. */
struct seccomp_arg_set {
	__u64 v[SECCOMP_ARG_VALUES]; /* value | SECCOMP_ARG_USED, 0: free */
	__u64 overflow;              /* values that found no free place */
};

/* Capability checks, summed per phase, capability, result and kernel stack. */
struct seccomp_cap_key {
	__u8 phase;
	__u8 cap;
	__u8 granted;  /* the check passed */
	__u8 override; /* the task's credentials were overridden (override_creds()) */
	__s32 stack_id; /* kernel stack in seccomp_cap_stacks, < 0 if not kept */
};

struct seccomp_cap_val {
	__u64 count;
	__u64 first_ns;
	__u32 first_pid;
	char first_comm[16];
	__u32 pad_;
};

#define SECCOMP_CAP_ENTRIES 1024
#define SECCOMP_CAP_FRAMES 8

/* Per task of the subject: its phase (absent: the subject's start phase). */
struct seccomp_task {
	__u8 phase;
	__u8 entered; /* watch mode: between sys_enter and sys_exit */
	__u8 pad_[6];
};

#define SECCOMP_PATH_LEN 256
#define SECCOMP_NAME_LEN 32

enum seccomp_subject_state {
	SECCOMP_SUBJECT_FOUND = 1, /* the awaited cgroup was created */
	SECCOMP_SUBJECT_GONE = 2,  /* the subject's cgroup was removed */
};

struct seccomp_subject_event {
	struct eun_record_header hdr; /* the task that made or removed the cgroup */
	__u64 cgid;                   /* the subject cgroup's v2 id */
	__u32 level;
	__u32 state;                  /* enum seccomp_subject_state */
	char path[SECCOMP_PATH_LEN];  /* below the cgroup v2 root */
};

/* What the BPF side submits when a task starts its workload. */
struct seccomp_workload_raw {
	struct eun_record_header hdr; /* the task, after its exec */
	__u32 abi;
	__u32 nr;                     /* of the exec syscall */
	char filename[SECCOMP_PATH_LEN];
};

enum seccomp_action {
	SECCOMP_DENY_ERRNO = 1, /* the filter returned an errno: the call did not run */
	SECCOMP_DENY_LOG = 2,   /* a call outside the allowed list (log action: it ran) */
	SECCOMP_DENY_KILL = 3,  /* the filter killed the task */
};

/* What the BPF side submits in watch mode. */
struct seccomp_denied_raw {
	struct eun_record_header hdr;
	__u32 abi;
	__u32 nr;
	__s32 err;    /* errno returned (errno action), else 0 */
	__u32 action; /* enum seccomp_action */
};

/* The records the plugin hands out. */
struct seccomp_denied_event {
	struct eun_record_header hdr;
	__u32 nr;
	__s32 err;
	char abi[8];
	char action[8];
	char syscall[SECCOMP_NAME_LEN];
};

struct seccomp_workload_event {
	struct eun_record_header hdr;
	__u32 nr;
	char abi[8];
	char filename[SECCOMP_PATH_LEN];
	__u32 pad_;
};

struct seccomp_call_event {
	struct eun_record_header hdr; /* pid/comm: the first process that called it */
	__u64 count;                  /* calls since the last record of this syscall */
	__u64 first_ns;               /* first call, ns since the Unix epoch */
	__u32 nr;
	__u32 pad_;
	char abi[8];
	char phase[24];
	char syscall[SECCOMP_NAME_LEN];
};

struct seccomp_arg_event {
	struct eun_record_header hdr;
	__u64 value;
	__u32 nr;
	__u8 overflow; /* more distinct values than the set keeps were seen */
	__u8 pad_[3];
	char abi[8];
	char phase[24];
	char kind[16];
};

struct seccomp_cap_event {
	struct eun_record_header hdr; /* pid/comm: the first process checked */
	__u64 count;                  /* checks since the last record of this kind */
	__u64 first_ns;
	__u32 cap;
	__u8 granted;
	__u8 override;
	__u8 pad_[2];
	char phase[24];
	char cap_name[24];
	char audit[8];
	char caller[48];
};

#endif /* EUN_TRACKER_SECCOMP_H */
