/* SPDX-License-Identifier: GPL-2.0 */
/* The /proc/net files of tw_stats, created and removed per netns. */
#ifndef TW_STATS_PROC_H
#define TW_STATS_PROC_H

#include <linux/types.h>

struct net;
struct seq_file;
struct tw_snapshot;
struct tw_drop_table;
struct tw_drop_reasons;

/* Longest name a counter line may have, with its NUL. */
#define TW_COUNTER_NAME_MAX 64

int tw_proc_init_net(struct net *net);
void tw_proc_exit_net(struct net *net);

void tw_stats_format(struct seq_file *m, const struct tw_snapshot *snap,
		     unsigned long now);

bool tw_counter_name(char *buf, size_t len, const char *prefix,
		     const char *name);
void tw_counters_format(struct seq_file *m, struct net *net);

int tw_drops_proc_init_net(struct net *net);
void tw_drops_proc_exit_net(struct net *net);
void tw_drops_format(struct seq_file *m, const struct tw_drop_table *t,
		     const struct tw_drop_reasons *reasons, unsigned int shown,
		     u64 others, unsigned long now);

#endif /* TW_STATS_PROC_H */
