/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `ipc` tracker: a SysV shared memory segment (shmget with a
 * unique key, shmat, shmdt, shmctl IPC_RMID), a message queue (msgget,
 * msgsnd of N bytes, msgctl), a semaphore set (semget, semop through glibc,
 * which issues semtimedop, and as a raw semop syscall, semctl), a POSIX
 * queue (mq_open of a unique name, mq_send, mq_unlink) and a failing shmget
 * of a missing key must each be reported with the key, id, size, flags,
 * name and result the calls really had. A second instance with
 * calls=shmget must report only shmget; a bad `calls` entry is refused by
 * name.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "itest.h"

#define MSG_N 37 /* msgsnd size */
#define MQ_N 5   /* mq_send size */

enum { SHMGET, SHMAT, SHMDT, SHMCTL, MSGGET, MSGSND, MSGCTL, SEMGET, SEMOP, SEMTIMEDOP, SEMCTL,
       MQ_OPEN, MQ_TIMEDSEND, MQ_UNLINK, SHMGET_FAIL, N_EXPECT };
static const char *const expect_name[N_EXPECT] = {
	"shmget", "shmat", "shmdt", "shmctl", "msgget", "msgsnd", "msgctl", "semget", "semop",
	"semtimedop", "semctl", "mq_open", "mq_timedsend", "mq_unlink", "shmget (failing)",
};

struct want {
	struct eun_tracker *all, *only_shmget;
	key_t shm_key, msg_key, sem_key, missing_key;
	int shmid, msqid, semid, mqd;
	void *addr;
	char mq_name[64];
	bool seen[N_EXPECT];
	int only_seen; /* shmget events of the calls=shmget instance: want 2 */
	bool done;
};

static int64_t f(const struct eun_event *ev, const char *name)
{
	return itest_field_s64(ev, name);
}

#define EXPECT_EQ(ev, field, want)                                                        \
	ITEST_CHECK(f(ev, field) == (int64_t)(want), "%s: %s = %lld, want %lld",          \
		    eun_event_tracker_name(ev), field, (long long)f(ev, field), (long long)(want))

