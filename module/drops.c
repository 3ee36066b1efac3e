// SPDX-License-Identifier: GPL-2.0
/*
 * Counts, per netns, the packets the kernel drops for timestamp, PAWS and
 * TIME_WAIT reasons (the family of failures tcp_tw_recycle was infamous
 * for), from a probe on the skb:kfree_skb tracepoint.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/dst.h>
#include <net/sock.h>
#include <kunit/visibility.h>
#include <trace/events/skb.h>

#include "compat/compat.h"
#include "drops.h"
#include "netns.h"
#include "rank.h"

/* Every core drop reason of the kernel we are built for, with its name. */
struct tw_reason_name {
	unsigned int reason;
	const char *name;
};

#define TW_REASON_ROW(r) { SKB_DROP_REASON_##r, #r },
#define TW_REASON_NONE(r)
static const struct tw_reason_name tw_all_reasons[] = {
	DEFINE_DROP_REASON(TW_REASON_ROW, TW_REASON_NONE)
};

struct tw_drop_reasons tw_drop_reasons;
EXPORT_SYMBOL_IF_KUNIT(tw_drop_reasons);

/*
 * Drops whose netns the kernel did not tell us (see tw_drop_net()), per
 * CPU like the per-netns counts, so that a storm of them does not bounce
 * one cache line between the receiving CPUs.
 */
static DEFINE_PER_CPU(u64, tw_unattributed);
static bool tw_drops_registered;

/**
 * tw_drop_reason_wanted - is a drop reason about timestamps, PAWS or
 * TIME_WAIT?
 * @name: the reason as the kernel names it, without SKB_DROP_REASON_
 *
 * By name, so that reasons a newer kernel adds to the family (all of
 * RFC 7323's checks are named TCP_RFC7323_*) are counted without a code
 * change.  NOT_SPECIFIED is never one: 6.1 drops TIME_WAIT PAWS rejects
 * with it, together with countless unrelated packets.
 */
bool tw_drop_reason_wanted(const char *name)
{
	static const char *const marks[] = {
		"RFC7323", "PAWS", "TSECR", "TIMEWAIT", "TIME_WAIT",
	};
	unsigned int i;

	if (!name)
		return false;
	if (!strncmp(name, "TCP_TW_", 7))
		return true;
	for (i = 0; i < ARRAY_SIZE(marks); i++)
		if (strstr(name, marks[i]))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(tw_drop_reason_wanted);

/**
 * tw_drop_reasons_build - pick the reasons we count from the running
 * kernel's list
 * @r: filled in; index_of[] maps a reason to its index + 1
 *
 * Returns the number of reasons, or -E2BIG if the kernel has more than
 * TW_DROP_REASONS_MAX of them (the first ones are still counted).
 */
int tw_drop_reasons_build(struct tw_drop_reasons *r)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < ARRAY_SIZE(tw_all_reasons); i++) {
		const struct tw_reason_name *rn = &tw_all_reasons[i];

		if (rn->reason >= SKB_DROP_REASON_MAX ||
		    !tw_drop_reason_wanted(rn->name))
			continue;
		if (r->n == TW_DROP_REASONS_MAX)
			return -E2BIG;
		r->reason[r->n] = rn->reason;
		r->name[r->n] = rn->name;
		r->index_of[rn->reason] = ++r->n;
	}
	return r->n;
}
EXPORT_SYMBOL_IF_KUNIT(tw_drop_reasons_build);

/**
 * tw_drop_table_add - count one drop of @reason from @addr
 * @t: the table
 * @family: AF_INET or AF_INET6
 * @addr: the source address; IPv4 in the first word, the rest zero
 * @reason: index into struct tw_drop_reasons
 * @now: jiffies
 *
 * A full table makes room by replacing the row with the fewest drops
 * (the least recent of those): a remote that keeps being dropped keeps
 * its row and its exact count, while a scan from many addresses churns
 * the rows that matter least.  The replaced row's drops move to
 * t->unlisted, so the file's rows plus 'others' always sum to every drop.
 * Linear, on at most TW_DROPS_SLOTS rows: this runs for dropped packets
 * of a few reasons only.
 */
