/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TIME_WAIT, PAWS and timestamp counters of a netns's TcpExt MIB, the
 * ones /proc/net/netstat and nstat show, read straight from the kernel.
 */
#ifndef TW_STATS_MIB_H
#define TW_STATS_MIB_H

#include <linux/types.h>

struct net;

struct tw_mib_item {
	int field;		/* LINUX_MIB_* index, or TW_MIB_ABSENT */
	const char *name;	/* spelled as in /proc/net/netstat's TcpExt */
};

extern const struct tw_mib_item tw_tcpext_items[];
extern const unsigned int tw_tcpext_nitems;

static inline bool tw_mib_present(const struct tw_mib_item *item)
{
	return item->field >= 0;
}

u64 tw_mib_read(struct net *net, int field);

#endif /* TW_STATS_MIB_H */
