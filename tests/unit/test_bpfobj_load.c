/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * eun_ctx_load_bpf_object() without the kernel: the objects compiled in
 * tests/bpfobj are opened, never loaded. Each way of describing records
 * (annotations, Inspektor Gadget's and eunomia-bpf's conventions, a C
 * header, a schema file) gives the schema expected of it; bad input (no
 * BTF, no output map, nothing describing a buffer, a schema that does not
 * fit, a config value that does not fit its global) is refused with an
 * error naming the object and the item.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#ifndef EUN_TEST_BPFOBJ_DIR
#error "EUN_TEST_BPFOBJ_DIR must be defined by the build"
#endif
#ifndef EUN_TEST_BPFOBJ_SRC
#error "EUN_TEST_BPFOBJ_SRC must be defined by the build"
#endif

static const char *obj(const char *name)
{
	static char path[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s.bpf.o", EUN_TEST_BPFOBJ_DIR, name);
	return path[i];
}

static const char *src(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", EUN_TEST_BPFOBJ_SRC, name);
	return path;
}

static struct eun_ctx *ctx_new(void)
{
	EUN_OPTS(eun_ctx_opts, o, .no_default_path = true, .plugin_path = "/nonexistent");
	struct eun_ctx *ctx = eun_ctx_new(&o);

	ck_assert_ptr_nonnull(ctx);
	return ctx;
}

static const struct eun_plugin *load(struct eun_ctx *ctx, const char *path,
				     const struct eun_bpf_object_opts *opts)
{
	const struct eun_plugin *p = eun_ctx_load_bpf_object(ctx, path, opts);

	ck_assert_msg(p, "loading %s: %s", path, eun_last_error());
	return p;
}

/* The load must fail with err and a message holding every one of the
 * NULL-terminated strings. */
static void load_fails(struct eun_ctx *ctx, const char *path, const struct eun_bpf_object_opts *opts,
		       int err, ...)
{
	const struct eun_plugin *p = eun_ctx_load_bpf_object(ctx, path, opts);
	va_list ap;

	ck_assert_msg(!p, "%s loaded", path);
	ck_assert_int_eq(errno, err);
	va_start(ap, err);
	for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *))
		ck_assert_msg(strstr(eun_last_error(), s), "'%s' not in: %s", s, eun_last_error());
	va_end(ap);
}

static const struct eun_field *field(const struct eun_event_type *et, const char *name)
{
	for (uint32_t i = 0; i < et->n_fields; i++)
		if (!strcmp(et->fields[i].name, name))
			return &et->fields[i];
	ck_abort_msg("event %s has no field %s", et->name, name);
	return NULL;
}

static bool has_field(const struct eun_event_type *et, const char *name)
{
	for (uint32_t i = 0; i < et->n_fields; i++)
		if (!strcmp(et->fields[i].name, name))
			return true;
	return false;
}

static const struct eun_event_type *type_named(const struct eun_plugin *p, const char *name)
{
	for (size_t i = 0; i < eun_plugin_event_type_count(p); i++)
		if (!strcmp(eun_plugin_event_type(p, i)->name, name))
			return eun_plugin_event_type(p, i);
	ck_abort_msg("%s has no event type %s", eun_plugin_name(p), name);
	return NULL;
}

/* A fresh directory for the test's files (static). */
static const char *tmpdir(void)
{
	static char dir[] = "/tmp/eun-bpfobj-XXXXXX";
	static bool made;

	if (!made) {
		ck_assert_ptr_nonnull(mkdtemp(dir));
		made = true;
	}
	return dir;
}

