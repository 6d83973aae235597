/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * One tracker of a BPF object: the descriptor's create, destroy, start,
 * stop, ring_fd and kernel_drops. create() checks every config value
 * against the global it sets before anything is loaded, and sets up the
 * common filters: in the kernel through host->prepare_bpf() for objects
 * built with <eunomia/bpf/eunomia.bpf.h>, else in user space.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"
#include "container/container.h"
#include "core/core.h"

/* The object a tracker is an instance of: its descriptor lives in it. */
static struct bpfobj *object_of(struct eun_tracker *t)
{
	return (struct bpfobj *)((char *)t->plugin->desc - offsetof(struct bpfobj, desc));
}

static int config_u(struct inst *in, const char *key, uint64_t *v, bool *set)
{
	int err = in->host->config_uint(in->t, key, v);

	*set = !err;
	if (err == -ENODATA) {
		*v = 0;
		return 0;
	}
	return err;
}

/* True if every output's records can say `role` (from a field, or /proc
 * through the pid when via_proc). */
static bool outputs_have(const struct bpfobj *o, enum hdr_role role, bool via_proc,
			 const char **lacking)
{
	for (size_t i = 0; i < o->n_outs; i++) {
		const struct layout *lay = &o->outs[i].lay;
		bool has = lay->eun_header, pid = false;

		for (size_t f = 0; f < lay->n && !has; f++) {
			has = lay->f[f].role == role;
			pid |= lay->f[f].role == ROLE_PID;
		}
		if (!has && !(via_proc && pid)) {
			*lacking = o->outs[i].map;
			return false;
		}
	}
	return true;
}

static int filter_unusable(struct inst *in, const char *key, const char *map, const char *what)
{
	return set_error(EINVAL, "object %s: config key '%s': the records of map '%s' carry no %s, so "
			 "the filter cannot apply to them (the object does not include "
			 "<eunomia/bpf/eunomia.bpf.h>, whose filters run in the kernel); remove the "
			 "filter, or use the object's own parameters", in->o->path, key, map, what);
}

/* The cgroup filter's path below the cgroup v2 mount, from `cgroup` or `container`. */
static int filter_cgroup(struct inst *in, const char *path, const char *container)
{
	char root[256];
	struct eun_container_info info = { .sz = sizeof(info) };
	uint64_t id;
	uint32_t level;
	int err;

	if (container[0]) {
		if ((err = eun_ctx_container_find(in->t->ctx, container, &info)))
			return set_error(err == -ENOENT || err == -EEXIST ? EINVAL : -err,
					 "object %s: config key 'container': %s", in->o->path,
					 eun_last_error());
		path = info.cgroup;
	}
	if ((err = cgroup_resolve(path, &id, &level)))
		return set_error(err == -ENOENT ? EINVAL : -err, "object %s: config key '%s': %s",
				 in->o->path, container[0] ? "container" : "cgroup", eun_last_error());
	/* Keep it relative to the mount, as /proc/PID/cgroup shows it. */
	if (!cgroup_v2_mount(root, sizeof(root)) && !strncmp(path, root, strlen(root)))
		path += strlen(root);
	if (!*path)
		path = "/";
	in->filter.cgroup = strdup(path);
	if (!in->filter.cgroup)
		return set_error(ENOMEM, "out of memory");
	for (size_t n = strlen(in->filter.cgroup); n > 1 && in->filter.cgroup[n - 1] == '/'; n--)
		in->filter.cgroup[n - 1] = '\0';
	return 0;
}

/* The pid, uid, comm and cgroup filters, applied to the records in user space. */
static int filters_setup(struct inst *in)
{
	struct us_filter *f = &in->filter;
	const char *lacking = NULL, *comm = in->host->config_str(in->t, "comm");
	const char *cgroup = in->host->config_str(in->t, "cgroup");
	const char *container = in->host->config_str(in->t, "container");
	uint64_t v;
	bool set;
	int err;

	if ((err = config_u(in, "pid", &v, &set)))
		return err;
	f->pid = (uint32_t)v;
	f->pid_set = v != 0;
	if ((err = config_u(in, "uid", &v, &set)))
		return err;
	f->uid = (uint32_t)v;
	f->uid_set = set;
	f->comm_set = comm && *comm;
	if (f->comm_set)
		strncpy(f->comm, comm, sizeof(f->comm) - 1);
	if (f->pid_set && !outputs_have(in->o, ROLE_PID, false, &lacking))
		return filter_unusable(in, "pid", lacking, "pid (a field named pid or tgid)");
	if (f->uid_set && !outputs_have(in->o, ROLE_UID, true, &lacking))
		return filter_unusable(in, "uid", lacking, "uid, nor a pid to look it up");
	if (f->comm_set && !outputs_have(in->o, ROLE_COMM, true, &lacking))
		return filter_unusable(in, "comm", lacking, "task name (comm), nor a pid to look it up");
	if ((cgroup[0] || container[0]) && !outputs_have(in->o, ROLE_PID, false, &lacking))
		return filter_unusable(in, container[0] ? "container" : "cgroup", lacking,
				       "pid to find the task's cgroup");
	if ((cgroup[0] || container[0]) && (err = filter_cgroup(in, cgroup, container)))
		return err;
	f->any = f->pid_set || f->uid_set || f->comm_set || f->cgroup;
	return 0;
}

