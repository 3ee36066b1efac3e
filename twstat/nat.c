// SPDX-License-Identifier: GPL-2.0
/*
 * The NAT's view: tw_nat's rows (per protocol, translated source and
 * destination) as --nat's table, the summary's "NAT" section and the
 * tw_stats_nat_destination_* Prometheus families, with the totals the
 * nat_ and conntrack_ lines of tw_stats give.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "nat.h"
#include "prometheus.h"
#include "reading.h"
#include "util.h"
#include "tw_stats_format.h"

/* The per-state columns, and the state label each becomes. */
static const char *const nat_states[] = {
	"time_wait", "close_wait", "established", "other",
};

static uint64_t cell_or0(const struct tw_table *t, size_t r, const char *col)
{
	uint64_t v = 0;

	tw_cell_num(t, r, tw_col(t, col), &v);
	return v;
}

bool tw_nat_row(const struct twstat_reading *s, size_t r,
		struct tw_nat_row *out)
{
	const struct tw_table *t = s->nat;

	memset(out, 0, sizeof(*out));
	if (!t || r >= t->nrows)
		return false;
	out->proto = tw_cell(t, r, tw_col(t, "proto"))->text;
	out->source = tw_cell(t, r, tw_col(t, "source"))->text;
	out->destination = tw_cell(t, r, tw_col(t, "destination"))->text;
	out->flows = cell_or0(t, r, "flows");
	out->time_wait = cell_or0(t, r, "time_wait");
	out->close_wait = cell_or0(t, r, "close_wait");
	out->established = cell_or0(t, r, "established");
	out->other = cell_or0(t, r, "other");
	/* the parser let through all three numbers or none (table.c) */
	out->have_range =
		tw_cell_num(t, r, tw_col(t, "port_min"), &out->port_min) &&
		tw_cell_num(t, r, tw_col(t, "port_max"), &out->port_max) &&
		tw_cell_num(t, r, tw_col(t, "headroom"), &out->headroom);
	if (out->have_range)
		out->range = out->port_max - out->port_min + 1;
	return true;
}

uint64_t tw_nat_ct_timeout(const struct twstat_reading *s, bool *read)
{
	*read = s->ct_tw_timeout.have;
	return s->ct_tw_timeout.have ? s->ct_tw_timeout.value :
	       TW_CT_TW_TIMEOUT_DEFAULT;
}

