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
#include "tw_proc.h"

static unsigned int tw_net_id __read_mostly;

static int __net_init tw_net_init(struct net *net)
{
	struct tw_netns *tn = net_generic(net, tw_net_id);
	int err;

	mutex_init(&tn->lock);
	tn->have_snap = false;
	err = tw_drops_init_net(tn);
	if (err)
		return err;
	err = tw_proc_init_net(net);
	if (err) {
		/* no packet can reach a netns still being set up */
		tw_drops_exit_net(tn);
		tw_drops_free_net(tn);
	}
	return err;
}

/*
 * Removing the /proc entries waits for readers inside them, so once this
 * returns nobody can reach tn and the core frees it.
 */
static void __net_exit tw_net_exit(struct net *net)
{
	struct tw_netns *tn = net_generic(net, tw_net_id);

	tw_proc_exit_net(net);
	tw_drops_exit_net(tn);
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

/* @net's state; the drop probe calls this under RCU, in any context. */
struct tw_netns *tw_netns_of(const struct net *net)
{
	return net_generic(net, tw_net_id);
}

int tw_netns_register(void)
{
	return register_pernet_subsys(&tw_net_ops);
}

void tw_netns_unregister(void)
{
	unregister_pernet_subsys(&tw_net_ops);
}

/**
 * tw_netns_get_snapshot - lock @net's state with a snapshot no older
 * than tw_cache_ms
 * @net: the netns being read
 *
 * Concurrent readers wait for the one walk in progress and share its
 * result, so N readers cost one walk per cache interval, not N.  Returns
 * the locked state (release with tw_netns_put_snapshot()) or an ERR_PTR.
 */
struct tw_netns *tw_netns_get_snapshot(struct net *net)
{
	struct tw_netns *tn = net_generic(net, tw_net_id);
	int err;

	if (mutex_lock_killable(&tn->lock))
		return ERR_PTR(-EINTR);
	if (tn->have_snap &&
	    tw_snapshot_fresh(tn->snap.taken_at, jiffies, READ_ONCE(tw_cache_ms)))
		return tn;

	tn->have_snap = false;
	err = tw_snapshot_take(net, &tn->snap);
	if (err) {
		mutex_unlock(&tn->lock);
		return ERR_PTR(err);
	}
	tn->have_snap = true;
	return tn;
}

void tw_netns_put_snapshot(struct tw_netns *tn)
{
	mutex_unlock(&tn->lock);
}
