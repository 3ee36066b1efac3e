// SPDX-License-Identifier: GPL-2.0
/*
 * tw_stats: exact, cheap TCP TIME_WAIT statistics per network namespace.
 * Module entry points and parameters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "allns.h"
#include "debugfs.h"
#include "dests.h"
#include "netns.h"

#define TW_CACHE_MS_MAX 60000

unsigned int tw_cache_ms = 1000;
unsigned int tw_top_n = TW_TOP_N_DEFAULT;

/*
 * A module parameter that must be a decimal number in [min, max]: reject
 * anything else, at load and when written later, and say why.
 */
struct tw_param_range {
	const char *name;
	const char *unit;
	unsigned int min, max;
};

static int tw_param_set_range(const char *val, const struct kernel_param *kp,
			      const struct tw_param_range *r)
{
	unsigned int v;

	if (kstrtouint(val, 10, &v) || v < r->min || v > r->max) {
		pr_err("%s: '%.*s' is not a number of %s in %u..%u\n",
		       r->name, (int)strcspn(val, "\n"), val, r->unit, r->min,
		       r->max);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static const struct tw_param_range tw_cache_ms_range = {
	"cache_ms", "milliseconds", 0, TW_CACHE_MS_MAX,
};

static int tw_cache_ms_set(const char *val, const struct kernel_param *kp)
{
	return tw_param_set_range(val, kp, &tw_cache_ms_range);
}

static const struct kernel_param_ops tw_cache_ms_ops = {
	.set = tw_cache_ms_set,
	.get = param_get_uint,
};

module_param_cb(cache_ms, &tw_cache_ms_ops, &tw_cache_ms, 0644);
MODULE_PARM_DESC(cache_ms,
		 "How long, in ms, a reading is reused for further reads of the same netns (0..60000, 0 = walk on every read; default 1000)");

static const struct tw_param_range tw_top_n_range = {
	"top_n", "rows", 1, TW_TOP_N_MAX,
};

static int tw_top_n_set(const char *val, const struct kernel_param *kp)
{
	return tw_param_set_range(val, kp, &tw_top_n_range);
}

static const struct kernel_param_ops tw_top_n_ops = {
	.set = tw_top_n_set,
	.get = param_get_uint,
};

module_param_cb(top_n, &tw_top_n_ops, &tw_top_n, 0644);
MODULE_PARM_DESC(top_n,
		 "Destinations listed in /proc/net/tw_destinations, and namespaces in /proc/net/tw_netns, before the 'others' row (1..1024; default 64)");

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
	return 0;
}

static void __exit tw_stats_exit(void)
{
	tw_netns_unregister();
	tw_debugfs_exit();
	tw_allns_exit();
}

module_init(tw_stats_init);
module_exit(tw_stats_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exact TCP TIME_WAIT statistics per network namespace in /proc/net/tw_stats");
MODULE_VERSION("0.1.0");
