// SPDX-License-Identifier: GPL-2.0
/*
 * twstat --advise: the advice the measured numbers call for, and only
 * that.  Every line names the measurement that triggered it, so a person
 * can check the reason before acting; a healthy host gets no output.
 * Rules that speak of "rising" need two snapshots (prev and cur).
 */
#include <string.h>

#include "derive.h"
#include "nat.h"
#include "output.h"
#include "reading.h"
#include "units.h"
#include "util.h"
#include "whatif.h"
#include "tw_stats_format.h"

#define HEADROOM_PCT		10.0
#define EXHAUST_SECS		600.0
#define NEAR_LIMIT_PCT		90.0
#define CLOSE_WAIT_MIN		10
#define MAX_DEST_LINES		5
#define DEFAULT_FIN_TIMEOUT	60

/* Where a sysctl was set in /etc/sysctl.d and friends, for the message. */
static const char *conf_where(const struct twstat_reading *s, const char *key)
{
	size_t i;
	const char *where = NULL;

	/* the last file read wins, as with sysctl --system */
	for (i = 0; i < s->nconf; i++)
		if (!strcmp(s->conf[i].key, key))
			where = s->conf[i].where;
	return where;
}

/* cur - prev of a counter, when both have it and it did not go back. */
static bool delta(const struct twstat_reading *prev, const struct twstat_reading *cur,
		  const char *name, uint64_t *d)
{
	uint64_t a, b;

	if (!prev || !tw_get(&prev->stats, name, &a) ||
	    !tw_get(&cur->stats, name, &b) || b < a)
		return false;
	*d = b - a;
	return true;
}

static double interval(const struct twstat_reading *prev,
		       const struct twstat_reading *cur)
{
	return cur->time_mono - prev->time_mono;
}

static bool is_loopback(const char *addr)
{
	return !strncmp(addr, "127.", 4) || !strcmp(addr, "::1") ||
	       !strncmp(addr, "::ffff:127.", 11);
}

/*
 * What each fix buys toward destination @row (the worst listed), by the
 * module's headroom rule recomputed in whatif.c: "headroom toward X
 * becomes N (now H), sustainable M connections/s (now C)".
 */
static void buys(FILE *f, const struct twstat_reading *s, size_t row,
		 const struct tw_whatif *w)
{
	const struct tw_table *d = s->dests;
	uint64_t head0 = 0, rate0 = 0;
	struct tw_whatif_dest p;

	if (!tw_whatif_dest(s, w, row, &p))
		return;
	tw_cell_num(d, row, tw_col(d, "headroom"), &head0);
	tw_cell_num(d, row, tw_col(d, "conn_per_s"), &rate0);
	fprintf(f, ": headroom toward %s becomes %s%llu (now %llu), sustainable %llu connections/s (now %llu)",
		tw_cell(d, row, tw_col(d, "remote"))->text,
		p.at_most && p.at_least ? "about " : p.at_most ? "at most " :
		p.at_least ? "at least " : "",
		(unsigned long long)p.headroom, (unsigned long long)head0,
		(unsigned long long)p.conn_per_s, (unsigned long long)rate0);
}

/*
 * A second local address toward the same destination: the 4-tuples
 * differ, so every port connect() may pick is free again for it (the
 * ports in use toward it stay shareable), and the rate doubles.
 */
static void buys_address(FILE *f, const struct twstat_reading *s, size_t row)
{
	const struct tw_table *d = s->dests;
	uint64_t head0 = 0, rate0 = 0, avail;
	bool exact;

	avail = tw_whatif_available(s, NULL, &exact);
	tw_cell_num(d, row, tw_col(d, "headroom"), &head0);
	tw_cell_num(d, row, tw_col(d, "conn_per_s"), &rate0);
	fprintf(f, ": toward %s the new address has its own %llu ports, headroom becomes %llu (now %llu), sustainable %llu connections/s (now %llu)",
		tw_cell(d, row, tw_col(d, "remote"))->text,
		(unsigned long long)avail,
		(unsigned long long)(head0 + avail < head0 ? UINT64_MAX : head0 + avail),
		(unsigned long long)head0,
		(unsigned long long)(rate0 > UINT64_MAX / 2 ? UINT64_MAX : 2 * rate0),
		(unsigned long long)rate0);
}

