/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state of tw_stats: the last snapshot and the lock
 * that makes concurrent readers share one walk.
 */
#ifndef TW_STATS_NETNS_H
#define TW_STATS_NETNS_H

#include <linux/mutex.h>
#include "snapshot.h"

struct net;
struct tw_drops_ns;

struct tw_netns {
	struct mutex lock;		/* one walk at a time; guards snap */
	struct tw_snapshot snap;
	bool have_snap;
	/* drop counts; NULL from exit on, freed after a grace period */
	struct tw_drops_ns __rcu *drops;
	struct tw_drops_ns *drops_retired;
};

/* How old a snapshot may be and still be served, in ms (module param). */
extern unsigned int tw_cache_ms;

int tw_netns_register(void);
void tw_netns_unregister(void);

struct tw_netns *tw_netns_of(const struct net *net);
struct tw_netns *tw_netns_get_snapshot(struct net *net);
void tw_netns_put_snapshot(struct tw_netns *tn);

#endif /* TW_STATS_NETNS_H */
