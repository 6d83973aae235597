// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * The coverage report of a recording: text for people, and JSON, which
 * is the recording itself (eun_seccomp_recording_load() reads it back, so
 * profiles can be written again from it with other options).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sc.h"

#define FORMAT_VERSION 1

static const char *const class_names[] = { "needed", "denied", "probed", "runtime" };

/* Milliseconds of ns after the recording started. */
static double rel_ms(const struct eun_seccomp_recording *r, uint64_t ns)
{
	return ns >= r->started_ns ? (double)(ns - r->started_ns) / 1e6 : 0.0;
}

static void caps_line(const struct eun_seccomp_recording *r, struct sc_buf *b, int cls)
{
	uint64_t caps = eun_seccomp_recording_caps(r, (enum eun_caps_class)cls);
	char name[40];

	sc_buf_printf(b, "  %-8s", class_names[cls]);
	if (!caps)
		sc_buf_printf(b, " (none)");
	for (unsigned c = 0; c < 64; c++)
		if (caps >> c & 1)
			sc_buf_printf(b, " %s", sc_cap_name(c, name, sizeof(name)));
	sc_buf_printf(b, "\n");
}

static char *report_text(const struct eun_seccomp_recording *r)
{
	struct sc_buf b = { 0 };
	const char *arch = NULL;
	int phase = -1;

	sc_buf_printf(&b, "Recording of %s %s", r->subject_kind, r->subject);
	if (r->cgroup[0])
		sc_buf_printf(&b, " (cgroup %s)", r->cgroup);
	sc_buf_printf(&b, ", %.2f s\n", r->ended_ns > r->started_ns
						? (double)(r->ended_ns - r->started_ns) / 1e9 : 0.0);
	for (size_t i = 0; i < r->n_starts; i++)
		sc_buf_printf(&b, "Workload started: pid %u (%s) executed %s at +%.3f ms\n",
			      r->starts[i].pid, r->starts[i].comm, r->starts[i].filename,
			      rel_ms(r, r->starts[i].ns));
	for (size_t i = 0; i < r->n_calls; i++) {
		const struct sc_call_rec *c = &r->calls[i];
		char name[40];

		if (!arch || strcmp(arch, c->arch) || phase != c->phase) {
			size_t n = 0;

			for (size_t k = i; k < r->n_calls && !strcmp(r->calls[k].arch, c->arch) &&
					   r->calls[k].phase == c->phase; k++)
				n++;
			arch = c->arch;
			phase = c->phase;
			sc_buf_printf(&b, "\n%s, %s: %zu syscalls\n", arch, sc_phase_name(c->phase), n);
			sc_buf_printf(&b, "  %6s  %-24s %10s %12s %8s  %s\n", "NR", "SYSCALL", "COUNT",
				      "FIRST(ms)", "PID", "COMM");
		}
		sc_syscall_name(c->arch, c->nr, name, sizeof(name));
		sc_buf_printf(&b, "  %6u  %-24s %10" PRIu64 " %+12.3f %8u  %s\n", c->nr,
			      name[0] ? name : "?", c->count, rel_ms(r, c->first_ns), c->pid, c->comm);
	}
	if (r->n_args) {
		sc_buf_printf(&b, "\nArguments:\n");
		for (size_t i = 0; i < r->n_args; i++) {
			const struct sc_arg_rec *a = &r->args[i];

			if (a->overflow)
				sc_buf_printf(&b, "  %s %s %-12s more than 8 values\n", a->arch,
					      sc_phase_name(a->phase), a->kind);
			else if (!strcmp(a->kind, "socket"))
				sc_buf_printf(&b, "  %s %s %-12s family %" PRIu64 ", type %" PRIu64 "\n",
					      a->arch, sc_phase_name(a->phase), a->kind, a->value >> 32,
					      a->value & 0xffffffff);
			else
				sc_buf_printf(&b, "  %s %s %-12s 0x%" PRIx64 "\n", a->arch,
					      sc_phase_name(a->phase), a->kind, a->value);
		}
	}
	if (r->caps) {
		sc_buf_printf(&b, "\nCapabilities:\n");
		for (int c = 0; c < 4; c++)
			caps_line(r, &b, c);
		for (size_t i = 0; i < r->n_caps; i++) {
			const struct sc_cap_rec *c = &r->capv[i];
			char name[40];

			sc_buf_printf(&b, "    %-16s %-22s %-7s audit=%-7s %s%-28s %6" PRIu64
				      " checks, first +%.3f ms by %u (%s)\n", sc_phase_name(c->phase),
				      sc_cap_name(c->cap, name, sizeof(name)),
				      c->granted ? "granted" : "denied", c->audit,
				      c->override ? "override " : "", c->caller, c->count,
				      rel_ms(r, c->first_ns), c->pid, c->comm);
		}
	}
	if (r->n_notes) {
		sc_buf_printf(&b, "\nNotes:\n");
		for (size_t i = 0; i < r->n_notes; i++)
			sc_buf_printf(&b, "  - %s\n", r->notes[i]);
	}
	return sc_buf_take(&b);
}

