// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the (cgroup, uid) table of /proc/net/tw_cgroups: counts by
 * state, the CLOSE_WAIT idle maximum, ephemeral ports, server-side
 * TIME_WAIT by listening port, ranking, top_n and the bound.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/tcp_states.h>

#include "cgroups.h"
#include "files/tw_proc.h"
#include "tw_test.h"

struct tw_cg_fixture {
	struct tw_ports ports;
	struct tw_ephemeral eph;
	struct tw_cgroup_table table;
	struct tw_cgroup_result res;
};

static int tw_cg_init(struct kunit *test)
{
	struct tw_cg_fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	test->priv = f;
	return tw_ports_alloc(&f->ports, GFP_KERNEL);
}

static void tw_cg_exit(struct kunit *test)
{
	struct tw_cg_fixture *f = test->priv;

	tw_cgroups_free(&f->table);
	kvfree(f->res.rows);
	tw_ports_free(&f->ports);
	kfree(f);
}

/* Ephemeral range 1000..1009. */
static struct tw_cg_fixture *tw_cg_fixture(struct kunit *test,
					   unsigned int capacity)
{
	struct tw_cg_fixture *f = test->priv;

	f->eph.low = 1000;
	f->eph.high = 1009;
	KUNIT_ASSERT_EQ(test, tw_cgroups_init(&f->table, capacity, &f->eph), 0);
	return f;
}

static struct tw_sock_rec tw_cg_rec(u8 kind, u8 state, u64 cgroup, u32 uid,
				    u16 lport, u32 idle_s)
{
	struct tw_sock_rec r = {
		.kind = kind, .state = state, .family = AF_INET,
		.lport = lport, .uid = uid, .cgroup = cgroup,
	};

	if (kind == TW_REC_FULL)
		r.idle_s = idle_s;
	return r;
}

#define FULL(st, cg, uid, port, idle) \
	tw_cg_rec(TW_REC_FULL, TCP_##st, cg, uid, port, idle)

static const struct tw_cgroup_row *tw_cg_row(const struct tw_cgroup_result *res,
					     u64 cgroup, u32 uid)
{
	unsigned int i;

	for (i = 0; i < res->nr; i++)
		if (res->rows[i].key.cgroup == cgroup &&
		    res->rows[i].key.uid == uid)
			return &res->rows[i];
	return NULL;
}

static void tw_cgroups_test_counts(struct kunit *test)
{
	struct tw_cg_fixture *f = tw_cg_fixture(test, 64);
	struct tw_sock_rec recs[] = {
		FULL(ESTABLISHED, 10, 0, 1000, 0),
		FULL(ESTABLISHED, 10, 0, 5000, 0),
		FULL(CLOSE_WAIT, 10, 0, 5000, 7),
		FULL(CLOSE_WAIT, 10, 0, 1009, 42),
		FULL(CLOSE_WAIT, 10, 0, 5000, 3),
		FULL(SYN_SENT, 10, 0, 1005, 0),
		FULL(FIN_WAIT1, 10, 0, 999, 0),
		FULL(LAST_ACK, 10, 0, 1010, 0),
		FULL(LISTEN, 10, 0, 5000, 0),
		/* the same cgroup, another uid: another row */
		FULL(ESTABLISHED, 10, 1000, 1001, 0),
		/* no owner: never counted */
		tw_cg_rec(TW_REC_TW, TCP_TIME_WAIT, 0, 0, 5000, 0),
		tw_cg_rec(TW_REC_REQ, TCP_SYN_RECV, 0, 0, 5000, 0),
	};
	const struct tw_cgroup_row *a, *b;

	tw_cgroups_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_cgroups_reduce(&f->table, &f->ports, 64,
						&f->res), 0);
	KUNIT_EXPECT_EQ(test, f->res.nr, 2U);
	KUNIT_EXPECT_EQ(test, f->res.pairs, 2U);
	a = tw_cg_row(&f->res, 10, 0);
	b = tw_cg_row(&f->res, 10, 1000);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, a->c.established, 2U);
	KUNIT_EXPECT_EQ(test, a->c.close_wait, 3U);
	KUNIT_EXPECT_EQ(test, a->c.close_wait_idle_max_s, 42U);
	KUNIT_EXPECT_EQ(test, a->c.syn_sent, 1U);
	KUNIT_EXPECT_EQ(test, a->c.other, 2U);
	KUNIT_EXPECT_EQ(test, a->c.listen, 1U);
	/* 1000, 1009 and 1005: both ends of the range are in it */
	KUNIT_EXPECT_EQ(test, a->c.ephemeral_in_use, 3U);
	KUNIT_EXPECT_EQ(test, b->c.established, 1U);
	KUNIT_EXPECT_EQ(test, b->c.ephemeral_in_use, 1U);
	KUNIT_EXPECT_EQ(test, b->c.close_wait, 0U);
	/* most close_wait first */
	KUNIT_EXPECT_PTR_EQ(test, a, &f->res.rows[0]);
	KUNIT_EXPECT_EQ(test, f->res.others.established, 0U);
	KUNIT_EXPECT_EQ(test, f->res.untracked_sockets, 0ULL);
}

