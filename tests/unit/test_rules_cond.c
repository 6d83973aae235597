/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Rule conditions: the parser, field resolution and type checks, with the
 * exact messages (file:line:column, suggestions) and what makes a rule
 * "not supported". */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "rules_helpers.h"

#define HAS(r, text) ck_assert_msg(rules_has_message((r), (text)), "no message\n  %s\namong\n%s", \
				   (text), rules_messages(r))

START_TEST(unknown_fields_and_types)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: r1\n"
		"  desc: unknown field, with a suggestion\n"
		"  condition: files.pth startswith /etc\n"
		"  output: \"%files.path\"\n"
		"  priority: warning\n"
		"- rule: r2\n"
		"  desc: a string compared with <\n"
		"  condition: >\n"
		"    evt.type = openat\n"
		"    and files.path < 3\n"
		"  output: x\n"
		"  priority: warning\n"
		"- rule: r3\n"
		"  desc: values of the wrong type\n"
		"  condition: fixture.port = 70000 or fixture.ok = maybe or fixture.delta = 1.5 or fixture.saddr = 10.0.0.300\n"
		"  output: x\n"
		"  priority: warning\n"
		"- rule: r4\n"
		"  desc: nothing close, so the tracker's fields are listed\n"
		"  condition: tcp.zzzzzz = 1\n"
		"  output: x\n"
		"  priority: warning\n"
		"- rule: r5\n"
		"  desc: a misspelled tracker\n"
		"  condition: file.path = /x\n"
		"  output: x\n"
		"  priority: warning\n", -EINVAL);

	HAS(r, "t.yaml:3:14: error: rule 'r1': no field 'files.pth'; did you mean 'files.path'?");
	HAS(r, "t.yaml:10:20: error: rule 'r2': operator '<' needs a number, but 'files.path' is a string");
	HAS(r, "t.yaml:15:29: error: rule 'r3': 70000 is out of range for 'fixture.port' (u16)");
	HAS(r, "t.yaml:15:51: error: rule 'r3': 'maybe' is not true or false ('fixture.ok' is a boolean)");
	HAS(r, "t.yaml:15:76: error: rule 'r3': '1.5' is not a number ('fixture.delta' is s32)");
	HAS(r, "t.yaml:15:99: error: rule 'r3': '10.0.0.300' is not an IPv4 address or network "
	       "('fixture.saddr' is ipv4)");
	HAS(r, "t.yaml:20:14: error: rule 'r4': no field 'tcp.zzzzzz': tracker 'tcp' has saddr, sport, "
	       "daddr, dport, family, owner_pid, owner_comm, latency_ns, duration_ns, bytes_sent, bytes_received");
	HAS(r, "t.yaml:25:14: error: rule 'r5': no field 'file.path'; did you mean 'files.path'?");
	/* Every problem of the load at once: 8 errors, each rule invalid. */
	ck_assert_uint_eq(eun_rules_diag_count(r), 8);
	ck_assert_int_eq(rules_info(r, "r4").status, EUN_RULE_INVALID);
	ck_assert_uint_eq(eun_rules_rule_count(r), 5);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(operators_by_type)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: r\n"
		"  condition: proc.pid contains 3 or files.path startswith (a, b) or fixture.port in 8080\n"
		"    or evt.type startswith open or fixture.ok = (true)\n"
		"  output: x\n"
		"  priority: debug\n", -EINVAL);

	HAS(r, "t.yaml:2:23: error: rule 'r': operator 'contains' needs a string, but 'proc.pid' is a number");
	HAS(r, "t.yaml:2:48: error: rule 'r': operator 'startswith' compares with one value, not a list");
	HAS(r, "t.yaml:3:17: error: rule 'r': evt.type is compared with =, != or in, not 'startswith'");
	HAS(r, "t.yaml:3:47: error: rule 'r': operator '=' compares with one value, not a list (use in)");
	/* "in 8080" (no parentheses) is a one-value list: no message for it. */
	ck_assert_uint_eq(eun_rules_diag_count(r), 4);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(syntax_errors)
{
	/* block: written as a |- block (a YAML scalar cannot start with a
	 * quote), which puts the condition on line 3, at the same column. */
	static const struct {
		const char *cond, *message;
		bool block;
	} cases[] = {
		{ "proc.name = bash sh", "t.yaml:2:31: error: rule 'r': expected 'and', 'or' or the end of "
		  "the condition, found 'sh'", false },
		{ "(proc.name = bash", "t.yaml:2:31: error: rule 'r': expected ')' to close the '(' at "
		  "column 14, found the end of the condition", false },
		{ "proc.name in (a, b", "t.yaml:2:32: error: rule 'r': expected ',' or ')' in the list, "
		  "found the end of the condition", false },
		{ "proc.name in (a (b))", "t.yaml:2:30: error: rule 'r': expected ',' or ')' in the list, "
		  "found '('", false },
		{ "proc.name =", "t.yaml:2:25: error: rule 'r': expected a value after '=', found the end "
		  "of the condition", false },
		{ "proc.name bash", "t.yaml:2:24: error: rule 'r': expected an operator after 'proc.name' "
		  "(=, !=, <, in, contains, startswith, exists...), found 'bash'", false },
		{ "and proc.name = x", "t.yaml:2:14: error: rule 'r': expected a field, a macro, 'not' or "
		  "'(' before 'and'", false },
		{ "proc.name = 'bash", "t.yaml:2:26: error: rule 'r': this quoted value has no closing quote", false },
		{ "proc.name ! bash", "t.yaml:2:24: error: rule 'r': '!' is no operator; use != or not", false },
		{ "proc.aname[2 = x", "t.yaml:2:24: error: rule 'r': this '[' has no closing ']'", false },
		{ "tolower(proc.name = x", "t.yaml:2:14: error: rule 'r': 'tolower(' has no closing ')'", false },
		{ "\"bash\" = proc.name", "t.yaml:3:14: error: rule 'r': expected a field or a macro, found "
		  "the quoted value '\"bash\"'", true },
		{ "' ' = x", "t.yaml:3:14: error: rule 'r': expected a field or a macro, found the quoted "
		  "value '' ''", true },
	};
	struct eun_ctx *ctx = rules_ctx();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char yaml[512];
		struct eun_rules *r;

		if (cases[i].block)
			snprintf(yaml, sizeof(yaml), "- rule: r\n  condition: |-\n             %s\n"
				 "  output: x\n  priority: debug\n", cases[i].cond);
		else
			snprintf(yaml, sizeof(yaml), "- rule: r\n  condition: %s\n  output: x\n"
				 "  priority: debug\n", cases[i].cond);
		r = rules_from(ctx, yaml, -EINVAL);
		HAS(r, cases[i].message);
		ck_assert_uint_eq(eun_rules_diag_count(r), 1);
		ck_assert_int_eq(rules_info(r, "r").status, EUN_RULE_INVALID);
		eun_rules_free(r);
	}
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(empty_and_deep)
{
	struct eun_ctx *ctx = rules_ctx();
	char yaml[4096], cond[1024];
	struct eun_rules *r;
	size_t n = 0;

	r = rules_from(ctx, "- rule: r\n  condition: \"  \"\n  output: x\n  priority: debug\n", -EINVAL);
	HAS(r, "t.yaml:2:15: error: rule 'r': the condition is empty");
	eun_rules_free(r);

	/* 150 nested parentheses: past the cap of 100. */
	for (int i = 0; i < 150; i++)
		cond[n++] = '(';
	n += (size_t)snprintf(cond + n, sizeof(cond) - n, "pid = 1");
	for (int i = 0; i < 150; i++)
		cond[n++] = ')';
	cond[n] = '\0';
	snprintf(yaml, sizeof(yaml), "- rule: r\n  condition: %s\n  output: x\n  priority: debug\n", cond);
	r = rules_from(ctx, yaml, -EINVAL);
	HAS(r, "t.yaml:2:114: error: rule 'r': the condition nests deeper than 100 levels");
	eun_rules_free(r);

	/* 100 of them are fine, and so are 100 nots. */
	n = 0;
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(cond + n, sizeof(cond) - n, "not ");
	snprintf(cond + n, sizeof(cond) - n, "pid = 1");
	snprintf(yaml, sizeof(yaml), "- rule: r\n  condition: %s\n  output: x\n  priority: debug\n", cond);
	r = rules_from(ctx, yaml, 0);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(macros_and_lists)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- macro: a\n"
		"  condition: b and proc.name = x\n"
		"- macro: b\n"
		"  condition: a\n"
		"- macro: spawned_process\n"
		"  condition: evt.type = execve\n"
		"- macro: broken\n"
		"  condition: files.patj = x\n"
		"- list: l1\n"
		"  items: [x, l2]\n"
		"- list: l2\n"
		"  items: [l1]\n"
		"- rule: loop\n"
		"  condition: evt.type = execve and a\n"
		"  output: o\n"
		"  priority: debug\n"
		"- rule: lists\n"
		"  condition: proc.name in (l1)\n"
		"  output: o\n"
		"  priority: debug\n"
		"- rule: undefined\n"
		"  condition: spawned_proces and comm\n"
		"  output: o\n"
		"  priority: debug\n", -EINVAL);

	HAS(r, "t.yaml:4:14: error: macro 'b': macro 'a' refers to itself: a -> b -> a");
	/* Reported where the loop closes: l2 names l1. */
	HAS(r, "t.yaml:12:11: error: rule 'lists': list 'l1' contains itself");
	HAS(r, "t.yaml:22:14: error: rule 'undefined': undefined macro 'spawned_proces'; did you mean "
	       "'spawned_process'?");
	HAS(r, "t.yaml:22:33: error: rule 'undefined': 'comm' is a field: compare it (comm = VALUE) or "
	       "test it (comm exists)");
	/* A macro no rule uses is checked all the same. */
	HAS(r, "t.yaml:8:14: error: macro 'broken': no field 'files.patj'; did you mean 'files.path'?");
	ck_assert_uint_eq(eun_rules_diag_count(r), 5);
	ck_assert_int_eq(rules_info(r, "loop").status, EUN_RULE_INVALID);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(macro_depth)
{
	struct eun_ctx *ctx = rules_ctx();
	char yaml[8192];
	size_t n = 0;
	struct eun_rules *r;

	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "- macro: m%d\n  condition: m%d\n", i, i + 1);
	n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "- macro: m40\n  condition: pid = 1\n"
			      "- rule: r\n  condition: m0\n  output: x\n  priority: debug\n");
	r = rules_from(ctx, yaml, -EINVAL);
	HAS(r, "t.yaml:64:14: error: macro 'm31': macros nest deeper than 32 levels");
	ck_assert_int_eq(rules_info(r, "r").status, EUN_RULE_INVALID);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

