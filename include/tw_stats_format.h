/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file-format contract of tw_stats: the names of its files, the
 * columns of its tables and the names of its "name value" lines, in one
 * place that the module's printers and twstat's parsers both include, the
 * way ss and the kernel share <linux/inet_diag.h>.  docs/formats.md says
 * what each one means.
 *
 * Names and column orders are a promise to every reader: add at the end,
 * never rename, reorder or remove.  Only the preprocessor is used here,
 * so that kernel and user space can include it alike.
 */
#ifndef TW_STATS_FORMAT_H
#define TW_STATS_FORMAT_H

/* ---- files ---- */

/* In every network namespace's /proc/net. */
#define TW_PROC_STATS		"tw_stats"
#define TW_PROC_PORTS		"tw_ports"
#define TW_PROC_DESTS		"tw_destinations"
#define TW_PROC_DROPS		"tw_drops"
#define TW_PROC_CGROUPS		"tw_cgroups"
#define TW_PROC_NAT		"tw_nat"
/* In the initial namespace's /proc/net only, for root: every namespace. */
#define TW_PROC_NETNS		"tw_netns"

/* debugfs: TW_DEBUGFS_DIR, in it one folder per namespace (its inode number). */
#define TW_DEBUGFS_DIR		"tw_stats"
#define TW_DEBUGFS_ALL_NETNS_WALK "all_netns_walk"	/* in TW_DEBUGFS_DIR itself */
#define TW_DEBUGFS_SHARED_WALK	"shared_walk"		/* in TW_DEBUGFS_DIR itself */
#define TW_DEBUGFS_NAT_WALK	"nat_walk"		/* in TW_DEBUGFS_DIR itself */
#define TW_DEBUGFS_TIME_VISITORS "time_visitors"	/* in TW_DEBUGFS_DIR itself */
#define TW_DEBUGFS_CHAINS	"chain_lengths"
#define TW_DEBUGFS_WALK_COST	"walk_cost"
#define TW_DEBUGFS_WALK_HISTORY	"walk_history"
#define TW_DEBUGFS_WALK_FLOOR	"walk_floor"
#define TW_DEBUGFS_MEMORY	"memory"
#define TW_DEBUGFS_WALK_PHASES	"walk_phases"
#define TW_DEBUGFS_CACHE_MS	"cache_ms"		/* a namespace's tunables */
#define TW_DEBUGFS_TOP_N	"top_n"
/* What a tunable file takes to drop the namespace's own value. */
#define TW_TUNABLE_RESET	"default"

/* ---- table files: a header line of column names, then rows ---- */

/*
 * Each table is a list COLS(COL): COL(name, kind, presence) per column, in
 * order.  kind says what a cell looks like, for parsers:
 *   NUM		an unsigned decimal
 *   NUM_OR_NONE	an unsigned decimal, or "-" where there is none
 *   PORT		0..65535
 *   ADDR		an address: 127.0.0.1 or ::1
 *   ENDPOINT		an address and port: 1.2.3.4:80 or [::1]:80
 *   HOST		ADDR or ENDPOINT
 *   NAME		[a-z0-9_]+
 * presence: ALWAYS for a column every version has printed, ADDED for one a
 * later version appended (a reader of an older file finds it missing).
 * A table marked with TW_TABLE_OTHERS ends with a row whose first cell is
 * TW_OTHERS_ROW, summing the rows the bound left out.
 */
#define TW_OTHERS_ROW		"others"
#define TW_NO_VALUE		"-"

#define TW_PORTS_COLUMNS(COL)				\
	COL(port, PORT, ALWAYS)				\
	COL(tw, NUM, ALWAYS)				\
	COL(fin_wait2, NUM, ADDED)			\
	COL(established, NUM, ADDED)			\
	COL(close_wait, NUM, ADDED)			\
	COL(other, NUM, ADDED)				\
	COL(listen, NUM, ADDED)				\
	COL(bind_explicit, NUM, ADDED)			\
	COL(bind_owners, NUM_OR_NONE, ADDED)

#define TW_DESTS_COLUMNS(COL)				\
	COL(local, ADDR, ALWAYS)			\
	COL(remote, ENDPOINT, ALWAYS)			\
	COL(tw, NUM, ALWAYS)				\
	COL(other, NUM, ADDED)				\
	COL(in_use, NUM, ALWAYS)			\
	COL(reusable, NUM, ADDED)			\
	COL(headroom, NUM, ALWAYS)			\
	COL(conn_per_s, NUM, ADDED)

#define TW_DROPS_COLUMNS(COL)				\
	COL(remote, HOST, ALWAYS)			\
	COL(reason, NAME, ALWAYS)			\
	COL(count, NUM, ALWAYS)				\
	COL(last_seconds_ago, NUM, ADDED)

