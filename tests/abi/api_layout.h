/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The layout of the public API's structs (<eunomia/eunomia.h>) on 64-bit
 * targets, pinned as numbers (api_layout.c) next to what the compiler
 * measures now, for test_api_layout.c to compare.
 */
#ifndef EUN_TEST_API_LAYOUT_H
#define EUN_TEST_API_LAYOUT_H

#include <stddef.h>

enum api_pin_kind {
	PIN_KIND_MEMBER, /* offset and size of one member */
	PIN_KIND_SIZED,  /* a struct starting with sz: its sizeof and EUN_KNOWN_SZ() */
	PIN_KIND_FIXED,  /* a struct that never changes: its sizeof */
	PIN_KIND_GROWS,  /* a versioned table (eun_listener_ops): its sizeof */
	PIN_KIND_VALUE,  /* an enumerator or constant */
};

struct api_pin {
	enum api_pin_kind kind;
	const char *type;   /* the struct, or the constant's name */
	const char *member; /* PIN_KIND_MEMBER only */
	size_t pinned[2];   /* offset and size; sizeof and known size; value */
	size_t now[2];      /* the same, measured from the current header */
};

extern const struct api_pin api_pins[];
extern const size_t api_pin_count;

#endif /* EUN_TEST_API_LAYOUT_H */
