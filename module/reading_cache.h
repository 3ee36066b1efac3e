/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The latest reading, served again while it is fresh: readers that come
 * while a reading is being taken wait for it and share it, so N readers
 * looping on a file cost one reading per cache interval, not N.  Used
 * for each netns's snapshot and for the reading of all namespaces.
 *
 * It also bounds what open files can pin.  A file holds the reading it
 * was opened with until it is closed (tw_reading_cache_hold()), so
 * without a bound an unprivileged user opening a file per cache interval
 * and keeping it open pins one reading per interval, for ever.  The
 * cache counts the readings alive through it, the latest and every one
 * an open file holds, and takes no new one while TW_READINGS_LIVE_MAX are
 * alive and the latest is held: readers then share the latest, however
 * old, and see its age (tw_stats's cache_age_ms).  What one namespace's
 * open files can pin is so at most TW_READINGS_LIVE_MAX of its readings.
 */
#ifndef TW_STATS_READING_CACHE_H
#define TW_STATS_READING_CACHE_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Readings alive through one cache at most: see above. */
#define TW_READINGS_LIVE_MAX	4

/*
 * A reading is served for its cache interval, or for TW_READING_DUTY times
 * the CPU it cost if that is longer (tw_reading_max_age_ms()), at most
 * TW_READING_SERVED_MAX_MS: readers looping on a file then keep taking
 * readings, whatever their number and however long one takes (a million
 * timewait sockets), to at most 1 / (TW_READING_DUTY + 1) of a CPU.  The
 * longest interval cache_ms may set is the same (TW_CACHE_MS_MAX).
 */
#define TW_READING_DUTY		10
#define TW_READING_SERVED_MAX_MS	60000

/* A reading alive through the cache, and how many open files hold it. */
struct tw_reading_hold {
	void *reading;		/* NULL: a free slot */
	unsigned int holders;
};

struct tw_reading_cache {
	struct mutex lock;	/* one reading taken at a time; guards latest */
	void *latest;		/* a reference to the latest reading, or NULL */
	/*
	 * The live readings: the latest (with or without holders) and those
	 * open files hold.  Changed under holds_lock, which a closing file
	 * takes alone (it must not wait behind a walk); latest changes under
	 * both locks.  A slot owns no reference: its reading is alive because
	 * it is the latest or because its holders hold references.
	 */
	spinlock_t holds_lock;
	struct tw_reading_hold holds[TW_READINGS_LIVE_MAX];
};

/* What the cache needs to know about the readings it holds. */
struct tw_reading_ops {
	unsigned long (*taken_at)(const void *reading);	/* jiffies */
	/* the CPU time taking it cost the reader that took it */
	u64 (*cpu_ns)(const void *reading);
	/* a new reading, called under the lock: a reference, or an ERR_PTR */
	void *(*take)(void *ctx);
	void (*get)(void *reading);
	void (*put)(void *reading);	/* NULL is fine */
};

void tw_reading_cache_init(struct tw_reading_cache *c);
void *tw_reading_cache_get(struct tw_reading_cache *c, unsigned int max_age_ms,
			   const struct tw_reading_ops *ops, void *ctx);
void *tw_reading_cache_hold(struct tw_reading_cache *c, unsigned int max_age_ms,
			    const struct tw_reading_ops *ops, void *ctx);
void tw_reading_cache_unhold(struct tw_reading_cache *c,
			     const struct tw_reading_ops *ops, void *reading);
unsigned int tw_reading_cache_live(struct tw_reading_cache *c,
				   u64 (*bytes)(const void *reading),
				   u64 *live_bytes);
void tw_reading_cache_clear(struct tw_reading_cache *c,
			    const struct tw_reading_ops *ops);
bool tw_reading_fresh(unsigned long taken_at, unsigned long now,
		      unsigned int max_age_ms);
unsigned int tw_reading_max_age_ms(unsigned int max_age_ms, u64 cpu_ns);
bool tw_reading_servable(unsigned long taken_at, u64 cpu_ns,
			 unsigned int max_age_ms);

#endif /* TW_STATS_READING_CACHE_H */
