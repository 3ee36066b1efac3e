/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference tw_stats depends on lives in this file;
 * the rest of the module reads as if written for one kernel.
 */
#ifndef TW_STATS_COMPAT_H
#define TW_STATS_COMPAT_H

#include <linux/version.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/net_namespace.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "tw_stats needs Linux 6.1 or newer (README: Supported kernels)"
#endif

/*
 * The established hash a netns's sockets live in.  Since 6.1 a child netns
 * may own a private table (net.ipv4.tcp_child_ehash_entries), so the global
 * tcp_hashinfo is wrong there (and is no longer exported from 6.12.117).
 */
static inline struct inet_hashinfo *tw_net_hashinfo(const struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

static inline int tw_net_max_tw_buckets(const struct net *net)
{
	return READ_ONCE(net->ipv4.tcp_death_row.sysctl_max_tw_buckets);
}

/* The listening hash: a nulls list per bucket, nulls value base + slot. */
static inline unsigned int tw_lhash2_size(const struct inet_hashinfo *h)
{
	return h->lhash2_mask + 1;
}

static inline struct hlist_nulls_head *
tw_lhash2_chain(const struct inet_hashinfo *h, unsigned int slot)
{
	return &h->lhash2[slot].nulls_head;
}

static inline unsigned long tw_lhash2_nulls(unsigned int slot)
{
	return slot + LISTENING_NULLS_BASE;
}

/*
 * When a timewait socket dies, in jiffies.  The timer is armed right after
 * the socket is hashed, so a brand-new one may still read 0: callers clamp.
 */
static inline unsigned long tw_twsk_expires(const struct inet_timewait_sock *tw)
{
	return READ_ONCE(tw->tw_timer.expires);
}

/*
 * Bytes one object of a timewait slab occupies: its slot, what
 * /proc/slabinfo calls objsize.  struct kmem_cache is private to mm/ (even
 * on 6.1, slub_def.h needs mm/slab.h), so derive the slot the way SLUB
 * lays out a SLAB_TYPESAFE_BY_RCU cache: the free pointer may not overlay
 * an object that readers can still see, so it is stored after it, and the
 * slot is aligned to a word (the cache asks for no more alignment).  This
 * holds for 6.1 through 7.2 without slub_debug; the tests check it
 * against /proc/slabinfo.  Per-slab rounding (objperslab, pagesperslab)
 * is left out: it is a few bytes per object.
 */
static inline unsigned int tw_slab_slot_bytes(struct kmem_cache *cache)
{
	return ALIGN(kmem_cache_size(cache) + sizeof(void *), sizeof(void *));
}

/*
 * kernel_bind() and kernel_connect() take a struct sockaddr_unsized in
 * newer kernels (7.2 does, 6.12 does not); Kbuild feature-tests for it.
 * Only the KUnit suites open sockets of their own.
 */
#ifdef TW_HAVE_SOCKADDR_UNSIZED
#define TW_KERNEL_SOCKADDR	struct sockaddr_unsized
#else
#define TW_KERNEL_SOCKADDR	struct sockaddr
#endif

static inline int tw_kernel_bind(struct socket *sock,
				 struct sockaddr_storage *addr, int len)
{
	return kernel_bind(sock, (TW_KERNEL_SOCKADDR *)addr, len);
}

static inline int tw_kernel_connect(struct socket *sock,
				    struct sockaddr_storage *addr, int len,
				    int flags)
{
	return kernel_connect(sock, (TW_KERNEL_SOCKADDR *)addr, len, flags);
}

#endif /* TW_STATS_COMPAT_H */
