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
 *
 * One RCU read section covers at most TW_WALK_BATCH buckets and sockets
 * plus one piece: a chain longer than TW_WALK_PIECE (a namespace with
 * tcp_child_ehash_entries=1 has all its sockets in one) is read in
 * pieces, pausing inside it with references held on the next sockets,
 * as the kernel's bpf tcp iterator keeps the cookies of the sockets it
 * has not shown yet (bpf_iter_tcp_resume_bucket(), 6.16+) where
 * /proc/net/tcp only remembers an offset in the bucket and may show a
 * socket twice.
 *
 * Every read of a socket's fields races, by design, with the kernel
 * changing or reusing the socket: scalars are read with READ_ONCE() (one
 * value, old or new, never torn), wider fields (IPv6 addresses) inside
 * data_race() with the reason next to it.  What such a read gets is
 * tolerated as the +-1 of a socket changing during a walk that is not
 * atomic; whether a socket belongs to the chain is decided by the chain
 * checks, never by those fields.
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

/*
 * Work done inside one RCU read section before we leave it: a bucket and
 * a socket (of any netns) count one each, so neither millions of empty
 * buckets nor one long chain keep a CPU in the section.
 */
#define TW_WALK_BATCH		1024
/*
 * Sockets read from one chain before we pause inside it (a piece); at most
 * TW_WALK_CHAIN_RECS, so a piece's records always fit the buffer.
 */
#define TW_WALK_PIECE		TW_WALK_CHAIN_RECS
/* Sockets held to resume a chain at: the first still in it wins. */
#define TW_WALK_ANCHORS		4
/* Leaving sockets passed over while looking for an anchor, at most. */
#define TW_WALK_ANCHOR_SKIP	64
/* A chain (or piece) that keeps moving is accepted after this many reads. */
#define TW_WALK_MAX_TRIES	8

struct tw_walker {
	struct tw_walk_req *req;	/* the real walk; NULL for the floor */
	struct tw_walk_floor *floor;	/* the floor; NULL for the real walk */
	struct tw_walk_cost *cost;
	u32 *chain_lengths;		/* TW_CHAIN_LEN_MAX + 1 slots */
	struct tw_sock_rec *recs;
	unsigned int pending;		/* records in recs not handed over yet */
	unsigned int work;		/* buckets + sockets since the last pause */
	unsigned int section_sockets;	/* sockets read since the last pause */
	int err;			/* -EINTR: killed during a pause in a chain */
	unsigned long now;		/* jiffies, per piece */
	u32 reuse_clock;		/* tw_reuse_clock(), for its age rule */
	/* the floor's counts of the piece being read, not yet committed */
	unsigned int piece_timewait, piece_time_wait;
	/* where the chain being read goes on after a pause; refs held */
	struct sock *anchor[TW_WALK_ANCHORS];
	unsigned int anchors;
};

/* The chain being read: where it is, and how to tell a socket is in it. */
struct tw_chain {
	struct inet_hashinfo *h;
	struct hlist_nulls_head *head;
	unsigned long nulls;		/* the nulls value that ends it */
	unsigned int slot;
	bool ehash;			/* an established-hash chain */
	/*
	 * The all-namespaces walk of the shared table: also check that
	 * each socket belongs to this table (tw_sock_in_table()).
	 */
	bool check_table;
};

/*
 * Whether tcp_tw_reuse=2 (loopback only) applies to the timewait socket
 * whose record @r is: its addresses as the record already holds them (one
 * read of each, in the order of the socket's fields), and its device.
 */
static __always_inline bool tw_twsk_loopback(const struct inet_timewait_sock *tw,
					     const struct tw_sock_rec *r)
{
	/* racy reads of a socket that may be reused: see the file's head */
	return READ_ONCE(tw->tw_bound_dev_if) == LOOPBACK_IFINDEX ||
	       tw_addr_is_loopback(r->family, &r->raddr.v6, r->raddr.v4) ||
	       tw_addr_is_loopback(r->family, &r->laddr.v6, r->laddr.v4);
}

/*
 * Whether connect() may take over this timewait socket right now, by the
 * rule of tcp_twsk_unique(): only substate TIME_WAIT, only with a
 * timestamp seen, tcp_tw_reuse 1 (or 2 and a loopback address or device),
 * and only once the socket is old enough by its kernel's rule
 * (tw_twsk_old_enough(): the delay of @net, the socket's own netns).
 */
