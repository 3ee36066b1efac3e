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
#include <linux/ipv6.h>
#include <linux/timekeeping.h>
#include <net/inet_timewait_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/tcp.h>
#include <net/dropreason.h>
#include <trace/events/skb.h>

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

/*
 * The tables of every netns that has no private ehash: init_net's.  The
 * listening and bind hashes are always these (a private table is only an
 * established hash: inet_pernet_hashinfo_alloc() copies the rest).
 */
static inline struct inet_hashinfo *tw_shared_hashinfo(void)
{
	return tw_net_hashinfo(&init_net);
}

/* Whether @h is a netns's own established hash (tcp_child_ehash_entries). */
static inline bool tw_hashinfo_private(const struct inet_hashinfo *h)
{
	return h->pernet;
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
 * net.ipv4.ip_local_port_range, and the ports connect() searches in it:
 * [low, low + span).  __inet_hash_connect() walks an even number of ports,
 * so with an odd-sized range the highest port is never chosen.
 */
static inline void tw_ephemeral_range(const struct net *net, u32 *low,
				      u32 *high, u32 *span)
{
	int lo, hi;

	inet_get_local_port_range(net, &lo, &hi);
	*low = lo;
	*high = hi;
	*span = hi >= lo ? hi + 1 - lo : 0;
	if (*span > 1)
		*span &= ~1U;
}

/* net.ipv4.ip_local_reserved_ports as a bitmap of 65536 ports, or NULL. */
static inline const unsigned long *tw_net_reserved_ports(const struct net *net)
{
#ifdef CONFIG_SYSCTL
	return net->ipv4.sysctl_local_reserved_ports;
#else
	return NULL;
#endif
}

static inline int tw_net_tw_reuse(const struct net *net)
{
	return READ_ONCE(net->ipv4.sysctl_tcp_tw_reuse);
}

static inline bool tw_net_timestamps(const struct net *net)
{
	return READ_ONCE(net->ipv4.sysctl_tcp_timestamps);
}

/* Seconds a timewait socket must age before tcp_tw_reuse may take it. */
static inline unsigned int tw_net_reuse_delay_ms(const struct net *net)
{
	return MSEC_PER_SEC;
}

static inline bool tw_addr_is_loopback(int family, const struct in6_addr *v6,
				       __be32 v4)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (family == AF_INET6)
		return ipv6_addr_loopback(v6) || ipv6_addr_v4mapped_loopback(v6);
#endif
	return ipv4_is_loopback(v4);
}

/* Whether tcp_tw_reuse=2 (loopback only) applies to this timewait socket. */
static inline bool tw_twsk_loopback(const struct inet_timewait_sock *tw)
{
	const struct in6_addr *d6 = NULL, *s6 = NULL;

#if IS_ENABLED(CONFIG_IPV6)
	d6 = &tw->tw_v6_daddr;
	s6 = &tw->tw_v6_rcv_saddr;
#endif
	return READ_ONCE(tw->tw_bound_dev_if) == LOOPBACK_IFINDEX ||
	       tw_addr_is_loopback(tw->tw_family, d6, tw->tw_daddr) ||
	       tw_addr_is_loopback(tw->tw_family, s6, tw->tw_rcv_saddr);
}

/*
 * Whether connect() may take over this timewait socket right now, by the
 * rule of tcp_twsk_unique(): only substate TIME_WAIT, only with a
 * timestamp seen, tcp_tw_reuse 1 (or 2 and a loopback address or device),
 * and only once the socket's last timestamp is a second old.
 */
static inline bool tw_twsk_reusable(const struct inet_timewait_sock *tw,
				    int reuse, u32 now_sec)
{
	const struct tcp_timewait_sock *tcptw = tcp_twsk((const struct sock *)tw);
	int stamp;

	/*
	 * The walk asks for every socket: decide on the sysctl first, and
	 * read the timestamp (another cache line) only when it matters.
	 */
	if (reuse != 1 && reuse != 2)
		return false;
	if (READ_ONCE(tw->tw_substate) != TCP_TIME_WAIT)
		return false;
	stamp = READ_ONCE(tcptw->tw_ts_recent_stamp);
	if (!stamp || (reuse == 2 && !tw_twsk_loopback(tw)))
		return false;
	return time_after32(now_sec, (u32)stamp);
}

