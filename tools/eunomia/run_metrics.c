/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia run --metrics`: the Prometheus exporter of a run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "exit_codes.h"
#include "run_metrics.h"

int run_metrics_start(struct eun_ctx *ctx, const struct run_opts *o, struct eun_metrics **out)
{
	EUN_OPTS(eun_metrics_opts, opts, .label_fields = o->metrics_labels,
		 .n_label_fields = o->n_metrics_labels);
	struct eun_metrics *m = eun_metrics_new(ctx, &opts);
	int err;

	if (!m) {
		err = -errno;
		cli_error("%s", library_error(err));
		if (err != -EINVAL)
			return CLI_EXIT_RUNTIME;
		if (o->n_metrics_labels)
			fprintf(stderr, "Try 'eunomia list TRACKER' for the fields of a tracker.\n");
		return CLI_EXIT_USAGE;
	}
	*out = m;
	err = eun_metrics_attach(m);
	if (!err && !o->metrics_addr)
		return CLI_EXIT_OK; /* only exported over OTLP */
	if (!err)
		err = eun_metrics_serve(m, o->metrics_addr);
	if (err < 0) {
		cli_error("%s", library_error(err));
		eun_metrics_free(m);
		*out = NULL;
		return err == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
	}
	/* With port 0 the system picked one: show the real one. */
	fprintf(stderr, "eunomia: serving Prometheus metrics on http://%.*s:%d/metrics\n",
		(int)(strrchr(o->metrics_addr, ':') - o->metrics_addr), o->metrics_addr,
		eun_metrics_port(m));
	return CLI_EXIT_OK;
}
