// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Running a command under a profile, with its denials as events: a cgroup
 * for the command, the `seccomp` tracker in watch mode on it (for a log
 * action also told which syscalls the profile allows, since those that it
 * does not run all the same), then the command with the filter loaded.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "sc.h"

struct eun_seccomp_runner {
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	const struct eun_seccomp_profile *profile;
	enum eun_seccomp_action action;
	struct sc_cgroup cg;
	char **argv;
	struct sc_child child;
	char allowed[64]; /* the log action's list of allowed syscalls, "" if none */
	bool started;
};

/* The effective default action kind. */
static enum sc_act_kind effective(const struct eun_seccomp_profile *p, enum eun_seccomp_action a)
{
	switch (a) {
	case EUN_SECCOMP_ACTION_ERRNO:
		return SC_ACT_ERRNO;
	case EUN_SECCOMP_ACTION_LOG:
		return SC_ACT_LOG;
	case EUN_SECCOMP_ACTION_KILL:
		return SC_ACT_KILL_PROCESS;
	default:
		return p->def.kind;
	}
}

/* "ARCH NR" lines of what the profile allows on the ABIs this machine runs. */
static int write_allowed(struct eun_seccomp_runner *r)
{
	const struct eun_seccomp_profile *p = r->profile;
	int fd;
	FILE *f;

	snprintf(r->allowed, sizeof(r->allowed), "/tmp/eunomia-seccomp-allowed-XXXXXX");
	fd = mkstemp(r->allowed);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		r->allowed[0] = '\0';
		return sc_error(err, "cannot write the list of allowed syscalls: %s", strerror(err));
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sc_rule *rule = &p->rules[i];

		if (rule->act.kind != SC_ACT_ALLOW)
			continue;
		for (size_t a = 0; a < p->n_arches; a++) {
			if (!sc_arch_runs_here(p->arches[a]))
				continue;
			for (size_t j = 0; j < rule->n_names; j++) {
				int nr = seccomp_syscall_resolve_name_arch(p->arches[a], rule->names[j]);

				if (nr >= 0)
					fprintf(f, "%s %d\n", sc_arch_name(p->arches[a]),
						p->arches[a] == SCMP_ARCH_X32 ? nr & ~0x40000000 : nr);
			}
		}
	}
	if (fclose(f))
		return sc_error(errno, "cannot write %s: %s", r->allowed, strerror(errno));
	return 0;
}

struct eun_seccomp_runner *eun_seccomp_runner_new(struct eun_ctx *ctx,
						   const struct eun_seccomp_runner_opts *opts)
{
	struct eun_config_entry cfg[3];
	struct eun_seccomp_runner *r;
	size_t n = 0;
	int err;

	sc_error_clear();
	if (!ctx || !opts || opts->sz < offsetof(struct eun_seccomp_runner_opts, argv) +
					       sizeof(opts->argv) || !opts->profile || !opts->argv ||
	    !opts->argv[0])
		return sc_error_null(EINVAL, "eun_seccomp_runner_new: a context, a profile and a "
				     "command are needed (opts declared with EUN_OPTS())");
	if (opts->profile->def.kind == SC_ACT_NOTIFY || opts->profile->listener_path)
		return sc_error_null(ENOTSUP, "%s: SCMP_ACT_NOTIFY needs a listener process, which "
				     "eunomia does not run", opts->profile->origin);
	r = calloc(1, sizeof(*r));
	if (!r || !(r->argv = sc_argv_dup(opts->argv))) {
		free(r);
		return sc_error_null(ENOMEM, "out of memory for a runner");
	}
	r->ctx = ctx;
	r->profile = opts->profile;
	r->action = opts->action;
	if ((err = sc_cgroup_make(&r->cg)))
		goto fail;
	cfg[n++] = (struct eun_config_entry){ "mode", "watch" };
	cfg[n++] = (struct eun_config_entry){ "cgroup", r->cg.path };
	if (effective(r->profile, r->action) == SC_ACT_LOG) {
		if ((err = write_allowed(r)))
			goto fail;
		cfg[n++] = (struct eun_config_entry){ "allowed", r->allowed };
	}
	EUN_OPTS(eun_tracker_opts, topts, .config = cfg, .n_config = n);
	r->t = eun_tracker_new(ctx, "seccomp", &topts);
	if (!r->t) {
		err = sc_error_from_eun(-errno, "cannot create the seccomp tracker");
		goto fail;
	}
	return r;
fail:
	eun_seccomp_runner_free(r);
	errno = -err;
	return NULL;
}

int eun_seccomp_runner_start(struct eun_seccomp_runner *r)
{
	scmp_filter_ctx filter;
	int err;

	sc_error_clear();
	if (r->started)
		return sc_error(EALREADY, "the command runs already");
	filter = sc_filter_build(r->profile, r->action);
	if (!filter)
		return -errno;
	err = eun_tracker_start(r->t);
	if (err) {
		seccomp_release(filter);
		return sc_error_from_eun(err, "cannot start the seccomp tracker");
	}
	r->started = true;
	err = sc_spawn(r->argv, &r->cg, filter, &r->child);
	seccomp_release(filter);
	r->profile = NULL;
	return err;
}

int eun_seccomp_runner_poll(struct eun_seccomp_runner *r, int timeout_ms)
{
	int err;

	if (!r->started)
		return sc_error(EINVAL, "the runner has not started");
	if (sc_child_reap(&r->child))
		return 1;
	if (timeout_ms < 0 || timeout_ms > 100)
		timeout_ms = 100;
	err = eun_ctx_poll(r->ctx, timeout_ms);
	if (err < 0 && err != -EINTR)
		return sc_error_from_eun(err, "cannot read the tracker's events");
	if (sc_child_reap(&r->child))
		return 1;
	return err == -EINTR ? -EINTR : 0;
}

int eun_seccomp_runner_status(const struct eun_seccomp_runner *r)
{
	return r->child.reaped ? r->child.status : -1;
}

struct eun_tracker *eun_seccomp_runner_tracker(const struct eun_seccomp_runner *r)
{
	return r->t;
}

void eun_seccomp_runner_free(struct eun_seccomp_runner *r)
{
	if (!r)
		return;
	if (r->t)
		eun_tracker_free(r->t); /* stops it: its last denials are delivered */
	if (r->child.pid && !r->child.reaped) {
		kill(r->child.pid, SIGKILL);
		waitpid(r->child.pid, &r->child.status, 0);
	}
	sc_cgroup_remove(&r->cg);
	if (r->allowed[0])
		unlink(r->allowed);
	sc_argv_free(r->argv);
	free(r);
}
