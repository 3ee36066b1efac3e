// SPDX-License-Identifier: GPL-2.0
/*
 * The (cgroup, uid) table: who holds a netns's full sockets.  Filled from
 * the records of the walk every other aggregate reads (no walk of its
 * own), in a table of bounded size allocated by the reader; pairs that
 * do not fit are summed into 'others'.  A timewait socket keeps no
 * owner, so TIME_WAIT is attributed only where the kernel lets us: on a
 * port where a pair listens (the server-side TIME_WAIT of the
 * connections it accepted), from the per-port counts of the same walk.
 */
#include <linux/bitmap.h>
#include <linux/export.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/tcp_states.h>
#include <kunit/visibility.h>

#include "cgroups.h"
#include "rank.h"
#include "reader_gfp.h"

int tw_cgroups_init(struct tw_cgroup_table *t, unsigned int capacity,
		    const struct tw_ephemeral *eph)
{
	memset(t, 0, sizeof(*t));
	/* owner ids are u16: slot + 1, and one more for 'untracked' */
	t->capacity = roundup_pow_of_two(clamp(capacity, 2U, TW_CGROUP_CAPACITY));
	t->slots = kvcalloc(t->capacity, sizeof(*t->slots), TW_GFP_READER);
	t->port_owner = kvcalloc(TW_NR_PORTS, sizeof(*t->port_owner),
				 TW_GFP_READER);
	t->listened = kvcalloc(BITS_TO_LONGS(TW_NR_PORTS), sizeof(long),
			       TW_GFP_READER);
	t->links = kvcalloc(TW_CGROUP_EXTRA_LINKS, sizeof(*t->links),
			    TW_GFP_READER);
	if (!t->slots || !t->port_owner || !t->listened || !t->links) {
		tw_cgroups_free(t);
		return -ENOMEM;
	}
	t->eph_low = eph->low;
	t->eph_high = eph->high;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_cgroups_init);

