/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Layout of the plugin ABI structs as a table of numbers, so a table built
 * from the frozen v1.0 headers can be compared with one built from the
 * current headers (test_abi_compat.c). Include after <eunomia/plugin.h>.
 */
#ifndef EUN_TEST_ABI_LAYOUT_H
#define EUN_TEST_ABI_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* One entry: what is measured, its value, and whether a newer header may
 * have a larger value (only the total size of structs carrying a size). */
struct abi_layout_entry {
	const char *what;
	uint32_t value;
	int may_grow;
};

#define ABI_OFF(type, member) { #type "." #member, (uint32_t)offsetof(struct type, member), 0 }
#define ABI_SIZE(type, grows) { "sizeof " #type, (uint32_t)sizeof(struct type), (grows) }

/* Every member of ABI 1.0. Extend only with members that exist in 1.0. */
#define ABI_LAYOUT_1_0_ENTRIES                                                 \
	ABI_SIZE(eun_plugin_desc, 1), ABI_OFF(eun_plugin_desc, size),          \
	ABI_OFF(eun_plugin_desc, abi_major), ABI_OFF(eun_plugin_desc, abi_minor), \
	ABI_OFF(eun_plugin_desc, name), ABI_OFF(eun_plugin_desc, version),     \
	ABI_OFF(eun_plugin_desc, description), ABI_OFF(eun_plugin_desc, license), \
	ABI_OFF(eun_plugin_desc, event_types), ABI_OFF(eun_plugin_desc, n_event_types), \
	ABI_OFF(eun_plugin_desc, n_config_keys), ABI_OFF(eun_plugin_desc, config_keys), \
	ABI_OFF(eun_plugin_desc, create), ABI_OFF(eun_plugin_desc, destroy),   \
	ABI_OFF(eun_plugin_desc, start), ABI_OFF(eun_plugin_desc, stop),       \
	ABI_OFF(eun_plugin_desc, ring_fd), ABI_OFF(eun_plugin_desc, decode),   \
	ABI_SIZE(eun_host, 1), ABI_OFF(eun_host, size), ABI_OFF(eun_host, abi_major), \
	ABI_OFF(eun_host, abi_minor), ABI_OFF(eun_host, log),                  \
	ABI_OFF(eun_host, set_error), ABI_OFF(eun_host, config_str),           \
	ABI_OFF(eun_host, config_uint), ABI_OFF(eun_host, config_bool),        \
	ABI_OFF(eun_host, prepare_bpf),                                        \
	ABI_SIZE(eun_field, 0), ABI_OFF(eun_field, name), ABI_OFF(eun_field, description), \
	ABI_OFF(eun_field, unit), ABI_OFF(eun_field, type), ABI_OFF(eun_field, offset), \
	ABI_OFF(eun_field, size), ABI_OFF(eun_field, flags),                   \
	ABI_SIZE(eun_event_type, 0), ABI_OFF(eun_event_type, name),            \
	ABI_OFF(eun_event_type, description), ABI_OFF(eun_event_type, id),     \
	ABI_OFF(eun_event_type, record_size), ABI_OFF(eun_event_type, fields), \
	ABI_OFF(eun_event_type, n_fields), ABI_OFF(eun_event_type, reserved_), \
	ABI_SIZE(eun_config_key, 0), ABI_OFF(eun_config_key, name),            \
	ABI_OFF(eun_config_key, description), ABI_OFF(eun_config_key, default_value), \
	ABI_OFF(eun_config_key, type), ABI_OFF(eun_config_key, reserved_),     \
	ABI_OFF(eun_config_key, min), ABI_OFF(eun_config_key, max),            \
	ABI_SIZE(eun_record_header, 0), ABI_OFF(eun_record_header, ts_ns),     \
	ABI_OFF(eun_record_header, cgroup_id), ABI_OFF(eun_record_header, type), \
	ABI_OFF(eun_record_header, pid), ABI_OFF(eun_record_header, tid),      \
	ABI_OFF(eun_record_header, uid), ABI_OFF(eun_record_header, comm)

/* Every member of ABI 1.1: 1.0 plus what 1.1 appended. */
#define ABI_LAYOUT_1_1_ENTRIES                                                 \
	ABI_LAYOUT_1_0_ENTRIES, ABI_OFF(eun_plugin_desc, collect),             \
	ABI_OFF(eun_host, set_collect_interval), ABI_OFF(eun_host, emit),      \
	ABI_OFF(eun_host, symbolize)

/* Every member of ABI 1.2: 1.1 plus what 1.2 appended. */
#define ABI_LAYOUT_1_2_ENTRIES                                                 \
	ABI_LAYOUT_1_1_ENTRIES, ABI_OFF(eun_host, set_error_errno)

/* 1.3 adds three optional operations at the end of the descriptor. */
#define ABI_LAYOUT_1_3_ENTRIES                                                 \
	ABI_LAYOUT_1_2_ENTRIES, ABI_OFF(eun_plugin_desc, poll_fd),             \
	ABI_OFF(eun_plugin_desc, poll), ABI_OFF(eun_plugin_desc, kernel_drops)

/* The same table built from the frozen v1.3 headers (layout_v1_3.c). */
extern const struct abi_layout_entry abi_layout_v1_3[];
extern const size_t abi_layout_v1_3_count;

/* The same table built from the frozen v1.0 headers (layout_v1_0.c). */
extern const struct abi_layout_entry abi_layout_v1_0[];
extern const size_t abi_layout_v1_0_count;
/* And from the frozen v1.1 headers (layout_v1_1.c). */
extern const struct abi_layout_entry abi_layout_v1_1[];
extern const size_t abi_layout_v1_1_count;
/* And from the frozen v1.2 headers (layout_v1_2.c). */
extern const struct abi_layout_entry abi_layout_v1_2[];
extern const size_t abi_layout_v1_2_count;

#endif /* EUN_TEST_ABI_LAYOUT_H */
