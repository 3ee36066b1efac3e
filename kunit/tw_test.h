/* SPDX-License-Identifier: GPL-2.0 */
/* The KUnit suites of tw_stats_test.ko, registered together in test_main.c. */
#ifndef TW_STATS_TEST_H
#define TW_STATS_TEST_H

#include <linux/net.h>
#include <linux/socket.h>
#include <kunit/test.h>

#include "compat/compat.h"

extern struct kunit_suite tw_summary_test_suite;
extern struct kunit_suite tw_format_test_suite;
extern struct kunit_suite tw_snapshot_test_suite;
extern struct kunit_suite tw_walk_test_suite;
extern struct kunit_suite tw_ports_test_suite;
extern struct kunit_suite tw_dests_test_suite;
extern struct kunit_suite tw_drops_test_suite;
extern struct kunit_suite tw_netns_table_test_suite;

/* Only the suites open sockets of their own; the signature is compat's. */
static inline int tw_kernel_bind(struct socket *sock,
				 struct sockaddr_storage *addr, int len)
{
	return kernel_bind(sock, (TW_KERNEL_SOCKADDR *)addr, len);
}

static inline int tw_kernel_connect(struct socket *sock,
				    struct sockaddr_storage *addr, int len,
				    int flags)
{
	return kernel_connect(sock, (TW_KERNEL_SOCKADDR *)addr, len, flags);
}

#endif /* TW_STATS_TEST_H */
