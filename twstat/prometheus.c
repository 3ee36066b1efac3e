// SPDX-License-Identifier: GPL-2.0
/*
 * twstat --prometheus: the text exposition format for node_exporter's
 * textfile collector.  Base units, _total only on counters, HELP and
 * TYPE on every family, no timestamps, and per-port/destination/remote
 * series capped at the top N plus one "other" series so that a busy host
 * cannot blow up the scraper's label sets.  Names are listed in the README.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "twstat.h"
#include "util.h"

struct prom {
	FILE *f;
	char netns[32];
	bool *used;		/* per tw_stats entry: already exported */
	const struct twstat_reading *s;
	const struct tw_out_opts *o;
};

static void family(struct prom *p, const char *name, const char *type,
		   const char *help)
{
	fprintf(p->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Label values come from files: escape what the format requires. */
static void label(FILE *f, const char *key, const char *value)
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

/* One sample; @labels holds key, value pairs, NULL-terminated. */
static void sample(struct prom *p, const char *name, const char *value,
		   const char *const *labels)
{
	fprintf(p->f, "%s{netns=\"%s\"", name, p->netns);
	for (; labels && labels[0]; labels += 2)
		label(p->f, labels[0], labels[1]);
	fprintf(p->f, "} %s\n", value);
}

static void sample_u64(struct prom *p, const char *name, uint64_t v,
		       const char *const *labels)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	sample(p, name, buf, labels);
}

enum unit { U_ONE, U_MS, U_NS };

/* Exact decimal seconds: no float rounding for a counter-like value. */
static void fmt_value(char *buf, size_t len, uint64_t v, enum unit u)
{
	switch (u) {
	case U_ONE:
		snprintf(buf, len, "%llu", (unsigned long long)v);
		break;
	case U_MS:
		snprintf(buf, len, "%llu.%03llu", (unsigned long long)(v / 1000),
			 (unsigned long long)(v % 1000));
		break;
	case U_NS:
		snprintf(buf, len, "%llu.%09llu",
			 (unsigned long long)(v / 1000000000ULL),
			 (unsigned long long)(v % 1000000000ULL));
		break;
	}
}

/* A tw_stats line that becomes one series of a family. */
struct stat_series {
	const char *stat;
	const char *label_key, *label_value;	/* or NULL */
};

struct stat_family {
	const char *metric, *type, *help;
	enum unit unit;
	struct stat_series series[3];
};

static const struct stat_family stat_families[] = {
	{ "tw_stats_timewait_sockets", "gauge",
	  "Timewait sockets by substate (FIN_WAIT2: orphans handed to the timewait code); the sum is tw_total.",
	  U_ONE, { { "tw_time_wait", "substate", "time_wait" },
		   { "tw_fin_wait2", "substate", "fin_wait2" } } },
	{ "tw_stats_timewait_sockets_by_family", "gauge",
	  "Timewait sockets by address family; the sum is tw_total.",
	  U_ONE, { { "tw_ipv4", "family", "ipv4" },
		   { "tw_ipv6", "family", "ipv6" } } },
	{ "tw_stats_timewait_object_size_bytes", "gauge",
	  "Size of one timewait socket object (kmem_cache_size of its slab).",
	  U_ONE, { { "tw_object_bytes", "family", "ipv4" },
		   { "tw_object_bytes_ipv6", "family", "ipv6" } } },
	{ "tw_stats_timewait_memory_bytes", "gauge",
	  "Memory held by timewait socket objects.",
	  U_ONE, { { .stat = "tw_memory_bytes" } } },
	{ "tw_stats_max_tw_buckets", "gauge",
	  "net.ipv4.tcp_max_tw_buckets: timewait sockets beyond it are not created.",
	  U_ONE, { { .stat = "tw_max_buckets" } } },
	{ "tw_stats_ehash_buckets", "gauge",
	  "Buckets of the established hash table this netns uses.",
	  U_ONE, { { .stat = "ehash_buckets" } } },
	{ "tw_stats_bhash_buckets", "gauge",
	  "Buckets of the bind hash table.",
	  U_ONE, { { .stat = "bhash_buckets" } } },
	{ "tw_stats_walk_buckets", "gauge",
	  "Non-empty hash buckets the last walk visited.",
	  U_ONE, { { .stat = "walk_buckets" } } },
	{ "tw_stats_walk_sockets", "gauge",
	  "Sockets the last walk looked at.",
	  U_ONE, { { .stat = "walk_sockets" } } },
	{ "tw_stats_walk_restarts", "gauge",
	  "Bucket rescans in the last walk (a chain moved under the lockless reader).",
	  U_ONE, { { .stat = "walk_restarts" } } },
	{ "tw_stats_walk_long_chains", "gauge",
	  "Long hash chains met by the last walk.",
	  U_ONE, { { .stat = "walk_long_chains" } } },
	{ "tw_stats_walk_duration_seconds", "gauge",
	  "How long the last walk took.",
	  U_NS, { { .stat = "walk_ns" } } },
	{ "tw_stats_cache_age_seconds", "gauge",
	  "Age of the cached walk these numbers come from.",
	  U_MS, { { .stat = "cache_age_ms" } } },
	{ "tw_stats_ephemeral_port_low", "gauge",
	  "Lowest port of net.ipv4.ip_local_port_range.",
	  U_ONE, { { .stat = "ephemeral_low" } } },
	{ "tw_stats_ephemeral_port_high", "gauge",
	  "Highest port of net.ipv4.ip_local_port_range.",
	  U_ONE, { { .stat = "ephemeral_high" } } },
	{ "tw_stats_ephemeral_ports", "gauge",
	  "Ports connect() may choose from (the range less reserved ports).",
	  U_ONE, { { .stat = "ephemeral_ports" } } },
	{ "tw_stats_ephemeral_ports_in_use", "gauge",
	  "Ephemeral ports held by at least one socket.",
	  U_ONE, { { .stat = "ephemeral_in_use" } } },
	{ "tw_stats_ports_tw_only", "gauge",
	  "Local ports held by timewait sockets only.",
	  U_ONE, { { .stat = "ports_tw_only" } } },
	{ "tw_stats_destinations", "gauge",
	  "Destinations (local address, remote address and port) with sockets.",
	  U_ONE, { { .stat = "destinations" } } },
	{ "tw_stats_destination_min_headroom_ports", "gauge",
	  "Smallest number of ephemeral ports left toward any one destination.",
	  U_ONE, { { .stat = "destination_min_headroom" } } },
};

static int find_stat(const struct tw_stats *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].name, name))
			return (int)i;
	return -1;
}

