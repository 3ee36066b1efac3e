// SPDX-License-Identifier: GPL-2.0
/*
 * The per-netns table of a reading of all namespaces: attribute socket
 * records and bind buckets to the namespace they belong to, and reduce
 * to ranked rows.  Namespaces are keys here, never dereferenced, so the
 * table is pure arithmetic that KUnit drives with made-up keys; the code
 * that fills it (allns.c) pins every namespace it adds.
 */
#include <linux/bitmap.h>
#include <linux/export.h>
#include <linux/find.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "dests_add.h"
#include "netns_table.h"
#include "rank.h"
#include "reader_gfp.h"

int tw_netns_table_init(struct tw_netns_table *t, unsigned int capacity,
			unsigned int dest_capacity)
{
	/* no netns is ever reserved or explicit in the destination table's eyes */
	static const struct tw_ephemeral no_eph;
	int err;

	memset(t, 0, sizeof(*t));
	t->capacity = clamp(capacity, 1U, (unsigned int)U16_MAX - 1);
	t->ns = kvcalloc(t->capacity, sizeof(*t->ns), TW_GFP_READER);
	/* twice the entries: probe sequences stay short */
	t->index_mask = roundup_pow_of_two(t->capacity * 2) - 1;
	t->index = kvcalloc(t->index_mask + 1, sizeof(*t->index), TW_GFP_READER);
	if (!t->ns || !t->index) {
		err = -ENOMEM;
		goto fail;
	}
	err = tw_dests_init(&t->dests, dest_capacity, NULL, &no_eph);
	if (err)
		goto fail;
	return 0;
fail:
	kvfree(t->index);
	kvfree(t->ns);
	t->ns = NULL;
	t->index = NULL;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_init);

void tw_netns_table_free(struct tw_netns_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		bitmap_free(t->ns[i].explicit);
	tw_dests_free(&t->dests);
	kvfree(t->index);
	kvfree(t->ns);
	t->ns = NULL;
	t->index = NULL;
	t->nr = 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_free);

static unsigned int tw_netns_hash(const struct tw_netns_table *t,
				  const struct net *net)
{
	return hash_ptr(net, ilog2(t->index_mask + 1));
}

/* tw_netns_table_find(), inline in the visitor, which runs it per socket */
static __always_inline struct tw_netns_entry *
tw_netns_table_lookup(const struct tw_netns_table *t, const struct net *net)
{
	unsigned int i = tw_netns_hash(t, net);

	for (;; i = (i + 1) & t->index_mask) {
		u16 slot = t->index[i];

		/* the index is never full: there is always a free slot to stop at */
		if (!slot)
			return NULL;
		if (t->ns[slot - 1].net == net)
			return &t->ns[slot - 1];
	}
}

struct tw_netns_entry *tw_netns_table_find(const struct tw_netns_table *t,
					   const struct net *net)
{
	return tw_netns_table_lookup(t, net);
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_find);

/*
 * Track @net; returns its zeroed entry for the caller to fill, or NULL
 * when the table is full (then overflow is set).  @net must not be in the
 * table already.
 */
struct tw_netns_entry *tw_netns_table_add(struct tw_netns_table *t,
					  struct net *net)
{
	struct tw_netns_entry *e;
	unsigned int i;

	if (t->nr == t->capacity) {
		t->overflow = true;
		return NULL;
	}
	for (i = tw_netns_hash(t, net); t->index[i]; i = (i + 1) & t->index_mask)
		;
	e = &t->ns[t->nr++];
	t->index[i] = t->nr;
	e->net = net;
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_add);

static bool tw_netns_reserved(const struct tw_netns_entry *e, u32 port)
{
	return e->reserved && test_bit(port, e->reserved);
}

static bool tw_netns_explicit(const struct tw_netns_entry *e, u32 port)
{
	return e->explicit && test_bit(port - e->eph.low, e->explicit);
}

