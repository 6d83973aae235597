/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The HTTP side of the control API. Each request: its route is found and
 * its client identified (unix peer credentials, bearer token or client
 * certificate) before any body is read, so a refused or oversized request
 * costs nothing; then the body is collected up to its route's limit; then
 * the route runs on this thread (health, metrics), as a job on the
 * context's thread while the connection is suspended, or as an event
 * stream read from the ring.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include "api.h"
#include "http.h"
#include "http_conn.h"
#include "http_listen.h"
#include "jobs.h"
#include "stream_ring.h"

#define MAX_PAIRS 64
#define STREAM_BLOCK 16384

struct http_daemon {
	struct http *h;
	const struct serve_listen *l;
	struct MHD_Daemon *d;
	int quiesced_fd;    /* the listening socket after MHD_quiesce_daemon(), else -1 */
	uint16_t port;
};

struct http {
	struct serve *s;
	struct http_daemon *d;
	size_t n;
	struct conn_table *conns;
	char *tls_key, *tls_cert, *tls_ca; /* PEM contents */
};

/* One request. */
struct http_req {
	struct http_daemon *hd;
	struct MHD_Connection *conn;
	struct conn_info *ci;
	const struct api_route *route;
	struct api_request rq;
	struct api_call call;
	struct api_pair headers[MAX_PAIRS], query[MAX_PAIRS];
	char *body;
	size_t body_len, body_cap, body_max;
	bool too_big;
	bool responded;     /* a response is queued */
	struct job job;
	bool job_posted, job_done;
};

/* ---- responses ----------------------------------------------------- */

static enum MHD_Result queue(struct http_req *r, struct api_response *rs)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(rs->len, rs->body ? rs->body : (char *)"",
					       rs->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	rs->body = NULL;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				rs->content_type ? rs->content_type : "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (rs->status == 405 && rs->allow[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rs->allow);
	if (rs->status == 401)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"eunomia\"");
	atomic_fetch_add(&r->hd->h->s->requests, 1);
	if (rs->status >= 400 && rs->status < 500)
		atomic_fetch_add(&r->hd->h->s->bad_requests, 1);
	ret = MHD_queue_response(r->conn, rs->status, resp);
	MHD_destroy_response(resp);
	r->responded = true;
	return ret;
}

static enum MHD_Result refuse(struct http_req *r, unsigned status, const char *code,
			      const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static enum MHD_Result refuse(struct http_req *r, unsigned status, const char *code,
			      const char *hint, const char *fmt, ...)
{
	struct api_response rs = { 0 };
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ratelog(&r->hd->h->s->log, "%s %s from %s: %u %s", r->rq.method, r->rq.path,
		r->ci ? r->ci->addr : "?", status, msg);
	api_error(&rs, status, code, hint, "%s", msg);
	return queue(r, &rs);
}

/* ---- who is asking ------------------------------------------------- */

/* The common name of a verified client certificate, or "" if none was
 * presented; -1 if one was presented and does not verify. */
static int client_cert_cn(struct MHD_Connection *conn, char *cn, size_t size)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	const gnutls_datum_t *certs;
	gnutls_x509_crt_t crt;
	unsigned n = 0, status = 0;
	size_t len = size;
	int rc;

	cn[0] = '\0';
	if (!info || !info->tls_session)
		return 0;
	certs = gnutls_certificate_get_peers(info->tls_session, &n);
	if (!certs || !n)
		return 0;
	if (gnutls_certificate_verify_peers2(info->tls_session, &status) < 0 || status)
		return -1;
	if (gnutls_x509_crt_init(&crt) < 0)
		return -1;
	rc = gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER);
	if (rc >= 0)
		rc = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &len);
	gnutls_x509_crt_deinit(crt);
	return rc < 0 ? -1 : 0;
}

/* Fill r->rq.who; a response (401) is queued when the credentials are bad. */
static bool identify(struct http_req *r)
{
	struct serve *s = r->hd->h->s;
	struct principal *p = &r->rq.who;
	const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_AUTHORIZATION);
	char cn[128];

	memset(p, 0, sizeof(*p));
	strcpy(p->how, "none");
	strcpy(p->who, "anonymous");
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) || tokens_check(s->tokens, auth + 7, p)) {
			refuse(r, 401, "bad_token", s->tokens ? "check the token, or ask for one"
				: "this daemon has no --tokens file",
			       "the bearer token is not known");
			return false;
		}
		return true;
	}
	if (r->ci && r->ci->is_unix && r->ci->has_cred) {
		p->role = unix_peer_role(s->cfg, r->ci->uid, r->ci->gid, r->ci->groups,
					 r->ci->n_groups);
		p->has_cred = true;
		p->uid = r->ci->uid;
		p->pid = r->ci->pid;
		snprintf(p->who, sizeof(p->who), "uid %u", r->ci->uid);
		strcpy(p->how, "peercred");
		return true;
	}
	if (s->cfg->tls_client_ca) {
		int rc = client_cert_cn(r->conn, cn, sizeof(cn));

		if (rc < 0) {
			refuse(r, 401, "bad_certificate", "present a certificate signed by the "
			       "daemon's --tls-client-ca", "the client certificate does not verify");
			return false;
		}
		if (cn[0]) {
			p->role = cert_role(s->cfg, cn);
			/* A longer CN is cut in the audit record, which names the caller. */
			snprintf(p->who, sizeof(p->who), "cert %.*s",
				 (int)(sizeof(p->who) - sizeof("cert ")), cn);
			strcpy(p->how, "cert");
		}
	}
	return true;
}

