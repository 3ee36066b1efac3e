// SPDX-License-Identifier: GPL-2.0
/* KUnit: per-port occupancy and the ephemeral-range figures. */
#include <linux/mm.h>
#include <linux/socket.h>
#include <net/tcp_states.h>

#include "ports.h"
#include "tw_test.h"

/* A zeroed per-port array for each case, freed after it, even a failed one. */
static int tw_ports_test_init(struct kunit *test)
{
	test->priv = kvcalloc(TW_NR_PORTS, sizeof(struct tw_port_acc), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void tw_ports_test_exit(struct kunit *test)
{
	kvfree(test->priv);
}

static struct tw_port_acc *tw_test_ports(struct kunit *test)
{
	return test->priv;
}

static struct tw_sock_rec tw_port_rec(u8 kind, u8 state, u16 lport)
{
	struct tw_sock_rec r = {
		.kind = kind, .state = state, .family = AF_INET, .lport = lport,
	};
	return r;
}

static void tw_ports_test_counts_by_kind(struct kunit *test)
{
	struct tw_port_acc *acc = tw_test_ports(test);
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 80),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 80),
		tw_port_rec(TW_REC_TW, TCP_FIN_WAIT2, 80),
		tw_port_rec(TW_REC_FULL, TCP_FIN_WAIT2, 80),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 80),
		tw_port_rec(TW_REC_FULL, TCP_CLOSE_WAIT, 80),
		tw_port_rec(TW_REC_FULL, TCP_LISTEN, 80),
		tw_port_rec(TW_REC_FULL, TCP_LAST_ACK, 80),
		tw_port_rec(TW_REC_REQ, TCP_SYN_RECV, 80),
	};
	struct tw_port_row rows[2];

	tw_ports_visit(acc, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_ports_rows(acc, NULL), 1U);
	tw_ports_rows(acc, rows);
	KUNIT_EXPECT_EQ(test, rows[0].port, 80);
	KUNIT_EXPECT_EQ(test, rows[0].sockets.tw, 2U);
	/* ss lists both kinds under FIN-WAIT-2, and so do we */
	KUNIT_EXPECT_EQ(test, rows[0].sockets.fin_wait2, 2U);
	KUNIT_EXPECT_EQ(test, rows[0].sockets.established, 1U);
	KUNIT_EXPECT_EQ(test, rows[0].sockets.close_wait, 1U);
	KUNIT_EXPECT_EQ(test, rows[0].sockets.listen, 1U);
	KUNIT_EXPECT_EQ(test, rows[0].sockets.other, 2U);
}

static void tw_ports_test_rows_sorted_by_port(struct kunit *test)
{
	struct tw_port_acc *acc = tw_test_ports(test);
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 65535),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 1),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 40000),
	};
	struct tw_port_row rows[3];

	tw_ports_visit(acc, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_ports_rows(acc, rows), 3U);
	KUNIT_EXPECT_EQ(test, rows[0].port, 1);
	KUNIT_EXPECT_EQ(test, rows[1].port, 40000);
	KUNIT_EXPECT_EQ(test, rows[2].port, 65535);
}

static void tw_ports_test_tw_only(struct kunit *test)
{
	struct tw_port_acc *acc = tw_test_ports(test);
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 100),	/* tw only */
		tw_port_rec(TW_REC_TW, TCP_FIN_WAIT2, 101),	/* tw only */
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 102),	/* + listener */
		tw_port_rec(TW_REC_FULL, TCP_LISTEN, 102),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 103),	/* + bound socket */
	};

	tw_ports_visit(acc, recs, ARRAY_SIZE(recs));
	acc[100].bind_owners = 1;
	acc[101].bind_owners = 1;
	acc[103].bind_owners = 2;
	KUNIT_EXPECT_EQ(test, tw_ports_tw_only(acc), 2U);
}

static void tw_ports_test_ephemeral_figures(struct kunit *test)
{
	struct tw_port_acc *acc = tw_test_ports(test);
	struct tw_ephemeral eph = { .low = 1000, .high = 1009, .span = 10 };
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 1000),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 1001),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 999),	/* outside */
	};

	tw_ports_visit(acc, recs, ARRAY_SIZE(recs));
	acc[1002].flags = TW_PORT_EXPLICIT;
	acc[1002].bind_owners = 1;
	acc[1003].flags = TW_PORT_RESERVED;
	acc[1004].flags = TW_PORT_RESERVED | TW_PORT_EXPLICIT;	/* counted once */
	tw_ports_ephemeral(acc, &eph);
	KUNIT_EXPECT_EQ(test, eph.ports, 10U);
	KUNIT_EXPECT_EQ(test, eph.in_use, 3U);
	KUNIT_EXPECT_EQ(test, eph.reserved, 2U);
	KUNIT_EXPECT_EQ(test, eph.bound, 1U);
	KUNIT_EXPECT_EQ(test, eph.available, 7U);
}

