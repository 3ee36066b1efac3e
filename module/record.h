/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-socket record the hash walker copies out of the kernel's tables;
 * everything that aggregates sockets sees only this, never a live socket.
 */
#ifndef TW_STATS_RECORD_H
#define TW_STATS_RECORD_H

#include <linux/types.h>
#include <linux/in6.h>

struct net;

/* Which of the three objects that share the hash chains this was. */
enum tw_rec_kind {
	TW_REC_FULL,	/* struct sock: any state but TIME_WAIT, NEW_SYN_RECV */
	TW_REC_REQ,	/* struct request_sock: SYN_RECV before accept */
	TW_REC_TW,	/* struct inet_timewait_sock */
};

/* tw_sock_rec.flags */
#define TW_REC_REUSABLE	0x01	/* connect() may take this timewait over now */
#define TW_REC_LOOPBACK	0x02	/* timewait on a loopback address or device */

union tw_addr {
	__be32 v4;
	struct in6_addr v6;
};

struct tw_sock_rec {
	u8 kind;		/* enum tw_rec_kind */
	u8 state;		/* TCP state; substate for TW_REC_TW */
	u8 family;		/* AF_INET or AF_INET6 */
	u8 flags;		/* TW_REC_* */
	u16 lport;		/* local port, host order */
	__be16 rport;		/* remote port, network order */
	union {
		u32 expires_ms;	/* TW_REC_TW: lifetime left, 0 if past */
		/*
		 * TW_REC_FULL in CLOSE_WAIT: seconds since the socket last
		 * received an acceptable ACK (tcp_sock.rcv_tstamp); 0 otherwise
		 */
		u32 idle_s;
	};
	/*
	 * TW_REC_FULL: the owner's uid (sk_uid) as the kernel keeps it
	 * (__kuid_val(), the initial user namespace's number; printed in
	 * the reader's); 0 for TW_REC_REQ; not written for TW_REC_TW,
	 * which keeps no owner (the walk stores each timewait socket's
	 * fields only once, and only those it has)
	 */
	u32 uid;
	/* AF_INET: .v4 only, the rest of the union not written */
	union tw_addr laddr;
	union tw_addr raddr;
	/*
	 * The socket's netns, as a key only: the walker never reads through
	 * it, since a socket seen under RCU may belong to a netns that is
	 * being freed; whoever compares it must pin the netns it compares
	 * against.
	 */
	const struct net *net;
	/*
	 * TW_REC_FULL: the id of the socket's cgroup v2 (cgroup_id(), the
	 * inode number of its directory), 0 on a kernel without
	 * CONFIG_SOCK_CGROUP_DATA; 0 for TW_REC_REQ; not written for
	 * TW_REC_TW (as uid)
	 */
	u64 cgroup;
};

/*
 * Sockets by state, as the files count them: timewait sockets of substate
 * TIME_WAIT as tw, FIN_WAIT2 of both kinds (full sockets and timewait
 * ones) together as ss shows them, and every state not named, request
 * sockets too, as other.
 */
struct tw_state_counts {
	u32 tw;
	u32 fin_wait2;
	u32 established;
	u32 close_wait;
	u32 other;
	u32 listen;
};

static inline void tw_state_counts_add(struct tw_state_counts *sum,
				       const struct tw_state_counts *c)
{
	sum->tw += c->tw;
	sum->fin_wait2 += c->fin_wait2;
	sum->established += c->established;
	sum->close_wait += c->close_wait;
	sum->other += c->other;
	sum->listen += c->listen;
}

static inline bool tw_state_counts_any(const struct tw_state_counts *c)
{
	return c->tw || c->fin_wait2 || c->established || c->close_wait ||
	       c->other || c->listen;
}

/*
 * Whether @r may be taken over under tcp_tw_reuse mode @reuse_mode, for
 * records of a walk over many namespaces (the walk decided each socket by
 * its own netns's mode): each namespace applies its mode as its reading
 * found it, should it have changed since the walk read it.
 */
static inline bool tw_rec_reusable_in(const struct tw_sock_rec *r,
				      int reuse_mode)
{
	if (!(r->flags & TW_REC_REUSABLE))
		return false;
	return reuse_mode == 1 ||
	       (reuse_mode == 2 && (r->flags & TW_REC_LOOPBACK));
}

#endif /* TW_STATS_RECORD_H */
