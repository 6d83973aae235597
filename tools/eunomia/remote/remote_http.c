/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* libcurl requests to the daemon, its error replies, and streams. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../diag.h"
#include "../exit_codes.h"
#include "../signals.h"
#include "remote.h"

static int read_token(struct remote *r)
{
	const char *env = getenv("EUNOMIA_TOKEN");
	char tok[1024] = "";

	if (r->g->token_file) {
		FILE *f = fopen(r->g->token_file, "re");

		if (!f || !fgets(tok, sizeof(tok), f)) {
			cli_error("cannot read the token from %s: %s", r->g->token_file,
				  f ? "it is empty" : strerror(errno));
			if (f)
				fclose(f);
			return CLI_EXIT_USAGE;
		}
		fclose(f);
	} else if (env) {
		snprintf(tok, sizeof(tok), "%s", env);
	}
	tok[strcspn(tok, " \r\n")] = '\0';
	if (tok[0])
		snprintf(r->auth, sizeof(r->auth), "Authorization: Bearer %s", tok);
	return CLI_CONTINUE;
}

int remote_open(struct remote *r, const struct global_opts *g)
{
	const char *s = g->server;

	memset(r, 0, sizeof(*r));
	r->g = g;
	if (!strncmp(s, "unix:", 5)) {
		if (!s[5])
			return usage_error(NULL, "--server unix: needs the socket's path");
		r->unix_path = strdup(s + 5);
		snprintf(r->base, sizeof(r->base), "http://localhost");
	} else if (strstr(s, "://")) {
		if (strncmp(s, "http://", 7) && strncmp(s, "https://", 8))
			return usage_error(NULL, "--server %s: give http://, https:// or unix:PATH", s);
		snprintf(r->base, sizeof(r->base), "%s", s);
	} else {
		snprintf(r->base, sizeof(r->base), "http://%s", s);
	}
	for (size_t n = strlen(r->base); n && r->base[n - 1] == '/';)
		r->base[--n] = '\0';
	if (curl_global_init(CURL_GLOBAL_DEFAULT) || !(r->curl = curl_easy_init())) {
		cli_error("cannot initialise libcurl");
		return CLI_EXIT_RUNTIME;
	}
	return read_token(r);
}

void remote_close(struct remote *r)
{
	if (r->curl)
		curl_easy_cleanup(r->curl);
	free(r->unix_path);
	curl_global_cleanup();
}

static size_t collect(char *data, size_t size, size_t n, void *cookie)
{
	struct remote_reply *rep = cookie;
	char *grown = realloc(rep->body, rep->len + size * n + 1);

	if (!grown)
		return 0;
	rep->body = grown;
	memcpy(rep->body + rep->len, data, size * n);
	rep->len += size * n;
	rep->body[rep->len] = '\0';
	return size * n;
}

/* The options every request shares. */
static struct curl_slist *setup(struct remote *r, const char *method, const char *path,
				const char *content_type, const char *header)
{
	struct curl_slist *h = NULL;
	char url[2048], ct[128];

	curl_easy_reset(r->curl);
	snprintf(url, sizeof(url), "%s%s", r->base, path);
	curl_easy_setopt(r->curl, CURLOPT_URL, url);
	curl_easy_setopt(r->curl, CURLOPT_CUSTOMREQUEST, method);
	if (r->unix_path)
		curl_easy_setopt(r->curl, CURLOPT_UNIX_SOCKET_PATH, r->unix_path);
	if (r->g->cacert)
		curl_easy_setopt(r->curl, CURLOPT_CAINFO, r->g->cacert);
	if (r->g->cert)
		curl_easy_setopt(r->curl, CURLOPT_SSLCERT, r->g->cert);
	if (r->g->key)
		curl_easy_setopt(r->curl, CURLOPT_SSLKEY, r->g->key);
	if (r->auth[0])
		h = curl_slist_append(h, r->auth);
	if (content_type) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
		h = curl_slist_append(h, ct);
	}
	if (header)
		h = curl_slist_append(h, header);
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, h);
	return h;
}

static int transport_error(struct remote *r, CURLcode rc)
{
	cli_error("cannot reach the daemon at %s: %s", r->g->server, curl_easy_strerror(rc));
	return CLI_EXIT_RUNTIME;
}

