/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-local-port occupancy of a netns, from the socket records and the
 * bind hash, and the ephemeral-range figures derived from it.
 */
#ifndef TW_STATS_PORTS_H
#define TW_STATS_PORTS_H

#include <linux/bitops.h>
#include <linux/gfp.h>
#include <linux/string.h>
#include <linux/types.h>
#include <net/tcp_states.h>
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

/*
 * The per-port state of one reading.  Every socket the walk visits
 * touches its port's entry, and a 36-byte tw_port_acc makes that a
 * random access into 2.3 MB (under emulation, a TLB refill and host
 * cache misses per socket).  So the walk counts timewait sockets of
 * substate TIME_WAIT, most of what it meets, in @hot (4 bytes a port,
 * 256 KB), whose top byte holds the port's flags set before the walk
 * (bind hash, reserved ports): the destinations read them for every
 * socket, from the word the port visitor has just written for a
 * TIME_WAIT one.  Every other socket goes to @acc as before.
 * tw_ports_scan() (or tw_ports_merge()) folds @hot into @acc, once, in
 * one sequential pass: only then is @acc complete.
 *
 * @acc is not cleared when allocated: an entry is zeroed when it is
 * first written (tw_ports_entry()), and @touched says which ones were.
 * Ports with no socket other than TIME_WAIT ones, and ports with no
 * socket at all, are never written there, so a reading neither clears
 * nor reads back their entries: the scan reads the hot words and the 8 KB
 * bitmap, and the entries of ports in use.  Read entries with tw_ports_get().
 */
struct tw_ports {
	struct tw_port_acc *acc;
	u32 *hot;		/* TW_PORT_HOT_*: of acc[], until merged */
	unsigned long *touched;	/* acc[] entries written: a bitmap of ports */
};

/*
 * tw_ports.hot: the TIME_WAIT count in the low 24 bits (a port that
 * reaches 2^24 - 1 moves them to acc[].sockets.tw and counts on), the
 * TW_PORT_* flags above.
 */
#define TW_PORT_HOT_FLAGS_SHIFT	24
#define TW_PORT_HOT_COUNT	((1U << TW_PORT_HOT_FLAGS_SHIFT) - 1)

/* What struct tw_ports allocates. */
#define TW_PORTS_BYTES \
	((u64)TW_NR_PORTS * (sizeof(struct tw_port_acc) + sizeof(u32)) + \
	 BITS_TO_LONGS(TW_NR_PORTS) * sizeof(long))

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

/*
 * What a bind walk says of each bucket's owners, as little as its reader
 * needs: reading every owner is a cache miss per socket, as costly as the
 * socket walk itself.
 */
enum tw_bind_owners {
	/*
	 * the owners of ports bind() took counted (up to TW_BIND_OWNERS_MAX);
	 * ports only connect() took: TW_PORT_OWNERS_WALK, owners 0, for a
	 * socket walk of the same namespaces to count (tw_ports_scan())
	 */
	TW_BIND_OWNERS_FROM_WALK,
	/* owners 1 if any socket owns the bucket, else 0: nothing counted */
	TW_BIND_OWNERS_OCCUPIED,
};

int tw_bind_walk(const struct net *net, enum tw_bind_owners how,
		 tw_bind_visit_fn visit, void *ctx);
int tw_ports_alloc(struct tw_ports *p, gfp_t gfp);
void tw_ports_free(struct tw_ports *p);
int tw_ports_walk_bind(struct net *net, struct tw_ports *p);
void tw_ports_add_binds(struct tw_ports *p, const struct tw_bind_rec *b,
			unsigned int n);
void tw_ports_mark_reserved(struct net *net, struct tw_ports *p,
			    const struct tw_ephemeral *eph);
void tw_ports_visit(void *ports, const struct tw_sock_rec *recs, unsigned int n);
void tw_ports_merge(struct tw_ports *p);
void tw_ports_ephemeral(const struct tw_ports *p, struct tw_ephemeral *eph);
u32 tw_ports_tw_only(const struct tw_ports *p);
unsigned int tw_ports_scan(struct tw_ports *p,
			   struct tw_ephemeral *eph, u32 *tw_only);