static void tw_ports_test_owners_unknown_counts_as_used(struct kunit *test)
{
	struct tw_port_acc *acc = tw_test_ports(test);
	struct tw_port_row row;

	acc[7].flags = TW_PORT_OWNERS_UNKNOWN;
	KUNIT_ASSERT_EQ(test, tw_ports_rows(acc, &row), 1U);
	KUNIT_EXPECT_EQ(test, row.port, 7);
	KUNIT_EXPECT_TRUE(test, row.flags & TW_PORT_OWNERS_UNKNOWN);
	KUNIT_EXPECT_EQ(test, tw_ports_tw_only(acc), 0U);
}

/* The one-pass scan the snapshot uses says what the three passes say. */
static void tw_ports_test_scan_matches_passes(struct kunit *test)
{
	struct tw_port_acc *acc = tw_test_ports(test);
	struct tw_ephemeral one = { .low = 100, .high = 109, .span = 8 };
	struct tw_ephemeral three = one;
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 100),
		tw_port_rec(TW_REC_TW, TCP_FIN_WAIT2, 101),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 102),
		tw_port_rec(TW_REC_FULL, TCP_LISTEN, 102),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 109),	/* past the span */
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 99),	/* outside */
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 65535),
	};
	u32 tw_only;

	tw_ports_visit(acc, recs, ARRAY_SIZE(recs));
	acc[100].bind_owners = 1;
	acc[101].bind_owners = 1;
	acc[103].flags = TW_PORT_EXPLICIT;
	acc[103].bind_owners = 1;
	acc[104].flags = TW_PORT_RESERVED;
	acc[105].flags = TW_PORT_RESERVED | TW_PORT_EXPLICIT;
	acc[106].flags = TW_PORT_OWNERS_UNKNOWN;
	acc[109].bind_owners = 1;

	KUNIT_EXPECT_EQ(test, tw_ports_scan(acc, &one, &tw_only),
			tw_ports_rows(acc, NULL));
	tw_ports_ephemeral(acc, &three);
	KUNIT_EXPECT_EQ(test, tw_only, tw_ports_tw_only(acc));
	KUNIT_EXPECT_EQ(test, tw_only, 4U);	/* 100, 101, 109, 65535 */
	KUNIT_EXPECT_EQ(test, one.ports, three.ports);
	KUNIT_EXPECT_EQ(test, one.in_use, three.in_use);
	KUNIT_EXPECT_EQ(test, one.in_use, 6U);
	KUNIT_EXPECT_EQ(test, one.reserved, three.reserved);
	KUNIT_EXPECT_EQ(test, one.bound, three.bound);
	KUNIT_EXPECT_EQ(test, one.available, three.available);
	KUNIT_EXPECT_EQ(test, one.available, 5U);
}

/*
 * A port only connect() took: its owners are the sockets the walk counted
 * on it, capped as the bind walk caps them, and the flag is gone.
 */
static void tw_ports_test_owners_from_walk(struct kunit *test)
{
	struct tw_port_acc *acc = tw_test_ports(test);
	struct tw_ephemeral eph = { .low = 40000, .high = 40009, .span = 10 };
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 40000),
		tw_port_rec(TW_REC_TW, TCP_FIN_WAIT2, 40000),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 40000),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 40001),
	};
	struct tw_port_row rows[3];
	u32 tw_only;

	tw_ports_visit(acc, recs, ARRAY_SIZE(recs));
	acc[40000].flags = TW_PORT_OWNERS_WALK;
	acc[40001].flags = TW_PORT_OWNERS_WALK;
	acc[40002].flags = TW_PORT_OWNERS_WALK;
	acc[40002].sockets.tw = TW_BIND_OWNERS_MAX + 1;
	KUNIT_ASSERT_EQ(test, tw_ports_scan(acc, &eph, &tw_only), 3U);
	KUNIT_ASSERT_EQ(test, tw_ports_rows(acc, rows), 3U);
	KUNIT_EXPECT_EQ(test, rows[0].bind_owners, 3U);
	KUNIT_EXPECT_EQ(test, rows[0].flags, 0);
	KUNIT_EXPECT_EQ(test, rows[1].bind_owners, 1U);
	KUNIT_EXPECT_EQ(test, rows[2].flags, TW_PORT_OWNERS_UNKNOWN);
	KUNIT_EXPECT_EQ(test, rows[2].bind_owners, 0U);
	/* 40001: its one owner is its timewait socket */
	KUNIT_EXPECT_EQ(test, tw_only, 1U);
}

static struct kunit_case tw_ports_test_cases[] = {
	KUNIT_CASE(tw_ports_test_counts_by_kind),
	KUNIT_CASE(tw_ports_test_rows_sorted_by_port),
	KUNIT_CASE(tw_ports_test_tw_only),
	KUNIT_CASE(tw_ports_test_ephemeral_figures),
	KUNIT_CASE(tw_ports_test_owners_unknown_counts_as_used),
	KUNIT_CASE(tw_ports_test_scan_matches_passes),
	KUNIT_CASE(tw_ports_test_owners_from_walk),
	{}
};

static struct kunit_suite tw_ports_test_suite = {
	.name = "tw_ports",
	.init = tw_ports_test_init,
	.exit = tw_ports_test_exit,
	.test_cases = tw_ports_test_cases,
};

kunit_test_suite(tw_ports_test_suite);
