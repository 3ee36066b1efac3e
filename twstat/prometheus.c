// SPDX-License-Identifier: GPL-2.0
/*
 * twstat --prometheus: the text exposition format for node_exporter's
 * textfile collector.  Base units, _total only on counters, HELP and
 * TYPE on every family, no timestamps, and per-port/destination/remote
 * series capped at the top N plus one "other" series so that a busy host
 * cannot blow up the scraper's label sets.  Names are listed in docs/prometheus.md.
 * This file writes the samples and the families from tw_stats;
 * prometheus_tables.c those from the table files.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prometheus.h"
#include "reading.h"
#include "util.h"
#include "tw_stats_format.h"

void prom_family(struct prom *p, const char *name, const char *type,
		 const char *help)
{
	fprintf(p->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Label values come from files: escape what the format requires. */
static void prom_label(FILE *f, const char *key, const char *value)
{
	fprintf(f, ",%s=\"", key);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fputc('\\', f);
		if (*value == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*value, f);
	}
	fputc('"', f);
}

void prom_sample(struct prom *p, const char *name, const char *value,
		 const char *const *labels)
{
	fprintf(p->f, "%s{netns=\"%s\"", name, p->netns);
	for (; labels && labels[0]; labels += 2)
		prom_label(p->f, labels[0], labels[1]);
	fprintf(p->f, "} %s\n", value);
}

void prom_sample_u64(struct prom *p, const char *name, uint64_t v,
		     const char *const *labels)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	prom_sample(p, name, buf, labels);
}

/* Exact decimal seconds: no float rounding for a counter-like value. */
bool prom_value(const struct prom *p, char *buf, size_t len, uint64_t v,
		enum prom_unit u)
{
	uint64_t now_ms = p->s->time_ns / 1000000ULL, ms;

	switch (u) {
	case U_ONE:
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return true;
	case U_NS:
		snprintf(buf, len, "%llu.%09llu",
			 (unsigned long long)(v / 1000000000ULL),
			 (unsigned long long)(v % 1000000000ULL));
		return true;
	case U_AGE_MS:
	case U_AGE_S:
		if (u == U_AGE_S && v > UINT64_MAX / 1000)
			return false;
		ms = u == U_AGE_S ? v * 1000 : v;
		if (!p->s->time_ns || ms > now_ms)
			return false;
		snprintf(buf, len, "%llu.%03llu",
			 (unsigned long long)((now_ms - ms) / 1000),
			 (unsigned long long)((now_ms - ms) % 1000));
		return true;
	}
	return false;
}

/* A tw_stats line that becomes one series of a family. */
struct stat_series {
	const char *stat;
	const char *label_key, *label_value;	/* or NULL */
};

struct stat_family {
	const char *metric, *type, *help;
	enum prom_unit unit;
	struct stat_series series[3];
};

/*
 * The tw_stats lines with a family of their own, in the order the module
 * prints them.  The walk_* ones describe the walk the numbers come from.
 */
