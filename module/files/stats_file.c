// SPDX-License-Identifier: GPL-2.0
/*
 * The text of /proc/net/tw_stats: one "name value" line per statistic, in
 * the /proc/vmstat style.  Names are a contract: add, never rename.
 */
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/seq_file.h>
#include <net/tcp_states.h>
#include <kunit/visibility.h>

#include "snapshot.h"
#include "tw_proc.h"

/* The states `ss -tan` shows, by the names our state_<name> lines use. */
static const char *const tw_state_names[TCP_MAX_STATES] = {
	[TCP_ESTABLISHED] = "established",
	[TCP_SYN_SENT] = "syn_sent",
	[TCP_SYN_RECV] = "syn_recv",
	[TCP_FIN_WAIT1] = "fin_wait1",
	[TCP_FIN_WAIT2] = "fin_wait2",
	[TCP_CLOSE] = "close",
	[TCP_CLOSE_WAIT] = "close_wait",
	[TCP_LAST_ACK] = "last_ack",
	[TCP_LISTEN] = "listen",
	[TCP_CLOSING] = "closing",
};

/* Print one "name value" line. */
static void tw_stat_line(struct seq_file *m, const char *name, u64 value)
{
	seq_printf(m, "%s %llu\n", name, value);
}

void tw_stats_format(struct seq_file *m, const struct tw_snapshot *snap,
		     unsigned long now)
{
	const struct tw_summary *s = &snap->sum;
	unsigned int i;

	tw_stat_line(m, "tw_total", tw_summary_total(s));
	tw_stat_line(m, "tw_time_wait", s->tw_time_wait);
	tw_stat_line(m, "tw_fin_wait2", s->tw_fin_wait2);
	tw_stat_line(m, "tw_ipv4", s->tw_ipv4);
	tw_stat_line(m, "tw_ipv6", s->tw_ipv6);
	tw_stat_line(m, "tw_object_bytes", snap->tw_object_bytes);
	tw_stat_line(m, "tw_object_bytes_ipv6", snap->tw_object_bytes_ipv6);
	tw_stat_line(m, "tw_memory_bytes", tw_snapshot_memory_bytes(snap));
	tw_stat_line(m, "tw_max_buckets", snap->tw_max_buckets);
	for (i = 0; i < TW_EXPIRE_BINS; i++)
		seq_printf(m, "tw_expires_le_%us %llu\n", tw_expire_bin_secs[i],
			   tw_summary_expires_le(s, i));
	for (i = 0; i < TCP_MAX_STATES; i++)
		if (tw_state_names[i])
			seq_printf(m, "state_%s %llu\n", tw_state_names[i],
				   s->state[i]);
	tw_stat_line(m, "ephemeral_low", snap->eph.low);
	tw_stat_line(m, "ephemeral_high", snap->eph.high);
	tw_stat_line(m, "ephemeral_ports", snap->eph.ports);
	tw_stat_line(m, "ephemeral_reserved", snap->eph.reserved);
	tw_stat_line(m, "ephemeral_bound", snap->eph.bound);
	tw_stat_line(m, "ephemeral_available", snap->eph.available);
	tw_stat_line(m, "ephemeral_in_use", snap->eph.in_use);
	tw_stat_line(m, "ports_tw_only", snap->ports_tw_only);
	tw_stat_line(m, "destinations", snap->dests.destinations);
	tw_stat_line(m, "destination_min_headroom", snap->dests.min_headroom);
	tw_stat_line(m, "destinations_untracked_sockets", snap->dests.untracked_sockets);
	tw_stat_line(m, "ehash_buckets", snap->ehash_buckets);
	tw_stat_line(m, "bhash_buckets", snap->bhash_buckets);
	tw_stat_line(m, "walk_buckets", snap->cost.buckets);
	tw_stat_line(m, "walk_sockets", snap->cost.sockets);
	tw_stat_line(m, "walk_restarts", snap->cost.restarts);
	tw_stat_line(m, "walk_long_chains", snap->cost.long_chains);
	tw_stat_line(m, "walk_ns", snap->cost.ns);
	tw_stat_line(m, "cache_age_ms", time_after(now, snap->taken_at) ?
		     jiffies_to_msecs(now - snap->taken_at) : 0);
}
EXPORT_SYMBOL_IF_KUNIT(tw_stats_format);
