// SPDX-License-Identifier: GPL-2.0-only
/*
 * `files` tracker plugin: one event per open, openat and openat2 call
 * (path, flags, mode, directory fd, result), from the exit-tracepoint-only
 * BPF programs in bpf/files.bpf.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>

#include "files.h"
#include "files.skel.h"

struct files_state {
	struct eun_tracker *t;
	const struct eun_host *host;
	struct files_bpf *skel;
	bool loaded;
};

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
};

static const struct eun_config_key config_keys[] = {
	{ .name = "failed_only", .description = "report only opens that failed (ret < 0)",
	  .default_value = "false", .type = EUN_CONFIG_BOOL },
};

static void files_destroy(void *state)
{
	struct files_state *st = state;

	if (!st)
		return;
	files_bpf__destroy(st->skel);
	free(st);
}

static int files_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct files_state *st;
	int failed_only = 0, err;

	st = calloc(1, sizeof(*st));
	if (!st) {
		host->set_error(t, "out of memory allocating the tracker state");
		return -ENOMEM;
	}
	st->t = t;
	st->host = host;

	err = host->config_bool(t, "failed_only", &failed_only);
	if (err && err != -ENODATA) {
		host->set_error(t, "cannot read config key 'failed_only': %s", strerror(-err));
		goto fail;
	}

	st->skel = files_bpf__open();
	if (!st->skel) {
		err = -errno;
		host->set_error(t, "cannot open the embedded BPF object: %s; "
				"is libbpf >= 1.0 installed?", strerror(errno));
		goto fail;
	}
	st->skel->rodata->files_cfg_failed_only = failed_only != 0;
#if !defined(__x86_64__)
	/* open(2) only exists on x86 among the supported architectures. */
	bpf_program__set_autoload(st->skel->progs.handle_open, false);
#endif
	err = host->prepare_bpf(t, st->skel->obj);
	if (err)
		goto fail; /* prepare_bpf set the error text */

	*state = st;
	return 0;
fail:
	files_destroy(st);
	return err < 0 ? err : -EINVAL;
}

/* Attach one program, keeping its link in the skeleton so __detach() finds it. */
static int attach_one(struct files_state *st, struct bpf_program *prog, struct bpf_link **link)
{
	int err;

	if (!bpf_program__autoload(prog) || *link)
		return 0;
	*link = bpf_program__attach(prog);
	if (*link)
		return 0;
	err = -errno;
	st->host->set_error(st->t, "cannot attach %s: %s; syscall tracepoints need tracefs "
			    "mounted at /sys/kernel/tracing and CONFIG_FTRACE_SYSCALLS",
			    bpf_program__section_name(prog), strerror(errno));
	return err;
}

static int files_start(void *state)
{
	struct files_state *st = state;
	struct files_bpf *s = st->skel;
	int err;

	if (!st->loaded) {
		err = files_bpf__load(s);
		if (err) {
			st->host->set_error(st->t, "cannot load the BPF programs: %s; "
					    "run as root (or with CAP_BPF and CAP_PERFMON) on a kernel "
					    "with BTF and bpf_task_pt_regs (5.15+); the libbpf log names "
					    "the refused program", strerror(-err));
			return err;
		}
		st->loaded = true;
	}
	if ((err = attach_one(st, s->progs.handle_openat, &s->links.handle_openat)) ||
	    (err = attach_one(st, s->progs.handle_openat2, &s->links.handle_openat2)) ||
	    (err = attach_one(st, s->progs.handle_open, &s->links.handle_open))) {
		files_bpf__detach(s);
		return err;
	}
	return 0;
}

static int files_stop(void *state)
{
	struct files_state *st = state;

	files_bpf__detach(st->skel); /* maps stay: the core drains the ring after stop */
	return 0;
}

static int files_ring_fd(void *state)
{
	struct files_state *st = state;

	return bpf_map__fd(st->skel->maps.eun_events);
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
	.destroy = files_destroy,
	.start = files_start,
	.stop = files_stop,
	.ring_fd = files_ring_fd,
};

EUN_PLUGIN_DEFINE(desc)
