// SPDX-License-Identifier: GPL-2.0-only
/* Shared lifecycle of the in-tree tracker plugins (see skel_plugin.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "skel_plugin.h"

struct skel_plugin *skel_plugin_open(struct eun_tracker *t, const struct eun_host *host, void *skel,
				     struct bpf_object_skeleton *s, struct bpf_object *obj,
				     void (*destroy_skel)(void *), const char *attach_hint)
{
	struct skel_plugin *sp;

	if (!skel) {
		int err = errno;

		host->set_error(t, "cannot open the embedded BPF object: %s; is libbpf >= 1.0 "
				"installed?", strerror(err));
		errno = err;
		return NULL;
	}
	sp = calloc(1, sizeof(*sp));
	if (!sp) {
		destroy_skel(skel);
		host->set_error(t, "out of memory allocating the tracker state");
		errno = ENOMEM;
		return NULL;
	}
	*sp = (struct skel_plugin){ .t = t, .host = host, .skel = skel, .s = s, .obj = obj,
				    .destroy_skel = destroy_skel, .attach_hint = attach_hint };
	return sp;
}

int skel_plugin_ready(struct skel_plugin *sp, void **state)
{
	int err = sp->host->prepare_bpf(sp->t, sp->obj);

	if (err) {
		skel_plugin_destroy(sp); /* prepare_bpf set the error text */
		return err;
	}
	*state = sp;
	return 0;
}

void skel_plugin_warn_lost(struct skel_plugin *sp, __u64 *lost, const char *fmt, ...)
{
	__u64 n = __atomic_exchange_n(lost, 0, __ATOMIC_RELAXED);
	char what[256];
	va_list ap;

	if (!n)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	sp->host->log(sp->t, EUN_PLOG_WARN, "%llu %s", (unsigned long long)n, what);
}

/* Error text for a config key that could not be read. */
static int cfg_error(struct skel_plugin *sp, const char *key, int err)
{
	sp->host->set_error(sp->t, "cannot read config key '%s': %s", key, strerror(-err));
	return err;
}

int skel_plugin_cfg_bool(struct skel_plugin *sp, const char *key, bool *out)
{
	int v = 0, err = sp->host->config_bool(sp->t, key, &v);

	if (err && err != -ENODATA)
		return cfg_error(sp, key, err);
	*out = v != 0;
	return 0;
}

int skel_plugin_cfg_uint(struct skel_plugin *sp, const char *key, uint64_t *out)
{
	int err = sp->host->config_uint(sp->t, key, out);

	if (err == -ENODATA)
		*out = 0;
	else if (err)
		return cfg_error(sp, key, err);
	return 0;
}

void skel_plugin_destroy(void *state)
{
	struct skel_plugin *sp = state;

	if (!sp)
		return;
	sp->destroy_skel(sp->skel);
	free(sp);
}

int skel_plugin_load(struct skel_plugin *sp)
{
	int err;

	if (sp->loaded)
		return 0;
	err = bpf_object__load_skeleton(sp->s);
	if (err) {
		sp->host->set_error(sp->t, "cannot load the BPF programs: %s; run as root (or "
				    "with CAP_BPF and CAP_PERFMON) on a kernel with BTF; the "
				    "libbpf log names the refused program", strerror(-err));
		return err;
	}
	sp->loaded = true;
	return 0;
}

int skel_plugin_start(void *state)
{
	struct skel_plugin *sp = state;
	int err;

	if ((err = skel_plugin_load(sp)))
		return err;
	/* One program at a time, so that an error names the hook that failed. */
	for (int i = 0; i < sp->s->prog_cnt; i++) {
		struct bpf_program *prog = *sp->s->progs[i].prog;
		struct bpf_link **link = sp->s->progs[i].link;

		if (!bpf_program__autoload(prog) || *link)
			continue;
		*link = bpf_program__attach(prog);
		if (!*link) {
			err = -errno;
			sp->host->set_error(sp->t, "cannot attach %s: %s; %s",
					    bpf_program__section_name(prog), strerror(-err),
					    sp->attach_hint);
			bpf_object__detach_skeleton(sp->s);
			return err;
		}
	}
	return 0;
}

int skel_plugin_stop(void *state)
{
	struct skel_plugin *sp = state;

	bpf_object__detach_skeleton(sp->s);
	return 0;
}

int skel_plugin_ring_fd(void *state)
{
	struct skel_plugin *sp = state;

	return bpf_object__find_map_fd_by_name(sp->obj, "eun_events");
}
