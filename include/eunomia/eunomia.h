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
 *    only if it sets a member that library does not know (the library
 *    checks from the end of its last member, EUN_KNOWN_SZ(), not from its
 *    sizeof, so tail padding hides nothing); structs the library fills
 *    (stats, container info) follow the same rule the other way round;
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

/*
 * Declare NAME, a struct TYPE with sz set and everything else zero (its
 * padding too, so that a newer library sees zeros where it has members),
 * then set the members given as designated initializers:
 *     EUN_OPTS(eun_ctx_opts, opts, .plugin_path = "/opt/trackers");
 *     EUN_OPTS(eun_tracker_stats, st);
 * ISO C99 or later, no GNU extension; at block scope. In C++ designated
 * initializers need C++20: with C++11 to C++17 declare the struct without
 * them and assign its members afterwards.
 */
#define EUN_OPTS(TYPE, ...) EUN_OPTS_DECL_(TYPE, __VA_ARGS__, )
/* The trailing empty argument above lets EUN_OPTS(TYPE, NAME) pass no
 * initializer without the GNU empty __VA_ARGS__ extension. */
#ifndef __cplusplus
#define EUN_OPTS_DECL_(TYPE, NAME, ...)                                        \
	struct TYPE NAME = (memset(&NAME, 0, sizeof(struct TYPE)),             \
			    (struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ })
#else
/* decltype(NAME), not TYPE: eun_tracker_stats is a function's name too. */
#if __cplusplus >= 202002L
#define EUN_OPTS_INIT_(NAME, ...) decltype(NAME){ .sz = sizeof(NAME), __VA_ARGS__ }
#else
#define EUN_OPTS_INIT_(NAME, ...) decltype(NAME){ sizeof(NAME), __VA_ARGS__ }
#endif
/* Members left out are meant to be zero: no -Wmissing-field-initializers.
 * The pragma cannot end inside the declaration, so a no-op declaration
 * after it takes the caller's semicolon. */
#define EUN_OPTS_DECL_(TYPE, NAME, ...)                                        \
	_Pragma("GCC diagnostic push")                                         \
	_Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")     \
	struct TYPE NAME = (memset(&NAME, 0, sizeof(NAME)), EUN_OPTS_INIT_(NAME, __VA_ARGS__)); \
	_Pragma("GCC diagnostic pop") static_assert(true, "EUN_OPTS")
#endif

/*
 * Bytes of struct TYPE this header defines: from its start to the end of
 * its last member, EUN_LAST_<TYPE>, without tail padding. A library checks
 * the bytes of an opts struct from there up to its sz, and fills a struct
 * it returns up to there (zeroing the rest of sz). When a member is added
 * at the end of a struct, its EUN_LAST_ macro names it.
 */
