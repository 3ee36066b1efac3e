// SPDX-License-Identifier: GPL-2.0
/*
 * Count sockets per local port and read the bind hash, so that the
 * per-port file and the ephemeral-port figures come from one walk.
 */
#include <linux/bottom_half.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/tcp_states.h>
#include <kunit/visibility.h>

#include "compat/compat.h"
#include "kernel_access.h"
#include "ports.h"

const struct tw_port_acc tw_port_acc_none;
EXPORT_SYMBOL_IF_KUNIT(tw_port_acc_none);

/**
 * tw_ports_alloc - empty per-port state for one reading
 * @p: filled in; release with tw_ports_free(), even after a failure
 * @gfp: how (a reading's: TW_GFP_READER), TW_PORTS_BYTES in all
 *
 * The hot words and the bitmap are cleared; the entries are not (see
 * struct tw_ports).
 */
int tw_ports_alloc(struct tw_ports *p, gfp_t gfp)
{
	BUILD_BUG_ON((TW_PORT_EXPLICIT | TW_PORT_OWNERS_UNKNOWN |
		      TW_PORT_RESERVED | TW_PORT_OWNERS_WALK) >
		     U8_MAX);
	p->acc = kvmalloc_array(TW_NR_PORTS, sizeof(*p->acc), gfp);
	p->hot = kvcalloc(TW_NR_PORTS, sizeof(*p->hot), gfp);
	p->touched = kvcalloc(BITS_TO_LONGS(TW_NR_PORTS), sizeof(long), gfp);
	return p->acc && p->hot && p->touched ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_alloc);

void tw_ports_free(struct tw_ports *p)
{
	kvfree(p->acc);
	kvfree(p->hot);
	kvfree(p->touched);
	memset(p, 0, sizeof(*p));
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_free);

/* A tw_visit_fn: add records to the struct tw_ports at @ports. */
void tw_ports_visit(void *ports, const struct tw_sock_rec *recs, unsigned int n)
{
	struct tw_ports *p = ports;
	unsigned int i;

	for (i = 0; i < n; i++)
		tw_ports_add(p, &recs[i]);
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_visit);

/*
 * Fold port @port's hot word (count and flags) into its entry.  Returns
 * the entry, or NULL for a port with no hot word and no entry: nothing
 * in it, and nothing is written for it.
 */
static __always_inline struct tw_port_acc *tw_ports_merge_port(struct tw_ports *p,
							       u32 port)
{
	struct tw_port_acc *a;
	u32 h = p->hot[port];

	if (!h)
		return test_bit(port, p->touched) ? &p->acc[port] : NULL;
	a = tw_ports_entry(p, port);
	a->sockets.tw += h & TW_PORT_HOT_COUNT;
	a->flags |= h >> TW_PORT_HOT_FLAGS_SHIFT;
	return a;
}

/*
 * Make @p complete (what tw_ports_scan() does on its way); once per
 * reading: the hot words are added, not moved.
 */
void tw_ports_merge(struct tw_ports *p)
{
	u32 port;

	for (port = 0; port < TW_NR_PORTS; port++)
		tw_ports_merge_port(p, port);
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_merge);

/* Whether bind() ever took @tb's port (connect()'s autobind leaves -1). */
static bool tw_bind_explicit(const struct inet_bind_bucket *tb)
{
	return tb->fastreuse >= 0 || tb->fastreuseport >= 0;
}

/*
 * Whether every bucket of @tb's netns and port in this chain (one per
 * l3mdev) was only ever taken by connect()'s autobind.  Then each of
 * their owners is a socket hashed in the tables the walk reads (connect()
 * binds and hashes under the bucket lock; closing unhashes and unbinds;
 * a timewait socket takes its full socket's place), so the walk's count
 * of the port is the owner count, and we need not read every owner (a
 * cache miss per socket) here.  bind(), even of port 0, sets fastreuse.
 */
