/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Records of foreign samples: a program that does not include
 * <eunomia/bpf/eunomia.bpf.h> sends bare structs, so the record header is
 * built in user space from what the struct carries (its pid, tid, uid,
 * comm, cgroup id, timestamp, mount namespace fields), stamping what it
 * lacks (the time the sample was read; uid, comm, cgroup and namespaces
 * from /proc/PID, cached), and the common filters are applied to it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpfobj/bpfobj.h"

int64_t boot_minus_mono_ns(void)
{
	struct timespec b, m;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	return (int64_t)(b.tv_sec - m.tv_sec) * 1000000000 + (b.tv_nsec - m.tv_nsec);
}

static uint64_t now_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* An integer field of the sample, zero-extended (sizes 1, 2, 4, 8). */
static uint64_t read_uint(const struct lay_field *f, const char *sample)
{
	const char *p = sample + f->offset;
	uint32_t v32;
	uint16_t v16;
	uint64_t v;

	switch (f->size) {
	case 8:
		memcpy(&v, p, 8);
		return v;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	default:
		return (uint8_t)*p;
	}
}

/* Header fields from the role fields of out's layout. */
static void header_from_roles(const struct inst *in, const struct output *out, const char *sample,
			      struct eun_record_header *h)
{
	const int16_t *rf = out->role_field;
	const struct lay_field *f = out->lay.f;

	memset(h, 0, sizeof(*h));
	h->type = out->type_id;
	if (rf[ROLE_PID] >= 0)
		h->pid = (uint32_t)read_uint(&f[rf[ROLE_PID]], sample);
	h->tid = rf[ROLE_TID] >= 0 ? (uint32_t)read_uint(&f[rf[ROLE_TID]], sample) : h->pid;
	if (rf[ROLE_UID] >= 0)
		h->uid = (uint32_t)read_uint(&f[rf[ROLE_UID]], sample);
	if (rf[ROLE_COMM] >= 0) {
		const struct lay_field *c = &f[rf[ROLE_COMM]];

		memcpy(h->comm, sample + c->offset, c->size < EUN_COMM_LEN ? c->size : EUN_COMM_LEN);
	}
	if (rf[ROLE_CGROUP] >= 0)
		h->cgroup_id = read_uint(&f[rf[ROLE_CGROUP]], sample);
	if (rf[ROLE_MNTNS] >= 0)
		h->mnt_ns = (uint32_t)read_uint(&f[rf[ROLE_MNTNS]], sample);
	if (rf[ROLE_TS] >= 0) {
		const struct lay_field *t = &f[rf[ROLE_TS]];
		uint64_t v = read_uint(t, sample);

		/* bpf_ktime_get_ns() is CLOCK_MONOTONIC; the header counts boot time. */
		if (v && !t->ts_boot)
			v += (uint64_t)in->boot_minus_mono;
		h->ts_ns = v;
	}
	if (!h->ts_ns)
		h->ts_ns = now_boot_ns();
}

/* What the sample lacks, from /proc/PID; then the user-space filters. */
static bool header_finish(struct inst *in, const struct output *out, struct eun_record_header *h)
{
	const int16_t *rf = out->role_field;
	const struct us_filter *flt = &in->filter;
	const struct proc_ident *pi = NULL;

	if (h->pid && in->procs)
		pi = proc_cache_get(in->procs, h->pid);
	if (pi && pi->ok) {
		if (rf[ROLE_UID] < 0)
			h->uid = pi->uid;
		if (rf[ROLE_COMM] < 0)
			memcpy(h->comm, pi->comm, EUN_COMM_LEN);
		if (rf[ROLE_CGROUP] < 0)
			h->cgroup_id = pi->cgroup_id;
		h->pid_ns = pi->ns[0];
		if (rf[ROLE_MNTNS] < 0)
			h->mnt_ns = pi->ns[1];
		h->net_ns = pi->ns[2];
		h->user_ns = pi->ns[3];
	} else if (rf[ROLE_UID] < 0) {
		h->uid = UINT32_MAX; /* unknown */
	}
	if (!flt->any)
		return true;
	if (flt->pid_set && h->pid != flt->pid)
		return false;
	if (flt->uid_set && (h->uid != flt->uid || (rf[ROLE_UID] < 0 && !(pi && pi->ok))))
		return false;
	if (flt->comm_set && strncmp(h->comm, flt->comm, EUN_COMM_LEN))
		return false;
	if (flt->cgroup) {
		size_t n = strlen(flt->cgroup);

		if (!pi || !pi->ok)
			return false;
		if (strcmp(flt->cgroup, "/") && (strncmp(pi->cgroup, flt->cgroup, n) ||
						 (pi->cgroup[n] && pi->cgroup[n] != '/')))
			return false;
	}
	return true;
}

long record_from_sample(struct inst *in, size_t oi, const void *sample, void *out)
{
	const struct output *o = &in->o->outs[oi];
	struct eun_record_header *h = out; /* out is aligned as malloc() aligns */

	header_from_roles(in, o, sample, h);
	if (!header_finish(in, o, h))
		return 0;
	memcpy((char *)out + sizeof(*h), sample, o->lay.size);
	return (long)(sizeof(*h) + o->lay.size);
}

long record_build(struct inst *in, size_t oi, const void *sample, size_t len, void *out, size_t cap)
{
	const struct output *o = &in->o->outs[oi];

	if (len < o->lay.size || cap < o->record_size) {
		if (!in->size_warned[oi]) {
			in->size_warned[oi] = true;
			in->host->log(in->t, EUN_PLOG_ERROR, "object %s: map '%s' sent a %zu-byte sample, "
				      "shorter than the %u bytes of its layout (%s); such samples are "
				      "counted as decode errors: fix the layout's size and fields",
				      in->o->path, o->map, len, o->lay.size,
				      o->lay.origin ? o->lay.origin : "?");
		}
		return -EBADMSG;
	}
	return record_from_sample(in, oi, sample, out);
}

long inst_decode(void *state, const void *raw, size_t len, void *out, size_t cap)
{
	struct inst *in = state;

	return record_build(in, (size_t)in->o->ring_out, raw, len, out, cap);
}
