/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared lifecycle for the in-tree tracker plugins: each wraps one libbpf
 * skeleton whose programs are all attached on start and detached on stop.
 * A plugin's state starts with struct skel_plugin, so the functions below
 * serve directly as its destroy/start/stop/ring_fd operations.
 *
 *     struct skel_plugin *sp = SKEL_PLUGIN_OPEN(t, host, signal_bpf, "hint");
 *     if (!sp)
 *             return -errno;
 *     ((struct signal_bpf *)sp->skel)->rodata->... = ...;
 *     return skel_plugin_ready(sp, state);
 *
 * Not installed: third-party plugins use <eunomia/plugin.h> and libbpf only
 * (see examples/plugin-hello).
 */
#ifndef EUNOMIA_SKEL_PLUGIN_H
#define EUNOMIA_SKEL_PLUGIN_H

#include <stdbool.h>

#include <linux/types.h>

#include <eunomia/plugin.h>

struct bpf_object_skeleton;

struct skel_plugin {
	struct eun_tracker *t;
	const struct eun_host *host;
	void *skel;                      /* the generated skeleton struct */
	struct bpf_object_skeleton *s;   /* skel->skeleton */
	struct bpf_object *obj;          /* skel->obj */
	void (*destroy_skel)(void *skel);
	const char *attach_hint;         /* appended to attach errors: what the hooks need */
	bool loaded;
};

/* Attach hints: what a failing hook needs from the kernel. */
#define SKEL_HINT_SYSCALL_TP \
	"syscall tracepoints need tracefs at /sys/kernel/tracing and CONFIG_FTRACE_SYSCALLS"
#define SKEL_HINT_BTF_TP "the kernel needs BTF tracepoints (5.5+)"

/* Wrap an opened skeleton (NULL if its __open() failed, errno set); NULL + errno on failure. */
struct skel_plugin *skel_plugin_open(struct eun_tracker *t, const struct eun_host *host, void *skel,
				     struct bpf_object_skeleton *s, struct bpf_object *obj,
				     void (*destroy_skel)(void *), const char *attach_hint);

/* Open skeleton NAME (e.g. signal_bpf) and wrap it. */
#define SKEL_PLUGIN_OPEN(t, host, NAME, hint)                                              \
	({                                                                                 \
		struct NAME *skel_ = NAME##__open();                                       \
		skel_plugin_open(t, host, skel_, skel_ ? skel_->skeleton : NULL,           \
				 skel_ ? skel_->obj : NULL, (void (*)(void *))NAME##__destroy, \
				 hint);                                                    \
	})

/* Apply the core's settings (host->prepare_bpf) and hand sp out as the
 * instance; on failure destroy it. Returns create()'s result. */
int skel_plugin_ready(struct skel_plugin *sp, void **state);

/* Read a BOOL config key declared by the plugin (0 if unset); -errno + error text. */
int skel_plugin_cfg_bool(struct skel_plugin *sp, const char *key, bool *out);
/* Read a UINT config key declared by the plugin (0 if unset); -errno + error text. */
int skel_plugin_cfg_uint(struct skel_plugin *sp, const char *key, uint64_t *out);

/* Read and zero *lost, a counter the BPF side adds to (in .bss) when an
 * aggregate map is full; when it was not 0, log a warning: the count,
 * then the printf-style rest, e.g. "samples were not counted: ...". */
void skel_plugin_warn_lost(struct skel_plugin *sp, __u64 *lost, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Load the BPF object the first time (later calls do nothing); 0 or
 * -errno + error text. For plugins that attach their programs themselves. */
int skel_plugin_load(struct skel_plugin *sp);

/* The operations: destroy, start (load once, attach every autoloaded
 * program, naming the one that fails), stop (detach; maps stay so the core
 * can drain the ring), ring_fd (the eun_events map). */
void skel_plugin_destroy(void *state);
int skel_plugin_start(void *state);
int skel_plugin_stop(void *state);
int skel_plugin_ring_fd(void *state);

/* Descriptor initializer for those four operations. */
#define SKEL_PLUGIN_OPS                                                     \
	.destroy = skel_plugin_destroy, .start = skel_plugin_start,          \
	.stop = skel_plugin_stop, .ring_fd = skel_plugin_ring_fd

#endif /* EUNOMIA_SKEL_PLUGIN_H */