/* ---- jobs on the context's thread ---------------------------------- */

static bool job_step(struct job *j)
{
	struct http_req *r = (struct http_req *)((char *)j - offsetof(struct http_req, job));

	return api_call_step(r->hd->h->s, &r->call);
}

static void job_done(struct job *j)
{
	struct http_req *r = (struct http_req *)((char *)j - offsetof(struct http_req, job));

	r->job_done = true;
	MHD_resume_connection(r->conn);
}

/* A job for an audit record of a refused mutating request. */
struct audit_job {
	struct job job;
	struct serve *s;
	struct api_request rq;
	unsigned status;
	char method[8], path[128], why[200];
};

static bool audit_job_step(struct job *j)
{
	struct audit_job *a = (struct audit_job *)j;

	api_audit_refusal(a->s, &a->rq, a->status, a->why);
	return false;
}

static void audit_job_done(struct job *j)
{
	free(j);
}

static void post_refusal_audit(struct http_req *r, unsigned status, const char *why)
{
	struct audit_job *a = calloc(1, sizeof(*a));

	if (!a)
		return;
	a->job.step = audit_job_step;
	a->job.done = audit_job_done;
	a->s = r->hd->h->s;
	snprintf(a->method, sizeof(a->method), "%s", r->rq.method);
	snprintf(a->path, sizeof(a->path), "%s", r->rq.path);
	snprintf(a->why, sizeof(a->why), "%s", why);
	a->rq.who = r->rq.who;
	a->rq.method = a->method;
	a->rq.path = a->path;
	a->status = status;
	if (!jobs_post(a->s->jobs, &a->job))
		free(a);
}

/* ---- streams ------------------------------------------------------- */

static void stream_suspend(void *conn)
{
	MHD_suspend_connection(conn);
}

static void stream_resume(void *conn)
{
	MHD_resume_connection(conn);
}

/* The response owns the client: it may outlive the request (libmicrohttpd
 * reports the request completed before it destroys the response). */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	ssize_t n;

	(void)pos;
	n = stream_client_read(cls, buf, max);
	return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void stream_free(void *cls)
{
	stream_client_free(cls);
}

static enum MHD_Result start_stream(struct http_req *r)
{
	struct serve *s = r->hd->h->s;
	struct stream_client *client;
	struct stream_request req;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (!s->ring)
		return refuse(r, 404, "no_streams", "start the daemon without --stream-buffer 0",
			      "event streams are off");
	if (api_stream_request(&r->rq, &req, &r->call.rs))
		return queue(r, &r->call.rs);
	client = stream_client_new(s->ring, &req, stream_suspend, stream_resume, r->conn);
	if (!client)
		return refuse(r, 503, "too_many_streams", "close another stream or raise "
			      "--max-streams", "%u event streams are open already",
			      s->cfg->max_streams);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read,
						 client, stream_free);
	if (!resp) {
		stream_client_free(client);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				req.sse ? "text/event-stream" : "application/x-ndjson");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	atomic_fetch_add(&s->requests, 1);
	ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	r->responded = true;
	return ret;
}

/* ---- the request handler ------------------------------------------- */

static enum MHD_Result collect_pair(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	struct http_req *r = cls;
	struct api_pair *v = kind == MHD_HEADER_KIND ? r->headers : r->query;
	size_t *n = kind == MHD_HEADER_KIND ? &r->rq.n_headers : &r->rq.n_query;

	if (*n >= MAX_PAIRS)
		return MHD_NO;
	v[*n].name = key;
	v[*n].value = value;
	(*n)++;
	return MHD_YES;
}

/* The first call of a request: route, identify, authorise, size. */
static enum MHD_Result begin(struct http_req *r, const char *url, const char *method)
{
	struct serve *s = r->hd->h->s;
	const char *cl;
	unsigned long long len = 0;

