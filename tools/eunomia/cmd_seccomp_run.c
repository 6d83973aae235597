/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* `eunomia seccomp run`: a command under a profile, its denied syscalls reported. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sys/wait.h>

#include <eunomia/eunomia-seccomp.h>

#include "args.h"
#include "cmd_seccomp.h"
#include "ctx_open.h"
#include "diag.h"
#include "exit_codes.h"
#include "output_spec.h"
#include "run_outputs.h"
#include "signals.h"

#define MAX_OUTPUTS 8

enum run_option {
	OPT_PROFILE = LONG_ONLY_OPTION,
	OPT_ACTION,
	OPT_OUTPUT,
	OPT_QUIET,
	OPT_HELP,
};

static void print_help(FILE *f)
{
	fputs("Usage: eunomia seccomp run --profile FILE [OPTIONS] -- CMD [ARGS]\n"
	      "\n"
	      "Run CMD with no_new_privs under the profile's filter (built with libseccomp),\n"
	      "in a cgroup of its own, and report each syscall the filter denies: its name,\n"
	      "number, ABI, action and errno, with the pid, comm and container of the task.\n"
	      "The exit status is CMD's (128+N if signal N ended it).\n"
	      "\n"
	      "  -p, --profile FILE       the OCI linux.seccomp profile (or a config.json)\n"
	      "  -a, --action ACTION      what a denied syscall gets: errno (the profile's\n"
	      "                           errno, EPERM if it names none), log (complain: it\n"
	      "                           runs) or kill; default: the profile's defaultAction\n"
	      "  -o, --output [FORMAT:]FILE  also write the denied events there (json, csv or\n"
	      "                           text; repeatable)\n"
	      "  -q, --quiet              no line on stderr per denied syscall\n"
	      "  -h, --help               print this help\n", f);
}

/* One line on stderr per denial (the -o outputs get the events as well). */
static int print_denied(const struct eun_event *ev, void *cookie)
{
	char syscall[40] = "", action[16] = "", abi[16] = "", nr[16] = "", err[16] = "";
	char ctr[32] = "";
	EUN_OPTS(eun_container_info, info);

	(void)cookie;
	if (strcmp(eun_event_type_name(ev), "denied"))
		return 0;
	eun_event_format_field(ev, "syscall", syscall, sizeof(syscall));
	eun_event_format_field(ev, "action", action, sizeof(action));
	eun_event_format_field(ev, "abi", abi, sizeof(abi));
	eun_event_format_field(ev, "nr", nr, sizeof(nr));
	eun_event_format_field(ev, "err", err, sizeof(err));
	if (eun_event_container(ev, &info) == 1)
		snprintf(ctr, sizeof(ctr), " container=%.12s", info.id);
	fprintf(stderr, "eunomia: seccomp denied %s (%s %s) action=%s%s%s pid=%u comm=%s%s\n",
		syscall, abi, nr, action, strcmp(err, "0") ? " errno=" : "",
		strcmp(err, "0") ? err : "", eun_event_pid(ev), eun_event_comm(ev), ctr);
	return 0;
}

/* The command's wait status as an exit status. */
static int command_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return CLI_EXIT_RUNTIME;
}

int cmd_seccomp_run(const struct global_opts *g, int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "action", required_argument, NULL, OPT_ACTION },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	struct output_spec specs[MAX_OUTPUTS];
	struct eun_seccomp_profile *profile;
	enum eun_seccomp_action action = EUN_SECCOMP_ACTION_PROFILE;
	struct eun_seccomp_runner *runner;
	struct run_outputs *outs = NULL;
	const char *path = NULL;
	struct eun_ctx *ctx;
	size_t n_specs = 0;
	bool quiet = false;
	int c, err, code;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+:p:a:o:qh", long_options, NULL)) != -1) {
		switch (c) {
		case 'p':
		case OPT_PROFILE:
			path = optarg;
			break;
		case 'a':
		case OPT_ACTION:
			if (eun_seccomp_action_parse(optarg, &action))
				return usage_error("seccomp run", "--action: %s", eun_seccomp_last_error());
			break;
		case 'o':
		case OPT_OUTPUT:
			if (n_specs == MAX_OUTPUTS)
				return usage_error("seccomp run", "at most %d outputs", MAX_OUTPUTS);
			if (output_spec_parse(optarg, &specs[n_specs]))
				return usage_error("seccomp run", "-o %s: FORMAT:FILE needs a file", optarg);
			n_specs++;
			break;
		case 'q':
		case OPT_QUIET:
			quiet = true;
			break;
		case 'h':
		case OPT_HELP:
			print_help(stdout);
			return finish_stdout(CLI_EXIT_OK);
		default:
			return report_bad_option("seccomp run", c, argv);
		}
	}
	if (!path)
		return usage_error("seccomp run", "no profile given (--profile FILE)");
	if (optind == argc || strcmp(argv[optind - 1], "--"))
		return usage_error("seccomp run", "give the command after --");
	profile = eun_seccomp_profile_load(path);
	if (!profile) {
		cli_error("%s", eun_seccomp_last_error());
		return CLI_EXIT_USAGE;
	}
	ctx = cli_ctx_open(g, true);
	if (!ctx) {
		eun_seccomp_profile_free(profile);
		return CLI_EXIT_RUNTIME;
	}
	if (!quiet)
		eun_ctx_set_event_fn(ctx, print_denied, NULL);
	EUN_OPTS(eun_seccomp_runner_opts, ropts, .profile = profile, .action = action,
		 .argv = argv + optind);
	runner = eun_seccomp_runner_new(ctx, &ropts);
	if (!runner) {
		cli_error("%s", eun_seccomp_last_error());
		eun_seccomp_profile_free(profile);
		eun_ctx_free(ctx);
		return CLI_EXIT_RUNTIME;
	}
	if (n_specs) {
		struct eun_tracker *t = eun_seccomp_runner_tracker(runner);
		struct run_outputs_opts oo = { .specs = specs, .n_specs = n_specs,
					       .format = OUTPUT_JSON, .trackers = &t, .n_trackers = 1 };

		outs = run_outputs_open(ctx, &oo);
		if (!outs) {
			eun_seccomp_runner_free(runner);
			eun_seccomp_profile_free(profile);
			eun_ctx_free(ctx);
			return CLI_EXIT_RUNTIME;
		}
	}
	signals_install();
	err = eun_seccomp_runner_start(runner);
	eun_seccomp_profile_free(profile);
	if (err) {
		bool running = eun_tracker_state(eun_seccomp_runner_tracker(runner)) ==
			       EUN_TRACKER_RUNNING;

		cli_error("%s", eun_seccomp_last_error());
		code = running ? CLI_EXIT_USAGE : exit_code_for_start_error(err);
	} else {
		while ((err = eun_seccomp_runner_poll(runner, 100)) == 0 || err == -EINTR)
			;
		if (err < 0) {
			cli_error("%s", eun_seccomp_last_error());
			code = CLI_EXIT_RUNTIME;
		} else {
			code = command_code(eun_seccomp_runner_status(runner));
		}
	}
	eun_seccomp_runner_free(runner); /* delivers the last denials */
	code = run_outputs_close(outs, code);
	eun_ctx_free(ctx);
	return code;
}
