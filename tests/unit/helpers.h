/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Shared setup for the unit tests: fixture contexts, records, log capture. */
#ifndef EUN_TEST_HELPERS_H
#define EUN_TEST_HELPERS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include <eunomia/eunomia.h>

#include "fixture_good.h"

/* Build directories of the good and the bad fixture plugins (set by meson). */
#ifndef EUN_TEST_FIXTURE_DIR
#error "EUN_TEST_FIXTURE_DIR must be defined by the build"
#endif
#ifndef EUN_TEST_BAD_DIR
#error "EUN_TEST_BAD_DIR must be defined by the build"
#endif

/* Path of fixture file `name`.so in the good or bad fixture directory (static buffer). */
const char *fixture_path(const char *name);
const char *bad_fixture_path(const char *name);

/* A context that sees only the good fixtures (no installed plugins, no env). */
struct eun_ctx *fixture_ctx(void);

/* An instance of the "fixture" tracker with the given config entries. */
struct eun_tracker *fixture_tracker(struct eun_ctx *ctx, const struct eun_config_entry *cfg,
				    size_t n);

/* Records with known contents. */
void alpha_fill(struct fixture_alpha *r);
void beta_fill(struct fixture_beta *r);

/* Copy a string into a fixed STR field, without the NUL if it fills it. */
void str_fill(char *dst, size_t cap, const char *src);

/* Inject rec into t with fn as the ctx's event callback; returns the inject result. */
int inject_with(struct eun_ctx *ctx, struct eun_tracker *t, const void *rec, size_t len,
		eun_event_fn fn, void *cookie);

/* Everything the renderers produce for one event, copied inside the callback. */
struct rendered {
	int calls;
	char json[4096];
	char text[4096];
	int json_len, text_len;
	unsigned long long ts;
};

/* eun_event_fn filling a struct rendered (cookie). */
int render_cb(const struct eun_event *ev, void *cookie);

/* Log capture: every message is appended, one per line, with its level. */
struct log_capture {
	char buf[16384];
	size_t len;
	int n_warn, n_error;
};
void log_capture_start(struct log_capture *lc);
void log_capture_stop(void);

/* Run one suite; returns the process exit status for main(). */
int run_suite(Suite *s);

#endif /* EUN_TEST_HELPERS_H */
