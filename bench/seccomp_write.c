// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * The time libeunomia-seccomp takes to write a profile from a recording:
 * load it once (a --report json: file of `eunomia seccomp record`), then N
 * times build the profile, check it with libseccomp (build and export the
 * filter) and render its JSON: what `seccomp record` does at its end.
 *
 *     seccomp_write RECORDING [N]
 *
 * Prints "profiles=N ms_per_profile=X syscalls=S rules=R".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <eunomia/eunomia-seccomp.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct eun_seccomp_recording *r;
	int n = argc > 2 ? atoi(argv[2]) : 20, rules = 0;
	double t0, t1;

	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: seccomp_write RECORDING [N]\n");
		return 2;
	}
	r = eun_seccomp_recording_load(argv[1]);
	if (!r) {
		fprintf(stderr, "seccomp_write: %s\n", eun_seccomp_last_error());
		return 1;
	}
	t0 = now_ms();
	for (int i = 0; i < n; i++) {
		struct eun_seccomp_profile *p = eun_seccomp_profile_from_recording(r, NULL);
		char *json;

		if (!p || eun_seccomp_profile_check(p) || !(json = eun_seccomp_profile_to_json(p))) {
			fprintf(stderr, "seccomp_write: %s\n", eun_seccomp_last_error());
			return 1;
		}
		rules = 0;
		for (const char *s = json; (s = strstr(s, "\"action\"")); s++)
			rules++;
		free(json);
		eun_seccomp_profile_free(p);
	}
	t1 = now_ms();
	printf("profiles=%d ms_per_profile=%.2f syscalls=%zu rules=%d\n", n, (t1 - t0) / n,
	       eun_seccomp_recording_count(r), rules);
	eun_seccomp_recording_free(r);
	return 0;
}
