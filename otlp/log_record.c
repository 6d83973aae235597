/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Events as OTLP LogRecords (see log_record.h). Field numbers are those
 * of opentelemetry/proto/logs/v1/logs.proto. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eunomia/otlp.h>

#include "log_record.h"
#include "pb.h"
#include "text.h"

/* LogRecord */
#define LR_TIME 1
#define LR_SEVERITY_NUMBER 2
#define LR_SEVERITY_TEXT 3
#define LR_BODY 5
#define LR_ATTRIBUTES 6
#define LR_OBSERVED_TIME 11
#define LR_EVENT_NAME 12

#define SEVERITY_INFO 9

/* The tracker whose events are rule alerts. */
#define ALERT_TRACKER "alert"

enum role {
	ROLE_ATTR,     /* an attribute */
	ROLE_BODY,     /* the body (and not an attribute) */
	ROLE_PRIORITY, /* severity_text, and severity_number through eun_otlp_severity() */
};

/* Fields with a semantic-convention name or another role; any other field
 * F of tracker T is the attribute "eunomia.T.F". */
static const struct {
	const char *tracker, *field, *attr;
	enum role role;
} special[] = {
	{ "process", "ppid", "process.parent_pid", ROLE_ATTR },
	{ "process", "filename", "process.executable.path", ROLE_ATTR },
	{ "process", "args", "process.command_line", ROLE_ATTR },
	{ "process", "exit_code", "process.exit.code", ROLE_ATTR },
	{ ALERT_TRACKER, "rule", "security_rule.name", ROLE_ATTR },
	{ ALERT_TRACKER, "category", "security_rule.category", ROLE_ATTR },
	{ ALERT_TRACKER, "description", "security_rule.description", ROLE_ATTR },
	{ ALERT_TRACKER, "reference", "security_rule.reference", ROLE_ATTR },
	{ ALERT_TRACKER, "ruleset", "security_rule.ruleset.name", ROLE_ATTR },
	{ ALERT_TRACKER, "uuid", "security_rule.uuid", ROLE_ATTR },
	{ ALERT_TRACKER, "version", "security_rule.version", ROLE_ATTR },
	{ ALERT_TRACKER, "license", "security_rule.license", ROLE_ATTR },
	{ ALERT_TRACKER, "output", NULL, ROLE_BODY },
	{ ALERT_TRACKER, "priority", NULL, ROLE_PRIORITY },
};

struct field_plan {
	char *attr; /* ROLE_ATTR */
	enum role role;
};

/* How the events of one event type of one tracker are mapped. */
struct plan {
	const struct eun_event_type *et;
	char *tracker;
	char *event_name;          /* TRACKER.TYPE */
	struct field_plan *fields; /* et->n_fields */
};

static void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; p->fields && i < p->et->n_fields; i++)
		free(p->fields[i].attr);
	free(p->fields);
	free(p->event_name);
	free(p->tracker);
	free(p);
}

void plans_free(struct plans *p)
{
	for (size_t i = 0; i < p->n; i++)
		plan_free(p->v[i]);
	free(p->v);
	*p = (struct plans){ 0 };
}

/* Map field f of tracker into fp. 0 or -ENOMEM. */
static int field_plan_make(const char *tracker, const struct eun_field *f, struct field_plan *fp)
{
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		if (strcmp(special[i].tracker, tracker) || strcmp(special[i].field, f->name))
			continue;
		/* A body or priority must be text; otherwise it stays an attribute. */
		if (special[i].role == ROLE_ATTR || f->type == EUN_FIELD_STR) {
			fp->role = special[i].role;
			if (special[i].attr && !(fp->attr = strdup(special[i].attr)))
				return -ENOMEM;
			return 0;
		}
	}
	fp->role = ROLE_ATTR;
	return asprintf(&fp->attr, "eunomia.%s.%s", tracker, f->name) < 0 ? -ENOMEM : 0;
}

/* The plan of ev's event type, made on first sight; NULL on ENOMEM. */
static struct plan *plan_of(struct plans *ps, const struct eun_event *ev)
{
	const struct eun_event_type *et = eun_event_type(ev);
	const char *tracker = eun_event_tracker_name(ev);
	struct plan *p, **grown;

	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i]->et == et && !strcmp(ps->v[i]->tracker, tracker))
			return ps->v[i];
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->et = et;
	p->tracker = strdup(tracker);
	p->fields = calloc(et->n_fields ? et->n_fields : 1, sizeof(*p->fields));
	if (!p->tracker || !p->fields || asprintf(&p->event_name, "%s.%s", tracker, et->name) < 0) {
		p->event_name = NULL;
		plan_free(p);
		return NULL;
	}
	for (uint32_t i = 0; i < et->n_fields; i++) {
		if (field_plan_make(tracker, &et->fields[i], &p->fields[i]) < 0) {
			plan_free(p);
			return NULL;
		}
	}
	grown = reallocarray(ps->v, ps->n + 1, sizeof(*grown));
	if (!grown) {
		plan_free(p);
		return NULL;
	}
	ps->v = grown;
	ps->v[ps->n++] = p;
	return p;
}

