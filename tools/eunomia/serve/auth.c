/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Roles of clients: unix peers' credentials, bearer tokens, certificates. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"

struct token_entry {
	char name[64];
	enum serve_role role;
	unsigned char hash[crypto_hash_sha256_BYTES];
};

struct tokens {
	struct token_entry *e;
	size_t n;
};

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -e;
}

void sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* Refuse a secrets file others may read or change. */
static int check_private(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return fail(err, errlen, errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(err, errlen, EINVAL, "%s is not a regular file", path);
	if (st.st_mode & 077)
		return fail(err, errlen, EPERM, "%s has mode %04o: a tokens file must be readable by "
			    "its owner only; run chmod 600 %s", path, st.st_mode & 07777, path);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return fail(err, errlen, EPERM, "%s belongs to uid %u: a tokens file must belong to "
			    "root or to the user running eunomia serve", path, st.st_uid);
	return 0;
}

static int parse_line(char *line, unsigned lineno, const char *path, struct token_entry *e,
		      char *err, size_t errlen)
{
	char *name, *role, *hash, *extra, *save = NULL;
	size_t bin_len;

	name = strtok_r(line, " \t", &save);
	role = strtok_r(NULL, " \t", &save);
	hash = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (!name || !role || !hash || extra)
		return fail(err, errlen, EINVAL, "%s:%u: want NAME ROLE sha256:HEX", path, lineno);
	if (strlen(name) >= sizeof(e->name))
		return fail(err, errlen, EINVAL, "%s:%u: token name longer than %zu bytes", path,
			    lineno, sizeof(e->name) - 1);
	if (serve_role_parse(role, &e->role) < 0)
		return fail(err, errlen, EINVAL, "%s:%u: role '%s' is neither admin nor observer",
			    path, lineno, role);
	if (strncmp(hash, "sha256:", 7) || strlen(hash + 7) != 2 * sizeof(e->hash) ||
	    sodium_hex2bin(e->hash, sizeof(e->hash), hash + 7, strlen(hash + 7), NULL, &bin_len,
			   NULL) || bin_len != sizeof(e->hash))
		return fail(err, errlen, EINVAL, "%s:%u: the hash must be sha256: and 64 hex digits "
			    "(tokens are never stored in clear; 'eunomia token add' writes lines)",
			    path, lineno);
	strcpy(e->name, name);
	return 0;
}

int tokens_load(const char *path, struct tokens **out, char *err, size_t errlen)
{
	struct tokens *t = calloc(1, sizeof(*t));
	char line[512];
	unsigned lineno = 0;
	int fd, rc;
	FILE *f;

	if (!t)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		free(t);
		return fail(err, errlen, errno, "cannot open the tokens file %s: %s", path,
			    strerror(errno));
	}
	if ((rc = check_private(fd, path, err, errlen)) || !(f = fdopen(fd, "r"))) {
		close(fd);
		free(t);
		return rc ? rc : -ENOMEM;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		struct token_entry *grown;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		grown = reallocarray(t->e, t->n + 1, sizeof(*grown));
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		t->e = grown;
		if ((rc = parse_line(p, lineno, path, &t->e[t->n], err, errlen)))
			break;
		for (size_t i = 0; i < t->n; i++)
			if (!strcmp(t->e[i].name, t->e[t->n].name))
				rc = fail(err, errlen, EINVAL, "%s:%u: token name '%s' is used twice",
					  path, lineno, t->e[i].name);
		if (rc)
			break;
		t->n++;
	}
	fclose(f);
	if (rc) {
		tokens_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void tokens_free(struct tokens *t)
{
	if (!t)
		return;
	sodium_memzero(t->e, t->n * sizeof(*t->e));
	free(t->e);
	free(t);
}

int tokens_check(const struct tokens *t, const char *token, struct principal *p)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	const struct token_entry *found = NULL;

	if (!t || !token)
		return -ENOENT;
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	/* Compare against every entry: the time does not tell which matched. */
	for (size_t i = 0; i < t->n; i++)
		if (sodium_memcmp(h, t->e[i].hash, sizeof(h)) == 0)
			found = &t->e[i];
	if (!found)
		return -ENOENT;
	p->role = found->role;
	snprintf(p->who, sizeof(p->who), "token %s", found->name);
	strcpy(p->how, "token");
	return 0;
}

enum serve_role unix_peer_role(const struct serve_config *c, uint32_t uid, uint32_t gid,
			       const gid_t *groups, size_t n_groups)
{
	enum serve_role by_group = ROLE_NONE;

	for (size_t i = 0; i < c->n_unix_roles; i++) {
		const struct serve_unix_role *r = &c->unix_roles[i];
		bool member = r->id == gid;

		if (!r->is_group) {
			if (r->id == uid)
				return r->role;
			continue;
		}
		for (size_t k = 0; k < n_groups && !member; k++)
			member = groups[k] == r->id;
		if (member && r->role > by_group)
			by_group = r->role;
	}
	if (by_group != ROLE_NONE)
		return by_group;
	return uid == 0 ? ROLE_ADMIN : c->unix_default_role;
}

enum serve_role cert_role(const struct serve_config *c, const char *cn)
{
	for (size_t i = 0; i < c->n_cert_roles; i++)
		if (!strcmp(c->cert_roles[i].cn, cn))
			return c->cert_roles[i].role;
	return ROLE_OBSERVER;
}

int tokens_add(const char *path, const char *name, enum serve_role role, char **secret,
	       char *err, size_t errlen)
{
	unsigned char raw[32];
	char b64[sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char hex[65], *tok;
	int fd, rc;
	FILE *f;

	if (!*name || strlen(name) >= 64 || strpbrk(name, " \t\r\n#"))
		return fail(err, errlen, EINVAL, "token name '%s' must be 1 to 63 characters without "
			    "blanks or '#'", name);
	if (sodium_init() < 0)
		return fail(err, errlen, EIO, "libsodium failed to initialise");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return fail(err, errlen, errno, "cannot open %s: %s", path, strerror(errno));
	if ((rc = check_private(fd, path, err, errlen))) {
		close(fd);
		return rc;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (asprintf(&tok, "eun_%s", b64) < 0) {
		close(fd);
		return -ENOMEM;
	}
	sha256_hex(tok, strlen(tok), hex);
	f = fdopen(fd, "a");
	if (!f || fprintf(f, "%s %s sha256:%s\n", name, serve_role_name(role), hex) < 0 ||
	    fclose(f) != 0) {
		if (!f)
			close(fd);
		free(tok);
		return fail(err, errlen, EIO, "cannot write %s", path);
	}
	*secret = tok;
	return 0;
}