void tw_drop_table_add(struct tw_drop_table *t, u8 family,
		       const struct in6_addr *addr, u8 reason,
		       unsigned long now)
{
	struct tw_drop_row *row, *victim = NULL;
	unsigned int i;

	for (i = 0; i < t->used; i++) {
		row = &t->rows[i];
		if (row->family == family && row->reason == reason &&
		    !memcmp(&row->addr, addr, sizeof(*addr))) {
			row->count++;
			row->last_seen = now;
			return;
		}
	}
	if (t->used < TW_DROPS_SLOTS) {
		victim = &t->rows[t->used++];
	} else {
		victim = &t->rows[0];
		for (i = 1; i < t->used; i++) {
			row = &t->rows[i];
			if (row->count < victim->count ||
			    (row->count == victim->count &&
			     time_before(row->last_seen, victim->last_seen)))
				victim = row;
		}
		t->unlisted += victim->count;
	}
	victim->addr = *addr;
	victim->family = family;
	victim->reason = reason;
	victim->count = 1;
	victim->last_seen = now;
}
EXPORT_SYMBOL_IF_KUNIT(tw_drop_table_add);

/* Most drops first; ties in a fixed order so the file is stable. */
static int tw_drop_row_cmp(const void *a, const void *b)
{
	const struct tw_drop_row *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	c = memcmp(&x->addr, &y->addr, sizeof(x->addr));
	if (c)
		return c;
	return x->reason - y->reason;
}

/* A tw_rank_add_fn: the others row of the drops is a count. */
static void tw_drop_row_add(void *others, const void *row)
{
	*(u64 *)others += ((const struct tw_drop_row *)row)->count;
}

/**
 * tw_drop_table_rank - sort a copy of a table for showing its top rows
 * @t: the copy, sorted in place, most drops first
 * @top_n: how many rows will be shown
 *
 * Returns the count of the 'others' row: drops of the rows beyond @top_n
 * plus those that are in no row.
 */
u64 tw_drop_table_rank(struct tw_drop_table *t, unsigned int top_n)
{
	u64 others = t->unlisted;
	unsigned int i;

	/*
	 * The whole copy in order, as promised above (tw_rank() only orders
	 * the rows it keeps), then the rows past @top_n into others: the
	 * table is a few hundred rows, read by hand, not per reading.
	 */
	tw_rank(t->rows, t->used, sizeof(t->rows[0]), tw_drop_row_cmp, t->used,
		tw_drop_row_add, &others);
	for (i = top_n; i < t->used; i++)
		others += t->rows[i].count;
	return others;
}
EXPORT_SYMBOL_IF_KUNIT(tw_drop_table_rank);

/* The packet's source address, from its IP header. */
static bool tw_drop_source(const struct sk_buff *skb, u8 *family,
			   struct in6_addr *addr)
{
	const unsigned char *nh = skb_network_header(skb);
	const unsigned char *tail = skb_tail_pointer(skb);

	memset(addr, 0, sizeof(*addr));
	if (nh < skb->head)
		return false;
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = (const struct iphdr *)nh;

		if (nh + sizeof(*iph) > tail || iph->version != 4)
			return false;
		addr->s6_addr32[0] = iph->saddr;
		*family = AF_INET;
		return true;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h = (const struct ipv6hdr *)nh;

		if (nh + sizeof(*ip6h) > tail || ip6h->version != 6)
			return false;
		*addr = ip6h->saddr;
		*family = AF_INET6;
		return true;
	}
	return false;
}

/*
 * The netns the packet was dropped in.  Kernels with rx_sk (6.11+) name
 * the receiving socket.  Before that, TCP has cleared skb->dev and taken
 * skb->sk by the time it drops a segment, so the route the packet came in
 * on is what is left; a segment processed from a busy socket's backlog
 * has no route either (tcp_add_backlog() dropped it), and its netns is
 * unknown: we count it as unattributed rather than guess.
 * Called under rcu_read_lock(), which keeps a noref dst alive.
 */
static struct net *tw_drop_net(const struct sk_buff *skb,
			       const struct sock *rx_sk)
{
	const struct dst_entry *dst;
	struct net_device *dev;

	if (rx_sk)
		return sock_net(rx_sk);
	if (skb->sk)
		return sock_net(skb->sk);
	dev = READ_ONCE(skb->dev);
	if (dev)
		return dev_net(dev);
	dst = skb_dst(skb);
	if (dst) {
		dev = READ_ONCE(dst->dev);
		if (dev)
			return dev_net(dev);
	}
	return NULL;
}