	r->rq.method = method;
	r->rq.path = url;
	r->rq.headers = r->headers;
	r->rq.query = r->query;
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, collect_pair, r);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_pair, r);
	r->call.rq = &r->rq;
	r->route = api_route_find(method, url, r->call.param, sizeof(r->call.param), &r->call.rs);
	if (!r->route)
		return queue(r, &r->call.rs);
	r->call.route = r->route;
	if (!identify(r)) {
		if (r->route->mutating)
			post_refusal_audit(r, 401, "refused: bad credentials");
		return MHD_YES;
	}
	if (r->rq.who.role < r->route->role) {
		bool anonymous = !strcmp(r->rq.who.how, "none");
		char why[160];

		snprintf(why, sizeof(why), "%s %s needs the %s role; %s is %s", method, url,
			 serve_role_name(r->route->role), r->rq.who.who,
			 serve_role_name(r->rq.who.role));
		if (r->route->mutating)
			post_refusal_audit(r, anonymous ? 401 : 403, why);
		return refuse(r, anonymous ? 401 : 403, anonymous ? "unauthenticated" : "forbidden",
			      anonymous ? "send Authorization: Bearer TOKEN (or use the unix socket)"
					: "ask for a token or uid with that role",
			      "%s", why);
	}
	r->body_max = r->route->body == BODY_JSON ? s->cfg->max_json_bytes
		    : r->route->body == BODY_PLUGIN ? s->cfg->max_plugin_bytes : 0;
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl)
		len = strtoull(cl, NULL, 10);
	if (len > r->body_max)
		return refuse(r, 413, "too_large", r->body_max ? "the limits are --max-plugin-size "
			      "and 64 KiB for JSON" : "this endpoint takes no body",
			      "a body of %llu bytes; %s %s takes at most %zu", len, method, url,
			      r->body_max);
	return MHD_YES;
}

static bool append_body(struct http_req *r, const char *data, size_t n)
{
	if (r->too_big || n > r->body_max - r->body_len) {
		r->too_big = true;
		return true;
	}
	if (r->body_len + n > r->body_cap) {
		size_t cap = r->body_cap ? r->body_cap * 2 : 4096;
		char *grown;

		while (cap < r->body_len + n)
			cap *= 2;
		if (cap > r->body_max)
			cap = r->body_max;
		grown = realloc(r->body, cap);
		if (!grown)
			return false;
		r->body = grown;
		r->body_cap = cap;
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct http_daemon *hd = cls;
	struct serve *s = hd->h->s;
	struct http_req *r = *req_cls;
	const union MHD_ConnectionInfo *info;

	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*req_cls = r;
		r->hd = hd;
		r->conn = conn;
		info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		r->ci = info ? info->socket_context : NULL;
		if (r->ci)
			conn_request_started(hd->h->conns, r->ci);
		return begin(r, url, method);
	}
	if (r->responded) {
		*upload_size = 0; /* a refusal is queued; the body is not wanted */
		return MHD_YES;
	}
	if (*upload_size) {
		bool ok = append_body(r, upload, *upload_size);

		*upload_size = 0;
		return ok ? MHD_YES : MHD_NO;
	}
	if (r->job_posted) {
		if (!r->job_done)
			return MHD_YES;
		return queue(r, &r->call.rs);
	}
	if (r->too_big)
		return refuse(r, 413, "too_large", NULL, "the body is larger than %zu bytes",
			      r->body_max);
	r->rq.body = r->body;
	r->rq.body_len = r->body_len;
	switch (r->route->where) {
	case API_ANY_THREAD:
		api_call_step(s, &r->call);
		return queue(r, &r->call.rs);
	case API_STREAM:
		return start_stream(r);
	case API_CTX_THREAD:
		break;
	}
	if (atomic_load(&s->stopping))
		return refuse(r, 503, "stopping", NULL, "the daemon is shutting down");
	r->job.step = job_step;
	r->job.done = job_done;
	r->job_posted = true;
	MHD_suspend_connection(conn);
	if (!jobs_post(s->jobs, &r->job)) {
		MHD_resume_connection(conn);
		r->job_posted = false;
		return refuse(r, 503, "stopping", NULL, "the daemon is shutting down");
	}
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_daemon *hd = cls;
	struct http_req *r = *req_cls;

	(void)conn;
	(void)toe;
	if (!r)
		return;
	if (r->ci)
		conn_request_done(hd->h->conns, r->ci);
	free(r->call.rs.body);
	free(r->call.work);
	free(r->body);
	free(r);
	*req_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_daemon *hd = cls;
	const union MHD_ConnectionInfo *fd, *addr;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		addr = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_ctx = fd ? conn_opened(hd->h->conns, fd->connect_fd, hd->l->is_unix,
					       addr ? addr->client_addr : NULL) : NULL;
	} else if (*socket_ctx) {
		conn_closed(hd->h->conns, *socket_ctx);
		*socket_ctx = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http *h = cls;
	char msg[512];
	size_t len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	ratelog(&h->s->log, "HTTP: %s", msg);
}

