/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia-seccomp without the kernel: profiles parsed, checked with
 * libseccomp (which needs no privilege to build and export a filter),
 * refused with the entry named, written, merged and diffed; a profile and
 * capability sets from a saved recording (tests/unit/seccomp/recording.json)
 * with x86_64 and 32-bit x86 calls named per architecture.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <eunomia/eunomia-seccomp.h>

#include "helpers.h"

#ifndef EUN_TEST_SECCOMP_DIR
#error "EUN_TEST_SECCOMP_DIR must be defined by the build"
#endif

#define RECORDING EUN_TEST_SECCOMP_DIR "/recording.json"

static struct eun_seccomp_profile *parse(const char *json)
{
	return eun_seccomp_profile_parse(json, strlen(json), "test.json");
}

/* The refusal of json: NULL, EINVAL, and a message with every needle. */
static void refused(const char *json, const char *needle1, const char *needle2)
{
	struct eun_seccomp_profile *p;

	errno = 0;
	p = parse(json);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_msg(strstr(eun_seccomp_last_error(), needle1), "message '%s' lacks '%s'",
		      eun_seccomp_last_error(), needle1);
	if (needle2)
		ck_assert_msg(strstr(eun_seccomp_last_error(), needle2), "message '%s' lacks '%s'",
			      eun_seccomp_last_error(), needle2);
}

/* The JSON of p as jansson object (the caller frees it). */
static json_t *as_json(const struct eun_seccomp_profile *p)
{
	char *text = eun_seccomp_profile_to_json(p);
	json_t *j;

	ck_assert_ptr_nonnull(text);
	j = json_loads(text, 0, NULL);
	free(text);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* The rule of `action` (and errnoRet when >= 0) naming name, and whether it has args. */
static json_t *rule_naming(json_t *profile, const char *name, const char *action, int errno_ret,
			   size_t skip)
{
	size_t i, j;
	json_t *rule, *n;

	json_array_foreach(json_object_get(profile, "syscalls"), i, rule) {
		if (strcmp(json_string_value(json_object_get(rule, "action")), action))
			continue;
		if (errno_ret >= 0 && json_integer_value(json_object_get(rule, "errnoRet")) != errno_ret)
			continue;
		json_array_foreach(json_object_get(rule, "names"), j, n)
			if (!strcmp(json_string_value(n), name) && !skip--)
				return rule;
	}
	return NULL;
}

static bool has_arch(json_t *profile, const char *arch)
{
	size_t i;
	json_t *a;

	json_array_foreach(json_object_get(profile, "architectures"), i, a)
		if (!strcmp(json_string_value(a), arch))
			return true;
	return false;
}

static const char *good =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
	" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],"
	" \"syscalls\": ["
	"  {\"names\": [\"read\", \"write\", \"exit_group\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"  {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
	"    {\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},"
	"  {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}";

START_TEST(good_profile_round_trip)
{
	struct eun_seccomp_profile *p = parse(good), *q;
	char *text, *diff = NULL;

	ck_assert_msg(p, "%s", eun_seccomp_last_error());
	ck_assert_int_eq(eun_seccomp_profile_check(p), 0);
	text = eun_seccomp_profile_to_json(p);
	q = eun_seccomp_profile_parse(text, strlen(text), "again.json");
	ck_assert_msg(q, "%s", eun_seccomp_last_error());
	ck_assert_int_eq(eun_seccomp_profile_diff(p, q, EUN_SECCOMP_TEXT, &diff), 0);
	ck_assert_ptr_nonnull(strstr(diff, "the profiles allow the same"));
	free(diff);
	free(text);
	eun_seccomp_profile_free(q);
	eun_seccomp_profile_free(p);
}
END_TEST

START_TEST(config_json_linux_seccomp)
{
	char json[2048];
	struct eun_seccomp_profile *p;

	snprintf(json, sizeof(json), "{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": %s}}", good);
	p = parse(json);
	ck_assert_msg(p, "%s", eun_seccomp_last_error());
	eun_seccomp_profile_free(p);
	refused("{\"ociVersion\": \"1.0.2\", \"linux\": {}}", "test.json (linux.seccomp)",
		"no linux.seccomp object");
}
END_TEST

START_TEST(bad_input_names_the_entry)
{
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [}", "test.json:1:",
		"not valid JSON");
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\","
		" \"not_a_syscall\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		"syscalls[0].names[1]", "'not_a_syscall' is not a syscall");
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\","
		" \"SCMP_ARCH_VAX\"], \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		"architectures[1]", "'SCMP_ARCH_VAX' is not an architecture");
	refused("{\"defaultAction\": \"SCMP_ACT_NOPE\"}", "defaultAction", "'SCMP_ACT_NOPE'");
	refused("{\"syscalls\": []}", "defaultAction", "missing");
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
		" \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 6, \"value\": 1,"
		" \"op\": \"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0].index", "out of range");
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
		" \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1,"
		" \"op\": \"SCMP_CMP_ABOUT\"}]}]}", "syscalls[0].args[0].op", "SCMP_CMP_EQ");
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
		" \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}",
		"syscalls[0].includes", "Docker's extension");
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultActon\": \"SCMP_ACT_LOG\"}",
		"defaultActon", "unknown key");
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [],"
		" \"action\": \"SCMP_ACT_ALLOW\"}]}", "syscalls[0]", "at least one syscall name");
	/* Rules exist, but none allows a name: every program would fail. */
	refused("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"clone3\"],"
		" \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}", "syscalls", "no rule allows");
}
END_TEST

