/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The real `capable` tracker. Phase 1, unfiltered: a root child does
 * unshare(CLONE_NEWUTS) + sethostname() (CAP_SYS_ADMIN granted, in our user
 * namespace); a child that dropped root (setuid 65534) binds a privileged
 * port (CAP_NET_BIND_SERVICE refused) and calls sethostname()
 * (CAP_SYS_ADMIN refused). Those checks come from ns_capable(), an audited
 * check. The root child also maps a private writable page, which the
 * kernel accounts with a CAP_SYS_ADMIN check that asks not to be audited
 * (cap_vm_enough_memory): its caller must be named and its audit "no".
 * Phase 2, with cap=21 and failed_only=true in the kernel: the same root
 * child must not show up, the dropped child's refused CAP_SYS_ADMIN must,
 * and nothing else.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "itest.h"

#define CAP_NET_BIND_SERVICE_ 10
#define CAP_SYS_ADMIN_ 21
#define NOBODY 65534

enum { WANT_ROOT_ADMIN, WANT_ROOT_NOAUDIT, WANT_BIND_REFUSED, WANT_ADMIN_REFUSED, N_WANT };

struct want {
	pid_t root_child, dropped_child;
	unsigned long userns;
	bool filtered;   /* phase 2 */
	bool seen[N_WANT];
	bool done;
};

/* Checks name, result, namespace and euid of an event we expect. */
static void check_event(const struct eun_event *ev, const struct want *w, const char *name,
			int ret, unsigned euid)
{
	char buf[64];

	ITEST_CHECK(itest_field_text(ev, "cap_name", buf, sizeof(buf)), "no cap_name");
	ITEST_CHECK(!strcmp(buf, name), "cap_name '%s', want %s", buf, name);
	ITEST_CHECK(itest_field_s64(ev, "ret") == ret, "%s: ret %lld, want %d", name,
		    (long long)itest_field_s64(ev, "ret"), ret);
	ITEST_CHECK((unsigned long)itest_field_s64(ev, "target_userns") == w->userns,
		    "%s: target_userns %lld, want %lu", name,
		    (long long)itest_field_s64(ev, "target_userns"), w->userns);
	ITEST_CHECK(itest_field_s64(ev, "euid") == euid, "%s: euid %lld, want %u", name,
		    (long long)itest_field_s64(ev, "euid"), euid);
}

/* The check's caller, which must be ns_capable (audited) unless the
 * check is the memory accounting one (not audited): true for the latter. */
static bool noaudit_check(const struct eun_event *ev, const char *name)
{
	char caller[64], audit[16];

	ITEST_CHECK(itest_field_text(ev, "caller", caller, sizeof(caller)), "no caller");
	ITEST_CHECK(itest_field_text(ev, "audit", audit, sizeof(audit)), "no audit");
	if (strstr(caller, "vm_enough_memory")) {
		ITEST_CHECK(!strcmp(audit, "no"), "%s from %s: audit '%s', want no", name, caller, audit);
		return true;
	}
	ITEST_CHECK(!strcmp(caller, "ns_capable"), "%s: caller '%s', want ns_capable", name, caller);
	ITEST_CHECK(!strcmp(audit, "yes"), "%s from ns_capable: audit '%s', want yes", name, audit);
	return false;
}

static int on_event(const struct eun_event *ev, void *cookie)
{
	struct want *w = cookie;
	uint32_t pid = eun_event_pid(ev);
	int64_t cap, ret;

	if (pid != (uint32_t)w->root_child && pid != (uint32_t)w->dropped_child)
		return 0;
	ITEST_CHECK(!strcmp(eun_event_type_name(ev), "check"), "type %s", eun_event_type_name(ev));
	cap = itest_field_s64(ev, "cap");
	ret = itest_field_s64(ev, "ret");
	if (w->filtered)
		ITEST_CHECK(cap == CAP_SYS_ADMIN_ && ret < 0,
			    "cap=21 failed_only=true let cap %lld ret %lld of pid %u pass",
			    (long long)cap, (long long)ret, pid);

	if (pid == (uint32_t)w->root_child && cap == CAP_SYS_ADMIN_) {
		check_event(ev, w, "CAP_SYS_ADMIN", 0, 0);
		w->seen[noaudit_check(ev, "CAP_SYS_ADMIN") ? WANT_ROOT_NOAUDIT : WANT_ROOT_ADMIN] = true;
	} else if (pid == (uint32_t)w->dropped_child && cap == CAP_NET_BIND_SERVICE_) {
		check_event(ev, w, "CAP_NET_BIND_SERVICE", -EPERM, NOBODY);
		ITEST_CHECK(eun_event_uid(ev) == NOBODY, "header uid %u", eun_event_uid(ev));
		ITEST_CHECK(!noaudit_check(ev, "CAP_NET_BIND_SERVICE"), "bind checked without audit");
		w->seen[WANT_BIND_REFUSED] = true;
	} else if (pid == (uint32_t)w->dropped_child && cap == CAP_SYS_ADMIN_) {
		check_event(ev, w, "CAP_SYS_ADMIN", -EPERM, NOBODY);
		if (!noaudit_check(ev, "CAP_SYS_ADMIN"))
			w->seen[WANT_ADMIN_REFUSED] = true;
	}
	if (w->filtered)
		w->done = w->seen[WANT_ADMIN_REFUSED];
	else
		w->done = w->seen[WANT_ROOT_ADMIN] && w->seen[WANT_ROOT_NOAUDIT] &&
			  w->seen[WANT_BIND_REFUSED] && w->seen[WANT_ADMIN_REFUSED];
	return 0;
}

