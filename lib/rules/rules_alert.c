/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Alerts: what a match hands to the alert callback, and its JSON form. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rules/rules_internal.h"

static const char *const prio_names[] = {
	"Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Informational", "Debug",
};

const char *eun_rule_priority_name(enum eun_rule_priority p)
{
	return (unsigned)p < sizeof(prio_names) / sizeof(prio_names[0]) ? prio_names[p] : NULL;
}

/* The event's own fields as one JSON object, as eun_event_to_json() writes them. */
static void fields_json(const struct eun_event *ev, struct strbuf *sb)
{
	size_t n = eun_event_field_count(ev);
	char text[128];

	sb_add(sb, "{", 1);
	for (size_t i = 0; i < n; i++) {
		const struct eun_field *f = eun_event_field(ev, i);
		const uint64_t *slots;
		const char *s;
		size_t len;
		uint64_t u;
		int64_t v;

		if (i)
			sb_add(sb, ",", 1);
		sb_json_str(sb, f->name, strlen(f->name));
		sb_add(sb, ":", 1);
		switch (f->type) {
		case EUN_FIELD_S8: case EUN_FIELD_S16: case EUN_FIELD_S32: case EUN_FIELD_S64:
			if (eun_event_get_s64(ev, i, &v) == 0)
				sb_printf(sb, "%" PRId64, v);
			break;
		case EUN_FIELD_BOOL:
			if (eun_event_get_u64(ev, i, &u) == 0)
				sb_adds(sb, u ? "true" : "false");
			break;
		case EUN_FIELD_STR:
			if (eun_event_get_str(ev, i, &s, &len) == 0)
				sb_json_str(sb, s, len);
			break;
		case EUN_FIELD_IPV4:
		case EUN_FIELD_IPV6:
			if (eun_event_format_field(ev, f->name, text, sizeof(text)) >= 0)
				sb_json_str(sb, text, strlen(text));
			break;
		case EUN_FIELD_HIST_LOG2:
			if (eun_event_get_hist(ev, i, &slots, &len) == 0) {
				sb_add(sb, "[", 1);
				for (size_t k = 0; k < len; k++)
					sb_printf(sb, "%s%" PRIu64, k ? "," : "", slots[k]);
				sb_add(sb, "]", 1);
			}
			break;
		default:
			if (eun_event_get_u64(ev, i, &u) == 0)
				sb_printf(sb, "%" PRIu64, u);
			break;
		}
	}
	sb_add(sb, "}", 1);
}

int alert_emit(struct eun_rules *r, struct eval_ctx *ec, struct rule_def *rule, int pair)
{
	struct acc cid = { .kind = ACC_HDR, .id = HC_CONTAINER_ID, .vtype = VT_STR };
	struct eun_alert a = { .sz = sizeof(a) };
	struct val v;
	int rc;

	sb_reset(&r->out);
	sb_reset(&r->out_fields);
	sb_reset(&r->fields);
	output_render(ec, rule->out, pair, &r->out, &r->out_fields);
	fields_json(ec->ev, &r->fields);
	if (r->out.failed || r->out_fields.failed || r->fields.failed)
		return set_error(ENOMEM, "out of memory building an alert of rule '%s'", rule->name);
	val_fetch(ec, &cid, &v);
	a.ts = ec->ts;
	a.rule = rule->name;
	a.priority = rule->priority;
	a.tags = rule->tags;
	a.n_tags = rule->n_tags;
	a.output = r->out.buf ? r->out.buf : "";
	a.output_fields = r->out_fields.buf;
	a.ruleset_sha256 = r->sha256;
	a.hostname = r->hostname;
	a.event = ec->ev;
	a.tracker = eun_event_tracker_name(ec->ev);
	a.type = eun_event_type_name(ec->ev);
	a.pid = eun_event_pid(ec->ev);
	a.comm = eun_event_comm(ec->ev);
	a.container_id = v.str;
	a.fields = r->fields.buf;
	rc = r->alert_fn(&a, r->alert_cookie);
	return rc < 0 ? rc : 0;
}

/* A JSON string member "key":"value" (value NULL: ""). */
static void put_str(struct outbuf *o, const char *key, const char *value, bool comma)
{
	if (comma)
		outbuf_putc(o, ',');
	json_put_string(o, key, strlen(key));
	outbuf_putc(o, ':');
	json_put_string(o, value ? value : "", value ? strlen(value) : 0);
}

int eun_alert_to_json(const struct eun_alert *a, char *buf, size_t size)
{
	struct outbuf o;
	char when[48];
	time_t sec;
	struct tm tm;

	if (!a || a->sz < offsetof(struct eun_alert, fields) + sizeof(a->fields) || (!buf && size))
		return set_error(EINVAL, "eun_alert_to_json: an alert (as given to the alert callback) is required");
	outbuf_init(&o, buf, size);
	sec = (time_t)(a->ts / 1000000000u);
	gmtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%09uZ", (unsigned)(a->ts % 1000000000u));
	outbuf_putc(&o, '{');
	put_str(&o, "time", when, false);
	outbuf_puts(&o, ",\"ts\":");
	outbuf_u64(&o, a->ts);
	put_str(&o, "rule", a->rule, true);
	put_str(&o, "priority", eun_rule_priority_name(a->priority), true);
	outbuf_puts(&o, ",\"tags\":[");
	for (size_t i = 0; i < a->n_tags; i++) {
		if (i)
			outbuf_putc(&o, ',');
		json_put_string(&o, a->tags[i], strlen(a->tags[i]));
	}
	outbuf_putc(&o, ']');
	put_str(&o, "output", a->output, true);
	outbuf_puts(&o, ",\"output_fields\":");
	outbuf_puts(&o, a->output_fields ? a->output_fields : "{}");
	put_str(&o, "ruleset", a->ruleset_sha256, true);
	put_str(&o, "hostname", a->hostname, true);
	put_str(&o, "tracker", a->tracker, true);
	put_str(&o, "type", a->type, true);
	outbuf_puts(&o, ",\"pid\":");
	outbuf_u64(&o, a->pid);
	put_str(&o, "comm", a->comm, true);
	put_str(&o, "container_id", a->container_id, true);
	outbuf_puts(&o, ",\"fields\":");
	outbuf_puts(&o, a->fields ? a->fields : "{}");
	outbuf_putc(&o, '}');
	return outbuf_finish(&o);
}
