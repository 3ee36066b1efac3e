// SPDX-License-Identifier: GPL-2.0
/*
 * A reading's files parsed into its fields, and checked against each
 * other (the sums and the histogram the module promises), whether read
 * live, from a saved directory, or one file alone for twcheck.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netns_names.h"
#include "reading.h"
#include "util.h"
#include "tw_stats_format.h"

/* The path a message should name: the live file, or the saved copy. */
static const char *fname(const struct twstat_reading *s, enum tw_file_id id)
{
	return s->files[id].path;
}

static int parse_sysctl(struct twstat_reading *s, enum tw_file_id id,
			struct tw_sysctl *out, char *err)
{
	const struct tw_file *f = &s->files[id];

	if (f->state != TW_FILE_PRESENT)
		return 0;
	if (tw_parse_sysctl(fname(s, id), f->data, f->len, 1, &out->value, err))
		return -1;
	out->have = true;
	return 0;
}

static struct tw_table *table(struct twstat_reading *s, enum tw_file_id id,
			      char *err, int *ret)
{
	const struct tw_file *f = &s->files[id];
	struct tw_table *t;

	if (*ret || f->state != TW_FILE_PRESENT)
		return NULL;
	t = tw_parse_table(id, fname(s, id), f->data, f->len, err);
	if (!t)
		*ret = -1;
	return t;
}

/* "a + b == total", false also when the sum does not fit. */
static bool sums_to(const struct tw_stats *st, const char *a, const char *b,
		    uint64_t total, uint64_t *va, uint64_t *vb)
{
	uint64_t sum;

	if (!tw_get(st, a, va) || !tw_get(st, b, vb))
		return true;
	return !__builtin_add_overflow(*va, *vb, &sum) && sum == total;
}

/*
 * The NAT lines: nat_active is 0 or 1, the other lines are printed only
 * while it is 1, and the flows in TIME_WAIT are some of the flows.
 */
static int check_nat_lines(struct twstat_reading *s, char *err)
{
	static const char *const active_only[] = {
		TW_STAT_NAT_FLOWS, TW_STAT_NAT_TIME_WAIT,
		TW_STAT_NAT_MIN_HEADROOM, TW_STAT_NAT_UNTRACKED_FLOWS,
		TW_STAT_CONNTRACK_INSERT_FAILED, TW_STAT_CONNTRACK_DROP,
		TW_STAT_CONNTRACK_EARLY_DROP,
	};
	const struct tw_stats *st = &s->stats;
	uint64_t active = 0, flows, tw;
	size_t i;

	if (tw_get(st, TW_STAT_NAT_ACTIVE, &active) && active > 1) {
		snprintf(err, TW_ERR_LEN, "%s: %s is %llu: 0 or 1",
			 fname(s, TWF_STATS), TW_STAT_NAT_ACTIVE,
			 (unsigned long long)active);
		return -1;
	}
	for (i = 0; !active && i < ARRAY_SIZE(active_only); i++)
		if (tw_has(st, active_only[i])) {
			snprintf(err, TW_ERR_LEN,
				 "%s: inconsistent: %s without %s 1",
				 fname(s, TWF_STATS), active_only[i],
				 TW_STAT_NAT_ACTIVE);
			return -1;
		}
	if (tw_get(st, TW_STAT_NAT_FLOWS, &flows) &&
	    tw_get(st, TW_STAT_NAT_TIME_WAIT, &tw) && tw > flows) {
		snprintf(err, TW_ERR_LEN,
			 "%s: inconsistent: %s %llu > %s %llu",
			 fname(s, TWF_STATS), TW_STAT_NAT_TIME_WAIT,
			 (unsigned long long)tw, TW_STAT_NAT_FLOWS,
			 (unsigned long long)flows);
		return -1;
	}
	return 0;
}

/*
 * The module takes every number of one tw_stats read from one walk, so
 * the parts add up; if they do not, the file is not what it claims to be
 * and no number of it can be trusted.
 */
