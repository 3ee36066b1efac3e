// SPDX-License-Identifier: GPL-2.0
/*
 * Gather, in one walk of the shared tables, the records of every
 * namespace that is being read, and serialise every walk of those tables
 * host-wide.
 *
 * With unprivileged user namespaces anyone can create a hundred network
 * namespaces and read tw_stats in each.  Read one by one, each reading
 * would walk the whole shared established hash and lock every used bind
 * bucket of the host.  Instead a namespace that reads gets a place: room
 * for its own bind and socket records, allocated by its reader
 * (TW_GFP_READER: charged to that reader's memory cgroup) and sized from
 * what the kernel counts for it (sockets in use, timewait sockets).  When a reading finds its
 * place filled by a walk younger than its cache interval it is built from
 * those records; otherwise it walks once for every place.  Readings then
 * share the walk's time, so their caches expire together and the next
 * reader's walk serves them all again: about one walk per cache interval
 * however many namespaces read.
 *
 * A place is the namespace's own: the walk fills it only with records of
 * that namespace, and its reader builds from it after detaching it, with
 * the shared lock released.  It is dropped when nobody read the namespace
 * for TW_GATHER_IDLE_MS and when the namespace exits.
 */
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/tcp.h>
#include <net/transp_v6.h>

#include "kernel_access.h"
#include "netns.h"
#include "reader_gfp.h"
#include "reading_cache.h"
#include "shared_walk.h"

/* A namespace's place in the gathering walks. */
struct tw_gather_place {
	struct list_head node;
	struct net *net;		/* removed at its exit: always alive */
	struct tw_gathered *g;		/* NULL while its reader builds from it */
	unsigned long wanted_at;	/* jiffies of its latest reading */
	unsigned int want_socks;	/* room to give it when next allocated */
	unsigned int want_binds;
};

/* One walk of the shared tables at a time, host-wide; guards all below. */
static DEFINE_MUTEX(tw_shared_lock);
static LIST_HEAD(tw_places);
static struct tw_shared_walk_stats tw_shared_stats;

/* What the kernel counts for @net: a size for its records, not exact. */
static unsigned int tw_gather_estimate(struct net *net)
{
	u64 n = (u64)max(sock_prot_inuse_get(net, &tcp_prot), 0) +
		tw_net_tw_count(net);

#if IS_ENABLED(CONFIG_IPV6)
	n += max(sock_prot_inuse_get(net, &tcpv6_prot), 0);
#endif
	return min_t(u64, n, UINT_MAX / 2);
}

/* Room for @n records and a quarter more, so that growth fits. */
static unsigned int tw_gather_room(unsigned int n)
{
	return n + n / 4 + 64;
}

static void tw_gathered_free(struct tw_gathered *g)
{
	if (!g)
		return;
	kvfree(g->binds);
	kvfree(g->socks);
	kfree(g);
}

/* Allocated by a reader of the namespace: charged to its cgroup. */
static struct tw_gathered *tw_gathered_alloc(const struct tw_gather_place *p)
{
	struct tw_gathered *g = kzalloc(sizeof(*g), TW_GFP_READER);

	if (!g)
		return NULL;
	g->net = p->net;
	g->max_socks = p->want_socks;
	g->max_binds = p->want_binds;
	g->socks = kvmalloc_array(g->max_socks, sizeof(*g->socks),
				  TW_GFP_READER);
	g->binds = kvmalloc_array(g->max_binds, sizeof(*g->binds),
				  TW_GFP_READER);
	if (!g->socks || !g->binds) {
		tw_gathered_free(g);
		return NULL;
	}
	return g;
}

static void tw_place_drop(struct tw_gather_place *p)
{
	list_del(&p->node);
	tw_netns(p->net)->gather_place = NULL;
	tw_gathered_free(p->g);
	kfree(p);
	tw_shared_stats.namespaces--;
}

/* The walk's lookup from a record's netns key to the place it fills. */
struct tw_gather_index {
	struct tw_gathered **slots;
	unsigned int bits;
};

static struct tw_gathered *tw_gather_find(const struct tw_gather_index *ix,
					  const struct net *net)
{
	unsigned int mask = (1U << ix->bits) - 1;
	unsigned int i = hash_ptr(net, ix->bits);

	/* half full at most: a probe ends at an empty slot */
	for (; ix->slots[i]; i = (i + 1) & mask)
		if (ix->slots[i]->net == net)
			return ix->slots[i];
	return NULL;
}

static void tw_gather_index_add(struct tw_gather_index *ix, struct tw_gathered *g)
{
	unsigned int mask = (1U << ix->bits) - 1;
	unsigned int i = hash_ptr(g->net, ix->bits);

	while (ix->slots[i])
		i = (i + 1) & mask;
	ix->slots[i] = g;
}