static unsigned int advise_headroom(FILE *f, const struct twstat_reading *prev,
				    const struct twstat_reading *s)
{
	const struct tw_table *d = s->dests;
	uint64_t eph = tw_ephemeral_ports(s);
	unsigned int found = 0, shown = 0;
	bool all_loopback = true;
	size_t i, worst = 0;
	struct tw_whatif w;

	if (!d || !eph)
		return 0;
	for (i = 0; i < tw_table_data_rows(d); i++) {
		uint64_t head, in_use = 0, tw = 0, reusable = 0;
		const char *local = tw_cell(d, i, tw_col(d, "local"))->text;
		const char *remote = tw_cell(d, i, tw_col(d, "remote"))->text;
		double pct, growth, left = -1;

		if (!tw_cell_num(d, i, tw_col(d, "headroom"), &head))
			continue;
		pct = 100.0 * (double)head / (double)eph;
		if (tw_dest_growth(prev, s, i, &growth) && growth > 0)
			left = (double)head / growth;
		if (pct >= HEADROOM_PCT && (left < 0 || left >= EXHAUST_SECS))
			continue;
		if (!found++)
			worst = i;
		if (!is_loopback(local))
			all_loopback = false;
		if (shown == MAX_DEST_LINES)
			continue;
		shown++;
		tw_cell_num(d, i, tw_col(d, "in_use"), &in_use);
		tw_cell_num(d, i, tw_col(d, "tw"), &tw);
		tw_cell_num(d, i, tw_col(d, "reusable"), &reusable);
		fprintf(f, "[headroom] %s -> %s: %llu of %llu ephemeral ports left (%.1f%%); %llu in use, %llu of them TIME_WAIT, %llu reusable now",
			local, remote, (unsigned long long)head,
			(unsigned long long)eph, pct, (unsigned long long)in_use,
			(unsigned long long)tw, (unsigned long long)reusable);
		if (left >= 0) {
			char buf[32];

			tw_human_seconds(buf, sizeof(buf), left);
			fprintf(f, "; full in %s at +%.1f ports/s", buf, growth);
		}
		fputc('\n', f);
	}
	if (!found)
		return 0;
	if (found > shown)
		fprintf(f, "[headroom] and %u more destinations below %.0f%% headroom\n",
			found - shown, HEADROOM_PCT);
	if (s->have_port_range && (s->port_low > 1024 || s->port_high < 65535)) {
		fprintf(f, "[headroom] fix: net.ipv4.ip_local_port_range 1024 65535 (now %llu %llu, %llu ports)",
			(unsigned long long)s->port_low,
			(unsigned long long)s->port_high,
			(unsigned long long)(s->port_high - s->port_low + 1));
		memset(&w, 0, sizeof(w));
		w.set_range = true;
		w.low = 1024;
		w.high = 65535;
		buys(f, s, worst, &w);
		fprintf(f, "; first list your listening ports in net.ipv4.ip_local_reserved_ports (now %s%s%s): ports bound outside the current range are not in the reading and come off this\n",
			s->reserved_ports && *s->reserved_ports ? "'" : "",
			!s->reserved_ports ? "unknown" :
			*s->reserved_ports ? s->reserved_ports : "empty",
			s->reserved_ports && *s->reserved_ports ? "'" : "");
	}
	fputs("[headroom] fix: one more source address (bind() with IP_BIND_ADDRESS_NO_PORT before connect())", f);
	buys_address(f, s, worst);
	fputs("; more destination ports work the same way: each (local address, destination) pair has its own ports\n",
	      f);
	if (s->tw_reuse.have && s->tw_reuse.value != 1 &&
	    !(s->tw_reuse.value == 2 && all_loopback)) {
		if (s->timestamps.have && s->timestamps.value == 0)
			fputs("[headroom] fix: net.ipv4.tcp_tw_reuse=1 would let outgoing connections take over TIME_WAIT ports, but it needs TCP timestamps, and net.ipv4.tcp_timestamps is 0: turn them on first\n",
			      f);
		else if (!tw_whatif_reuse_applies(s, NULL, worst)) {
			char delay[64];

			if (s->tw_reuse_delay.have)
				snprintf(delay, sizeof(delay), "net.ipv4.tcp_tw_reuse_delay %llu ms",
					 (unsigned long long)s->tw_reuse_delay.value);
			else
				snprintf(delay, sizeof(delay), "1 s on this kernel, before 6.14");
			fprintf(f, "[headroom] fix: net.ipv4.tcp_tw_reuse=1 (now %llu%s)",
				(unsigned long long)s->tw_reuse.value,
				s->tw_reuse.value == 2 ? ": loopback only" : "");
			memset(&w, 0, sizeof(w));
			w.set_reuse = true;
			w.reuse = 1;
			buys(f, s, worst, &w);
			fprintf(f, ": outgoing connections take over their own TIME_WAIT ports once past the reuse delay (%s); it relies on TCP timestamps to tell old segments from new ones, and they are on (tcp_timestamps=%llu)\n",
				delay, (unsigned long long)s->timestamps.value);
		}
	}
	return found;
}