/* The per-state columns tw_netns shares with tw_ports's after "port". */
#define TW_NETNS_COLUMNS(COL)				\
	COL(netns, NUM, ALWAYS)				\
	COL(tw, NUM, ALWAYS)				\
	COL(fin_wait2, NUM, ADDED)			\
	COL(established, NUM, ADDED)			\
	COL(close_wait, NUM, ADDED)			\
	COL(other, NUM, ADDED)				\
	COL(listen, NUM, ADDED)				\
	COL(ephemeral_in_use, NUM, ADDED)		\
	COL(min_headroom, NUM_OR_NONE, ADDED)		\
	COL(private_ehash, NUM, ADDED)

/*
 * Who holds the full sockets: one row per (cgroup v2 id, uid), worst
 * first.  close_wait_idle_max_s is "-" in a row without CLOSE_WAIT.
 */
#define TW_CGROUPS_COLUMNS(COL)				\
	COL(cgroup, NUM, ALWAYS)			\
	COL(uid, NUM, ALWAYS)				\
	COL(established, NUM, ALWAYS)			\
	COL(close_wait, NUM, ALWAYS)			\
	COL(syn_sent, NUM, ALWAYS)			\
	COL(other, NUM, ALWAYS)				\
	COL(listen, NUM, ALWAYS)			\
	COL(tw_server, NUM, ALWAYS)			\
	COL(ephemeral_in_use, NUM, ALWAYS)		\
	COL(close_wait_idle_max_s, NUM_OR_NONE, ALWAYS)

/*
 * The NAT's view: one row per (protocol, translated source address,
 * destination) of the namespace's source-NATed conntrack flows, least
 * headroom first, then the others row ("others - -" and the sums, "-" in
 * the port and headroom cells).  port_min, port_max and headroom are "-"
 * where the module cannot know the range the NAT picks ports from.
 * While the view is inactive (nf_conntrack not loaded, or a kernel built
 * without it) the header is followed by one line starting with
 * TW_NAT_INACTIVE_PREFIX that says why, and no rows.
 */
#define TW_NAT_COLUMNS(COL)				\
	COL(proto, NAME, ALWAYS)			\
	COL(source, ADDR, ALWAYS)			\
	COL(destination, ENDPOINT, ALWAYS)		\
	COL(flows, NUM, ALWAYS)				\
	COL(time_wait, NUM, ALWAYS)			\
	COL(close_wait, NUM, ALWAYS)			\
	COL(established, NUM, ALWAYS)			\
	COL(other, NUM, ALWAYS)				\
	COL(port_min, NUM_OR_NONE, ALWAYS)		\
	COL(port_max, NUM_OR_NONE, ALWAYS)		\
	COL(headroom, NUM_OR_NONE, ALWAYS)
#define TW_NAT_INACTIVE_PREFIX	"# inactive: "

/* debugfs chain_lengths: buckets per chain length, the last one "or more" */
#define TW_CHAINS_COLUMNS(COL)				\
	COL(length, NUM, ALWAYS)			\
	COL(buckets, NUM, ALWAYS)

/*
 * debugfs walk_history: the namespace's last walks, newest first; cpu_ns,
 * what each reading cost its reader, decides how long it was served
 */
#define TW_WALK_HISTORY_COLUMNS(COL)			\
	COL(age_ms, NUM, ALWAYS)			\
	COL(buckets, NUM, ALWAYS)			\
	COL(sockets, NUM, ALWAYS)			\
	COL(restarts, NUM, ALWAYS)			\
	COL(long_chains, NUM, ALWAYS)			\
	COL(ns, NUM, ALWAYS)				\
	COL(cpu_ns, NUM, ALWAYS)

/* debugfs all_netns_walk: the walks that read every namespace at once */
#define TW_ALL_NETNS_WALK_COLUMNS(COL)			\
	COL(age_ms, NUM, ALWAYS)			\
	COL(namespaces, NUM, ALWAYS)			\
	COL(private_walks, NUM, ALWAYS)			\
	COL(buckets, NUM, ALWAYS)			\
	COL(sockets, NUM, ALWAYS)			\
	COL(restarts, NUM, ALWAYS)			\
	COL(long_chains, NUM, ALWAYS)			\
	COL(setup_ns, NUM, ALWAYS)			\
	COL(walk_ns, NUM, ALWAYS)			\
	COL(private_walk_ns, NUM, ALWAYS)		\
	COL(total_ns, NUM, ALWAYS)

/*
 * A table's header line from its list: each name with a space before it,
 * joined by the compiler, and the first space skipped.
 */
#define TW_COLUMN_WORD(name, kind, presence)	" " #name
#define TW_TABLE_HEADER(COLS)	(COLS(TW_COLUMN_WORD) + 1)

/* ---- "name value" files: one line per value, /proc/vmstat style ---- */

