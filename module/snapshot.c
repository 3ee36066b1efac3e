// SPDX-License-Identifier: GPL-2.0
/*
 * Take a snapshot of one netns: read the bind hash, walk the socket hash
 * tables once feeding every aggregate, and keep the results.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/tcp.h>
#include <net/transp_v6.h>
#include <kunit/visibility.h>

#include "compat/compat.h"
#include "dests_add.h"
#include "kernel_access.h"
#include "shared_walk.h"
#include "snapshot.h"
#include "reader_gfp.h"

/* The aggregates one walk feeds. */
struct tw_snapshot_build {
	struct tw_summary *sum;
	struct tw_ports ports;
	struct tw_dest_table dests;
	struct tw_cgroup_table cgroups;
	u64 sockets;		/* records visited: the netns's own sockets */
	bool alone;		/* read by a walk of its own, not a shared one */
	bool time_visitors;	/* tw_time_visitors when the reading began */
	struct tw_snapshot_phases *phases;
};

bool tw_time_visitors;
EXPORT_SYMBOL_IF_KUNIT(tw_time_visitors);

/*
 * Every aggregate's part of each record in one pass: the record's fields
 * are loaded once and there is one loop, not four (under TCG each load
 * and each turn of a loop is paid per socket).
 */
static void tw_snapshot_add(struct tw_snapshot_build *b,
			    const struct tw_sock_rec *recs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct tw_sock_rec *r = &recs[i];

		tw_summary_add(b->sum, r);
		tw_ports_add(&b->ports, r);
		tw_dests_add_one(&b->dests, r);
		tw_cgroups_add_one(&b->cgroups, r);
	}
}

/*
 * With tw_time_visitors, each aggregate takes the batch in a pass of its
 * own, timed: the clock is read per batch of records (up to
 * TW_WALK_CHAIN_RECS), not per socket.  Five reads a batch are nothing
 * against a TSC, but a guest whose clocksource is the emulated HPET pays
 * microseconds for each, a tenth of make bench's reading: so only when
 * asked, and the passes then cost a little more than the one of
 * tw_snapshot_add().
 */
static void tw_snapshot_visit(void *ctx, const struct tw_sock_rec *recs,
			      unsigned int n)
{
	struct tw_snapshot_build *b = ctx;
	struct tw_snapshot_phases *ph = b->phases;
	u64 t0, t1, t2, t3, t4;

	b->sockets += n;
	if (!b->time_visitors) {
		tw_snapshot_add(b, recs, n);
		return;
	}
	t0 = ktime_get_ns();
	tw_summary_visit(b->sum, recs, n);
	t1 = ktime_get_ns();
	tw_ports_visit(&b->ports, recs, n);
	t2 = ktime_get_ns();
	tw_dests_visit(&b->dests, recs, n);
	t3 = ktime_get_ns();
	tw_cgroups_visit(&b->cgroups, recs, n);
	t4 = ktime_get_ns();
	ph->summary_ns += t1 - t0;
	ph->ports_ns += t2 - t1;
	ph->dests_ns += t3 - t2;
	ph->cgroups_ns += t4 - t3;
}

static u64 tw_object_bytes(const struct proto *prot)
{
	if (!prot->twsk_prot || !prot->twsk_prot->twsk_slab)
		return 0;
	return tw_slab_slot_bytes(prot->twsk_prot->twsk_slab);
}

static void tw_snapshot_release(struct kref *ref)
{
	struct tw_snapshot *snap = container_of(ref, struct tw_snapshot, ref);

	kvfree(snap->ports);
	kvfree(snap->dests.rows);
	kvfree(snap->cgroups.rows);
	kfree(snap);
}

void tw_snapshot_put(struct tw_snapshot *snap)
{
	if (snap)
		kref_put(&snap->ref, tw_snapshot_release);
}

static void tw_snapshot_facts(struct net *net, struct tw_snapshot *snap)
{
	struct inet_hashinfo *h = tw_net_hashinfo(net);

	snap->tw_object_bytes = tw_object_bytes(&tcp_prot);
#if IS_ENABLED(CONFIG_IPV6)
	snap->tw_object_bytes_ipv6 = tw_object_bytes(&tcpv6_prot);
#endif
	snap->tw_max_buckets = max(tw_net_max_tw_buckets(net), 0);
	snap->ehash_buckets = (u64)h->ehash_mask + 1;
	snap->bhash_buckets = h->bhash_size;

	tw_ephemeral_range(net, &snap->eph.low, &snap->eph.high, &snap->eph.span);
}

