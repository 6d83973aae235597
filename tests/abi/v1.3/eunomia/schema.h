/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Self-describing event schemas and config schemas.
 *
 * A plugin declares, for each event type it emits, the fields of its record
 * (name, type, offset, size, unit). The core renders JSON, CSV, text and
 * metrics for any plugin from these declarations alone.
 *
 * These structs are part of plugin ABI 1.x and are frozen: they are laid out
 * in arrays, so they can never grow. New information is added through new
 * members at the end of struct eun_plugin_desc instead.
 */
#ifndef EUNOMIA_SCHEMA_H
#define EUNOMIA_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

/* A compile-time check in C11, C++ and (as an array size that is negative
 * when the check fails) C99, without a pedantic warning in any of them. */
#ifndef EUN_STATIC_ASSERT_
#if defined(__cplusplus)
#define EUN_STATIC_ASSERT_(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define EUN_STATIC_ASSERT_(cond, msg) _Static_assert(cond, msg)
#else
#define EUN_STATIC_ASSERT_(cond, msg) extern char eun_static_assert_[(cond) ? 1 : -1]
#endif
#endif

/* Type of one field inside a record. */
enum eun_field_type {
	EUN_FIELD_U8 = 1,
	EUN_FIELD_U16,
	EUN_FIELD_U32,
	EUN_FIELD_U64,
	EUN_FIELD_S8,
	EUN_FIELD_S16,
	EUN_FIELD_S32,
	EUN_FIELD_S64,
	EUN_FIELD_BOOL,   /* 1 byte, 0 or not 0 */
	EUN_FIELD_STR,    /* char[size], NUL-terminated unless it fills the array */
	EUN_FIELD_IPV4,   /* 4 bytes, network byte order */
	EUN_FIELD_IPV6,   /* 16 bytes, network byte order */
	/* ABI 1.1: a log2 histogram, uint64_t slots[size / 8] (1 to 64 slots).
	 * Slot i counts the values v with 2^i <= v < 2^(i+1); slot 0 also
	 * counts v == 0. The field's unit is the unit of v. The same event
	 * type must declare a U64 field named "<name>_sum" holding the sum of
	 * the values counted. Like COUNTER fields, the slots are what this
	 * record adds (e.g. one interval's worth). */
	EUN_FIELD_HIST_LOG2,
	EUN_FIELD_TYPE_MAX_ /* not a type; one past the last */
};

/* Flags on a field (bitwise OR). */
enum eun_field_flags {
	EUN_FIELD_F_HEX     = 1u << 0, /* render integers as 0x... in text and CSV (JSON stays decimal) */
	EUN_FIELD_F_KEY     = 1u << 1, /* low-cardinality key: usable as a metric label */
	EUN_FIELD_F_COUNTER = 1u << 2, /* amount this record adds to a running total
					* (a per-event quantity or one interval's delta) */
	EUN_FIELD_F_GAUGE   = 1u << 3, /* current value, goes up and down */
	EUN_FIELD_F_ERRNO   = 1u << 4, /* signed result: negative values are -errno */
};

/* One field of an event record. */
struct eun_field {
	const char *name;        /* [a-z0-9_]+, unique in its event type; from ABI 1.3
				  * also a dotted path of such parts ("proc.pid"),
				  * for the members of a nested struct */
	const char *description; /* one line for people; may be NULL */
	const char *unit;        /* "ns", "bytes", "pages"...; NULL if unitless */
	uint32_t type;           /* enum eun_field_type */
	uint32_t offset;         /* from the start of the record (header included) */
	uint32_t size;           /* bytes; must match the type, or capacity for STR */
	uint32_t flags;          /* enum eun_field_flags */
};

/* One kind of event a tracker emits. */
struct eun_event_type {
	const char *name;               /* [a-z0-9_]+, e.g. "exec" */
	const char *description;        /* may be NULL */
	uint32_t id;                    /* value of eun_record_header.type */
	uint32_t record_size;           /* minimum record length, header included */
	const struct eun_field *fields; /* n_fields entries */
	uint32_t n_fields;
	uint32_t reserved_;             /* must be 0 */
};

/* Value type of a config key. */
enum eun_config_type {
	EUN_CONFIG_BOOL = 1,   /* true/false, 1/0, yes/no, on/off */
	EUN_CONFIG_UINT,       /* unsigned decimal or 0x hex, checked against [min, max] */
	EUN_CONFIG_STRING,     /* free text up to 255 bytes */
	EUN_CONFIG_TYPE_MAX_   /* not a type; one past the last */
};

/* One configuration key a tracker accepts. */
struct eun_config_key {
	const char *name;          /* [a-z0-9_]+ */
	const char *description;   /* may be NULL */
	const char *default_value; /* text form, must itself be valid; NULL: unset unless given */
	uint32_t type;             /* enum eun_config_type */
	uint32_t reserved_;        /* must be 0 */
	uint64_t min, max;         /* for UINT; both 0 means no bounds */
};

#if __SIZEOF_POINTER__ == 8
EUN_STATIC_ASSERT_(sizeof(struct eun_field) == 40, "struct eun_field is frozen");
EUN_STATIC_ASSERT_(sizeof(struct eun_event_type) == 40, "struct eun_event_type is frozen");
EUN_STATIC_ASSERT_(sizeof(struct eun_config_key) == 48, "struct eun_config_key is frozen");
#endif

#endif /* EUNOMIA_SCHEMA_H */
