// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregate socket records into the per-netns TIME_WAIT summary.  Pure
 * arithmetic on records, so KUnit can drive it with synthetic sockets.
 */
#include <linux/export.h>
#include <linux/socket.h>
#include <kunit/visibility.h>

#include "summary.h"

/* A tw_visit_fn: add records to the summary at @summary. */
void tw_summary_visit(void *summary, const struct tw_sock_rec *recs,
		      unsigned int n)
{
	struct tw_summary *s = summary;
	unsigned int i;

	for (i = 0; i < n; i++)
		tw_summary_add(s, &recs[i]);
}
EXPORT_SYMBOL_IF_KUNIT(tw_summary_visit);