static const struct stat_family stat_families[] = {
	{ "tw_stats_timewait_sockets", "gauge",
	  "Timewait sockets by substate (FIN_WAIT2: orphans handed to the timewait code); the sum is tw_total.",
	  U_ONE, { { TW_STAT_TW_TIME_WAIT, "substate", "time_wait" },
		   { TW_STAT_TW_FIN_WAIT2, "substate", "fin_wait2" } } },
	/* not crossed with substate by the module: a family of its own */
	{ "tw_stats_timewait_ip_sockets", "gauge",
	  "Timewait sockets by IP family (IPv4-mapped IPv6 ones are ipv6); the sum is tw_total.",
	  U_ONE, { { TW_STAT_TW_IPV4, "family", "ipv4" },
		   { TW_STAT_TW_IPV6, "family", "ipv6" } } },
	{ "tw_stats_timewait_object_size_bytes", "gauge",
	  "Size of one timewait socket object (kmem_cache_size of its slab).",
	  U_ONE, { { TW_STAT_TW_OBJECT_BYTES, "family", "ipv4" },
		   { TW_STAT_TW_OBJECT_BYTES_IPV6, "family", "ipv6" } } },
	{ "tw_stats_timewait_memory_bytes", "gauge",
	  "Memory held by timewait socket objects.",
	  U_ONE, { { .stat = TW_STAT_TW_MEMORY_BYTES } } },
	{ "tw_stats_max_tw_buckets", "gauge",
	  "net.ipv4.tcp_max_tw_buckets: timewait sockets beyond it are not created.",
	  U_ONE, { { .stat = TW_STAT_TW_MAX_BUCKETS } } },
	{ "tw_stats_ehash_buckets", "gauge",
	  "Buckets of the established hash table this netns uses.",
	  U_ONE, { { .stat = TW_STAT_EHASH_BUCKETS } } },
	{ "tw_stats_bhash_buckets", "gauge",
	  "Buckets of the bind hash table.",
	  U_ONE, { { .stat = TW_STAT_BHASH_BUCKETS } } },
	{ "tw_stats_walk_buckets", "gauge",
	  "Hash buckets the walk these numbers come from examined.",
	  U_ONE, { { .stat = TW_STAT_WALK_BUCKETS } } },
	{ "tw_stats_walk_sockets", "gauge",
	  "Sockets of this netns the walk read.",
	  U_ONE, { { .stat = TW_STAT_WALK_SOCKETS } } },
	{ "tw_stats_walk_restarts", "gauge",
	  "Chains the walk read again because a socket moved (private tables only).",
	  U_ONE, { { .stat = TW_STAT_WALK_RESTARTS } } },
	{ "tw_stats_walk_long_chains", "gauge",
	  "Chains the walk read in pieces (longer than 256 sockets).",
	  U_ONE, { { .stat = TW_STAT_WALK_LONG_CHAINS } } },
	{ "tw_stats_walk_resumes", "gauge",
	  "Pauses inside a chain the walk resumed at a socket it held.",
	  U_ONE, { { .stat = TW_STAT_WALK_RESUMES } } },
	{ "tw_stats_walk_resume_lost_chains", "gauge",
	  "Chains whose rest the walk gave up (every socket held to resume at had left).",
	  U_ONE, { { .stat = TW_STAT_WALK_RESUME_LOST } } },
	{ "tw_stats_walk_duration_seconds", "gauge",
	  "How long the walk took.",
	  U_NS, { { .stat = TW_STAT_WALK_NS } } },
	{ "tw_stats_walk_timestamp_seconds", "gauge",
	  "Unix time of the walk these numbers come from (the module caches a walk for cache_ms).",
	  U_AGE_MS, { { .stat = TW_STAT_CACHE_AGE_MS } } },
	{ "tw_stats_ephemeral_port_low", "gauge",
	  "Lowest port of net.ipv4.ip_local_port_range.",
	  U_ONE, { { .stat = TW_STAT_EPHEMERAL_LOW } } },
	{ "tw_stats_ephemeral_port_high", "gauge",
	  "Highest port of net.ipv4.ip_local_port_range.",
	  U_ONE, { { .stat = TW_STAT_EPHEMERAL_HIGH } } },
	{ "tw_stats_ephemeral_ports", "gauge",
	  "Ports of net.ipv4.ip_local_port_range (high - low + 1).",
	  U_ONE, { { .stat = TW_STAT_EPHEMERAL_PORTS } } },
	{ "tw_stats_ephemeral_ports_reserved", "gauge",
	  "Ports connect() searches that are in net.ipv4.ip_local_reserved_ports.",
	  U_ONE, { { .stat = TW_STAT_EPHEMERAL_RESERVED } } },
	{ "tw_stats_ephemeral_ports_bound", "gauge",
	  "Other searched ports held by an explicit bind(): connect() never shares them.",
	  U_ONE, { { .stat = TW_STAT_EPHEMERAL_BOUND } } },
	{ "tw_stats_ephemeral_ports_available", "gauge",
	  "Ports connect() may pick: the searched ports less reserved and bound ones.",
	  U_ONE, { { .stat = TW_STAT_EPHEMERAL_AVAILABLE } } },
	{ "tw_stats_ephemeral_ports_in_use", "gauge",
	  "Ephemeral ports held by at least one socket.",
	  U_ONE, { { .stat = TW_STAT_EPHEMERAL_IN_USE } } },
	{ "tw_stats_ports_tw_only", "gauge",
	  "Local ports held by timewait sockets only.",
	  U_ONE, { { .stat = TW_STAT_PORTS_TW_ONLY } } },
	{ "tw_stats_destinations", "gauge",
	  "Destinations (local address, remote address and port) with sockets.",
	  U_ONE, { { .stat = TW_STAT_DESTINATIONS } } },
	{ "tw_stats_destination_min_headroom_ports", "gauge",
	  "Smallest number of ephemeral ports left toward any one destination.",
	  U_ONE, { { .stat = TW_STAT_DESTINATION_MIN_HEADROOM } } },
	{ "tw_stats_destinations_untracked_sockets", "gauge",
	  "Sockets toward destinations that did not fit in tw_destinations.",
	  U_ONE, { { .stat = TW_STAT_DESTINATIONS_UNTRACKED } } },
};