static void emit_stat_families(struct prom *p)
{
	const struct tw_stats *st = &p->s->stats;
	size_t f, i;

	for (f = 0; f < ARRAY_SIZE(stat_families); f++) {
		const struct stat_family *fam = &stat_families[f];
		bool head = false;

		for (i = 0; i < 3 && fam->series[i].stat; i++) {
			const struct stat_series *ser = &fam->series[i];
			const char *labels[3] = { ser->label_key, ser->label_value, NULL };
			int at = find_stat(st, ser->stat);
			char buf[48];

			if (at < 0)
				continue;
			if (!head)
				family(p, fam->metric, fam->type, fam->help);
			head = true;
			p->used[at] = true;
			fmt_value(buf, sizeof(buf), st->v[at].value, fam->unit);
			sample(p, fam->metric, buf, labels);
		}
	}
}

/*
 * One family from every tw_stats name that starts with @prefix: the rest
 * of the name becomes the value of @label.
 */
static void emit_prefix_family(struct prom *p, const char *prefix,
			       const char *label, const char *metric,
			       const char *type, const char *help)
{
	const struct tw_stats *st = &p->s->stats;
	size_t i, len = strlen(prefix);
	bool head = false;

	for (i = 0; i < st->n; i++) {
		const char *labels[3] = { label, st->v[i].name + len, NULL };

		if (strncmp(st->v[i].name, prefix, len))
			continue;
		if (!head)
			family(p, metric, type, help);
		head = true;
		p->used[i] = true;
		sample_u64(p, metric, st->v[i].value, labels);
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

		if (sscanf(st->v[i].name, "tw_expires_le_%lus%n", &secs, &used) != 1 ||
		    st->v[i].name[used])
			continue;
		if (!head)
			family(p, "tw_stats_timewait_expiring_sockets", "gauge",
			       "Timewait sockets with at most within_seconds left to live (cumulative; all of them is tw_total).");
		head = true;
		p->used[i] = true;
		snprintf(buf, sizeof(buf), "%lu", secs);
		sample_u64(p, "tw_stats_timewait_expiring_sockets",
			   st->v[i].value, labels);
	}
	emit_prefix_family(p, "state_", "state", "tw_stats_tcp_sockets", "gauge",
			   "Full TCP sockets by state (timewait sockets are in tw_stats_timewait_sockets).");
	for (i = 0; i < st->n; i++) {
		char *metric, *help;

		if (strncmp(st->v[i].name, "tcpext_", 7))
			continue;
		p->used[i] = true;
		if (asprintf(&metric, "tw_stats_%s_total", st->v[i].name) < 0 ||
		    asprintf(&help, "TcpExt counter %s of /proc/net/netstat (nstat), since boot.",
			     st->v[i].name + 7) < 0)
			exit(1);
		family(p, metric, "counter", help);
		sample_u64(p, metric, st->v[i].value, NULL);
		free(metric);
		free(help);
	}
	emit_prefix_family(p, "drop_", "reason", "tw_stats_drops_total", "counter",
			   "Packets the kernel dropped, by drop reason, since tw_stats was loaded.");
}