static json_t *report_json(const struct eun_seccomp_recording *r)
{
	json_t *root = json_object(), *subject = json_object(), *v;

	json_object_set_new(root, "eunomia_seccomp_recording", json_integer(FORMAT_VERSION));
	json_object_set_new(subject, "kind", json_string(r->subject_kind));
	json_object_set_new(subject, "name", json_string(r->subject));
	json_object_set_new(subject, "cgroup", json_string(r->cgroup));
	json_object_set_new(root, "subject", subject);
	json_object_set_new(root, "native", json_string(r->native));
	json_object_set_new(root, "started_ns", json_integer((json_int_t)r->started_ns));
	json_object_set_new(root, "ended_ns", json_integer((json_int_t)r->ended_ns));
	json_object_set_new(root, "phases", json_boolean(r->phases));
	json_object_set_new(root, "caps_recorded", json_boolean(r->caps));
	v = json_array();
	for (size_t i = 0; i < r->n_starts; i++)
		json_array_append_new(v, json_pack("{s:i,s:s,s:s,s:I}", "pid", (int)r->starts[i].pid,
						   "comm", r->starts[i].comm, "filename",
						   r->starts[i].filename, "ns",
						   (json_int_t)r->starts[i].ns));
	json_object_set_new(root, "workload_starts", v);
	v = json_array();
	for (size_t i = 0; i < r->n_calls; i++) {
		const struct sc_call_rec *c = &r->calls[i];
		char name[40];

		sc_syscall_name(c->arch, c->nr, name, sizeof(name));
		json_array_append_new(v, json_pack("{s:s,s:s,s:i,s:s,s:I,s:I,s:i,s:s}", "arch", c->arch,
						   "phase", sc_phase_name(c->phase), "nr", (int)c->nr,
						   "name", name, "count", (json_int_t)c->count,
						   "first_ns", (json_int_t)c->first_ns, "pid",
						   (int)c->pid, "comm", c->comm));
	}
	json_object_set_new(root, "syscalls", v);
	v = json_array();
	for (size_t i = 0; i < r->n_args; i++) {
		const struct sc_arg_rec *a = &r->args[i];

		json_array_append_new(v, json_pack("{s:s,s:s,s:s,s:i,s:I,s:b}", "arch", a->arch,
						   "phase", sc_phase_name(a->phase), "kind", a->kind,
						   "nr", (int)a->nr, "value", (json_int_t)a->value,
						   "overflow", a->overflow));
	}
	json_object_set_new(root, "args", v);
	v = json_array();
	for (size_t i = 0; i < r->n_caps; i++) {
		const struct sc_cap_rec *c = &r->capv[i];

		json_array_append_new(v, json_pack("{s:s,s:i,s:b,s:b,s:s,s:s,s:I,s:I,s:i,s:s}",
						   "phase", sc_phase_name(c->phase), "cap", (int)c->cap,
						   "granted", c->granted, "override", c->override,
						   "audit", c->audit, "caller", c->caller, "count",
						   (json_int_t)c->count, "first_ns",
						   (json_int_t)c->first_ns, "pid", (int)c->pid, "comm",
						   c->comm));
	}
	json_object_set_new(root, "caps", v);
	if (r->caps) {
		json_t *classes = json_object();

		for (int cls = 0; cls < 4; cls++) {
			uint64_t caps = eun_seccomp_recording_caps(r, (enum eun_caps_class)cls);
			json_t *list = json_array();

			for (int c = 0; c < 64; c++)
				if (caps >> c & 1)
					json_array_append_new(list, json_integer(c));
			json_object_set_new(classes, class_names[cls], list);
		}
		json_object_set_new(root, "capability_classes", classes);
	}
	v = json_array();
	for (size_t i = 0; i < r->n_notes; i++)
		json_array_append_new(v, json_string(r->notes[i]));
	json_object_set_new(root, "notes", v);
	return root;
}