/* The counters that follow the drop reasons: not reasons themselves. */
static const struct stat_family drop_counter_families[] = {
	{ "tw_stats_unattributed_drops_total", "counter",
	  "Drops of the counted reasons whose netns tw_stats could not tell (initial netns only), since tw_stats was loaded.",
	  U_ONE, { { .stat = TW_STAT_DROP_UNATTRIBUTED } } },
	{ "tw_stats_drops_table_busy_total", "counter",
	  "Drops counted in tw_stats_drops_total that got no tw_drops row (its table was busy: they are in remote=\"other\").",
	  U_ONE, { { .stat = TW_STAT_DROPS_TABLE_BUSY } } },
};

/*
 * The NAT's view, after drops_table_busy: nat_active always (from a
 * module that has the view), the rest while it is active.
 */
static const struct stat_family nat_families[] = {
	{ "tw_stats_nat_active", "gauge",
	  "1 while the NAT view works (nf_conntrack loaded), 0 while it is inactive (then no other tw_stats_nat_ or tw_stats_conntrack_ series).",
	  U_ONE, { { .stat = TW_STAT_NAT_ACTIVE } } },
	{ "tw_stats_nat_flows", "gauge",
	  "Source-NATed TCP flows in this netns's conntrack table.",
	  U_ONE, { { .stat = TW_STAT_NAT_FLOWS } } },
	{ "tw_stats_nat_time_wait_flows", "gauge",
	  "Source-NATed TCP flows in conntrack's TIME_WAIT (it lasts nf_conntrack_tcp_timeout_time_wait, not 60 s).",
	  U_ONE, { { .stat = TW_STAT_NAT_TIME_WAIT } } },
	{ "tw_stats_nat_min_headroom_ports", "gauge",
	  "Smallest SNAT headroom toward any one (source, destination) whose port range is known.",
	  U_ONE, { { .stat = TW_STAT_NAT_MIN_HEADROOM } } },
	{ "tw_stats_nat_untracked_flows", "gauge",
	  "Source-NATed flows toward pairs that did not fit in tw_nat's table (in its others row).",
	  U_ONE, { { .stat = TW_STAT_NAT_UNTRACKED_FLOWS } } },
	{ "tw_stats_conntrack_insert_failed_total", "counter",
	  "conntrack insert_failed summed over CPUs (conntrack -S): flows that could not be entered, as when SNAT finds no free tuple.",
	  U_ONE, { { .stat = TW_STAT_CONNTRACK_INSERT_FAILED } } },
	{ "tw_stats_conntrack_drop_total", "counter",
	  "conntrack drop summed over CPUs (conntrack -S): packets dropped because conntrack failed.",
	  U_ONE, { { .stat = TW_STAT_CONNTRACK_DROP } } },
	{ "tw_stats_conntrack_early_drop_total", "counter",
	  "conntrack early_drop summed over CPUs (conntrack -S): entries evicted to make room in a full table.",
	  U_ONE, { { .stat = TW_STAT_CONNTRACK_EARLY_DROP } } },
};

