// SPDX-License-Identifier: GPL-2.0
/*
 * twstat --prometheus, the families from the table files: ports,
 * destinations, drops, namespaces and debugfs, each capped at the top N
 * rows plus one "other" series.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "netns_names.h"
#include "prometheus.h"
#include "reading.h"
#include "util.h"
#include "tw_stats_format.h"

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

/*
 * The per-state columns of tw_ports and tw_netns, and the state label
 * each becomes.
 */
static const struct {
	const char *col, *state;
} socks[] = {
	{ "tw", "time_wait" }, { "fin_wait2", "fin_wait2" },
	{ "established", "established" }, { "close_wait", "close_wait" },
	{ "other", "other" }, { "listen", "listen" },
};

void prom_ports(struct prom *p)
{
	const struct tw_table *t = p->s->ports;
	size_t *top, n, i, k;
	char port[8];
	bool any;

	if (!t)
		return;
	top = tw_top_ports(t, p->o->top, &n);
	prom_family(p, "tw_stats_port_sockets", "gauge",
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
				prom_sample_u64(p, "tw_stats_port_sockets", v, labels);
		}
		rest = col_sum(t, socks[k].col, 0, top, n, &any);
		snprintf(port, sizeof(port), "other");
		prom_sample_u64(p, "tw_stats_port_sockets", rest, labels);
	}
	if (tw_col(t, "bind_explicit") >= 0) {
		const char *labels[3] = { "port", port, NULL };
		uint64_t v;

		prom_family(p, "tw_stats_port_bind_explicit", "gauge",
			    "1 if an explicit bind() holds the port (connect() will not pick it); port=\"other\" counts such ports among the rest.");
		for (i = 0; i < n; i++) {
			snprintf(port, sizeof(port), "%s", tw_cell(t, top[i], 0)->text);
			if (tw_cell_num(t, top[i], tw_col(t, "bind_explicit"), &v))
				prom_sample_u64(p, "tw_stats_port_bind_explicit", v, labels);
		}
		snprintf(port, sizeof(port), "other");
		prom_sample_u64(p, "tw_stats_port_bind_explicit",
				col_sum(t, "bind_explicit", 0, top, n, &any), labels);
	}
	free(top);
}

/*
 * One family from column @col of table @t in @unit, labelled by the cells
 * of its two @keys columns (and state=@state if given): rows [0, n) get
 * their own series; with @with_other the rest and "others" are summed
 * into one whose keys are "other".  Nothing if the module has no such
 * column, or no row has a value.
 */
static void emit_row_family(struct prom *p, const struct tw_table *t,
			    const char *const keys[2], const char *metric,
			    const char *type, const char *help,
			    const char *col, enum prom_unit unit,
			    const char *state, size_t n, bool with_other)
{
	int k0 = tw_col(t, keys[0]), k1 = tw_col(t, keys[1]);
	int c = tw_col(t, col);
	bool head = !type;
	char buf[48];
	size_t i;
	uint64_t v;
	bool any;

	if (c < 0)
		return;
	for (i = 0; i < n; i++) {
		const char *labels[7] = {
			keys[0], tw_cell(t, i, k0)->text,
			keys[1], tw_cell(t, i, k1)->text,
			state ? "state" : NULL, state, NULL
		};

		if (!tw_cell_num(t, i, c, &v) ||
		    !prom_value(p, buf, sizeof(buf), v, unit))
			continue;
		if (!head)
			prom_family(p, metric, type, help);
		head = true;
		prom_sample(p, metric, buf, labels);
	}
	if (with_other) {
		const char *labels[7] = {
			keys[0], "other", keys[1], "other",
			state ? "state" : NULL, state, NULL
		};

		if (!head)
			prom_family(p, metric, type, help);
		v = col_sum(t, col, n, NULL, 0, &any);
		prom_sample_u64(p, metric, v, labels);
	}
}

/* A destination family: labels local and remote. */
static void emit_dest_family(struct prom *p, const char *metric,
			     const char *type, const char *help,
			     const char *col, const char *state, size_t n,
			     bool with_other)
{
	static const char *const keys[2] = { "local", "remote" };

	emit_row_family(p, p->s->dests, keys, metric, type, help, col, U_ONE,
			state, n, with_other);
}

void prom_dests(struct prom *p)
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

