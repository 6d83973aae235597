/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Loading rules: YAML problems at their place, the items and their keys,
 * overrides and appends in load order, directories, the ruleset's sha256,
 * API misuse, and arbitrary bytes (the fuzzing entry point). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rules_helpers.h"

#ifndef EUN_TEST_RULES_DIR
#error "EUN_TEST_RULES_DIR must be defined by the build"
#endif

#define HAS(r, text) ck_assert_msg(rules_has_message((r), (text)), "no message\n  %s\namong\n%s", \
				   (text), rules_messages(r))

START_TEST(yaml_problems)
{
	static const struct {
		const char *yaml, *message;
	} cases[] = {
		{ "- rule: r\n  condition: [a\n  output: x\n",
		  "t.yaml:3:9: error: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence" },
		{ "- rule: &x r\n  condition: a\n",
		  "t.yaml:1:9: error: invalid YAML: YAML anchors (&x) and aliases are not supported" },
		{ "- rule: r\n  condition: a\n  condition: b\n",
		  "t.yaml:3:3: error: invalid YAML: duplicate key 'condition' (first given at line 2)" },
		{ "rule: x\n", "t.yaml:1:1: error: a rules file is a sequence of items (- rule:, - macro:, "
		  "- list:), not a mapping" },
		{ "- rules: r\n", "t.yaml:1:3: error: unknown item 'rules'; did you mean 'rule'?" },
		{ "- 3\n", "t.yaml:1:3: error: each item must be a mapping: - rule:, - macro:, - list: or "
		  "- required_engine_version:" },
		{ "- rule: a\n  macro: b\n", "t.yaml:1:3: error: an item cannot be both a rule and a macro" },
		{ "- rule: r\n  conditon: a\n", "t.yaml:2:3: error: rule 'r': unknown key 'conditon'; did you "
		  "mean 'condition'?" },
		{ "- rule: r\n  condition: a\n  output: x\n", "t.yaml:1:3: error: rule 'r': rule has no 'priority'" },
		{ "- rule: r\n  condition: pid = 1\n  output: x\n  priority: urgent\n",
		  "t.yaml:4:13: error: rule 'r': unknown priority 'urgent' (emergency, alert, critical, error, "
		  "warning, notice, informational or debug)" },
		{ "- rule: r\n  condition: pid = 1\n  output: x\n  priority: notic\n",
		  "t.yaml:4:13: error: rule 'r': unknown priority 'notic'; did you mean 'notice'?" },
		{ "- rule: r\n  condition: pid = 1\n  output: x\n  priority: debug\n  enabled: maybe\n",
		  "t.yaml:5:12: error: rule 'r': 'enabled' must be true or false, not 'maybe'" },
		{ "- rule: r\n  condition: [pid]\n  output: x\n  priority: debug\n",
		  "t.yaml:2:14: error: rule 'r': 'condition' must be a single value, not a sequence" },
		{ "- rule: r\n  condition: pid = 1\n  output: x\n  priority: debug\n  tags: t\n",
		  "t.yaml:5:9: error: rule 'r': 'tags' must be a sequence such as [a, b]" },
		{ "- list: l\n  items: [a, [b]]\n", "t.yaml:2:14: error: list 'l': each entry of 'items' must "
		  "be a single value, not a sequence" },
		{ "- macro: m\n", "t.yaml:1:3: error: macro 'm': macro has no 'condition'" },
		{ "- rule: \"\"\n", "t.yaml:1:9: error: the name of a rule must be a non-empty text" },
		{ "- required_engine_version: 99.0.0\n", "t.yaml:1:28: error: the file requires engine "
		  "version 99.0.0; this engine reads files of version 0.62.0 and earlier" },
		{ "- required_engine_version: 0.x\n", "t.yaml:1:28: error: required_engine_version '0.x' is "
		  "no version such as 0.31.0" },
		{ "- rule: r\n  enabled: false\n", "t.yaml:1:3: error: rule 'r': rule 'r' is not defined by an "
		  "earlier item (an item with only 'enabled' changes an earlier rule)" },
	};
	struct eun_ctx *ctx = rules_ctx();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct eun_rules *r = rules_from(ctx, cases[i].yaml, -EINVAL);

		HAS(r, cases[i].message);
		ck_assert_msg(eun_rules_diag_count(r) == 1, "case %zu: %s", i, rules_messages(r));
		eun_rules_free(r);
	}
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(accepted_forms)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"---\n"
		"- required_engine_version: 8\n"
		"- required_engine_version: 0.57.0\n"
		"- required_plugin_versions:\n"
		"    - name: container\n"
		"      version: 0.4.0\n"
		"- rule: r\n"
		"  condition: pid = 1\n"
		"  output: x\n"
		"  priority: INFO\n"
		"  source: k8s_audit\n"
		"  capture: true\n"
		"  warn_evttypes: false\n"
		"  skip-if-unknown-filter: true\n"
		"  tags: []\n"
		"---\n"
		"# an empty document\n", 0);
	struct eun_rule_info info = rules_info(r, "r");

	HAS(r, "t.yaml:4:3: warning: required_plugin_versions is ignored: this engine loads no Falco "
	       "plugins; each rule's fields are checked instead");
	HAS(r, "t.yaml:11:11: warning: rule 'r': source 'k8s_audit' is ignored: rules are checked against "
	       "the events of the loaded trackers");
	HAS(r, "t.yaml:7:3: warning: rule 'r': 'capture' is ignored: this engine makes no captures");
	ck_assert_uint_eq(eun_rules_diag_count(r), 3); /* warn_evttypes: false: no warning for pid = 1 */
	ck_assert_int_eq(info.priority, EUN_PRIORITY_INFORMATIONAL);
	ck_assert_uint_eq(info.n_tags, 0);
	ck_assert_str_eq(info.desc, "");
	ck_assert_str_eq(info.file, "t.yaml");
	ck_assert_uint_eq(info.line, 7);
	ck_assert_uint_eq(info.column, 3);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

