// SPDX-License-Identifier: GPL-2.0
/*
 * tw_stats: exact, cheap TCP TIME_WAIT statistics per network namespace.
 * Module entry points: start the layers bottom up, stop them top down
 * (the parameters are in params.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "allns.h"
#include "drops.h"
#include "layers.h"
#include "netns.h"

static int __init tw_stats_init(void)
{
	int err;

	err = tw_netns_register();
	if (err) {
		pr_err("cannot register per-netns state: %d\n", err);
		goto err_netns;
	}
	/* the files read the per-netns state: after it */
	err = tw_files_register();
	if (err) {
		pr_err("cannot register per-netns files: %d\n", err);
		goto err_files;
	}
	/* after the per-netns state exists, which the probe writes to */
	tw_drops_register();
	return 0;

err_files:
	/* a reader of tw_netns may have left a reading in the cache */
	tw_allns_exit();
	tw_netns_unregister();
err_netns:
	return err;
}

static void __exit tw_stats_exit(void)
{
	/* no probe may run once the per-netns state is freed */
	tw_drops_unregister();
	tw_files_unregister();
	/* the file that shows it is gone: drop the cached reading */
	tw_allns_exit();
	tw_netns_unregister();
	/*
	 * The pernet exits free after a grace period (call_rcu()), not
	 * waiting for one: no RCU callback the module queued may run once
	 * its text and data are gone.
	 */
	rcu_barrier();
}

module_init(tw_stats_init);
module_exit(tw_stats_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exact TCP TIME_WAIT statistics per network namespace in /proc/net/tw_stats");
MODULE_VERSION("0.1.0");
