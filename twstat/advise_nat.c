// SPDX-License-Identifier: GPL-2.0
/*
 * --advise on source NAT: the (source, destination) pairs of tw_nat
 * closest to running out of NAT source ports, conntrack refusing flows,
 * and what would widen the worst pair, each fix with what it buys and
 * what it costs, computed from the reading:
 *
 *   sustainable flows/s = range / T   (a flow holds its port for T after
 *                                      it closes: conntrack's TIME_WAIT)
 *   another source address: headroom + range, rate x 2 (each address
 *                                      has its own range per destination)
 *   a range of 64512 ports (1024-65535, the kernel's default):
 *                           headroom + (64512 - range), rate 64512 / T
 *   T' = 60 s instead of T: of the pair's flows in conntrack TIME_WAIT,
 *                           those older than T' would be gone: about
 *                           time_wait * (T - T') / T (arrivals spread
 *                           evenly over T), rate range / T'
 */
#include <string.h>

#include "nat.h"
#include "reading.h"
#include "units.h"
#include "util.h"
#include "tw_stats_format.h"

#define NAT_HEADROOM_PCT	10.0
#define NAT_EXHAUST_SECS	600.0
#define MAX_NAT_LINES		5
#define WIDE_RANGE	(TW_NAT_DEFAULT_HIGH - TW_NAT_DEFAULT_LOW + 1)

/* Row @r's flows a second ago and now: how fast its ports fill. */
static bool nat_growth(const struct twstat_reading *prev,
		       const struct twstat_reading *cur,
		       const struct tw_nat_row *row, double *per_s)
{
	struct tw_nat_row p;
	double dt;
	size_t r;

	if (!prev || !prev->nat)
		return false;
	dt = cur->time_mono - prev->time_mono;
	if (dt <= 0)
		return false;
	for (r = 0; r < tw_table_data_rows(prev->nat); r++) {
		tw_nat_row(prev, r, &p);
		if (strcmp(p.proto, row->proto) || strcmp(p.source, row->source) ||
		    strcmp(p.destination, row->destination))
			continue;
		*per_s = ((double)row->flows - (double)p.flows) / dt;
		return true;
	}
	return false;
}