static __always_inline bool tw_twsk_reusable(const struct inet_timewait_sock *tw,
					     const struct net *net, int reuse,
					     u32 clock, int substate,
					     bool loopback)
{
	const struct tcp_timewait_sock *tcptw = tcp_twsk((const struct sock *)tw);
	int stamp;

	/*
	 * The walk asks for every socket: decide on the sysctl and on what
	 * the walk already read first, and read the timestamp (the last
	 * cache line of the socket, which nothing else needs) only when it
	 * matters.  Under the default mode 2 a host's TIME_WAIT is mostly
	 * not loopback: a cache miss per socket saved.
	 */
	if (reuse != 1 && reuse != 2)
		return false;
	if (substate != TCP_TIME_WAIT || (reuse == 2 && !loopback))
		return false;
	stamp = READ_ONCE(tcptw->tw_ts_recent_stamp);
	if (!stamp)
		return false;
	return tw_twsk_old_enough(tw, net, (u32)stamp, clock);
}

/*
 * jiffies_to_msecs() without its call, per timewait socket: exact when
 * HZ divides a second (100, 250, 1000), as that function computes it.
 */
static __always_inline u32 tw_jiffies_to_ms(unsigned long j)
{
#if !(MSEC_PER_SEC % HZ)
	return (MSEC_PER_SEC / HZ) * j;
#else
	return jiffies_to_msecs(j);
#endif
}

/* The addresses of @sk: an IPv4 one in .v4 only (struct tw_sock_rec). */
static __always_inline void tw_rec_addrs(struct tw_sock_rec *r,
					 const struct sock *sk, int family)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (family == AF_INET6) {
		/*
		 * 16 bytes, no atomic read: a socket reused while we copy
		 * gives a mixed address, in a record as transient as the
		 * socket (the walk is not atomic; see tw_addr_is_loopback()).
		 */
		r->laddr.v6 = data_race(sk->sk_v6_rcv_saddr);
		/* the same intended race for the remote address */
		r->raddr.v6 = data_race(sk->sk_v6_daddr);
		return;
	}
#endif
	r->laddr.v4 = READ_ONCE(sk->sk_rcv_saddr);
	r->raddr.v4 = READ_ONCE(sk->sk_daddr);
}

/*
 * Copy what the aggregates need of @sk into @r.  The fields common to the
 * three kinds (addresses, ports, family, state) are read first, in the
 * order struct sock_common lays them out, then the kind's own.  Each
 * field is stored once, and only where its kind has it (struct
 * tw_sock_rec): under TCG every store costs a lookup, and this runs for
 * every socket.
 */
static __always_inline void tw_rec_fill(struct tw_walker *w,
					struct tw_sock_rec *r,
					const struct sock *sk,
					const struct net *net)
{
	int state = inet_sk_state_load(sk);
	int family = READ_ONCE(sk->sk_family);

	r->net = net;
	r->family = family;
	r->lport = READ_ONCE(sk->sk_num);
	r->rport = READ_ONCE(sk->sk_dport);

	tw_rec_addrs(r, sk, family);

	if (state == TCP_TIME_WAIT) {
		const struct inet_timewait_sock *tw = inet_twsk(sk);
		long left = (long)(tw_twsk_expires(tw) - w->now);
		int substate = READ_ONCE(tw->tw_substate);
		bool loopback = tw_twsk_loopback(tw, r);
		u8 flags = loopback ? TW_REC_LOOPBACK : 0;
		/*
		 * The socket's own netns's mode, in a walk of one netns or
		 * of many: the timestamp is then read only where that mode
		 * can take the socket, and the netns pointer is at hand
		 * (reading it under RCU is safe: see tw_sock_in_table()).
		 */
		int reuse = tw_net_tw_reuse(net);

		if (tw_twsk_reusable(tw, net, reuse, w->reuse_clock, substate,
				     loopback))
			flags |= TW_REC_REUSABLE;
		r->kind = TW_REC_TW;
		r->state = substate;
		r->flags = flags;
		r->expires_ms = left > 0 ? tw_jiffies_to_ms(left) : 0;
		return;
	}
	r->flags = 0;
	r->idle_s = 0;
	if (state == TCP_NEW_SYN_RECV) {
		/* request sockets answer for their listener: no owner */
		r->kind = TW_REC_REQ;
		r->state = TCP_SYN_RECV;
		r->uid = 0;
		r->cgroup = 0;
		return;
	}
	r->kind = TW_REC_FULL;
	r->state = state;
	r->uid = __kuid_val(tw_sk_uid(sk));
	r->cgroup = tw_sk_cgroup_id(sk);
	if (state == TCP_CLOSE_WAIT)
		r->idle_s = tw_sk_rcv_idle_s(sk, (u32)w->now);
}

