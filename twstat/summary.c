// SPDX-License-Identifier: GPL-2.0
/*
 * The one-screen summary for people (also the frame --watch redraws):
 * what one reading holds, rates when an earlier reading is given; the
 * table sections are in summary_tables.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "grid.h"
#include "nat.h"
#include "reading.h"
#include "summary.h"
#include "units.h"
#include "util.h"
#include "tw_stats_format.h"

/* The netstat names, in the order netstat's man page lists them. */
static const struct {
	const char *stat, *shown;
} states[] = {
	{ TW_STAT_STATE_PREFIX "established", "ESTABLISHED" },
	{ TW_STAT_STATE_PREFIX "syn_sent", "SYN_SENT" },
	{ TW_STAT_STATE_PREFIX "syn_recv", "SYN_RECV" },
	{ TW_STAT_STATE_PREFIX "fin_wait1", "FIN_WAIT1" },
	{ TW_STAT_STATE_PREFIX "fin_wait2", "FIN_WAIT2" },
	{ NULL, "TIME_WAIT" },
	{ TW_STAT_STATE_PREFIX "close", "CLOSE" },
	{ TW_STAT_STATE_PREFIX "close_wait", "CLOSE_WAIT" },
	{ TW_STAT_STATE_PREFIX "last_ack", "LAST_ACK" },
	{ TW_STAT_STATE_PREFIX "listen", "LISTEN" },
	{ TW_STAT_STATE_PREFIX "closing", "CLOSING" },
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
	if (tw_get(st, TW_STAT_CACHE_AGE_MS, &v)) {
		tw_human_seconds(buf, sizeof(buf), v / 1000.0);
		fprintf(f, ", data %s old", buf);
	}
	if (tw_get(st, TW_STAT_WALK_NS, &v)) {
		tw_human_seconds(buf, sizeof(buf), v / 1e9);
		fprintf(f, ", walk %s", buf);
		if (tw_get(st, TW_STAT_WALK_BUCKETS, &v))
			fprintf(f, " over %llu buckets", (unsigned long long)v);
		if (tw_get(st, TW_STAT_WALK_RESTARTS, &v) && v)
			fprintf(f, " (%llu restarts)", (unsigned long long)v);
	}
	fputc('\n', f);
}

static void print_timewait(FILE *f, const struct twstat_reading *s)
{
	const struct tw_stats *st = &s->stats;
	uint64_t total = tw_get0(st, TW_STAT_TW_TOTAL), v, max, obj;
	char buf[32];

	fprintf(f, "\nTIME_WAIT  %llu sockets", (unsigned long long)total);
	if (tw_get(st, TW_STAT_TW_TIME_WAIT, &v))
		fprintf(f, ": %llu time_wait, %llu fin_wait2",
			(unsigned long long)v,
			(unsigned long long)tw_get0(st, TW_STAT_TW_FIN_WAIT2));
	if (tw_get(st, TW_STAT_TW_IPV4, &v))
		fprintf(f, "; %llu ipv4, %llu ipv6", (unsigned long long)v,
			(unsigned long long)tw_get0(st, TW_STAT_TW_IPV6));
	fputc('\n', f);
	if (tw_get(st, TW_STAT_TW_MEMORY_BYTES, &v)) {
		tw_human_bytes(buf, sizeof(buf), (double)v);
		fprintf(f, "memory     %s", buf);
		if (tw_get(st, TW_STAT_TW_OBJECT_BYTES, &obj))
			fprintf(f, " (%llu B per socket)", (unsigned long long)obj);
		fputc('\n', f);
	}
	if (tw_get(st, TW_STAT_TW_MAX_BUCKETS, &max))
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
	uint64_t before = tw_get0(a, TW_STAT_TW_TOTAL), after = tw_get0(b, TW_STAT_TW_TOTAL);
	uint64_t drops_a = 0, drops_b = 0, tw_a, tw_b, k_a = 0, k_b = 0, x, y;
	bool ok;
	double net, made, r;
	size_t i;

	net = tw_rate(prev, cur, before, after, &ok);
	if (!ok)
		return;
	fputs("rates     ", f);
	if (tw_get(a, TW_STAT_TCPEXT_PREFIX "tw", &tw_a) && tw_get(b, TW_STAT_TCPEXT_PREFIX "tw", &tw_b) &&
	    tw_b >= tw_a) {
		tw_get(a, TW_STAT_TCPEXT_PREFIX "twkilled", &k_a);
		tw_get(b, TW_STAT_TCPEXT_PREFIX "twkilled", &k_b);
		made = tw_rate(prev, cur, tw_a, tw_b, &ok);
		if (k_b >= k_a)
			made += tw_rate(prev, cur, k_a, k_b, &ok);
		fprintf(f, " new TIME_WAIT %.1f/s, ended %.1f/s,", made,
			made - net);
	}
	fprintf(f, " net change %+.1f/s", net);
	for (i = 0; i < b->n; i++) {
		if (strncmp(b->v[i].name, TW_STAT_DROP_PREFIX, sizeof(TW_STAT_DROP_PREFIX) - 1))
			continue;
		drops_b += b->v[i].value;
		if (tw_get(a, b->v[i].name, &x))
			drops_a += x;
	}
	if (drops_b >= drops_a && drops_b) {
		r = tw_rate(prev, cur, drops_a, drops_b, &ok);
		fprintf(f, ", drops %.1f/s", r);
	}
	if (tw_get(a, TW_STAT_TCPEXT_PREFIX "tcptimewaitoverflow", &x) &&
	    tw_get(b, TW_STAT_TCPEXT_PREFIX "tcptimewaitoverflow", &y) && y >= x)
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
		size_t best = tw_next_expires_bucket(st, last, &secs);

		if (best == st->n || col == GRID_MAX_COLS)
			break;
		labels[col] = xasprintf("%lu-%lus", last, secs);
		counts[col] = st->v[best].value - prev;
		prev = st->v[best].value;
		last = secs;
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
	static const char *const heads[] = { "STATE", "SOCKETS", "" };
	const struct tw_stats *st = &s->stats;
	struct grid g;
	uint64_t v, twfw2 = tw_get0(st, TW_STAT_TW_FIN_WAIT2);
	size_t i;

	grid_init(&g, ARRAY_SIZE(heads), "lrl");
	grid_add_header(&g, heads);
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		bool have;

		/* netstat shows timewait FIN_WAIT2 sockets as FIN_WAIT2 */
		if (!states[i].stat)
			have = tw_get(st, TW_STAT_TW_TIME_WAIT, &v) ||
			       tw_get(st, TW_STAT_TW_TOTAL, &v);
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
	tw_summary_ports(f, cur, o);
	tw_summary_dests(f, prev, cur, o);
	tw_summary_drops(f, cur, o);
	tw_summary_owners(f, cur, o);
	tw_summary_nat(f, cur, o);
	tw_summary_raw_table(f, "Network namespaces (tw_netns)", cur->netns_table, o);
	tw_summary_debugfs(f, cur);
	for (i = 0; i < cur->nnotes; i++)
		fprintf(f, "%snote: %s\n", i ? "" : "\n", cur->notes[i]);
}
