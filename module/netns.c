// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns lifecycle (pernet_operations) and the snapshot cache that
 * bounds what readers looping on our files can cost the kernel.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "netns.h"
#include "tw_proc.h"

static unsigned int tw_net_id __read_mostly;

static int __net_init tw_net_init(struct net *net)
{
	struct tw_netns *tn = net_generic(net, tw_net_id);

	mutex_init(&tn->lock);
	tn->have_snap = false;
	return tw_proc_init_net(net);
}

/*
 * Removing the /proc entries waits for readers inside them, so once this
 * returns nobody can reach tn and the core frees it.
 */
static void __net_exit tw_net_exit(struct net *net)
{
	struct tw_netns *tn = net_generic(net, tw_net_id);

	tw_proc_exit_net(net);
	mutex_destroy(&tn->lock);
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
