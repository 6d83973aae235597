// SPDX-License-Identifier: GPL-2.0-only
/*
 * `process` tracker plugin: process lifecycle events (exec with file name
 * and arguments, exit with code, signal and lifetime, and optionally fork)
 * from the BPF programs in bpf/process.bpf.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>

#include "process.h"
#include "process.skel.h"

struct process_state {
	struct eun_tracker *t;
	const struct eun_host *host;
	struct process_bpf *skel;
	bool loaded;
};

static const struct eun_field exec_fields[] = {
	EUN_FIELD(struct process_exec_event, ppid, EUN_FIELD_U32, NULL, 0,
		  "parent process id"),
	EUN_FIELD(struct process_exec_event, old_pid, EUN_FIELD_U32, NULL, 0,
		  "pid of the thread that called execve (differs from pid when a non-leader thread execs)"),
	EUN_FIELD(struct process_exec_event, filename, EUN_FIELD_STR, NULL, 0,
		  "path given to execve"),
	EUN_FIELD(struct process_exec_event, args, EUN_FIELD_STR, NULL, 0,
		  "command line, arguments separated by spaces, cut at 256 bytes"),
	EUN_FIELD(struct process_exec_event, args_size, EUN_FIELD_U32, "bytes", 0,
		  "size of the whole argument block; more than 256 means args is cut"),
};

static const struct eun_field exit_fields[] = {
	EUN_FIELD(struct process_exit_event, ppid, EUN_FIELD_U32, NULL, 0,
		  "parent process id"),
	EUN_FIELD(struct process_exit_event, exit_code, EUN_FIELD_S32, NULL, EUN_FIELD_F_KEY,
		  "exit status as given to exit() (0 when killed by a signal)"),
	EUN_FIELD(struct process_exit_event, signal, EUN_FIELD_U32, NULL, EUN_FIELD_F_KEY,
		  "signal that terminated the process, 0 for a normal exit"),
	EUN_FIELD(struct process_exit_event, lifetime_ns, EUN_FIELD_U64, "ns", 0,
		  "time from process start to exit"),
};

static const struct eun_field fork_fields[] = {
	EUN_FIELD(struct process_fork_event, ppid, EUN_FIELD_U32, NULL, 0,
		  "parent of the forking process"),
	EUN_FIELD(struct process_fork_event, child_pid, EUN_FIELD_U32, NULL, 0,
		  "pid of the new process"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "exec", .description = "a process executed a new program",
	  .id = PROCESS_EXEC, .record_size = sizeof(struct process_exec_event),
	  .fields = exec_fields, .n_fields = EUN_ARRAY_LEN(exec_fields) },
	{ .name = "exit", .description = "a process ended (its thread group leader exited)",
	  .id = PROCESS_EXIT, .record_size = sizeof(struct process_exit_event),
	  .fields = exit_fields, .n_fields = EUN_ARRAY_LEN(exit_fields) },
	{ .name = "fork", .description = "a process created a new process (only with fork=true)",
	  .id = PROCESS_FORK, .record_size = sizeof(struct process_fork_event),
	  .fields = fork_fields, .n_fields = EUN_ARRAY_LEN(fork_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "fork", .description = "also report fork events (new processes, not threads)",
	  .default_value = "false", .type = EUN_CONFIG_BOOL },
};

static void process_destroy(void *state)
{
	struct process_state *st = state;

	if (!st)
		return;
	process_bpf__destroy(st->skel);
	free(st);
}

static int process_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct process_state *st;
	int want_fork = 0, err;

	st = calloc(1, sizeof(*st));
	if (!st) {
		host->set_error(t, "out of memory allocating the tracker state");
		return -ENOMEM;
	}
	st->t = t;
	st->host = host;

	err = host->config_bool(t, "fork", &want_fork);
	if (err && err != -ENODATA) {
		host->set_error(t, "cannot read config key 'fork': %s", strerror(-err));
		goto fail;
	}

	st->skel = process_bpf__open();
	if (!st->skel) {
		err = -errno;
		host->set_error(t, "cannot open the embedded BPF object: %s; "
				"is libbpf >= 1.0 installed?", strerror(errno));
		goto fail;
	}
	/* Without fork=true the fork program is neither loaded nor attached. */
	err = bpf_program__set_autoload(st->skel->progs.handle_fork, want_fork != 0);
	if (err) {
		host->set_error(t, "cannot configure the fork program: %s", strerror(-err));
		goto fail;
	}
	err = host->prepare_bpf(t, st->skel->obj);
	if (err)
		goto fail; /* prepare_bpf set the error text */

	*state = st;
	return 0;