/*
 * A tw_bind_visit_fn: what the bind hash says about each namespace's
 * ports.  An explicit bind() in the searched range needs a bitmap the
 * namespace may not have yet: that cannot be allocated under the bucket
 * lock, so it is only noted (see tw_netns_table_want_explicit()).  The
 * walk is TW_BIND_OWNERS_OCCUPIED: each bucket says only whether a socket
 * owns it, all that in_use and a namespace's row being shown need, so
 * counts.bind_owners counts owned buckets, not sockets.
 */
void tw_netns_table_bind_visit(void *table, const struct tw_bind_rec *b)
{
	struct tw_netns_entry *e = tw_netns_table_find(table, b->net);

	if (!e)
		return;
	e->counts.flags |= b->flags & TW_PORT_OWNERS_UNKNOWN;
	if (!(b->flags & TW_PORT_OWNERS_UNKNOWN))
		e->counts.bind_owners += b->owners;
	/* a port is in use while any socket owns its bucket (timewait ones too) */
	if (b->port >= e->eph.low && b->port <= e->eph.high &&
	    (b->owners || (b->flags & TW_PORT_OWNERS_UNKNOWN)))
		e->eph.in_use++;
	if (!(b->flags & TW_PORT_EXPLICIT) || !tw_port_in_span(&e->eph, b->port))
		return;
	if (e->explicit)
		__set_bit(b->port - e->eph.low, e->explicit);
	else
		e->wants_explicit = true;
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_bind_visit);

/*
 * Give every namespace that found an explicit bind() its bitmap, and
 * forget what the bind walk counted so that it can be walked again.
 * Returns how many bitmaps were added (0: the walk stands), or -ENOMEM.
 */
int tw_netns_table_want_explicit(struct tw_netns_table *t)
{
	unsigned int i;
	int added = 0;

	for (i = 0; i < t->nr; i++) {
		struct tw_netns_entry *e = &t->ns[i];

		if (!e->wants_explicit || e->explicit)
			continue;
		e->explicit = bitmap_zalloc(e->eph.span, TW_GFP_READER);
		if (!e->explicit)
			return -ENOMEM;
		added++;
	}
	if (!added)
		return 0;
	for (i = 0; i < t->nr; i++) {
		struct tw_netns_entry *e = &t->ns[i];

		e->wants_explicit = false;
		e->counts.flags = 0;
		e->counts.bind_owners = 0;
		e->eph.in_use = 0;
		if (e->explicit)
			bitmap_zero(e->explicit, e->eph.span);
	}
	return added;
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_want_explicit);

/*
 * The ports connect() may pick in each namespace, as ephemeral_available
 * of /proc/net/tw_stats: the searched span minus reserved minus held by
 * an explicit bind() (a reserved one counted once).
 */
void tw_netns_table_finish_binds(struct tw_netns_table *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		struct tw_ephemeral *eph = &t->ns[i].eph;
		struct tw_netns_entry *e = &t->ns[i];
		u32 end = eph->low + eph->span, bit;

		eph->reserved = 0;
		eph->bound = 0;
		bit = eph->low;
		if (e->reserved)
			for_each_set_bit_from(bit, e->reserved, end)
				eph->reserved++;
		if (e->explicit)
			for_each_set_bit(bit, e->explicit, eph->span)
				if (!tw_netns_reserved(e, eph->low + bit))
					eph->bound++;
		eph->available = eph->span - eph->reserved - eph->bound;
	}
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_finish_binds);

/*
 * A tw_visit_fn for records of many namespaces (walked with reuse_mode
 * 1).  A record whose netns is not in the table is skipped: it belongs to
 * a namespace that did not exist (or was already dying) when the table
 * was filled, and counting part of its sockets would make a half row.
 * Only when namespaces did not fit is it summed, into the others row.
 */
void tw_netns_table_visit(void *table, const struct tw_sock_rec *recs, unsigned int n)
{
	struct tw_netns_table *t = table;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct tw_sock_rec *r = &recs[i];
		struct tw_netns_entry *e = tw_netns_table_lookup(t, r->net);
		bool shareable;

		if (!e) {
			if (t->overflow)
				tw_port_acc_add(&t->untracked, r);
			continue;
		}
		tw_port_acc_add(&e->counts, r);
		if (!tw_dest_holds_port(&e->eph, r))
			continue;
		shareable = !tw_netns_reserved(e, r->lport) &&
			    !tw_netns_explicit(e, r->lport);
		if (!tw_dests_count(&t->dests, r, e - t->ns, shareable,
				    tw_rec_reusable_in(r, e->reuse_mode)) &&
		    shareable)
			e->dest_untracked_shareable++;
	}
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_visit);

