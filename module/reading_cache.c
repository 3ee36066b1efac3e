// SPDX-License-Identifier: GPL-2.0
/*
 * Serve the latest reading from the cache or take a new one under the
 * cache's mutex: the one place that decides when a reading is taken.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <kunit/visibility.h>

#include "reading_cache.h"

void tw_reading_cache_init(struct tw_reading_cache *c)
{
	mutex_init(&c->lock);
	c->latest = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_init);

/* Whether a reading taken at @taken_at may still be served at @now. */
bool tw_reading_fresh(unsigned long taken_at, unsigned long now,
		      unsigned int max_age_ms)
{
	if (!max_age_ms || time_before(now, taken_at))
		return false;
	return time_before(now, taken_at + msecs_to_jiffies(max_age_ms));
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_fresh);

/**
 * tw_reading_cache_get - a reading no older than @max_age_ms
 * @c: the cache
 * @max_age_ms: how long a reading may be served; 0: take one every time
 * @ops: what the readings are
 * @ctx: for @ops->take
 *
 * Returns a reference (drop it with @ops->put) or an ERR_PTR: -EINTR if
 * the reader was killed while waiting, or what @ops->take returned.
 */
void *tw_reading_cache_get(struct tw_reading_cache *c, unsigned int max_age_ms,
			   const struct tw_reading_ops *ops, void *ctx)
{
	void *reading;

	if (mutex_lock_killable(&c->lock))
		return ERR_PTR(-EINTR);
	reading = c->latest;
	if (!reading ||
	    !tw_reading_fresh(ops->taken_at(reading), jiffies, max_age_ms)) {
		reading = ops->take(ctx);
		if (IS_ERR(reading))
			goto unlock;
		ops->put(c->latest);
		c->latest = reading;
	}
	ops->get(reading);
unlock:
	mutex_unlock(&c->lock);
	return reading;
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_get);

/* Drop the cached reading, once nobody can ask for one any more. */
void tw_reading_cache_clear(struct tw_reading_cache *c,
			    const struct tw_reading_ops *ops)
{
	mutex_lock(&c->lock);
	ops->put(c->latest);
	c->latest = NULL;
	mutex_unlock(&c->lock);
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_clear);
