/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Values of fields on one event, read through the public event API: schema
 * fields, header columns, the container (looked up once per event, or
 * given by the caller for replayed events) and values derived from them.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rules/rules_internal.h"

/* The event's container; NULL when none is known (a host process). */
static const struct eun_container_info *container(struct eval_ctx *ec)
{
	if (!ec->cont_done) {
		ec->cont_done = true;
		if (!ec->cont) {
			memset(&ec->cont_buf, 0, sizeof(ec->cont_buf));
			ec->cont_buf.sz = sizeof(ec->cont_buf);
			if (eun_event_container(ec->ev, &ec->cont_buf) >= 0)
				ec->cont = &ec->cont_buf;
		}
	}
	return ec->cont;
}

static void set_str(struct val *v, const char *s, size_t n)
{
	v->t = VT_STR;
	v->str = s;
	v->len = n;
}

/* A container string, or host_text for a host process. */
static void cont_str(struct eval_ctx *ec, struct val *v, enum derived which, const char *host_text)
{
	const struct eun_container_info *c = container(ec);
	const char *s;

	if (!c || !c->id[0]) {
		set_str(v, host_text, strlen(host_text));
		return;
	}
	switch (which) {
	case DER_CONT_NAME: s = c->name; break;
	case DER_CONT_IMAGE: s = c->image; break;
	case DER_CONT_TYPE: s = c->runtime; break;
	default: s = c->id; break;
	}
	set_str(v, s, strlen(s));
}

/* The image's repository (without :tag or @digest) or its tag. */
static void image_part(struct eval_ctx *ec, struct val *v, bool tag)
{
	const struct eun_container_info *c = container(ec);
	const char *img = c ? c->image : "", *at = strchr(img, '@'), *slash, *colon;
	size_t n = at ? (size_t)(at - img) : strlen(img);

	slash = memrchr(img, '/', n);
	colon = memrchr(slash ? slash : img, ':', n - (size_t)((slash ? slash : img) - img));
	if (tag) {
		if (colon)
			set_str(v, colon + 1, n - (size_t)(colon + 1 - img));
		else
			set_str(v, "", 0);
	} else {
		set_str(v, img, colon ? (size_t)(colon - img) : n);
	}
}

static int source_field(struct eval_ctx *ec, const struct acc *a, enum vtype t, struct val *v);

static int derive(struct eval_ctx *ec, const struct acc *a, struct val *v)
{
	struct val src;
	const char *s;
	const char *sp;
	size_t n;
	int64_t ret;
	uint64_t flags;

	switch ((enum derived)a->id) {
	case DER_CMDLINE:
	case DER_ARGS:
		if (source_field(ec, a, VT_STR, &src))
			return -1;
		s = src.str;
		n = src.len;
		sp = memchr(s, ' ', n);
		if (a->id == DER_ARGS) {
			if (sp)
				set_str(v, sp + 1, n - (size_t)(sp + 1 - s));
			else
				set_str(v, "", 0);
			return 0;
		}
		/* Falco's proc.cmdline: the process name, then the arguments. */
		n = (size_t)snprintf(ec->scratch, sizeof(ec->scratch), "%s%.*s", eun_event_comm(ec->ev),
				     sp ? (int)(n - (size_t)(sp - s)) : 0, sp ? sp : "");
		set_str(v, ec->scratch, n < sizeof(ec->scratch) ? n : sizeof(ec->scratch) - 1);
		return 0;
	case DER_DIRNAME:
	case DER_BASENAME:
		if (source_field(ec, a, VT_STR, &src) || src.len == 0 || src.str[0] != '/')
			return -1; /* relative paths: the directory is not known */
		s = src.str;
		n = src.len;
		sp = memrchr(s, '/', n);
		if (a->id == DER_BASENAME)
			set_str(v, sp + 1, n - (size_t)(sp + 1 - s));
		else
			set_str(v, s, sp == s ? 1 : (size_t)(sp - s));
		return 0;
	case DER_EVT_RES:
	case DER_EVT_FAILED:
		if (source_field(ec, a, VT_SINT, &src))
			return -1;
		ret = src.s;
		if (a->id == DER_EVT_FAILED) {
			v->t = VT_BOOL;
			v->b = ret < 0;
			return 0;
		}
		if (ret >= 0) {
			set_str(v, "SUCCESS", 7);
		} else if (ret > -4096 && (s = strerrorname_np((int)-ret))) {
			set_str(v, s, strlen(s));
		} else {
			n = (size_t)snprintf(ec->scratch, sizeof(ec->scratch), "%lld", (long long)ret);
			set_str(v, ec->scratch, n);
		}
		return 0;
	case DER_OPEN_READ:
	case DER_OPEN_WRITE:
		if (source_field(ec, a, VT_UINT, &src))
			return -1;
		flags = src.u;
		v->t = VT_BOOL;
		flags &= O_ACCMODE;
		v->b = flags == O_RDWR || flags == (a->id == DER_OPEN_READ ? O_RDONLY : O_WRONLY);
		return 0;
	case DER_CONT_ID:
	case DER_CONT_NAME:
	case DER_CONT_TYPE:
		cont_str(ec, v, (enum derived)a->id, "host");
		return 0;
	case DER_CONT_IMAGE:
		cont_str(ec, v, DER_CONT_IMAGE, "");
		return 0;
	case DER_CONT_REPO:
	case DER_CONT_TAG:
		image_part(ec, v, a->id == DER_CONT_TAG);
		return 0;
	case DER_EVT_TIME: {
		time_t sec = (time_t)(ec->ts / 1000000000u);
		struct tm tm;

		gmtime_r(&sec, &tm);
		n = strftime(ec->scratch, 32, "%Y-%m-%dT%H:%M:%S", &tm);
		n += (size_t)snprintf(ec->scratch + n, sizeof(ec->scratch) - n, ".%09uZ",
				      (unsigned)(ec->ts % 1000000000u));
		set_str(v, ec->scratch, n);
		return 0;
	}
	case DER_NONE:
		break;
	}
	return -1;
}

