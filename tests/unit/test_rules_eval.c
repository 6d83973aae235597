/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Rules against events: operators on every field type, fields an event
 * lacks, aliases, evt.type, exceptions, overrides, the per-event-type
 * index, all/first matching, alerts and counters. Events are records
 * built from the plugins' schemas and injected; nothing runs in the kernel. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "rules_helpers.h"

/* A ruleset of one rule "r" with condition cond (its output names no field). */
static struct eun_rules *one_rule(struct eun_ctx *ctx, const char *cond)
{
	char yaml[2048];

	snprintf(yaml, sizeof(yaml), "- rule: r\n  condition: >-\n    %s\n  output: x\n  priority: debug\n"
		 "  warn_evttypes: false\n", cond);
	return rules_from(ctx, yaml, 0);
}

/* Does cond match the event in rc? */
static bool matches(struct eun_ctx *ctx, const char *cond, struct rec *rc)
{
	struct eun_rules *r = one_rule(ctx, cond);
	int n = rules_feed(r, rc, NULL, NULL);

	ck_assert_int_ge(n, 0);
	eun_rules_free(r);
	return n == 1;
}

#define MATCH(ctx, cond, rc) ck_assert_msg(matches((ctx), (cond), (rc)), "should match: %s", (cond))
#define NO_MATCH(ctx, cond, rc) ck_assert_msg(!matches((ctx), (cond), (rc)), "should not match: %s", (cond))

static void alpha(struct rec *rc, struct eun_ctx *ctx)
{
	rec_init(rc, ctx, "fixture", "alpha");
	rec_int(rc, "big", (int64_t)UINT64_MAX);
	rec_int(rc, "ret", -2);
	rec_int(rc, "mask", 0xbeef);
	rec_int(rc, "delta", -7);
	rec_int(rc, "port", 8080);
	rec_int(rc, "level", 200);
	rec_int(rc, "ok", 1);
	rec_str(rc, "label", "hello");
}

