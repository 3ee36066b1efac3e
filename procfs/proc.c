// SPDX-License-Identifier: GPL-2.0
/*
 * Register and remove tw_stats's files in each netns's /proc/net; the
 * netns a file shows is the one it was opened in (seq_file_single_net).
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "netns.h"
#include "tw_proc.h"

static int tw_stats_show(struct seq_file *m, void *v)
{
	struct tw_netns *tn = tw_netns_get_snapshot(seq_file_single_net(m));

	if (IS_ERR(tn))
		return PTR_ERR(tn);
	tw_stats_format(m, &tn->snap, jiffies);
	tw_netns_put_snapshot(tn);
	tw_counters_format(m, seq_file_single_net(m));
	return 0;
}

int tw_proc_init_net(struct net *net)
{
	if (!proc_create_net_single("tw_stats", 0444, net->proc_net,
				    tw_stats_show, NULL))
		return -ENOMEM;
	if (tw_drops_proc_init_net(net)) {
		remove_proc_entry("tw_stats", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void tw_proc_exit_net(struct net *net)
{
	tw_drops_proc_exit_net(net);
	remove_proc_entry("tw_stats", net->proc_net);
}
