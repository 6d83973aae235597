/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Every public header and every public macro, in code that must compile
 * without a warning at -pedantic -Wall -Wextra as C99, C11, C++17 and
 * C++20 (check_headers.sh builds it with gcc, clang, g++ and clang++).
 * Designated initializers are C++20 in C++: the C++17 build uses the forms
 * docs/api.md gives for it.
 */
#include <eunomia/eunomia.h>
#include <eunomia/plugin.h>
#include <eunomia/record.h>
#include <eunomia/schema.h>
#include <eunomia/version.h>

#if !defined(__cplusplus) || __cplusplus >= 202002L
#define HAVE_DESIGNATORS 1
#else
#define HAVE_DESIGNATORS 0
#endif

struct use_rec {
	struct eun_record_header h;
	uint64_t value;
	char name[16];
};

static const struct eun_field use_fields[] = {
	EUN_FIELD(struct use_rec, value, EUN_FIELD_U64, "bytes", EUN_FIELD_F_COUNTER, "a value"),
	EUN_FIELD(struct use_rec, name, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY | EUN_FIELD_F_HEX, NULL),
};

static int use_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	host->log(t, EUN_PLOG_INFO, "%d fields", (int)EUN_ARRAY_LEN(use_fields));
	*state = NULL;
	return 0;
}

static void use_destroy(void *state)
{
	(void)state;
}

static int use_op(void *state)
{
	(void)state;
	return 0;
}

#if HAVE_DESIGNATORS
static const struct eun_event_type use_types[] = {
	{ .name = "use", .description = NULL, .id = 1, .record_size = sizeof(struct use_rec),
	  .fields = use_fields, .n_fields = EUN_ARRAY_LEN(use_fields), .reserved_ = 0 },
};

static const struct eun_plugin_desc use_desc = {
	EUN_PLUGIN_DESC_HEADER("use"),
	.version = EUN_VERSION_STRING,
	.description = "uses every header",
	.license = "BSD-2-Clause",
	.event_types = use_types,
	.n_event_types = EUN_ARRAY_LEN(use_types),
	.n_config_keys = 0,
	.config_keys = NULL,
	.create = use_create,
	.destroy = use_destroy,
	.start = use_op,
	.stop = use_op,
	.ring_fd = use_op,
	.decode = NULL,
	.collect = NULL,
	.poll_fd = NULL,
	.poll = NULL,
	.kernel_drops = NULL,
};
#else
/* C++17: positional initializers, in the members' order. */
static const struct eun_event_type use_types[] = {
	{ "use", NULL, 1, sizeof(struct use_rec), use_fields, EUN_ARRAY_LEN(use_fields), 0 },
};

static const struct eun_plugin_desc use_desc = {
	sizeof(struct eun_plugin_desc), EUN_PLUGIN_ABI_MAJOR, EUN_PLUGIN_ABI_MINOR, "use",
	EUN_VERSION_STRING, "uses every header", "BSD-2-Clause", use_types,
	EUN_ARRAY_LEN(use_types), 0, NULL, use_create, use_destroy, use_op, use_op, use_op,
	NULL, NULL, NULL, NULL, NULL,
};
#endif

EUN_PLUGIN_DEFINE(use_desc)

int use_embedder(void);

int use_embedder(void)
{
	EUN_OPTS(eun_tracker_stats, st);
	EUN_OPTS(eun_container_info, info);
#if HAVE_DESIGNATORS
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = NULL, .no_default_path = true);
	EUN_OPTS(eun_ctx_start_opts, start, .threads = 2);
#else
	EUN_OPTS(eun_ctx_opts, opts);
	EUN_OPTS(eun_ctx_start_opts, start);
#endif
	struct eun_ctx *ctx;
	int err;

#if !HAVE_DESIGNATORS
	opts.no_default_path = true;
	start.threads = 2;
#endif
	ctx = eun_ctx_new(&opts);
	if (!ctx)
		return -1;
	err = eun_ctx_add_plugin_desc(ctx, eun_plugin_entry());
	if (!err)
		err = eun_ctx_start_trackers(ctx, &start);
	if (!err && eun_tracker_count(ctx))
		err = eun_tracker_stats(eun_tracker_at(ctx, 0), &st);
	(void)info;
	eun_ctx_free(ctx);
	return err + (int)(EUN_KNOWN_SZ(eun_sink_opts) - sizeof(struct eun_sink_opts));
}
