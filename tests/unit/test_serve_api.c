/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The control API's handlers through their fuzzing entry point (no HTTP,
 * no root): routing, roles, errors, schemas, outputs, uploads, the
 * OpenAPI document against the routes, and the stream ring's arithmetic. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "api_fuzz.h"
#include "audit.h"
#include "helpers.h"
#include "instances.h"
#include "stream_ring.h"

static struct serve *s;
static char state_dir[64];

static void setup(void)
{
	strcpy(state_dir, "/tmp/eun-serve-api-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(state_dir));
	s = serve_fuzz_new(EUN_TEST_FIXTURE_DIR, state_dir, 8);
	ck_assert_ptr_nonnull(s);
}

static void teardown(void)
{
	char cmd[128];

	serve_fuzz_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", state_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* One request; the reply's JSON (or NULL) in *j. Returns the status. */
static unsigned call(const char *method, const char *url, const char *body, enum serve_role role,
		     json_t **j)
{
	struct api_response rs = { 0 };
	unsigned st = serve_handle_request(s, method, url, NULL, 0, body, body ? strlen(body) : 0,
					   role, &rs);

	*j = rs.body ? json_loadb(rs.body, rs.len, 0, NULL) : NULL;
	free(rs.body);
	return st;
}

static const char *err_code(json_t *j)
{
	const char *c = json_string_value(json_object_get(j, "error"));

	ck_assert_msg(c && json_is_string(json_object_get(j, "message")) &&
			      json_object_get(j, "hint"), "not an {error, message, hint} body");
	return c;
}

static uint64_t audit_events(void)
{
	EUN_OPTS(eun_tracker_stats, st);

	eun_tracker_stats(s->audit->t, &st);
	return st.events;
}

START_TEST(routing_and_roles)
{
	json_t *j;

	ck_assert_uint_eq(call("GET", "/nope", NULL, ROLE_ADMIN, &j), 404);
	ck_assert_str_eq(err_code(j), "not_found");
	json_decref(j);
	struct api_response rs = { 0 };
	ck_assert_uint_eq(serve_handle_request(s, "PUT", "/v1/trackers", NULL, 0, NULL, 0,
					       ROLE_ADMIN, &rs), 405);
	ck_assert_str_eq(rs.allow, "GET, POST");
	free(rs.body);
	ck_assert_uint_eq(call("GET", "/v1/trackers", NULL, ROLE_NONE, &j), 403);
	json_decref(j);
	ck_assert_uint_eq(call("GET", "/v1/trackers", NULL, ROLE_OBSERVER, &j), 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "trackers")), 1); /* audit */
	json_decref(j);
	/* A refused mutation is an audit event too. */
	ck_assert_uint_eq(audit_events(), 0);
	ck_assert_uint_eq(call("POST", "/v1/trackers", "{\"tracker\":\"fixture\"}", ROLE_OBSERVER,
			       &j), 403);
	json_decref(j);
	ck_assert_uint_eq(audit_events(), 1);
	ck_assert_uint_eq(call("GET", "/healthz", NULL, ROLE_NONE, &j), 200);
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "ok");
	json_decref(j);
}
END_TEST

START_TEST(tracker_errors)
{
	static const struct { const char *body; unsigned status; const char *code; } cases[] = {
		{ "{", 400, "bad_json" },
		{ "[1]", 400, "bad_json" },
		{ "{\"tracker\":\"fixture\",\"x\":1}", 400, "bad_member" },
		{ "{\"tracker\":7}", 400, "bad_member" },
		{ "{\"tracker\":\"nope\"}", 404, "unknown_tracker" },
		{ "{\"tracker\":\"fixture\",\"config\":{\"limit\":1000}}", 400, "bad_config" },
		{ "{\"tracker\":\"fixture\",\"config\":{\"limit\":-1}}", 400, "bad_config" },
		{ "{\"tracker\":\"fixture\",\"config\":{\"nokey\":\"1\"}}", 400, "bad_config" },
		{ "{\"tracker\":\"fixture\",\"config\":[]}", 400, "bad_config" },
		/* The fixture never loads BPF: its start() refuses. */
		{ "{\"tracker\":\"fixture\",\"config\":{\"limit\":5,\"verbose\":false}}", 422, "start_failed" },
		{ "{\"tracker\":\"audit\"}", 409, "builtin" },
	};
	json_t *j;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_uint_eq(call("POST", "/v1/trackers", cases[i].body, ROLE_ADMIN, &j),
				  cases[i].status);
		ck_assert_str_eq(err_code(j), cases[i].code);
		json_decref(j);
	}
	ck_assert_uint_eq(call("POST", "/v1/trackers", NULL, ROLE_ADMIN, &j), 400);
	ck_assert_str_eq(err_code(j), "no_body");
	json_decref(j);
	ck_assert_uint_eq(call("DELETE", "/v1/trackers/audit", NULL, ROLE_ADMIN, &j), 409);
	json_decref(j);
	ck_assert_uint_eq(call("PATCH", "/v1/trackers/t9", "{\"config\":{}}", ROLE_ADMIN, &j), 404);
	json_decref(j);
	ck_assert_uint_eq(audit_events(), sizeof(cases) / sizeof(cases[0]) + 3);
}
END_TEST

