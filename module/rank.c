// SPDX-License-Identifier: GPL-2.0
/*
 * The ranker shared by the destinations, the namespace table and the
 * drops: sort, keep top_n, sum the rest into 'others'.
 */
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "rank.h"
#include "reader_gfp.h"

static void tw_rank_swap(void *a, void *b, size_t size)
{
	u8 *x = a, *y = b;

	while (size--) {
		u8 t = *x;

		*x++ = *y;
		*y++ = t;
	}
}

/*
 * Restore the heap below @i in @rows[0..@k): the row that sorts last
 * (cmp > 0) at the top, so it is the one a better row pushes out.
 */
static void tw_rank_sift(void *rows, unsigned int k, size_t size,
			 cmp_func_t cmp, unsigned int i)
{
	for (;;) {
		unsigned int worst = i, l = 2 * i + 1, r = l + 1;

		if (l < k && cmp(rows + l * size, rows + worst * size) > 0)
			worst = l;
		if (r < k && cmp(rows + r * size, rows + worst * size) > 0)
			worst = r;
		if (worst == i)
			return;
		tw_rank_swap(rows + i * size, rows + worst * size, size);
		i = worst;
	}
}

/**
 * tw_rank - keep the first @top_n rows in order, fold the rest into others
 * @rows: @n rows of @size bytes; on return the first min(@n, @top_n) are
 *	the rows that sort first by @cmp, in that order (the rest are
 *	left in no particular order)
 * @n: rows
 * @size: bytes per row
 * @cmp: the order; ties must be broken so that the file is stable
 * @top_n: rows that will be shown
 * @add: adds one row into @others
 * @others: the 'others' row, which may already hold sums of its own
 *
 * A bounded selection, not a sort of every row: a heap of the @top_n best
 * so far, each further row compared with the worst of them, then a sort
 * of the @top_n.  The same rows and order as sorting everything, since
 * @cmp is a total order.  Returns the rows kept: min(@n, @top_n).
 */
unsigned int tw_rank(void *rows, unsigned int n, size_t size, cmp_func_t cmp,
		     unsigned int top_n, tw_rank_add_fn add, void *others)
{
	unsigned int kept = min(n, top_n), i;

	if (!kept || kept == n) {
		/* all kept, or none: one sort, rows[0] first of all */
		sort(rows, n, size, cmp, NULL);
		for (i = kept; i < n; i++)
			add(others, rows + i * size);
		return kept;
	}
	for (i = kept / 2; i-- > 0;)
		tw_rank_sift(rows, kept, size, cmp, i);
	for (i = kept; i < n; i++) {
		void *row = rows + i * size;

		if (cmp(row, rows) < 0) {
			/* better than the worst kept: it takes its place */
			tw_rank_swap(row, rows, size);
			tw_rank_sift(rows, kept, size, cmp, 0);
		}
		add(others, row);
	}
	sort(rows, kept, size, cmp, NULL);
	return kept;
}
EXPORT_SYMBOL_IF_KUNIT(tw_rank);

/*
 * A kvmalloc'ed copy of the first @kept rows, so a reading holds only the
 * rows it shows; NULL when @kept is 0 or memory is short.
 */
void *tw_rank_keep(const void *rows, unsigned int kept, size_t size)
{
	void *copy;

	if (!kept)
		return NULL;
	copy = kvmalloc_array(kept, size, TW_GFP_READER);
	if (copy)
		memcpy(copy, rows, kept * size);
	return copy;
}
EXPORT_SYMBOL_IF_KUNIT(tw_rank_keep);
