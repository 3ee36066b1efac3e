/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-socket record the hash walker copies out of the kernel's tables;
 * everything that aggregates sockets sees only this, never a live socket.
 */
#ifndef TW_STATS_RECORD_H
#define TW_STATS_RECORD_H

#include <linux/types.h>
#include <linux/in6.h>

/* Which of the three objects that share the hash chains this was. */
enum tw_rec_kind {
	TW_REC_FULL,	/* struct sock: any state but TIME_WAIT, NEW_SYN_RECV */
	TW_REC_REQ,	/* struct request_sock: SYN_RECV before accept */
	TW_REC_TW,	/* struct inet_timewait_sock */
};

/* tw_sock_rec.flags */
#define TW_REC_REUSABLE	0x01	/* connect() may take this timewait over now */

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
	u32 expires_ms;		/* TW_REC_TW: lifetime left, 0 if past */
	union tw_addr laddr;
	union tw_addr raddr;
};

#endif /* TW_STATS_RECORD_H */
