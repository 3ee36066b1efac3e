// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the hash walk against real kernel sockets in init_net.  Closes
 * its connections with RST (no linger) so it leaves no TIME_WAIT behind.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "kernel_access.h"
#include "summary.h"
#include "walk.h"
#include "tw_test.h"

static void tw_test_walk(struct kunit *test, struct tw_summary *s,
			 struct tw_walk_cost *cost)
{
	struct tw_walk_req *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, req);
	memset(s, 0, sizeof(*s));
	req->net = &init_net;
	req->visit = tw_summary_visit;
	req->ctx = s;
	KUNIT_ASSERT_EQ(test, tw_walk(req), 0);
	*cost = req->cost;
}

/* The sockets a case opened; .exit releases those it did not. */
#define TW_WALK_TEST_SOCKS 4

struct tw_walk_fixture {
	struct socket *socks[TW_WALK_TEST_SOCKS];
};

static int tw_walk_test_init(struct kunit *test)
{
	struct tw_walk_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);

	test->priv = f;
	return f ? 0 : -ENOMEM;
}

/* Without lingering: a socket a failed case leaves makes no TIME_WAIT. */
static void tw_walk_test_exit(struct kunit *test)
{
	struct tw_walk_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < TW_WALK_TEST_SOCKS; i++) {
		if (!f->socks[i])
			continue;
		sock_no_linger(f->socks[i]->sk);
		sock_release(f->socks[i]);
	}
	kfree(f);
}

/* A free place for a socket, which .exit releases unless the case does. */
static struct socket **tw_test_sock_slot(struct kunit *test)
{
	struct tw_walk_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < TW_WALK_TEST_SOCKS && f->socks[i]; i++)
		;
	KUNIT_ASSERT_LT_MSG(test, i, TW_WALK_TEST_SOCKS, "too many sockets");
	return &f->socks[i];
}

static void tw_test_sock_release(struct kunit *test, struct socket *sock)
{
	struct tw_walk_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < TW_WALK_TEST_SOCKS; i++)
		if (f->socks[i] == sock)
			f->socks[i] = NULL;
	sock_release(sock);
}

/* A kernel TCP socket bound to the loopback address of @family, port 0. */
static struct socket *tw_test_socket(struct kunit *test, int family,
				     struct sockaddr_storage *addr, int *len)
{
	struct socket **slot = tw_test_sock_slot(test);
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, family, SOCK_STREAM,
					       IPPROTO_TCP, slot), 0);
	sock = *slot;
	memset(addr, 0, sizeof(*addr));
	if (family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;

		a6->sin6_family = AF_INET6;
		a6->sin6_addr = in6addr_loopback;
		*len = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)addr;

		a4->sin_family = AF_INET;
		a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*a4);
	}
	return sock;
}

static struct socket *tw_test_listener(struct kunit *test, int family,
				       struct sockaddr_storage *addr, int *len)
{
	struct socket *sock = tw_test_socket(test, family, addr, len);

	KUNIT_ASSERT_EQ(test, tw_kernel_bind(sock, addr, *len), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sock, 8), 0);
	/* learn the port the kernel chose, to connect to it */
	KUNIT_ASSERT_GT(test, kernel_getsockname(sock, (struct sockaddr *)addr), 0);
	return sock;
}

static void tw_walk_test_counts_listeners(struct kunit *test)
{
	struct sockaddr_storage a4, a6;
	struct tw_walk_cost cost;
	struct tw_summary before, during, after;
	struct socket *l4, *l6;
	int len;

	tw_test_walk(test, &before, &cost);
	l4 = tw_test_listener(test, AF_INET, &a4, &len);
	l6 = tw_test_listener(test, AF_INET6, &a6, &len);
	tw_test_walk(test, &during, &cost);
	tw_test_sock_release(test, l4);
	tw_test_sock_release(test, l6);
	tw_test_walk(test, &after, &cost);

	KUNIT_EXPECT_EQ(test, during.state[TCP_LISTEN],
			before.state[TCP_LISTEN] + 2);
	KUNIT_EXPECT_EQ(test, after.state[TCP_LISTEN], before.state[TCP_LISTEN]);
}

