/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The event bus: listeners in order with the callback last, versioned ops
 * with NULL methods, lifecycle calls, removal during a delivery, queued
 * listeners on their own thread with exact drop counts, re-entrant calls
 * (nested consume, stop/free from a callback), event copies, and plugins
 * registered in-process.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eunomia/plugin.h>

#include "helpers.h"

/* ---- a listener that writes its tag into a shared order string ---- */

struct tagger {
	char tag;
	char *order; /* shared, at least 64 bytes */
	int events, flushes, started, stopped, detached;
	int ret;     /* what event() returns */
	struct eun_listener *self;
	bool remove_self;
};

static void append(char *order, char c)
{
	size_t n = strlen(order);

	if (n < 63) {
		order[n] = c;
		order[n + 1] = '\0';
	}
}

static int tag_event(void *data, const struct eun_event *ev)
{
	struct tagger *tg = data;

	(void)ev;
	tg->events++;
	append(tg->order, tg->tag);
	if (tg->remove_self)
		ck_assert_int_eq(eun_listener_remove(tg->self), 0);
	return tg->ret;
}

static void tag_flush(void *data)
{
	((struct tagger *)data)->flushes++;
}

static void tag_started(void *data, struct eun_tracker *t)
{
	(void)t;
	((struct tagger *)data)->started++;
}

static void tag_stopped(void *data, struct eun_tracker *t)
{
	(void)t;
	((struct tagger *)data)->stopped++;
}

static void tag_detached(void *data)
{
	((struct tagger *)data)->detached++;
}

static const struct eun_listener_ops tag_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = tag_event,
	.flush = tag_flush,
	.tracker_started = tag_started,
	.tracker_stopped = tag_stopped,
	.detached = tag_detached,
};

static struct eun_listener *add_tagger(struct eun_ctx *ctx, struct tagger *tg, char tag, char *order)
{
	memset(tg, 0, sizeof(*tg));
	tg->tag = tag;
	tg->order = order;
	tg->self = eun_ctx_add_listener(ctx, &tag_ops, tg, NULL);
	ck_assert_msg(tg->self, "eun_ctx_add_listener: %s", eun_last_error());
	return tg->self;
}

static int callback_tag(const struct eun_event *ev, void *cookie)
{
	(void)ev;
	append(cookie, 'C');
	return 0;
}

static void inject_alpha(struct eun_tracker *t, int want)
{
	struct fixture_alpha r;

	alpha_fill(&r);
	ck_assert_int_eq(eun_tracker_inject(t, &r, sizeof(r)), want);
}

START_TEST(listeners_in_order_callback_last)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct tagger a, b, c;
	char order[64] = "";

	add_tagger(ctx, &a, 'a', order);
	eun_ctx_set_event_fn(ctx, callback_tag, order);
	/* Added after the callback, delivered before it. */
	add_tagger(ctx, &b, 'b', order);
	add_tagger(ctx, &c, 'c', order);
	ck_assert_uint_eq(eun_ctx_listener_count(ctx), 4);
	inject_alpha(t, 1);
	ck_assert_str_eq(order, "abcC");
	ck_assert_str_eq(eun_listener_name(eun_ctx_listener_at(ctx, 3)), "event callback");
	ck_assert_int_eq(eun_listener_remove(eun_ctx_listener_at(ctx, 3)), -EINVAL);
	ck_assert_ptr_null(eun_ctx_listener_at(ctx, 4));
	ck_assert_int_eq(eun_ctx_consume(ctx), 0);
	ck_assert_int_eq(a.flushes, 1);
	ck_assert_int_eq(c.flushes, 1);
	eun_ctx_free(ctx);
	ck_assert_int_eq(a.detached + b.detached + c.detached, 3);
}
END_TEST

