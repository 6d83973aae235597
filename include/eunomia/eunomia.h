/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia: run eBPF tracker plugins and receive their events.
 *
 * Conventions (as in libbpf):
 *  - handles are opaque; create with *_new(), release with *_free();
 *  - functions returning int give 0 (or a count) on success and a negative
 *    errno on failure; functions returning pointers give NULL and set errno;
 *  - on failure, eun_last_error() gives a sentence naming the problem and the fix;
 *  - *_opts structs start with `sz`; declare them with EUN_OPTS() so that
 *    programs built against an older header keep working with a newer
 *    library, and a newer program fails with -EINVAL on an older library
 *    only if it sets a member that library does not know;
 *  - one eun_ctx and everything made from it belong to one thread at a time.
 */
#ifndef EUNOMIA_EUNOMIA_H
#define EUNOMIA_EUNOMIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <eunomia/schema.h>
#include <eunomia/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EUN_API __attribute__((visibility("default")))

/* Declare and zero an opts struct, set its size, then apply designated initializers. */
#define EUN_OPTS(TYPE, NAME, ...)                                             \
	struct TYPE NAME = ({                                                 \
		memset(&NAME, 0, sizeof(struct TYPE));                        \
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ };      \
	})

/* ---- library-wide ---------------------------------------------------- */

enum eun_log_level {
	EUN_LOG_ERROR = 0,
	EUN_LOG_WARN,
	EUN_LOG_INFO,
	EUN_LOG_DEBUG,
};

/* Receives every log message; msg has no trailing newline and is borrowed for the call. */
typedef void (*eun_log_fn)(enum eun_log_level level, const char *msg, void *cookie);

/* Install a log callback (NULL restores the default: errors and warnings to stderr). Returns the previous one. */
EUN_API eun_log_fn eun_set_log_fn(eun_log_fn fn, void *cookie);

/* Text describing the most recent failure of a libeunomia call on this thread ("" if none). */
EUN_API const char *eun_last_error(void);

/* Version of the library at run time, e.g. "0.1.0". */
EUN_API const char *eun_version(void);

/* Plugin ABI version this library speaks. */
EUN_API void eun_plugin_abi_version(unsigned *major, unsigned *minor);

/* Directory plugins were installed to with this library; searched last. */
EUN_API const char *eun_plugin_install_dir(void);

/* ---- context ---------------------------------------------------------- */

struct eun_ctx;
struct eun_plugin;
struct eun_tracker;
struct eun_event;

struct eun_ctx_opts {
	size_t sz;               /* sizeof(struct eun_ctx_opts) */
	/* Colon-separated directories searched for plugins before
	 * $EUNOMIA_PLUGIN_PATH and the installed plugin directory. */
	const char *plugin_path;
	/* Search only plugin_path: ignore $EUNOMIA_PLUGIN_PATH and the installed directory. */
	bool no_default_path;
	/* Route libbpf's own messages into the eunomia log callback. This
	 * changes libbpf's process-wide print function, so it is off by default. */
	bool capture_libbpf_logs;
	/* Longest time (ms) an event may wait in a ring buffer before
	 * eun_ctx_poll() delivers it. Trackers wake the reader in batches;
	 * this bounds the delay. 0 means the default (50 ms). */
	unsigned max_latency_ms;
	size_t :0;
};

/* Create a context and discover the plugins on the search path. Invalid plugins are skipped with a warning. */
EUN_API struct eun_ctx *eun_ctx_new(const struct eun_ctx_opts *opts);

/* Stop and free every tracker of the context, then unload its plugins. NULL is ignored. */
EUN_API void eun_ctx_free(struct eun_ctx *ctx);

/* Load one plugin file explicitly; unlike discovery, a bad file is an error. Returns 0 or -errno. */
EUN_API int eun_ctx_load_plugin(struct eun_ctx *ctx, const char *path);

/* ---- discovery -------------------------------------------------------- */

/* Number of plugins loaded in the context. */
EUN_API size_t eun_plugin_count(const struct eun_ctx *ctx);

/* The i-th loaded plugin, in load order; NULL if out of range. */
EUN_API const struct eun_plugin *eun_plugin_at(const struct eun_ctx *ctx, size_t i);

/* The plugin providing tracker `name`, or NULL (errno ENOENT). */
EUN_API const struct eun_plugin *eun_plugin_find(const struct eun_ctx *ctx, const char *name);

/* Tracker name, version, description, license and file path of a plugin. */
EUN_API const char *eun_plugin_name(const struct eun_plugin *p);
EUN_API const char *eun_plugin_version(const struct eun_plugin *p);
EUN_API const char *eun_plugin_description(const struct eun_plugin *p);
EUN_API const char *eun_plugin_license(const struct eun_plugin *p);
EUN_API const char *eun_plugin_path(const struct eun_plugin *p);

