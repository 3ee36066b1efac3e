// SPDX-License-Identifier: GPL-2.0
/*
 * Serve the latest reading from the cache or take a new one under the
 * cache's mutex: the one place that decides when a reading is taken, and
 * that counts the readings open files hold.
 */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "reading_cache.h"

void tw_reading_cache_init(struct tw_reading_cache *c)
{
	mutex_init(&c->lock);
	c->latest = NULL;
	spin_lock_init(&c->holds_lock);
	memset(c->holds, 0, sizeof(c->holds));
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
 * tw_reading_max_age_ms - how long a reading may be served
 * @max_age_ms: the cache interval (cache_ms); 0: not at all
 * @cpu_ns: the CPU time taking the reading cost its reader
 *
 * The interval, or TW_READING_DUTY times @cpu_ns when that is longer, up
 * to TW_READING_SERVED_MAX_MS.  With the interval alone, readers looping
 * on a file walk again as soon as a walk is an interval old: where one
 * takes as long as the interval (a million sockets), they keep a CPU
 * walking for ever, and fill the caches of the CPUs that handle the
 * connections with sockets nobody else needs.  CPU time, not wall time:
 * a reader that waited for a lock, or for a CPU on a busy host, did not
 * cost the host that time.  An interval of 0 (walk on every read) is
 * root's choice and is kept.
 */
unsigned int tw_reading_max_age_ms(unsigned int max_age_ms, u64 cpu_ns)
{
	u64 duty_ms;

	if (!max_age_ms)
		return 0;
	/* clamped first: no multiplication of a huge @cpu_ns overflows */
	duty_ms = div_u64(min_t(u64, cpu_ns,
				(u64)TW_READING_SERVED_MAX_MS * NSEC_PER_MSEC),
			  NSEC_PER_MSEC) * TW_READING_DUTY;
	duty_ms = min_t(u64, duty_ms, TW_READING_SERVED_MAX_MS);
	return max_t(u64, max_age_ms, duty_ms);
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_max_age_ms);

/*
 * Whether a reading taken at @taken_at, which cost its reader @cpu_ns,
 * may still be served now: every cached reading (snapshots, the shared
 * walk's records, the NAT sums) asks this one question.
 */
bool tw_reading_servable(unsigned long taken_at, u64 cpu_ns,
			 unsigned int max_age_ms)
{
	return tw_reading_fresh(taken_at, jiffies,
				tw_reading_max_age_ms(max_age_ms, cpu_ns));
}

/* The slot of @reading; of NULL: a free one.  Under holds_lock. */
static struct tw_reading_hold *tw_hold_slot(struct tw_reading_cache *c,
					    const void *reading)
{
	unsigned int i;

	for (i = 0; i < TW_READINGS_LIVE_MAX; i++)
		if (c->holds[i].reading == reading)
			return &c->holds[i];
	return NULL;
}

/*
 * Whether a new reading would stay within the bound: it either replaces
 * a latest that no open file holds (whose slot it takes) or takes a free
 * slot.  Under the mutex: only mutex holders add readings or holders, so
 * the answer can only get better until the caller acts on it.
 */
static bool tw_reading_cache_may_take(struct tw_reading_cache *c)
{
	struct tw_reading_hold *slot;
	bool may;

	spin_lock(&c->holds_lock);
	slot = tw_hold_slot(c, c->latest);
	may = !c->latest || !slot || !slot->holders || tw_hold_slot(c, NULL);
	spin_unlock(&c->holds_lock);
	return may;
}

/* Make @reading (a reference the cache keeps) the latest.  Under the mutex. */
static void tw_reading_cache_replace(struct tw_reading_cache *c,
				     const struct tw_reading_ops *ops,
				     void *reading)
{
	struct tw_reading_hold *slot = NULL;
	void *old;

	spin_lock(&c->holds_lock);
	old = c->latest;
	if (old) {
		slot = tw_hold_slot(c, old);
		/* still held by open files: it keeps its slot */
		if (slot && slot->holders)
			slot = NULL;
	}
	if (!slot)
		slot = tw_hold_slot(c, NULL);
	/* tw_reading_cache_may_take() said there is one */
	if (!WARN_ON_ONCE(!slot)) {
		slot->reading = reading;
		slot->holders = 0;
	}
	c->latest = reading;
	spin_unlock(&c->holds_lock);
	ops->put(old);
}

static void *tw_reading_cache_serve(struct tw_reading_cache *c,
				    unsigned int max_age_ms,
				    const struct tw_reading_ops *ops, void *ctx,
				    bool hold)
{
	void *reading;

	if (mutex_lock_killable(&c->lock))
		return ERR_PTR(-EINTR);
	reading = c->latest;
	if (!reading ||
	    (!tw_reading_servable(ops->taken_at(reading), ops->cpu_ns(reading),
				  max_age_ms) &&
	     tw_reading_cache_may_take(c))) {
		reading = ops->take(ctx);
		if (IS_ERR(reading))
			goto unlock;
		tw_reading_cache_replace(c, ops, reading);
	}
	ops->get(reading);
	if (hold) {
		struct tw_reading_hold *slot;

		spin_lock(&c->holds_lock);
		slot = tw_hold_slot(c, reading);
		if (!WARN_ON_ONCE(!slot))
			slot->holders++;
		spin_unlock(&c->holds_lock);
	}
unlock:
	mutex_unlock(&c->lock);
	return reading;
}

/**
 * tw_reading_cache_get - a reading no older than its interval, for now
 * @c: the cache
 * @max_age_ms: the cache interval; a reading is served for it, or longer
 *	if it was costly (tw_reading_max_age_ms()); 0: take one every time
 * @ops: what the readings are
 * @ctx: for @ops->take
 *
 * For a reader that drops the reading before it returns to user space.
 * While TW_READINGS_LIVE_MAX readings are alive and open files hold the
 * latest, the latest is served whatever its age.  Returns a reference
 * (drop it with @ops->put) or an ERR_PTR: -EINTR if the reader was
 * killed while waiting, or what @ops->take returned.
 */
void *tw_reading_cache_get(struct tw_reading_cache *c, unsigned int max_age_ms,
			   const struct tw_reading_ops *ops, void *ctx)
{
	return tw_reading_cache_serve(c, max_age_ms, ops, ctx, false);
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_get);

/**
 * tw_reading_cache_hold - tw_reading_cache_get() for an open file
 * @c: the cache
 * @max_age_ms: as for tw_reading_cache_get()
 * @ops: what the readings are
 * @ctx: for @ops->take
 *
 * The reading is counted as held until tw_reading_cache_unhold(), which
 * also drops the reference.
 */
void *tw_reading_cache_hold(struct tw_reading_cache *c, unsigned int max_age_ms,
			    const struct tw_reading_ops *ops, void *ctx)
{
	return tw_reading_cache_serve(c, max_age_ms, ops, ctx, true);
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_hold);

/*
 * An open file lets go of @reading: never waits behind a walk, so that
 * close() is never slowed down by someone else's reading.
 */
void tw_reading_cache_unhold(struct tw_reading_cache *c,
			     const struct tw_reading_ops *ops, void *reading)
{
	struct tw_reading_hold *slot;

	spin_lock(&c->holds_lock);
	slot = tw_hold_slot(c, reading);
	if (!WARN_ON_ONCE(!slot || !slot->holders)) {
		slot->holders--;
		/* the latest stays alive, in its slot, until replaced */
		if (!slot->holders && reading != c->latest)
			slot->reading = NULL;
	}
	spin_unlock(&c->holds_lock);
	ops->put(reading);
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_unhold);

/*
 * How many readings are alive through @c, and with @bytes (called under
 * a spinlock, on a reading that stays alive meanwhile) their size.
 */
unsigned int tw_reading_cache_live(struct tw_reading_cache *c,
				   u64 (*bytes)(const void *reading),
				   u64 *live_bytes)
{
	unsigned int i, n = 0;
	u64 sum = 0;

	spin_lock(&c->holds_lock);
	for (i = 0; i < TW_READINGS_LIVE_MAX; i++) {
		if (!c->holds[i].reading)
			continue;
		n++;
		if (bytes)
			sum += bytes(c->holds[i].reading);
	}
	spin_unlock(&c->holds_lock);
	if (live_bytes)
		*live_bytes = sum;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_live);

/* Drop the cached reading, once nobody can ask for one any more. */
void tw_reading_cache_clear(struct tw_reading_cache *c,
			    const struct tw_reading_ops *ops)
{
	struct tw_reading_hold *slot;
	void *old;

	mutex_lock(&c->lock);
	spin_lock(&c->holds_lock);
	old = c->latest;
	slot = old ? tw_hold_slot(c, old) : NULL;
	if (slot && !slot->holders)
		slot->reading = NULL;
	c->latest = NULL;
	spin_unlock(&c->holds_lock);
	ops->put(old);
	mutex_unlock(&c->lock);
}
EXPORT_SYMBOL_IF_KUNIT(tw_reading_cache_clear);
