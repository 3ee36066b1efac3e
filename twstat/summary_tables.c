// SPDX-License-Identifier: GPL-2.0
/*
 * The summary's table sections: the busiest ports, destinations with
 * their headroom, drops, any table as the file has it, debugfs, and the
 * --all-netns table with the names of the namespaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "grid.h"
#include "netns_names.h"
#include "reading.h"
#include "summary.h"
#include "units.h"
#include "util.h"
#include "tw_stats_format.h"

/* A port's cell by column name, or "-" when the module has no such column. */
static void set_num(struct grid *g, size_t gcol, const struct tw_table *t,
		    size_t row, const char *name, const char *color)
{
	const struct tw_cell *c = tw_cell(t, row, tw_col(t, name));

	grid_set(g, gcol, color, "%s", c ? c->text : "-");
}

void tw_summary_ports(FILE *f, const struct twstat_reading *s,
		      const struct tw_out_opts *o)
{
	static const char *const cols[] = {
		"port", "tw", "fin_wait2", "established", "close_wait",
		"other", "listen", "bind_explicit", "bind_owners",
	};
	static const char *const heads[] = {
		"PORT", "TW", "FIN_WAIT2", "ESTAB", "CLOSE_WAIT", "OTHER",
		"LISTEN", "BOUND", "OWNERS",
	};
	size_t *top, n, i, c;
	struct grid g;

	if (!s->ports)
		return;
	top = tw_top_ports(s->ports, o->top, &n);
	fprintf(f, "\nBusiest local ports (%zu with sockets, by TIME_WAIT)\n",
		tw_table_data_rows(s->ports));
	if (!n) {
		fputs("  no TIME_WAIT on any port\n", f);
		free(top);
		return;
	}
	grid_init(&g, ARRAY_SIZE(heads), "rrrrrrrrr");
	grid_add_header(&g, heads);
	for (i = 0; i < n; i++) {
		grid_add_row(&g);
		for (c = 0; c < 9; c++)
			set_num(&g, c, s->ports, top[i], cols[c], NULL);
	}
	grid_print(f, &g, o, "  ");
	free(top);
}

void tw_summary_dests(FILE *f, const struct twstat_reading *prev,
		      const struct twstat_reading *s,
		      const struct tw_out_opts *o)
{
	static const char *const heads[] = {
		"LOCAL", "REMOTE", "TW", "OTHER", "IN_USE", "REUSABLE",
		"HEADROOM", "FREE", "CONN/S", "FULL_IN",
	};
	const struct tw_table *d = s->dests;
	uint64_t eph = tw_ephemeral_ports(s);
	size_t rows, i, shown;
	struct grid g;

	if (!d)
		return;
	rows = tw_table_data_rows(d);
	fprintf(f, "\nDestinations closest to ephemeral port exhaustion");
	if (eph)
		fprintf(f, " (%llu ports per destination)",
			(unsigned long long)eph);
	fputc('\n', f);
	if (!rows) {
		fputs("  none\n", f);
		return;
	}
	grid_init(&g, ARRAY_SIZE(heads), "llrrrrrrrr");
	grid_add_header(&g, heads);
	shown = rows < o->top ? rows : o->top;
	for (i = 0; i < d->nrows; i++) {
		uint64_t head;
		double growth, pct = -1;
		const char *color = NULL;

		if (i >= shown && i < rows)
			continue;
		grid_add_row(&g);
		if (tw_cell_num(d, i, tw_col(d, "headroom"), &head) && eph) {
			pct = 100.0 * (double)head / (double)eph;
			color = grid_pct_color(pct);
		}
		set_num(&g, 0, d, i, "local", NULL);
		set_num(&g, 1, d, i, "remote", NULL);
		set_num(&g, 2, d, i, "tw", NULL);
		set_num(&g, 3, d, i, "other", NULL);
		set_num(&g, 4, d, i, "in_use", NULL);
		set_num(&g, 5, d, i, "reusable", NULL);
		set_num(&g, 6, d, i, "headroom", color);
		if (pct >= 0)
			grid_set(&g, 7, color, "%.1f%%", pct);
		else
			grid_set(&g, 7, NULL, "-");
		set_num(&g, 8, d, i, "conn_per_s", NULL);
		if (i < rows && pct >= 0 && tw_dest_growth(prev, s, i, &growth)) {
			char buf[32];

			if (growth > 0) {
				tw_human_seconds(buf, sizeof(buf),
						 (double)head / growth);
				grid_set(&g, 9, grid_pct_color(head / growth < 600 ?
						0 : 100), "%s", buf);
			} else {
				grid_set(&g, 9, NULL, "never");
			}
		} else {
			grid_set(&g, 9, NULL, "-");
		}
	}
	if (rows > shown) {
		/* the module's "others" row does not include the ones we cut */
		grid_add_row(&g);
		grid_set(&g, 0, NULL, "(%zu more)", rows - shown);
	}
	grid_print(f, &g, o, "  ");
}