static void tw_walk_test_counts_established_pair(struct kunit *test)
{
	struct sockaddr_storage addr, caddr;
	struct socket *listener, *client, **child;
	struct tw_walk_cost cost;
	struct tw_summary before, during;
	int len, clen;

	tw_test_walk(test, &before, &cost);
	listener = tw_test_listener(test, AF_INET, &addr, &len);
	client = tw_test_socket(test, AF_INET, &caddr, &clen);
	KUNIT_ASSERT_EQ(test, tw_kernel_connect(client, &addr, len, 0), 0);
	child = tw_test_sock_slot(test);
	KUNIT_ASSERT_EQ(test, kernel_accept(listener, child, 0), 0);
	tw_test_walk(test, &during, &cost);

	sock_no_linger(client->sk);
	sock_no_linger((*child)->sk);
	tw_test_sock_release(test, client);
	tw_test_sock_release(test, *child);
	tw_test_sock_release(test, listener);

	KUNIT_EXPECT_EQ(test, during.state[TCP_ESTABLISHED],
			before.state[TCP_ESTABLISHED] + 2);
	KUNIT_EXPECT_EQ(test, tw_summary_total(&during), tw_summary_total(&before));
}

static void tw_walk_test_examines_every_bucket(struct kunit *test)
{
	struct inet_hashinfo *h = tw_net_hashinfo(&init_net);
	struct tw_walk_cost cost;
	struct tw_summary s;
	u64 seen;

	tw_test_walk(test, &s, &cost);
	KUNIT_EXPECT_EQ(test, cost.buckets,
			(u64)h->ehash_mask + 1 + tw_lhash2_size(h));
	seen = tw_summary_total(&s);
	seen += s.state[TCP_LISTEN] + s.state[TCP_ESTABLISHED];
	KUNIT_EXPECT_GE(test, cost.sockets, seen);
	KUNIT_EXPECT_GT(test, cost.ns, 0ULL);
}

static void tw_walk_test_chain_lengths_cover_table(struct kunit *test)
{
	struct inet_hashinfo *h = tw_net_hashinfo(&init_net);
	struct tw_walk_req *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);
	struct tw_summary s = {};
	u64 buckets = 0;
	unsigned int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, req);
	req->net = &init_net;
	req->visit = tw_summary_visit;
	req->ctx = &s;
	KUNIT_ASSERT_EQ(test, tw_walk(req), 0);
	for (len = 0; len <= TW_CHAIN_LEN_MAX; len++)
		buckets += req->chain_lengths[len];
	KUNIT_EXPECT_EQ(test, buckets, (u64)h->ehash_mask + 1);
}

/* The floor walks what the real walk walks and counts what it counts. */
static void tw_walk_test_floor_matches_walk(struct kunit *test)
{
	struct tw_walk_floor *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct tw_walk_cost cost;
	struct tw_summary s;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	tw_test_walk(test, &s, &cost);
	f->net = &init_net;
	KUNIT_ASSERT_EQ(test, tw_walk_floor(f), 0);
	KUNIT_EXPECT_EQ(test, f->cost.buckets, cost.buckets);
	KUNIT_EXPECT_EQ(test, f->timewait, tw_summary_total(&s));
	KUNIT_EXPECT_EQ(test, f->time_wait, s.tw_time_wait);
	KUNIT_EXPECT_GT(test, f->cost.ns, 0ULL);
}

static struct kunit_case tw_walk_test_cases[] = {
	KUNIT_CASE(tw_walk_test_counts_listeners),
	KUNIT_CASE(tw_walk_test_counts_established_pair),
	KUNIT_CASE(tw_walk_test_examines_every_bucket),
	KUNIT_CASE(tw_walk_test_chain_lengths_cover_table),
	KUNIT_CASE(tw_walk_test_floor_matches_walk),
	{}
};

static struct kunit_suite tw_walk_test_suite = {
	.name = "tw_walk",
	.init = tw_walk_test_init,
	.exit = tw_walk_test_exit,
	.test_cases = tw_walk_test_cases,
};

kunit_test_suite(tw_walk_test_suite);
