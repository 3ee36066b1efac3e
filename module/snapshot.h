/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One consistent reading of a netns: the walk's summary, per-port and
 * per-destination tables, what the walk cost, and the sysctls and table
 * sizes it was taken against.  Immutable once taken and reference counted,
 * so an open file keeps reading the snapshot it started with.
 */
#ifndef TW_STATS_SNAPSHOT_H
#define TW_STATS_SNAPSHOT_H

#include <linux/kref.h>
#include <linux/types.h>
#include "cgroups.h"
#include "dests.h"
#include "ports.h"
#include "summary.h"
#include "walk.h"

struct net;

/*
 * Where the time of taking a snapshot went (debugfs walk_phases, make
 * bench's per-socket profile): the bind hash, the walk (visitors
 * included), the visitors one by one (0 unless tw_time_visitors), and
 * the work after the walk.
 */
struct tw_snapshot_phases {
	u64 bind_ns;		/* reading the bind hash */
	u64 walk_ns;		/* tw_walk(), the visitors included */
	u64 summary_ns;		/* in tw_summary_visit() */
	u64 ports_ns;		/* in tw_ports_visit() */
	u64 dests_ns;		/* in tw_dests_visit() */
	u64 cgroups_ns;		/* in tw_cgroups_visit() */
	u64 reduce_ns;		/* port rows, ranking, after the walk */
	u64 total_ns;		/* the whole of tw_snapshot_take() */
	/*
	 * The CPU time tw_snapshot_take() cost its reader: no lock waits,
	 * no time preempted; what the cache serves it for (cpu_ns of ops)
	 */
	u64 cpu_ns;
};

struct tw_snapshot {
	struct kref ref;
	unsigned long taken_at;		/* jiffies the walk began */
	struct tw_summary sum;
	struct tw_walk_cost cost;
	u32 chain_lengths[TW_CHAIN_LEN_MAX + 1];
	u64 tw_object_bytes;		/* IPv4 timewait slab slot */
	u64 tw_object_bytes_ipv6;	/* IPv6 one; 0 without IPv6 */
	u64 tw_max_buckets;
	u64 ehash_buckets;
	u64 bhash_buckets;
	struct tw_ephemeral eph;
	u32 ports_tw_only;
	unsigned int nr_ports;
	struct tw_port_row *ports;	/* by port */
	struct tw_dest_result dests;	/* worst first, and others */
	struct tw_cgroup_result cgroups;	/* worst first, and others */
	/* our own memory (debugfs memory): bounded, whatever the sockets */
	u64 held_bytes;			/* this snapshot, while it is kept */
	u64 scratch_bytes;		/* peak extra while it was taken */
	struct tw_snapshot_phases phases;
};

/*
 * Whether readings time each visitor (debugfs time_visitors, root only):
 * off by default, since the clock reads are the cost of a profile, not
 * of a reading.
 */
extern bool tw_time_visitors;

struct tw_snapshot *tw_snapshot_take(struct net *net, unsigned int top_n,
				     unsigned int max_age_ms);
void tw_snapshot_put(struct tw_snapshot *snap);

static inline void tw_snapshot_get(struct tw_snapshot *snap)
{
	kref_get(&snap->ref);
}

static inline u64 tw_snapshot_memory_bytes(const struct tw_snapshot *snap)
{
	return snap->sum.tw_ipv4 * snap->tw_object_bytes +
	       snap->sum.tw_ipv6 * snap->tw_object_bytes_ipv6;
}

#endif /* TW_STATS_SNAPSHOT_H */