static void tw_cgroups_test_tw_server(struct kunit *test)
{
	struct tw_cg_fixture *f = tw_cg_fixture(test, 64);
	struct tw_sock_rec recs[] = {
		/* A listens on 80 twice (IPv4 and IPv6): the port counts once */
		FULL(LISTEN, 1, 0, 80, 0),
		FULL(LISTEN, 1, 0, 80, 0),
		/* A and B both listen on 81 (SO_REUSEPORT): both get it */
		FULL(LISTEN, 1, 0, 81, 0),
		FULL(LISTEN, 2, 33, 81, 0),
		/* B's accepted connection on 81 */
		FULL(ESTABLISHED, 2, 33, 81, 0),
	};
	const struct tw_cgroup_row *a, *b;

	tw_ports_entry(&f->ports, 80)->sockets.tw = 7;
	tw_ports_entry(&f->ports, 81)->sockets.tw = 5;
	/* client-side TIME_WAIT on a port nobody listens on: nobody's */
	tw_ports_entry(&f->ports, 1003)->sockets.tw = 11;
	/* FIN_WAIT2 timewait sockets are not TIME_WAIT */
	tw_ports_entry(&f->ports, 80)->sockets.fin_wait2 = 2;
	tw_cgroups_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_cgroups_reduce(&f->table, &f->ports, 64,
						&f->res), 0);
	a = tw_cg_row(&f->res, 1, 0);
	b = tw_cg_row(&f->res, 2, 33);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, a->c.listen, 3U);
	KUNIT_EXPECT_EQ(test, a->c.tw_server, 12U);
	KUNIT_EXPECT_EQ(test, b->c.tw_server, 5U);
	KUNIT_EXPECT_EQ(test, f->res.others.tw_server, 0U);
	/* B has an established connection: first */
	KUNIT_EXPECT_PTR_EQ(test, b, &f->res.rows[0]);
}

static void tw_cgroups_test_top_n_and_others(struct kunit *test)
{
	struct tw_cg_fixture *f = tw_cg_fixture(test, 64);
	struct tw_sock_rec recs[] = {
		FULL(ESTABLISHED, 1, 0, 5000, 0),
		FULL(ESTABLISHED, 1, 0, 5000, 0),
		FULL(ESTABLISHED, 1, 0, 5000, 0),
		FULL(CLOSE_WAIT, 2, 0, 5001, 9),
		FULL(CLOSE_WAIT, 3, 0, 5002, 4),
		FULL(ESTABLISHED, 3, 0, 1002, 0),
		FULL(CLOSE_WAIT, 4, 7, 5003, 30),
		FULL(LISTEN, 5, 0, 5004, 0),
	};

	tw_ports_entry(&f->ports, 5004)->sockets.tw = 6;
	tw_cgroups_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_cgroups_reduce(&f->table, &f->ports, 2,
						&f->res), 0);
	KUNIT_EXPECT_EQ(test, f->res.pairs, 5U);
	KUNIT_ASSERT_EQ(test, f->res.nr, 2U);
	/* one CLOSE_WAIT each for 2, 3 and 4: 3 has an established too */
	KUNIT_EXPECT_EQ(test, f->res.rows[0].key.cgroup, 3ULL);
	KUNIT_EXPECT_EQ(test, f->res.rows[1].key.cgroup, 2ULL);
	/* others: pairs 4 and 1 and 5 */
	KUNIT_EXPECT_EQ(test, f->res.others.close_wait, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.established, 3U);
	KUNIT_EXPECT_EQ(test, f->res.others.listen, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.tw_server, 6U);
	KUNIT_EXPECT_EQ(test, f->res.others.close_wait_idle_max_s, 30U);
	KUNIT_EXPECT_EQ(test, f->res.others.ephemeral_in_use, 0U);
}

