/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The core: contexts, plugins (discovery, loading, validation), tracker
 * configuration and lifecycle, the host table, BPF object settings, kernel
 * checks and the event loop that reads the rings and delivers events to
 * the context's listeners. Its structs are private to lib/core/; the
 * modules above it (render, sink, metrics, rules) use the public API.
 * Never installed.
 */
#ifndef EUNOMIA_CORE_H
#define EUNOMIA_CORE_H

#include <eunomia/plugin.h>

#include "bus/bus.h"
#include "event/event.h"

struct ring_reader;
struct container_cache;
struct symbolizer;
struct bpf_object;

/* A loaded plugin: a file, or a descriptor registered in-process. */
struct eun_plugin {
	const struct eun_plugin_desc *desc;
	void *dl;          /* dlopen handle, NULL for an in-process descriptor */
	char *path;
	size_t max_record; /* largest record_size over the plugin's event types */
	int (*collect)(void *state); /* desc->collect for ABI >= 1.1 plugins, else NULL */
	/* desc->poll_fd, poll, kernel_drops for ABI >= 1.3 plugins, else NULL */
	int (*poll_fd)(void *state);
	int (*poll)(void *state);
	uint64_t (*kernel_drops)(void *state);
	void (*release)(void *arg); /* for a descriptor the ctx owns: frees it, with release_arg */
	void *release_arg;
};

/* One parsed config value (common keys and plugin keys alike). */
struct config_value {
	const struct eun_config_key *key;
	char *text;        /* validated text, or the default */
	uint64_t uint_val; /* for UINT and BOOL */
	bool set;          /* given by the user or defaulted */
	bool given;        /* given by the user */
};

/* Work on a tracker asked for during a delivery, done when it ends. */
enum tracker_pending {
	PENDING_NONE = 0,
	PENDING_STOP,
	PENDING_FREE,
};

struct eun_tracker {
	struct eun_ctx *ctx;
	struct eun_plugin *plugin;
	void *state;                  /* the plugin's instance */
	enum eun_tracker_state st;
	enum tracker_pending pending;
	struct config_value *config;  /* common keys first, then plugin keys */
	size_t n_config;
	struct bpf_object *obj;       /* as given to host->prepare_bpf, may be NULL */
	struct ring_reader *rb;       /* while running */
	int poll_fd;                  /* plugin's poll_fd() while running, else -1 */
	void *decode_buf;             /* plugin->max_record bytes when decode is set */
	uint64_t events, decode_errors;
	int cb_status;                /* negative listener return seen during a drain */
	int op_errno;                 /* given to host->set_error_errno() by the running operation */
	uint32_t collect_interval_ms; /* 0: collect() only at stop */
	int64_t next_collect_ms;      /* CLOCK_MONOTONIC deadline while running */
	uint64_t detached_ns;         /* CLOCK_BOOTTIME of the last stop()'s return, 0 if none */
	uint64_t skip_before_ns;      /* records stamped earlier are dropped (tracker_replace.c) */
	uint64_t replaced_skipped;    /* records dropped so */
};

struct eun_ctx {
	struct eun_plugin **plugins;
	size_t n_plugins;
	struct eun_plugin **retired; /* eun_ctx_retire_plugin(): unlisted, closed at free */
	size_t n_retired;
	struct eun_tracker **trackers;
	size_t n_trackers;
	struct listener_list listeners;
	struct eun_listener *callback; /* eun_ctx_set_event_fn(), kept last */
	eun_event_fn event_fn;
	void *event_cookie;
	int epfd;                 /* stable fd handed to embedders */
	unsigned max_latency_ms;
	uint64_t boot_to_real_ns; /* add to CLOCK_BOOTTIME ns to get epoch ns */
	bool captured_libbpf;
	unsigned draining;        /* poll/consume/stop drains under way */
	size_t n_pending;         /* trackers with pending work */
	struct container_cache *containers; /* cgroup id -> container, made on first use */
	struct symbolizer *sym;   /* shared by the trackers' host->symbolize(), made on first use */
};

/* ---- plugins (plugin_loader.c, plugin_validate.c, plugin_discovery.c) ---- */

/* True if descriptor d was built for ABI 1.minor or later and its size
 * covers `member`: the rule for reading members added after 1.0. */
