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

/**
 * tw_rank - sort rows and fold those past the first @top_n into others
 * @rows: @n rows of @size bytes, sorted in place by @cmp (first = shown first)
 * @n: rows
 * @size: bytes per row
 * @cmp: the order; ties must be broken so that the file is stable
 * @top_n: rows that will be shown
 * @add: adds one row into @others
 * @others: the 'others' row, which may already hold sums of its own
 *
 * Returns the rows kept: the first min(@n, @top_n).
 */
unsigned int tw_rank(void *rows, unsigned int n, size_t size, cmp_func_t cmp,
		     unsigned int top_n, tw_rank_add_fn add, void *others)
{
	unsigned int kept = min(n, top_n), i;

	sort(rows, n, size, cmp, NULL);
	for (i = kept; i < n; i++)
		add(others, rows + i * size);
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