/* /proc/net/tw_stats, in the order it prints them. */
#define TW_STAT_TW_TOTAL		"tw_total"
#define TW_STAT_TW_TIME_WAIT		"tw_time_wait"
#define TW_STAT_TW_FIN_WAIT2		"tw_fin_wait2"
#define TW_STAT_TW_IPV4			"tw_ipv4"
#define TW_STAT_TW_IPV6			"tw_ipv6"
#define TW_STAT_TW_OBJECT_BYTES		"tw_object_bytes"
#define TW_STAT_TW_OBJECT_BYTES_IPV6	"tw_object_bytes_ipv6"
#define TW_STAT_TW_MEMORY_BYTES		"tw_memory_bytes"
#define TW_STAT_TW_MAX_BUCKETS		"tw_max_buckets"
/* tw_expires_le_<N>s: timewait sockets with at most N seconds left */
#define TW_STAT_TW_EXPIRES_LE_PREFIX	"tw_expires_le_"
#define TW_STAT_TW_EXPIRES_LE_SUFFIX	"s"
/* state_<name>: full sockets per state, the names of TW_STATE_NAMES */
#define TW_STAT_STATE_PREFIX		"state_"
#define TW_STAT_EPHEMERAL_LOW		"ephemeral_low"
#define TW_STAT_EPHEMERAL_HIGH		"ephemeral_high"
#define TW_STAT_EPHEMERAL_PORTS		"ephemeral_ports"
#define TW_STAT_EPHEMERAL_RESERVED	"ephemeral_reserved"
#define TW_STAT_EPHEMERAL_BOUND		"ephemeral_bound"
#define TW_STAT_EPHEMERAL_AVAILABLE	"ephemeral_available"
#define TW_STAT_EPHEMERAL_IN_USE	"ephemeral_in_use"
#define TW_STAT_PORTS_TW_ONLY		"ports_tw_only"
#define TW_STAT_DESTINATIONS		"destinations"
#define TW_STAT_DESTINATION_MIN_HEADROOM "destination_min_headroom"
#define TW_STAT_DESTINATIONS_UNTRACKED	"destinations_untracked_sockets"
#define TW_STAT_EHASH_BUCKETS		"ehash_buckets"
#define TW_STAT_BHASH_BUCKETS		"bhash_buckets"
#define TW_STAT_WALK_BUCKETS		"walk_buckets"
#define TW_STAT_WALK_SOCKETS		"walk_sockets"
#define TW_STAT_WALK_RESTARTS		"walk_restarts"
#define TW_STAT_WALK_LONG_CHAINS	"walk_long_chains"
#define TW_STAT_WALK_NS			"walk_ns"
#define TW_STAT_WALK_RESUMES		"walk_resumes"
#define TW_STAT_WALK_RESUME_LOST	"walk_resume_lost"
#define TW_STAT_CACHE_AGE_MS		"cache_age_ms"
/*
 * Then the kernel's own counters, named after the kernel's names in lower
 * case: tcpext_<TcpExt name> (as nstat shows them), drop_<drop reason>,
 * and in the initial namespace drop_unattributed.
 */
#define TW_STAT_TCPEXT_PREFIX		"tcpext_"
#define TW_STAT_DROP_PREFIX		"drop_"
#define TW_STAT_DROP_UNATTRIBUTED	"drop_unattributed"
/*
 * Last, in every namespace: drops the drop_* lines count whose remote got
 * no row in /proc/net/tw_drops because its table was busy (they are in
 * its 'others').  Not drop_*: it is not a reason, and not more drops.
 */
#define TW_STAT_DROPS_TABLE_BUSY	"drops_table_busy"
/*
 * Then the NAT's view of the namespace (tw_nat summed): nat_active is 1
 * while the view works, 0 while it is inactive; the other nat_ and the
 * conntrack_ lines are printed only while it is active.
 * nat_min_headroom is NUM_OR_NONE.  conntrack_*: the namespace's
 * conntrack statistics summed over CPUs, as `conntrack -S` shows them.
 */
#define TW_STAT_NAT_ACTIVE		"nat_active"
#define TW_STAT_NAT_FLOWS		"nat_flows"
#define TW_STAT_NAT_TIME_WAIT		"nat_time_wait"
#define TW_STAT_NAT_MIN_HEADROOM	"nat_min_headroom"
#define TW_STAT_NAT_UNTRACKED_FLOWS	"nat_untracked_flows"
#define TW_STAT_CONNTRACK_INSERT_FAILED	"conntrack_insert_failed"
#define TW_STAT_CONNTRACK_DROP		"conntrack_drop"
#define TW_STAT_CONNTRACK_EARLY_DROP	"conntrack_early_drop"

/*
 * The state_<name> lines: STATE(TCP state constant without its TCP_
 * prefix, name), in the order of the kernel's TCP states (TIME_WAIT has
 * the tw_* lines instead).  User space has the same constants in
 * <netinet/tcp.h>.
 */
