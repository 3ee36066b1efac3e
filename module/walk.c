// SPDX-License-Identifier: GPL-2.0
/*
 * Walk the listening and established hash of one network namespace (or of
 * all that share them) under RCU, without bucket locks, and hand each
 * chain's sockets to a visitor; or, for the floor make bench measures
 * against, walk the same buckets the same way and only count.
 *
 * The established hash holds full sockets, request sockets and timewait
 * sockets; all three slabs are SLAB_TYPESAFE_BY_RCU, so an object can be
 * freed and reused while we read it.  As in __inet_lookup_established(),
 * a chain is trusted only if the nulls marker that ends it is the one of
 * the chain we started in; otherwise a socket moved under us and the
 * chain is read again.  A chain's records are handed over only after that
 * check, so a restart never counts anything twice.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <kunit/visibility.h>

#include "compat/compat.h"
#include "kernel_access.h"
#include "walk.h"
#include "reader_gfp.h"

/* Buckets examined between two breaks out of the RCU section. */
#define TW_WALK_BATCH		512
/* A chain that keeps moving is accepted after this many reads. */
#define TW_WALK_MAX_TRIES	8

struct tw_walker {
	struct tw_walk_req *req;	/* the real walk; NULL for the floor */
	struct tw_walk_floor *floor;	/* the floor; NULL for the real walk */
	struct tw_walk_cost *cost;
	u32 *chain_lengths;		/* TW_CHAIN_LEN_MAX + 1 slots */
	struct tw_sock_rec *recs;
	unsigned int pending;		/* records in recs not handed over yet */
	unsigned int since_break;
	unsigned long now;		/* jiffies, per chain */
	u32 reuse_clock;		/* tw_reuse_clock(), for its age rule */
};

/*
 * How one chain is read, under rcu_read_lock(): tw_read_chain() for the
 * real walk, tw_count_chain() for the floor.  Returns how many sockets of
 * any netns the chain held on its last read.
 */
typedef unsigned int (*tw_chain_reader)(struct tw_walker *w,
					 struct hlist_nulls_head *chain,
					 unsigned long nulls);

/* Whether tcp_tw_reuse=2 (loopback only) applies to this timewait socket. */
static bool tw_twsk_loopback(const struct inet_timewait_sock *tw)
{
	const struct in6_addr *d6 = NULL, *s6 = NULL;

#if IS_ENABLED(CONFIG_IPV6)
	d6 = &tw->tw_v6_daddr;
	s6 = &tw->tw_v6_rcv_saddr;
#endif
	return READ_ONCE(tw->tw_bound_dev_if) == LOOPBACK_IFINDEX ||
	       tw_addr_is_loopback(tw->tw_family, d6, tw->tw_daddr) ||
	       tw_addr_is_loopback(tw->tw_family, s6, tw->tw_rcv_saddr);
}

/*
 * Whether connect() may take over this timewait socket right now, by the
 * rule of tcp_twsk_unique(): only substate TIME_WAIT, only with a
 * timestamp seen, tcp_tw_reuse 1 (or 2 and a loopback address or device),
 * and only once the socket is old enough by its kernel's rule
 * (tw_twsk_old_enough(): the delay of @net, the socket's own netns).
 */
static bool tw_twsk_reusable(const struct inet_timewait_sock *tw,
			     const struct net *net, int reuse, u32 clock)
{
	const struct tcp_timewait_sock *tcptw = tcp_twsk((const struct sock *)tw);
	int stamp;

	/*
	 * The walk asks for every socket: decide on the sysctl first, and
	 * read the timestamp (another cache line) only when it matters.
	 */
	if (reuse != 1 && reuse != 2)
		return false;
	if (READ_ONCE(tw->tw_substate) != TCP_TIME_WAIT)
		return false;
	stamp = READ_ONCE(tcptw->tw_ts_recent_stamp);
	if (!stamp || (reuse == 2 && !tw_twsk_loopback(tw)))
		return false;
	return tw_twsk_old_enough(tw, net, (u32)stamp, clock);
}

