// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns lifecycle (pernet_operations) and the snapshot cache that
 * bounds what readers looping on our files can cost the kernel.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "drops.h"
#include "netns.h"
#include "shared_walk.h"

static unsigned int tw_net_id __read_mostly;

/* @net's state; the drop probe calls this under RCU, in any context. */
struct tw_netns *tw_netns(const struct net *net)
{
	return net_generic(net, tw_net_id);
}

static int __net_init tw_net_init(struct net *net)
{
	struct tw_netns *tn = tw_netns(net);

	tw_reading_cache_init(&tn->cache);
	tn->cache_ms = TW_TUNABLE_DEFAULT;
	tn->top_n = TW_TUNABLE_DEFAULT;
	mutex_init(&tn->nat_lock);
	return tw_drops_init_net(tn);
}

/*
 * The files that show tn are registered after this (files/files.c), so
 * the netns core runs their exit first: it removes them, which waits for
 * readers inside them and releases the open ones.  Once this returns
 * nobody can reach tn and the netns core frees it, with no grace period:
 * the drop probe never looks up a netns being dismantled (check_net() in
 * tw_drops_kfree_skb()), and what it may still hold, the drop state, is
 * freed with call_rcu().  No synchronize_rcu() here: it would cost
 * every netns teardown batch a grace period.
 */
static void __net_exit tw_net_exit(struct net *net)
{
	struct tw_netns *tn = tw_netns(net);

	tw_drops_exit_net(tn);
	tw_shared_walk_leave(net);
	tw_snapshot_put(tn->cache.latest);
	tn->cache.latest = NULL;
	mutex_destroy(&tn->cache.lock);
	mutex_destroy(&tn->nat_lock);
}

static struct pernet_operations tw_net_ops = {
	.init = tw_net_init,
	.exit = tw_net_exit,
	.id = &tw_net_id,
	.size = sizeof(struct tw_netns),
};

int tw_netns_register(void)
{
	return register_pernet_subsys(&tw_net_ops);
}

void tw_netns_unregister(void)
{
	unregister_pernet_subsys(&tw_net_ops);
}

static void tw_netns_log_walk(struct tw_netns *tn, const struct tw_snapshot *snap)
{
	struct tw_walk_log *log = &tn->history[tn->history_next];

	log->taken_at = snap->taken_at;
	log->cost = snap->cost;
	log->cpu_ns = snap->phases.cpu_ns;
	tn->history_next = (tn->history_next + 1) % TW_WALK_HISTORY;
	tn->walks++;
}

struct tw_netns_reading_ctx {
	struct net *net;
	struct tw_netns *tn;
};

/* A tw_reading_ops take: walk the netns, and log what the walk cost. */
static void *tw_netns_reading_take(void *ctx)
{
	struct tw_netns_reading_ctx *c = ctx;
	struct tw_snapshot *snap = tw_snapshot_take(c->net, tw_netns_top_n(c->tn),
						   tw_netns_cache_ms(c->tn));

	if (!IS_ERR(snap))
		tw_netns_log_walk(c->tn, snap);
	return snap;
}

static unsigned long tw_netns_reading_taken_at(const void *reading)
{
	return ((const struct tw_snapshot *)reading)->taken_at;
}

static u64 tw_netns_reading_cpu_ns(const void *reading)
{
	return ((const struct tw_snapshot *)reading)->phases.cpu_ns;
}

static void tw_netns_reading_get(void *reading)
{
	tw_snapshot_get(reading);
}

static void tw_netns_reading_put(void *reading)
{
	tw_snapshot_put(reading);
}

static const struct tw_reading_ops tw_netns_reading_ops = {
	.taken_at = tw_netns_reading_taken_at,
	.cpu_ns = tw_netns_reading_cpu_ns,
	.take = tw_netns_reading_take,
	.get = tw_netns_reading_get,
	.put = tw_netns_reading_put,
};

/**
 * tw_netns_snapshot - a reading of @net no older than its cache interval
 * @net: the netns being read
 *
 * Concurrent readers wait for the one walk in progress and share its
 * result, so N readers cost one walk per cache interval, not N.  Returns
 * a snapshot reference (drop it with tw_snapshot_put()) or an ERR_PTR.
 */
struct tw_snapshot *tw_netns_snapshot(struct net *net)
{
	struct tw_netns_reading_ctx ctx = { .net = net, .tn = tw_netns(net) };

	return tw_reading_cache_get(&ctx.tn->cache, tw_netns_cache_ms(ctx.tn),
				    &tw_netns_reading_ops, &ctx);
}

/**
 * tw_netns_snapshot_hold - tw_netns_snapshot() for a file that keeps it open
 * @net: the netns being read
 *
 * Counted toward the readings @net's open files may pin (reading_cache.h):
 * while that many are alive, the latest is shared, whatever its age.
 * Drop it with tw_netns_snapshot_unhold().
 */
struct tw_snapshot *tw_netns_snapshot_hold(struct net *net)
{
	struct tw_netns_reading_ctx ctx = { .net = net, .tn = tw_netns(net) };

	return tw_reading_cache_hold(&ctx.tn->cache, tw_netns_cache_ms(ctx.tn),
				     &tw_netns_reading_ops, &ctx);
}

void tw_netns_snapshot_unhold(struct net *net, struct tw_snapshot *snap)
{
	tw_reading_cache_unhold(&tw_netns(net)->cache, &tw_netns_reading_ops, snap);
}