/*
 * How many sockets own bind bucket @tb, counting no further than @max + 1
 * (the caller holds the bucket lock and must not hold it long).  Up to 6.7
 * every owner, timewait sockets included, is on tb->owners; from 6.8 the
 * owners hang off the per-address buckets (tb2) linked from tb.
 */
static inline u32 tw_bind_bucket_owners(const struct inet_bind_bucket *tb,
					u32 max)
{
	const struct sock *sk;
	u32 n = 0;

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
	sk_for_each_bound(sk, &tb->owners)
		if (++n > max)
			break;
#else
	const struct inet_bind2_bucket *tb2;

	hlist_for_each_entry(tb2, &tb->bhash2, bhash_node) {
		sk_for_each_bound(sk, &tb2->owners)
			if (++n > max)
				return n;
	}
#endif
	return n;
}

static inline u32 tw_now_sec(void)
{
	return (u32)ktime_get_seconds();
}

/*
 * TcpExt counters newer than 6.1, by their LINUX_MIB_* index, or
 * TW_MIB_ABSENT where the kernel does not have them (mib.c then prints no
 * line rather than a fake zero).  They are enum constants, which the
 * preprocessor cannot see: Kbuild greps the target's uapi snmp.h and
 * passes TW_HAVE_MIB_<name>.  None is in 6.1 or 6.12, all are in 7.2;
 * before PAWSTimewait, TIME_WAIT PAWS rejects count in PAWSEstab.
 */
#define TW_MIB_ABSENT (-1)

#ifdef TW_HAVE_MIB_TSECRREJECTED
#define TW_MIB_TSECR_REJECTED LINUX_MIB_TSECRREJECTED
#else
#define TW_MIB_TSECR_REJECTED TW_MIB_ABSENT
#endif

#ifdef TW_HAVE_MIB_PAWS_OLD_ACK
#define TW_MIB_PAWS_OLD_ACK LINUX_MIB_PAWS_OLD_ACK
#else
#define TW_MIB_PAWS_OLD_ACK TW_MIB_ABSENT
#endif

#ifdef TW_HAVE_MIB_PAWS_TW_REJECTED
#define TW_MIB_PAWS_TW_REJECTED LINUX_MIB_PAWS_TW_REJECTED
#else
#define TW_MIB_PAWS_TW_REJECTED TW_MIB_ABSENT
#endif

/*
 * The skb:kfree_skb tracepoint.  6.1-6.10 pass (skb, location, reason);
 * 6.11 adds the receiving socket rx_sk, later made const.  Kbuild tests
 * the target's trace/events/skb.h (TW_HAVE_KFREE_SKB_RX_SK, ..._CONST_).
 * The probe hands drops.c what every version has, plus rx_sk or NULL:
 * without rx_sk the netns must be found from the skb itself.
 */
void tw_drops_kfree_skb(struct sk_buff *skb, enum skb_drop_reason reason,
			const struct sock *rx_sk);

#if defined(TW_HAVE_KFREE_SKB_CONST_RX_SK)
static inline void tw_kfree_skb_probe(void *data, struct sk_buff *skb,
				      void *location,
				      enum skb_drop_reason reason,
				      const struct sock *rx_sk)
{
	tw_drops_kfree_skb(skb, reason, rx_sk);
}
#elif defined(TW_HAVE_KFREE_SKB_RX_SK)
static inline void tw_kfree_skb_probe(void *data, struct sk_buff *skb,
				      void *location,
				      enum skb_drop_reason reason,
				      struct sock *rx_sk)
{
	tw_drops_kfree_skb(skb, reason, rx_sk);
}
#else
static inline void tw_kfree_skb_probe(void *data, struct sk_buff *skb,
				      void *location,
				      enum skb_drop_reason reason)
{
	tw_drops_kfree_skb(skb, reason, NULL);
}
#endif

static inline int tw_kfree_skb_register(void)
{
	return register_trace_kfree_skb(tw_kfree_skb_probe, NULL);
}

/* Returns once no CPU can still be running the probe. */
static inline void tw_kfree_skb_unregister(void)
{
	unregister_trace_kfree_skb(tw_kfree_skb_probe, NULL);
	tracepoint_synchronize_unregister();
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
