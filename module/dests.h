/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Destinations that hold local ephemeral ports, and how many more
 * connect()s toward each can succeed: a bounded table filled from socket
 * records, reduced to the worst N and an "others" sum.
 */
#ifndef TW_STATS_DESTS_H
#define TW_STATS_DESTS_H

#include <linux/types.h>
#include "ports.h"
#include "record.h"

/* Distinct destinations tracked by one walk; the rest are summed. */
#define TW_DEST_CAPACITY	4096
#define TW_TOP_N_DEFAULT	64
#define TW_TOP_N_MAX		1024

/*
 * The key connect() uses to decide whether a local port can be shared,
 * and, in a table for several namespaces, whose it is.
 */
struct tw_dest_key {
	union tw_addr laddr;
	union tw_addr raddr;
	u32 owner;		/* the caller's index of the netns; 0 if one */
	__be16 rport;
	u8 family;
};

/* One line of /proc/net/tw_destinations. */
struct tw_dest_row {
	struct tw_dest_key key;
	u32 tw;			/* timewait sockets toward it */
	u32 other;		/* every other socket toward it */
	u32 in_use;		/* distinct local ephemeral ports toward it */
	u32 reusable;		/* timewait sockets connect() may take over now */
	u32 headroom;		/* connect()s toward it that would succeed now */
	u32 conn_per_s;		/* sustainable new connections per second */
};

struct tw_dest_slot {
	struct tw_dest_key key;
	u32 tw;
	u32 other;
	u32 shareable;		/* sockets on ports connect() could pick */
	u32 reusable;
};

/* What headroom and rate are computed against. */
struct tw_dest_env {
	u32 available;		/* tw_ephemeral.available */
	int reuse_mode;		/* net.ipv4.tcp_tw_reuse */
	bool timestamps;	/* net.ipv4.tcp_timestamps */
	u32 reuse_delay_ms;	/* age before tcp_tw_reuse takes a socket */
	u32 timewait_ms;	/* TIME_WAIT length */
};

/*
 * The words of a destination key, as tw_dest_rec_hash() multiplies them:
 * family and remote port in one, the owner, then the local and the remote
 * address (an IPv4 key uses the first word of each).
 */
#define TW_DEST_HASH_WORDS	(2 + 2 * sizeof(union tw_addr) / sizeof(u32))

/*
 * The random parameters of one table's hash, drawn when it is made: a
 * multiplier per key word and an addend (tw_dest_rec_hash()).
 */
struct tw_dest_hash {
	u64 mul[TW_DEST_HASH_WORDS];
	u64 add;
};

/*
 * Open addressing over a small index of slot numbers, the slots dense in
 * order of arrival: the per-socket lookups touch the 8 KiB index and the
 * few pages the destinations fill, not a table of 4,096 wide slots (under
 * TCG each page touched at random is a soft-TLB miss, on hardware a cache
 * miss).
 */
struct tw_dest_table {
	struct tw_dest_slot *slots;	/* the first @used are in use */
	u16 *index;		/* by hash: slot number + 1, 0 where free */
	unsigned int capacity;	/* index entries, a power of two */
	unsigned int max_used;	/* slots: a quarter of the index stays free */
	unsigned int used;
	/*
	 * Random per table: the destinations come from sockets any local
	 * user can make, and with a hash they could compute they could
	 * pick destinations whose probe sequences all run into one another,
	 * a walk of the whole cluster per socket.
	 */
	struct tw_dest_hash hash;
	/* tw_ports.hot: each port's TW_PORT_* flags, set before the walk */
	const u32 *port_hot;
	struct tw_ephemeral eph;	/* low and span decide what counts */
	struct tw_dest_row untracked;	/* sums of destinations that did not fit */
	u64 untracked_sockets;
};

int tw_dests_init(struct tw_dest_table *t, unsigned int capacity,
		  const u32 *port_hot, const struct tw_ephemeral *eph);
void tw_dests_free(struct tw_dest_table *t);
u64 tw_dests_bytes(const struct tw_dest_table *t);
void tw_dests_visit(void *table, const struct tw_sock_rec *recs, unsigned int n);
bool tw_dests_add(struct tw_dest_table *t, const struct tw_sock_rec *r,
		  u32 owner, bool shareable, bool reusable);
u32 tw_dest_slot_headroom(const struct tw_dest_slot *s, u32 available);

/* Whether @r holds a port connect() searches toward some destination. */
static inline bool tw_dest_holds_port(const struct tw_ephemeral *eph,
				      const struct tw_sock_rec *r)
{
	/* listeners and unconnected sockets have no destination */
	return r->rport && tw_port_in_span(eph, r->lport);
}

/* The reduced result: the worst top_n rows and the others row. */
struct tw_dest_result {
	struct tw_dest_row *rows;	/* kvmalloc'ed, nr entries */
	unsigned int nr;
	struct tw_dest_row others;	/* headroom and conn_per_s unused */
	u32 destinations;		/* distinct destinations tracked */
	u32 min_headroom;		/* of all tracked; env.available if none */
	u64 untracked_sockets;		/* toward destinations past capacity */
};

int tw_dests_reduce(struct tw_dest_table *t, const struct tw_dest_env *env,
		    unsigned int top_n, struct tw_dest_result *res);
u32 tw_dest_conn_per_s(const struct tw_dest_key *key,
		       const struct tw_dest_env *env);

#endif /* TW_STATS_DESTS_H */