START_TEST(load_missing_file)
{
	errno = 0;
	ck_assert_ptr_null(eun_seccomp_profile_load("/nonexistent/profile.json"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_nonnull(strstr(eun_seccomp_last_error(), "/nonexistent/profile.json"));
}
END_TEST

START_TEST(merge_is_a_union)
{
	struct eun_seccomp_profile *a = parse(good), *b, *m, *u;
	const struct eun_seccomp_profile *both[2];
	json_t *j;

	b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
		  " \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": ["
		  " {\"names\": [\"read\", \"openat\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		  " {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		  "  {\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}");
	ck_assert_msg(a && b, "%s", eun_seccomp_last_error());
	both[0] = a;
	both[1] = b;
	m = eun_seccomp_profile_merge(both, 2);
	ck_assert_msg(m, "%s", eun_seccomp_last_error());
	j = as_json(m);
	ck_assert(rule_naming(j, "openat", "SCMP_ACT_ALLOW", -1, 0));
	ck_assert(rule_naming(j, "write", "SCMP_ACT_ALLOW", -1, 0));
	/* socket under both conditions (family 1 and family 2), never unconditionally */
	ck_assert(json_object_get(rule_naming(j, "socket", "SCMP_ACT_ALLOW", -1, 0), "args"));
	ck_assert(json_object_get(rule_naming(j, "socket", "SCMP_ACT_ALLOW", -1, 1), "args"));
	ck_assert(!rule_naming(j, "socket", "SCMP_ACT_ALLOW", -1, 2));
	ck_assert(rule_naming(j, "clone3", "SCMP_ACT_ERRNO", 38, 0));
	ck_assert(has_arch(j, "SCMP_ARCH_X86"));
	json_decref(j);

	/* One allows socket without conditions: the union does too. */
	eun_seccomp_profile_free(b);
	b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, \"syscalls\": ["
		  " {\"names\": [\"socket\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	both[1] = b;
	u = eun_seccomp_profile_merge(both, 2);
	ck_assert_msg(u, "%s", eun_seccomp_last_error());
	j = as_json(u);
	ck_assert(!json_object_get(rule_naming(j, "socket", "SCMP_ACT_ALLOW", -1, 0), "args"));
	json_decref(j);
	eun_seccomp_profile_free(u);

	/* Profiles of different default actions are not merged. */
	eun_seccomp_profile_free(b);
	b = parse("{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": []}");
	ck_assert_msg(b, "%s", eun_seccomp_last_error());
	both[1] = b;
	errno = 0;
	ck_assert_ptr_null(eun_seccomp_profile_merge(both, 2));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_seccomp_last_error(), "SCMP_ACT_LOG"));
	eun_seccomp_profile_free(b);
	eun_seccomp_profile_free(m);
	eun_seccomp_profile_free(a);
}
END_TEST

START_TEST(diff_names_syscalls_and_args)
{
	struct eun_seccomp_profile *a = parse(good), *b;
	char *text = NULL;
	int n;

	b = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
		  " \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": ["
		  " {\"names\": [\"read\", \"exit_group\", \"execve\", \"openat\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		  " {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		  "  {\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]},"
		  " {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]}");
	ck_assert_msg(a && b, "%s", eun_seccomp_last_error());
	n = eun_seccomp_profile_diff(a, b, EUN_SECCOMP_TEXT, &text);
	ck_assert_int_eq(n, 4); /* +openat -write, socket: -a0==1 +a0==2 */
	ck_assert_msg(strstr(text, "+ syscall  openat"), "%s", text);
	ck_assert_msg(strstr(text, "- syscall  write"), "%s", text);
	ck_assert_msg(strstr(text, "- args     socket: a0 == 0x1"), "%s", text);
	ck_assert_msg(strstr(text, "+ args     socket: a0 == 0x2"), "%s", text);
	free(text);
	n = eun_seccomp_profile_diff(a, b, EUN_SECCOMP_JSON, &text);
	ck_assert_int_eq(n, 4);
	{
		json_t *j = json_loads(text, 0, NULL);

		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(json_array_size(json_object_get(j, "added")), 2);
		ck_assert_int_eq(json_array_size(json_object_get(j, "removed")), 2);
		json_decref(j);
	}
	free(text);
	eun_seccomp_profile_free(b);
	eun_seccomp_profile_free(a);
}
END_TEST

START_TEST(profile_from_recording)
{
	struct eun_seccomp_recording *r = eun_seccomp_recording_load(RECORDING);
	struct eun_seccomp_profile *p;
	json_t *j, *rule;

	ck_assert_msg(r, "%s", eun_seccomp_last_error());
	p = eun_seccomp_profile_from_recording(r, NULL);
	ck_assert_msg(p, "%s", eun_seccomp_last_error());
	j = as_json(p);
	ck_assert_str_eq(json_string_value(json_object_get(j, "defaultAction")), "SCMP_ACT_ERRNO");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "defaultErrnoRet")), 1);
	ck_assert(has_arch(j, "SCMP_ARCH_X86_64") && has_arch(j, "SCMP_ARCH_X86"));
	/* x86 (i386) numbers named with the i386 table: 20 is getpid (writev on
	 * x86_64), 192 is mmap2, which x86_64 lacks. */
	ck_assert(rule_naming(j, "getpid", "SCMP_ACT_ALLOW", -1, 0));
	ck_assert(!rule_naming(j, "writev", "SCMP_ACT_ALLOW", -1, 0));
	rule = rule_naming(j, "mmap2", "SCMP_ACT_ALLOW", -1, 0);
	ck_assert_ptr_nonnull(rule);
	/* only PROT_EXEC-free mmap2 was seen: a MASKED_EQ condition on arg 2 */
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(rule, "args"), 0), "index")), 2);
	/* mmap with PROT_EXEC seen: no condition */
	ck_assert(!json_object_get(rule_naming(j, "mmap", "SCMP_ACT_ALLOW", -1, 0), "args"));
	rule = rule_naming(j, "ioctl", "SCMP_ACT_ALLOW", -1, 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(rule, "args"), 0), "op")),
			 "SCMP_CMP_MASKED_EQ");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(rule, "args"), 0), "valueTwo")),
			 0x5401);
	/* socket: AF_UNIX and AF_INET stream sockets, family EQ and type MASKED_EQ */
	rule = rule_naming(j, "socket", "SCMP_ACT_ALLOW", -1, 1);
	ck_assert_int_eq(json_array_size(json_object_get(rule, "args")), 2);
	ck_assert(!rule_naming(j, "socket", "SCMP_ACT_ALLOW", -1, 2));
	/* clone3 was used: ENOSYS for it, clone allowed (without namespaces) in its place */
	ck_assert(rule_naming(j, "clone3", "SCMP_ACT_ERRNO", 38, 0));
	rule = rule_naming(j, "clone", "SCMP_ACT_ALLOW", -1, 0);
	ck_assert_ptr_nonnull(rule);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(rule, "args"), 0), "value")),
			 0x7e020000);
	/* newer than anything allowed on x86_64 (rseq, 334): ENOSYS */
	ck_assert(rule_naming(j, "io_uring_setup", "SCMP_ACT_ERRNO", 38, 0));
	ck_assert(!rule_naming(j, "sysinfo", "SCMP_ACT_ERRNO", -1, 0));
	/* the runtime after its filter install: in; before it: out */
	ck_assert(rule_naming(j, "fstatfs", "SCMP_ACT_ALLOW", -1, 0));
	ck_assert(!rule_naming(j, "mount", "SCMP_ACT_ALLOW", -1, 0));
	json_decref(j);
	eun_seccomp_profile_free(p);

	EUN_OPTS(eun_seccomp_profile_opts, o, .include_runtime = true, .complain = true);
	p = eun_seccomp_profile_from_recording(r, &o);
	ck_assert_msg(p, "%s", eun_seccomp_last_error());
	j = as_json(p);
	ck_assert_str_eq(json_string_value(json_object_get(j, "defaultAction")), "SCMP_ACT_LOG");
	ck_assert(rule_naming(j, "mount", "SCMP_ACT_ALLOW", -1, 0));
	json_decref(j);
	eun_seccomp_profile_free(p);
	eun_seccomp_recording_free(r);
}
END_TEST