int remote_call(struct remote *r, const char *method, const char *path, const void *body,
		size_t len, const char *content_type, const char *header, struct remote_reply *out)
{
	struct curl_slist *h = setup(r, method, path, content_type, header);
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	if (body) {
		curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, out);
	rc = curl_easy_perform(r->curl);
	curl_slist_free_all(h);
	if (rc != CURLE_OK)
		return transport_error(r, rc);
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &out->status);
	if (out->body)
		out->json = json_loadb(out->body, out->len, 0, NULL);
	return CLI_CONTINUE;
}

int remote_check(const struct remote_reply *rep)
{
	const char *msg, *hint;

	if (rep->status < 400)
		return CLI_CONTINUE;
	msg = json_string_value(json_object_get(rep->json, "message"));
	hint = json_string_value(json_object_get(rep->json, "hint"));
	cli_error("%s (HTTP %ld)", msg ? msg : rep->body ? rep->body : "no message", rep->status);
	if (hint)
		fprintf(stderr, "hint: %s\n", hint);
	if (rep->status == 401 || rep->status == 403)
		return CLI_EXIT_PRIVILEGE;
	if (rep->status == 400 || rep->status == 404 || rep->status == 405 ||
	    rep->status == 409 || rep->status == 413)
		return CLI_EXIT_USAGE;
	return CLI_EXIT_RUNTIME;
}

void remote_reply_free(struct remote_reply *rep)
{
	free(rep->body);
	json_decref(rep->json);
	memset(rep, 0, sizeof(*rep));
}

/* Lines of a stream as they come: to stdout, loss records also to stderr. */
struct stream_out {
	char *line;
	size_t len, cap;
	long status;
	struct remote_reply err; /* the body of an error reply */
	CURL *curl;
};

static void emit_line(struct stream_out *so)
{
	json_t *j;

	so->line[so->len] = '\0'; /* there is always room for it */
	fwrite(so->line, 1, so->len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	if (so->len && so->line[0] == '{' && strstr(so->line, "\"lost\"") &&
	    (j = json_loadb(so->line, so->len, 0, NULL))) {
		if (json_object_get(j, "lost") && json_object_get(j, "since_seq"))
			cli_warning("the daemon dropped %lld events for this slow stream, from "
				    "sequence number %lld on",
				    (long long)json_integer_value(json_object_get(j, "lost")),
				    (long long)json_integer_value(json_object_get(j, "since_seq")));
		json_decref(j);
	}
	so->len = 0;
}

static size_t stream_chunk(char *data, size_t size, size_t n, void *cookie)
{
	struct stream_out *so = cookie;
	size_t total = size * n;

	if (!so->status)
		curl_easy_getinfo(so->curl, CURLINFO_RESPONSE_CODE, &so->status);
	if (so->status >= 400)
		return collect(data, size, n, &so->err);
	if (stop_requested())
		return 0;
	for (size_t i = 0; i < total; i++) {
		if (data[i] == '\n') {
			if (so->len)
				emit_line(so);
			continue;
		}
		if (so->len + 2 > so->cap) {
			size_t cap = so->cap ? so->cap * 2 : 4096;
			char *grown = realloc(so->line, cap);

			if (!grown)
				return 0;
			so->line = grown;
			so->cap = cap;
		}
		so->line[so->len++] = data[i];
	}
	return total;
}

static int progress(void *cookie, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)cookie, (void)a, (void)b, (void)c, (void)d;
	return stop_requested();
}

int remote_stream(struct remote *r, const char *path)
{
	struct curl_slist *h = setup(r, "GET", path, NULL, "Accept: application/x-ndjson");
	struct stream_out so = { .curl = r->curl };
	CURLcode rc;
	int code = CLI_EXIT_OK;

	signals_install();
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, stream_chunk);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, &so);
	curl_easy_setopt(r->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(r->curl, CURLOPT_XFERINFOFUNCTION, progress);
	rc = curl_easy_perform(r->curl);
	curl_slist_free_all(h);
	if (so.status >= 400) {
		so.err.status = so.status;
		so.err.json = so.err.body ? json_loadb(so.err.body, so.err.len, 0, NULL) : NULL;
		code = remote_check(&so.err);
		remote_reply_free(&so.err);
	} else if (rc != CURLE_OK && !stop_requested()) {
		code = transport_error(r, rc);
	}
	free(so.line);
	return code;
}
