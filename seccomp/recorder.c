// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Recording one subject with the `seccomp` tracker of a context: the
 * tracker's configuration for each kind of subject, a listener that sums
 * its records into the recording, and the command we start.
 *
 *   subject          tracker config                   ends when
 *   --cgroup PATH    cgroup=PATH                      the cgroup is removed
 *   running ctr      cgroup=its cgroup                its cgroup is removed
 *   future ctr ID    await=ID (phases)                its cgroup is removed
 *   -- CMD           cgroup=a new one, phases=true    CMD exits
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/wait.h>

#include "sc.h"

enum subject_kind { SUBJECT_CGROUP, SUBJECT_RUNNING, SUBJECT_AWAITED, SUBJECT_COMMAND };

struct eun_seccomp_recorder {
	struct eun_ctx *ctx;
	struct eun_tracker *t;
	struct eun_listener *listener;
	struct eun_seccomp_recording *rec;
	enum subject_kind kind;
	struct sc_cgroup cg;  /* the command's */
	char **argv;
	struct sc_child child;
	bool started, ended, finished;
	int error;            /* first error of the listener (-errno) */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Field `name` of ev as text or number ("" / 0 when missing). */
static void get_str(const struct eun_event *ev, const char *name, char *buf, size_t size)
{
	int i = eun_event_field_index(ev, name);
	const char *s;
	size_t len;

	buf[0] = '\0';
	if (i >= 0 && !eun_event_get_str(ev, (size_t)i, &s, &len))
		snprintf(buf, size, "%.*s", (int)len, s);
}

static uint64_t get_u64(const struct eun_event *ev, const char *name)
{
	int i = eun_event_field_index(ev, name);
	uint64_t v = 0;

	if (i >= 0)
		eun_event_get_u64(ev, (size_t)i, &v);
	return v;
}

static int on_call(struct eun_seccomp_recorder *r, const struct eun_event *ev)
{
	struct sc_call_rec c = { 0 };
	char phase[24];
	int ph;

	get_str(ev, "abi", c.arch, sizeof(c.arch));
	get_str(ev, "phase", phase, sizeof(phase));
	if ((ph = sc_phase_from_name(phase)) < 0)
		return 0;
	c.phase = (uint8_t)ph;
	c.nr = (uint32_t)get_u64(ev, "nr");
	c.count = get_u64(ev, "count");
	c.first_ns = get_u64(ev, "first_ns");
	c.pid = eun_event_pid(ev);
	snprintf(c.comm, sizeof(c.comm), "%s", eun_event_comm(ev));
	return sc_recording_add_call(r->rec, &c);
}

static int on_arg(struct eun_seccomp_recorder *r, const struct eun_event *ev)
{
	struct sc_arg_rec a = { 0 };
	char phase[24];
	int ph;

	get_str(ev, "abi", a.arch, sizeof(a.arch));
	get_str(ev, "phase", phase, sizeof(phase));
	get_str(ev, "kind", a.kind, sizeof(a.kind));
	if ((ph = sc_phase_from_name(phase)) < 0)
		return 0;
	a.phase = (uint8_t)ph;
	a.nr = (uint32_t)get_u64(ev, "nr");
	a.value = get_u64(ev, "value");
	a.overflow = get_u64(ev, "overflow") != 0;
	return sc_recording_add_arg(r->rec, &a);
}

static int on_cap(struct eun_seccomp_recorder *r, const struct eun_event *ev)
{
	struct sc_cap_rec c = { 0 };
	char phase[24];
	int ph;

	get_str(ev, "phase", phase, sizeof(phase));
	if ((ph = sc_phase_from_name(phase)) < 0)
		return 0;
	c.phase = (uint8_t)ph;
	c.cap = (uint32_t)get_u64(ev, "cap");
	c.granted = get_u64(ev, "granted") != 0;
	c.override = get_u64(ev, "override") != 0;
	get_str(ev, "audit", c.audit, sizeof(c.audit));
	get_str(ev, "caller", c.caller, sizeof(c.caller));
	c.count = get_u64(ev, "count");
	c.first_ns = get_u64(ev, "first_ns");
	c.pid = eun_event_pid(ev);
	snprintf(c.comm, sizeof(c.comm), "%s", eun_event_comm(ev));
	return sc_recording_add_cap(r->rec, &c);
}

static int on_subject(struct eun_seccomp_recorder *r, const struct eun_event *ev)
{
	if (get_u64(ev, "state") == 2) {
		r->ended = true;
		return 0;
	}
	get_str(ev, "path", r->rec->cgroup, sizeof(r->rec->cgroup));
	return 0;
}

static int on_workload(struct eun_seccomp_recorder *r, const struct eun_event *ev)
{
	struct sc_start_rec s = { 0 };

	s.pid = eun_event_pid(ev);
	snprintf(s.comm, sizeof(s.comm), "%s", eun_event_comm(ev));
	get_str(ev, "filename", s.filename, sizeof(s.filename));
	s.ns = eun_event_ts(ev);
	return sc_recording_add_start(r->rec, &s);
}

/* The listener: the recorder's tracker's records into the recording. */
static int recorder_event(void *data, const struct eun_event *ev)
{
	struct eun_seccomp_recorder *r = data;
	const char *type;
	int err = 0;

	if (eun_event_tracker(ev) != r->t)
		return 0;
	type = eun_event_type_name(ev);
	if (!strcmp(type, "call"))
		err = on_call(r, ev);
	else if (!strcmp(type, "arg"))
		err = on_arg(r, ev);
	else if (!strcmp(type, "cap"))
		err = on_cap(r, ev);
	else if (!strcmp(type, "subject"))
		err = on_subject(r, ev);
	else if (!strcmp(type, "workload"))
		err = on_workload(r, ev);
	if (err && !r->error)
		r->error = err;
	return 0;
}

static const struct eun_listener_ops recorder_ops = {
	.version = EUN_LISTENER_OPS_VERSION,
	.event = recorder_event,
};

/* Choose the subject, filling the tracker's config; 0 or -errno. */
static int choose_subject(struct eun_seccomp_recorder *r, const struct eun_seccomp_recorder_opts *o,
			  struct eun_config_entry *cfg, size_t *n, char *ibuf, size_t isize)
{
	struct eun_seccomp_recording *rec = r->rec;
	int chosen = !!o->cgroup + !!o->container + !!o->argv;