/* cur - prev of a conntrack counter, 0 when either lacks it or it went back. */
static uint64_t rise(const struct twstat_reading *prev,
		     const struct twstat_reading *cur, const char *name)
{
	uint64_t a, b;

	if (!prev || !tw_get(&prev->stats, name, &a) ||
	    !tw_get(&cur->stats, name, &b) || b < a)
		return 0;
	return b - a;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* Flows per second @ports sustain when each holds its port @t seconds. */
static double rate(uint64_t ports, uint64_t t)
{
	return t ? (double)ports / (double)t : 0;
}

static void fix_address(FILE *f, const struct tw_nat_row *w, uint64_t t)
{
	fprintf(f, "[nat] fix: another NAT source address (SNAT to an address range, nftables 'snat to A-B', iptables '--to-source A-B'): it has its own %llu ports toward %s, headroom becomes %llu (now %llu), sustainable %.1f flows/s (now %.1f); cost: one more address routed to the NAT, and the NAT picks a flow's address by a hash of its original source and destination addresses, so the flows of one client toward one destination still share one address\n",
		(unsigned long long)w->range, w->destination,
		(unsigned long long)add_sat(w->headroom, w->range),
		(unsigned long long)w->headroom,
		2 * rate(w->range, t), rate(w->range, t));
}

static void fix_range(FILE *f, const struct tw_nat_row *w, uint64_t t)
{
	uint64_t gain = WIDE_RANGE - w->range;

	if (w->range >= WIDE_RANGE)
		return;
	fprintf(f, "[nat] fix: the port range %d-%d (the kernel's default when a rule names none: iptables '--to-ports %d-%d', nftables 'masquerade to :%d-%d'; now %llu-%llu, %llu ports): +%llu ports, headroom toward %s becomes %llu (now %llu), sustainable %.1f flows/s (now %.1f); cost: flows leave with source ports outside the range used now, which a firewall on the way that allows only that range refuses\n",
		TW_NAT_DEFAULT_LOW, TW_NAT_DEFAULT_HIGH,
		TW_NAT_DEFAULT_LOW, TW_NAT_DEFAULT_HIGH,
		TW_NAT_DEFAULT_LOW, TW_NAT_DEFAULT_HIGH,
		(unsigned long long)w->port_min, (unsigned long long)w->port_max,
		(unsigned long long)w->range, (unsigned long long)gain,
		w->destination,
		(unsigned long long)add_sat(w->headroom, gain),
		(unsigned long long)w->headroom,
		rate(WIDE_RANGE, t), rate(w->range, t));
}

static void fix_timeout(FILE *f, const struct tw_nat_row *w, uint64_t t,
			bool read)
{
	uint64_t gone, head;

	if (t <= TW_TCP_TIMEWAIT_S)
		return;
	/* (t - 60) / t of the time_wait flows, in 128 bits: no overflow */
	gone = (uint64_t)((__uint128_t)w->time_wait *
			  (t - TW_TCP_TIMEWAIT_S) / t);
	head = add_sat(w->headroom, gone);
	if (head > w->range)
		head = w->range;
	fprintf(f, "[nat] fix: net.netfilter.nf_conntrack_tcp_timeout_time_wait=%d (now %llu%s; TCP's own TIME_WAIT is %d s): of the %llu flows toward %s in conntrack TIME_WAIT, about %llu would be gone already, headroom becomes about %llu (now %llu), sustainable %.1f flows/s (now %.1f); cost: a late segment of an old flow, after its entry is gone, can be mis-tracked (taken for a new flow or dropped as invalid), and a port given out again sooner meets the server's TIME_WAIT of the old connection more often\n",
		TW_TCP_TIMEWAIT_S, (unsigned long long)t,
		read ? "" : ", the kernel's default: the sysctl was not read",
		TW_TCP_TIMEWAIT_S, (unsigned long long)w->time_wait,
		w->destination, (unsigned long long)gone,
		(unsigned long long)head, (unsigned long long)w->headroom,
		rate(w->range, TW_TCP_TIMEWAIT_S), rate(w->range, t));
}

unsigned int tw_advise_nat(FILE *f, const struct twstat_reading *prev,
			   const struct twstat_reading *s)
{
	const struct tw_table *t = s->nat;
	unsigned int found = 0, shown = 0;
	uint64_t timeout, ins, drop;
	struct tw_nat_row row, worst = { 0 };
	bool have_worst = false, read;
	size_t r;

	if (!t || t->inactive || tw_nat_active(s) != 1)
		return 0;
	timeout = tw_nat_ct_timeout(s, &read);
	for (r = 0; r < tw_table_data_rows(t); r++) {
		double pct, growth = 0, left = -1;

		tw_nat_row(s, r, &row);
		if (!row.have_range)
			continue;
		/* the module sorts by headroom; twstat does not rely on it */
		if (!have_worst || row.headroom < worst.headroom) {
			worst = row;
			have_worst = true;
		}
		pct = 100.0 * (double)row.headroom / (double)row.range;
		if (nat_growth(prev, s, &row, &growth) && growth > 0)
			left = (double)row.headroom / growth;
		if (pct >= NAT_HEADROOM_PCT && (left < 0 || left >= NAT_EXHAUST_SECS))
			continue;
		if (found++ >= MAX_NAT_LINES)
			continue;
		shown++;
		fprintf(f, "[nat] %s %s -> %s: %llu of %llu NAT source ports left (%.1f%%, range %llu-%llu); %llu flows, %llu of them in conntrack TIME_WAIT (%llu s)",
			row.proto, row.source, row.destination,
			(unsigned long long)row.headroom,
			(unsigned long long)row.range, pct,
			(unsigned long long)row.port_min,
			(unsigned long long)row.port_max,
			(unsigned long long)row.flows,
			(unsigned long long)row.time_wait,
			(unsigned long long)timeout);
		if (left >= 0) {
			char buf[32];

			tw_human_seconds(buf, sizeof(buf), left);
			fprintf(f, "; full in %s at +%.1f flows/s", buf, growth);
		}
		fputc('\n', f);
	}
	if (found > shown)
		fprintf(f, "[nat] and %u more (source, destination) pairs below %.0f%% headroom\n",
			found - shown, NAT_HEADROOM_PCT);
	ins = rise(prev, s, TW_STAT_CONNTRACK_INSERT_FAILED);
	drop = rise(prev, s, TW_STAT_CONNTRACK_DROP);
	if (ins || drop) {
		fprintf(f, "[nat] conntrack insert_failed rose by %llu and drop by %llu in %.1f s: the NAT refused new flows (a SNAT that finds no free source port fails to insert the flow and drops its SYN)",
			(unsigned long long)ins, (unsigned long long)drop,
			s->time_mono - prev->time_mono);
		if (have_worst)
			fprintf(f, "; least headroom: %s -> %s, %llu ports",
				worst.source, worst.destination,
				(unsigned long long)worst.headroom);
		fputc('\n', f);
		found++;
	}
	if (!found || !have_worst)
		return found;
	fix_address(f, &worst, timeout);
	fix_range(f, &worst, timeout);
	fix_timeout(f, &worst, timeout, read);
	return found;
}