static int check_consistent(struct twstat_reading *s, char *err)
{
	const struct tw_stats *st = &s->stats;
	uint64_t total = tw_get0(st, TW_STAT_TW_TOTAL), a, b, prev = 0;
	unsigned long secs, last_secs = 0;

	if (!sums_to(st, TW_STAT_TW_TIME_WAIT, TW_STAT_TW_FIN_WAIT2, total, &a, &b) ||
	    !sums_to(st, TW_STAT_TW_IPV4, TW_STAT_TW_IPV6, total, &a, &b)) {
		snprintf(err, TW_ERR_LEN,
			 "%s: inconsistent: %llu + %llu != tw_total %llu",
			 fname(s, TWF_STATS), (unsigned long long)a,
			 (unsigned long long)b, (unsigned long long)total);
		return -1;
	}
	if (check_nat_lines(s, err))
		return -1;
	/* the histogram is cumulative, whatever order its lines come in */
	for (;;) {
		size_t best = tw_next_expires_bucket(st, last_secs, &secs);

		if (best == st->n)
			break;
		if (st->v[best].value < prev || st->v[best].value > total) {
			snprintf(err, TW_ERR_LEN,
				 "%s:%zu: inconsistent: %s %llu is not cumulative (shorter bucket %llu, tw_total %llu)",
				 fname(s, TWF_STATS), best + 1, st->v[best].name,
				 (unsigned long long)st->v[best].value,
				 (unsigned long long)prev,
				 (unsigned long long)total);
			return -1;
		}
		last_secs = secs;
		prev = st->v[best].value;
	}
	return 0;
}

int tw_reading_parse(struct twstat_reading *s, char *err)
{
	struct tw_file *f;
	uint64_t v[2];
	int ret = 0;

	f = &s->files[TWF_META];
	if (f->state == TW_FILE_PRESENT) {
		struct tw_stats meta;
		uint64_t t;

		if (tw_parse_stats(fname(s, TWF_META), f->data, f->len, &meta, err))
			return -1;
		s->have_netns = tw_get(&meta, "netns", &s->netns);
		if (tw_get(&meta, "time_ns", &t)) {
			s->time_ns = t;
			s->time_real = t / 1e9;
			if (!s->time_mono)
				s->time_mono = s->time_real;
		}
		tw_stats_free(&meta);
	}
	f = &s->files[TWF_STATS];
	if (f->state == TW_FILE_PRESENT || !s->one_file) {
		if (tw_parse_stats(fname(s, TWF_STATS), f->data, f->len,
				   &s->stats, err))
			return -1;
		if (!tw_get(&s->stats, TW_STAT_TW_TOTAL, v)) {
			snprintf(err, TW_ERR_LEN, "%s: no tw_total line: %s",
				 fname(s, TWF_STATS),
				 f->len ? "not a tw_stats file" : "the file is empty");
			return -1;
		}
		if (check_consistent(s, err))
			return -1;
	}
	s->ports = table(s, TWF_PORTS, err, &ret);
	s->dests = table(s, TWF_DESTS, err, &ret);
	s->drops = table(s, TWF_DROPS, err, &ret);
	s->netns_table = table(s, TWF_NETNS, err, &ret);
	s->chains = table(s, TWF_CHAINS, err, &ret);
	s->cgroups = table(s, TWF_CGROUPS, err, &ret);
	s->nat = table(s, TWF_NAT, err, &ret);
	if (ret)
		return -1;
	f = &s->files[TWF_WALK_COST];
	if (f->state == TW_FILE_PRESENT) {
		s->walk_cost = calloc(1, sizeof(*s->walk_cost));
		if (!s->walk_cost ||
		    tw_parse_stats(fname(s, TWF_WALK_COST), f->data, f->len,
				   s->walk_cost, err))
			return -1;
	}
	if (parse_sysctl(s, TWF_TW_REUSE, &s->tw_reuse, err) ||
	    parse_sysctl(s, TWF_TW_REUSE_DELAY, &s->tw_reuse_delay, err) ||
	    parse_sysctl(s, TWF_TIMESTAMPS, &s->timestamps, err) ||
	    parse_sysctl(s, TWF_FIN_TIMEOUT, &s->fin_timeout, err) ||
	    parse_sysctl(s, TWF_MAX_TW_BUCKETS, &s->max_tw_buckets, err) ||
	    parse_sysctl(s, TWF_CT_TW_TIMEOUT, &s->ct_tw_timeout, err))
		return -1;
	f = &s->files[TWF_PORT_RANGE];
	if (f->state == TW_FILE_PRESENT) {
		if (tw_parse_sysctl(fname(s, TWF_PORT_RANGE), f->data, f->len,
				    2, v, err))
			return -1;
		if (v[0] > 65535 || v[1] > 65535 || v[0] > v[1]) {
			snprintf(err, TW_ERR_LEN, "%s:1: not a port range",
				 fname(s, TWF_PORT_RANGE));
			return -1;
		}
		s->have_port_range = true;
		s->port_low = v[0];
		s->port_high = v[1];
	}
	f = &s->files[TWF_RESERVED_PORTS];
	if (f->state == TW_FILE_PRESENT) {
		size_t n = strcspn(f->data, "\n");

		if (n != f->len - 1 || strspn(f->data, "0123456789,-") != n) {
			snprintf(err, TW_ERR_LEN, "%s:1: not a port list",
				 fname(s, TWF_RESERVED_PORTS));
			return -1;
		}
		s->reserved_ports = strndup(f->data, n);
	}
	f = &s->files[TWF_SYSCTL_CONF];
	if (f->state == TW_FILE_PRESENT &&
	    tw_parse_conf(fname(s, TWF_SYSCTL_CONF), f->data, f->len,
			  &s->conf, &s->nconf, err))
		return -1;
	f = &s->files[TWF_NETNS_NAMES];
	if (f->state == TW_FILE_PRESENT &&
	    tw_parse_netns_names(fname(s, TWF_NETNS_NAMES), f->data, f->len,
				 &s->names, &s->nnames, err))
		return -1;
	f = &s->files[TWF_CGROUP_NAMES];
	if (f->state == TW_FILE_PRESENT &&
	    tw_parse_cgroup_names(fname(s, TWF_CGROUP_NAMES), f->data, f->len,
				  &s->owners, &s->nowners, err))
		return -1;
	return 0;
}