void tw_cgroups_free(struct tw_cgroup_table *t)
{
	kvfree(t->slots);
	kvfree(t->port_owner);
	kvfree(t->listened);
	kvfree(t->links);
	t->slots = NULL;
	t->port_owner = NULL;
	t->listened = NULL;
	t->links = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(tw_cgroups_free);

/* Open addressing: the slot of @key, a free one for it, or NULL. */
static struct tw_cgroup_slot *tw_cgroups_find(struct tw_cgroup_table *t,
					      u64 cgroup, u32 uid)
{
	u32 mask = t->capacity - 1;
	u32 i = (u32)hash_64(cgroup ^ ((u64)uid << 32 | uid), 32) & mask;
	unsigned int probes;

	for (probes = 0; probes < t->capacity; probes++, i = (i + 1) & mask) {
		struct tw_cgroup_slot *s = &t->slots[i];

		if (!s->used) {
			/* keep a quarter free so probe sequences stay short */
			if (t->used >= t->capacity - t->capacity / 4)
				return NULL;
			s->used = true;
			s->row.key.cgroup = cgroup;
			s->row.key.uid = uid;
			t->used++;
			return s;
		}
		if (s->row.key.cgroup == cgroup && s->row.key.uid == uid)
			return s;
	}
	return NULL;
}

/* Remember that @owner listens on @port, once per (port, owner). */
static void tw_cgroups_link(struct tw_cgroup_table *t, u16 port, u16 owner)
{
	unsigned int i;

	if (!t->port_owner[port]) {
		t->port_owner[port] = owner;
		__set_bit(port, t->listened);
		return;
	}
	if (t->port_owner[port] == owner)
		return;
	/* several pairs on one port: rare, and the list is short */
	for (i = 0; i < t->nr_links; i++)
		if (t->links[i].port == port && t->links[i].owner == owner)
			return;
	if (t->nr_links < TW_CGROUP_EXTRA_LINKS) {
		t->links[t->nr_links].port = port;
		t->links[t->nr_links].owner = owner;
		t->nr_links++;
	} else {
		t->links_lost++;
	}
}

/* Count one full socket under its (cgroup, uid). */
void tw_cgroups_add(struct tw_cgroup_table *t, const struct tw_sock_rec *r)
{
	struct tw_cgroup_slot *s = tw_cgroups_find(t, r->cgroup, r->uid);
	struct tw_cgroup_counts *c;
	u16 owner;

	if (s) {
		c = &s->row.c;
		owner = s - t->slots + 1;
	} else {
		c = &t->untracked;
		owner = TW_CGROUP_OWNER_UNTRACKED;
		t->untracked_sockets++;
	}
	switch (r->state) {
	case TCP_ESTABLISHED:
		c->established++;
		break;
	case TCP_CLOSE_WAIT:
		c->close_wait++;
		c->close_wait_idle_max_s = max(c->close_wait_idle_max_s,
					       r->idle_s);
		break;
	case TCP_SYN_SENT:
		c->syn_sent++;
		break;
	case TCP_LISTEN:
		c->listen++;
		tw_cgroups_link(t, r->lport, owner);
		break;
	default:
		c->other++;
		break;
	}
	if (r->lport >= t->eph_low && r->lport <= t->eph_high)
		c->ephemeral_in_use++;
}

/* A tw_visit_fn: count every full socket under its (cgroup, uid). */
void tw_cgroups_visit(void *table, const struct tw_sock_rec *recs,
		      unsigned int n)
{
	struct tw_cgroup_table *t = table;
	unsigned int i;

	for (i = 0; i < n; i++)
		tw_cgroups_add_one(t, &recs[i]);
}
EXPORT_SYMBOL_IF_KUNIT(tw_cgroups_visit);

/* Add the TIME_WAIT sockets of @port into the counts of @owner. */
static void tw_cgroups_tw_server(struct tw_cgroup_table *t, u16 owner,
				 const struct tw_ports *ports, u16 port)
{
	u32 tw = tw_ports_get(ports, port)->sockets.tw;

	if (owner == TW_CGROUP_OWNER_UNTRACKED)
		t->untracked.tw_server += tw;
	else
		t->slots[owner - 1].row.c.tw_server += tw;
}

/* Worst first: most close_wait, then most established, then by key. */
static int tw_cgroup_row_cmp(const void *a, const void *b)
{
	const struct tw_cgroup_row *x = a, *y = b;

	if (x->c.close_wait != y->c.close_wait)
		return x->c.close_wait > y->c.close_wait ? -1 : 1;
	if (x->c.established != y->c.established)
		return x->c.established > y->c.established ? -1 : 1;
	if (x->key.cgroup != y->key.cgroup)
		return x->key.cgroup < y->key.cgroup ? -1 : 1;
	if (x->key.uid != y->key.uid)
		return x->key.uid < y->key.uid ? -1 : 1;
	return 0;
}

/* A tw_rank_add_fn: add @row into the others counts: sums, and a max. */
static void tw_cgroup_counts_add(void *others, const void *row)
{
	struct tw_cgroup_counts *sum = others;
	const struct tw_cgroup_counts *c = &((const struct tw_cgroup_row *)row)->c;

	sum->established += c->established;
	sum->close_wait += c->close_wait;
	sum->syn_sent += c->syn_sent;
	sum->other += c->other;
	sum->listen += c->listen;
	sum->tw_server += c->tw_server;
	sum->ephemeral_in_use += c->ephemeral_in_use;
	sum->close_wait_idle_max_s = max(sum->close_wait_idle_max_s,
					 c->close_wait_idle_max_s);
}

/**
 * tw_cgroups_reduce - attribute server-side TIME_WAIT, rank, keep top_n
 * @t: the filled table
 * @ports: the same reading's per-port counts, merged
 * @top_n: rows to keep; the rest are summed into @res->others
 * @res: the result; free res->rows with kvfree()
 */
int tw_cgroups_reduce(struct tw_cgroup_table *t,
		      const struct tw_ports *ports, unsigned int top_n,
		      struct tw_cgroup_result *res)
{
	struct tw_cgroup_row untracked = {}, *all;
	unsigned int i, n = 0;

	memset(res, 0, sizeof(*res));
	for_each_set_bit(i, t->listened, TW_NR_PORTS)
		tw_cgroups_tw_server(t, t->port_owner[i], ports, i);
	for (i = 0; i < t->nr_links; i++)
		tw_cgroups_tw_server(t, t->links[i].owner, ports,
				     t->links[i].port);
	untracked.c = t->untracked;
	tw_cgroup_counts_add(&res->others, &untracked);
	res->untracked_sockets = t->untracked_sockets;
	if (!t->used)
		return 0;

	all = kvmalloc_array(t->used, sizeof(*all), TW_GFP_READER);
	if (!all)
		return -ENOMEM;
	for (i = 0; i < t->capacity; i++)
		if (t->slots[i].used)
			all[n++] = t->slots[i].row;
	res->nr = tw_rank(all, n, sizeof(*all), tw_cgroup_row_cmp, top_n,
			  tw_cgroup_counts_add, &res->others);
	res->pairs = n;
	/* keep only the rows shown; the rest of @all goes */
	res->rows = tw_rank_keep(all, res->nr, sizeof(*all));
	kvfree(all);
	return res->nr && !res->rows ? -ENOMEM : 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_cgroups_reduce);