static int header(struct eval_ctx *ec, const struct acc *a, struct val *v)
{
	const struct eun_container_info *c;
	const char *s;

	v->t = (enum vtype)a->vtype;
	switch ((enum hdr_col)a->id) {
	case HC_TS: v->u = ec->ts; return 0;
	case HC_PID: v->u = eun_event_pid(ec->ev); return 0;
	case HC_TID: v->u = eun_event_tid(ec->ev); return 0;
	case HC_UID: v->u = eun_event_uid(ec->ev); return 0;
	case HC_CGROUP_ID: v->u = eun_event_cgroup_id(ec->ev); return 0;
	case HC_PID_NS: v->u = eun_event_ns_id(ec->ev, EUN_NS_PID); return 0;
	case HC_MNT_NS: v->u = eun_event_ns_id(ec->ev, EUN_NS_MNT); return 0;
	case HC_NET_NS: v->u = eun_event_ns_id(ec->ev, EUN_NS_NET); return 0;
	case HC_USER_NS: v->u = eun_event_ns_id(ec->ev, EUN_NS_USER); return 0;
	case HC_COMM:
		s = eun_event_comm(ec->ev);
		set_str(v, s, strlen(s));
		return 0;
	case HC_CONTAINER_ID:
	case HC_CONTAINER_RUNTIME:
	case HC_POD_UID:
		c = container(ec);
		s = !c ? "" : a->id == HC_CONTAINER_ID ? c->id : a->id == HC_POD_UID ? c->pod_uid : c->runtime;
		set_str(v, s, strlen(s));
		return 0;
	case HC_COUNT:
		break;
	}
	return -1;
}

/* Read schema field a->idx through the event API. */
static int field_read(struct eval_ctx *ec, const struct acc *a, struct val *v)
{
	char text[64];

	v->t = (enum vtype)a->vtype;
	switch ((enum vtype)a->vtype) {
	case VT_UINT:
		return eun_event_get_u64(ec->ev, (size_t)a->idx, &v->u) ? -1 : 0;
	case VT_BOOL:
		if (eun_event_get_u64(ec->ev, (size_t)a->idx, &v->u))
			return -1;
		v->b = v->u != 0;
		return 0;
	case VT_SINT:
		return eun_event_get_s64(ec->ev, (size_t)a->idx, &v->s) ? -1 : 0;
	case VT_STR:
		return eun_event_get_str(ec->ev, (size_t)a->idx, &v->str, &v->len) ? -1 : 0;
	case VT_IP4:
	case VT_IP6:
		if (eun_event_format_field(ec->ev, a->f->name, text, sizeof(text)) < 0)
			return -1;
		return inet_pton(a->vtype == VT_IP4 ? AF_INET : AF_INET6, text, v->ip) == 1 ? 0 : -1;
	case VT_HIST:
		return 0; /* only tested with exists */
	default:
		return -1;
	}
}

/* Schema field a->idx, read once per event. */
static int field_get(struct eval_ctx *ec, const struct acc *a, struct val *v)
{
	uint64_t bit;
	int rc;

	if (a->idx >= EVAL_CACHED_FIELDS)
		return field_read(ec, a, v);
	bit = 1ull << a->idx;
	if (ec->cached & bit) {
		*v = ec->cache[a->idx];
		return ec->absent & bit ? -1 : 0;
	}
	rc = field_read(ec, a, v);
	ec->cached |= bit;
	if (rc)
		ec->absent |= bit;
	ec->cache[a->idx] = *v;
	return rc;
}

/* The schema field a derived value comes from, read as type t. */
static int source_field(struct eval_ctx *ec, const struct acc *a, enum vtype t, struct val *v)
{
	struct acc src = { .kind = ACC_FIELD, .vtype = (uint8_t)t, .idx = a->idx, .f = a->f };

	return field_get(ec, &src, v);
}

int val_fetch(struct eval_ctx *ec, const struct acc *a, struct val *v)
{
	switch ((enum acc_kind)a->kind) {
	case ACC_CONST:
		set_str(v, a->cstr, strlen(a->cstr));
		return 0;
	case ACC_HDR:
		return header(ec, a, v);
	case ACC_DERIVED:
		return derive(ec, a, v);
	case ACC_FIELD:
		return field_get(ec, a, v);
	case ACC_ABSENT:
		break;
	}
	return -1;
}
