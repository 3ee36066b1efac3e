// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tw_nat, the NAT's view of the namespace (nat.h), and the nat_
 * and conntrack_ lines it adds to /proc/net/tw_stats.
 *
 * Like the kernel's /proc/net/nf_conntrack the file shows flows of other
 * hosts (those the namespace translates), so it is readable by the
 * namespace's root only (0440 there, 0640 here with the write below):
 * a container's root sees its own namespace's NAT, nobody sees another's.
 * Writing "ports MIN-MAX", "ports default" or "ports unknown" declares the
 * port range of the namespace's NAT rules (nat.c says why it must be
 * declared); it takes CAP_NET_ADMIN over the namespace, as changing its
 * rules does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "nat.h"
#include "netns.h"
#include "tw_proc.h"
#include "tw_stats_format.h"

static void tw_nat_counts_format(struct seq_file *m,
				 const struct tw_nat_counts *c)
{
	seq_printf(m, " %u %u %u %u %u", c->flows, c->state[TW_NAT_TIME_WAIT],
		   c->state[TW_NAT_CLOSE_WAIT], c->state[TW_NAT_ESTABLISHED],
		   c->state[TW_NAT_OTHER]);
}

/**
 * tw_nat_format - the text of /proc/net/tw_nat
 * @m: the file
 * @r: a reading (tw_nat_read())
 */
void tw_nat_format(struct seq_file *m, const struct tw_nat_reading *r)
{
	bool known = tw_nat_range_known(&r->range);
	unsigned int i;

	seq_printf(m, "%s\n", TW_TABLE_HEADER(TW_NAT_COLUMNS));
	if (!r->active) {
		seq_printf(m, TW_NAT_INACTIVE_PREFIX "%s\n", r->inactive);
		return;
	}
	for (i = 0; i < r->nr; i++) {
		const struct tw_nat_row *row = &r->rows[i];
		const struct tw_nat_key *k = &row->key;

		if (k->family == AF_INET)
			seq_printf(m, "tcp %pI4 %pI4:%u", &k->source.v4,
				   &k->dest.v4, ntohs(k->dport));
		else
			seq_printf(m, "tcp %pI6c [%pI6c]:%u", &k->source.v6,
				   &k->dest.v6, ntohs(k->dport));
		tw_nat_counts_format(m, &row->n);
		if (known)
			seq_printf(m, " %u %u %u\n", r->range.min, r->range.max,
				   row->headroom);
		else
			seq_puts(m, " " TW_NO_VALUE " " TW_NO_VALUE " "
				 TW_NO_VALUE "\n");
	}
	seq_puts(m, TW_OTHERS_ROW " " TW_NO_VALUE " " TW_NO_VALUE);
	tw_nat_counts_format(m, &r->others);
	seq_puts(m, " " TW_NO_VALUE " " TW_NO_VALUE " " TW_NO_VALUE "\n");
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_format);

/**
 * tw_nat_stats_lines - the nat_ and conntrack_ lines of /proc/net/tw_stats
 * @m: the file
 * @r: a reading
 */
void tw_nat_stats_lines(struct seq_file *m, const struct tw_nat_reading *r)
{
	seq_printf(m, TW_STAT_NAT_ACTIVE " %u\n", r->active ? 1 : 0);
	if (!r->active)
		return;
	seq_printf(m, TW_STAT_NAT_FLOWS " %llu\n", r->flows);
	seq_printf(m, TW_STAT_NAT_TIME_WAIT " %llu\n", r->time_wait);
	if (tw_nat_range_known(&r->range))
		seq_printf(m, TW_STAT_NAT_MIN_HEADROOM " %u\n", r->min_headroom);
	else
		seq_puts(m, TW_STAT_NAT_MIN_HEADROOM " " TW_NO_VALUE "\n");
	seq_printf(m, TW_STAT_NAT_UNTRACKED_FLOWS " %llu\n", r->untracked_flows);
	seq_printf(m, TW_STAT_CONNTRACK_INSERT_FAILED " %llu\n", r->insert_failed);
	seq_printf(m, TW_STAT_CONNTRACK_DROP " %llu\n", r->drop);
	seq_printf(m, TW_STAT_CONNTRACK_EARLY_DROP " %llu\n", r->early_drop);
}
EXPORT_SYMBOL_IF_KUNIT(tw_nat_stats_lines);

/* For /proc/net/tw_stats: the sums only, served for cache_ms (nat.c). */
int tw_nat_stats_format(struct seq_file *m, struct net *net)
{
	struct tw_nat_reading r;
	int err = tw_nat_read_sums(net, &r);

	if (err)
		return err;
	tw_nat_stats_lines(m, &r);
	return 0;
}

static int tw_nat_show(struct seq_file *m, void *v)
{
	struct net *net = seq_file_single_net(m);
	struct tw_nat_reading r;
	int err;

	err = tw_nat_read(net, tw_netns_top_n(tw_netns(net)), &r);
	if (err)
		return err;
	tw_nat_format(m, &r);
	tw_nat_reading_free(&r);
	return 0;
}

/* Longest write we look at: "ports 65535-65535\n" and some room. */
#define TW_NAT_WRITE_MAX	32

static int tw_nat_write(struct file *file, char *buf, size_t size)
{
	struct net *net = seq_file_single_net(file->private_data);
	struct tw_nat_range range;

	/* the opener's credentials, not the writer's: no confused deputy */
	if (!file_ns_capable(file, net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	if (size > TW_NAT_WRITE_MAX || tw_nat_parse_ports(buf, size, &range)) {
		pr_err_ratelimited("%s: '%*pE' is not 'ports MIN-MAX' (1 <= MIN <= MAX <= 65535), 'ports default' or 'ports unknown'\n",
				   TW_PROC_NAT,
				   (int)min_t(size_t, strcspn(buf, "\n"), TW_NAT_WRITE_MAX),
				   buf);
		return -EINVAL;
	}
	tw_nat_set_range(net, &range);
	return 0;
}

int tw_nat_proc_init_net(struct net *net)
{
	kuid_t uid = make_kuid(net->user_ns, 0);
	kgid_t gid = make_kgid(net->user_ns, 0);
	struct proc_dir_entry *pde;

	pde = proc_create_net_single_write(TW_PROC_NAT, 0640, net->proc_net,
					   tw_nat_show, tw_nat_write, NULL);
	if (!pde)
		return -ENOMEM;
	/* owned by the namespace's root, as /proc/net/nf_conntrack */
	if (uid_valid(uid) && gid_valid(gid))
		proc_set_user(pde, uid, gid);
	return 0;
}

void tw_nat_proc_exit_net(struct net *net)
{
	remove_proc_subtree(TW_PROC_NAT, net->proc_net);
}