#define PLUGIN_DESC_HAS(d, minor, member) \
	((d)->abi_minor >= (minor) &&      \
	 (d)->size >= offsetof(struct eun_plugin_desc, member) + sizeof((d)->member))
/* d->collect if the plugin was built for an ABI that has it, else NULL. */
static inline int (*plugin_desc_collect(const struct eun_plugin_desc *d))(void *)
{
	return PLUGIN_DESC_HAS(d, 1, collect) ? d->collect : NULL;
}
/* d->poll_fd and d->poll (ABI 1.3), or NULL. */
static inline int (*plugin_desc_poll_fd(const struct eun_plugin_desc *d))(void *)
{
	return PLUGIN_DESC_HAS(d, 3, poll_fd) ? d->poll_fd : NULL;
}
static inline int (*plugin_desc_poll(const struct eun_plugin_desc *d))(void *)
{
	return PLUGIN_DESC_HAS(d, 3, poll) ? d->poll : NULL;
}
/* Before dlopen(): path is a regular file, an ELF shared object for this
 * machine, covering its segments (plugin_file_check.c). 0 or -errno
 * (-ENOENT, -EISDIR, -EINVAL for another kind of file, -ENOEXEC for a
 * bad ELF file) with the error text naming the file and the problem. */
EUN_HIDDEN int plugin_file_check(const char *path);
/* Check the file, dlopen it, check entry symbol, ABI version and descriptor. */
EUN_HIDDEN int plugin_open(const char *path, struct eun_plugin **out);
/* Wrap an in-process descriptor (checked like a file's) named `where` in messages. */
EUN_HIDDEN int plugin_from_desc(const struct eun_plugin_desc *d, const char *where,
				struct eun_plugin **out);
/* Unload a plugin: dlclose() a file's, release() a descriptor the ctx owns. */
EUN_HIDDEN void plugin_close(struct eun_plugin *p);
/* Register an in-process descriptor that ctx owns from now on, named
 * `where` in messages (e.g. the BPF object's path): release(arg) frees it
 * when the ctx unloads its plugins, or right away if registration fails.
 * 0 or -errno as eun_ctx_add_plugin_desc(). For the modules above the core
 * that build descriptors at run time (bpfobj/). */
EUN_HIDDEN int ctx_add_owned_desc(struct eun_ctx *ctx, const struct eun_plugin_desc *d,
				  const char *where, void (*release)(void *arg), void *arg);
/* Check a descriptor (ABI version already accepted). 0 or -EINVAL + error text naming the problem. */
EUN_HIDDEN int plugin_validate(const struct eun_plugin_desc *d, const char *path);
/* Open every plugin found on the search path and hand each to add() (which
 * takes it over, or returns non-zero to have it closed). */
EUN_HIDDEN int plugin_discover(const char *opt_path, bool no_default,
			       int (*add)(void *cookie, struct eun_plugin *p), void *cookie);
/* Add an opened plugin to ctx; -EEXIST if the name is taken. */
EUN_HIDDEN int ctx_add_plugin(struct eun_ctx *ctx, struct eun_plugin *p);
/* Append an opened plugin to ctx whatever its name (the newest of a name
 * is the one found by name). 0 or -ENOMEM. */
EUN_HIDDEN int ctx_append_plugin(struct eun_ctx *ctx, struct eun_plugin *p);

/* Run `call`, an operation of t's plugin returning int, and give what the
 * embedder's call returns for it: on failure the errno the plugin gave
 * host->set_error_errno() meanwhile, if any, else what it returned. */
#define PLUGIN_OP(t, call)                                                      \
	({                                                                     \
		int op_ret_;                                                   \
		(t)->op_errno = 0;                                             \
		op_ret_ = (call);                                              \
		op_ret_ < 0 && (t)->op_errno ? -(t)->op_errno : op_ret_;      \
	})

/* ---- config (config.c) ---- */

/* Build t->config from the plugin's keys plus the common ones and the
 * user's entries; refuses unknown keys and bad values naming the key. */
EUN_HIDDEN int config_build(struct eun_tracker *t, const struct eun_config_entry *entries, size_t n);
EUN_HIDDEN void config_free(struct eun_tracker *t);
EUN_HIDDEN const struct config_value *config_find(const struct eun_tracker *t, const char *key);
/* Check a value's text against its key; 0 or -EINVAL + error text. */
EUN_HIDDEN int config_parse(const struct eun_config_key *k, const char *text, uint64_t *uint_out);

