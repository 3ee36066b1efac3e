// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: which drop reasons are counted, the bounded remote table with its
 * 'others' row, the probe's lock-free counting (per-CPU sums, a busy table
 * counted, never waited for), the /proc/net/tw_drops text and the counter
 * names.
 */
#include <linux/ctype.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "drops.h"
#include "mib.h"
#include "files/tw_proc.h"
#include "tw_test.h"

#define TW_TEST_BUF 16384

static struct in6_addr tw_v4(u8 a, u8 b, u8 c, u8 d)
{
	struct in6_addr addr = {};

	addr.s6_addr[0] = a;
	addr.s6_addr[1] = b;
	addr.s6_addr[2] = c;
	addr.s6_addr[3] = d;
	return addr;
}

/* 10.0.x.y for the i-th distinct remote */
static struct in6_addr tw_nth(unsigned int i)
{
	return tw_v4(10, 0, i >> 8, i & 0xff);
}

static struct tw_drop_table *tw_table(struct kunit *test)
{
	struct tw_drop_table *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	return t;
}

static void tw_add_n(struct tw_drop_table *t, struct in6_addr addr, u8 reason,
		     unsigned int n, unsigned long now)
{
	while (n--)
		tw_drop_table_add(t, AF_INET, &addr, reason, now);
}

static u64 tw_table_total(const struct tw_drop_table *t)
{
	u64 sum = t->unlisted;
	unsigned int i;

	for (i = 0; i < t->used; i++)
		sum += t->rows[i].count;
	return sum;
}

static const struct tw_drop_row *tw_find(const struct tw_drop_table *t,
					 struct in6_addr addr, u8 reason)
{
	unsigned int i;

	for (i = 0; i < t->used; i++)
		if (t->rows[i].reason == reason &&
		    !memcmp(&t->rows[i].addr, &addr, sizeof(addr)))
			return &t->rows[i];
	return NULL;
}

static void tw_drops_test_reason_filter(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, tw_drop_reason_wanted("TCP_RFC7323_PAWS"));
	KUNIT_EXPECT_TRUE(test, tw_drop_reason_wanted("TCP_RFC7323_PAWS_ACK"));
	KUNIT_EXPECT_TRUE(test, tw_drop_reason_wanted("TCP_RFC7323_TW_PAWS"));
	KUNIT_EXPECT_TRUE(test, tw_drop_reason_wanted("TCP_RFC7323_TSECR"));
	KUNIT_EXPECT_FALSE(test, tw_drop_reason_wanted("NOT_SPECIFIED"));
	KUNIT_EXPECT_FALSE(test, tw_drop_reason_wanted("NO_SOCKET"));
	KUNIT_EXPECT_FALSE(test, tw_drop_reason_wanted("TCP_OLD_ACK"));
	KUNIT_EXPECT_FALSE(test, tw_drop_reason_wanted("TCP_OVERWINDOW"));
	KUNIT_EXPECT_FALSE(test, tw_drop_reason_wanted("TCP_INVALID_SEQUENCE"));
	KUNIT_EXPECT_FALSE(test, tw_drop_reason_wanted(""));
	KUNIT_EXPECT_FALSE(test, tw_drop_reason_wanted(NULL));
}

static void tw_drops_test_reasons_of_running_kernel(struct kunit *test)
{
	struct tw_drop_reasons *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int i, paws;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	KUNIT_ASSERT_GE(test, tw_drop_reasons_build(r), 1);
	/* every kernel we support has it; 6.1 has only it */
	paws = r->index_of[SKB_DROP_REASON_TCP_RFC7323_PAWS];
	KUNIT_ASSERT_GE(test, paws, 1U);
	KUNIT_EXPECT_STREQ(test, r->name[paws - 1], "TCP_RFC7323_PAWS");
	KUNIT_EXPECT_EQ(test, r->reason[paws - 1],
			(unsigned int)SKB_DROP_REASON_TCP_RFC7323_PAWS);
	KUNIT_EXPECT_EQ(test, (int)r->index_of[SKB_DROP_REASON_NOT_SPECIFIED], 0);
	KUNIT_EXPECT_EQ(test, (int)r->index_of[SKB_DROP_REASON_NO_SOCKET], 0);
	for (i = 0; i < r->n; i++) {
		KUNIT_EXPECT_TRUE(test, tw_drop_reason_wanted(r->name[i]));
		KUNIT_EXPECT_EQ(test, (unsigned int)r->index_of[r->reason[i]],
				i + 1);
	}
}

