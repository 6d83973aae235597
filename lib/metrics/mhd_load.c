/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Load libmicrohttpd at run time and resolve the functions of mhd.h. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "metrics/mhd.h"

static struct mhd_fns fns;
static const struct mhd_fns *loaded;
static char why[512]; /* why loading failed, for every later call */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Resolve one function into *slot; false (and why[] set) if it is missing. */
static bool resolve(void *dl, const char *name, void **slot)
{
	*slot = dlsym(dl, name);
	if (!*slot)
		snprintf(why, sizeof(why), "%s has no function %s(); it is not the libmicrohttpd "
			 "0.9 this libeunomia was built for", MHD_SONAME, name);
	return *slot != NULL;
}

static void load_once(void)
{
	void *dl = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!dl) {
		snprintf(why, sizeof(why), "cannot load %s: %s", MHD_SONAME, dlerror());
		return;
	}
	if (resolve(dl, "MHD_start_daemon", (void **)&fns.start_daemon) &&
	    resolve(dl, "MHD_stop_daemon", (void **)&fns.stop_daemon) &&
	    resolve(dl, "MHD_create_response_from_buffer", (void **)&fns.create_response_from_buffer) &&
	    resolve(dl, "MHD_add_response_header", (void **)&fns.add_response_header) &&
	    resolve(dl, "MHD_queue_response", (void **)&fns.queue_response) &&
	    resolve(dl, "MHD_destroy_response", (void **)&fns.destroy_response)) {
		loaded = &fns;
		return;
	}
	dlclose(dl);
}

const struct mhd_fns *mhd_load(void)
{
	pthread_once(&once, load_once);
	if (!loaded)
		set_error(ENOTSUP, "serving metrics over HTTP needs libmicrohttpd: %s; install the "
			  "Debian package libmicrohttpd12 (libmicrohttpd12t64 from Debian 13 on) or "
			  "render the metrics with eun_metrics_render() instead", why);
	return loaded;
}