/* ---- host table and BPF object settings (host.c, bpf_settings.c) ---- */

EUN_HIDDEN extern const struct eun_host core_host;
/* Apply filters/ring size/wakeup to obj per t's config. */
EUN_HIDDEN int bpf_settings_apply(struct eun_tracker *t, struct bpf_object *obj);
/* Kernel-side drop counter of a loaded object (0 if it has none). */
EUN_HIDDEN uint64_t bpf_settings_read_drops(struct bpf_object *obj);

/* ---- kernel environment (kernel_env.c) ---- */

/* Check privileges and BTF; mount tracefs when obj (NULL: unknown) has
 * tracefs-attached programs and it is missing. 0 or -errno. */
EUN_HIDDEN int kernel_env_prepare(struct bpf_object *obj);

/* ---- tracker start (tracker.c), shared with tracker_start_all.c ---- */

/* Before a plugin's start(): 1 if t runs already, 0 if it may start (kernel
 * checked, tracefs mounted), or -errno with the error text set. */
EUN_HIDDEN int tracker_start_check(struct eun_tracker *t);
/* After a plugin's start() returned err: on success add its ring to the event
 * loop and mark it RUNNING, else mark it FAILED. 0 or -errno (text set). */
EUN_HIDDEN int tracker_start_finish(struct eun_tracker *t, int err);
/* An instance of plugin p (one of ctx's) with opts: eun_tracker_new() once
 * the plugin is found. NULL + errno, error text set. */
EUN_HIDDEN struct eun_tracker *tracker_create(struct eun_ctx *ctx, struct eun_plugin *p,
					      const struct eun_tracker_opts *opts);
/* Do the stops and frees asked for during the drain that just ended. */
EUN_HIDDEN void tracker_run_pending(struct eun_ctx *ctx);

/* ---- containers of a ctx (ctx_containers.c) ---- */

/* The ctx's container cache, made on first use; NULL without memory. */
EUN_HIDDEN struct container_cache *ctx_containers(struct eun_ctx *ctx);

/* ---- event loop (event_loop.c, event_deliver.c; ctx_poll.c drives it) ---- */

/* Attach / detach a started tracker's ring buffer to the ctx's epoll. */
EUN_HIDDEN int event_loop_add(struct eun_tracker *t);
EUN_HIDDEN void event_loop_remove(struct eun_tracker *t);
/* Turn one raw sample into an event and hand it to the listeners. */
EUN_HIDDEN int event_dispatch(struct eun_tracker *t, const void *raw, size_t len);
/* Check a record (decoded already) against its schema and hand it to the listeners. */
EUN_HIDDEN int event_deliver(struct eun_tracker *t, const void *rec, size_t len);
/* Call t's collect() now and schedule the next one; 0, or a listener's
 * negative value / collect()'s -errno. */
EUN_HIDDEN int event_loop_collect(struct eun_tracker *t);
/* Deliver what one tracker's ring holds; count or a listener's negative value. */
EUN_HIDDEN int event_loop_drain(struct eun_tracker *t);
/* Call t's poll() (plugins with poll_fd): the records it emitted, or a
 * listener's negative value / poll()'s -errno. */
EUN_HIDDEN int event_loop_poll(struct eun_tracker *t);
/* Run collect() of every running tracker whose interval has passed; the
 * number of records they emitted, or a negative error. */
EUN_HIDDEN int event_loop_collect_due(struct eun_ctx *ctx);

/* ---- one BPF ring buffer map, read in place (ring_reader.c) ---- */

/* A sample of size bytes; valid during the call. Negative stops the read. */
typedef int (*ring_sample_fn)(void *cookie, const void *sample, size_t size);
/* Map the ring of map_fd (not taken over); NULL with errno on failure. */
EUN_HIDDEN struct ring_reader *ring_reader_new(int map_fd);
EUN_HIDDEN void ring_reader_free(struct ring_reader *r);
/* The map fd, readable (EPOLLIN) while samples wait. */
EUN_HIDDEN int ring_reader_fd(const struct ring_reader *r);
/* Hand every committed sample to fn; how many, or fn's negative return. */
EUN_HIDDEN int ring_reader_consume(struct ring_reader *r, ring_sample_fn fn, void *cookie);

#endif /* EUNOMIA_CORE_H */
