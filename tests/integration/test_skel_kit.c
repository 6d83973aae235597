/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The plugin kit's config bindings reach the kernel: the skel_kit test
 * plugin (tests/fixtures/skel_kit, built on <eunomia/plugin_skel.h> alone)
 * binds flag, port and big to BPF variables of 1, 2 and 8 bytes. With
 * flag=false our getppid() calls must go unreported while getpgid() calls
 * are (carrying port and big as the kernel saw them); with flag=true both
 * are. Last, a binding made after the object is loaded must fail start()
 * with the kit's error and leave nothing attached.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "itest.h"

#ifndef EUN_TEST_SKEL_KIT_DIR
#error "EUN_TEST_SKEL_KIT_DIR must be defined by the build"
#endif

#define CALLS 3
#define BIG "1099511627776" /* 2^40: needs all 8 bytes of kit_big */

struct seen {
	bool flag;
	int getppid, getpgid;
	bool done;
};

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct seen *s = cookie;

	if (eun_event_pid(ev) != (uint32_t)getpid())
		return 0;
	ITEST_CHECK(itest_field_s64(ev, "flag") == s->flag, "flag %lld in the kernel, bound %d",
		    (long long)itest_field_s64(ev, "flag"), s->flag);
	ITEST_CHECK(itest_field_s64(ev, "port") == 4242, "port %lld in the kernel, bound 4242",
		    (long long)itest_field_s64(ev, "port"));
	ITEST_CHECK(itest_field_s64(ev, "big") == 1099511627776LL, "big %lld in the kernel, bound "
		    BIG, (long long)itest_field_s64(ev, "big"));
	if (itest_field_s64(ev, "syscall") == 0)
		s->getppid++;
	else
		s->getpgid++;
	s->done = s->getpgid == CALLS;
	return 0;
}

static struct eun_ctx *kit_ctx(void)
{
	EUN_OPTS(eun_ctx_opts, opts, .plugin_path = EUN_TEST_SKEL_KIT_DIR, .no_default_path = true,
		 .max_latency_ms = 20);
	struct eun_ctx *ctx = eun_ctx_new(&opts);

	ITEST_CHECK(ctx, "eun_ctx_new: %s", eun_last_error());
	return ctx;
}

/* Run skel_kit with flag=flag; return how many of our getppid calls it reported. */
static int run(bool flag)
{
	char pid[16];
	const struct eun_config_entry cfg[] = {
		{ "flag", flag ? "true" : "false" }, { "port", "4242" }, { "big", BIG },
		{ "pid", pid },
	};
	struct seen s = { .flag = flag };
	struct eun_ctx *ctx = kit_ctx();
	struct eun_tracker *t;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	eun_ctx_set_event_fn(ctx, on_event, &s);
	t = itest_start(ctx, "skel_kit", cfg, 4);
	/* getppid first: its events, if any, are in the ring before getpgid's. */
	for (int i = 0; i < CALLS; i++)
		ITEST_CHECK(syscall(SYS_getppid) > 0, "getppid");
	for (int i = 0; i < CALLS; i++)
		ITEST_CHECK(syscall(SYS_getpgid, 0) >= 0, "getpgid: %s", strerror(errno));
	ITEST_CHECK(itest_poll_until(ctx, &s.done), "flag=%d: %d of %d getpgid calls reported",
		    flag, s.getpgid, CALLS);
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	eun_ctx_free(ctx);
	return s.getppid;
}

int main(void)
{
	const struct eun_config_entry late[] = { { "misuse", "late" } };
	EUN_OPTS(eun_tracker_opts, opts, .config = late, .n_config = 1);
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	int n, err;

	itest_require_kernel();
	n = run(false);
	ITEST_CHECK(n == 0, "flag=false: %d getppid calls reported, the kernel saw flag true", n);
	n = run(true);
	ITEST_CHECK(n == CALLS, "flag=true: %d of %d getppid calls reported", n, CALLS);

	ctx = kit_ctx();
	t = eun_tracker_new(ctx, "skel_kit", &opts);
	ITEST_CHECK(t, "eun_tracker_new: %s", eun_last_error());
	err = eun_tracker_start(t);
	ITEST_CHECK(err == -EBUSY, "binding after load: start = %d (%s), want -EBUSY", err,
		    eun_last_error());
	ITEST_CHECK(strstr(eun_last_error(), "'flag' bound after the BPF object was loaded"),
		    "message: %s", eun_last_error());
	ITEST_CHECK(eun_tracker_state(t) != EUN_TRACKER_RUNNING, "running after a failed start");
	eun_ctx_free(ctx);
	printf("ok: flag, port and big reached the kernel both ways; a late binding is refused\n");
	return 0;
}
