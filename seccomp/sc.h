/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Internals of libeunomia-seccomp (the public API is <eunomia/eunomia-seccomp.h>):
 * the profile and recording structs and the functions the modules share.
 * Modules: error text, architectures, the profile model, its JSON, the
 * libseccomp filter, profiles from recordings, merge and diff, the
 * recording and its report, capabilities, cgroups of our own, starting a
 * command, the recorder and the runner.
 */
#ifndef EUN_SECCOMP_SC_H
#define EUN_SECCOMP_SC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

#include <eunomia/eunomia-seccomp.h>

/* ---- error.c: the thread's last error ------------------------------------ */

/* Set the error text; returns -err. */
int sc_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Set the error text and errno = err; returns NULL. */
void *sc_error_null(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Keep the text of a failed libeunomia call (eun_last_error()) as ours. */
int sc_error_from_eun(int err, const char *what);
void sc_error_clear(void);

/* ---- util.c: growing arrays and strings ----------------------------------- */

/* Make room for one more element in *v (*n used, *cap allocated, each of
 * size bytes); returns the new element, zeroed, or NULL (ENOMEM). */
void *sc_grow(void *v_, size_t *n, size_t *cap, size_t size);
/* A printf into a new string (NULL on ENOMEM). */
char *sc_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing text buffer. */
struct sc_buf {
	char *s;
	size_t len, cap;
	bool failed; /* out of memory once: the text is incomplete */
};
void sc_buf_printf(struct sc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (ownership passes to the caller), or NULL with errno ENOMEM. */
char *sc_buf_take(struct sc_buf *b);

/* ---- arch.c: architectures by libseccomp token, name and OCI name ---------- */

/* Token of an OCI name ("SCMP_ARCH_X86_64"); 0 if libseccomp lacks it. */
uint32_t sc_arch_from_oci(const char *oci);
/* Token of a libseccomp name ("x86_64"); 0 if unknown. */
uint32_t sc_arch_from_name(const char *name);
/* OCI and libseccomp names of a token ("?" if unknown). */
const char *sc_arch_oci(uint32_t token);
const char *sc_arch_name(uint32_t token);
/* The OCI names libseccomp knows, comma-separated, for messages. */
const char *sc_arch_known_list(void);
/* True when this machine runs programs of arch token natively or in compat mode. */
bool sc_arch_runs_here(uint32_t token);

/* ---- profile.c: the profile model ---------------------------------------- */

enum sc_act_kind {
	SC_ACT_KILL_THREAD = 0,
	SC_ACT_KILL_PROCESS,
	SC_ACT_TRAP,
	SC_ACT_ERRNO,
	SC_ACT_TRACE,
	SC_ACT_ALLOW,
	SC_ACT_LOG,
	SC_ACT_NOTIFY,
};

struct sc_action {
	enum sc_act_kind kind;
	bool has_value;  /* errnoRet given (ERRNO, TRACE) */
	uint32_t value;
};

struct sc_arg {
	uint32_t index;
	uint64_t value, value_two;
	enum scmp_compare op;
};

struct sc_rule {
	char **names;
	size_t n_names, cap_names;
	struct sc_action act;
	struct sc_arg *args;
	size_t n_args;
};

/* OCI flags we know (bit i: sc_flag_names[i]). */
extern const char *const sc_flag_names[];
extern const size_t sc_n_flags;

struct eun_seccomp_profile {
	char origin[256];        /* file or text it came from, for messages */
	struct sc_action def;
	bool has_default_errno;  /* defaultErrnoRet given */
	uint32_t default_errno;
	uint32_t *arches;        /* libseccomp tokens, in order */
	size_t n_arches, cap_arches;
	uint32_t flags;
	char *listener_path, *listener_metadata;
	struct sc_rule *rules;
	size_t n_rules, cap_rules;
};

/* A new empty profile (default action kind given), or NULL (ENOMEM). */
struct eun_seccomp_profile *sc_profile_new(enum sc_act_kind def, const char *origin);
/* Add token unless present. 0 or -ENOMEM. */
int sc_profile_add_arch(struct eun_seccomp_profile *p, uint32_t token);
/* Append a rule (names added after) and return it, or NULL (ENOMEM). */
struct sc_rule *sc_profile_add_rule(struct eun_seccomp_profile *p, struct sc_action act,
				    const struct sc_arg *args, size_t n_args);
/* Append a copy of name to the rule. 0 or -ENOMEM. */
int sc_rule_add_name(struct sc_rule *r, const char *name);

/* OCI action names ("SCMP_ACT_ERRNO") and parsing. */
const char *sc_action_oci(enum sc_act_kind kind);
int sc_action_from_oci(const char *name, enum sc_act_kind *out);
/* OCI comparison names ("SCMP_CMP_EQ"). */
const char *sc_op_oci(enum scmp_compare op);
int sc_op_from_oci(const char *name, enum scmp_compare *out);
/* The errno an ERRNO action returns (EPERM when none given). */
uint32_t sc_action_errno(const struct sc_action *a, const struct eun_seccomp_profile *p);
/* The libseccomp action value. */
uint32_t sc_action_scmp(const struct sc_action *a, const struct eun_seccomp_profile *p);

/* ---- filter.c: the libseccomp filter --------------------------------------- */

/* Build the filter of p, its default action replaced unless
 * EUN_SECCOMP_ACTION_PROFILE; NULL with the error text set. */
scmp_filter_ctx sc_filter_build(const struct eun_seccomp_profile *p, enum eun_seccomp_action a);

/* ---- view.c: what a profile allows, per syscall name ----------------------- */

/* One condition: the args of one allow rule (sorted by index). */
struct sc_cond {
	struct sc_arg *args;
	size_t n;
};

struct sc_view_entry {
	char *name;
	bool allowed, unconditional;
	struct sc_cond *conds;    /* allowed under any of these */
	size_t n_conds, cap_conds;
	bool denied;              /* a non-allow rule names it */
	struct sc_action deny;    /* the first such rule's action */
};

struct sc_view {
	struct sc_view_entry *v;
	size_t n, cap;
};

/* Add the rules of p to view (a union). 0 or -ENOMEM. */
int sc_view_add(struct sc_view *view, const struct eun_seccomp_profile *p);
/* The entry of name, or NULL. */
struct sc_view_entry *sc_view_find(const struct sc_view *view, const char *name);
/* Sort the entries by name. */
void sc_view_sort(struct sc_view *view);
void sc_view_free(struct sc_view *view);
/* True when two conditions are the same. */
bool sc_cond_equal(const struct sc_cond *a, const struct sc_cond *b);
/* Rules of a profile from a view: allow without conditions, with, denials. 0 or -ENOMEM. */
int sc_view_to_rules(const struct sc_view *view, struct eun_seccomp_profile *p);
/* One condition as text ("a0 == 0x1 && a1 & 0xf == 0x2"). */
void sc_cond_text(const struct sc_cond *c, struct sc_buf *b);

/* ---- recording.c ----------------------------------------------------------- */

struct sc_call_rec {
	char arch[16];
	uint8_t phase;
	uint32_t nr;
	uint64_t count, first_ns;
	uint32_t pid;
	char comm[16];
};

struct sc_arg_rec {
	char arch[16];
	uint8_t phase;
	char kind[16];
	uint32_t nr;
	uint64_t value;
	bool overflow;
};

struct sc_cap_rec {
	uint8_t phase;
	uint32_t cap;
	bool granted, override;
	char audit[8];
	char caller[48];
	uint64_t count, first_ns;
	uint32_t pid;
	char comm[16];
};

struct sc_start_rec {
	uint32_t pid;
	char comm[16];
	char filename[256];
	uint64_t ns;
};

struct eun_seccomp_recording {
	char subject_kind[16];   /* command, cgroup, container */
	char subject[256];       /* the command line, path or container */
	char cgroup[1024];       /* the cgroup recorded (below the v2 root) */
	char native[16];         /* this machine's architecture */
	uint64_t started_ns, ended_ns;
	bool phases;             /* runtime and workload told apart */
	bool caps;               /* capability checks recorded */
	struct sc_call_rec *calls;
	size_t n_calls, cap_calls;
	struct sc_arg_rec *args;
	size_t n_args, cap_args;
	struct sc_cap_rec *capv;
	size_t n_caps, cap_caps;
	struct sc_start_rec *starts;
	size_t n_starts, cap_starts;
	char **notes;
	size_t n_notes, cap_notes;
};

struct eun_seccomp_recording *sc_recording_new(void);
/* Add what one record says (counts add up, the earliest first call wins). 0 or -ENOMEM. */
int sc_recording_add_call(struct eun_seccomp_recording *r, const struct sc_call_rec *c);
int sc_recording_add_arg(struct eun_seccomp_recording *r, const struct sc_arg_rec *a);
int sc_recording_add_cap(struct eun_seccomp_recording *r, const struct sc_cap_rec *c);
int sc_recording_add_start(struct eun_seccomp_recording *r, const struct sc_start_rec *s);
int sc_recording_note(struct eun_seccomp_recording *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sort calls (ABI, phase, number), args and caps; add the notes a finished
 * recording deserves. */
void sc_recording_seal(struct eun_seccomp_recording *r);
/* Phase names: runtime, runtime_filtered, workload; -1 for an unknown one. */
const char *sc_phase_name(unsigned phase);
int sc_phase_from_name(const char *name);
/* The libseccomp name of (arch, nr), into buf ("" when none); buf. */
const char *sc_syscall_name(const char *arch, uint32_t nr, char *buf, size_t size);

/* ---- caps.c --------------------------------------------------------------- */

/* "CAP_CHOWN" for capability cap (from libcap; "CAP_N" for one it lacks); buf. */
const char *sc_cap_name(unsigned cap, char *buf, size_t size);

/* ---- cgroup.c: a cgroup of our own ------------------------------------------- */

struct sc_cgroup {
	char path[256];   /* below the v2 root, e.g. /eunomia-seccomp-123-1 */
	char dir[800];    /* absolute */
	bool made;
};

/* The cgroup v2 mount point into buf. 0 or -ENOTSUP. */
int sc_cgroup_v2_root(char *buf, size_t size);
/* Make a new cgroup below the v2 root for a command. 0 or -errno. */
int sc_cgroup_make(struct sc_cgroup *cg);
/* Move process pid into it. 0 or -errno. */
int sc_cgroup_enter(const struct sc_cgroup *cg, pid_t pid);
/* Kill what runs in it, wait for it to empty, remove it. 0 or -errno. */
int sc_cgroup_remove(struct sc_cgroup *cg);

/* ---- spawn.c: starting a command in a cgroup ---------------------------------- */

struct sc_child {
	pid_t pid;     /* 0: none */
	int status;    /* wait status once reaped */
	bool reaped;
};

/* Fork, move the child into cg, have it call filter's seccomp_load() (if
 * filter is not NULL) and exec argv. Returns once the exec happened or
 * failed: 0, or -errno with the error text (the child is then reaped). */
int sc_spawn(char *const argv[], const struct sc_cgroup *cg, scmp_filter_ctx filter,
	     struct sc_child *c);
/* Reap the child if it ended (without waiting). True once reaped. */
bool sc_child_reap(struct sc_child *c);
/* Copy of a NULL-terminated argv, and its free. */
char **sc_argv_dup(char *const argv[]);
void sc_argv_free(char **argv);
/* The command line joined with spaces, into buf. */
void sc_argv_text(char *const argv[], char *buf, size_t size);

#endif /* EUN_SECCOMP_SC_H */
