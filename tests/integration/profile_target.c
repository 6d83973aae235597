/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Target program of test_profile (built with frame pointers): writes a
 * byte to stdout once running and waits for a byte on stdin; then burns
 * CPU in spin_here_for_profile() for the number of milliseconds given as
 * its argument, writes one byte to stdout and waits for stdin to close
 * before it exits, so that its mappings stay readable for symbolization.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

volatile unsigned long spin_sink;

__attribute__((noinline)) void spin_here_for_profile(long long ms);
__attribute__((noinline)) void spin_here_for_profile(long long ms)
{
	long long end = now_ms() + ms;

	while (now_ms() < end)
		for (int i = 0; i < 100000; i++)
			spin_sink += (unsigned long)i * 7;
}

int main(int argc, char **argv)
{
	char c;

	if (write(1, "r", 1) != 1 || read(0, &c, 1) != 1)
		return 1;
	spin_here_for_profile(argc > 1 ? atoll(argv[1]) : 1500);
	if (write(1, "k", 1) != 1)
		return 1;
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
