/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Record of the `ipc` tracker (one per System V or POSIX message queue,
 * semaphore or shared memory call), shared by ipc.bpf.c and ipc.c.
 * Starts with struct eun_record_header. Fields a call does not have are 0
 * (id: -1).
 */
#ifndef EUN_TRACKER_IPC_H
#define EUN_TRACKER_IPC_H

#include <eunomia/record.h>

enum ipc_event_type {
	IPC_EVENT = 1,
};

#define IPC_CALL_LEN 16 /* "mq_timedreceive" + NUL */
#define IPC_NAME_LEN 64

struct ipc_event {
	struct eun_record_header hdr;
	__s64 ret;      /* syscall result or -errno; shmat: 0 on success (address in addr) */
	__u64 addr;     /* shmat: attached address; shmdt: address passed */
	__u64 size;     /* bytes: shmget size, msgsnd/msgrcv msgsz, mq_timed* msg_len */
	__s32 id;       /* msqid/semid/shmid argument, id returned by *get, mq descriptor */
	__u32 key;      /* *get: IPC key (0 is IPC_PRIVATE) */
	__u32 flags;    /* msgflg/semflg/shmflg (with permission bits), mq_open oflag */
	__u32 mode;     /* permission bits: *get flag & 0777, mq_open mode with O_CREAT */
	__s32 cmd;      /* *ctl command */
	__u32 count;    /* semget nsems, semop/semtimedop nsops */
	char call[IPC_CALL_LEN];
	char name[IPC_NAME_LEN]; /* mq_open/mq_unlink name as passed to the syscall */
};

#endif /* EUN_TRACKER_IPC_H */
