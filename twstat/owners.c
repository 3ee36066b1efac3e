// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds the sockets: tw_cgroups's rows with their owners named,
 * as --by-cgroup's table, the summary's "Owners" section and the
 * tw_stats_cgroup_* Prometheus families.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_names.h"
#include "grid.h"
#include "output.h"
#include "prometheus.h"
#include "reading.h"
#include "util.h"
#include "tw_stats_format.h"

/*
 * Row @r's cgroup as shown: its path, its id when no path was found
 * (a replay of a copy saved without names, or a cgroup gone since), "-"
 * for 0 (a kernel without socket cgroup data).  Paths start with '/',
 * so neither can be taken for the other.
 */
const char *tw_owner_cgroup(const struct twstat_reading *s, size_t r)
{
	const struct tw_table *t = s->cgroups;
	const struct tw_cell *c = tw_cell(t, r, tw_col(t, "cgroup"));
	const char *p;

	if (!c || c->kind != TW_CELL_NUM)
		return TW_NO_VALUE;
	if (!c->num)
		return TW_NO_VALUE;
	p = tw_cgroup_path(s, c->num);
	return p ? p : c->text;
}

/* Row @r's user name, NULL when none is known. */
const char *tw_owner_user(const struct twstat_reading *s, size_t r)
{
	uint64_t uid;

	if (!tw_cell_num(s->cgroups, r, tw_col(s->cgroups, "uid"), &uid))
		return NULL;
	return tw_user_name(s, uid);
}

static const struct {
	const char *col, *head;
} shown[] = {
	{ "established", "ESTAB" }, { "close_wait", "CLOSE_WAIT" },
	{ "close_wait_idle_max_s", "IDLE_MAX_S" }, { "syn_sent", "SYN_SENT" },
	{ "other", "OTHER" }, { "listen", "LISTEN" },
	{ "tw_server", "TW_SERVER" }, { "ephemeral_in_use", "EPHEMERAL" },
};

/* Column @col summed over rows [from, nrows), or its max for idle. */
static void sum_rest(const struct tw_table *t, const char *col, size_t from,
		     uint64_t *out, bool *any)
{
	bool max = !strcmp(col, "close_wait_idle_max_s");
	int c = tw_col(t, col);
	uint64_t v;
	size_t r;

	*out = 0;
	*any = false;
	for (r = from; r < t->nrows; r++) {
		if (!tw_cell_num(t, r, c, &v))
			continue;
		*any = true;
		if (max)
			*out = v > *out ? v : *out;
		else
			*out = *out + v < *out ? UINT64_MAX : *out + v;
	}
}

/*
 * The rows [0, n) named, then the rest summed as "others".  The cgroup's
 * path comes last, as ps puts COMMAND: it is long, and the numbers stay
 * in columns however long it is.
 */
static void owners_grid(FILE *f, const struct twstat_reading *s, size_t n,
			bool details, const struct tw_out_opts *o,
			const char *indent)
{
	const struct tw_table *t = s->cgroups;
	size_t nnum = ARRAY_SIZE(shown), ncols = 2 + nnum + (details ? 3 : 0);
	size_t last = ncols - 1, r, k;
	struct grid g;

	grid_init(&g, ncols, details ? "lrrrrrrrrllll" : "lrrrrrrrrl");
	grid_add_row(&g);
	grid_set(&g, 0, NULL, "USER");
	for (k = 0; k < nnum; k++)
		grid_set(&g, 1 + k, NULL, "%s", shown[k].head);
	if (details) {
		grid_set(&g, 1 + nnum, NULL, "UNIT");
		grid_set(&g, 2 + nnum, NULL, "CONTAINER");
		grid_set(&g, 3 + nnum, NULL, "POD");
	}
	grid_set(&g, last, NULL, "CGROUP");
	for (r = 0; r < n; r++) {
		const char *user = tw_owner_user(s, r);
		const struct tw_cell *uid = tw_cell(t, r, tw_col(t, "uid"));

		grid_add_row(&g);
		grid_set(&g, 0, NULL, "%s", user ? user : uid->text);
		for (k = 0; k < nnum; k++) {
			const struct tw_cell *c = tw_cell(t, r, tw_col(t, shown[k].col));

			grid_set(&g, 1 + k,
				 !strcmp(shown[k].col, "close_wait") && c->num ?
				 C_RED : NULL, "%s", c->text);
		}
		if (details) {
			struct tw_cgroup_owner ow;
			uint64_t id = 0;

			tw_cell_num(t, r, tw_col(t, "cgroup"), &id);
			tw_cgroup_owner(id ? tw_cgroup_path(s, id) : NULL, &ow);
			grid_set(&g, 1 + nnum, NULL, "%s", *ow.unit ? ow.unit : "-");
			/* docker ps shows 12 digits; JSON has all 64 */
			grid_set(&g, 2 + nnum, NULL, "%.12s",
				 *ow.container ? ow.container : "-");
			grid_set(&g, 3 + nnum, NULL, "%s", *ow.pod ? ow.pod : "-");
		}
		grid_set(&g, last, NULL, "%s", tw_owner_cgroup(s, r));
	}
	grid_add_row(&g);
	grid_set(&g, 0, NULL, "-");
	for (k = 0; k < nnum; k++) {
		uint64_t v;
		bool any;

		sum_rest(t, shown[k].col, n, &v, &any);
		if (any)
			grid_set(&g, 1 + k, NULL, "%llu", (unsigned long long)v);
		else
			grid_set(&g, 1 + k, NULL, "-");
	}
	for (k = 1 + nnum; k < last; k++)
		grid_set(&g, k, NULL, "-");
	grid_set(&g, last, NULL, "others");
	grid_print(f, &g, o, indent);
}