static void tw_drops_test_table_counts_exactly(struct kunit *test)
{
	struct tw_drop_table *t = tw_table(test);
	struct in6_addr a = tw_v4(192, 0, 2, 1), b = tw_v4(192, 0, 2, 2);
	struct in6_addr v6 = IN6ADDR_LOOPBACK_INIT;
	const struct tw_drop_row *row;

	tw_add_n(t, a, 0, 3, 100);
	tw_add_n(t, b, 0, 2, 200);
	tw_add_n(t, a, 1, 1, 300);
	tw_drop_table_add(t, AF_INET6, &v6, 0, 400);

	KUNIT_EXPECT_EQ(test, t->used, 4U);
	KUNIT_EXPECT_EQ(test, t->unlisted, 0ULL);
	row = tw_find(t, a, 0);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 3ULL);
	KUNIT_EXPECT_EQ(test, row->last_seen, 100UL);
	KUNIT_EXPECT_EQ(test, row->family, (u8)AF_INET);
	row = tw_find(t, a, 1);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 1ULL);
	row = tw_find(t, b, 0);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 2ULL);
	KUNIT_EXPECT_EQ(test, row->last_seen, 200UL);
	row = tw_find(t, v6, 0);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->family, (u8)AF_INET6);
	KUNIT_EXPECT_EQ(test, tw_table_total(t), 7ULL);
}

static void tw_drops_test_full_table_replaces_fewest(struct kunit *test)
{
	struct tw_drop_table *t = tw_table(test);
	struct in6_addr late = tw_v4(192, 0, 2, 9);
	const struct tw_drop_row *row;
	unsigned int i;

	/* every row holds 2 drops except remote 7, which holds 1 */
	for (i = 0; i < TW_DROPS_SLOTS; i++)
		tw_add_n(t, tw_nth(i), 0, i == 7 ? 1 : 2, 1000 + i);
	KUNIT_ASSERT_EQ(test, t->used, (unsigned int)TW_DROPS_SLOTS);

	tw_drop_table_add(t, AF_INET, &late, 0, 5000);
	KUNIT_EXPECT_EQ(test, t->used, (unsigned int)TW_DROPS_SLOTS);
	KUNIT_EXPECT_NULL(test, tw_find(t, tw_nth(7), 0));
	row = tw_find(t, late, 0);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 1ULL);
	KUNIT_EXPECT_EQ(test, t->unlisted, 1ULL);
	KUNIT_EXPECT_EQ(test, tw_table_total(t), 2ULL * TW_DROPS_SLOTS);
	/* the heavy remotes kept their rows and exact counts */
	row = tw_find(t, tw_nth(0), 0);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 2ULL);
}

static void tw_drops_test_tie_replaces_least_recent(struct kunit *test)
{
	struct tw_drop_table *t = tw_table(test);
	struct in6_addr late = tw_v4(192, 0, 2, 9);
	unsigned int i;

	/* all rows hold one drop; remote 5 was seen first */
	for (i = 0; i < TW_DROPS_SLOTS; i++)
		tw_add_n(t, tw_nth(i), 0, 1, i == 5 ? 10 : 100 + i);
	tw_drop_table_add(t, AF_INET, &late, 0, 9000);
	KUNIT_EXPECT_NULL(test, tw_find(t, tw_nth(5), 0));
	KUNIT_EXPECT_NOT_NULL(test, tw_find(t, tw_nth(4), 0));
	KUNIT_EXPECT_NOT_NULL(test, tw_find(t, tw_nth(6), 0));
	KUNIT_EXPECT_EQ(test, t->unlisted, 1ULL);
}

