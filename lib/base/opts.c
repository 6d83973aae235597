/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The libbpf rule for *_opts structs: unknown trailing members must be zero. */
#include "base/base.h"

bool opts_valid(const void *opts, size_t known_sz, const char *type_name)
{
	const size_t *sz = opts;
	const unsigned char *bytes = opts;

	if (!opts)
		return true;
	if (*sz < sizeof(size_t)) {
		set_error(EINVAL, "struct %s: sz is %zu; set it with EUN_OPTS() or to sizeof(struct %s)",
			  type_name, *sz, type_name);
		return false;
	}
	for (size_t i = known_sz; i < *sz; i++) {
		if (bytes[i]) {
			set_error(EINVAL,
				  "struct %s has non-zero members this libeunomia %s does not know "
				  "(caller built against a newer header); upgrade libeunomia or leave them unset",
				  type_name, EUN_VERSION_STRING);
			return false;
		}
	}
	return true;
}