/**
 * tw_drops_count - count one tracked drop in a netns's state
 * @d: the netns's drop state
 * @reason: index into struct tw_drop_reasons
 * @sourced: whether @family and @addr say where the packet came from
 * @family: AF_INET or AF_INET6
 * @addr: the source address
 * @now: jiffies
 *
 * The probe's hot path, in any context, including hard interrupts and,
 * on PREEMPT_RT or where tracepoints call probes preemptible (7.2: under
 * SRCU), a preemptible task.  It never waits: the reason is counted on
 * this CPU, and the remote's row is updated only if the table's lock is
 * free at once.  A drop that finds it taken (by a drop on another CPU or
 * a reader's copy) is counted on this CPU as unlisted and busy, so the
 * rows plus 'others' still sum to every drop.
 *
 * The lock is try-locked with local interrupts off, as readers take it:
 * lockdep then sees one irq state for it in every context, and on the
 * holder's CPU no interrupt can come in and find it held by itself.
 * Costs at most: three per-CPU increments, one trylock and a scan of
 * TW_DROPS_SLOTS rows (twice when the table is full).
 */
void tw_drops_count(struct tw_drops_ns *d, unsigned int reason, bool sourced,
		    u8 family, const struct in6_addr *addr, unsigned long now)
{
	unsigned long flags;
	bool placed = false;

	this_cpu_inc(d->pcpu->by_reason[reason]);
	if (sourced) {
		local_irq_save(flags);
		if (raw_spin_trylock(&d->lock)) {
			tw_drop_table_add(&d->table, family, addr, reason, now);
			raw_spin_unlock(&d->lock);
			placed = true;
		}
		local_irq_restore(flags);
		if (!placed)
			this_cpu_inc(d->pcpu->busy);
	}
	if (!placed)
		this_cpu_inc(d->pcpu->unlisted);
}
EXPORT_SYMBOL_IF_KUNIT(tw_drops_count);

/**
 * tw_drops_sum - add up every CPU's counts of one netns
 * @pcpu: the netns's per-CPU counts
 * @sums: filled in
 *
 * Every possible CPU, not only the online ones: a CPU that went offline
 * keeps what it counted.  The probe may be counting meanwhile; each
 * count is read once (READ_ONCE()), so a sum is at worst a few drops
 * behind the newest, never torn on 64-bit.
 */
void tw_drops_sum(struct tw_drops_pcpu __percpu *pcpu,
		  struct tw_drops_sums *sums)
{
	unsigned int cpu, i;

	memset(sums, 0, sizeof(*sums));
	for_each_possible_cpu(cpu) {
		const struct tw_drops_pcpu *c = per_cpu_ptr(pcpu, cpu);

		for (i = 0; i < TW_DROP_REASONS_MAX; i++)
			sums->by_reason[i] += READ_ONCE(c->by_reason[i]);
		sums->unlisted += READ_ONCE(c->unlisted);
		sums->busy += READ_ONCE(c->busy);
	}
}
EXPORT_SYMBOL_IF_KUNIT(tw_drops_sum);

/*
 * The probe on skb:kfree_skb, whose arguments differ by kernel (see
 * compat/compat.h): runs for every freed packet, in any context, so it
 * leaves at once for reasons it does not track; otherwise it allocates
 * nothing, sleeps never and waits for no lock (tw_drops_count()).  The
 * per-netns state is looked up under RCU: a netns's exit unpublishes it,
 * and it is freed only after a grace period (tw_drops_exit_net()).
 */
static void tw_drops_kfree_skb(TW_KFREE_SKB_PROBE_ARGS)
{
	const struct sock *rx_sock = TW_KFREE_SKB_RX_SK;
	struct tw_drops_ns *d = NULL;
	struct in6_addr addr;
	struct tw_netns *tn;
	unsigned int index;
	struct net *net;
	u8 family = 0;
	bool sourced;

	if ((unsigned int)reason >= SKB_DROP_REASON_MAX)
		return;
	index = tw_drop_reasons.index_of[reason];
	if (!index)
		return;
	index--;

	sourced = tw_drop_source(skb, &family, &addr);
	rcu_read_lock();
	net = tw_drop_net(skb, rx_sock);
	if (!net) {
		this_cpu_inc(tw_unattributed);
		goto out;
	}
	/*
	 * A netns whose count reached zero is being dismantled: its state
	 * (tn itself) is freed right after the pernet exits, without a
	 * grace period.  A probe that saw the count above zero entered its
	 * RCU section before cleanup_net() began, whose synchronize_rcu()
	 * before any exit waits for it; one that sees zero stays away.
	 */
	if (!check_net(net))
		goto out;
	tn = tw_netns(net);
	if (tn)
		d = rcu_dereference(tn->drops);
	if (d)
		tw_drops_count(d, index, sourced, family, &addr, jiffies);
out:
	rcu_read_unlock();
}

