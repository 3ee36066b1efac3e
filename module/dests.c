// SPDX-License-Identifier: GPL-2.0
/*
 * The per-destination ephemeral-port table.  connect() may reuse a local
 * port toward a destination unless the port is reserved, held by an
 * explicit bind(), or already used toward that same destination (the
 * 4-tuple must be unique) - except that tcp_tw_reuse lets it take over a
 * timewait socket of that 4-tuple.  So, per destination:
 *   headroom = available ports - ports in use toward it + reusable.
 */
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "dests.h"
#include "dests_add.h"
#include "kernel_access.h"
#include "rank.h"
#include "reader_gfp.h"

int tw_dests_init(struct tw_dest_table *t, unsigned int capacity,
		  const u32 *port_hot, const struct tw_ephemeral *eph)
{
	memset(t, 0, sizeof(*t));
	/* the index holds slot numbers + 1 in a u16 */
	if (capacity > U16_MAX + 1)
		return -EINVAL;
	t->capacity = roundup_pow_of_two(max(capacity, 2U));
	t->max_used = t->capacity - t->capacity / 4;
	t->index = kvcalloc(t->capacity, sizeof(*t->index), TW_GFP_READER);
	/* not zeroed: a slot is written whole when it opens */
	t->slots = kvmalloc_array(t->max_used, sizeof(*t->slots), TW_GFP_READER);
	if (!t->index || !t->slots) {
		tw_dests_free(t);
		return -ENOMEM;
	}
	get_random_bytes(&t->hash, sizeof(t->hash));
	t->port_hot = port_hot;
	t->eph = *eph;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_dests_init);

void tw_dests_free(struct tw_dest_table *t)
{
	kvfree(t->index);
	kvfree(t->slots);
	t->index = NULL;
	t->slots = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(tw_dests_free);

/* What tw_dests_init() allocated for @t. */
u64 tw_dests_bytes(const struct tw_dest_table *t)
{
	return (u64)t->capacity * sizeof(*t->index) +
	       (u64)t->max_used * sizeof(*t->slots);
}

/**
 * tw_dests_add - count one socket toward its destination
 * @t: the table
 * @r: a socket that holds a searched ephemeral port (tw_dest_holds_port())
 * @owner: whose destination it is, when @t serves several namespaces
 * @shareable: connect() could pick @r's port (not reserved nor bind()-held)
 * @reusable: tcp_tw_reuse may take @r over now
 *
 * Returns false when the table was full and @r went to the untracked sums.
 */
bool tw_dests_add(struct tw_dest_table *t, const struct tw_sock_rec *r,
		  u32 owner, bool shareable, bool reusable)
{
	return tw_dests_count(t, r, owner, shareable, reusable);
}
EXPORT_SYMBOL_IF_KUNIT(tw_dests_add);

/* A tw_visit_fn: count records that hold an ephemeral port toward a peer. */
void tw_dests_visit(void *table, const struct tw_sock_rec *recs, unsigned int n)
{
	struct tw_dest_table *t = table;
	unsigned int i;

	for (i = 0; i < n; i++)
		tw_dests_add_one(t, &recs[i]);
}
EXPORT_SYMBOL_IF_KUNIT(tw_dests_visit);

/* How many more connect()s toward @s's destination succeed now. */
u32 tw_dest_slot_headroom(const struct tw_dest_slot *s, u32 available)
{
	u64 room = (u64)available + s->reusable;

	return room > s->shareable ? room - s->shareable : 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_dest_slot_headroom);

static bool tw_dest_is_loopback(const struct tw_dest_key *key)
{
	return tw_addr_is_loopback(key->family, &key->laddr.v6, key->laddr.v4) ||
	       tw_addr_is_loopback(key->family, &key->raddr.v6, key->raddr.v4);
}

/*
 * New connections per second toward @key that the ports sustain when each
 * one is closed actively: every port is busy for TIME_WAIT (60 s), or only
 * for the reuse delay where tcp_tw_reuse applies (timestamps on, and
 * tcp_tw_reuse 1, or 2 for loopback).
 */
u32 tw_dest_conn_per_s(const struct tw_dest_key *key, const struct tw_dest_env *env)
{
	bool reuse = env->timestamps &&
		     (env->reuse_mode == 1 ||
		      (env->reuse_mode == 2 && tw_dest_is_loopback(key)));
	u32 busy_ms = reuse ? env->reuse_delay_ms : env->timewait_ms;

	if (!busy_ms)
		return env->available;
	return div_u64((u64)env->available * MSEC_PER_SEC, busy_ms);
}
EXPORT_SYMBOL_IF_KUNIT(tw_dest_conn_per_s);

/* Worst first: least headroom, then most ports in use, then by key. */
static int tw_dest_row_cmp(const void *a, const void *b)
{
	const struct tw_dest_row *x = a, *y = b;

	if (x->headroom != y->headroom)
		return x->headroom < y->headroom ? -1 : 1;
	if (x->in_use != y->in_use)
		return x->in_use > y->in_use ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/* A tw_rank_add_fn: add destination row @row into the others row. */
static void tw_dest_row_add(void *others, const void *row)
{
	struct tw_dest_row *sum = others;
	const struct tw_dest_row *r = row;

	sum->tw += r->tw;
	sum->other += r->other;
	sum->in_use += r->in_use;
	sum->reusable += r->reusable;
}

/**
 * tw_dests_reduce - rank the table and keep the worst @top_n rows
 * @t: the filled table
 * @env: what headroom and rates are computed against
 * @top_n: rows to keep; the rest are summed into @res->others
 * @res: the result; free res->rows with kvfree()
 */
int tw_dests_reduce(struct tw_dest_table *t, const struct tw_dest_env *env,
		    unsigned int top_n, struct tw_dest_result *res)
{
	struct tw_dest_row *all;
	unsigned int i, n = 0;

	memset(res, 0, sizeof(*res));
	res->min_headroom = env->available;
	res->untracked_sockets = t->untracked_sockets;
	tw_dest_row_add(&res->others, &t->untracked);
	if (!t->used)
		return 0;

	all = kvmalloc_array(t->used, sizeof(*all), TW_GFP_READER);
	if (!all)
		return -ENOMEM;
	for (i = 0; i < t->used; i++) {
		const struct tw_dest_slot *s = &t->slots[i];
		struct tw_dest_row *r = &all[n++];

		r->key = s->key;
		r->tw = s->tw;
		r->other = s->other;
		r->in_use = s->tw + s->other;
		r->reusable = s->reusable;
		r->headroom = tw_dest_slot_headroom(s, env->available);
		r->conn_per_s = tw_dest_conn_per_s(&s->key, env);
	}
	res->nr = tw_rank(all, n, sizeof(*all), tw_dest_row_cmp, top_n,
			  tw_dest_row_add, &res->others);
	res->destinations = n;
	res->min_headroom = all[0].headroom;
	/* keep only the rows shown; the rest of @all goes */
	res->rows = tw_rank_keep(all, res->nr, sizeof(*all));
	kvfree(all);
	return res->nr && !res->rows ? -ENOMEM : 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_dests_reduce);