/* Check the globals' values and the common keys; set up the filters. */
static int configure(struct inst *in)
{
	struct bpfobj *o = in->o;
	uint64_t v;
	bool set;
	int err;

	in->values = calloc(o->n_params + 1, sizeof(*in->values));
	if (!in->values)
		return set_error(ENOMEM, "out of memory");
	for (size_t i = 0; i < o->n_params; i++) {
		const char *text = in->host->config_str(in->t, o->params[i].key);

		if ((err = param_check(&o->params[i], o->path, text)))
			return err;
		if (!(in->values[i] = strdup(text)))
			return set_error(ENOMEM, "out of memory");
	}
	if ((err = config_u(in, "ringbuf_kb", &v, &set)))
		return err;
	in->ring_bytes = v * 1024;
	if ((err = config_u(in, "wakeup_kb", &v, &set)))
		return err;
	in->wakeup_bytes = v * 1024;
	in->wakeup_set = set;
	if (o->any_snap) {
		if ((err = config_u(in, "interval_ms", &v, &set)) ||
		    (err = in->host->set_collect_interval(in->t, (uint32_t)v)))
			return err;
	}
	if (o->eun_native)
		return 0; /* the core sets the filters in the kernel (prepare_bpf) */
	if (!(in->procs = proc_cache_new()))
		return set_error(ENOMEM, "out of memory");
	return filters_setup(in);
}

int inst_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct bpfobj *o = object_of(t);
	struct inst *in = calloc(1, sizeof(*in));
	int err;

	if (!in)
		return set_error(ENOMEM, "out of memory");
	in->o = o;
	in->t = t;
	in->host = host;
	in->epfd = -1;
	in->rec = calloc(1, o->max_record);
	in->size_warned = calloc(o->n_outs, sizeof(bool));
	in->prev = calloc(o->n_outs, sizeof(*in->prev));
	if (!in->rec || !in->size_warned || !in->prev)
		err = set_error(ENOMEM, "out of memory");
	else
		err = configure(in);
	if (!err)
		err = inst_open(in);
	if (err) {
		inst_destroy(in);
		return err;
	}
	*state = in;
	return 0;
}

void inst_destroy(void *state)
{
	struct inst *in = state;

	if (!in)
		return;
	inst_stop(in);
	readers_free(in);
	/* The core forgets the object it was given (prepare_bpf) with the tracker. */
	bpf_object__close(in->obj);
	for (size_t i = 0; in->values && i < in->o->n_params; i++)
		free(in->values[i]);
	free(in->values);
	free(in->links);
	free(in->skip);
	free(in->filter.cgroup);
	proc_cache_free(in->procs);
	for (size_t i = 0; in->prev && i < in->o->n_outs; i++)
		free(in->prev[i].values);
	free(in->prev);
	free(in->rec);
	free(in->size_warned);
	free(in->snap_sum);
	free(in);
}

int inst_start(void *state)
{
	struct inst *in = state;
	int err;

	/* The core checked privileges and BTF; tracefs is needed by this object's
	 * tracepoints, which only it knows of (it never had prepare_bpf). */
	if (!in->o->eun_native && (err = kernel_env_prepare(in->obj)))
		return err;
	if (!in->loaded && ((err = inst_load(in)) || (err = readers_open(in))))
		return err;
	in->boot_minus_mono = boot_minus_mono_ns();
	return inst_attach(in);
}

int inst_stop(void *state)
{
	struct inst *in = state;

	for (size_t i = 0; in->links && i < in->n_progs; i++) {
		bpf_link__destroy(in->links[i]);
		in->links[i] = NULL;
	}
	return 0;
}

int inst_ring_fd(void *state)
{
	struct inst *in = state;

	return bpf_object__find_map_fd_by_name(in->obj, in->o->outs[in->o->ring_out].map);
}

uint64_t inst_kernel_drops(void *state)
{
	return ((struct inst *)state)->lost;
}
