// SPDX-License-Identifier: GPL-2.0-only
/*
 * `process` tracker plugin: process lifecycle events (exec with file name
 * and arguments, exit with code, signal and lifetime, and optionally fork)
 * from the BPF programs in process.bpf.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "process.h"
#include "process.skel.h"

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

static int process_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, process_bpf, EUN_SKEL_HINT_BTF_TP);
	struct process_bpf *skel;
	bool want_fork;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	err = eun_skel_cfg_bool(sp, "fork", &want_fork);
	/* Without fork=true the fork program is neither loaded nor attached. */
	if (!err && (err = bpf_program__set_autoload(skel->progs.handle_fork, want_fork)))
		host->set_error(t, "cannot configure the fork program: %s", strerror(-err));
	if (err)
		return eun_skel_fail(sp, err);
	return eun_skel_ready(sp, state);
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
	EUN_SKEL_OPS,
	.decode = process_decode,
};

EUN_PLUGIN_DEFINE(desc)