/*
 * Hand every pending record to the visitor, at most TW_WALK_CHAIN_RECS at
 * a time (what tw_visit_fn promises).
 */
static void tw_walk_hand_over(struct tw_walker *w)
{
	unsigned int done, n;

	for (done = 0; done < w->pending; done += n) {
		n = min_t(unsigned int, w->pending - done, TW_WALK_CHAIN_RECS);
		w->req->visit(w->req->ctx, w->recs + done, n);
	}
	w->pending = 0;
}

/*
 * Whether @sk, met in an established-hash chain, lives in @c's table.
 *
 * Every established hash numbers its chains' nulls markers 0..mask, the
 * shared one and each private one (tcp_child_ehash_entries) alike.  A
 * socket can be freed and reused (SLAB_TYPESAFE_BY_RCU) for a socket of
 * another table while we stand on it; if it lands in a chain with our
 * slot number there, we read on in that table and end at a nulls marker
 * of the same value: the nulls check passes.  __inet_lookup_established()
 * does not care, because its match includes the netns, and a netns's
 * sockets live in exactly one table (its own private one, or the shared
 * one): a socket met in the wrong table never matches.  A walk of one
 * netns is safe by the same argument (it keeps only that netns's
 * sockets).  The walk of every netns of the shared table keeps every
 * socket, so there a socket of a namespace with a private table would be
 * counted here and again by that namespace's own walk: it checks each
 * socket's table and treats one of another table as a sign that the
 * chain moved (read again, as on a wrong nulls marker).
 *
 * Reading sock_net(sk)'s fields is safe under RCU: a netns's sockets are
 * unhashed (tcp's pernet exit) before it is freed, and cleanup_net()
 * frees it only after a later synchronize_rcu(), so any socket we can
 * reach in a chain keeps its netns allocated until we leave the section.
 */
static bool tw_sock_in_table(const struct sock *sk, const struct tw_chain *c)
{
	return tw_net_hashinfo(tw_sock_net(sk)) == c->h;
}

/*
 * Whether @sk, on which we hold a reference (so it is the same socket it
 * was when we took it), is hashed in @c's chain right now: not unhashed,
 * in our slot of our table.  A listener's chain is not checked (it never
 * changes chain while hashed); the nulls marker at the end covers it.
 */
static bool tw_sock_in_chain(const struct sock *sk, const struct tw_chain *c)
{
	if (hlist_nulls_unhashed_lockless(&sk->sk_nulls_node))
		return false;
	if (!c->ehash)
		return true;
	return (READ_ONCE(sk->sk_hash) & c->h->ehash_mask) == c->slot &&
	       tw_sock_in_table(sk, c);
}

static void tw_anchors_put(struct sock **anchor, unsigned int n)
{
	while (n)
		sock_gen_put(anchor[--n]);
}

enum tw_anchor_result {
	TW_ANCHORED,	/* at least one anchor held */
	TW_MOVED,	/* the next socket is in another chain: we strayed */
	TW_CHAIN_END,	/* only leaving sockets, then the nulls marker */
};

/*
 * At a pause inside a chain: take references on up to TW_WALK_ANCHORS of
 * the next unread sockets, starting at @node, to go on from after the
 * pause.  refcount_inc_not_zero() on sk_refcnt, which full, request and
 * timewait sockets share, fails on a socket being freed; a socket we did
 * get is checked again afterwards, because the object may have been
 * reused (as __inet_lookup_established() re-checks its match).  Sockets
 * leaving the chain (being freed, or unhashed) are passed over: they are
 * gone from the table, so not counting them is right.  One hashed in
 * another chain means we followed a moved socket out of ours: the piece
 * we read is not trustworthy (this is the piece's nulls check).
 */
