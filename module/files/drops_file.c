// SPDX-License-Identifier: GPL-2.0
/*
 * The text of /proc/net/tw_drops: which remote addresses this netns
 * dropped packets from for timestamp, PAWS and TIME_WAIT reasons (the
 * NATed-client symptom), most drops first, then an 'others' row.
 */
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "drops.h"
#include "tw_proc.h"
#include "tw_stats_format.h"
#include "reader_gfp.h"

/**
 * tw_drops_format - render a ranked table
 * @m: the file
 * @t: the table after tw_drop_table_rank(), most drops first
 * @reasons: names for the rows' reason indexes
 * @shown: rows to print (the top ones)
 * @others: the 'others' count tw_drop_table_rank() returned
 * @now: jiffies, for last_seconds_ago
 */
void tw_drops_format(struct seq_file *m, const struct tw_drop_table *t,
		     const struct tw_drop_reasons *reasons, unsigned int shown,
		     u64 others, unsigned long now)
{
	char reason[TW_COUNTER_NAME_MAX];
	unsigned int i;

	seq_printf(m, "%s\n", TW_TABLE_HEADER(TW_DROPS_COLUMNS));
	for (i = 0; i < min(shown, t->used); i++) {
		const struct tw_drop_row *row = &t->rows[i];
		unsigned long ago = 0;

		if (row->reason >= reasons->n ||
		    !tw_counter_name(reason, sizeof(reason), "",
				     reasons->name[row->reason]))
			continue;
		if (time_after(now, row->last_seen))
			ago = (now - row->last_seen) / HZ;
		if (row->family == AF_INET)
			seq_printf(m, "%pI4", &row->addr.s6_addr32[0]);
		else
			seq_printf(m, "%pI6c", &row->addr);
		seq_printf(m, " %s %llu %lu\n", reason, row->count, ago);
	}
	seq_printf(m, TW_OTHERS_ROW " - %llu -\n", others);
}
EXPORT_SYMBOL_IF_KUNIT(tw_drops_format);

/* The copy is sorted outside the lock the probe takes: it is 5 KiB. */
static int tw_drops_show(struct seq_file *m, void *v)
{
	struct tw_drop_table *copy = kzalloc(sizeof(*copy), TW_GFP_READER);
	unsigned int top_n = READ_ONCE(tw_drops_top_n);
	u64 others;

	if (!copy)
		return -ENOMEM;
	tw_drops_read_table(seq_file_single_net(m), copy);
	others = tw_drop_table_rank(copy, top_n);
	tw_drops_format(m, copy, &tw_drop_reasons, top_n, others, jiffies);
	kfree(copy);
	return 0;
}

int tw_drops_proc_init_net(struct net *net)
{
	if (!proc_create_net_single(TW_PROC_DROPS, 0444, net->proc_net,
				    tw_drops_show, NULL))
		return -ENOMEM;
	return 0;
}

void tw_drops_proc_exit_net(struct net *net)
{
	remove_proc_subtree(TW_PROC_DROPS, net->proc_net);
}
