/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Render an event as one aligned line for people. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "render/render.h"

#define COMM_WIDTH 16
#define TEXT_CONTAINER_ID_LEN 12

int eun_text_header(char *buf, size_t size)
{
	struct outbuf o;

	clear_error();
	if (!buf && size)
		return set_error(EINVAL, "eun_text_header: buf must not be NULL unless size is 0");
	outbuf_init(&o, buf, size);
	outbuf_printf(&o, "%-12s %-8s %-8s %7s %6s %-*s %s", "TIME", "TRACKER", "TYPE", "PID", "UID",
		      COMM_WIDTH, "COMM", "FIELDS");
	return outbuf_finish(&o);
}

/* Local wall-clock time of day, HH:MM:SS.mmm. */
static void text_put_time(struct outbuf *o, uint64_t ts_ns)
{
	time_t secs = (time_t)(ts_ns / 1000000000);
	struct tm tm = { 0 };

	localtime_r(&secs, &tm);
	outbuf_printf(o, "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min, tm.tm_sec,
		      (unsigned)(ts_ns / 1000000 % 1000));
}

/* C-style escapes for quotes, backslashes and bytes outside printable ASCII. */
static void text_put_escaped(struct outbuf *o, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			outbuf_putc(o, '\\');
			outbuf_putc(o, (char)s[i]);
		} else if (s[i] == '\n') {
			outbuf_puts(o, "\\n");
		} else if (s[i] == '\t') {
			outbuf_puts(o, "\\t");
		} else if (s[i] == '\r') {
			outbuf_puts(o, "\\r");
		} else if (s[i] < 0x20 || s[i] >= 0x7f) {
			outbuf_printf(o, "\\x%02x", s[i]);
		} else {
			outbuf_putc(o, (char)s[i]);
		}
	}
}

/* A string value stays bare unless it is empty or holds a space, a quote,
 * a backslash or a non-printable byte; then it is quoted and escaped. */
static void text_put_str(struct outbuf *o, const uint8_t *s, size_t n)
{
	bool quote = n == 0;

	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] <= ' ' || s[i] >= 0x7f || s[i] == '"' || s[i] == '\\';
	if (!quote) {
		outbuf_write(o, (const char *)s, n);
		return;
	}
	outbuf_putc(o, '"');
	text_put_escaped(o, s, n);
	outbuf_putc(o, '"');
}

/* Container events end with container=ID (its first 12 characters, as
 * container tools show it) and, in a pod, pod=UID; host events add nothing. */
static void text_put_container(struct outbuf *o, const struct eun_event *ev)
{
	const char *id = header_field_str(ev, HDR_CONTAINER_ID);
	const char *pod = header_field_str(ev, HDR_POD_UID);

	if (!*id)
		return;
	outbuf_puts(o, " container=");
	text_put_str(o, (const uint8_t *)id, strnlen(id, TEXT_CONTAINER_ID_LEN));
	if (*pod) {
		outbuf_puts(o, " pod=");
		text_put_str(o, (const uint8_t *)pod, strlen(pod));
	}
}

int eun_event_to_text(const struct eun_event *ev, char *buf, size_t size)
{
	const struct eun_event_type *et;
	struct outbuf o;
	size_t comm_start, comm_len;

	clear_error();
	if (!ev || (!buf && size))
		return set_error(EINVAL, "eun_event_to_text: ev must not be NULL, nor buf unless size is 0");
	et = ev->type;
	outbuf_init(&o, buf, size);
	text_put_time(&o, eun_event_ts(ev));
	outbuf_printf(&o, " %-8s %-8s %7" PRIu32 " %6" PRIu32 " ", eun_event_tracker_name(ev),
		      et->name, ev->hdr->pid, ev->hdr->uid);
	/* Spaces in a comm are common ("Web Content") and fine in a fixed column. */
	comm_start = o.len;
	text_put_escaped(&o, (const uint8_t *)ev->comm, strlen(ev->comm));
	comm_len = o.len - comm_start;
	if (et->n_fields && comm_len < COMM_WIDTH)
		outbuf_printf(&o, "%*s", (int)(COMM_WIDTH - comm_len), "");
	for (uint32_t i = 0; i < et->n_fields; i++) {
		const struct eun_field *f = &et->fields[i];

		outbuf_printf(&o, " %s=", f->name);
		if (f->type == EUN_FIELD_STR)
			text_put_str(&o, ev->rec + f->offset, field_str_len(f, ev->rec));
		else
			field_put(&o, f, ev->rec);
	}
	text_put_container(&o, ev);
	return outbuf_finish(&o);
}
