// SPDX-License-Identifier: GPL-2.0
/*
 * Take a snapshot of one netns: walk its hash tables into a fresh summary
 * and record the facts the numbers are relative to.
 */
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/tcp.h>
#include <net/transp_v6.h>
#include <kunit/visibility.h>

#include "compat.h"
#include "snapshot.h"

static u64 tw_object_bytes(const struct proto *prot)
{
	if (!prot->twsk_prot || !prot->twsk_prot->twsk_slab)
		return 0;
	return tw_slab_slot_bytes(prot->twsk_prot->twsk_slab);
}

int tw_snapshot_take(struct net *net, struct tw_snapshot *snap)
{
	struct inet_hashinfo *h = tw_net_hashinfo(net);
	int err;

	memset(snap, 0, sizeof(*snap));
	err = tw_walk(net, tw_summary_visit, &snap->sum, &snap->cost);
	if (err)
		return err;

	snap->tw_object_bytes = tw_object_bytes(&tcp_prot);
#if IS_ENABLED(CONFIG_IPV6)
	snap->tw_object_bytes_ipv6 = tw_object_bytes(&tcpv6_prot);
#endif
	snap->tw_max_buckets = max(tw_net_max_tw_buckets(net), 0);
	snap->ehash_buckets = (u64)h->ehash_mask + 1;
	snap->bhash_buckets = h->bhash_size;
	snap->taken_at = jiffies;
	return 0;
}

/* Whether a snapshot taken at @taken_at may still be served at @now. */
bool tw_snapshot_fresh(unsigned long taken_at,
		       unsigned long now,
		       unsigned int max_age_ms)
{
	if (!max_age_ms || time_before(now, taken_at))
		return false;
	return time_before(now, taken_at + msecs_to_jiffies(max_age_ms));
}
EXPORT_SYMBOL_IF_KUNIT(tw_snapshot_fresh);
