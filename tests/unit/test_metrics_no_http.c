/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * libeunomia loads libmicrohttpd only when it first serves metrics: where
 * that library is missing or is not libmicrohttpd, eun_metrics_serve()
 * fails with -ENOTSUP and a message naming the package to install, and
 * everything else keeps working.
 *
 * The dynamic loader reads LD_LIBRARY_PATH once, at start-up, so the test
 * runs itself again for each case, with LD_LIBRARY_PATH leading to a
 * directory whose libmicrohttpd.so.12 is a text file ("not-elf") or a
 * shared object without the functions ("no-functions", a copy of the
 * fixture plugin).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define CASE_ENV "EUN_TEST_FAKE_MHD"

START_TEST(serve_refused_with_package_named)
{
	const char *fake = getenv(CASE_ENV);
	struct eun_ctx *ctx = fixture_ctx();
	struct eun_metrics *m = eun_metrics_new(ctx, NULL);
	char buf[4096], first[1024];

	ck_assert_msg(m, "%s", eun_last_error());
	ck_assert_int_eq(eun_metrics_serve(m, "127.0.0.1:0"), -ENOTSUP);
	snprintf(first, sizeof(first), "%s", eun_last_error());
	ck_assert_msg(strstr(first, "libmicrohttpd12") && strstr(first, "libmicrohttpd.so.12"),
		      "%s", first);
	if (!strcmp(fake, "no-functions"))
		ck_assert_msg(strstr(first, "has no function MHD_start_daemon()"), "%s", first);
	else
		ck_assert_msg(strstr(first, "cannot load libmicrohttpd.so.12"), "%s", first);
	/* Every later call says the same, and nothing else is affected. */
	ck_assert_int_eq(eun_metrics_serve(m, "127.0.0.1:0"), -ENOTSUP);
	ck_assert_str_eq(eun_last_error(), first);
	ck_assert_int_eq(eun_metrics_port(m), -ENOTCONN);
	ck_assert_int_gt(eun_metrics_render(m, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "eunomia_build_info"));
	eun_metrics_free(m);
	eun_ctx_free(ctx);
}
END_TEST

/* Outside a check test case (the parent run): report and fail. */
static void need(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "test_metrics_no_http: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

/* Copy src to dst. */
static void copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;

	need(in >= 0 && out >= 0, "copy the fixture plugin");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		need(write(out, buf, (size_t)n) == n, "write the copy");
	close(in);
	close(out);
}

/* Run this program again with a fake libmicrohttpd.so.12 first on the path. */
static int run_case(const char *self, const char *fake)
{
	char dir[] = "/tmp/eun-fake-mhd-XXXXXX", lib[PATH_MAX];
	int status;
	pid_t pid;

	need(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(lib, sizeof(lib), "%s/libmicrohttpd.so.12", dir);
	if (!strcmp(fake, "no-functions")) {
		copy_file(fixture_path("fixture_good"), lib);
	} else {
		FILE *f = fopen(lib, "w");

		need(f != NULL, "create the fake library");
		fputs("this is not a shared library\n", f);
		fclose(f);
	}
	pid = fork();
	need(pid >= 0, "fork");
	if (pid == 0) {
		setenv("LD_LIBRARY_PATH", dir, 1);
		setenv(CASE_ENV, fake, 1);
		execl(self, self, (char *)NULL);
		_exit(127);
	}
	need(waitpid(pid, &status, 0) == pid, "waitpid");
	unlink(lib);
	rmdir(dir);
	printf("case %s: %s\n", fake, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "FAILED");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	Suite *s;
	TCase *tc;
	char self[PATH_MAX];
	ssize_t n;
	int failed = 0;

	(void)argc;
	if (!getenv(CASE_ENV)) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			perror(argv[0]);
			return 1;
		}
		self[n] = '\0';
		failed |= run_case(self, "not-elf");
		failed |= run_case(self, "no-functions");
		return failed ? 1 : 0;
	}
	s = suite_create("metrics_no_http");
	tc = tcase_create(getenv(CASE_ENV));
	tcase_add_test(tc, serve_refused_with_package_named);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