static void tw_rec_fill(struct tw_walker *w, struct tw_sock_rec *r,
			const struct sock *sk, const struct net *net)
{
	int state = inet_sk_state_load(sk);

	r->net = net;
	r->family = READ_ONCE(sk->sk_family);
	r->lport = READ_ONCE(sk->sk_num);
	r->rport = READ_ONCE(sk->sk_dport);
	r->expires_ms = 0;
	r->flags = 0;

	if (state == TCP_TIME_WAIT) {
		const struct inet_timewait_sock *tw = inet_twsk(sk);
		long left = (long)(tw_twsk_expires(tw) - w->now);

		r->kind = TW_REC_TW;
		r->state = READ_ONCE(tw->tw_substate);
		if (left > 0)
			r->expires_ms = jiffies_to_msecs(left);
		if (tw_twsk_reusable(tw, net, w->req->reuse_mode, w->reuse_clock))
			r->flags |= TW_REC_REUSABLE;
		if (tw_twsk_loopback(tw))
			r->flags |= TW_REC_LOOPBACK;
	} else if (state == TCP_NEW_SYN_RECV) {
		r->kind = TW_REC_REQ;
		r->state = TCP_SYN_RECV;
	} else {
		r->kind = TW_REC_FULL;
		r->state = state;
	}

#if IS_ENABLED(CONFIG_IPV6)
	if (r->family == AF_INET6) {
		r->laddr.v6 = sk->sk_v6_rcv_saddr;
		r->raddr.v6 = sk->sk_v6_daddr;
		return;
	}
#endif
	memset(&r->laddr, 0, sizeof(r->laddr));
	memset(&r->raddr, 0, sizeof(r->raddr));
	r->laddr.v4 = READ_ONCE(sk->sk_rcv_saddr);
	r->raddr.v4 = READ_ONCE(sk->sk_daddr);
}

/* Hand the first @n pending records to the visitor; keep the rest. */
static void tw_walk_hand_over(struct tw_walker *w, unsigned int n)
{
	w->req->visit(w->req->ctx, w->recs, n);
	w->pending -= n;
	if (w->pending)
		memmove(w->recs, w->recs + n, w->pending * sizeof(*w->recs));
}

/*
 * The real walk's tw_chain_reader: records, gathered over many chains and
 * handed to the visitor TW_WALK_CHAIN_RECS at a time (chains average about
 * one socket: a call per chain cost more than the socket itself).  Records
 * of a chain join the pending ones only once its nulls check passed; a
 * chain that fills the buffer by itself is handed over in pieces and
 * cannot be restarted (long_chains).
 */
static unsigned int tw_read_chain(struct tw_walker *w,
				  struct hlist_nulls_head *chain,
				  unsigned long nulls)
{
	struct tw_walk_req *req = w->req;
	struct hlist_nulls_node *node;
	unsigned int tries = 0, start, len;
	bool split;
	struct sock *sk;

restart:
	start = w->pending;	/* records of earlier chains, all consistent */
	len = 0;
	split = false;
	w->now = jiffies;
	sk_nulls_for_each_rcu(sk, node, chain) {
		const struct net *net = sock_net(sk);

		len++;
		if (req->net && !net_eq(net, req->net))
			continue;
		if (unlikely(w->pending == TW_WALK_CHAIN_RECS)) {
			/* make room by handing over the earlier chains */
			if (!start)
				split = true;
			tw_walk_hand_over(w, start ? start : w->pending);
			start = 0;
		}
		tw_rec_fill(w, &w->recs[w->pending++], sk, net);
	}
	w->cost->sockets += len;
	if (split) {
		w->cost->long_chains++;
	} else if (get_nulls_value(node) != nulls &&
		   ++tries < TW_WALK_MAX_TRIES) {
		w->cost->restarts++;
		w->pending = start;
		goto restart;
	}
	return len;
}

/*
 * Give the CPU away every TW_WALK_BATCH buckets: a table can have millions
 * of buckets and we must not sit in one RCU read section for all of them.
 */