void tw_summary_drops(FILE *f, const struct twstat_reading *s,
		      const struct tw_out_opts *o)
{
	static const char *const heads[] = {
		"REMOTE", "REASON", "COUNT", "LAST_AGO",
	};
	const struct tw_stats *st = &s->stats;
	const struct tw_table *d = s->drops;
	bool any = false;
	size_t i, rows, shown;
	struct grid g;

	for (i = 0; i < st->n; i++) {
		if (strncmp(st->v[i].name, TW_STAT_DROP_PREFIX, sizeof(TW_STAT_DROP_PREFIX) - 1) || !st->v[i].value)
			continue;
		fprintf(f, any ? ", %s %llu" : "\nDrops since load: %s %llu",
			st->v[i].name + 5, (unsigned long long)st->v[i].value);
		any = true;
	}
	if (any)
		fputc('\n', f);
	rows = tw_table_data_rows(d);
	if (!d || !rows)
		return;
	if (!any)
		fputs("\nDrops\n", f);
	grid_init(&g, ARRAY_SIZE(heads), "llrr");
	grid_add_header(&g, heads);
	shown = rows < o->top ? rows : o->top;
	for (i = 0; i < d->nrows; i++) {
		uint64_t ago;

		if (i >= shown && i < rows)
			continue;
		grid_add_row(&g);
		set_num(&g, 0, d, i, "remote", NULL);
		set_num(&g, 1, d, i, "reason", NULL);
		set_num(&g, 2, d, i, "count", o->color ? C_RED : NULL);
		if (tw_cell_num(d, i, tw_col(d, "last_seconds_ago"), &ago)) {
			char buf[32];

			tw_human_seconds(buf, sizeof(buf), (double)ago);
			grid_set(&g, 3, NULL, "%s", buf);
		} else {
			grid_set(&g, 3, NULL, "-");
		}
	}
	grid_print(f, &g, o, "  ");
}

/* Any table, every column as the file names it (tw_netns). */
void tw_summary_raw_table(FILE *f, const char *title,
			  const struct tw_table *t,
			  const struct tw_out_opts *o)
{
	size_t ncols, i, c, rows, shown;
	struct grid g;
	char right[GRID_MAX_COLS + 1];

	if (!t)
		return;
	ncols = t->ncols < GRID_MAX_COLS ? t->ncols : GRID_MAX_COLS;
	for (c = 0; c < ncols; c++)
		right[c] = t->col_is_text[c] ? 'l' : 'r';
	right[ncols] = '\0';
	fprintf(f, "\n%s\n", title);
	grid_init(&g, ncols, right);
	grid_add_row(&g);
	for (c = 0; c < ncols; c++)
		grid_set_header(&g, c, t->cols[c]);
	rows = tw_table_data_rows(t);
	shown = rows < o->top ? rows : o->top;
	for (i = 0; i < t->nrows; i++) {
		if (i >= shown && i < rows)
			continue;
		grid_add_row(&g);
		for (c = 0; c < ncols; c++)
			grid_set(&g, c, NULL, "%s", tw_cell(t, i, c)->text);
	}
	grid_print(f, &g, o, "  ");
}

