// SPDX-License-Identifier: GPL-2.0-only
/*
 * `files` tracker plugin: one event per open, openat and openat2 call
 * (path, flags, mode, directory fd, result), from the exit-tracepoint-only
 * BPF programs in files.bpf.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "files.h"
#include "files.skel.h"
#include "files_io.h"

static const struct eun_field open_fields[] = {
	EUN_FIELD(struct files_open_event, path, EUN_FIELD_STR, NULL, 0,
		  "path as passed to the call (relative to dfd when not absolute), cut at 256 bytes"),
	EUN_FIELD(struct files_open_event, flags, EUN_FIELD_U32, NULL, EUN_FIELD_F_HEX,
		  "O_* open flags as passed"),
	EUN_FIELD(struct files_open_event, mode, EUN_FIELD_U32, NULL, EUN_FIELD_F_HEX,
		  "permission bits for a created file; 0 unless O_CREAT or O_TMPFILE"),
	EUN_FIELD(struct files_open_event, dfd, EUN_FIELD_S32, NULL, 0,
		  "directory fd the path is relative to; -100 is AT_FDCWD"),
	EUN_FIELD(struct files_open_event, ret, EUN_FIELD_S64, NULL, EUN_FIELD_F_ERRNO,
		  "new file descriptor, or -errno on failure"),
	EUN_FIELD(struct files_open_event, syscall, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "system call: open, openat or openat2"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "open", .description = "a file was opened, or an open failed",
	  .id = FILES_OPEN, .record_size = sizeof(struct files_open_event),
	  .fields = open_fields, .n_fields = EUN_ARRAY_LEN(open_fields) },
	FILES_IO_EVENT_TYPE,
};

static const struct eun_config_key config_keys[] = {
	{ .name = "failed_only", .description = "report only opens that failed (ret < 0)",
	  .default_value = "false", .type = EUN_CONFIG_BOOL },
	FILES_IO_CONFIG_KEYS,
};

/*
 * An open record arrives cut after the path's NUL (files.bpf.c copies
 * only what the path needs into the ring); pad it back to the declared
 * record_size with zeros. Records of other types pass through unchanged.
 */
static long files_decode(void *state, const void *raw, size_t len, void *out, size_t cap)
{
	const struct eun_record_header *h = raw;
	size_t want = len;

	(void)state;
	if (len < sizeof(*h) || len > cap)
		return -EBADMSG;
	if (h->type == FILES_OPEN) {
		want = sizeof(struct files_open_event);
		if (len <= offsetof(struct files_open_event, path) || len > want)
			return -EBADMSG;
	}
	memcpy(out, raw, len);
	memset((char *)out + len, 0, want - len);
	return (long)want;
}

static int files_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, files_bpf, EUN_SKEL_HINT_SYSCALL_TP);
	struct files_bpf *skel;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((err = eun_skel_bind_bool(sp, "failed_only", &skel->rodata->files_cfg_failed_only)))
		return eun_skel_fail(sp, err);
#if !defined(__x86_64__)
	/* open(2) only exists on x86 among the supported architectures. */
	bpf_program__set_autoload(skel->progs.handle_open, false);
#endif
	if ((err = files_io_configure(sp)))
		return eun_skel_fail(sp, err);
	return eun_skel_ready(sp, state);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("files"),
	.version = "0.1.0",
	.description = "file opens: open, openat and openat2 with path, flags, mode and result",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = files_create,
	.decode = files_decode,
	EUN_SKEL_OPS,
	.collect = files_io_collect,
};

EUN_PLUGIN_DEFINE(desc)
