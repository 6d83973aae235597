/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* What memleak_target allocates, shared with test_memleak.c. */
#ifndef EUN_MEMLEAK_TARGET_H
#define EUN_MEMLEAK_TARGET_H

#define LEAK_COUNT 16
#define LEAK_SIZE 4099   /* distinctive: no other allocation of the target has it */
#define FREED_COUNT 8
#define FREED_SIZE 3001

#endif /* EUN_MEMLEAK_TARGET_H */
