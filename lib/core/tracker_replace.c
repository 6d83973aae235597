/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* One tracker taking over from another without a gap or a duplicate: the
 * old one is stopped, and the new one's records stamped before that stop
 * detached the old one's programs are dropped at delivery
 * (event_deliver.c), because the old one delivered those already. */
#include "core/core.h"

int eun_tracker_replace(struct eun_tracker *old, struct eun_tracker *repl)
{
	int err;

	clear_error();
	if (!old || !repl || old == repl || old->ctx != repl->ctx)
		return set_error(EINVAL, "eun_tracker_replace: two different trackers of one context "
				 "are required");
	if (old->st != EUN_TRACKER_RUNNING || repl->st != EUN_TRACKER_RUNNING)
		return set_error(EINVAL, "eun_tracker_replace: both trackers must be running; "
				 "'%s' (the %s one) is not", eun_tracker_name(
					 old->st != EUN_TRACKER_RUNNING ? old : repl),
				 old->st != EUN_TRACKER_RUNNING ? "old" : "new");
	if (old->ctx->draining || old->ctx->listeners.depth)
		return set_error(EBUSY, "eun_tracker_replace: called during a delivery of the "
				 "context; call it between polls");
	err = eun_tracker_stop(old);
	/* Detached even when stop() complained: the hand-over instant stands. */
	if (old->detached_ns > repl->skip_before_ns)
		repl->skip_before_ns = old->detached_ns;
	return err;
}
