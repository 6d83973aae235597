/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stacks from a BPF_MAP_TYPE_STACK_TRACE map as folded text, for the
 * collect() of stack-based trackers (memleak, profile): frames named with
 * host->symbolize(), outermost first, joined with ';', offsets dropped
 * ("main;run;leak_here" or "schedule;__x64_sys_read [ext4]").
 */
#ifndef EUNOMIA_STACK_FOLD_H
#define EUNOMIA_STACK_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include <eunomia/plugin.h>

#define STACK_FOLD_MAX_FRAMES 127 /* PERF_MAX_STACK_DEPTH, the map's value size / 8 */

/* Text being built: buf of size bytes, len used so far (never more than size - 1). */
struct stack_fold {
	char *buf;
	size_t size, len;
};

/* Append one frame name (a ';' goes before it unless the text is empty). */
void stack_fold_add(struct stack_fold *f, const char *name);

/* host->symbolize's "func+0xoff [module]" without "+0xoff", in place. */
void stack_fold_drop_offset(char *name);

/* Append the frames of stack stack_id of the stack map map_fd: kernel
 * frames when pid is 0, else user frames of process pid. Returns the
 * number of frames, or -errno (-ENOENT: the stack is no longer in the map). */
int stack_fold_append(struct stack_fold *f, const struct eun_host *host, struct eun_tracker *t,
		      int map_fd, uint32_t stack_id, uint32_t pid);

#endif /* EUNOMIA_STACK_FOLD_H */
