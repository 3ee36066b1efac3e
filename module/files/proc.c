// SPDX-License-Identifier: GPL-2.0
/*
 * Register and remove tw_stats's files in each netns's /proc/net; the
 * netns a file shows is the one it was opened in, except tw_netns, which
 * shows them all and so exists in the initial netns only, for root.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "netns.h"
#include "tw_proc.h"
#include "tw_stats_format.h"

static int tw_stats_show(struct seq_file *m, void *v)
{
	struct tw_snapshot *snap = tw_netns_snapshot(seq_file_single_net(m));

	if (IS_ERR(snap))
		return PTR_ERR(snap);
	tw_stats_format(m, snap, jiffies);
	tw_snapshot_put(snap);
	tw_counters_format(m, seq_file_single_net(m));
	/* after drops_table_busy: the NAT's view, read live */
	return tw_nat_stats_format(m, seq_file_single_net(m));
}

static const struct tw_table_file *const tw_tables[] = {
	&tw_ports_file,
	&tw_dests_file,
	&tw_cgroups_file,
};

int tw_proc_init_net(struct net *net)
{
	unsigned int i;

	if (!proc_create_net_single(TW_PROC_STATS, 0444, net->proc_net,
				    tw_stats_show, NULL))
		goto fail;
	for (i = 0; i < ARRAY_SIZE(tw_tables); i++)
		if (!proc_create_data(tw_tables[i]->name, 0444, net->proc_net,
				      &tw_table_proc_ops, (void *)tw_tables[i]))
			goto fail;
	if (tw_drops_proc_init_net(net))
		goto fail;
	if (tw_nat_proc_init_net(net))
		goto fail;
	if (net_eq(net, &init_net) &&
	    !proc_create_data(tw_netns_file.name, 0400, net->proc_net,
			      &tw_table_proc_ops, (void *)&tw_netns_file))
		goto fail;
	return 0;
fail:
	tw_proc_exit_net(net);
	return -ENOMEM;
}

/*
 * Safe on a partly created set, and in every netns whether it has
 * tw_netns or not: remove_proc_subtree() returns -ENOENT for a missing
 * entry where remove_proc_entry() would WARN.
 */
void tw_proc_exit_net(struct net *net)
{
	unsigned int i;

	remove_proc_subtree(tw_netns_file.name, net->proc_net);
	tw_nat_proc_exit_net(net);
	tw_drops_proc_exit_net(net);
	for (i = 0; i < ARRAY_SIZE(tw_tables); i++)
		remove_proc_subtree(tw_tables[i]->name, net->proc_net);
	remove_proc_subtree(TW_PROC_STATS, net->proc_net);
}
