/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Opening, loading and attaching an instance's object. Every program is
 * attached by its SEC() name, as libbpf does. A program whose hook this
 * kernel lacks is named in the error (attach policy "all") or left out
 * with a warning naming it while the others still attach ("available").
 * The kernel refuses some hooks at load time (fentry here), which fails the
 * whole object: the culprits are then found by loading the programs one by
 * one, and the object is loaded again without them.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"

/* What a hook of section sec needs, for messages. */
static const char *hook_hint(const char *sec)
{
	static const struct {
		const char *prefix, *hint;
	} hints[] = {
		{ "kprobe", "kprobes need a kernel built with CONFIG_KPROBES" },
		{ "kretprobe", "kprobes need a kernel built with CONFIG_KPROBES" },
		{ "ksyscall", "kprobes need a kernel built with CONFIG_KPROBES" },
		{ "fentry", "fentry/fexit programs need BPF trampolines, which this kernel may refuse" },
		{ "fexit", "fentry/fexit programs need BPF trampolines, which this kernel may refuse" },
		{ "fmod_ret", "fmod_ret programs need BPF trampolines, which this kernel may refuse" },
		{ "lsm", "LSM programs need CONFIG_BPF_LSM and 'bpf' in the lsm= boot list" },
		{ "tracepoint", "tracepoints need tracefs and the tracepoint in this kernel" },
		{ "tp/", "tracepoints need tracefs and the tracepoint in this kernel" },
		{ "raw_tp", "raw tracepoints need the tracepoint in this kernel" },
		{ "raw_tracepoint", "raw tracepoints need the tracepoint in this kernel" },
		{ "tp_btf", "BTF tracepoints need the tracepoint in this kernel's BTF" },
		{ "uprobe", "uprobes need CONFIG_UPROBES and a binary in the SEC() name" },
		{ "uretprobe", "uprobes need CONFIG_UPROBES and a binary in the SEC() name" },
		{ "usdt", "USDT probes need a binary in the SEC() name" },
	};

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (!strncmp(sec, hints[i].prefix, strlen(hints[i].prefix)))
			return hints[i].hint;
	return "libbpf attaches it by its SEC() name; a section it cannot attach by itself needs a C plugin";
}

static const char *policy_fix(void)
{
	return "run with --attach available (EUN_BPF_ATTACH_AVAILABLE) to leave it out";
}

/* A fresh object with the instance's config applied; only `only` (>= 0)
 * autoloaded, or every program not left out (-1). NULL on failure. */
static struct bpf_object *open_configured(struct inst *in, int only, bool prepare)
{
	struct bpfobj *o = in->o;
	struct bpf_object *obj = bpfobj_open(o);
	struct bpf_program *prog;
	size_t i = 0;
	int err = 0;

	if (!obj)
		return NULL;
	for (size_t p = 0; p < o->n_params && !err; p++)
		err = param_apply(&o->params[p], obj, in->values[p]);
	bpf_object__for_each_program(prog, obj) {
		if ((only >= 0 && (int)i != only) || (in->skip && i < in->n_progs && in->skip[i]))
			bpf_program__set_autoload(prog, false);
		i++;
	}
	for (size_t k = 0; k < o->n_outs && !err; k++) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, o->outs[k].map);

		/* ringbuf_kb sizes the object's rings (the native one through prepare_bpf). */
		if (o->outs[k].kind == OUT_RING && in->ring_bytes && m && !(o->eun_native &&
		    !strcmp(o->outs[k].map, "eun_events")))
			err = bpf_map__set_max_entries(m, (uint32_t)in->ring_bytes);
	}
	if (!err && prepare && o->eun_native)
		err = in->host->prepare_bpf(in->t, obj);
	if (err) {
		if (!*eun_last_error())
			set_error(-err, "object %s: cannot apply its configuration: %s", o->path,
				  strerror(-err));
		bpf_object__close(obj);
		errno = -err;
		return NULL;
	}
	return obj;
}

int inst_open(struct inst *in)
{
	struct bpf_object *obj = open_configured(in, -1, true), *old = in->obj;

	if (!obj)
		return -errno;
	in->obj = obj; /* the core was handed obj (prepare_bpf) before old goes */
	bpf_object__close(old);
	if (!in->links) {
		struct bpf_program *p;

		bpf_object__for_each_program(p, obj)
			in->n_progs++;
		in->links = calloc(in->n_progs + 1, sizeof(*in->links));
		in->skip = calloc(in->n_progs + 1, sizeof(*in->skip));
		if (!in->links || !in->skip)
			return set_error(ENOMEM, "out of memory");
	}
	return 0;
}

/* Program i of obj. */
static struct bpf_program *prog_at(struct bpf_object *obj, size_t i)
{
	struct bpf_program *p;
	size_t k = 0;

	bpf_object__for_each_program(p, obj)
		if (k++ == i)
			return p;
	return NULL;
}