void prom_drops(struct prom *p)
{
	static const char *const keys[2] = { "remote", "reason" };
	const struct tw_table *t = p->s->drops;
	size_t rows, n;

	if (!t)
		return;
	rows = tw_table_data_rows(t);
	n = rows < p->o->top ? rows : p->o->top;
	emit_row_family(p, t, keys, "tw_stats_remote_drops_total", "counter",
			"Drops by remote address and reason for the remotes with most drops; remote=\"other\" sums the rest.",
			"count", U_ONE, NULL, n, true);
	emit_row_family(p, t, keys, "tw_stats_remote_last_drop_timestamp_seconds",
			"gauge",
			"Unix time of the last drop from a remote for that reason (to the second).",
			"last_seconds_ago", U_AGE_S, NULL, n, false);
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
void prom_netns(struct prom *p)
{
	static const struct {
		const char *col, *metric, *help;
	} gauges[] = {
		{ TW_STAT_EPHEMERAL_IN_USE, "tw_stats_netns_ephemeral_ports_in_use",
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
	prom_family(p, "tw_stats_netns_sockets", "gauge",
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
				prom_sample_u64(p, "tw_stats_netns_sockets", v, row_labels);
		}
		snprintf(p->netns, sizeof(p->netns), "other");
		prom_sample_u64(p, "tw_stats_netns_sockets",
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
				prom_family(p, gauges[k].metric, "gauge", gauges[k].help);
			head = true;
			netns_labels(p, i, NULL, NULL, row_labels);
			snprintf(p->netns, sizeof(p->netns), "%s", tw_cell(t, i, 0)->text);
			prom_sample_u64(p, gauges[k].metric, v, row_labels);
		}
	}
	memcpy(p->netns, saved, sizeof(saved));
}

/*
 * debugfs walk_cost: each line a family of its own, in its own unit (the
 * lines count walks, buckets, sockets and chains, and time two ways).
 */
static const struct {
	const char *line, *metric, *type, *help;
	enum prom_unit unit;
} walk_cost_families[] = {
	{ TW_WALK_COST_WALKS, "tw_stats_walk_cost_walks_total", "counter",
	  "Walks of this netns's tables since tw_stats was loaded (debugfs walk_cost).", U_ONE },
	{ TW_WALK_COST_AGE_MS, "tw_stats_walk_cost_timestamp_seconds", "gauge",
	  "Unix time of the latest walk (debugfs walk_cost).", U_AGE_MS },
	{ TW_WALK_COST_BUCKETS, "tw_stats_walk_cost_buckets", "gauge",
	  "Hash buckets the latest walk examined (debugfs walk_cost).", U_ONE },
	{ TW_WALK_COST_SOCKETS, "tw_stats_walk_cost_sockets", "gauge",
	  "Sockets of this netns the latest walk read (debugfs walk_cost).", U_ONE },
	{ TW_WALK_COST_RESTARTS, "tw_stats_walk_cost_restarts", "gauge",
	  "Chains the latest walk read again (debugfs walk_cost).", U_ONE },
	{ TW_WALK_COST_LONG_CHAINS, "tw_stats_walk_cost_long_chains", "gauge",
	  "Chains the latest walk read in pieces (debugfs walk_cost).", U_ONE },
	{ TW_WALK_COST_NS, "tw_stats_walk_cost_duration_seconds", "gauge",
	  "How long the latest walk took (debugfs walk_cost).", U_NS },
	{ TW_WALK_COST_RESUMES, "tw_stats_walk_cost_resumes", "gauge",
	  "Pauses inside a chain the latest walk resumed (debugfs walk_cost).", U_ONE },
	{ TW_WALK_COST_RESUME_LOST, "tw_stats_walk_cost_resume_lost_chains", "gauge",
	  "Chains whose rest the latest walk gave up (debugfs walk_cost).", U_ONE },
	{ TW_WALK_COST_SECTION_MAX, "tw_stats_walk_cost_max_section_sockets", "gauge",
	  "Most sockets, of every netns, the latest walk read in one RCU read section (debugfs walk_cost).", U_ONE },
};

/*
 * One walk_cost line; a line this twstat does not know becomes untyped
 * tw_stats_walk_cost_<name>, unless its name breaks the conventions.
 */
static void emit_walk_cost(struct prom *p, const char *line, uint64_t v)
{
	char buf[48], *metric = NULL;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(walk_cost_families); k++) {
		if (strcmp(line, walk_cost_families[k].line))
			continue;
		if (prom_value(p, buf, sizeof(buf), v, walk_cost_families[k].unit)) {
			prom_family(p, walk_cost_families[k].metric,
				    walk_cost_families[k].type,
				    walk_cost_families[k].help);
			prom_sample(p, walk_cost_families[k].metric, buf, NULL);
		}
		return;
	}
	if (!prom_lint_safe(line))
		return;
	metric = xasprintf("tw_stats_walk_cost_%s", line);
	prom_family(p, metric, "untyped",
		    "A debugfs walk_cost value this twstat has no description for (see docs/formats.md).");
	prom_sample_u64(p, metric, v, NULL);
	free(metric);
}

void prom_debugfs(struct prom *p)
{
	const struct tw_table *t = p->s->chains;
	const struct tw_stats *w = p->s->walk_cost;
	size_t i, n;

	if (t && t->nrows) {
		int lc = tw_col(t, "length"), bc = tw_col(t, "buckets");
		uint64_t v;
		bool any;

		n = t->nrows < 64 ? t->nrows : 64;
		prom_family(p, "tw_stats_ehash_chain_length_buckets", "gauge",
			    "Established hash buckets whose chain holds length sockets (debugfs); length=\"other\" sums chains longer than listed.");
		for (i = 0; i < n; i++) {
			const char *labels[3] = { "length", tw_cell(t, i, lc)->text, NULL };

			if (tw_cell_num(t, i, bc, &v))
				prom_sample_u64(p, "tw_stats_ehash_chain_length_buckets", v, labels);
		}
		if (t->nrows > n) {
			const char *labels[3] = { "length", "other", NULL };

			prom_sample_u64(p, "tw_stats_ehash_chain_length_buckets",
					col_sum(t, "buckets", n, NULL, 0, &any), labels);
		}
	}
	for (i = 0; w && i < w->n; i++)
		if (!w->v[i].none)
			emit_walk_cost(p, w->v[i].name, w->v[i].value);
}
