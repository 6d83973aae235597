/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia-seccomp: least-privilege profiles learned from what a workload
 * does. Record the syscalls (per ABI, with a few key arguments) and the
 * capability checks of a command, a cgroup or a container (one that does
 * not exist yet included) with the `seccomp` tracker of a libeunomia
 * context; write an OCI linux.seccomp profile (what docker/podman
 * --security-opt seccomp= and runc take) and a capability set; check,
 * merge and diff profiles; run a command under a profile, its denied
 * syscalls reported as events of the context.
 *
 * A library of its own (libeunomia-seccomp.so, pkg-config
 * libeunomia-seccomp) so that a program that only traces does not link
 * libseccomp, libcap and jansson. Conventions as in <eunomia/eunomia.h>:
 * opaque handles, *_opts with sz (EUN_OPTS()), negative errno or NULL with
 * errno set; the reason is in eun_seccomp_last_error(), naming the entry
 * at fault and the fix. One handle belongs to one thread at a time.
 */
#ifndef EUNOMIA_EUNOMIA_SECCOMP_H
#define EUNOMIA_EUNOMIA_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <eunomia/eunomia.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Text describing the most recent failure of a libeunomia-seccomp call on
 * this thread ("" if none). */
EUN_API const char *eun_seccomp_last_error(void);

/* Output formats of reports and diffs. */
enum eun_seccomp_format {
	EUN_SECCOMP_TEXT = 0, /* for people */
	EUN_SECCOMP_JSON,     /* one JSON document */
};

/* ---- profiles: OCI runtime-spec linux.seccomp --------------------------- */

struct eun_seccomp_profile;

/* Read and check the profile in file path (see eun_seccomp_profile_check()).
 * NULL with errno EINVAL for a profile that is malformed or refused, the
 * message naming the file, the entry (e.g. "syscalls[3].names[1]") and why. */
EUN_API struct eun_seccomp_profile *eun_seccomp_profile_load(const char *path);

/* The same for len bytes of JSON; origin names them in messages. */
EUN_API struct eun_seccomp_profile *eun_seccomp_profile_parse(const char *json, size_t len,
							       const char *origin);

/* Check that the profile loads with libseccomp on this machine: every
 * architecture and action known, every syscall name known to libseccomp
 * on at least one of the profile's architectures, every rule accepted,
 * and the exported filter within the kernel's 4096 instructions. Nothing
 * is installed. 0 or -EINVAL (the message names the entry). */
EUN_API int eun_seccomp_profile_check(const struct eun_seccomp_profile *p);

/* The profile as indented JSON with a final newline (malloc'd; free()).
 * NULL with errno ENOMEM. */
EUN_API char *eun_seccomp_profile_to_json(const struct eun_seccomp_profile *p);

/* Check the profile, then write it to path (a new file renamed into place,
 * so a reader never sees half of it; "-" is standard output). 0 or -errno. */
EUN_API int eun_seccomp_profile_save(const struct eun_seccomp_profile *p, const char *path);

/* The union of n profiles (several runs or replicas of one workload): a
 * syscall any of them allows is allowed, without conditions if any of them
 * allows it so, else under the conditions of all; architectures and flags
 * are joined; a syscall one denies with another errno keeps the first such
 * rule unless another allows it. The default actions must agree. NULL with
 * errno EINVAL (the message says which profile differs) or ENOMEM. */
EUN_API struct eun_seccomp_profile *eun_seccomp_profile_merge(
	const struct eun_seccomp_profile *const *profiles, size_t n);

/* What b allows that a does not and the reverse: syscalls added and
 * removed, argument conditions added and removed, and changes of the
 * default action, architectures and errno rules. *out (malloc'd) gets the
 * text or JSON. Returns the number of differences (0: same) or -errno. */
EUN_API int eun_seccomp_profile_diff(const struct eun_seccomp_profile *a,
				     const struct eun_seccomp_profile *b,
				     enum eun_seccomp_format format, char **out);

