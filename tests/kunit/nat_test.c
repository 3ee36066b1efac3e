// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the NAT view's pure parts: the declared range, the bounded
 * (source, destination) table, its ranking into top_n rows plus
 * 'others', and the text of tw_nat and of the nat_ lines.
 */
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "nat.h"
#include "files/tw_proc.h"
#include "tw_test.h"

static int tw_nat_test_parse(const char *s, struct tw_nat_range *r)
{
	return tw_nat_parse_ports(s, strlen(s), r);
}

static void tw_nat_test_parse_ports(struct kunit *test)
{
	static const char *const bad[] = {
		"", "ports", "ports ", "ports 9-3", "ports 0-10", "ports 1-65536",
		"ports 10-", "ports -10", "ports 10", "ports a-b", "port 1-2",
		"ports 1-2\n\n", "ports default\nx", "ports 1-2 ",
	};
	struct tw_nat_range r;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, tw_nat_test_parse("ports 40000-40007\n", &r), 0);
	KUNIT_EXPECT_EQ(test, r.min, 40000);
	KUNIT_EXPECT_EQ(test, r.max, 40007);
	KUNIT_EXPECT_EQ(test, tw_nat_range_size(&r), 8U);
	KUNIT_ASSERT_EQ(test, tw_nat_test_parse("ports 1-65535", &r), 0);
	KUNIT_EXPECT_EQ(test, tw_nat_range_size(&r), 65535U);
	KUNIT_ASSERT_EQ(test, tw_nat_test_parse("ports 7-7", &r), 0);
	KUNIT_EXPECT_EQ(test, tw_nat_range_size(&r), 1U);
	KUNIT_ASSERT_EQ(test, tw_nat_test_parse("ports default", &r), 0);
	KUNIT_EXPECT_EQ(test, r.min, TW_NAT_DEFAULT_MIN);
	KUNIT_EXPECT_EQ(test, tw_nat_range_size(&r), 65535U - 1024 + 1);
	KUNIT_ASSERT_EQ(test, tw_nat_test_parse("ports unknown\n", &r), 0);
	KUNIT_EXPECT_FALSE(test, tw_nat_range_known(&r));
	KUNIT_EXPECT_EQ(test, tw_nat_range_size(&r), 0U);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, tw_nat_test_parse(bad[i], &r), -EINVAL,
				    "accepted '%s'", bad[i]);
}

static void tw_nat_test_key(struct tw_nat_key *k, const char *src,
			    const char *dst, u16 dport)
{
	memset(k, 0, sizeof(*k));
	k->family = AF_INET;
	k->source.v4 = in_aton(src);
	k->dest.v4 = in_aton(dst);
	k->dport = htons(dport);
}

/*
 * Three pairs: A with 3 flows (2 holding ports of the range), B with 1
 * (in range), C with 4 (1 in range); range 100-103 (4 ports).
 */
static void tw_nat_test_fill(struct kunit *test, struct tw_nat_table *t,
			     unsigned int capacity)
{
	struct tw_nat_range range = { 100, 103 };
	struct tw_nat_key a, b, c;

	KUNIT_ASSERT_EQ(test, tw_nat_table_init(t, capacity, &range), 0);
	tw_nat_test_key(&a, "10.0.0.1", "10.9.0.1", 80);
	tw_nat_test_key(&b, "10.0.0.1", "10.9.0.1", 443);
	tw_nat_test_key(&c, "10.0.0.2", "10.9.0.1", 80);
	tw_nat_table_add(t, &a, TW_NAT_TIME_WAIT, 100);
	tw_nat_table_add(t, &a, TW_NAT_ESTABLISHED, 101);
	tw_nat_table_add(t, &a, TW_NAT_OTHER, 5000);	/* outside the range */
	tw_nat_table_add(t, &b, TW_NAT_CLOSE_WAIT, 103);
	tw_nat_table_add(t, &c, TW_NAT_TIME_WAIT, 99);
	tw_nat_table_add(t, &c, TW_NAT_TIME_WAIT, 104);
	tw_nat_table_add(t, &c, TW_NAT_TIME_WAIT, 102);
	tw_nat_table_add(t, &c, TW_NAT_TIME_WAIT, 65535);
}