static unsigned int advise_overflow(FILE *f, const struct twstat_reading *prev,
				    const struct twstat_reading *s)
{
	uint64_t d, total = tw_get0(&s->stats, TW_STAT_TW_TOTAL), max;
	bool have_max = tw_get(&s->stats, TW_STAT_TW_MAX_BUCKETS, &max);

	if (!have_max && s->max_tw_buckets.have) {
		max = s->max_tw_buckets.value;
		have_max = true;
	}
	if (delta(prev, s, TW_STAT_TCPEXT_PREFIX "tcptimewaitoverflow", &d) && d) {
		fprintf(f, "[overflow] TCPTimeWaitOverflow rose by %llu in %.1f s: closing sockets found the TIME_WAIT table full and were destroyed without TIME_WAIT (%llu timewait sockets now",
			(unsigned long long)d, interval(prev, s),
			(unsigned long long)total);
		if (have_max)
			fprintf(f, ", limit %llu", (unsigned long long)max);
		fputs("); fix: raise net.ipv4.tcp_max_tw_buckets; never lower it to get rid of TIME_WAIT, that only drops the protection\n",
		      f);
		return 1;
	}
	if (have_max && max && 100.0 * (double)total / (double)max >= NEAR_LIMIT_PCT) {
		fprintf(f, "[overflow] %llu timewait sockets are %.1f%% of net.ipv4.tcp_max_tw_buckets %llu: past it, closing sockets skip TIME_WAIT; fix: raise tcp_max_tw_buckets (each timewait socket costs about %llu bytes)\n",
			(unsigned long long)total,
			100.0 * (double)total / (double)max,
			(unsigned long long)max,
			(unsigned long long)tw_get0(&s->stats, TW_STAT_TW_OBJECT_BYTES));
		return 1;
	}
	return 0;
}

static unsigned int advise_paws(FILE *f, const struct twstat_reading *prev,
				const struct twstat_reading *s)
{
	static const char *const counters[] = {
		TW_STAT_TCPEXT_PREFIX "pawsestab", TW_STAT_TCPEXT_PREFIX "pawsactive", TW_STAT_TCPEXT_PREFIX "pawstimewait",
		TW_STAT_DROP_PREFIX "tcp_rfc7323_paws", TW_STAT_DROP_PREFIX "tcp_rfc7323_tw_paws",
	};
	const struct tw_table *d = s->drops;
	bool any = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(counters); i++) {
		uint64_t n;

		if (!delta(prev, s, counters[i], &n) || !n)
			continue;
		if (!any)
			fprintf(f, "[paws] PAWS rejects rose in %.1f s:",
				interval(prev, s));
		fprintf(f, "%s %s +%llu", any ? "," : "", counters[i],
			(unsigned long long)n);
		any = true;
	}
	if (!any)
		return 0;
	fputs("; segments carrying older timestamps than the connection saw are dropped: usually several hosts behind one NAT, or a middlebox rewriting timestamps",
	      f);
	if (d && tw_table_data_rows(d)) {
		int rc = tw_col(d, "remote"), rsc = tw_col(d, "reason");

		for (i = 0; i < tw_table_data_rows(d); i++)
			if (strstr(tw_cell(d, i, rsc)->text, "paws"))
				break;
		if (i < tw_table_data_rows(d))
			fprintf(f, "; most from %s (tw_drops)",
				tw_cell(d, i, rc)->text);
	}
	fputs("; fix: find the NAT or middlebox; do not turn tcp_timestamps off (tcp_tw_reuse and PAWS itself depend on it) and do not look for tcp_tw_recycle (removed in Linux 4.12)\n",
	      f);
	return 1;
}

