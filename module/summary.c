// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregate socket records into the per-netns TIME_WAIT summary.  Pure
 * arithmetic on records, so KUnit can drive it with synthetic sockets.
 */
#include <linux/export.h>
#include <linux/socket.h>
#include <kunit/visibility.h>

#include "summary.h"

/* 60 s is TCP_TIMEWAIT_LEN: every fresh TIME_WAIT socket lands in le_60. */
const unsigned int tw_expire_bin_secs[TW_EXPIRE_BINS] = {
	1, 5, 10, 20, 30, 45, 60,
};
EXPORT_SYMBOL_IF_KUNIT(tw_expire_bin_secs);

/* The first bin whose bound is >= the lifetime left; TW_EXPIRE_BINS if none. */
unsigned int tw_expire_bin(u32 expires_ms)
{
	unsigned int bin;

	/*
	 * One compare for a lifetime past every bound (a constant: the
	 * table is visible here), rather than the whole search.
	 */
	if (expires_ms > tw_expire_bin_secs[TW_EXPIRE_BINS - 1] * MSEC_PER_SEC)
		return TW_EXPIRE_BINS;
	for (bin = 0; bin < TW_EXPIRE_BINS; bin++)
		if (expires_ms <= tw_expire_bin_secs[bin] * MSEC_PER_SEC)
			break;
	return bin;
}
EXPORT_SYMBOL_IF_KUNIT(tw_expire_bin);

static void tw_summary_add_tw(struct tw_summary *s, const struct tw_sock_rec *r)
{
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

/* A tw_visit_fn: add records to the summary at @summary. */
void tw_summary_visit(void *summary, const struct tw_sock_rec *recs,
		      unsigned int n)
{
	struct tw_summary *s = summary;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct tw_sock_rec *r = &recs[i];

		if (r->kind == TW_REC_TW)
			tw_summary_add_tw(s, r);
		else if (r->state < TCP_MAX_STATES)
			s->state[r->state]++;
	}
}
EXPORT_SYMBOL_IF_KUNIT(tw_summary_visit);
