/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The symbolizer: this executable's functions, libc and libeunomia (shared
 * objects with a load bias), the kernel, exited processes, bad addresses. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <eunomia/eunomia.h>

#include "helpers.h"
#include "symbolize/symbolize.h"

/* Non-static and not inlined: it must appear in this executable's .symtab. */
__attribute__((noinline)) int symtest_marker_function(int x);
__attribute__((noinline)) int symtest_marker_function(int x)
{
	return x * 3 + 1;
}

static uint64_t addr_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

START_TEST(own_function)
{
	struct symbolizer *s = symbolizer_new();
	char buf[256];
	int n;

	ck_assert_ptr_nonnull(s);
	n = symbolizer_name(s, (uint32_t)getpid(), addr_of((void *)symtest_marker_function), buf,
			    sizeof(buf));
	ck_assert_str_eq(buf, "symtest_marker_function+0x0");
	ck_assert_int_eq(n, (int)strlen(buf));
	/* An address inside the function, as a return address would be. */
	n = symbolizer_name(s, (uint32_t)getpid(), addr_of((void *)symtest_marker_function) + 3,
			    buf, sizeof(buf));
	ck_assert_str_eq(buf, "symtest_marker_function+0x3");
	symbolizer_free(s);
}
END_TEST

START_TEST(libc_function)
{
	struct symbolizer *s = symbolizer_new();
	char buf[256];
	int n;

	ck_assert_ptr_nonnull(s);
	n = symbolizer_name(s, (uint32_t)getpid(), addr_of((void *)getpid), buf, sizeof(buf));
	ck_assert_msg(n > 0, "getpid not found: %s", buf);
	ck_assert_msg(!strncmp(buf, "getpid+0x0 [libc.so", strlen("getpid+0x0 [libc.so")),
		      "got %s", buf);
	symbolizer_free(s);
}
END_TEST

/* A shared object of this build, with a full .symtab and a load bias. */
START_TEST(libeunomia_function)
{
	struct symbolizer *s = symbolizer_new();
	char buf[256];

	ck_assert_ptr_nonnull(s);
	ck_assert_int_gt(symbolizer_name(s, (uint32_t)getpid(), addr_of((void *)eun_last_error) + 1,
					 buf, sizeof(buf)), 0);
	ck_assert_msg(!strncmp(buf, "eun_last_error+0x1 [libeunomia.so",
			       strlen("eun_last_error+0x1 [libeunomia.so")), "got %s", buf);
	symbolizer_free(s);
}
END_TEST

/* Address of text symbol `name` in /proc/kallsyms; 0 if absent or hidden. */
static uint64_t kallsyms_addr(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sym[256], type;
	unsigned long long addr;
	uint64_t found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &addr, &type, sym) == 3 &&
		    (type == 'T' || type == 't') && !strcmp(sym, name))
			found = addr;
	fclose(f);
	return found;
}

START_TEST(kernel_function)
{
	uint64_t addr = kallsyms_addr("schedule");
	struct symbolizer *s;
	char buf[256];

	if (!addr) {
		fprintf(stderr, "SKIP kernel part: /proc/kallsyms hides addresses (kptr_restrict)\n");
		return;
	}
	s = symbolizer_new();
	ck_assert_ptr_nonnull(s);
	ck_assert_int_gt(symbolizer_name(s, 0, addr + 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "schedule+0x2");
	/* A user-space address is no kernel symbol. */
	ck_assert_int_eq(symbolizer_name(s, 0, 0x1000, buf, sizeof(buf)), -ENOENT);
	ck_assert_str_eq(buf, "0x1000");
	symbolizer_free(s);
}
END_TEST

START_TEST(exited_process)
{
	struct symbolizer *s = symbolizer_new();
	char buf[256], want[64];
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (!child)
		_exit(0);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	ck_assert_int_eq(symbolizer_name(s, (uint32_t)child, addr_of((void *)symtest_marker_function),
					 buf, sizeof(buf)), -ENOENT);
	snprintf(want, sizeof(want), "0x%" PRIx64, addr_of((void *)symtest_marker_function));
	ck_assert_str_eq(buf, want);
	symbolizer_free(s);
}
END_TEST

START_TEST(unmapped_address)
{
	struct symbolizer *s = symbolizer_new();
	char buf[256];

	ck_assert_int_eq(symbolizer_name(s, (uint32_t)getpid(), 0x10, buf, sizeof(buf)), -ENOENT);
	ck_assert_str_eq(buf, "0x10");
	symbolizer_free(s);
}
END_TEST

START_TEST(snprintf_semantics)
{
	struct symbolizer *s = symbolizer_new();
	char buf[8];
	int n;

	n = symbolizer_name(s, (uint32_t)getpid(), addr_of((void *)symtest_marker_function), buf,
			    sizeof(buf));
	ck_assert_int_eq(n, (int)strlen("symtest_marker_function+0x0"));
	ck_assert_str_eq(buf, "symtest");
	/* Cached now: the same answer again. */
	ck_assert_int_eq(symbolizer_name(s, (uint32_t)getpid(),
					 addr_of((void *)symtest_marker_function), NULL, 0), n);
	symbolizer_free(s);
}
END_TEST

static Suite *symbolizer_suite(void)
{
	Suite *s = suite_create("symbolizer");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, own_function);
	tcase_add_test(tc, libc_function);
	tcase_add_test(tc, libeunomia_function);
	tcase_add_test(tc, kernel_function);
	tcase_add_test(tc, exited_process);
	tcase_add_test(tc, unmapped_address);
	tcase_add_test(tc, snprintf_semantics);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(symbolizer_suite());
}