static int tw_walk_pause(struct tw_walker *w)
{
	if (++w->since_break < TW_WALK_BATCH)
		return 0;
	w->since_break = 0;
	/*
	 * A record's netns is only a key, valid while we stay in this RCU
	 * section: hand them over before leaving it.
	 */
	if (w->pending)
		tw_walk_hand_over(w, w->pending);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/*
 * The bucket discipline both walks share: every bucket of the listening
 * hash (unless @established_only) and of the established hash, empty ones
 * skipped before any cost, a pause every TW_WALK_BATCH buckets.  Inlined
 * with a constant @read_chain, so the hot loop makes no indirect call.
 */
static __always_inline int tw_walk_tables(struct tw_walker *w,
					  struct inet_hashinfo *h,
					  bool established_only,
					  tw_chain_reader read_chain)
{
	unsigned int slot, len, size, mask = READ_ONCE(h->ehash_mask);
	int err;

	size = established_only ? 0 : tw_lhash2_size(h);
	for (slot = 0; slot < size; slot++) {
		struct hlist_nulls_head *chain = tw_lhash2_chain(h, slot);

		w->cost->buckets++;
		err = tw_walk_pause(w);
		if (err)
			return err;
		if (hlist_nulls_empty(chain))
			continue;
		read_chain(w, chain, tw_lhash2_nulls(slot));
	}

	for (slot = 0; slot <= mask; slot++) {
		struct hlist_nulls_head *chain = &h->ehash[slot].chain;

		w->cost->buckets++;
		err = tw_walk_pause(w);
		if (err)
			return err;
		if (hlist_nulls_empty(chain)) {
			w->chain_lengths[0]++;
			continue;
		}
		len = read_chain(w, chain, slot);
		w->chain_lengths[min_t(unsigned int, len, TW_CHAIN_LEN_MAX)]++;
	}
	return 0;
}

/**
 * tw_walk - hand every TCP socket of a netns's hash tables to a visitor
 * @req: what to walk (net or NULL for all, established_only, visit, ctx,
 *	 reuse_mode); cost and chain_lengths are filled in
 *
 * May sleep between batches.  Returns 0, -ENOMEM, or -EINTR when the
 * reader was killed during a long walk.
 */
int tw_walk(struct tw_walk_req *req)
{
	struct inet_hashinfo *h = req->net ? tw_net_hashinfo(req->net) :
					     tw_shared_hashinfo();
	struct tw_walker w = {
		.req = req,
		.cost = &req->cost,
		.chain_lengths = req->chain_lengths,
	};
	u64 start = ktime_get_ns();
	int err;

	memset(&req->cost, 0, sizeof(req->cost));
	memset(req->chain_lengths, 0, sizeof(req->chain_lengths));
	w.reuse_clock = tw_reuse_clock();
	w.recs = kmalloc_array(TW_WALK_CHAIN_RECS, sizeof(*w.recs), TW_GFP_READER);
	if (!w.recs)
		return -ENOMEM;

	rcu_read_lock();
	err = tw_walk_tables(&w, h, req->established_only, tw_read_chain);
	if (!err && w.pending)
		tw_walk_hand_over(&w, w.pending);
	rcu_read_unlock();

	kfree(w.recs);
	req->cost.ns = ktime_get_ns() - start;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(tw_walk);

/*
 * The floor's tw_chain_reader: only counts @net's timewait sockets, with
 * the same nulls rule (a chain that moved is counted again, not twice).
 */
static unsigned int tw_count_chain(struct tw_walker *w,
				   struct hlist_nulls_head *chain,
				   unsigned long nulls)
{
	const struct net *net = w->floor->net;
	unsigned int tries = 0, len, timewait, time_wait;
	struct hlist_nulls_node *node;
	struct sock *sk;

restart:
	len = 0;
	timewait = 0;
	time_wait = 0;
	sk_nulls_for_each_rcu(sk, node, chain) {
		len++;
		if (inet_sk_state_load(sk) != TCP_TIME_WAIT ||
		    !net_eq(sock_net(sk), net))
			continue;
		timewait++;
		time_wait += READ_ONCE(inet_twsk(sk)->tw_substate) == TCP_TIME_WAIT;
	}
	w->cost->sockets += len;
	if (get_nulls_value(node) != nulls && ++tries < TW_WALK_MAX_TRIES) {
		w->cost->restarts++;
		goto restart;
	}
	w->floor->timewait += timewait;
	w->floor->time_wait += time_wait;
	return len;
}

/**
 * tw_walk_floor - count @floor->net's timewait sockets and nothing else
 * @floor: net to count in; the counts and the cost are filled in
 *
 * The same buckets and the same RCU, nulls and pause rules as tw_walk(),
 * without records or visitors: what a walk cannot go below, for make
 * bench.  May sleep between batches; returns 0 or -EINTR.
 */
int tw_walk_floor(struct tw_walk_floor *floor)
{
	struct tw_walker w = {
		.floor = floor,
		.cost = &floor->cost,
		.chain_lengths = floor->chain_lengths,
	};
	u64 start = ktime_get_ns();
	int err;

	floor->timewait = 0;
	floor->time_wait = 0;
	memset(&floor->cost, 0, sizeof(floor->cost));
	memset(floor->chain_lengths, 0, sizeof(floor->chain_lengths));

	rcu_read_lock();
	err = tw_walk_tables(&w, tw_net_hashinfo(floor->net), false,
			     tw_count_chain);
	rcu_read_unlock();

	floor->cost.ns = ktime_get_ns() - start;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(tw_walk_floor);