int tw_nat_active(const struct twstat_reading *s)
{
	uint64_t v;

	if (!tw_get(&s->stats, TW_STAT_NAT_ACTIVE, &v))
		return -1;
	return v ? 1 : 0;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/*
 * Rows [0, n) of tw_nat, then one "others" row summing the rest and the
 * module's own others row (no range there: it spans many).
 */
static void nat_grid(FILE *f, const struct twstat_reading *s, size_t n,
		     const struct tw_out_opts *o, const char *indent)
{
	static const char *const heads[] = {
		"PROTO", "SOURCE", "DESTINATION", "FLOWS", "TIME_WAIT",
		"CLOSE_WAIT", "ESTAB", "OTHER", "PORTS", "HEADROOM", "FREE",
	};
	const struct tw_table *t = s->nat;
	struct tw_nat_row row, sum;
	struct grid g;
	size_t r;

	grid_init(&g, ARRAY_SIZE(heads), "lllrrrrrrrr");
	grid_add_header(&g, heads);
	for (r = 0; r < n; r++) {
		const char *color = NULL;
		double pct = -1;

		tw_nat_row(s, r, &row);
		if (row.have_range) {
			pct = 100.0 * (double)row.headroom / (double)row.range;
			color = grid_pct_color(pct);
		}
		grid_add_row(&g);
		grid_set(&g, 0, NULL, "%s", row.proto);
		grid_set(&g, 1, NULL, "%s", row.source);
		grid_set(&g, 2, NULL, "%s", row.destination);
		grid_set(&g, 3, NULL, "%llu", (unsigned long long)row.flows);
		grid_set(&g, 4, NULL, "%llu", (unsigned long long)row.time_wait);
		grid_set(&g, 5, NULL, "%llu", (unsigned long long)row.close_wait);
		grid_set(&g, 6, NULL, "%llu", (unsigned long long)row.established);
		grid_set(&g, 7, NULL, "%llu", (unsigned long long)row.other);
		if (row.have_range) {
			grid_set(&g, 8, NULL, "%llu-%llu",
				 (unsigned long long)row.port_min,
				 (unsigned long long)row.port_max);
			grid_set(&g, 9, color, "%llu",
				 (unsigned long long)row.headroom);
			grid_set(&g, 10, color, "%.1f%%", pct);
		} else {
			grid_set(&g, 8, NULL, "-");
			grid_set(&g, 9, NULL, "-");
			grid_set(&g, 10, NULL, "-");
		}
	}
	if (t->nrows > n) {
		memset(&sum, 0, sizeof(sum));
		for (r = n; r < t->nrows; r++) {
			tw_nat_row(s, r, &row);
			sum.flows = add_sat(sum.flows, row.flows);
			sum.time_wait = add_sat(sum.time_wait, row.time_wait);
			sum.close_wait = add_sat(sum.close_wait, row.close_wait);
			sum.established = add_sat(sum.established, row.established);
			sum.other = add_sat(sum.other, row.other);
		}
		grid_add_row(&g);
		grid_set(&g, 0, NULL, "others");
		grid_set(&g, 1, NULL, "-");
		grid_set(&g, 2, NULL, "-");
		grid_set(&g, 3, NULL, "%llu", (unsigned long long)sum.flows);
		grid_set(&g, 4, NULL, "%llu", (unsigned long long)sum.time_wait);
		grid_set(&g, 5, NULL, "%llu", (unsigned long long)sum.close_wait);
		grid_set(&g, 6, NULL, "%llu", (unsigned long long)sum.established);
		grid_set(&g, 7, NULL, "%llu", (unsigned long long)sum.other);
		grid_set(&g, 8, NULL, "-");
		grid_set(&g, 9, NULL, "-");
		grid_set(&g, 10, NULL, "-");
	}
	grid_print(f, &g, o, indent);
}

/* The tw_stats totals, one line: what the rows cannot say by themselves. */
static void nat_totals(FILE *f, const struct twstat_reading *s,
		       const char *indent)
{
	const struct tw_stats *st = &s->stats;
	uint64_t v;

	if (!tw_get(st, TW_STAT_NAT_FLOWS, &v))
		return;
	fprintf(f, "%s%llu NATed flows", indent, (unsigned long long)v);
	if (tw_get(st, TW_STAT_NAT_TIME_WAIT, &v))
		fprintf(f, ", %llu in conntrack TIME_WAIT",
			(unsigned long long)v);
	if (tw_get(st, TW_STAT_NAT_UNTRACKED_FLOWS, &v) && v)
		fprintf(f, ", %llu beyond the module's table (in others)",
			(unsigned long long)v);
	if (tw_get(st, TW_STAT_CONNTRACK_INSERT_FAILED, &v)) {
		fprintf(f, "; conntrack insert_failed %llu",
			(unsigned long long)v);
		fprintf(f, ", drop %llu, early_drop %llu",
			(unsigned long long)tw_get0(st, TW_STAT_CONNTRACK_DROP),
			(unsigned long long)tw_get0(st, TW_STAT_CONNTRACK_EARLY_DROP));
	}
	fputc('\n', f);
}

/* "conntrack TIME_WAIT lasts 120 s" and where that number comes from. */
static void timeout_words(FILE *f, const struct twstat_reading *s)
{
	bool read;
	uint64_t t = tw_nat_ct_timeout(s, &read);

	fprintf(f, "conntrack TIME_WAIT lasts %llu s%s",
		(unsigned long long)t,
		read ? "" : " (the kernel's default: the sysctl was not read)");
}

/* Why the view is inactive, as the module said it. */
static const char *inactive_reason(const struct twstat_reading *s)
{
	if (s->nat && s->nat->inactive)
		return s->nat->inactive;
	return "nat_active 0";
}

int tw_print_nat(FILE *f, const struct twstat_reading *s,
		 const struct tw_out_opts *o)
{
	size_t rows, n;

	if (!s->nat)
		return 1;
	/*
	 * The table's own word: tw_stats was read a moment apart, and
	 * nf_conntrack may have come or gone in between.
	 */
	if (s->nat->inactive) {
		fprintf(f, "NAT view inactive: %s\n", inactive_reason(s));
		return 0;
	}
	rows = tw_table_data_rows(s->nat);
	n = rows < o->top ? rows : o->top;
	if (!o->no_header) {
		fprintf(f, "Source-NATed flows by translated source and destination (tw_nat: %zu listed by the module, least headroom first; ",
			rows);
		timeout_words(f, s);
		fputs(")\n", f);
	}
	if (!rows && !s->nat->has_others) {
		fputs("no source-NATed flows\n", f);
		return 0;
	}
	nat_grid(f, s, n, o, "");
	nat_totals(f, s, "");
	return 0;
}

void tw_summary_nat(FILE *f, const struct twstat_reading *s,
		    const struct tw_out_opts *o)
{
	int active = tw_nat_active(s);
	uint64_t flows = 0;
	size_t rows, n;

	if (active < 0)
		return;		/* an older module: it has no NAT view */
	if (!active) {
		fprintf(f, "\nNAT view inactive: %s\n", inactive_reason(s));
		return;
	}
	rows = tw_table_data_rows(s->nat);
	tw_get(&s->stats, TW_STAT_NAT_FLOWS, &flows);
	if (!flows && !rows)
		return;
	fputs("\nSource NAT, least headroom first (", f);
	timeout_words(f, s);
	fputs("; twstat --nat has all)\n", f);
	if (s->nat && !s->nat->inactive && s->nat->nrows) {
		n = rows < 5 ? rows : 5;
		n = n < o->top ? n : o->top;
		nat_grid(f, s, n, o, "  ");
	}
	nat_totals(f, s, "  ");
}

/*
 * One family from tw_nat: rows [0, n) labelled proto, source and
 * destination (and state); with @col_state NULL the column is @col,
 * else the state columns in turn.  With @with_other the rest and the
 * module's others row become one series labelled "other".
 */
static void prom_nat_family(struct prom *p, const char *metric,
			    const char *help, size_t n, bool states,
			    const char *col, bool with_other)
{
	const struct tw_table *t = p->s->nat;
	size_t k, nk = states ? ARRAY_SIZE(nat_states) : 1, r;
	bool head = false;

	for (k = 0; k < nk; k++) {
		const char *c = states ? nat_states[k] : col;
		uint64_t rest = 0;

		for (r = 0; r < t->nrows; r++) {
			struct tw_nat_row row;
			const char *labels[9] = {
				"proto", NULL, "source", NULL,
				"destination", NULL,
				states ? "state" : NULL, c, NULL
			};
			uint64_t v;

			tw_nat_row(p->s, r, &row);
			if (r >= n) {
				rest = add_sat(rest, cell_or0(t, r, c));
				continue;
			}
			if (!strcmp(c, "range")) {
				if (!row.have_range)
					continue;
				v = row.range;
			} else if (!tw_cell_num(t, r, tw_col(t, c), &v)) {
				continue;
			}
			labels[1] = row.proto;
			labels[3] = row.source;
			labels[5] = row.destination;
			if (!head)
				prom_family(p, metric, "gauge", help);
			head = true;
			prom_sample_u64(p, metric, v, labels);
		}
		if (with_other) {
			const char *labels[9] = {
				"proto", "other", "source", "other",
				"destination", "other",
				states ? "state" : NULL, c, NULL
			};

			if (!head)
				prom_family(p, metric, "gauge", help);
			head = true;
			prom_sample_u64(p, metric, rest, labels);
		}
	}
}

/*
 * tw_stats_nat_destination_*: the module's rows are bounded by its top_n,
 * and --top bounds them again: at most N + 1 series per family and state.
 */
void prom_nat(struct prom *p)
{
	const struct tw_table *t = p->s->nat;
	size_t rows, n;

	if (!t || t->inactive)
		return;
	rows = tw_table_data_rows(t);
	n = rows < p->o->top ? rows : p->o->top;
	prom_nat_family(p, "tw_stats_nat_destination_flows",
			"Source-NATed flows in conntrack per (protocol, translated source address, destination) and conntrack TCP state; proto=\"other\" sums the rows not listed.",
			n, true, NULL, true);
	prom_nat_family(p, "tw_stats_nat_destination_headroom_ports",
			"How many more flows toward the destination the NAT can translate to that source: its port range less the flows holding a port of it.",
			n, false, "headroom", false);
	prom_nat_family(p, "tw_stats_nat_destination_range_ports",
			"Size of the source-port range the NAT picks from for these flows (port_max - port_min + 1).",
			n, false, "range", false);
}
