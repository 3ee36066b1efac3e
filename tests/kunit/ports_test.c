// SPDX-License-Identifier: GPL-2.0
/* KUnit: per-port occupancy and the ephemeral-range figures. */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/tcp_states.h>

#include "ports.h"
#include "tw_test.h"

struct tw_ports_fixture {
	struct tw_ports p;
	struct tw_port_acc *ref;	/* a case's reference array, if it has one */
};

/*
 * Per-port arrays for each case, freed after it, even a failed one.  The
 * entries are filled with garbage first: tw_ports_alloc() does not clear
 * them, and a reading must never see what the memory held before.
 */
static int tw_ports_test_init(struct kunit *test)
{
	struct tw_ports_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int err;

	if (!f)
		return -ENOMEM;
	test->priv = f;
	err = tw_ports_alloc(&f->p, GFP_KERNEL);
	if (!err)
		memset(f->p.acc, 0xa5, TW_NR_PORTS * sizeof(*f->p.acc));
	return err;
}

static void tw_ports_test_exit(struct kunit *test)
{
	struct tw_ports_fixture *f = test->priv;

	if (!f)
		return;
	tw_ports_free(&f->p);
	kvfree(f->ref);
	kfree(f);
}

static struct tw_ports *tw_test_ports(struct kunit *test)
{
	return &((struct tw_ports_fixture *)test->priv)->p;
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
	struct tw_ports *p = tw_test_ports(test);
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

	tw_ports_visit(p, recs, ARRAY_SIZE(recs));
	tw_ports_merge(p);
	KUNIT_ASSERT_EQ(test, tw_ports_rows(p, NULL), 1U);
	tw_ports_rows(p, rows);
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
	struct tw_ports *p = tw_test_ports(test);
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 65535),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 1),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 40000),
	};
	struct tw_port_row rows[3];

	tw_ports_visit(p, recs, ARRAY_SIZE(recs));
	tw_ports_merge(p);
	KUNIT_ASSERT_EQ(test, tw_ports_rows(p, rows), 3U);
	KUNIT_EXPECT_EQ(test, rows[0].port, 1);
	KUNIT_EXPECT_EQ(test, rows[1].port, 40000);
	KUNIT_EXPECT_EQ(test, rows[2].port, 65535);
}

static void tw_ports_test_tw_only(struct kunit *test)
{
	struct tw_ports *p = tw_test_ports(test);
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 100),	/* tw only */
		tw_port_rec(TW_REC_TW, TCP_FIN_WAIT2, 101),	/* tw only */
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 102),	/* + listener */
		tw_port_rec(TW_REC_FULL, TCP_LISTEN, 102),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 103),	/* + bound socket */
	};

	tw_ports_visit(p, recs, ARRAY_SIZE(recs));
	tw_ports_merge(p);
	tw_ports_entry(p, 100)->bind_owners = 1;
	tw_ports_entry(p, 101)->bind_owners = 1;
	tw_ports_entry(p, 103)->bind_owners = 2;
	KUNIT_EXPECT_EQ(test, tw_ports_tw_only(p), 2U);
}

static void tw_ports_test_ephemeral_figures(struct kunit *test)
{
	struct tw_ports *p = tw_test_ports(test);
	struct tw_ephemeral eph = { .low = 1000, .high = 1009, .span = 10 };
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 1000),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 1001),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 999),	/* outside */
	};

	tw_ports_visit(p, recs, ARRAY_SIZE(recs));
	/* flags as the bind hash and the reserved list set them: the array */
	tw_ports_add_flags(p, 1002, TW_PORT_EXPLICIT);
	tw_ports_entry(p, 1002)->bind_owners = 1;
	tw_ports_add_flags(p, 1003, TW_PORT_RESERVED);
	tw_ports_add_flags(p, 1004, TW_PORT_RESERVED | TW_PORT_EXPLICIT);	/* counted once */
	tw_ports_merge(p);
	tw_ports_ephemeral(p, &eph);
	KUNIT_EXPECT_EQ(test, eph.ports, 10U);
	KUNIT_EXPECT_EQ(test, eph.in_use, 3U);
	KUNIT_EXPECT_EQ(test, eph.reserved, 2U);
	KUNIT_EXPECT_EQ(test, eph.bound, 1U);
	KUNIT_EXPECT_EQ(test, eph.available, 7U);
}

