/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Capability checks seen from the capability:cap_capable tracepoint, for
 * the trackers that report them (capable, seccomp): capability names, and
 * whether a check was an audited one. The tracepoint does not pass the
 * check's CAP_OPT_* options, so the kernel function that asked for the
 * check is found among its kernel frames and looked up in a table of the
 * callers whose options are fixed.
 */
#ifndef EUNOMIA_CAP_AUDIT_H
#define EUNOMIA_CAP_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include <eunomia/plugin.h>

/* Name of capability cap ("CAP_CHOWN"; "CAP_N" for a number this table
 * lacks) into buf; returns buf. */
const char *cap_audit_name(uint32_t cap, char *buf, size_t size);

/* Whether kernel function caller asks for an audited check: "yes", "no"
 * (a *_noaudit check) or "unknown" (a caller the table lacks). */
const char *cap_audit_of(const char *caller);

/* The kernel function that asked for the check: the first of the n frames
 * (innermost first, 0 ends them) above cap_capable that is not
 * security_capable, named with host->symbolize() without its offset.
 * Empty when cap_capable is not among the frames. */
void cap_audit_find_caller(const struct eun_host *host, struct eun_tracker *t,
			   const __u64 *frames, size_t n, char *caller, size_t size);

#endif /* EUNOMIA_CAP_AUDIT_H */