static void tw_drops_test_rank_and_others(struct kunit *test)
{
	struct tw_drop_table *t = tw_table(test);

	tw_add_n(t, tw_v4(192, 0, 2, 1), 0, 1, 1);
	tw_add_n(t, tw_v4(192, 0, 2, 2), 0, 5, 1);
	tw_add_n(t, tw_v4(192, 0, 2, 3), 0, 3, 1);
	tw_add_n(t, tw_v4(192, 0, 2, 4), 0, 2, 1);
	t->unlisted = 10;

	KUNIT_EXPECT_EQ(test, tw_drop_table_rank(t, 2), 10ULL + 2 + 1);
	KUNIT_EXPECT_EQ(test, t->rows[0].count, 5ULL);
	KUNIT_EXPECT_EQ(test, t->rows[1].count, 3ULL);
	KUNIT_EXPECT_EQ(test, t->rows[2].count, 2ULL);
	KUNIT_EXPECT_EQ(test, t->rows[3].count, 1ULL);
	KUNIT_EXPECT_EQ(test, t->rows[0].addr.s6_addr[3], 2);
	/* showing everything leaves only the unlisted drops for 'others' */
	KUNIT_EXPECT_EQ(test, tw_drop_table_rank(t, TW_DROPS_SLOTS), 10ULL);
}

static void tw_drops_test_every_drop_is_accounted(struct kunit *test)
{
	struct tw_drop_table *t = tw_table(test);
	u64 shown = 0, others;
	unsigned int i;

	/* three times more remotes than rows, some of them repeatedly */
	for (i = 0; i < 3 * TW_DROPS_SLOTS; i++)
		tw_add_n(t, tw_nth(i % (3 * TW_DROPS_SLOTS / 2)), i % 2,
			 1 + i % 4, i);
	KUNIT_EXPECT_LE(test, t->used, (unsigned int)TW_DROPS_SLOTS);
	others = tw_drop_table_rank(t, 64);
	for (i = 0; i < 64; i++)
		shown += t->rows[i].count;
	/* 1 + i % 4 over 3 * SLOTS adds: (1+2+3+4) per 4 */
	KUNIT_EXPECT_EQ(test, shown + others, 10ULL * 3 * TW_DROPS_SLOTS / 4);
	for (i = 1; i < t->used; i++)
		KUNIT_EXPECT_GE(test, t->rows[i - 1].count, t->rows[i].count);
}

/*
 * A netns's drop state as tw_drops_init_net() makes it, in test->priv for
 * tw_drops_test_exit() to free however the case ends (6.1's KUnit has no
 * deferred actions).  One per case.
 */
static struct tw_drops_ns *tw_drops_ns_new(struct kunit *test)
{
	struct tw_drops_ns *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	d->pcpu = alloc_percpu(struct tw_drops_pcpu);
	/* a __percpu pointer: sparse refuses it in KUnit's comparison */
	KUNIT_ASSERT_TRUE(test, !!d->pcpu);
	raw_spin_lock_init(&d->lock);
	test->priv = d;
	return d;
}

static void tw_drops_test_exit(struct kunit *test)
{
	struct tw_drops_ns *d = test->priv;

	if (d)
		free_percpu(d->pcpu);
	test->priv = NULL;
}

/* The rows plus 'others' as the file would show them: every drop placed. */
static u64 tw_drops_ns_placed(struct tw_drops_ns *d, struct tw_drops_sums *sums)
{
	tw_drops_sum(d->pcpu, sums);
	return tw_table_total(&d->table) + sums->unlisted;
}

