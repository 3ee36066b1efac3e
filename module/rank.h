/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How every table of ours is cut to size for its file: sort the rows,
 * keep the first top_n and add the rest into an 'others' row, so that
 * the rows shown and 'others' always sum to everything counted.
 */
#ifndef TW_STATS_RANK_H
#define TW_STATS_RANK_H

#include <linux/types.h>

/* Add @row into @others (the caller's 'others' row or sum). */
typedef void (*tw_rank_add_fn)(void *others, const void *row);

unsigned int tw_rank(void *rows, unsigned int n, size_t size, cmp_func_t cmp,
		     unsigned int top_n, tw_rank_add_fn add, void *others);
void *tw_rank_keep(const void *rows, unsigned int kept, size_t size);

#endif /* TW_STATS_RANK_H */
