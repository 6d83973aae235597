/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia seccomp record` and `eunomia seccomp profile`: profiles from recordings. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd_seccomp.h"
#include "diag.h"
#include "exit_codes.h"
#include "output_spec.h"
#include "record_subject.h"

enum record_option {
	OPT_OUTPUT = LONG_ONLY_OPTION,
	OPT_COMPLAIN,
	OPT_REPORT,
	OPT_INCLUDE_RUNTIME,
	OPT_CONTAINER,
	OPT_CGROUP,
	OPT_DURATION,
	OPT_CAPS,
	OPT_HELP,
};

/* What to write from a recording. */
struct profile_outputs {
	const char *output;        /* -o; NULL: standard output */
	const char *complain;      /* --complain FILE */
	const char *report;        /* --report [FORMAT:]FILE */
	bool include_runtime;
};

static void print_record_help(FILE *f)
{
	fputs("Usage: eunomia seccomp record [OPTIONS] (--container ID|NAME | --cgroup PATH | -- CMD [ARGS])\n"
	      "\n"
	      "Record the syscalls of a subject in the kernel (per ABI, with key arguments) and\n"
	      "write the OCI linux.seccomp profile that allows them (docker/podman\n"
	      "--security-opt seccomp=FILE, runc's config.json linux.seccomp).\n"
	      "\n"
	      "Subject (one):\n"
	      "      --container ID|NAME  a container; one that does not run yet is awaited by\n"
	      "                           its id and recorded from its first syscall\n"
	      "      --cgroup PATH        a cgroup v2 directory and below\n"
	      "  -- CMD [ARGS]            a command, started in a cgroup of its own\n"
	      "\n"
	      "Options:\n"
	      "  -o, --output FILE        the profile (default: standard output)\n"
	      "      --complain FILE      also the complain variant (SCMP_ACT_LOG)\n"
	      "      --report [FORMAT:]FILE  the coverage report: text, or json (the recording,\n"
	      "                           which 'eunomia seccomp profile' reads back)\n"
	      "      --include-runtime    also allow what the runtime did before the workload\n"
	      "      --caps               also record capability checks (for the report)\n"
	      "  -d, --duration SECONDS   stop after this long (also: SIGINT, the subject's end)\n"
	      "  -h, --help               print this help\n", f);
}

static void print_profile_help(FILE *f)
{
	fputs("Usage: eunomia seccomp profile [OPTIONS] RECORDING\n"
	      "\n"
	      "Write the profile of a recording saved with 'seccomp record --report json:FILE'.\n"
	      "\n"
	      "  -o, --output FILE        the profile (default: standard output)\n"
	      "      --complain FILE      also the complain variant (SCMP_ACT_LOG)\n"
	      "      --include-runtime    also allow what the runtime did before the workload\n"
	      "  -h, --help               print this help\n", f);
}

/* Counts per ABI and phase, on stderr. */
static void print_summary(const struct eun_seccomp_recording *r)
{
	static const char *const phases[] = { "runtime", "runtime_filtered", "workload" };
	EUN_OPTS(eun_seccomp_call, c);
	char arch[16] = "";
	int phase = -1;
	size_t n = 0;

	for (size_t i = 0; i <= eun_seccomp_recording_count(r); i++) {
		bool more = i < eun_seccomp_recording_count(r) && !eun_seccomp_recording_call(r, i, &c);

		if (n && (!more || strcmp(arch, c.arch) || phase != (int)c.phase)) {
			fprintf(stderr, "eunomia: %s %s: %zu syscalls\n", arch, phases[phase], n);
			n = 0;
		}
		if (!more)
			break;
		snprintf(arch, sizeof(arch), "%s", c.arch);
		phase = (int)c.phase;
		n++;
	}
}

static int write_report(const struct eun_seccomp_recording *r, const char *arg)
{
	struct output_spec spec;
	char *text = NULL;
	bool json;
	FILE *f;
	int err;

	if (output_spec_parse(arg, &spec) || spec.format == OUTPUT_CSV) {
		cli_error("--report %s: say text:FILE or json:FILE (or FILE)", arg);
		return CLI_EXIT_USAGE;
	}
	json = spec.format == OUTPUT_JSON ||
	       (spec.format == OUTPUT_AUTO && spec.path && strlen(spec.path) > 5 &&
		!strcmp(spec.path + strlen(spec.path) - 5, ".json"));
	if ((err = eun_seccomp_recording_report(r, json ? EUN_SECCOMP_JSON : EUN_SECCOMP_TEXT,
						&text))) {
		cli_error("%s", eun_seccomp_last_error());
		return CLI_EXIT_RUNTIME;
	}
	f = spec.path ? fopen(spec.path, "w") : stdout;
	err = f && fputs(text, f) >= 0 && !fflush(f) ? 0 : errno;
	if (f && f != stdout && fclose(f) && !err)
		err = errno;
	free(text);
	if (err) {
		cli_error("cannot write the report to %s: %s", output_spec_name(&spec), strerror(err));
		return CLI_EXIT_RUNTIME;
	}
	return CLI_EXIT_OK;
}

static int write_profile(const struct eun_seccomp_recording *r, const struct profile_outputs *o,
			 bool complain)
{
	const char *path = complain ? o->complain : o->output ? o->output : "-";
	EUN_OPTS(eun_seccomp_profile_opts, popts, .include_runtime = o->include_runtime,
		 .complain = complain);
	struct eun_seccomp_profile *p = eun_seccomp_profile_from_recording(r, &popts);
	int err;

	if (!p) {
		cli_error("%s", eun_seccomp_last_error());
		return CLI_EXIT_RUNTIME;
	}
	err = eun_seccomp_profile_save(p, path);
	eun_seccomp_profile_free(p);
	if (err) {
		cli_error("%s", eun_seccomp_last_error());
		return CLI_EXIT_RUNTIME;
	}
	if (strcmp(path, "-"))
		fprintf(stderr, "eunomia: %sprofile written to %s\n", complain ? "complain " : "", path);
	return CLI_EXIT_OK;
}

/* The report first (nothing recorded is lost if a profile cannot be made), then the profiles. */
static int write_outputs(const struct eun_seccomp_recording *r, const struct profile_outputs *o)
{
	int code = CLI_EXIT_OK, c;

	print_summary(r);
	record_print_notes(r);
	if (o->report && (c = write_report(r, o->report)))
		code = c;
	if ((c = write_profile(r, o, false)))
		code = c;
	if (o->complain && (c = write_profile(r, o, true)))
		code = c;
	return finish_stdout(code);
}

int cmd_seccomp_record(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "complain", required_argument, NULL, OPT_COMPLAIN },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "include-runtime", no_argument, NULL, OPT_INCLUDE_RUNTIME },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "caps", no_argument, NULL, OPT_CAPS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	struct profile_outputs o = { 0 };
	struct record_subject s = { 0 };
	struct eun_seccomp_recording *r;
	int c, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:o:d:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
		case OPT_OUTPUT:
			o.output = optarg;
			break;
		case OPT_COMPLAIN:
			o.complain = optarg;
			break;
		case OPT_REPORT:
			o.report = optarg;
			break;
		case OPT_INCLUDE_RUNTIME:
			o.include_runtime = true;
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
				return usage_error("seccomp record", "--duration: '%s' is not a positive "
						   "number of seconds", optarg);
			break;
		case OPT_CAPS:
			s.caps = true;
			break;
		case 'h':
		case OPT_HELP:
			print_record_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("seccomp record", c, argv);
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--"))
			return usage_error("seccomp record", "unexpected '%s': put the command after --",
					   argv[optind]);
		s.argv = argv + optind;
	}
	if ((code = record_subject_check(&s, "seccomp record")) != CLI_CONTINUE)
		return code;
	code = record_subject_run(g, &s, &r);
	if (r) {
		int c2 = write_outputs(r, &o);

		if (!code)
			code = c2;
		eun_seccomp_recording_free(r);
	}
	return code;
}

int cmd_seccomp_profile(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "complain", required_argument, NULL, OPT_COMPLAIN },
		{ "include-runtime", no_argument, NULL, OPT_INCLUDE_RUNTIME },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	struct profile_outputs o = { 0 };
	struct eun_seccomp_recording *r;
	int c, code;

	(void)g;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:h", long_options, NULL)) != -1) {
		switch (c) {
		case 'o':
		case OPT_OUTPUT:
			o.output = optarg;
			break;
		case OPT_COMPLAIN:
			o.complain = optarg;
			break;
		case OPT_INCLUDE_RUNTIME:
			o.include_runtime = true;
			break;
		case 'h':
		case OPT_HELP:
			print_profile_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("seccomp profile", c, argv);
		}
	}
	if (argc - optind != 1)
		return usage_error("seccomp profile", "give one recording (a --report json:FILE)");
	r = eun_seccomp_recording_load(argv[optind]);
	if (!r) {
		cli_error("%s", eun_seccomp_last_error());
		return CLI_EXIT_USAGE;
	}
	code = write_outputs(r, &o);
	eun_seccomp_recording_free(r);
	return code;
}