void tw_summary_debugfs(FILE *f, const struct twstat_reading *s)
{
	size_t i;

	if (s->chains && tw_table_data_rows(s->chains)) {
		int lc = tw_col(s->chains, "length");
		int bc = tw_col(s->chains, "buckets");

		fputs("\nehash chains (length: buckets)", f);
		for (i = 0; i < s->chains->nrows; i++)
			fprintf(f, "%s %s: %s", i ? "," : "",
				tw_cell(s->chains, i, lc)->text,
				tw_cell(s->chains, i, bc)->text);
		fputc('\n', f);
	}
	if (s->walk_cost && s->walk_cost->n) {
		fputs("walk cost", f);
		for (i = 0; i < s->walk_cost->n; i++) {
			const struct tw_stat *v = &s->walk_cost->v[i];

			if (v->none)
				fprintf(f, "%s %s -", i ? "," : "", v->name);
			else
				fprintf(f, "%s %s %llu", i ? "," : "", v->name,
					(unsigned long long)v->value);
		}
		fputc('\n', f);
	}
}

/*
 * --all-netns: tw_netns with who lives in each namespace.  The names go
 * last: a cgroup path is long and would push the numbers out of line.
 */
void tw_print_netns_summary(FILE *f, const struct twstat_reading *s,
			    const struct tw_out_opts *o)
{
	static const char *const extra[] = { "NAME", "PID", "COMM", "CGROUP" };
	const struct tw_table *t = s->netns_table;
	size_t ncols, i, c, rows, shown;
	char right[GRID_MAX_COLS + 1];
	struct grid g;

	fprintf(f, "%stw_netns%s", o->color ? C_BOLD : "", o->color ? C_OFF : "");
	if (s->have_netns)
		fprintf(f, " seen from netns %llu", (unsigned long long)s->netns);
	fprintf(f, " from %s, %zu namespace%s with TCP sockets\n", s->source,
		tw_table_data_rows(t), tw_table_data_rows(t) == 1 ? "" : "s");
	ncols = t->ncols < GRID_MAX_COLS - 4 ? t->ncols : GRID_MAX_COLS - 4;
	for (c = 0; c < ncols; c++)
		right[c] = t->col_is_text[c] ? 'l' : 'r';
	memcpy(right + ncols, "lrll", 5);
	grid_init(&g, ncols + 4, right);
	grid_add_row(&g);	/* the header: grid_print drops it for -H */
	for (c = 0; c < ncols; c++)
		grid_set_header(&g, c, t->cols[c]);
	for (c = 0; c < 4; c++)
		grid_set(&g, ncols + c, NULL, "%s", extra[c]);
	rows = tw_table_data_rows(t);
	shown = rows < o->top ? rows : o->top;
	for (i = 0; i < t->nrows; i++) {
		const struct tw_netns_name *n = NULL;
		uint64_t ino;

		if (i >= shown && i < rows)
			continue;
		grid_add_row(&g);
		for (c = 0; c < ncols; c++)
			grid_set(&g, c, NULL, "%s", tw_cell(t, i, c)->text);
		if (i < rows && tw_cell_num(t, i, 0, &ino))
			n = tw_netns_name_of(s, ino);
		grid_set(&g, ncols, NULL, "%s", n && n->name ? n->name : "-");
		if (n && n->pid) {
			grid_set(&g, ncols + 1, NULL, "%llu",
				 (unsigned long long)n->pid);
			grid_set(&g, ncols + 2, NULL, "%s",
				 n->comm && *n->comm ? n->comm : "-");
			grid_set(&g, ncols + 3, NULL, "%s",
				 n->cgroup ? n->cgroup : "-");
		} else {
			for (c = 1; c < 4; c++)
				grid_set(&g, ncols + c, NULL, "-");
		}
	}
	grid_print(f, &g, o, "");
	if (rows > shown)
		fprintf(f, "(%zu more namespaces not shown: --top N shows more)\n",
			rows - shown);
}