/* Root: a private UTS namespace and a host name in it (CAP_SYS_ADMIN,
 * granted), and an accounted private writable mapping. */
static void root_child(void)
{
	if (unshare(CLONE_NEWUTS) || sethostname("eun-cap-test", 12))
		_exit(1);
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
		_exit(6);
	_exit(0);
}

/* Drops root, then fails to bind port 1023 and to set the host name. */
static void dropped_child(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(1023) };
	int fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		_exit(2);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		_exit(3);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno != EACCES)
		_exit(4);
	if (sethostname("eun-cap-no", 10) == 0 || errno != EPERM)
		_exit(5);
	_exit(0);
}

static pid_t run(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	ITEST_CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		fn();
	ITEST_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	ITEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d status %#x",
		    (int)pid, status);
	return pid;
}

static void phase(struct want *w, const struct eun_config_entry *cfg, size_t n)
{
	struct eun_ctx *ctx = itest_ctx();
	struct eun_tracker *t;

	eun_ctx_set_event_fn(ctx, on_event, w);
	t = itest_start(ctx, "capable", cfg, n);
	/* The pids are only known after fork: events are matched once both
	 * children have ended, so set them before polling. */
	w->root_child = -1;
	w->dropped_child = -1;
	{
		pid_t a = run(root_child);
		pid_t b = run(dropped_child);

		w->root_child = a;
		w->dropped_child = b;
	}
	ITEST_CHECK(itest_poll_until(ctx, &w->done),
		    "phase %d: seen root CAP_SYS_ADMIN %d, root unaudited CAP_SYS_ADMIN %d, "
		    "refused CAP_NET_BIND_SERVICE %d, refused CAP_SYS_ADMIN %d within %d ms",
		    w->filtered ? 2 : 1, w->seen[WANT_ROOT_ADMIN], w->seen[WANT_ROOT_NOAUDIT],
		    w->seen[WANT_BIND_REFUSED],
		    w->seen[WANT_ADMIN_REFUSED], ITEST_TIMEOUT_MS);
	{
		EUN_OPTS(eun_tracker_stats, st);

		ITEST_CHECK(eun_tracker_stats(t, &st) == 0, "stats");
		ITEST_CHECK(st.decode_errors == 0, "decode errors %llu",
			    (unsigned long long)st.decode_errors);
	}
	ITEST_CHECK(eun_tracker_stop(t) == 0, "stop: %s", eun_last_error());
	eun_ctx_free(ctx);
}

int main(void)
{
	const struct eun_config_entry filter[] = { { "cap", "21" }, { "failed_only", "true" } };
	struct want w = { 0 };
	struct stat st;

	itest_require_kernel();
	{
		/* The tracepoint exists when its BTF typedef does. */
		struct btf *btf = btf__load_vmlinux_btf();

		ITEST_CHECK(btf, "cannot load the kernel BTF");
		if (btf__find_by_name_kind(btf, "btf_trace_cap_capable", BTF_KIND_TYPEDEF) < 0) {
			printf("SKIP: this kernel has no capability:cap_capable tracepoint (recent kernels only)\n");
			btf__free(btf);
			return ITEST_SKIP;
		}
		btf__free(btf);
	}
	ITEST_CHECK(stat("/proc/self/ns/user", &st) == 0, "stat /proc/self/ns/user");
	w.userns = (unsigned long)st.st_ino;

	phase(&w, NULL, 0);

	memset(w.seen, 0, sizeof(w.seen));
	w.done = false;
	w.filtered = true;
	phase(&w, filter, 2);
	ITEST_CHECK(!w.seen[WANT_ROOT_ADMIN] && !w.seen[WANT_ROOT_NOAUDIT] &&
		    !w.seen[WANT_BIND_REFUSED], "filter let events pass");
	printf("ok: CAP_SYS_ADMIN granted (ns_capable, audited; memory accounting, not audited), "
	       "CAP_NET_BIND_SERVICE and CAP_SYS_ADMIN refused; cap/failed_only filters hold\n");
	return 0;
}
