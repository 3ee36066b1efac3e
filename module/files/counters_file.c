// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-counter lines of /proc/net/tw_stats: the TIME_WAIT and PAWS
 * TcpExt counters (tcpext_*) and our drop counts per reason (drop_*),
 * read live at every read, never from the snapshot cache.
 */
#include <linux/ctype.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "drops.h"
#include "mib.h"
#include "tw_proc.h"
#include "tw_stats_format.h"

/**
 * tw_counter_name - a /proc/net/tw_stats name: @prefix, then @name in
 * lower case ("tcpext_" + "TWRecycled" = "tcpext_twrecycled")
 * @buf: where to write it
 * @len: size of @buf
 * @prefix: "tcpext_", "drop_" or ""
 * @name: the kernel's name
 *
 * Returns false, with @buf empty, if the result would not fit or would
 * contain a character the file's names may not have ([a-z0-9_]).
 */
bool tw_counter_name(char *buf, size_t len, const char *prefix,
		     const char *name)
{
	size_t plen = strlen(prefix), i;

	if (!len)
		return false;
	buf[0] = '\0';
	if (!name || !*name || plen + strlen(name) >= len)
		return false;
	memcpy(buf, prefix, plen);
	for (i = 0; name[i]; i++) {
		char c = tolower(name[i]);

		if (!islower(c) && !isdigit(c) && c != '_') {
			buf[0] = '\0';
			return false;
		}
		buf[plen + i] = c;
	}
	buf[plen + i] = '\0';
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(tw_counter_name);

void tw_counters_format(struct seq_file *m, struct net *net)
{
	u64 counts[TW_DROP_REASONS_MAX];
	char name[TW_COUNTER_NAME_MAX];
	unsigned int i, n;

	for (i = 0; i < tw_tcpext_nitems; i++) {
		const struct tw_mib_item *item = &tw_tcpext_items[i];

		if (tw_mib_present(item) &&
		    tw_counter_name(name, sizeof(name), TW_STAT_TCPEXT_PREFIX,
				    item->name))
			seq_printf(m, "%s %llu\n", name,
				   tw_mib_read(net, item->field));
	}

	if (!tw_drops_active())
		return;
	n = tw_drops_read_counts(net, counts);
	for (i = 0; i < n; i++)
		if (tw_counter_name(name, sizeof(name), TW_STAT_DROP_PREFIX,
				    tw_drop_reasons.name[i]))
			seq_printf(m, "%s %llu\n", name, counts[i]);
	/* which netns these were in is unknown: show them in the initial one */
	if (net_eq(net, &init_net))
		seq_printf(m, TW_STAT_DROP_UNATTRIBUTED " %llu\n",
			   tw_drops_unattributed());
	seq_printf(m, TW_STAT_DROPS_TABLE_BUSY " %llu\n",
		   tw_drops_read_busy(net));
}
