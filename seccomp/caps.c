// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Capabilities: the classes of a recording's checks, the set as OCI,
 * docker and Kubernetes want it, parsing a list, and keeping only a set
 * in the calling process (libcap).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/capability.h>
#include <sys/prctl.h>

#include "sc.h"

const char *sc_cap_name(unsigned cap, char *buf, size_t size)
{
	char *name = cap_to_name((cap_value_t)cap);

	if (name && strncmp(name, "cap_", 4) == 0) {
		snprintf(buf, size, "CAP_%s", name + 4);
		for (char *p = buf; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	} else {
		snprintf(buf, size, "CAP_%u", cap);
	}
	cap_free(name);
	return buf;
}

uint64_t eun_seccomp_recording_caps(const struct eun_seccomp_recording *r, enum eun_caps_class c)
{
	uint64_t set = 0;

	for (size_t i = 0; i < r->n_caps; i++) {
		const struct sc_cap_rec *x = &r->capv[i];
		enum eun_caps_class cls;

		if (x->cap >= 64)
			continue;
		if (x->phase != EUN_SECCOMP_PHASE_WORKLOAD || x->override)
			cls = EUN_CAPS_RUNTIME;
		else if (!strcmp(x->audit, "no"))
			cls = EUN_CAPS_PROBED;
		else /* audited, or a caller the table lacks: counted as audited */
			cls = x->granted ? EUN_CAPS_NEEDED : EUN_CAPS_DENIED;
		if (cls == c)
			set |= 1ULL << x->cap;
	}
	/* Denied means the workload did without it: not if it was also granted. */
	if (c == EUN_CAPS_DENIED)
		set &= ~eun_seccomp_recording_caps(r, EUN_CAPS_NEEDED);
	return set;
}

/* "CHOWN" of CAP_CHOWN. */
static const char *short_name(unsigned cap, char *buf, size_t size)
{
	char full[40];

	sc_cap_name(cap, full, sizeof(full));
	snprintf(buf, size, "%s", full + 4);
	return buf;
}

int eun_caps_format(uint64_t caps, enum eun_caps_format format, char **out)
{
	struct sc_buf b = { 0 };
	char name[40];
	bool first = true;

	switch (format) {
	case EUN_CAPS_OCI: {
		static const char *const sets[] = { "bounding", "effective", "permitted" };

		sc_buf_printf(&b, "{\n");
		for (size_t s = 0; s < 3; s++) {
			sc_buf_printf(&b, "  \"%s\": [", sets[s]);
			first = true;
			for (unsigned c = 0; c < 64; c++)
				if (caps >> c & 1) {
					sc_buf_printf(&b, "%s\"%s\"", first ? "" : ", ",
						      sc_cap_name(c, name, sizeof(name)));
					first = false;
				}
			sc_buf_printf(&b, "]%s\n", s < 2 ? "," : "");
		}
		sc_buf_printf(&b, "}\n");
		break;
	}
	case EUN_CAPS_DOCKER:
		sc_buf_printf(&b, "--cap-drop ALL");
		for (unsigned c = 0; c < 64; c++)
			if (caps >> c & 1)
				sc_buf_printf(&b, " --cap-add %s", short_name(c, name, sizeof(name)));
		sc_buf_printf(&b, "\n");
		break;
	case EUN_CAPS_K8S:
		sc_buf_printf(&b, "securityContext:\n  capabilities:\n    drop: [\"ALL\"]\n    add: [");
		for (unsigned c = 0; c < 64; c++)
			if (caps >> c & 1) {
				sc_buf_printf(&b, "%s\"%s\"", first ? "" : ", ",
					      short_name(c, name, sizeof(name)));
				first = false;
			}
		sc_buf_printf(&b, "]\n");
		break;
	default:
		return sc_error(EINVAL, "unknown capability format %d", (int)format);
	}
	*out = sc_buf_take(&b);
	return *out ? 0 : sc_error(ENOMEM, "out of memory");
}

int eun_caps_parse(const char *list, uint64_t *out)
{
	char *copy = strdup(list ? list : ""), *save = NULL;
	uint64_t set = 0;

	if (!copy)
		return sc_error(ENOMEM, "out of memory");
	for (char *tok = strtok_r(copy, ", \t\n", &save); tok; tok = strtok_r(NULL, ", \t\n", &save)) {
		char name[64];
		cap_value_t v;

		snprintf(name, sizeof(name), "%s%s", strncasecmp(tok, "cap_", 4) ? "cap_" : "", tok);
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (cap_from_name(name, &v) || v < 0 || v >= 64) {
			int err = sc_error(EINVAL, "'%s' is not a capability (names as in "
					   "capabilities(7): CAP_CHOWN, NET_BIND_SERVICE...)", tok);

			free(copy);
			return err;
		}
		set |= 1ULL << v;
	}
	free(copy);
	*out = set;
	return 0;
}

int eun_caps_limit(uint64_t caps)
{
	cap_value_t max = (cap_value_t)cap_max_bits();
	cap_t now = cap_get_proc(), want;
	char name[40];
	int err = 0;

	sc_error_clear();
	if (!now)
		return sc_error(errno, "cannot read the process's capabilities: %s", strerror(errno));
	for (cap_value_t c = 0; c < max && c < 64; c++) {
		cap_flag_value_t has = CAP_CLEAR;

		if (!(caps >> c & 1))
			continue;
		cap_get_flag(now, c, CAP_PERMITTED, &has);
		if (has != CAP_SET) {
			cap_free(now);
			return sc_error(EPERM, "%s is not in this process's permitted set, so it "
					"cannot be kept; run as root", sc_cap_name((unsigned)c, name,
										   sizeof(name)));
		}
	}
	cap_free(now);
	for (cap_value_t c = 0; c < max; c++)
		if ((c >= 64 || !(caps >> c & 1)) && CAP_IS_SUPPORTED(c) && cap_drop_bound(c))
			return sc_error(errno, "cannot drop %s from the bounding set: %s (it needs "
					"CAP_SETPCAP: run as root)", sc_cap_name((unsigned)c, name,
										 sizeof(name)),
					strerror(errno));
	want = cap_init();
	if (!want)
		return sc_error(ENOMEM, "out of memory");
	for (cap_value_t c = 0; c < max && c < 64; c++) {
		if (!(caps >> c & 1))
			continue;
		cap_set_flag(want, CAP_PERMITTED, 1, &c, CAP_SET);
		cap_set_flag(want, CAP_EFFECTIVE, 1, &c, CAP_SET);
		cap_set_flag(want, CAP_INHERITABLE, 1, &c, CAP_SET);
	}
	if (cap_set_proc(want))
		err = sc_error(errno, "cannot set the process's capabilities: %s", strerror(errno));
	cap_free(want);
	if (err)
		return err;
	if (cap_reset_ambient())
		return sc_error(errno, "cannot clear the ambient capabilities: %s", strerror(errno));
	for (cap_value_t c = 0; c < max && c < 64; c++)
		if ((caps >> c & 1) && cap_set_ambient(c, CAP_SET))
			return sc_error(errno, "cannot raise %s in the ambient set: %s",
					sc_cap_name((unsigned)c, name, sizeof(name)), strerror(errno));
	return 0;
}
