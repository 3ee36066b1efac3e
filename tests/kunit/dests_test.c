// SPDX-License-Identifier: GPL-2.0
/* KUnit: per-destination ports in use, headroom, ranking and the bound. */
#include <linux/in.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/tcp_states.h>

#include "dests.h"
#include "dests_add.h"
#include "tw_test.h"

struct tw_dest_fixture {
	u32 *port_hot;		/* flags as struct tw_ports has them */
	struct tw_ephemeral eph;
	struct tw_dest_table table;
	struct tw_dest_env env;
	struct tw_dest_result res;
};

/* Allocated before each case and freed after it, even a failed one. */
static int tw_dest_init(struct kunit *test)
{
	struct tw_dest_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->port_hot = kvcalloc(TW_NR_PORTS, sizeof(*f->port_hot), GFP_KERNEL);
	if (!f->port_hot) {
		kfree(f);
		return -ENOMEM;
	}
	test->priv = f;
	return 0;
}

static void tw_dest_exit(struct kunit *test)
{
	struct tw_dest_fixture *f = test->priv;

	tw_dests_free(&f->table);
	kvfree(f->res.rows);
	kvfree(f->port_hot);
	kfree(f);
}

/* Ports 1000..1009 searched by connect(), nothing reserved or bound. */
static struct tw_dest_fixture *tw_dest_fixture(struct kunit *test,
					       unsigned int capacity)
{
	struct tw_dest_fixture *f = test->priv;

	f->eph.low = 1000;
	f->eph.high = 1009;
	f->eph.span = 10;
	f->env.available = 10;
	f->env.reuse_delay_ms = 1000;
	f->env.timewait_ms = 60000;
	KUNIT_ASSERT_EQ(test, tw_dests_init(&f->table, capacity, f->port_hot,
					    &f->eph), 0);
	return f;
}

/* A record toward 10.0.0.@host:@rport from 10.0.0.1:@lport. */
static struct tw_sock_rec tw_dest_rec(u8 kind, u16 lport, u8 host, u16 rport)
{
	struct tw_sock_rec r = {
		.kind = kind, .family = AF_INET, .lport = lport,
		.rport = htons(rport),
		.state = kind == TW_REC_TW ? TCP_TIME_WAIT : TCP_ESTABLISHED,
	};

	r.laddr.v4 = htonl(0x0a000001);
	r.raddr.v4 = htonl(0x0a000000 | host);
	return r;
}

static void tw_dests_test_headroom_per_destination(struct kunit *test)
{
	struct tw_dest_fixture *f = tw_dest_fixture(test, 64);
	struct tw_sock_rec recs[] = {
		tw_dest_rec(TW_REC_TW, 1000, 2, 80),
		tw_dest_rec(TW_REC_TW, 1001, 2, 80),
		tw_dest_rec(TW_REC_TW, 1002, 2, 80),
		/* the same local port toward another destination is fine */
		tw_dest_rec(TW_REC_FULL, 1000, 3, 80),
	};

	recs[0].flags = TW_REC_REUSABLE;
	tw_dests_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_dests_reduce(&f->table, &f->env, 64, &f->res), 0);
	KUNIT_ASSERT_EQ(test, f->res.nr, 2U);
	KUNIT_EXPECT_EQ(test, f->res.destinations, 2U);
	/* worst first: toward .2, 3 ports used, one reusable */
	KUNIT_EXPECT_EQ(test, ntohl(f->res.rows[0].key.raddr.v4), 0x0a000002U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].tw, 3U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].in_use, 3U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].reusable, 1U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].headroom, 10U - 3 + 1);
	KUNIT_EXPECT_EQ(test, f->res.rows[1].other, 1U);
	KUNIT_EXPECT_EQ(test, f->res.rows[1].headroom, 9U);
	KUNIT_EXPECT_EQ(test, f->res.min_headroom, 8U);
	KUNIT_EXPECT_EQ(test, f->res.others.in_use, 0U);
}

/* An IPv6 record toward 2001:db8::@last from 2001:db8::1. */
static struct tw_sock_rec tw_dest_rec6(u16 lport, u32 last)
{
	struct tw_sock_rec r = tw_dest_rec(TW_REC_TW, lport, 0, 80);

