/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lockless walk of a netns's listening and established hash tables;
 * it hands batches of socket records to a visitor and knows nothing about
 * what the visitor computes or how it is shown.
 */
#ifndef TW_STATS_WALK_H
#define TW_STATS_WALK_H

#include <linux/types.h>
#include "record.h"

struct net;

/*
 * Records buffered before they go to the visitor, gathered over many
 * chains (they average about one socket: the table is sized to the
 * memory).  Also the most sockets read from one chain before the walk
 * pauses inside it: a longer chain is read in pieces, each checked on
 * its own and never read again from the chain's head (long_chains).
 */
#define TW_WALK_CHAIN_RECS	256
/*
 * The walk's record buffer: the records of earlier chains (handed over
 * once TW_WALK_CHAIN_RECS of them wait, when the next piece begins) and
 * room for one whole piece, so a piece never has to move records to fit.
 */
#define TW_WALK_BUF_RECS	(2 * TW_WALK_CHAIN_RECS)

/* What one walk cost; reported to readers as walk_* in /proc/net/tw_stats. */
struct tw_walk_cost {
	u64 buckets;		/* buckets examined, both tables */
	u64 sockets;		/* sockets read, of every netns */
	u64 restarts;		/* chains read again because a socket moved */
	u64 long_chains;	/* chains read in pieces (a pause inside) */
	u64 ns;			/* wall time of the walk */
	u64 resumes;		/* pauses inside a chain, resumed at an anchor */
	/*
	 * Chains whose rest was given up: every socket held to resume at
	 * had left the chain, or a piece kept moving; the sockets after it
	 * were not counted.
	 */
	u64 resume_lost;
	/*
	 * Most sockets read inside one RCU read section: bounded by
	 * TW_WALK_BATCH plus one piece, however long a chain is.
	 */
	u64 section_max;
};

/*
 * Called with records (up to TW_WALK_CHAIN_RECS at a time) that belong to
 * the walked netns, under rcu_read_lock(): must not sleep.  Records are
 * handed over only once the chain, or the piece of a long chain, they
 * come from has been read consistently (nulls rule), so a visitor never
 * has to undo anything.
 */
typedef void (*tw_visit_fn)(void *ctx, const struct tw_sock_rec *recs,
			    unsigned int n);

/* Established-hash chains by length (every netns's sockets): hash quality. */
#define TW_CHAIN_LEN_MAX 32	/* the last slot counts chains this long or longer */

struct tw_walk_req {
	/*
	 * Whose sockets to visit, in its tables; NULL: every netns's
	 * sockets in the shared tables (namespaces with a private
	 * established hash are then walked one by one, established_only).
	 */
	struct net *net;
	bool established_only;		/* skip the listening hash */
	tw_visit_fn visit;
	void *ctx;
	struct tw_walk_cost cost;	/* out */
	u32 chain_lengths[TW_CHAIN_LEN_MAX + 1];	/* out */
};

int tw_walk(struct tw_walk_req *req);

/*
 * The floor of a walk (debugfs walk_floor, make bench): the same buckets
 * under the same rules, only counting @net's timewait sockets.
 */
struct tw_walk_floor {
	struct net *net;		/* in */
	u64 timewait;			/* out: timewait socks, both substates */
	u64 time_wait;			/* out: of substate TIME_WAIT (as ss) */
	struct tw_walk_cost cost;	/* out */
	u32 chain_lengths[TW_CHAIN_LEN_MAX + 1];	/* out */
};

int tw_walk_floor(struct tw_walk_floor *floor);

#endif /* TW_STATS_WALK_H */