static void tw_ports_test_owners_unknown_counts_as_used(struct kunit *test)
{
	struct tw_ports *p = tw_test_ports(test);
	struct tw_port_row row;

	tw_ports_entry(p, 7)->flags = TW_PORT_OWNERS_UNKNOWN;
	KUNIT_ASSERT_EQ(test, tw_ports_rows(p, &row), 1U);
	KUNIT_EXPECT_EQ(test, row.port, 7);
	KUNIT_EXPECT_TRUE(test, row.flags & TW_PORT_OWNERS_UNKNOWN);
	KUNIT_EXPECT_EQ(test, tw_ports_tw_only(p), 0U);
}

/* The one-pass scan the snapshot uses says what the three passes say. */
static void tw_ports_test_scan_matches_passes(struct kunit *test)
{
	struct tw_ports *p = tw_test_ports(test);
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
	unsigned int rows;
	u32 tw_only;

	tw_ports_visit(p, recs, ARRAY_SIZE(recs));
	tw_ports_entry(p, 100)->bind_owners = 1;
	tw_ports_entry(p, 101)->bind_owners = 1;
	tw_ports_entry(p, 103)->flags = TW_PORT_EXPLICIT;
	tw_ports_entry(p, 103)->bind_owners = 1;
	tw_ports_entry(p, 104)->flags = TW_PORT_RESERVED;
	tw_ports_entry(p, 105)->flags = TW_PORT_RESERVED | TW_PORT_EXPLICIT;
	tw_ports_entry(p, 106)->flags = TW_PORT_OWNERS_UNKNOWN;
	tw_ports_entry(p, 109)->bind_owners = 1;

	/* the scan merges: the passes after it read the merged array */
	rows = tw_ports_scan(p, &one, &tw_only);
	KUNIT_EXPECT_EQ(test, rows, tw_ports_rows(p, NULL));
	tw_ports_ephemeral(p, &three);
	KUNIT_EXPECT_EQ(test, tw_only, tw_ports_tw_only(p));
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
	struct tw_ports *p = tw_test_ports(test);
	struct tw_ephemeral eph = { .low = 40000, .high = 40009, .span = 10 };
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 40000),
		tw_port_rec(TW_REC_TW, TCP_FIN_WAIT2, 40000),
		tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 40000),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 40001),
	};
	struct tw_port_row rows[3];
	u32 tw_only;

	tw_ports_visit(p, recs, ARRAY_SIZE(recs));
	/* as the bind hash leaves them: flags in the array, not yet in acc */
	tw_ports_add_flags(p, 40000, TW_PORT_OWNERS_WALK);
	tw_ports_add_flags(p, 40001, TW_PORT_OWNERS_WALK);
	tw_ports_add_flags(p, 40002, TW_PORT_OWNERS_WALK);
	p->hot[40002] += TW_BIND_OWNERS_MAX + 1;
	KUNIT_ASSERT_EQ(test, tw_ports_scan(p, &eph, &tw_only), 3U);
	KUNIT_ASSERT_EQ(test, tw_ports_rows(p, rows), 3U);
	KUNIT_EXPECT_EQ(test, rows[0].bind_owners, 3U);
	KUNIT_EXPECT_EQ(test, rows[0].flags, 0);
	KUNIT_EXPECT_EQ(test, rows[1].bind_owners, 1U);
	KUNIT_EXPECT_EQ(test, rows[2].flags, TW_PORT_OWNERS_UNKNOWN);
	KUNIT_EXPECT_EQ(test, rows[2].bind_owners, 0U);
	/* 40001: its one owner is its timewait socket */
	KUNIT_EXPECT_EQ(test, tw_only, 1U);
}

/* Every socket kind and state on @port, some of them @times over. */
static unsigned int tw_ports_test_mix(struct tw_sock_rec *recs, u16 port)
{
	static const struct { u8 kind, state, times; } mix[] = {
		{ TW_REC_TW, TCP_TIME_WAIT, 5 },
		{ TW_REC_TW, TCP_FIN_WAIT2, 2 },
		{ TW_REC_FULL, TCP_FIN_WAIT2, 1 },
		{ TW_REC_FULL, TCP_ESTABLISHED, 3 },
		{ TW_REC_FULL, TCP_CLOSE_WAIT, 1 },
		{ TW_REC_FULL, TCP_LISTEN, 1 },
		{ TW_REC_FULL, TCP_LAST_ACK, 1 },
		{ TW_REC_FULL, TCP_SYN_SENT, 1 },
		{ TW_REC_REQ, TCP_SYN_RECV, 2 },
	};
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(mix); i++)
		for (j = 0; j < mix[i].times; j++)
			recs[n++] = tw_port_rec(mix[i].kind, mix[i].state, port);
	return n;
}