int tw_drops_init_net(struct tw_netns *tn)
{
	struct tw_drops_ns *d = kvzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	d->pcpu = alloc_percpu(struct tw_drops_pcpu);
	if (!d->pcpu) {
		kvfree(d);
		return -ENOMEM;
	}
	raw_spin_lock_init(&d->lock);
	rcu_assign_pointer(tn->drops, d);
	return 0;
}

static void tw_drops_free_rcu(struct rcu_head *rcu)
{
	struct tw_drops_ns *d = container_of(rcu, struct tw_drops_ns, rcu);

	free_percpu(d->pcpu);
	kvfree(d);
}

/*
 * A probe that looked the state up before we hid it may still use it:
 * free it after a grace period, without waiting for one here (a netns
 * exit batch is on every container's teardown path).  The callback is
 * module code: tw_stats_exit() waits for it with rcu_barrier().
 */
void tw_drops_exit_net(struct tw_netns *tn)
{
	struct tw_drops_ns *d = rcu_dereference_protected(tn->drops, true);

	RCU_INIT_POINTER(tn->drops, NULL);
	if (d)
		call_rcu(&d->rcu, tw_drops_free_rcu);
}

bool tw_drops_active(void)
{
	return tw_drops_registered;
}

/* Copy @net's per-reason counts into @counts; returns how many. */
unsigned int tw_drops_read_counts(struct net *net, u64 *counts)
{
	struct tw_netns *tn = tw_netns(net);
	struct tw_drops_sums sums;
	struct tw_drops_ns *d;
	unsigned int n = 0;

	rcu_read_lock();
	d = rcu_dereference(tn->drops);
	if (d) {
		n = tw_drop_reasons.n;
		tw_drops_sum(d->pcpu, &sums);
		memcpy(counts, sums.by_reason, n * sizeof(*counts));
	}
	rcu_read_unlock();
	return n;
}

/*
 * Copy @net's remote table, consistent with itself, into @copy, with the
 * drops no row holds added to its unlisted count.  The copy is a bounded
 * memcpy under the raw lock (about 5 KiB, interrupts off); a probe that
 * meets it meanwhile counts its drop as busy and does not wait.
 */
bool tw_drops_read_table(struct net *net, struct tw_drop_table *copy)
{
	struct tw_netns *tn = tw_netns(net);
	struct tw_drops_sums sums;
	struct tw_drops_ns *d;
	unsigned long flags;

	rcu_read_lock();
	d = rcu_dereference(tn->drops);
	if (d) {
		raw_spin_lock_irqsave(&d->lock, flags);
		memcpy(copy, &d->table, sizeof(*copy));
		raw_spin_unlock_irqrestore(&d->lock, flags);
		tw_drops_sum(d->pcpu, &sums);
		copy->unlisted += sums.unlisted;
	}
	rcu_read_unlock();
	return !!d;
}

/* How many of @net's drops found its remote table busy, since load. */
u64 tw_drops_read_busy(struct net *net)
{
	struct tw_netns *tn = tw_netns(net);
	struct tw_drops_sums sums;
	struct tw_drops_ns *d;
	u64 busy = 0;

	rcu_read_lock();
	d = rcu_dereference(tn->drops);
	if (d) {
		tw_drops_sum(d->pcpu, &sums);
		busy = sums.busy;
	}
	rcu_read_unlock();
	return busy;
}

u64 tw_drops_unattributed(void)
{
	unsigned int cpu;
	u64 sum = 0;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(tw_unattributed, cpu));
	return sum;
}

/*
 * Called after the per-netns state exists for every netns, so the probe
 * always finds it.  A kernel without tracepoints still gets the rest of
 * tw_stats: the drop_* lines are then absent, never zeros.
 */
void tw_drops_register(void)
{
	int err;

	if (tw_drop_reasons_build(&tw_drop_reasons) < 0)
		pr_warn("more than %u drop reasons to track; counting the first\n",
			TW_DROP_REASONS_MAX);
	err = register_trace_kfree_skb(tw_drops_kfree_skb, NULL);
	if (err) {
		pr_warn("cannot attach to skb:kfree_skb (%d): no drop counts\n",
			err);
		return;
	}
	tw_drops_registered = true;
}

/* Returns once no probe runs: the per-netns state can then go. */
void tw_drops_unregister(void)
{
	if (!tw_drops_registered)
		return;
	unregister_trace_kfree_skb(tw_drops_kfree_skb, NULL);
	tracepoint_synchronize_unregister();
	tw_drops_registered = false;
}