static void tw_drops_test_count_rows_and_reasons(struct kunit *test)
{
	struct tw_drops_ns *d = tw_drops_ns_new(test);
	struct in6_addr a = tw_v4(192, 0, 2, 1), none = {};
	struct tw_drops_sums sums;
	const struct tw_drop_row *row;
	unsigned int i;

	for (i = 0; i < 5; i++)
		tw_drops_count(d, 0, true, AF_INET, &a, 100 + i);
	tw_drops_count(d, 1, true, AF_INET, &a, 200);
	/* no source address: counted, in no row, and not busy */
	tw_drops_count(d, 1, false, 0, &none, 300);

	KUNIT_EXPECT_EQ(test, tw_drops_ns_placed(d, &sums), 7ULL);
	KUNIT_EXPECT_EQ(test, sums.by_reason[0], 5ULL);
	KUNIT_EXPECT_EQ(test, sums.by_reason[1], 2ULL);
	KUNIT_EXPECT_EQ(test, sums.unlisted, 1ULL);
	KUNIT_EXPECT_EQ(test, sums.busy, 0ULL);
	row = tw_find(&d->table, a, 0);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 5ULL);
	KUNIT_EXPECT_EQ(test, row->last_seen, 104UL);
	row = tw_find(&d->table, a, 1);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 1ULL);
}

/*
 * A drop that finds the table locked (a reader copying it, a drop on
 * another CPU) returns at once: its reason is counted, its remote is not,
 * and it is counted busy and unlisted, so rows plus 'others' still sum to
 * every drop.  Without the trylock this test would deadlock, not fail.
 */
static void tw_drops_test_busy_table_is_counted_not_waited(struct kunit *test)
{
	struct tw_drops_ns *d = tw_drops_ns_new(test);
	struct in6_addr a = tw_v4(192, 0, 2, 1), b = tw_v4(192, 0, 2, 2);
	struct tw_drops_sums sums;
	unsigned long flags;
	const struct tw_drop_row *row;

	tw_drops_count(d, 0, true, AF_INET, &a, 10);
	raw_spin_lock_irqsave(&d->lock, flags);
	tw_drops_count(d, 0, true, AF_INET, &a, 20);
	tw_drops_count(d, 0, true, AF_INET, &b, 20);
	tw_drops_count(d, 0, false, 0, &b, 20);
	raw_spin_unlock_irqrestore(&d->lock, flags);

	KUNIT_EXPECT_EQ(test, tw_drops_ns_placed(d, &sums), 4ULL);
	KUNIT_EXPECT_EQ(test, sums.by_reason[0], 4ULL);
	KUNIT_EXPECT_EQ(test, sums.busy, 2ULL);
	KUNIT_EXPECT_EQ(test, sums.unlisted, 3ULL);
	KUNIT_EXPECT_EQ(test, d->table.used, 1U);
	KUNIT_EXPECT_NULL(test, tw_find(&d->table, b, 0));
	row = tw_find(&d->table, a, 0);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->count, 1ULL);
	KUNIT_EXPECT_EQ(test, row->last_seen, 10UL);

	/* the lock free again, rows are updated again */
	tw_drops_count(d, 0, true, AF_INET, &b, 30);
	KUNIT_EXPECT_NOT_NULL(test, tw_find(&d->table, b, 0));
	KUNIT_EXPECT_EQ(test, tw_drops_ns_placed(d, &sums), 5ULL);
	KUNIT_EXPECT_EQ(test, sums.busy, 2ULL);
}

/* Reader's sums cover every possible CPU's counts, offline ones too. */
static void tw_drops_test_sum_every_cpu(struct kunit *test)
{
	struct tw_drops_ns *d = tw_drops_ns_new(test);
	struct tw_drops_sums sums;
	unsigned int cpu, n = 0;
	u64 tri = 0;

	for_each_possible_cpu(cpu) {
		struct tw_drops_pcpu *c = per_cpu_ptr(d->pcpu, cpu);

		n++;
		c->by_reason[0] = n;
		c->by_reason[TW_DROP_REASONS_MAX - 1] = 2;
		c->unlisted = 3;
		c->busy = 1;
		tri += n;
	}
	tw_drops_sum(d->pcpu, &sums);
	KUNIT_EXPECT_EQ(test, sums.by_reason[0], tri);
	KUNIT_EXPECT_EQ(test, sums.by_reason[1], 0ULL);
	KUNIT_EXPECT_EQ(test, sums.by_reason[TW_DROP_REASONS_MAX - 1], 2ULL * n);
	KUNIT_EXPECT_EQ(test, sums.unlisted, 3ULL * n);
	KUNIT_EXPECT_EQ(test, sums.busy, (u64)n);
}