/* Positions inside quoted, folded and appended conditions. */
START_TEST(positions)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: r\n"
		"  condition: \"proc.name = \\\"a\\\" and files.pth = x\"\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: s\n"
		"  condition: >\n"
		"    proc.name = a and\n"
		"      files.pth = x\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: s\n"
		"  override:\n"
		"    condition: append\n"
		"  condition: and files.pht = 1\n"
		"- rule: t\n"
		"  condition: 'proc.name = ''it\\''s'' and files.ptj = 1'\n"
		"  output: x\n"
		"  priority: debug\n", -EINVAL);

	HAS(r, "t.yaml:2:37: error: rule 'r': no field 'files.pth'; did you mean 'files.path'?");
	HAS(r, "t.yaml:8:7: error: rule 's': no field 'files.pth'; did you mean 'files.path'?");
	HAS(r, "t.yaml:14:18: error: rule 's': no field 'files.pht'; did you mean 'files.path'?");
	HAS(r, "t.yaml:16:42: error: rule 't': no field 'files.ptj'; did you mean 'files.path'?");
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(override_errors)
{
	static const struct {
		const char *yaml, *message;
	} cases[] = {
		{ "- rule: r\n  override:\n    condition: append\n  condition: and pid = 1\n",
		  "t.yaml:1:3: error: rule 'r': overrides rule 'r', but no earlier item defines it" },
		{ "- rule: r\n  append: true\n  condition: and pid = 1\n",
		  "t.yaml:1:3: error: rule 'r': appends to rule 'r', but no earlier item defines it" },
		{ "- list: l\n  items: [a]\n  override:\n    items: append\n",
		  "t.yaml:1:3: error: list 'l': overrides list 'l', but no earlier item defines it" },
		{ "- macro: m\n  condition: x\n  append: true\n",
		  "t.yaml:1:3: error: macro 'm': appends to macro 'm', but no earlier item defines it" },
		{ "- rule: r\n  override:\n    output: replace\n",
		  "t.yaml:3:5: error: rule 'r': override names 'output', but the item gives no output" },
		{ "- rule: r\n  override:\n    condition: append\n  condition: x\n  priority: debug\n",
		  "t.yaml:5:3: error: rule 'r': 'priority' is not named in override: (say priority: append or "
		  "priority: replace)" },
		{ "- rule: r\n  override:\n    priority: append\n  priority: debug\n",
		  "t.yaml:3:5: error: rule 'r': 'priority' cannot be appended to; only replaced" },
		{ "- rule: r\n  override:\n    enabled: add\n  enabled: true\n",
		  "t.yaml:3:14: error: rule 'r': override of 'enabled' must be append or replace" },
		{ "- rule: r\n  override:\n    rule: replace\n",
		  "t.yaml:3:5: error: rule 'r': 'rule' cannot be replaced: it is no key to override" },
		{ "- rule: r\n  append: true\n  override:\n    condition: append\n  condition: x\n",
		  "t.yaml:2:11: error: rule 'r': give either append: or override:, not both" },
		{ "- rule: r\n  append: true\n  output: x\n",
		  "t.yaml:3:3: error: rule 'r': with append: true only condition and exceptions can be given, "
		  "not 'output' (use override:)" },
	};
	struct eun_ctx *ctx = rules_ctx();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct eun_rules *r = rules_from(ctx, cases[i].yaml, -EINVAL);

		HAS(r, cases[i].message);
		ck_assert_msg(eun_rules_diag_count(r) == 1, "case %zu: %s", i, rules_messages(r));
		eun_rules_free(r);
	}
	eun_ctx_free(ctx);
}
END_TEST

