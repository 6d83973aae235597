/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia plugin ABI.
 *
 * A tracker plugin is a shared object that exports exactly one symbol,
 * EUN_PLUGIN_ENTRY_SYMBOL, returning a pointer to a static
 * struct eun_plugin_desc. The descriptor states its own size and the plugin
 * ABI version it was built for; the core accepts it when
 *     desc->abi_major == core major && desc->abi_minor <= core minor
 * and refuses anything else with a message naming both versions.
 *
 * Compatibility rules (see docs/plugin-abi.md):
 *  - the first four members of struct eun_plugin_desc (size, abi_major,
 *    abi_minor, name) never move, in any ABI major;
 *  - structs with a size member only grow at their end; a minor version
 *    bump adds members, a major bump is anything else;
 *  - structs without a size member (schema.h) never change in a major.
 *
 * Memory ownership: the descriptor and everything it points to belong to
 * the plugin and must stay valid and unchanged until the core dlclose()s it
 * (use static const data). Per-instance state is allocated by create() and
 * freed by destroy(). Buffers the core passes in are borrowed for the call.
 *
 * Threading: the core calls every operation of one instance from the thread
 * that owns the eun_ctx, never concurrently. Different instances of the same
 * plugin may live in different contexts on different threads, so plugins
 * keep no mutable global state.
 */
#ifndef EUNOMIA_PLUGIN_H
#define EUNOMIA_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <eunomia/record.h>
#include <eunomia/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EUN_PLUGIN_ABI_MAJOR 1
#define EUN_PLUGIN_ABI_MINOR 3

/* Name of the one symbol every plugin exports. Its type is eun_plugin_entry_fn. */
#define EUN_PLUGIN_ENTRY_SYMBOL "eun_plugin_entry"

struct bpf_object;   /* from libbpf */
struct eun_tracker;  /* the core's handle of one tracker instance (opaque) */

enum eun_plugin_log_level {
	EUN_PLOG_ERROR = 0,
	EUN_PLOG_WARN,
	EUN_PLOG_INFO,
	EUN_PLOG_DEBUG,
};

/*
 * Services the core offers a plugin. Handed to create(); valid until
 * destroy() returns. A plugin needs only this table and libbpf, never the
 * core's internals. Check host->size before using members added after 1.0.
 */
struct eun_host {
	uint32_t size;      /* sizeof(struct eun_host) in the core */
	uint16_t abi_major; /* plugin ABI the core speaks */
	uint16_t abi_minor;

	/* Log a message through the embedder's log callback. */
	void (*log)(struct eun_tracker *t, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* Record why the current operation fails; the embedder reads it with
	 * eun_last_error(). Say what is wrong and how to fix it. */
	void (*set_error)(struct eun_tracker *t, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));
	/* Validated value of a declared config key, or its default; borrowed
	 * until destroy(). "" if unset (no value, no default); NULL if the key
	 * was not declared. */
	const char *(*config_str)(struct eun_tracker *t, const char *key);
	/* Same, parsed: 0 on success, -ENODATA if unset, -ENOENT if
	 * undeclared, -EINVAL if the key is of another type. */
	int (*config_uint)(struct eun_tracker *t, const char *key, uint64_t *out);
	int (*config_bool)(struct eun_tracker *t, const char *key, int *out);
	/* Apply the common per-tracker settings (pid/uid/comm filters, ring
	 * buffer size, wakeup threshold) to an opened, not yet loaded BPF
	 * object built with <eunomia/bpf/eunomia.bpf.h>. Also lets the core
	 * read the kernel-side drop counter. Returns 0 or -errno. */
	int (*prepare_bpf)(struct eun_tracker *t, struct bpf_object *obj);

	/* --- ABI 1.1: present when size > offsetof(struct eun_host, set_collect_interval) --- */
	/* Have the core call desc->collect() every interval_ms while the
	 * tracker runs (0: only once, when it stops). Call from create() or
	 * start(). 0, or -EINVAL if the plugin has no collect(). */
	int (*set_collect_interval)(struct eun_tracker *t, uint32_t interval_ms);
	/* Deliver a record built in user space (header + body as declared for
	 * hdr.type) to the event callback, exactly as if it came from the ring
	 * buffer. A zero hdr.ts_ns is stamped with the current time. The record
	 * is copied. 0, or -errno (e.g. -EBADMSG for a record that does not
	 * fit its schema, which is also counted as a decode error). */
	int (*emit)(struct eun_tracker *t, const void *rec, size_t len);
	/* Name the code at addr: in the kernel when pid is 0 (kallsyms), else
	 * in process pid's mappings (ELF symbol tables), as "func+0xoff" or
	 * "func+0xoff [module]". Writes NUL-terminated text to buf (snprintf
	 * semantics) and returns its length; when the address cannot be
	 * named, writes "0x<addr>" and returns -ENOENT. Results are cached
	 * per context (shared by its trackers) and freed with it. */
	int (*symbolize)(struct eun_tracker *t, uint32_t pid, uint64_t addr, char *buf, size_t size);