/* A tw_bind_visit_fn, under the bucket's lock: keep the records we want. */
static void tw_gather_bind(void *ctx, const struct tw_bind_rec *b)
{
	struct tw_gathered *g = tw_gather_find(ctx, b->net);

	if (!g)
		return;
	if (g->nr_binds < g->max_binds)
		g->binds[g->nr_binds] = *b;
	else
		g->overflow = true;
	g->nr_binds++;
}

/*
 * A tw_visit_fn, under RCU: keep the records we want.  The walk applied
 * tcp_tw_reuse 1 to every socket; each namespace's own setting is applied
 * here, as the all-namespaces reading does.
 */
static void tw_gather_socks(void *ctx, const struct tw_sock_rec *recs,
			    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct tw_gathered *g = tw_gather_find(ctx, recs[i].net);
		struct tw_sock_rec *r;

		if (!g)
			continue;
		if (g->nr_socks++ >= g->max_socks) {
			g->overflow = true;
			continue;
		}
		r = &g->socks[g->nr_socks - 1];
		*r = recs[i];
		if (!tw_rec_reusable_in(r, g->reuse_mode))
			r->flags &= ~TW_REC_REUSABLE;
	}
}

/*
 * Index the places that wait for records, emptied; drop those nobody
 * read for a while.  Returns how many were indexed.
 */
static unsigned int tw_gather_prepare(struct tw_gather_index *ix,
				      unsigned long now)
{
	struct tw_gather_place *p, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(p, tmp, &tw_places, node) {
		struct tw_gathered *g = p->g;

		if (time_after(now, p->wanted_at +
				    msecs_to_jiffies(TW_GATHER_IDLE_MS))) {
			tw_place_drop(p);
			continue;
		}
		if (!g)
			continue;
		g->reuse_mode = tw_net_tw_reuse(p->net);
		g->walked_at = 0;
		g->overflow = false;
		g->nr_binds = 0;
		g->nr_socks = 0;
		tw_gather_index_add(ix, g);
		n++;
	}
	return n;
}

/* Walk the shared tables once, filling every place that waits. */
static int tw_gather_walk(void)
{
	struct tw_gather_index ix = {
		.bits = ilog2(roundup_pow_of_two(2 * TW_GATHER_MAX_NETNS)),
	};
	unsigned long now = jiffies, done;
	struct tw_walk_req *req;
	unsigned int i;
	u64 start, cpu_start = tw_current_cpu_ns(), cpu_ns;
	int err = -ENOMEM;

	lockdep_assert_held(&tw_shared_lock);
	req = kzalloc(sizeof(*req), TW_GFP_READER);
	ix.slots = kcalloc(1U << ix.bits, sizeof(*ix.slots), TW_GFP_READER);
	if (!req || !ix.slots)
		goto out;
	tw_gather_prepare(&ix, now);

	start = ktime_get_ns();
	/*
	 * Each namespace's reading counts the owners of ports only connect()
	 * took from the records gathered next, as a walk of its own does
	 */
	err = tw_bind_walk(NULL, TW_BIND_OWNERS_FROM_WALK, tw_gather_bind, &ix);
	tw_shared_stats.last_bind_ns = ktime_get_ns() - start;
	if (err)
		goto out;
	req->visit = tw_gather_socks;
	req->ctx = &ix;
	/* the walk takes each namespace's mode; tw_gather_socks() its reading's */
	err = tw_walk(req);
	if (err)
		goto out;

	/* as old as the walk's end: what the cache's age counts from */
	done = jiffies;
	cpu_ns = tw_current_cpu_ns() - cpu_start;
	for (i = 0; i < (1U << ix.bits); i++) {
		struct tw_gathered *g = ix.slots[i];

		if (!g)
			continue;
		g->walked_at = done;
		g->walk_cpu_ns = cpu_ns;
		g->buckets = req->cost.buckets;
		memcpy(g->chain_lengths, req->chain_lengths,
		       sizeof(g->chain_lengths));
	}
	tw_shared_stats.walks++;
	tw_shared_stats.gathering_walks++;
	tw_shared_stats.last_at = done;
	tw_shared_stats.last = req->cost;
	tw_shared_stats.last_cpu_ns = cpu_ns;
out:
	kfree(ix.slots);
	kfree(req);
	return err;
}

/* @net's place, made on its first reading; NULL: no room, or no memory. */
static struct tw_gather_place *tw_place_get(struct net *net, unsigned int est)
{
	struct tw_netns *tn = tw_netns(net);
	struct tw_gather_place *p = tn->gather_place;

