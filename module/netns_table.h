/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bounded per-netns table one reading of all namespaces fills: socket
 * counts, ephemeral ports in use and the smallest per-destination headroom
 * of each namespace, reduced to the worst N rows and an "others" sum.
 */
#ifndef TW_STATS_NETNS_TABLE_H
#define TW_STATS_NETNS_TABLE_H

#include <linux/types.h>
#include "dests.h"
#include "ports.h"
#include "record.h"

struct net;

/* Namespaces one reading tracks; sockets of further ones are summed. */
#define TW_NETNS_CAPACITY	1024
/* (netns, destination) pairs tracked for min_headroom, three quarters used. */
#define TW_NETNS_DEST_CAPACITY	16384

/* One line of /proc/net/tw_netns. */
struct tw_netns_row {
	u32 inum;		/* net->ns.inum, as readlink /proc/PID/ns/net */
	struct tw_state_counts sockets;
	u32 ephemeral_in_use;
	u32 min_headroom;
	bool private_ehash;
};

/* One namespace while a reading is built. */
struct tw_netns_entry {
	/* the key; whoever adds an entry keeps the netns alive until the end */
	struct net *net;
	u32 inum;
	bool private_ehash;
	int reuse_mode;			/* its net.ipv4.tcp_tw_reuse */
	const unsigned long *reserved;	/* its ip_local_reserved_ports, or NULL */
	struct tw_ephemeral eph;	/* low, high, span given; the rest computed */
	struct tw_port_acc counts;	/* its sockets by state; bind owners */
	/*
	 * Ports of [low, low + span) held by an explicit bind(), bit
	 * port - low; allocated only for namespaces that have any.
	 */
	unsigned long *explicit;
	bool wants_explicit;		/* found one and had no bitmap yet */
	u32 dest_untracked_shareable;	/* sockets toward destinations that did not fit */
};

struct tw_netns_table {
	struct tw_netns_entry *ns;	/* nr of capacity used, in order added */
	unsigned int nr;
	unsigned int capacity;
	u16 *index;			/* hash of net pointers: entry + 1, 0 = free */
	unsigned int index_mask;
	bool overflow;			/* a namespace did not fit */
	struct tw_port_acc untracked;	/* sockets of namespaces that did not fit */
	struct tw_dest_table dests;	/* key.owner = entry index */
};

/* The reduced result: the worst top_n rows and the others row. */
struct tw_netns_result {
	struct tw_netns_row *rows;	/* kvmalloc'ed, nr entries */
	unsigned int nr;
	struct tw_netns_row others;	/* min_headroom, private_ehash unused */
};

int tw_netns_table_init(struct tw_netns_table *t, unsigned int capacity,
			unsigned int dest_capacity);
void tw_netns_table_free(struct tw_netns_table *t);
struct tw_netns_entry *tw_netns_table_add(struct tw_netns_table *t,
					  struct net *net);
struct tw_netns_entry *tw_netns_table_find(const struct tw_netns_table *t,
					   const struct net *net);

void tw_netns_table_bind_visit(void *table, const struct tw_bind_rec *b);
int tw_netns_table_want_explicit(struct tw_netns_table *t);
void tw_netns_table_finish_binds(struct tw_netns_table *t);
void tw_netns_table_visit(void *table, const struct tw_sock_rec *recs, unsigned int n);
int tw_netns_table_reduce(struct tw_netns_table *t, unsigned int top_n,
			  struct tw_netns_result *res);

#endif /* TW_STATS_NETNS_TABLE_H */
