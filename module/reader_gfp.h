/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the memory a reader of our files causes is allocated: the readings,
 * their scratch tables and the walk's record buffer, whichever file and
 * whoever reads.  (State allocated when a namespace is created is not a
 * reader's and uses plain GFP_KERNEL.)
 */
#ifndef TW_STATS_READER_GFP_H
#define TW_STATS_READER_GFP_H

#include <linux/gfp.h>

/*
 * Charged to the reader's memory cgroup (__GFP_ACCOUNT), so a container
 * pays for what its readers cost.  Past the cgroup's limit, or when the
 * host is out of memory, the read fails with -ENOMEM instead of invoking
 * the OOM killer for a reading (__GFP_RETRY_MAYFAIL, the one reclaim
 * modifier kvmalloc() supports; the BPF map allocator uses it the same
 * way); and quietly (__GFP_NOWARN): an unprivileged reader must not be
 * able to fill the kernel log with allocation failure reports.
 */
#define TW_GFP_READER	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

#endif /* TW_STATS_READER_GFP_H */
