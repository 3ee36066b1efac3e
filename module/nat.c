// SPDX-License-Identifier: GPL-2.0
/*
 * The NAT view's table: flows counted per (translated source, destination),
 * ranked least headroom first and cut to top_n rows plus 'others'; and the
 * port range the operator declared for the namespace's NAT rules.
 *
 * conntrack keeps a flow's tuples, not the rule that translated it, so
 * the range its port was picked from is not in the table: nf_nat_core.c
 * uses the rule's range if it gave one, else 1024-65535 for an original
 * source port >= 1024 (600-1023 or 1-511 below).  Whether a rule gave a
 * range cannot be told from its flows, so the module does not guess: the
 * range is unknown ("-") until someone with CAP_NET_ADMIN over the
 * namespace declares it by writing "ports MIN-MAX" (or "ports default",
 * the kernel's 1024-65535) to /proc/net/tw_nat.
 *
 *   headroom = range size - flows toward the destination translated to
 *              the source and holding a port of the range
 */
#include <linux/export.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <kunit/visibility.h>

#include "kernel_access.h"
#include "nat.h"
#include "netns.h"
#include "rank.h"
#include "reader_gfp.h"
#include "reading_cache.h"

/* tw_netns.nat_ports: min << 16 | max, 0 = unknown */
void tw_nat_set_range(struct net *net, const struct tw_nat_range *r)
{
	u32 v = tw_nat_range_known(r) ? (u32)r->min << 16 | r->max : 0;

	WRITE_ONCE(tw_netns(net)->nat_ports, v);
}

void tw_nat_get_range(struct net *net, struct tw_nat_range *r)
{
	u32 v = READ_ONCE(tw_netns(net)->nat_ports);

	r->min = v >> 16;
	r->max = v & 0xffff;
}

/**
 * tw_nat_parse_ports - what a write to /proc/net/tw_nat declares
 * @buf: "ports MIN-MAX", "ports default" or "ports unknown", one
 *	 trailing newline allowed
 * @len: bytes in @buf (not NUL-terminated)
 * @out: the range; min 0 for "unknown"
 *
 * Returns 0, or -EINVAL for anything else (MIN 0, MIN > MAX, MAX > 65535).
 */
int tw_nat_parse_ports(const char *buf, size_t len, struct tw_nat_range *out)
{
	char s[24], *dash;
	unsigned int min, max;

	if (len && buf[len - 1] == '\n')
		len--;
	/* one line, no NUL inside: kstrtouint() would take a "\n" itself */
	if (len < 6 || len >= sizeof(s) || memcmp(buf, "ports ", 6) ||
	    memchr(buf, '\n', len) || memchr(buf, '\0', len))
		return -EINVAL;
	memcpy(s, buf + 6, len - 6);
	s[len - 6] = '\0';
	if (!strcmp(s, "unknown")) {
		out->min = 0;
		out->max = 0;
		return 0;
	}
	if (!strcmp(s, "default")) {
		out->min = TW_NAT_DEFAULT_MIN;
		out->max = TW_NAT_DEFAULT_MAX;
		return 0;
	}
	dash = strchr(s, '-');
	if (!dash)
		return -EINVAL;
	*dash = '\0';
	if (kstrtouint(s, 10, &min) || kstrtouint(dash + 1, 10, &max) ||
	    !min || min > max || max > 65535)
		return -EINVAL;
	out->min = min;
	out->max = max;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_parse_ports);

int tw_nat_table_init(struct tw_nat_table *t, unsigned int capacity,
		      const struct tw_nat_range *range)
{
	memset(t, 0, sizeof(*t));
	t->capacity = roundup_pow_of_two(max(capacity, 2U));
	t->slots = kvcalloc(t->capacity, sizeof(*t->slots), TW_GFP_READER);
	if (!t->slots)
		return -ENOMEM;
	t->seed = get_random_u32();
	t->range = *range;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_table_init);

void tw_nat_table_free(struct tw_nat_table *t)
{
	kvfree(t->slots);
	t->slots = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_table_free);

/* @key's home slot hash in a table of @seed (struct tw_nat_table) */
u32 tw_nat_key_hash(const struct tw_nat_key *key, u32 seed)
{
	u32 meta = (u32)key->family << 16 | (__force u16)key->dport;

	if (key->family == AF_INET6)
		return jhash2((const u32 *)&key->source,
			      2 * sizeof(union tw_addr) / sizeof(u32),
			      meta ^ seed);
	return jhash_3words((__force u32)key->source.v4,
			    (__force u32)key->dest.v4, meta, seed);
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_key_hash);

bool tw_nat_key_eq(const struct tw_nat_key *a, const struct tw_nat_key *b)
{
	return a->dport == b->dport && a->family == b->family &&
	       ipv6_addr_equal(&a->source.v6, &b->source.v6) &&
	       ipv6_addr_equal(&a->dest.v6, &b->dest.v6);
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_key_eq);

static void tw_nat_count(struct tw_nat_counts *c, enum tw_nat_state state,
			 bool in_range)
{
	c->flows++;
	c->state[state]++;
	if (in_range)
		c->in_range++;
}

/**
 * tw_nat_table_add - count one flow
 * @t: the table
 * @key: its pair (the key's unused address bytes zero)
 * @state: its conntrack state, folded
 * @port: the source port it was translated to, host order
 *
 * Returns false when the table was full and the flow went to the
 * untracked sums.
 */
bool tw_nat_table_add(struct tw_nat_table *t, const struct tw_nat_key *key,
		      enum tw_nat_state state, u16 port)
{
	bool in_range = tw_nat_range_known(&t->range) &&
			port >= t->range.min && port <= t->range.max;
	u32 mask = t->capacity - 1;
	u32 i = tw_nat_key_hash(key, t->seed) & mask;
	unsigned int probes;