/* Write text to file `name` of tmpdir(); its path (static). */
static const char *write_file(const char *name, const char *text)
{
	static char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir(), name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(no_btf_no_output_not_bpf)
{
	struct eun_ctx *ctx = ctx_new();

	load_fails(ctx, obj("nobtf"), NULL, EINVAL, "nobtf.bpf.o has no BTF", "clang -g", NULL);
	load_fails(ctx, obj("nooutput"), NULL, EINVAL, "nooutput.bpf.o has no output map", NULL);
	load_fails(ctx, src("openperf.h"), NULL, EINVAL, "openperf.h is not an ELF file", NULL);
	load_fails(ctx, "/proc/self/exe", NULL, EINVAL, "not a BPF object", NULL);
	load_fails(ctx, "/nonexistent/x.bpf.o", NULL, ENOENT, "/nonexistent/x.bpf.o", NULL);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(perf_buffer_needs_a_layout)
{
	struct eun_ctx *ctx = ctx_new();
	EUN_OPTS(eun_bpf_object_opts, o, .event_struct = "event");

	load_fails(ctx, obj("openperf"), NULL, EINVAL, "map 'events' (perf event array)",
		   "nothing says what they hold", "EUN_EXPORT_EVENT(events, STRUCT)", NULL);
	/* A struct used only as a local variable is not in the object's BTF. */
	load_fails(ctx, obj("openperf"), &o, EINVAL, "struct event", "neither the object's BTF",
		   "--event-header", NULL);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(header_gives_the_layout)
{
	struct eun_ctx *ctx = ctx_new();
	EUN_OPTS(eun_bpf_object_opts, o, .event_header = src("openperf.h"));
	const struct eun_plugin *p = load(ctx, obj("openperf"), &o);
	const struct eun_event_type *et;

	ck_assert_str_eq(eun_plugin_name(p), "openperf");
	ck_assert_uint_eq(eun_plugin_event_type_count(p), 1);
	et = eun_plugin_event_type(p, 0);
	ck_assert_str_eq(et->name, "event");
	/* 64-byte header + struct event (320 bytes). */
	ck_assert_uint_eq(et->record_size, 64 + 320);
	ck_assert_uint_eq(field(et, "ret")->type, EUN_FIELD_S32);
	ck_assert_uint_eq(field(et, "ret")->offset, 64 + 16);
	ck_assert(field(et, "ret")->flags & EUN_FIELD_F_ERRNO);
	ck_assert_uint_eq(field(et, "ids.tid")->offset, 64 + 24);
	ck_assert_uint_eq(field(et, "ids.ppid")->type, EUN_FIELD_U32);
	ck_assert_uint_eq(field(et, "callers.1")->offset, 64 + 40);
	ck_assert_uint_eq(field(et, "fname")->type, EUN_FIELD_STR);
	ck_assert_uint_eq(field(et, "fname")->size, 256);
	/* pid, uid, comm and ts fill the record header instead. */
	ck_assert(!has_field(et, "pid") && !has_field(et, "uid") && !has_field(et, "comm") &&
		  !has_field(et, "ts"));
	/* The globals are config keys typed from BTF. */
	ck_assert_uint_eq(eun_plugin_config_count(p), 4);
	ck_assert_str_eq(eun_plugin_config_key(p, 0)->name, "targ_tgid");
	ck_assert_uint_eq(eun_plugin_config_key(p, 1)->type, EUN_CONFIG_BOOL);
	ck_assert_uint_eq(eun_plugin_config_key(p, 2)->type, EUN_CONFIG_UINT);
	ck_assert_uint_eq(eun_plugin_config_key(p, 2)->max, 255);
	ck_assert_str_eq(eun_plugin_config_key(p, 2)->default_value, "1");
	ck_assert_str_eq(eun_plugin_config_key(p, 3)->name, "targ_prefix");
	ck_assert_str_eq(eun_plugin_path(p), obj("openperf"));
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(header_needs_clang)
{
	struct eun_ctx *ctx = ctx_new();
	EUN_OPTS(eun_bpf_object_opts, o, .event_header = src("openperf.h"));
	const char *bad = write_file("bad.h", "struct event { int x; oops };\n");
	EUN_OPTS(eun_bpf_object_opts, b, .event_header = bad);

	setenv("EUNOMIA_CLANG", "/nonexistent/clang", 1);
	load_fails(ctx, obj("openperf"), &o, ENOENT, "openperf.h: reading it needs clang, which is "
		   "not installed (apt-get install clang)", NULL);
	unsetenv("EUNOMIA_CLANG");
	load_fails(ctx, obj("openperf"), &b, EINVAL, "bad.h does not compile", "oops", NULL);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(config_values_must_fit_their_globals)
{
	struct eun_ctx *ctx = ctx_new();
	EUN_OPTS(eun_bpf_object_opts, o, .event_header = src("openperf.h"));
	static const struct {
		const char *key, *value, *want;
	} bad[] = {
		{ "targ_level", "300", "out of range [0, 255]" },
		{ "targ_tgid", "99999999999", "does not fit global targ_tgid" },
		{ "targ_tgid", "12abc", "does not fit global targ_tgid" },
		{ "targ_prefix", "/much/too/long", "at most 7 bytes" },
		{ "targ_failed", "maybe", "not a boolean" },
	};
	struct eun_tracker *t;

	load(ctx, obj("openperf"), &o);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct eun_config_entry e = { bad[i].key, bad[i].value };
		EUN_OPTS(eun_tracker_opts, to, .config = &e, .n_config = 1);

		ck_assert_ptr_null(eun_tracker_new(ctx, "openperf", &to));
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_msg(strstr(eun_last_error(), bad[i].want) &&
			      strstr(eun_last_error(), bad[i].key) && strstr(eun_last_error(), "openperf"),
			      "%s=%s: %s", bad[i].key, bad[i].value, eun_last_error());
	}
	{
		struct eun_config_entry e[] = { { "targ_tgid", "-5" }, { "targ_level", "0xff" },
						{ "targ_prefix", "/tmp" }, { "targ_failed", "yes" } };
		EUN_OPTS(eun_tracker_opts, to, .config = e, .n_config = 4);

		t = eun_tracker_new(ctx, "openperf", &to);
		ck_assert_msg(t, "%s", eun_last_error());
		eun_tracker_free(t);
	}
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(annotations_name_the_struct)
{
	struct eun_ctx *ctx = ctx_new();
	const struct eun_plugin *p = load(ctx, obj("execring"), NULL);
	const struct eun_event_type *et = eun_plugin_event_type(p, 0);

	ck_assert_str_eq(et->name, "exec_event");
	ck_assert_uint_eq(field(et, "kind")->type, EUN_FIELD_U32);
	ck_assert_uint_eq(field(et, "root")->type, EUN_FIELD_BOOL);
	ck_assert_uint_eq(field(et, "filename")->size, 256);
	ck_assert(has_field(et, "ppid") && !has_field(et, "pid") && !has_field(et, "comm"));

	/* Inspektor Gadget: the tracer's name, gadget_* tags in a nested struct. */
	p = load(ctx, obj("igstyle"), NULL);
	et = eun_plugin_event_type(p, 0);
	ck_assert_str_eq(et->name, "open");
	ck_assert(has_field(et, "fd") && has_field(et, "error_raw") && has_field(et, "fname"));
	ck_assert(!has_field(et, "proc.pid") && !has_field(et, "proc.comm") &&
		  !has_field(et, "timestamp_raw") && !has_field(et, "proc.mntns_id"));
	ck_assert(!has_field(et, "proc.uid") && !has_field(et, "proc.tid"));

	/* eun_record_header first: the record is the sample, type 7. */
	p = load(ctx, obj("nativering"), NULL);
	et = eun_plugin_event_type(p, 0);
	ck_assert_uint_eq(et->id, 7);
	ck_assert_uint_eq(et->record_size, 64 + 8 + 128);
	ck_assert_uint_eq(field(et, "ret")->offset, 64);
	ck_assert_uint_eq(field(et, "fname")->offset, 72);
	/* eunomia.bpf.h's settings are not parameters. */
	ck_assert_uint_eq(eun_plugin_config_count(p), 0);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(export_comment_beside_the_object)
{
	struct eun_ctx *ctx = ctx_new();
	char cmd[2048], path[600];
	const struct eun_plugin *p;

	/* Without its source beside it, nothing describes the ring. */
	load_fails(ctx, obj("exportc"), NULL, EINVAL, "map 'unlinks'", NULL);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' '%s/'", obj("exportc"), src("exportc.bpf.c"), tmpdir());
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/exportc.bpf.o", tmpdir());
	p = load(ctx, path, NULL);
	ck_assert_str_eq(eun_plugin_event_type(p, 0)->name, "unlink_event");
	ck_assert(field(eun_plugin_event_type(p, 0), "ret")->flags & EUN_FIELD_F_ERRNO);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(maps_become_snapshots)
{
	struct eun_ctx *ctx = ctx_new();
	const struct eun_plugin *p = load(ctx, obj("readhist"), NULL);
	const struct eun_event_type *sizes = type_named(p, "read_sizes");
	const struct eun_event_type *stats = type_named(p, "read_stats");
	const struct eun_event_type *totals = type_named(p, "read_totals");
	const struct eun_field *slots = field(sizes, "slots");

	ck_assert_uint_eq(eun_plugin_event_type_count(p), 3);
	ck_assert_uint_eq(slots->type, EUN_FIELD_HIST_LOG2);
	ck_assert_uint_eq(slots->size, 32 * 8); /* 32-bit slots widened */
	ck_assert_uint_eq(slots->offset % 8, 0);
	ck_assert_uint_eq(field(sizes, "slots_sum")->type, EUN_FIELD_U64);
	ck_assert(field(stats, "calls")->flags & EUN_FIELD_F_COUNTER);
	ck_assert_str_eq(field(stats, "bytes")->unit, "bytes");
	ck_assert(field(totals, "key")->flags & EUN_FIELD_F_KEY);
	/* The key's pid and comm label the records through the header. */
	ck_assert(!has_field(stats, "pid"));
	ck_assert_str_eq(eun_plugin_config_key(p, 1)->name, "interval_ms");
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(filters_need_what_they_test)
{
	struct eun_ctx *ctx = ctx_new();
	struct eun_config_entry e = { "pid", "1" };
	EUN_OPTS(eun_tracker_opts, to, .config = &e, .n_config = 1);

	load(ctx, obj("readhist"), NULL);
	ck_assert_ptr_null(eun_tracker_new(ctx, "readhist", &to));
	ck_assert_msg(strstr(eun_last_error(), "config key 'pid'") &&
		      strstr(eun_last_error(), "map 'read_totals'"), "%s", eun_last_error());
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(schema_file_fields)
{
	struct eun_ctx *ctx = ctx_new();
	const char *good = write_file("good.schema.yaml",
		"events:\n"
		"  - map: events\n"
		"    name: open\n"
		"    size: 320\n"
		"    fields:\n"
		"      - {name: pid, type: s32, offset: 8}\n"
		"      - {name: ret, type: s32, offset: 16, flags: [errno]}\n"
		"      - {name: when, type: u64, offset: 0, header: ts, unit: ns}\n"
		"      - {name: path, type: str, offset: 64, size: 256, description: the path}\n");
	EUN_OPTS(eun_bpf_object_opts, o, .schema_path = good, .name = "schemaopen");
	const struct eun_plugin *p = load(ctx, obj("openperf"), &o);
	const struct eun_event_type *et = eun_plugin_event_type(p, 0);

	ck_assert_str_eq(eun_plugin_name(p), "schemaopen");
	ck_assert_str_eq(et->name, "open");
	ck_assert_uint_eq(et->record_size, 64 + 320);
	ck_assert_uint_eq(field(et, "path")->offset, 64 + 64);
	ck_assert_str_eq(field(et, "path")->description, "the path");
	ck_assert(!has_field(et, "when") && !has_field(et, "pid"));
	/* The name is taken now. */
	load_fails(ctx, obj("openperf"), &o, EEXIST, "'schemaopen' is loaded already", NULL);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(schema_file_errors)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "map: events\nsize: 312\nfields:\n  - {name: fname, type: str, offset: 56, size: 300}\n",
		  ":4:5: field 'fname' (offset 56, 300 bytes) ends at byte 356, past the 312-byte sample size" },
		{ "map: events\nfields:\n  - {name: x, type: float, offset: 0}\n", ":3:21: field 'x': unknown type" },
		{ "map: events\nfeilds: []\n", ":2:1: unknown key 'feilds'" },
		{ "map: events\nfields:\n  - {name: s, type: str, offset: 0}\n", "needs a 'size'" },
		{ "map: nosuchmap\nfields:\n  - {name: a, type: u32, offset: 0}\n", "has no map 'nosuchmap'" },
		{ "map: events\nfields: [\n", "schema file" },
		{ "map: events\nstruct: nosuch\n", "struct nosuch" },
	};
	struct eun_ctx *ctx = ctx_new();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[32];
		const char *path;

		snprintf(name, sizeof(name), "bad%zu.schema.yaml", i);
		path = write_file(name, bad[i].text);
		EUN_OPTS(eun_bpf_object_opts, o, .schema_path = path);
		load_fails(ctx, obj("openperf"), &o, EINVAL, bad[i].want, NULL);
		ck_assert_msg(strstr(eun_last_error(), name) || strstr(eun_last_error(), "openperf"),
			      "%s", eun_last_error());
	}
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(bad_opts)
{
	struct eun_ctx *ctx = ctx_new();
	EUN_OPTS(eun_bpf_object_opts, o, .attach = 7);
	EUN_OPTS(eun_bpf_object_opts, two, .event_struct = "a=b=c,");

	load_fails(ctx, obj("execring"), &o, EINVAL, "unknown attach policy", NULL);
	load_fails(ctx, obj("openperf"), &two, EINVAL, "--event-struct", NULL);
	ck_assert_ptr_null(eun_ctx_load_bpf_object(ctx, NULL, NULL));
	eun_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bpfobj_load");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, no_btf_no_output_not_bpf);
	tcase_add_test(tc, perf_buffer_needs_a_layout);
	tcase_add_test(tc, header_gives_the_layout);
	tcase_add_test(tc, header_needs_clang);
	tcase_add_test(tc, config_values_must_fit_their_globals);
	tcase_add_test(tc, annotations_name_the_struct);
	tcase_add_test(tc, export_comment_beside_the_object);
	tcase_add_test(tc, maps_become_snapshots);
	tcase_add_test(tc, filters_need_what_they_test);
	tcase_add_test(tc, schema_file_fields);
	tcase_add_test(tc, schema_file_errors);
	tcase_add_test(tc, bad_opts);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
