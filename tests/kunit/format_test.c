// SPDX-License-Identifier: GPL-2.0
/* KUnit: the text of /proc/net/tw_stats, rendered into a bare seq_file. */
#include <linux/ctype.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "netns_table.h"
#include "snapshot.h"
#include "files/tw_proc.h"
#include "tw_test.h"

#define TW_TEST_BUF 8192

/* Render @snap as the file would and return the NUL-terminated text. */
static char *tw_render(struct kunit *test, const struct tw_snapshot *snap,
		       unsigned long now)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	m->buf = kunit_kzalloc(test, TW_TEST_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->buf);
	m->size = TW_TEST_BUF - 1;
	tw_stats_format(m, snap, now);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	m->buf[m->count] = '\0';
	return m->buf;
}

/* The value of line @name in @text, or -1 when there is no such line. */
static long long tw_value(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p = text;
	unsigned long long v;

	while (*p) {
		if (!strncmp(p, name, len) && p[len] == ' ') {
			char num[24] = {};
			const char *end = strchr(p + len + 1, '\n');

			if (!end || end - (p + len + 1) >= sizeof(num))
				return -1;
			memcpy(num, p + len + 1, end - (p + len + 1));
			return kstrtoull(num, 10, &v) ? -1 : (long long)v;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return -1;
}

static struct tw_snapshot *tw_sample(struct kunit *test)
{
	struct tw_snapshot *snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, snap);
	snap->sum.tw_time_wait = 7;
	snap->sum.tw_fin_wait2 = 2;
	snap->sum.tw_ipv4 = 5;
	snap->sum.tw_ipv6 = 4;
	snap->sum.tw_expires_in[0] = 1;
	snap->sum.tw_expires_in[3] = 6;
	snap->sum.tw_expires_in[TW_EXPIRE_BINS] = 2;
	snap->sum.state[TCP_ESTABLISHED] = 11;
	snap->sum.state[TCP_LISTEN] = 3;
	snap->sum.state[TCP_SYN_RECV] = 1;
	snap->tw_object_bytes = 315;
	snap->tw_object_bytes_ipv6 = 330;
	snap->tw_max_buckets = 4096;
	snap->ehash_buckets = 8192;
	snap->bhash_buckets = 8192;
	snap->cost.buckets = 8192 + 512;
	snap->cost.sockets = 30;
	snap->cost.ns = 12345;
	snap->taken_at = 1000;
	return snap;
}

static void tw_format_test_lines_are_name_value(struct kunit *test)
{
	char *text = tw_render(test, tw_sample(test), 1000);
	char *line, *cur = text;
	int lines = 0;

	while ((line = strsep(&cur, "\n")) && *line) {
		char *p = line;

		lines++;
		while (*p && (islower(*p) || isdigit(*p) || *p == '_'))
			p++;
		KUNIT_EXPECT_TRUE_MSG(test, p > line && *p == ' ',
				      "bad name in line '%s'", line);
		if (*p != ' ')
			continue;
		p++;
		KUNIT_EXPECT_TRUE_MSG(test, isdigit(*p), "bad value in '%s'", line);
		while (isdigit(*p))
			p++;
		KUNIT_EXPECT_TRUE_MSG(test, *p == '\0', "trailing text in '%s'", line);
	}
	KUNIT_EXPECT_GT(test, lines, 30);
}

static void tw_format_test_names_are_unique(struct kunit *test)
{
	char *text = tw_render(test, tw_sample(test), 1000);
	const char *names[64];
	char *line, *cur = text;
	unsigned int n = 0, i, j;

	while ((line = strsep(&cur, "\n")) && *line) {
		char *sp = strchr(line, ' ');

		KUNIT_ASSERT_NOT_NULL(test, sp);
		*sp = '\0';
		KUNIT_ASSERT_LT(test, n, (unsigned int)ARRAY_SIZE(names));
		names[n++] = line;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			KUNIT_EXPECT_STRNEQ(test, names[i], names[j]);
}

static void tw_format_test_values(struct kunit *test)
{
	char *text = tw_render(test, tw_sample(test), 1000);

	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_total"), 9LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_time_wait"), 7LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_fin_wait2"), 2LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_ipv4"), 5LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_ipv6"), 4LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_object_bytes"), 315LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_object_bytes_ipv6"), 330LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_memory_bytes"),
			5LL * 315 + 4LL * 330);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_max_buckets"), 4096LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "state_established"), 11LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "state_listen"), 3LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "state_syn_recv"), 1LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "state_close_wait"), 0LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "ehash_buckets"), 8192LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "walk_buckets"), 8192LL + 512);
	KUNIT_EXPECT_EQ(test, tw_value(text, "walk_sockets"), 30LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "walk_ns"), 12345LL);
}

