/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who holds a netns's full sockets: a bounded table of (cgroup v2, uid)
 * pairs filled from socket records, with the server-side TIME_WAIT on
 * the ports each pair listens on, reduced to the worst top_n rows and an
 * "others" sum.
 */
#ifndef TW_STATS_CGROUPS_H
#define TW_STATS_CGROUPS_H

#include <linux/bitops.h>
#include <linux/types.h>
#include "ports.h"
#include "record.h"

/* (cgroup, uid) pairs tracked by one reading: kept three quarters full. */
#define TW_CGROUP_CAPACITY	4096
/*
 * Listening links (port, pair) beyond the first pair that listens on a
 * port (SO_REUSEPORT groups or addresses shared by several pairs); more
 * are not attributed (tw_cgroup_table.links_lost).
 */
#define TW_CGROUP_EXTRA_LINKS	1024

struct tw_cgroup_key {
	u64 cgroup;		/* cgroup_id(); 0: the kernel keeps none */
	u32 uid;		/* __kuid_val(sk_uid) */
};

/* The counts of one row; the others row has the same. */
struct tw_cgroup_counts {
	u32 established;
	u32 close_wait;
	u32 syn_sent;
	u32 other;		/* every other state of a full socket */
	u32 listen;
	u32 tw_server;		/* TIME_WAIT on the ports it listens on */
	u32 ephemeral_in_use;	/* its full sockets on ip_local_port_range */
	u32 close_wait_idle_max_s;	/* meaningful when close_wait > 0 */
};

/* One line of /proc/net/tw_cgroups. */
struct tw_cgroup_row {
	struct tw_cgroup_key key;
	struct tw_cgroup_counts c;
};

struct tw_cgroup_slot {
	struct tw_cgroup_row row;
	bool used;
};

/* A pair listening on a port: the port and the slot's owner id. */
struct tw_cgroup_link {
	u16 port;
	u16 owner;
};

struct tw_cgroup_table {
	struct tw_cgroup_slot *slots;
	unsigned int capacity;	/* a power of two, at most TW_CGROUP_CAPACITY */
	unsigned int used;
	/*
	 * Per port, the first pair seen listening on it: its slot + 1,
	 * TW_CGROUP_OWNER_UNTRACKED for a pair that did not fit, 0: none.
	 */
	u16 *port_owner;
	/*
	 * The ports whose port_owner is set: the reduction visits those,
	 * not all 65,536 entries (a listener is rare among the sockets).
	 */
	unsigned long *listened;
	struct tw_cgroup_link *links;	/* further pairs on a port */
	unsigned int nr_links;
	u64 links_lost;		/* listening links past TW_CGROUP_EXTRA_LINKS */
	u32 eph_low, eph_high;	/* ip_local_port_range */
	struct tw_cgroup_counts untracked;	/* pairs that did not fit */
	u64 untracked_sockets;
};

#define TW_CGROUP_OWNER_UNTRACKED	(TW_CGROUP_CAPACITY + 1)

int tw_cgroups_init(struct tw_cgroup_table *t, unsigned int capacity,
		    const struct tw_ephemeral *eph);
void tw_cgroups_free(struct tw_cgroup_table *t);
void tw_cgroups_add(struct tw_cgroup_table *t, const struct tw_sock_rec *r);

/*
 * Count @r if it is a full socket: only those have an owner.  Inline, so
 * the snapshot's one pass makes the call only for full sockets.
 */
static inline void tw_cgroups_add_one(struct tw_cgroup_table *t,
				      const struct tw_sock_rec *r)
{
	if (r->kind == TW_REC_FULL)
		tw_cgroups_add(t, r);
}

void tw_cgroups_visit(void *table, const struct tw_sock_rec *recs,
		      unsigned int n);

/* The reduced result: the worst top_n rows and the others row. */
struct tw_cgroup_result {
	struct tw_cgroup_row *rows;	/* kvmalloc'ed, nr entries */
	unsigned int nr;
	struct tw_cgroup_counts others;
	u32 pairs;			/* distinct pairs tracked */
	u64 untracked_sockets;		/* of pairs past the table's capacity */
};

int tw_cgroups_reduce(struct tw_cgroup_table *t,
		      const struct tw_ports *ports, unsigned int top_n,
		      struct tw_cgroup_result *res);

/* Bytes a table of @capacity slots takes while a reading runs. */
static inline u64 tw_cgroups_scratch_bytes(unsigned int capacity)
{
	return (u64)capacity * sizeof(struct tw_cgroup_slot) +
	       TW_NR_PORTS * sizeof(u16) +
	       BITS_TO_LONGS(TW_NR_PORTS) * sizeof(long) +
	       TW_CGROUP_EXTRA_LINKS * sizeof(struct tw_cgroup_link);
}

#endif /* TW_STATS_CGROUPS_H */
