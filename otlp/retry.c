/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Retry rules and backoff (see retry.h). */
#include "retry.h"

/* exporterhelper's multiplier and randomization factor. */
#define BACKOFF_MULTIPLIER 1.5
#define BACKOFF_JITTER 0.5

bool retry_allowed(const struct http_result *r)
{
	switch (r->status) {
	case 0:
		return !r->permanent;
	case 429:
	case 502:
	case 503:
	case 504:
		return true;
	default:
		return false;
	}
}

void backoff_start(struct backoff *b, int64_t now_ms)
{
	b->first_ms = now_ms;
	b->next_ms = b->initial_ms < b->max_interval_ms ? b->initial_ms : b->max_interval_ms;
	if (!b->rand)
		b->rand = (uint64_t)now_ms * 0x9e3779b97f4a7c15ull | 1;
}

/* A number in [0, 1) (xorshift64*). */
static double uniform(struct backoff *b)
{
	b->rand ^= b->rand >> 12;
	b->rand ^= b->rand << 25;
	b->rand ^= b->rand >> 27;
	return (double)((b->rand * 0x2545f4914f6cdd1dull) >> 11) / 9007199254740992.0;
}

int64_t backoff_next(struct backoff *b, const struct http_result *r, int64_t now_ms)
{
	int64_t wait;

	if (r->retry_after_s >= 0) {
		wait = (int64_t)r->retry_after_s * 1000;
	} else {
		double lo = (double)b->next_ms * (1 - BACKOFF_JITTER);
		double span = (double)b->next_ms * 2 * BACKOFF_JITTER;

		wait = (int64_t)(lo + span * uniform(b));
		b->next_ms = (uint64_t)((double)b->next_ms * BACKOFF_MULTIPLIER);
		if (b->next_ms > b->max_interval_ms)
			b->next_ms = b->max_interval_ms;
	}
	if (now_ms + wait - b->first_ms > (int64_t)b->max_elapsed_ms)
		return -1;
	return wait;
}
