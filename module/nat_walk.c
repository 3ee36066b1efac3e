// SPDX-License-Identifier: GPL-2.0
/*
 * Read nf_conntrack's table for the NAT view, without loading or pinning
 * nf_conntrack: tw_stats has no link-time dependency on it (modpost sees
 * no symbol of it, so `modprobe tw_stats` never loads it), and takes its
 * symbols with symbol_get() only for the length of one reading.  While it
 * is not loaded symbol_get() returns NULL and the view says it is
 * inactive; between readings nothing is held, so `rmmod nf_conntrack`
 * works (during one it fails with EBUSY, as for any user of it).
 *
 * The walk is the one conntrack's own readers do: RCU over the global
 * hash, each chain trusted only if it ends in the nulls marker of its own
 * bucket (entries are SLAB_TYPESAFE_BY_RCU and move on resize), and read
 * again otherwise; a chain's records are counted only once it checked
 * out, so a restart counts nothing twice.  Work per RCU section is
 * bounded in buckets plus entries, as in walk.c.
 *
 * The (hash, size) pair must be read consistently, since a resize swaps
 * both: conntrack's readers use the nf_conntrack_generation seqcount,
 * which is not exported, so we read the pair under one of conntrack's
 * bucket locks, all of which a resize holds while it swaps them (what
 * ctnetlink's dump relies on); the old table stays valid until our RCU
 * section ends.
 *
 * The table is one for every namespace, so each reading costs the size of
 * the whole of it: a namespace conntrack has no entry of (most
 * containers' namespaces, where no ruleset asked for conntrack) is
 * answered from nf_conntrack_count() without a walk, and many idle
 * namespaces reading cost the host nothing beyond that count.
 */
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "compat/compat.h"
#include "nat.h"
#include "reader_gfp.h"

#if TW_NAT_VIEW
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>

/* Buckets plus entries read in one RCU read section. */
#define TW_NAT_SECTION		1024
/* Records of one chain kept until its nulls marker checked out. */
#define TW_NAT_CHAIN_RECS	64
/* A chain that keeps moving is accepted after this many reads. */
#define TW_NAT_MAX_TRIES	8

struct tw_nat_rec {
	struct tw_nat_key key;
	u16 port;		/* translated source port, host order */
	u8 state;		/* enum tw_nat_state */
};

/* nf_conntrack's symbols, held for one reading. */
struct tw_ct_syms {
	struct hlist_nulls_head **hash;
	unsigned int *size;
	spinlock_t (*locks)[CONNTRACK_LOCKS];	/* conntrack's bucket locks */
	void (*lock)(spinlock_t *lock);
	u32 (*count)(const struct net *net);	/* a namespace's entries */
};

struct tw_nat_walk {
	struct tw_nat_table *t;
	const struct net *net;
	struct tw_nat_rec *recs;
	unsigned int n;		/* records of the chain being read */
	bool flushed;		/* some of them were counted already */
	u64 buckets, entries;	/* read, restarts included */
};

static DEFINE_SPINLOCK(tw_nat_stats_lock);
static struct tw_nat_walk_stats tw_nat_stats;	/* under tw_nat_stats_lock */

static void tw_ct_put(struct tw_ct_syms *s)
{
	if (s->hash)
		symbol_put(nf_conntrack_hash);
	if (s->size)
		symbol_put(nf_conntrack_htable_size);
	if (s->locks)
		symbol_put(nf_conntrack_locks);
	if (s->lock)
		symbol_put(nf_conntrack_lock);
	if (s->count)
		symbol_put(nf_conntrack_count);
}

/* Take nf_conntrack's symbols if it is loaded (live); false if not. */
static bool tw_ct_get(struct tw_ct_syms *s)
{
	s->hash = symbol_get(nf_conntrack_hash);
	s->size = symbol_get(nf_conntrack_htable_size);
	s->locks = symbol_get(nf_conntrack_locks);
	s->lock = symbol_get(nf_conntrack_lock);
	s->count = symbol_get(nf_conntrack_count);
	if (s->hash && s->size && s->locks && s->lock && s->count)
		return true;
	tw_ct_put(s);
	return false;
}

/* The table and its size, as one pair (see the top of this file). */
static void tw_ct_table(const struct tw_ct_syms *s,
			struct hlist_nulls_head **hash, unsigned int *size)
{
	spinlock_t *lock = &(*s->locks)[0];

	local_bh_disable();
	s->lock(lock);
	*hash = READ_ONCE(*s->hash);
	*size = READ_ONCE(*s->size);
	spin_unlock(lock);
	local_bh_enable();
}