static enum tw_anchor_result tw_anchors_take(const struct tw_chain *c,
					     struct hlist_nulls_node *node,
					     struct sock **anchor,
					     unsigned int *n,
					     struct hlist_nulls_node **end)
{
	unsigned int skipped = 0;

	*n = 0;
	for (; !is_a_nulls(node) && *n < TW_WALK_ANCHORS;
	     node = rcu_dereference_raw(hlist_nulls_next_rcu(node))) {
		struct sock *sk = hlist_nulls_entry(node, struct sock, sk_nulls_node);

		if (refcount_inc_not_zero(&sk->sk_refcnt)) {
			if (tw_sock_in_chain(sk, c)) {
				anchor[(*n)++] = sk;
				continue;
			}
			if (!hlist_nulls_unhashed_lockless(&sk->sk_nulls_node)) {
				sock_gen_put(sk);
				tw_anchors_put(anchor, *n);
				*n = 0;
				return TW_MOVED;
			}
			sock_gen_put(sk);
		}
		if (!*n && ++skipped > TW_WALK_ANCHOR_SKIP)
			return TW_MOVED;
	}
	if (*n)
		return TW_ANCHORED;
	*end = node;
	return TW_CHAIN_END;
}

/*
 * After a pause: the first anchor still hashed in the chain is where the
 * chain goes on; NULL if none is.
 *
 * Why this is sound: the chain's sockets before the anchor were read and
 * handed over; new sockets enter a chain at its head (or, 6.12.117+ and
 * 7.2, replace a socket in place when it becomes TIME_WAIT), so sockets
 * that joined during the pause are before the anchor and are not ours to
 * count (as if they had joined just after a walk without pauses passed
 * them).  If the first anchor left the chain, the ones after it are
 * sockets we have not read either: going on from the first that stayed
 * passes over only sockets that left (and one that replaced a leaving
 * anchor in place: the transient +-1 of a socket changing state during a
 * walk, which any walk has).  If every anchor left, we cannot know where
 * the rest of the chain starts: going back to its head would count the
 * read part twice, so the rest is given up and counted in resume_lost.
 * One case is not detectable: a full socket closed and connected again
 * with the same hash during the pause re-enters at the head; going on
 * from it reads the first pieces again.  That needs a disconnect and a
 * reconnect to a tuple of the same chain within one pause (a
 * cond_resched()); timewait and request sockets are never hashed again.
 */
static struct sock *tw_anchors_resume(const struct tw_walker *w,
				      const struct tw_chain *c)
{
	unsigned int i;

	for (i = 0; i < w->anchors; i++)
		if (tw_sock_in_chain(w->anchor[i], c))
			return w->anchor[i];
	return NULL;
}

static void tw_walk_section_end(struct tw_walker *w)
{
	if (w->section_sockets > w->cost->section_max)
		w->cost->section_max = w->section_sockets;
	w->section_sockets = 0;
}

/* Leave the RCU section for a moment; false if the reader was killed. */
static bool tw_walk_break(struct tw_walker *w)
{
	/*
	 * A record's netns is only a key, valid while we stay in this RCU
	 * section: hand them over before leaving it.
	 */
	if (w->req && w->pending)
		tw_walk_hand_over(w);
	w->work = 0;
	tw_walk_section_end(w);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	return !fatal_signal_pending(current);
}

/*
 * A piece is the part of a chain read between two pauses.  Its records
 * (or the floor's counts) are kept apart until it proved consistent, by
 * the nulls marker at the chain's end or by the anchor check at a pause,
 * so a piece read again never counts anything twice.
 */
static __always_inline void tw_piece_begin(struct tw_walker *w,
					   unsigned int *start, bool floor)
{
	/*
	 * Records of earlier chains, all consistent: hand them over once
	 * there are enough, so that a whole piece fits behind them and no
	 * record is ever moved.
	 */
	if (!floor && w->pending >= TW_WALK_CHAIN_RECS)
		tw_walk_hand_over(w);
	*start = w->pending;
	w->piece_timewait = 0;
	w->piece_time_wait = 0;
	w->now = jiffies;
}

static __always_inline void tw_piece_abort(struct tw_walker *w,
					   unsigned int start)
{
	w->pending = start;
}

