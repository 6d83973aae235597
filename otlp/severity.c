/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Rule priorities (syslog's names, as Falco's rules use them) as OTLP
 * SeverityNumbers: FATAL 21-24, ERROR 17-20, WARN 13-16, INFO 9-12, DEBUG 5-8. */
#include <strings.h>

#include <eunomia/otlp.h>

int eun_otlp_severity(const char *priority)
{
	static const struct {
		const char *name;
		int severity;
	} map[] = {
		{ "emergency", 23 },     /* FATAL3 */
		{ "alert", 22 },         /* FATAL2 */
		{ "critical", 21 },      /* FATAL */
		{ "error", 17 },         /* ERROR */
		{ "warning", 13 },       /* WARN */
		{ "notice", 10 },        /* INFO2 */
		{ "informational", 9 },  /* INFO */
		{ "info", 9 },
		{ "debug", 5 },          /* DEBUG */
	};

	for (size_t i = 0; priority && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcasecmp(priority, map[i].name))
			return map[i].severity;
	return 0;
}
