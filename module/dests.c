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
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <kunit/visibility.h>

#include "dests.h"
#include "kernel_access.h"
#include "rank.h"
#include "reader_gfp.h"

int tw_dests_init(struct tw_dest_table *t, unsigned int capacity,
		  const u32 *port_hot, const struct tw_ephemeral *eph)
{
	memset(t, 0, sizeof(*t));
	t->capacity = roundup_pow_of_two(max(capacity, 2U));
	t->slots = kvcalloc(t->capacity, sizeof(*t->slots), TW_GFP_READER);
	if (!t->slots)
		return -ENOMEM;
	t->port_hot = port_hot;
	t->eph = *eph;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_dests_init);

void tw_dests_free(struct tw_dest_table *t)
{
	kvfree(t->slots);
	t->slots = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(tw_dests_free);

static void tw_dest_key_of(struct tw_dest_key *key, const struct tw_sock_rec *r,
			   u32 owner)
{
	memset(key, 0, sizeof(*key));
	key->owner = owner;
	key->family = r->family;
	key->rport = r->rport;
	if (r->family == AF_INET6) {
		key->laddr.v6 = r->laddr.v6;
		key->raddr.v6 = r->raddr.v6;
	} else {
		key->laddr.v4 = r->laddr.v4;
		key->raddr.v4 = r->raddr.v4;
	}
}

/*
 * The walk hashes every socket that holds an ephemeral port, so hash only
 * the words that can differ: four for an IPv4 key (the rest of it is
 * zero), the two addresses and the same two words for IPv6, rather than
 * jhash() over all 40 bytes.  Straight from the record: building a key
 * first would copy 40 bytes per socket for the one in a hundred that
 * opens a slot.
 */
static __always_inline u32 tw_dest_rec_hash(const struct tw_sock_rec *r, u32 owner)
{
	u32 meta = (u32)r->family << 16 | (__force u16)r->rport;

	BUILD_BUG_ON(offsetof(struct tw_sock_rec, raddr) !=
		     offsetof(struct tw_sock_rec, laddr) + sizeof(union tw_addr));
	if (r->family == AF_INET6)
		return jhash2((const u32 *)&r->laddr,
			      2 * sizeof(union tw_addr) / sizeof(u32),
			      meta ^ owner);
	return jhash_3words((__force u32)r->laddr.v4,
			    (__force u32)r->raddr.v4, meta, owner);
}

/*
 * Whether @key is @r's destination: word compares instead of a 40-byte
 * memcmp() (this runs per socket), and for IPv4 only the words an IPv4
 * key holds.
 */
static __always_inline bool tw_dest_key_is(const struct tw_dest_key *key,
					   const struct tw_sock_rec *r,
					   u32 owner)
{
	if (key->rport != r->rport || key->family != r->family ||
	    key->owner != owner)
		return false;
	if (r->family == AF_INET6)
		return ipv6_addr_equal(&key->laddr.v6, &r->laddr.v6) &&
		       ipv6_addr_equal(&key->raddr.v6, &r->raddr.v6);
	return key->laddr.v4 == r->laddr.v4 && key->raddr.v4 == r->raddr.v4;
}

/* Open addressing: the slot of @r's destination, a new one for it, or NULL. */
static __always_inline struct tw_dest_slot *tw_dests_find(struct tw_dest_table *t,
							  const struct tw_sock_rec *r,
							  u32 owner)
{
	u32 mask = t->capacity - 1;
	u32 i = tw_dest_rec_hash(r, owner) & mask;
	unsigned int probes;

	for (probes = 0; probes < t->capacity; probes++, i = (i + 1) & mask) {
		struct tw_dest_slot *s = &t->slots[i];

		if (!s->used) {
			/* keep a quarter free so probe sequences stay short */
			if (t->used >= t->capacity - t->capacity / 4)
				return NULL;
			s->used = true;
			tw_dest_key_of(&s->key, r, owner);
			t->used++;
			return s;
		}
		if (tw_dest_key_is(&s->key, r, owner))
			return s;
	}
	return NULL;
}

/* tw_dests_add(), inlined into the walk's visitor */
static __always_inline bool tw_dests_count(struct tw_dest_table *t,
					   const struct tw_sock_rec *r,
					   u32 owner, bool shareable,
					   bool reusable)
{
	bool tw = r->kind == TW_REC_TW;
	struct tw_dest_slot *s = tw_dests_find(t, r, owner);

	if (!s) {
		t->untracked_sockets++;
		if (tw)
			t->untracked.tw++;
		else
			t->untracked.other++;
		t->untracked.in_use++;
		if (tw && shareable && reusable)
			t->untracked.reusable++;
		return false;
	}
	if (tw)
		s->tw++;
	else
		s->other++;
	if (shareable) {
		s->shareable++;
		if (tw && reusable)
			s->reusable++;
	}
	return true;
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

	for (i = 0; i < n; i++) {
		const struct tw_sock_rec *r = &recs[i];

		if (!tw_dest_holds_port(&t->eph, r))
			continue;
		/* inlined: a call per socket costs more than its work */
		tw_dests_count(t, r, 0,
			       tw_port_shareable(tw_port_hot_flags(t->port_hot, r->lport)),
			       r->flags & TW_REC_REUSABLE);
	}
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
	for (i = 0; i < t->capacity; i++) {
		const struct tw_dest_slot *s = &t->slots[i];
		struct tw_dest_row *r;

		if (!s->used)
			continue;
		r = &all[n++];
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
