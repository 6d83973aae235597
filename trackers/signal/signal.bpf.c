// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `signal` tracker: one record per signal the kernel
 * generates (kill, tgkill, sigqueue, kernel-sent signals...), with the
 * target task, signal, si_code and what became of it. Hook: the BTF
 * tracepoint signal_generate, which runs in the sender's context.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* Rare events: a 256 KiB ring holds thousands of them between two reads. */
#define EUN_RINGBUF_KB 256
#include <eunomia/bpf/eunomia.bpf.h>
#include "signal.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the plugin from its `sig` config key; 0 traces every signal. */
const volatile __u32 signal_cfg_sig = 0;

/* Special siginfo pointers of include/linux/sched/signal.h. */
#define SEND_SIG_NOINFO_ ((struct kernel_siginfo *)0)
#define SEND_SIG_PRIV_ ((struct kernel_siginfo *)1)
#define SI_USER_ 0
#define SI_KERNEL_ 0x80

SEC("tp_btf/signal_generate")
int BPF_PROG(handle_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	struct signal_send_event *e;

	if (signal_cfg_sig && (__u32)sig != signal_cfg_sig)
		return 0;
	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(SIGNAL_RAW_SIZE, SIGNAL_SEND);
	if (!e)
		return 0;
	e->target_pid = BPF_CORE_READ(task, tgid);
	e->target_tid = BPF_CORE_READ(task, pid);
	BPF_CORE_READ_STR_INTO(&e->target_comm, task, comm);
	e->sig = sig;
	/* Same rule as the tracepoint's own TP_STORE_SIGINFO. */
	if (info == SEND_SIG_NOINFO_)
		e->code = SI_USER_;
	else if (info == SEND_SIG_PRIV_)
		e->code = SI_KERNEL_;
	else
		e->code = BPF_CORE_READ(info, si_code);
	e->result = result;
	e->group = group != 0;
	e->pad_[0] = e->pad_[1] = e->pad_[2] = 0;
	eun_record_submit(e);
	return 0;
}