/* A table of 4 slots tracks 3 pairs; the rest go to others, whole. */
static void tw_cgroups_test_bound(struct kunit *test)
{
	struct tw_cg_fixture *f = tw_cg_fixture(test, 4);
	struct tw_sock_rec recs[] = {
		FULL(ESTABLISHED, 1, 0, 6000, 0),
		FULL(ESTABLISHED, 2, 0, 6000, 0),
		FULL(ESTABLISHED, 3, 0, 6000, 0),
		FULL(CLOSE_WAIT, 4, 0, 1001, 8),
		FULL(LISTEN, 5, 0, 6001, 0),
		FULL(ESTABLISHED, 1, 0, 6000, 0),
	};
	u32 est = 0, i;

	tw_ports_entry(&f->ports, 6001)->sockets.tw = 4;
	tw_cgroups_visit(&f->table, recs, ARRAY_SIZE(recs));
	KUNIT_ASSERT_EQ(test, tw_cgroups_reduce(&f->table, &f->ports, 64,
						&f->res), 0);
	KUNIT_EXPECT_EQ(test, f->res.pairs, 3U);
	KUNIT_EXPECT_EQ(test, f->res.nr, 3U);
	KUNIT_EXPECT_EQ(test, f->res.untracked_sockets, 2ULL);
	KUNIT_EXPECT_EQ(test, f->res.others.close_wait, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.close_wait_idle_max_s, 8U);
	KUNIT_EXPECT_EQ(test, f->res.others.ephemeral_in_use, 1U);
	KUNIT_EXPECT_EQ(test, f->res.others.listen, 1U);
	/* the untracked listener's server-side TIME_WAIT is in others */
	KUNIT_EXPECT_EQ(test, f->res.others.tw_server, 4U);
	for (i = 0; i < f->res.nr; i++)
		est += f->res.rows[i].c.established;
	KUNIT_EXPECT_EQ(test, est, 4U);
}

/* Render a row (or others, @row NULL) as the file does. */
static char *tw_cg_render(struct kunit *test, const struct tw_cgroup_row *row,
			  const struct tw_cgroup_counts *others)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct file *file = kunit_kzalloc(test, sizeof(*file), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	/* seq_user_ns(): the opener's credentials */
	file->f_cred = current_cred();
	m->file = file;
	m->size = 256;
	m->buf = kunit_kzalloc(test, m->size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->buf);
	if (row)
		tw_cgroup_row_format(m, row);
	else
		tw_cgroup_others_format(m, others);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	return m->buf;
}

static void tw_cgroups_test_format(struct kunit *test)
{
	struct tw_cgroup_row r = {
		.key = { .cgroup = 4294967297ULL, .uid = 1000 },
		.c = { .established = 1, .close_wait = 2, .syn_sent = 3,
		       .other = 4, .listen = 5, .tw_server = 6,
		       .ephemeral_in_use = 7, .close_wait_idle_max_s = 8 },
	};

	KUNIT_EXPECT_STREQ(test, tw_cg_render(test, &r, NULL),
			   "4294967297 1000 1 2 3 4 5 6 7 8\n");
	r.c.close_wait = 0;
	KUNIT_EXPECT_STREQ(test, tw_cg_render(test, &r, NULL),
			   "4294967297 1000 1 0 3 4 5 6 7 -\n");
	KUNIT_EXPECT_STREQ(test, tw_cg_render(test, NULL, &r.c),
			   "others - 1 0 3 4 5 6 7 -\n");
}

static struct kunit_case tw_cgroups_test_cases[] = {
	KUNIT_CASE(tw_cgroups_test_counts),
	KUNIT_CASE(tw_cgroups_test_tw_server),
	KUNIT_CASE(tw_cgroups_test_top_n_and_others),
	KUNIT_CASE(tw_cgroups_test_bound),
	KUNIT_CASE(tw_cgroups_test_format),
	{}
};

static struct kunit_suite tw_cgroups_test_suite = {
	.name = "tw_cgroups",
	.init = tw_cg_init,
	.exit = tw_cg_exit,
	.test_cases = tw_cgroups_test_cases,
};

kunit_test_suite(tw_cgroups_test_suite);