	if (chosen != 1)
		return sc_error(EINVAL, "choose one subject to record: a cgroup, a container or a "
				"command (%d given)", chosen);
	if (o->argv) {
		if (!o->argv[0])
			return sc_error(EINVAL, "the command to record is empty");
		if (!(r->argv = sc_argv_dup(o->argv)))
			return sc_error(ENOMEM, "out of memory");
		r->kind = SUBJECT_COMMAND;
		snprintf(rec->subject_kind, sizeof(rec->subject_kind), "command");
		sc_argv_text(o->argv, rec->subject, sizeof(rec->subject));
		int err = sc_cgroup_make(&r->cg);
		if (err)
			return err;
		snprintf(rec->cgroup, sizeof(rec->cgroup), "%s", r->cg.path);
		cfg[(*n)++] = (struct eun_config_entry){ "cgroup", r->cg.path };
		cfg[(*n)++] = (struct eun_config_entry){ "phases", "true" };
		rec->phases = true;
	} else if (o->cgroup) {
		r->kind = SUBJECT_CGROUP;
		snprintf(rec->subject_kind, sizeof(rec->subject_kind), "cgroup");
		snprintf(rec->subject, sizeof(rec->subject), "%s", o->cgroup);
		snprintf(rec->cgroup, sizeof(rec->cgroup), "%s", o->cgroup);
		cfg[(*n)++] = (struct eun_config_entry){ "cgroup", o->cgroup };
	} else {
		EUN_OPTS(eun_container_info, info);
		int err = eun_ctx_container_find(r->ctx, o->container, &info);

		snprintf(rec->subject_kind, sizeof(rec->subject_kind), "container");
		snprintf(rec->subject, sizeof(rec->subject), "%s", o->container);
		if (err == -EEXIST)
			return sc_error_from_eun(err, "the container to record");
		if (!err) {
			r->kind = SUBJECT_RUNNING;
			snprintf(rec->cgroup, sizeof(rec->cgroup), "%s", info.cgroup);
			snprintf(ibuf, isize, "%s", info.cgroup);
			cfg[(*n)++] = (struct eun_config_entry){ "cgroup", ibuf };
		} else {
			r->kind = SUBJECT_AWAITED;
			cfg[(*n)++] = (struct eun_config_entry){ "await", o->container };
			rec->phases = true;
		}
	}
	return 0;
}

struct eun_seccomp_recorder *eun_seccomp_recorder_new(struct eun_ctx *ctx,
						       const struct eun_seccomp_recorder_opts *opts)
{
	struct eun_config_entry cfg[8];
	char interval[16], cgroup[1024];
	size_t n = 0;
	struct eun_seccomp_recorder *r;
	int err;

	sc_error_clear();
	if (!ctx || !opts || opts->sz < offsetof(struct eun_seccomp_recorder_opts, interval_ms) +
					       sizeof(opts->interval_ms))
		return sc_error_null(EINVAL, "eun_seccomp_recorder_new: no context, or opts without "
				     "sz (declare them with EUN_OPTS())");
	r = calloc(1, sizeof(*r));
	if (!r || !(r->rec = sc_recording_new())) {
		free(r);
		return sc_error_null(ENOMEM, "out of memory for a recorder");
	}
	r->ctx = ctx;
	if ((err = choose_subject(r, opts, cfg, &n, cgroup, sizeof(cgroup))))
		goto fail;
	snprintf(interval, sizeof(interval), "%u", opts->interval_ms ? opts->interval_ms : 1000);
	cfg[n++] = (struct eun_config_entry){ "interval_ms", interval };
	if (opts->caps) {
		cfg[n++] = (struct eun_config_entry){ "caps", "true" };
		r->rec->caps = true;
	}
	EUN_OPTS(eun_tracker_opts, topts, .config = cfg, .n_config = n);
	r->t = eun_tracker_new(ctx, "seccomp", &topts);
	if (!r->t) {
		err = sc_error_from_eun(-errno, "cannot create the seccomp tracker");
		goto fail;
	}
	EUN_OPTS(eun_listener_opts, lopts, .name = "seccomp recorder");
	r->listener = eun_ctx_add_listener(ctx, &recorder_ops, r, &lopts);
	if (!r->listener) {
		err = sc_error_from_eun(-errno, "cannot listen to the seccomp tracker");
		goto fail;
	}
	return r;
fail:
	eun_seccomp_recorder_free(r);
	errno = -err;
	return NULL;
}

int eun_seccomp_recorder_start(struct eun_seccomp_recorder *r)
{
	int err;

	sc_error_clear();
	if (r->started)
		return sc_error(EALREADY, "the recorder runs already");
	err = eun_tracker_start(r->t);
	if (err)
		return sc_error_from_eun(err, "cannot start the seccomp tracker");
	r->started = true;
	r->rec->started_ns = now_ns();
	if (r->kind == SUBJECT_COMMAND && (err = sc_spawn(r->argv, &r->cg, NULL, &r->child)))
		return err;
	return 0;
}

int eun_seccomp_recorder_poll(struct eun_seccomp_recorder *r, int timeout_ms)
{
	int err;

	if (!r->started || r->finished)
		return sc_error(EINVAL, "the recorder is not running");
	if (r->kind == SUBJECT_COMMAND && sc_child_reap(&r->child))
		r->ended = true;
	if (r->ended)
		return 1;
	/* A command's exit wakes nothing here: look at it every 100 ms. */
	if (r->kind == SUBJECT_COMMAND && (timeout_ms < 0 || timeout_ms > 100))
		timeout_ms = 100;
	err = eun_ctx_poll(r->ctx, timeout_ms);
	if (err < 0 && err != -EINTR)
		return sc_error_from_eun(err, "cannot read the tracker's events");
	if (r->error)
		return sc_error(-r->error, "out of memory for the recording");
	if (r->kind == SUBJECT_COMMAND && sc_child_reap(&r->child))
		r->ended = true;
	return err == -EINTR ? -EINTR : r->ended;
}

int eun_seccomp_recorder_status(const struct eun_seccomp_recorder *r)
{
	return r->child.reaped ? r->child.status : -1;
}

struct eun_seccomp_recording *eun_seccomp_recorder_finish(struct eun_seccomp_recorder *r)
{
	struct eun_seccomp_recording *rec;
	int err = 0;