/* Check an event of the all-calls instance; returns the expectation it meets or -1. */
static int check_all(struct want *w, const struct eun_event *ev, const char *call)
{
	char name[128];

	if (!strcmp(call, "shmget") && f(ev, "key") == (uint32_t)w->shm_key) {
		EXPECT_EQ(ev, "id", w->shmid);
		EXPECT_EQ(ev, "ret", w->shmid);
		EXPECT_EQ(ev, "size", 4096);
		EXPECT_EQ(ev, "flags", IPC_CREAT | 0600);
		EXPECT_EQ(ev, "mode", 0600);
		return SHMGET;
	}
	if (!strcmp(call, "shmget") && f(ev, "key") == (uint32_t)w->missing_key) {
		EXPECT_EQ(ev, "ret", -ENOENT);
		EXPECT_EQ(ev, "id", -1);
		EXPECT_EQ(ev, "size", 4096);
		return SHMGET_FAIL;
	}
	if (!strcmp(call, "shmat") && f(ev, "id") == w->shmid) {
		EXPECT_EQ(ev, "ret", 0);
		EXPECT_EQ(ev, "addr", (uintptr_t)w->addr);
		return SHMAT;
	}
	if (!strcmp(call, "shmdt") && f(ev, "addr") == (int64_t)(uintptr_t)w->addr) {
		EXPECT_EQ(ev, "ret", 0);
		return SHMDT;
	}
	if (!strcmp(call, "shmctl") && f(ev, "id") == w->shmid) {
		EXPECT_EQ(ev, "cmd", IPC_RMID);
		EXPECT_EQ(ev, "ret", 0);
		return SHMCTL;
	}
	if (!strcmp(call, "msgget") && f(ev, "key") == (uint32_t)w->msg_key) {
		EXPECT_EQ(ev, "id", w->msqid);
		EXPECT_EQ(ev, "ret", w->msqid);
		EXPECT_EQ(ev, "flags", IPC_CREAT | 0600);
		return MSGGET;
	}
	if (!strcmp(call, "msgsnd") && f(ev, "id") == w->msqid) {
		EXPECT_EQ(ev, "size", MSG_N);
		EXPECT_EQ(ev, "flags", IPC_NOWAIT);
		EXPECT_EQ(ev, "ret", 0);
		return MSGSND;
	}
	if (!strcmp(call, "msgctl") && f(ev, "id") == w->msqid) {
		EXPECT_EQ(ev, "cmd", IPC_RMID);
		EXPECT_EQ(ev, "ret", 0);
		return MSGCTL;
	}
	if (!strcmp(call, "semget") && f(ev, "key") == (uint32_t)w->sem_key) {
		EXPECT_EQ(ev, "id", w->semid);
		EXPECT_EQ(ev, "ret", w->semid);
		EXPECT_EQ(ev, "count", 2);
		return SEMGET;
	}
	/* glibc's semop() issues the semtimedop syscall; the raw semop syscall is tried too. */
	if ((!strcmp(call, "semop") || !strcmp(call, "semtimedop")) && f(ev, "id") == w->semid) {
		EXPECT_EQ(ev, "count", 1);
		EXPECT_EQ(ev, "ret", 0);
		return call[3] == 't' ? SEMTIMEDOP : SEMOP;
	}
	if (!strcmp(call, "semctl") && f(ev, "id") == w->semid) {
		EXPECT_EQ(ev, "cmd", IPC_RMID);
		EXPECT_EQ(ev, "ret", 0);
		return SEMCTL;
	}
	ITEST_CHECK(itest_field_text(ev, "name", name, sizeof(name)), "ipc event has no name");
	/* glibc passes the queue name to the kernel without its leading '/'. */
	if (!strcmp(call, "mq_open") && !strcmp(name, w->mq_name + 1)) {
		EXPECT_EQ(ev, "id", w->mqd);
		EXPECT_EQ(ev, "ret", w->mqd);
		EXPECT_EQ(ev, "flags", O_CREAT | O_EXCL | O_RDWR);
		EXPECT_EQ(ev, "mode", 0600);
		return MQ_OPEN;
	}
	if (!strcmp(call, "mq_timedsend") && f(ev, "id") == w->mqd) {
		EXPECT_EQ(ev, "size", MQ_N);
		EXPECT_EQ(ev, "ret", 0);
		return MQ_TIMEDSEND;
	}
	if (!strcmp(call, "mq_unlink") && !strcmp(name, w->mq_name + 1)) {
		EXPECT_EQ(ev, "ret", 0);
		return MQ_UNLINK;
	}
	return -1;
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	char call[32];
	int i;

	if (eun_event_pid(ev) != (uint32_t)getpid())
		return 0;
	ITEST_CHECK(!strcmp(eun_event_type_name(ev), "ipc"), "event type %s",
		    eun_event_type_name(ev));
	ITEST_CHECK(itest_field_text(ev, "call", call, sizeof(call)), "ipc event has no call");
	if (eun_event_tracker(ev) == w->only_shmget) {
		ITEST_CHECK(!strcmp(call, "shmget"), "calls=shmget instance reported %s", call);
		if (f(ev, "key") == (uint32_t)w->shm_key || f(ev, "key") == (uint32_t)w->missing_key)
			w->only_seen++;
	} else if ((i = check_all(w, ev, call)) >= 0) {
		w->seen[i] = true;
	}
	w->done = w->only_seen == 2;
	for (i = 0; i < N_EXPECT; i++)
		w->done = w->done && w->seen[i];
	return 0;
}

/* A key no shm, msg or sem object uses yet. */
static key_t free_key(key_t k)
{
	for (;; k++)
		if (shmget(k, 0, 0) < 0 && errno == ENOENT && msgget(k, 0) < 0 && errno == ENOENT &&
		    semget(k, 0, 0) < 0 && errno == ENOENT)
			return k;
}