static bool tw_bind_autobound_only(const struct inet_bind_hashbucket *head,
				   const struct inet_bind_bucket *tb)
{
	const struct inet_bind_bucket *other;

	inet_bind_bucket_for_each(other, &head->chain)
		if (other->port == tb->port &&
		    net_eq(ib_net(other), ib_net(tb)) && tw_bind_explicit(other))
			return false;
	return true;
}

/*
 * Bind buckets are not freed under RCU before 6.15 (tb2 never is), so the
 * bucket lock is the only safe way to read them: take it per bucket, for
 * one chain, and bound the owner count so it is never held long.  @how
 * says how much of the owners to read (enum tw_bind_owners).  Called with
 * bottom halves off (the caller's TW_BIND_BATCH), as spin_lock_bh() would
 * have them.
 */
static __always_inline void tw_bind_bucket(const struct net *net,
					   struct inet_bind_hashbucket *head,
					   tw_bind_visit_fn visit, void *ctx,
					   enum tw_bind_owners how)
{
	struct inet_bind_bucket *tb;

	spin_lock(&head->lock);
	inet_bind_bucket_for_each(tb, &head->chain) {
		struct tw_bind_rec b = { .net = ib_net(tb), .port = tb->port };

		if (net && !net_eq(b.net, net))
			continue;
		if (tw_bind_explicit(tb))
			b.flags |= TW_PORT_EXPLICIT;
		if (how == TW_BIND_OWNERS_OCCUPIED) {
			b.owners = tw_bind_bucket_occupied(tb);
			visit(ctx, &b);
			continue;
		}
		if (how == TW_BIND_OWNERS_FROM_WALK &&
		    !(b.flags & TW_PORT_EXPLICIT) &&
		    tw_bind_autobound_only(head, tb)) {
			b.flags |= TW_PORT_OWNERS_WALK;
			visit(ctx, &b);
			continue;
		}
		b.owners = tw_bind_bucket_owners(tb, TW_BIND_OWNERS_MAX);
		if (b.owners > TW_BIND_OWNERS_MAX)
			b.flags |= TW_PORT_OWNERS_UNKNOWN;
		visit(ctx, &b);
	}
	spin_unlock(&head->lock);
}

/*
 * Bind buckets read with bottom halves off at a time, each under its own
 * lock, as inet_csk_get_port() takes a bucket lock inside
 * local_bh_disable(): one enable (which runs pending softirqs) per batch
 * instead of per bucket.  A batch is 64 bucket locks held one after the
 * other, each for a bounded owner count, and then the CPU is offered.
 */
#define TW_BIND_BATCH	64

/*
 * tw_bind_walk(), and tw_ports_walk_bind()'s; inlined into each, so a
 * reading's visitor is a direct call, inlined too.
 */
static __always_inline int tw_bind_walk_owners(const struct net *net,
					       tw_bind_visit_fn visit,
					       void *ctx,
					       enum tw_bind_owners how)
{
	struct inet_hashinfo *h = tw_shared_hashinfo();
	unsigned int i;

	local_bh_disable();
	for (i = 0; i < h->bhash_size; i++) {
		struct inet_bind_hashbucket *head = &h->bhash[i];

		if (i && !(i % TW_BIND_BATCH)) {
			local_bh_enable();
			cond_resched();
			if (fatal_signal_pending(current))
				return -EINTR;
			local_bh_disable();
		}
		/* a lockless peek: an empty chain is skipped without the lock */
		if (hlist_empty(&head->chain))
			continue;
		tw_bind_bucket(net, head, visit, ctx, how);
	}
	local_bh_enable();
	return 0;
}

/**
 * tw_bind_walk - hand every bind bucket of @net (NULL: of every netns) to
 * a visitor
 * @net: whose buckets, or NULL
 * @how: how much of each bucket's owners to read
 * @visit: called under the bucket's lock
 * @ctx: for @visit
 *
 * The bind hash is one table for all namespaces, even those with a
 * private established hash.  May sleep between buckets; returns 0 or
 * -EINTR when the reader was killed.
 */
