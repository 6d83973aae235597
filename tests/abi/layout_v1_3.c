/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The ABI layout table measured with the FROZEN v1.3 headers (built with -I tests/abi/v1.3). */
#include <eunomia/plugin.h>

#include "layout.h"

#if EUN_PLUGIN_ABI_MAJOR != 1 || EUN_PLUGIN_ABI_MINOR != 3
#error "layout_v1_3.c must be built against the frozen ABI 1.3 headers (tests/abi/v1.3)"
#endif

const struct abi_layout_entry abi_layout_v1_3[] = { ABI_LAYOUT_1_3_ENTRIES };
const size_t abi_layout_v1_3_count = sizeof(abi_layout_v1_3) / sizeof(abi_layout_v1_3[0]);