/* Free a profile. NULL is ignored. */
EUN_API void eun_seccomp_profile_free(struct eun_seccomp_profile *p);

/* What a denied syscall gets when a profile is enforced. */
enum eun_seccomp_action {
	EUN_SECCOMP_ACTION_PROFILE = 0, /* the profile's defaultAction */
	EUN_SECCOMP_ACTION_ERRNO,       /* fail with the defaultErrnoRet (EPERM if none) */
	EUN_SECCOMP_ACTION_LOG,         /* run it, logged (complain mode) */
	EUN_SECCOMP_ACTION_KILL,        /* kill the process */
};

/* Parse "errno", "log" or "kill" (and "profile"). 0 or -EINVAL. */
EUN_API int eun_seccomp_action_parse(const char *name, enum eun_seccomp_action *out);

/* Install the profile on the calling process: no_new_privs, then the
 * filter, its default action replaced by `action`. For a child between
 * fork() and exec(); nothing can remove it again. 0 or -errno. */
EUN_API int eun_seccomp_profile_install(const struct eun_seccomp_profile *p,
					enum eun_seccomp_action action);

/* ---- recordings ------------------------------------------------------------ */

struct eun_seccomp_recording;

/* Phases of a subject's task (see docs/seccomp.md). */
enum eun_seccomp_phase {
	EUN_SECCOMP_PHASE_RUNTIME = 0,  /* the runtime, before the task's first exec in the subject */
	EUN_SECCOMP_PHASE_FILTERED,     /* the runtime after it installed a seccomp filter */
	EUN_SECCOMP_PHASE_WORKLOAD,     /* the workload */
};

/* One syscall of a recording in one ABI and phase. */
struct eun_seccomp_call {
	size_t sz;              /* sizeof(struct eun_seccomp_call) */
	char arch[16];          /* ABI as a libseccomp architecture: x86_64, x86, x32, aarch64, arm */
	enum eun_seccomp_phase phase;
	uint32_t nr;            /* number in that ABI's table */
	char name[40];          /* libseccomp's name for it; "" when libseccomp has none */
	uint64_t count;         /* calls */
	uint64_t first_ns;      /* first call, ns since the Unix epoch */
	uint32_t first_pid;     /* the process that made it */
	char first_comm[16];
	size_t :0;
};
#define EUN_LAST_eun_seccomp_call first_comm

/* Number of (ABI, phase, syscall) entries, and entry i (sorted by ABI,
 * phase, number) into out (its sz set by the caller). 0 or -ERANGE. */
EUN_API size_t eun_seccomp_recording_count(const struct eun_seccomp_recording *r);
EUN_API int eun_seccomp_recording_call(const struct eun_seccomp_recording *r, size_t i,
				       struct eun_seccomp_call *out);

/* The i-th note about the recording (e.g. "no exec started the workload"),
 * NULL past the last. Valid while r lives. */
EUN_API const char *eun_seccomp_recording_note(const struct eun_seccomp_recording *r, size_t i);

/* The coverage report: per ABI and phase, each syscall with its count,
 * first call and the process that made it; argument values; capability
 * checks; notes. JSON is the recording itself, which
 * eun_seccomp_recording_load() reads back. *out malloc'd. 0 or -errno. */
EUN_API int eun_seccomp_recording_report(const struct eun_seccomp_recording *r,
					 enum eun_seccomp_format format, char **out);

/* Write the JSON report to path ("-": standard output), or read one back. */
EUN_API int eun_seccomp_recording_save(const struct eun_seccomp_recording *r, const char *path);
EUN_API struct eun_seccomp_recording *eun_seccomp_recording_load(const char *path);

/* Free a recording. NULL is ignored. */
EUN_API void eun_seccomp_recording_free(struct eun_seccomp_recording *r);