/* Later items change earlier ones: override, append, redefinition, enabled. */
START_TEST(overrides_apply_in_order)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: first\n"
		"  desc: one\n"
		"  condition: evt.type = execve\n"
		"  output: x\n"
		"  priority: debug\n"
		"  tags: [a]\n"
		"- rule: second\n"
		"  condition: evt.type = openat\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: first\n"
		"  desc: two\n"
		"  priority: critical\n"
		"  tags: [b, a]\n"
		"  override:\n"
		"    desc: append\n"
		"    priority: replace\n"
		"    tags: append\n"
		"- rule: second\n"
		"  enabled: false\n"
		"- rule: third\n"
		"  condition: evt.type = connect\n"
		"  output: x\n"
		"  priority: debug\n"
		"  enabled: false\n"
		"- rule: third\n"
		"  enabled: true\n"
		"  override:\n"
		"    enabled: replace\n"
		"- rule: second\n"
		"  condition: evt.type = connect\n"
		"  output: redefined\n"
		"  priority: alert\n"
		"  enabled: false\n", 0);
	struct eun_rule_info info;

	ck_assert_uint_eq(eun_rules_rule_count(r), 3);
	info = rules_info(r, "first");
	ck_assert_str_eq(info.desc, "one two");
	ck_assert_int_eq(info.priority, EUN_PRIORITY_CRITICAL);
	ck_assert_uint_eq(info.n_tags, 2);
	ck_assert_str_eq(info.tags[0], "a");
	ck_assert_str_eq(info.tags[1], "b");
	ck_assert_int_eq(info.status, EUN_RULE_LOADED);
	/* A whole new definition replaces the old one, in its place (second of three). */
	{
		EUN_OPTS(eun_rule_info, at1);

		ck_assert_int_eq(eun_rules_rule_at(r, 1, &at1), 0);
		ck_assert_str_eq(at1.name, "second");
		ck_assert_int_eq(at1.priority, EUN_PRIORITY_ALERT);
		ck_assert_int_eq(at1.status, EUN_RULE_DISABLED);
		ck_assert_str_eq(at1.events, "tcp.connect");
		ck_assert_uint_eq(at1.line, 30); /* where the definition now in force begins */
	}
	info = rules_info(r, "third");
	ck_assert_int_eq(info.status, EUN_RULE_LOADED);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(exception_errors)
{
	static const struct {
		const char *exc, *message;
	} cases[] = {
		{ "    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a]]\n",
		  "t.yaml:8:16: error: rule 'r': exception 'e' has 2 fields, so each of its values must be a "
		  "sequence of 2" },
		{ "    - name: e\n      fields: [proc.name, fd.name]\n      comps: [=]\n",
		  "t.yaml:8:14: error: rule 'r': exception 'e' needs one comparison per field (2), not 1" },
		{ "    - name: e\n      field: proc.name\n",
		  "t.yaml:7:7: error: rule 'r': unknown exception key 'field'; did you mean 'fields'?" },
		{ "    - fields: proc.name\n", "t.yaml:6:7: error: rule 'r': an exception needs a name" },
		{ "    - name: e\n      values: [a]\n", "t.yaml:6:13: error: rule 'r': exception 'e' has no fields" },
		{ "    - name: e\n      fields: proc.name\n      comps: like\n      values: [a]\n",
		  "t.yaml:8:14: error: rule 'r': exception 'e': unknown comparison 'like'" },
		{ "    - name: e\n      fields: files.pth\n      values: [a]\n",
		  "t.yaml:7:15: error: rule 'r': no field 'files.pth'; did you mean 'files.path'?" },
		{ "    - name: e\n      fields: files.ret\n      comps: '>'\n      values: [a]\n",
		  "t.yaml:9:16: error: rule 'r': 'a' is not a number ('files.ret' is s64)" },
		{ "    - name: e\n      fields: proc.name\n    - name: e\n      fields: proc.name\n",
		  "t.yaml:8:13: error: rule 'r': exception 'e' is given twice" },
	};
	struct eun_ctx *ctx = rules_ctx();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char yaml[1024];
		struct eun_rules *r;

		snprintf(yaml, sizeof(yaml), "- rule: r\n  condition: evt.type = openat\n  output: x\n"
			 "  priority: debug\n  exceptions:\n%s", cases[i].exc);
		r = rules_from(ctx, yaml, -EINVAL);
		HAS(r, cases[i].message);
		ck_assert_msg(eun_rules_diag_count(r) == 1, "case %zu: %s", i, rules_messages(r));
		eun_rules_free(r);
	}
	eun_ctx_free(ctx);
}
END_TEST