static bool tw_port_acc_eq(const struct tw_port_acc *a,
			   const struct tw_port_acc *b)
{
	return a->sockets.tw == b->sockets.tw &&
	       a->sockets.fin_wait2 == b->sockets.fin_wait2 &&
	       a->sockets.established == b->sockets.established &&
	       a->sockets.close_wait == b->sockets.close_wait &&
	       a->sockets.other == b->sockets.other &&
	       a->sockets.listen == b->sockets.listen &&
	       a->tw_fin_wait2 == b->tw_fin_wait2 &&
	       a->bind_owners == b->bind_owners && a->flags == b->flags;
}

/*
 * The compact counters and flags, merged, give the array the old path
 * gave (every record through tw_port_acc_add() into its full entry, bind
 * records straight into it): on every port, the edges 0 and 65535 too.
 */
static void tw_ports_test_merge_matches_full_path(struct kunit *test)
{
	static const u16 ports[] = { 0, 1, 80, 1024, 40000, 65534, 65535 };
	const struct tw_bind_rec binds[] = {
		{ .port = 0, .flags = TW_PORT_EXPLICIT, .owners = 3 },
		{ .port = 80, .flags = TW_PORT_EXPLICIT, .owners = 1 },
		{ .port = 80, .flags = TW_PORT_EXPLICIT, .owners = 2 },
		{ .port = 1024, .flags = TW_PORT_EXPLICIT | TW_PORT_OWNERS_UNKNOWN,
		  .owners = TW_BIND_OWNERS_MAX + 1 },
		{ .port = 40000, .flags = TW_PORT_OWNERS_WALK },
		{ .port = 65535, .flags = TW_PORT_OWNERS_WALK },
		{ .port = 65535, .flags = TW_PORT_EXPLICIT, .owners = 4 },
		{ .port = 30000, .flags = TW_PORT_EXPLICIT, .owners = 1 },
	};
	struct tw_ports_fixture *f = test->priv;
	struct tw_ports *p = &f->p;
	struct tw_port_acc *ref;
	struct tw_sock_rec *recs;
	unsigned int i, n, bad = 0, first_bad = 0;

	ref = kvcalloc(TW_NR_PORTS, sizeof(*ref), GFP_KERNEL);
	f->ref = ref;
	recs = kunit_kcalloc(test, 32, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, recs);

	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		n = tw_ports_test_mix(recs, ports[i]);
		KUNIT_ASSERT_LE(test, n, 32U);
		tw_ports_visit(p, recs, n);
		while (n--)
			tw_port_acc_add(&ref[ports[i]], &recs[n]);
	}
	tw_ports_add_binds(p, binds, ARRAY_SIZE(binds));
	for (i = 0; i < ARRAY_SIZE(binds); i++) {
		ref[binds[i].port].flags |= binds[i].flags;
		if (!(binds[i].flags & TW_PORT_OWNERS_UNKNOWN))
			ref[binds[i].port].bind_owners += binds[i].owners;
	}
	tw_ports_add_flags(p, 50000, TW_PORT_RESERVED);
	ref[50000].flags |= TW_PORT_RESERVED;

	/* before the merge the flags are where the destinations read them */
	KUNIT_EXPECT_EQ(test, tw_port_hot_flags(p->hot, 80), TW_PORT_EXPLICIT);
	KUNIT_EXPECT_EQ(test, tw_port_hot_flags(p->hot, 65535),
			TW_PORT_EXPLICIT | TW_PORT_OWNERS_WALK);
	/* and the TIME_WAIT ones in the counters: the full entry has none */
	KUNIT_EXPECT_EQ(test, p->hot[0] & TW_PORT_HOT_COUNT, 5U);
	KUNIT_EXPECT_EQ(test, tw_ports_get(p, 0)->sockets.tw, 0U);

	tw_ports_merge(p);
	for (i = 0; i < TW_NR_PORTS; i++) {
		if (tw_port_acc_eq(tw_ports_get(p, i), &ref[i]))
			continue;
		if (!bad++)
			first_bad = i;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "first differing port %u", first_bad);
	KUNIT_EXPECT_EQ(test, tw_ports_get(p, 65535)->sockets.tw, 5U);
	KUNIT_EXPECT_EQ(test, tw_ports_get(p, 0)->sockets.tw, 5U);
}

/*
 * A port with more TIME_WAIT sockets than a u16 holds, on both edge
 * ports, through the one-pass scan: the rows say every one of them.
 */