/*
 * A newer module's names become gauges tw_stats_<name>, unless the name
 * would break Prometheus conventions (promtool's lint): then only JSON
 * has them until twstat learns their units.
 */
static bool lint_safe(const char *name)
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

		if (p->used[i] || !strcmp(st->v[i].name, "tw_total") ||
		    !lint_safe(st->v[i].name))
			continue;
		if (asprintf(&metric, "tw_stats_%s", st->v[i].name) < 0)
			exit(1);
		family(p, metric, "gauge",
		       "A tw_stats value this twstat has no description for (see the module's README).");
		sample_u64(p, metric, st->v[i].value, NULL);
		free(metric);
	}
}

/* Sum of column @name over rows [from, nrows), "others" row included. */
static uint64_t col_sum(const struct tw_table *t, const char *name,
			size_t from, const size_t *skip, size_t nskip,
			bool *any)
{
	int col = tw_col(t, name);
	uint64_t sum = 0, v;
	size_t r, k;

	*any = false;
	for (r = from; r < t->nrows; r++) {
		for (k = 0; k < nskip; k++)
			if (skip[k] == r)
				break;
		if (k < nskip || !tw_cell_num(t, r, col, &v))
			continue;
		*any = true;
		sum = sum + v < sum ? UINT64_MAX : sum + v;
	}
	return sum;
}

