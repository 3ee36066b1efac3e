// SPDX-License-Identifier: GPL-2.0
/*
 * The module parameters: each a decimal number in a range, refused with
 * a message naming it when it is anything else, at load or later.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "dests.h"
#include "drops.h"
#include "netns.h"

unsigned int tw_cache_ms = 1000;
unsigned int tw_top_n = TW_TOP_N_DEFAULT;
unsigned int tw_drops_top_n = 64;

/* How much of a refused value the error message repeats. */
#define TW_PARAM_ECHO_MAX	32

/* A bounded unsigned parameter; kernel_param.arg points at one. */
struct tw_uint_param {
	unsigned int *value;
	unsigned int min, max;
	const char *unit;
};

static int tw_uint_param_set(const char *val, const struct kernel_param *kp)
{
	const struct tw_uint_param *p = kp->arg;
	unsigned int v;

	if (kstrtouint(val, 10, &v) || v < p->min || v > p->max) {
		/*
		 * Anyone with write access to the parameter picks what we
		 * print: a few escaped bytes of it, and not too often.
		 */
		pr_err_ratelimited("%s: '%*pE' is not a number of %s in %u..%u\n",
				   kp->name,
				   (int)min_t(size_t, strcspn(val, "\n"), TW_PARAM_ECHO_MAX),
				   val, p->unit, p->min, p->max);
		return -EINVAL;
	}
	WRITE_ONCE(*p->value, v);
	return 0;
}

static int tw_uint_param_get(char *buffer, const struct kernel_param *kp)
{
	const struct tw_uint_param *p = kp->arg;

	return sysfs_emit(buffer, "%u\n", READ_ONCE(*p->value));
}

static const struct kernel_param_ops tw_uint_param_ops = {
	.set = tw_uint_param_set,
	.get = tw_uint_param_get,
};

static struct tw_uint_param tw_cache_ms_param = {
	&tw_cache_ms, 0, TW_CACHE_MS_MAX, "milliseconds",
};
module_param_cb(cache_ms, &tw_uint_param_ops, &tw_cache_ms_param, 0644);
MODULE_PARM_DESC(cache_ms,
		 "How long, in ms, a reading is reused for further reads of the same netns (0..60000, 0 = walk on every read; default 1000)");

static struct tw_uint_param tw_top_n_param = {
	&tw_top_n, 1, TW_TOP_N_MAX, "rows",
};
module_param_cb(top_n, &tw_uint_param_ops, &tw_top_n_param, 0644);
MODULE_PARM_DESC(top_n,
		 "Destinations listed in /proc/net/tw_destinations, and namespaces in /proc/net/tw_netns, before the 'others' row (1..1024; default 64)");

static struct tw_uint_param tw_drops_top_n_param = {
	&tw_drops_top_n, 1, TW_DROPS_SLOTS, "rows",
};
module_param_cb(drops_top_n, &tw_uint_param_ops, &tw_drops_top_n_param, 0644);
MODULE_PARM_DESC(drops_top_n,
		 "Rows (remote, reason) that /proc/net/tw_drops shows before its 'others' row (1..128; default 64)");
