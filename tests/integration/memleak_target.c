/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Target program of test_memleak (built with frame pointers). Writes a
 * byte to stdout once running and waits for a byte on stdin; then leaks
 * LEAK_COUNT blocks from leak_blocks_here(), allocates and frees blocks
 * (malloc, calloc, realloc) in free_blocks_here(), writes one byte to
 * stdout and waits for stdin to close before it exits, so that its
 * mappings stay readable.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memleak_target.h"

/* Where the blocks go, so that the compiler keeps every allocation. */
void *volatile sink[LEAK_COUNT + FREED_COUNT];

__attribute__((noinline)) void leak_blocks_here(void);
__attribute__((noinline)) void leak_blocks_here(void)
{
	for (int i = 0; i < LEAK_COUNT; i++) {
		sink[i] = malloc(LEAK_SIZE);
		memset(sink[i], 0x5a, LEAK_SIZE);
	}
}

__attribute__((noinline)) void free_blocks_here(void);
__attribute__((noinline)) void free_blocks_here(void)
{
	void *p;

	for (int i = 0; i < FREED_COUNT; i++) {
		sink[LEAK_COUNT + i] = malloc(FREED_SIZE);
		memset(sink[LEAK_COUNT + i], 0xa5, FREED_SIZE);
	}
	for (int i = 0; i < FREED_COUNT; i++)
		free(sink[LEAK_COUNT + i]);
	p = calloc(1, FREED_SIZE);
	sink[LEAK_COUNT] = p;
	p = realloc(p, 2 * FREED_SIZE);
	sink[LEAK_COUNT] = p;
	free(p);
}

int main(void)
{
	char c;

	if (write(1, "r", 1) != 1 || read(0, &c, 1) != 1)
		return 1;
	leak_blocks_here();
	free_blocks_here();
	if (write(1, "k", 1) != 1)
		return 1;
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