#define EUN_KNOWN_SZ(TYPE)                                                     \
	(offsetof(struct TYPE, EUN_LAST_##TYPE) + sizeof(((struct TYPE *)0)->EUN_LAST_##TYPE))

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

/* Version of the library at run time, e.g. "0.2.0". */
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
#define EUN_LAST_eun_ctx_opts max_latency_ms

/* Create a context and discover the plugins on the search path. Invalid plugins are skipped with a warning. */
EUN_API struct eun_ctx *eun_ctx_new(const struct eun_ctx_opts *opts);

/* Stop and free every tracker of the context, then unload its plugins. NULL is ignored. */
EUN_API void eun_ctx_free(struct eun_ctx *ctx);

/* Load one plugin file explicitly; unlike discovery, a bad file is an error. Returns 0 or -errno. */
EUN_API int eun_ctx_load_plugin(struct eun_ctx *ctx, const char *path);

struct eun_plugin_desc;

/* Register a plugin compiled into the program (a static build, a unit test
 * of a plugin's decode(), a tracker the embedder makes up): desc is checked
 * exactly as a plugin file's descriptor is, and must stay valid and
 * unchanged until eun_ctx_free(). Its path reads "(in-process)". 0,
 * -EEXIST if a plugin of that name is loaded, or -errno (-EPROTO for an
 * ABI version this library does not speak, -EINVAL for a bad descriptor). */
EUN_API int eun_ctx_add_plugin_desc(struct eun_ctx *ctx, const struct eun_plugin_desc *desc);

/* ---- BPF objects as trackers (docs/bpf-objects.md) -------------------- */

/* What a start does with a program whose hook this kernel lacks (a kprobe
 * where kprobes do not exist, an fentry program the kernel refuses). */
enum eun_bpf_attach_policy {
	EUN_BPF_ATTACH_ALL = 0,   /* the start fails, naming the program */
	EUN_BPF_ATTACH_AVAILABLE, /* the program is left out, with a warning naming it;
				   * the start fails only when no program attaches */
};

struct eun_bpf_object_opts {
	size_t sz;                /* sizeof(struct eun_bpf_object_opts) */
	/* Tracker name; NULL: the file's name without ".bpf.o" (or ".o"), in
	 * lower case with other characters than [a-z0-9_] made '_'
	 * ("./opensnoop.bpf.o" -> "opensnoop"). */
	const char *name;
	/* The struct of the object's BTF (or of event_header) that its ring or
	 * perf buffer carries, when no annotation in the object says so:
	 * "STRUCT", or "MAP=STRUCT[,MAP=STRUCT...]" for several buffers. */
	const char *event_struct;
	/* A schema file (YAML) describing the records; NULL: NAME.schema.yaml
	 * beside the object, when it exists. */
	const char *schema_path;
	/* A C header defining the event struct, compiled with clang to BTF. */
	const char *event_header;
	enum eun_bpf_attach_policy attach;
	size_t :0;
};
#define EUN_LAST_eun_bpf_object_opts attach

/* Make the compiled libbpf object at path (a .bpf.o, e.g. one that
 * `eunomia bpf-extract` took out of a libbpf-tools binary) a tracker of ctx,
 * with no C wrapper: its ring buffers and perf event arrays become event
 * types (their layout from an annotation in the object, opts->event_struct,
 * a schema file or opts->event_header, first match wins), its hash and array
 * maps of counters and histograms snapshots read every interval_ms, its
 * globals config keys typed from BTF. Create the tracker with
 * eun_tracker_new(ctx, eun_plugin_name(p), ...). Returns the plugin (owned
 * by ctx), or NULL with errno: EINVAL (not a BPF object, no BTF, no output
 * map, a layout that does not fit), EEXIST (the name is taken), ENOENT. */
EUN_API const struct eun_plugin *eun_ctx_load_bpf_object(struct eun_ctx *ctx, const char *path,
							 const struct eun_bpf_object_opts *opts);

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

/* Config keys every tracker accepts (pid, uid, comm, ringbuf_kb, wakeup_kb,
 * cgroup, container). */
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
#define EUN_LAST_eun_tracker_opts n_config

/* Create an instance of tracker `name`. NULL with errno ENOENT for an unknown
 * tracker, EINVAL for bad opts or config (the message names the key), or
 * what the plugin's create() returned. */
EUN_API struct eun_tracker *eun_tracker_new(struct eun_ctx *ctx, const char *name,
					    const struct eun_tracker_opts *opts);

/* Load and attach the tracker's BPF programs (mounts tracefs if needed and
 * allowed). 0 or -errno: -EPERM without privileges, -ENOTSUP when the kernel
 * lacks BTF or tracefs, else what the plugin's start() returned. */
EUN_API int eun_tracker_start(struct eun_tracker *t);

struct eun_ctx_start_opts {
	size_t sz;        /* sizeof(struct eun_ctx_start_opts) */
	unsigned threads; /* trackers started at once; 0: one per CPU the process may use */
	size_t :0;
};
#define EUN_LAST_eun_ctx_start_opts threads

/* Start every tracker of ctx that is not running, as eun_tracker_start()
 * would, but several at once: a start is mostly libbpf's CPU work on the
 * tracker's BPF object, so on N CPUs many trackers start in about 1/N of
 * the time. The plugins' start() run on helper threads (one instance on one
 * thread; plugins keep no mutable globals), so the log callback may be
 * called from them, one message at a time. If any tracker fails, it is left
 * EUN_TRACKER_FAILED, those this call started are stopped again, and the
 * error of the first failing tracker (in creation order) is returned.
 * 0 or -errno. */
EUN_API int eun_ctx_start_trackers(struct eun_ctx *ctx, const struct eun_ctx_start_opts *opts);

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
	/* records not delivered because they were stamped before the instance
	 * this one replaced had detached (eun_tracker_replace()) */
	uint64_t replaced_skipped;
	size_t :0;
};
#define EUN_LAST_eun_tracker_stats replaced_skipped

/* Fill st (its sz set by the caller, e.g. with EUN_OPTS) with the tracker's counters. 0 or -errno. */
EUN_API int eun_tracker_stats(const struct eun_tracker *t, struct eun_tracker_stats *st);

/* Deliver a raw sample through the tracker's decode and callback path as if
 * it came from the kernel (replay, tests). Returns 1 if delivered, 0 if the
 * plugin dropped it, the callback's value if it was negative, or -errno for
 * a malformed sample (counted as a decode error). */
EUN_API int eun_tracker_inject(struct eun_tracker *t, const void *raw, size_t len);

/* ---- hot update: two versions of a plugin, one instance after another -- */

/* Load a plugin file like eun_ctx_load_plugin(), except that a plugin of
 * the same name may be loaded already (a new version of it): from now on
 * the new one is the one found by name (eun_plugin_find(),
 * eun_tracker_new()), while the trackers of the older one keep running on
 * it. Returns the new plugin, or NULL with errno set (as
 * eun_ctx_load_plugin() would fail) and the error text. */
EUN_API const struct eun_plugin *eun_ctx_load_plugin_update(struct eun_ctx *ctx, const char *path);

/* Take plugin p off the context's list (eun_plugin_count(), _at(),
 * _find()); a plugin of the same name loaded before it is found by name
 * again. Its file stays mapped until eun_ctx_free(), so the schemas of
 * events copied from it stay valid. 0, -EBUSY while trackers of it exist
 * (free them first), -ENOENT if p is not on ctx's list. */
EUN_API int eun_ctx_retire_plugin(struct eun_ctx *ctx, const struct eun_plugin *p);

/* Create an instance of plugin p (one of ctx's, e.g. an older version
 * that is no longer found by name), as eun_tracker_new() does. NULL with
 * errno ENOENT if p is not on ctx's list, else as eun_tracker_new(). */
EUN_API struct eun_tracker *eun_tracker_new_of(struct eun_ctx *ctx, const struct eun_plugin *p,
					       const struct eun_tracker_opts *opts);

/* Hand over from tracker old to tracker repl (running, of the same
 * context; typically a new config or a new plugin version for the same
 * job, started just before): stop old, which delivers its last events,
 * and from then on drop every record of repl stamped before old's
 * programs were detached (counted in repl's replaced_skipped). Events
 * before that instant come from old only, later ones from repl only: no
 * gap and no event twice, for trackers whose records are stamped when the
 * kernel event happens. Aggregating trackers (collect()) stamp a record
 * when it is read, so repl's first records may count the overlap of the
 * two instances again. old is left STOPPED for the caller to free. 0,
 * -EINVAL (not running, other contexts, old == repl), -EBUSY during a
 * delivery of the context, or the error of stopping old. */
EUN_API int eun_tracker_replace(struct eun_tracker *old, struct eun_tracker *repl);

/* Deliver a record that is decoded already (laid out as the plugin's schema
 * declares it, header first, as events arrive in the callback) through the
 * callback path, skipping the plugin's decode(): replaying recorded events.
 * Same returns as eun_tracker_inject(); a record longer than the plugin's
 * largest event type is malformed. */
EUN_API int eun_tracker_inject_record(struct eun_tracker *t, const void *rec, size_t len);

/* ---- events ----------------------------------------------------------- */

/* Called for each event; ev is borrowed for the call only (copy what you keep).
 * Return 0 to continue; a negative value stops the current poll/consume,
 * which then returns it. */
typedef int (*eun_event_fn)(const struct eun_event *ev, void *cookie);

/* Set the callback receiving every tracker's events (NULL: events are
 * counted and discarded). The callback is a listener of the context's bus
 * (see below) that always comes after every other listener. */
EUN_API void eun_ctx_set_event_fn(struct eun_ctx *ctx, eun_event_fn fn, void *cookie);

/* ---- listeners: the event bus ---------------------------------------- */

/*
 * Any number of consumers may listen to a context's events: output sinks,
 * the metrics registry, the event callback, and the embedder's own. Each
 * listener gives a table of methods; every method may be NULL. The table
 * starts with the version of this header it was written against, and the
 * library calls a method only if the table's version has it, so a table
 * from an older header keeps working with a newer library (the PipeWire
 * SPA hook rule: methods are only ever added at the end, with a version
 * bump).
 *
 * Order: listeners get each event in the order they were added, the event
 * callback last. Threads: event() and flush() run on the thread polling the
 * context, unless the listener asked for a queue (eun_listener_opts), in
 * which case they run on a thread of the listener's own, on copies of the
 * events, in order; tracker_started(), tracker_stopped() and detached()
 * always run on the polling thread.
 *
 * What a method may call on the same context during a delivery: reading
 * events, eun_event_copy(), eun_tracker_new(), eun_tracker_start(),
 * eun_tracker_inject() (nested deliveries, a few levels deep: e.g. an alert
 * about an event), adding and removing listeners, and eun_tracker_stop() /
 * eun_tracker_free(), which are then done when the delivery ends (the
 * tracker stays usable until then). eun_ctx_poll() and eun_ctx_consume()
 * return -EBUSY; eun_ctx_free() is refused with an error logged.
 */

#define EUN_LISTENER_OPS_VERSION 0

struct eun_listener;

struct eun_listener_ops {
	uint32_t version; /* EUN_LISTENER_OPS_VERSION the table was written against */
	/* --- version 0 --- */
	/* One event, borrowed for the call (see eun_event_fn). A negative
	 * return ends the current poll/consume after every listener has had
	 * the event; it is ignored for a queued listener (and counted). */
	int (*event)(void *data, const struct eun_event *ev);
	/* The end of each poll/consume (and of the context): write out what
	 * is buffered. */
	void (*flush)(void *data);
	/* A tracker of the context started (its schema may be new to the
	 * listener) or stopped (its last events were delivered). */
	void (*tracker_started)(void *data, struct eun_tracker *t);
	void (*tracker_stopped)(void *data, struct eun_tracker *t);
	/* The listener was removed (eun_listener_remove(), eun_ctx_free());
	 * a queued listener has had every queued event. Its handle is still
	 * valid during the call (eun_listener_stats() gives the final
	 * counters) and freed after it; nothing is called after this. */
	void (*detached)(void *data);
};

struct eun_listener_opts {
	size_t sz;           /* sizeof(struct eun_listener_opts) */
	const char *name;    /* in messages and stats; copied */
	/* 0: a direct listener. Otherwise the listener gets its own thread and
	 * a queue of at most queue_events events: the polling thread only
	 * copies each event into it and never waits for the listener; what
	 * does not fit is dropped and counted (eun_listener_stats()). */
	size_t queue_events;
	size_t queue_bytes;  /* queued bytes at most (record and bookkeeping); 0: 16 MiB */
	size_t :0;
};
#define EUN_LAST_eun_listener_opts queue_bytes

/* Add a listener calling ops with data; both are borrowed until its
 * detached() has run. NULL with errno EINVAL (bad opts, no ops), ENOMEM, or
 * the error of starting its thread. */
EUN_API struct eun_listener *eun_ctx_add_listener(struct eun_ctx *ctx,
						  const struct eun_listener_ops *ops, void *data,
						  const struct eun_listener_opts *opts);

/* Remove a listener: a queued one first gets every event queued for it,
 * then detached() runs and the handle is freed (during a delivery: when it
 * ends, and no event reaches it meanwhile). 0 or -EINVAL (NULL, or the
 * event callback's listener, which eun_ctx_set_event_fn() manages). */
EUN_API int eun_listener_remove(struct eun_listener *l);

/* The listener's name (as given, or "listener"). */
EUN_API const char *eun_listener_name(const struct eun_listener *l);

struct eun_listener_stats {
	size_t sz;           /* sizeof(struct eun_listener_stats) */
	uint64_t events;     /* events its event() was called with */
	uint64_t dropped;    /* queued listeners: events lost because the queue was full */
	uint64_t failed;     /* queued listeners: event() calls that returned < 0 */
	uint64_t queued;     /* queued listeners: events waiting now */
	uint64_t queued_max; /* queued listeners: the most that ever waited */
	size_t :0;
};
#define EUN_LAST_eun_listener_stats queued_max

/* Fill st (its sz set by the caller, e.g. with EUN_OPTS) with the
 * listener's counters; any thread. 0 or -EINVAL. */
EUN_API int eun_listener_stats(const struct eun_listener *l, struct eun_listener_stats *st);

/* Number of listeners of the context, and the i-th one (delivery order). */
EUN_API size_t eun_ctx_listener_count(const struct eun_ctx *ctx);
EUN_API struct eun_listener *eun_ctx_listener_at(const struct eun_ctx *ctx, size_t i);

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

/* A copy of ev that owns its bytes: valid after the callback and on any
 * thread until eun_event_free(), while the ctx lives (the schema is the
 * plugin's). Every accessor and renderer works on it as on ev, except
 * eun_event_tracker(), which gives NULL. NULL with errno ENOMEM. */
EUN_API struct eun_event *eun_event_copy(const struct eun_event *ev);

/* Free a copy made by eun_event_copy(); NULL (and delivered events) are ignored. */
EUN_API void eun_event_free(struct eun_event *ev);

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
/* HIST_LOG2 fields: the slots (slot k counts values in [2^k, 2^(k+1)), see
 * <eunomia/schema.h>) and how many there are; valid during the callback. */
EUN_API int eun_event_get_hist(const struct eun_event *ev, size_t i, const uint64_t **slots, size_t *n);
/* Any field by name, rendered as text into buf (snprintf semantics). */
EUN_API int eun_event_format_field(const struct eun_event *ev, const char *name, char *buf, size_t size);

/* ---- containers ------------------------------------------------------- */

/* What a cgroup says about the container and Kubernetes pod it belongs to.
 * Empty strings mean "not known" (a host process has an empty id). */
struct eun_container_info {
	size_t sz;          /* sizeof(struct eun_container_info) */
	uint64_t cgroup_id; /* cgroup v2 id (inode of the cgroup directory), 0 if unknown */
	char cgroup[1024];  /* path below the cgroup v2 mount, e.g. "/docker/<id>" */
	char id[128];       /* container id */
	char runtime[16];   /* docker, containerd, cri-o, podman, runc, or cri (Kubernetes
			     * with the cgroupfs driver when no state says which runtime) */
	char pod_uid[40];   /* Kubernetes pod uid with dashes */
	char qos[16];       /* guaranteed, burstable or besteffort (pods only) */
	char name[128];     /* from the runtime's state directory, when readable */
	char image[256];    /* likewise */
	uint32_t processes; /* processes in the container's cgroups (listings only) */
	size_t :0;
};
#define EUN_LAST_eun_container_info processes

/* Parse a cgroup path (systemd or cgroupfs naming, as in /proc/PID/cgroup)
 * into out (its sz set by the caller); touches no file. 1 if the path names
 * a container, 0 if not (pod_uid/qos may still be set for a pod's own
 * cgroup), -EINVAL for bad arguments. */
EUN_API int eun_cgroup_path_parse(const char *path, struct eun_container_info *out);

/* The container the event's task ran in, resolved once when the event was
 * delivered, from a per-context cache of the cgroup v2 tree (an unknown
 * cgroup id is looked up through its file handle or /proc/PID/cgroup, and
 * failing both by a walk of the tree between deliveries; entries of removed
 * cgroups are dropped after two walks; no runtime is ever asked). 1 if in a
 * container, 0 for a host process or a cgroup that was gone before it was
 * first looked up, -errno on bad arguments. */
EUN_API int eun_event_container(const struct eun_event *ev, struct eun_container_info *out);

/* Rescan the cgroup v2 tree and return the number of running containers
 * found (one per container id, with at least one process), or -errno
 * (-ENOTSUP without a cgroup v2 hierarchy). */
EUN_API int eun_ctx_containers_refresh(struct eun_ctx *ctx);

/* The i-th container of the last eun_ctx_containers_refresh(), with its
 * shallowest cgroup and its process count. 0, or -ERANGE past the end. */
EUN_API int eun_ctx_container_at(struct eun_ctx *ctx, size_t i, struct eun_container_info *out);

/* One JSON object for c (snprintf semantics, no newline): id, runtime, name,
 * image, pod_uid, qos, cgroup (strings; invalid UTF-8 escaped as for
 * events), cgroup_id and processes. */
EUN_API int eun_container_to_json(const struct eun_container_info *c, char *buf, size_t size);

/* Find a running container by id, unique id prefix or name (rescans).
 * 0, -ENOENT if none matches, -EEXIST if a prefix matches several. */
EUN_API int eun_ctx_container_find(struct eun_ctx *ctx, const char *id_or_name,
				   struct eun_container_info *out);

/* ---- renderers (schema-driven; snprintf semantics: return the length the
 * full output needs, write at most size bytes, always NUL-terminate) ----- */

/* One JSON object: ts, tracker, type, pid, tid, uid, comm, cgroup_id, pid_ns,
 * mnt_ns, net_ns, user_ns, container_id, container_runtime, pod_uid (the
 * last three "" for host processes), then the fields. No newline. */
EUN_API int eun_event_to_json(const struct eun_event *ev, char *buf, size_t size);

/* One line for people: fixed-width header columns, then key=value pairs,
 * then container=ID12 (and pod=UID) for events from a container. */
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

/* ---- output sinks: rendered lines to an fd or a rotated file ---------- */

struct eun_sink;

/* Most rotated files a file sink keeps (eun_sink_opts.rotate_keep). */
#define EUN_SINK_MAX_ROTATE_KEEP 1000

enum eun_sink_format {
	EUN_SINK_JSON = 0, /* one eun_event_to_json() object per line */
	EUN_SINK_CSV,      /* eun_csv_header() row, then one eun_csv_row() per event */
	EUN_SINK_TEXT,     /* eun_text_header() line, then one eun_event_to_text() line per event */
};

struct eun_sink_opts {
	size_t sz;                            /* sizeof(struct eun_sink_opts) */
	/* CSV only, required: the trackers whose fields become the columns
	 * (as eun_csv_new()); borrowed while the sink is created. */
	struct eun_tracker *const *trackers;
	size_t n_trackers;
	bool no_header;                       /* no header line (CSV and text) */
	/* Bytes of complete lines kept before one write(); 0: 64 KiB. */
	size_t buffer_bytes;
	/* File sinks only. Before a line would take the file past
	 * rotate_bytes, rename path to path.1 (path.1 to path.2 ... up to
	 * path.N, dropping the oldest) and start an empty path, with the
	 * header again. A line is never split; a single line larger than
	 * rotate_bytes gets a file of its own. 0: never rotate. */
	uint64_t rotate_bytes;
	/* N, the rotated files kept; 0: 5; at most EUN_SINK_MAX_ROTATE_KEEP.
	 * Only with rotate_bytes. */
	unsigned rotate_keep;
	bool append;                          /* add to an existing file instead of truncating it */
	size_t :0;
};
#define EUN_LAST_eun_sink_opts append

/* A sink writing to fd, which stays the caller's (not closed). A write
 * that finds a non-blocking fd full waits for it with poll(). NULL with
 * errno EBADF or EINVAL (bad opts or format). */
EUN_API struct eun_sink *eun_sink_new_fd(int fd, enum eun_sink_format format,
					 const struct eun_sink_opts *opts);

/* A sink writing to the file at path, created with mode 0644 (less the
 * umask) and truncated unless opts->append. When a write fails part-way
 * (e.g. ENOSPC), the part of a line that reached the file is cut off
 * again, so the file always ends with a whole line. NULL with errno set. */
EUN_API struct eun_sink *eun_sink_new_file(const char *path, enum eun_sink_format format,
					   const struct eun_sink_opts *opts);

/* Render ev as one line into the sink's buffer; the buffer is written
 * (always in whole lines) when full, on eun_sink_flush() and on
 * eun_sink_free(). 0 or -errno. After a write error the sink keeps it,
 * drops every later line and returns that error. */
EUN_API int eun_sink_write(struct eun_sink *sink, const struct eun_event *ev);

/* Write every buffered line to the fd or file now (write(2), no fsync).
 * Call it from a shutdown path (e.g. after SIGTERM) to lose nothing. 0 or -errno. */
EUN_API int eun_sink_flush(struct eun_sink *sink);

/* The first write error of the sink as -errno, 0 if none. */
EUN_API int eun_sink_error(const struct eun_sink *sink);

/* Detach the sink from its ctx if attached, flush, close its file and
 * free it. Returns the sink's first write error (-errno) or 0. NULL: 0. */
EUN_API int eun_sink_free(struct eun_sink *sink);

/* Attach sink to ctx as a listener: from now on every event the ctx
 * delivers is written to the sink (listeners in the order they were added,
 * the event callback last). The ctx borrows the sink: keep it alive until
 * eun_ctx_remove_sink() or eun_ctx_free(). The ctx flushes its sinks at
 * the end of every eun_ctx_poll()/eun_ctx_consume() and in eun_ctx_free()
 * (after the trackers' last events). Write errors do not stop delivery;
 * check eun_sink_error(). 0, -EBUSY if the sink is attached already, or -errno. */
EUN_API int eun_ctx_add_sink(struct eun_ctx *ctx, struct eun_sink *sink);

/* Detach sink from ctx (nothing is flushed). 0 or -ENOENT if not attached to ctx. */
EUN_API int eun_ctx_remove_sink(struct eun_ctx *ctx, struct eun_sink *sink);

/* ---- Prometheus metrics (schema-driven; see docs/prometheus.md) -------- */

/* A registry of metrics derived from the trackers' schemas: events per
 * tracker and event type, the COUNTER, GAUGE and HIST_LOG2 fields, kernel
 * drops, decode errors and build info. Labels come from fields flagged
 * EUN_FIELD_F_KEY plus those the embedder names in label_fields. It may be
 * rendered (and served) from any thread while the ctx thread observes. */
struct eun_metrics;

struct eun_metrics_opts {
	size_t sz;                       /* sizeof(struct eun_metrics_opts) */
	/* Extra label fields as "TRACKER.FIELD", e.g. "tcp.daddr" or
	 * "process.comm" (a field of the tracker's events or a header column). */
	const char *const *label_fields;
	size_t n_label_fields;
	/* Most series (label combinations) per metric family, 0: 1000. Further
	 * combinations are counted in eunomia_series_overflow_total{metric}. */
	size_t max_series;
	size_t :0;
};
#define EUN_LAST_eun_metrics_opts max_series

/* Create a registry for the trackers of ctx (the ctx must outlive it). NULL
 * with errno EINVAL for bad opts or a label field no plugin has. */
EUN_API struct eun_metrics *eun_metrics_new(struct eun_ctx *ctx, const struct eun_metrics_opts *opts);

/* Stop serving, then free the registry. NULL is ignored. */
EUN_API void eun_metrics_free(struct eun_metrics *m);

/* Attach the registry to its ctx as a listener: it then observes every
 * event, refreshes the trackers' counters at the end of every poll/consume
 * and learns new trackers as they start, with no call from the embedder.
 * eun_metrics_free() detaches it. 0, -EBUSY if attached already, -errno. */
EUN_API int eun_metrics_attach(struct eun_metrics *m);

/* Account one event by hand, for a registry that is not attached (from the
 * ctx's event callback, say). 0 or -ENOMEM. */
EUN_API int eun_metrics_observe(struct eun_metrics *m, const struct eun_event *ev);

/* Copy the trackers' counters (kernel drops, decode errors) into the
 * registry and add the event series of new trackers; for a registry that
 * is not attached, call it on the ctx thread, e.g. after each
 * eun_ctx_poll(). 0 or -errno. */
EUN_API int eun_metrics_refresh(struct eun_metrics *m);

/* The registry in the Prometheus text exposition format 0.0.4 (snprintf
 * semantics). Any thread. */
EUN_API int eun_metrics_render(struct eun_metrics *m, char *buf, size_t size);

/* Serve GET /metrics over HTTP on "HOST:PORT" ("[IPv6]:PORT" for IPv6;
 * port 0 picks a free one) from a thread of its own, until
 * eun_metrics_free(). 0, -EALREADY if already serving, -EINVAL for a bad
 * address, or -errno when the address cannot be listened on. */
EUN_API int eun_metrics_serve(struct eun_metrics *m, const char *addr);

/* The TCP port eun_metrics_serve() listens on, or -ENOTCONN when not serving. */
EUN_API int eun_metrics_port(const struct eun_metrics *m);

/* ---- walking the registry (for exporters other than Prometheus) ------- */

/* What kind of metric a series belongs to. */
enum eun_metric_kind {
	EUN_METRIC_COUNTER = 0, /* a running total that never goes down */
	EUN_METRIC_GAUGE,       /* a current value */
	EUN_METRIC_HISTOGRAM,   /* counts of values per bucket, their count and sum */
};

/* One label of a series: both strings valid UTF-8, borrowed for the call. */
struct eun_metric_label {
	const char *name;
	const char *value;
};

/* One series (label combination) of a metric, as eun_metrics_walk() passes
 * it; it and everything it points to are valid during the callback only. */
struct eun_metric_series {
	size_t sz;            /* sizeof(struct eun_metric_series) in the library: read
			       * only the members that fit in it */
	const char *name;     /* the Prometheus name, e.g. "eunomia_events_total" */
	const char *help;
	const char *unit;     /* unit of the values: "seconds", "bytes", another
			       * name ("pages"), or NULL for none */
	enum eun_metric_kind kind;
	const struct eun_metric_label *labels;
	size_t n_labels;
	/* COUNTER and GAUGE: the value in that unit; value_int holds it
	 * exactly when is_int (no unit conversion and it fits). */
	double value;
	int64_t value_int;
	bool is_int;
	/* HISTOGRAM: bucket_counts[i] counts the values above
	 * upper_bounds[i - 1] (any for i = 0) and at most upper_bounds[i]; the
	 * last of the n_buckets buckets, above every bound, has none (so there
	 * are n_buckets - 1 bounds). Not cumulative. count is their total. */
	size_t n_buckets;
	const double *upper_bounds;
	const uint64_t *bucket_counts;
	uint64_t count;
	double sum;
	/* Since when the values count (eun_metrics_new()), epoch ns. */
	uint64_t start_time_ns;
	size_t :0;
};
#define EUN_LAST_eun_metric_series start_time_ns

/* Called for each series; a negative return stops the walk. */
typedef int (*eun_metrics_walk_fn)(const struct eun_metric_series *s, void *cookie);

/* Call fn for every series of the registry, in the order
 * eun_metrics_render() writes them, so that the series of one name come
 * one after the other. The registry stays locked during the walk: fn must
 * not call eun_metrics_* on m. Any thread. 0, fn's first negative return,
 * or -EINVAL / -ENOMEM. */
EUN_API int eun_metrics_walk(struct eun_metrics *m, eun_metrics_walk_fn fn, void *cookie);

/* Set a metric of the embedder's own, without labels, created with help
 * and kind (COUNTER or GAUGE) on first use and rendered and walked after
 * the registry's own. name: [a-zA-Z_][a-zA-Z0-9_]*, not one the registry
 * has; a COUNTER's ends in "_total" and never goes down. Any thread.
 * 0, -EINVAL (bad name or kind, name taken, a counter going down, the
 * kind changed) or -ENOMEM. */
EUN_API int eun_metrics_set(struct eun_metrics *m, const char *name, const char *help,
			    enum eun_metric_kind kind, uint64_t value);

#ifdef __cplusplus
}
#endif

#endif /* EUNOMIA_EUNOMIA_H */
