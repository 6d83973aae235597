// SPDX-License-Identifier: GPL-2.0-only
/* Lookup in the generated syscall name tables (see syscall_names.h). */
#include <stdio.h>

#include "syscall_names.h"

static const char *find(const struct syscall_name *table, unsigned int n, uint32_t nr)
{
	for (unsigned int i = 0; i < n; i++) {
		if (table[i].nr == (long)nr)
			return table[i].name;
	}
	return NULL;
}

const char *syscall_name(uint32_t nr, int compat, char *buf, size_t size)
{
	const char *prefix = compat ? "ia32_" : "";
	const char *name = compat ? find(syscall_names_compat, syscall_names_compat_count, nr)
				  : find(syscall_names, syscall_names_count, nr);

	if (name)
		snprintf(buf, size, "%s%s", prefix, name);
	else
		snprintf(buf, size, "%ssys_%u", prefix, nr);
	return buf;
}
