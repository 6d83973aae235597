/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <eunomia/record.h>

#include "rules_helpers.h"

#ifndef EUN_TEST_PLUGIN_DIR
#error "EUN_TEST_PLUGIN_DIR must be defined by the build"
#endif

struct eun_ctx *rules_ctx(void)
{
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = EUN_TEST_FIXTURE_DIR ":" EUN_TEST_PLUGIN_DIR,
		 .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	ck_assert_msg(ctx, "eun_ctx_new: %s", eun_last_error());
	ck_assert_msg(eun_plugin_find(ctx, "files") && eun_plugin_find(ctx, "fixture"),
		      "the fixture and the bundled plugins are needed");
	return ctx;
}

const char *rules_messages(const struct eun_rules *r)
{
	static char buf[65536];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < eun_rules_diag_count(r) && len < sizeof(buf); i++) {
		EUN_OPTS(eun_rules_diag, d);
		int n;

		ck_assert_int_eq(eun_rules_diag_at(r, i, &d), 0);
		n = snprintf(buf + len, sizeof(buf) - len, "%s\n", d.text);
		len += n > 0 ? (size_t)n : 0;
	}
	return buf;
}

bool rules_has_message(const struct eun_rules *r, const char *text)
{
	for (size_t i = 0; i < eun_rules_diag_count(r); i++) {
		EUN_OPTS(eun_rules_diag, d);

		if (eun_rules_diag_at(r, i, &d) == 0 && !strcmp(d.text, text))
			return true;
	}
	return false;
}

struct eun_rules *rules_from(struct eun_ctx *ctx, const char *yaml, int want)
{
	struct eun_rules *r = eun_rules_new(ctx, NULL);
	int rc;

	ck_assert_msg(r, "eun_rules_new: %s", eun_last_error());
	ck_assert_int_eq(eun_rules_load_string(r, "t.yaml", yaml, strlen(yaml)), 0);
	rc = eun_rules_compile(r);
	ck_assert_msg(rc == want, "compile returned %d, not %d: %s\n%s", rc, want, eun_last_error(),
		      rules_messages(r));
	return r;
}

struct eun_rule_info rules_info(const struct eun_rules *r, const char *name)
{
	for (size_t i = 0; i < eun_rules_rule_count(r); i++) {
		EUN_OPTS(eun_rule_info, info);

		ck_assert_int_eq(eun_rules_rule_at(r, i, &info), 0);
		if (!strcmp(info.name, name))
			return info;
	}
	ck_abort_msg("no rule '%s'", name);
	return (struct eun_rule_info){ 0 };
}

void rec_header(struct rec *rc, uint32_t pid, uint32_t uid, const char *comm)
{
	struct eun_record_header h;

	memcpy(&h, rc->buf, sizeof(h));
	h.pid = h.tid = pid;
	h.uid = uid;
	memset(h.comm, 0, sizeof(h.comm));
	memcpy(h.comm, comm, strnlen(comm, sizeof(h.comm)));
	memcpy(rc->buf, &h, sizeof(h));
}

void rec_init(struct rec *rc, struct eun_ctx *ctx, const char *tracker, const char *type)
{
	const struct eun_plugin *p = eun_plugin_find(ctx, tracker);
	struct eun_record_header h = { .ts_ns = 1000000000ull, .cgroup_id = 1 };

	ck_assert_msg(p, "no plugin %s", tracker);
	memset(rc, 0, sizeof(*rc));
	rc->ctx = ctx;
	for (size_t i = 0; i < eun_tracker_count(ctx); i++)
		if (!strcmp(eun_tracker_name(eun_tracker_at(ctx, i)), tracker))
			rc->t = eun_tracker_at(ctx, i);
	if (!rc->t)
		rc->t = eun_tracker_new(ctx, tracker, NULL);
	ck_assert_msg(rc->t, "eun_tracker_new(%s): %s", tracker, eun_last_error());
	for (size_t i = 0; i < eun_plugin_event_type_count(p); i++)
		if (!strcmp(eun_plugin_event_type(p, i)->name, type))
			rc->type = eun_plugin_event_type(p, i);
	ck_assert_msg(rc->type, "no event type %s.%s", tracker, type);
	ck_assert_uint_le(rc->type->record_size, sizeof(rc->buf));
	h.type = rc->type->id;
	memcpy(rc->buf, &h, sizeof(h));
	rec_header(rc, 100, 1000, "tester");
}

static const struct eun_field *field_of(struct rec *rc, const char *name)
{
	for (uint32_t i = 0; i < rc->type->n_fields; i++)
		if (!strcmp(rc->type->fields[i].name, name))
			return &rc->type->fields[i];
	ck_abort_msg("no field %s in %s", name, rc->type->name);
	return NULL;
}

void rec_str(struct rec *rc, const char *field, const char *value)
{
	const struct eun_field *f = field_of(rc, field);
	size_t n = strlen(value);

	ck_assert_uint_le(n, f->size);
	memset(rc->buf + f->offset, 0, f->size);
	memcpy(rc->buf + f->offset, value, n);
}

void rec_int(struct rec *rc, const char *field, int64_t value)
{
	const struct eun_field *f = field_of(rc, field);
	uint8_t u8 = (uint8_t)value;
	uint16_t u16 = (uint16_t)value;
	uint32_t u32 = (uint32_t)value;

	switch (f->size) {
	case 1: memcpy(rc->buf + f->offset, &u8, 1); break;
	case 2: memcpy(rc->buf + f->offset, &u16, 2); break;
	case 4: memcpy(rc->buf + f->offset, &u32, 4); break;
	default: memcpy(rc->buf + f->offset, &value, 8); break;
	}
}

void rec_bytes(struct rec *rc, const char *field, const void *value, size_t n)
{
	const struct eun_field *f = field_of(rc, field);

	ck_assert_uint_eq(n, f->size);
	memcpy(rc->buf + f->offset, value, n);
}

static int on_alert(const struct eun_alert *a, void *cookie)
{
	struct alerts *al = cookie;

	if (al->n < 16) {
		snprintf(al->rules[al->n], sizeof(al->rules[0]), "%s", a->rule);
		ck_assert_int_lt(eun_alert_to_json(a, al->json[al->n], sizeof(al->json[0])),
				 (int)sizeof(al->json[0]));
	}
	al->n++;
	return al->stop_after && al->n >= al->stop_after ? -ECANCELED : 0;
}

/* The ruleset and options of the event being fed, for the event callback. */
struct feed {
	struct eun_rules *r;
	const struct eun_rules_eval_opts *opts;
	int result;
	int calls;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct feed *f = cookie;

	f->calls++;
	f->result = eun_rules_eval(f->r, ev, f->opts);
	return 0;
}

int rules_feed(struct eun_rules *r, struct rec *rc, struct alerts *al, const struct eun_rules_eval_opts *opts)
{
	struct feed f = { .r = r, .opts = opts };

	eun_rules_set_alert_fn(r, al ? on_alert : NULL, al);
	eun_ctx_set_event_fn(rc->ctx, on_event, &f);
	ck_assert_int_eq(eun_tracker_inject_record(rc->t, rc->buf, rc->type->record_size), 1);
	eun_ctx_set_event_fn(rc->ctx, NULL, NULL);
	ck_assert_int_eq(f.calls, 1);
	return f.result;
}