static void tw_nat_test_rank_and_headroom(struct kunit *test)
{
	struct tw_nat_reading res = {};
	struct tw_nat_table t;

	tw_nat_test_fill(test, &t, 16);
	KUNIT_ASSERT_EQ(test, tw_nat_reduce(&t, 2, &res), 0);
	tw_nat_table_free(&t);
	KUNIT_ASSERT_EQ(test, res.nr, 2U);
	/* A: 4 - 2 = 2, least headroom first; then C (3, 4 flows) over B (3, 1) */
	KUNIT_EXPECT_EQ(test, ntohs(res.rows[0].key.dport), 80);
	KUNIT_EXPECT_EQ(test, res.rows[0].key.source.v4, in_aton("10.0.0.1"));
	KUNIT_EXPECT_EQ(test, res.rows[0].headroom, 2U);
	KUNIT_EXPECT_EQ(test, res.rows[0].n.flows, 3U);
	KUNIT_EXPECT_EQ(test, res.rows[1].key.source.v4, in_aton("10.0.0.2"));
	KUNIT_EXPECT_EQ(test, res.rows[1].headroom, 3U);
	KUNIT_EXPECT_EQ(test, res.rows[1].n.state[TW_NAT_TIME_WAIT], 4U);
	/* B went to others */
	KUNIT_EXPECT_EQ(test, res.others.flows, 1U);
	KUNIT_EXPECT_EQ(test, res.others.state[TW_NAT_CLOSE_WAIT], 1U);
	KUNIT_EXPECT_EQ(test, res.flows, 8ULL);
	KUNIT_EXPECT_EQ(test, res.time_wait, 5ULL);
	KUNIT_EXPECT_EQ(test, res.pairs, 3U);
	KUNIT_EXPECT_EQ(test, res.min_headroom, 2U);
	KUNIT_EXPECT_EQ(test, res.untracked_flows, 0ULL);
	tw_nat_reading_free(&res);
}

/* A table of 2 slots holds A and B: C's 4 flows are untracked, in others. */
static void tw_nat_test_bounded(struct kunit *test)
{
	struct tw_nat_reading res = {};
	struct tw_nat_table t;

	tw_nat_test_fill(test, &t, 2);
	KUNIT_EXPECT_EQ(test, t.used, 2U);
	KUNIT_ASSERT_EQ(test, tw_nat_reduce(&t, 64, &res), 0);
	tw_nat_table_free(&t);
	KUNIT_EXPECT_EQ(test, res.nr, 2U);
	KUNIT_EXPECT_EQ(test, res.flows, 8ULL);
	KUNIT_EXPECT_EQ(test, res.untracked_flows, 4ULL);
	KUNIT_EXPECT_EQ(test, res.others.flows, 4U);
	KUNIT_EXPECT_EQ(test, res.others.state[TW_NAT_TIME_WAIT], 4U);
	KUNIT_EXPECT_EQ(test, res.time_wait, 5ULL);
	tw_nat_reading_free(&res);
}

/* Pairs crafted to collide, in the seed test below. */
#define TW_NAT_CRAFTED	48

/* How far past their home slot the slots of @keys sit in @t, summed. */
static u32 tw_nat_test_displacement(struct kunit *test,
				    const struct tw_nat_table *t,
				    const struct tw_nat_key *keys, unsigned int n)
{
	u32 mask = t->capacity - 1, sum = 0, home, i, k;

	for (k = 0; k < n; k++) {
		home = tw_nat_key_hash(&keys[k], t->seed) & mask;
		for (i = home; t->slots[i].used; i = (i + 1) & mask)
			if (tw_nat_key_eq(&t->slots[i].key, &keys[k]))
				break;
		KUNIT_ASSERT_TRUE_MSG(test, t->slots[i].used, "pair %u lost", k);
		sum += (i - home) & mask;
	}
	return sum;
}

/*
 * Whoever opens flows through the NAT picks the pairs.  Picked so that,
 * under a hash anyone can compute (seed 0), they all start at slot 0,
 * each lookup runs through all those before it; with the table's own
 * random seed they scatter.
 */
static void tw_nat_test_seed_spreads_crafted_collisions(struct kunit *test)
{
	struct tw_nat_range range = { 100, 103 };
	struct tw_nat_key *keys;
	struct tw_nat_table t;
	u32 host, found = 0, k;

	keys = kunit_kcalloc(test, TW_NAT_CRAFTED, sizeof(*keys), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keys);
	KUNIT_ASSERT_EQ(test, tw_nat_table_init(&t, 4096, &range), 0);
	for (host = 1; host < (1U << 24) && found < TW_NAT_CRAFTED; host++) {
		tw_nat_test_key(&keys[found], "10.0.0.1", "10.9.0.1", 80);
		keys[found].dest.v4 = htonl(0x0b000000 | host);
		if (!(tw_nat_key_hash(&keys[found], 0) & (t.capacity - 1)))
			found++;
	}
	KUNIT_ASSERT_EQ(test, found, TW_NAT_CRAFTED);

	/* unkeyed, the attack works: 0 + 1 + ... + 47 extra probes */
	t.seed = 0;
	for (k = 0; k < found; k++)
		tw_nat_table_add(&t, &keys[k], TW_NAT_TIME_WAIT, 100);
	KUNIT_EXPECT_EQ(test, tw_nat_test_displacement(test, &t, keys, found),
			TW_NAT_CRAFTED * (TW_NAT_CRAFTED - 1) / 2);
	tw_nat_table_free(&t);

	/* as a reading makes it: about one collision in all */
	KUNIT_ASSERT_EQ(test, tw_nat_table_init(&t, 4096, &range), 0);
	for (k = 0; k < found; k++)
		tw_nat_table_add(&t, &keys[k], TW_NAT_TIME_WAIT, 100);
	KUNIT_EXPECT_EQ(test, t.used, TW_NAT_CRAFTED);
	KUNIT_EXPECT_LT(test, tw_nat_test_displacement(test, &t, keys, found),
			(u32)TW_NAT_CRAFTED);
	tw_nat_table_free(&t);
}

