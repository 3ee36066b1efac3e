/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where tw_stats reads the kernel's own tables and settings: one place for
 * every access to a kernel internal, the same on every kernel we support
 * (what differs by version is in compat/compat.h).
 */
#ifndef TW_STATS_KERNEL_ACCESS_H
#define TW_STATS_KERNEL_ACCESS_H

#include <linux/cgroup.h>
#include <linux/ipv6.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/inet_hashtables.h>
#include <net/inet_timewait_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

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
 * The netns of a socket met in a hash chain under RCU.  The slabs are
 * SLAB_TYPESAFE_BY_RCU: the object may be freed and reused for another
 * socket while we read it, and sk_alloc() writes the pointer without
 * caring for us.  The race is intended: we get the old or the new netns,
 * both real ones (a pointer is one word), and the walk's chain checks
 * (nulls marker, anchors, tw_sock_in_table()) decide whether what we read
 * belongs to the chain.
 */
static inline struct net *tw_sock_net(const struct sock *sk)
{
	/* intended race with the socket's reuse: see above */
	return data_race(sock_net(sk));
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

/* Timewait sockets of @net, as /proc/net/sockstat counts them. */
static inline unsigned int tw_net_tw_count(struct net *net)
{
	return refcount_read(&net->ipv4.tcp_death_row.tw_refcount) - 1;
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

/*
 * Loopback by the rule tcp_twsk_unique() applies for tcp_tw_reuse=2.  @v6
 * may point into a socket read under RCU (walk.c): 16 bytes have no
 * single-copy-atomic read, and a socket reused while we look gives a
 * mixed address.  That race is intended: it can only misclassify a socket
 * that is going away, which a walk that is not atomic counts +-1 anyway.
 */
static inline bool tw_addr_is_loopback(int family, const struct in6_addr *v6,
				       __be32 v4)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (family == AF_INET6)
		/* intended race with a socket's reuse: see above */
		return data_race(ipv6_addr_loopback(v6) ||
				 ipv6_addr_v4mapped_loopback(v6));
#endif
	return ipv4_is_loopback(v4);
}

/*
 * The id of the cgroup v2 that full socket @sk belongs to (cgroup_id():
 * the inode number of its directory under /sys/fs/cgroup), or 0 where the
 * kernel keeps none (no CONFIG_SOCK_CGROUP_DATA: nothing selects it, not
 * cgroup BPF, net_cls nor net_prio).  The kernel records the cgroup of
 * the task that created the socket, at creation (an accepted socket gets
 * its listener's), the one cgroup BPF and netfilter's cgroup match see.
 *
 * Read under RCU from a socket that may be freed and reused while we
 * look (SLAB_TYPESAFE_BY_RCU): the pointer we get is the old socket's
 * cgroup, the new one's, or NULL while the new one is initialised.  Each
 * socket holds a reference on its cgroup, dropped when it is freed, and
 * a cgroup (with its kernfs node) is freed only after an RCU grace period
 * following its last reference (css_free_rwork_fn()): a socket we reached
 * in a chain was hashed after our read section began or is one whose put
 * comes after it, so the cgroup it names outlives the section.
 */
static inline u64 tw_sk_cgroup_id(const struct sock *sk)
{
#ifdef CONFIG_SOCK_CGROUP_DATA
	/* intended race with the socket's reuse: see above */
	struct cgroup *cgrp = READ_ONCE(sk->sk_cgrp_data.cgroup);

	return cgrp ? cgroup_id(cgrp) : 0;
#else
	return 0;
#endif
}

/*
 * Seconds since full socket @sk last received an acceptable ACK: every
 * segment after the handshake carries one, the peer's FIN, its answers to
 * keepalive probes and to our data included (tcp_ack() stamps
 * rcv_tstamp, tcpi_last_ack_recv, ss -i's lastack).  Not
 * icsk_ack.lrcvtime, which only data moves (ss's lastrcv): a FIN carries
 * none, so in CLOSE_WAIT it would date from the peer's last data, however
 * long before its FIN that came.  Jiffies in u32, as the kernel keeps it:
 * an idle time past 2^32 jiffies (49 days at HZ=1000) wraps, as the
 * kernel's own keepalive arithmetic does.
 */
static inline u32 tw_sk_rcv_idle_s(const struct sock *sk, u32 now)
{
	/* intended race with the socket's reuse and its receive path */
	return (now - READ_ONCE(tcp_sk(sk)->rcv_tstamp)) / HZ;
}

/*
 * The CPU time the current task has run, in ns: what a reading cost its
 * reader (tw_reading_max_age_ms()).  The scheduler's own count (as
 * /proc/PID/schedstat shows it), brought up to date at every tick and
 * switch: behind by less than a tick, which a difference over a reading
 * mostly cancels.  task_sched_runtime(), which is exact, is not exported.
 */
static inline u64 tw_current_cpu_ns(void)
{
	return READ_ONCE(current->se.sum_exec_runtime);
}

#endif /* TW_STATS_KERNEL_ACCESS_H */
