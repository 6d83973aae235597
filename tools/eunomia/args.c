/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Strict parsing of option values and reporting of refused options. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "diag.h"

/* Longest --duration accepted, in seconds (a bit over 31 years). */
#define MAX_SECONDS 1e9

/* Parse an unsigned decimal number that fits in 32 bits. */
int parse_u32(const char *text, uint32_t *out)
{
	char *end;
	unsigned long value;

	if (!isdigit((unsigned char)text[0]))
		return -EINVAL;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || value > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)value;
	return 0;
}

/* Parse a positive number of seconds: digits with at most one decimal point. */
int parse_seconds(const char *text, double *out)
{
	size_t digits = 0, points = 0;
	char *end;
	double value;

	for (const char *c = text; *c; c++) {
		if (isdigit((unsigned char)*c))
			digits++;
		else if (*c == '.')
			points++;
		else
			return -EINVAL;
	}
	if (digits == 0 || points > 1)
		return -EINVAL;
	errno = 0;
	value = strtod(text, &end);
	if (*end != '\0' || errno == EINVAL)
		return -EINVAL;
	if (value <= 0.0)
		return -EINVAL;
	if (errno == ERANGE || value > MAX_SECONDS)
		return -ERANGE;
	*out = value;
	return 0;
}

/* Parse a positive byte count with an optional k, M or G suffix (powers of 1024). */
int parse_size(const char *text, uint64_t *out)
{
	static const char suffixes[] = "kmg";
	const char *suffix;
	unsigned shift = 0;
	char *end;
	uint64_t value;

	if (!isdigit((unsigned char)text[0]))
		return -EINVAL;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (*end) {
		suffix = strchr(suffixes, tolower((unsigned char)*end));
		if (!suffix || end[1] != '\0')
			return -EINVAL;
		shift = 10 * (unsigned)(suffix - suffixes + 1);
	}
	if (value == 0)
		return -EINVAL;
	if (errno == ERANGE || value > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = value << shift;
	return 0;
}

/* Report an option getopt_long() refused as a usage error of command cmd.
 * Long options use values above 255, so optopt tells short from long. */
int report_bad_option(const char *cmd, int ret, char *const argv[])
{
	const char *arg = argv[optind - 1];
	bool is_short = optopt > 0 && optopt <= UCHAR_MAX;

	if (ret == ':' && is_short)
		return usage_error(cmd, "option '-%c' needs a value", optopt);
	if (ret == ':')
		return usage_error(cmd, "option '%s' needs a value", arg);
	if (is_short)
		return usage_error(cmd, "unknown option '-%c'", optopt);
	if (optopt != 0)
		return usage_error(cmd, "option '%.*s' takes no value", (int)strcspn(arg, "="), arg);
	return usage_error(cmd, "unknown or ambiguous option '%s'", arg);
}
