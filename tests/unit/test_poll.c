/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Plugin ABI 1.3 in the core: a plugin with poll_fd()/poll() has its fd in
 * the ctx's epoll fd, poll() runs on every poll/consume and once more when
 * the tracker stops, kernel_drops() adds to the stats, dotted field names
 * are accepted from 1.3 descriptors only, and half a pair is refused. An
 * in-process descriptor over an eventfd: no kernel needed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <eunomia/plugin.h>

#include "helpers.h"

#define TICK_TYPE 3

struct tick {
	struct eun_record_header h;
	uint64_t seq;
	uint32_t inner_a; /* "inner.a" */
};

static const struct eun_field tick_fields[] = {
	EUN_FIELD(struct tick, seq, EUN_FIELD_U64, NULL, 0, "sequence number"),
	{ .name = "inner.a", .type = EUN_FIELD_U32, .offset = offsetof(struct tick, inner_a),
	  .size = 4 },
};

static const struct eun_event_type tick_types[] = {
	{ .name = "tick", .id = TICK_TYPE, .record_size = sizeof(struct tick),
	  .fields = tick_fields, .n_fields = 2 },
};

/* One instance: an eventfd whose counter says how many records wait. */
struct poller {
	struct eun_tracker *t;
	const struct eun_host *host;
	int efd;
	uint64_t seq;
	int polls;
	bool stopped;
};

/* The instance of the last create(), for the test to feed. */
static struct poller *last;

static int p_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	static struct poller p;

	memset(&p, 0, sizeof(p));
	p.t = t;
	p.host = host;
	p.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p.efd < 0)
		return -errno;
	last = &p;
	*state = &p;
	return 0;
}

static void p_destroy(void *state)
{
	close(((struct poller *)state)->efd);
}

static int p_start(void *state)
{
	((struct poller *)state)->stopped = false;
	return 0;
}

static int p_stop(void *state)
{
	((struct poller *)state)->stopped = true;
	return 0;
}

static int p_poll_fd(void *state)
{
	return ((struct poller *)state)->efd;
}

static int p_poll(void *state)
{
	struct poller *p = state;
	uint64_t n = 0;
	int err;

	p->polls++;
	if (read(p->efd, &n, sizeof(n)) != sizeof(n))
		return errno == EAGAIN ? 0 : -errno;
	for (uint64_t i = 0; i < n; i++) {
		struct tick r;

		memset(&r, 0, sizeof(r));
		r.h.type = TICK_TYPE;
		r.h.ts_ns = 1;
		r.seq = ++p->seq;
		r.inner_a = 7;
		if ((err = p->host->emit(p->t, &r, sizeof(r))) < 0)
			return err;
	}
	return (int)n;
}

static uint64_t p_drops(void *state)
{
	return ((struct poller *)state)->seq * 10;
}

static struct eun_plugin_desc poll_desc(const char *name)
{
	return (struct eun_plugin_desc){
		EUN_PLUGIN_DESC_HEADER(name), .version = "1", .description = "poll test",
		.license = "MIT", .event_types = tick_types, .n_event_types = 1,
		.create = p_create, .destroy = p_destroy, .start = p_start, .stop = p_stop,
		.poll_fd = p_poll_fd, .poll = p_poll, .kernel_drops = p_drops,
	};
}

struct seen {
	int n;
	uint64_t last_seq;
	char json[1024];
};

static int seen_cb(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;
	int i = eun_event_field_index(ev, "seq");

	ck_assert_int_ge(i, 0);
	ck_assert_int_eq(eun_event_get_u64(ev, (size_t)i, &s->last_seq), 0);
	ck_assert_int_ge(eun_event_to_json(ev, s->json, sizeof(s->json)), 0);
	s->n++;
	return 0;
}

static void feed(uint64_t n)
{
	ck_assert_int_eq(write(last->efd, &n, sizeof(n)), sizeof(n));
}