/* ---- start and stop ------------------------------------------------ */

static char *read_pem(const char *path, const char *what, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size > (1 << 20)) {
		snprintf(err, errlen, "cannot read the %s %s: %s", what, path,
			 fd < 0 ? strerror(errno) : "not a PEM file of at most 1 MiB");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = calloc(1, (size_t)st.st_size + 1);
	n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		free(buf);
		snprintf(err, errlen, "cannot read the %s %s", what, path);
		return NULL;
	}
	return buf;
}

static int start_one(struct http *h, struct http_daemon *hd, char *err, size_t errlen)
{
	const struct serve_config *c = h->s->cfg;
	bool tls = !hd->l->is_unix && h->tls_cert;
	int fd = http_listen(c, hd->l, &hd->port, err, errlen);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0);
	struct MHD_OptionItem tls_opts[] = {
		{ tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, h->tls_key },
		{ tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, h->tls_cert },
		{ tls && h->tls_ca ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0, h->tls_ca },
		{ MHD_OPTION_END, 0, NULL },
	};

	if (fd < 0)
		return fd;
	hd->h = h;
	hd->quiesced_fd = -1;
	hd->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, hd,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, c->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, hd->l->is_unix ? 0u : c->max_per_address,
		MHD_OPTION_CONNECTION_TIMEOUT, c->idle_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->max_header_bytes + (size_t)16384,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, hd,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, hd,
		MHD_OPTION_ARRAY, tls_opts[0].option == MHD_OPTION_END ? &tls_opts[3] : tls_opts,
		MHD_OPTION_END);
	if (!hd->d) {
		close(fd);
		snprintf(err, errlen, "cannot serve %s: libmicrohttpd refused to start%s", hd->l->text,
			 tls ? " (check that the TLS key and certificate match)" : "");
		return -EIO;
	}
	if (hd->l->is_unix)
		fprintf(stderr, "eunomia serve: listening on unix:%s\n", hd->l->path);
	else
		fprintf(stderr, "eunomia serve: listening on %s://%s%s%s:%u\n", tls ? "https" : "http",
			strchr(hd->l->host, ':') ? "[" : "", hd->l->host,
			strchr(hd->l->host, ':') ? "]" : "", hd->port);
	return 0;
}

int http_start(struct serve *s, char *err, size_t errlen)
{
	const struct serve_config *c = s->cfg;
	struct http *h = calloc(1, sizeof(*h));
	int rc = 0;

	if (!h)
		return -ENOMEM;
	h->s = s;
	s->http = h;
	if (c->tls_cert && (!(h->tls_cert = read_pem(c->tls_cert, "TLS certificate", err, errlen)) ||
			    !(h->tls_key = read_pem(c->tls_key, "TLS key", err, errlen)) ||
			    (c->tls_client_ca &&
			     !(h->tls_ca = read_pem(c->tls_client_ca, "client CA", err, errlen)))))
		return -EINVAL;
	h->conns = conn_table_new(c->request_timeout_s, c->max_per_address, &s->log, &s->refused);
	h->d = calloc(c->n_listen, sizeof(*h->d));
	if (!h->conns || !h->d)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_listen && !rc; i++) {
		h->d[i].l = &c->listen[i];
		rc = start_one(h, &h->d[i], err, errlen);
		if (!rc)
			h->n++;
	}
	return rc;
}

void http_quiesce(struct serve *s)
{
	struct http *h = s->http;

	for (size_t i = 0; h && i < h->n; i++)
		h->d[i].quiesced_fd = MHD_quiesce_daemon(h->d[i].d);
	if (s->ring)
		stream_ring_close(s->ring);
}

void http_stop(struct serve *s)
{
	struct http *h = s->http;
	struct stream_ring_stats st = { 0 };

	if (!h)
		return;
	/* The streams end on their own once woken; give them a moment. */
	for (int i = 0; s->ring && i < 200; i++) {
		stream_ring_stats(s->ring, &st);
		if (!st.clients)
			break;
		usleep(10000);
	}
	for (size_t i = 0; i < h->n; i++) {
		MHD_stop_daemon(h->d[i].d);
		if (h->d[i].quiesced_fd >= 0)
			close(h->d[i].quiesced_fd);
		if (h->d[i].l->is_unix)
			unlink(h->d[i].l->path);
	}
	conn_table_free(h->conns);
	free(h->d);
	free(h->tls_cert);
	free(h->tls_key);
	free(h->tls_ca);
	free(h);
	s->http = NULL;
}
