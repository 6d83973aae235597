/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The record header of a process, filled from /proc in user space, for
 * records that collect() builds (memleak, profile) rather than the BPF
 * side: uid, comm, cgroup v2 id and namespace inodes, as the BPF helpers
 * would have filled them for a task of that process.
 */
#ifndef EUNOMIA_PROC_HEADER_H
#define EUNOMIA_PROC_HEADER_H

#include <stdint.h>

#include <eunomia/record.h>

/* Zero h, then set type, pid (tid stays 0: the whole process) and what
 * /proc/PID tells; fields of a process that is gone stay 0. */
void proc_header_fill(struct eun_record_header *h, uint32_t type, uint32_t pid);

#endif /* EUNOMIA_PROC_HEADER_H */
