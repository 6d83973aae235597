/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Definitions shared by the library's own source files; never installed. */
#ifndef EUNOMIA_INTERNAL_H
#define EUNOMIA_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/eunomia.h>
#include <eunomia/plugin.h>

#define EUN_HIDDEN __attribute__((visibility("hidden")))

struct ring_reader;
struct container_cache;
struct symbolizer;
struct bpf_object;

/* A loaded plugin file. */
struct eun_plugin {
	const struct eun_plugin_desc *desc;
	void *dl;          /* dlopen handle */
	char *path;
	size_t max_record; /* largest record_size over the plugin's event types */
	int (*collect)(void *state); /* desc->collect for ABI >= 1.1 plugins, else NULL */
};

/* One parsed config value (common keys and plugin keys alike). */
struct config_value {
	const struct eun_config_key *key;
	char *text;        /* validated text, or the default */
	uint64_t uint_val; /* for UINT and BOOL */
	bool set;          /* given by the user or defaulted */
	bool given;        /* given by the user */
};

struct eun_tracker {
	struct eun_ctx *ctx;
	struct eun_plugin *plugin;
	void *state;                  /* the plugin's instance */
	enum eun_tracker_state st;
	struct config_value *config;  /* common keys first, then plugin keys */
	size_t n_config;
	struct bpf_object *obj;       /* as given to host->prepare_bpf, may be NULL */
	struct ring_reader *rb;       /* while running */
	void *decode_buf;             /* plugin->max_record bytes when decode is set */
	uint64_t events, decode_errors;
	int cb_status;                /* negative callback return seen during a drain */
	uint32_t collect_interval_ms; /* 0: collect() only at stop */
	int64_t next_collect_ms;      /* CLOCK_MONOTONIC deadline while running */
};

struct eun_ctx {
	struct eun_plugin **plugins;
	size_t n_plugins;
	struct eun_tracker **trackers;
	size_t n_trackers;
	eun_event_fn event_fn;
	void *event_cookie;
	struct eun_sink **sinks;  /* attached output sinks, borrowed (sink_ctx.c) */
	size_t n_sinks;
	int epfd;                 /* stable fd handed to embedders */
	unsigned max_latency_ms;
	uint64_t boot_to_real_ns; /* add to CLOCK_BOOTTIME ns to get epoch ns */
	bool captured_libbpf;
	struct container_cache *containers; /* cgroup id -> container, made on first use */
	struct symbolizer *sym;   /* shared by the trackers' host->symbolize(), made on first use */
};

/* A record being delivered; lives on the stack of the drain loop. */
struct eun_event {
	struct eun_tracker *tracker;
	const struct eun_event_type *type;
	const struct eun_record_header *hdr;
	const uint8_t *rec; /* == (const uint8_t *)hdr */
	size_t len;
	char comm[EUN_COMM_LEN + 1]; /* hdr->comm, always NUL-terminated */
};

/* ---- opts helpers (libbpf rules) ---- */

/* True if opts is NULL, or its sz is sane and every byte past what this
 * library knows (known_sz) is zero. Sets the error text otherwise. */
EUN_HIDDEN bool opts_valid(const void *opts, size_t known_sz, const char *type_name);
/* Member of opts if the caller's struct is big enough to hold it, else dflt. */
#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) + sizeof((opts)->field))
#define OPTS_GET(opts, field, dflt) (OPTS_HAS(opts, field) ? (opts)->field : (dflt))

/* ---- errors and logging (log.c) ---- */