/* A tw_rank_add_fn: add namespace row @row into the others row. */
static void tw_netns_row_add(void *others, const void *row)
{
	struct tw_netns_row *sum = others;
	const struct tw_netns_row *r = row;

	tw_state_counts_add(&sum->sockets, &r->sockets);
	sum->ephemeral_in_use += r->ephemeral_in_use;
}

/* Worst first: least headroom, then most timewait sockets, then by inode. */
static int tw_netns_row_cmp(const void *a, const void *b)
{
	const struct tw_netns_row *x = a, *y = b;

	if (x->min_headroom != y->min_headroom)
		return x->min_headroom < y->min_headroom ? -1 : 1;
	if (x->sockets.tw != y->sockets.tw)
		return x->sockets.tw > y->sockets.tw ? -1 : 1;
	if (x->inum != y->inum)
		return x->inum < y->inum ? -1 : 1;
	return 0;
}

/*
 * Each namespace's smallest destination headroom, into @min (one per
 * entry); a namespace without destinations has its whole available range.
 * Sockets toward destinations that did not fit make it a lower bound: such
 * a destination cannot have less than available - those sockets.
 */
static void tw_netns_min_headroom(const struct tw_netns_table *t, u32 *min)
{
	const struct tw_dest_table *d = &t->dests;
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		const struct tw_netns_entry *e = &t->ns[i];
		u32 lost = e->dest_untracked_shareable;

		min[i] = e->eph.available;
		if (lost)
			min[i] = lost < min[i] ? min[i] - lost : 0;
	}
	for (i = 0; i < d->used; i++) {
		const struct tw_dest_slot *s = &d->slots[i];
		u32 owner = s->key.owner;

		if (owner < t->nr)
			min[owner] = min(min[owner],
					 tw_dest_slot_headroom(s, t->ns[owner].eph.available));
	}
}

/**
 * tw_netns_table_reduce - rank the namespaces and keep the worst @top_n
 * @t: the filled table
 * @top_n: rows to keep; the rest, and namespaces that did not fit, are
 *	   summed into @res->others
 * @res: the result; free res->rows with kvfree()
 *
 * Namespaces without any TCP socket (none hashed, no port bound) get no
 * row.
 */
int tw_netns_table_reduce(struct tw_netns_table *t, unsigned int top_n,
			  struct tw_netns_result *res)
{
	struct tw_netns_row *all;
	unsigned int i, n = 0;
	u32 *min;

	memset(res, 0, sizeof(*res));
	res->others.sockets = t->untracked.sockets;
	if (!t->nr)
		return 0;

	min = kvmalloc_array(t->nr, sizeof(*min), TW_GFP_READER);
	all = kvmalloc_array(t->nr, sizeof(*all), TW_GFP_READER);
	if (!min || !all) {
		kvfree(min);
		kvfree(all);
		return -ENOMEM;
	}
	tw_netns_min_headroom(t, min);
	for (i = 0; i < t->nr; i++) {
		const struct tw_netns_entry *e = &t->ns[i];
		struct tw_netns_row *r;

		if (!tw_port_acc_used(&e->counts))
			continue;
		r = &all[n++];
		r->inum = e->inum;
		r->sockets = e->counts.sockets;
		r->ephemeral_in_use = e->eph.in_use;
		r->min_headroom = min[i];
		r->private_ehash = e->private_ehash;
	}
	kvfree(min);
	res->nr = tw_rank(all, n, sizeof(*all), tw_netns_row_cmp, top_n,
			  tw_netns_row_add, &res->others);
	/* keep only the rows shown */
	res->rows = tw_rank_keep(all, res->nr, sizeof(*all));
	kvfree(all);
	return res->nr && !res->rows ? -ENOMEM : 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_netns_table_reduce);
