/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The state directory's plugin files and their signatures. (The file itself
 * is checked by libeunomia's loader before it is opened.) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "plugin_store.h"

struct plugin_store {
	char *dir; /* STATE_DIR/plugins */
	unsigned char (*keys)[crypto_sign_PUBLICKEYBYTES];
	size_t n_keys;
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

static int make_dir(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return fail(err, errlen, errno, "cannot create the state directory %s: %s", path,
			    strerror(errno));
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return fail(err, errlen, ENOTDIR, "%s is not a directory", path);
	return 0;
}

static int load_keys(struct plugin_store *ps, const char *path, char *err, size_t errlen)
{
	char line[512];
	unsigned lineno = 0;
	struct stat st;
	FILE *f = fopen(path, "re");
	int rc = 0;

	if (!f)
		return fail(err, errlen, errno, "cannot open the trusted keys file %s: %s", path,
			    strerror(errno));
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 022)) {
		fclose(f);
		return fail(err, errlen, EPERM, "%s may be changed by others (mode %04o): whoever "
			    "writes it decides which plugins load; run chmod go-w %s", path,
			    st.st_mode & 07777, path);
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		unsigned char key[crypto_sign_PUBLICKEYBYTES];
		char *p = line, *end;
		size_t bin_len;
		void *grown;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '\n')
			continue;
		end = p + strcspn(p, " \t\r\n");
		if (sodium_base642bin(key, sizeof(key), p, (size_t)(end - p), NULL, &bin_len, NULL,
				      sodium_base64_VARIANT_ORIGINAL) || bin_len != sizeof(key)) {
			rc = fail(err, errlen, EINVAL, "%s:%u: not a base64 Ed25519 public key (32 "
				  "bytes; 'eunomia keygen' writes one)", path, lineno);
			break;
		}
		grown = reallocarray(ps->keys, ps->n_keys + 1, sizeof(*ps->keys));
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		ps->keys = grown;
		memcpy(ps->keys[ps->n_keys++], key, sizeof(key));
	}
	fclose(f);
	if (!rc && !ps->n_keys)
		rc = fail(err, errlen, EINVAL, "%s holds no key: no plugin could ever be accepted",
			  path);
	return rc;
}

int plugin_store_open(const char *state_dir, const char *trusted_keys, struct plugin_store **out,
		      char *err, size_t errlen)
{
	struct plugin_store *ps = calloc(1, sizeof(*ps));
	int rc;

	if (!ps)
		return -ENOMEM;
	if (sodium_init() < 0) {
		free(ps);
		return fail(err, errlen, EIO, "libsodium failed to initialise");
	}
	if (asprintf(&ps->dir, "%s/plugins", state_dir) < 0) {
		free(ps);
		return -ENOMEM;
	}
	if ((rc = make_dir(state_dir, err, errlen)) || (rc = make_dir(ps->dir, err, errlen)) ||
	    (trusted_keys && (rc = load_keys(ps, trusted_keys, err, errlen)))) {
		plugin_store_free(ps);
		return rc;
	}
	*out = ps;
	return 0;
}

void plugin_store_free(struct plugin_store *ps)
{
	if (!ps)
		return;
	free(ps->dir);
	free(ps->keys);
	free(ps);
}

bool plugin_store_requires_signature(const struct plugin_store *ps)
{
	return ps->n_keys > 0;
}

static int check_signature(const struct plugin_store *ps, const void *data, size_t len,
			   const char *sig_b64, unsigned *signer, char *err, size_t errlen)
{
	unsigned char sig[crypto_sign_BYTES];
	size_t bin_len;

	if (!sig_b64 || !*sig_b64)
		return fail(err, errlen, EACCES, "this daemon accepts only signed plugins; send the "
			    "detached Ed25519 signature in the X-Eunomia-Signature header ('eunomia "
			    "sign' makes one, 'eunomia load-plugin --sig FILE' sends it)");
	if (sodium_base642bin(sig, sizeof(sig), sig_b64, strlen(sig_b64), NULL, &bin_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) || bin_len != sizeof(sig))
		return fail(err, errlen, EACCES, "X-Eunomia-Signature is not the base64 of a 64-byte "
			    "Ed25519 signature");
	for (size_t i = 0; i < ps->n_keys; i++)
		if (crypto_sign_verify_detached(sig, data, len, ps->keys[i]) == 0) {
			*signer = (unsigned)i + 1;
			return 0;
		}
	return fail(err, errlen, EACCES, "the signature does not verify with any of the %zu "
		    "trusted keys: the file was changed after signing, or signed with another key",
		    ps->n_keys);
}

int plugin_store_check(const struct plugin_store *ps, const void *data, size_t len,
		       const char *sig_b64, unsigned *signer, char *err, size_t errlen)
{
	*signer = 0;
	return ps->n_keys ? check_signature(ps, data, len, sig_b64, signer, err, errlen) : 0;
}

static int write_all(int fd, const unsigned char *d, size_t len)
{
	while (len) {
		ssize_t n = write(fd, d, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		d += n;
		len -= (size_t)n;
	}
	return 0;
}

int plugin_store_put(const struct plugin_store *ps, const void *data, size_t len,
		     char path[PATH_MAX], char sha256[65], char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	int fd, rc;

	sha256_hex(data, len, sha256);
	snprintf(path, PATH_MAX, "%s/sha256-%s.so", ps->dir, sha256);
	if (access(path, F_OK) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s/.upload-XXXXXX", ps->dir);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, errno, "cannot write to %s: %s", ps->dir, strerror(errno));
	rc = write_all(fd, data, len);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return fail(err, errlen, -rc, "cannot keep the plugin in %s: %s", ps->dir,
			    strerror(-rc));
	}
	return 0;
}

int plugin_store_set_current(const struct plugin_store *ps, const char *name, const char *path)
{
	char link[PATH_MAX], tmp[PATH_MAX];
	const char *base = strrchr(path, '/');

	snprintf(link, sizeof(link), "%s/%s.so", ps->dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.so.new", ps->dir, name);
	unlink(tmp);
	if (symlink(base ? base + 1 : path, tmp) < 0 || rename(tmp, link) < 0) {
		int err = errno;

		unlink(tmp);
		return -err;
	}
	return 0;
}

void plugin_store_each_current(const struct plugin_store *ps,
			       void (*load)(void *cookie, const char *path), void *cookie)
{
	DIR *d = opendir(ps->dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		size_t len = strlen(e->d_name);

		/* NAME.so links only: the stored files are sha256-HEX.so. */
		if (e->d_type != DT_LNK || len < 4 || strcmp(e->d_name + len - 3, ".so"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", ps->dir, e->d_name);
		load(cookie, path);
	}
	if (d)
		closedir(d);
}