static __always_inline void tw_piece_commit(struct tw_walker *w)
{
	if (w->floor) {
		w->floor->timewait += w->piece_timewait;
		w->floor->time_wait += w->piece_time_wait;
	}
}

/*
 * Take @sk into the piece: a record if it is ours, or the floor's counts.
 * The piece holds at most TW_WALK_PIECE records, and tw_piece_begin() left
 * room for that many.
 */
static __always_inline void tw_piece_add(struct tw_walker *w, struct sock *sk,
					 bool floor)
{
	const struct net *net = tw_sock_net(sk);

	if (floor) {
		if (inet_sk_state_load(sk) != TCP_TIME_WAIT ||
		    !net_eq(net, w->floor->net))
			return;
		w->piece_timewait++;
		w->piece_time_wait += READ_ONCE(inet_twsk(sk)->tw_substate) ==
				      TCP_TIME_WAIT;
		return;
	}
	if (w->req->net && !net_eq(net, w->req->net))
		return;
	tw_rec_fill(w, &w->recs[w->pending++], sk, net);
}

/*
 * Read one chain under rcu_read_lock(), in pieces of at most TW_WALK_PIECE
 * sockets, pausing (out of the RCU section) between them: a chain can be
 * as long as a namespace's socket count (tcp_child_ehash_entries=1).
 * At a pause we hold references on the next unread sockets and go on from
 * the first still in the chain, never from the chain's head again.  A
 * piece that moved (wrong nulls marker, strayed anchor, socket of another
 * table) is read again from where it began.  Returns how many sockets of
 * any netns the chain held on its last read; w->err is set if the reader
 * was killed in a pause.
 */
static __always_inline unsigned int tw_read_chain(struct tw_walker *w,
						  const struct tw_chain *c,
						  bool floor)
{
	struct sock *next[TW_WALK_ANCHORS], *from = NULL;
	unsigned int len = 0, piece_len, start, tries = 0, n;
	struct hlist_nulls_node *node;
	bool paused = false;
	struct sock *sk;

piece:
	tw_piece_begin(w, &start, floor);
	piece_len = 0;
	node = from ? &from->sk_nulls_node :
		      rcu_dereference_raw(hlist_nulls_first_rcu(c->head));
	for (; !is_a_nulls(node);
	     node = rcu_dereference_raw(hlist_nulls_next_rcu(node))) {
		if (piece_len == TW_WALK_PIECE)
			break;
		sk = hlist_nulls_entry(node, struct sock, sk_nulls_node);
		piece_len++;
		if (c->check_table && !tw_sock_in_table(sk, c))
			break;
		tw_piece_add(w, sk, floor);
	}
	w->cost->sockets += piece_len;
	w->work += piece_len;
	w->section_sockets += piece_len;

	if (is_a_nulls(node)) {
		if (get_nulls_value(node) == c->nulls)
			goto commit;
		goto moved;
	}
	if (piece_len < TW_WALK_PIECE)
		goto moved;	/* a socket of another table */
	switch (tw_anchors_take(c, node, next, &n, &node)) {
	case TW_MOVED:
		goto moved;
	case TW_CHAIN_END:
		if (get_nulls_value(node) == c->nulls)
			goto commit;
		goto moved;
	case TW_ANCHORED:
		break;
	}
	/* the piece is consistent: keep it, and pause inside the chain */
	tw_piece_commit(w);
	len += piece_len;
	tw_anchors_put(w->anchor, w->anchors);
	memcpy(w->anchor, next, n * sizeof(*next));
	w->anchors = n;
	w->cost->resumes++;
	paused = true;
	if (!tw_walk_break(w)) {
		w->err = -EINTR;
		goto out;
	}
	tries = 0;
	goto resume;

moved:
	if (++tries >= TW_WALK_MAX_TRIES) {
		/* accepted as read, as a chain always was */
		if (!is_a_nulls(node))
			w->cost->resume_lost++;	/* and the rest given up */
		goto commit;
	}
	w->cost->restarts++;
	tw_piece_abort(w, start);
	if (!from)
		goto piece;
resume:
	from = tw_anchors_resume(w, c);
	if (from)
		goto piece;
	w->cost->resume_lost++;
	goto out;

commit:
	tw_piece_commit(w);
	len += piece_len;
out:
	if (paused)
		w->cost->long_chains++;
	tw_anchors_put(w->anchor, w->anchors);
	w->anchors = 0;
	return len;
}

