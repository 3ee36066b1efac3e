/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packets the kernel dropped for timestamp, PAWS and TIME_WAIT reasons,
 * counted per netns from the skb:kfree_skb tracepoint: per reason, and
 * per remote address in a bounded table.
 */
#ifndef TW_STATS_DROPS_H
#define TW_STATS_DROPS_H

#include <linux/in6.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/dropreason.h>

struct net;
struct tw_netns;

/* Rows of the remote table kept per netns; the file shows drops_top_n. */
#define TW_DROPS_SLOTS		128
/* Drop reasons one kernel can have that we track, at most. */
#define TW_DROP_REASONS_MAX	16

/* Which of the running kernel's drop reasons we count, and where. */
struct tw_drop_reasons {
	unsigned int n;
	unsigned int reason[TW_DROP_REASONS_MAX];  /* enum skb_drop_reason */
	const char *name[TW_DROP_REASONS_MAX];	    /* e.g. "TCP_RFC7323_PAWS" */
	u8 index_of[SKB_DROP_REASON_MAX];  /* index + 1; 0: not tracked */
};

/* Drops of one reason from one remote address. */
struct tw_drop_row {
	struct in6_addr addr;	/* IPv4 in the first word, rest zero */
	unsigned long last_seen;	/* jiffies */
	u64 count;
	u8 family;		/* AF_INET, AF_INET6; 0 for a free row */
	u8 reason;		/* index into struct tw_drop_reasons */
};

struct tw_drop_table {
	u64 unlisted;		/* drops in no row: replaced rows */
	unsigned int used;
	struct tw_drop_row rows[TW_DROPS_SLOTS];
};

/*
 * One CPU's counts for one netns.  Only the probe running on that CPU
 * writes them (this_cpu_inc(), safe against preemption and interrupts);
 * readers sum every possible CPU's, so the probe never shares a cache
 * line or a lock for the counts.
 */
struct tw_drops_pcpu {
	u64 by_reason[TW_DROP_REASONS_MAX];
	u64 unlisted;	/* drops in no row: no address, or the table was busy */
	u64 busy;	/* of those, the drops that found the table busy */
};

/* Per-netns drop state, written by the probe in any context. */
struct tw_drops_ns {
	/* freed after the probes that may hold it (tw_drops_exit_net()) */
	struct rcu_head rcu;
	struct tw_drops_pcpu __percpu *pcpu;
	/*
	 * Guards table.  Raw, so that it stays a spinning lock on
	 * PREEMPT_RT; the probe only ever try-locks it, with local
	 * interrupts off, and counts a drop it cannot place as busy.
	 */
	raw_spinlock_t lock;
	struct tw_drop_table table;
};

/* What a reader sees of a netns's drops: the sums of every CPU's counts. */
struct tw_drops_sums {
	u64 by_reason[TW_DROP_REASONS_MAX];
	u64 unlisted;
	u64 busy;
};

extern struct tw_drop_reasons tw_drop_reasons;
extern unsigned int tw_drops_top_n;

void tw_drops_register(void);
void tw_drops_unregister(void);

int tw_drops_init_net(struct tw_netns *tn);
void tw_drops_exit_net(struct tw_netns *tn);

bool tw_drops_active(void);
unsigned int tw_drops_read_counts(struct net *net, u64 *counts);
bool tw_drops_read_table(struct net *net, struct tw_drop_table *copy);
u64 tw_drops_read_busy(struct net *net);
u64 tw_drops_unattributed(void);

/* The pure parts, exported to the KUnit suite. */
bool tw_drop_reason_wanted(const char *name);
int tw_drop_reasons_build(struct tw_drop_reasons *r);
void tw_drop_table_add(struct tw_drop_table *t, u8 family,
		       const struct in6_addr *addr, u8 reason,
		       unsigned long now);
u64 tw_drop_table_rank(struct tw_drop_table *t, unsigned int top_n);
void tw_drops_count(struct tw_drops_ns *d, unsigned int reason, bool sourced,
		    u8 family, const struct in6_addr *addr, unsigned long now);
void tw_drops_sum(struct tw_drops_pcpu __percpu *pcpu,
		  struct tw_drops_sums *sums);

#endif /* TW_STATS_DROPS_H */