int tw_bind_walk(const struct net *net, enum tw_bind_owners how,
		 tw_bind_visit_fn visit, void *ctx)
{
	return tw_bind_walk_owners(net, visit, ctx, how);
}

/*
 * Flags go to the hot words (the walk's destinations read them there);
 * the full entry is written only for owners counted here, not for the
 * ports whose owners the walk counts (most of them, with no owners yet).
 */
static void tw_ports_bind_visit(void *ports, const struct tw_bind_rec *b)
{
	struct tw_ports *p = ports;

	tw_ports_add_flags(p, b->port, b->flags);
	if (b->owners && !(b->flags & TW_PORT_OWNERS_UNKNOWN))
		tw_ports_entry(p, b->port)->bind_owners += b->owners;
}

/*
 * The bind hash of @net into @p, for a reading whose walk of the same
 * netns follows: owners of autobound-only ports come from that walk
 * (tw_ports_scan() counts them), the rest are counted here.
 */
int tw_ports_walk_bind(struct net *net, struct tw_ports *p)
{
	return tw_bind_walk_owners(net, tw_ports_bind_visit, p,
				   TW_BIND_OWNERS_FROM_WALK);
}

/*
 * Owners of a port whose buckets only connect() took: every socket the
 * walk counted on it (request sockets only hang off listeners, whose
 * ports bind() took), capped as tw_bind_bucket_owners() caps.
 */
static void tw_ports_owners_from_walk(struct tw_port_acc *a)
{
	const struct tw_state_counts *c = &a->sockets;
	u64 n = (u64)c->tw + c->fin_wait2 + c->established + c->close_wait +
		c->other + c->listen;

	a->flags &= ~TW_PORT_OWNERS_WALK;
	if (n > TW_BIND_OWNERS_MAX)
		a->flags |= TW_PORT_OWNERS_UNKNOWN;
	else
		a->bind_owners += n;
}

/* The same from bind records a shared walk gathered. */
void tw_ports_add_binds(struct tw_ports *p, const struct tw_bind_rec *b,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		tw_ports_bind_visit(p, &b[i]);
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_add_binds);

/*
 * Flag the reserved ports of @eph's span.  The bitmap is searched a word
 * at a time (find_next_bit()), not tested port by port: the span is up to
 * 64k ports, and most hosts reserve none of them.
 */
void tw_ports_mark_reserved(struct net *net, struct tw_ports *p,
			    const struct tw_ephemeral *eph)
{
	const unsigned long *reserved = tw_net_reserved_ports(net);
	unsigned long end = min_t(unsigned long,
				  (unsigned long)eph->low + eph->span,
				  TW_NR_PORTS);
	unsigned long port = eph->low;

	if (!reserved)
		return;
	for_each_set_bit_from(port, reserved, end)
		tw_ports_add_flags(p, port, TW_PORT_RESERVED);
}

/* Fill in_use, reserved, bound, available; low, high, span are given. */
void tw_ports_ephemeral(const struct tw_ports *p, struct tw_ephemeral *eph)
{
	const struct tw_port_acc *a;
	u32 port;

	eph->ports = eph->high >= eph->low ? eph->high - eph->low + 1 : 0;
	eph->in_use = 0;
	eph->reserved = 0;
	eph->bound = 0;
	for (port = eph->low; port <= eph->high && port < TW_NR_PORTS; port++)
		if (tw_port_acc_used(tw_ports_get(p, port)))
			eph->in_use++;
	for (port = eph->low; port < eph->low + eph->span; port++) {
		a = tw_ports_get(p, port);
		if (a->flags & TW_PORT_RESERVED)
			eph->reserved++;
		else if (a->flags & TW_PORT_EXPLICIT)
			eph->bound++;
	}
	eph->available = eph->span - eph->reserved - eph->bound;
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_ephemeral);

