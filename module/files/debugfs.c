// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/tw_stats/<netns inode>/: the established hash's chain
 * lengths (hash quality), the cost of recent walks, the module's own
 * memory, the count-only floor walk (make bench), and the per-netns
 * tunables top_n and cache_ms; /sys/kernel/debug/tw_stats/all_netns_walk:
 * what the latest reading of /proc/net/tw_netns cost.  debugfs is optional: when it is missing
 * every call here quietly does nothing.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "allns.h"
#include "dests.h"
#include "nat.h"
#include "netns.h"
#include "shared_walk.h"
#include "snapshot.h"

#include "debugfs.h"
#include "tw_stats_format.h"

static struct dentry *tw_debugfs_root;

/* The netns a file belongs to is its inode's private data. */
static struct net *tw_debugfs_net(struct seq_file *m)
{
	return m->private;
}

static int tw_chain_lengths_show(struct seq_file *m, void *v)
{
	struct tw_snapshot *snap = tw_netns_snapshot(tw_debugfs_net(m));
	unsigned int len;

	if (IS_ERR(snap))
		return PTR_ERR(snap);
	/* the last row, TW_CHAIN_LEN_MAX, counts that length and longer */
	seq_printf(m, "%s\n", TW_TABLE_HEADER(TW_CHAINS_COLUMNS));
	for (len = 0; len <= TW_CHAIN_LEN_MAX; len++)
		seq_printf(m, "%u %u\n", len, snap->chain_lengths[len]);
	tw_snapshot_put(snap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_chain_lengths);

static const struct tw_walk_log *tw_walk_log_nth(const struct tw_netns *tn,
						 unsigned int newest)
{
	const struct tw_walk_log *log =
		&tn->history[(tn->history_next + TW_WALK_HISTORY - 1 - newest) %
			     TW_WALK_HISTORY];

	return log->taken_at ? log : NULL;
}

/* The cost of the latest walk, as "name value" lines. */
static int tw_walk_cost_show(struct seq_file *m, void *v)
{
	struct tw_netns *tn = tw_netns(tw_debugfs_net(m));
	const struct tw_walk_log *log;

	if (mutex_lock_killable(&tn->cache.lock))
		return -EINTR;
	seq_printf(m, TW_WALK_COST_WALKS " %llu\n", tn->walks);
	log = tw_walk_log_nth(tn, 0);
	if (log) {
		seq_printf(m, TW_WALK_COST_AGE_MS " %u\n",
			   jiffies_to_msecs(jiffies - log->taken_at));
		seq_printf(m, TW_WALK_COST_BUCKETS " %llu\n", log->cost.buckets);
		seq_printf(m, TW_WALK_COST_SOCKETS " %llu\n", log->cost.sockets);
		seq_printf(m, TW_WALK_COST_RESTARTS " %llu\n", log->cost.restarts);
		seq_printf(m, TW_WALK_COST_LONG_CHAINS " %llu\n", log->cost.long_chains);
		seq_printf(m, TW_WALK_COST_NS " %llu\n", log->cost.ns);
		seq_printf(m, TW_WALK_COST_RESUMES " %llu\n", log->cost.resumes);
		seq_printf(m, TW_WALK_COST_RESUME_LOST " %llu\n",
			   log->cost.resume_lost);
		seq_printf(m, TW_WALK_COST_SECTION_MAX " %llu\n",
			   log->cost.section_max);
	}
	mutex_unlock(&tn->cache.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_walk_cost);

/* The last TW_WALK_HISTORY walks, newest first. */
static int tw_walk_history_show(struct seq_file *m, void *v)
{
	struct tw_netns *tn = tw_netns(tw_debugfs_net(m));
	const struct tw_walk_log *log;
	unsigned int i;

	if (mutex_lock_killable(&tn->cache.lock))
		return -EINTR;
	seq_printf(m, "%s\n", TW_TABLE_HEADER(TW_WALK_HISTORY_COLUMNS));
	for (i = 0; i < TW_WALK_HISTORY && (log = tw_walk_log_nth(tn, i)); i++)
		seq_printf(m, "%u %llu %llu %llu %llu %llu %llu\n",
			   jiffies_to_msecs(jiffies - log->taken_at),
			   log->cost.buckets, log->cost.sockets,
			   log->cost.restarts, log->cost.long_chains,
			   log->cost.ns, log->cpu_ns);
	mutex_unlock(&tn->cache.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_walk_history);

static u64 tw_snapshot_held_bytes(const void *reading)
{
	return ((const struct tw_snapshot *)reading)->held_bytes;
}

/*
 * The memory tw_stats holds for this netns (the cached snapshot) and the
 * peak extra its walk took; both bounded by table sizes, not sockets.
 * Then every snapshot alive for it, open files' included: bounded in
 * number (reading_cache.h).
 */
static int tw_memory_show(struct seq_file *m, void *v)
{
	struct tw_netns *tn = tw_netns(tw_debugfs_net(m));
	const struct tw_snapshot *snap;
	unsigned int live;
	u64 live_bytes;

	if (mutex_lock_killable(&tn->cache.lock))
		return -EINTR;
	snap = tn->cache.latest;
	seq_printf(m, TW_MEMORY_SNAPSHOT_BYTES " %llu\n", snap ? snap->held_bytes : 0);
	seq_printf(m, TW_MEMORY_WALK_SCRATCH_BYTES " %llu\n", snap ? snap->scratch_bytes : 0);
	live = tw_reading_cache_live(&tn->cache, tw_snapshot_held_bytes, &live_bytes);
	seq_printf(m, TW_MEMORY_SNAPSHOTS_LIVE " %u\n", live);
	seq_printf(m, TW_MEMORY_SNAPSHOTS_LIVE_MAX " %u\n", TW_READINGS_LIVE_MAX);
	seq_printf(m, TW_MEMORY_SNAPSHOTS_LIVE_BYTES " %llu\n", live_bytes);
	mutex_unlock(&tn->cache.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_memory);

/* Where the time of the cached snapshot went: "name value" lines. */
static int tw_walk_phases_show(struct seq_file *m, void *v)
{
	struct tw_netns *tn = tw_netns(tw_debugfs_net(m));
	const struct tw_snapshot *snap;

	if (mutex_lock_killable(&tn->cache.lock))
		return -EINTR;
	snap = tn->cache.latest;
	if (snap) {
		const struct tw_snapshot_phases *p = &snap->phases;

		seq_printf(m, TW_PHASES_SOCKETS " %llu\n", snap->cost.sockets);
		seq_printf(m, TW_PHASES_BIND_NS " %llu\n", p->bind_ns);
		seq_printf(m, TW_PHASES_WALK_NS " %llu\n", p->walk_ns);
		seq_printf(m, TW_PHASES_SUMMARY_NS " %llu\n", p->summary_ns);
		seq_printf(m, TW_PHASES_PORTS_NS " %llu\n", p->ports_ns);
		seq_printf(m, TW_PHASES_DESTS_NS " %llu\n", p->dests_ns);
		seq_printf(m, TW_PHASES_CGROUPS_NS " %llu\n", p->cgroups_ns);
		seq_printf(m, TW_PHASES_REDUCE_NS " %llu\n", p->reduce_ns);
		seq_printf(m, TW_PHASES_TOTAL_NS " %llu\n", p->total_ns);
		seq_printf(m, TW_PHASES_CPU_NS " %llu\n", p->cpu_ns);
	}
	mutex_unlock(&tn->cache.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_walk_phases);

/*
 * Each read walks the hash tables again, only counting this netns's
 * timewait sockets: what a walk costs at the least (make bench compares
 * full reads with it).  Not cached, so root-only like everything here.
 */
static int tw_walk_floor_show(struct seq_file *m, void *v)
{
	struct tw_walk_floor f = { .net = tw_debugfs_net(m) };
	int err = tw_walk_floor(&f);

	if (err)
		return err;
	seq_printf(m, TW_WALK_FLOOR_TIMEWAIT " %llu\n", f.timewait);
	seq_printf(m, TW_WALK_FLOOR_TIME_WAIT " %llu\n", f.time_wait);
	seq_printf(m, TW_WALK_COST_BUCKETS " %llu\n", f.cost.buckets);
	seq_printf(m, TW_WALK_COST_SOCKETS " %llu\n", f.cost.sockets);
	seq_printf(m, TW_WALK_COST_RESTARTS " %llu\n", f.cost.restarts);
	seq_printf(m, TW_WALK_COST_NS " %llu\n", f.cost.ns);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_walk_floor);

/* Walks of the shared tables, host-wide: "name value" lines. */
static int tw_shared_walk_show(struct seq_file *m, void *v)
{
	struct tw_shared_walk_stats st;
	int err = tw_shared_walk_stats(&st);

	if (err)
		return err;
	seq_printf(m, TW_SHARED_WALKS " %llu\n", st.walks);
	seq_printf(m, TW_SHARED_GATHERING_WALKS " %llu\n", st.gathering_walks);
	seq_printf(m, TW_SHARED_ALONE_WALKS " %llu\n", st.alone_walks);
	seq_printf(m, TW_SHARED_NETNS_WALKS " %llu\n", st.netns_walks);
	seq_printf(m, TW_SHARED_GATHERED_READINGS " %llu\n", st.gathered_readings);
	seq_printf(m, TW_SHARED_OVERFLOWS " %llu\n", st.overflows);
	seq_printf(m, TW_SHARED_NAMESPACES " %u\n", st.namespaces);
	if (!st.last_at)
		return 0;
	seq_printf(m, TW_WALK_COST_AGE_MS " %u\n",
		   jiffies_to_msecs(jiffies - st.last_at));
	seq_printf(m, TW_WALK_COST_BUCKETS " %llu\n", st.last.buckets);
	seq_printf(m, TW_WALK_COST_SOCKETS " %llu\n", st.last.sockets);
	seq_printf(m, TW_WALK_COST_RESTARTS " %llu\n", st.last.restarts);
	seq_printf(m, TW_WALK_COST_LONG_CHAINS " %llu\n", st.last.long_chains);
	seq_printf(m, TW_WALK_COST_NS " %llu\n", st.last.ns);
	seq_printf(m, TW_SHARED_BIND_NS " %llu\n", st.last_bind_ns);
	seq_printf(m, TW_SHARED_CPU_NS " %llu\n", st.last_cpu_ns);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_shared_walk);

/* The NAT view's walks of conntrack's table, host-wide: "name value" lines. */
static int tw_nat_walk_show(struct seq_file *m, void *v)
{
	struct tw_nat_walk_stats st;

	tw_nat_walk_stats(&st);
	seq_printf(m, TW_NAT_WALK_WALKS " %llu\n", st.walks);
	seq_printf(m, TW_NAT_WALK_SKIPPED_EMPTY " %llu\n", st.skipped_empty);
	if (!st.last_at)
		return 0;
	seq_printf(m, TW_WALK_COST_AGE_MS " %u\n",
		   jiffies_to_msecs(jiffies - st.last_at));
	seq_printf(m, TW_WALK_COST_BUCKETS " %llu\n", st.last_buckets);
	seq_printf(m, TW_NAT_WALK_ENTRIES " %llu\n", st.last_entries);
	seq_printf(m, TW_WALK_COST_NS " %llu\n", st.last_ns);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_nat_walk);

/* The latest reading of every namespace; only the header before the first. */
static int tw_all_netns_walk_show(struct seq_file *m, void *v)
{
	struct tw_allns_cost c;

	seq_printf(m, "%s\n", TW_TABLE_HEADER(TW_ALL_NETNS_WALK_COLUMNS));
	if (!tw_allns_last_cost(&c))
		return 0;
	seq_printf(m, "%u %u %u %llu %llu %llu %llu %llu %llu %llu %llu\n",
		   jiffies_to_msecs(jiffies - c.taken_at), c.namespaces,
		   c.private_walks, c.shared.buckets + c.private.buckets,
		   c.shared.sockets + c.private.sockets,
		   c.shared.restarts + c.private.restarts,
		   c.shared.long_chains + c.private.long_chains, c.setup_ns,
		   c.shared.ns, c.private.ns, c.total_ns);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tw_all_netns_walk);

/*
 * A tunable: reading shows the value in force; writing a number in
 * [min, max] sets this netns's own value, "default" returns to the module
 * parameter; anything else is -EINVAL and changes nothing.
 */
struct tw_tunable {
	const char *name;
	size_t offset;			/* in struct tw_netns */
	unsigned int min, max;
	unsigned int (*get)(const struct tw_netns *tn);
};

static const struct tw_tunable tw_tunables[] = {
	{ TW_DEBUGFS_CACHE_MS, offsetof(struct tw_netns, cache_ms), 0, TW_CACHE_MS_MAX,
	  tw_netns_cache_ms },
	{ TW_DEBUGFS_TOP_N, offsetof(struct tw_netns, top_n), 1, TW_TOP_N_MAX,
	  tw_netns_top_n },
};

static ssize_t tw_tunable_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	const struct tw_tunable_file *f = file_inode(file)->i_private;
	const struct tw_tunable *t = f->tunable;
	char text[16];
	int len;

	len = scnprintf(text, sizeof(text), "%u\n", t->get(tw_netns(f->net)));
	return simple_read_from_buffer(buf, count, ppos, text, len);
}

static ssize_t tw_tunable_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	const struct tw_tunable_file *f = file_inode(file)->i_private;
	const struct tw_tunable *t = f->tunable;
	unsigned int *slot = (void *)tw_netns(f->net) + t->offset;
	char text[16] = {};
	unsigned int v;

	if (*ppos || count == 0 || count >= sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, buf, count))
		return -EFAULT;
	if (sysfs_streq(text, TW_TUNABLE_RESET)) {
		WRITE_ONCE(*slot, TW_TUNABLE_DEFAULT);
		return count;
	}
	if (kstrtouint(text, 10, &v) || v < t->min || v > t->max)
		return -EINVAL;
	WRITE_ONCE(*slot, v);
	return count;
}

static const struct file_operations tw_tunable_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = tw_tunable_read,
	.write = tw_tunable_write,
	.llseek = default_llseek,
};

/*
 * time_visitors: Y makes walk_phases time each visitor (a profile's cost,
 * make bench).  Not debugfs_create_bool(): its write ignores what it
 * cannot parse and still reports success.
 */
static ssize_t tw_time_visitors_read(struct file *file, char __user *buf,
				     size_t count, loff_t *ppos)
{
	char text[3] = { READ_ONCE(tw_time_visitors) ? 'Y' : 'N', '\n' };

	return simple_read_from_buffer(buf, count, ppos, text, 2);
}

static ssize_t tw_time_visitors_write(struct file *file,
				      const char __user *buf, size_t count,
				      loff_t *ppos)
{
	bool on;
	int err;

	if (*ppos)
		return -EINVAL;
	err = kstrtobool_from_user(buf, count, &on);
	if (err)
		return err;
	WRITE_ONCE(tw_time_visitors, on);
	return count;
}

static const struct file_operations tw_time_visitors_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = tw_time_visitors_read,
	.write = tw_time_visitors_write,
	.llseek = default_llseek,
};

