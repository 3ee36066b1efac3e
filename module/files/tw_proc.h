/* SPDX-License-Identifier: GPL-2.0 */
/* The /proc/net files of tw_stats, created and removed per netns. */
#ifndef TW_STATS_PROC_H
#define TW_STATS_PROC_H

#include <linux/proc_fs.h>
#include <linux/types.h>

struct net;
struct seq_file;
struct tw_snapshot;
struct tw_dest_row;
struct tw_cgroup_row;
struct tw_cgroup_counts;
struct tw_port_row;
struct tw_drop_table;
struct tw_drop_reasons;

/* Longest name a counter line may have, with its NUL. */
#define TW_COUNTER_NAME_MAX 64
struct tw_netns_row;

int tw_proc_init_net(struct net *net);
void tw_proc_exit_net(struct net *net);

void tw_stats_format(struct seq_file *m, const struct tw_snapshot *snap,
		     unsigned long now);
void tw_port_row_format(struct seq_file *m, const struct tw_port_row *r);
void tw_dest_row_format(struct seq_file *m, const struct tw_dest_row *r);
void tw_dest_others_format(struct seq_file *m, const struct tw_dest_row *r);
void tw_cgroup_row_format(struct seq_file *m, const struct tw_cgroup_row *r);
void tw_cgroup_others_format(struct seq_file *m,
			     const struct tw_cgroup_counts *c);
void tw_netns_row_format(struct seq_file *m, const struct tw_netns_row *r);
void tw_netns_others_format(struct seq_file *m, const struct tw_netns_row *r);

/*
 * A table file: a header line, then rows of the reading taken at open:
 * by default the netns's snapshot (struct tw_snapshot), else what take
 * returns (a reference, or an ERR_PTR) and put drops.  Either way the
 * reading is held: counted toward what open files may pin
 * (reading_cache.h).
 */
struct tw_table_file {
	const char *name;
	const char *header;
	/*
	 * A capability the opener must have in the initial user namespace,
	 * or 0: the file's mode alone would let any uid-0 process in, a
	 * container's root without its capabilities included.
	 */
	int open_cap;
	void *(*take)(struct net *net);
	void (*put)(void *reading);
	/* rows of @reading; the row for @pos, or NULL past the end */
	const void *(*row)(const void *reading, loff_t pos);
	void (*show)(struct seq_file *m, const void *reading, const void *row);
};

extern const struct tw_table_file tw_ports_file;
extern const struct tw_table_file tw_dests_file;
extern const struct tw_table_file tw_netns_file;
extern const struct tw_table_file tw_cgroups_file;
extern const struct proc_ops tw_table_proc_ops;

bool tw_counter_name(char *buf, size_t len, const char *prefix,
		     const char *name);
void tw_counters_format(struct seq_file *m, struct net *net);

int tw_drops_proc_init_net(struct net *net);
void tw_drops_proc_exit_net(struct net *net);
void tw_drops_format(struct seq_file *m, const struct tw_drop_table *t,
		     const struct tw_drop_reasons *reasons, unsigned int shown,
		     u64 others, unsigned long now);

struct tw_nat_reading;
int tw_nat_proc_init_net(struct net *net);
void tw_nat_proc_exit_net(struct net *net);
void tw_nat_format(struct seq_file *m, const struct tw_nat_reading *r);
void tw_nat_stats_lines(struct seq_file *m, const struct tw_nat_reading *r);
int tw_nat_stats_format(struct seq_file *m, struct net *net);

#endif /* TW_STATS_PROC_H */
