// SPDX-License-Identifier: GPL-2.0-only
/* Stacks of a BPF stack trace map as folded, symbolized text (see stack_fold.h). */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "stack_fold.h"

void stack_fold_add(struct stack_fold *f, const char *name)
{
	size_t room;

	if (f->len + 1 >= f->size)
		return;
	if (f->len)
		f->buf[f->len++] = ';';
	room = strnlen(name, f->size - 1 - f->len);
	memcpy(f->buf + f->len, name, room);
	f->len += room;
	f->buf[f->len] = '\0';
}

void stack_fold_drop_offset(char *name)
{
	char *plus = strstr(name, "+0x");

	if (plus && plus != name)
		memmove(plus, plus + strcspn(plus, " "), strlen(plus + strcspn(plus, " ")) + 1);
}

int stack_fold_append(struct stack_fold *f, const struct eun_host *host, struct eun_tracker *t,
		      int map_fd, uint32_t stack_id, uint32_t pid)
{
	uint64_t ips[STACK_FOLD_MAX_FRAMES] = { 0 };
	char name[256];
	int n = 0;

	if (bpf_map_lookup_elem(map_fd, &stack_id, ips))
		return -errno;
	while (n < STACK_FOLD_MAX_FRAMES && ips[n])
		n++;
	/* The map holds the innermost frame first. */
	for (int i = n - 1; i >= 0; i--) {
		host->symbolize(t, pid, ips[i], name, sizeof(name));
		stack_fold_drop_offset(name);
		stack_fold_add(f, name);
	}
	return n;
}
