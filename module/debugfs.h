/* SPDX-License-Identifier: GPL-2.0 */
/* tw_stats's debugfs folders: one per netns, for people, root only. */
#ifndef TW_STATS_DEBUGFS_H
#define TW_STATS_DEBUGFS_H

struct net;
struct tw_netns;

void tw_debugfs_init(void);
void tw_debugfs_exit(void);
void tw_debugfs_init_net(struct net *net, struct tw_netns *tn);
void tw_debugfs_exit_net(struct tw_netns *tn);

#endif /* TW_STATS_DEBUGFS_H */
