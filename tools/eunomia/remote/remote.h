/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The client side of `eunomia --server URL|unix:PATH COMMAND`: requests to
 * an `eunomia serve` daemon over libcurl (unix socket, HTTP or HTTPS). */
#ifndef EUNOMIA_CLI_REMOTE_H
#define EUNOMIA_CLI_REMOTE_H

#include <stddef.h>

#include <curl/curl.h>
#include <jansson.h>

#include "../commands.h"

struct remote {
	CURL *curl;
	char base[1024];       /* scheme://host[:port], no trailing slash */
	char *unix_path;       /* for unix:PATH */
	char auth[1100];       /* "Authorization: Bearer ..." or "" */
	const struct global_opts *g;
};

struct remote_reply {
	long status;
	char *body;
	size_t len;
	json_t *json;          /* the body parsed, when it is JSON */
};

/* Set r up for g->server. Returns CLI_CONTINUE or the exit status (reported). */
int remote_open(struct remote *r, const struct global_opts *g);
void remote_close(struct remote *r);

/* One request; body may be NULL. header is one extra "Name: value" or
 * NULL. Returns CLI_CONTINUE with out filled (any status), or the exit
 * status of a transport failure (reported). */
int remote_call(struct remote *r, const char *method, const char *path, const void *body,
		size_t len, const char *content_type, const char *header, struct remote_reply *out);

/* For a status >= 400: print the daemon's {error, message, hint} and
 * return the exit status for it; else CLI_CONTINUE. */
int remote_check(const struct remote_reply *rep);

void remote_reply_free(struct remote_reply *rep);

/* Copy a stream (GET path) to stdout line by line until it ends or a
 * signal stops it; loss records are also reported on stderr. Exit status. */
int remote_stream(struct remote *r, const char *path);

#endif