START_TEST(numbers_and_strings)
{
	static const struct {
		const char *cond;
		bool match;
	} cases[] = {
		{ "fixture.big > 9223372036854775807", true },  /* a u64 above INT64_MAX */
		{ "fixture.big = 18446744073709551615", true },
		{ "fixture.big = 0xffffffffffffffff", true },
		{ "fixture.ret < 0 and fixture.ret = -2 and fixture.ret >= -2", true },
		{ "fixture.ret > -2", false },
		{ "fixture.delta = -7 and fixture.delta != 7", true },
		{ "fixture.port in (80, 8080) and fixture.port <= 8080", true },
		{ "fixture.port in (80, 443)", false },
		{ "fixture.level >= 200 and fixture.level < 201", true },
		{ "fixture.mask = 0xbeef and fixture.mask = 48879", true },
		{ "fixture.ok = true", true },
		{ "fixture.ok = false or fixture.ok != true", false },
		{ "fixture.label = hello and fixture.label = 'hello' and fixture.label = \"hello\"", true },
		{ "fixture.label = hell", false },
		{ "fixture.label contains ll and fixture.label startswith he and fixture.label endswith llo", true },
		{ "fixture.label contains lx or fixture.label startswith hello! or fixture.label endswith xhello", false },
		{ "fixture.label icontains ELL and fixture.label icontains ''", true },
		{ "fixture.label glob 'h*o' and fixture.label glob 'h?llo' and fixture.label glob '[a-h]ello'", true },
		{ "fixture.label glob '*' and fixture.label glob '*l*l*' and fixture.label glob '[!x]*'", true },
		{ "fixture.label glob 'h*x' or fixture.label glob '?' or fixture.label glob '[' or fixture.label glob 'hell'", false },
		{ "fixture.label in (a, hello, b)", true },
		{ "fixture.label in ()", false },
		/* Header columns and names. */
		{ "pid = 100 and tid = 100 and uid = 1000 and comm = tester and proc.name = tester", true },
		{ "tracker = fixture and type = alpha and evt.type = fixture.alpha", true },
		{ "evt.type in (fixture.beta, files.open)", false },
		{ "fixture.pid = 100 and fixture.comm = tester and fixture.tracker = fixture", true },
		{ "container_id = '' and container.id = host and container.name = host", true },
		/* Logic. */
		{ "not fixture.ok = false", true },
		{ "fixture.port = 1 or (fixture.level = 200 and not (fixture.ret = 0))", true },
		{ "fixture.port = 1 or fixture.level = 1 and fixture.ok = true", false },
	};
	struct eun_ctx *ctx = rules_ctx();
	struct rec rc;

	alpha(&rc, ctx);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(matches(ctx, cases[i].cond, &rc) == cases[i].match, "%s should %smatch",
			      cases[i].cond, cases[i].match ? "" : "not ");
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(addresses)
{
	static const unsigned char v4[4] = { 192, 168, 0, 1 };
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	struct eun_ctx *ctx = rules_ctx();
	struct rec rc;

	rec_init(&rc, ctx, "fixture", "beta");
	rec_bytes(&rc, "saddr", v4, 4);
	rec_bytes(&rc, "daddr", v6, 16);
	MATCH(ctx, "fixture.saddr = 192.168.0.1 and fixture.saddr != 192.168.0.2", &rc);
	MATCH(ctx, "fixture.saddr in (10.0.0.0/8, 192.168.0.0/16)", &rc);
	MATCH(ctx, "fixture.saddr = 192.168.0.0/23 and fixture.saddr = 0.0.0.0/0", &rc);
	NO_MATCH(ctx, "fixture.saddr = 192.168.1.0/24 or fixture.saddr = 192.168.0.0/32", &rc);
	MATCH(ctx, "fixture.daddr = 2001:db8::1 and fixture.daddr in (2001:db8::/32)", &rc);
	NO_MATCH(ctx, "fixture.daddr = 2001:db8::/128", &rc);
	eun_ctx_free(ctx);
}
END_TEST

/* A field the event does not have makes every comparison with it false,
 * = and != alike; 'not' turns that into true; exists tells. */
START_TEST(missing_fields)
{
	struct eun_ctx *ctx = rules_ctx();
	struct rec rc, beta;

	alpha(&rc, ctx);
	NO_MATCH(ctx, "fixture.path = x", &rc);
	NO_MATCH(ctx, "fixture.path != x", &rc);
	MATCH(ctx, "not fixture.path = x", &rc);
	NO_MATCH(ctx, "fixture.path exists", &rc);
	MATCH(ctx, "fixture.label exists and fixture.port exists", &rc);
	NO_MATCH(ctx, "files.path exists or proc.ppid exists or fd.name = x", &rc);
	rec_init(&beta, ctx, "fixture", "beta");
	rec_str(&beta, "path", "/tmp/x");
	MATCH(ctx, "fixture.path exists and fixture.path = /tmp/x", &beta);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(file_aliases)
{
	struct eun_ctx *ctx = rules_ctx();
	struct rec rc;

	rec_init(&rc, ctx, "files", "open");
	rec_header(&rc, 42, 0, "cat");
	rec_str(&rc, "path", "/etc/ssh/sshd_config");
	rec_str(&rc, "syscall", "openat");
	rec_int(&rc, "flags", O_RDONLY);
	rec_int(&rc, "ret", 3);
	MATCH(ctx, "fd.name = /etc/ssh/sshd_config and fd.directory = /etc/ssh and fd.filename = sshd_config", &rc);
	MATCH(ctx, "fd.name pmatch (/etc/ssh) and fd.name pmatch (/etc/) and fd.name pmatch (/)", &rc);
	NO_MATCH(ctx, "fd.name pmatch (/etc/ss, /etc/ssh/sshd, /usr)", &rc);
	MATCH(ctx, "fd.name pmatch (/etc/ssh/sshd_config)", &rc);
	MATCH(ctx, "evt.type = openat and evt.type in (open, openat) and evt.type != open", &rc);
	NO_MATCH(ctx, "evt.type = open or evt.type = openat2 or evt.type = execve", &rc);
	MATCH(ctx, "evt.is_open_read = true and evt.is_open_write = false", &rc);
	MATCH(ctx, "evt.res = SUCCESS and evt.failed = false and evt.rawres = 3 and fd.num = 3", &rc);
	MATCH(ctx, "proc.name = cat and proc.pid = 42 and user.uid = 0", &rc);
	rec_int(&rc, "flags", O_WRONLY | O_CREAT);
	rec_int(&rc, "ret", -ENOENT);
	rec_str(&rc, "syscall", "open");
	MATCH(ctx, "evt.is_open_write = true and evt.is_open_read = false and evt.type = open", &rc);
	MATCH(ctx, "evt.res = ENOENT and evt.res startswith E and evt.failed = true and fd.num < 0", &rc);
	rec_int(&rc, "flags", O_RDWR);
	MATCH(ctx, "evt.is_open_read = true and evt.is_open_write = true", &rc);
	/* A relative path has no known directory. */
	rec_str(&rc, "path", "notes.txt");
	NO_MATCH(ctx, "fd.directory exists or fd.filename = notes.txt", &rc);
	MATCH(ctx, "fd.name = notes.txt", &rc);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(process_and_network_aliases)
{
	struct eun_ctx *ctx = rules_ctx();
	struct rec exec, conn;

	rec_init(&exec, ctx, "process", "exec");
	rec_header(&exec, 7, 0, "bash");
	rec_str(&exec, "filename", "/usr/bin/bash");
	rec_str(&exec, "args", "/bin/bash -c ls");
	rec_int(&exec, "ppid", 1);
	MATCH(ctx, "evt.type = execve and evt.type = execveat and proc.exepath = /usr/bin/bash", &exec);
	MATCH(ctx, "proc.cmdline = 'bash -c ls' and proc.args = '-c ls' and proc.ppid = 1", &exec);
	MATCH(ctx, "proc.cmdline contains '-c' and process.args startswith /bin/bash", &exec);
	rec_str(&exec, "args", "/bin/bash");
	MATCH(ctx, "proc.cmdline = bash and proc.args = ''", &exec);

	rec_init(&conn, ctx, "tcp", "connect");
	rec_str(&conn, "saddr", "10.0.0.2");
	rec_int(&conn, "sport", 40000);
	rec_str(&conn, "daddr", "10.0.0.9");
	rec_int(&conn, "dport", 443);
	MATCH(ctx, "evt.type = connect and fd.rip = 10.0.0.9 and fd.rport = 443 and fd.lip = 10.0.0.2", &conn);
	MATCH(ctx, "fd.lport = 40000 and fd.sport = 443 and fd.sip = 10.0.0.9 and fd.cport = 40000", &conn);
	NO_MATCH(ctx, "evt.type = accept", &conn);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(containers)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = one_rule(ctx, "container.id != host and container.id = c0ffee and "
				       "container_id = c0ffee and container.type = docker and "
				       "container_runtime = docker and container.name = web and "
				       "container.image.repository = docker.io/library/nginx and "
				       "container.image.tag = '1.25' and k8s.pod.uid = p-1");
	EUN_OPTS(eun_container_info, cont);
	EUN_OPTS(eun_rules_eval_opts, opts, .container = &cont, .ts = 1700000000123456789ull);
	struct alerts al = { 0 };
	struct rec rc;

	alpha(&rc, ctx);
	strcpy(cont.id, "c0ffee");
	strcpy(cont.runtime, "docker");
	strcpy(cont.name, "web");
	strcpy(cont.image, "docker.io/library/nginx:1.25");
	strcpy(cont.pod_uid, "p-1");
	ck_assert_int_eq(rules_feed(r, &rc, &al, &opts), 1);
	ck_assert_ptr_nonnull(strstr(al.json[0], "\"time\":\"2023-11-14T22:13:20.123456789Z\",\"ts\":1700000000123456789,"));
	ck_assert_ptr_nonnull(strstr(al.json[0], "\"container_id\":\"c0ffee\""));
	/* The same event from the host. */
	ck_assert_int_eq(rules_feed(r, &rc, NULL, NULL), 0);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

/* An event meets only the rules indexed under its tracker and event type. */
START_TEST(event_type_index)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: on alpha\n  condition: evt.type = fixture.alpha\n  output: x\n  priority: debug\n"
		"- rule: on beta\n  condition: fixture.path exists\n  output: x\n  priority: debug\n"
		"- rule: on opens\n  condition: evt.type = openat and fd.name = x\n  output: x\n  priority: debug\n"
		"- rule: on label\n  condition: fixture.label = hello\n  output: x\n  priority: debug\n", 0);
	struct rec a, b;

	ck_assert_str_eq(rules_info(r, "on alpha").events, "fixture.alpha");
	ck_assert_str_eq(rules_info(r, "on beta").events, "fixture.beta");
	ck_assert_str_eq(rules_info(r, "on opens").events, "files.open");
	ck_assert_str_eq(rules_info(r, "on label").events, "fixture.alpha,fixture.beta");
	alpha(&a, ctx);
	ck_assert_int_eq(rules_feed(r, &a, NULL, NULL), 2);
	ck_assert_int_eq(rules_feed(r, &a, NULL, NULL), 2);
	rec_init(&b, ctx, "fixture", "beta");
	ck_assert_int_eq(rules_feed(r, &b, NULL, NULL), 1);
	ck_assert_uint_eq(rules_info(r, "on alpha").evaluations, 2);
	ck_assert_uint_eq(rules_info(r, "on alpha").matches, 2);
	ck_assert_uint_eq(rules_info(r, "on beta").evaluations, 1);
	ck_assert_uint_eq(rules_info(r, "on beta").matches, 1);
	ck_assert_uint_eq(rules_info(r, "on opens").evaluations, 0);
	ck_assert_uint_eq(rules_info(r, "on label").evaluations, 3);
	ck_assert_uint_eq(rules_info(r, "on label").matches, 2);
	ck_assert_uint_gt(rules_info(r, "on label").ns, 0);
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(all_or_first_match)
{
	static const char *yaml =
		"- rule: one\n  condition: fixture.port = 8080\n  output: x\n  priority: debug\n"
		"- rule: two\n  condition: fixture.level = 200\n  output: x\n  priority: debug\n"
		"- rule: three\n  condition: fixture.level = 1\n  output: x\n  priority: debug\n"
		"- rule: four\n  condition: fixture.ok = true\n  output: x\n  priority: debug\n";
	struct eun_ctx *ctx = rules_ctx();
	EUN_OPTS(eun_rules_opts, first, .first_match = true);
	struct eun_rules *r = rules_from(ctx, yaml, 0), *f = eun_rules_new(ctx, &first);
	struct alerts al = { 0 };
	struct rec rc;

	alpha(&rc, ctx);
	ck_assert_int_eq(rules_feed(r, &rc, &al, NULL), 3);
	ck_assert_int_eq(al.n, 3);
	ck_assert_str_eq(al.rules[0], "one");
	ck_assert_str_eq(al.rules[1], "two");
	ck_assert_str_eq(al.rules[2], "four");
	/* The callback's negative return stops the evaluation and comes back. */
	memset(&al, 0, sizeof(al));
	al.stop_after = 2;
	ck_assert_int_eq(rules_feed(r, &rc, &al, NULL), -ECANCELED);
	ck_assert_int_eq(al.n, 2);
	ck_assert_uint_eq(rules_info(r, "four").evaluations, 1);

	ck_assert_int_eq(eun_rules_load_string(f, "t.yaml", yaml, strlen(yaml)), 0);
	ck_assert_int_eq(eun_rules_compile(f), 0);
	memset(&al, 0, sizeof(al));
	ck_assert_int_eq(rules_feed(f, &rc, &al, NULL), 1);
	ck_assert_int_eq(al.n, 1);
	ck_assert_str_eq(al.rules[0], "one");
	ck_assert_uint_eq(rules_info(f, "two").evaluations, 0);
	eun_rules_free(r);
	eun_rules_free(f);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(exceptions)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- list: readers\n  items: [sshd, login]\n"
		"- rule: r\n"
		"  condition: evt.type = openat and fd.name startswith /etc\n"
		"  output: x\n"
		"  priority: debug\n"
		"  exceptions:\n"
		"    - name: tuples\n"
		"      fields: [proc.name, fd.name]\n"
		"      comps: [=, pmatch]\n"
		"      values:\n"
		"        - [cat, [/etc/hosts, /etc/ssl]]\n"
		"        - [vi, [/etc/vim]]\n"
		"    - name: by_name\n"
		"      fields: proc.name\n"
		"      comps: in\n"
		"      values: [readers, cron]\n"
		"    - name: no_values_yet\n"
		"      fields: [proc.name]\n"
		"- rule: r\n"
		"  exceptions:\n"
		"    - name: by_name\n"
		"      values: [dpkg]\n"
		"    - name: ends\n"
		"      fields: fd.name\n"
		"      comps: endswith\n"
		"      values: [.bak, .tmp]\n"
		"  override:\n"
		"    exceptions: append\n", 0);
	static const struct {
		const char *comm, *path;
		int alerts;
	} cases[] = {
		{ "cat", "/etc/shadow", 1 },
		{ "cat", "/etc/hosts", 0 },
		{ "cat", "/etc/ssl/certs/a.pem", 0 },
		{ "vi", "/etc/ssl/x", 1 },
		{ "vi", "/etc/vim/vimrc", 0 },
		{ "sshd", "/etc/shadow", 0 },
		{ "cron", "/etc/shadow", 0 },
		{ "dpkg", "/etc/shadow", 0 },
		{ "bash", "/etc/passwd.bak", 0 },
		{ "bash", "/etc/passwd", 1 },
	};
	struct rec rc;

	rec_init(&rc, ctx, "files", "open");
	rec_str(&rc, "syscall", "openat");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rec_header(&rc, 1, 0, cases[i].comm);
		rec_str(&rc, "path", cases[i].path);
		ck_assert_msg(rules_feed(r, &rc, NULL, NULL) == cases[i].alerts, "%s opening %s",
			      cases[i].comm, cases[i].path);
	}
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(appends_change_matching)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- list: shells\n  items: [sh]\n"
		"- list: more_shells\n  items: [zsh]\n"
		"- list: shells\n  items: [bash, more_shells]\n  override:\n    items: append\n"
		"- macro: shell\n  condition: proc.name in (shells)\n"
		"- macro: shell\n  condition: or proc.name = fish\n  append: true\n"
		"- rule: r\n  condition: evt.type = execve and (shell)\n  output: x\n  priority: debug\n"
		"- rule: r\n  condition: and not proc.exepath = /bin/sh\n  append: true\n", 0);
	static const struct {
		const char *comm, *exe;
		int alerts;
	} cases[] = {
		{ "sh", "/usr/bin/sh", 1 }, { "bash", "/usr/bin/bash", 1 }, { "zsh", "/bin/zsh", 1 },
		{ "fish", "/usr/bin/fish", 1 }, { "sh", "/bin/sh", 0 }, { "python3", "/usr/bin/python3", 0 },
	};
	struct rec rc;

	rec_init(&rc, ctx, "process", "exec");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rec_header(&rc, 1, 0, cases[i].comm);
		rec_str(&rc, "filename", cases[i].exe);
		ck_assert_msg(rules_feed(r, &rc, NULL, NULL) == cases[i].alerts, "%s (%s)", cases[i].comm,
			      cases[i].exe);
	}
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(alert_record)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *r = rules_from(ctx,
		"- rule: Shadow opened\n"
		"  desc: d\n"
		"  condition: evt.type = openat and fd.name = /etc/shadow\n"
		"  output: >-\n"
		"    %proc.name opened %fd.name (flags=%files.flags ret=%files.ret parent=%proc.pname\n"
		"    type=%evt.type read=%evt.is_open_read) 100%, %proc.name.\n"
		"  priority: WARNING\n"
		"  tags: [filesystem, T1555]\n", 0);
	EUN_OPTS(eun_rules_eval_opts, opts, .ts = 1000000000000000000ull);
	struct alerts al = { 0 };
	struct rec rc;
	char want[2048];

	rec_init(&rc, ctx, "files", "open");
	rec_header(&rc, 4242, 0, "cat");
	rec_str(&rc, "path", "/etc/shadow");
	rec_str(&rc, "syscall", "openat");
	rec_int(&rc, "flags", 0x80000);
	rec_int(&rc, "ret", 3);
	rec_int(&rc, "dfd", -100);
	ck_assert_int_eq(rules_feed(r, &rc, &al, &opts), 1);
	snprintf(want, sizeof(want),
		 "{\"time\":\"2001-09-09T01:46:40.000000000Z\",\"ts\":1000000000000000000,"
		 "\"rule\":\"Shadow opened\",\"priority\":\"Warning\",\"tags\":[\"filesystem\",\"T1555\"],"
		 "\"output\":\"cat opened /etc/shadow (flags=0x80000 ret=3 parent=<NA> type=files.open "
		 "read=true) 100%%, cat.\","
		 "\"output_fields\":{\"proc.name\":\"cat\",\"fd.name\":\"/etc/shadow\",\"files.flags\":524288,"
		 "\"files.ret\":3,\"proc.pname\":null,\"evt.type\":\"files.open\",\"evt.is_open_read\":true},"
		 "\"ruleset\":\"%s\",\"hostname\":\"", eun_rules_sha256(r));
	ck_assert_msg(!strncmp(al.json[0], want, strlen(want)), "%s\n!=\n%s", al.json[0], want);
	ck_assert_ptr_nonnull(strstr(al.json[0],
		"\",\"tracker\":\"files\",\"type\":\"open\",\"pid\":4242,\"comm\":\"cat\",\"container_id\":\"\","
		"\"fields\":{\"path\":\"/etc/shadow\",\"flags\":524288,\"mode\":0,\"dfd\":-100,\"ret\":3,"
		"\"syscall\":\"openat\"}}"));
	eun_rules_free(r);
	eun_ctx_free(ctx);
}
END_TEST

START_TEST(eval_refused)
{
	struct eun_ctx *ctx = rules_ctx();
	struct eun_rules *bad = rules_from(ctx, "- rule: r\n  condition: files.pth = x\n  output: x\n"
					   "  priority: debug\n", -EINVAL);
	struct eun_rules *fresh = eun_rules_new(ctx, NULL);
	struct rec rc;

	alpha(&rc, ctx);
	ck_assert_int_eq(rules_feed(bad, &rc, NULL, NULL), -EINVAL);
	ck_assert_int_eq(rules_feed(fresh, &rc, NULL, NULL), -EINVAL);
	eun_rules_free(bad);
	eun_rules_free(fresh);
	eun_ctx_free(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules_eval");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, numbers_and_strings);
	tcase_add_test(tc, addresses);
	tcase_add_test(tc, missing_fields);
	tcase_add_test(tc, file_aliases);
	tcase_add_test(tc, process_and_network_aliases);
	tcase_add_test(tc, containers);
	tcase_add_test(tc, event_type_index);
	tcase_add_test(tc, all_or_first_match);
	tcase_add_test(tc, exceptions);
	tcase_add_test(tc, appends_change_matching);
	tcase_add_test(tc, alert_record);
	tcase_add_test(tc, eval_refused);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
