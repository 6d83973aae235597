// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ipc` tracker plugin: one event per System V IPC call (msg*, sem*, shm*)
 * and POSIX message queue call (mq_open, mq_unlink, mq_timedsend,
 * mq_timedreceive), from the exit-tracepoint-only BPF programs in
 * ipc.bpf.c. The `calls` config key selects a subset; the programs of
 * the other calls are not loaded at all.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "ipc.h"
#include "ipc.skel.h"

/* Every call traced; the BPF program of call C is named ipc_C. */
static const char *const call_names[] = {
	"msgget", "msgsnd", "msgrcv", "msgctl",
	"semget", "semop", "semtimedop", "semctl",
	"shmget", "shmat", "shmdt", "shmctl",
	"mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive",
};
#define N_CALLS EUN_ARRAY_LEN(call_names)
#define KNOWN_CALLS "msgget, msgsnd, msgrcv, msgctl, semget, semop, semtimedop, semctl, " \
		    "shmget, shmat, shmdt, shmctl, mq_open, mq_unlink, mq_timedsend, mq_timedreceive"

static const struct eun_field ipc_fields[] = {
	EUN_FIELD(struct ipc_event, call, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "system call: msgget, msgsnd, msgrcv, msgctl, semget, semop, semtimedop, semctl, "
		  "shmget, shmat, shmdt, shmctl, mq_open, mq_unlink, mq_timedsend or mq_timedreceive"),
	EUN_FIELD(struct ipc_event, key, EUN_FIELD_U32, NULL, EUN_FIELD_F_HEX,
		  "msgget/semget/shmget: the IPC key (0 is IPC_PRIVATE); 0 for other calls"),
	EUN_FIELD(struct ipc_event, id, EUN_FIELD_S32, NULL, 0,
		  "msqid/semid/shmid argument; for *get the id returned; for mq_open the descriptor "
		  "returned, for mq_timedsend/mq_timedreceive the descriptor passed; -1 when none"),
	EUN_FIELD(struct ipc_event, flags, EUN_FIELD_U32, NULL, EUN_FIELD_F_HEX,
		  "msgflg/semflg/shmflg as passed (permission bits included), or mq_open oflag; "
		  "0 for calls without flags"),
	EUN_FIELD(struct ipc_event, mode, EUN_FIELD_U32, NULL, EUN_FIELD_F_HEX,
		  "permission bits: flags & 0777 for *get, the mode for mq_open with O_CREAT; else 0"),
	EUN_FIELD(struct ipc_event, cmd, EUN_FIELD_S32, NULL, EUN_FIELD_F_KEY,
		  "msgctl/semctl/shmctl command as passed (IPC_RMID is 0, IPC_SET 1, IPC_STAT 2); "
		  "0 for other calls"),
	EUN_FIELD(struct ipc_event, size, EUN_FIELD_U64, "bytes", 0,
		  "shmget segment size, msgsnd/msgrcv msgsz, mq_timedsend/mq_timedreceive msg_len; "
		  "0 for other calls"),
	EUN_FIELD(struct ipc_event, count, EUN_FIELD_U32, NULL, 0,
		  "semget nsems, semop/semtimedop nsops; 0 for other calls"),
	EUN_FIELD(struct ipc_event, name, EUN_FIELD_STR, NULL, 0,
		  "mq_open/mq_unlink queue name as passed to the kernel (glibc drops the leading "
		  "'/'), cut at 63 bytes"),
	EUN_FIELD(struct ipc_event, addr, EUN_FIELD_U64, NULL, EUN_FIELD_F_HEX,
		  "shmat: the address the segment was attached at (0 on failure); shmdt: the "
		  "address passed; 0 for other calls"),
	EUN_FIELD(struct ipc_event, ret, EUN_FIELD_S64, NULL, EUN_FIELD_F_ERRNO,
		  "result, or -errno on failure: the id for *get, the descriptor for mq_open, bytes "
		  "received for msgrcv/mq_timedreceive, else 0; shmat: 0 (address in addr)"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "ipc", .description = "a System V or POSIX IPC call returned",
	  .id = IPC_EVENT, .record_size = sizeof(struct ipc_event),
	  .fields = ipc_fields, .n_fields = EUN_ARRAY_LEN(ipc_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "calls",
	  .description = "comma-separated calls to trace (" KNOWN_CALLS "); empty: all",
	  .default_value = "", .type = EUN_CONFIG_STRING },
};

/* Index of call name s[0..len) in call_names, or -1. */
static int call_index(const char *s, size_t len)
{
	for (unsigned i = 0; i < N_CALLS; i++)
		if (strlen(call_names[i]) == len && !memcmp(call_names[i], s, len))
			return (int)i;
	return -1;
}

/* Parse the `calls` list into want[] (all true when blank); -EINVAL naming a bad entry. */
static int parse_calls(struct eun_skel *sp, const char *list, bool want[N_CALLS])
{
	bool blank = strspn(list, " ") == strlen(list);

	for (unsigned i = 0; i < N_CALLS; i++)
		want[i] = blank;
	if (blank)
		return 0;
	for (const char *p = list;; p++) {
		const char *b = p, *e;
		int i;

		p += strcspn(p, ",");
		for (e = p; b < e && *b == ' '; b++)
			;
		while (e > b && e[-1] == ' ')
			e--;
		if (b == e) {
			sp->host->set_error(sp->t, "config key 'calls': empty entry in '%s'; give "
					    "call names separated by commas", list);
			return -EINVAL;
		}
		i = call_index(b, (size_t)(e - b));
		if (i < 0) {
			sp->host->set_error(sp->t, "config key 'calls': unknown call '%.*s'; known "
					    "calls: " KNOWN_CALLS, (int)(e - b), b);
			return -EINVAL;
		}
		want[i] = true;
		if (!*p)
			return 0;
	}
}

static int ipc_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, ipc_bpf,
		EUN_SKEL_HINT_SYSCALL_TP ", and System V IPC / POSIX message queues (CONFIG_SYSVIPC, CONFIG_POSIX_MQUEUE)");
	const char *list;
	bool want[N_CALLS];
	char prog[32];
	int err;

	if (!sp)
		return -errno;
	list = host->config_str(t, "calls");
	if ((err = parse_calls(sp, list ? list : "", want)))
		return eun_skel_fail(sp, err);
	for (unsigned i = 0; i < N_CALLS; i++) {
		struct bpf_program *p;

		snprintf(prog, sizeof(prog), "ipc_%s", call_names[i]);
		p = bpf_object__find_program_by_name(sp->obj, prog);
		if (!p) {
			host->set_error(t, "internal error: BPF program %s missing", prog);
			return eun_skel_fail(sp, -ENOENT);
		}
		bpf_program__set_autoload(p, want[i]);
	}
	return eun_skel_ready(sp, state);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("ipc"),
	.version = "0.1.0",
	.description = "System V IPC (msg*, sem*, shm*) and POSIX message queue calls with key, "
		       "id, flags, size, name and result",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = ipc_create,
	EUN_SKEL_OPS,
};

EUN_PLUGIN_DEFINE(desc)