#define TW_STATE_NAMES(STATE)				\
	STATE(ESTABLISHED, established)			\
	STATE(SYN_SENT, syn_sent)			\
	STATE(SYN_RECV, syn_recv)			\
	STATE(FIN_WAIT1, fin_wait1)			\
	STATE(FIN_WAIT2, fin_wait2)			\
	STATE(CLOSE, close)				\
	STATE(CLOSE_WAIT, close_wait)			\
	STATE(LAST_ACK, last_ack)			\
	STATE(LISTEN, listen)				\
	STATE(CLOSING, closing)

/* debugfs walk_cost: the namespace's walks, then the last one's cost */
#define TW_WALK_COST_WALKS		"walks"
#define TW_WALK_COST_AGE_MS		"age_ms"
#define TW_WALK_COST_BUCKETS		"buckets"
#define TW_WALK_COST_SOCKETS		"sockets"
#define TW_WALK_COST_RESTARTS		"restarts"
#define TW_WALK_COST_LONG_CHAINS	"long_chains"
#define TW_WALK_COST_NS			"ns"
#define TW_WALK_COST_RESUMES		"resumes"
#define TW_WALK_COST_RESUME_LOST	"resume_lost"
#define TW_WALK_COST_SECTION_MAX	"max_section_sockets"

/* debugfs walk_floor: a count-only walk of the same tables */
#define TW_WALK_FLOOR_TIMEWAIT		"timewait"
#define TW_WALK_FLOOR_TIME_WAIT		"time_wait"

/*
 * debugfs shared_walk: walks of the tables all namespaces share, host-wide
 * (every kind, then by kind), readings served by a gathering walk, places
 * outgrown, namespaces holding a place, then the latest gathering walk's
 * cost with the TW_WALK_COST_ names (every namespace's sockets) and its
 * bind hash part
 */
#define TW_SHARED_WALKS			"walks"
#define TW_SHARED_GATHERING_WALKS	"gathering_walks"
#define TW_SHARED_ALONE_WALKS		"alone_walks"
#define TW_SHARED_NETNS_WALKS		"netns_walks"
#define TW_SHARED_GATHERED_READINGS	"gathered_readings"
#define TW_SHARED_OVERFLOWS		"overflows"
#define TW_SHARED_NAMESPACES		"namespaces"
#define TW_SHARED_BIND_NS		"bind_ns"
/* the CPU time it cost its reader: its records are served for 10x that */
#define TW_SHARED_CPU_NS		"cpu_ns"

/*
 * debugfs nat_walk: the NAT view's walks of conntrack's table, host-wide,
 * and the readings that needed none (their namespace had no conntrack
 * entry), then the latest walk's cost: TW_WALK_COST_AGE_MS,
 * TW_WALK_COST_BUCKETS, TW_NAT_WALK_ENTRIES and TW_WALK_COST_NS
 */
#define TW_NAT_WALK_WALKS		"walks"
#define TW_NAT_WALK_SKIPPED_EMPTY	"skipped_empty"
#define TW_NAT_WALK_ENTRIES		"entries"

/*
 * debugfs walk_phases: where the latest snapshot's time went, in ns (the
 * sockets it counted, then its phases; make bench's per-socket profile)
 */
#define TW_PHASES_SOCKETS		"sockets"
#define TW_PHASES_BIND_NS		"bind_ns"
#define TW_PHASES_WALK_NS		"walk_ns"
#define TW_PHASES_SUMMARY_NS		"summary_ns"
#define TW_PHASES_PORTS_NS		"ports_ns"
#define TW_PHASES_DESTS_NS		"dests_ns"
#define TW_PHASES_CGROUPS_NS		"cgroups_ns"
#define TW_PHASES_REDUCE_NS		"reduce_ns"
#define TW_PHASES_TOTAL_NS		"total_ns"
/* the CPU time the reading cost its reader: it is served for 10x that */
#define TW_PHASES_CPU_NS		"cpu_ns"

/* debugfs memory: what the module holds for the namespace */
#define TW_MEMORY_SNAPSHOT_BYTES	"snapshot_bytes"
#define TW_MEMORY_WALK_SCRATCH_BYTES	"walk_scratch_bytes"
/*
 * Snapshots alive for the namespace: the cached one and those its open
 * table files hold; at most snapshots_live_max; their snapshot_bytes summed.
 */
#define TW_MEMORY_SNAPSHOTS_LIVE	"snapshots_live"
#define TW_MEMORY_SNAPSHOTS_LIVE_MAX	"snapshots_live_max"
#define TW_MEMORY_SNAPSHOTS_LIVE_BYTES	"snapshots_live_bytes"

#endif /* TW_STATS_FORMAT_H */
