/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One reading of every network namespace, taken from the initial one: the
 * per-netns rows of /proc/net/tw_netns and what the reading cost.
 */
#ifndef TW_STATS_ALLNS_H
#define TW_STATS_ALLNS_H

#include <linux/kref.h>
#include <linux/types.h>
#include "netns_table.h"
#include "walk.h"

/* What one reading of all namespaces cost. */
struct tw_allns_cost {
	unsigned long taken_at;		/* jiffies; 0 = no reading yet */
	u32 namespaces;			/* namespaces tracked (pinned) */
	u32 private_walks;		/* private established hashes walked */
	struct tw_walk_cost shared;	/* the walk of the shared tables */
	struct tw_walk_cost private;	/* the private walks, summed */
	u64 setup_ns;			/* pinning, tables, the bind hash */
	u64 total_ns;			/* the whole reading, bind hash included */
	u64 cpu_ns;			/* the CPU time it cost its reader */
};

struct tw_allns {
	struct kref ref;
	struct tw_netns_result res;
	struct tw_allns_cost cost;
};

struct tw_allns *tw_allns_get(void);
void tw_allns_put(struct tw_allns *a);
struct tw_allns *tw_allns_hold(void);
void tw_allns_unhold(struct tw_allns *a);
bool tw_allns_last_cost(struct tw_allns_cost *cost);
void tw_allns_exit(void);

#endif /* TW_STATS_ALLNS_H */
