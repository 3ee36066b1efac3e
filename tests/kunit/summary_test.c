// SPDX-License-Identifier: GPL-2.0
/* KUnit: aggregation of socket records into the TIME_WAIT summary. */
#include <linux/socket.h>
#include <linux/string.h>
#include <net/tcp_states.h>

#include "summary.h"
#include "tw_test.h"

static struct tw_sock_rec tw_rec(u8 kind, u8 state, u8 family, u32 ms)
{
	struct tw_sock_rec r = {
		.kind = kind, .state = state, .family = family,
		.expires_ms = ms,
	};
	return r;
}

static void tw_summary_test_counts_substates(struct kunit *test)
{
	struct tw_sock_rec recs[] = {
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET, 59000),
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET, 30000),
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET6, 1),
		tw_rec(TW_REC_TW, TCP_FIN_WAIT2, AF_INET, 2000),
		tw_rec(TW_REC_TW, TCP_FIN_WAIT2, AF_INET6, 2000),
	};
	struct tw_summary s = {};

	tw_summary_visit(&s, recs, ARRAY_SIZE(recs));
	KUNIT_EXPECT_EQ(test, s.tw_time_wait, 3ULL);
	KUNIT_EXPECT_EQ(test, s.tw_fin_wait2, 2ULL);
	KUNIT_EXPECT_EQ(test, tw_summary_total(&s), 5ULL);
}

static void tw_summary_test_splits_families(struct kunit *test)
{
	struct tw_sock_rec recs[] = {
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET, 100),
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET6, 100),
		tw_rec(TW_REC_TW, TCP_FIN_WAIT2, AF_INET6, 100),
	};
	struct tw_summary s = {};

	tw_summary_visit(&s, recs, ARRAY_SIZE(recs));
	KUNIT_EXPECT_EQ(test, s.tw_ipv4, 1ULL);
	KUNIT_EXPECT_EQ(test, s.tw_ipv6, 2ULL);
	KUNIT_EXPECT_EQ(test, s.tw_ipv4 + s.tw_ipv6, tw_summary_total(&s));
}

static void tw_summary_test_counts_full_and_request_states(struct kunit *test)
{
	struct tw_sock_rec recs[] = {
		tw_rec(TW_REC_FULL, TCP_ESTABLISHED, AF_INET, 0),
		tw_rec(TW_REC_FULL, TCP_ESTABLISHED, AF_INET6, 0),
		tw_rec(TW_REC_FULL, TCP_CLOSE_WAIT, AF_INET, 0),
		tw_rec(TW_REC_FULL, TCP_LISTEN, AF_INET, 0),
		tw_rec(TW_REC_FULL, TCP_FIN_WAIT2, AF_INET, 0),
		tw_rec(TW_REC_REQ, TCP_SYN_RECV, AF_INET, 0),
	};
	struct tw_summary s = {};

	tw_summary_visit(&s, recs, ARRAY_SIZE(recs));
	KUNIT_EXPECT_EQ(test, s.state[TCP_ESTABLISHED], 2ULL);
	KUNIT_EXPECT_EQ(test, s.state[TCP_CLOSE_WAIT], 1ULL);
	KUNIT_EXPECT_EQ(test, s.state[TCP_LISTEN], 1ULL);
	KUNIT_EXPECT_EQ(test, s.state[TCP_SYN_RECV], 1ULL);
	/* a full FIN_WAIT2 socket is a state, not a timewait socket */
	KUNIT_EXPECT_EQ(test, s.state[TCP_FIN_WAIT2], 1ULL);
	KUNIT_EXPECT_EQ(test, s.tw_fin_wait2, 0ULL);
	KUNIT_EXPECT_EQ(test, tw_summary_total(&s), 0ULL);
}

static void tw_summary_test_ignores_unknown_state(struct kunit *test)
{
	struct tw_sock_rec rec = tw_rec(TW_REC_FULL, 200, AF_INET, 0);
	struct tw_summary s = {}, zero = {};

	tw_summary_visit(&s, &rec, 1);
	KUNIT_EXPECT_EQ(test, memcmp(&s, &zero, sizeof(s)), 0);
}

