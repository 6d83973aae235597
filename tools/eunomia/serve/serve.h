/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The state of one `eunomia serve` daemon. The context and everything made
 * from it (instances, outputs, plugins, the audit tracker) belong to the
 * context's thread, the one running serve_loop(); the HTTP threads reach
 * them only through jobs (jobs.h). What the HTTP threads read directly is
 * marked: the stream ring (its own lock), the metrics registry (any
 * thread), the health fields (atomics) and the read-only settings.
 */
#ifndef EUNOMIA_SERVE_SERVE_H
#define EUNOMIA_SERVE_SERVE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <eunomia/eunomia.h>

#include "ratelog.h"
#include "serve_config.h"

struct tokens;
struct jobs;
struct stream_ring;
struct plugin_store;
struct http;
struct instance;
struct output;

/* The last upload of a plugin name, for its state in GET /v1/plugins. */
struct plugin_status {
	char name[64];
	char state[20];     /* "loading" while an update runs, "load_error" after one failed */
	char error[512];
	char sha256[65];
};

struct serve {
	const struct serve_config *cfg;   /* read-only, any thread */
	struct eun_ctx *ctx;
	struct eun_metrics *metrics;      /* any thread (rendering) */
	struct tokens *tokens;            /* read-only, any thread */
	struct plugin_store *store;
	struct stream_ring *ring;         /* its own lock; NULL without streams */
	struct jobs *jobs;
	struct http *http;
	struct ratelog log;               /* any thread */

	struct instance **inst;           /* the trackers, in creation order */
	size_t n_inst;
	unsigned next_inst_id;
	struct instance *audit;           /* the audit tracker's instance */
	struct output **outs;
	size_t n_outs;
	unsigned next_out_id;
	struct plugin_status *pstatus;
	size_t n_pstatus;

	/* health, any thread */
	atomic_llong loop_ms;             /* monotonic ms of the loop's last turn */
	atomic_bool ready;                /* the boot trackers and outputs are up */
	atomic_bool stopping;
	atomic_ullong requests, bad_requests, refused;
};

/* Why an operation failed, as the API reports it: {error, message, hint}. */
struct serve_err {
	unsigned status;      /* HTTP status */
	const char *code;     /* the "error" member: a short stable word */
	char message[768];
	const char *hint;     /* how to fix it, or NULL */
	int errnum;           /* the library's -errno, when it failed; else 0 */
};

/* Fill e. */
void serve_err_set(struct serve_err *e, unsigned status, const char *code, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Copy src into dst of cap bytes, cut if longer; always NUL-terminated. */
static inline void serve_copy(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strnlen(src, cap - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* Monotonic milliseconds. */
int64_t serve_now_ms(void);

/* The status record of plugin name (created empty on first use); NULL without memory. */
struct plugin_status *serve_plugin_status(struct serve *s, const char *name);

#endif