/* Load each autoloaded program alone; mark those the kernel refuses in bad. */
static size_t find_refused(struct inst *in, bool *bad, int *errs, size_t *n_tried)
{
	size_t n_bad = 0;

	*n_tried = 0;
	for (size_t i = 0; i < in->n_progs; i++) {
		struct bpf_program *p = prog_at(in->obj, i);
		struct bpf_object *one;

		if (!p || in->skip[i] || !bpf_program__autoload(p))
			continue;
		(*n_tried)++;
		if (!(one = open_configured(in, (int)i, false)))
			continue;
		errs[i] = bpf_object__load(one);
		bpf_object__close(one);
		if (errs[i]) {
			bad[i] = true;
			n_bad++;
		}
	}
	clear_error();
	return n_bad;
}

int inst_load(struct inst *in)
{
	struct bpfobj *o = in->o;
	bool *bad;
	int *errs, err = bpf_object__load(in->obj);
	size_t n_bad, n_tried, first = 0;

	if (!err) {
		in->loaded = true;
		return 0;
	}
	bad = calloc(in->n_progs + 1, sizeof(*bad));
	errs = calloc(in->n_progs + 1, sizeof(*errs));
	if (!bad || !errs) {
		free(bad);
		free(errs);
		return set_error(ENOMEM, "out of memory");
	}
	n_bad = find_refused(in, bad, errs, &n_tried);
	while (first < in->n_progs && !bad[first])
		first++;
	if (!n_bad) {
		err = set_error(-err, "object %s cannot be loaded: %s; each of its programs loads "
				"alone, so a map or the programs together are refused (the libbpf "
				"messages above say which)", o->path, strerror(-err));
	} else if (o->attach_policy == EUN_BPF_ATTACH_ALL || n_bad == n_tried) {
		struct bpf_program *p = prog_at(in->obj, first);

		/* The privileges were checked: what is missing is the kernel's (exit status 4). */
		err = set_error(ENOTSUP, "object %s: program '%s' (SEC(\"%s\")) cannot be loaded: "
				"%s; %s; %s%s", o->path, bpf_program__name(p),
				bpf_program__section_name(p), strerror(-errs[first]),
				hook_hint(bpf_program__section_name(p)),
				n_bad == n_tried ? "no program of the object loads" : policy_fix(),
				n_bad > 1 ? " (and others: see the warnings)" : "");
		for (size_t i = first + 1; i < in->n_progs; i++)
			if (bad[i])
				log_msg(EUN_LOG_WARN, "object %s: program '%s' (SEC(\"%s\")) cannot be "
					"loaded either: %s", o->path, bpf_program__name(prog_at(in->obj, i)),
					bpf_program__section_name(prog_at(in->obj, i)), strerror(-errs[i]));
	} else {
		for (size_t i = 0; i < in->n_progs; i++) {
			struct bpf_program *p = prog_at(in->obj, i);

			if (!bad[i])
				continue;
			in->skip[i] = true;
			in->host->log(in->t, EUN_PLOG_WARN, "program '%s' (SEC(\"%s\")) left out: the "
				      "kernel refuses it (%s); %s", bpf_program__name(p),
				      bpf_program__section_name(p), strerror(-errs[i]),
				      hook_hint(bpf_program__section_name(p)));
		}
		if (!(err = inst_open(in)) && (err = bpf_object__load(in->obj)))
			err = set_error(-err, "object %s cannot be loaded without its refused programs "
					"either: %s", o->path, strerror(-err));
		in->loaded = !err;
	}
	free(bad);
	free(errs);
	return err;
}

int inst_attach(struct inst *in)
{
	struct bpfobj *o = in->o;
	size_t attached = 0, tried = 0;
	struct bpf_program *p;
	size_t i = 0;
	int err = 0, last = 0;

	bpf_object__for_each_program(p, in->obj) {
		size_t k = i++;

		if (in->skip[k] || !bpf_program__autoload(p) || !bpf_program__autoattach(p))
			continue;
		tried++;
		if (in->links[k]) {
			attached++;
			continue;
		}
		in->links[k] = bpf_program__attach(p);
		if (in->links[k]) {
			attached++;
			continue;
		}
		in->links[k] = NULL;
		last = -errno;
		if (o->attach_policy == EUN_BPF_ATTACH_ALL) {
			err = set_error(ENOTSUP, "object %s: cannot attach program '%s' (SEC(\"%s\")): %s; "
					"%s; %s", o->path, bpf_program__name(p), bpf_program__section_name(p),
					strerror(-last), hook_hint(bpf_program__section_name(p)),
					policy_fix());
			break;
		}
		in->host->log(in->t, EUN_PLOG_WARN, "program '%s' (SEC(\"%s\")) left out: cannot "
			      "attach: %s; %s", bpf_program__name(p), bpf_program__section_name(p),
			      strerror(-last), hook_hint(bpf_program__section_name(p)));
		in->skip[k] = true; /* its hook stays missing: no retry, no new warning */
	}
	if (!err && tried && !attached)
		err = set_error(ENOTSUP, "object %s: none of its %zu programs could be attached (the "
				"warnings name each one)", o->path, tried);
	if (!err && !tried)
		err = set_error(EINVAL, "object %s has no program that libbpf can attach by its SEC() "
				"name", o->path);
	if (err)
		inst_stop(in);
	return err;
}
