/* SPDX-License-Identifier: GPL-2.0 */
/* tw_stats's debugfs folders: one per netns, for people, root only. */
#ifndef TW_STATS_DEBUGFS_H
#define TW_STATS_DEBUGFS_H

struct dentry;
struct net;
struct tw_tunable;

#define TW_NR_TUNABLES 2

/* A per-netns tunable's debugfs file: its inode's private data. */
struct tw_tunable_file {
	struct net *net;
	const struct tw_tunable *tunable;
};

/* What debugfs holds per netns (in the files layer's per-netns state). */
struct tw_debugfs_net {
	struct dentry *dir;		/* our folder, or NULL/ERR_PTR */
	struct tw_tunable_file tunable_files[TW_NR_TUNABLES];
};

void tw_debugfs_init(void);
void tw_debugfs_exit(void);
void tw_debugfs_init_net(struct net *net, struct tw_debugfs_net *dn);
void tw_debugfs_exit_net(struct tw_debugfs_net *dn);

#endif /* TW_STATS_DEBUGFS_H */
