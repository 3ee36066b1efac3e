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

/*
 * One row: "port tw fin_wait2 established close_wait other listen
 * explicit bind_owners", bind_owners "-" when unknown.  Written number by
 * number (seq_put_decimal_ull()), not with seq_printf(): a reading can
 * have 65536 rows, and parsing a format string for each was most of what
 * a read of this file cost beyond the walk.
 */
void tw_port_row_format(struct seq_file *m, const struct tw_port_row *r)
{
	const struct tw_state_counts *c = &r->sockets;

	seq_put_decimal_ull(m, "", r->port);
	seq_put_decimal_ull(m, " ", c->tw);
	seq_put_decimal_ull(m, " ", c->fin_wait2);
	seq_put_decimal_ull(m, " ", c->established);
	seq_put_decimal_ull(m, " ", c->close_wait);
	seq_put_decimal_ull(m, " ", c->other);
	seq_put_decimal_ull(m, " ", c->listen);
	seq_put_decimal_ull(m, " ", !!(r->flags & TW_PORT_EXPLICIT));
	if (r->flags & TW_PORT_OWNERS_UNKNOWN) {
		seq_puts(m, " -\n");
		return;
	}
	seq_put_decimal_ull(m, " ", r->bind_owners);
	seq_putc(m, '\n');
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
