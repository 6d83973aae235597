// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/* The recording: what a subject's tasks did, summed over the tracker's records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

static const char *const phase_names[] = { "runtime", "runtime_filtered", "workload" };

const char *sc_phase_name(unsigned phase)
{
	return phase < 3 ? phase_names[phase] : "?";
}

int sc_phase_from_name(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(name, phase_names[i]))
			return i;
	return -1;
}

const char *sc_syscall_name(const char *arch, uint32_t nr, char *buf, size_t size)
{
	uint32_t token = sc_arch_from_name(arch);
	char *name = token ? seccomp_syscall_resolve_num_arch(token, (int)nr) : NULL;

	snprintf(buf, size, "%s", name ? name : "");
	free(name);
	return buf;
}

struct eun_seccomp_recording *sc_recording_new(void)
{
	struct eun_seccomp_recording *r = calloc(1, sizeof(*r));

	if (!r)
		return sc_error_null(ENOMEM, "out of memory for a recording");
	snprintf(r->native, sizeof(r->native), "%s", sc_arch_name(seccomp_arch_native()));
	return r;
}

void eun_seccomp_recording_free(struct eun_seccomp_recording *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_notes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->calls);
	free(r->args);
	free(r->capv);
	free(r->starts);
	free(r);
}

static void keep_first(uint64_t *first_ns, uint32_t *pid, char *comm, uint64_t ns, uint32_t npid,
		       const char *ncomm)
{
	if (*first_ns && *first_ns <= ns) {
		if (!comm[0] && ncomm[0])
			snprintf(comm, 16, "%s", ncomm);
		return;
	}
	*first_ns = ns;
	*pid = npid;
	snprintf(comm, 16, "%s", ncomm);
}

int sc_recording_add_call(struct eun_seccomp_recording *r, const struct sc_call_rec *c)
{
	struct sc_call_rec *x;

	for (size_t i = 0; i < r->n_calls; i++) {
		x = &r->calls[i];
		if (x->phase == c->phase && x->nr == c->nr && !strcmp(x->arch, c->arch)) {
			x->count += c->count;
			keep_first(&x->first_ns, &x->pid, x->comm, c->first_ns, c->pid, c->comm);
			return 0;
		}
	}
	x = sc_grow(&r->calls, &r->n_calls, &r->cap_calls, sizeof(*x));
	if (!x)
		return -ENOMEM;
	*x = *c;
	return 0;
}

int sc_recording_add_arg(struct eun_seccomp_recording *r, const struct sc_arg_rec *a)
{
	struct sc_arg_rec *x;

	for (size_t i = 0; i < r->n_args; i++) {
		x = &r->args[i];
		if (x->phase == a->phase && x->nr == a->nr && x->overflow == a->overflow &&
		    (a->overflow || x->value == a->value) && !strcmp(x->arch, a->arch) &&
		    !strcmp(x->kind, a->kind))
			return 0;
	}
	x = sc_grow(&r->args, &r->n_args, &r->cap_args, sizeof(*x));
	if (!x)
		return -ENOMEM;
	*x = *a;
	return 0;
}

int sc_recording_add_cap(struct eun_seccomp_recording *r, const struct sc_cap_rec *c)
{
	struct sc_cap_rec *x;

	for (size_t i = 0; i < r->n_caps; i++) {
		x = &r->capv[i];
		if (x->phase == c->phase && x->cap == c->cap && x->granted == c->granted &&
		    x->override == c->override && !strcmp(x->audit, c->audit) &&
		    !strcmp(x->caller, c->caller)) {
			x->count += c->count;
			keep_first(&x->first_ns, &x->pid, x->comm, c->first_ns, c->pid, c->comm);
			return 0;
		}
	}
	x = sc_grow(&r->capv, &r->n_caps, &r->cap_caps, sizeof(*x));
	if (!x)
		return -ENOMEM;
	*x = *c;
	return 0;
}

int sc_recording_add_start(struct eun_seccomp_recording *r, const struct sc_start_rec *s)
{
	struct sc_start_rec *x = sc_grow(&r->starts, &r->n_starts, &r->cap_starts, sizeof(*x));

	if (!x)
		return -ENOMEM;
	*x = *s;
	return 0;
}

int sc_recording_note(struct eun_seccomp_recording *r, const char *fmt, ...)
{
	char **slot, *text;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_notes; i++)
		if (!strcmp(r->notes[i], text)) {
			free(text);
			return 0;
		}
	slot = sc_grow(&r->notes, &r->n_notes, &r->cap_notes, sizeof(*slot));
	if (!slot) {
		free(text);
		return -ENOMEM;
	}
	*slot = text;
	return 0;
}

/* Architectures in their report order: the native one first. */
static int arch_rank(const struct eun_seccomp_recording *r, const char *arch)
{
	return strcmp(arch, r->native) ? 1 : 0;
}

