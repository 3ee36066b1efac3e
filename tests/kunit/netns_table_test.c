// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-netns table of a reading of all namespaces, driven with
 * made-up netns keys: attribution, the capacity bound, per-netns
 * headroom and ports, ranking and the others row.
 */
#include <linux/bitmap.h>
#include <linux/in.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/tcp_states.h>

#include "netns_table.h"
#include "tw_test.h"

#define TW_TEST_NETS 6

struct tw_nt_fixture {
	/* keys only: the table never looks behind them */
	u8 keys[TW_TEST_NETS];
	struct tw_netns_table table;
	struct tw_netns_result res;
	unsigned long *reserved;	/* a case's ip_local_reserved_ports */
};

static struct net *tw_nt_net(struct tw_nt_fixture *f, unsigned int i)
{
	return (struct net *)&f->keys[i];
}

/* Allocated before each case and freed after it, even a failed one. */
static int tw_nt_init(struct kunit *test)
{
	struct tw_nt_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	test->priv = f;
	return 0;
}

static void tw_nt_exit(struct kunit *test)
{
	struct tw_nt_fixture *f = test->priv;

	kvfree(f->res.rows);
	tw_netns_table_free(&f->table);
	bitmap_free(f->reserved);
	kfree(f);
}

static struct tw_nt_fixture *tw_nt_fixture(struct kunit *test,
					   unsigned int capacity,
					   unsigned int dest_capacity)
{
	struct tw_nt_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, tw_netns_table_init(&f->table, capacity,
						  dest_capacity), 0);
	return f;
}

/* Track key @i as netns inode 100 + @i, searching ports 1000..1009. */
static struct tw_netns_entry *tw_nt_add(struct kunit *test,
					struct tw_nt_fixture *f, unsigned int i)
{
	struct tw_netns_entry *e = tw_netns_table_add(&f->table, tw_nt_net(f, i));

	KUNIT_ASSERT_NOT_NULL(test, e);
	e->inum = 100 + i;
	e->eph.low = 1000;
	e->eph.high = 1009;
	e->eph.span = 10;
	return e;
}

/* A socket of key @i: 10.0.0.1:@lport toward 10.0.0.@host:80 (0: none). */
static struct tw_sock_rec tw_nt_rec(struct tw_nt_fixture *f, unsigned int i,
				    u8 kind, u8 state, u16 lport, u8 host)
{
	struct tw_sock_rec r = {
		.kind = kind, .state = state, .family = AF_INET,
		.lport = lport, .rport = host ? htons(80) : 0,
		.net = tw_nt_net(f, i),
	};

	r.laddr.v4 = htonl(0x0a000001);
	r.raddr.v4 = host ? htonl(0x0a000000 | host) : 0;
	return r;
}

static struct tw_sock_rec tw_nt_tw(struct tw_nt_fixture *f, unsigned int i,
				   u16 lport, u8 host)
{
	return tw_nt_rec(f, i, TW_REC_TW, TCP_TIME_WAIT, lport, host);
}

static void tw_nt_reduce(struct kunit *test, struct tw_nt_fixture *f,
			 unsigned int top_n)
{
	tw_netns_table_finish_binds(&f->table);
	KUNIT_ASSERT_EQ(test, tw_netns_table_reduce(&f->table, top_n, &f->res), 0);
}

/* The row of inode @inum, or NULL. */
static const struct tw_netns_row *tw_nt_row(struct tw_nt_fixture *f, u32 inum)
{
	unsigned int i;

	for (i = 0; i < f->res.nr; i++)
		if (f->res.rows[i].inum == inum)
			return &f->res.rows[i];
	return NULL;
}

