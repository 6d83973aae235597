/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Accessors of a delivered event: common header and typed fields. */
#include <inttypes.h>
#include <string.h>

#include "event/event.h"

uint64_t eun_event_ts(const struct eun_event *ev)
{
	return ev->ts;
}

uint32_t eun_event_pid(const struct eun_event *ev)
{
	return ev->hdr->pid;
}

uint32_t eun_event_tid(const struct eun_event *ev)
{
	return ev->hdr->tid;
}

uint32_t eun_event_uid(const struct eun_event *ev)
{
	return ev->hdr->uid;
}

uint32_t eun_event_ns_id(const struct eun_event *ev, enum eun_ns_kind kind)
{
	switch (kind) {
	case EUN_NS_PID: return ev->hdr->pid_ns;
	case EUN_NS_MNT: return ev->hdr->mnt_ns;
	case EUN_NS_NET: return ev->hdr->net_ns;
	case EUN_NS_USER: return ev->hdr->user_ns;
	}
	return 0;
}

uint64_t eun_event_cgroup_id(const struct eun_event *ev)
{
	return ev->hdr->cgroup_id;
}

const char *eun_event_comm(const struct eun_event *ev)
{
	return ev->comm;
}

const char *eun_event_tracker_name(const struct eun_event *ev)
{
	return ev->tracker_name;
}

struct eun_tracker *eun_event_tracker(const struct eun_event *ev)
{
	return ev->tracker;
}

const char *eun_event_type_name(const struct eun_event *ev)
{
	return ev->type->name;
}

const struct eun_event_type *eun_event_type(const struct eun_event *ev)
{
	return ev->type;
}

size_t eun_event_field_count(const struct eun_event *ev)
{
	return ev->type->n_fields;
}

static int bad_index(const struct eun_event *ev, size_t i)
{
	return set_error(ERANGE, "field index %zu is out of range: event '%s' has %u fields",
			 i, ev->type->name, ev->type->n_fields);
}

const struct eun_field *eun_event_field(const struct eun_event *ev, size_t i)
{
	clear_error();
	if (i >= ev->type->n_fields) {
		errno = -bad_index(ev, i);
		return NULL;
	}
	return &ev->type->fields[i];
}

int eun_event_field_index(const struct eun_event *ev, const char *name)
{
	clear_error();
	if (!name)
		return set_error(EINVAL, "eun_event_field_index: name must not be NULL");
	for (uint32_t i = 0; i < ev->type->n_fields; i++)
		if (!strcmp(ev->type->fields[i].name, name))
			return (int)i;
	return set_error(ENOENT, "event '%s' of tracker '%s' has no field '%s'",
			 ev->type->name, eun_event_tracker_name(ev), name);
}

/* The integer field at index i, or a negative errno with the error text set. */
static int int_field(const struct eun_event *ev, size_t i, const struct eun_field **f)
{
	if (i >= ev->type->n_fields)
		return bad_index(ev, i);
	*f = &ev->type->fields[i];
	if (!field_is_int(*f))
		return set_error(EINVAL, "field '%s' of event '%s' is not an integer",
				 (*f)->name, ev->type->name);
	return 0;
}

int eun_event_get_u64(const struct eun_event *ev, size_t i, uint64_t *out)
{
	const struct eun_field *f;
	uint64_t v;
	int err;

	clear_error();
	if ((err = int_field(ev, i, &f)))
		return err;
	v = field_read_u64(f, ev->rec);
	if (field_is_signed(f) && (int64_t)v < 0)
		return set_error(ERANGE, "field '%s' holds %" PRId64 ", which is negative; "
				 "read it with eun_event_get_s64()", f->name, (int64_t)v);
	*out = v;
	return 0;
}

int eun_event_get_s64(const struct eun_event *ev, size_t i, int64_t *out)
{
	const struct eun_field *f;
	uint64_t v;
	int err;

	clear_error();
	if ((err = int_field(ev, i, &f)))
		return err;
	v = field_read_u64(f, ev->rec);
	if (!field_is_signed(f) && v > INT64_MAX)
		return set_error(ERANGE, "field '%s' holds %" PRIu64 ", more than an int64_t holds; "
				 "read it with eun_event_get_u64()", f->name, v);
	*out = (int64_t)v;
	return 0;
}

int eun_event_get_str(const struct eun_event *ev, size_t i, const char **s, size_t *len)
{
	const struct eun_field *f;

	clear_error();
	if (i >= ev->type->n_fields)
		return bad_index(ev, i);
	f = &ev->type->fields[i];
	if (f->type != EUN_FIELD_STR)
		return set_error(EINVAL, "field '%s' of event '%s' is not a string",
				 f->name, ev->type->name);
	*s = (const char *)ev->rec + f->offset;
	*len = field_str_len(f, ev->rec);
	return 0;
}

int eun_event_get_hist(const struct eun_event *ev, size_t i, const uint64_t **slots, size_t *n)
{
	const struct eun_field *f;

	clear_error();
	if (i >= ev->type->n_fields)
		return bad_index(ev, i);
	f = &ev->type->fields[i];
	if (f->type != EUN_FIELD_HIST_LOG2)
		return set_error(EINVAL, "field '%s' of event '%s' is not a histogram",
				 f->name, ev->type->name);
	/* Validation keeps histograms 8-byte aligned; records are too. */
	*slots = (const uint64_t *)(const void *)(ev->rec + f->offset);
	*n = field_hist_slots(f);
	return 0;
}

/* Append the value of common header field `name`; false if there is none. */
static bool put_header_field(struct outbuf *o, const struct eun_event *ev, const char *name)
{
	int i = header_field_index(name);
	const char *str;

	if (i < 0)
		return false;
	str = header_field_str(ev, i);
	if (str)
		outbuf_puts(o, str);
	else
		outbuf_printf(o, "%" PRIu64, header_field_num(ev, i));
	return true;
}

int eun_event_format_field(const struct eun_event *ev, const char *name, char *buf, size_t size)
{
	struct outbuf o;
	int i;

	clear_error();
	if (!ev || !name || (!buf && size))
		return set_error(EINVAL, "eun_event_format_field: ev and name must not be NULL, "
				 "nor buf unless size is 0");
	outbuf_init(&o, buf, size);
	if (put_header_field(&o, ev, name))
		return outbuf_finish(&o);
	i = eun_event_field_index(ev, name);
	if (i < 0)
		return i;
	field_put(&o, &ev->type->fields[i], ev->rec);
	return outbuf_finish(&o);
}
