/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The ABI layout table measured with the FROZEN v1.2 headers (built with -I tests/abi/v1.2). */
#include <eunomia/plugin.h>

#include "layout.h"

#if EUN_PLUGIN_ABI_MAJOR != 1 || EUN_PLUGIN_ABI_MINOR != 2
#error "layout_v1_2.c must be built against the frozen ABI 1.2 headers (tests/abi/v1.2)"
#endif

const struct abi_layout_entry abi_layout_v1_2[] = { ABI_LAYOUT_1_2_ENTRIES };
const size_t abi_layout_v1_2_count = sizeof(abi_layout_v1_2) / sizeof(abi_layout_v1_2[0]);
