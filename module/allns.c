// SPDX-License-Identifier: GPL-2.0
/*
 * Read every network namespace at once: pin the namespaces that exist,
 * read the bind hash and walk the shared socket tables once, attributing
 * each socket to its namespace, then walk the private established hash of
 * each namespace that has one.
 *
 * A namespace is either fully counted or absent.  The set is fixed before
 * any socket is read: each namespace on net_namespace_list whose count is
 * still above zero is pinned with maybe_get_net() until the reading ends,
 * and a socket is counted only if its netns pointer is one of the pinned
 * ones.  So a namespace created during the reading is absent however
 * far the walk has got, one destroyed during it is counted whole (its
 * teardown waits for our reference, then it is gone from the next
 * reading), and one already being dismantled is absent.  Pinning is also
 * what makes the pointer a sound key: a pinned struct net cannot be freed
 * and reused for another namespace while we compare against it.
 */
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "allns.h"
#include "kernel_access.h"
#include "netns.h"
#include "reading_cache.h"
#include "reader_gfp.h"
#include "shared_walk.h"

/* The latest reading; readers within cache_ms share it, as per netns. */
static struct tw_reading_cache tw_allns_cache = {
	.lock = __MUTEX_INITIALIZER(tw_allns_cache.lock),
	.holds_lock = __SPIN_LOCK_UNLOCKED(tw_allns_cache.holds_lock),
};

static void tw_allns_release(struct kref *ref)
{
	struct tw_allns *a = container_of(ref, struct tw_allns, ref);

	kvfree(a->res.rows);
	kfree(a);
}

void tw_allns_put(struct tw_allns *a)
{
	if (a)
		kref_put(&a->ref, tw_allns_release);
}

static void tw_allns_describe(struct tw_netns_entry *e)
{
	struct net *net = e->net;

	e->inum = net->ns.inum;
	e->private_ehash = tw_hashinfo_private(tw_net_hashinfo(net));
	e->reuse_mode = tw_net_tw_reuse(net);
	e->reserved = tw_net_reserved_ports(net);
	tw_ephemeral_range(net, &e->eph.low, &e->eph.high, &e->eph.span);
}

/* Pin up to the table's capacity of the namespaces that exist now. */
static void tw_allns_pin(struct tw_netns_table *t)
{
	struct net *net;
	unsigned int i;

	rcu_read_lock();
	for_each_net_rcu(net) {
		if (t->nr == t->capacity) {
			t->overflow = true;
			break;
		}
		/* a count of zero: being dismantled, its sockets are going */
		if (maybe_get_net(net))
			tw_netns_table_add(t, net);
	}
	rcu_read_unlock();
	for (i = 0; i < t->nr; i++)
		tw_allns_describe(&t->ns[i]);
}

static void tw_allns_unpin(struct tw_netns_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		put_net(t->ns[i].net);
}

static void tw_walk_cost_add(struct tw_walk_cost *sum, const struct tw_walk_cost *c)
{
	sum->buckets += c->buckets;
	sum->sockets += c->sockets;
	sum->restarts += c->restarts;
	sum->long_chains += c->long_chains;
	sum->ns += c->ns;
	sum->resumes += c->resumes;
	sum->resume_lost += c->resume_lost;
	sum->section_max = max(sum->section_max, c->section_max);
}

/*
 * The bind hash first: which ports each namespace holds by bind().  A
 * namespace found holding one gets a bitmap for them, and the hash is
 * read again (only then) to fill it.
 */
static int tw_allns_binds(struct tw_netns_table *t)
{
	int err = tw_bind_walk(NULL, TW_BIND_OWNERS_OCCUPIED,
			       tw_netns_table_bind_visit, t);

	if (!err)
		err = tw_netns_table_want_explicit(t);
	if (err > 0)
		err = tw_bind_walk(NULL, TW_BIND_OWNERS_OCCUPIED,
				   tw_netns_table_bind_visit, t);
	tw_netns_table_finish_binds(t);
	return err;
}

static int tw_allns_walk(struct tw_netns_table *t, struct tw_allns_cost *cost)
{
	struct tw_walk_req *req = kzalloc(sizeof(*req), TW_GFP_READER);
	unsigned int i;
	int err;

	if (!req)
		return -ENOMEM;
	req->visit = tw_netns_table_visit;
	req->ctx = t;
	/*
	 * the walk decides each socket by its namespace's tcp_tw_reuse; the
	 * table applies it again as the reading found it (tw_rec_reusable_in())
	 */
	err = tw_walk(req);
	cost->shared = req->cost;
	/* listeners live in the shared listening hash: walked above */
	req->established_only = true;
	for (i = 0; i < t->nr && !err; i++) {
		if (!t->ns[i].private_ehash)
			continue;
		req->net = t->ns[i].net;
		err = tw_walk(req);
		tw_walk_cost_add(&cost->private, &req->cost);
		cost->private_walks++;
	}
	kfree(req);
	return err;
}

