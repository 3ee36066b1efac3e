// SPDX-License-Identifier: GPL-2.0
/*
 * The machinery of our table files (/proc/net/tw_ports, tw_destinations,
 * tw_netns): a reading is taken when the file is opened and held until it
 * is closed, so a reader that reads in small pieces still sees one
 * consistent table; rows are produced by a seq_file iterator, so a table
 * of 65536 ports is never formatted in one go.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "netns.h"
#include "tw_proc.h"

struct tw_table_iter {
	const struct tw_table_file *file;
	void *reading;
};

#define TW_TABLE_HEADER ((void *)1)

static void *tw_table_start(struct seq_file *m, loff_t *pos)
{
	struct tw_table_iter *it = m->private;

	if (*pos == 0)
		return TW_TABLE_HEADER;
	return (void *)it->file->row(it->reading, *pos - 1);
}

static void *tw_table_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct tw_table_iter *it = m->private;

	++*pos;
	return (void *)it->file->row(it->reading, *pos - 1);
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
		it->file->show(m, it->reading, v);
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
 * exit removes this entry first, and that waits for us.  It also closes
 * every file still open, so the netns is alive at release too.
 *
 * The reading is held, not just referenced: it counts toward the readings
 * the netns's open files may pin (reading_cache.h), the one bound on what
 * a reader keeping files open can make the kernel hold.  Everything else
 * an open costs (struct file, seq_file, our iterator) the kernel charges
 * to the opener's memory cgroup itself.
 */
static void *tw_table_take(const struct tw_table_file *tf, struct net *net)
{
	return tf->take ? tf->take(net) : tw_netns_snapshot_hold(net);
}

static void tw_table_put(const struct tw_table_file *tf, struct net *net,
			 void *reading)
{
	if (tf->put)
		tf->put(reading);
	else
		tw_netns_snapshot_unhold(net, reading);
}

static int tw_table_open(struct inode *inode, struct file *file)
{
	const struct tw_table_file *tf = pde_data(inode);
	struct tw_table_iter *it;
	void *reading;

	/* the opener's credentials, before any reading is taken for it */
	if (tf->open_cap && !file_ns_capable(file, &init_user_ns, tf->open_cap))
		return -EPERM;
	reading = tw_table_take(tf, proc_get_parent_data(inode));
	if (IS_ERR(reading))
		return PTR_ERR(reading);
	it = __seq_open_private(file, &tw_table_seq_ops, sizeof(*it));
	if (!it) {
		tw_table_put(tf, proc_get_parent_data(inode), reading);
		return -ENOMEM;
	}
	it->file = tf;
	it->reading = reading;
	return 0;
}

static int tw_table_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct tw_table_iter *it = m->private;

	tw_table_put(it->file, proc_get_parent_data(inode), it->reading);
	return seq_release_private(inode, file);
}

const struct proc_ops tw_table_proc_ops = {
	.proc_open = tw_table_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = tw_table_release,
};
