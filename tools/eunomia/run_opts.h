/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Options of `eunomia run`. */
#ifndef EUNOMIA_CLI_RUN_OPTS_H
#define EUNOMIA_CLI_RUN_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf_objects.h"
#include "output_spec.h"

/* One --set TRACKER.KEY=VALUE; the three strings point into `text`. */
struct config_setting {
	char *text; /* owned copy of the argument, cut into the parts below */
	const char *tracker;
	const char *key;
	const char *value;
};

struct run_opts {
	char *tracker_list;      /* owned copy of TRACKER[,TRACKER...], cut at the commas */
	const char **trackers;   /* n_trackers names pointing into tracker_list */
	size_t n_trackers;
	enum output_format format;        /* -f: of the outputs that name none */
	struct output_spec *outputs;      /* n_outputs -o in order; none given: standard output */
	size_t n_outputs;
	uint64_t rotate_bytes;            /* --rotate-size, 0: files are not rotated */
	unsigned rotate_keep;             /* --rotate-keep, 0: the library's default */
	double duration_s;       /* 0: until SIGINT or SIGTERM */
	const char *pid;         /* common config values, NULL if not given */
	const char *uid;
	const char *comm;
	const char *cgroup;      /* --cgroup PATH */
	const char *container;   /* --container ID|NAME */
	struct config_setting *settings; /* n_settings --set options, in order */
	size_t n_settings;
	bool stats;              /* --stats */
	const char *metrics_addr;      /* --metrics HOST:PORT, NULL: no exporter */
	const char **metrics_labels;   /* n_metrics_labels --metrics-label TRACKER.FIELD */
	size_t n_metrics_labels;
	bool otlp;                     /* --otlp [URL] */
	const char *otlp_url;          /* its URL, NULL: from the environment or the default */
	const char **otlp_settings;    /* n_otlp_settings --otlp-set KEY=VALUE */
	size_t n_otlp_settings;
	struct bpf_object_args objs;   /* how to read the BPF objects among the trackers */
};

/* Parse the arguments of `eunomia run` (argv[0] is "run") into o, which
 * must be zeroed. Returns CLI_CONTINUE or the exit status; free o with
 * run_opts_free() in both cases. */
int run_opts_parse(struct run_opts *o, int argc, char *argv[]);

/* Check that every --set names a tracker of the run, once the BPF objects
 * among them have their tracker names. Returns CLI_CONTINUE or CLI_EXIT_USAGE. */
int run_opts_check_settings(const struct run_opts *o);

/* Free what run_opts_parse() allocated. */
void run_opts_free(struct run_opts *o);

#endif