static void tw_nat_test_no_range(struct kunit *test)
{
	struct tw_nat_range none = {};
	struct tw_nat_reading res = {};
	struct tw_nat_table t;
	struct tw_nat_key k;

	KUNIT_ASSERT_EQ(test, tw_nat_table_init(&t, 16, &none), 0);
	tw_nat_test_key(&k, "10.0.0.1", "10.9.0.1", 80);
	tw_nat_table_add(&t, &k, TW_NAT_TIME_WAIT, 100);
	KUNIT_ASSERT_EQ(test, tw_nat_reduce(&t, 64, &res), 0);
	tw_nat_table_free(&t);
	KUNIT_EXPECT_EQ(test, res.rows[0].n.in_range, 0U);
	KUNIT_EXPECT_FALSE(test, tw_nat_range_known(&res.range));
	tw_nat_reading_free(&res);
}

static char *tw_nat_test_render(struct kunit *test,
				void (*fn)(struct seq_file *m,
					   const struct tw_nat_reading *r),
				const struct tw_nat_reading *r)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	m->buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->buf);
	m->size = 1023;
	fn(m, r);
	m->buf[m->count] = '\0';
	return m->buf;
}

static void tw_nat_test_format(struct kunit *test)
{
	struct tw_nat_reading res = {};
	struct tw_nat_table t;

	tw_nat_test_fill(test, &t, 16);
	KUNIT_ASSERT_EQ(test, tw_nat_reduce(&t, 1, &res), 0);
	tw_nat_table_free(&t);
	res.active = true;
	res.insert_failed = 7;
	KUNIT_EXPECT_STREQ(test, tw_nat_test_render(test, tw_nat_format, &res),
			   "proto source destination flows time_wait close_wait established other port_min port_max headroom\n"
			   "tcp 10.0.0.1 10.9.0.1:80 3 1 0 1 1 100 103 2\n"
			   "others - - 5 4 1 0 0 - - -\n");
	KUNIT_EXPECT_STREQ(test, tw_nat_test_render(test, tw_nat_stats_lines, &res),
			   "nat_active 1\nnat_flows 8\nnat_time_wait 5\n"
			   "nat_min_headroom 2\nnat_untracked_flows 0\n"
			   "conntrack_insert_failed 7\nconntrack_drop 0\n"
			   "conntrack_early_drop 0\n");
	res.range.min = 0;
	KUNIT_EXPECT_STREQ(test, tw_nat_test_render(test, tw_nat_format, &res),
			   "proto source destination flows time_wait close_wait established other port_min port_max headroom\n"
			   "tcp 10.0.0.1 10.9.0.1:80 3 1 0 1 1 - - -\n"
			   "others - - 5 4 1 0 0 - - -\n");
	tw_nat_reading_free(&res);

	res = (struct tw_nat_reading){ .inactive = "nf_conntrack is not loaded" };
	KUNIT_EXPECT_STREQ(test, tw_nat_test_render(test, tw_nat_format, &res),
			   "proto source destination flows time_wait close_wait established other port_min port_max headroom\n"
			   "# inactive: nf_conntrack is not loaded\n");
	KUNIT_EXPECT_STREQ(test, tw_nat_test_render(test, tw_nat_stats_lines, &res),
			   "nat_active 0\n");
}

static struct kunit_case tw_nat_test_cases[] = {
	KUNIT_CASE(tw_nat_test_parse_ports),
	KUNIT_CASE(tw_nat_test_rank_and_headroom),
	KUNIT_CASE(tw_nat_test_bounded),
	KUNIT_CASE(tw_nat_test_seed_spreads_crafted_collisions),
	KUNIT_CASE(tw_nat_test_no_range),
	KUNIT_CASE(tw_nat_test_format),
	{}
};

static struct kunit_suite tw_nat_test_suite = {
	.name = "tw_nat",
	.test_cases = tw_nat_test_cases,
};

kunit_test_suite(tw_nat_test_suite);
