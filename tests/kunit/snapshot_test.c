// SPDX-License-Identifier: GPL-2.0
/* KUnit: when a cached snapshot may be served again. */
#include <linux/jiffies.h>

#include "snapshot.h"
#include "tw_test.h"

static void tw_snapshot_test_fresh_within_interval(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_TRUE(test, tw_snapshot_fresh(t, t, 1000));
	KUNIT_EXPECT_TRUE(test, tw_snapshot_fresh(t, t + msecs_to_jiffies(999) - 1, 1000));
}

static void tw_snapshot_test_stale_after_interval(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_FALSE(test, tw_snapshot_fresh(t, t + msecs_to_jiffies(1000), 1000));
	KUNIT_EXPECT_FALSE(test, tw_snapshot_fresh(t, t + 10 * HZ, 1000));
}

static void tw_snapshot_test_zero_interval_never_fresh(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_FALSE(test, tw_snapshot_fresh(t, t, 0));
}

static void tw_snapshot_test_clock_before_snapshot(struct kunit *test)
{
	unsigned long t = 100000;

	KUNIT_EXPECT_FALSE(test, tw_snapshot_fresh(t, t - 1, 1000));
}

static void tw_snapshot_test_jiffies_wrap(struct kunit *test)
{
	unsigned long t = ULONG_MAX - 10;

	KUNIT_EXPECT_TRUE(test, tw_snapshot_fresh(t, t + 20, 60000));
	KUNIT_EXPECT_FALSE(test, tw_snapshot_fresh(t, t + msecs_to_jiffies(60000), 60000));
}

static struct kunit_case tw_snapshot_test_cases[] = {
	KUNIT_CASE(tw_snapshot_test_fresh_within_interval),
	KUNIT_CASE(tw_snapshot_test_stale_after_interval),
	KUNIT_CASE(tw_snapshot_test_zero_interval_never_fresh),
	KUNIT_CASE(tw_snapshot_test_clock_before_snapshot),
	KUNIT_CASE(tw_snapshot_test_jiffies_wrap),
	{}
};

static struct kunit_suite tw_snapshot_test_suite = {
	.name = "tw_snapshot",
	.test_cases = tw_snapshot_test_cases,
};

kunit_test_suite(tw_snapshot_test_suite);
