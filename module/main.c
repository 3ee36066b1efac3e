// SPDX-License-Identifier: GPL-2.0
/*
 * tw_stats: exact, cheap TCP TIME_WAIT statistics per network namespace.
 * Module entry points (the parameters are in params.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>

#include "allns.h"
#include "debugfs.h"
#include "drops.h"
#include "netns.h"

static int __init tw_stats_init(void)
{
	int err;

	tw_debugfs_init();
	err = tw_netns_register();
	if (err) {
		pr_err("cannot register per-netns state: %d\n", err);
		tw_debugfs_exit();
		return err;
	}
	/* after the per-netns state exists, which the probe writes to */
	tw_drops_register();
	return 0;
}

static void __exit tw_stats_exit(void)
{
	/* no probe may run once the per-netns state is freed */
	tw_drops_unregister();
	tw_netns_unregister();
	tw_debugfs_exit();
	tw_allns_exit();
}

module_init(tw_stats_init);
module_exit(tw_stats_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exact TCP TIME_WAIT statistics per network namespace in /proc/net/tw_stats");
MODULE_VERSION("0.1.0");