/* The attribute of field i of ev, named attr. */
static void field_attr(struct kv_writer *w, const struct eun_event *ev, size_t i, const char *attr)
{
	const struct eun_field *f = eun_event_field(ev, i);
	const uint64_t *slots;
	const char *s;
	char text[64];
	size_t n;
	int64_t sv;
	uint64_t uv;

	switch (f->type) {
	case EUN_FIELD_S8:
	case EUN_FIELD_S16:
	case EUN_FIELD_S32:
	case EUN_FIELD_S64:
		if (eun_event_get_s64(ev, i, &sv) == 0)
			kv_int(w, attr, sv);
		break;
	case EUN_FIELD_BOOL:
		if (eun_event_get_u64(ev, i, &uv) == 0)
			kv_bool(w, attr, uv != 0);
		break;
	case EUN_FIELD_STR:
		if (eun_event_get_str(ev, i, &s, &n) == 0)
			kv_str(w, attr, s, n);
		break;
	case EUN_FIELD_IPV4:
	case EUN_FIELD_IPV6:
		if (eun_event_format_field(ev, f->name, text, sizeof(text)) > 0)
			kv_str(w, attr, text, strnlen(text, sizeof(text)));
		break;
	case EUN_FIELD_HIST_LOG2:
		if (eun_event_get_hist(ev, i, &slots, &n) == 0)
			kv_uint_array(w, attr, slots, n);
		break;
	default:
		if (eun_event_get_u64(ev, i, &uv) == 0)
			kv_uint(w, attr, uv);
		break;
	}
}

/* The header attributes, then every field's that is one. */
static void put_attributes(struct kv_writer *w, const struct plan *p, const struct eun_event *ev)
{
	const char *comm = eun_event_comm(ev);

	kv_int(w, "process.pid", eun_event_pid(ev));
	kv_int(w, "thread.id", eun_event_tid(ev));
	kv_int(w, "process.real_user.id", eun_event_uid(ev));
	kv_str(w, "process.executable.name", comm, strlen(comm));
	for (uint32_t i = 0; i < p->et->n_fields; i++)
		if (p->fields[i].role == ROLE_ATTR)
			field_attr(w, ev, i, p->fields[i].attr);
}

/* The text of the field of ev with role r, or NULL. */
static const char *role_text(const struct plan *p, const struct eun_event *ev, enum role r, size_t *n)
{
	const char *s;

	for (uint32_t i = 0; i < p->et->n_fields; i++)
		if (p->fields[i].role == r && eun_event_get_str(ev, i, &s, n) == 0)
			return s;
	return NULL;
}

int log_record_encode(struct plans *ps, struct buf *b, enum otlp_format fmt,
		      const struct eun_event *ev, uint64_t observed_ns)
{
	struct plan *p = plan_of(ps, ev);
	struct kv_writer w = { .b = b, .fmt = fmt, .field = LR_ATTRIBUTES };
	const char *prio, *body;
	size_t prio_len = 0, body_len = 0;
	char prio_z[32];
	int severity = SEVERITY_INFO;

	if (!p)
		return -ENOMEM;
	prio = role_text(p, ev, ROLE_PRIORITY, &prio_len);
	body = role_text(p, ev, ROLE_BODY, &body_len);
	if (prio) {
		snprintf(prio_z, sizeof(prio_z), "%.*s", (int)prio_len, prio);
		severity = eun_otlp_severity(prio_z);
	}
	if (fmt == OTLP_PROTOBUF) {
		pb_fixed64(b, LR_TIME, eun_event_ts(ev));
		pb_uint(b, LR_SEVERITY_NUMBER, (uint64_t)severity);
		if (prio)
			pb_string(b, LR_SEVERITY_TEXT, prio, prio_len);
		if (body) {
			size_t start = pb_begin(b, LR_BODY);

			any_str(b, fmt, body, body_len);
			pb_end(b, start);
		}
		put_attributes(&w, p, ev);
		pb_fixed64(b, LR_OBSERVED_TIME, observed_ns);
		pb_string(b, LR_EVENT_NAME, p->event_name, strlen(p->event_name));
	} else {
		buf_puts(b, "{\"timeUnixNano\":");
		json_put_u64(b, eun_event_ts(ev));
		buf_puts(b, ",\"observedTimeUnixNano\":");
		json_put_u64(b, observed_ns);
		buf_printf(b, ",\"severityNumber\":%d", severity);
		if (prio) {
			buf_puts(b, ",\"severityText\":");
			json_put_str(b, prio, prio_len);
		}
		if (body) {
			buf_puts(b, ",\"body\":");
			any_str(b, fmt, body, body_len);
		}
		buf_puts(b, ",\"attributes\":[");
		put_attributes(&w, p, ev);
		buf_puts(b, "],\"eventName\":");
		json_put_str(b, p->event_name, strlen(p->event_name));
		buf_putc(b, '}');
	}
	return b->oom ? -ENOMEM : 0;
}