	sc_error_clear();
	if (r->finished)
		return sc_error_null(EINVAL, "the recorder has finished already");
	r->finished = true;
	if (r->t && eun_tracker_state(r->t) == EUN_TRACKER_RUNNING &&
	    (err = eun_tracker_stop(r->t)))
		err = sc_error_from_eun(err, "cannot stop the seccomp tracker");
	if (r->child.pid && !r->child.reaped) {
		kill(r->child.pid, SIGKILL);
		waitpid(r->child.pid, &r->child.status, 0);
		r->child.reaped = true;
	}
	if (r->cg.made && !err)
		err = sc_cgroup_remove(&r->cg);
	if (!err && r->error)
		err = sc_error(-r->error, "out of memory for the recording");
	if (err) {
		errno = -err;
		return NULL;
	}
	rec = r->rec;
	r->rec = NULL;
	rec->ended_ns = now_ns();
	sc_recording_seal(rec);
	return rec;
}

struct eun_tracker *eun_seccomp_recorder_tracker(const struct eun_seccomp_recorder *r)
{
	return r->t;
}

void eun_seccomp_recorder_free(struct eun_seccomp_recorder *r)
{
	if (!r)
		return;
	if (r->listener)
		eun_listener_remove(r->listener);
	if (r->t)
		eun_tracker_free(r->t);
	if (r->child.pid && !r->child.reaped) {
		kill(r->child.pid, SIGKILL);
		waitpid(r->child.pid, &r->child.status, 0);
	}
	sc_cgroup_remove(&r->cg);
	sc_argv_free(r->argv);
	eun_seccomp_recording_free(r->rec);
	free(r);
}
