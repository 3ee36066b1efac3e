// SPDX-License-Identifier: GPL-2.0
/*
 * The presentation layer's own per-netns lifecycle: its pernet_operations
 * sit beside the core's (as tcp4_net_ops beside tcp_sk_ops), registered
 * after them, so a netns's files appear once its state exists and go
 * before that state does.
 */
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "layers.h"

#include "debugfs.h"
#include "tw_proc.h"

/* What the files layer keeps per netns. */
struct tw_files_net {
	struct tw_debugfs_net debugfs;
};

static unsigned int tw_files_net_id __read_mostly;

static int __net_init tw_files_init_net(struct net *net)
{
	struct tw_files_net *fn = net_generic(net, tw_files_net_id);
	int err;

	err = tw_proc_init_net(net);
	if (err)
		return err;
	/* debugfs is for people, optional: its absence is not an error */
	tw_debugfs_init_net(net, &fn->debugfs);
	return 0;
}

/*
 * Removing the files waits for readers inside them and releases the open
 * ones, so once this returns nobody reaches the core's state through them.
 */
static void __net_exit tw_files_exit_net(struct net *net)
{
	struct tw_files_net *fn = net_generic(net, tw_files_net_id);

	tw_debugfs_exit_net(&fn->debugfs);
	tw_proc_exit_net(net);
}

static struct pernet_operations tw_files_net_ops = {
	.init = tw_files_init_net,
	.exit = tw_files_exit_net,
	.id = &tw_files_net_id,
	.size = sizeof(struct tw_files_net),
};

/* Call after the core's per-netns state is registered (main.c). */
int tw_files_register(void)
{
	int err;

	tw_debugfs_init();
	err = register_pernet_subsys(&tw_files_net_ops);
	if (err)
		tw_debugfs_exit();
	return err;
}

void tw_files_unregister(void)
{
	unregister_pernet_subsys(&tw_files_net_ops);
	tw_debugfs_exit();
}