static int call_order(const void *a, const void *b, void *rec)
{
	const struct sc_call_rec *x = a, *y = b;
	int d = arch_rank(rec, x->arch) - arch_rank(rec, y->arch);

	if (!d)
		d = strcmp(x->arch, y->arch);
	if (!d)
		d = (int)y->phase - (int)x->phase; /* the workload first */
	if (!d)
		d = x->nr < y->nr ? -1 : x->nr > y->nr;
	return d;
}

static int arg_order(const void *a, const void *b)
{
	const struct sc_arg_rec *x = a, *y = b;
	int d = strcmp(x->arch, y->arch);

	if (!d)
		d = (int)y->phase - (int)x->phase;
	if (!d)
		d = strcmp(x->kind, y->kind);
	if (!d)
		d = (int)x->overflow - (int)y->overflow;
	if (!d)
		d = x->value < y->value ? -1 : x->value > y->value;
	return d;
}

static int cap_order(const void *a, const void *b)
{
	const struct sc_cap_rec *x = a, *y = b;

	if (x->phase != y->phase)
		return (int)y->phase - (int)x->phase;
	if (x->cap != y->cap)
		return x->cap < y->cap ? -1 : 1;
	return (int)y->granted - (int)x->granted;
}

void sc_recording_seal(struct eun_seccomp_recording *r)
{
	size_t workload = 0, runtime = 0, filtered = 0;

	if (r->n_calls)
		qsort_r(r->calls, r->n_calls, sizeof(*r->calls), call_order, r);
	if (r->n_args)
		qsort(r->args, r->n_args, sizeof(*r->args), arg_order);
	if (r->n_caps)
		qsort(r->capv, r->n_caps, sizeof(*r->capv), cap_order);
	for (size_t i = 0; i < r->n_calls; i++) {
		workload += r->calls[i].phase == EUN_SECCOMP_PHASE_WORKLOAD;
		runtime += r->calls[i].phase == EUN_SECCOMP_PHASE_RUNTIME;
		filtered += r->calls[i].phase == EUN_SECCOMP_PHASE_FILTERED;
	}
	if (!r->n_calls)
		sc_recording_note(r, "no syscall was recorded: the subject did nothing while it was "
				  "recorded (or never started)");
	else if (r->phases && !r->n_starts)
		sc_recording_note(r, "no exec started the workload: all %zu syscalls are the "
				  "runtime's (a container without a mount namespace of its own "
				  "looks so); --include-runtime allows them", runtime);
	if (r->phases && r->n_starts && !filtered && !strcmp(r->subject_kind, "container"))
		sc_recording_note(r, "the runtime neither installed a seccomp filter nor set "
				  "no_new_privs while recorded, so what it does between installing "
				  "the profile and the workload's exec is not known; if the "
				  "container does not start under the profile, record it once more "
				  "with the complain profile in its config (or use "
				  "--include-runtime)");
	for (size_t i = 0; i < r->n_calls; i++) {
		char name[40];

		if (!sc_syscall_name(r->calls[i].arch, r->calls[i].nr, name, sizeof(name))[0])
			sc_recording_note(r, "%s syscall %u is unknown to libseccomp %u.%u.%u: a "
					  "profile cannot name it (runc answers such syscalls with "
					  "ENOSYS)", r->calls[i].arch, r->calls[i].nr,
					  seccomp_version()->major, seccomp_version()->minor,
					  seccomp_version()->micro);
	}
	for (size_t i = 0; i < r->n_args; i++)
		if (r->args[i].overflow && r->args[i].phase == EUN_SECCOMP_PHASE_WORKLOAD)
			sc_recording_note(r, "%s: more than 8 distinct %s values: the profile allows "
					  "it without conditions", r->args[i].arch, r->args[i].kind);
	(void)workload;
}

size_t eun_seccomp_recording_count(const struct eun_seccomp_recording *r)
{
	return r->n_calls;
}

int eun_seccomp_recording_call(const struct eun_seccomp_recording *r, size_t i,
			       struct eun_seccomp_call *out)
{
	const struct sc_call_rec *c;
	struct eun_seccomp_call e = { 0 };

	if (i >= r->n_calls || !out || out->sz < offsetof(struct eun_seccomp_call, first_comm) + 16)
		return -ERANGE;
	c = &r->calls[i];
	e.sz = out->sz;
	snprintf(e.arch, sizeof(e.arch), "%s", c->arch);
	e.phase = (enum eun_seccomp_phase)c->phase;
	e.nr = c->nr;
	sc_syscall_name(c->arch, c->nr, e.name, sizeof(e.name));
	e.count = c->count;
	e.first_ns = c->first_ns;
	e.first_pid = c->pid;
	snprintf(e.first_comm, sizeof(e.first_comm), "%s", c->comm);
	memcpy(out, &e, out->sz < sizeof(e) ? out->sz : sizeof(e));
	return 0;
}

const char *eun_seccomp_recording_note(const struct eun_seccomp_recording *r, size_t i)
{
	return i < r->n_notes ? r->notes[i] : NULL;
}