static void emit_ports(struct prom *p)
{
	static const struct {
		const char *col, *state;
	} socks[] = {
		{ "tw", "time_wait" }, { "fin_wait2", "fin_wait2" },
		{ "established", "established" }, { "close_wait", "close_wait" },
		{ "other", "other" }, { "listen", "listen" },
	};
	const struct tw_table *t = p->s->ports;
	size_t *top, n, i, k;
	char port[8];
	bool any;

	if (!t)
		return;
	top = tw_top_ports(t, p->o->top, &n);
	family(p, "tw_stats_port_sockets", "gauge",
	       "Sockets on a local port by state, for the ports with most timewait sockets; port=\"other\" sums the rest.");
	for (k = 0; k < ARRAY_SIZE(socks); k++) {
		int col = tw_col(t, socks[k].col);
		const char *labels[5] = { "port", port, "state", socks[k].state, NULL };
		uint64_t v, rest;

		if (col < 0)
			continue;
		for (i = 0; i < n; i++) {
			snprintf(port, sizeof(port), "%s", tw_cell(t, top[i], 0)->text);
			if (tw_cell_num(t, top[i], col, &v))
				sample_u64(p, "tw_stats_port_sockets", v, labels);
		}
		rest = col_sum(t, socks[k].col, 0, top, n, &any);
		snprintf(port, sizeof(port), "other");
		sample_u64(p, "tw_stats_port_sockets", rest, labels);
	}
	if (tw_col(t, "bind_explicit") >= 0) {
		const char *labels[3] = { "port", port, NULL };
		uint64_t v;

		family(p, "tw_stats_port_bind_explicit", "gauge",
		       "1 if an explicit bind() holds the port (connect() will not pick it); port=\"other\" counts such ports among the rest.");
		for (i = 0; i < n; i++) {
			snprintf(port, sizeof(port), "%s", tw_cell(t, top[i], 0)->text);
			if (tw_cell_num(t, top[i], tw_col(t, "bind_explicit"), &v))
				sample_u64(p, "tw_stats_port_bind_explicit", v, labels);
		}
		snprintf(port, sizeof(port), "other");
		sample_u64(p, "tw_stats_port_bind_explicit",
			   col_sum(t, "bind_explicit", 0, top, n, &any), labels);
	}
	free(top);
}

/* Rows [0, n) get their own series; the rest and "others" become "other". */
static void emit_dest_family(struct prom *p, const char *metric,
			     const char *type, const char *help,
			     const char *col, const char *state, size_t n,
			     bool with_other)
{
	const struct tw_table *t = p->s->dests;
	int lc = tw_col(t, "local"), rc = tw_col(t, "remote");
	int c = tw_col(t, col);
	size_t i;
	uint64_t v;
	bool any;

	if (c < 0)
		return;
	if (type)
		family(p, metric, type, help);
	for (i = 0; i < n; i++) {
		const char *labels[7] = {
			"local", tw_cell(t, i, lc)->text,
			"remote", tw_cell(t, i, rc)->text,
			state ? "state" : NULL, state, NULL
		};

		if (tw_cell_num(t, i, c, &v))
			sample_u64(p, metric, v, labels);
	}
	if (with_other) {
		const char *labels[7] = {
			"local", "other", "remote", "other",
			state ? "state" : NULL, state, NULL
		};

		v = col_sum(t, col, n, NULL, 0, &any);
		sample_u64(p, metric, v, labels);
	}
}

static void emit_dests(struct prom *p)
{
	const struct tw_table *t = p->s->dests;
	size_t rows, n;

	if (!t)
		return;
	rows = tw_table_data_rows(t);
	n = rows < p->o->top ? rows : p->o->top;
	emit_dest_family(p, "tw_stats_destination_sockets", "gauge",
			 "Sockets toward a destination (local address, remote address:port); local=\"other\" sums the destinations not listed.",
			 "tw", "time_wait", n, true);
	emit_dest_family(p, "tw_stats_destination_sockets", NULL, NULL,
			 "other", "other", n, true);
	emit_dest_family(p, "tw_stats_destination_ports_in_use", "gauge",
			 "Ephemeral ports in use toward a destination.",
			 "in_use", NULL, n, true);
	emit_dest_family(p, "tw_stats_destination_ports_reusable", "gauge",
			 "Ports toward a destination that tcp_tw_reuse could take over now.",
			 "reusable", NULL, n, true);
	emit_dest_family(p, "tw_stats_destination_headroom_ports", "gauge",
			 "Ephemeral ports connect() can still use toward a destination.",
			 "headroom", NULL, n, false);
	emit_dest_family(p, "tw_stats_destination_connections_per_second", "gauge",
			 "New connections per second toward a destination, as the module measured.",
			 "conn_per_s", NULL, n, false);
}