START_TEST(poll_fd_wakes_the_ctx_and_poll_emits)
{
	struct eun_plugin_desc d = poll_desc("poller");
	struct eun_ctx *ctx = fixture_ctx();
	struct seen s = { 0 };
	struct pollfd pfd;
	struct eun_tracker *t;

	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &d), 0);
	eun_ctx_set_event_fn(ctx, seen_cb, &s);
	t = eun_tracker_new(ctx, "poller", NULL);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(eun_tracker_start(t), 0);

	/* Nothing waits: the ctx fd is not readable. */
	pfd = (struct pollfd){ .fd = eun_ctx_fd(ctx), .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 0), 0);
	feed(3);
	/* The eventfd is inside the ctx's epoll fd. */
	ck_assert_int_eq(poll(&pfd, 1, 1000), 1);
	ck_assert_int_eq(eun_ctx_poll(ctx, 1000), 3);
	ck_assert_int_eq(s.n, 3);
	ck_assert_uint_eq(s.last_seq, 3);
	ck_assert_msg(strstr(s.json, "\"inner.a\":7"), "dotted field in JSON: %s", s.json);

	/* What waits when the tracker stops is delivered by the last poll(). */
	feed(2);
	ck_assert_int_eq(eun_tracker_stop(t), 0);
	ck_assert(last->stopped);
	ck_assert_int_eq(s.n, 5);

	EUN_OPTS(eun_tracker_stats, st);
	ck_assert_int_eq(eun_tracker_stats(t, &st), 0);
	ck_assert_uint_eq(st.events, 5);
	ck_assert_uint_eq(st.kernel_drops, 50); /* kernel_drops() */

	/* Started again: its fd is back in the epoll fd. */
	ck_assert_int_eq(eun_tracker_start(t), 0);
	feed(1);
	ck_assert_int_eq(eun_ctx_poll(ctx, 1000), 1);
	ck_assert_int_eq(s.n, 6);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(poll_runs_on_every_consume)
{
	struct eun_plugin_desc d = poll_desc("poller");
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t;
	int before;

	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &d), 0);
	t = eun_tracker_new(ctx, "poller", NULL);
	ck_assert_int_eq(eun_tracker_start(t), 0);
	before = last->polls;
	ck_assert_int_eq(eun_ctx_consume(ctx), 0);
	ck_assert_int_eq(eun_ctx_consume(ctx), 0);
	/* Sources that wake the reader in batches are read even when not readable. */
	ck_assert_int_eq(last->polls, before + 2);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(half_a_pair_is_refused)
{
	struct eun_plugin_desc d = poll_desc("poller");
	struct eun_ctx *ctx = fixture_ctx();

	d.poll = NULL;
	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &d), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "poll_fd() without poll()"), "%s", eun_last_error());
	d = poll_desc("poller");
	d.poll_fd = NULL;
	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &d), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "poll() without poll_fd()"), "%s", eun_last_error());
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(dotted_names_need_abi_1_3)
{
	struct eun_plugin_desc d = poll_desc("poller");
	struct eun_ctx *ctx = fixture_ctx();

	/* A 1.2 descriptor (its size ends after collect) may not have them. */
	d.abi_minor = 2;
	d.size = offsetof(struct eun_plugin_desc, poll_fd);
	d.poll_fd = NULL;
	d.poll = NULL;
	d.kernel_drops = NULL;
	d.collect = p_start;
	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &d), -EINVAL);
	ck_assert_msg(strstr(eun_last_error(), "'inner.a'"), "%s", eun_last_error());
	eun_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("poll");
	TCase *tc = tcase_create("abi_1_3");

	tcase_add_test(tc, poll_fd_wakes_the_ctx_and_poll_emits);
	tcase_add_test(tc, poll_runs_on_every_consume);
	tcase_add_test(tc, half_a_pair_is_refused);
	tcase_add_test(tc, dotted_names_need_abi_1_3);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
