/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Every open connection of the control API: who is at the other end (a
 * unix peer's credentials, a TCP client's address), the per-uid limit of
 * unix peers (libmicrohttpd limits TCP addresses itself), and the request
 * deadline: a connection that has not sent whole request headers within
 * the request timeout of connecting or of its previous response (a
 * slowloris client, or an idle keep-alive one) is shut down by a janitor
 * thread.
 */
#ifndef EUNOMIA_SERVE_HTTP_CONN_H
#define EUNOMIA_SERVE_HTTP_CONN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "ratelog.h"

#define CONN_MAX_GROUPS 64

struct conn_info {
	int fd;
	bool is_unix;
	bool has_cred;
	uint32_t pid, uid, gid;
	gid_t groups[CONN_MAX_GROUPS];
	size_t n_groups;
	char addr[64];            /* for messages: "uid 1000" or "127.0.0.2" */
	int64_t since_ms;         /* start of the wait for request headers */
	bool awaiting;            /* headers not complete yet */
	bool shut;                /* shut down by the janitor or a limit */
	struct conn_info *prev, *next;
};

struct conn_table;

/* A table with its janitor thread. NULL + errno. */
struct conn_table *conn_table_new(unsigned request_timeout_s, unsigned max_per_uid,
				  struct ratelog *log, atomic_ullong *refused);
void conn_table_free(struct conn_table *t);

/* A connection on fd was accepted (unix: read its peer's credentials;
 * over the per-uid limit it is shut down at once). NULL without memory. */
struct conn_info *conn_opened(struct conn_table *t, int fd, bool is_unix,
			      const struct sockaddr *addr);
/* Its request headers are complete / its response was sent. */
void conn_request_started(struct conn_table *t, struct conn_info *ci);
void conn_request_done(struct conn_table *t, struct conn_info *ci);
/* It is closing: forget it (before libmicrohttpd closes the fd). */
void conn_closed(struct conn_table *t, struct conn_info *ci);

#endif
