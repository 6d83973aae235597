/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia keygen` and `eunomia sign`: Ed25519 keys and detached
 * signatures of plugin files, for daemons started with --trusted-keys. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "commands.h"
#include "diag.h"
#include "exit_codes.h"

#define B64 sodium_base64_VARIANT_ORIGINAL

/* Write text to path, created with mode (refusing to replace a file). */
static int write_new(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	size_t len = strlen(text);

	if (fd < 0) {
		cli_error("cannot create %s: %s%s", path, strerror(errno),
			  errno == EEXIST ? " (remove it first: keys are never overwritten)" : "");
		return -1;
	}
	if (write(fd, text, len) != (ssize_t)len || close(fd) < 0) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_keygen(const struct global_opts *g, int argc, char *argv[])
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char pk64[sodium_base64_ENCODED_LEN(sizeof(pk), B64)];
	char sk64[sodium_base64_ENCODED_LEN(sizeof(sk), B64)];
	char path[4096], text[256];

	(void)g;
	if (argc != 2 || argv[1][0] == '-') {
		fputs("Usage: eunomia keygen PREFIX\n\nWrite PREFIX.key (the secret key, mode 0600) and "
		      "PREFIX.pub (the public key: a line for a daemon's --trusted-keys file).\n",
		      argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc == 2 && !strcmp(argv[1], "--help") ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (sodium_init() < 0)
		return CLI_EXIT_RUNTIME;
	crypto_sign_keypair(pk, sk);
	sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk), B64);
	sodium_bin2base64(sk64, sizeof(sk64), sk, sizeof(sk), B64);
	sodium_memzero(sk, sizeof(sk));
	snprintf(path, sizeof(path), "%s.key", argv[1]);
	snprintf(text, sizeof(text), "%s\n", sk64);
	sodium_memzero(sk64, sizeof(sk64));
	if (write_new(path, text, 0600) < 0)
		return CLI_EXIT_RUNTIME;
	sodium_memzero(text, sizeof(text));
	snprintf(path, sizeof(path), "%s.pub", argv[1]);
	snprintf(text, sizeof(text), "%s %s\n", pk64, argv[1]);
	if (write_new(path, text, 0644) < 0)
		return CLI_EXIT_RUNTIME;
	printf("%s.key (secret) and %s.pub (add its line to the daemon's --trusted-keys file)\n",
	       argv[1], argv[1]);
	return finish_stdout(CLI_EXIT_OK);
}

/* The secret key in the file at path. 0 or -1 (reported). */
static int read_secret(const char *path, unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	char text[256];
	size_t len;
	FILE *f = fopen(path, "re");
	struct stat st;

	if (!f) {
		cli_error("cannot open the key %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		cli_warning("%s may be read by others (mode %04o); chmod 600 it", path,
			    st.st_mode & 07777);
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	text[strcspn(text, " \r\n")] = '\0';
	if (sodium_base642bin(sk, crypto_sign_SECRETKEYBYTES, text, strlen(text), NULL, &len, NULL,
			      B64) || len != crypto_sign_SECRETKEYBYTES) {
		cli_error("%s is not an Ed25519 secret key written by 'eunomia keygen'", path);
		return -1;
	}
	sodium_memzero(text, sizeof(text));
	return 0;
}

int cmd_sign(const struct global_opts *g, int argc, char *argv[])
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	char sig64[sodium_base64_ENCODED_LEN(sizeof(sig), B64) + 1], path[4096];
	struct stat st;
	void *data;
	int fd;

	(void)g;
	if (argc != 4 || strcmp(argv[1], "--key")) {
		fputs("Usage: eunomia sign --key PREFIX.key FILE\n\nWrite FILE.sig: the base64 "
		      "detached Ed25519 signature of FILE, as 'eunomia load-plugin --sig' sends it.\n",
		      stderr);
		return CLI_EXIT_USAGE;
	}
	if (sodium_init() < 0 || read_secret(argv[2], sk) < 0)
		return CLI_EXIT_USAGE;
	fd = open(argv[3], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		cli_error("cannot read %s: %s", argv[3], fd < 0 ? strerror(errno) : "not a file");
		return CLI_EXIT_USAGE;
	}
	data = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (data == MAP_FAILED) {
		cli_error("cannot read %s: %s", argv[3], strerror(errno));
		return CLI_EXIT_RUNTIME;
	}
	crypto_sign_detached(sig, NULL, data, (size_t)st.st_size, sk);
	sodium_memzero(sk, sizeof(sk));
	if (data)
		munmap(data, (size_t)st.st_size);
	sodium_bin2base64(sig64, sizeof(sig64), sig, sizeof(sig), B64);
	strcat(sig64, "\n");
	snprintf(path, sizeof(path), "%s.sig", argv[3]);
	unlink(path);
	return write_new(path, sig64, 0644) < 0 ? CLI_EXIT_RUNTIME : CLI_EXIT_OK;
}