static void tw_summary_test_expire_bin_boundaries(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tw_expire_bin(0), 0U);
	KUNIT_EXPECT_EQ(test, tw_expire_bin(1000), 0U);
	KUNIT_EXPECT_EQ(test, tw_expire_bin(1001), 1U);
	KUNIT_EXPECT_EQ(test, tw_expire_bin(5000), 1U);
	KUNIT_EXPECT_EQ(test, tw_expire_bin(45001), 6U);
	KUNIT_EXPECT_EQ(test, tw_expire_bin(60000), 6U);
	KUNIT_EXPECT_EQ(test, tw_expire_bin(60001), (unsigned int)TW_EXPIRE_BINS);
	KUNIT_EXPECT_EQ(test, tw_expire_bin(U32_MAX), (unsigned int)TW_EXPIRE_BINS);
}

/*
 * The search is unrolled into compares with constants: every bound the
 * files print (tw_expire_bin_secs) must still be where it ends a bin.
 */
static void tw_summary_test_expire_bin_matches_printed_bounds(struct kunit *test)
{
	unsigned int bin;

	for (bin = 0; bin < TW_EXPIRE_BINS; bin++) {
		u32 ms = tw_expire_bin_secs[bin] * MSEC_PER_SEC;

		KUNIT_EXPECT_EQ_MSG(test, tw_expire_bin(ms), bin, "%u ms", ms);
		KUNIT_EXPECT_EQ_MSG(test, tw_expire_bin(ms + 1), bin + 1,
				    "%u ms", ms + 1);
		if (bin)
			KUNIT_EXPECT_EQ_MSG(test, tw_expire_bin(ms - 1), bin,
					    "%u ms", ms - 1);
	}
}

static void tw_summary_test_expires_le_is_cumulative(struct kunit *test)
{
	struct tw_sock_rec recs[] = {
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET, 500),
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET, 4000),
		tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET, 59999),
		tw_rec(TW_REC_TW, TCP_FIN_WAIT2, AF_INET, 90000),
	};
	struct tw_summary s = {};
	unsigned int bin;

	tw_summary_visit(&s, recs, ARRAY_SIZE(recs));
	KUNIT_EXPECT_EQ(test, tw_summary_expires_le(&s, 0), 1ULL);
	KUNIT_EXPECT_EQ(test, tw_summary_expires_le(&s, 1), 2ULL);
	KUNIT_EXPECT_EQ(test, tw_summary_expires_le(&s, 5), 2ULL);
	KUNIT_EXPECT_EQ(test, tw_summary_expires_le(&s, TW_EXPIRE_BINS - 1), 3ULL);
	/* longer than the last bound: only in the total ("+Inf") */
	KUNIT_EXPECT_EQ(test, tw_summary_expires_le(&s, TW_EXPIRE_BINS), 4ULL);
	for (bin = 1; bin < TW_EXPIRE_BINS; bin++)
		KUNIT_EXPECT_GE(test, tw_summary_expires_le(&s, bin),
				tw_summary_expires_le(&s, bin - 1));
}

static void tw_summary_test_visit_accumulates(struct kunit *test)
{
	struct tw_sock_rec a = tw_rec(TW_REC_TW, TCP_TIME_WAIT, AF_INET, 1);
	struct tw_sock_rec b = tw_rec(TW_REC_FULL, TCP_ESTABLISHED, AF_INET, 0);
	struct tw_summary s = {};

	tw_summary_visit(&s, &a, 1);
	tw_summary_visit(&s, &b, 1);
	tw_summary_visit(&s, &a, 1);
	tw_summary_visit(&s, NULL, 0);
	KUNIT_EXPECT_EQ(test, tw_summary_total(&s), 2ULL);
	KUNIT_EXPECT_EQ(test, s.state[TCP_ESTABLISHED], 1ULL);
}

static struct kunit_case tw_summary_test_cases[] = {
	KUNIT_CASE(tw_summary_test_counts_substates),
	KUNIT_CASE(tw_summary_test_splits_families),
	KUNIT_CASE(tw_summary_test_counts_full_and_request_states),
	KUNIT_CASE(tw_summary_test_ignores_unknown_state),
	KUNIT_CASE(tw_summary_test_expire_bin_boundaries),
	KUNIT_CASE(tw_summary_test_expire_bin_matches_printed_bounds),
	KUNIT_CASE(tw_summary_test_expires_le_is_cumulative),
	KUNIT_CASE(tw_summary_test_visit_accumulates),
	{}
};

static struct kunit_suite tw_summary_test_suite = {
	.name = "tw_summary",
	.test_cases = tw_summary_test_cases,
};

kunit_test_suite(tw_summary_test_suite);
