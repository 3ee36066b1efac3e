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

static unsigned int tw_net_id __read_mostly;

/* @net's state; the drop probe calls this under RCU, in any context. */
struct tw_netns *tw_netns(const struct net *net)
{
	return net_generic(net, tw_net_id);
}

static int __net_init tw_net_init(struct net *net)
{
	struct tw_netns *tn = tw_netns(net);

	mutex_init(&tn->lock);
	tn->cache_ms = TW_TUNABLE_DEFAULT;
	tn->top_n = TW_TUNABLE_DEFAULT;
	return tw_drops_init_net(tn);
}

/*
 * The files that show tn are registered after this (files/files.c), so
 * the netns core runs their exit first: it removes them, which waits for
 * readers inside them and releases the open ones.  Once this returns
 * nobody can reach tn and the netns core frees it.
 */
static void __net_exit tw_net_exit(struct net *net)
{
	struct tw_netns *tn = tw_netns(net);

	tw_drops_exit_net(tn);
	tw_snapshot_put(tn->snap);
	tn->snap = NULL;
	mutex_destroy(&tn->lock);
}

/*
 * The drop probe may have looked the state up just before exit hid it;
 * the core frees tn right after this without a grace period of its own,
 * so wait for one here, once for the whole batch.
 */
static void __net_exit tw_net_exit_batch(struct list_head *net_exit_list)
{
	struct net *net;

	synchronize_rcu();
	list_for_each_entry(net, net_exit_list, exit_list)
		tw_drops_free_net(net_generic(net, tw_net_id));
}

static struct pernet_operations tw_net_ops = {
	.init = tw_net_init,
	.exit = tw_net_exit,
	.exit_batch = tw_net_exit_batch,
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
	tn->history_next = (tn->history_next + 1) % TW_WALK_HISTORY;
	tn->walks++;
}

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
	struct tw_netns *tn = tw_netns(net);
	struct tw_snapshot *snap;

	if (mutex_lock_killable(&tn->lock))
		return ERR_PTR(-EINTR);
	snap = tn->snap;
	if (!snap ||
	    !tw_snapshot_fresh(snap->taken_at, jiffies, tw_netns_cache_ms(tn))) {
		snap = tw_snapshot_take(net, tw_netns_top_n(tn));
		if (IS_ERR(snap))
			goto unlock;
		tw_netns_log_walk(tn, snap);
		tw_snapshot_put(tn->snap);
		tn->snap = snap;
	}
	tw_snapshot_get(snap);
unlock:
	mutex_unlock(&tn->lock);
	return snap;
}