/* Set eun_last_error() text and return -err (err is a positive errno). */
EUN_HIDDEN int set_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
EUN_HIDDEN int set_error_v(int err, const char *fmt, va_list ap);
/* Reset the error text at the start of a public call. */
EUN_HIDDEN void clear_error(void);
EUN_HIDDEN void log_msg(enum eun_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
EUN_HIDDEN void log_msg_v(enum eun_log_level lvl, const char *fmt, va_list ap);
/* Start/stop forwarding libbpf's print output to the log callback. */
EUN_HIDDEN void libbpf_logs_capture(bool on);

/* ---- tracker start (tracker.c), shared with tracker_start_all.c ---- */

/* Before a plugin's start(): 1 if t runs already, 0 if it may start (kernel
 * checked, tracefs mounted), or -errno with the error text set. */
EUN_HIDDEN int tracker_start_check(struct eun_tracker *t);
/* After a plugin's start() returned err: on success add its ring to the event
 * loop and mark it RUNNING, else mark it FAILED. 0 or -errno (text set). */
EUN_HIDDEN int tracker_start_finish(struct eun_tracker *t, int err);

/* ---- plugins (plugin_loader.c, plugin_validate.c) ---- */

/* d->collect if the plugin was built for an ABI that has it, else NULL. */
static inline int (*plugin_desc_collect(const struct eun_plugin_desc *d))(void *)
{
	if (d->abi_minor >= 1 && d->size >= offsetof(struct eun_plugin_desc, collect) + sizeof(d->collect))
		return d->collect;
	return NULL;
}
/* dlopen path, check entry symbol, ABI version and descriptor. */
EUN_HIDDEN int plugin_open(const char *path, struct eun_plugin **out);
EUN_HIDDEN void plugin_close(struct eun_plugin *p);
/* Check a descriptor (ABI version already accepted). 0 or -EINVAL + error text naming the problem. */
EUN_HIDDEN int plugin_validate(const struct eun_plugin_desc *d, const char *path);
/* Load every plugin found on the search path into ctx. */
EUN_HIDDEN int plugin_discover(struct eun_ctx *ctx, const char *opt_path, bool no_default);
/* Add an opened plugin to ctx; -EEXIST if the name is taken. */
EUN_HIDDEN int ctx_add_plugin(struct eun_ctx *ctx, struct eun_plugin *p);

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

/* ---- event loop (event_loop.c) ---- */

/* Attach / detach a started tracker's ring buffer to the ctx's epoll. */
EUN_HIDDEN int event_loop_add(struct eun_tracker *t);
EUN_HIDDEN void event_loop_remove(struct eun_tracker *t);
/* Turn one raw sample into an event and hand it to the callback. */
EUN_HIDDEN int event_dispatch(struct eun_tracker *t, const void *raw, size_t len);
/* Check a record (decoded already) against its schema and hand it to the callback. */
EUN_HIDDEN int event_deliver(struct eun_tracker *t, const void *rec, size_t len);
/* Call t's collect() now and schedule the next one; 0, or the callback's
 * negative value / collect()'s -errno. */
EUN_HIDDEN int event_loop_collect(struct eun_tracker *t);
/* Milliseconds on CLOCK_MONOTONIC (monotonic.c). */
EUN_HIDDEN int64_t monotonic_ms(void);

/* ---- output sinks attached to a ctx (sink_ctx.c) ---- */

/* Write ev to every attached sink; a failing sink keeps its error. */
EUN_HIDDEN void sinks_deliver(struct eun_ctx *ctx, const struct eun_event *ev);
/* Write out what every attached sink has buffered. */
EUN_HIDDEN void sinks_flush(struct eun_ctx *ctx);
/* Flush and detach every sink (eun_ctx_free(), after the trackers). */
EUN_HIDDEN void sinks_detach_all(struct eun_ctx *ctx);

/* ---- field values (field_value.c) ---- */

/* True if field f is an integer type (incl. BOOL). */
EUN_HIDDEN bool field_is_int(const struct eun_field *f);
EUN_HIDDEN bool field_is_signed(const struct eun_field *f);
/* Number of slots of a HIST_LOG2 field, and slot i of it in rec. */
EUN_HIDDEN size_t field_hist_slots(const struct eun_field *f);
EUN_HIDDEN uint64_t field_hist_slot(const struct eun_field *f, const uint8_t *rec, size_t i);
/* Raw integer of field f in record rec (sign-extended for signed types). */
EUN_HIDDEN uint64_t field_read_u64(const struct eun_field *f, const uint8_t *rec);
/* Length of a STR field up to its first NUL or its size. */
EUN_HIDDEN size_t field_str_len(const struct eun_field *f, const uint8_t *rec);
/* Plain text of a field's value (no quoting), snprintf semantics. */
EUN_HIDDEN int field_format(const struct eun_field *f, const uint8_t *rec, char *buf, size_t size);
struct outbuf;
/* Append the same text as field_format() to o. */
EUN_HIDDEN void field_put(struct outbuf *o, const struct eun_field *f, const uint8_t *rec);

/* ---- the common header as columns (header_fields.c) ---- */

enum header_field {
	HDR_TS, HDR_TRACKER, HDR_TYPE, HDR_PID, HDR_TID, HDR_UID, HDR_COMM, HDR_CGROUP_ID,
	HDR_PID_NS, HDR_MNT_NS, HDR_NET_NS, HDR_USER_NS,
	HDR_CONTAINER_ID, HDR_CONTAINER_RUNTIME, HDR_POD_UID, /* "" for host processes */
	N_HEADER_FIELDS
};
/* Column names, in rendering order; plugin fields may not reuse them. */
EUN_HIDDEN extern const char *const header_field_names[N_HEADER_FIELDS];
/* Index of header field `name`, or -ENOENT. */
EUN_HIDDEN int header_field_index(const char *name);
/* Text of a string column (tracker, type, comm, container ones); NULL for numeric ones. */
EUN_HIDDEN const char *header_field_str(const struct eun_event *ev, enum header_field i);
/* Value of a numeric column (ts is wall-clock ns); 0 for string ones. */
EUN_HIDDEN uint64_t header_field_num(const struct eun_event *ev, enum header_field i);

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

/* ---- output buffer with snprintf semantics (outbuf.c) ---- */

struct outbuf {
	char *buf;
	size_t size;
	size_t len; /* length the full output needs so far */
};
EUN_HIDDEN void outbuf_init(struct outbuf *o, char *buf, size_t size);

/* Bytes still free before the byte reserved for the terminating NUL. */
static inline size_t outbuf_room(const struct outbuf *o)
{
	/* Not o->len + 1, which wraps to 0 once len has saturated. */
	return o->size && o->len < o->size - 1 ? o->size - 1 - o->len : 0;
}

/* Count n more bytes of output, saturating at SIZE_MAX. */
static inline void outbuf_count(struct outbuf *o, size_t n)
{
	o->len = n > SIZE_MAX - o->len ? SIZE_MAX : o->len + n;
}

/* Append n bytes (what fits). Inline, like outbuf_putc(): the renderers
 * call them for every piece of every event. */
static inline void outbuf_write(struct outbuf *o, const char *s, size_t n)
{
	size_t room = outbuf_room(o);

	if (room)
		memcpy(o->buf + o->len, s, n < room ? n : room);
	outbuf_count(o, n);
}

static inline void outbuf_putc(struct outbuf *o, char c)
{
	if (outbuf_room(o))
		o->buf[o->len] = c;
	outbuf_count(o, 1);
}

EUN_HIDDEN void outbuf_puts(struct outbuf *o, const char *s);
EUN_HIDDEN void outbuf_printf(struct outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* v in decimal, as "%" PRIu64 / PRId64 would print it, without printf's cost. */
EUN_HIDDEN void outbuf_u64(struct outbuf *o, uint64_t v);
EUN_HIDDEN void outbuf_s64(struct outbuf *o, int64_t v);
/* A JSON string of n arbitrary bytes (render_json.c): valid UTF-8 passes
 * through, each byte of an invalid sequence becomes \u00XX. */
EUN_HIDDEN void json_put_string(struct outbuf *o, const char *str, size_t n);
/* NUL-terminate and return the full length (as int, or -EOVERFLOW). */
EUN_HIDDEN int outbuf_finish(struct outbuf *o);
/* "a, b, c" from name_at(src, 0..n-1) into buf (truncated to size), or
 * if_empty when n is 0: the lists in "unknown X; available: ..." errors. */
EUN_HIDDEN void join_names(char *buf, size_t size, const char *(*name_at)(const void *src, size_t i),
			   const void *src, size_t n, const char *if_empty);

#endif /* EUNOMIA_INTERNAL_H */
