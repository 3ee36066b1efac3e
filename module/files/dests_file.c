// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tw_destinations: the destinations holding local ephemeral
 * ports, worst (least headroom) first, then an "others" row that sums
 * the rest.  Columns are a contract: append, never reorder.
 */
#include <linux/export.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <kunit/visibility.h>

#include "snapshot.h"
#include "tw_proc.h"
#include "tw_stats_format.h"

static void tw_dest_key_format(struct seq_file *m, const struct tw_dest_key *k)
{
	if (k->family == AF_INET6)
		seq_printf(m, "%pI6c [%pI6c]:%u", &k->laddr.v6, &k->raddr.v6,
			   ntohs(k->rport));
	else
		seq_printf(m, "%pI4 %pI4:%u", &k->laddr.v4, &k->raddr.v4,
			   ntohs(k->rport));
}

void tw_dest_row_format(struct seq_file *m, const struct tw_dest_row *r)
{
	tw_dest_key_format(m, &r->key);
	seq_printf(m, " %u %u %u %u %u %u\n", r->tw, r->other, r->in_use,
		   r->reusable, r->headroom, r->conn_per_s);
}
EXPORT_SYMBOL_IF_KUNIT(tw_dest_row_format);

void tw_dest_others_format(struct seq_file *m, const struct tw_dest_row *r)
{
	seq_printf(m, TW_OTHERS_ROW " - %u %u %u %u - -\n", r->tw, r->other, r->in_use,
		   r->reusable);
}
EXPORT_SYMBOL_IF_KUNIT(tw_dest_others_format);

/* Rows, then the others row at position nr. */
static const void *tw_dests_row(const void *reading, loff_t pos)
{
	const struct tw_snapshot *snap = reading;

	if (pos < snap->dests.nr)
		return &snap->dests.rows[pos];
	if (pos == snap->dests.nr)
		return &snap->dests.others;
	return NULL;
}

static void tw_dests_show(struct seq_file *m, const void *reading,
			  const void *row)
{
	const struct tw_snapshot *snap = reading;

	if (row == &snap->dests.others)
		tw_dest_others_format(m, row);
	else
		tw_dest_row_format(m, row);
}

const struct tw_table_file tw_dests_file = {
	.name = TW_PROC_DESTS,
	.header = TW_TABLE_HEADER(TW_DESTS_COLUMNS),
	.row = tw_dests_row,
	.show = tw_dests_show,
};
