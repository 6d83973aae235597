/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Who a client is and what role it has: unix peers by uid/gid, TCP clients
 * by bearer token (stored as SHA-256 hashes) or client certificate. */
#ifndef EUNOMIA_SERVE_AUTH_H
#define EUNOMIA_SERVE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "serve_config.h"

/* The authenticated client of one request. */
struct principal {
	enum serve_role role;
	char who[128];   /* "uid 1000", a token's name, a certificate's CN, or "anonymous" */
	char how[12];    /* "peercred", "token", "cert" or "none" */
	bool has_cred;   /* unix peer: pid and uid below are known */
	uint32_t pid, uid;
};

struct tokens;

/* Read a tokens file: lines "NAME ROLE sha256:HEX" ('#' comments). It
 * must be a regular file no one but its owner (root or us) may read or
 * write. 0, or -errno with err naming the line or the fix. */
int tokens_load(const char *path, struct tokens **out, char *err, size_t errlen);
void tokens_free(struct tokens *t);

/* Find the token (the secret a client presented) among t's hashes, in
 * time that does not depend on where it differs. 0 with p's role and
 * who set, or -ENOENT. */
int tokens_check(const struct tokens *t, const char *token, struct principal *p);

/* Role of a unix-socket peer with credentials uid/gid and supplementary
 * groups, per the config's mappings (uid 0: admin unless mapped). */
enum serve_role unix_peer_role(const struct serve_config *c, uint32_t uid, uint32_t gid,
			       const gid_t *groups, size_t n_groups);

/* Role of a verified client certificate with common name cn. */
enum serve_role cert_role(const struct serve_config *c, const char *cn);

/* SHA-256 of data as 64 lowercase hex digits and a NUL in hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[65]);

/* Append a new token for NAME with ROLE to the tokens file at path
 * (created 0600 if missing) and write the secret to *secret (malloc'd).
 * 0 or -errno with err set. */
int tokens_add(const char *path, const char *name, enum serve_role role, char **secret,
	       char *err, size_t errlen);

#endif
