/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Uploaded plugin files: checked (ELF layout, optional Ed25519 signature
 * by a trusted key, verified offline), then kept under the state
 * directory by content hash. */
#ifndef EUNOMIA_SERVE_PLUGIN_STORE_H
#define EUNOMIA_SERVE_PLUGIN_STORE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct plugin_store;

/* Make STATE_DIR/plugins (0700) and read the trusted keys file (NULL:
 * unsigned plugins are accepted): one base64 Ed25519 public key per line,
 * optionally followed by a comment. 0 or -errno with err set. */
int plugin_store_open(const char *state_dir, const char *trusted_keys, struct plugin_store **out,
		      char *err, size_t errlen);
void plugin_store_free(struct plugin_store *ps);

/* True if signatures are required. */
bool plugin_store_requires_signature(const struct plugin_store *ps);

/* Check an upload before anything is written: with trusted keys, sig_b64
 * (base64 of a detached Ed25519 signature over the whole file) must verify
 * with one of them. 0 or -EACCES (signature missing or bad), with err set;
 * *signer names the key's line. Whether the file is a plugin for this
 * machine is the loader's check (eun_ctx_load_plugin_update()). */
int plugin_store_check(const struct plugin_store *ps, const void *data, size_t len,
		       const char *sig_b64, unsigned *signer, char *err, size_t errlen);

/* Keep the file as DIR/sha256-HEX.so (written to a temporary name first,
 * then renamed; kept as it is if it exists). path and sha256 are filled.
 * 0 or -errno with err set. */
int plugin_store_put(const struct plugin_store *ps, const void *data, size_t len,
		     char path[PATH_MAX], char sha256[65], char *err, size_t errlen);

/* Record that name's current version is the stored file at path (a
 * symbolic link DIR/NAME.so, replaced atomically). 0 or -errno. */
int plugin_store_set_current(const struct plugin_store *ps, const char *name, const char *path);

/* Call load(cookie, path) for each name's current version, as recorded
 * by plugin_store_set_current() (at boot: uploads survive restarts). */
void plugin_store_each_current(const struct plugin_store *ps,
			       void (*load)(void *cookie, const char *path), void *cookie);

#endif