struct eun_seccomp_profile_opts {
	size_t sz;               /* sizeof(struct eun_seccomp_profile_opts) */
	/* Also allow what the runtime did before the workload started (its
	 * calls after a filter install it made are always allowed). */
	bool include_runtime;
	/* The complain variant: defaultAction SCMP_ACT_LOG instead of
	 * SCMP_ACT_ERRNO with EPERM. */
	bool complain;
	/* Argument rules for a syscall only when at most this many distinct
	 * values were seen; 0: 8 (the most the tracker keeps). */
	unsigned max_arg_values;
	size_t :0;
};
#define EUN_LAST_eun_seccomp_profile_opts max_arg_values

/* The profile that allows what the recording saw: defaultAction
 * SCMP_ACT_ERRNO, defaultErrnoRet EPERM (or SCMP_ACT_LOG); the native
 * architecture and every ABI seen; names resolved per architecture with
 * libseccomp; argument rules (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ) for clone,
 * unshare, socket, personality, prctl, ioctl and mmap/mprotect without
 * PROT_EXEC when few values were seen; ENOSYS for clone3 (so that glibc
 * falls back to clone, whose flags are checked) and for the syscalls newer
 * than every one it allows. NULL with errno set. */
EUN_API struct eun_seccomp_profile *eun_seccomp_profile_from_recording(
	const struct eun_seccomp_recording *r, const struct eun_seccomp_profile_opts *opts);

/* ---- capabilities ---------------------------------------------------------- */

/* Kinds of capability checks in a recording. */
enum eun_caps_class {
	EUN_CAPS_NEEDED = 0, /* the workload's audited checks that passed: what it needs */
	EUN_CAPS_DENIED,     /* the workload's audited checks that failed: it coped without */
	EUN_CAPS_PROBED,     /* the workload's unaudited probes (*_noaudit), either result */
	EUN_CAPS_RUNTIME,    /* checks of the runtime's phases, or of overridden credentials */
};

/* The capabilities (bit n: capability n) of one class of checks. */
EUN_API uint64_t eun_seccomp_recording_caps(const struct eun_seccomp_recording *r,
					    enum eun_caps_class c);

enum eun_caps_format {
	EUN_CAPS_OCI = 0, /* an OCI process.capabilities object */
	EUN_CAPS_DOCKER,  /* --cap-drop ALL --cap-add NAME ... (docker, podman) */
	EUN_CAPS_K8S,     /* a Kubernetes securityContext snippet (YAML) */
};

/* caps in that format into *out (malloc'd). 0 or -errno. */
EUN_API int eun_caps_format(uint64_t caps, enum eun_caps_format format, char **out);

/* Parse a list of capabilities ("CAP_CHOWN,net_bind_service"; "" is none)
 * into a bit set. 0 or -EINVAL naming the entry. */
EUN_API int eun_caps_parse(const char *list, uint64_t *out);

/* Keep only caps in the calling process and what it executes: the
 * bounding set, the permitted, effective and inheritable sets and the
 * ambient set (so a program run as any user gets them) become caps.
 * 0 or -errno. */
EUN_API int eun_caps_limit(uint64_t caps);

/* ---- recording a subject ---------------------------------------------------- */

struct eun_seccomp_recorder;

struct eun_seccomp_recorder_opts {
	size_t sz;              /* sizeof(struct eun_seccomp_recorder_opts) */
	/* The subject, exactly one of: */
	const char *cgroup;     /* a cgroup v2 directory (and below), running already */
	const char *container;  /* a container's id or name: a running one's cgroup, else
				 * the cgroup its runtime makes for that id, awaited */
	char *const *argv;      /* a command to start, NULL-terminated, in a cgroup of its
				 * own, with its whole process tree */
	bool caps;              /* record capability checks too */
	unsigned interval_ms;   /* how often the tracker's counts are read; 0: 1000 */
	size_t :0;
};
#define EUN_LAST_eun_seccomp_recorder_opts interval_ms