	r.family = AF_INET6;
	r.laddr.v6.s6_addr32[0] = htonl(0x20010db8);
	r.laddr.v6.s6_addr32[1] = 0;
	r.laddr.v6.s6_addr32[2] = 0;
	r.laddr.v6.s6_addr32[3] = htonl(1);
	r.raddr.v6 = r.laddr.v6;
	r.raddr.v6.s6_addr32[3] = htonl(last);
	return r;
}

/*
 * IPv6 keys are hashed and compared over all their words: destinations
 * that differ only in the last word of the remote address, or are an IPv4
 * one whose address is the first word of theirs, are each their own row.
 */
static void tw_dests_test_ipv6_keys_whole(struct kunit *test)
{
	struct tw_dest_fixture *f = tw_dest_fixture(test, 64);
	struct tw_sock_rec recs[] = {
		tw_dest_rec6(1000, 2),
		tw_dest_rec6(1001, 2),
		tw_dest_rec6(1002, 3),
		tw_dest_rec(TW_REC_TW, 1003, 0, 80),
	};
	unsigned int i, v6_rows = 0;

	/* the IPv4 one: 32.1.13.184 both ways, the first word of the others */
	recs[3].laddr.v4 = htonl(0x20010db8);
	recs[3].raddr.v4 = htonl(0x20010db8);
	tw_dests_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_dests_reduce(&f->table, &f->env, 64, &f->res), 0);
	KUNIT_ASSERT_EQ(test, f->res.nr, 3U);
	KUNIT_EXPECT_EQ(test, f->res.destinations, 3U);
	/* worst first: the destination with two ports taken */
	KUNIT_EXPECT_EQ(test, f->res.rows[0].key.family, AF_INET6);
	KUNIT_EXPECT_EQ(test, ntohl(f->res.rows[0].key.raddr.v6.s6_addr32[3]), 2U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].in_use, 2U);
	for (i = 1; i < f->res.nr; i++) {
		KUNIT_EXPECT_EQ(test, f->res.rows[i].in_use, 1U);
		v6_rows += f->res.rows[i].key.family == AF_INET6;
	}
	KUNIT_EXPECT_EQ(test, v6_rows, 1U);
}

static void tw_dests_test_explicit_port_not_subtracted_twice(struct kunit *test)
{
	struct tw_dest_fixture *f = tw_dest_fixture(test, 64);
	struct tw_sock_rec recs[] = {
		tw_dest_rec(TW_REC_TW, 1000, 2, 80),
		tw_dest_rec(TW_REC_FULL, 1005, 2, 80),	/* on a bind()-held port */
	};

	recs[1].flags = 0;
	f->port_hot[1005] = TW_PORT_EXPLICIT << TW_PORT_HOT_FLAGS_SHIFT;
	f->env.available = 9;	/* the bound port is not available to anyone */
	tw_dests_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_dests_reduce(&f->table, &f->env, 64, &f->res), 0);
	KUNIT_ASSERT_EQ(test, f->res.nr, 1U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].in_use, 2U);
	KUNIT_EXPECT_EQ(test, f->res.rows[0].headroom, 8U);
}

static void tw_dests_test_ignores_listeners_and_other_ports(struct kunit *test)
{
	struct tw_dest_fixture *f = tw_dest_fixture(test, 64);
	struct tw_sock_rec recs[] = {
		tw_dest_rec(TW_REC_FULL, 1000, 2, 0),	/* listener: no peer */
		tw_dest_rec(TW_REC_TW, 999, 2, 80),	/* below the range */
		tw_dest_rec(TW_REC_TW, 1010, 2, 80),	/* above the span */
	};

	tw_dests_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_dests_reduce(&f->table, &f->env, 64, &f->res), 0);
	KUNIT_EXPECT_EQ(test, f->res.nr, 0U);
	KUNIT_EXPECT_EQ(test, f->res.destinations, 0U);
	/* with no destination, any new one has the whole range */
	KUNIT_EXPECT_EQ(test, f->res.min_headroom, 10U);
}