	if (!p) {
		if (tw_shared_stats.namespaces >= TW_GATHER_MAX_NETNS)
			return NULL;
		p = kzalloc(sizeof(*p), TW_GFP_READER);
		if (!p)
			return NULL;
		p->net = net;
		list_add_tail(&p->node, &tw_places);
		tn->gather_place = p;
		tw_shared_stats.namespaces++;
	}
	p->wanted_at = jiffies;
	p->want_socks = max(p->want_socks, tw_gather_room(est));
	p->want_binds = max(p->want_binds, tw_gather_room(est));
	/* the last reading outgrew it, or left without giving it back */
	if (p->g && (p->g->max_socks < p->want_socks ||
		     p->g->max_binds < p->want_binds)) {
		tw_gathered_free(p->g);
		p->g = NULL;
	}
	if (!p->g)
		p->g = tw_gathered_alloc(p);
	return p->g ? p : NULL;
}

/**
 * tw_shared_walk_get - @net's records from a walk no older than @max_age_ms
 * @net: the netns being read, by a reader holding its reading cache's lock
 * @max_age_ms: its cache interval; 0 walks now (and still fills every
 *	place, which other namespaces' readers may use)
 *
 * Walks the shared tables for every namespace waiting for records unless
 * a walk that included @net is recent enough.  Returns the records, to
 * be given back with tw_shared_walk_done(); NULL when @net is to be read
 * by a walk of its own (too many sockets, no room); or
 * ERR_PTR(-EINTR) when the reader was killed while waiting, or the
 * walk's error.
 */
struct tw_gathered *tw_shared_walk_get(struct net *net, unsigned int max_age_ms)
{
	unsigned int est = tw_gather_estimate(net);
	struct tw_gather_place *p;
	struct tw_gathered *g = NULL;
	int err;

	if (est > TW_GATHER_MAX_SOCKS)
		return NULL;
	if (mutex_lock_killable(&tw_shared_lock))
		return ERR_PTR(-EINTR);
	p = tw_place_get(net, est);
	if (!p)
		goto unlock;
	g = p->g;
	/*
	 * As a namespace's reading cache serves its readings: for the
	 * interval, or ten times the CPU the walk cost (a walk of a host's
	 * shared tables is the costliest there is)
	 */
	if (!g->walked_at ||
	    !tw_reading_servable(g->walked_at, g->walk_cpu_ns, max_age_ms)) {
		err = tw_gather_walk();
		if (err) {
			g = ERR_PTR(err);
			goto unlock;
		}
	}
	if (g->overflow) {
		/* grown since it was sized: make room for next time */
		p->want_socks = tw_gather_room(g->nr_socks);
		p->want_binds = tw_gather_room(g->nr_binds);
		tw_shared_stats.overflows++;
		g = NULL;
		goto unlock;
	}
	p->g = NULL;
	tw_shared_stats.gathered_readings++;
unlock:
	mutex_unlock(&tw_shared_lock);
	return g;
}

/* Give @g back to @net's place for the next walk, or free it. */
void tw_shared_walk_done(struct net *net, struct tw_gathered *g)
{
	struct tw_gather_place *p;

	if (!mutex_lock_killable(&tw_shared_lock)) {
		p = tw_netns(net)->gather_place;
		if (p && !p->g) {
			p->g = g;
			g = NULL;
		}
		mutex_unlock(&tw_shared_lock);
	}
	tw_gathered_free(g);
}

/**
 * tw_shared_walk_begin - wait for the shared tables to be ours to walk
 * @kind: who walks, for the counts in debugfs
 *
 * Returns 0, to be followed by tw_shared_walk_end(), or -EINTR.
 */
int tw_shared_walk_begin(enum tw_shared_walk_kind kind)
{
	if (mutex_lock_killable(&tw_shared_lock))
		return -EINTR;
	tw_shared_stats.walks++;
	if (kind == TW_SHARED_WALK_ALONE)
		tw_shared_stats.alone_walks++;
	else
		tw_shared_stats.netns_walks++;
	return 0;
}

void tw_shared_walk_end(void)
{
	mutex_unlock(&tw_shared_lock);
}

/* At @net's exit, once nobody reads it: free its place. */
void tw_shared_walk_leave(struct net *net)
{
	mutex_lock(&tw_shared_lock);
	if (tw_netns(net)->gather_place)
		tw_place_drop(tw_netns(net)->gather_place);
	mutex_unlock(&tw_shared_lock);
}

/* A copy of the counts; -EINTR if the reader was killed waiting. */
int tw_shared_walk_stats(struct tw_shared_walk_stats *st)
{
	if (mutex_lock_killable(&tw_shared_lock))
		return -EINTR;
	*st = tw_shared_stats;
	mutex_unlock(&tw_shared_lock);
	return 0;
}