/* A recorder of one subject in ctx: creates the `seccomp` tracker (for a
 * command: its cgroup first). NULL with errno set (EINVAL: bad opts,
 * ENOENT: no such cgroup, or what the tracker refused). */
EUN_API struct eun_seccomp_recorder *eun_seccomp_recorder_new(
	struct eun_ctx *ctx, const struct eun_seccomp_recorder_opts *opts);

/* Start recording; then start the command, if any. 0 or -errno. */
EUN_API int eun_seccomp_recorder_start(struct eun_seccomp_recorder *r);

/* Wait up to timeout_ms for events and take them in (eun_ctx_poll(), so the
 * context's other listeners get them too). 1 once the subject ended (the
 * command exited, the cgroup or container was removed), 0 if not, or
 * -errno (-EINTR: a signal). */
EUN_API int eun_seccomp_recorder_poll(struct eun_seccomp_recorder *r, int timeout_ms);

/* The command's wait status (as waitpid()), -1 while it runs or without one. */
EUN_API int eun_seccomp_recorder_status(const struct eun_seccomp_recorder *r);

/* Stop recording (the last counts are read), end the command if it still
 * runs (SIGKILL to its cgroup) and remove its cgroup; the recording
 * (free with eun_seccomp_recording_free()). NULL with errno set. */
EUN_API struct eun_seccomp_recording *eun_seccomp_recorder_finish(struct eun_seccomp_recorder *r);

/* The recorder's `seccomp` tracker (its records reach the context's other
 * listeners too), valid until eun_seccomp_recorder_free(). */
EUN_API struct eun_tracker *eun_seccomp_recorder_tracker(const struct eun_seccomp_recorder *r);

/* Free the recorder (finishing it first if needed). NULL is ignored. */
EUN_API void eun_seccomp_recorder_free(struct eun_seccomp_recorder *r);

/* ---- running a command under a profile --------------------------------------- */

struct eun_seccomp_runner;

struct eun_seccomp_runner_opts {
	size_t sz;                                /* sizeof(struct eun_seccomp_runner_opts) */
	const struct eun_seccomp_profile *profile; /* borrowed until _start() returns */
	enum eun_seccomp_action action;
	char *const *argv;                        /* the command, NULL-terminated */
	size_t :0;
};
#define EUN_LAST_eun_seccomp_runner_opts argv

/* A runner in ctx: a cgroup for the command and the `seccomp` tracker in
 * watch mode on it, whose `denied` events (syscall, number, ABI, action,
 * errno, and the header's pid, comm and container) go to the context's
 * listeners. NULL with errno set. */
EUN_API struct eun_seccomp_runner *eun_seccomp_runner_new(struct eun_ctx *ctx,
							  const struct eun_seccomp_runner_opts *opts);

/* Start the watch, then the command: no_new_privs, the filter, exec. 0 or
 * -errno (the filter could not be built, the command not executed). */
EUN_API int eun_seccomp_runner_start(struct eun_seccomp_runner *r);

/* As eun_seccomp_recorder_poll(): 1 once the command exited. */
EUN_API int eun_seccomp_runner_poll(struct eun_seccomp_runner *r, int timeout_ms);

/* The command's wait status, -1 while it runs. */
EUN_API int eun_seccomp_runner_status(const struct eun_seccomp_runner *r);

/* The runner's `seccomp` tracker, whose `denied` events the context's
 * listeners get (e.g. for a CSV sink), valid until eun_seccomp_runner_free(). */
EUN_API struct eun_tracker *eun_seccomp_runner_tracker(const struct eun_seccomp_runner *r);

/* Stop the watch (its last events are delivered), kill what is left of the
 * command, remove its cgroup, free. NULL is ignored. */
EUN_API void eun_seccomp_runner_free(struct eun_seccomp_runner *r);

#ifdef __cplusplus
}
#endif

#endif /* EUNOMIA_EUNOMIA_SECCOMP_H */