/*
 * One file alone, with the rules a snapshot applies to it: for twcheck,
 * the torture test's reader, which must find every read well formed.
 */
int tw_check_one_file(enum tw_file_id id, const char *path,
		      const char *data, size_t len, char *err)
{
	struct twstat_reading s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.source = path;
	s.one_file = true;
	s.files[id].name = tw_file_names[id];
	s.files[id].path = xasprintf("%s", path);
	s.files[id].state = TW_FILE_PRESENT;
	s.files[id].data = malloc(len + 1);
	if (!s.files[id].data) {
		snprintf(err, TW_ERR_LEN, "%s: out of memory", path);
		tw_reading_free(&s);
		return -1;
	}
	memcpy(s.files[id].data, data, len);
	s.files[id].data[len] = '\0';
	s.files[id].len = len;
	ret = tw_reading_parse(&s, err);
	tw_reading_free(&s);
	return ret;
}

void tw_reading_free(struct twstat_reading *s)
{
	size_t i;

	for (i = 0; i < TWF_COUNT; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
	}
	tw_stats_free(&s->stats);
	tw_table_free(s->ports);
	tw_table_free(s->dests);
	tw_table_free(s->drops);
	tw_table_free(s->netns_table);
	tw_table_free(s->chains);
	tw_table_free(s->cgroups);
	tw_table_free(s->nat);
	if (s->walk_cost) {
		tw_stats_free(s->walk_cost);
		free(s->walk_cost);
	}
	free(s->reserved_ports);
	for (i = 0; i < s->nconf; i++) {
		free(s->conf[i].key);
		free(s->conf[i].value);
		free(s->conf[i].where);
	}
	free(s->conf);
	tw_netns_names_free(s);
	tw_cgroup_names_free(s);
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	memset(s, 0, sizeof(*s));
}

/* Ports connect() may pick: the module's count, else the sysctl range. */
uint64_t tw_ephemeral_ports(const struct twstat_reading *s)
{
	uint64_t n;

	if (tw_get(&s->stats, TW_STAT_EPHEMERAL_PORTS, &n) && n)
		return n;
	if (s->have_port_range)
		return s->port_high - s->port_low + 1;
	return 0;
}
