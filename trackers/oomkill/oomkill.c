// SPDX-License-Identifier: GPL-2.0-only
/*
 * `oomkill` tracker plugin: one event per OOM kill (victim pid, comm, uid,
 * memory, oom_score_adj, memory cgroup), from the BTF tracepoint program
 * in oomkill.bpf.c. The common header is the task that ran into the
 * OOM, the victim is described by the fields.
 */
#include <errno.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "oomkill.h"
#include "oomkill.skel.h"

static const struct eun_field kill_fields[] = {
	EUN_FIELD(struct oomkill_event, victim_pid, EUN_FIELD_U32, NULL, 0,
		  "process (thread group) id of the killed process"),
	EUN_FIELD(struct oomkill_event, victim_comm, EUN_FIELD_STR, NULL, 0,
		  "command name of the killed thread"),
	EUN_FIELD(struct oomkill_event, victim_uid, EUN_FIELD_U32, NULL, 0,
		  "real user id of the killed process"),
	EUN_FIELD(struct oomkill_event, oom_score_adj, EUN_FIELD_S32, NULL, 0,
		  "oom_score_adj of the killed process (-1000..1000)"),
	EUN_FIELD(struct oomkill_event, total_vm, EUN_FIELD_U64, "bytes", 0,
		  "size of the victim's address space"),
	EUN_FIELD(struct oomkill_event, anon_rss, EUN_FIELD_U64, "bytes", 0,
		  "victim's resident anonymous memory"),
	EUN_FIELD(struct oomkill_event, file_rss, EUN_FIELD_U64, "bytes", 0,
		  "victim's resident file-backed memory"),
	EUN_FIELD(struct oomkill_event, shmem_rss, EUN_FIELD_U64, "bytes", 0,
		  "victim's resident shared memory (shmem, tmpfs)"),
	EUN_FIELD(struct oomkill_event, pgtables, EUN_FIELD_U64, "bytes", 0,
		  "victim's page tables"),
	EUN_FIELD(struct oomkill_event, memcg_id, EUN_FIELD_U64, NULL, 0,
		  "cgroup id (directory inode number) of the victim's memory cgroup, in the hierarchy holding the memory controller; 0 without one"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "kill",
	  .description = "the OOM killer chose a victim; the header is the task that ran into the OOM",
	  .id = OOMKILL_KILL, .record_size = sizeof(struct oomkill_event),
	  .fields = kill_fields, .n_fields = EUN_ARRAY_LEN(kill_fields) },
};

static int oomkill_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, oomkill_bpf,
		EUN_SKEL_HINT_BTF_TP " and the oom:mark_victim tracepoint");
	long page = sysconf(_SC_PAGESIZE);
	__u32 shift = 0;

	if (!sp)
		return -errno;
	if (page <= 0)
		page = 4096;
	while (page > 1 && (1L << shift) < page)
		shift++;
	((struct oomkill_bpf *)sp->skel)->rodata->oomkill_cfg_page_shift = shift;
	return eun_skel_ready(sp, state);
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("oomkill"),
	.version = "0.1.0",
	.description = "OOM kills: victim pid, comm, memory, oom_score_adj and memory cgroup, and the task that ran into the OOM",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.create = oomkill_create,
	EUN_SKEL_OPS,
};

EUN_PLUGIN_DEFINE(desc)
