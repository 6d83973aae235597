/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The bottom layer of the library: error text, logging, opts checks, the
 * monotonic clock and the output buffer every renderer writes into. It
 * knows no other module; every other module may use it. Never installed.
 */
#ifndef EUNOMIA_BASE_H
#define EUNOMIA_BASE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/eunomia.h>

#define EUN_HIDDEN __attribute__((visibility("hidden")))

/* ---- opts helpers (libbpf rules; opts.c) ---- */

/* True if opts is NULL, or its sz is sane and every byte past what this
 * library knows (known_sz) is zero. Sets the error text otherwise. */
EUN_HIDDEN bool opts_valid(const void *opts, size_t known_sz, const char *type_name);
/* opts_valid() for a `const struct TYPE *opts`, from the end of TYPE's last member. */
#define OPTS_VALID(opts, TYPE) opts_valid((opts), EUN_KNOWN_SZ(TYPE), #TYPE)
/* Hand a struct the library fills to a caller whose struct (of dst->sz
 * bytes, at least a size_t) may be older or newer: copy the members after
 * sz that both know, up to known_sz, and zero what the caller has past it. */
EUN_HIDDEN void opts_copy_out(void *dst, const void *src, size_t known_sz);
/* Member of opts if the caller's struct is big enough to hold it, else dflt. */
#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) + sizeof((opts)->field))
#define OPTS_GET(opts, field, dflt) (OPTS_HAS(opts, field) ? (opts)->field : (dflt))

/* ---- error text (error.c) ---- */

/* Set eun_last_error() text and return -err (err is a positive errno). */
EUN_HIDDEN int set_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
EUN_HIDDEN int set_error_v(int err, const char *fmt, va_list ap);
/* Reset the error text at the start of a public call. */
EUN_HIDDEN void clear_error(void);

/* ---- logging (log.c) ---- */

EUN_HIDDEN void log_msg(enum eun_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
EUN_HIDDEN void log_msg_v(enum eun_log_level lvl, const char *fmt, va_list ap);
/* Start/stop forwarding libbpf's print output to the log callback. */
EUN_HIDDEN void libbpf_logs_capture(bool on);

/* ---- clock (monotonic.c) ---- */

/* Milliseconds on CLOCK_MONOTONIC. */
EUN_HIDDEN int64_t monotonic_ms(void);
/* Nanoseconds on CLOCK_BOOTTIME, the clock records are stamped with. */
EUN_HIDDEN uint64_t boottime_ns(void);

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
/* NUL-terminate and return the full length (as int, or -EOVERFLOW). */
EUN_HIDDEN int outbuf_finish(struct outbuf *o);
/* "a, b, c" from name_at(src, 0..n-1) into buf (truncated to size), or
 * if_empty when n is 0: the lists in "unknown X; available: ..." errors. */
EUN_HIDDEN void join_names(char *buf, size_t size, const char *(*name_at)(const void *src, size_t i),
			   const void *src, size_t n, const char *if_empty);

#endif /* EUNOMIA_BASE_H */