START_TEST(recording_calls_and_report)
{
	struct eun_seccomp_recording *r = eun_seccomp_recording_load(RECORDING);
	EUN_OPTS(eun_seccomp_call, c);
	char *text = NULL;
	bool found = false;

	ck_assert_msg(r, "%s", eun_seccomp_last_error());
	ck_assert_uint_eq(eun_seccomp_recording_count(r), 14);
	for (size_t i = 0; i < eun_seccomp_recording_count(r); i++) {
		ck_assert_int_eq(eun_seccomp_recording_call(r, i, &c), 0);
		if (!strcmp(c.arch, "x86") && c.nr == 20) {
			ck_assert_str_eq(c.name, "getpid");
			ck_assert_int_eq(c.phase, EUN_SECCOMP_PHASE_WORKLOAD);
			found = true;
		}
	}
	ck_assert(found);
	ck_assert_int_eq(eun_seccomp_recording_call(r, 14, &c), -ERANGE);
	ck_assert_int_eq(eun_seccomp_recording_report(r, EUN_SECCOMP_TEXT, &text), 0);
	ck_assert_msg(strstr(text, "x86, workload: 2 syscalls"), "%s", text);
	ck_assert_msg(strstr(text, "mmap2"), "%s", text);
	ck_assert_msg(strstr(text, "needed   CAP_CHOWN CAP_NET_BIND_SERVICE"), "%s", text);
	free(text);
	eun_seccomp_recording_free(r);
}
END_TEST

