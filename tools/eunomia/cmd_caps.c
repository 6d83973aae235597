/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia caps record` and `eunomia caps run`: the capabilities a workload needs. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <eunomia/eunomia-seccomp.h>

#include "args.h"
#include "cmd_seccomp.h"
#include "diag.h"
#include "exit_codes.h"
#include "record_subject.h"

enum caps_option {
	OPT_OUTPUT = LONG_ONLY_OPTION,
	OPT_FORMAT,
	OPT_INCLUDE_RUNTIME,
	OPT_CONTAINER,
	OPT_CGROUP,
	OPT_DURATION,
	OPT_CAPS,
	OPT_HELP,
};

static void print_help(FILE *f)
{
	fputs("Usage: eunomia caps COMMAND [ARGS]\n"
	      "\n"
	      "  record [OPTIONS] (--container ID|NAME | --cgroup PATH | -- CMD [ARGS])\n"
	      "        record the capability checks of a subject and write the capabilities\n"
	      "        it needs (its audited checks that passed; what was denied, probed or\n"
	      "        checked by the runtime is listed on stderr)\n"
	      "    -o, --output FILE          write there (default: standard output)\n"
	      "    -f, --format FORMAT        oci (process.capabilities), docker (--cap-drop\n"
	      "                               ALL --cap-add ...), k8s (securityContext) or\n"
	      "                               all (default)\n"
	      "        --include-runtime      also what the runtime's checks needed\n"
	      "    -d, --duration SECONDS     stop after this long\n"
	      "  run --caps LIST -- CMD [ARGS]\n"
	      "        run CMD with only the capabilities in LIST (e.g. CAP_CHOWN,NET_RAW; \"\"\n"
	      "        for none): the bounding, permitted, effective, inheritable and ambient\n"
	      "        sets; CMD replaces eunomia (exit status 127 if it cannot be executed)\n", f);
}

static int write_caps(uint64_t caps, const char *format, FILE *f)
{
	static const struct {
		const char *name;
		enum eun_caps_format format;
	} formats[] = { { "oci", EUN_CAPS_OCI }, { "docker", EUN_CAPS_DOCKER }, { "k8s", EUN_CAPS_K8S } };
	bool all = !strcmp(format, "all");

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *text;

		if (!all && strcmp(format, formats[i].name))
			continue;
		if (eun_caps_format(caps, formats[i].format, &text)) {
			cli_error("%s", eun_seccomp_last_error());
			return CLI_EXIT_RUNTIME;
		}
		if (all)
			fprintf(f, "# %s\n", formats[i].name);
		fputs(text, f);
		free(text);
	}
	return CLI_EXIT_OK;
}

/* The caps of one class on stderr. */
static void list_class(const struct eun_seccomp_recording *r, enum eun_caps_class c,
		       const char *what)
{
	uint64_t caps = eun_seccomp_recording_caps(r, c);
	char *text = NULL;

	if (!caps || eun_caps_format(caps, EUN_CAPS_DOCKER, &text))
		return;
	/* "--cap-drop ALL --cap-add X --cap-add Y": the names after each --cap-add */
	fprintf(stderr, "eunomia: %s:", what);
	for (char *p = strstr(text, "--cap-add "); p; p = strstr(p + 1, "--cap-add ")) {
		size_t n = strcspn(p + 10, " \n");

		fprintf(stderr, " CAP_%.*s", (int)n, p + 10);
	}
	fputc('\n', stderr);
	free(text);
}

static int caps_record(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "include-runtime", no_argument, NULL, OPT_INCLUDE_RUNTIME },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	struct record_subject s = { .caps = true };
	const char *format = "all", *out = NULL;
	struct eun_seccomp_recording *r;
	bool runtime = false;
	uint64_t caps;
	FILE *f;
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:o:f:d:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
		case OPT_OUTPUT:
			out = optarg;
			break;
		case 'f':
		case OPT_FORMAT:
			if (strcmp(optarg, "oci") && strcmp(optarg, "docker") && strcmp(optarg, "k8s") &&
			    strcmp(optarg, "all"))
				return usage_error("caps record", "--format: say oci, docker, k8s or all");
			format = optarg;
			break;
		case OPT_INCLUDE_RUNTIME:
			runtime = true;
			break;
		case OPT_CONTAINER:
			s.container = optarg;
			break;
		case OPT_CGROUP:
			s.cgroup = optarg;
			break;
		case 'd':
		case OPT_DURATION:
			if (parse_seconds(optarg, &s.duration_s))
				return usage_error("caps record", "--duration: '%s' is not a positive "
						   "number of seconds", optarg);
			break;
		case 'h':
		case OPT_HELP:
			print_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("caps record", c, argv);
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--"))
			return usage_error("caps record", "unexpected '%s': put the command after --",
					   argv[optind]);
		s.argv = argv + optind;
	}
	if ((code = record_subject_check(&s, "caps record")) != CLI_CONTINUE)
		return code;
	code = record_subject_run(g, &s, &r);
	if (!r)
		return code;
	record_print_notes(r);
	caps = eun_seccomp_recording_caps(r, EUN_CAPS_NEEDED);
	if (runtime)
		caps |= eun_seccomp_recording_caps(r, EUN_CAPS_RUNTIME);
	list_class(r, EUN_CAPS_NEEDED, "needed (audited checks that passed)");
	list_class(r, EUN_CAPS_DENIED, "denied (audited checks that failed; it coped without)");
	list_class(r, EUN_CAPS_PROBED, "probed (unaudited checks, not needs)");
	list_class(r, EUN_CAPS_RUNTIME, "checked by the runtime or with overridden credentials");
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		cli_error("cannot open %s: %s", out, strerror(errno));
		code = CLI_EXIT_RUNTIME;
	} else {
		int c2 = write_caps(caps, format, f);

		if (f != stdout && fclose(f) && !c2) {
			cli_error("cannot write %s: %s", out, strerror(errno));
			c2 = CLI_EXIT_RUNTIME;
		}
		if (!code)
			code = c2;
	}
	eun_seccomp_recording_free(r);
	return finish_stdout(code);
}

static int caps_run(int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "caps", required_argument, NULL, OPT_CAPS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	const char *list = NULL;
	uint64_t caps;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_CAPS:
			list = optarg;
			break;
		case 'h':
		case OPT_HELP:
			print_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("caps run", c, argv);
		}
	}
	if (!list)
		return usage_error("caps run", "no capabilities given (--caps LIST; \"\" for none)");
	if (optind == argc || strcmp(argv[optind - 1], "--"))
		return usage_error("caps run", "give the command after --");
	if (eun_caps_parse(list, &caps))
		return usage_error("caps run", "--caps: %s", eun_seccomp_last_error());
	if (eun_caps_limit(caps)) {
		cli_error("%s", eun_seccomp_last_error());
		return CLI_EXIT_PRIVILEGE;
	}
	fflush(NULL);
	execvp(argv[optind], argv + optind);
	cli_error("cannot execute '%s': %s", argv[optind], strerror(errno));
	return 127;
}

int cmd_caps(const struct global_opts *g, int argc, char *argv[])
{
	if (argc < 2)
		return usage_error("caps", "no command given (record or run)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_help(stdout);
		return finish_stdout(CLI_EXIT_OK);
	}
	if (!strcmp(argv[1], "record"))
		return caps_record(g, argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return caps_run(argc - 1, argv + 1);
	return usage_error("caps", "unknown command '%s' (record or run)", argv[1]);
}
