/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Serve the registry on GET /metrics with libmicrohttpd (loaded on first
 * use, mhd_load.c), from its own thread. */
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics/metrics.h"
#include "metrics/mhd.h"

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct metrics_http {
	const struct mhd_fns *mhd;
	struct eun_metrics *m;
	struct MHD_Daemon *daemon;
	uint16_t port;
};

/* libmicrohttpd's own messages go to the log callback. */
static void http_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t len;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	log_msg(EUN_LOG_WARN, "metrics HTTP server: %s", msg);
}

/* Queue a response with body (malloc'd, taken over) and status. */
static enum MHD_Result respond(const struct mhd_fns *mhd, struct MHD_Connection *c, unsigned status,
			       char *body, size_t len, const char *content_type)
{
	struct MHD_Response *r = mhd->create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	mhd->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd->add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd->queue_response(c, status, r);
	mhd->destroy_response(r);
	return ret;
}

/* Respond with a fixed text. */
static enum MHD_Result respond_text(const struct mhd_fns *mhd, struct MHD_Connection *c,
				    unsigned status, const char *text)
{
	char *body = strdup(text);

	return body ? respond(mhd, c, status, body, strlen(text), "text/plain; charset=utf-8")
		    : MHD_NO;
}

/* The registry rendered into a buffer of the right size. */
static enum MHD_Result respond_metrics(struct MHD_Connection *c, const struct metrics_http *h)
{
	struct eun_metrics *m = h->m;
	struct outbuf o;
	char *body;
	int len;

	pthread_mutex_lock(&m->lock);
	outbuf_init(&o, NULL, 0);
	metrics_render_locked(m, &o);
	body = malloc(o.len + 1);
	if (body) {
		outbuf_init(&o, body, o.len + 1);
		metrics_render_locked(m, &o);
	}
	pthread_mutex_unlock(&m->lock);
	if (!body)
		return MHD_NO;
	len = outbuf_finish(&o);
	if (len < 0) {
		free(body);
		return MHD_NO;
	}
	return respond(h->mhd, c, MHD_HTTP_OK, body, (size_t)len, CONTENT_TYPE);
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *c, const char *url,
				      const char *method, const char *version,
				      const char *upload_data, size_t *upload_data_size, void **req)
{
	const struct metrics_http *h = cls;
	const struct mhd_fns *mhd = h->mhd;

	(void)version;
	(void)upload_data;
	(void)req;
	if (*upload_data_size)
		return MHD_NO; /* GET and HEAD have no body */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return respond_text(mhd, c, MHD_HTTP_METHOD_NOT_ALLOWED,
				    "Only GET and HEAD are served.\n");
	if (!strcmp(url, "/metrics"))
		return respond_metrics(c, h);
	if (!strcmp(url, "/"))
		return respond_text(mhd, c, MHD_HTTP_OK,
				    "eunomia exporter: the metrics are at /metrics\n");
	return respond_text(mhd, c, MHD_HTTP_NOT_FOUND, "Not found; the metrics are at /metrics.\n");
}

/* Split "HOST:PORT" or "[HOST]:PORT" and resolve it. 0 or -EINVAL. */
static int resolve(const char *addr, struct addrinfo **res)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	const char *colon = strrchr(addr, ':'), *start = addr;
	char host[256];
	size_t hlen;
	int rc;

	if (!colon || !colon[1] || colon == addr)
		return set_error(EINVAL, "metrics address '%s' is not HOST:PORT; give e.g. "
				 "127.0.0.1:9464 or [::1]:9464", addr);
	hlen = (size_t)(colon - addr);
	if (addr[0] == '[' && hlen >= 2 && addr[hlen - 1] == ']') {
		start++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host))
		return set_error(EINVAL, "metrics address '%s': the host name is too long", addr);
	memcpy(host, start, hlen);
	host[hlen] = '\0';
	rc = getaddrinfo(host, colon + 1, &hints, res);
	if (rc)
		return set_error(EINVAL, "metrics address '%s': cannot resolve '%s' port '%s' (%s); "
				 "give a numeric address and a port number", addr, host, colon + 1,
				 gai_strerror(rc));
	return 0;
}

/* A socket bound to and listening on addr, and its port. The fd, or -errno. */
static int listen_on(const char *addr, uint16_t *port)
{
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	struct addrinfo *res;
	int fd, one = 1, err = resolve(addr, &res);

	if (err)
		return err;
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = set_error(errno, "metrics address '%s': cannot create a socket: %s", addr,
				strerror(errno));
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 64) < 0) {
		err = set_error(errno, "cannot listen on %s: %s; %s", addr, strerror(errno),
				errno == EACCES ? "ports below 1024 need root: pick a higher port"
						: "pick another address or port");
		close(fd);
		goto out;
	}
	err = fd;
	if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
		*port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
							  : ((struct sockaddr_in *)&bound)->sin_port);
out:
	freeaddrinfo(res);
	return err;
}

int eun_metrics_serve(struct eun_metrics *m, const char *addr)
{
	const struct mhd_fns *mhd;
	struct metrics_http *h;
	int fd;

	clear_error();
	if (!m || !addr)
		return set_error(EINVAL, "eun_metrics_serve: m and addr must not be NULL");
	if (m->http)
		return set_error(EALREADY, "the metrics are already served on port %u; "
				 "one registry serves one address", m->http->port);
	if (!(mhd = mhd_load()))
		return -ENOTSUP;
	h = calloc(1, sizeof(*h));
	if (!h)
		return set_error(ENOMEM, "out of memory");
	h->mhd = mhd;
	h->m = m;
	fd = listen_on(addr, &h->port);
	if (fd < 0) {
		free(h);
		return fd;
	}
	/* MHD owns the listening socket from here and closes it when stopped. */
	h->daemon = mhd->start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0,
				     NULL, NULL, handle_request, h,
				     MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
				     MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_CONNECTION_TIMEOUT, 30u,
				     MHD_OPTION_END);
	if (!h->daemon) {
		close(fd);
		free(h);
		return set_error(EIO, "cannot start the metrics HTTP server on %s (libmicrohttpd "
				 "refused; see the messages above)", addr);
	}
	m->http = h;
	return 0;
}

int eun_metrics_port(const struct eun_metrics *m)
{
	if (!m || !m->http)
		return -ENOTCONN;
	return m->http->port;
}

void metrics_http_stop(struct metrics_http *h)
{
	h->mhd->stop_daemon(h->daemon);
	free(h);
}