unsigned int tw_ports_rows(const struct tw_ports *p, struct tw_port_row *rows);

static inline bool tw_port_acc_used(const struct tw_port_acc *a)
{
	return tw_state_counts_any(&a->sockets) || a->bind_owners ||
	       (a->flags & TW_PORT_OWNERS_UNKNOWN);
}

/*
 * @port's entry, to write: zeroed on its first use (the array is not
 * cleared when allocated).  Inline: the walk's visitor calls it for
 * every socket that is not a TIME_WAIT one.
 */
static __always_inline struct tw_port_acc *tw_ports_entry(struct tw_ports *p,
							  u16 port)
{
	struct tw_port_acc *a = &p->acc[port];

	if (!__test_and_set_bit(port, p->touched))
		memset(a, 0, sizeof(*a));
	return a;
}

/* What tw_ports_get() gives for a port whose entry was never written. */
extern const struct tw_port_acc tw_port_acc_none;

/*
 * @port's entry, to read (complete after the merge): tw_port_acc_none,
 * all zero, when nothing was ever written to it.
 */
static inline const struct tw_port_acc *tw_ports_get(const struct tw_ports *p,
						     u16 port)
{
	return test_bit(port, p->touched) ? &p->acc[port] : &tw_port_acc_none;
}

/* Whether connect() may pick a port of these TW_PORT_* flags at all. */
static inline bool tw_port_shareable(u8 flags)
{
	return !(flags & (TW_PORT_EXPLICIT | TW_PORT_RESERVED));
}

/* The TW_PORT_* flags of @port in a tw_ports.hot array. */
static inline u8 tw_port_hot_flags(const u32 *hot, u16 port)
{
	return hot[port] >> TW_PORT_HOT_FLAGS_SHIFT;
}

static inline void tw_ports_add_flags(struct tw_ports *p, u16 port, u8 flags)
{
	p->hot[port] |= (u32)flags << TW_PORT_HOT_FLAGS_SHIFT;
}

static inline bool tw_port_in_span(const struct tw_ephemeral *eph, u32 port)
{
	return port >= eph->low && port < eph->low + eph->span;
}

/* Count socket @r, by its state, into @a: inline, it runs per socket. */
static __always_inline void tw_port_acc_add(struct tw_port_acc *a,
					    const struct tw_sock_rec *r)
{
	struct tw_state_counts *c = &a->sockets;

	if (r->kind == TW_REC_TW) {
		if (r->state == TCP_FIN_WAIT2) {
			c->fin_wait2++;
			a->tw_fin_wait2++;
		} else {
			c->tw++;
		}
		return;
	}
	switch (r->kind == TW_REC_REQ ? TCP_SYN_RECV : r->state) {
	case TCP_ESTABLISHED:
		c->established++;
		break;
	case TCP_CLOSE_WAIT:
		c->close_wait++;
		break;
	case TCP_LISTEN:
		c->listen++;
		break;
	case TCP_FIN_WAIT2:
		c->fin_wait2++;
		break;
	default:
		c->other++;
		break;
	}
}

/*
 * Add one record to @p: a timewait socket of substate TIME_WAIT is one
 * increment of its port's hot word (what tw_port_acc_add() would add to
 * sockets.tw, and nothing else); the rest take the full entry.  Inline:
 * the snapshot's visitor calls it for every socket.
 */
static __always_inline void tw_ports_add(struct tw_ports *p,
					 const struct tw_sock_rec *r)
{
	u32 *h;

	if (r->kind != TW_REC_TW || r->state != TCP_TIME_WAIT) {
		tw_port_acc_add(tw_ports_entry(p, r->lport), r);
		return;
	}
	h = &p->hot[r->lport];
	/* the count must never carry into the flags */
	if (unlikely((*h & TW_PORT_HOT_COUNT) == TW_PORT_HOT_COUNT)) {
		tw_ports_entry(p, r->lport)->sockets.tw += TW_PORT_HOT_COUNT;
		*h &= ~TW_PORT_HOT_COUNT;
	}
	(*h)++;
}

#endif /* TW_STATS_PORTS_H */