static void tw_netns_table_test_counts_by_namespace(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 64);
	const struct tw_netns_row *a, *b;
	struct tw_sock_rec recs[] = {
		tw_nt_tw(f, 0, 1000, 2),
		tw_nt_tw(f, 0, 1001, 2),
		tw_nt_rec(f, 0, TW_REC_TW, TCP_FIN_WAIT2, 1002, 2),
		tw_nt_rec(f, 0, TW_REC_FULL, TCP_ESTABLISHED, 1003, 2),
		tw_nt_rec(f, 0, TW_REC_FULL, TCP_LISTEN, 80, 0),
		tw_nt_rec(f, 1, TW_REC_FULL, TCP_CLOSE_WAIT, 80, 3),
		tw_nt_rec(f, 1, TW_REC_FULL, TCP_FIN_WAIT2, 1000, 3),
		tw_nt_rec(f, 1, TW_REC_REQ, TCP_SYN_RECV, 80, 4),
	};

	tw_nt_add(test, f, 0);
	tw_nt_add(test, f, 1);
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	tw_nt_reduce(test, f, 8);
	KUNIT_ASSERT_EQ(test, f->res.nr, 2U);
	a = tw_nt_row(f, 100);
	b = tw_nt_row(f, 101);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, a->sockets.tw, 2U);
	KUNIT_EXPECT_EQ(test, a->sockets.fin_wait2, 1U);
	KUNIT_EXPECT_EQ(test, a->sockets.established, 1U);
	KUNIT_EXPECT_EQ(test, a->sockets.listen, 1U);
	KUNIT_EXPECT_EQ(test, a->sockets.close_wait, 0U);
	/* both kinds of FIN_WAIT2, as ss lists them */
	KUNIT_EXPECT_EQ(test, b->sockets.fin_wait2, 1U);
	KUNIT_EXPECT_EQ(test, b->sockets.close_wait, 1U);
	KUNIT_EXPECT_EQ(test, b->sockets.other, 1U);
	KUNIT_EXPECT_EQ(test, b->sockets.tw, 0U);
}

/*
 * A socket of a netns that was not pinned when the reading began (created
 * since) counts nowhere: not as a half row, not in others.
 */
static void tw_netns_table_test_unknown_namespace_absent(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 64);
	struct tw_sock_rec recs[] = {
		tw_nt_tw(f, 0, 1000, 2),
		tw_nt_tw(f, 5, 1000, 2),
		tw_nt_rec(f, 5, TW_REC_FULL, TCP_LISTEN, 80, 0),
	};

	tw_nt_add(test, f, 0);
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	tw_nt_reduce(test, f, 8);
	KUNIT_EXPECT_EQ(test, f->res.nr, 1U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].sockets.tw, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.tw, 0U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.listen, 0U);
	KUNIT_EXPECT_FALSE(test, f->table.overflow);
}

static void tw_netns_table_test_find_is_exact(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, TW_TEST_NETS, 64);
	unsigned int i;

	for (i = 0; i < TW_TEST_NETS - 1; i++)
		tw_nt_add(test, f, i);
	for (i = 0; i < TW_TEST_NETS - 1; i++)
		KUNIT_EXPECT_PTR_EQ(test,
				    tw_netns_table_find(&f->table, tw_nt_net(f, i)),
				    &f->table.ns[i]);
	KUNIT_EXPECT_NULL(test, tw_netns_table_find(&f->table,
						    tw_nt_net(f, TW_TEST_NETS - 1)));
}

/* Past capacity, namespaces are summed into others and the table says so. */
static void tw_netns_table_test_capacity_sums_into_others(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 1, 64);
	struct tw_sock_rec recs[] = {
		tw_nt_tw(f, 0, 1000, 2),
		tw_nt_tw(f, 1, 1000, 2),
		tw_nt_rec(f, 1, TW_REC_FULL, TCP_ESTABLISHED, 1001, 2),
	};

	tw_nt_add(test, f, 0);
	KUNIT_EXPECT_NULL(test, tw_netns_table_add(&f->table, tw_nt_net(f, 1)));
	KUNIT_EXPECT_TRUE(test, f->table.overflow);
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	tw_nt_reduce(test, f, 8);
	KUNIT_EXPECT_EQ(test, f->res.nr, 1U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].sockets.tw, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.tw, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.established, 1U);
}

/*
 * The same destination in two namespaces is two destinations: each
 * namespace's headroom counts only its own ports.
 */