START_TEST(plugin_schemas)
{
	json_t *j, *p = NULL, *v;
	size_t i;

	ck_assert_uint_eq(call("GET", "/v1/plugins", NULL, ROLE_OBSERVER, &j), 200);
	json_array_foreach(json_object_get(j, "plugins"), i, v)
		if (!strcmp(json_string_value(json_object_get(v, "name")), "fixture"))
			p = v;
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(json_string_value(json_object_get(p, "state")), "stopped");
	v = json_array_get(json_object_get(p, "event_types"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(v, "name")), "alpha");
	v = json_array_get(json_object_get(v, "fields"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(v, "name")), "big");
	ck_assert_str_eq(json_string_value(json_object_get(v, "type")), "u64");
	ck_assert_str_eq(json_string_value(json_object_get(v, "unit")), "bytes");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(v, "flags"), 0)), "counter");
	v = json_array_get(json_object_get(p, "config_keys"), 2);
	ck_assert_str_eq(json_string_value(json_object_get(v, "name")), "limit");
	ck_assert_int_eq(json_integer_value(json_object_get(v, "max")), 100);
	ck_assert_uint_gt(json_array_size(json_object_get(j, "common_config_keys")), 5);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "header_fields")), 15);
	json_decref(j);
	ck_assert_uint_eq(call("GET", "/v1/plugins/nope", NULL, ROLE_OBSERVER, &j), 404);
	json_decref(j);
}
END_TEST

/* The bytes of a file. */
static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	char *buf;

	ck_assert(fd >= 0 && fstat(fd, &st) == 0);
	buf = malloc((size_t)st.st_size);
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static unsigned put(const char *url, const char *data, size_t len, json_t **j)
{
	struct api_response rs = { 0 };
	unsigned st = serve_handle_request(s, "PUT", url, NULL, 0, data, len, ROLE_ADMIN, &rs);

	*j = json_loadb(rs.body, rs.len, 0, NULL);
	free(rs.body);
	return st;
}

START_TEST(uploads)
{
	size_t len;
	char *so = slurp(fixture_path("fixture_good"), &len);
	json_t *j;

	ck_assert_uint_eq(put("/v1/plugins/fixture", "hello", 5, &j), 400);
	ck_assert_str_eq(err_code(j), "not_a_plugin");
	json_decref(j);
	ck_assert_uint_eq(put("/v1/plugins/fixture", so, 200, &j), 400); /* cut short */
	ck_assert_str_eq(err_code(j), "not_a_plugin");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(j, "message")), "truncated"));
	json_decref(j);
	ck_assert_uint_eq(put("/v1/plugins/Bad-Name", so, len, &j), 400);
	ck_assert_str_eq(err_code(j), "bad_name");
	json_decref(j);
	ck_assert_uint_eq(put("/v1/plugins/other", so, len, &j), 400);
	ck_assert_str_eq(err_code(j), "load_error");
	json_decref(j);
	/* A new version of a loaded plugin: kept by content hash, found by name. */
	ck_assert_uint_eq(put("/v1/plugins/fixture", so, len, &j), 200);
	ck_assert_str_eq(json_string_value(json_object_get(j, "name")), "fixture");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(j, "path")), state_dir));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "updated")), 0);
	json_decref(j);
	ck_assert_uint_eq(put("/v1/plugins/fixture", so, len, &j), 200);
	ck_assert(json_is_true(json_object_get(j, "unchanged")));
	json_decref(j);
	free(so);
}
END_TEST

