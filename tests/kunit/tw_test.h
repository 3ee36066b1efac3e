/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the KUnit suites of tw_stats_test.ko share; each suite registers
 * itself at the bottom of its own file.
 */
#ifndef TW_STATS_TEST_H
#define TW_STATS_TEST_H

#include <linux/net.h>
#include <linux/socket.h>
#include <kunit/test.h>

#include "compat/compat.h"

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