	/* --- ABI 1.2: present when size > offsetof(struct eun_host, set_error_errno) --- */
	/* set_error() for a failure with a known errno: err is the errno (as
	 * EPERM, or negative as libbpf returns it; 0 for none). The message
	 * gets ": " and strerror(err) appended, and if the operation running
	 * (create, start, stop, ring_fd or collect) then fails, the embedder's
	 * call returns -err whatever negative value the operation returns. */
	void (*set_error_errno)(struct eun_tracker *t, int err, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
};

/*
 * The plugin descriptor. Operations the plugin does not provide are NULL.
 * Required: create, destroy, start, stop; ring_fd when the records come
 * from a BPF ring buffer. Optional: decode, collect (ABI 1.1), poll_fd and
 * poll, kernel_drops (ABI 1.3).
 */
struct eun_plugin_desc {
	/* --- frozen across all ABI majors --- */
	uint32_t size;          /* sizeof(struct eun_plugin_desc) the plugin was built with */
	uint16_t abi_major;     /* EUN_PLUGIN_ABI_MAJOR the plugin was built with */
	uint16_t abi_minor;     /* EUN_PLUGIN_ABI_MINOR the plugin was built with */
	const char *name;       /* tracker name, [a-z0-9_]+, unique on the plugin path */
	/* --- ABI 1.0 --- */
	const char *version;     /* plugin version, free text, e.g. "1.2.0" */
	const char *description; /* one line */
	const char *license;     /* SPDX expression; GPL-compatible for BPF code */

	const struct eun_event_type *event_types;
	uint32_t n_event_types;
	uint32_t n_config_keys;
	const struct eun_config_key *config_keys;

	/* Allocate per-instance state in *state, read config through host,
	 * open (not load) the BPF object. 0 or -errno (+ host->set_error);
	 * on failure free what was allocated: destroy() is not called. */
	int (*create)(struct eun_tracker *t, const struct eun_host *host, void **state);
	/* Free everything create() and start() made; detaches and unloads. */
	void (*destroy)(void *state);
	/* Load (first time) and attach the BPF programs. 0 or -errno. */
	int (*start)(void *state);
	/* Detach the programs; start() may be called again. 0 or -errno. */
	int (*stop)(void *state);
	/* File descriptor of the BPF ring buffer map carrying this instance's
	 * records, valid after start(). Owned by the plugin. */
	int (*ring_fd)(void *state);
	/* Optional: turn one raw ring-buffer sample into a record (header +
	 * body as declared) in out, of capacity out_cap (at least the largest
	 * record_size). Returns the record length, 0 to drop the sample
	 * silently, or -errno for a malformed sample (counted as a decode
	 * error). Without decode, raw samples are records as they are. */
	long (*decode)(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap);

	/* --- ABI 1.1: read only when abi_minor >= 1 and size covers it --- */
	/* Optional: read what the BPF side aggregated (maps of counts,
	 * histograms, stacks), hand it to the core as records with
	 * host->emit(), and reset it. Called from the thread polling the ctx
	 * every interval set with host->set_collect_interval(), and once more
	 * when the tracker stops (before stop()), so no aggregate is lost.
	 * 0 or -errno (+ host->set_error). */
	int (*collect)(void *state);