START_TEST(null_methods_are_skipped)
{
	static const struct eun_listener_ops only_version = { .version = EUN_LISTENER_OPS_VERSION };
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct eun_listener *l = eun_ctx_add_listener(ctx, &only_version, NULL, NULL);

	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(eun_listener_name(l), "listener");
	inject_alpha(t, 1);
	ck_assert_int_eq(eun_ctx_consume(ctx), 0);
	ck_assert_int_eq(eun_listener_remove(l), 0);
	/* A queued listener without event() has nothing to run. */
	EUN_OPTS(eun_listener_opts, opts, .queue_events = 4);
	ck_assert_ptr_null(eun_ctx_add_listener(ctx, &only_version, NULL, &opts));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(eun_ctx_add_listener(ctx, NULL, NULL, NULL));
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(negative_return_reaches_every_listener)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct tagger a, b;
	char order[64] = "";

	add_tagger(ctx, &a, 'a', order);
	add_tagger(ctx, &b, 'b', order);
	a.ret = -ECANCELED;
	inject_alpha(t, -ECANCELED);
	ck_assert_str_eq(order, "ab");
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(remove_during_delivery)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct tagger a, b;
	char order[64] = "";

	add_tagger(ctx, &a, 'a', order);
	add_tagger(ctx, &b, 'b', order);
	a.remove_self = true;
	inject_alpha(t, 1);
	/* a saw its last event, b still got it; a was freed after the delivery. */
	ck_assert_str_eq(order, "ab");
	ck_assert_int_eq(a.detached, 1);
	ck_assert_uint_eq(eun_ctx_listener_count(ctx), 1);
	inject_alpha(t, 1);
	ck_assert_str_eq(order, "abb");
	eun_ctx_free(ctx);
	ck_assert_int_eq(b.detached, 1);
}
END_TEST

/* ---- queued listeners ---- */

struct slow {
	sem_t release;        /* posted to let the first event() return */
	sem_t entered;        /* posted when the first event() starts */
	pthread_t ctx_thread;
	int events, flushes, wrong_thread;
	uint64_t last_big;
	bool in_order;
	struct eun_listener *self;   /* for its detached() */
	int64_t dropped_at_detach;   /* -1 until detached() */
};

static int slow_event(void *data, const struct eun_event *ev)
{
	struct slow *s = data;
	uint64_t big;

	/* No ck_assert here: this is the listener's thread, not the test's. */
	if (pthread_equal(pthread_self(), s->ctx_thread) || eun_event_tracker(ev))
		s->wrong_thread++;
	if (eun_event_get_u64(ev, 0, &big) || (s->events && big != s->last_big + 1))
		s->in_order = false;
	s->last_big = big;
	if (s->events++ == 0) {
		sem_post(&s->entered);
		sem_wait(&s->release);
	}
	return 0;
}

static void slow_flush(void *data)
{
	((struct slow *)data)->flushes++;
}

static void slow_detached(void *data)
{
	struct slow *s = data;
	struct eun_listener_stats st = { .sz = sizeof(st) };

	if (s->self && eun_listener_stats(s->self, &st) == 0)
		s->dropped_at_detach = (int64_t)st.dropped;
}

static const struct eun_listener_ops slow_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = slow_event,
	.flush = slow_flush,
	.detached = slow_detached,
};

START_TEST(queued_listener_counts_every_drop)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct eun_listener_stats st = { .sz = sizeof(st) };
	struct slow s = { .ctx_thread = pthread_self(), .in_order = true };
	struct fixture_alpha r;
	struct eun_listener *l;
	const int n = 100, cap = 8;

	sem_init(&s.release, 0, 0);
	sem_init(&s.entered, 0, 0);
	EUN_OPTS(eun_listener_opts, opts, .name = "slow", .queue_events = cap);
	l = eun_ctx_add_listener(ctx, &slow_ops, &s, &opts);
	ck_assert_msg(l, "%s", eun_last_error());
	alpha_fill(&r);
	r.big = 0;
	ck_assert_int_eq(eun_tracker_inject(t, &r, sizeof(r)), 1);
	sem_wait(&s.entered); /* the consumer holds event 0: the queue is empty */
	for (int i = 1; i < n; i++) {
		r.big = (uint64_t)i;
		/* Never blocks, full queue or not. */
		ck_assert_int_eq(eun_tracker_inject(t, &r, sizeof(r)), 1);
	}
	ck_assert_int_eq(eun_listener_stats(l, &st), 0);
	ck_assert_uint_eq(st.queued, (uint64_t)cap);
	ck_assert_uint_eq(st.queued_max, (uint64_t)cap);
	ck_assert_uint_eq(st.dropped, (uint64_t)(n - 1 - cap));
	sem_post(&s.release);
	ck_assert_int_eq(eun_listener_remove(l), 0); /* delivers what is queued first */
	ck_assert_int_eq(s.events, 1 + cap);
	ck_assert_int_eq(s.wrong_thread, 0);
	ck_assert(s.in_order);
	eun_ctx_free(ctx);
	sem_destroy(&s.release);
	sem_destroy(&s.entered);
}
END_TEST