static void tw_ports_test_merge_beyond_u16(struct kunit *test)
{
	const u32 many = 70000, batch = 250;
	struct tw_ephemeral eph = { .low = 32768, .high = 60999, .span = 28232 };
	struct tw_ports *p = tw_test_ports(test);
	struct tw_sock_rec *recs;
	struct tw_port_row rows[2];
	u32 done, tw_only, i;

	recs = kunit_kcalloc(test, 2 * batch, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	for (i = 0; i < batch; i++) {
		recs[2 * i] = tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 0);
		recs[2 * i + 1] = tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 65535);
	}
	for (done = 0; done < many; done += batch)
		tw_ports_visit(p, recs, 2 * batch);
	/* one more kind on 65535, counted in the full entry */
	recs[0] = tw_port_rec(TW_REC_FULL, TCP_ESTABLISHED, 65535);
	tw_ports_visit(p, recs, 1);

	KUNIT_ASSERT_EQ(test, tw_ports_scan(p, &eph, &tw_only), 2U);
	KUNIT_ASSERT_EQ(test, tw_ports_rows(p, rows), 2U);
	KUNIT_EXPECT_EQ(test, rows[0].port, 0);
	KUNIT_EXPECT_EQ(test, rows[0].sockets.tw, many);
	KUNIT_EXPECT_EQ(test, rows[1].port, 65535);
	KUNIT_EXPECT_EQ(test, rows[1].sockets.tw, many);
	KUNIT_EXPECT_EQ(test, rows[1].sockets.established, 1U);
	/* port 0: timewait sockets only, and no owner the bind hash counted */
	KUNIT_EXPECT_EQ(test, tw_only, 1U);
}

/*
 * A port whose TIME_WAIT count fills the hot word's 24 bits moves them to
 * its full entry and counts on: the flags above are never touched.
 */
static void tw_ports_test_hot_count_carries(struct kunit *test)
{
	struct tw_ports *p = tw_test_ports(test);
	struct tw_sock_rec recs[] = {
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 65535),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 65535),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 65535),
		tw_port_rec(TW_REC_TW, TCP_TIME_WAIT, 0),
	};

	/* as if 2^24 - 2 had been counted already */
	p->hot[65535] = TW_PORT_HOT_COUNT - 1;
	p->hot[0] = TW_PORT_HOT_COUNT;
	tw_ports_add_flags(p, 65535, TW_PORT_EXPLICIT);
	tw_ports_add_flags(p, 0, TW_PORT_RESERVED);
	tw_ports_visit(p, recs, ARRAY_SIZE(recs));
	KUNIT_EXPECT_EQ(test, tw_port_hot_flags(p->hot, 65535), TW_PORT_EXPLICIT);
	KUNIT_EXPECT_EQ(test, tw_port_hot_flags(p->hot, 0), TW_PORT_RESERVED);
	tw_ports_merge(p);
	KUNIT_EXPECT_EQ(test, tw_ports_get(p, 65535)->sockets.tw, TW_PORT_HOT_COUNT + 2);
	KUNIT_EXPECT_EQ(test, tw_ports_get(p, 65535)->flags, TW_PORT_EXPLICIT);
	KUNIT_EXPECT_EQ(test, tw_ports_get(p, 0)->sockets.tw, TW_PORT_HOT_COUNT + 1);
	KUNIT_EXPECT_EQ(test, tw_ports_get(p, 0)->flags, TW_PORT_RESERVED);
}

static struct kunit_case tw_ports_test_cases[] = {
	KUNIT_CASE(tw_ports_test_counts_by_kind),
	KUNIT_CASE(tw_ports_test_rows_sorted_by_port),
	KUNIT_CASE(tw_ports_test_tw_only),
	KUNIT_CASE(tw_ports_test_ephemeral_figures),
	KUNIT_CASE(tw_ports_test_owners_unknown_counts_as_used),
	KUNIT_CASE(tw_ports_test_scan_matches_passes),
	KUNIT_CASE(tw_ports_test_owners_from_walk),
	KUNIT_CASE(tw_ports_test_merge_matches_full_path),
	KUNIT_CASE(tw_ports_test_merge_beyond_u16),
	KUNIT_CASE(tw_ports_test_hot_count_carries),
	{}
};

static struct kunit_suite tw_ports_test_suite = {
	.name = "tw_ports",
	.init = tw_ports_test_init,
	.exit = tw_ports_test_exit,
	.test_cases = tw_ports_test_cases,
};

kunit_test_suite(tw_ports_test_suite);