static enum tw_nat_state tw_nat_fold(u8 state)
{
	switch (state) {
	case TCP_CONNTRACK_TIME_WAIT:
		return TW_NAT_TIME_WAIT;
	case TCP_CONNTRACK_CLOSE_WAIT:
		return TW_NAT_CLOSE_WAIT;
	case TCP_CONNTRACK_ESTABLISHED:
		return TW_NAT_ESTABLISHED;
	default:
		return TW_NAT_OTHER;
	}
}

static void tw_nat_flush(struct tw_nat_walk *w)
{
	unsigned int i;

	for (i = 0; i < w->n; i++)
		tw_nat_table_add(w->t, &w->recs[i].key, w->recs[i].state,
				 w->recs[i].port);
	w->n = 0;
}

/*
 * Record @h if it is the original direction of a confirmed, source-NATed
 * TCP flow of our namespace.  The entry may be freed and reused while we
 * read it: scalars are read once each, addresses inside data_race(), and
 * whatever such a read gets is the +-1 of a table changing under a walk
 * that is not atomic; whether it belongs to the chain is decided by the
 * nulls check, never by these fields.
 */
static void tw_nat_consider(struct tw_nat_walk *w,
			    const struct nf_conntrack_tuple_hash *h)
{
	const struct nf_conntrack_tuple *orig = &h->tuple, *reply;
	const unsigned long need = IPS_SRC_NAT | IPS_CONFIRMED;
	const struct nf_conn *ct;
	struct tw_nat_rec *rec;
	u16 family;

	if (NF_CT_DIRECTION(h) != IP_CT_DIR_ORIGINAL)
		return;
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (!net_eq(nf_ct_net(ct), w->net) ||
	    (READ_ONCE(ct->status) & need) != need ||
	    READ_ONCE(orig->dst.protonum) != IPPROTO_TCP)
		return;
	family = READ_ONCE(orig->src.l3num);
	if (family != AF_INET && family != AF_INET6)
		return;
	reply = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	rec = &w->recs[w->n];
	memset(&rec->key, 0, sizeof(rec->key));
	rec->key.family = family;
	if (family == AF_INET) {
		rec->key.source.v4 = READ_ONCE(reply->dst.u3.ip);
		rec->key.dest.v4 = READ_ONCE(orig->dst.u3.ip);
	} else {
		/* racy: a torn address of a reused entry is one wrong row */
		rec->key.source.v6 = data_race(reply->dst.u3.in6);
		/* racy: as above */
		rec->key.dest.v6 = data_race(orig->dst.u3.in6);
	}
	rec->key.dport = READ_ONCE(orig->dst.u.tcp.port);
	rec->port = ntohs(READ_ONCE(reply->dst.u.tcp.port));
	rec->state = tw_nat_fold(READ_ONCE(ct->proto.tcp.state));
	if (++w->n == TW_NAT_CHAIN_RECS) {
		/* a chain longer than the buffer: count it as it stands */
		tw_nat_flush(w);
		w->flushed = true;
	}
}

/* Read bucket @b's chain; returns the entries read, *ok if it checked out. */
static unsigned int tw_nat_read_chain(struct tw_nat_walk *w,
				      struct hlist_nulls_head *head,
				      unsigned int b, bool *ok)
{
	const struct nf_conntrack_tuple_hash *h;
	struct hlist_nulls_node *node;
	unsigned int read = 0;

	hlist_nulls_for_each_entry_rcu(h, node, head, hnnode) {
		read++;
		tw_nat_consider(w, h);
	}
	*ok = get_nulls_value(node) == b;
	return read;
}

static int tw_nat_walk(const struct tw_ct_syms *s, struct tw_nat_walk *w)
{
	struct hlist_nulls_head *hash;
	unsigned int b = 0, size, work, read, tries;
	bool ok;

	for (;;) {
		rcu_read_lock();
		tw_ct_table(s, &hash, &size);
		for (work = 0; b < size && work < TW_NAT_SECTION; b++) {
			for (tries = 1;; tries++) {
				w->n = 0;
				w->flushed = false;
				read = tw_nat_read_chain(w, &hash[b], b, &ok);
				work += 1 + read;
				w->buckets++;
				w->entries += read;
				if (ok || w->flushed || tries >= TW_NAT_MAX_TRIES)
					break;
			}
			tw_nat_flush(w);
		}
		rcu_read_unlock();
		if (b >= size)
			return 0;
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
	}
}

