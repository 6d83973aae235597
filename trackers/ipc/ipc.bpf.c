// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of the `ipc` tracker: one record per System V message queue,
 * semaphore and shared memory call and per POSIX message queue call.
 *
 * One program per call, all on the syscall exit tracepoints and all
 * calling trace_ipc(): the arguments are read back at exit from the task's
 * saved user registers, so no enter program and no hash map are needed.
 * The call number is a constant in each program, so the switch below folds
 * away and each program only reads the registers its call uses. The plugin
 * leaves the programs of unselected calls unloaded.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/* Rare events: a 256 KiB ring holds thousands of them between two reads. */
#define EUN_RINGBUF_KB 256
#include <eunomia/bpf/eunomia.bpf.h>
#include "ipc.h"
#include "syscall_args.bpf.h"

char LICENSE[] SEC("license") = "GPL";


#define O_CREAT_ 0100
#define MAX_ERRNO_ 4095

enum {
	MSGGET, MSGSND, MSGRCV, MSGCTL,
	SEMGET, SEMOP, SEMTIMEDOP, SEMCTL,
	SHMGET, SHMAT, SHMDT, SHMCTL,
	MQ_OPEN, MQ_UNLINK, MQ_TIMEDSEND, MQ_TIMEDRECEIVE,
};

/* Copy a call name, NUL-padded to the whole field. */
#define SET_CALL(e, s) __builtin_memcpy((e)->call, s "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", IPC_CALL_LEN)