START_TEST(capability_classes_and_formats)
{
	struct eun_seccomp_recording *r = eun_seccomp_recording_load(RECORDING);
	uint64_t caps = 0;
	char *text;

	ck_assert_msg(r, "%s", eun_seccomp_last_error());
	/* CAP_CHOWN 0, CAP_DAC_OVERRIDE 1, CAP_NET_BIND_SERVICE 10, CAP_NET_ADMIN 12, CAP_SYS_ADMIN 21 */
	ck_assert_uint_eq(eun_seccomp_recording_caps(r, EUN_CAPS_NEEDED), 1u << 0 | 1u << 10);
	ck_assert_uint_eq(eun_seccomp_recording_caps(r, EUN_CAPS_DENIED), 1u << 1);
	ck_assert_uint_eq(eun_seccomp_recording_caps(r, EUN_CAPS_PROBED), 1u << 21);
	ck_assert_uint_eq(eun_seccomp_recording_caps(r, EUN_CAPS_RUNTIME), 1u << 21 | 1u << 12);
	ck_assert_int_eq(eun_caps_format(1u << 0 | 1u << 10, EUN_CAPS_DOCKER, &text), 0);
	ck_assert_str_eq(text, "--cap-drop ALL --cap-add CHOWN --cap-add NET_BIND_SERVICE\n");
	free(text);
	ck_assert_int_eq(eun_caps_format(1u << 0 | 1u << 10, EUN_CAPS_K8S, &text), 0);
	ck_assert_ptr_nonnull(strstr(text, "drop: [\"ALL\"]\n    add: [\"CHOWN\", \"NET_BIND_SERVICE\"]"));
	free(text);
	ck_assert_int_eq(eun_caps_format(1u << 0, EUN_CAPS_OCI, &text), 0);
	{
		json_t *j = json_loads(text, 0, NULL);

		ck_assert_ptr_nonnull(j);
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "bounding"), 0)),
				 "CAP_CHOWN");
		ck_assert_int_eq(json_array_size(json_object_get(j, "permitted")), 1);
		json_decref(j);
	}
	free(text);
	ck_assert_int_eq(eun_caps_parse("CAP_CHOWN, net_bind_service", &caps), 0);
	ck_assert_uint_eq(caps, 1u << 0 | 1u << 10);
	ck_assert_int_eq(eun_caps_parse("", &caps), 0);
	ck_assert_uint_eq(caps, 0);
	ck_assert_int_eq(eun_caps_parse("CAP_CHOWN,CAP_TELEPORT", &caps), -EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_seccomp_last_error(), "'CAP_TELEPORT'"));
	eun_seccomp_recording_free(r);
}
END_TEST

START_TEST(action_names)
{
	enum eun_seccomp_action a;

	ck_assert_int_eq(eun_seccomp_action_parse("log", &a), 0);
	ck_assert_int_eq(a, EUN_SECCOMP_ACTION_LOG);
	ck_assert_int_eq(eun_seccomp_action_parse("kill", &a), 0);
	ck_assert_int_eq(a, EUN_SECCOMP_ACTION_KILL);
	ck_assert_int_eq(eun_seccomp_action_parse("trap", &a), -EINVAL);
	ck_assert_ptr_nonnull(strstr(eun_seccomp_last_error(), "'trap'"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("seccomp_profile");
	TCase *tc = tcase_create("profile");

	tcase_add_test(tc, good_profile_round_trip);
	tcase_add_test(tc, config_json_linux_seccomp);
	tcase_add_test(tc, bad_input_names_the_entry);
	tcase_add_test(tc, load_missing_file);
	tcase_add_test(tc, merge_is_a_union);
	tcase_add_test(tc, diff_names_syscalls_and_args);
	tcase_add_test(tc, profile_from_recording);
	tcase_add_test(tc, recording_calls_and_report);
	tcase_add_test(tc, capability_classes_and_formats);
	tcase_add_test(tc, action_names);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
