/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The libmicrohttpd functions the metrics server calls, resolved by name
 * from the library loaded on the first eun_metrics_serve() (mhd_load.c),
 * so that libeunomia does not link it: an embedder that never serves
 * metrics does not load an HTTP server, GnuTLS and the libraries they
 * need. Each pointer has the type of the real declaration in
 * <microhttpd.h>, so calls through it are type-checked as direct calls
 * would be. Shared by lib/metrics/; never installed.
 */
#ifndef EUNOMIA_METRICS_MHD_H
#define EUNOMIA_METRICS_MHD_H

#include <microhttpd.h>

#include "base/base.h"

/* The library's soname: its ABI, as <microhttpd.h> 0.9.x describes it. */
#define MHD_SONAME "libmicrohttpd.so.12"

struct mhd_fns {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
};

/* The functions, loading libmicrohttpd on the first call (any thread; it
 * stays loaded). NULL with -ENOTSUP in the error text, which names the
 * package to install, when it is missing or lacks one of them. */
EUN_HIDDEN const struct mhd_fns *mhd_load(void);

#endif /* EUNOMIA_METRICS_MHD_H */