/* Falco's rules name fields and events the engine has no data for: such a
 * rule loads as "not supported", saying what is missing, and the load goes on. */
START_TEST(not_supported)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: parent\n"
		"  condition: evt.type = execve and proc.pname = bash and proc.aname[2] = sshd\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: ptrace\n"
		"  condition: evt.type = ptrace and proc.name = gdb\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: regex\n"
		"  condition: evt.type = execve and proc.name regex 'a.*'\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: transformer\n"
		"  condition: evt.type = execve and tolower(proc.name) = bash\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: some events\n"
		"  condition: evt.type in (open, openat, creat) and fd.name = /etc/shadow\n"
		"  output: x %proc.tty %user.name\n"
		"  priority: debug\n"
		"- rule: not loaded\n"
		"  condition: ptrace.request = 16\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: typo in a falco name\n"
		"  condition: evt.type = execve and proc.nmae = x\n"
		"  output: x\n"
		"  priority: debug\n", 0);
	struct eun_rule_info info;

	info = rules_info(r, "parent");
	ck_assert_int_eq(info.status, EUN_RULE_UNSUPPORTED);
	ck_assert_str_eq(info.reason, "fields proc.pname, proc.aname[2] are not available");
	info = rules_info(r, "ptrace");
	ck_assert_int_eq(info.status, EUN_RULE_UNSUPPORTED);
	ck_assert_str_eq(info.reason, "event ptrace is not available");
	info = rules_info(r, "regex");
	ck_assert_int_eq(info.status, EUN_RULE_UNSUPPORTED);
	ck_assert_str_eq(info.reason, "operator regex is not available");
	info = rules_info(r, "transformer");
	ck_assert_int_eq(info.status, EUN_RULE_UNSUPPORTED);
	ck_assert_str_eq(info.reason, "field transformer tolower() is not available");
	/* Events that exist still count: a warning names those that do not. */
	info = rules_info(r, "some events");
	ck_assert_int_eq(info.status, EUN_RULE_LOADED);
	ck_assert_str_eq(info.events, "files.open");
	HAS(r, "t.yaml:17:3: warning: rule 'some events': event creat is not available; the rule is "
	       "evaluated on files.open");
	HAS(r, "t.yaml:19:13: warning: rule 'some events': output fields proc.tty, user.name are not "
	       "available: written as <NA>");
	info = rules_info(r, "not loaded");
	ck_assert_int_eq(info.status, EUN_RULE_UNSUPPORTED);
	ck_assert_str_eq(info.reason, "field ptrace.request (no tracker 'ptrace' is loaded) is not available");
	info = rules_info(r, "typo in a falco name");
	ck_assert_int_eq(info.status, EUN_RULE_UNSUPPORTED);
	ck_assert_str_eq(info.reason, "field proc.nmae (did you mean 'proc.name'?) is not available");
	ck_assert_uint_eq(eun_rules_diag_count(r), 2);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