static __always_inline int trace_ipc(struct trace_event_raw_sys_exit *ctx, const int call)
{
	struct ipc_event *e;
	struct pt_regs *regs;
	long ret = ctx->ret;

	if (!eun_should_trace())
		return 0;
	e = eun_record_reserve(sizeof(*e), IPC_EVENT);
	if (!e)
		return 0;
	regs = SYSCALL_REGS();

	e->ret = ret;
	e->addr = 0;
	e->size = 0;
	e->id = -1;
	e->key = 0;
	e->flags = 0;
	e->mode = 0;
	e->cmd = 0;
	e->count = 0;
	e->name[0] = 0;

	switch (call) {
	case MSGGET: /* msgget(key, msgflg) */
		SET_CALL(e, "msgget");
		e->key = SYSCALL_ARG0(regs);
		e->flags = SYSCALL_ARG1(regs);
		break;
	case SEMGET: /* semget(key, nsems, semflg) */
		SET_CALL(e, "semget");
		e->key = SYSCALL_ARG0(regs);
		e->count = SYSCALL_ARG1(regs);
		e->flags = SYSCALL_ARG2(regs);
		break;
	case SHMGET: /* shmget(key, size, shmflg) */
		SET_CALL(e, "shmget");
		e->key = SYSCALL_ARG0(regs);
		e->size = SYSCALL_ARG1(regs);
		e->flags = SYSCALL_ARG2(regs);
		break;
	case MSGSND: /* msgsnd(msqid, msgp, msgsz, msgflg) */
		SET_CALL(e, "msgsnd");
		e->id = SYSCALL_ARG0(regs);
		e->size = SYSCALL_ARG2(regs);
		e->flags = SYSCALL_ARG3(regs);
		break;
	case MSGRCV: /* msgrcv(msqid, msgp, msgsz, msgtyp, msgflg) */
		SET_CALL(e, "msgrcv");
		e->id = SYSCALL_ARG0(regs);
		e->size = SYSCALL_ARG2(regs);
		e->flags = SYSCALL_ARG4(regs);
		break;
	case MSGCTL: /* msgctl(msqid, cmd, buf) */
		SET_CALL(e, "msgctl");
		e->id = SYSCALL_ARG0(regs);
		e->cmd = SYSCALL_ARG1(regs);
		break;
	case SEMOP: /* semop(semid, sops, nsops) */
		SET_CALL(e, "semop");
		e->id = SYSCALL_ARG0(regs);
		e->count = SYSCALL_ARG2(regs);
		break;
	case SEMTIMEDOP: /* semtimedop(semid, sops, nsops, timeout) */
		SET_CALL(e, "semtimedop");
		e->id = SYSCALL_ARG0(regs);
		e->count = SYSCALL_ARG2(regs);
		break;
	case SEMCTL: /* semctl(semid, semnum, cmd, arg) */
		SET_CALL(e, "semctl");
		e->id = SYSCALL_ARG0(regs);
		e->cmd = SYSCALL_ARG2(regs);
		break;
	case SHMAT: /* shmat(shmid, shmaddr, shmflg): returns an address, not an errno */
		SET_CALL(e, "shmat");
		e->id = SYSCALL_ARG0(regs);
		e->flags = SYSCALL_ARG2(regs);
		if (ret >= 0 || ret < -MAX_ERRNO_) {
			e->addr = ret;
			e->ret = 0;
		}
		break;
	case SHMDT: /* shmdt(shmaddr) */
		SET_CALL(e, "shmdt");
		e->addr = SYSCALL_ARG0(regs);
		break;
	case SHMCTL: /* shmctl(shmid, cmd, buf) */
		SET_CALL(e, "shmctl");
		e->id = SYSCALL_ARG0(regs);
		e->cmd = SYSCALL_ARG1(regs);
		break;
	case MQ_OPEN: /* mq_open(name, oflag, mode, attr) */
		SET_CALL(e, "mq_open");
		e->flags = SYSCALL_ARG1(regs);
		if (e->flags & O_CREAT_)
			e->mode = SYSCALL_ARG2(regs);
		if (ret >= 0)
			e->id = ret;
		bpf_probe_read_user_str(e->name, sizeof(e->name), (const char *)SYSCALL_ARG0(regs));
		break;
	case MQ_UNLINK: /* mq_unlink(name) */
		SET_CALL(e, "mq_unlink");
		bpf_probe_read_user_str(e->name, sizeof(e->name), (const char *)SYSCALL_ARG0(regs));
		break;
	case MQ_TIMEDSEND: /* mq_timedsend(mqdes, msg, msg_len, prio, timeout) */
		SET_CALL(e, "mq_timedsend");
		e->id = SYSCALL_ARG0(regs);
		e->size = SYSCALL_ARG2(regs);
		break;
	case MQ_TIMEDRECEIVE: /* mq_timedreceive(mqdes, msg, msg_len, prio, timeout) */
		SET_CALL(e, "mq_timedreceive");
		e->id = SYSCALL_ARG0(regs);
		e->size = SYSCALL_ARG2(regs);
		break;
	}
	/* For the *get calls: the permission bits of the flag word, and the new id. */
	if (call == MSGGET || call == SEMGET || call == SHMGET) {
		e->mode = e->flags & 0777;
		if (ret >= 0)
			e->id = ret;
	}
	eun_record_submit(e);
	return 0;
}

/* One program per call; the program name is ipc_<call> (the plugin relies on it). */
#define IPC_PROG(fn, CALL)                                       \
	SEC("tp/syscalls/sys_exit_" #fn)                          \
	int ipc_##fn(struct trace_event_raw_sys_exit *ctx)        \
	{                                                         \
		return trace_ipc(ctx, CALL);                      \
	}

IPC_PROG(msgget, MSGGET)
IPC_PROG(msgsnd, MSGSND)
IPC_PROG(msgrcv, MSGRCV)
IPC_PROG(msgctl, MSGCTL)
IPC_PROG(semget, SEMGET)
IPC_PROG(semop, SEMOP)
IPC_PROG(semtimedop, SEMTIMEDOP)
IPC_PROG(semctl, SEMCTL)
IPC_PROG(shmget, SHMGET)
IPC_PROG(shmat, SHMAT)
IPC_PROG(shmdt, SHMDT)
IPC_PROG(shmctl, SHMCTL)
IPC_PROG(mq_open, MQ_OPEN)
IPC_PROG(mq_unlink, MQ_UNLINK)
IPC_PROG(mq_timedsend, MQ_TIMEDSEND)
IPC_PROG(mq_timedreceive, MQ_TIMEDRECEIVE)
