// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * A profile as a libseccomp filter: building it (which checks every
 * architecture, name and rule), exporting it to count its instructions
 * (the check), and installing it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "sc.h"

#define KERNEL_MAX_INSNS 4096 /* BPF_MAXINSNS, the most a seccomp filter may have */

static void version(char *buf, size_t size)
{
	const struct scmp_version *v = seccomp_version();

	snprintf(buf, size, "%u.%u.%u", v->major, v->minor, v->micro);
}

/* The profile's architectures, for messages. */
static void arch_list(const struct eun_seccomp_profile *p, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_arches && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
					sc_arch_name(p->arches[i]));
	if (!p->n_arches)
		snprintf(buf, size, "%s", sc_arch_name(seccomp_arch_native()));
}

static int set_flags(const struct eun_seccomp_profile *p, scmp_filter_ctx ctx)
{
	static const enum scmp_filter_attr attrs[] = {
		SCMP_FLTATR_CTL_TSYNC, SCMP_FLTATR_CTL_LOG, SCMP_FLTATR_CTL_SSB,
	};

	for (size_t f = 0; f < sc_n_flags; f++) {
		if (!(p->flags >> f & 1))
			continue;
		if (f >= sizeof(attrs) / sizeof(attrs[0])) {
			char v[32];

			version(v, sizeof(v));
			return sc_error(EINVAL, "%s: flags: %s is not supported by libseccomp %s; "
					"remove it", p->origin, sc_flag_names[f], v);
		}
		if (seccomp_attr_set(ctx, attrs[f], 1))
			return sc_error(EINVAL, "%s: flags: libseccomp refused %s", p->origin,
					sc_flag_names[f]);
	}
	return 0;
}

static int add_rule(const struct eun_seccomp_profile *p, scmp_filter_ctx ctx, size_t i)
{
	const struct sc_rule *r = &p->rules[i];
	struct scmp_arg_cmp cmp[6];
	uint32_t act = sc_action_scmp(&r->act, p);
	char v[32], arches[256];

	for (size_t a = 0; a < r->n_args; a++)
		cmp[a] = (struct scmp_arg_cmp){ .arg = r->args[a].index, .op = r->args[a].op,
						.datum_a = r->args[a].value,
						.datum_b = r->args[a].value_two };
	for (size_t j = 0; j < r->n_names; j++) {
		int nr = seccomp_syscall_resolve_name(r->names[j]), err;

		if (nr == __NR_SCMP_ERROR) {
			version(v, sizeof(v));
			return sc_error(EINVAL, "%s: syscalls[%zu].names[%zu]: '%s' is not a syscall "
					"libseccomp %s knows; check the spelling (names as in the "
					"kernel's syscall tables, e.g. \"openat\")", p->origin, i, j,
					r->names[j], v);
		}
		err = seccomp_rule_add_array(ctx, act, nr, (unsigned)r->n_args, cmp);
		/* -EACCES: the rule's action is the default one, it changes nothing */
		if (err && err != -EACCES) {
			arch_list(p, arches, sizeof(arches));
			return sc_error(EINVAL, "%s: syscalls[%zu] ('%s'): libseccomp refused the rule "
					"on %s: %s; check its action and args", p->origin, i,
					r->names[j], arches, strerror(-err));
		}
	}
	return 0;
}