static void tw_format_test_histogram_is_cumulative(struct kunit *test)
{
	char *text = tw_render(test, tw_sample(test), 1000);

	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_expires_le_1s"), 1LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_expires_le_5s"), 1LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_expires_le_20s"), 7LL);
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_expires_le_60s"), 7LL);
	/* no line for "longer than 60 s": tw_total is the +Inf bucket */
	KUNIT_EXPECT_EQ(test, tw_value(text, "tw_total"), 9LL);
}

static void tw_format_test_contract_names_present(struct kunit *test)
{
	static const char *const names[] = {
		"tw_total", "tw_time_wait", "tw_fin_wait2", "tw_ipv4", "tw_ipv6",
		"tw_object_bytes", "tw_memory_bytes", "tw_max_buckets",
		"tw_expires_le_1s", "tw_expires_le_5s", "tw_expires_le_10s",
		"tw_expires_le_20s", "tw_expires_le_30s", "tw_expires_le_45s",
		"tw_expires_le_60s", "state_established", "state_syn_sent",
		"state_syn_recv", "state_fin_wait1", "state_fin_wait2",
		"state_close", "state_close_wait", "state_last_ack",
		"state_listen", "state_closing", "ehash_buckets",
		"bhash_buckets", "walk_buckets", "walk_sockets",
		"walk_restarts", "walk_ns", "ephemeral_low", "ephemeral_high",
		"ephemeral_ports", "ephemeral_in_use", "ports_tw_only",
		"destinations", "destination_min_headroom",
	};
	char *text = tw_render(test, tw_sample(test), 1000);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_GE_MSG(test, tw_value(text, names[i]), 0LL,
				    "missing %s", names[i]);
	KUNIT_EXPECT_EQ(test, tw_value(text, "state_time_wait"), -1LL);
}

static void tw_format_test_cache_age(struct kunit *test)
{
	struct tw_snapshot *snap = tw_sample(test);

	KUNIT_EXPECT_EQ(test, tw_value(tw_render(test, snap, snap->taken_at),
				       "cache_age_ms"), 0LL);
	KUNIT_EXPECT_EQ(test, tw_value(tw_render(test, snap,
						 snap->taken_at + msecs_to_jiffies(500)),
				       "cache_age_ms"),
			(long long)jiffies_to_msecs(msecs_to_jiffies(500)));
	/* a clock that reads before the snapshot is not a huge age */
	KUNIT_EXPECT_EQ(test, tw_value(tw_render(test, snap, snap->taken_at - 5),
				       "cache_age_ms"), 0LL);
}

/* Render one table row with @fn into a bare seq_file. */
static char *tw_render_row(struct kunit *test,
			   void (*fn)(struct seq_file *m, const void *row),
			   const void *row)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	m->buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->buf);
	m->size = 255;
	fn(m, row);
	m->buf[m->count] = '\0';
	return m->buf;
}

static void tw_port_row_fn(struct seq_file *m, const void *row)
{
	tw_port_row_format(m, row);
}

static void tw_dest_row_fn(struct seq_file *m, const void *row)
{
	tw_dest_row_format(m, row);
}