/* A storm from more remotes than rows: still every drop accounted. */
static void tw_drops_test_count_many_remotes(struct kunit *test)
{
	struct tw_drops_ns *d = tw_drops_ns_new(test);
	struct tw_drops_sums sums;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		struct in6_addr addr = tw_nth(i % 300);

		tw_drops_count(d, i % 2, true, AF_INET, &addr, i);
	}
	KUNIT_EXPECT_EQ(test, d->table.used, (unsigned int)TW_DROPS_SLOTS);
	KUNIT_EXPECT_EQ(test, tw_drops_ns_placed(d, &sums), 1000ULL);
	KUNIT_EXPECT_EQ(test, sums.by_reason[0] + sums.by_reason[1], 1000ULL);
	KUNIT_EXPECT_EQ(test, sums.busy, 0ULL);
}

static void tw_drops_test_counter_names(struct kunit *test)
{
	char buf[TW_COUNTER_NAME_MAX];

	KUNIT_EXPECT_TRUE(test, tw_counter_name(buf, sizeof(buf), "tcpext_",
						"TWRecycled"));
	KUNIT_EXPECT_STREQ(test, buf, "tcpext_twrecycled");
	KUNIT_EXPECT_TRUE(test, tw_counter_name(buf, sizeof(buf), "tcpext_",
						"TCPTimeWaitOverflow"));
	KUNIT_EXPECT_STREQ(test, buf, "tcpext_tcptimewaitoverflow");
	KUNIT_EXPECT_TRUE(test, tw_counter_name(buf, sizeof(buf), "drop_",
						"TCP_RFC7323_PAWS"));
	KUNIT_EXPECT_STREQ(test, buf, "drop_tcp_rfc7323_paws");
	KUNIT_EXPECT_TRUE(test, tw_counter_name(buf, sizeof(buf), "", "TW"));
	KUNIT_EXPECT_STREQ(test, buf, "tw");
	/* what does not fit, or is not [a-z0-9_], is no name at all */
	KUNIT_EXPECT_FALSE(test, tw_counter_name(buf, 10, "tcpext_", "PAWSEstab"));
	KUNIT_EXPECT_STREQ(test, buf, "");
	KUNIT_EXPECT_FALSE(test, tw_counter_name(buf, sizeof(buf), "drop_", "A-B"));
	KUNIT_EXPECT_STREQ(test, buf, "");
	KUNIT_EXPECT_FALSE(test, tw_counter_name(buf, sizeof(buf), "drop_", ""));
}

static void tw_drops_test_tcpext_items(struct kunit *test)
{
	static const char *const required[] = {
		"TW", "TWRecycled", "TWKilled", "PAWSActive", "PAWSEstab",
		"TCPTimeWaitOverflow",
	};
	char a[TW_COUNTER_NAME_MAX], b[TW_COUNTER_NAME_MAX];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(required); i++) {
		bool found = false;

		for (j = 0; j < tw_tcpext_nitems; j++)
			if (!strcmp(tw_tcpext_items[j].name, required[i])) {
				found = true;
				KUNIT_EXPECT_TRUE(test,
						  tw_mib_present(&tw_tcpext_items[j]));
			}
		KUNIT_EXPECT_TRUE_MSG(test, found, "no %s", required[i]);
	}
	for (i = 0; i < tw_tcpext_nitems; i++) {
		KUNIT_EXPECT_TRUE(test, tw_counter_name(a, sizeof(a), "tcpext_",
							tw_tcpext_items[i].name));
		for (j = i + 1; j < tw_tcpext_nitems; j++) {
			tw_counter_name(b, sizeof(b), "tcpext_",
					tw_tcpext_items[j].name);
			KUNIT_EXPECT_STRNEQ(test, a, b);
		}
	}
}