scmp_filter_ctx sc_filter_build(const struct eun_seccomp_profile *p, enum eun_seccomp_action a)
{
	struct sc_action def = p->def;
	scmp_filter_ctx ctx;
	uint32_t native = seccomp_arch_native();
	bool native_listed = p->n_arches == 0;
	int err;

	switch (a) {
	case EUN_SECCOMP_ACTION_PROFILE:
		break;
	case EUN_SECCOMP_ACTION_ERRNO:
		def = (struct sc_action){ .kind = SC_ACT_ERRNO };
		break;
	case EUN_SECCOMP_ACTION_LOG:
		def = (struct sc_action){ .kind = SC_ACT_LOG };
		break;
	case EUN_SECCOMP_ACTION_KILL:
		def = (struct sc_action){ .kind = SC_ACT_KILL_PROCESS };
		break;
	}
	ctx = seccomp_init(sc_action_scmp(&def, p));
	if (!ctx)
		return sc_error_null(EINVAL, "%s: libseccomp refused the default action %s (its API "
				     "level here is %u; SCMP_ACT_LOG and SCMP_ACT_KILL_PROCESS need "
				     "3, a kernel with seccomp(2) that knows them)", p->origin,
				     sc_action_oci(def.kind), seccomp_api_get());
	for (size_t i = 0; i < p->n_arches; i++) {
		if (p->arches[i] == native) {
			native_listed = true;
			continue;
		}
		err = seccomp_arch_add(ctx, p->arches[i]);
		if (err && err != -EEXIST) {
			seccomp_release(ctx);
			return sc_error_null(EINVAL, "%s: architectures[%zu]: libseccomp cannot add %s: "
					     "%s", p->origin, i, sc_arch_oci(p->arches[i]),
					     strerror(-err));
		}
	}
	/* The native architecture is in every new filter: only what is listed stays. */
	if (!native_listed && seccomp_arch_remove(ctx, native)) {
		seccomp_release(ctx);
		return sc_error_null(EINVAL, "%s: cannot leave %s out of the filter", p->origin,
				     sc_arch_oci(native));
	}
	if ((err = set_flags(p, ctx)) || seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) {
		seccomp_release(ctx);
		if (!err)
			sc_error(EINVAL, "libseccomp refused no_new_privs");
		errno = EINVAL;
		return NULL;
	}
	for (size_t i = 0; i < p->n_rules; i++)
		if ((err = add_rule(p, ctx, i))) {
			seccomp_release(ctx);
			errno = -err;
			return NULL;
		}
	return ctx;
}

/* A profile that denies by default must let some syscall through (counted
 * by names, not rules): one that allows none fails every program at its
 * first syscall, the exec the runtime makes under it. */
static int check_allows_something(const struct eun_seccomp_profile *p)
{
	if (p->def.kind == SC_ACT_ALLOW || p->def.kind == SC_ACT_LOG)
		return 0;
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].act.kind == SC_ACT_ALLOW || p->rules[i].act.kind == SC_ACT_LOG)
			if (p->rules[i].n_names)
				return 0;
	return sc_error(EINVAL, "%s: syscalls: no rule allows any syscall, so every program "
			"would fail at its first one (the exec); add the syscalls it needs "
			"(eunomia seccomp record writes them)", p->origin);
}

int eun_seccomp_profile_check(const struct eun_seccomp_profile *p)
{
	scmp_filter_ctx ctx;
	struct stat st;
	int fd, err;

	if ((err = check_allows_something(p)))
		return err;
	ctx = sc_filter_build(p, EUN_SECCOMP_ACTION_PROFILE);
	if (!ctx)
		return -errno;
	fd = memfd_create("seccomp-check", MFD_CLOEXEC);
	if (fd < 0) {
		err = errno;
		seccomp_release(ctx);
		return sc_error(err, "cannot make a memory file to export the filter: %s",
				strerror(err));
	}
	err = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (!err && fstat(fd, &st))
		err = -errno;
	close(fd);
	if (err)
		return sc_error(EINVAL, "%s: libseccomp cannot export the filter: %s", p->origin,
				strerror(-err));
	if (st.st_size / 8 > KERNEL_MAX_INSNS)
		return sc_error(EINVAL, "%s: the filter has %lld instructions, more than the %d the "
				"kernel loads; allow more syscalls without argument conditions",
				p->origin, (long long)(st.st_size / 8), KERNEL_MAX_INSNS);
	return 0;
}

int eun_seccomp_profile_install(const struct eun_seccomp_profile *p,
				enum eun_seccomp_action action)
{
	scmp_filter_ctx ctx;
	int err;

	sc_error_clear();
	if (p->def.kind == SC_ACT_NOTIFY || p->listener_path)
		return sc_error(ENOTSUP, "%s: SCMP_ACT_NOTIFY needs a listener process, which "
				"eunomia does not run", p->origin);
	ctx = sc_filter_build(p, action);
	if (!ctx)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		err = errno;
		seccomp_release(ctx);
		return sc_error(err, "cannot set no_new_privs: %s", strerror(err));
	}
	err = seccomp_load(ctx);
	seccomp_release(ctx);
	if (err)
		return sc_error(-err, "the kernel refused the filter of %s: %s", p->origin,
				strerror(-err));
	return 0;
}