static void tw_dest_others_fn(struct seq_file *m, const void *row)
{
	tw_dest_others_format(m, row);
}

static void tw_netns_row_fn(struct seq_file *m, const void *row)
{
	tw_netns_row_format(m, row);
}

static void tw_netns_others_fn(struct seq_file *m, const void *row)
{
	tw_netns_others_format(m, row);
}

static void tw_format_test_port_row(struct kunit *test)
{
	struct tw_port_row r = {
		.port = 8080, .bind_owners = 16,
		.sockets = { .tw = 5, .fin_wait2 = 1, .established = 2,
			     .close_wait = 3, .other = 4, .listen = 1 },
		.flags = TW_PORT_EXPLICIT,
	};

	KUNIT_EXPECT_STREQ(test, tw_render_row(test, tw_port_row_fn, &r),
			   "8080 5 1 2 3 4 1 1 16\n");
	r.flags = TW_PORT_OWNERS_UNKNOWN;
	KUNIT_EXPECT_STREQ(test, tw_render_row(test, tw_port_row_fn, &r),
			   "8080 5 1 2 3 4 1 0 -\n");
}

static void tw_format_test_dest_rows(struct kunit *test)
{
	struct tw_dest_row r = {
		.tw = 600, .other = 2, .in_use = 602, .reusable = 7,
		.headroom = 405, .conn_per_s = 16,
	};

	r.key.family = AF_INET;
	r.key.laddr.v4 = htonl(0x7f000001);
	r.key.raddr.v4 = htonl(0x7f000002);
	r.key.rport = htons(5100);
	KUNIT_EXPECT_STREQ(test, tw_render_row(test, tw_dest_row_fn, &r),
			   "127.0.0.1 127.0.0.2:5100 600 2 602 7 405 16\n");
	memset(&r.key, 0, sizeof(r.key));
	r.key.family = AF_INET6;
	r.key.laddr.v6.s6_addr[15] = 1;
	r.key.raddr.v6.s6_addr[0] = 0xfd;
	r.key.raddr.v6.s6_addr[15] = 2;
	r.key.rport = htons(443);
	KUNIT_EXPECT_STREQ(test, tw_render_row(test, tw_dest_row_fn, &r),
			   "::1 [fd00::2]:443 600 2 602 7 405 16\n");
	KUNIT_EXPECT_STREQ(test, tw_render_row(test, tw_dest_others_fn, &r),
			   "others - 600 2 602 7 - -\n");
}

static void tw_format_test_netns_rows(struct kunit *test)
{
	struct tw_netns_row r = {
		.inum = 4026532001U, .ephemeral_in_use = 45,
		.sockets = { .tw = 40, .fin_wait2 = 2, .established = 3,
			     .close_wait = 4, .other = 5, .listen = 1 },
		.min_headroom = 960, .private_ehash = true,
	};

	KUNIT_EXPECT_STREQ(test, tw_render_row(test, tw_netns_row_fn, &r),
			   "4026532001 40 2 3 4 5 1 45 960 1\n");
	KUNIT_EXPECT_STREQ(test, tw_render_row(test, tw_netns_others_fn, &r),
			   "others 40 2 3 4 5 1 45 - -\n");
}

static struct kunit_case tw_format_test_cases[] = {
	KUNIT_CASE(tw_format_test_lines_are_name_value),
	KUNIT_CASE(tw_format_test_names_are_unique),
	KUNIT_CASE(tw_format_test_values),
	KUNIT_CASE(tw_format_test_histogram_is_cumulative),
	KUNIT_CASE(tw_format_test_contract_names_present),
	KUNIT_CASE(tw_format_test_cache_age),
	KUNIT_CASE(tw_format_test_port_row),
	KUNIT_CASE(tw_format_test_dest_rows),
	KUNIT_CASE(tw_format_test_netns_rows),
	{}
};

static struct kunit_suite tw_format_test_suite = {
	.name = "tw_format",
	.test_cases = tw_format_test_cases,
};

kunit_test_suite(tw_format_test_suite);
