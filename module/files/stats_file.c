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
#include "tw_stats_format.h"

/* The states `ss -tan` shows, by the names our state_<name> lines use. */
#define TW_STATE_NAME(state, name) \
	[TCP_##state] = #name,
static const char *const tw_state_names[TCP_MAX_STATES] = {
	TW_STATE_NAMES(TW_STATE_NAME)
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

	tw_stat_line(m, TW_STAT_TW_TOTAL, tw_summary_total(s));
	tw_stat_line(m, TW_STAT_TW_TIME_WAIT, s->tw_time_wait);
	tw_stat_line(m, TW_STAT_TW_FIN_WAIT2, s->tw_fin_wait2);
	tw_stat_line(m, TW_STAT_TW_IPV4, s->tw_ipv4);
	tw_stat_line(m, TW_STAT_TW_IPV6, s->tw_ipv6);
	tw_stat_line(m, TW_STAT_TW_OBJECT_BYTES, snap->tw_object_bytes);
	tw_stat_line(m, TW_STAT_TW_OBJECT_BYTES_IPV6, snap->tw_object_bytes_ipv6);
	tw_stat_line(m, TW_STAT_TW_MEMORY_BYTES, tw_snapshot_memory_bytes(snap));
	tw_stat_line(m, TW_STAT_TW_MAX_BUCKETS, snap->tw_max_buckets);
	for (i = 0; i < TW_EXPIRE_BINS; i++)
		seq_printf(m, TW_STAT_TW_EXPIRES_LE_PREFIX "%u"
			   TW_STAT_TW_EXPIRES_LE_SUFFIX " %llu\n",
			   tw_expire_bin_secs[i], tw_summary_expires_le(s, i));
	for (i = 0; i < TCP_MAX_STATES; i++)
		if (tw_state_names[i])
			seq_printf(m, TW_STAT_STATE_PREFIX "%s %llu\n",
				   tw_state_names[i], s->state[i]);
	tw_stat_line(m, TW_STAT_EPHEMERAL_LOW, snap->eph.low);
	tw_stat_line(m, TW_STAT_EPHEMERAL_HIGH, snap->eph.high);
	tw_stat_line(m, TW_STAT_EPHEMERAL_PORTS, snap->eph.ports);
	tw_stat_line(m, TW_STAT_EPHEMERAL_RESERVED, snap->eph.reserved);
	tw_stat_line(m, TW_STAT_EPHEMERAL_BOUND, snap->eph.bound);
	tw_stat_line(m, TW_STAT_EPHEMERAL_AVAILABLE, snap->eph.available);
	tw_stat_line(m, TW_STAT_EPHEMERAL_IN_USE, snap->eph.in_use);
	tw_stat_line(m, TW_STAT_PORTS_TW_ONLY, snap->ports_tw_only);
	tw_stat_line(m, TW_STAT_DESTINATIONS, snap->dests.destinations);
	tw_stat_line(m, TW_STAT_DESTINATION_MIN_HEADROOM, snap->dests.min_headroom);
	tw_stat_line(m, TW_STAT_DESTINATIONS_UNTRACKED, snap->dests.untracked_sockets);
	tw_stat_line(m, TW_STAT_EHASH_BUCKETS, snap->ehash_buckets);
	tw_stat_line(m, TW_STAT_BHASH_BUCKETS, snap->bhash_buckets);
	tw_stat_line(m, TW_STAT_WALK_BUCKETS, snap->cost.buckets);
	tw_stat_line(m, TW_STAT_WALK_SOCKETS, snap->cost.sockets);
	tw_stat_line(m, TW_STAT_WALK_RESTARTS, snap->cost.restarts);
	tw_stat_line(m, TW_STAT_WALK_LONG_CHAINS, snap->cost.long_chains);
	tw_stat_line(m, TW_STAT_WALK_NS, snap->cost.ns);
	tw_stat_line(m, TW_STAT_WALK_RESUMES, snap->cost.resumes);
	tw_stat_line(m, TW_STAT_WALK_RESUME_LOST, snap->cost.resume_lost);
	tw_stat_line(m, TW_STAT_CACHE_AGE_MS, time_after(now, snap->taken_at) ?
		     jiffies_to_msecs(now - snap->taken_at) : 0);
}
EXPORT_SYMBOL_IF_KUNIT(tw_stats_format);