/* Plugin ABI version the plugin was built for. */
EUN_API void eun_plugin_built_abi(const struct eun_plugin *p, unsigned *major, unsigned *minor);

/* Event types the plugin emits; entries are owned by the plugin and valid while the ctx lives. */
EUN_API size_t eun_plugin_event_type_count(const struct eun_plugin *p);
EUN_API const struct eun_event_type *eun_plugin_event_type(const struct eun_plugin *p, size_t i);

/* Config keys the plugin accepts (not counting the common keys). */
EUN_API size_t eun_plugin_config_count(const struct eun_plugin *p);
EUN_API const struct eun_config_key *eun_plugin_config_key(const struct eun_plugin *p, size_t i);

/* Config keys every tracker accepts (pid, uid, comm, ringbuf_kb, wakeup_kb). */
EUN_API size_t eun_common_config_count(void);
EUN_API const struct eun_config_key *eun_common_config_key(size_t i);

/* ---- trackers --------------------------------------------------------- */

enum eun_tracker_state {
	EUN_TRACKER_CREATED = 0, /* configured, nothing in the kernel yet */
	EUN_TRACKER_RUNNING,     /* programs loaded and attached */
	EUN_TRACKER_STOPPED,     /* detached; can be started again */
	EUN_TRACKER_FAILED,      /* start failed; can only be freed */
};

/* One configuration setting, both strings borrowed for the call. */
struct eun_config_entry {
	const char *key;
	const char *value;
};

struct eun_tracker_opts {
	size_t sz;                             /* sizeof(struct eun_tracker_opts) */
	const struct eun_config_entry *config; /* n_config settings; unknown keys are refused */
	size_t n_config;
	size_t :0;
};

/* Create an instance of tracker `name`. NULL with errno ENOENT for an unknown
 * tracker, EINVAL for bad opts or config (the message names the key), or
 * what the plugin's create() returned. */
EUN_API struct eun_tracker *eun_tracker_new(struct eun_ctx *ctx, const char *name,
					    const struct eun_tracker_opts *opts);

/* Load and attach the tracker's BPF programs (mounts tracefs if needed and
 * allowed). 0 or -errno: -EPERM without privileges, -ENOTSUP when the kernel
 * lacks BTF or tracefs, else what the plugin's start() returned. */
EUN_API int eun_tracker_start(struct eun_tracker *t);

/* Detach the tracker, then deliver what its ring buffer still holds through
 * the event callback (a negative callback return discards the rest). 0 or -errno. */
EUN_API int eun_tracker_stop(struct eun_tracker *t);

/* Stop if running, remove every kernel object of the tracker, free it. NULL is ignored. */
EUN_API void eun_tracker_free(struct eun_tracker *t);

/* Current state of the tracker. */
EUN_API enum eun_tracker_state eun_tracker_state(const struct eun_tracker *t);

/* Tracker name (the plugin's name). */
EUN_API const char *eun_tracker_name(const struct eun_tracker *t);

/* The plugin this tracker is an instance of. */
EUN_API const struct eun_plugin *eun_tracker_plugin(const struct eun_tracker *t);

/* Number of trackers in the context, and the i-th one (creation order). */
EUN_API size_t eun_tracker_count(const struct eun_ctx *ctx);
EUN_API struct eun_tracker *eun_tracker_at(const struct eun_ctx *ctx, size_t i);

struct eun_tracker_stats {
	size_t sz;              /* sizeof(struct eun_tracker_stats) */
	uint64_t events;        /* records delivered to the callback */
	uint64_t kernel_drops;  /* records lost in the kernel (ring buffer full) */
	uint64_t decode_errors; /* samples refused as malformed */
	size_t :0;
};

/* Fill st (its sz set by the caller, e.g. with EUN_OPTS) with the tracker's counters. 0 or -errno. */
EUN_API int eun_tracker_stats(const struct eun_tracker *t, struct eun_tracker_stats *st);

/* Deliver a raw sample through the tracker's decode and callback path as if
 * it came from the kernel (replay, tests). Returns 1 if delivered, 0 if the
 * plugin dropped it, the callback's value if it was negative, or -errno for
 * a malformed sample (counted as a decode error). */
EUN_API int eun_tracker_inject(struct eun_tracker *t, const void *raw, size_t len);

/* ---- events ----------------------------------------------------------- */

/* Called for each event; ev is borrowed for the call only (copy what you keep).
 * Return 0 to continue; a negative value stops the current poll/consume,
 * which then returns it. */
typedef int (*eun_event_fn)(const struct eun_event *ev, void *cookie);

