// SPDX-License-Identifier: GPL-2.0-only
/*
 * `signal` tracker plugin: signals sent (sender, target, signal, si_code,
 * group or thread, and whether the kernel delivered, ignored or merged
 * it), from the BPF program in signal.bpf.c. decode() adds the signal
 * and result names.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "signal.h"
#include "signal.skel.h"

static const struct eun_field send_fields[] = {
	EUN_FIELD(struct signal_send_event, target_pid, EUN_FIELD_U32, NULL, 0,
		  "process id (thread group id) of the receiving task"),
	EUN_FIELD(struct signal_send_event, target_tid, EUN_FIELD_U32, NULL, 0,
		  "thread id of the receiving task"),
	EUN_FIELD(struct signal_send_event, target_comm, EUN_FIELD_STR, NULL, 0,
		  "command name of the receiving task"),
	EUN_FIELD(struct signal_send_event, sig, EUN_FIELD_U32, NULL, EUN_FIELD_F_KEY,
		  "signal number (kernel numbering: real-time signals start at 32)"),
	EUN_FIELD(struct signal_send_event, sig_name, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "signal name, e.g. SIGUSR1; SIGRT_n is real-time signal 32+n"),
	EUN_FIELD(struct signal_send_event, code, EUN_FIELD_S32, NULL, 0,
		  "si_code: 0 SI_USER (kill), -6 SI_TKILL, -1 SI_QUEUE, 128 SI_KERNEL, >0 signal-specific"),
	EUN_FIELD(struct signal_send_event, group, EUN_FIELD_BOOL, NULL, 0,
		  "sent to the whole thread group rather than to one thread"),
	EUN_FIELD(struct signal_send_event, result, EUN_FIELD_S32, NULL, EUN_FIELD_F_KEY,
		  "outcome: 0 delivered, 1 ignored, 2 already pending, 3 overflow (queue full), 4 delivered without siginfo"),
	EUN_FIELD(struct signal_send_event, result_name, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "outcome as text: delivered, ignored, already_pending, overflow_fail, lose_info"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "send", .description = "a signal was generated for a task",
	  .id = SIGNAL_SEND, .record_size = sizeof(struct signal_send_event),
	  .fields = send_fields, .n_fields = EUN_ARRAY_LEN(send_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "sig", .description = "trace only this signal number (tested in the kernel); 0 traces all",
	  .default_value = "0", .type = EUN_CONFIG_UINT, .min = 0, .max = 64 },
};

/* Names of signals 1..31 (x86, arm64, riscv, s390, powerpc numbering). */
static const char *const sig_names[] = {
	[1] = "SIGHUP",   [2] = "SIGINT",     [3] = "SIGQUIT",   [4] = "SIGILL",
	[5] = "SIGTRAP",  [6] = "SIGABRT",    [7] = "SIGBUS",    [8] = "SIGFPE",
	[9] = "SIGKILL",  [10] = "SIGUSR1",   [11] = "SIGSEGV",  [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM",   [15] = "SIGTERM",  [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT",   [19] = "SIGSTOP",  [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU",   [23] = "SIGURG",   [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF",  [28] = "SIGWINCH",
	[29] = "SIGIO",   [30] = "SIGPWR",    [31] = "SIGSYS",
};

static const char *const result_names[] = {
	[SIGNAL_RES_DELIVERED] = "delivered",
	[SIGNAL_RES_IGNORED] = "ignored",
	[SIGNAL_RES_ALREADY_PENDING] = "already_pending",
	[SIGNAL_RES_OVERFLOW_FAIL] = "overflow_fail",
	[SIGNAL_RES_LOSE_INFO] = "lose_info",
};

static int signal_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, signal_bpf, EUN_SKEL_HINT_BTF_TP);
	struct signal_bpf *skel;
	int err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((err = eun_skel_bind_uint(sp, "sig", &skel->rodata->signal_cfg_sig)))
		return eun_skel_fail(sp, err);
	return eun_skel_ready(sp, state);
}

/* The BPF record stops before the names: copy it and add them. */
static long signal_decode(void *state, const void *raw, size_t raw_len, void *out, size_t out_cap)
{
	struct signal_send_event *e = out;

	(void)state;
	if (raw_len < SIGNAL_RAW_SIZE || out_cap < sizeof(*e))
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	memcpy(e, raw, SIGNAL_RAW_SIZE);
	if (e->hdr.type != SIGNAL_SEND)
		return -EINVAL;

	if (e->sig < EUN_ARRAY_LEN(sig_names) && sig_names[e->sig])
		snprintf(e->sig_name, sizeof(e->sig_name), "%s", sig_names[e->sig]);
	else if (e->sig >= 32 && e->sig <= 64)
		snprintf(e->sig_name, sizeof(e->sig_name), "SIGRT_%u", e->sig - 32);
	else
		snprintf(e->sig_name, sizeof(e->sig_name), "SIG%u", e->sig);

	if (e->result >= 0 && (uint32_t)e->result < EUN_ARRAY_LEN(result_names))
		snprintf(e->result_name, sizeof(e->result_name), "%s", result_names[e->result]);
	else
		snprintf(e->result_name, sizeof(e->result_name), "result_%d", e->result);
	return (long)sizeof(*e);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("signal"),
	.version = "0.1.0",
	.description = "signals sent: sender, target, signal, si_code and outcome",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = signal_create,
	EUN_SKEL_OPS,
	.decode = signal_decode,
};

EUN_PLUGIN_DEFINE(desc)
