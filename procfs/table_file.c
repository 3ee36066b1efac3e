// SPDX-License-Identifier: GPL-2.0
/*
 * The machinery of our table files (/proc/net/tw_ports, tw_destinations):
 * a snapshot is taken when the file is opened and held until it is
 * closed, so a reader that reads in small pieces still sees one
 * consistent table; rows are produced by a seq_file iterator, so a table
 * of 65536 ports is never formatted in one go.
 */
#include <linux/err.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "netns.h"
#include "tw_proc.h"

struct tw_table_iter {
	const struct tw_table_file *file;
	struct tw_snapshot *snap;
};

#define TW_TABLE_HEADER ((void *)1)

static void *tw_table_start(struct seq_file *m, loff_t *pos)
{
	struct tw_table_iter *it = m->private;

	if (*pos == 0)
		return TW_TABLE_HEADER;
	return (void *)it->file->row(it->snap, *pos - 1);
}

static void *tw_table_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct tw_table_iter *it = m->private;

	++*pos;
	return (void *)it->file->row(it->snap, *pos - 1);
}

static void tw_table_stop(struct seq_file *m, void *v)
{
}

static int tw_table_show(struct seq_file *m, void *v)
{
	struct tw_table_iter *it = m->private;

	if (v == TW_TABLE_HEADER)
		seq_printf(m, "%s\n", it->file->header);
	else
		it->file->show(m, it->snap, v);
	return 0;
}

static const struct seq_operations tw_table_seq_ops = {
	.start = tw_table_start,
	.next = tw_table_next,
	.stop = tw_table_stop,
	.show = tw_table_show,
};

/*
 * The proc entry's data is the table description; its parent directory's
 * is the netns.  The netns stays alive while we are inside open(): its
 * exit removes this entry first, and that waits for us.
 */
static int tw_table_open(struct inode *inode, struct file *file)
{
	struct tw_table_iter *it;
	struct tw_snapshot *snap;

	snap = tw_netns_snapshot(proc_get_parent_data(inode));
	if (IS_ERR(snap))
		return PTR_ERR(snap);
	it = __seq_open_private(file, &tw_table_seq_ops, sizeof(*it));
	if (!it) {
		tw_snapshot_put(snap);
		return -ENOMEM;
	}
	it->file = pde_data(inode);
	it->snap = snap;
	return 0;
}

static int tw_table_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct tw_table_iter *it = m->private;

	tw_snapshot_put(it->snap);
	return seq_release_private(inode, file);
}

const struct proc_ops tw_table_proc_ops = {
	.proc_open = tw_table_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = tw_table_release,
};
