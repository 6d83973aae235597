/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The connection table, peer credentials, the per-uid limit and the janitor. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_conn.h"

#define JANITOR_PERIOD_MS 250

struct conn_table {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct conn_info *head;
	unsigned timeout_ms, max_per_uid;
	struct ratelog *log;
	atomic_ullong *refused;
	bool stop;
	pthread_t janitor;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Shut a connection down (lock held): libmicrohttpd sees the end and closes it. */
static void shut(struct conn_table *t, struct conn_info *ci, const char *why)
{
	if (ci->shut)
		return;
	ci->shut = true;
	shutdown(ci->fd, SHUT_RDWR);
	atomic_fetch_add(t->refused, 1);
	ratelog(t->log, "closed a connection from %s: %s", ci->addr, why);
}

static void *janitor(void *arg)
{
	struct conn_table *t = arg;

	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		struct timespec until;
		int64_t now = now_ms();

		for (struct conn_info *ci = t->head; ci; ci = ci->next)
			if (ci->awaiting && now - ci->since_ms > t->timeout_ms)
				shut(t, ci, "no complete request within the request timeout");
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += JANITOR_PERIOD_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&t->wake, &t->lock, &until);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct conn_table *conn_table_new(unsigned request_timeout_s, unsigned max_per_uid,
				  struct ratelog *log, atomic_ullong *refused)
{
	struct conn_table *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	t->timeout_ms = request_timeout_s * 1000;
	t->max_per_uid = max_per_uid;
	t->log = log;
	t->refused = refused;
	if ((err = pthread_create(&t->janitor, NULL, janitor, t))) {
		free(t);
		errno = err;
		return NULL;
	}
	return t;
}

void conn_table_free(struct conn_table *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->janitor, NULL);
	while (t->head) {
		struct conn_info *ci = t->head;

		t->head = ci->next;
		free(ci);
	}
	free(t);
}

static void read_cred(struct conn_info *ci)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	gid_t groups[CONN_MAX_GROUPS];
	socklen_t glen = sizeof(groups);

	if (getsockopt(ci->fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return;
	ci->has_cred = true;
	ci->pid = (uint32_t)cr.pid;
	ci->uid = cr.uid;
	ci->gid = cr.gid;
	if (getsockopt(ci->fd, SOL_SOCKET, SO_PEERGROUPS, groups, &glen) == 0) {
		ci->n_groups = glen / sizeof(gid_t);
		memcpy(ci->groups, groups, ci->n_groups * sizeof(gid_t));
	}
	snprintf(ci->addr, sizeof(ci->addr), "uid %u (pid %u)", ci->uid, ci->pid);
}

static void format_addr(struct conn_info *ci, const struct sockaddr *sa)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, host, sizeof(host));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, host, sizeof(host));
	snprintf(ci->addr, sizeof(ci->addr), "%s", host);
}

struct conn_info *conn_opened(struct conn_table *t, int fd, bool is_unix,
			      const struct sockaddr *addr)
{
	struct conn_info *ci = calloc(1, sizeof(*ci));
	unsigned same = 0;

	if (!ci)
		return NULL;
	ci->fd = fd;
	ci->is_unix = is_unix;
	ci->since_ms = now_ms();
	ci->awaiting = true;
	if (is_unix)
		read_cred(ci);
	else
		format_addr(ci, addr);
	pthread_mutex_lock(&t->lock);
	for (struct conn_info *o = t->head; o && is_unix && ci->has_cred; o = o->next)
		same += o->is_unix && o->has_cred && o->uid == ci->uid && !o->shut;
	ci->next = t->head;
	if (t->head)
		t->head->prev = ci;
	t->head = ci;
	if (is_unix && ci->has_cred && same >= t->max_per_uid)
		shut(t, ci, "too many connections from this uid (--max-per-address)");
	pthread_mutex_unlock(&t->lock);
	return ci;
}

void conn_request_started(struct conn_table *t, struct conn_info *ci)
{
	pthread_mutex_lock(&t->lock);
	ci->awaiting = false;
	pthread_mutex_unlock(&t->lock);
}

void conn_request_done(struct conn_table *t, struct conn_info *ci)
{
	pthread_mutex_lock(&t->lock);
	ci->awaiting = true;
	ci->since_ms = now_ms();
	pthread_mutex_unlock(&t->lock);
}

void conn_closed(struct conn_table *t, struct conn_info *ci)
{
	pthread_mutex_lock(&t->lock);
	if (ci->prev)
		ci->prev->next = ci->next;
	else
		t->head = ci->next;
	if (ci->next)
		ci->next->prev = ci->prev;
	pthread_mutex_unlock(&t->lock);
	free(ci);
}