START_TEST(queued_listener_bounded_by_bytes)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct eun_listener_stats st = { .sz = sizeof(st) };
	struct slow s = { .ctx_thread = pthread_self(), .in_order = true, .dropped_at_detach = -1 };
	struct fixture_alpha r;
	struct eun_listener *l;

	sem_init(&s.release, 0, 0);
	sem_init(&s.entered, 0, 0);
	/* Room for one event's copy, not two. */
	EUN_OPTS(eun_listener_opts, opts, .queue_events = 1000, .queue_bytes = 300);
	l = eun_ctx_add_listener(ctx, &slow_ops, &s, &opts);
	ck_assert_ptr_nonnull(l);
	s.self = l;
	alpha_fill(&r);
	r.big = 0;
	eun_tracker_inject(t, &r, sizeof(r));
	sem_wait(&s.entered);
	for (int i = 1; i <= 3; i++) {
		r.big = (uint64_t)i;
		eun_tracker_inject(t, &r, sizeof(r));
	}
	ck_assert_int_eq(eun_listener_stats(l, &st), 0);
	ck_assert_uint_eq(st.queued, 1);
	ck_assert_uint_eq(st.dropped, 2);
	sem_post(&s.release);
	eun_ctx_free(ctx); /* detaches the listener after delivering its queue */
	ck_assert_int_eq(s.events, 2);
	ck_assert_int_eq(s.dropped_at_detach, 2); /* its detached() still reads the counts */
	sem_destroy(&s.release);
	sem_destroy(&s.entered);
}
END_TEST

START_TEST(queued_listener_gets_flush_in_order)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct slow s = { .ctx_thread = pthread_self(), .in_order = true };
	struct fixture_alpha r;
	struct eun_listener *l;

	sem_init(&s.release, 0, 1); /* the first event does not wait */
	sem_init(&s.entered, 0, 0);
	EUN_OPTS(eun_listener_opts, opts, .queue_events = 64);
	l = eun_ctx_add_listener(ctx, &slow_ops, &s, &opts);
	ck_assert_ptr_nonnull(l);
	alpha_fill(&r);
	for (int i = 0; i < 10; i++) {
		r.big = (uint64_t)i;
		eun_tracker_inject(t, &r, sizeof(r));
	}
	ck_assert_int_eq(eun_ctx_consume(ctx), 0);
	ck_assert_int_eq(eun_listener_remove(l), 0);
	ck_assert_int_eq(s.events, 10);
	ck_assert_int_ge(s.flushes, 1);
	ck_assert(s.in_order);
	eun_ctx_free(ctx);
	sem_destroy(&s.release);
	sem_destroy(&s.entered);
}
END_TEST

/* ---- re-entrant calls from a callback ---- */

struct reentry {
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	int nested_consume, nested_poll;
	int calls;
	enum eun_tracker_state state_inside;
};

static int reenter_cb(const struct eun_event *ev, void *cookie)
{
	struct reentry *re = cookie;

	(void)ev;
	re->calls++;
	re->nested_consume = eun_ctx_consume(re->ctx);
	re->nested_poll = eun_ctx_poll(re->ctx, 0);
	return 0;
}

