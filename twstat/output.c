// SPDX-License-Identifier: GPL-2.0
/*
 * The one-screen summary for people (also the frame --watch redraws):
 * aligned tables of what one snapshot holds, rates when an earlier
 * snapshot is given, colour only when asked for.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "twstat.h"
#include "util.h"

#define C_BOLD	"\033[1m"
#define C_RED	"\033[31m"
#define C_YEL	"\033[33m"
#define C_OFF	"\033[0m"

#define GRID_MAX_COLS	16

/* A table being laid out: every cell's text first, widths after. */
struct grid {
	size_t ncols, nrows, cap;
	char **cells;
	const char **colors;
	bool right[GRID_MAX_COLS];
};

static void grid_init(struct grid *g, size_t ncols, const char *right)
{
	size_t i;

	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	/* right: one character per column, 'r' for numbers */
	for (i = 0; i < ncols && right[i]; i++)
		g->right[i] = right[i] == 'r';
}

static void grid_add_row(struct grid *g)
{
	if (g->nrows == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->cells = xrealloc(g->cells, g->cap * g->ncols * sizeof(char *));
		g->colors = xrealloc(g->colors, g->cap * g->ncols * sizeof(char *));
	}
	memset(&g->cells[g->nrows * g->ncols], 0, g->ncols * sizeof(char *));
	memset(&g->colors[g->nrows * g->ncols], 0, g->ncols * sizeof(char *));
	g->nrows++;
}

static void __attribute__((format(printf, 4, 5)))
grid_set(struct grid *g, size_t col, const char *color, const char *fmt, ...)
{
	size_t at = (g->nrows - 1) * g->ncols + col;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&g->cells[at], fmt, ap) < 0)
		tw_oom();
	va_end(ap);
	g->colors[at] = color;
}

static void grid_free(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nrows * g->ncols; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g->colors);
}