int eun_seccomp_recording_report(const struct eun_seccomp_recording *r,
				 enum eun_seccomp_format format, char **out)
{
	sc_error_clear();
	if (format == EUN_SECCOMP_JSON) {
		json_t *root = report_json(r);
		char *text = json_dumps(root, JSON_INDENT(1));

		json_decref(root);
		*out = text ? sc_strdupf("%s\n", text) : NULL;
		free(text);
	} else {
		*out = report_text(r);
	}
	return *out ? 0 : sc_error(ENOMEM, "out of memory writing the report");
}

int eun_seccomp_recording_save(const struct eun_seccomp_recording *r, const char *path)
{
	char *text;
	FILE *f;
	int err = 0;

	if ((err = eun_seccomp_recording_report(r, EUN_SECCOMP_JSON, &text)))
		return err;
	f = !strcmp(path, "-") ? stdout : fopen(path, "w");
	if (!f)
		err = -errno;
	else if (fputs(text, f) < 0 || fflush(f))
		err = -errno;
	if (f && f != stdout && fclose(f) && !err)
		err = -errno;
	free(text);
	return err ? sc_error(-err, "cannot write the recording to %s: %s", path, strerror(-err)) : 0;
}

/* Strings of an object into a fixed buffer ("" when missing). */
static void str_of(json_t *o, const char *key, char *buf, size_t size)
{
	const char *s = json_string_value(json_object_get(o, key));

	snprintf(buf, size, "%s", s ? s : "");
}

static uint64_t u64_of(json_t *o, const char *key)
{
	json_int_t n = json_integer_value(json_object_get(o, key));

	return n > 0 ? (uint64_t)n : 0;
}