/* Feed the records a shared walk gathered for this netns to the aggregates. */
static void tw_snapshot_from_gathered(struct tw_snapshot_build *b,
				      const struct tw_gathered *g)
{
	unsigned int done, n;

	for (done = 0; done < g->nr_socks; done += n) {
		n = min_t(unsigned int, g->nr_socks - done, TW_WALK_CHAIN_RECS);
		tw_snapshot_visit(b, g->socks + done, n);
	}
}

/*
 * Read @net's bind buckets and sockets into @b.  From the records of a
 * walk shared with other namespaces when there is one (tw_shared_walk_get()),
 * plus a walk of @net's private established hash if it has one; else by a
 * walk of its own, which holds the shared tables as any walk of them does.
 * Fills req's cost and chain lengths, and *walked_at with when a walk of
 * another reader found the records, or 0 when this reading walked itself.
 */
static int tw_snapshot_read(struct net *net, struct tw_snapshot_build *b,
			    struct tw_walk_req *req, unsigned int max_age_ms,
			    unsigned long *walked_at)
{
	unsigned long called_at = jiffies;
	u64 called_ns = ktime_get_ns();
	struct tw_gathered *g = tw_shared_walk_get(net, max_age_ms);
	u64 start = ktime_get_ns();
	int err;

	*walked_at = 0;

	req->net = net;
	req->visit = tw_snapshot_visit;
	req->ctx = b;
	if (IS_ERR(g))
		return PTR_ERR(g);
	if (!g) {
		err = tw_shared_walk_begin(TW_SHARED_WALK_ALONE);
		if (err)
			return err;
		b->alone = true;
		err = tw_ports_walk_bind(net, &b->ports);
		b->phases->bind_ns = ktime_get_ns() - start;
		if (!err)
			err = tw_walk(req);
		b->phases->walk_ns = req->cost.ns;
		tw_shared_walk_end();
		return err;
	}

	if (time_before(g->walked_at, called_at))
		*walked_at = g->walked_at;
	tw_ports_add_binds(&b->ports, g->binds, g->nr_binds);
	err = 0;
	if (tw_hashinfo_private(tw_net_hashinfo(net))) {
		/* its listeners are in the shared listening hash: gathered */
		req->established_only = true;
		err = tw_walk(req);
		req->cost.buckets += tw_lhash2_size(tw_shared_hashinfo());
	} else {
		req->cost.buckets = g->buckets;
		memcpy(req->chain_lengths, g->chain_lengths,
		       sizeof(req->chain_lengths));
	}
	tw_snapshot_from_gathered(b, g);
	req->cost.ns += ktime_get_ns() - start;
	/*
	 * The gathering walk (bind hash included) and the records of this
	 * netns fed to the aggregates: all of it is the walk here.
	 */
	b->phases->walk_ns = ktime_get_ns() - called_ns;
	tw_shared_walk_done(net, g);
	return err;
}

/*
 * What the namespace's own (world-readable) files show of the walk that
 * read it: its own sockets, and the chain figures (restarts, pieces,
 * resumes) only of tables that hold nothing but its sockets.  The shared
 * established hash's figures are every namespace's and would let a
 * container watch the host's churn: they stay in debugfs (shared_walk);
 * a walk of its own over the shared tables shows its share of the time,
 * by sockets.  A reading built from a shared walk has none of them.
 */
static void tw_snapshot_own_cost(struct tw_walk_cost *c, u64 own_sockets,
				 bool shared_ehash, bool alone)
{
	if (shared_ehash && alone) {
		if (c->sockets > own_sockets)
			c->ns = div64_u64(c->ns * own_sockets, c->sockets);
		c->restarts = 0;
		c->long_chains = 0;
		c->resumes = 0;
		c->resume_lost = 0;
	}
	c->sockets = own_sockets;
}