fail:
	process_destroy(st);
	return err < 0 ? err : -EINVAL;
}

/* Attach one program, keeping its link in the skeleton so __detach() finds it. */
static int attach_one(struct process_state *st, struct bpf_program *prog, struct bpf_link **link)
{
	int err;

	if (!bpf_program__autoload(prog) || *link)
		return 0;
	*link = bpf_program__attach(prog);
	if (*link)
		return 0;
	err = -errno;
	st->host->set_error(st->t, "cannot attach %s: %s; the kernel needs BTF tracepoints (5.5+)",
			    bpf_program__section_name(prog), strerror(errno));
	return err;
}

static int process_start(void *state)
{
	struct process_state *st = state;
	struct process_bpf *s = st->skel;
	int err;

	if (!st->loaded) {
		err = process_bpf__load(s);
		if (err) {
			st->host->set_error(st->t, "cannot load the BPF programs: %s; "
					    "run as root (or with CAP_BPF and CAP_PERFMON) on a kernel "
					    "with BTF (/sys/kernel/btf/vmlinux); the libbpf log names the "
					    "refused program", strerror(-err));
			return err;
		}
		st->loaded = true;
	}
	if ((err = attach_one(st, s->progs.handle_exec, &s->links.handle_exec)) ||
	    (err = attach_one(st, s->progs.handle_exit, &s->links.handle_exit)) ||
	    (err = attach_one(st, s->progs.handle_fork, &s->links.handle_fork))) {
		process_bpf__detach(s);
		return err;
	}
	return 0;
}

static int process_stop(void *state)
{
	struct process_state *st = state;

	process_bpf__detach(st->skel); /* maps stay: the core drains the ring after stop */
	return 0;
}

static int process_ring_fd(void *state)
{
	struct process_state *st = state;

	return bpf_map__fd(st->skel->maps.eun_events);
}

/* exec records carry argv as NUL-separated strings; join them with spaces. */
static long process_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	const struct eun_record_header *h = raw;
	size_t len = raw_len < out_cap ? raw_len : out_cap;
	struct process_exec_event *e;
	size_t n;

	(void)state;
	if (len < sizeof(*h))
		return -EINVAL;
	memcpy(out, raw, len); /* extra bytes past out_cap are ignored, as the core would */
	if (h->type != PROCESS_EXEC)
		return (long)len;
	if (len < sizeof(*e))
		return -EINVAL;

	e = out;
	n = e->args_copied < sizeof(e->args) ? e->args_copied : sizeof(e->args);
	for (size_t i = 0; i < n; i++)
		if (e->args[i] == '\0')
			e->args[i] = ' ';
	/* The block ends with the last argument's NUL: keep it as the end.
	 * A cut block fills the array, which a STR field may do. */
	if (n && n == e->args_size)
		e->args[n - 1] = '\0';
	else if (n < sizeof(e->args))
		e->args[n] = '\0';
	return (long)len;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("process"),
	.version = "0.1.0",
	.description = "process lifecycle: exec (file name, arguments), exit (code, signal, lifetime), fork",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = process_create,
	.destroy = process_destroy,
	.start = process_start,
	.stop = process_stop,
	.ring_fd = process_ring_fd,
	.decode = process_decode,
};

EUN_PLUGIN_DEFINE(desc)