	/* --- ABI 1.3: read only when abi_minor >= 3 and size covers them --- */
	/* Optional, with poll: a file descriptor (pollable for reading) that
	 * becomes readable when the plugin has records waiting in a source the
	 * core does not read itself, e.g. the epoll fd of libbpf's perf_buffer
	 * over a BPF_MAP_TYPE_PERF_EVENT_ARRAY. Asked for right after each
	 * successful start(); the core adds it to the ctx's epoll fd. Owned by
	 * the plugin, valid until destroy(). */
	int (*poll_fd)(void *state);
	/* Optional, with poll_fd: read what waits and hand each record to
	 * host->emit(). Called from the thread polling the ctx on every
	 * poll/consume (so records a batched wakeup left behind wait at most
	 * max_latency_ms) and once more after stop(), so none is lost. Returns
	 * the number of samples read, or -errno (+ host->set_error). */
	int (*poll)(void *state);
	/* Optional: records the plugin's kernel side lost that the core cannot
	 * count itself (e.g. perf buffer PERF_RECORD_LOST counts), as a running
	 * total; added to the eun_dropped counter in eun_tracker_stats(). Called
	 * from the thread owning the ctx; keep it a counter read. */
	uint64_t (*kernel_drops)(void *state);
};

/* Type of the entry symbol. Called once per dlopen; returns a static descriptor. */
typedef const struct eun_plugin_desc *(*eun_plugin_entry_fn)(void);

#if __SIZEOF_POINTER__ == 8
EUN_STATIC_ASSERT_(offsetof(struct eun_plugin_desc, size) == 0, "frozen");
EUN_STATIC_ASSERT_(offsetof(struct eun_plugin_desc, abi_major) == 4, "frozen");
EUN_STATIC_ASSERT_(offsetof(struct eun_plugin_desc, abi_minor) == 6, "frozen");
EUN_STATIC_ASSERT_(offsetof(struct eun_plugin_desc, name) == 8, "frozen");
EUN_STATIC_ASSERT_(offsetof(struct eun_plugin_desc, collect) == 112, "ABI 1.0 descriptor layout");
EUN_STATIC_ASSERT_(offsetof(struct eun_plugin_desc, poll_fd) == 120, "ABI 1.1/1.2 descriptor layout");
EUN_STATIC_ASSERT_(sizeof(struct eun_plugin_desc) == 144, "ABI 1.3 descriptor layout");
EUN_STATIC_ASSERT_(offsetof(struct eun_host, set_collect_interval) == 56, "ABI 1.0 host table layout");
EUN_STATIC_ASSERT_(offsetof(struct eun_host, set_error_errno) == 80, "ABI 1.1 host table layout");
EUN_STATIC_ASSERT_(sizeof(struct eun_host) == 88, "ABI 1.2 host table layout");
#endif

/* Mark the entry point so it is exported even with -fvisibility=hidden. */
#define EUN_PLUGIN_EXPORT __attribute__((visibility("default")))

/* The entry symbol has C linkage in a C++ plugin too: the loader looks it
 * up by its plain name. */
#ifdef __cplusplus
#define EUN_PLUGIN_LINKAGE_ extern "C"
#else
#define EUN_PLUGIN_LINKAGE_
#endif

/*
 * Define the entry symbol returning desc_var, e.g.
 *     static const struct eun_plugin_desc desc = { EUN_PLUGIN_DESC_HEADER("x"), ... };
 *     EUN_PLUGIN_DEFINE(desc)
 * At file scope, in C or C++ (where the descriptor's designated initializers
 * need C++20 and must follow the members' order).
 */
#define EUN_PLUGIN_DEFINE(desc_var)                                        \
	EUN_PLUGIN_LINKAGE_ EUN_PLUGIN_EXPORT const struct eun_plugin_desc *eun_plugin_entry(void); \
	EUN_PLUGIN_LINKAGE_ EUN_PLUGIN_EXPORT const struct eun_plugin_desc *eun_plugin_entry(void) \
	{                                                                      \
		return &(desc_var);                                            \
	}

/* Initializer for the frozen head of a descriptor built against this header. */
#define EUN_PLUGIN_DESC_HEADER(tracker_name)                                 \
	.size = sizeof(struct eun_plugin_desc), .abi_major = EUN_PLUGIN_ABI_MAJOR, \
	.abi_minor = EUN_PLUGIN_ABI_MINOR, .name = (tracker_name)

/* Schema entry for member `member` of record struct `rec`. In the order of
 * struct eun_field's members (frozen), so it needs no designated
 * initializers and works in any C or C++. */
#define EUN_FIELD(rec, member, ftype, funit, fflags, fdesc)                    \
	{                                                                      \
		#member, (fdesc), (funit), (uint32_t)(ftype),                  \
		(uint32_t)offsetof(rec, member), (uint32_t)sizeof(((rec *)0)->member), \
		(uint32_t)(fflags)                                             \
	}

/* Number of elements of a static array. */
#define EUN_ARRAY_LEN(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

#ifdef __cplusplus
}
#endif

#endif /* EUNOMIA_PLUGIN_H */
