/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TIME_WAIT summary of one netns: counts by state, family and substate
 * and the lifetime histogram, aggregated from socket records.
 */
#ifndef TW_STATS_SUMMARY_H
#define TW_STATS_SUMMARY_H

#include <linux/socket.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <net/tcp_states.h>
#include "record.h"

/*
 * Upper bounds, in seconds, of the remaining-lifetime histogram; 60 s is
 * TCP_TIMEWAIT_LEN: every fresh TIME_WAIT socket lands in le_60.  Here,
 * not in summary.c, so that tw_expire_bin() compares with constants.
 */
#define TW_EXPIRE_BINS 7
static const unsigned int tw_expire_bin_secs[TW_EXPIRE_BINS] = {
	1, 5, 10, 20, 30, 45, 60,
};

struct tw_summary {
	u64 tw_time_wait;	/* timewait sockets, substate TIME_WAIT */
	u64 tw_fin_wait2;	/* timewait sockets, substate FIN_WAIT2 */
	u64 tw_ipv4;
	u64 tw_ipv6;
	/* timewait sockets per lifetime bin; the last one is "above all" */
	u64 tw_expires_in[TW_EXPIRE_BINS + 1];
	/* full and request sockets by TCP state (request ones as SYN_RECV) */
	u64 state[TCP_MAX_STATES];
};

void tw_summary_visit(void *summary, const struct tw_sock_rec *recs,
		      unsigned int n);

/* The first bin whose bound is >= the lifetime left; TW_EXPIRE_BINS if none. */
static __always_inline unsigned int tw_expire_bin(u32 expires_ms)
{
	unsigned int bin;

	/* one compare for a lifetime past every bound, rather than the search */
	if (expires_ms > tw_expire_bin_secs[TW_EXPIRE_BINS - 1] * MSEC_PER_SEC)
		return TW_EXPIRE_BINS;
	/*
	 * Unrolled, so that each turn is a compare with an immediate: a
	 * load and a multiply per bound were paid for every socket (on a
	 * host, whose sockets live 60 s, most take several turns).
	 */
#pragma GCC unroll 8
	for (bin = 0; bin < TW_EXPIRE_BINS - 1; bin++)
		if (expires_ms <= tw_expire_bin_secs[bin] * MSEC_PER_SEC)
			break;
	return bin;
}

/*
 * Add one record: inline, since the snapshot's visitor calls it for every
 * socket (a call per socket costs more than this under TCG).
 */
static __always_inline void tw_summary_add(struct tw_summary *s,
					   const struct tw_sock_rec *r)
{
	if (r->kind != TW_REC_TW) {
		if (r->state < TCP_MAX_STATES)
			s->state[r->state]++;
		return;
	}
	if (r->state == TCP_FIN_WAIT2)
		s->tw_fin_wait2++;
	else
		s->tw_time_wait++;
	if (r->family == AF_INET6)
		s->tw_ipv6++;
	else
		s->tw_ipv4++;
	s->tw_expires_in[tw_expire_bin(r->expires_ms)]++;
}

static inline u64 tw_summary_total(const struct tw_summary *s)
{
	return s->tw_time_wait + s->tw_fin_wait2;
}

/* Cumulative: timewait sockets with at most tw_expire_bin_secs[bin] left. */
static inline u64 tw_summary_expires_le(const struct tw_summary *s,
					unsigned int bin)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i <= bin; i++)
		sum += s->tw_expires_in[i];
	return sum;
}

#endif /* TW_STATS_SUMMARY_H */