static void tw_netns_table_test_headroom_per_namespace(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 64);
	struct tw_sock_rec recs[] = {
		tw_nt_tw(f, 0, 1000, 2),
		tw_nt_tw(f, 0, 1001, 2),
		tw_nt_tw(f, 0, 1002, 2),
		tw_nt_tw(f, 0, 1003, 3),
		tw_nt_tw(f, 1, 1000, 2),
		/* outside the searched range: no headroom taken */
		tw_nt_tw(f, 2, 999, 2),
	};

	tw_nt_add(test, f, 0);
	tw_nt_add(test, f, 1);
	tw_nt_add(test, f, 2);
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	tw_nt_reduce(test, f, 8);
	KUNIT_ASSERT_EQ(test, f->res.nr, 3U);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 100)->min_headroom, 10U - 3);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 101)->min_headroom, 10U - 1);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 102)->min_headroom, 10U);
}

/* Each namespace applies its own tcp_tw_reuse to the same kind of record. */
static void tw_netns_table_test_reuse_mode_per_namespace(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 64);
	struct tw_sock_rec recs[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		recs[i] = tw_nt_tw(f, i, 1000, 2);
		recs[i].flags = TW_REC_REUSABLE;
	}
	recs[2].flags |= TW_REC_LOOPBACK;
	tw_nt_add(test, f, 0)->reuse_mode = 0;
	tw_nt_add(test, f, 1)->reuse_mode = 1;
	tw_nt_add(test, f, 2)->reuse_mode = 2;
	tw_nt_add(test, f, 3)->reuse_mode = 2;
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	tw_nt_reduce(test, f, 8);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 100)->min_headroom, 9U);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 101)->min_headroom, 10U);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 102)->min_headroom, 10U);
	/* mode 2 without a loopback address: not reusable */
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 103)->min_headroom, 9U);
}

/*
 * An explicit bind() in the range is found on the first bind walk, which
 * asks for a bitmap; the second walk fills it.  The port is then neither
 * available nor shareable, and what the first walk counted is not kept.
 */
static void tw_netns_table_test_explicit_bind_second_walk(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 64);
	struct tw_bind_rec binds[] = {
		{ .net = tw_nt_net(f, 0), .port = 1005, .owners = 1,
		  .flags = TW_PORT_EXPLICIT },
		{ .net = tw_nt_net(f, 0), .port = 1000, .owners = 1 },
	};
	struct tw_sock_rec recs[] = {
		tw_nt_rec(f, 0, TW_REC_FULL, TCP_ESTABLISHED, 1005, 2),
		tw_nt_tw(f, 0, 1000, 2),
	};
	struct tw_netns_entry *e;
	unsigned int i;

	e = tw_nt_add(test, f, 0);
	for (i = 0; i < ARRAY_SIZE(binds); i++)
		tw_netns_table_bind_visit(&f->table, &binds[i]);
	KUNIT_EXPECT_TRUE(test, e->wants_explicit);
	KUNIT_ASSERT_EQ(test, tw_netns_table_want_explicit(&f->table), 1);
	KUNIT_ASSERT_NOT_NULL(test, e->explicit);
	KUNIT_EXPECT_EQ(test, e->eph.in_use, 0U);
	for (i = 0; i < ARRAY_SIZE(binds); i++)
		tw_netns_table_bind_visit(&f->table, &binds[i]);
	/* nothing new wanted: the walk stands */
	KUNIT_EXPECT_EQ(test, tw_netns_table_want_explicit(&f->table), 0);
	tw_netns_table_finish_binds(&f->table);
	KUNIT_EXPECT_EQ(test, e->eph.bound, 1U);
	KUNIT_EXPECT_EQ(test, e->eph.available, 9U);
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	tw_nt_reduce(test, f, 8);
	KUNIT_ASSERT_EQ(test, f->res.nr, 1U);
	/* 9 available, one shareable port used toward .2: the bound one is not */
	KUNIT_EXPECT_EQ(test, f->res.rows[0].min_headroom, 8U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].ephemeral_in_use, 2U);
}