static int load_entries(struct eun_seccomp_recording *r, json_t *root, const char *path)
{
	char phase[24];
	size_t i;
	json_t *e;
	int err = 0, ph;

	json_array_foreach(json_object_get(root, "syscalls"), i, e) {
		struct sc_call_rec c = { 0 };

		str_of(e, "arch", c.arch, sizeof(c.arch));
		str_of(e, "phase", phase, sizeof(phase));
		if ((ph = sc_phase_from_name(phase)) < 0 || !sc_arch_from_name(c.arch))
			return sc_error(EINVAL, "%s: syscalls[%zu]: unknown arch '%s' or phase '%s'",
					path, i, c.arch, phase);
		c.phase = (uint8_t)ph;
		c.nr = (uint32_t)u64_of(e, "nr");
		c.count = u64_of(e, "count");
		c.first_ns = u64_of(e, "first_ns");
		c.pid = (uint32_t)u64_of(e, "pid");
		str_of(e, "comm", c.comm, sizeof(c.comm));
		if ((err = sc_recording_add_call(r, &c)))
			return err;
	}
	json_array_foreach(json_object_get(root, "args"), i, e) {
		struct sc_arg_rec a = { 0 };

		str_of(e, "arch", a.arch, sizeof(a.arch));
		str_of(e, "phase", phase, sizeof(phase));
		str_of(e, "kind", a.kind, sizeof(a.kind));
		if ((ph = sc_phase_from_name(phase)) < 0)
			return sc_error(EINVAL, "%s: args[%zu]: unknown phase '%s'", path, i, phase);
		a.phase = (uint8_t)ph;
		a.nr = (uint32_t)u64_of(e, "nr");
		a.value = u64_of(e, "value");
		a.overflow = json_is_true(json_object_get(e, "overflow"));
		if ((err = sc_recording_add_arg(r, &a)))
			return err;
	}
	json_array_foreach(json_object_get(root, "caps"), i, e) {
		struct sc_cap_rec c = { 0 };

		str_of(e, "phase", phase, sizeof(phase));
		if ((ph = sc_phase_from_name(phase)) < 0)
			return sc_error(EINVAL, "%s: caps[%zu]: unknown phase '%s'", path, i, phase);
		c.phase = (uint8_t)ph;
		c.cap = (uint32_t)u64_of(e, "cap");
		c.granted = json_is_true(json_object_get(e, "granted"));
		c.override = json_is_true(json_object_get(e, "override"));
		str_of(e, "audit", c.audit, sizeof(c.audit));
		str_of(e, "caller", c.caller, sizeof(c.caller));
		c.count = u64_of(e, "count");
		c.first_ns = u64_of(e, "first_ns");
		c.pid = (uint32_t)u64_of(e, "pid");
		str_of(e, "comm", c.comm, sizeof(c.comm));
		if ((err = sc_recording_add_cap(r, &c)))
			return err;
	}
	json_array_foreach(json_object_get(root, "workload_starts"), i, e) {
		struct sc_start_rec s = { 0 };

		s.pid = (uint32_t)u64_of(e, "pid");
		str_of(e, "comm", s.comm, sizeof(s.comm));
		str_of(e, "filename", s.filename, sizeof(s.filename));
		s.ns = u64_of(e, "ns");
		if ((err = sc_recording_add_start(r, &s)))
			return err;
	}
	json_array_foreach(json_object_get(root, "notes"), i, e)
		if (json_is_string(e) && (err = sc_recording_note(r, "%s", json_string_value(e))))
			return err;
	return 0;
}

struct eun_seccomp_recording *eun_seccomp_recording_load(const char *path)
{
	struct eun_seccomp_recording *r;
	json_error_t je;
	json_t *root, *subject;
	int err;

	sc_error_clear();
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return sc_error_null(EINVAL, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	if (json_integer_value(json_object_get(root, "eunomia_seccomp_recording")) != FORMAT_VERSION) {
		json_decref(root);
		return sc_error_null(EINVAL, "%s is not a recording of eunomia seccomp record "
				     "(--report json:FILE writes one)", path);
	}
	r = sc_recording_new();
	if (!r) {
		json_decref(root);
		return NULL;
	}
	subject = json_object_get(root, "subject");
	str_of(subject, "kind", r->subject_kind, sizeof(r->subject_kind));
	str_of(subject, "name", r->subject, sizeof(r->subject));
	str_of(subject, "cgroup", r->cgroup, sizeof(r->cgroup));
	str_of(root, "native", r->native, sizeof(r->native));
	r->started_ns = u64_of(root, "started_ns");
	r->ended_ns = u64_of(root, "ended_ns");
	r->phases = json_is_true(json_object_get(root, "phases"));
	r->caps = json_is_true(json_object_get(root, "caps_recorded"));
	err = load_entries(r, root, path);
	json_decref(root);
	if (err) {
		eun_seccomp_recording_free(r);
		errno = -err;
		return NULL;
	}
	return r;
}
