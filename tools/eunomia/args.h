/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Strict parsing of option values and reporting of refused options. */
#ifndef EUNOMIA_CLI_ARGS_H
#define EUNOMIA_CLI_ARGS_H

#include <stdint.h>

/* Parse an unsigned decimal number that fits in 32 bits; nothing else is
 * accepted (no sign, blanks or suffix). 0, -EINVAL or -ERANGE. */
int parse_u32(const char *text, uint32_t *out);

/* Parse a positive number of seconds with optional decimals ("2", "0.5").
 * 0, -EINVAL or -ERANGE. */
int parse_seconds(const char *text, double *out);

/* Parse a positive byte count with an optional binary suffix: k or K
 * (KiB), m or M (MiB), g or G (GiB), e.g. "512k". 0, -EINVAL or -ERANGE. */
int parse_size(const char *text, uint64_t *out);

/* First value of long options that have no short form (getopt_long val). */
#define LONG_ONLY_OPTION 256

/* Report an option getopt_long() refused (it returned ret, ':' or '?',
 * for argv) as a usage error of command cmd. Every long option must have
 * a val of LONG_ONLY_OPTION or more, even one with a short form, so that
 * optopt tells which kind was refused. Returns CLI_EXIT_USAGE. */
int report_bad_option(const char *cmd, int ret, char *const argv[]);

#endif
