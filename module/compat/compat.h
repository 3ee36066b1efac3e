/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels tw_stats builds for (6.1 up): version
 * tests and the results of Kbuild's feature greps (TW_HAVE_*), and
 * nothing else, so that the rest of the module reads as if written for
 * one kernel.  Accessors that are the same everywhere are in
 * kernel_access.h.
 */
#ifndef TW_STATS_COMPAT_H
#define TW_STATS_COMPAT_H

#include <linux/version.h>
#include <linux/snmp.h>
#include <net/inet_hashtables.h>
#include <net/sock.h>
#include <net/tcp.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "tw_stats needs Linux 6.1 or newer (docs/kernels.md)"
#endif

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

/*
 * Whether any socket owns bind bucket @tb, without reading the owners (a
 * cache miss each): the first owner link of @tb, or from 6.8 of one of
 * its per-address buckets.  Under the bucket lock, as above.
 */
static inline bool tw_bind_bucket_occupied(const struct inet_bind_bucket *tb)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
	return !hlist_empty(&tb->owners);
#else
	const struct inet_bind2_bucket *tb2;

	hlist_for_each_entry(tb2, &tb->bhash2, bhash_node)
		if (!hlist_empty(&tb2->owners))
			return true;
	return false;
#endif
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
 * The skb:kfree_skb tracepoint's probe signature.  6.1-6.10 pass (skb,
 * location, reason); 6.11 adds the receiving socket rx_sk, later made
 * const.  Kbuild tests the target's trace/events/skb.h
 * (TW_HAVE_KFREE_SKB_RX_SK, ..._CONST_RX_SK).  The probe (drops.c) is
 * declared with TW_KFREE_SKB_PROBE_ARGS and reads the receiving socket,
 * or NULL where the kernel does not say, as TW_KFREE_SKB_RX_SK.
 */
#if defined(TW_HAVE_KFREE_SKB_CONST_RX_SK)
#define TW_KFREE_SKB_PROBE_ARGS						\
	void *data, struct sk_buff *skb, void *location,		\
	enum skb_drop_reason reason, const struct sock *rx_sk
#define TW_KFREE_SKB_RX_SK	(rx_sk)
#elif defined(TW_HAVE_KFREE_SKB_RX_SK)
#define TW_KFREE_SKB_PROBE_ARGS						\
	void *data, struct sk_buff *skb, void *location,		\
	enum skb_drop_reason reason, struct sock *rx_sk
#define TW_KFREE_SKB_RX_SK	(rx_sk)
#else
#define TW_KFREE_SKB_PROBE_ARGS						\
	void *data, struct sk_buff *skb, void *location,		\
	enum skb_drop_reason reason
#define TW_KFREE_SKB_RX_SK	NULL
#endif

/*
 * kernel_bind() and kernel_connect() take a struct sockaddr_unsized in
 * newer kernels (7.2 does, 6.12 does not); Kbuild feature-tests for it.
 * Only the KUnit suites open sockets of their own (tests/kunit/tw_test.h).
 */
/*
 * The age rule of tcp_twsk_unique() for tcp_tw_reuse.  Since 6.14 a
 * timewait socket may be taken once tcp_clock_ms() passes its
 * tw_entry_stamp plus the netns's tcp_tw_reuse_delay (ms, default 1000);
 * before, once its last timestamp (@ts_stamp, seconds) is from an earlier
 * second.  tw_reuse_clock() is read once per walk, in the unit of the rule.
 */
#if defined(TW_HAVE_TW_ENTRY_STAMP) && defined(TW_HAVE_TCP_TW_REUSE_DELAY)
static inline u32 tw_reuse_clock(void)
{
	return tcp_clock_ms();
}

static inline unsigned int tw_net_tw_reuse_delay_ms(const struct net *net)
{
	return READ_ONCE(net->ipv4.sysctl_tcp_tw_reuse_delay);
}

static inline bool tw_twsk_old_enough(const struct inet_timewait_sock *tw,
				      const struct net *net, u32 ts_stamp,
				      u32 clock)
{
	return time_after32(clock, READ_ONCE(tw->tw_entry_stamp) +
				   tw_net_tw_reuse_delay_ms(net));
}
#else
static inline u32 tw_reuse_clock(void)
{
	return (u32)ktime_get_seconds();
}

/* at most a second: the last timestamp must be from an earlier one */
static inline unsigned int tw_net_tw_reuse_delay_ms(const struct net *net)
{
	return MSEC_PER_SEC;
}

static inline bool tw_twsk_old_enough(const struct inet_timewait_sock *tw,
				      const struct net *net, u32 ts_stamp,
				      u32 clock)
{
	return time_after32(clock, ts_stamp);
}
#endif

/*
 * A full socket's owner (sk_uid).  Newer kernels read it through sk_uid()
 * (7.2 has it: sk_uid is now written locklessly, with WRITE_ONCE()); 6.1
 * and 6.12 have only the field.  Kbuild greps include/net/sock.h
 * (TW_HAVE_SK_UID).  Read under RCU from a socket that may be reused.
 */
#ifdef TW_HAVE_SK_UID
static inline kuid_t tw_sk_uid(const struct sock *sk)
{
	return sk_uid(sk);
}
#else
static inline kuid_t tw_sk_uid(const struct sock *sk)
{
	return READ_ONCE(sk->sk_uid);
}
#endif

#ifdef TW_HAVE_SOCKADDR_UNSIZED
#define TW_KERNEL_SOCKADDR	struct sockaddr_unsized
#else
#define TW_KERNEL_SOCKADDR	struct sockaddr
#endif

/*
 * The NAT view (nat_walk.c) reads nf_conntrack's table: only a kernel
 * built with conntrack and NAT (as modules or built in) has it.
 */
#if IS_ENABLED(CONFIG_NF_CONNTRACK) && IS_ENABLED(CONFIG_NF_NAT)
#define TW_NAT_VIEW 1
#else
#define TW_NAT_VIEW 0
#endif

#endif /* TW_STATS_COMPAT_H */