static int find_stat(const struct tw_stats *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].name, name))
			return (int)i;
	return -1;
}

static void emit_stat_families(struct prom *p,
			       const struct stat_family *families, size_t n)
{
	const struct tw_stats *st = &p->s->stats;
	size_t f, i;

	for (f = 0; f < n; f++) {
		const struct stat_family *fam = &families[f];
		bool head = false;

		for (i = 0; i < 3 && fam->series[i].stat; i++) {
			const struct stat_series *ser = &fam->series[i];
			const char *labels[3] = { ser->label_key, ser->label_value, NULL };
			int at = find_stat(st, ser->stat);
			char buf[48];

			if (at < 0)
				continue;
			p->used[at] = true;
			if (st->v[at].none ||
			    !prom_value(p, buf, sizeof(buf), st->v[at].value, fam->unit))
				continue;
			if (!head)
				prom_family(p, fam->metric, fam->type, fam->help);
			head = true;
			prom_sample(p, fam->metric, buf, labels);
		}
	}
}

/*
 * One family from every tw_stats name that starts with @prefix, but
 * @except: the rest of the name becomes the value of @label.
 */
static void emit_prefix_family(struct prom *p, const char *prefix,
			       const char *except, const char *label,
			       const char *metric, const char *type,
			       const char *help)
{
	const struct tw_stats *st = &p->s->stats;
	size_t i, len = strlen(prefix);
	bool head = false;

	for (i = 0; i < st->n; i++) {
		const char *labels[3] = { label, st->v[i].name + len, NULL };

		if (strncmp(st->v[i].name, prefix, len) ||
		    (except && !strcmp(st->v[i].name, except)))
			continue;
		if (!head)
			prom_family(p, metric, type, help);
		head = true;
		p->used[i] = true;
		prom_sample_u64(p, metric, st->v[i].value, labels);
	}
}

/* Families whose series come from a name pattern. */
static void emit_pattern_families(struct prom *p)
{
	const struct tw_stats *st = &p->s->stats;
	bool head;
	size_t i;

	head = false;
	for (i = 0; i < st->n; i++) {
		unsigned long secs;
		int used = 0;
		char buf[24];
		const char *labels[3] = { "within_seconds", buf, NULL };

		if (sscanf(st->v[i].name, TW_STAT_TW_EXPIRES_LE_PREFIX "%lu" TW_STAT_TW_EXPIRES_LE_SUFFIX "%n", &secs, &used) != 1 ||
		    st->v[i].name[used])
			continue;
		if (!head)
			prom_family(p, "tw_stats_timewait_expiring_sockets", "gauge",
				    "Timewait sockets with at most within_seconds left to live (cumulative; all of them is tw_total).");
		head = true;
		p->used[i] = true;
		snprintf(buf, sizeof(buf), "%lu", secs);
		prom_sample_u64(p, "tw_stats_timewait_expiring_sockets",
				st->v[i].value, labels);
	}
	emit_prefix_family(p, TW_STAT_STATE_PREFIX, NULL, "state", "tw_stats_tcp_sockets", "gauge",
			   "Full TCP sockets by state (timewait sockets are in tw_stats_timewait_sockets).");
	for (i = 0; i < st->n; i++) {
		char *metric, *help;

		if (strncmp(st->v[i].name, TW_STAT_TCPEXT_PREFIX, sizeof(TW_STAT_TCPEXT_PREFIX) - 1))
			continue;
		p->used[i] = true;
		if (asprintf(&metric, "tw_stats_%s_total", st->v[i].name) < 0 ||
		    asprintf(&help, "TcpExt counter %s of /proc/net/netstat (nstat), since boot.",
			     st->v[i].name + 7) < 0)
			exit(1);
		prom_family(p, metric, "counter", help);
		prom_sample_u64(p, metric, st->v[i].value, NULL);
		free(metric);
		free(help);
	}
	/* drop_unattributed is not a reason: counted in no netns's reasons */
	emit_prefix_family(p, TW_STAT_DROP_PREFIX, TW_STAT_DROP_UNATTRIBUTED,
			   "reason", "tw_stats_drops_total", "counter",
			   "Packets the kernel dropped, by drop reason, since tw_stats was loaded.");
	emit_stat_families(p, drop_counter_families,
			   ARRAY_SIZE(drop_counter_families));
	emit_stat_families(p, nat_families, ARRAY_SIZE(nat_families));
}