static void tw_dests_test_top_n_and_others(struct kunit *test)
{
	struct tw_dest_fixture *f = tw_dest_fixture(test, 64);
	struct tw_sock_rec recs[15];
	unsigned int host, i, n = 0;

	/* destination .h holds h ports: .5 is the worst */
	for (host = 1; host <= 5; host++)
		for (i = 0; i < host; i++)
			recs[n++] = tw_dest_rec(TW_REC_TW, 1000 + i, host, 443);
	tw_dests_visit(&f->table, recs, n);
	KUNIT_ASSERT_EQ(test, tw_dests_reduce(&f->table, &f->env, 2, &f->res), 0);
	KUNIT_ASSERT_EQ(test, f->res.nr, 2U);
	KUNIT_EXPECT_EQ(test, f->res.destinations, 5U);
	KUNIT_EXPECT_EQ(test, ntohl(f->res.rows[0].key.raddr.v4) & 0xff, 5U);
	KUNIT_EXPECT_EQ(test, ntohl(f->res.rows[1].key.raddr.v4) & 0xff, 4U);
	KUNIT_EXPECT_EQ(test, f->res.others.tw, 1U + 2 + 3);
	KUNIT_EXPECT_EQ(test, f->res.others.in_use, 1U + 2 + 3);
	KUNIT_EXPECT_EQ(test, f->res.min_headroom, 5U);
}

static void tw_dests_test_capacity_bound_keeps_sums(struct kunit *test)
{
	/* 8 slots hold 6 destinations; the other 4 are summed, not lost */
	struct tw_dest_fixture *f = tw_dest_fixture(test, 8);
	struct tw_sock_rec recs[10];
	unsigned int i, tw = 0;

	for (i = 0; i < ARRAY_SIZE(recs); i++)
		recs[i] = tw_dest_rec(TW_REC_TW, 1000, 10 + i, 80);
	tw_dests_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_dests_reduce(&f->table, &f->env, 64, &f->res), 0);
	KUNIT_EXPECT_EQ(test, f->res.destinations, 6U);
	KUNIT_EXPECT_EQ(test, f->res.untracked_sockets, 4ULL);
	for (i = 0; i < f->res.nr; i++)
		tw += f->res.rows[i].tw;
	KUNIT_EXPECT_EQ(test, tw + f->res.others.tw, 10U);
}

static void tw_dests_test_conn_per_s(struct kunit *test)
{
	struct tw_dest_env env = {
		.available = 28232, .reuse_delay_ms = 1000, .timewait_ms = 60000,
		.timestamps = true,
	};
	struct tw_dest_key lo = { .family = AF_INET }, far = { .family = AF_INET };

	lo.laddr.v4 = htonl(INADDR_LOOPBACK);
	lo.raddr.v4 = htonl(INADDR_LOOPBACK);
	far.laddr.v4 = htonl(0x0a000001);
	far.raddr.v4 = htonl(0x0a000002);

	env.reuse_mode = 0;
	KUNIT_EXPECT_EQ(test, tw_dest_conn_per_s(&far, &env), 28232U / 60);
	KUNIT_EXPECT_EQ(test, tw_dest_conn_per_s(&lo, &env), 28232U / 60);
	env.reuse_mode = 2;	/* loopback only */
	KUNIT_EXPECT_EQ(test, tw_dest_conn_per_s(&far, &env), 28232U / 60);
	KUNIT_EXPECT_EQ(test, tw_dest_conn_per_s(&lo, &env), 28232U);
	env.reuse_mode = 1;
	KUNIT_EXPECT_EQ(test, tw_dest_conn_per_s(&far, &env), 28232U);
	env.timestamps = false;	/* reuse needs timestamps */
	KUNIT_EXPECT_EQ(test, tw_dest_conn_per_s(&far, &env), 28232U / 60);
}

/* Destinations crafted to collide, in the hash test below. */
#define TW_DEST_CRAFTED	48

/*
 * How far past their home index the slots of @recs sit in @t, summed:
 * the extra probes a lookup of each of them costs.
 */
