/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The audit plugin: its schema, its instance's lifecycle, its records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <eunomia/plugin.h>

#include "audit.h"

enum { AUDIT_API_CALL = 1 };

struct audit_rec {
	struct eun_record_header h;
	uint32_t status;
	char who[96];
	char auth[12];
	char role[12];
	char method[8];
	char path[128];
	char message[200];
};

static const struct eun_field audit_fields[] = {
	EUN_FIELD(struct audit_rec, who, EUN_FIELD_STR, NULL, 0,
		  "the client: unix uid, token name or certificate common name"),
	EUN_FIELD(struct audit_rec, auth, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "how it was identified: peercred, token, cert or none"),
	EUN_FIELD(struct audit_rec, role, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY,
		  "its role: admin, observer or none"),
	EUN_FIELD(struct audit_rec, method, EUN_FIELD_STR, NULL, EUN_FIELD_F_KEY, "HTTP method"),
	EUN_FIELD(struct audit_rec, path, EUN_FIELD_STR, NULL, 0, "request path"),
	EUN_FIELD(struct audit_rec, status, EUN_FIELD_U32, NULL, EUN_FIELD_F_KEY,
		  "HTTP status of the response"),
	EUN_FIELD(struct audit_rec, message, EUN_FIELD_STR, NULL, 0,
		  "what was done, or why it was refused"),
};

static const struct eun_event_type audit_types[] = {
	{ .name = "api_call", .description = "a mutating call of the control API",
	  .id = AUDIT_API_CALL, .record_size = sizeof(struct audit_rec),
	  .fields = audit_fields, .n_fields = EUN_ARRAY_LEN(audit_fields) },
};

static int audit_create(struct eun_tracker *t, const struct eun_host *host, void **state)
{
	(void)t;
	(void)host;
	*state = malloc(1); /* no state; the core wants an instance pointer */
	return *state ? 0 : -ENOMEM;
}

/* Nothing to start, stop or gather: records come from eun_tracker_inject(),
 * and collect() is the producer a plugin without BPF declares. */
static int audit_nothing(void *state)
{
	(void)state;
	return 0;
}

static const struct eun_plugin_desc audit_desc = {
	EUN_PLUGIN_DESC_HEADER(AUDIT_TRACKER),
	.version = "1.0",
	.description = "calls of the control API that change something (eunomia serve)",
	.license = "LGPL-2.1-or-later OR BSD-2-Clause",
	.event_types = audit_types,
	.n_event_types = EUN_ARRAY_LEN(audit_types),
	.create = audit_create,
	.destroy = free,
	.start = audit_nothing,
	.stop = audit_nothing,
	.collect = audit_nothing,
};

int audit_register(struct eun_ctx *ctx)
{
	return eun_ctx_add_plugin_desc(ctx, &audit_desc);
}

static void put(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strnlen(src, cap - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

/* The command name of process pid, best effort. */
static void peer_comm(uint32_t pid, char *comm, size_t cap)
{
	char path[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, comm, cap - 1);
	close(fd);
	if (n > 0) {
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
	}
}

void audit_record(struct eun_tracker *t, const struct principal *who, const char *method,
		  const char *path, unsigned status, const char *message)
{
	struct audit_rec r;
	struct timespec ts;

	if (!t)
		return;
	memset(&r, 0, sizeof(r));
	clock_gettime(CLOCK_BOOTTIME, &ts);
	r.h.ts_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	r.h.type = AUDIT_API_CALL;
	r.h.uid = who->has_cred ? who->uid : (uint32_t)-1;
	r.h.pid = r.h.tid = who->has_cred ? who->pid : 0;
	if (who->has_cred)
		peer_comm(who->pid, r.h.comm, sizeof(r.h.comm));
	r.status = status;
	put(r.who, sizeof(r.who), who->who);
	put(r.auth, sizeof(r.auth), who->how);
	put(r.role, sizeof(r.role), serve_role_name(who->role));
	put(r.method, sizeof(r.method), method);
	put(r.path, sizeof(r.path), path);
	put(r.message, sizeof(r.message), message);
	if (eun_tracker_inject(t, &r, sizeof(r)) < 0)
		fprintf(stderr, "eunomia serve: cannot record an audit event: %s\n", eun_last_error());
}
