// SPDX-License-Identifier: GPL-2.0
/* KUnit: the ranker the destinations, namespaces and drops share. */
#include <linux/kernel.h>
#include <linux/mm.h>

#include "rank.h"
#include "tw_test.h"

/* Most first, then by id: a total order, as every caller's is. */
static int tw_rank_test_cmp(const void *a, const void *b)
{
	const u32 *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] > y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

static void tw_rank_test_add(void *others, const void *row)
{
	*(u64 *)others += ((const u32 *)row)[0];
}

static void tw_rank_test_top_n_and_others(struct kunit *test)
{
	/* { count, id } */
	u32 rows[][2] = { { 3, 1 }, { 9, 2 }, { 1, 3 }, { 9, 0 }, { 5, 4 } };
	u64 others = 100;	/* what the caller had summed already */

	KUNIT_ASSERT_EQ(test, tw_rank(rows, ARRAY_SIZE(rows), sizeof(rows[0]),
				      tw_rank_test_cmp, 2, tw_rank_test_add,
				      &others), 2U);
	KUNIT_EXPECT_EQ(test, rows[0][1], 0U);	/* 9, tie broken by id */
	KUNIT_EXPECT_EQ(test, rows[1][1], 2U);
	KUNIT_EXPECT_EQ(test, others, 100ULL + 5 + 3 + 1);
}

static void tw_rank_test_fewer_rows_than_top_n(struct kunit *test)
{
	u32 rows[][2] = { { 1, 1 }, { 2, 2 } };
	u64 others = 0;

	KUNIT_EXPECT_EQ(test, tw_rank(rows, ARRAY_SIZE(rows), sizeof(rows[0]),
				      tw_rank_test_cmp, 64, tw_rank_test_add,
				      &others), 2U);
	KUNIT_EXPECT_EQ(test, rows[0][0], 2U);
	KUNIT_EXPECT_EQ(test, others, 0ULL);
	KUNIT_EXPECT_EQ(test, tw_rank(rows, 0, sizeof(rows[0]), tw_rank_test_cmp,
				      64, tw_rank_test_add, &others), 0U);
}

/*
 * The bounded selection keeps the rows a full sort puts first, in its
 * order, and sums exactly the others: rows with many ties, every top_n.
 */
static void tw_rank_test_selection_is_sort(struct kunit *test)
{
	enum { N = 97 };
	u32 (*input)[2] = kunit_kcalloc(test, N, sizeof(*input), GFP_KERNEL);
	u32 (*ref)[2] = kunit_kcalloc(test, N, sizeof(*ref), GFP_KERNEL);
	u32 (*rows)[2] = kunit_kcalloc(test, N, sizeof(*rows), GFP_KERNEL);
	unsigned int i, top_n, kept;
	u64 total = 0, others;
	u32 x = 12345;

	KUNIT_ASSERT_NOT_NULL(test, input);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, rows);
	for (i = 0; i < N; i++) {
		x = x * 1103515245 + 12345;
		input[i][0] = (x >> 16) % 13;	/* many ties */
		input[i][1] = i;		/* broken by id */
		total += input[i][0];
	}
	/* the reference: every row kept, so one full sort */
	memcpy(ref, input, N * sizeof(*ref));
	others = 0;
	KUNIT_ASSERT_EQ(test, tw_rank(ref, N, sizeof(ref[0]), tw_rank_test_cmp,
				      N, tw_rank_test_add, &others), (unsigned int)N);
	for (top_n = 1; top_n <= N + 1; top_n++) {
		memcpy(rows, input, N * sizeof(*rows));
		others = 0;
		kept = tw_rank(rows, N, sizeof(rows[0]), tw_rank_test_cmp, top_n,
			       tw_rank_test_add, &others);
		KUNIT_ASSERT_EQ(test, kept, min_t(unsigned int, N, top_n));
		KUNIT_EXPECT_EQ(test, memcmp(rows, ref, kept * sizeof(*rows)), 0);
		for (i = 0; i < kept; i++)
			others += rows[i][0];
		KUNIT_EXPECT_EQ(test, others, total);
	}
}

static void tw_rank_test_keep_copies_kept_rows(struct kunit *test)
{
	u32 rows[] = { 7, 8, 9 };
	u32 *kept = tw_rank_keep(rows, 2, sizeof(rows[0]));

	KUNIT_ASSERT_NOT_NULL(test, kept);
	KUNIT_EXPECT_EQ(test, kept[0], 7U);
	KUNIT_EXPECT_EQ(test, kept[1], 8U);
	kvfree(kept);
	KUNIT_EXPECT_NULL(test, tw_rank_keep(rows, 0, sizeof(rows[0])));
}

static struct kunit_case tw_rank_test_cases[] = {
	KUNIT_CASE(tw_rank_test_top_n_and_others),
	KUNIT_CASE(tw_rank_test_fewer_rows_than_top_n),
	KUNIT_CASE(tw_rank_test_keep_copies_kept_rows),
	KUNIT_CASE(tw_rank_test_selection_is_sort),
	{}
};

static struct kunit_suite tw_rank_test_suite = {
	.name = "tw_rank",
	.test_cases = tw_rank_test_cases,
};

kunit_test_suite(tw_rank_test_suite);
