/* SPDX-License-Identifier: GPL-2.0 */
/* The /proc/net files of tw_stats, created and removed per netns. */
#ifndef TW_STATS_PROC_H
#define TW_STATS_PROC_H

struct net;
struct seq_file;
struct tw_snapshot;

int tw_proc_init_net(struct net *net);
void tw_proc_exit_net(struct net *net);

void tw_stats_format(struct seq_file *m, const struct tw_snapshot *snap,
		     unsigned long now);

#endif /* TW_STATS_PROC_H */
