// SPDX-License-Identifier: GPL-2.0
/*
 * tw_stats: exact, cheap TCP TIME_WAIT statistics per network namespace.
 * Module entry points and parameters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "drops.h"
#include "netns.h"

#define TW_CACHE_MS_MAX 60000

unsigned int tw_cache_ms = 1000;

/* Reject what is not a number in 0..TW_CACHE_MS_MAX, at load and later. */
static int tw_cache_ms_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int err;

	err = kstrtouint(val, 0, &ms);
	if (err || ms > TW_CACHE_MS_MAX) {
		pr_err("cache_ms: '%s' is not a number of milliseconds in 0..%u\n",
		       val, TW_CACHE_MS_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, ms);
	return 0;
}

static const struct kernel_param_ops tw_cache_ms_ops = {
	.set = tw_cache_ms_set,
	.get = param_get_uint,
};

module_param_cb(cache_ms, &tw_cache_ms_ops, &tw_cache_ms, 0644);
MODULE_PARM_DESC(cache_ms,
		 "How long, in ms, a reading is reused for further reads of the same netns (0..60000, 0 = walk on every read; default 1000)");

static int __init tw_stats_init(void)
{
	int err;

	err = tw_netns_register();
	if (err) {
		pr_err("cannot register per-netns state: %d\n", err);
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
}

module_init(tw_stats_init);
module_exit(tw_stats_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exact TCP TIME_WAIT statistics per network namespace in /proc/net/tw_stats");
MODULE_VERSION("0.1.0");
