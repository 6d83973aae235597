/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Events: the struct every consumer reads, its typed fields and the common
 * header as named columns. An event is complete when it is delivered: the
 * core fills in its tracker's name, its wall-clock time and its container,
 * so nothing that reads an event (renderers, sinks, metrics, listeners on
 * other threads) needs the core's structs. Below the core; knows base/ and
 * container/. Never installed.
 */
#ifndef EUNOMIA_EVENT_H
#define EUNOMIA_EVENT_H

#include <eunomia/record.h>

#include "base/base.h"

/* A record being delivered (on the drain loop's stack, pointing into the
 * ring), or a copy of one that owns its bytes (event_copy.c). */
struct eun_event {
	struct eun_tracker *tracker;       /* opaque here; NULL in copies */
	const char *tracker_name;          /* the plugin's, valid while its ctx lives */
	const struct eun_event_type *type;
	const struct eun_record_header *hdr;
	const uint8_t *rec;                /* == (const uint8_t *)hdr */
	size_t len;
	uint64_t ts;                       /* wall-clock ns since the epoch */
	/* What the ctx's cache knows of hdr->cgroup_id (an empty id for a host
	 * cgroup), resolved once at delivery; NULL when the cgroup is not known
	 * (yet). Borrowed from the cache while delivered; copies hold a
	 * reference. */
	const struct eun_container_info *container;
	char comm[EUN_COMM_LEN + 1];       /* hdr->comm, always NUL-terminated */
	bool owned;                        /* a copy: eun_event_free() releases it */
};

/* ---- field values (field_value.c) ---- */

/* True if field f is an integer type (incl. BOOL). */
EUN_HIDDEN bool field_is_int(const struct eun_field *f);
EUN_HIDDEN bool field_is_signed(const struct eun_field *f);
/* Number of slots of a HIST_LOG2 field, and slot i of it in rec. */
EUN_HIDDEN size_t field_hist_slots(const struct eun_field *f);
EUN_HIDDEN uint64_t field_hist_slot(const struct eun_field *f, const uint8_t *rec, size_t i);
/* Raw integer of field f in record rec (sign-extended for signed types). */
EUN_HIDDEN uint64_t field_read_u64(const struct eun_field *f, const uint8_t *rec);
/* Length of a STR field up to its first NUL or its size. */
EUN_HIDDEN size_t field_str_len(const struct eun_field *f, const uint8_t *rec);
/* Plain text of a field's value (no quoting), snprintf semantics. */
EUN_HIDDEN int field_format(const struct eun_field *f, const uint8_t *rec, char *buf, size_t size);
/* Append the same text as field_format() to o. */
EUN_HIDDEN void field_put(struct outbuf *o, const struct eun_field *f, const uint8_t *rec);

/* ---- the common header as columns (header_fields.c) ---- */

enum header_field {
	HDR_TS, HDR_TRACKER, HDR_TYPE, HDR_PID, HDR_TID, HDR_UID, HDR_COMM, HDR_CGROUP_ID,
	HDR_PID_NS, HDR_MNT_NS, HDR_NET_NS, HDR_USER_NS,
	HDR_CONTAINER_ID, HDR_CONTAINER_RUNTIME, HDR_POD_UID, /* "" for host processes */
	N_HEADER_FIELDS
};
/* Column names, in rendering order; plugin fields may not reuse them. */
EUN_HIDDEN extern const char *const header_field_names[N_HEADER_FIELDS];
/* Index of header field `name`, or -ENOENT. */
EUN_HIDDEN int header_field_index(const char *name);
/* Text of a string column (tracker, type, comm, container ones); NULL for numeric ones. */
EUN_HIDDEN const char *header_field_str(const struct eun_event *ev, enum header_field i);
/* Value of a numeric column (ts is wall-clock ns); 0 for string ones. */
EUN_HIDDEN uint64_t header_field_num(const struct eun_event *ev, enum header_field i);

#endif /* EUNOMIA_EVENT_H */
