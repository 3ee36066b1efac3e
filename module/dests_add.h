/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counting one socket into a destinations table (dests.h): the hash, the
 * probe and the counts, inline, since the walk's visitors run them for
 * every socket that holds an ephemeral port, and under TCG a call and its
 * return cost more than the work.  Included only where a visitor counts.
 */
#ifndef TW_STATS_DESTS_ADD_H
#define TW_STATS_DESTS_ADD_H

#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include "dests.h"

/* The key of @r's destination, its unused bytes zero (rows are compared whole). */
static __always_inline void tw_dest_key_of(struct tw_dest_key *key,
					   const struct tw_sock_rec *r,
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
 * The index of @r's destination: vector multiply-add-shift (Dietzfelbinger;
 * Thorup, "High speed hashing for integers and strings", 2015).  Each
 * 32-bit word of the key is multiplied by its own random 64-bit number,
 * the products and a random addend summed modulo 2^64, and the high half
 * kept.  With the parameters random per table, that family is strongly
 * universal: two distinct keys land on a given pair of indexes with
 * probability 1/capacity^2 whatever keys a user picks, a bound jhash with
 * a random seed does not give; and it costs a multiply-add per word, not
 * jhash's rounds of mixing (this runs per socket that holds an ephemeral
 * port).  An IPv4 key is the words that can differ (the rest of it is
 * zero): family and port, owner, the two addresses.  Straight from the
 * record: building a key first would copy 40 bytes per socket for the one
 * in a hundred that opens a slot.
 */
static __always_inline u32 tw_dest_rec_hash(const struct tw_sock_rec *r,
					    u32 owner,
					    const struct tw_dest_hash *k)
{
	u32 meta = (u32)r->family << 16 | (__force u16)r->rport;
	u64 sum = k->add + k->mul[0] * meta + k->mul[1] * owner;

	BUILD_BUG_ON(offsetof(struct tw_sock_rec, raddr) !=
		     offsetof(struct tw_sock_rec, laddr) + sizeof(union tw_addr));
	if (r->family == AF_INET6) {
		const u32 *word = (const u32 *)&r->laddr;
		unsigned int i;

		for (i = 2; i < TW_DEST_HASH_WORDS; i++)
			sum += k->mul[i] * *word++;
	} else {
		sum += k->mul[2] * (__force u32)r->laddr.v4 +
		       k->mul[3] * (__force u32)r->raddr.v4;
	}
	return sum >> 32;
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
	u32 i = tw_dest_rec_hash(r, owner, &t->hash) & mask;
	unsigned int probes;
	struct tw_dest_slot *s;

	for (probes = 0; probes < t->capacity; probes++, i = (i + 1) & mask) {
		u16 at = t->index[i];

		if (!at) {
			/* keep a quarter free so probe sequences stay short */
			if (t->used >= t->max_used)
				return NULL;
			s = &t->slots[t->used++];
			tw_dest_key_of(&s->key, r, owner);
			s->tw = 0;
			s->other = 0;
			s->shareable = 0;
			s->reusable = 0;
			t->index[i] = t->used;
			return s;
		}
		s = &t->slots[at - 1];
		if (tw_dest_key_is(&s->key, r, owner))
			return s;
	}
	return NULL;
}

/* tw_dests_add(); see the head of this file */
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

/*
 * Count @r if it holds a port connect() searches toward its destination,
 * for a table of one namespace (owner 0).
 */
static __always_inline void tw_dests_add_one(struct tw_dest_table *t,
					     const struct tw_sock_rec *r)
{
	if (!tw_dest_holds_port(&t->eph, r))
		return;
	tw_dests_count(t, r, 0,
		       tw_port_shareable(tw_port_hot_flags(t->port_hot, r->lport)),
		       r->flags & TW_REC_REUSABLE);
}

#endif /* TW_STATS_DESTS_ADD_H */