/* twstat --by-cgroup: 0, or 1 when the module has no tw_cgroups. */
int tw_print_cgroups(FILE *f, const struct twstat_reading *s,
		     const struct tw_out_opts *o)
{
	size_t rows, n;

	if (!s->cgroups)
		return 1;
	rows = tw_table_data_rows(s->cgroups);
	n = rows < o->top ? rows : o->top;
	if (!o->no_header)
		fprintf(f, "Sockets by owner (tw_cgroups: %zu (cgroup, uid) pairs listed by the module, worst first)\n",
			rows);
	owners_grid(f, s, n, true, o, "");
	return 0;
}

/* The summary's few worst owners, when the module has the file. */
void tw_summary_owners(FILE *f, const struct twstat_reading *s,
		       const struct tw_out_opts *o)
{
	size_t rows, n;

	if (!s->cgroups)
		return;
	rows = tw_table_data_rows(s->cgroups);
	n = rows < 5 ? rows : 5;
	n = n < o->top ? n : o->top;
	fprintf(f, "\nOwners (tw_cgroups, worst first; twstat --by-cgroup has all)\n");
	if (!rows) {
		fputs("  no full sockets\n", f);
		return;
	}
	owners_grid(f, s, n, false, o, "  ");
}

/* Labels of row @r: cgroup, uid, user when known, then @state if any. */
static void row_labels(const struct twstat_reading *s, size_t r,
		       const char *state, const char *labels[9])
{
	const struct tw_table *t = s->cgroups;
	const char *user = tw_owner_user(s, r);
	size_t k = 0;

	labels[k++] = "cgroup";
	labels[k++] = tw_owner_cgroup(s, r);
	labels[k++] = "uid";
	labels[k++] = tw_cell(t, r, tw_col(t, "uid"))->text;
	if (user) {
		labels[k++] = "user";
		labels[k++] = user;
	}
	if (state) {
		labels[k++] = "state";
		labels[k++] = state;
	}
	labels[k] = NULL;
}

static void emit(struct prom *p, size_t n, const char *metric,
		 const char *type, const char *help, const char *col,
		 const char *state, bool with_other)
{
	const struct tw_table *t = p->s->cgroups;
	int c = tw_col(t, col);
	bool head = !type;
	uint64_t v;
	size_t r;

	for (r = 0; r < n; r++) {
		const char *labels[9];

		if (!tw_cell_num(t, r, c, &v))
			continue;
		if (!head)
			prom_family(p, metric, type, help);
		head = true;
		row_labels(p->s, r, state, labels);
		prom_sample_u64(p, metric, v, labels);
	}
	if (with_other) {
		const char *labels[7] = {
			"cgroup", "other", "uid", "other",
			state ? "state" : NULL, state, NULL
		};
		bool any;

		if (!head)
			prom_family(p, metric, type, help);
		sum_rest(t, col, n, &v, &any);
		prom_sample_u64(p, metric, v, labels);
	}
}

/*
 * tw_stats_cgroup_*: the top N rows by name, the rest summed into
 * cgroup="other", so the series are as bounded as --top.
 */
void prom_cgroups(struct prom *p)
{
	static const char *const states[] = {
		"established", "close_wait", "syn_sent", "other", "listen",
	};
	const struct tw_table *t = p->s->cgroups;
	size_t rows, n, k;

	if (!t)
		return;
	rows = tw_table_data_rows(t);
	n = rows < p->o->top ? rows : p->o->top;
	for (k = 0; k < ARRAY_SIZE(states); k++)
		emit(p, n, "tw_stats_cgroup_sockets", k ? NULL : "gauge",
		     "Full sockets per owner (cgroup v2 path, uid) and state; cgroup=\"other\" sums the owners not listed.",
		     states[k], states[k], true);
	emit(p, n, "tw_stats_cgroup_timewait_server_sockets", "gauge",
	     "TIME_WAIT sockets on the local ports where the owner listens (server-side TIME_WAIT).",
	     "tw_server", NULL, true);
	emit(p, n, "tw_stats_cgroup_ephemeral_ports_in_use", "gauge",
	     "The owner's full sockets on an ephemeral local port.",
	     "ephemeral_in_use", NULL, true);
	emit(p, n, "tw_stats_cgroup_close_wait_idle_max_seconds", "gauge",
	     "Longest time any of the owner's CLOSE_WAIT sockets has received nothing; growing means a leak.",
	     "close_wait_idle_max_s", NULL, false);
}
