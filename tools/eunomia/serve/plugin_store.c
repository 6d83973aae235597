/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* The state directory's plugin files, their ELF check and signatures. */
#include <dirent.h>
#include <elf.h>
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

#if defined(__x86_64__)
#define OUR_MACHINE EM_X86_64
#define OUR_CLASS ELFCLASS64
#elif defined(__aarch64__)
#define OUR_MACHINE EM_AARCH64
#define OUR_CLASS ELFCLASS64
#elif defined(__i386__)
#define OUR_MACHINE EM_386
#define OUR_CLASS ELFCLASS32
#else
#error "add this machine's ELF e_machine to plugin_store.c"
#endif

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

/* Program headers inside the file and each loaded segment's file bytes too. */
static int check_elf(const unsigned char *d, size_t len, char *err, size_t errlen)
{
	uint64_t phoff, off, filesz;
	unsigned phnum, phentsize, type, machine;
	bool is64;

	if (len < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG))
		return fail(err, errlen, EINVAL, "the upload is not an ELF file (a plugin is a shared "
			    "object built against <eunomia/plugin.h>)");
	is64 = d[EI_CLASS] == ELFCLASS64;
	if (d[EI_CLASS] != OUR_CLASS || d[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, EINVAL, "the upload is a %s-bit ELF file; this eunomia runs "
			    "%d-bit little-endian plugins", d[EI_CLASS] == ELFCLASS64 ? "64" : "32",
			    OUR_CLASS == ELFCLASS64 ? 64 : 32);
	if (len < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return fail(err, errlen, EINVAL, "the upload is cut short inside its ELF header");
	if (is64) {
		const Elf64_Ehdr *h = (const void *)d;

		type = h->e_type, machine = h->e_machine, phoff = h->e_phoff;
		phnum = h->e_phnum, phentsize = h->e_phentsize;
	} else {
		const Elf32_Ehdr *h = (const void *)d;

		type = h->e_type, machine = h->e_machine, phoff = h->e_phoff;
		phnum = h->e_phnum, phentsize = h->e_phentsize;
	}
	if (type != ET_DYN)
		return fail(err, errlen, EINVAL, "the upload is an ELF %s, not a shared object; build "
			    "the plugin with -shared", type == ET_EXEC ? "executable" : "object");
	if (machine != OUR_MACHINE)
		return fail(err, errlen, EINVAL, "the upload is built for ELF machine %u; this host "
			    "is machine %u: build the plugin for this architecture", machine,
			    OUR_MACHINE);
	if (phentsize != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)) || !phnum ||
	    phoff > len || (uint64_t)phnum * phentsize > len - phoff)
		return fail(err, errlen, EINVAL, "the upload's program headers lie outside the file: "
			    "it is cut short or damaged");
	for (unsigned i = 0; i < phnum; i++) {
		const unsigned char *ph = d + phoff + (uint64_t)i * phentsize;

		if (is64) {
			const Elf64_Phdr *p = (const void *)ph;

			if (p->p_type != PT_LOAD)
				continue;
			off = p->p_offset, filesz = p->p_filesz;
		} else {
			const Elf32_Phdr *p = (const void *)ph;

			if (p->p_type != PT_LOAD)
				continue;
			off = p->p_offset, filesz = p->p_filesz;
		}
		if (off > len || filesz > len - off)
			return fail(err, errlen, EINVAL, "the upload's loadable segment %u reaches past "
				    "the end of the file (%zu bytes): it is cut short", i, len);
	}
	return 0;
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
	if (ps->n_keys) {
		int rc = check_signature(ps, data, len, sig_b64, signer, err, errlen);

		if (rc)
			return rc;
	}
	return check_elf(data, len, err, errlen);
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