START_TEST(outputs)
{
	char body[256], path[128];
	json_t *j;

	ck_assert_uint_eq(call("POST", "/v1/outputs", "{\"format\":\"json\",\"path\":\"rel\"}",
			       ROLE_ADMIN, &j), 400);
	ck_assert_str_eq(err_code(j), "bad_path");
	json_decref(j);
	ck_assert_uint_eq(call("POST", "/v1/outputs", "{\"format\":\"xml\",\"path\":\"/tmp/x\"}",
			       ROLE_ADMIN, &j), 400);
	json_decref(j);
	snprintf(path, sizeof(path), "%s/out.json", state_dir);
	snprintf(body, sizeof(body), "{\"format\":\"json\",\"path\":\"%s\"}", path);
	ck_assert_uint_eq(call("POST", "/v1/outputs", body, ROLE_ADMIN, &j), 201);
	ck_assert_str_eq(json_string_value(json_object_get(j, "id")), "o1");
	json_decref(j);
	ck_assert_uint_eq(call("POST", "/v1/outputs", body, ROLE_ADMIN, &j), 409);
	json_decref(j);
	ck_assert_uint_eq(call("PATCH", "/v1/outputs/o1", "{\"rotate_size\":4096,\"rotate_keep\":2}",
			       ROLE_ADMIN, &j), 200);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "rotate_size")), 4096);
	json_decref(j);
	/* The audit events of these calls reach the output. */
	ck_assert_uint_eq(call("DELETE", "/v1/outputs/o1", NULL, ROLE_ADMIN, &j), 200);
	json_decref(j);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_uint_eq(call("GET", "/v1/outputs", NULL, ROLE_OBSERVER, &j), 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "outputs")), 0);
	json_decref(j);
}
END_TEST

START_TEST(event_params)
{
	json_t *j;

	ck_assert_uint_eq(call("GET", "/v1/events?filter=x", NULL, ROLE_OBSERVER, &j), 400);
	ck_assert_str_eq(err_code(j), "bad_parameter");
	json_decref(j);
	ck_assert_uint_eq(call("GET", "/v1/events?after=-1", NULL, ROLE_OBSERVER, &j), 400);
	json_decref(j);
	ck_assert_uint_eq(call("GET", "/v1/events?format=xml", NULL, ROLE_OBSERVER, &j), 400);
	json_decref(j);
	ck_assert_uint_eq(call("GET", "/v1/events?format=ndjson&tracker=a%2Cb&after=3", NULL,
			       ROLE_OBSERVER, &j), 200);
	ck_assert_str_eq(json_string_value(json_object_get(j, "stream")), "ndjson");
	json_decref(j);
}
END_TEST

/* Every path of the document has a route, and every route is in the document. */
START_TEST(openapi_matches_routes)
{
	json_t *j, *paths, *ops;
	const char *path, *method;
	size_t n_ops = 0, n_routes = 0;

	ck_assert_uint_eq(call("GET", "/v1/openapi.json", NULL, ROLE_NONE, &j), 200);
	paths = json_object_get(j, "paths");
	ck_assert_ptr_nonnull(paths);
	json_object_foreach(paths, path, ops) {
		json_t *op;

		json_object_foreach(ops, method, op) {
			char pattern[128], upper[16];
			bool found = false;
			size_t k = 0;

			if (!strcmp(method, "parameters"))
				continue;
			n_ops++;
			for (const char *p = path; *p && k < sizeof(pattern) - 3;) {
				if (*p == '{') {
					pattern[k++] = '{';
					pattern[k++] = '}';
					p = strchr(p, '}') + 1;
				} else {
					pattern[k++] = *p++;
				}
			}
			pattern[k] = '\0';
			for (k = 0; method[k] && k < sizeof(upper) - 1; k++)
				upper[k] = (char)(method[k] - 'a' + 'A');
			upper[k] = '\0';
			for (const struct api_route *r = api_routes; r->method; r++)
				found |= !strcmp(r->pattern, pattern) && !strcmp(r->method, upper);
			ck_assert_msg(found, "%s %s is documented but not routed", upper, path);
		}
	}
	for (const struct api_route *r = api_routes; r->method; r++)
		n_routes++;
	ck_assert_uint_eq(n_ops, n_routes);
	json_decref(j);
}
END_TEST