static void tw_netns_table_test_reserved_ports(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 64);
	unsigned long *reserved = bitmap_zalloc(65536, GFP_KERNEL);
	struct tw_sock_rec recs[] = {
		tw_nt_tw(f, 0, 1003, 2),
		tw_nt_tw(f, 0, 1004, 2),
	};
	struct tw_netns_entry *e;

	f->reserved = reserved;
	KUNIT_ASSERT_NOT_NULL(test, reserved);
	__set_bit(1003, reserved);
	__set_bit(1009, reserved);
	__set_bit(2000, reserved);	/* outside the range */
	e = tw_nt_add(test, f, 0);
	e->reserved = reserved;
	tw_nt_reduce(test, f, 8);
	KUNIT_EXPECT_EQ(test, e->eph.reserved, 2U);
	KUNIT_EXPECT_EQ(test, e->eph.available, 8U);
	kvfree(f->res.rows);
	f->res.rows = NULL;
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_netns_table_reduce(&f->table, 8, &f->res), 0);
	/* only 1004 is taken from the 8: 1003 was never connect()'s to pick */
	KUNIT_EXPECT_EQ(test, f->res.rows[0].min_headroom, 7U);
}

/*
 * ephemeral_in_use counts ports of the range whose bind bucket has an
 * owner; a namespace holding only a bound port still has a row.
 */
static void tw_netns_table_test_in_use_from_bind_hash(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 64);
	struct tw_bind_rec binds[] = {
		{ .net = tw_nt_net(f, 0), .port = 1001, .owners = 2 },
		{ .net = tw_nt_net(f, 0), .port = 1002, .owners = 0 },
		{ .net = tw_nt_net(f, 0), .port = 1009, .owners = 1,
		  .flags = TW_PORT_OWNERS_UNKNOWN },
		{ .net = tw_nt_net(f, 0), .port = 5000, .owners = 1 },
		{ .net = tw_nt_net(f, 1), .port = 1001, .owners = 1 },
		/* not tracked: ignored */
		{ .net = tw_nt_net(f, 4), .port = 1001, .owners = 1 },
	};
	unsigned int i;

	tw_nt_add(test, f, 0);
	tw_nt_add(test, f, 1);
	tw_nt_add(test, f, 2);
	for (i = 0; i < ARRAY_SIZE(binds); i++)
		tw_netns_table_bind_visit(&f->table, &binds[i]);
	tw_nt_reduce(test, f, 8);
	KUNIT_ASSERT_EQ(test, f->res.nr, 2U);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 100)->ephemeral_in_use, 2U);
	KUNIT_EXPECT_EQ(test, tw_nt_row(f, 101)->ephemeral_in_use, 1U);
	/* key 2 has neither sockets nor ports: no row */
	KUNIT_EXPECT_NULL(test, tw_nt_row(f, 102));
	KUNIT_EXPECT_EQ(test, f->table.nr, 3U);
}

/*
 * Four namespaces: key 0 headroom 8; key 1 headroom 9 and 3 timewait;
 * key 2 headroom 9 and 1 timewait, private ehash; key 3 no destination
 * (headroom 10), a listener and 5 established.
 */
static struct tw_nt_fixture *tw_nt_ranked(struct kunit *test, unsigned int top_n)
{
	struct tw_nt_fixture *f = tw_nt_fixture(test, 8, 64);
	struct tw_sock_rec recs[12];
	unsigned int n = 0, i;

	recs[n++] = tw_nt_tw(f, 0, 1000, 2);
	recs[n++] = tw_nt_tw(f, 0, 1001, 2);
	recs[n++] = tw_nt_tw(f, 1, 1000, 2);
	recs[n++] = tw_nt_tw(f, 1, 1000, 3);
	recs[n++] = tw_nt_tw(f, 1, 1000, 4);
	recs[n++] = tw_nt_tw(f, 2, 1000, 2);
	recs[n++] = tw_nt_rec(f, 3, TW_REC_FULL, TCP_LISTEN, 80, 0);
	for (i = 0; i < 5; i++)
		recs[n++] = tw_nt_rec(f, 3, TW_REC_FULL, TCP_ESTABLISHED, 80, 5);
	for (i = 0; i < 4; i++)
		tw_nt_add(test, f, i);
	f->table.ns[2].private_ehash = true;
	tw_netns_table_visit(&f->table, recs, n);
	tw_nt_reduce(test, f, top_n);
	return f;
}

