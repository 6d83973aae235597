/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* BPF object files in place of trackers: `eunomia run ./prog.bpf.o`. */
#include <errno.h>
#include <string.h>

#include "bpf_objects.h"
#include "diag.h"
#include "exit_codes.h"

const char bpf_object_options_help[] =
	"BPF objects (a TRACKER that holds a '/' or ends with .o is a compiled libbpf\n"
	"object, run with no plugin; the tracker is named after the file, e.g.\n"
	"./opensnoop.bpf.o is opensnoop; these options apply to each object given):\n"
	"      --event-struct NAME   the struct its ring or perf buffer carries, from\n"
	"                            the object's BTF (or --event-header); MAP=NAME for\n"
	"                            one of several buffers, comma-separated\n"
	"      --schema FILE         a schema file describing the records (default:\n"
	"                            NAME.schema.yaml beside the object, if present)\n"
	"      --event-header FILE   a C header defining the struct, compiled with clang\n"
	"      --attach all|available\n"
	"                            a program whose hook this kernel lacks fails the\n"
	"                            start (all, the default) or is left out with a\n"
	"                            warning (available)\n";

int bpf_object_arg(struct bpf_object_args *a, const char *cmd, int which, const char *arg)
{
	a->any = true;
	switch (which) {
	case 0:
		a->event_struct = arg;
		return CLI_CONTINUE;
	case 1:
		a->schema = arg;
		return CLI_CONTINUE;
	case 2:
		a->event_header = arg;
		return CLI_CONTINUE;
	default:
		if (!strcmp(arg, "all"))
			a->attach = EUN_BPF_ATTACH_ALL;
		else if (!strcmp(arg, "available"))
			a->attach = EUN_BPF_ATTACH_AVAILABLE;
		else
			return usage_error(cmd, "--attach needs 'all' or 'available', not '%s'", arg);
		return CLI_CONTINUE;
	}
}

bool is_bpf_object_arg(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n > 2 && !strcmp(arg + n - 2, ".o"));
}

int bpf_object_load(struct eun_ctx *ctx, const char *path, const struct bpf_object_args *a,
		    const char **name)
{
	EUN_OPTS(eun_bpf_object_opts, opts, .event_struct = a->event_struct,
		 .schema_path = a->schema, .event_header = a->event_header, .attach = a->attach);
	const struct eun_plugin *p = eun_ctx_load_bpf_object(ctx, path, &opts);

	if (!p) {
		int err = errno;

		cli_error("%s", library_error(-err));
		return err == EINVAL || err == ENOENT || err == EEXIST || err == EISDIR
		       ? CLI_EXIT_USAGE : CLI_EXIT_RUNTIME;
	}
	*name = eun_plugin_name(p);
	return CLI_EXIT_OK;
}
