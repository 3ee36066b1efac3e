// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for the text tw_stats publishes and twstat saves, except the
 * tables (table.c): "name value" files, one-line sysctls and sysctl_conf.
 * They take a byte buffer (never a path) so that the tests and the fuzzer
 * feed them exactly what a file would, and they refuse anything outside
 * the documented format with "file:line: why" rather than guess: a wrong
 * number is worse than an error.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "parse.h"
#include "util.h"
#include "tw_stats_format.h"

const char *const tw_file_names[TWF_COUNT] = {
	[TWF_META] = "meta",
	[TWF_STATS] = TW_PROC_STATS,
	[TWF_PORTS] = TW_PROC_PORTS,
	[TWF_DESTS] = TW_PROC_DESTS,
	[TWF_DROPS] = TW_PROC_DROPS,
	[TWF_NETNS] = TW_PROC_NETNS,
	[TWF_CHAINS] = "debugfs/" TW_DEBUGFS_CHAINS,
	[TWF_WALK_COST] = "debugfs/" TW_DEBUGFS_WALK_COST,
	[TWF_TW_REUSE] = "sysctl/tcp_tw_reuse",
	[TWF_TW_REUSE_DELAY] = "sysctl/tcp_tw_reuse_delay",
	[TWF_TIMESTAMPS] = "sysctl/tcp_timestamps",
	[TWF_FIN_TIMEOUT] = "sysctl/tcp_fin_timeout",
	[TWF_MAX_TW_BUCKETS] = "sysctl/tcp_max_tw_buckets",
	[TWF_PORT_RANGE] = "sysctl/ip_local_port_range",
	[TWF_RESERVED_PORTS] = "sysctl/ip_local_reserved_ports",
	[TWF_SYSCTL_CONF] = "sysctl_conf",
	[TWF_NETNS_NAMES] = "netns_names",
	[TWF_CGROUPS] = TW_PROC_CGROUPS,
	[TWF_CGROUP_NAMES] = "cgroup_names",
	[TWF_NAT] = TW_PROC_NAT,
	[TWF_CT_TW_TIMEOUT] = "sysctl/nf_conntrack_tcp_timeout_time_wait",
};

/*
 * The "name value" lines the contract lets say "-" (NUM_OR_NONE): only
 * these; "-" anywhere else is as wrong as any other non-number.
 */
static bool may_be_none(const char *name)
{
	return !strcmp(name, TW_STAT_NAT_MIN_HEADROOM);
}

struct stats_ctx {
	const char *file;
	struct tw_stats *out;
	size_t cap;
};

static int stats_line(void *vctx, char *line, size_t lineno, char *err)
{
	struct stats_ctx *ctx = vctx;
	struct tw_stats *s = ctx->out;
	char *f[3];
	uint64_t v;
	bool none;
	size_t i;

	switch (tw_split(line, f, 2)) {
	case 0:
		return tw_fail(err, ctx->file, lineno, "empty line");
	case 2:
		break;
	default:
		return tw_fail(err, ctx->file, lineno,
			       "expected 'name value', found %s", line);
	}
	if (!tw_valid_name(f[0]))
		return tw_fail(err, ctx->file, lineno, "bad name '%.64s'", f[0]);
	none = !strcmp(f[1], TW_NO_VALUE) && may_be_none(f[0]);
	v = 0;
	if (!none && !tw_parse_u64(f[1], &v))
		return tw_fail(err, ctx->file, lineno,
			       "value of %s is not an unsigned 64-bit decimal: '%.32s'",
			       f[0], f[1]);
	/* Linear: these files hold tens of names, and duplicates are bugs. */
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, f[0]))
			return tw_fail(err, ctx->file, lineno,
				       "%s appears twice", f[0]);
	if (s->n == ctx->cap) {
		struct tw_stat *nv;

		ctx->cap = ctx->cap ? ctx->cap * 2 : 64;
		nv = realloc(s->v, ctx->cap * sizeof(*nv));
		if (!nv)
			return tw_fail(err, ctx->file, lineno, "out of memory");
		s->v = nv;
	}
	s->v[s->n].name = strdup(f[0]);
	if (!s->v[s->n].name)
		return tw_fail(err, ctx->file, lineno, "out of memory");
	s->v[s->n].value = v;
	s->v[s->n].none = none;
	s->n++;
	return 0;
}