/*
 * Give the CPU away once TW_WALK_BATCH buckets and sockets were read: a
 * table can have millions of buckets and we must not sit in one RCU read
 * section for all of them.
 */
static int tw_walk_pause(struct tw_walker *w)
{
	if (++w->work < TW_WALK_BATCH)
		return 0;
	return tw_walk_break(w) ? 0 : -EINTR;
}

/*
 * The bucket discipline both walks share: every bucket of the listening
 * hash (unless @established_only) and of the established hash, empty ones
 * skipped before any cost, a pause every TW_WALK_BATCH buckets and
 * sockets.  Inlined with a constant @floor, so the hot loop makes no
 * indirect call.
 */
static __always_inline int tw_walk_tables(struct tw_walker *w,
					  struct inet_hashinfo *h,
					  bool established_only,
					  bool all_netns, bool floor)
{
	unsigned int slot, len, size, mask = READ_ONCE(h->ehash_mask);
	struct tw_chain c = { .h = h };
	int err;

	size = established_only ? 0 : tw_lhash2_size(h);
	for (slot = 0; slot < size; slot++) {
		c.head = tw_lhash2_chain(h, slot);
		w->cost->buckets++;
		err = tw_walk_pause(w);
		if (err)
			return err;
		if (hlist_nulls_empty(c.head))
			continue;
		c.slot = slot;
		c.nulls = tw_lhash2_nulls(slot);
		tw_read_chain(w, &c, floor);
		if (w->err)
			return w->err;
	}

	c.ehash = true;
	c.check_table = all_netns;
	for (slot = 0; slot <= mask; slot++) {
		c.head = &h->ehash[slot].chain;
		w->cost->buckets++;
		err = tw_walk_pause(w);
		if (err)
			return err;
		if (hlist_nulls_empty(c.head)) {
			w->chain_lengths[0]++;
			continue;
		}
		c.slot = slot;
		c.nulls = slot;
		len = tw_read_chain(w, &c, floor);
		if (w->err)
			return w->err;
		w->chain_lengths[min_t(unsigned int, len, TW_CHAIN_LEN_MAX)]++;
	}
	return 0;
}

/**
 * tw_walk - hand every TCP socket of a netns's hash tables to a visitor
 * @req: what to walk (net or NULL for all, established_only, visit, ctx);
 *	 cost and chain_lengths are filled in
 *
 * TW_REC_REUSABLE takes no mode from @req: each timewait socket is decided
 * by its own netns's tcp_tw_reuse, read as the walk meets it, so one walk
 * serves namespaces with different settings.
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

	/* what waits before a piece, and the piece (tw_piece_begin()) */
	BUILD_BUG_ON(TW_WALK_CHAIN_RECS - 1 + TW_WALK_PIECE > TW_WALK_BUF_RECS);
	memset(&req->cost, 0, sizeof(req->cost));
	memset(req->chain_lengths, 0, sizeof(req->chain_lengths));
	w.reuse_clock = tw_reuse_clock();
	w.recs = kmalloc_array(TW_WALK_BUF_RECS, sizeof(*w.recs), TW_GFP_READER);
	if (!w.recs)
		return -ENOMEM;

	rcu_read_lock();
	err = tw_walk_tables(&w, h, req->established_only, !req->net, false);
	if (!err && w.pending)
		tw_walk_hand_over(&w);
	tw_walk_section_end(&w);
	rcu_read_unlock();

	kfree(w.recs);
	req->cost.ns = ktime_get_ns() - start;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(tw_walk);

/**
 * tw_walk_floor - count @floor->net's timewait sockets and nothing else
 * @floor: net to count in; the counts and the cost are filled in
 *
 * The same buckets and the same RCU, nulls, piece and pause rules as
 * tw_walk(), without records or visitors: what a walk cannot go below,
 * for make bench.  May sleep between batches; returns 0 or -EINTR.
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
	err = tw_walk_tables(&w, tw_net_hashinfo(floor->net), false, false,
			     true);
	tw_walk_section_end(&w);
	rcu_read_unlock();

	floor->cost.ns = ktime_get_ns() - start;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(tw_walk_floor);
