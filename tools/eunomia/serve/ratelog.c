/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* A rate-limited log of messages about clients. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "ratelog.h"

#define WINDOW_MS 10000

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ratelog_init(struct ratelog *r, unsigned burst)
{
	pthread_mutex_init(&r->lock, NULL);
	r->burst = burst ? burst : 10;
	r->window_start_ms = now_ms();
	r->used = 0;
	r->suppressed = 0;
}

void ratelog(struct ratelog *r, const char *fmt, ...)
{
	int64_t now = now_ms();
	char msg[512];
	va_list ap;

	pthread_mutex_lock(&r->lock);
	if (now - r->window_start_ms >= WINDOW_MS) {
		r->window_start_ms = now;
		r->used = 0;
	}
	if (r->used >= r->burst) {
		r->suppressed++;
		pthread_mutex_unlock(&r->lock);
		return;
	}
	r->used++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->suppressed)
		fprintf(stderr, "eunomia serve: (%llu similar messages left out)\n",
			(unsigned long long)r->suppressed);
	r->suppressed = 0;
	fprintf(stderr, "eunomia serve: %s\n", msg);
	pthread_mutex_unlock(&r->lock);
}