/* Native names: header columns, TRACKER.FIELD, TRACKER.COLUMN, TRACKER.TYPE events. */
START_TEST(native_names)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: header\n"
		"  condition: tracker = files and type = open and comm = cat and uid < 1000 and container_id = ''\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: qualified\n"
		"  condition: files.comm = cat and evt.type in (process.exec, tcp.connect)\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: everywhere\n"
		"  condition: pid = 1\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: never\n"
		"  condition: files.path = x and process.filename = y\n"
		"  output: x\n"
		"  priority: debug\n"
		"- rule: bad event\n"
		"  condition: evt.type = files.opne\n"
		"  output: x\n"
		"  priority: debug\n", -EINVAL);
	struct eun_rule_info info;

	info = rules_info(r, "header");
	ck_assert_int_eq(info.status, EUN_RULE_LOADED);
	ck_assert_str_eq(info.events, "files.open");
	/* files.comm limits to files' events; evt.type to exec and connect: nothing is left. */
	info = rules_info(r, "qualified");
	ck_assert_str_eq(info.events, "");
	HAS(r, "t.yaml:5:3: warning: rule 'qualified': the condition cannot be true for any event of the "
	       "loaded trackers");
	info = rules_info(r, "everywhere");
	ck_assert_int_eq(info.status, EUN_RULE_LOADED);
	ck_assert_ptr_nonnull(strstr(info.events, "files.open,files.io,"));
	HAS(r, "t.yaml:9:3: warning: rule 'everywhere': the condition tests no evt.type or tracker, so it "
	       "is evaluated on every event of every tracker");
	HAS(r, "t.yaml:13:3: warning: rule 'never': the condition cannot be true for any event of the "
	       "loaded trackers");
	HAS(r, "t.yaml:18:25: error: rule 'bad event': no event 'files.opne'; did you mean 'files.open'?");
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules_cond");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, unknown_fields_and_types);
	tcase_add_test(tc, operators_by_type);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, empty_and_deep);
	tcase_add_test(tc, macros_and_lists);
	tcase_add_test(tc, macro_depth);
	tcase_add_test(tc, not_supported);
	tcase_add_test(tc, native_names);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
