/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * eun_ctx_load_bpf_object(): read a compiled libbpf object, check that it
 * is one (an ELF relocatable file for EM_BPF with BTF), find its outputs,
 * layouts and parameters, and register the descriptor built from them
 * with the context, which owns it from then on.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfobj/bpfobj.h"
#include "core/core.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define MAX_OBJECT (64u << 20)

static int read_file(struct bpfobj *o)
{
	int fd = open(o->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t got = 0;

	if (fd < 0)
		return set_error(errno, "object %s: %s", o->path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_OBJECT) {
		close(fd);
		return set_error(EINVAL, "object %s: not a regular file of at most %u MiB", o->path,
				 MAX_OBJECT >> 20);
	}
	o->elf_size = (size_t)st.st_size;
	o->elf = malloc(o->elf_size ? o->elf_size : 1);
	if (!o->elf) {
		close(fd);
		return set_error(ENOMEM, "out of memory");
	}
	while (got < o->elf_size) {
		ssize_t n = read(fd, (char *)o->elf + got, o->elf_size - got);

		if (n <= 0) {
			int err = n < 0 ? errno : EIO;

			close(fd);
			return set_error(err, "object %s: %s", o->path, strerror(err));
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

/* An ELF relocatable file for BPF with a .BTF section; its license. */
static int elf_check(struct bpfobj *o)
{
	Elf *elf;
	GElf_Ehdr eh;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	bool btf = false;
	int err = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return set_error(EINVAL, "libelf is too old");
	elf = elf_memory(o->elf, o->elf_size);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		err = set_error(EINVAL, "object %s is not an ELF file; give a BPF object compiled with "
				"clang -target bpf (or taken out of a binary with 'eunomia bpf-extract')",
				o->path);
		goto out;
	}
	if (eh.e_machine != EM_BPF || eh.e_type != ET_REL) {
		err = set_error(EINVAL, "object %s is an ELF file, but not a BPF object (machine %u, "
				"type %u; a BPF object is a relocatable file for EM_BPF, 247)",
				o->path, eh.e_machine, eh.e_type);
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		err = set_error(EINVAL, "object %s: its section headers are damaged", o->path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)))
			continue;
		if (!strcmp(name, ".BTF"))
			btf = true;
		if (!strcmp(name, "license") && (d = elf_getdata(scn, NULL)) && d->d_size)
			o->license = strndup(d->d_buf, d->d_size);
	}
	if (!btf)
		err = set_error(EINVAL, "object %s has no BTF (no .BTF section): rebuild it with "
				"clang -g -O2 -target bpf; libeunomia reads its maps, globals and event "
				"structs from BTF", o->path);
	else if (!o->license && !(o->license = strdup("unknown")))
		err = set_error(ENOMEM, "out of memory");
out:
	if (elf)
		elf_end(elf);
	return err;
}

/* "./dir/opensnoop.bpf.o" -> "opensnoop". */
static char *default_name(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = strlen(base);
	char *name;

	if (len > 6 && !strcmp(base + len - 6, ".bpf.o"))
		len -= 6;
	else if (len > 2 && !strcmp(base + len - 2, ".o"))
		len -= 2;
	if (len > 63)
		len = 63;
	name = strndup(base, len);
	for (char *c = name; c && *c; c++)
		*c = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a')
		     : ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')) ? *c : '_';
	return name;
}

/* Does the object include <eunomia/bpf/eunomia.bpf.h>? Then its records
 * carry the header and the core sets its in-kernel filters. */
static bool is_eun_native(struct bpf_object *obj)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, "eun_events");
	const struct btf *btf = bpf_object__btf(obj);

	return m && bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF && btf &&
	       btf__find_by_name_kind(btf, "eun_cfg_pid", BTF_KIND_VAR) > 0;
}

static int build(struct bpfobj *o, const struct eun_bpf_object_opts *opts)
{
	const struct bpfobj_sources src = {
		.event_struct = OPTS_GET(opts, event_struct, NULL),
		.schema_path = OPTS_GET(opts, schema_path, NULL),
		.event_header = OPTS_GET(opts, event_header, NULL),
	};
	static const char *const reserved[] = { "interval_ms", NULL };
	struct bpf_object *obj;
	int err;

	if ((err = read_file(o)) || (err = elf_check(o)))
		return err;
	if (!(obj = bpfobj_open(o)))
		return -errno;
	o->eun_native = is_eun_native(obj);
	if (!(err = outputs_find(o, obj, &src)) && !(err = outputs_place(o)))
		err = params_read(obj, o->path, o->any_snap ? reserved : NULL, &o->params,
				  &o->n_params, &o->param_keys);
	if (!err)
		err = desc_build(o);
	bpf_object__close(obj);
	return err;
}

const struct eun_plugin *eun_ctx_load_bpf_object(struct eun_ctx *ctx, const char *path,
						 const struct eun_bpf_object_opts *opts)
{
	const char *name = OPTS_GET(opts, name, NULL);
	int policy = OPTS_GET(opts, attach, EUN_BPF_ATTACH_ALL);
	struct bpfobj *o;
	int err;

	clear_error();
	if (!ctx || !path) {
		errno = -set_error(EINVAL, "eun_ctx_load_bpf_object: ctx and path are required");
		return NULL;
	}
	if (!OPTS_VALID(opts, eun_bpf_object_opts)) {
		errno = EINVAL;
		return NULL;
	}
	if (policy != EUN_BPF_ATTACH_ALL && policy != EUN_BPF_ATTACH_AVAILABLE) {
		errno = -set_error(EINVAL, "eun_ctx_load_bpf_object: unknown attach policy %d", policy);
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o || !(o->path = strdup(path)) || !(o->name = name ? strdup(name) : default_name(path))) {
		bpfobj_free(o);
		errno = -set_error(ENOMEM, "out of memory");
		return NULL;
	}
	o->attach_policy = policy;
	if (eun_plugin_find(ctx, o->name)) {
		errno = -set_error(EEXIST, "object %s: a tracker named '%s' is loaded already (%s); "
				   "give this one another name", path, o->name,
				   eun_plugin_path(eun_plugin_find(ctx, o->name)));
		bpfobj_free(o);
		return NULL;
	}
	err = build(o, opts);
	if (err) {
		bpfobj_free(o);
		errno = -err;
		return NULL;
	}
	/* From here the ctx owns o: bpfobj_free() runs when it unloads the plugin. */
	err = ctx_add_owned_desc(ctx, &o->desc, o->path, bpfobj_free, o);
	if (err) {
		errno = -err;
		return NULL;
	}
	return ctx->plugins[ctx->n_plugins - 1];
}