/* ---- the stream ring ---- */

static int suspends, resumes;

static void fake_suspend(void *conn)
{
	(void)conn;
	suspends++;
}

static void fake_resume(void *conn)
{
	(void)conn;
	resumes++;
}

/* Everything the client may read now, as NUL-terminated text. */
static char *read_all(struct stream_client *c)
{
	static char buf[65536];
	size_t len = 0;
	ssize_t n;

	while ((n = stream_client_read(c, buf + len, 100)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return buf;
}

static void audit_n(int n)
{
	struct principal who = { .role = ROLE_ADMIN, .who = "t", .how = "none" };

	for (int i = 0; i < n; i++)
		audit_record(s->audit->t, &who, "POST", "/x", 200, "ok");
	eun_ctx_consume(s->ctx); /* the end of a poll wakes the readers */
}

/* Sequence numbers of an NDJSON text, loss records as negative since_seq. */
static void expect_lines(const char *text, const char *const *want, size_t n)
{
	char *copy = strdup(text), *save = NULL;
	size_t i = 0;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		ck_assert_msg(i < n, "more lines than expected: %s", line);
		ck_assert_msg(!strncmp(line, want[i], strlen(want[i])), "line %zu is %.80s, want %s",
			      i, line, want[i]);
	}
	ck_assert_uint_eq(i, n);
	free(copy);
}

START_TEST(stream_loss_arithmetic)
{
	struct stream_request nd = { .sse = false };
	struct stream_client *c = stream_client_new(s->ring, &nd, fake_suspend, fake_resume, NULL);
	struct stream_ring_stats st;

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(read_all(c), "");
	ck_assert_int_eq(suspends, 1);
	/* 20 events into a ring of 8: the client, which read nothing, lost 12. */
	audit_n(20);
	ck_assert_int_eq(resumes, 1);
	expect_lines(read_all(c), (const char *const[]){ "{\"lost\":12,\"since_seq\":1}",
		"{\"seq\":13,\"ts\":", "{\"seq\":14,", "{\"seq\":15,", "{\"seq\":16,", "{\"seq\":17,",
		"{\"seq\":18,", "{\"seq\":19,", "{\"seq\":20,\"ts\":" }, 9);
	stream_ring_stats(s->ring, &st);
	ck_assert_uint_eq(st.next_seq, 21);
	ck_assert_uint_eq(st.oldest_seq, 13);
	ck_assert_uint_eq(st.lost, 12);
	stream_client_free(c);

	/* Resuming: after a kept id, and after an id that left the ring. */
	struct stream_request sse = { .sse = true, .has_after = true, .after = 17 };
	c = stream_client_new(s->ring, &sse, fake_suspend, fake_resume, NULL);
	ck_assert_str_eq(strstr(read_all(c), "id: 18\ndata: {\"ts\":") ? "ok" : "no", "ok");
	stream_client_free(c);
	sse.after = 2;
	c = stream_client_new(s->ring, &sse, fake_suspend, fake_resume, NULL);
	ck_assert_ptr_nonnull(strstr(read_all(c),
				     "id: 12\ndata: {\"lost\":10,\"since_seq\":3}\n\nid: 13\n"));
	stream_client_free(c);

	/* Filters: the audit tracker by name and by id; another name gets nothing. */
	struct stream_request f = { .trackers = "nope,audit", .types = "api_call", .has_after = true,
				    .after = 19 };
	c = stream_client_new(s->ring, &f, fake_suspend, fake_resume, NULL);
	expect_lines(read_all(c), (const char *const[]){ "{\"seq\":20," }, 1);
	stream_client_free(c);
	f.trackers = "process";
	c = stream_client_new(s->ring, &f, fake_suspend, fake_resume, NULL);
	ck_assert_str_eq(read_all(c), "");
	stream_client_free(c);
}
END_TEST

static Suite *suite(void)
{
	Suite *su = suite_create("serve_api");
	TCase *tc = tcase_create("api");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, routing_and_roles);
	tcase_add_test(tc, tracker_errors);
	tcase_add_test(tc, plugin_schemas);
	tcase_add_test(tc, uploads);
	tcase_add_test(tc, outputs);
	tcase_add_test(tc, event_params);
	tcase_add_test(tc, openapi_matches_routes);
	tcase_add_test(tc, stream_loss_arithmetic);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	return run_suite(suite());
}
