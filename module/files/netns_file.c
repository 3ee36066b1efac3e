// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tw_netns, in the initial netns only: one row per network
 * namespace that has any TCP socket, worst (least headroom) first, then
 * an "others" row that sums the rest.  Columns are a contract: append,
 * never reorder.
 */
#include <linux/capability.h>
#include <linux/export.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "allns.h"
#include "tw_proc.h"
#include "tw_stats_format.h"

/* The columns every row has, the others row included: tw to ephemeral_in_use. */
static void tw_netns_counts_format(struct seq_file *m, const struct tw_netns_row *r)
{
	const struct tw_state_counts *c = &r->sockets;

	seq_printf(m, " %u %u %u %u %u %u %u", c->tw, c->fin_wait2,
		   c->established, c->close_wait, c->other, c->listen,
		   r->ephemeral_in_use);
}

void tw_netns_row_format(struct seq_file *m, const struct tw_netns_row *r)
{
	seq_printf(m, "%u", r->inum);
	tw_netns_counts_format(m, r);
	seq_printf(m, " %u %u\n", r->min_headroom, r->private_ehash);
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_row_format);

void tw_netns_others_format(struct seq_file *m, const struct tw_netns_row *r)
{
	seq_puts(m, TW_OTHERS_ROW);
	tw_netns_counts_format(m, r);
	seq_puts(m, " - -\n");
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_others_format);

/*
 * Every namespace is read whichever netns the file was opened in; held
 * while the file is open, so counted toward what open files may pin.
 */
static void *tw_netns_take(struct net *net)
{
	return tw_allns_hold();
}

static void tw_netns_put(void *reading)
{
	tw_allns_unhold(reading);
}

/* Rows, then the others row at position nr. */
static const void *tw_netns_file_row(const void *reading, loff_t pos)
{
	const struct tw_allns *a = reading;

	if (pos < a->res.nr)
		return &a->res.rows[pos];
	if (pos == a->res.nr)
		return &a->res.others;
	return NULL;
}

static void tw_netns_show(struct seq_file *m, const void *reading,
			  const void *row)
{
	const struct tw_allns *a = reading;

	if (row == &a->res.others)
		tw_netns_others_format(m, row);
	else
		tw_netns_row_format(m, row);
}

const struct tw_table_file tw_netns_file = {
	.name = TW_PROC_NETNS,
	.header = TW_TABLE_HEADER(TW_NETNS_COLUMNS),
	/* every namespace's sockets: the host's administrator only */
	.open_cap = CAP_NET_ADMIN,
	.take = tw_netns_take,
	.put = tw_netns_put,
	.row = tw_netns_file_row,
	.show = tw_netns_show,
};