static unsigned int advise_close_wait(FILE *f, const struct twstat_reading *prev,
				      const struct twstat_reading *s)
{
	uint64_t a, b;
	const struct tw_table *t = s->ports;

	if (!prev || !tw_get(&prev->stats, TW_STAT_STATE_PREFIX "close_wait", &a) ||
	    !tw_get(&s->stats, TW_STAT_STATE_PREFIX "close_wait", &b) || b <= a ||
	    b < CLOSE_WAIT_MIN)
		return 0;
	fprintf(f, "[close_wait] CLOSE_WAIT grew from %llu to %llu in %.1f s: an application does not close() its sockets after the peer closed; no sysctl fixes that, the application must",
		(unsigned long long)a, (unsigned long long)b, interval(prev, s));
	if (t) {
		int cc = tw_col(t, "close_wait");
		uint64_t best = 0, v;
		size_t i, at = 0;

		for (i = 0; cc >= 0 && i < tw_table_data_rows(t); i++)
			if (tw_cell_num(t, i, cc, &v) && v > best) {
				best = v;
				at = i;
			}
		if (best)
			fprintf(f, " (most on local port %s: %llu)",
				tw_cell(t, at, 0)->text, (unsigned long long)best);
	}
	fputs("; find it with: ss -tanp state close-wait\n", f);
	return 1;
}

static unsigned int advise_fin_timeout(FILE *f, const struct twstat_reading *s)
{
	const char *where;

	if (!s->fin_timeout.have || s->fin_timeout.value == DEFAULT_FIN_TIMEOUT)
		return 0;
	where = conf_where(s, "tcp_fin_timeout");
	fprintf(f, "[fin_timeout] net.ipv4.tcp_fin_timeout is %llu (default %d%s%s): it bounds how long orphaned FIN_WAIT2 sockets live, not TIME_WAIT, which is fixed at 60 s in the kernel (TCP_TIMEWAIT_LEN); if it was changed to shorten TIME_WAIT, it does not\n",
		(unsigned long long)s->fin_timeout.value, DEFAULT_FIN_TIMEOUT,
		where ? ", set in " : "", where ? where : "");
	return 1;
}

static unsigned int advise_recycle(FILE *f, const struct twstat_reading *s)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < s->nconf; i++) {
		if (strcmp(s->conf[i].key, "tcp_tw_recycle"))
			continue;
		fprintf(f, "[tw_recycle] %s sets net.ipv4.tcp_tw_recycle = %s: it was removed in Linux 4.12 because it broke clients behind NAT, and the setting now only makes sysctl report an error; remove the line (for outgoing connections, tcp_tw_reuse is the safe tool)\n",
			s->conf[i].where, s->conf[i].value);
		n++;
	}
	return n;
}

unsigned int tw_advise(FILE *f, const struct twstat_reading *prev,
		       const struct twstat_reading *cur)
{
	unsigned int n = 0;

	n += advise_headroom(f, prev, cur);
	n += advise_overflow(f, prev, cur);
	n += advise_paws(f, prev, cur);
	n += advise_close_wait(f, prev, cur);
	n += tw_advise_cgroups(f, cur);
	n += tw_advise_nat(f, prev, cur);
	n += advise_fin_timeout(f, cur);
	n += advise_recycle(f, cur);
	return n;
}