static int tw_allns_fill(struct tw_allns *a, unsigned int top_n)
{
	struct tw_netns_table *t = kzalloc(sizeof(*t), TW_GFP_READER);
	u64 start = ktime_get_ns();
	int err;

	if (!t)
		return -ENOMEM;
	err = tw_netns_table_init(t, TW_NETNS_CAPACITY, TW_NETNS_DEST_CAPACITY);
	if (err)
		goto out;
	tw_allns_pin(t);
	a->cost.namespaces = t->nr;
	err = tw_shared_walk_begin(TW_SHARED_WALK_NETNS);
	if (!err) {
		err = tw_allns_binds(t);
		a->cost.setup_ns = ktime_get_ns() - start;
		if (!err)
			err = tw_allns_walk(t, &a->cost);
		tw_shared_walk_end();
	}
	if (!err)
		err = tw_netns_table_reduce(t, top_n, &a->res);
	tw_allns_unpin(t);
	tw_netns_table_free(t);
out:
	kfree(t);
	return err;
}

static struct tw_allns *tw_allns_take(unsigned int top_n)
{
	struct tw_allns *a = kzalloc(sizeof(*a), TW_GFP_READER);
	u64 cpu_start = tw_current_cpu_ns();
	u64 start = ktime_get_ns();
	int err;

	if (!a)
		return ERR_PTR(-ENOMEM);
	kref_init(&a->ref);
	err = tw_allns_fill(a, top_n);
	if (err) {
		tw_allns_put(a);
		return ERR_PTR(err);
	}
	a->cost.total_ns = ktime_get_ns() - start;
	a->cost.cpu_ns = tw_current_cpu_ns() - cpu_start;
	a->cost.taken_at = jiffies;
	return a;
}

/* A tw_reading_ops take: read every namespace; @ctx is init_net's state. */
static void *tw_allns_reading_take(void *ctx)
{
	return tw_allns_take(tw_netns_top_n(ctx));
}

static unsigned long tw_allns_reading_taken_at(const void *reading)
{
	return ((const struct tw_allns *)reading)->cost.taken_at;
}

static u64 tw_allns_reading_cpu_ns(const void *reading)
{
	return ((const struct tw_allns *)reading)->cost.cpu_ns;
}

static void tw_allns_reading_get(void *reading)
{
	kref_get(&((struct tw_allns *)reading)->ref);
}

static void tw_allns_reading_put(void *reading)
{
	tw_allns_put(reading);
}

static const struct tw_reading_ops tw_allns_reading_ops = {
	.taken_at = tw_allns_reading_taken_at,
	.cpu_ns = tw_allns_reading_cpu_ns,
	.take = tw_allns_reading_take,
	.get = tw_allns_reading_get,
	.put = tw_allns_reading_put,
};

/**
 * tw_allns_get - a reading of all namespaces no older than cache_ms
 *
 * cache_ms and top_n are the initial namespace's (module parameters, or
 * its debugfs overrides).  Returns a reference (drop it with
 * tw_allns_put()) or an ERR_PTR.
 */
struct tw_allns *tw_allns_get(void)
{
	struct tw_netns *tn = tw_netns(&init_net);

	return tw_reading_cache_get(&tw_allns_cache, tw_netns_cache_ms(tn),
				    &tw_allns_reading_ops, tn);
}

/**
 * tw_allns_hold - tw_allns_get() for a file that keeps the reading open
 *
 * Counted toward the readings open files may pin (reading_cache.h).
 * Drop it with tw_allns_unhold().
 */
struct tw_allns *tw_allns_hold(void)
{
	struct tw_netns *tn = tw_netns(&init_net);

	return tw_reading_cache_hold(&tw_allns_cache, tw_netns_cache_ms(tn),
				     &tw_allns_reading_ops, tn);
}

void tw_allns_unhold(struct tw_allns *a)
{
	tw_reading_cache_unhold(&tw_allns_cache, &tw_allns_reading_ops, a);
}

/* What the latest reading cost; false if there was none. */
bool tw_allns_last_cost(struct tw_allns_cost *cost)
{
	const struct tw_allns *last;

	mutex_lock(&tw_allns_cache.lock);
	last = tw_allns_cache.latest;
	if (last)
		*cost = last->cost;
	mutex_unlock(&tw_allns_cache.lock);
	return last;
}

/* At module unload, once the file is gone: drop the cached reading. */
void tw_allns_exit(void)
{
	tw_reading_cache_clear(&tw_allns_cache, &tw_allns_reading_ops);
}
