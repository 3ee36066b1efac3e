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

/*
 * A reading is served for the interval, or for TW_READING_DUTY times the
 * CPU it cost when that is longer, at most TW_READING_SERVED_MAX_MS;
 * never with an interval of 0.
 */
static void tw_reading_cache_test_max_age_duty(struct kunit *test)
{
	const u64 ms = NSEC_PER_MSEC;

	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1000, 0), 1000U);
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1000, 99 * ms), 1000U);
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1000, 100 * ms), 1000U);
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1000, 150 * ms),
			150U * TW_READING_DUTY);
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1, 3 * ms),
			3U * TW_READING_DUTY);
	/* a reading of a million sockets under TCG: about a second */
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1000, 967 * ms),
			967U * TW_READING_DUTY);
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1000, 60000 * ms),
			(unsigned int)TW_READING_SERVED_MAX_MS);
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(1000, U64_MAX),
			(unsigned int)TW_READING_SERVED_MAX_MS);
	/* an interval longer than the duty's is kept */
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(60000, U64_MAX), 60000U);
	/* 0 walks on every read, whatever a walk costs */
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(0, 0), 0U);
	KUNIT_EXPECT_EQ(test, tw_reading_max_age_ms(0, 10000 * ms), 0U);
}

/* Readings the cache holds by reference: a count instead of a kref. */
struct tw_fake_reading {
	unsigned long taken_at;
	u64 cpu_ns;
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

static u64 tw_fake_cpu_ns(const void *reading)
{
	return ((const struct tw_fake_reading *)reading)->cpu_ns;
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
	.cpu_ns = tw_fake_cpu_ns,
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

/*
 * A cache that took @first is asked again, @max_age_ms its interval, with
 * @second ready to take: what it serves (the cache is cleared after).
 */
static const void *tw_served_after(struct tw_fake_reading *first,
				   struct tw_fake_reading *second,
				   unsigned int max_age_ms, unsigned int *takes)
{
	struct tw_fake_source src = { .next = first };
	struct tw_reading_cache c;
	void *served;

	tw_reading_cache_init(&c);
	tw_fake_put(tw_reading_cache_get(&c, max_age_ms, &tw_fake_ops, &src));
	src.next = second;
	served = tw_reading_cache_get(&c, max_age_ms, &tw_fake_ops, &src);
	tw_fake_put(served);
	tw_reading_cache_clear(&c, &tw_fake_ops);
	*takes = src.takes;
	return served;
}

/*
 * A reading two seconds old, with an interval of one: served again if it
 * cost a second of CPU (ten seconds of duty), taken again if it cost 50 ms
 * (the interval decides), or with an interval of 0.  No clock moves
 * during the test: the reading's age is set.
 */
static void tw_reading_cache_test_costly_served_longer(struct kunit *test)
{
	static const struct {
		u64 cpu_ns;
		unsigned int max_age_ms;
		bool served_again;
	} cases[] = {
		{ NSEC_PER_SEC, 1000, true },
		/* 0 ms: root asked for a walk on every read, however costly */
		{ NSEC_PER_SEC, 0, false },
		{ 50 * NSEC_PER_MSEC, 1000, false },
	};
	unsigned int i, takes;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tw_fake_reading r1 = {
			.taken_at = jiffies - msecs_to_jiffies(2000),
			.cpu_ns = cases[i].cpu_ns,
			.refs = 1,
		};
		struct tw_fake_reading r2 = { .taken_at = jiffies, .refs = 1 };
		bool again = cases[i].served_again;
		const void *served = tw_served_after(&r1, &r2,
						     cases[i].max_age_ms, &takes);

		KUNIT_EXPECT_PTR_EQ_MSG(test, served,
					again ? (const void *)&r1 : (const void *)&r2,
					"case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, takes, again ? 1U : 2U, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r1.refs, 0, "case %u", i);
		/* a reading never taken keeps the reference take would give */
		KUNIT_EXPECT_EQ_MSG(test, r2.refs, again ? 1 : 0, "case %u", i);
	}
}

/*
 * Open files hold readings: at most TW_READINGS_LIVE_MAX are alive, then
 * the latest is shared whatever its age (0 ms: never fresh), until a
 * file lets go of one.  A latest nobody holds is replaced in its slot.
 */
static void tw_reading_cache_test_holds_bounded(struct kunit *test)
{
	struct tw_fake_reading r[TW_READINGS_LIVE_MAX + 2];
	struct tw_fake_source src = {};
	struct tw_reading_cache c;
	unsigned int i;
	u64 bytes;

	for (i = 0; i < ARRAY_SIZE(r); i++)
		r[i] = (struct tw_fake_reading){ .taken_at = jiffies, .refs = 1 };
	tw_reading_cache_init(&c);
	for (i = 0; i < TW_READINGS_LIVE_MAX; i++) {
		src.next = &r[i];
		KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_hold(&c, 0, &tw_fake_ops, &src),
				    (void *)&r[i]);
		KUNIT_EXPECT_EQ(test, tw_reading_cache_live(&c, NULL, NULL), i + 1);
	}
	/* the bound: no take, the newest is shared, held or not */
	src.next = &r[TW_READINGS_LIVE_MAX];
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_hold(&c, 0, &tw_fake_ops, &src),
			    (void *)&r[TW_READINGS_LIVE_MAX - 1]);
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_get(&c, 0, &tw_fake_ops, &src),
			    (void *)&r[TW_READINGS_LIVE_MAX - 1]);
	tw_fake_put(&r[TW_READINGS_LIVE_MAX - 1]);
	KUNIT_EXPECT_EQ(test, src.takes, (unsigned int)TW_READINGS_LIVE_MAX);
	KUNIT_EXPECT_EQ(test, tw_reading_cache_live(&c, NULL, NULL),
			(unsigned int)TW_READINGS_LIVE_MAX);
	/* the latest, held twice: the cache's and two files' references */
	KUNIT_EXPECT_EQ(test, r[TW_READINGS_LIVE_MAX - 1].refs, 3);
	/* a file closes: its reading goes, and there is room for a new one */
	tw_reading_cache_unhold(&c, &tw_fake_ops, &r[0]);
	KUNIT_EXPECT_EQ(test, r[0].refs, 0);
	KUNIT_EXPECT_EQ(test, tw_reading_cache_live(&c, NULL, NULL),
			(unsigned int)TW_READINGS_LIVE_MAX - 1);
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_hold(&c, 0, &tw_fake_ops, &src),
			    (void *)&r[TW_READINGS_LIVE_MAX]);
	KUNIT_EXPECT_EQ(test, tw_reading_cache_live(&c, NULL, NULL),
			(unsigned int)TW_READINGS_LIVE_MAX);
	/* all files close: only the latest stays, in its slot */
	for (i = 1; i < TW_READINGS_LIVE_MAX; i++)
		tw_reading_cache_unhold(&c, &tw_fake_ops, &r[i]);
	tw_reading_cache_unhold(&c, &tw_fake_ops, &r[TW_READINGS_LIVE_MAX - 1]);
	tw_reading_cache_unhold(&c, &tw_fake_ops, &r[TW_READINGS_LIVE_MAX]);
	for (i = 0; i < TW_READINGS_LIVE_MAX; i++)
		KUNIT_EXPECT_EQ(test, r[i].refs, 0);
	KUNIT_EXPECT_EQ(test, r[TW_READINGS_LIVE_MAX].refs, 1);
	KUNIT_EXPECT_EQ(test, tw_reading_cache_live(&c, NULL, &bytes), 1U);
	KUNIT_EXPECT_EQ(test, bytes, 0ULL);
	/* a latest nobody holds is replaced, however many were alive before */
	src.next = &r[TW_READINGS_LIVE_MAX + 1];
	KUNIT_EXPECT_PTR_EQ(test, tw_reading_cache_get(&c, 0, &tw_fake_ops, &src),
			    (void *)&r[TW_READINGS_LIVE_MAX + 1]);
	tw_fake_put(&r[TW_READINGS_LIVE_MAX + 1]);
	KUNIT_EXPECT_EQ(test, r[TW_READINGS_LIVE_MAX].refs, 0);
	KUNIT_EXPECT_EQ(test, tw_reading_cache_live(&c, NULL, NULL), 1U);
	tw_reading_cache_clear(&c, &tw_fake_ops);
	KUNIT_EXPECT_EQ(test, r[TW_READINGS_LIVE_MAX + 1].refs, 0);
	KUNIT_EXPECT_EQ(test, tw_reading_cache_live(&c, NULL, NULL), 0U);
}

static struct kunit_case tw_reading_cache_test_cases[] = {
	KUNIT_CASE(tw_reading_cache_test_fresh_within_interval),
	KUNIT_CASE(tw_reading_cache_test_stale_after_interval),
	KUNIT_CASE(tw_reading_cache_test_zero_interval_never_fresh),
	KUNIT_CASE(tw_reading_cache_test_clock_before_snapshot),
	KUNIT_CASE(tw_reading_cache_test_jiffies_wrap),
	KUNIT_CASE(tw_reading_cache_test_max_age_duty),
	KUNIT_CASE(tw_reading_cache_test_serves_latest),
	KUNIT_CASE(tw_reading_cache_test_costly_served_longer),
	KUNIT_CASE(tw_reading_cache_test_holds_bounded),
	{}
};

static struct kunit_suite tw_reading_cache_test_suite = {
	.name = "tw_reading_cache",
	.test_cases = tw_reading_cache_test_cases,
};

kunit_test_suite(tw_reading_cache_test_suite);
