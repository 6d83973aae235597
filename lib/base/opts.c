/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The libbpf rule for *_opts structs: unknown trailing members must be zero,
 * counted from the end of the last member this library knows. */
#include "base/base.h"

/* EUN_LAST_<type> must name the last member: nothing but padding may follow
 * it. (A member added in the tail padding is caught by tests/abi instead.) */
#define KNOWN_IS_LAST(TYPE)                                                     \
	_Static_assert(sizeof(struct TYPE) - EUN_KNOWN_SZ(TYPE) < _Alignof(struct TYPE), \
		       "EUN_LAST_" #TYPE " is not the last member of struct " #TYPE)
KNOWN_IS_LAST(eun_ctx_opts);
KNOWN_IS_LAST(eun_tracker_opts);
KNOWN_IS_LAST(eun_ctx_start_opts);
KNOWN_IS_LAST(eun_tracker_stats);
KNOWN_IS_LAST(eun_listener_opts);
KNOWN_IS_LAST(eun_listener_stats);
KNOWN_IS_LAST(eun_container_info);
KNOWN_IS_LAST(eun_sink_opts);
KNOWN_IS_LAST(eun_metrics_opts);

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
				  "(byte %zu; it knows %zu bytes; caller built against a newer header); "
				  "upgrade libeunomia or leave them unset",
				  type_name, EUN_VERSION_STRING, i, known_sz);
			return false;
		}
	}
	return true;
}

void opts_copy_out(void *dst, const void *src, size_t known_sz)
{
	size_t sz = *(const size_t *)dst;

	memcpy((char *)dst + sizeof(size_t), (const char *)src + sizeof(size_t),
	       (sz < known_sz ? sz : known_sz) - sizeof(size_t));
	if (sz > known_sz)
		memset((char *)dst + known_sz, 0, sz - known_sz);
}