static void emit_drops(struct prom *p)
{
	const struct tw_table *t = p->s->drops;
	int rc, rsc, cc, ac;
	size_t rows, n, i;
	uint64_t v;
	bool any;

	if (!t)
		return;
	rc = tw_col(t, "remote");
	rsc = tw_col(t, "reason");
	cc = tw_col(t, "count");
	ac = tw_col(t, "last_seconds_ago");
	rows = tw_table_data_rows(t);
	n = rows < p->o->top ? rows : p->o->top;
	family(p, "tw_stats_remote_drops_total", "counter",
	       "Drops by remote address and reason for the remotes with most drops; remote=\"other\" sums the rest.");
	for (i = 0; i < n; i++) {
		const char *labels[5] = {
			"remote", tw_cell(t, i, rc)->text,
			"reason", tw_cell(t, i, rsc)->text, NULL
		};

		if (tw_cell_num(t, i, cc, &v))
			sample_u64(p, "tw_stats_remote_drops_total", v, labels);
	}
	{
		const char *labels[5] = { "remote", "other", "reason", "other", NULL };

		sample_u64(p, "tw_stats_remote_drops_total",
			   col_sum(t, "count", n, NULL, 0, &any), labels);
	}
	if (ac < 0)
		return;
	family(p, "tw_stats_remote_last_drop_age_seconds", "gauge",
	       "Seconds since the last drop from a remote for that reason.");
	for (i = 0; i < n; i++) {
		const char *labels[5] = {
			"remote", tw_cell(t, i, rc)->text,
			"reason", tw_cell(t, i, rsc)->text, NULL
		};

		if (tw_cell_num(t, i, ac, &v))
			sample_u64(p, "tw_stats_remote_last_drop_age_seconds", v, labels);
	}
}

/*
 * Labels of row @i of tw_netns after @first (a key, value pair or
 * nothing): name and cgroup where --all-netns found them.  Only rows the
 * module gave get here, so the label sets stay as bounded as the rows.
 */
static void netns_labels(const struct prom *p, size_t i, const char *key,
			 const char *value, const char *labels[7])
{
	const struct tw_netns_name *n = NULL;
	size_t k = 0;
	uint64_t ino;

	if (key) {
		labels[k++] = key;
		labels[k++] = value;
	}
	if (tw_cell_num(p->s->netns_table, i, 0, &ino))
		n = tw_netns_name_of(p->s, ino);
	if (n && n->name) {
		labels[k++] = "name";
		labels[k++] = n->name;
	}
	if (n && n->cgroup) {
		labels[k++] = "cgroup";
		labels[k++] = n->cgroup;
	}
	labels[k] = NULL;
}

/* tw_netns: its rows describe other namespaces, so their inode is the label. */
static void emit_netns(struct prom *p)
{
	static const struct {
		const char *col, *state;
	} socks[] = {
		{ "tw", "time_wait" }, { "fin_wait2", "fin_wait2" },
		{ "established", "established" }, { "close_wait", "close_wait" },
		{ "other", "other" }, { "listen", "listen" },
	};
	static const struct {
		const char *col, *metric, *help;
	} gauges[] = {
		{ "ephemeral_in_use", "tw_stats_netns_ephemeral_ports_in_use",
		  "Ephemeral ports in use in a network namespace." },
		{ "min_headroom", "tw_stats_netns_min_headroom_ports",
		  "Smallest ephemeral port headroom toward any destination, per network namespace." },
		{ "private_ehash", "tw_stats_netns_private_ehash",
		  "1 if the network namespace has its own established hash table." },
	};
	const struct tw_table *t = p->s->netns_table;
	char saved[32];
	size_t rows, n, i, k;
	uint64_t v;
	bool any;

	if (!t)
		return;
	rows = tw_table_data_rows(t);
	n = rows < p->o->top ? rows : p->o->top;
	memcpy(saved, p->netns, sizeof(saved));
	family(p, "tw_stats_netns_sockets", "gauge",
	       "Sockets per network namespace (initial netns view, label netns = that namespace's inode); netns=\"other\" sums the rest.");
	for (k = 0; k < ARRAY_SIZE(socks); k++) {
		int c = tw_col(t, socks[k].col);
		const char *labels[3] = { "state", socks[k].state, NULL };

		if (c < 0)
			continue;
		for (i = 0; i < n; i++) {
			const char *row_labels[7];

			netns_labels(p, i, "state", socks[k].state, row_labels);
			snprintf(p->netns, sizeof(p->netns), "%s", tw_cell(t, i, 0)->text);
			if (tw_cell_num(t, i, c, &v))
				sample_u64(p, "tw_stats_netns_sockets", v, row_labels);
		}
		snprintf(p->netns, sizeof(p->netns), "other");
		sample_u64(p, "tw_stats_netns_sockets",
			   col_sum(t, socks[k].col, n, NULL, 0, &any), labels);
	}
	for (k = 0; k < ARRAY_SIZE(gauges); k++) {
		int c = tw_col(t, gauges[k].col);
		bool head = false;

		for (i = 0; c >= 0 && i < n; i++) {
			const char *row_labels[7];

			if (!tw_cell_num(t, i, c, &v))
				continue;
			if (!head)
				family(p, gauges[k].metric, "gauge", gauges[k].help);
			head = true;
			netns_labels(p, i, NULL, NULL, row_labels);
			snprintf(p->netns, sizeof(p->netns), "%s", tw_cell(t, i, 0)->text);
			sample_u64(p, gauges[k].metric, v, row_labels);
		}
	}
	memcpy(p->netns, saved, sizeof(saved));
}

