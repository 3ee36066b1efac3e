/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-local-port occupancy of a netns, from the socket records and the
 * bind hash, and the ephemeral-range figures derived from it.
 */
#ifndef TW_STATS_PORTS_H
#define TW_STATS_PORTS_H

#include <linux/types.h>
#include "record.h"

struct net;

#define TW_NR_PORTS	65536

/* tw_port_acc.flags and tw_port_row.flags (0x01 was a write-only "bound") */
#define TW_PORT_EXPLICIT	0x02	/* made by bind(): connect() won't share it */
#define TW_PORT_OWNERS_UNKNOWN	0x04	/* too many owners to count under the lock */
#define TW_PORT_RESERVED	0x08	/* listed in ip_local_reserved_ports */
/*
 * Only while a snapshot is taken: only connect() took this port, its
 * owners are the sockets the walk counts (tw_ports_walk_bind())
 */
#define TW_PORT_OWNERS_WALK	0x10

/* Bind-bucket owners counted per port before we stop holding its lock. */
#define TW_BIND_OWNERS_MAX	1024

/* One port while the walk runs; an array of TW_NR_PORTS, indexed by port. */
struct tw_port_acc {
	struct tw_state_counts sockets;
	u32 tw_fin_wait2;	/* of sockets.fin_wait2, the timewait ones */
	u32 bind_owners;
	u8 flags;		/* TW_PORT_* */
};

/* One line of /proc/net/tw_ports. */
struct tw_port_row {
	u16 port;
	u8 flags;
	struct tw_state_counts sockets;
	u32 bind_owners;
};

/* The ephemeral range as connect() sees it in this netns. */
struct tw_ephemeral {
	u32 low;		/* net.ipv4.ip_local_port_range */
	u32 high;
	u32 ports;		/* high - low + 1 */
	u32 span;		/* ports connect() searches, from low */
	u32 reserved;		/* of those, in ip_local_reserved_ports */
	u32 bound;		/* of the rest, held by an explicit bind() */
	u32 available;		/* span - reserved - bound */
	u32 in_use;		/* ports of the range with any socket */
};

/* What the bind hash says about one port of one netns. */
struct tw_bind_rec {
	const struct net *net;	/* a key, as in struct tw_sock_rec */
	u16 port;
	u8 flags;		/* TW_PORT_EXPLICIT, TW_PORT_OWNERS_UNKNOWN */
	u32 owners;		/* sockets owning the bucket, if known */
};

/*
 * Called for each bind bucket under that bucket's spinlock (bottom halves
 * off): must be quick and must not sleep.
 */
typedef void (*tw_bind_visit_fn)(void *ctx, const struct tw_bind_rec *b);

int tw_bind_walk(const struct net *net, tw_bind_visit_fn visit, void *ctx);
int tw_ports_walk_bind(struct net *net, struct tw_port_acc *acc);
void tw_ports_add_binds(struct tw_port_acc *acc, const struct tw_bind_rec *b,
			unsigned int n);
void tw_port_acc_add(struct tw_port_acc *a, const struct tw_sock_rec *r);
void tw_ports_mark_reserved(struct net *net, struct tw_port_acc *acc,
			    const struct tw_ephemeral *eph);
void tw_ports_visit(void *acc, const struct tw_sock_rec *recs, unsigned int n);
void tw_ports_ephemeral(const struct tw_port_acc *acc, struct tw_ephemeral *eph);
u32 tw_ports_tw_only(const struct tw_port_acc *acc);
unsigned int tw_ports_scan(struct tw_port_acc *acc,
			   struct tw_ephemeral *eph, u32 *tw_only);
unsigned int tw_ports_rows(const struct tw_port_acc *acc,
			   struct tw_port_row *rows);

static inline bool tw_port_acc_used(const struct tw_port_acc *a)
{
	return tw_state_counts_any(&a->sockets) || a->bind_owners ||
	       (a->flags & TW_PORT_OWNERS_UNKNOWN);
}

/* Whether connect() may pick this port for a new 4-tuple at all. */
static inline bool tw_port_shareable(const struct tw_port_acc *a)
{
	return !(a->flags & (TW_PORT_EXPLICIT | TW_PORT_RESERVED));
}

static inline bool tw_port_in_span(const struct tw_ephemeral *eph, u32 port)
{
	return port >= eph->low && port < eph->low + eph->span;
}

#endif /* TW_STATS_PORTS_H */
