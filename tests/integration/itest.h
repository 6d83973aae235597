/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Helpers for the root integration tests, which load the real tracker
 * plugins into the running kernel. They fail (exit 1) on any broken
 * expectation, and exit 77 (skip) only when this kernel lacks a feature
 * the trackers need, saying which.
 */
#ifndef EUN_ITEST_H
#define EUN_ITEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <eunomia/eunomia.h>

#define ITEST_SKIP 77
#define ITEST_TIMEOUT_MS 5000

#define ITEST_FAIL(...)                                                        \
	do {                                                                   \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);           \
		fprintf(stderr, __VA_ARGS__);                                  \
		fprintf(stderr, "\n");                                         \
		exit(1);                                                       \
	} while (0)

#define ITEST_CHECK(cond, ...)                                                 \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "FAIL %s:%d: (%s) ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                          \
			fprintf(stderr, "\n");                                 \
			exit(1);                                               \
		}                                                              \
	} while (0)

/* Fails unless root; skips (77) when the kernel lacks BTF or BPF ring buffers. */
void itest_require_kernel(void);

/* A ctx whose plugins come only from $EUNOMIA_PLUGIN_PATH (the build's trackers/). */
struct eun_ctx *itest_ctx(void);

/* Create and start tracker `name` with n config entries; fails the test on error. */
struct eun_tracker *itest_start(struct eun_ctx *ctx, const char *name,
				const struct eun_config_entry *cfg, size_t n);

/* Poll ctx until *done becomes true or ITEST_TIMEOUT_MS passes; false on timeout. */
bool itest_poll_until(struct eun_ctx *ctx, const bool *done);

/* Field `name` of ev as text into buf; false if the event has no such field. */
bool itest_field_text(const struct eun_event *ev, const char *name, char *buf, size_t size);

/* Integer field `name` of ev; fails the test if it is missing or not an integer. */
int64_t itest_field_s64(const struct eun_event *ev, const char *name);

/* The log2 histogram field `hist` of ev (32 slots) must add up to count,
 * and the integer field `sum` must lie within the bounds of its slots
 * (slot k: [2^k, 2^(k+1)), slot 0: [0, 2)); fails the test otherwise. */
void itest_check_hist(const struct eun_event *ev, const char *hist, const char *sum, uint64_t count);

/* A fresh directory under /tmp (path in a static buffer), removed at exit with its files. */
const char *itest_tmpdir(void);

/* Mount point of the cgroup v2 hierarchy (/sys/fs/cgroup, or
 * /sys/fs/cgroup/unified on hybrid systems) in a static buffer; skips (77)
 * when none is mounted. */
const char *itest_cgroup_v2(void);

#endif /* EUN_ITEST_H */
