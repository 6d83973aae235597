// SPDX-License-Identifier: GPL-2.0-only
/*
 * `tcprtt` tracker plugin: TCP smoothed round-trip times as log2
 * histograms per remote address (or local address, port, or overall),
 * aggregated in the kernel by tcprtt.bpf.c and emitted by collect()
 * every interval_ms as one `rtt` record per key.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <eunomia/plugin.h>
#include <eunomia/plugin_skel.h>

#include "map_drain.h"
#include "tcprtt.h"
#include "tcprtt.skel.h"

static const struct eun_field rtt_fields[] = {
	EUN_FIELD(struct tcprtt_rtt_event, family, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "address family of addr: inet or inet6; empty unless keyed by an address"),
	EUN_FIELD(struct tcprtt_rtt_event, addr, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "remote (key=raddr) or local (key=laddr) address; empty for other keys"),
	EUN_FIELD(struct tcprtt_rtt_event, port, EUN_FIELD_U16, NULL, EUN_FIELD_F_KEY,
		  "remote (key=rport) or local (key=lport) port; 0 for other keys"),
	EUN_FIELD(struct tcprtt_rtt_event, count, EUN_FIELD_U64, NULL, EUN_FIELD_F_COUNTER,
		  "RTT samples in this interval (segments received)"),
	EUN_FIELD(struct tcprtt_rtt_event, srtt_sum, EUN_FIELD_U64, "us", EUN_FIELD_F_COUNTER,
		  "sum of the samples"),
	EUN_FIELD(struct tcprtt_rtt_event, srtt, EUN_FIELD_HIST_LOG2, "us", 0,
		  "smoothed RTT of the connection at each segment received"),
};

static const struct eun_event_type event_types[] = {
	{ .name = "rtt", .description = "TCP smoothed RTT histogram of one key over one interval",
	  .id = TCPRTT_RTT, .record_size = sizeof(struct tcprtt_rtt_event),
	  .fields = rtt_fields, .n_fields = EUN_ARRAY_LEN(rtt_fields) },
};

static const struct eun_config_key config_keys[] = {
	{ .name = "key", .description = "histogram per raddr, laddr, rport, lport or none (one overall)",
	  .default_value = "raddr", .type = EUN_CONFIG_STRING },
	{ .name = "port", .description = "only connections with this local or remote port; 0: all",
	  .default_value = "0", .type = EUN_CONFIG_UINT, .min = 0, .max = 65535 },
	{ .name = "interval_ms", .description = "emit the histograms every this many ms; 0: only at stop",
	  .default_value = "1000", .type = EUN_CONFIG_UINT, .min = 0, .max = 86400000 },
};

static const char *const key_names[] = {
	[TCPRTT_KEY_RADDR] = "raddr", [TCPRTT_KEY_LADDR] = "laddr", [TCPRTT_KEY_RPORT] = "rport",
	[TCPRTT_KEY_LPORT] = "lport", [TCPRTT_KEY_NONE] = "none",
};

/* Index of name in key_names, or -EINVAL with the error text set. */
static int parse_key(struct eun_skel *sp, const char *name)
{
	for (uint32_t i = 0; i < EUN_ARRAY_LEN(key_names); i++)
		if (!strcmp(name, key_names[i]))
			return (int)i;
	sp->host->set_error(sp->t, "tcprtt: key '%s' is unknown; use raddr, laddr, rport, lport or none",
			    name);
	return -EINVAL;
}

/* State of one collect(): emit() sets its own error text when it fails. */
struct collect_run {
	struct eun_skel *sp;
	bool emit_failed;
};

/* Turn one map entry into an `rtt` record and emit it. */
static int emit_hist(const void *key, const void *value, void *arg)
{
	const struct tcprtt_key *k = key;
	const struct tcprtt_hist *h = value;
	struct collect_run *run = arg;
	struct tcprtt_rtt_event e;
	int err;

	memset(&e, 0, sizeof(e));
	e.hdr.type = TCPRTT_RTT;
	if (k->family == AF_INET || k->family == AF_INET6) {
		snprintf(e.family, sizeof(e.family), "%s", k->family == AF_INET ? "inet" : "inet6");
		inet_ntop(k->family, k->addr, e.addr, sizeof(e.addr));
	}
	e.port = k->port;
	e.count = h->count;
	e.srtt_sum = h->sum_us;
	memcpy(e.srtt, h->slots, sizeof(e.srtt));
	err = run->sp->host->emit(run->sp->t, &e, sizeof(e));
	run->emit_failed = err != 0;
	return err;
}

static int tcprtt_collect(void *state)
{
	struct collect_run run = { .sp = state };
	struct tcprtt_bpf *skel = run.sp->skel;
	int n;

	if (!run.sp->loaded)
		return 0;
	n = map_drain(bpf_map__fd(skel->maps.tcprtt_hists), sizeof(struct tcprtt_key),
		      sizeof(struct tcprtt_hist), emit_hist, &run);
	eun_skel_warn_lost(run.sp, &skel->bss->tcprtt_map_full,
			   "RTT samples were not counted: more than %d keys in one interval; lower "
			   "interval_ms, key by port or none, or filter by port", TCPRTT_MAX_KEYS);
	if (n < 0 && !run.emit_failed)
		run.sp->host->set_error(run.sp->t, "tcprtt: cannot drain the histogram map: %s",
					strerror(-n));
	return n < 0 ? n : 0;
}

static int tcprtt_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	struct eun_skel *sp = EUN_SKEL_OPEN(t, host, tcprtt_bpf, EUN_SKEL_HINT_BTF_TP);
	struct tcprtt_bpf *skel;
	uint64_t interval;
	int key, err;

	if (!sp)
		return -errno;
	skel = sp->skel;
	if ((key = parse_key(sp, host->config_str(t, "key"))) < 0) {
		err = key;
		goto fail;
	}
	if ((err = eun_skel_bind_uint(sp, "port", &skel->rodata->tcprtt_cfg_port)) ||
	    (err = eun_skel_cfg_uint(sp, "interval_ms", &interval)))
		goto fail;
	skel->rodata->tcprtt_cfg_key = (__u32)key;
	if ((err = host->set_collect_interval(t, (uint32_t)interval)))
		goto fail;
	if ((err = eun_skel_ready(sp, state)))
		return err;
	/* The core has written the filters into .rodata: without one, the
	 * programs that find the sockets' owners are not needed. */
	if (!skel->rodata->eun_cfg_pid && !skel->rodata->eun_cfg_uid_set &&
	    !skel->rodata->eun_cfg_comm[0] && !skel->rodata->eun_cfg_cgroup_id) {
		bpf_program__set_autoload(skel->progs.handle_set_state, false);
		bpf_program__set_autoload(skel->progs.handle_send_length, false);
		bpf_program__set_autoload(skel->progs.handle_recv_length, false);
	}
	return 0;
fail:
	eun_skel_destroy(sp);
	return err;
}

static const struct eun_plugin_desc desc = {
	EUN_PLUGIN_DESC_HEADER("tcprtt"),
	.version = "0.1.0",
	.description = "TCP round-trip time histograms per remote address (or local address, port)",
	.license = "GPL-2.0-only",
	.event_types = event_types,
	.n_event_types = EUN_ARRAY_LEN(event_types),
	.config_keys = config_keys,
	.n_config_keys = EUN_ARRAY_LEN(config_keys),
	.create = tcprtt_create,
	.destroy = eun_skel_destroy,
	.start = eun_skel_start,
	.stop = eun_skel_stop,
	.collect = tcprtt_collect,
};

EUN_PLUGIN_DEFINE(desc)