/*
 * A newer module's names become untyped tw_stats_<name> (twstat cannot
 * tell a gauge from a counter it does not know), unless the name would
 * break Prometheus conventions (promtool's lint): then only JSON has them
 * until twstat learns their units.
 */
bool prom_lint_safe(const char *name)
{
	static const char *const bad[] = {
		"total", "count", "sum", "bucket", "created", "info",
		"gauge", "counter", "histogram", "summary",
		"s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "m", "h", "d",
		NULL
	};
	const char *part = name;

	while (part) {
		const char *end = strchr(part, '_');
		size_t n = end ? (size_t)(end - part) : strlen(part);
		const char *const *b;

		for (b = bad; *b; b++)
			if (strlen(*b) == n && !strncmp(part, *b, n))
				return false;
		part = end ? end + 1 : NULL;
	}
	return strstr(name, "milli") == NULL && strstr(name, "nano") == NULL &&
	       strstr(name, "micro") == NULL;
}

static void emit_unknown(struct prom *p)
{
	const struct tw_stats *st = &p->s->stats;
	size_t i;

	for (i = 0; i < st->n; i++) {
		char *metric;

		if (p->used[i] || st->v[i].none ||
		    !strcmp(st->v[i].name, TW_STAT_TW_TOTAL) ||
		    !prom_lint_safe(st->v[i].name))
			continue;
		if (asprintf(&metric, "tw_stats_%s", st->v[i].name) < 0)
			exit(1);
		prom_family(p, metric, "untyped",
			    "A tw_stats value this twstat has no description for (see docs/formats.md).");
		prom_sample_u64(p, metric, st->v[i].value, NULL);
		free(metric);
	}
}

static void emit_up(struct prom *p, int up)
{
	prom_family(p, "tw_stats_up", "gauge",
		    "1 if twstat read the tw_stats module, 0 if the module is not loaded (then no other tw_stats series).");
	prom_sample_u64(p, "tw_stats_up", up, NULL);
}

static void set_netns_label(struct prom *p, const struct twstat_reading *s)
{
	if (s->have_netns)
		snprintf(p->netns, sizeof(p->netns), "%llu",
			 (unsigned long long)s->netns);
	else
		snprintf(p->netns, sizeof(p->netns), "unknown");
}

void tw_print_prometheus(FILE *f, const struct twstat_reading *s,
			 const struct tw_out_opts *o)
{
	struct prom p = { .f = f, .s = s, .o = o };

	set_netns_label(&p, s);
	p.used = xcalloc(s->stats.n + 1, sizeof(*p.used));
	emit_up(&p, 1);
	emit_stat_families(&p, stat_families, ARRAY_SIZE(stat_families));
	emit_pattern_families(&p);
	emit_unknown(&p);
	prom_ports(&p);
	prom_dests(&p);
	prom_drops(&p);
	prom_cgroups(&p);
	prom_nat(&p);
	/*
	 * Other namespaces' rows only when asked for: they are the same with
	 * every reader, so two files that both had them would carry each
	 * series twice (node_exporter then refuses the second).
	 */
	if (o->all_netns)
		prom_netns(&p);
	prom_debugfs(&p);
	free(p.used);
}

/*
 * No module: a file that says so, so that the series of an earlier run
 * do not stay on as if current.  Only the netns of the reader is known.
 */
void tw_print_prometheus_down(FILE *f, const struct twstat_reading *s)
{
	struct prom p = { .f = f, .s = s };

	set_netns_label(&p, s);
	emit_up(&p, 0);
}
