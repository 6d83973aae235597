/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Records rebuilt from recorded JSON events, driven by the schema. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <eunomia/record.h>

#include "replay_record.h"

/* The header columns of eun_event_to_json(), in its order. */
static const char *const header_keys[] = {
	"ts", "tracker", "type", "pid", "tid", "uid", "comm", "cgroup_id", "pid_ns", "mnt_ns",
	"net_ns", "user_ns", "container_id", "container_runtime", "pod_uid",
};
#define N_HEADER (sizeof(header_keys) / sizeof(header_keys[0]))

static int fail(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* An integer JSON number (no fraction, no exponent) within [lo, hi]. */
static int get_int(const struct json_value *v, const char *key, int64_t lo, uint64_t hi, bool is_signed,
		   uint64_t *out, char *err, size_t size)
{
	char *end;

	if (!v || v->type != JSON_NUMBER)
		return fail(err, size, "'%s' must be a number, not %s", key,
			    v ? json_type_name(v->type) : "missing");
	if (strpbrk(v->str, ".eE"))
		return fail(err, size, "'%s' must be a whole number, not %s", key, v->str);
	errno = 0;
	if (v->str[0] == '-') {
		long long s = strtoll(v->str, &end, 10);

		if (!is_signed || errno || s < lo)
			return fail(err, size, "'%s' is out of range: %s", key, v->str);
		*out = (uint64_t)s;
		return 0;
	}
	unsigned long long u = strtoull(v->str, &end, 10);

	if (errno || u > hi)
		return fail(err, size, "'%s' is out of range: %s", key, v->str);
	*out = u;
	return 0;
}

static int get_str(const struct json_value *v, const char *key, size_t cap, char *dst,
		   char *err, size_t size)
{
	if (!v || v->type != JSON_STRING)
		return fail(err, size, "'%s' must be a string, not %s", key,
			    v ? json_type_name(v->type) : "missing");
	if (v->len > cap || memchr(v->str, '\0', v->len))
		return fail(err, size, "'%s' has %zu bytes; the record holds %zu (and no NUL)", key,
			    v->len, cap);
	memset(dst, 0, cap);
	memcpy(dst, v->str, v->len);
	return 0;
}

/* Write the integer u into size bytes at dst (little or big endian: as the host). */
static void put_int(void *dst, uint32_t bytes, uint64_t u)
{
	uint8_t b1 = (uint8_t)u;
	uint16_t b2 = (uint16_t)u;
	uint32_t b4 = (uint32_t)u;

	switch (bytes) {
	case 1: memcpy(dst, &b1, 1); break;
	case 2: memcpy(dst, &b2, 2); break;
	case 4: memcpy(dst, &b4, 4); break;
	default: memcpy(dst, &u, 8); break;
	}
}

static int put_field(const struct eun_field *f, const struct json_value *v, uint8_t *rec,
		     char *err, size_t size)
{
	uint8_t *dst = rec + f->offset;
	uint64_t u;

	switch (f->type) {
	case EUN_FIELD_U8: case EUN_FIELD_U16: case EUN_FIELD_U32: case EUN_FIELD_U64:
		if (get_int(v, f->name, 0, f->size == 8 ? UINT64_MAX : (1ull << (8 * f->size)) - 1, false,
			    &u, err, size))
			return -1;
		put_int(dst, f->size, u);
		return 0;
	case EUN_FIELD_S8: case EUN_FIELD_S16: case EUN_FIELD_S32: case EUN_FIELD_S64:
		if (get_int(v, f->name, f->size == 8 ? INT64_MIN : -(1ll << (8 * f->size - 1)),
			    f->size == 8 ? INT64_MAX : (1ull << (8 * f->size - 1)) - 1, true, &u, err, size))
			return -1;
		put_int(dst, f->size, u);
		return 0;
	case EUN_FIELD_BOOL:
		if (!v || v->type != JSON_BOOL)
			return fail(err, size, "'%s' must be true or false", f->name);
		*dst = v->b;
		return 0;
	case EUN_FIELD_STR:
		return get_str(v, f->name, f->size, (char *)dst, err, size);
	case EUN_FIELD_IPV4:
	case EUN_FIELD_IPV6:
		if (!v || v->type != JSON_STRING ||
		    inet_pton(f->type == EUN_FIELD_IPV4 ? AF_INET : AF_INET6, v->str, dst) != 1)
			return fail(err, size, "'%s' must be an %s address as text", f->name,
				    f->type == EUN_FIELD_IPV4 ? "IPv4" : "IPv6");
		return 0;
	case EUN_FIELD_HIST_LOG2:
		if (!v || v->type != JSON_ARRAY || v->n != f->size / 8)
			return fail(err, size, "'%s' must be an array of %u numbers", f->name, f->size / 8);
		for (size_t i = 0; i < v->n; i++) {
			if (get_int(&v->items[i], f->name, 0, UINT64_MAX, false, &u, err, size))
				return -1;
			memcpy(dst + 8 * i, &u, 8);
		}
		return 0;
	default:
		return fail(err, size, "'%s' has a field type (%u) this eunomia cannot replay", f->name, f->type);
	}
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int put_header(const struct eun_event_type *type, const struct json_value *obj,
		      struct eun_record_header *h, struct replay_extra *x, char *err, size_t size)
{
	uint64_t v[N_HEADER] = { 0 };
	char comm[EUN_COMM_LEN];

	for (size_t i = 0; i < N_HEADER; i++) {
		const char *k = header_keys[i];
		const struct json_value *jv = json_get(obj, k);

		if (i == 1 || i == 2 || i >= 12)
			continue; /* strings, below */
		if (i == 6) {
			if (get_str(jv, k, sizeof(comm), comm, err, size))
				return -1;
			continue;
		}
		if (get_int(jv, k, 0, i == 0 || i == 7 ? UINT64_MAX : UINT32_MAX, false, &v[i], err, size))
			return -1;
	}
	if (get_str(json_get(obj, "container_id"), "container_id", sizeof(x->cont.id) - 1, x->cont.id, err, size) ||
	    get_str(json_get(obj, "container_runtime"), "container_runtime", sizeof(x->cont.runtime) - 1,
		    x->cont.runtime, err, size) ||
	    get_str(json_get(obj, "pod_uid"), "pod_uid", sizeof(x->cont.pod_uid) - 1, x->cont.pod_uid, err, size))
		return -1;
	x->ts = v[0];
	x->cont.sz = sizeof(x->cont);
	x->cont.cgroup_id = v[7];
	memset(h, 0, sizeof(*h));
	/* The header keeps boot time; the wall-clock time travels in x->ts. */
	h->ts_ns = v[0] - (clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME));
	h->cgroup_id = v[7];
	h->type = type->id;
	h->pid = (uint32_t)v[3];
	h->tid = (uint32_t)v[4];
	h->uid = (uint32_t)v[5];
	memcpy(h->comm, comm, sizeof(h->comm));
	h->pid_ns = (uint32_t)v[8];
	h->mnt_ns = (uint32_t)v[9];
	h->net_ns = (uint32_t)v[10];
	h->user_ns = (uint32_t)v[11];
	return 0;
}

int replay_record_build(const struct eun_event_type *type, const struct json_value *obj,
			void *rec, struct replay_extra *x, char *err, size_t err_size)
{
	struct eun_record_header h;

	if (obj->type != JSON_OBJECT)
		return fail(err, err_size, "an event must be a JSON object, not %s", json_type_name(obj->type));
	memset(rec, 0, type->record_size);
	memset(x, 0, sizeof(*x));
	for (size_t i = 0; i < obj->n; i++) {
		const char *k = obj->members[i].key;
		bool known = false;

		for (size_t j = 0; j < N_HEADER && !known; j++)
			known = !strcmp(k, header_keys[j]);
		for (uint32_t j = 0; j < type->n_fields && !known; j++)
			known = !strcmp(k, type->fields[j].name);
		if (!known)
			return fail(err, err_size, "'%s' is no header column and no field of the %s event",
				    k, type->name);
	}
	if (put_header(type, obj, &h, x, err, err_size))
		return -1;
	memcpy(rec, &h, sizeof(h));
	for (uint32_t i = 0; i < type->n_fields; i++) {
		const struct eun_field *f = &type->fields[i];
		const struct json_value *v = json_get(obj, f->name);

		if (!v)
			return fail(err, err_size, "the %s event has no '%s'", type->name, f->name);
		if (put_field(f, v, rec, err, err_size))
			return -1;
	}
	return 0;
}