/* A directory: its *.yaml and *.yml files in name order, nothing else. */
START_TEST(directory)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = eun_rules_new(ctx, NULL);
	struct eun_rule_info info;

	ck_assert_int_eq(eun_rules_load_file(r, EUN_TEST_RULES_DIR "/dir"), 0);
	ck_assert_int_eq(eun_rules_compile(r), 0);
	ck_assert_msg(eun_rules_diag_count(r) == 0, "%s", rules_messages(r));
	info = rules_info(r, "Opened below a watched directory");
	ck_assert_int_eq(info.priority, EUN_PRIORITY_WARNING);
	ck_assert_uint_eq(info.n_tags, 2);
	ck_assert_str_eq(info.tags[1], "tuned");
	ck_assert_str_eq(info.file, EUN_TEST_RULES_DIR "/dir/10-base.yaml");
	ck_assert_str_eq(info.events, "files.open");
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(sha256)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = eun_rules_new(ctx, NULL);
	char big[200];

	/* FIPS 180-2 examples: "", "abc", and a two-block message. */
	ck_assert_str_eq(eun_rules_sha256(r), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ck_assert_int_eq(eun_rules_load_string(r, "a", "a", 1), 0);
	ck_assert_int_eq(eun_rules_load_string(r, "b", "bc", 2), 0);
	/* Concatenated in load order: the same as one "abc". */
	ck_assert_str_eq(eun_rules_sha256(r), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	eun_rules_free(r);
	r = eun_rules_new(ctx, NULL);
	ck_assert_int_eq(eun_rules_load_string(r, NULL, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
						56), 0);
	ck_assert_str_eq(eun_rules_sha256(r), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	eun_rules_free(r);
	/* 200 bytes of '#' comments: more than three blocks. */
	memset(big, '#', sizeof(big));
	r = eun_rules_new(ctx, NULL);
	ck_assert_int_eq(eun_rules_load_string(r, NULL, big, sizeof(big)), 0);
	ck_assert_str_eq(eun_rules_sha256(r), "bade86967017b83f186a2e33d78f9c071c0dc1abe1e2079b052cfe38bdbd0c20");
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(api_misuse)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r;
	struct { size_t sz; bool first_match; char future[8]; } too_new = { sizeof(too_new), false, { 1 } };

	errno = 0;
	ck_assert_ptr_null(eun_rules_new(NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(eun_rules_new(ctx, (const struct eun_rules_opts *)&too_new));
	ck_assert_int_eq(errno, EINVAL);
	r = eun_rules_new(ctx, NULL);
	ck_assert_int_eq(eun_rules_load_file(r, "/nonexistent/rules.yaml"), -ENOENT);
	ck_assert_str_eq(eun_last_error(), "no rules file or directory /nonexistent/rules.yaml");
	ck_assert_int_eq(eun_rules_eval(r, NULL, NULL), -EINVAL);
	ck_assert_int_eq(eun_rules_compile(r), 0);
	ck_assert_int_eq(eun_rules_compile(r), -EALREADY);
	ck_assert_int_eq(eun_rules_load_string(r, NULL, "", 0), -EBUSY);
	ck_assert_uint_eq(eun_rules_rule_count(r), 0);
	{
		EUN_OPTS(eun_rule_info, info);
		EUN_OPTS(eun_rules_diag, d);

		ck_assert_int_eq(eun_rules_rule_at(r, 0, &info), -ERANGE);
		ck_assert_int_eq(eun_rules_diag_at(r, 0, &d), -ERANGE);
		d.sz = 0;
		ck_assert_int_eq(eun_rules_diag_at(r, 0, &d), -EINVAL);
	}
	eun_rules_free(r);
	eun_rules_free(NULL);

	/* A compile with errors names the first one and the count. */
	r = eun_rules_new(ctx, NULL);
	ck_assert_int_eq(eun_rules_load_string(r, "x.yaml", "- rule: a\n- rule: b\n", 20), 0);
	ck_assert_int_eq(eun_rules_compile(r), -EINVAL);
	ck_assert_str_eq(eun_last_error(), "x.yaml:1:3: error: rule 'a': rule has no 'condition' (6 errors in all)");
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

/* Any bytes: loads and compiles without crashing (what a fuzzer does). */
START_TEST(arbitrary_bytes)
{
	static const char *const seeds[] = {
		"- rule: r\n  condition: (((((\n  output: %\n  priority: debug\n",
		"- list: l\n  items: [l]\n- rule: r\n  condition: pid in (l)\n  output: x\n  priority: debug\n",
		"- macro: m\n  condition: m\n- rule: r\n  condition: m\n  output: \"%%%\"\n  priority: debug\n",
		"- rule: r\n  condition: files.path glob '[' and comm pmatch () and uid in ()\n  output: x\n  priority: debug\n",
		"\xff\xfe\x00- rule",
		"- rule: r\n  exceptions: [{name: e, fields: [a, b], values: [[[x]], y]}]\n",
	};
	struct eun_ctx *ctx = rules_ctx();
	unsigned seed = 12345;

	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct eun_rules *r = eun_rules_new(ctx, NULL);
		size_t len = i == 4 ? 7 : strlen(seeds[i]);

		ck_assert_int_eq(eun_rules_load_string(r, "seed", seeds[i], len), 0);
		ck_assert_int_le(eun_rules_compile(r), 0);
		eun_rules_free(r);
	}
	/* Each seed with random bytes flipped. */
	for (int round = 0; round < 300; round++) {
		const char *s = seeds[round % 4];
		size_t len = strlen(s);
		char buf[256];
		struct eun_rules *r = eun_rules_new(ctx, NULL);
		int rc;

		memcpy(buf, s, len);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % len] = (char)(seed >> 16);
		}
		ck_assert_int_eq(eun_rules_load_string(r, "mutant", buf, len), 0);
		rc = eun_rules_compile(r);
		ck_assert(rc == 0 || rc == -EINVAL);
		eun_rules_free(r);
	}
	eun_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules_load");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, yaml_problems);
	tcase_add_test(tc, accepted_forms);
	tcase_add_test(tc, positions);
	tcase_add_test(tc, override_errors);
	tcase_add_test(tc, overrides_apply_in_order);
	tcase_add_test(tc, exception_errors);
	tcase_add_test(tc, directory);
	tcase_add_test(tc, sha256);
	tcase_add_test(tc, api_misuse);
	tcase_add_test(tc, arbitrary_bytes);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