static int tw_snapshot_fill(struct net *net, struct tw_snapshot *snap,
			    unsigned int top_n, unsigned int max_age_ms)
{
	struct tw_walk_req *req;
	struct tw_snapshot_build b = {
		.sum = &snap->sum,
		.phases = &snap->phases,
		.time_visitors = READ_ONCE(tw_time_visitors),
	};
	struct tw_dest_env env = {
		.reuse_mode = tw_net_tw_reuse(net),
		.timestamps = tw_net_timestamps(net),
		.reuse_delay_ms = tw_net_tw_reuse_delay_ms(net),
		.timewait_ms = jiffies_to_msecs(TCP_TIMEWAIT_LEN),
	};
	u64 reduce_start;
	int err = -ENOMEM;

	req = kzalloc(sizeof(*req), TW_GFP_READER);
	if (!req || tw_ports_alloc(&b.ports, TW_GFP_READER))
		goto out;

	tw_ports_mark_reserved(net, &b.ports, &snap->eph);
	/* only keeps the hot words: the bind hash adds flags to them next */
	err = tw_dests_init(&b.dests, TW_DEST_CAPACITY, b.ports.hot,
			    &snap->eph);
	if (err)
		goto out;
	err = tw_cgroups_init(&b.cgroups, TW_CGROUP_CAPACITY, &snap->eph);
	if (err)
		goto out_dests;
	err = tw_snapshot_read(net, &b, req, max_age_ms, &snap->taken_at);
	if (err)
		goto out_dests;
	snap->cost = req->cost;
	tw_snapshot_own_cost(&snap->cost, b.sockets,
			     !tw_hashinfo_private(tw_net_hashinfo(net)), b.alone);
	memcpy(snap->chain_lengths, req->chain_lengths, sizeof(snap->chain_lengths));
	reduce_start = ktime_get_ns();

	/* merges the hot words: b.ports is complete after it */
	snap->nr_ports = tw_ports_scan(&b.ports, &snap->eph, &snap->ports_tw_only);
	if (snap->nr_ports) {
		snap->ports = kvmalloc_array(snap->nr_ports, sizeof(*snap->ports),
					     TW_GFP_READER);
		if (!snap->ports) {
			err = -ENOMEM;
			goto out_dests;
		}
		tw_ports_rows(&b.ports, snap->ports);
	}
	env.available = snap->eph.available;
	/* tw_dests_reduce() sorts a copy of every tracked destination */
	snap->scratch_bytes = sizeof(*req) + TW_PORTS_BYTES +
		tw_dests_bytes(&b.dests) +
		TW_WALK_BUF_RECS * sizeof(struct tw_sock_rec) +
		(u64)b.dests.used * sizeof(struct tw_dest_row) +
		tw_cgroups_scratch_bytes(b.cgroups.capacity) +
		(u64)b.cgroups.used * sizeof(struct tw_cgroup_row);
	err = tw_dests_reduce(&b.dests, &env, top_n, &snap->dests);
	if (!err)
		err = tw_cgroups_reduce(&b.cgroups, &b.ports, top_n,
					&snap->cgroups);
	snap->held_bytes = sizeof(*snap) +
		(u64)snap->nr_ports * sizeof(*snap->ports) +
		(u64)snap->dests.nr * sizeof(*snap->dests.rows) +
		(u64)snap->cgroups.nr * sizeof(*snap->cgroups.rows);
	snap->phases.reduce_ns = ktime_get_ns() - reduce_start;
out_dests:
	tw_cgroups_free(&b.cgroups);
	tw_dests_free(&b.dests);
out:
	tw_ports_free(&b.ports);
	kfree(req);
	return err;
}

/**
 * tw_snapshot_take - read @net now, or as a shared walk recently found it
 * @net: the netns
 * @top_n: destination rows to keep
 * @max_age_ms: how old the records of a walk shared with other
 *	namespaces may be (the cache interval); 0: walk now
 *
 * Returns a snapshot holding one reference, or an ERR_PTR.  Its taken_at
 * is now, or when the walk of another reader it comes from ended.
 */
struct tw_snapshot *tw_snapshot_take(struct net *net, unsigned int top_n,
				     unsigned int max_age_ms)
{
	struct tw_snapshot *snap = kzalloc(sizeof(*snap), TW_GFP_READER);
	u64 cpu_start = tw_current_cpu_ns();
	u64 start = ktime_get_ns();
	int err;

	if (!snap)
		return ERR_PTR(-ENOMEM);
	kref_init(&snap->ref);
	tw_snapshot_facts(net, snap);
	err = tw_snapshot_fill(net, snap, top_n, max_age_ms);
	if (err) {
		tw_snapshot_put(snap);
		return ERR_PTR(err);
	}
	if (!snap->taken_at)
		snap->taken_at = jiffies;
	snap->phases.total_ns = ktime_get_ns() - start;
	snap->phases.cpu_ns = tw_current_cpu_ns() - cpu_start;
	return snap;
}