int tw_parse_stats(const char *file, const char *data, size_t len,
		   struct tw_stats *out, char *err)
{
	struct stats_ctx ctx = { .file = file, .out = out };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = tw_cut_copy(file, data, len, stats_line, &ctx, err);
	if (ret)
		tw_stats_free(out);
	return ret;
}

void tw_stats_free(struct tw_stats *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

bool tw_get(const struct tw_stats *s, const char *name, uint64_t *out)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (!strcmp(s->v[i].name, name)) {
			*out = s->v[i].value;
			return !s->v[i].none;
		}
	return false;
}

bool tw_has(const struct tw_stats *s, const char *name)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return true;
	return false;
}

uint64_t tw_get0(const struct tw_stats *s, const char *name)
{
	uint64_t v = 0;

	tw_get(s, name, &v);
	return v;
}

size_t tw_next_expires_bucket(const struct tw_stats *s, unsigned long after,
			      unsigned long *secs)
{
	unsigned long best_secs = ULONG_MAX, n;
	size_t best = s->n, i;

	for (i = 0; i < s->n; i++) {
		int used = 0;

		if (sscanf(s->v[i].name, TW_STAT_TW_EXPIRES_LE_PREFIX "%lu" TW_STAT_TW_EXPIRES_LE_SUFFIX "%n", &n,
			   &used) != 1 || s->v[i].name[used] ||
		    n <= after || n >= best_secs)
			continue;
		best = i;
		best_secs = n;
	}
	*secs = best_secs;
	return best;
}

/* A sysctl file: @nvalues unsigned numbers on one line. */
int tw_parse_sysctl(const char *file, const char *data, size_t len,
		    unsigned int nvalues, uint64_t *values, char *err)
{
	char *copy, *f[4], *nl;
	size_t n;
	unsigned int i;

	if (len > 4096)
		return tw_fail(err, file, 0, "too large for a sysctl");
	if (memchr(data, '\0', len))
		return tw_fail(err, file, 0, "contains a NUL byte: not a text file");
	copy = tw_dup_buf(data, len);
	nl = strchr(copy, '\n');
	if (!nl || nl[1]) {
		free(copy);
		return tw_fail(err, file, 1, nl ? "more than one line" :
			       "no newline: file truncated");
	}
	*nl = '\0';
	n = tw_split(copy, f, 3);
	if (n != nvalues) {
		free(copy);
		return tw_fail(err, file, 1, "expected %u number%s", nvalues,
			       nvalues > 1 ? "s" : "");
	}
	for (i = 0; i < nvalues; i++)
		if (!tw_parse_u64(f[i], &values[i])) {
			tw_fail(err, file, 1, "not an unsigned number: '%.32s'",
				f[i]);
			free(copy);
			return -1;
		}
	free(copy);
	return 0;
}

struct conf_ctx {
	const char *file;
	struct tw_conf_line **out;
	size_t *n;
};

/* Our own "key<TAB>value<TAB>path:line" lines, written by --save. */
static int conf_line(void *vctx, char *line, size_t lineno, char *err)
{
	struct conf_ctx *ctx = vctx;
	char *t1 = strchr(line, '\t'), *t2;
	struct tw_conf_line *c;

	t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	if (!t1 || !t2 || strchr(t2 + 1, '\t') || t1 == line || !t2[1])
		return tw_fail(err, ctx->file, lineno,
			       "expected 'key<TAB>value<TAB>where'");
	*t1 = *t2 = '\0';
	if (!tw_valid_name(line))
		return tw_fail(err, ctx->file, lineno, "bad key '%.64s'", line);
	c = realloc(*ctx->out, (*ctx->n + 1) * sizeof(*c));
	if (!c)
		return tw_fail(err, ctx->file, lineno, "out of memory");
	*ctx->out = c;
	c += (*ctx->n)++;
	c->key = strdup(line);
	c->value = strdup(t1 + 1);
	c->where = strdup(t2 + 1);
	if (!c->key || !c->value || !c->where)
		return tw_fail(err, ctx->file, lineno, "out of memory");
	return 0;
}

int tw_parse_conf(const char *file, const char *data, size_t len,
		  struct tw_conf_line **out, size_t *n, char *err)
{
	struct conf_ctx ctx = { .file = file, .out = out, .n = n };

	*out = NULL;
	*n = 0;
	return tw_cut_copy(file, data, len, conf_line, &ctx, err);
}