/* Print and free; row 0 is the header, left out with -H. */
static void grid_print(FILE *f, struct grid *g, const struct tw_out_opts *o,
		       const char *indent)
{
	size_t width[GRID_MAX_COLS] = { 0 }, r, c;

	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < g->ncols; c++) {
			const char *s = g->cells[r * g->ncols + c];
			size_t n = s ? strlen(s) : 0;

			if ((r || !o->no_header) && n > width[c])
				width[c] = n;
		}
	for (r = o->no_header ? 1 : 0; r < g->nrows; r++) {
		size_t end = g->ncols;

		/* no trailing blanks: stop after the last non-empty cell */
		while (end > 1 && (!g->cells[r * g->ncols + end - 1] ||
				   !*g->cells[r * g->ncols + end - 1]))
			end--;
		fputs(indent, f);
		for (c = 0; c < end; c++) {
			const char *s = g->cells[r * g->ncols + c];
			const char *color = g->colors[r * g->ncols + c];
			bool last = c + 1 == end;
			int w = (int)width[c];

			if (!s)
				s = "";
			if (r == 0 && o->color)
				color = C_BOLD;
			if (!o->color)
				color = NULL;
			if (color)
				fputs(color, f);
			if (g->right[c] && !(last && !*s))
				fprintf(f, "%*s", w, s);
			else if (last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", w, s);
			if (color)
				fputs(C_OFF, f);
			if (!last)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
	grid_free(g);
}

void tw_human_bytes(char *buf, size_t len, double bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%.0f B", bytes);
		return;
	}
	bytes /= 1024;
	while (bytes >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

void tw_human_seconds(char *buf, size_t len, double secs)
{
	if (secs < 1)
		snprintf(buf, len, "%.0f ms", secs * 1000);
	else if (secs < 120)
		snprintf(buf, len, "%.1f s", secs);
	else if (secs < 2 * 3600)
		snprintf(buf, len, "%.0f min", secs / 60);
	else if (secs < 2 * 86400)
		snprintf(buf, len, "%.1f h", secs / 3600);
	else
		snprintf(buf, len, "%.0f d", secs / 86400);
}

/* Per second between two snapshots; a counter that went back is a reset. */
double tw_rate(const struct twstat_reading *prev, const struct twstat_reading *cur,
	       uint64_t before, uint64_t after, bool *ok)
{
	double dt;

	*ok = false;
	if (!prev)
		return 0;
	dt = cur->time_mono - prev->time_mono;
	if (dt <= 0)
		return 0;
	*ok = true;
	return ((double)after - (double)before) / dt;
}

/* Row @row of cur's destinations, in prev: same local and remote. */
static bool dest_in_prev(const struct twstat_reading *prev,
			 const struct twstat_reading *cur, size_t row,
			 size_t *prow)
{
	int lc = tw_col(cur->dests, "local"), rc = tw_col(cur->dests, "remote");
	int plc = tw_col(prev->dests, "local"), prc = tw_col(prev->dests, "remote");
	const char *l = tw_cell(cur->dests, row, lc)->text;
	const char *r = tw_cell(cur->dests, row, rc)->text;
	size_t i;

	for (i = 0; i < tw_table_data_rows(prev->dests); i++)
		if (!strcmp(tw_cell(prev->dests, i, plc)->text, l) &&
		    !strcmp(tw_cell(prev->dests, i, prc)->text, r)) {
			*prow = i;
			return true;
		}
	return false;
}

/*
 * How fast a destination's ports fill up: the change of in_use since an
 * earlier snapshot.  One snapshot cannot tell: conn_per_s is what the
 * ports sustain, not the rate at which they are used now.
 */
bool tw_dest_growth(const struct twstat_reading *prev,
		    const struct twstat_reading *cur, size_t row, double *per_s)
{
	const struct tw_table *d = cur->dests;
	uint64_t in_use, before;
	size_t prow;
	bool ok;

	if (prev && prev->dests && dest_in_prev(prev, cur, row, &prow) &&
	    tw_cell_num(d, row, tw_col(d, "in_use"), &in_use) &&
	    tw_cell_num(prev->dests, prow, tw_col(prev->dests, "in_use"),
			&before)) {
		*per_s = tw_rate(prev, cur, before, in_use, &ok);
		if (ok)
			return true;
	}
	return false;
}

static const char *pct_color(double pct)
{
	if (pct < 10)
		return C_RED;
	if (pct < 25)
		return C_YEL;
	return NULL;
}

/* The netstat names, in the order netstat's man page lists them. */
static const struct {
	const char *stat, *shown;
} states[] = {
	{ "state_established", "ESTABLISHED" },
	{ "state_syn_sent", "SYN_SENT" },
	{ "state_syn_recv", "SYN_RECV" },
	{ "state_fin_wait1", "FIN_WAIT1" },
	{ "state_fin_wait2", "FIN_WAIT2" },
	{ NULL, "TIME_WAIT" },
	{ "state_close", "CLOSE" },
	{ "state_close_wait", "CLOSE_WAIT" },
	{ "state_last_ack", "LAST_ACK" },
	{ "state_listen", "LISTEN" },
	{ "state_closing", "CLOSING" },
};

static void print_header(FILE *f, const struct twstat_reading *s,
			 const struct tw_out_opts *o)
{
	const struct tw_stats *st = &s->stats;
	uint64_t v;
	char buf[32];

	fprintf(f, "%stw_stats%s", o->color ? C_BOLD : "", o->color ? C_OFF : "");
	if (s->have_netns)
		fprintf(f, " netns %llu", (unsigned long long)s->netns);
	fprintf(f, " from %s", s->source);
	if (tw_get(st, "cache_age_ms", &v)) {
		tw_human_seconds(buf, sizeof(buf), v / 1000.0);
		fprintf(f, ", data %s old", buf);
	}
	if (tw_get(st, "walk_ns", &v)) {
		tw_human_seconds(buf, sizeof(buf), v / 1e9);
		fprintf(f, ", walk %s", buf);
		if (tw_get(st, "walk_buckets", &v))
			fprintf(f, " over %llu buckets", (unsigned long long)v);
		if (tw_get(st, "walk_restarts", &v) && v)
			fprintf(f, " (%llu restarts)", (unsigned long long)v);
	}
	fputc('\n', f);
}

static void print_timewait(FILE *f, const struct twstat_reading *s)
{
	const struct tw_stats *st = &s->stats;
	uint64_t total = tw_get0(st, "tw_total"), v, max, obj;
	char buf[32];

	fprintf(f, "\nTIME_WAIT  %llu sockets", (unsigned long long)total);
	if (tw_get(st, "tw_time_wait", &v))
		fprintf(f, ": %llu time_wait, %llu fin_wait2",
			(unsigned long long)v,
			(unsigned long long)tw_get0(st, "tw_fin_wait2"));
	if (tw_get(st, "tw_ipv4", &v))
		fprintf(f, "; %llu ipv4, %llu ipv6", (unsigned long long)v,
			(unsigned long long)tw_get0(st, "tw_ipv6"));
	fputc('\n', f);
	if (tw_get(st, "tw_memory_bytes", &v)) {
		tw_human_bytes(buf, sizeof(buf), (double)v);
		fprintf(f, "memory     %s", buf);
		if (tw_get(st, "tw_object_bytes", &obj))
			fprintf(f, " (%llu B per socket)", (unsigned long long)obj);
		fputc('\n', f);
	}
	if (tw_get(st, "tw_max_buckets", &max))
		fprintf(f, "limit      tcp_max_tw_buckets %llu, %.1f%% used\n",
			(unsigned long long)max,
			max ? 100.0 * (double)total / (double)max : 0.0);
}

/*
 * TcpExt TW and TWKilled count timewait sockets when they are scheduled
 * (inet_twsk_schedule(), TWKilled for the short PAWS-backed timer), so
 * their sum is the number made; what ended is made minus the net change.
 */
static void print_rates(FILE *f, const struct twstat_reading *prev,
			const struct twstat_reading *cur)
{
	const struct tw_stats *a = &prev->stats, *b = &cur->stats;
	uint64_t before = tw_get0(a, "tw_total"), after = tw_get0(b, "tw_total");
	uint64_t drops_a = 0, drops_b = 0, tw_a, tw_b, k_a = 0, k_b = 0, x, y;
	bool ok;
	double net, made, r;
	size_t i;

	net = tw_rate(prev, cur, before, after, &ok);
	if (!ok)
		return;
	fputs("rates     ", f);
	if (tw_get(a, "tcpext_tw", &tw_a) && tw_get(b, "tcpext_tw", &tw_b) &&
	    tw_b >= tw_a) {
		tw_get(a, "tcpext_twkilled", &k_a);
		tw_get(b, "tcpext_twkilled", &k_b);
		made = tw_rate(prev, cur, tw_a, tw_b, &ok);
		if (k_b >= k_a)
			made += tw_rate(prev, cur, k_a, k_b, &ok);
		fprintf(f, " new TIME_WAIT %.1f/s, ended %.1f/s,", made,
			made - net);
	}
	fprintf(f, " net change %+.1f/s", net);
	for (i = 0; i < b->n; i++) {
		if (strncmp(b->v[i].name, "drop_", 5))
			continue;
		drops_b += b->v[i].value;
		if (tw_get(a, b->v[i].name, &x))
			drops_a += x;
	}
	if (drops_b >= drops_a && drops_b) {
		r = tw_rate(prev, cur, drops_a, drops_b, &ok);
		fprintf(f, ", drops %.1f/s", r);
	}
	if (tw_get(a, "tcpext_tcptimewaitoverflow", &x) &&
	    tw_get(b, "tcpext_tcptimewaitoverflow", &y) && y >= x)
		fprintf(f, ", overflow %.1f/s", tw_rate(prev, cur, x, y, &ok));
	fputc('\n', f);
}

static void print_histogram(FILE *f, const struct twstat_reading *s,
			    const struct tw_out_opts *o)
{
	const struct tw_stats *st = &s->stats;
	unsigned long secs, last = 0;
	uint64_t prev = 0;
	struct grid g;
	size_t col = 1, i;
	char *labels[GRID_MAX_COLS];
	uint64_t counts[GRID_MAX_COLS];

	/* The histogram is cumulative; people want "how many in each span". */
	for (;;) {
		size_t best = st->n;
		unsigned long best_secs = (unsigned long)-1;

		for (i = 0; i < st->n; i++) {
			int used = 0;

			if (sscanf(st->v[i].name, "tw_expires_le_%lus%n", &secs,
				   &used) != 1 || st->v[i].name[used] ||
			    secs <= last || secs >= best_secs)
				continue;
			best = i;
			best_secs = secs;
		}
		if (best == st->n || col == GRID_MAX_COLS)
			break;
		if (asprintf(&labels[col], "%lu-%lus", last, best_secs) < 0)
			exit(1);
		counts[col] = st->v[best].value - prev;
		prev = st->v[best].value;
		last = best_secs;
		col++;
	}
	if (col == 1)
		return;
	fputs("\nTimewait sockets by time left to live\n", f);
	grid_init(&g, col, "lrrrrrrrrrrrrrrr");
	grid_add_row(&g);
	grid_set(&g, 0, NULL, "LEFT");
	for (i = 1; i < col; i++)
		grid_set(&g, i, NULL, "%s", labels[i]);
	grid_add_row(&g);
	grid_set(&g, 0, NULL, "sockets");
	for (i = 1; i < col; i++) {
		grid_set(&g, i, NULL, "%llu", (unsigned long long)counts[i]);
		free(labels[i]);
	}
	grid_print(f, &g, o, "  ");
}

static void print_states(FILE *f, const struct twstat_reading *s,
			 const struct tw_out_opts *o)
{
	const struct tw_stats *st = &s->stats;
	struct grid g;
	uint64_t v, twfw2 = tw_get0(st, "tw_fin_wait2");
	size_t i;

	grid_init(&g, 3, "lrl");
	grid_add_row(&g);
	grid_set(&g, 0, NULL, "STATE");
	grid_set(&g, 1, NULL, "SOCKETS");
	grid_set(&g, 2, NULL, "%s", "");
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		bool have;

		/* netstat shows timewait FIN_WAIT2 sockets as FIN_WAIT2 */
		if (!states[i].stat)
			have = tw_get(st, "tw_time_wait", &v) ||
			       tw_get(st, "tw_total", &v);
		else
			have = tw_get(st, states[i].stat, &v);
		if (!have)
			continue;
		if (!strcmp(states[i].shown, "FIN_WAIT2"))
			v += twfw2;
		if (!v)
			continue;
		grid_add_row(&g);
		grid_set(&g, 0, NULL, "%s", states[i].shown);
		grid_set(&g, 1, NULL, "%llu", (unsigned long long)v);
		if (!strcmp(states[i].shown, "FIN_WAIT2") && twfw2)
			grid_set(&g, 2, NULL, "(%llu of them timewait)",
				 (unsigned long long)twfw2);
	}
	fputs("\nTCP sockets by state\n", f);
	if (g.nrows == 1) {
		fputs("  none\n", f);
		grid_free(&g);
		return;
	}
	grid_print(f, &g, o, "  ");
}

/* A port's cell by column name, or "-" when the module has no such column. */
static void set_num(struct grid *g, size_t gcol, const struct tw_table *t,
		    size_t row, const char *name, const char *color)
{
	const struct tw_cell *c = tw_cell(t, row, tw_col(t, name));

	grid_set(g, gcol, color, "%s", c ? c->text : "-");
}

static uint64_t port_weight(const struct tw_table *t, size_t row)
{
	uint64_t tw = 0, fw2 = 0;

	tw_cell_num(t, row, tw_col(t, "tw"), &tw);
	tw_cell_num(t, row, tw_col(t, "fin_wait2"), &fw2);
	return tw + fw2 < tw ? UINT64_MAX : tw + fw2;
}

static const struct tw_table *sort_table;

static int by_weight(const void *a, const void *b)
{
	size_t ra = *(const size_t *)a, rb = *(const size_t *)b;
	uint64_t wa = port_weight(sort_table, ra), wb = port_weight(sort_table, rb);

	if (wa != wb)
		return wa < wb ? 1 : -1;
	return ra < rb ? -1 : ra > rb;
}

/*
 * Rows of tw_ports with the most timewait sockets, most first (ties:
 * lower port first), at most @n of them; those with none are left out.
 * Returns a malloc()ed array of row indices; *count holds its length.
 */
size_t *tw_top_ports(const struct tw_table *t, size_t n, size_t *count)
{
	size_t rows = tw_table_data_rows(t), have = 0, i;
	size_t *idx = xcalloc(rows + 1, sizeof(*idx));

	for (i = 0; i < rows; i++)
		if (port_weight(t, i))
			idx[have++] = i;
	sort_table = t;
	qsort(idx, have, sizeof(*idx), by_weight);
	*count = have < n ? have : n;
	return idx;
}

static void print_ports(FILE *f, const struct twstat_reading *s,
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
	grid_init(&g, 9, "rrrrrrrrr");
	grid_add_row(&g);
	for (c = 0; c < 9; c++)
		grid_set(&g, c, NULL, "%s", heads[c]);
	for (i = 0; i < n; i++) {
		grid_add_row(&g);
		for (c = 0; c < 9; c++)
			set_num(&g, c, s->ports, top[i], cols[c], NULL);
	}
	grid_print(f, &g, o, "  ");
	free(top);
}

static void print_dests(FILE *f, const struct twstat_reading *prev,
			const struct twstat_reading *s,
			const struct tw_out_opts *o)
{
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
	grid_init(&g, 10, "llrrrrrrrr");
	grid_add_row(&g);
	grid_set(&g, 0, NULL, "LOCAL");
	grid_set(&g, 1, NULL, "REMOTE");
	grid_set(&g, 2, NULL, "TW");
	grid_set(&g, 3, NULL, "OTHER");
	grid_set(&g, 4, NULL, "IN_USE");
	grid_set(&g, 5, NULL, "REUSABLE");
	grid_set(&g, 6, NULL, "HEADROOM");
	grid_set(&g, 7, NULL, "FREE");
	grid_set(&g, 8, NULL, "CONN/S");
	grid_set(&g, 9, NULL, "FULL_IN");
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
			color = pct_color(pct);
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
				grid_set(&g, 9, pct_color(head / growth < 600 ?
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

static void print_drops(FILE *f, const struct twstat_reading *s,
			const struct tw_out_opts *o)
{
	const struct tw_stats *st = &s->stats;
	const struct tw_table *d = s->drops;
	bool any = false;
	size_t i, rows, shown;
	struct grid g;

	for (i = 0; i < st->n; i++) {
		if (strncmp(st->v[i].name, "drop_", 5) || !st->v[i].value)
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
	grid_init(&g, 4, "llrr");
	grid_add_row(&g);
	grid_set(&g, 0, NULL, "REMOTE");
	grid_set(&g, 1, NULL, "REASON");
	grid_set(&g, 2, NULL, "COUNT");
	grid_set(&g, 3, NULL, "LAST_AGO");
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
static void print_raw_table(FILE *f, const char *title,
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
	for (c = 0; c < ncols; c++) {
		char *up = strdup(t->cols[c]), *p;

		for (p = up; p && *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p -= 'a' - 'A';
		grid_set(&g, c, NULL, "%s", up ? up : "?");
		free(up);
	}
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

static void print_debugfs(FILE *f, const struct twstat_reading *s)
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
		for (i = 0; i < s->walk_cost->n; i++)
			fprintf(f, "%s %s %llu", i ? "," : "",
				s->walk_cost->v[i].name,
				(unsigned long long)s->walk_cost->v[i].value);
		fputc('\n', f);
	}
}

void tw_print_summary(FILE *f, const struct twstat_reading *prev,
		      const struct twstat_reading *cur,
		      const struct tw_out_opts *o)
{
	size_t i;

	print_header(f, cur, o);
	print_timewait(f, cur);
	if (prev)
		print_rates(f, prev, cur);
	print_histogram(f, cur, o);
	print_states(f, cur, o);
	print_ports(f, cur, o);
	print_dests(f, prev, cur, o);
	print_drops(f, cur, o);
	print_raw_table(f, "Network namespaces (tw_netns)", cur->netns_table, o);
	print_debugfs(f, cur);
	for (i = 0; i < cur->nnotes; i++)
		fprintf(f, "%snote: %s\n", i ? "" : "\n", cur->notes[i]);
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
	for (c = 0; c < ncols; c++) {
		char up[160];
		size_t k;

		for (k = 0; t->cols[c][k] && k + 1 < sizeof(up); k++)
			up[k] = t->cols[c][k] >= 'a' && t->cols[c][k] <= 'z' ?
				t->cols[c][k] - ('a' - 'A') : t->cols[c][k];
		up[k] = '\0';
		grid_set(&g, c, NULL, "%s", up);
	}
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