/* Worst first: least headroom, then most timewait; the rest in others. */
static void tw_netns_table_test_rank_top_n_and_others(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_ranked(test, 2);

	KUNIT_ASSERT_EQ(test, f->res.nr, 2U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].inum, 100U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].min_headroom, 8U);
	KUNIT_EXPECT_EQ(test, f->res.rows[1].inum, 101U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.tw, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.listen, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.established, 5U);
}

static void tw_netns_table_test_rank_all_rows(struct kunit *test)
{
	struct tw_nt_fixture *f = tw_nt_ranked(test, 8);

	KUNIT_ASSERT_EQ(test, f->res.nr, 4U);
	KUNIT_EXPECT_EQ(test, f->res.rows[1].sockets.tw, 3U);
	KUNIT_EXPECT_EQ(test, f->res.rows[2].inum, 102U);
	KUNIT_EXPECT_TRUE(test, f->res.rows[2].private_ehash);
	KUNIT_EXPECT_FALSE(test, f->res.rows[1].private_ehash);
	KUNIT_EXPECT_EQ(test, f->res.rows[3].inum, 103U);
	KUNIT_EXPECT_EQ(test, f->res.rows[3].min_headroom, 10U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.tw, 0U);
	KUNIT_EXPECT_EQ(test, f->res.others.sockets.established, 0U);
}

/*
 * When the destination table is full, a namespace's min_headroom is a
 * lower bound: a destination that did not fit cannot have less headroom
 * than available minus the sockets that did not fit.
 */
static void tw_netns_table_test_dest_overflow_lower_bound(struct kunit *test)
{
	/* 4 slots hold 3 destinations */
	struct tw_nt_fixture *f = tw_nt_fixture(test, 4, 4);
	struct tw_sock_rec recs[5];
	unsigned int i;

	for (i = 0; i < 5; i++)
		recs[i] = tw_nt_tw(f, 0, 1000, 2 + i);
	tw_nt_add(test, f, 0);
	tw_netns_table_visit(&f->table, recs, ARRAY_SIZE(recs));
	tw_nt_reduce(test, f, 8);
	KUNIT_ASSERT_EQ(test, f->res.nr, 1U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].sockets.tw, 5U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].min_headroom, 10U - 2);
}

static struct kunit_case tw_netns_table_test_cases[] = {
	KUNIT_CASE(tw_netns_table_test_counts_by_namespace),
	KUNIT_CASE(tw_netns_table_test_unknown_namespace_absent),
	KUNIT_CASE(tw_netns_table_test_find_is_exact),
	KUNIT_CASE(tw_netns_table_test_capacity_sums_into_others),
	KUNIT_CASE(tw_netns_table_test_headroom_per_namespace),
	KUNIT_CASE(tw_netns_table_test_reuse_mode_per_namespace),
	KUNIT_CASE(tw_netns_table_test_explicit_bind_second_walk),
	KUNIT_CASE(tw_netns_table_test_reserved_ports),
	KUNIT_CASE(tw_netns_table_test_in_use_from_bind_hash),
	KUNIT_CASE(tw_netns_table_test_rank_top_n_and_others),
	KUNIT_CASE(tw_netns_table_test_rank_all_rows),
	KUNIT_CASE(tw_netns_table_test_dest_overflow_lower_bound),
	{}
};

static struct kunit_suite tw_netns_table_test_suite = {
	.name = "tw_netns_table",
	.init = tw_nt_init,
	.exit = tw_nt_exit,
	.test_cases = tw_netns_table_test_cases,
};

kunit_test_suite(tw_netns_table_test_suite);
