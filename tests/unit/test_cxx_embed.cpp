// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * An embedder written in C++20 (built with -pedantic -Werror): the public
 * header used from C++ (EUN_OPTS with designated initializers, a listener
 * table, a capture-less lambda as the event callback), and a plugin written
 * in C++ (tests/fixtures/cxx) that loads by path and whose decode() runs on
 * samples fed with eun_tracker_inject().
 */
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <check.h>

#include <eunomia/eunomia.h>

#include "cxx_words.h"

namespace {

struct seen {
	std::vector<std::string> json;
	std::vector<std::string> words;
	int flushes = 0;
};

int on_event(void *data, const struct eun_event *ev)
{
	auto *s = static_cast<seen *>(data);
	char buf[1024];
	const char *w;
	size_t len;
	int idx = eun_event_field_index(ev, "word");

	if (idx < 0 || eun_event_get_str(ev, static_cast<size_t>(idx), &w, &len) < 0)
		return -EINVAL;
	s->words.emplace_back(w, len);
	if (eun_event_to_json(ev, buf, sizeof(buf)) >= static_cast<int>(sizeof(buf)))
		return -EOVERFLOW;
	s->json.emplace_back(buf);
	return 0;
}

void on_flush(void *data)
{
	static_cast<seen *>(data)->flushes++;
}

struct eun_ctx *cxx_ctx()
{
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = nullptr, .no_default_path = true);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	ck_assert_msg(ctx, "eun_ctx_new: %s", eun_last_error());
	ck_assert_msg(eun_ctx_load_plugin(ctx, EUN_TEST_CXX_PLUGIN) == 0, "%s", eun_last_error());
	return ctx;
}

struct cxx_words_word sample(const char *word)
{
	struct cxx_words_word r;

	std::memset(&r, 0, sizeof(r));
	r.h.ts_ns = 1000;
	r.h.type = CXX_WORDS_TYPE_WORD;
	r.h.pid = 42;
	std::memcpy(r.h.comm, "cxx", 3);
	std::strncpy(r.word, word, sizeof(r.word));
	return r;
}

} // namespace

START_TEST(cxx_plugin_loads_by_its_plain_entry_symbol)
{
	struct eun_ctx *ctx = cxx_ctx();
	const struct eun_plugin *p = eun_plugin_find(ctx, CXX_WORDS_NAME);
	unsigned major = 0, minor = 0, lib_major = 1, lib_minor = 1;

	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(eun_plugin_path(p), EUN_TEST_CXX_PLUGIN);
	eun_plugin_built_abi(p, &major, &minor);
	eun_plugin_abi_version(&lib_major, &lib_minor);
	ck_assert_uint_eq(major, lib_major);
	ck_assert_uint_eq(minor, lib_minor);
	ck_assert_str_eq(eun_plugin_event_type(p, 0)->name, "word");
	ck_assert_str_eq(eun_plugin_config_key(p, 0)->name, "prefix");
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(cxx_tracker_decodes_injected_samples)
{
	struct eun_ctx *ctx = cxx_ctx();
	struct eun_config_entry cfg[] = { { "prefix", "c++:" } };
	EUN_OPTS(eun_tracker_opts, topts, .config = cfg, .n_config = 1);
	struct eun_tracker *t = eun_tracker_new(ctx, CXX_WORDS_NAME, &topts);
	static const struct eun_listener_ops ops = {
		.version = EUN_LISTENER_OPS_VERSION,
		.event = on_event,
		.flush = on_flush,
		.tracker_started = nullptr,
		.tracker_stopped = nullptr,
		.detached = nullptr,
	};
	EUN_OPTS(eun_listener_opts, lopts, .name = "c++ listener");
	seen s;
	struct eun_listener *l;
	struct cxx_words_word rec = sample("hello");
	EUN_OPTS(eun_tracker_stats, st);
	int callback_calls = 0;

	ck_assert_msg(t, "eun_tracker_new: %s", eun_last_error());
	l = eun_ctx_add_listener(ctx, &ops, &s, &lopts);
	ck_assert_msg(l, "eun_ctx_add_listener: %s", eun_last_error());
	ck_assert_str_eq(eun_listener_name(l), "c++ listener");
	eun_ctx_set_event_fn(ctx, [](const struct eun_event *, void *cookie) {
		++*static_cast<int *>(cookie);
		return 0;
	}, &callback_calls);

	ck_assert_int_eq(eun_tracker_inject(t, &rec, sizeof(rec)), 1);
	rec = sample("world");
	ck_assert_int_eq(eun_tracker_inject(t, &rec, sizeof(rec)), 1);
	/* A word too long for the record after the prefix: decode() refuses it. */
	rec = sample("abcdefghijklmnopqrstuvwxyz0123");
	ck_assert_int_eq(eun_tracker_inject(t, &rec, sizeof(rec)), -ENAMETOOLONG);

	ck_assert_uint_eq(s.words.size(), 2);
	ck_assert_str_eq(s.words[0].c_str(), "c++:HELLO");
	ck_assert_str_eq(s.words[1].c_str(), "c++:WORLD");
	ck_assert_msg(s.json[0].find("\"tracker\":\"cxx_words\",\"type\":\"word\"") != std::string::npos &&
			      s.json[0].find("\"len\":9,\"word\":\"c++:HELLO\"}") != std::string::npos,
		      "%s", s.json[0].c_str());
	ck_assert_int_eq(callback_calls, 2);
	ck_assert_int_eq(eun_tracker_stats(t, &st), 0);
	ck_assert_uint_eq(st.events, 2);
	ck_assert_uint_eq(st.decode_errors, 1);
	/* start() is refused by the plugin, through host->set_error. */
	ck_assert_int_eq(eun_tracker_start(t), -ENOTSUP);
	ck_assert_ptr_nonnull(std::strstr(eun_last_error(), "no BPF programs"));
	eun_ctx_free(ctx);
}
END_TEST

/* C++17 and older have no designated initializers: EUN_OPTS without them,
 * then plain assignments (this file is C++20, but the form is the same). */
START_TEST(cxx_opts_without_designators)
{
	EUN_OPTS(eun_ctx_opts, opts);
	struct eun_ctx *ctx;

	ck_assert_uint_eq(opts.sz, sizeof(opts));
	opts.no_default_path = true;
	opts.max_latency_ms = 7;
	ctx = eun_ctx_new(&opts);
	ck_assert_msg(ctx, "%s", eun_last_error());
	ck_assert_uint_eq(eun_ctx_max_latency_ms(ctx), 7);
	ck_assert_uint_eq(eun_plugin_count(ctx), 0);
	eun_ctx_free(ctx);
}
END_TEST

int main()
{
	Suite *s = suite_create("cxx_embed");
	TCase *tc = tcase_create("cxx");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, cxx_plugin_loads_by_its_plain_entry_symbol);
	tcase_add_test(tc, cxx_tracker_decodes_injected_samples);
	tcase_add_test(tc, cxx_opts_without_designators);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
