/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAT's view of a namespace (/proc/net/tw_nat): its source-NATed TCP
 * conntrack flows per (translated source address, destination), their
 * conntrack states and, where the port range the NAT picks from is
 * known, how many more flows toward that destination it can translate.
 *
 * Read from nf_conntrack's own table, without ever loading or pinning
 * nf_conntrack: its symbols are taken for one reading at a time.
 */
#ifndef TW_STATS_NAT_H
#define TW_STATS_NAT_H

#include <linux/types.h>
#include "record.h"

struct net;

/* Distinct (source, destination) pairs one reading tracks; the rest are summed. */
#define TW_NAT_CAPACITY		4096

/* The ports the NAT picks from; min == 0: unknown. */
struct tw_nat_range {
	u16 min, max;
};

/* The range the kernel's NAT uses when a rule gives none (nf_nat_core.c). */
#define TW_NAT_DEFAULT_MIN	1024
#define TW_NAT_DEFAULT_MAX	65535

static inline bool tw_nat_range_known(const struct tw_nat_range *r)
{
	return r->min && r->min <= r->max;
}

static inline u32 tw_nat_range_size(const struct tw_nat_range *r)
{
	return tw_nat_range_known(r) ? (u32)r->max - r->min + 1 : 0;
}

int tw_nat_parse_ports(const char *buf, size_t len, struct tw_nat_range *out);
void tw_nat_set_range(struct net *net, const struct tw_nat_range *r);
void tw_nat_get_range(struct net *net, struct tw_nat_range *r);

/* The per-flow states the table splits flows into. */
enum tw_nat_state {
	TW_NAT_TIME_WAIT,
	TW_NAT_CLOSE_WAIT,
	TW_NAT_ESTABLISHED,
	TW_NAT_OTHER,
	TW_NAT_STATES
};

struct tw_nat_key {
	union tw_addr source;	/* the translated source address */
	union tw_addr dest;	/* the original destination */
	__be16 dport;
	u8 family;
};

struct tw_nat_counts {
	u32 flows;
	u32 state[TW_NAT_STATES];
	u32 in_range;		/* flows translated to a port of the range */
};

/* One row of /proc/net/tw_nat. */
struct tw_nat_row {
	struct tw_nat_key key;
	struct tw_nat_counts n;
	u32 headroom;		/* range size - in_range; meaningless if unknown */
};

struct tw_nat_slot {
	struct tw_nat_key key;
	struct tw_nat_counts n;
	bool used;
};

struct tw_nat_table {
	struct tw_nat_slot *slots;
	unsigned int capacity;	/* a power of two */
	unsigned int used;
	/*
	 * Random per table: whoever opens flows through the NAT picks their
	 * pairs, and with a hash they could compute they could make every
	 * pair's probe run through one cluster (struct tw_dest_table).
	 */
	u32 seed;
	struct tw_nat_range range;
	struct tw_nat_counts untracked;	/* flows of pairs that did not fit */
};

int tw_nat_table_init(struct tw_nat_table *t, unsigned int capacity,
		      const struct tw_nat_range *range);
void tw_nat_table_free(struct tw_nat_table *t);
u32 tw_nat_key_hash(const struct tw_nat_key *key, u32 seed);
bool tw_nat_key_eq(const struct tw_nat_key *a, const struct tw_nat_key *b);
bool tw_nat_table_add(struct tw_nat_table *t, const struct tw_nat_key *key,
		      enum tw_nat_state state, u16 port);

/* A reading of the view. */
struct tw_nat_reading {
	bool active;
	const char *inactive;		/* why not active */
	struct tw_nat_range range;
	struct tw_nat_row *rows;	/* kvmalloc'ed, nr of them, worst first */
	unsigned int nr;
	struct tw_nat_counts others;	/* the rows past top_n and untracked */
	u32 pairs;			/* distinct pairs tracked */
	u64 flows, time_wait;		/* every flow counted */
	u32 min_headroom;		/* valid if range known */
	u64 untracked_flows;		/* of pairs past capacity */
	u64 insert_failed, drop, early_drop;	/* conntrack -S, summed */
};

/* Walks of conntrack's table, host-wide, for debugfs. */
struct tw_nat_walk_stats {
	u64 walks;		/* readings that walked the table */
	u64 skipped_empty;	/* readings of a namespace without entries */
	unsigned long last_at;	/* jiffies the latest walk ended; 0: none */
	u64 last_buckets;	/* its buckets and entries read, restarts */
	u64 last_entries;	/* included */
	u64 last_ns;		/* its time, table set-up included */
};

void tw_nat_walk_stats(struct tw_nat_walk_stats *out);

int tw_nat_reduce(struct tw_nat_table *t, unsigned int top_n,
		  struct tw_nat_reading *res);
int tw_nat_read(struct net *net, unsigned int top_n, struct tw_nat_reading *res);
bool tw_nat_read_counters(const struct net *net, struct tw_nat_reading *res);
int tw_nat_read_sums(struct net *net, struct tw_nat_reading *res);
void tw_nat_reading_free(struct tw_nat_reading *res);

#endif /* TW_STATS_NAT_H */
