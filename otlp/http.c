/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* HTTP POSTs through libcurl (see http.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "diag.h"
#include "http.h"

struct http {
	CURL *curl;
	struct curl_slist *headers;
	struct buf resp;
	char retry_after[64]; /* the answer's Retry-After value, "" if none */
	char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_status;

static void global_init(void)
{
	global_status = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Keep the first HTTP_MAX_RESPONSE bytes of the answer, read the rest. */
static size_t on_body(char *p, size_t size, size_t n, void *cookie)
{
	struct buf *b = cookie;
	size_t len = size * n;

	if (b->len < HTTP_MAX_RESPONSE)
		buf_put(b, p, len < HTTP_MAX_RESPONSE - b->len ? len : HTTP_MAX_RESPONSE - b->len);
	return len;
}

/* Keep the value of a Retry-After header line. */
static size_t on_header(char *p, size_t size, size_t n, void *cookie)
{
	static const char name[] = "retry-after:";
	struct http *h = cookie;
	size_t len = size * n, v;

	if (len > sizeof(name) - 1 && !strncasecmp(p, name, sizeof(name) - 1)) {
		v = sizeof(name) - 1;
		while (v < len && (p[v] == ' ' || p[v] == '\t'))
			v++;
		while (len > v && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
			len--;
		snprintf(h->retry_after, sizeof(h->retry_after), "%.*s", (int)(len - v), p + v);
	}
	return size * n;
}

/* Seconds to wait that a Retry-After value asks for (delay-seconds or an
 * HTTP-date), -1 if it is neither. */
static long retry_after_seconds(const char *v)
{
	time_t when;

	if (!*v)
		return -1;
	if (strspn(v, "0123456789") == strlen(v))
		return strlen(v) > 9 ? 999999999L : strtol(v, NULL, 10);
	when = curl_getdate(v, NULL);
	if (when == -1)
		return -1;
	return when > time(NULL) ? (long)(when - time(NULL)) : 0;
}

/* Add "NAME: VALUE" to h->headers. 0 or -ENOMEM. */
static int add_header(struct http *h, const char *name, const char *value)
{
	struct curl_slist *l;
	char *line;

	if (asprintf(&line, "%s: %s", name, value) < 0)
		return -ENOMEM;
	l = curl_slist_append(h->headers, line);
	free(line);
	if (!l)
		return -ENOMEM;
	h->headers = l;
	return 0;
}

struct http *http_new(enum otlp_format fmt, bool gzip, const struct attr_list *headers)
{
	struct http *h;
	int err = 0;

	pthread_once(&global_once, global_init);
	if (global_status != CURLE_OK) {
		otlp_error(ENOMEM, "libcurl cannot be initialised: %s", curl_easy_strerror(global_status));
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h || !(h->curl = curl_easy_init())) {
		free(h);
		otlp_error(ENOMEM, "out of memory");
		return NULL;
	}
	err = add_header(h, "Content-Type", fmt == OTLP_JSON ? "application/json"
							      : "application/x-protobuf");
	if (!err && gzip)
		err = add_header(h, "Content-Encoding", "gzip");
	for (size_t i = 0; !err && i < headers->n; i++)
		err = add_header(h, headers->v[i].key, headers->v[i].value);
	/* No "Expect: 100-continue" round trip before large bodies. */
	if (!err && !(h->headers = curl_slist_append(h->headers, "Expect:")))
		err = -ENOMEM;
	if (err) {
		http_free(h);
		otlp_error(ENOMEM, "out of memory");
		return NULL;
	}
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &h->resp);
	curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "libeunomia-otlp/" EUN_VERSION_STRING);
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	return h;
}

/* True if retrying after curl error c cannot help. */
static bool curl_error_permanent(CURLcode c)
{
	switch (c) {
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_NOT_BUILT_IN:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_LOGIN_DENIED:
		return true;
	default:
		return false;
	}
}

void http_post(struct http *h, const char *url, const void *body, size_t n, unsigned timeout_ms,
	       struct http_result *r)
{
	char *ctype = NULL;
	CURLcode c;

	buf_reset(&h->resp);
	h->errbuf[0] = '\0';
	h->retry_after[0] = '\0';
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	c = curl_easy_perform(h->curl);
	*r = (struct http_result){ .retry_after_s = -1 };
	if (c != CURLE_OK) {
		r->permanent = curl_error_permanent(c);
		r->error = h->errbuf[0] ? h->errbuf : curl_easy_strerror(c);
		return;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
	r->retry_after_s = retry_after_seconds(h->retry_after);
	if (curl_easy_getinfo(h->curl, CURLINFO_CONTENT_TYPE, &ctype) == CURLE_OK)
		r->content_type = ctype;
	r->body = h->resp.data;
	r->body_len = h->resp.len;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	buf_free(&h->resp);
	free(h);
}