void tw_debugfs_init(void)
{
	tw_debugfs_root = debugfs_create_dir(TW_DEBUGFS_DIR, NULL);
	debugfs_create_file(TW_DEBUGFS_ALL_NETNS_WALK, 0400, tw_debugfs_root, NULL,
			    &tw_all_netns_walk_fops);
	debugfs_create_file(TW_DEBUGFS_SHARED_WALK, 0400, tw_debugfs_root, NULL,
			    &tw_shared_walk_fops);
	debugfs_create_file(TW_DEBUGFS_NAT_WALK, 0400, tw_debugfs_root, NULL,
			    &tw_nat_walk_fops);
	debugfs_create_file(TW_DEBUGFS_TIME_VISITORS, 0600, tw_debugfs_root,
			    NULL, &tw_time_visitors_fops);
}

void tw_debugfs_exit(void)
{
	debugfs_remove_recursive(tw_debugfs_root);
	tw_debugfs_root = NULL;
}

void tw_debugfs_init_net(struct net *net, struct tw_debugfs_net *dn)
{
	char name[16];
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(tw_tunables) != TW_NR_TUNABLES);
	dn->dir = NULL;
	if (IS_ERR_OR_NULL(tw_debugfs_root))
		return;
	snprintf(name, sizeof(name), "%u", net->ns.inum);
	dn->dir = debugfs_create_dir(name, tw_debugfs_root);
	if (IS_ERR(dn->dir))
		return;
	debugfs_create_file(TW_DEBUGFS_CHAINS, 0400, dn->dir, net,
			    &tw_chain_lengths_fops);
	debugfs_create_file(TW_DEBUGFS_WALK_COST, 0400, dn->dir, net,
			    &tw_walk_cost_fops);
	debugfs_create_file(TW_DEBUGFS_WALK_HISTORY, 0400, dn->dir, net,
			    &tw_walk_history_fops);
	debugfs_create_file(TW_DEBUGFS_WALK_FLOOR, 0400, dn->dir, net,
			    &tw_walk_floor_fops);
	debugfs_create_file(TW_DEBUGFS_MEMORY, 0400, dn->dir, net,
			    &tw_memory_fops);
	debugfs_create_file(TW_DEBUGFS_WALK_PHASES, 0400, dn->dir, net,
			    &tw_walk_phases_fops);
	for (i = 0; i < TW_NR_TUNABLES; i++) {
		struct tw_tunable_file *f = &dn->tunable_files[i];

		f->net = net;
		f->tunable = &tw_tunables[i];
		debugfs_create_file(tw_tunables[i].name, 0600, dn->dir, f,
				    &tw_tunable_fops);
	}
}

void tw_debugfs_exit_net(struct tw_debugfs_net *dn)
{
	debugfs_remove_recursive(dn->dir);
	dn->dir = NULL;
}
