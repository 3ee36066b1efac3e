// SPDX-License-Identifier: GPL-2.0
/* KUnit: when a cached reading may be served again. */
#include <linux/err.h>
#include <linux/jiffies.h>

#include "reading_cache.h"
#include "tw_test.h"

static void tw_reading_cache_test_fresh_within_interval(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_TRUE(test, tw_reading_fresh(t, t, 1000));
	KUNIT_EXPECT_TRUE(test, tw_reading_fresh(t, t + msecs_to_jiffies(999) - 1, 1000));
}

static void tw_reading_cache_test_stale_after_interval(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_FALSE(test, tw_reading_fresh(t, t + msecs_to_jiffies(1000), 1000));
	KUNIT_EXPECT_FALSE(test, tw_reading_fresh(t, t + 10 * HZ, 1000));
}

static void tw_reading_cache_test_zero_interval_never_fresh(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_FALSE(test, tw_reading_fresh(t, t, 0));
}

static void tw_reading_cache_test_clock_before_snapshot(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_FALSE(test, tw_reading_fresh(t, t - 1, 1000));
}

static void tw_reading_cache_test_jiffies_wrap(struct kunit *test)
{
	unsigned long t = ULONG_MAX - 10;

	KUNIT_EXPECT_TRUE(test, tw_reading_fresh(t, t + 20, 60000));
	KUNIT_EXPECT_FALSE(test, tw_reading_fresh(t, t + msecs_to_jiffies(60000), 60000));
}

/* Readings the cache holds by reference: a count instead of a kref. */
struct tw_fake_reading {
	unsigned long taken_at;
	int refs;
};

struct tw_fake_source {
	void *next;		/* what take returns */
	unsigned int takes;
};

static unsigned long tw_fake_taken_at(const void *reading)
{
	return ((const struct tw_fake_reading *)reading)->taken_at;
}

static void *tw_fake_take(void *ctx)
{
	struct tw_fake_source *src = ctx;

	src->takes++;
	return src->next;
}

static void tw_fake_get(void *reading)
{
	((struct tw_fake_reading *)reading)->refs++;
}

static void tw_fake_put(void *reading)
{
	if (reading)
		((struct tw_fake_reading *)reading)->refs--;
}

static const struct tw_reading_ops tw_fake_ops = {
	.taken_at = tw_fake_taken_at,
	.take = tw_fake_take,
	.get = tw_fake_get,
	.put = tw_fake_put,
};

/* Served from the cache while fresh, taken again after, kept on error. */
static void tw_reading_cache_test_serves_latest(struct kunit *test)
{
	struct tw_fake_reading r1 = { .taken_at = jiffies, .refs = 1 };
	struct tw_fake_reading r2 = { .taken_at = jiffies, .refs = 1 };
	struct tw_fake_source src = { .next = &r1 };
	struct tw_reading_cache c;

	tw_reading_cache_init(&c);
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_get(&c, 60000, &tw_fake_ops, &src),
			    (void *)&r1);
	KUNIT_EXPECT_EQ(test, r1.refs, 2);	/* the cache's and ours */
	src.next = &r2;
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_get(&c, 60000, &tw_fake_ops, &src),
			    (void *)&r1);
	KUNIT_EXPECT_EQ(test, src.takes, 1U);
	KUNIT_EXPECT_EQ(test, r1.refs, 3);
	/* 0 ms: never fresh; the cache lets go of r1 */
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_get(&c, 0, &tw_fake_ops, &src),
			    (void *)&r2);
	KUNIT_EXPECT_EQ(test, r1.refs, 2);
	KUNIT_EXPECT_EQ(test, r2.refs, 2);
	src.next = ERR_PTR(-ENOMEM);
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_get(&c, 0, &tw_fake_ops, &src),
			    ERR_PTR(-ENOMEM));
	KUNIT_EXPECT_PTR_EQ(test, c.latest, (void *)&r2);
	KUNIT_EXPECT_EQ(test, r2.refs, 2);
	tw_reading_cache_clear(&c, &tw_fake_ops);
	KUNIT_EXPECT_EQ(test, r2.refs, 1);
	KUNIT_EXPECT_NULL(test, c.latest);
}

static struct kunit_case tw_reading_cache_test_cases[] = {
	KUNIT_CASE(tw_reading_cache_test_fresh_within_interval),
	KUNIT_CASE(tw_reading_cache_test_stale_after_interval),
	KUNIT_CASE(tw_reading_cache_test_zero_interval_never_fresh),
	KUNIT_CASE(tw_reading_cache_test_clock_before_snapshot),
	KUNIT_CASE(tw_reading_cache_test_jiffies_wrap),
	KUNIT_CASE(tw_reading_cache_test_serves_latest),
	{}
};

static struct kunit_suite tw_reading_cache_test_suite = {
	.name = "tw_reading_cache",
	.test_cases = tw_reading_cache_test_cases,
};

kunit_test_suite(tw_reading_cache_test_suite);