int main(void)
{
	const struct eun_config_entry bad = { "calls", "shmget, bogus_call" };
	const struct eun_config_entry only = { "calls", "shmget" };
	struct { long mtype; char mtext[MSG_N]; } msg = { .mtype = 1 };
	struct sembuf op = { .sem_num = 0, .sem_op = 1, .sem_flg = IPC_NOWAIT };
	struct want w = { .shmid = -1 };
	struct eun_ctx *ctx;

	itest_require_kernel();
	w.shm_key = free_key((key_t)(0x45550000 ^ (getpid() << 4)));
	w.msg_key = free_key(w.shm_key + 1);
	w.sem_key = free_key(w.msg_key + 1);
	w.missing_key = free_key(w.sem_key + 1);
	snprintf(w.mq_name, sizeof(w.mq_name), "/eun-itest-ipc-%d", (int)getpid());
	mq_unlink(w.mq_name);

	ctx = itest_ctx();
	eun_ctx_set_event_fn(ctx, on_event, &w);
	EUN_OPTS(eun_tracker_opts, bad_opts, .config = &bad, .n_config = 1);
	ITEST_CHECK(!eun_tracker_new(ctx, "ipc", &bad_opts) && errno == EINVAL,
		    "calls='%s' accepted (errno %d)", bad.value, errno);
	ITEST_CHECK(strstr(eun_last_error(), "'bogus_call'"), "error does not name the bad entry: %s",
		    eun_last_error());
	w.all = itest_start(ctx, "ipc", NULL, 0);
	w.only_shmget = itest_start(ctx, "ipc", &only, 1);

	w.shmid = shmget(w.shm_key, 4096, IPC_CREAT | 0600);
	ITEST_CHECK(w.shmid >= 0, "shmget: %s", strerror(errno));
	w.addr = shmat(w.shmid, NULL, 0);
	ITEST_CHECK(w.addr != (void *)-1, "shmat: %s", strerror(errno));
	ITEST_CHECK(shmdt(w.addr) == 0, "shmdt: %s", strerror(errno));
	ITEST_CHECK(shmctl(w.shmid, IPC_RMID, NULL) == 0, "shmctl: %s", strerror(errno));

	w.msqid = msgget(w.msg_key, IPC_CREAT | 0600);
	ITEST_CHECK(w.msqid >= 0, "msgget: %s", strerror(errno));
	ITEST_CHECK(msgsnd(w.msqid, &msg, MSG_N, IPC_NOWAIT) == 0, "msgsnd: %s", strerror(errno));
	ITEST_CHECK(msgctl(w.msqid, IPC_RMID, NULL) == 0, "msgctl: %s", strerror(errno));

	w.semid = semget(w.sem_key, 2, IPC_CREAT | 0600);
	ITEST_CHECK(w.semid >= 0, "semget: %s", strerror(errno));
	ITEST_CHECK(semop(w.semid, &op, 1) == 0, "semop: %s", strerror(errno));
	ITEST_CHECK(syscall(SYS_semop, w.semid, &op, 1) == 0, "SYS_semop: %s", strerror(errno));
	ITEST_CHECK(semctl(w.semid, 0, IPC_RMID) == 0, "semctl: %s", strerror(errno));

	w.mqd = mq_open(w.mq_name, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	ITEST_CHECK(w.mqd >= 0, "mq_open %s: %s", w.mq_name, strerror(errno));
	ITEST_CHECK(mq_send(w.mqd, "hello", MQ_N, 0) == 0, "mq_send: %s", strerror(errno));
	ITEST_CHECK(mq_unlink(w.mq_name) == 0, "mq_unlink: %s", strerror(errno));
	mq_close(w.mqd);

	ITEST_CHECK(shmget(w.missing_key, 4096, 0600) < 0 && errno == ENOENT,
		    "shmget of missing key 0x%x: %s", (unsigned)w.missing_key, strerror(errno));

	if (!itest_poll_until(ctx, &w.done)) {
		for (int i = 0; i < N_EXPECT; i++)
			if (!w.seen[i])
				fprintf(stderr, "not seen: %s\n", expect_name[i]);
		ITEST_FAIL("within %d ms: calls=shmget instance saw %d of 2 shmget", ITEST_TIMEOUT_MS,
			   w.only_seen);
	}
	eun_tracker_free(w.only_shmget);
	eun_tracker_free(w.all);
	ITEST_CHECK(eun_tracker_count(ctx) == 0, "tracker not removed");
	eun_ctx_free(ctx);
	printf("ok: shm key 0x%x id %d, msg id %d, sem id %d, mq %s (fd %d), failing shmget seen\n",
	       (unsigned)w.shm_key, w.shmid, w.msqid, w.semid, w.mq_name, w.mqd);
	return 0;
}
