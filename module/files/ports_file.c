// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tw_ports: one row per local port with any socket, by port.
 * Columns are a contract: append, never reorder.
 */
#include <linux/export.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "snapshot.h"
#include "tw_proc.h"
#include "tw_stats_format.h"

void tw_port_row_format(struct seq_file *m, const struct tw_port_row *r)
{
	const struct tw_state_counts *c = &r->sockets;

	seq_printf(m, "%u %u %u %u %u %u %u %u ", r->port, c->tw, c->fin_wait2,
		   c->established, c->close_wait, c->other, c->listen,
		   !!(r->flags & TW_PORT_EXPLICIT));
	if (r->flags & TW_PORT_OWNERS_UNKNOWN)
		seq_puts(m, "-\n");
	else
		seq_printf(m, "%u\n", r->bind_owners);
}
EXPORT_SYMBOL_IF_KUNIT(tw_port_row_format);

static const void *tw_ports_row(const void *reading, loff_t pos)
{
	const struct tw_snapshot *snap = reading;

	return pos < snap->nr_ports ? &snap->ports[pos] : NULL;
}

static void tw_ports_show(struct seq_file *m, const void *reading,
			  const void *row)
{
	tw_port_row_format(m, row);
}

const struct tw_table_file tw_ports_file = {
	.name = TW_PROC_PORTS,
	.header = TW_TABLE_HEADER(TW_PORTS_COLUMNS),
	.row = tw_ports_row,
	.show = tw_ports_show,
};