/* Render a table as /proc/net/tw_drops would, NUL-terminated. */
static char *tw_render(struct kunit *test, struct tw_drop_table *t,
		       const struct tw_drop_reasons *r, unsigned int top_n,
		       unsigned long now)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	u64 others;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	m->buf = kunit_kzalloc(test, TW_TEST_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->buf);
	m->size = TW_TEST_BUF - 1;
	others = tw_drop_table_rank(t, top_n);
	tw_drops_format(m, t, r, top_n, others, now);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	m->buf[m->count] = '\0';
	return m->buf;
}

static struct tw_drop_reasons *tw_two_reasons(struct kunit *test)
{
	struct tw_drop_reasons *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	r->n = 2;
	r->name[0] = "TCP_RFC7323_PAWS";
	r->name[1] = "TCP_RFC7323_TW_PAWS";
	return r;
}

static void tw_drops_test_format_empty(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, tw_render(test, tw_table(test),
					   tw_two_reasons(test), 64, 1000),
			   "remote reason count last_seconds_ago\nothers - 0 -\n");
}

static void tw_drops_test_format_rows(struct kunit *test)
{
	struct tw_drop_table *t = tw_table(test);
	struct in6_addr v6 = IN6ADDR_LOOPBACK_INIT;
	unsigned long now = 100000;

	tw_add_n(t, tw_v4(127, 0, 0, 7), 0, 25, now - 3 * HZ);
	tw_drop_table_add(t, AF_INET6, &v6, 1, now);
	tw_drop_table_add(t, AF_INET6, &v6, 1, now);
	tw_add_n(t, tw_v4(192, 0, 2, 1), 1, 1, now);
	t->unlisted = 4;

	KUNIT_EXPECT_STREQ(test, tw_render(test, t, tw_two_reasons(test), 2, now),
			   "remote reason count last_seconds_ago\n"
			   "127.0.0.7 tcp_rfc7323_paws 25 3\n"
			   "::1 tcp_rfc7323_tw_paws 2 0\n"
			   "others - 5 -\n");
}

static void tw_drops_test_format_clock_before_row(struct kunit *test)
{
	struct tw_drop_table *t = tw_table(test);

	tw_add_n(t, tw_v4(10, 1, 2, 3), 0, 1, 5000);
	KUNIT_EXPECT_STREQ(test, tw_render(test, t, tw_two_reasons(test), 64, 4000),
			   "remote reason count last_seconds_ago\n"
			   "10.1.2.3 tcp_rfc7323_paws 1 0\n"
			   "others - 0 -\n");
}

static struct kunit_case tw_drops_test_cases[] = {
	KUNIT_CASE(tw_drops_test_reason_filter),
	KUNIT_CASE(tw_drops_test_reasons_of_running_kernel),
	KUNIT_CASE(tw_drops_test_table_counts_exactly),
	KUNIT_CASE(tw_drops_test_full_table_replaces_fewest),
	KUNIT_CASE(tw_drops_test_tie_replaces_least_recent),
	KUNIT_CASE(tw_drops_test_rank_and_others),
	KUNIT_CASE(tw_drops_test_every_drop_is_accounted),
	KUNIT_CASE(tw_drops_test_count_rows_and_reasons),
	KUNIT_CASE(tw_drops_test_busy_table_is_counted_not_waited),
	KUNIT_CASE(tw_drops_test_sum_every_cpu),
	KUNIT_CASE(tw_drops_test_count_many_remotes),
	KUNIT_CASE(tw_drops_test_counter_names),
	KUNIT_CASE(tw_drops_test_tcpext_items),
	KUNIT_CASE(tw_drops_test_format_empty),
	KUNIT_CASE(tw_drops_test_format_rows),
	KUNIT_CASE(tw_drops_test_format_clock_before_row),
	{}
};

static struct kunit_suite tw_drops_test_suite = {
	.name = "tw_drops",
	.test_cases = tw_drops_test_cases,
	.exit = tw_drops_test_exit,
};

kunit_test_suite(tw_drops_test_suite);
