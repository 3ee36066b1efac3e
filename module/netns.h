/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state of tw_stats: the current snapshot, the
 * lock that makes concurrent readers share one walk, the tunables and
 * the history of recent walks.
 *
 * Words: a netns is a network namespace; struct tw_netns is our state
 * for one; a reading is what one walk found (struct tw_snapshot for one
 * netns, struct tw_allns for all of them, allns.c); the netns table is
 * what a reading of all namespaces fills (netns_table.c); tw_netns is
 * also the /proc/net file that shows that table (files/netns_file.c).
 */
#ifndef TW_STATS_NETNS_H
#define TW_STATS_NETNS_H

#include "nat.h"
#include "reading_cache.h"
#include "snapshot.h"

struct net;
struct tw_drops_ns;
struct tw_gather_place;

#define TW_WALK_HISTORY 8

struct tw_walk_log {
	unsigned long taken_at;		/* jiffies; 0 = empty slot */
	struct tw_walk_cost cost;
	u64 cpu_ns;			/* the reading's, tw_snapshot_phases */
};

struct tw_netns {
	/* latest: a struct tw_snapshot; its lock also guards history, walks */
	struct tw_reading_cache cache;
	/* per-netns overrides of the module parameters; TW_TUNABLE_DEFAULT = none */
	unsigned int cache_ms;		/* how long cache.latest may be served */
	unsigned int top_n;		/* destination rows kept */
	struct tw_walk_log history[TW_WALK_HISTORY];
	unsigned int history_next;
	u64 walks;			/* walks taken in this netns */
	/* drop counts; NULL from exit on, freed after a grace period */
	struct tw_drops_ns __rcu *drops;
	/* its place in the walks shared by namespaces (shared_walk.c) */
	struct tw_gather_place *gather_place;
	/* the NAT's declared port range, min << 16 | max; 0 = unknown (nat.c) */
	u32 nat_ports;
	/*
	 * The NAT view's sums tw_stats shows (no rows), served for cache_ms
	 * like the snapshot: tw_stats is world-readable and a walk of
	 * conntrack's table costs its whole size (nat.c)
	 */
	struct mutex nat_lock;
	struct tw_nat_reading nat_sums;
	unsigned long nat_taken_at;	/* jiffies */
	u64 nat_cpu_ns;			/* what that walk cost its reader */
	bool nat_have;			/* nat_sums holds a reading */
};

#define TW_TUNABLE_DEFAULT UINT_MAX
#define TW_CACHE_MS_MAX TW_READING_SERVED_MAX_MS

/* Module parameters: what a netns without an override uses. */
extern unsigned int tw_cache_ms;
extern unsigned int tw_top_n;

static inline unsigned int tw_netns_cache_ms(const struct tw_netns *tn)
{
	unsigned int v = READ_ONCE(tn->cache_ms);

	return v == TW_TUNABLE_DEFAULT ? READ_ONCE(tw_cache_ms) : v;
}

static inline unsigned int tw_netns_top_n(const struct tw_netns *tn)
{
	unsigned int v = READ_ONCE(tn->top_n);

	return v == TW_TUNABLE_DEFAULT ? READ_ONCE(tw_top_n) : v;
}

int tw_netns_register(void);
void tw_netns_unregister(void);

struct tw_netns *tw_netns(const struct net *net);
struct tw_snapshot *tw_netns_snapshot(struct net *net);
struct tw_snapshot *tw_netns_snapshot_hold(struct net *net);
void tw_netns_snapshot_unhold(struct net *net, struct tw_snapshot *snap);

#endif /* TW_STATS_NETNS_H */