static void emit_debugfs(struct prom *p)
{
	const struct tw_table *t = p->s->chains;
	const struct tw_stats *w = p->s->walk_cost;
	size_t i, n;

	if (t && t->nrows) {
		int lc = tw_col(t, "length"), bc = tw_col(t, "buckets");
		uint64_t v;
		bool any;

		n = t->nrows < 64 ? t->nrows : 64;
		family(p, "tw_stats_ehash_chain_length_buckets", "gauge",
		       "Established hash buckets whose chain holds length sockets (debugfs); length=\"other\" sums chains longer than listed.");
		for (i = 0; i < n; i++) {
			const char *labels[3] = { "length", tw_cell(t, i, lc)->text, NULL };

			if (tw_cell_num(t, i, bc, &v))
				sample_u64(p, "tw_stats_ehash_chain_length_buckets", v, labels);
		}
		if (t->nrows > n) {
			const char *labels[3] = { "length", "other", NULL };

			sample_u64(p, "tw_stats_ehash_chain_length_buckets",
				   col_sum(t, "buckets", n, NULL, 0, &any), labels);
		}
	}
	if (w && w->n) {
		family(p, "tw_stats_walk_cost", "gauge",
		       "Cost figures of the last walk from debugfs walk_cost, by name.");
		for (i = 0; i < w->n; i++) {
			const char *labels[3] = { "name", w->v[i].name, NULL };

			sample_u64(p, "tw_stats_walk_cost", w->v[i].value, labels);
		}
	}
}

void tw_print_prometheus(FILE *f, const struct twstat_reading *s,
			 const struct tw_out_opts *o)
{
	struct prom p = { .f = f, .s = s, .o = o };

	if (s->have_netns)
		snprintf(p.netns, sizeof(p.netns), "%llu",
			 (unsigned long long)s->netns);
	else
		snprintf(p.netns, sizeof(p.netns), "unknown");
	p.used = xcalloc(s->stats.n + 1, sizeof(*p.used));
	emit_stat_families(&p);
	emit_pattern_families(&p);
	emit_unknown(&p);
	emit_ports(&p);
	emit_dests(&p);
	emit_drops(&p);
	emit_netns(&p);
	emit_debugfs(&p);
	free(p.used);
}

/* --all-netns --prometheus: the per-namespace families alone. */
void tw_print_netns_prometheus(FILE *f, const struct twstat_reading *s,
			       const struct tw_out_opts *o)
{
	struct prom p = { .f = f, .s = s, .o = o };

	emit_netns(&p);
}