START_TEST(nested_poll_and_consume_are_refused)
{
	struct reentry re = { .ctx = fixture_ctx() };
	struct fixture_alpha r;

	re.t = fixture_tracker(re.ctx, NULL, 0);
	alpha_fill(&r);
	ck_assert_int_eq(inject_with(re.ctx, re.t, &r, sizeof(r), reenter_cb, &re), 1);
	ck_assert_int_eq(re.calls, 1); /* delivered once, not again by the nested calls */
	ck_assert_int_eq(re.nested_consume, -EBUSY);
	ck_assert_int_eq(re.nested_poll, -EBUSY);
	eun_ctx_free(re.ctx);
}
END_TEST

static int free_tracker_cb(const struct eun_event *ev, void *cookie)
{
	struct reentry *re = cookie;

	re->calls++;
	eun_tracker_free(re->t);
	/* Deferred: the tracker and the event are still there. */
	re->state_inside = eun_tracker_state(re->t);
	ck_assert_str_eq(eun_event_tracker_name(ev), FIXTURE_NAME);
	ck_assert_ptr_eq(eun_tracker_at(re->ctx, 0), re->t);
	return 0;
}

START_TEST(free_from_callback_is_deferred)
{
	struct reentry re = { .ctx = fixture_ctx() };
	struct fixture_alpha r;

	re.t = fixture_tracker(re.ctx, NULL, 0);
	alpha_fill(&r);
	ck_assert_int_eq(inject_with(re.ctx, re.t, &r, sizeof(r), free_tracker_cb, &re), 1);
	ck_assert_int_eq(re.calls, 1);
	ck_assert_int_eq(re.state_inside, EUN_TRACKER_CREATED);
	ck_assert_uint_eq(eun_tracker_count(re.ctx), 0); /* freed once the delivery ended */
	eun_ctx_free(re.ctx);
}
END_TEST

static int free_ctx_cb(const struct eun_event *ev, void *cookie)
{
	(void)ev;
	eun_ctx_free(cookie);
	return 0;
}

START_TEST(ctx_free_from_callback_is_refused)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct log_capture lc;
	struct fixture_alpha r;

	alpha_fill(&r);
	log_capture_start(&lc);
	ck_assert_int_eq(inject_with(ctx, t, &r, sizeof(r), free_ctx_cb, ctx), 1);
	log_capture_stop();
	ck_assert_int_eq(lc.n_error, 1);
	ck_assert_ptr_nonnull(strstr(lc.buf, "eun_ctx_free() called during a delivery"));
	ck_assert_uint_eq(eun_tracker_count(ctx), 1); /* still whole */
	eun_ctx_free(ctx);
}
END_TEST

/* ---- event copies ---- */

static int copy_cb(const struct eun_event *ev, void *cookie)
{
	*(struct eun_event **)cookie = eun_event_copy(ev);
	return 0;
}

START_TEST(copy_outlives_the_callback)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_tracker *t = fixture_tracker(ctx, NULL, 0);
	struct eun_event *copy = NULL;
	struct fixture_alpha r;
	const char *s;
	size_t len;
	char json[4096], direct[4096];
	struct rendered rd = { 0 };

	alpha_fill(&r);
	ck_assert_int_eq(inject_with(ctx, t, &r, sizeof(r), copy_cb, &copy), 1);
	ck_assert_ptr_nonnull(copy);
	memset(&r, 0xff, sizeof(r)); /* the copy owns its bytes */
	ck_assert_ptr_null(eun_event_tracker(copy));
	ck_assert_str_eq(eun_event_tracker_name(copy), FIXTURE_NAME);
	ck_assert_str_eq(eun_event_type_name(copy), "alpha");
	ck_assert_str_eq(eun_event_comm(copy), "tester");
	ck_assert_uint_eq(eun_event_pid(copy), 1234);
	ck_assert_int_eq(eun_event_get_str(copy, (size_t)eun_event_field_index(copy, "label"), &s, &len), 0);
	ck_assert_int_eq((int)len, 5);
	ck_assert(!memcmp(s, "hello", 5));
	eun_event_to_json(copy, json, sizeof(json));
	alpha_fill(&r);
	inject_with(ctx, t, &r, sizeof(r), render_cb, &rd);
	snprintf(direct, sizeof(direct), "%s", rd.json);
	ck_assert_str_eq(json, direct);
	eun_event_free(copy);
	eun_event_free(NULL);
	eun_ctx_free(ctx);
}
END_TEST

