/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The files twstat reads, and the parsers of its one-line and "name value"
 * ones.
 */
#ifndef TW_PARSE_H
#define TW_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parsers refuse bigger files: a /proc file that size is a bug, not data. */
#define TW_MAX_FILE_BYTES	(64u << 20)
/* Every parser returns 0, or -1 with "file:line: why" (this long) in err. */
#define TW_ERR_LEN		512

/* The files a reading is made of, by their name in a saved directory. */
enum tw_file_id {
	TWF_META,
	TWF_STATS,
	TWF_PORTS,
	TWF_DESTS,
	TWF_DROPS,
	TWF_NETNS,
	TWF_CHAINS,
	TWF_WALK_COST,
	TWF_TW_REUSE,
	TWF_TW_REUSE_DELAY,
	TWF_TIMESTAMPS,
	TWF_FIN_TIMEOUT,
	TWF_MAX_TW_BUCKETS,
	TWF_PORT_RANGE,
	TWF_RESERVED_PORTS,
	TWF_SYSCTL_CONF,
	TWF_NETNS_NAMES,
	TWF_CGROUPS,
	TWF_CGROUP_NAMES,
	TWF_NAT,
	TWF_CT_TW_TIMEOUT,
	TWF_COUNT,
};

extern const char *const tw_file_names[TWF_COUNT];

/*
 * One "name value" line of tw_stats, walk_cost or a sysctl.  @none: the
 * line said "-" (only a NUM_OR_NONE line of the contract may: see
 * tw_stat_may_be_none()); value is then 0 and tw_get() finds no value.
 */
struct tw_stat {
	char *name;
	uint64_t value;
	bool none;
};

/* The "name value" files, in file order (JSON keeps that order). */
struct tw_stats {
	struct tw_stat *v;
	size_t n;
};

/* A setting found in /etc/sysctl.conf and friends ("sysctl_conf" file). */
struct tw_conf_line {
	char *key;	/* last component: tcp_tw_recycle */
	char *value;
	char *where;	/* path:line */
};

int tw_parse_stats(const char *file, const char *data, size_t len,
		   struct tw_stats *out, char *err);
void tw_stats_free(struct tw_stats *s);
bool tw_get(const struct tw_stats *s, const char *name, uint64_t *out);
/* Whether the line is there at all, "-" included. */
bool tw_has(const struct tw_stats *s, const char *name);
uint64_t tw_get0(const struct tw_stats *s, const char *name);
/*
 * The histogram line of tw_stats after the one of @after seconds: the
 * tw_expires_le_<N>s with the smallest N > @after, whatever order the
 * lines come in.  Its index, N in *secs; s->n when there is none.
 */
size_t tw_next_expires_bucket(const struct tw_stats *s, unsigned long after,
			      unsigned long *secs);

int tw_parse_sysctl(const char *file, const char *data, size_t len,
		    unsigned int nvalues, uint64_t *values, char *err);
int tw_parse_conf(const char *file, const char *data, size_t len,
		  struct tw_conf_line **out, size_t *n, char *err);

#endif
