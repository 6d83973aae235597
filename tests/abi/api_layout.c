/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The public structs as released, on 64-bit targets: every member's offset
 * and size, every struct's size and known size (EUN_KNOWN_SZ), and the
 * enumerators embedders compile in. Programs built against a release
 * depend on each number.
 *
 * The rules (docs/api.md): a row never changes. A release may append
 * members to a struct that starts with sz (add a row, and update that
 * struct's sizeof and known size, which may only grow) or methods to
 * eun_listener_ops with a version bump; anything else is a new soname.
 */
#include <eunomia/eunomia.h>

#include "api_layout.h"

#define PIN_MEMBER(T, m, off, size)                                             \
	{ PIN_KIND_MEMBER, #T, #m, { off, size },                             \
	  { offsetof(struct T, m), sizeof(((struct T *)0)->m) } }
#define PIN_SIZED(T, size, known) \
	{ PIN_KIND_SIZED, #T, NULL, { size, known }, { sizeof(struct T), EUN_KNOWN_SZ(T) } }
#define PIN_FIXED(T, size) { PIN_KIND_FIXED, #T, NULL, { size, 0 }, { sizeof(struct T), 0 } }
#define PIN_GROWS(T, size) { PIN_KIND_GROWS, #T, NULL, { size, 0 }, { sizeof(struct T), 0 } }
#define PIN_VALUE(name, v) { PIN_KIND_VALUE, #name, NULL, { v, 0 }, { (size_t)(name), 0 } }

const struct api_pin api_pins[] = {
	/* ---- libeunomia 0.1 ---- */
	PIN_SIZED(eun_ctx_opts, 24, 24),
	PIN_MEMBER(eun_ctx_opts, sz, 0, 8),
	PIN_MEMBER(eun_ctx_opts, plugin_path, 8, 8),
	PIN_MEMBER(eun_ctx_opts, no_default_path, 16, 1),
	PIN_MEMBER(eun_ctx_opts, capture_libbpf_logs, 17, 1),
	PIN_MEMBER(eun_ctx_opts, max_latency_ms, 20, 4),
	PIN_FIXED(eun_config_entry, 16),
	PIN_MEMBER(eun_config_entry, key, 0, 8),
	PIN_MEMBER(eun_config_entry, value, 8, 8),
	PIN_SIZED(eun_tracker_opts, 24, 24),
	PIN_MEMBER(eun_tracker_opts, sz, 0, 8),
	PIN_MEMBER(eun_tracker_opts, config, 8, 8),
	PIN_MEMBER(eun_tracker_opts, n_config, 16, 8),
	PIN_SIZED(eun_ctx_start_opts, 16, 12),
	PIN_MEMBER(eun_ctx_start_opts, sz, 0, 8),
	PIN_MEMBER(eun_ctx_start_opts, threads, 8, 4),
	PIN_SIZED(eun_tracker_stats, 40, 40), /* 0.1: 32, 32 */
	PIN_MEMBER(eun_tracker_stats, sz, 0, 8),
	PIN_MEMBER(eun_tracker_stats, events, 8, 8),
	PIN_MEMBER(eun_tracker_stats, kernel_drops, 16, 8),
	PIN_MEMBER(eun_tracker_stats, decode_errors, 24, 8),
	PIN_MEMBER(eun_tracker_stats, replaced_skipped, 32, 8), /* 0.2 */
	PIN_SIZED(eun_container_info, 1632, 1628),
	PIN_MEMBER(eun_container_info, sz, 0, 8),
	PIN_MEMBER(eun_container_info, cgroup_id, 8, 8),
	PIN_MEMBER(eun_container_info, cgroup, 16, 1024),
	PIN_MEMBER(eun_container_info, id, 1040, 128),
	PIN_MEMBER(eun_container_info, runtime, 1168, 16),
	PIN_MEMBER(eun_container_info, pod_uid, 1184, 40),
	PIN_MEMBER(eun_container_info, qos, 1224, 16),
	PIN_MEMBER(eun_container_info, name, 1240, 128),
	PIN_MEMBER(eun_container_info, image, 1368, 256),
	PIN_MEMBER(eun_container_info, processes, 1624, 4),
	PIN_SIZED(eun_sink_opts, 56, 53),
	PIN_MEMBER(eun_sink_opts, sz, 0, 8),
	PIN_MEMBER(eun_sink_opts, trackers, 8, 8),
	PIN_MEMBER(eun_sink_opts, n_trackers, 16, 8),
	PIN_MEMBER(eun_sink_opts, no_header, 24, 1),
	PIN_MEMBER(eun_sink_opts, buffer_bytes, 32, 8),
	PIN_MEMBER(eun_sink_opts, rotate_bytes, 40, 8),
	PIN_MEMBER(eun_sink_opts, rotate_keep, 48, 4),
	PIN_MEMBER(eun_sink_opts, append, 52, 1),
	PIN_SIZED(eun_metrics_opts, 32, 32),
	PIN_MEMBER(eun_metrics_opts, sz, 0, 8),
	PIN_MEMBER(eun_metrics_opts, label_fields, 8, 8),
	PIN_MEMBER(eun_metrics_opts, n_label_fields, 16, 8),
	PIN_MEMBER(eun_metrics_opts, max_series, 24, 8),
	PIN_VALUE(EUN_LOG_ERROR, 0),
	PIN_VALUE(EUN_LOG_WARN, 1),
	PIN_VALUE(EUN_LOG_INFO, 2),
	PIN_VALUE(EUN_LOG_DEBUG, 3),
	PIN_VALUE(EUN_TRACKER_CREATED, 0),
	PIN_VALUE(EUN_TRACKER_RUNNING, 1),
	PIN_VALUE(EUN_TRACKER_STOPPED, 2),
	PIN_VALUE(EUN_TRACKER_FAILED, 3),
	PIN_VALUE(EUN_NS_PID, 0),
	PIN_VALUE(EUN_NS_MNT, 1),
	PIN_VALUE(EUN_NS_NET, 2),
	PIN_VALUE(EUN_NS_USER, 3),
	PIN_VALUE(EUN_SINK_JSON, 0),
	PIN_VALUE(EUN_SINK_CSV, 1),
	PIN_VALUE(EUN_SINK_TEXT, 2),
	PIN_VALUE(EUN_SINK_MAX_ROTATE_KEEP, 1000),
	/* ---- libeunomia 0.2: the event bus ---- */
	PIN_GROWS(eun_listener_ops, 48),
	PIN_MEMBER(eun_listener_ops, version, 0, 4),
	PIN_MEMBER(eun_listener_ops, event, 8, 8),
	PIN_MEMBER(eun_listener_ops, flush, 16, 8),
	PIN_MEMBER(eun_listener_ops, tracker_started, 24, 8),
	PIN_MEMBER(eun_listener_ops, tracker_stopped, 32, 8),
	PIN_MEMBER(eun_listener_ops, detached, 40, 8),
	PIN_SIZED(eun_listener_opts, 32, 32),
	PIN_MEMBER(eun_listener_opts, sz, 0, 8),
	PIN_MEMBER(eun_listener_opts, name, 8, 8),
	PIN_MEMBER(eun_listener_opts, queue_events, 16, 8),
	PIN_MEMBER(eun_listener_opts, queue_bytes, 24, 8),
	PIN_SIZED(eun_listener_stats, 48, 48),
	PIN_MEMBER(eun_listener_stats, sz, 0, 8),
	PIN_MEMBER(eun_listener_stats, events, 8, 8),
	PIN_MEMBER(eun_listener_stats, dropped, 16, 8),
	PIN_MEMBER(eun_listener_stats, failed, 24, 8),
	PIN_MEMBER(eun_listener_stats, queued, 32, 8),
	PIN_MEMBER(eun_listener_stats, queued_max, 40, 8),
	PIN_VALUE(EUN_LISTENER_OPS_VERSION, 0),
	PIN_FIXED(eun_metric_label, 16),
	PIN_MEMBER(eun_metric_label, name, 0, 8),
	PIN_MEMBER(eun_metric_label, value, 8, 8),
	PIN_SIZED(eun_metric_series, 128, 128),
	PIN_MEMBER(eun_metric_series, sz, 0, 8),
	PIN_MEMBER(eun_metric_series, name, 8, 8),
	PIN_MEMBER(eun_metric_series, help, 16, 8),
	PIN_MEMBER(eun_metric_series, unit, 24, 8),
	PIN_MEMBER(eun_metric_series, kind, 32, 4),
	PIN_MEMBER(eun_metric_series, labels, 40, 8),
	PIN_MEMBER(eun_metric_series, n_labels, 48, 8),
	PIN_MEMBER(eun_metric_series, value, 56, 8),
	PIN_MEMBER(eun_metric_series, value_int, 64, 8),
	PIN_MEMBER(eun_metric_series, is_int, 72, 1),
	PIN_MEMBER(eun_metric_series, n_buckets, 80, 8),
	PIN_MEMBER(eun_metric_series, upper_bounds, 88, 8),
	PIN_MEMBER(eun_metric_series, bucket_counts, 96, 8),
	PIN_MEMBER(eun_metric_series, count, 104, 8),
	PIN_MEMBER(eun_metric_series, sum, 112, 8),
	PIN_MEMBER(eun_metric_series, start_time_ns, 120, 8),
	PIN_VALUE(EUN_METRIC_COUNTER, 0),
	PIN_VALUE(EUN_METRIC_GAUGE, 1),
	PIN_VALUE(EUN_METRIC_HISTOGRAM, 2),
	/* ---- libeunomia 0.2: compiled libbpf objects as trackers ---- */
	PIN_SIZED(eun_bpf_object_opts, 48, 44),
	PIN_MEMBER(eun_bpf_object_opts, sz, 0, 8),
	PIN_MEMBER(eun_bpf_object_opts, name, 8, 8),
	PIN_MEMBER(eun_bpf_object_opts, event_struct, 16, 8),
	PIN_MEMBER(eun_bpf_object_opts, schema_path, 24, 8),
	PIN_MEMBER(eun_bpf_object_opts, event_header, 32, 8),
	PIN_MEMBER(eun_bpf_object_opts, attach, 40, 4),
	PIN_VALUE(EUN_BPF_ATTACH_ALL, 0),
	PIN_VALUE(EUN_BPF_ATTACH_AVAILABLE, 1),
};

const size_t api_pin_count = sizeof(api_pins) / sizeof(api_pins[0]);