/* ---- a plugin registered in-process ---- */

struct tick {
	struct eun_record_header h;
	uint64_t n;
};

static const struct eun_field tick_fields[] = {
	EUN_FIELD(struct tick, n, EUN_FIELD_U64, NULL, EUN_FIELD_F_COUNTER, "ticks"),
};

static const struct eun_event_type tick_types[] = {
	{ .name = "tick", .description = "one collect", .id = 1, .record_size = sizeof(struct tick),
	  .fields = tick_fields, .n_fields = EUN_ARRAY_LEN(tick_fields) },
};

struct tick_state {
	struct eun_tracker *t;
	const struct eun_host *host;
	uint64_t n;
};

static int tick_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct tick_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	st->t = t;
	st->host = host;
	*state = st;
	return host->set_collect_interval(t, 0);
}

static void tick_destroy(void *state)
{
	free(state);
}

static int tick_start_stop(void *state)
{
	(void)state;
	return 0;
}

static int tick_collect(void *state)
{
	struct tick_state *st = state;
	struct tick rec = { .h.type = 1, .n = ++st->n };

	return st->host->emit(st->t, &rec, sizeof(rec));
}

static const struct eun_plugin_desc tick_desc = {
	EUN_PLUGIN_DESC_HEADER("tick"),
	.version = "1", .description = "in-process test tracker", .license = "BSD-2-Clause",
	.event_types = tick_types, .n_event_types = EUN_ARRAY_LEN(tick_types),
	.create = tick_create, .destroy = tick_destroy, .start = tick_start_stop,
	.stop = tick_start_stop, .collect = tick_collect,
};

START_TEST(in_process_plugin)
{
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_plugin_desc bad = tick_desc;
	struct tagger a;
	char order[64] = "";
	struct eun_tracker *t;

	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &tick_desc), 0);
	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &tick_desc), -EEXIST);
	bad.name = "tick2";
	bad.abi_major = EUN_PLUGIN_ABI_MAJOR + 1;
	ck_assert_int_eq(eun_ctx_add_plugin_desc(ctx, &bad), -EPROTO);
	ck_assert_ptr_nonnull(strstr(eun_last_error(), "(in-process)"));
	ck_assert_str_eq(eun_plugin_path(eun_plugin_find(ctx, "tick")), "(in-process)");
	add_tagger(ctx, &a, 'a', order);
	t = eun_tracker_new(ctx, "tick", NULL);
	ck_assert_msg(t, "%s", eun_last_error());
	ck_assert_int_eq(eun_tracker_start(t), 0);
	ck_assert_int_eq(a.started, 1);
	ck_assert_int_eq(eun_tracker_stop(t), 0); /* the last collect emits one tick */
	ck_assert_int_eq(a.stopped, 1);
	ck_assert_int_eq(a.events, 1);
	eun_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bus");
	TCase *order = tcase_create("order");
	TCase *queue = tcase_create("queue");
	TCase *reentry = tcase_create("reentry");
	TCase *misc = tcase_create("misc");

	tcase_add_test(order, listeners_in_order_callback_last);
	tcase_add_test(order, null_methods_are_skipped);
	tcase_add_test(order, negative_return_reaches_every_listener);
	tcase_add_test(order, remove_during_delivery);
	tcase_add_test(queue, queued_listener_counts_every_drop);
	tcase_add_test(queue, queued_listener_bounded_by_bytes);
	tcase_add_test(queue, queued_listener_gets_flush_in_order);
	tcase_add_test(reentry, nested_poll_and_consume_are_refused);
	tcase_add_test(reentry, free_from_callback_is_deferred);
	tcase_add_test(reentry, ctx_free_from_callback_is_refused);
	tcase_add_test(misc, copy_outlives_the_callback);
	tcase_add_test(misc, in_process_plugin);
	suite_add_tcase(s, order);
	suite_add_tcase(s, queue);
	suite_add_tcase(s, reentry);
	suite_add_tcase(s, misc);
	return run_suite(s);
}