/* Set the callback receiving every tracker's events (NULL: events are counted and discarded). */
EUN_API void eun_ctx_set_event_fn(struct eun_ctx *ctx, eun_event_fn fn, void *cookie);

/* Wait up to timeout_ms (-1: no limit) for events and deliver them.
 * Returns the number delivered or -errno; -EINTR if a signal interrupted the wait. */
EUN_API int eun_ctx_poll(struct eun_ctx *ctx, int timeout_ms);

/* Deliver every event already waiting, without blocking. Returns the count or -errno. */
EUN_API int eun_ctx_consume(struct eun_ctx *ctx);

/* A file descriptor that becomes readable when events wait, for the embedder's
 * own poll/epoll loop; then call eun_ctx_consume(). Because trackers wake
 * readers in batches, also call eun_ctx_consume() at least every
 * eun_ctx_max_latency_ms() milliseconds. The fd is owned by the ctx. */
EUN_API int eun_ctx_fd(const struct eun_ctx *ctx);

/* The delivery latency bound configured for the context, in ms. */
EUN_API unsigned eun_ctx_max_latency_ms(const struct eun_ctx *ctx);

/* Common header of an event. ts is wall-clock ns since the Unix epoch. */
EUN_API uint64_t eun_event_ts(const struct eun_event *ev);
EUN_API uint32_t eun_event_pid(const struct eun_event *ev);
EUN_API uint32_t eun_event_tid(const struct eun_event *ev);
EUN_API uint32_t eun_event_uid(const struct eun_event *ev);
EUN_API uint64_t eun_event_cgroup_id(const struct eun_event *ev);
EUN_API const char *eun_event_comm(const struct eun_event *ev);

/* Namespaces whose ids the header carries. */
enum eun_ns_kind {
	EUN_NS_PID = 0,
	EUN_NS_MNT,
	EUN_NS_NET,
	EUN_NS_USER,
};

/* Inode number of the task's namespace of that kind (as in /proc/PID/ns/), 0 if unknown. */
EUN_API uint32_t eun_event_ns_id(const struct eun_event *ev, enum eun_ns_kind kind);
EUN_API const char *eun_event_tracker_name(const struct eun_event *ev);
EUN_API struct eun_tracker *eun_event_tracker(const struct eun_event *ev);
EUN_API const char *eun_event_type_name(const struct eun_event *ev);
EUN_API const struct eun_event_type *eun_event_type(const struct eun_event *ev);

/* Typed fields, as declared by the plugin's schema. */
EUN_API size_t eun_event_field_count(const struct eun_event *ev);
EUN_API const struct eun_field *eun_event_field(const struct eun_event *ev, size_t i);
/* Index of field `name`, or -ENOENT. */
EUN_API int eun_event_field_index(const struct eun_event *ev, const char *name);
/* Integer fields (and BOOL) as unsigned / signed; -EINVAL for other types, -ERANGE for a bad index. */
EUN_API int eun_event_get_u64(const struct eun_event *ev, size_t i, uint64_t *out);
EUN_API int eun_event_get_s64(const struct eun_event *ev, size_t i, int64_t *out);
/* STR fields: pointer to the bytes (not NUL-terminated if full) and their length. */
EUN_API int eun_event_get_str(const struct eun_event *ev, size_t i, const char **s, size_t *len);
/* Any field by name, rendered as text into buf (snprintf semantics). */
EUN_API int eun_event_format_field(const struct eun_event *ev, const char *name, char *buf, size_t size);

/* ---- renderers (schema-driven; snprintf semantics: return the length the
 * full output needs, write at most size bytes, always NUL-terminate) ----- */

/* One JSON object: ts, tracker, type, pid, tid, uid, comm, cgroup_id, pid_ns,
 * mnt_ns, net_ns, user_ns, then the fields. No newline. */
EUN_API int eun_event_to_json(const struct eun_event *ev, char *buf, size_t size);

/* One line for people: fixed-width header columns, then key=value pairs. */
EUN_API int eun_event_to_text(const struct eun_event *ev, char *buf, size_t size);

/* Column header matching eun_event_to_text(). */
EUN_API int eun_text_header(char *buf, size_t size);

/* CSV layout: the header columns plus the union of all fields of the
 * given trackers' event types, fixed when created. */
struct eun_csv;
EUN_API struct eun_csv *eun_csv_new(struct eun_tracker *const *trackers, size_t n);
EUN_API void eun_csv_free(struct eun_csv *csv);
/* The header row (no newline). */
EUN_API int eun_csv_header(const struct eun_csv *csv, char *buf, size_t size);
/* One row for ev (RFC 4180 quoting, no newline); fields not in ev are empty. */
EUN_API int eun_csv_row(const struct eun_csv *csv, const struct eun_event *ev, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* EUNOMIA_EUNOMIA_H */
