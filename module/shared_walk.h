/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One walk of the tables every namespace shares (the bind hash, the
 * listening hash and the shared established hash) for the readings of
 * many namespaces: each namespace that reads keeps a place for its own
 * records, and one walk fills them all, so N namespaces reading within
 * one cache interval cost the host one walk, not N.
 */
#ifndef TW_STATS_SHARED_WALK_H
#define TW_STATS_SHARED_WALK_H

#include <linux/types.h>
#include "ports.h"
#include "record.h"
#include "walk.h"

struct net;

/*
 * A namespace with more sockets than this is read by a walk of its own,
 * streaming into its aggregates as it goes: its records would cost more
 * memory than its whole reading (64 bytes a socket).  Only a few
 * namespaces can be that large, since each such one holds this many
 * sockets of its own.
 */
#define TW_GATHER_MAX_SOCKS	16384
/* Namespaces whose records a walk gathers at once; the rest walk alone. */
#define TW_GATHER_MAX_NETNS	1024
/* A namespace nobody read for this long gives its place (and memory) up. */
#define TW_GATHER_IDLE_MS	10000

/* One namespace's records, as the latest walk that included it found them. */
struct tw_gathered {
	const struct net *net;		/* whose; a key, pinned by its netns's life */
	int reuse_mode;			/* its tcp_tw_reuse when walked */
	unsigned long walked_at;	/* jiffies the walk ended; 0: never */
	/* the CPU time that walk cost its reader (tw_reading_max_age_ms()) */
	u64 walk_cpu_ns;
	bool overflow;			/* more than fits: read it alone */
	unsigned int nr_binds, max_binds;	/* nr counts past max on overflow */
	unsigned int nr_socks, max_socks;
	struct tw_bind_rec *binds;
	struct tw_sock_rec *socks;
	/* the shared tables as that walk found them, all namespaces */
	u64 buckets;
	u32 chain_lengths[TW_CHAIN_LEN_MAX + 1];
};

/* What the walks of the shared tables cost, host-wide (debugfs only). */
struct tw_shared_walk_stats {
	u64 walks;		/* every walk of the shared tables */
	u64 gathering_walks;	/* of those, walks that gathered for namespaces */
	u64 alone_walks;	/* of those, one namespace's own walk */
	u64 netns_walks;	/* of those, readings of all namespaces */
	u64 gathered_readings;	/* namespace readings served by a gathering walk */
	u64 overflows;		/* namespaces that outgrew their place */
	u32 namespaces;		/* namespaces holding a place now */
	unsigned long last_at;	/* jiffies of the latest gathering walk; 0: none */
	struct tw_walk_cost last;	/* its cost, every namespace's sockets */
	u64 last_bind_ns;	/* its bind hash part */
	u64 last_cpu_ns;	/* the CPU time it cost its reader */
};

/* Who walks the shared tables outside a gathering walk. */
enum tw_shared_walk_kind {
	TW_SHARED_WALK_ALONE,	/* one namespace's reading */
	TW_SHARED_WALK_NETNS,	/* the reading of all namespaces */
};

struct tw_gathered *tw_shared_walk_get(struct net *net, unsigned int max_age_ms);
void tw_shared_walk_done(struct net *net, struct tw_gathered *g);
int tw_shared_walk_begin(enum tw_shared_walk_kind kind);
void tw_shared_walk_end(void);
void tw_shared_walk_leave(struct net *net);
int tw_shared_walk_stats(struct tw_shared_walk_stats *st);

#endif /* TW_STATS_SHARED_WALK_H */