/* The namespace's conntrack statistics, summed over CPUs (conntrack -S). */
static void tw_nat_counters(const struct net *net, struct tw_nat_reading *res)
{
	const struct ip_conntrack_stat __percpu *stat = READ_ONCE(net->ct.stat);
	int cpu;

	if (!stat)
		return;
	for_each_possible_cpu(cpu) {
		const struct ip_conntrack_stat *st = per_cpu_ptr(stat, cpu);

		/* racy: per-CPU counters the datapath bumps without locks */
		res->insert_failed += data_race(st->insert_failed);
		/* racy: as above */
		res->drop += data_race(st->drop);
		/* racy: as above */
		res->early_drop += data_race(st->early_drop);
	}
}

/* Count a reading into the host-wide figures; @w NULL: no walk was needed. */
static void tw_nat_account(const struct tw_nat_walk *w, u64 ns)
{
	spin_lock(&tw_nat_stats_lock);
	if (!w) {
		tw_nat_stats.skipped_empty++;
	} else {
		tw_nat_stats.walks++;
		tw_nat_stats.last_at = jiffies;
		tw_nat_stats.last_buckets = w->buckets;
		tw_nat_stats.last_entries = w->entries;
		tw_nat_stats.last_ns = ns;
	}
	spin_unlock(&tw_nat_stats_lock);
}

/* The walks of conntrack's table so far, host-wide (debugfs only). */
void tw_nat_walk_stats(struct tw_nat_walk_stats *out)
{
	spin_lock(&tw_nat_stats_lock);
	*out = tw_nat_stats;
	spin_unlock(&tw_nat_stats_lock);
}

/*
 * conntrack's counters of @net alone, holding nf_conntrack for the read;
 * false if it is not loaded.
 */
bool tw_nat_read_counters(const struct net *net, struct tw_nat_reading *res)
{
	unsigned int *size = symbol_get(nf_conntrack_htable_size);

	if (!size)
		return false;
	tw_nat_counters(net, res);
	symbol_put(nf_conntrack_htable_size);
	return true;
}

/**
 * tw_nat_read - read the NAT view of @net
 * @net: the namespace
 * @top_n: rows to keep
 * @res: the reading; res->active false (and res->inactive why) if the
 *	 view cannot be read.  Free with tw_nat_reading_free().
 */
int tw_nat_read(struct net *net, unsigned int top_n, struct tw_nat_reading *res)
{
	struct tw_nat_walk w = { .net = net };
	struct tw_ct_syms syms = {};
	struct tw_nat_range range;
	struct tw_nat_table t;
	u64 start;
	int err;

	memset(res, 0, sizeof(*res));
	tw_nat_get_range(net, &range);
	res->range = range;
	if (!tw_ct_get(&syms)) {
		res->inactive = "nf_conntrack is not loaded";
		return 0;
	}
	/* no entry of ours: nothing to count, and no table to walk for it */
	if (!syms.count(net)) {
		tw_nat_counters(net, res);
		tw_ct_put(&syms);
		tw_nat_account(NULL, 0);
		res->active = true;
		res->min_headroom = tw_nat_range_size(&range);
		return 0;
	}
	start = ktime_get_ns();
	err = tw_nat_table_init(&t, TW_NAT_CAPACITY, &range);
	if (err)
		goto out;
	w.t = &t;
	w.recs = kmalloc_array(TW_NAT_CHAIN_RECS, sizeof(*w.recs), TW_GFP_READER);
	if (!w.recs) {
		err = -ENOMEM;
		goto out_table;
	}
	err = tw_nat_walk(&syms, &w);
	kfree(w.recs);
	if (err)
		goto out_table;
	tw_nat_account(&w, ktime_get_ns() - start);
	tw_nat_counters(net, res);
	tw_ct_put(&syms);
	syms = (struct tw_ct_syms){};
	res->active = true;
	err = tw_nat_reduce(&t, top_n, res);
out_table:
	tw_nat_table_free(&t);
out:
	tw_ct_put(&syms);
	return err;
}

#else /* !TW_NAT_VIEW */

void tw_nat_walk_stats(struct tw_nat_walk_stats *out)
{
	memset(out, 0, sizeof(*out));
}

bool tw_nat_read_counters(const struct net *net, struct tw_nat_reading *res)
{
	return false;
}

int tw_nat_read(struct net *net, unsigned int top_n, struct tw_nat_reading *res)
{
	memset(res, 0, sizeof(*res));
	tw_nat_get_range(net, &res->range);
	res->inactive = "this kernel is built without nf_conntrack or NAT";
	return 0;
}

#endif /* TW_NAT_VIEW */