/* Whether @a's port has only timewait sockets, and no other owner. */
static bool tw_port_acc_tw_only(const struct tw_port_acc *a)
{
	const struct tw_state_counts *c = &a->sockets;
	u32 tw = c->tw + a->tw_fin_wait2;

	/* timewait sockets own the bucket too: no other owner is left */
	return tw && c->fin_wait2 == a->tw_fin_wait2 && !c->established &&
	       !c->close_wait && !c->other && !c->listen &&
	       !(a->flags & TW_PORT_OWNERS_UNKNOWN) && a->bind_owners <= tw;
}

/* Ports whose only sockets are timewait sockets. */
u32 tw_ports_tw_only(const struct tw_ports *p)
{
	u32 port, n = 0;

	for_each_set_bit(port, p->touched, TW_NR_PORTS)
		if (tw_port_acc_tw_only(&p->acc[port]))
			n++;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_tw_only);

/**
 * tw_ports_scan - merge @p (tw_ports_merge()), and the figures of
 * tw_ports_ephemeral(), tw_ports_tw_only() and tw_ports_rows(p, NULL),
 * in one pass over the ports
 * @p: filled by the walk, not merged yet; after this @p is complete,
 *	owners left to the walk (TW_PORT_OWNERS_WALK) filled in
 * @eph: low, high and span given; in_use, reserved, bound, available filled
 * @tw_only: set to tw_ports_tw_only(@p)
 *
 * A reading needs all four, so the snapshot takes them together: one
 * pass over the hot words, reading the entries only of ports that have
 * one.  Returns the used ports (rows).
 */
unsigned int tw_ports_scan(struct tw_ports *p,
			   struct tw_ephemeral *eph, u32 *tw_only)
{
	u32 port, span_end = eph->low + eph->span, rows = 0, only = 0;

	eph->ports = eph->high >= eph->low ? eph->high - eph->low + 1 : 0;
	eph->in_use = 0;
	eph->reserved = 0;
	eph->bound = 0;
	for (port = 0; port < TW_NR_PORTS; port++) {
		struct tw_port_acc *a = tw_ports_merge_port(p, port);

		if (!a)
			continue;
		if (a->flags & TW_PORT_OWNERS_WALK)
			tw_ports_owners_from_walk(a);
		if (port >= eph->low && port < span_end) {
			if (a->flags & TW_PORT_RESERVED)
				eph->reserved++;
			else if (a->flags & TW_PORT_EXPLICIT)
				eph->bound++;
		}
		if (!tw_port_acc_used(a))
			continue;
		rows++;
		if (port >= eph->low && port <= eph->high)
			eph->in_use++;
		if (tw_port_acc_tw_only(a))
			only++;
	}
	eph->available = eph->span - eph->reserved - eph->bound;
	*tw_only = only;
	return rows;
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_scan);

/*
 * Write one row per used port, in port order, into @rows (which has room
 * for all of them, or is NULL to only count); return the number of rows.
 */
unsigned int tw_ports_rows(const struct tw_ports *p, struct tw_port_row *rows)
{
	unsigned int word, port, n = 0;
	unsigned long bits;

	/*
	 * Word by word, not for_each_set_bit(): at 100k TIME_WAIT about half
	 * the ports are in use, and a call to _find_next_bit() for each of
	 * them cost more under TCG than the rows themselves.
	 */
	for (word = 0; word < BITS_TO_LONGS(TW_NR_PORTS); word++) {
		for (bits = p->touched[word]; bits; bits &= bits - 1) {
			const struct tw_port_acc *a;

			port = word * BITS_PER_LONG + __ffs(bits);
			a = &p->acc[port];
			if (!tw_port_acc_used(a))
				continue;
			if (rows) {
				struct tw_port_row *r = &rows[n];

				r->port = port;
				r->flags = a->flags;
				r->sockets = a->sockets;
				r->bind_owners = a->bind_owners;
			}
			n++;
		}
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tw_ports_rows);