	for (probes = 0; probes < t->capacity; probes++, i = (i + 1) & mask) {
		struct tw_nat_slot *s = &t->slots[i];

		if (!s->used) {
			/* keep a quarter free so probe sequences stay short */
			if (t->used >= t->capacity - t->capacity / 4)
				break;
			s->used = true;
			s->key = *key;
			t->used++;
		} else if (!tw_nat_key_eq(&s->key, key)) {
			continue;
		}
		tw_nat_count(&s->n, state, in_range);
		return true;
	}
	tw_nat_count(&t->untracked, state, in_range);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_table_add);

/* Worst first: least headroom, then most flows, then by key. */
static int tw_nat_row_cmp(const void *a, const void *b)
{
	const struct tw_nat_row *x = a, *y = b;

	if (x->headroom != y->headroom)
		return x->headroom < y->headroom ? -1 : 1;
	if (x->n.flows != y->n.flows)
		return x->n.flows > y->n.flows ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static void tw_nat_counts_add(struct tw_nat_counts *sum,
			      const struct tw_nat_counts *c)
{
	unsigned int i;

	sum->flows += c->flows;
	for (i = 0; i < TW_NAT_STATES; i++)
		sum->state[i] += c->state[i];
	sum->in_range += c->in_range;
}

/* A tw_rank_add_fn: add row @row into the others counts. */
static void tw_nat_row_add(void *others, const void *row)
{
	tw_nat_counts_add(others, &((const struct tw_nat_row *)row)->n);
}

/**
 * tw_nat_reduce - rank the table and keep the worst @top_n rows
 * @t: the filled table
 * @top_n: rows to keep; the rest are summed into @res->others
 * @res: the result (its counters left as they are); free with
 *	 tw_nat_reading_free()
 *
 * Without a known range every headroom is the same (unknown), and the
 * rows rank by flows.
 */
int tw_nat_reduce(struct tw_nat_table *t, unsigned int top_n,
		  struct tw_nat_reading *res)
{
	u32 size = tw_nat_range_size(&t->range);
	struct tw_nat_row *all;
	unsigned int i, n = 0;

	res->range = t->range;
	res->rows = NULL;
	res->nr = 0;
	memset(&res->others, 0, sizeof(res->others));
	tw_nat_counts_add(&res->others, &t->untracked);
	res->untracked_flows = t->untracked.flows;
	res->flows = t->untracked.flows;
	res->time_wait = t->untracked.state[TW_NAT_TIME_WAIT];
	res->pairs = t->used;
	res->min_headroom = size;
	if (!t->used)
		return 0;

	all = kvmalloc_array(t->used, sizeof(*all), TW_GFP_READER);
	if (!all)
		return -ENOMEM;
	for (i = 0; i < t->capacity; i++) {
		const struct tw_nat_slot *s = &t->slots[i];
		struct tw_nat_row *r;

		if (!s->used)
			continue;
		r = &all[n++];
		r->key = s->key;
		r->n = s->n;
		r->headroom = size > s->n.in_range ? size - s->n.in_range : 0;
		res->flows += s->n.flows;
		res->time_wait += s->n.state[TW_NAT_TIME_WAIT];
	}
	res->nr = tw_rank(all, n, sizeof(*all), tw_nat_row_cmp, top_n,
			  tw_nat_row_add, &res->others);
	res->min_headroom = all[0].headroom;
	res->rows = tw_rank_keep(all, res->nr, sizeof(*all));
	kvfree(all);
	if (res->nr && !res->rows) {
		res->nr = 0;
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_reduce);

void tw_nat_reading_free(struct tw_nat_reading *res)
{
	kvfree(res->rows);
	res->rows = NULL;
	res->nr = 0;
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_reading_free);

/**
 * tw_nat_read_sums - the NAT view's sums, for /proc/net/tw_stats
 * @net: the namespace
 * @res: the sums (no rows; nothing to free)
 *
 * The walk's results are served again for the namespace's cache_ms, as
 * the snapshot is: /proc/net/tw_stats is world-readable, and a walk costs
 * the size of conntrack's whole table, so readers looping on it must
 * share one walk per interval.  A reading is taken again sooner when
 * nf_conntrack came or went, or the declared range changed, since.
 * conntrack's counters are read live, as the tcpext_ lines are.
 */
int tw_nat_read_sums(struct net *net, struct tw_nat_reading *res)
{
	struct tw_netns *tn = tw_netns(net);
	struct tw_nat_reading live = {};
	struct tw_nat_range range;
	bool loaded;
	int err;

	loaded = tw_nat_read_counters(net, &live);
	tw_nat_get_range(net, &range);
	if (mutex_lock_interruptible(&tn->nat_lock))
		return -EINTR;
	if (!tn->nat_have || tn->nat_sums.active != loaded ||
	    tn->nat_sums.range.min != range.min ||
	    tn->nat_sums.range.max != range.max ||
	    !tw_reading_servable(tn->nat_taken_at, tn->nat_cpu_ns,
				 tw_netns_cache_ms(tn))) {
		u64 cpu_start = tw_current_cpu_ns();

		tn->nat_have = false;
		err = tw_nat_read(net, 0, &tn->nat_sums);
		if (err) {
			mutex_unlock(&tn->nat_lock);
			return err;
		}
		tn->nat_have = true;
		tn->nat_taken_at = jiffies;
		tn->nat_cpu_ns = tw_current_cpu_ns() - cpu_start;
	}
	*res = tn->nat_sums;
	mutex_unlock(&tn->nat_lock);
	if (res->active) {
		res->insert_failed = live.insert_failed;
		res->drop = live.drop;
		res->early_drop = live.early_drop;
	}
	return 0;
}
