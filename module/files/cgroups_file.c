// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tw_cgroups: who holds the netns's full sockets, one row per
 * (cgroup v2, uid), worst (most CLOSE_WAIT, then most ESTABLISHED) first,
 * then an "others" row that sums the rest.  Columns are a contract:
 * append, never reorder.
 */
#include <linux/export.h>
#include <linux/seq_file.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>

#include "snapshot.h"
#include "tw_proc.h"
#include "tw_stats_format.h"

/* The columns every row has, the others row included: established on. */
static void tw_cgroup_counts_format(struct seq_file *m,
				    const struct tw_cgroup_counts *c)
{
	seq_printf(m, " %u %u %u %u %u %u %u", c->established, c->close_wait,
		   c->syn_sent, c->other, c->listen, c->tw_server,
		   c->ephemeral_in_use);
	if (c->close_wait)
		seq_printf(m, " %u\n", c->close_wait_idle_max_s);
	else
		seq_puts(m, " " TW_NO_VALUE "\n");
}

/*
 * The uid as the reader's user namespace sees it (the opener's, as
 * /proc/net/tcp and ss show it): rows are shared by every reader of the
 * snapshot, so the kernel's uid is kept and mapped only here.  A uid the
 * reader's namespace does not map shows as the overflow uid (65534).
 */
void tw_cgroup_row_format(struct seq_file *m, const struct tw_cgroup_row *r)
{
	seq_printf(m, "%llu %u", r->key.cgroup,
		   from_kuid_munged(seq_user_ns(m),
				    make_kuid(&init_user_ns, r->key.uid)));
	tw_cgroup_counts_format(m, &r->c);
}
EXPORT_SYMBOL_IF_KUNIT(tw_cgroup_row_format);

void tw_cgroup_others_format(struct seq_file *m,
			     const struct tw_cgroup_counts *c)
{
	seq_puts(m, TW_OTHERS_ROW " " TW_NO_VALUE);
	tw_cgroup_counts_format(m, c);
}
EXPORT_SYMBOL_IF_KUNIT(tw_cgroup_others_format);

/* Rows, then the others row at position nr. */
static const void *tw_cgroups_row(const void *reading, loff_t pos)
{
	const struct tw_snapshot *snap = reading;

	if (pos < snap->cgroups.nr)
		return &snap->cgroups.rows[pos];
	if (pos == snap->cgroups.nr)
		return &snap->cgroups.others;
	return NULL;
}

static void tw_cgroups_show(struct seq_file *m, const void *reading,
			    const void *row)
{
	const struct tw_snapshot *snap = reading;

	if (row == &snap->cgroups.others)
		tw_cgroup_others_format(m, row);
	else
		tw_cgroup_row_format(m, row);
}

const struct tw_table_file tw_cgroups_file = {
	.name = TW_PROC_CGROUPS,
	.header = TW_TABLE_HEADER(TW_CGROUPS_COLUMNS),
	.row = tw_cgroups_row,
	.show = tw_cgroups_show,
};