static u32 tw_dests_displacement(struct kunit *test,
				 const struct tw_dest_table *t,
				 const struct tw_sock_rec *recs, unsigned int n)
{
	u32 mask = t->capacity - 1, sum = 0, home, i, k;

	for (k = 0; k < n; k++) {
		home = tw_dest_rec_hash(&recs[k], 0, &t->hash) & mask;
		for (i = home; t->index[i]; i = (i + 1) & mask)
			if (tw_dest_key_is(&t->slots[t->index[i] - 1].key,
					   &recs[k], 0))
				break;
		KUNIT_ASSERT_NE_MSG(test, t->index[i], 0, "destination %u lost", k);
		sum += (i - home) & mask;
	}
	return sum;
}

/* Parameters anyone can know: the golden ratio for every word. */
static void tw_dest_known_hash(struct tw_dest_hash *k)
{
	unsigned int i;

	for (i = 0; i < TW_DEST_HASH_WORDS; i++)
		k->mul[i] = 0x9e3779b97f4a7c15ULL;
	k->add = 0;
}

/*
 * The destinations come from sockets any local user can make.  Picked so
 * that, under a hash anyone can compute (fixed parameters), they all start
 * probing at index 0, each lookup runs through all those before it; with
 * the table's own random parameters they scatter, and a lookup stays
 * short.
 */
static void tw_dests_test_random_hash_spreads_crafted_collisions(struct kunit *test)
{
	struct tw_dest_fixture *f = tw_dest_fixture(test, TW_DEST_CAPACITY);
	u32 mask = f->table.capacity - 1, host, found = 0;
	struct tw_dest_hash known;
	struct tw_sock_rec *recs;

	tw_dest_known_hash(&known);
	recs = kunit_kcalloc(test, TW_DEST_CRAFTED, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	for (host = 1; host < (1U << 24) && found < TW_DEST_CRAFTED; host++) {
		struct tw_sock_rec r = tw_dest_rec(TW_REC_TW, 1000, 0, 80);

		r.raddr.v4 = htonl(0x0b000000 | host);
		if (!(tw_dest_rec_hash(&r, 0, &known) & mask))
			recs[found++] = r;
	}
	KUNIT_ASSERT_EQ(test, found, TW_DEST_CRAFTED);

	/* with known parameters, the attack works: 0 + 1 + ... + 47 extra probes */
	f->table.hash = known;
	tw_dests_visit(&f->table, recs, TW_DEST_CRAFTED);
	KUNIT_EXPECT_EQ(test, tw_dests_displacement(test, &f->table, recs,
						    TW_DEST_CRAFTED),
			TW_DEST_CRAFTED * (TW_DEST_CRAFTED - 1) / 2);

	/*
	 * As a reading makes it: 48 of 4,096 slots at random, about one
	 * collision in all (the bound is for parameters of bad luck, and
	 * fresh ones each run).
	 */
	tw_dests_free(&f->table);
	KUNIT_ASSERT_EQ(test, tw_dests_init(&f->table, TW_DEST_CAPACITY,
					    f->port_hot, &f->eph), 0);
	tw_dests_visit(&f->table, recs, TW_DEST_CRAFTED);
	KUNIT_EXPECT_LT(test, tw_dests_displacement(test, &f->table, recs,
						    TW_DEST_CRAFTED),
			(u32)TW_DEST_CRAFTED);
	KUNIT_EXPECT_EQ(test, f->table.used, TW_DEST_CRAFTED);
}

static struct kunit_case tw_dests_test_cases[] = {
	KUNIT_CASE(tw_dests_test_headroom_per_destination),
	KUNIT_CASE(tw_dests_test_ipv6_keys_whole),
	KUNIT_CASE(tw_dests_test_explicit_port_not_subtracted_twice),
	KUNIT_CASE(tw_dests_test_ignores_listeners_and_other_ports),
	KUNIT_CASE(tw_dests_test_top_n_and_others),
	KUNIT_CASE(tw_dests_test_capacity_bound_keeps_sums),
	KUNIT_CASE(tw_dests_test_conn_per_s),
	KUNIT_CASE(tw_dests_test_random_hash_spreads_crafted_collisions),
	{}
};

static struct kunit_suite tw_dests_test_suite = {
	.name = "tw_dests",
	.init = tw_dest_init,
	.exit = tw_dest_exit,
	.test_cases = tw_dests_test_cases,
};

kunit_test_suite(tw_dests_test_suite);
