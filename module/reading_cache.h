/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The latest reading, served again while it is fresh: readers that come
 * while a reading is being taken wait for it and share it, so N readers
 * looping on a file cost one reading per cache interval, not N.  Used
 * for each netns's snapshot and for the reading of all namespaces.
 */
#ifndef TW_STATS_READING_CACHE_H
#define TW_STATS_READING_CACHE_H

#include <linux/mutex.h>
#include <linux/types.h>

struct tw_reading_cache {
	struct mutex lock;	/* one reading taken at a time; guards latest */
	void *latest;		/* a reference to the latest reading, or NULL */
};

/* What the cache needs to know about the readings it holds. */
struct tw_reading_ops {
	unsigned long (*taken_at)(const void *reading);	/* jiffies */
	/* a new reading, called under the lock: a reference, or an ERR_PTR */
	void *(*take)(void *ctx);
	void (*get)(void *reading);
	void (*put)(void *reading);	/* NULL is fine */
};

void tw_reading_cache_init(struct tw_reading_cache *c);
void *tw_reading_cache_get(struct tw_reading_cache *c, unsigned int max_age_ms,
			   const struct tw_reading_ops *ops, void *ctx);
void tw_reading_cache_clear(struct tw_reading_cache *c,
			    const struct tw_reading_ops *ops);
bool tw_reading_fresh(unsigned long taken_at, unsigned long now,
		      unsigned int max_age_ms);

#endif /* TW_STATS_READING_CACHE_H */
