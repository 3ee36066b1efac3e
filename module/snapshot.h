/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One consistent reading of a netns: the walk's summary, what it cost,
 * and the sysctls and table sizes it was taken against.
 */
#ifndef TW_STATS_SNAPSHOT_H
#define TW_STATS_SNAPSHOT_H

#include <linux/types.h>
#include "summary.h"
#include "walk.h"

struct net;

struct tw_snapshot {
	struct tw_summary sum;
	struct tw_walk_cost cost;
	u64 tw_object_bytes;		/* IPv4 timewait slab footprint */
	u64 tw_object_bytes_ipv6;	/* IPv6 one; 0 without IPv6 */
	u64 tw_max_buckets;
	u64 ehash_buckets;
	u64 bhash_buckets;
	unsigned long taken_at;		/* jiffies */
};

int tw_snapshot_take(struct net *net, struct tw_snapshot *snap);
bool tw_snapshot_fresh(unsigned long taken_at, unsigned long now,
		       unsigned int max_age_ms);

static inline u64 tw_snapshot_memory_bytes(const struct tw_snapshot *snap)
{
	return snap->sum.tw_ipv4 * snap->tw_object_bytes +
	       snap->sum.tw_ipv6 * snap->tw_object_bytes_ipv6;
}

#endif /* TW_STATS_SNAPSHOT_H */
