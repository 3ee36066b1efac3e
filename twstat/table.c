// SPDX-License-Identifier: GPL-2.0
/*
 * The table files' parser: a header naming the columns, checked against
 * what each file must and may have (a newer module's extra columns are
 * carried, not refused), then rows of cells, each checked by its column's
 * type; and the accessors the outputs read the cells with.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "tw_stats_format.h"
#include "table.h"
#include "util.h"

#define MAX_COLS	64

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool valid_addr(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 ||
	       inet_pton(AF_INET6, s, buf) == 1;
}

static bool valid_port(const char *s)
{
	uint64_t port;

	return tw_parse_u64(s, &port) && port <= 65535 && strlen(s) <= 5;
}

/* "1.2.3.4:80" or "[::1]:80" */
static bool valid_endpoint(const char *s)
{
	unsigned char bin[16];
	char host[64];
	const char *colon;
	size_t n;

	if (*s == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':')
			return false;
		n = end - s - 1;
		if (n >= sizeof(host))
			return false;
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (inet_pton(AF_INET6, host, bin) != 1)
			return false;
		return valid_port(end + 2);
	}
	colon = strrchr(s, ':');
	if (!colon)
		return false;
	n = colon - s;
	if (n >= sizeof(host))
		return false;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, bin) != 1)
		return false;
	return valid_port(colon + 1);
}

enum col_type {
	COL_NUM,	/* unsigned integer */
	COL_NUM_OR_NONE,/* unsigned integer or "-" */
	COL_PORT,	/* 0..65535 */
	COL_ADDR,	/* 127.0.0.1 or ::1 */
	COL_ENDPOINT,	/* 1.2.3.4:80 or [::1]:80 */
	COL_HOST,	/* either of the two above */
	COL_NAME,	/* [a-z0-9_]+ */
};

struct col_spec {
	const char *name;
	enum col_type type;
	bool required;
};

struct table_spec {
	const struct col_spec *cols;	/* the first one starts the header */
	bool others_row;		/* always ends with "others ..." */
	bool sorted_first;		/* first column strictly increasing */
	/* may say "# inactive: why" instead of rows (tw_nat) */
	bool may_be_inactive;
	/* what a row must hold beyond its cells' kinds, or NULL */
	int (*check_row)(const struct tw_table *t, const struct tw_cell *row,
			 bool others, size_t lineno, char *err);
};

/*
 * The columns each table file has, from the format contract
 * (tw_stats_format.h): a column ALWAYS printed is required in a header, one
 * ADDED later may be missing from an older module's file.
 */
#define COL_PRESENCE_ALWAYS	true
#define COL_PRESENCE_ADDED	false
#define COL_SPEC(name, kind, presence) \
	{ #name, COL_##kind, COL_PRESENCE_##presence },
#define COL_END { NULL, COL_NUM, false }

static const struct col_spec ports_cols[] = { TW_PORTS_COLUMNS(COL_SPEC) COL_END };
static const struct col_spec dests_cols[] = { TW_DESTS_COLUMNS(COL_SPEC) COL_END };
static const struct col_spec drops_cols[] = { TW_DROPS_COLUMNS(COL_SPEC) COL_END };
static const struct col_spec netns_cols[] = { TW_NETNS_COLUMNS(COL_SPEC) COL_END };
static const struct col_spec cgroups_cols[] = { TW_CGROUPS_COLUMNS(COL_SPEC) COL_END };
static const struct col_spec chains_cols[] = { TW_CHAINS_COLUMNS(COL_SPEC) COL_END };
static const struct col_spec nat_cols[] = { TW_NAT_COLUMNS(COL_SPEC) COL_END };

/* Column @name of @row, a number; false when "-" or not a number. */
static bool row_num(const struct tw_table *t, const struct tw_cell *row,
		    const char *name, uint64_t *out)
{
	int c = tw_col(t, name);

	if (c < 0 || row[c].kind != TW_CELL_NUM)
		return false;
	*out = row[c].num;
	return true;
}

/*
 * A tw_nat row: the module counts every flow of a row in one state, so
 * the states add up to flows; a row's port range is known whole (both
 * ports and the headroom) or not at all, and the headroom is what is
 * left of the range, never more.  A row that breaks this is not what
 * the module prints, and no number of it can be trusted.
 */
static int nat_row(const struct tw_table *t, const struct tw_cell *row,
		   bool others, size_t lineno, char *err)
{
	static const char *const states[] = {
		"time_wait", "close_wait", "established", "other",
	};
	uint64_t flows, v, sum = 0, lo, hi, head;
	bool have_lo, have_hi, have_head;
	size_t i;

	/* the others row too: its counts are sums, never "-" */
	if (!row_num(t, row, "flows", &flows))
		return tw_fail(err, t->file, lineno, "'others' row: flows should be a number");
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		if (!row_num(t, row, states[i], &v))
			return tw_fail(err, t->file, lineno,
				       "'others' row: %s should be a number",
				       states[i]);
		if (__builtin_add_overflow(sum, v, &sum))
			return tw_fail(err, t->file, lineno,
				       "inconsistent: the states' flows overflow 64 bits");
	}
	if (sum != flows)
		return tw_fail(err, t->file, lineno,
			       "inconsistent: time_wait + close_wait + established + other = %llu, flows %llu",
			       (unsigned long long)sum, (unsigned long long)flows);
	have_lo = row_num(t, row, "port_min", &lo);
	have_hi = row_num(t, row, "port_max", &hi);
	have_head = row_num(t, row, "headroom", &head);
	if (others && (have_lo || have_hi || have_head))
		return tw_fail(err, t->file, lineno,
			       "'others' row: port_min, port_max and headroom should be '-'");
	if (others)
		return 0;
	if (have_lo != have_hi || have_lo != have_head)
		return tw_fail(err, t->file, lineno,
			       "port_min, port_max and headroom must be all numbers or all '-'");
	if (!have_lo)
		return 0;
	if (lo > 65535 || hi > 65535 || lo > hi)
		return tw_fail(err, t->file, lineno,
			       "port_min %llu, port_max %llu: not a port range",
			       (unsigned long long)lo, (unsigned long long)hi);
	if (head > hi - lo + 1)
		return tw_fail(err, t->file, lineno,
			       "inconsistent: headroom %llu is more than the %llu ports of %llu-%llu",
			       (unsigned long long)head,
			       (unsigned long long)(hi - lo + 1),
			       (unsigned long long)lo, (unsigned long long)hi);
	return 0;
}

static const struct table_spec table_specs[TWF_COUNT] = {
	[TWF_PORTS] = { ports_cols, false, true },
	[TWF_DESTS] = { dests_cols, true, false },
	[TWF_DROPS] = { drops_cols, true, false },
	[TWF_NETNS] = { netns_cols, true, false },
	[TWF_CGROUPS] = { cgroups_cols, true, false },
	[TWF_CHAINS] = { chains_cols, false, true },
	[TWF_NAT] = { nat_cols, true, false, true, nat_row },
};

struct table_ctx {
	const struct table_spec *spec;
	struct tw_table *t;
	const struct col_spec **colspec;	/* per column, NULL if unknown */
	size_t cap;				/* rows allocated */
	uint64_t last_first;
	bool seen_others;
	size_t inactive_line;			/* where "# inactive" was */
};

static bool type_is_num(enum col_type type)
{
	return type == COL_NUM || type == COL_NUM_OR_NONE || type == COL_PORT;
}

static int table_header(struct table_ctx *ctx, char *line, char *err)
{
	struct tw_table *t = ctx->t;
	char *f[MAX_COLS + 1];
	const struct col_spec *c;
	size_t n, i, j;

	n = tw_split(line, f, MAX_COLS);
	if (n == 0)
		return tw_fail(err, t->file, 1, "empty header line");
	if (n > MAX_COLS)
		return tw_fail(err, t->file, 1, "more than %d columns", MAX_COLS);
	if (strcmp(f[0], ctx->spec->cols[0].name))
		return tw_fail(err, t->file, 1,
			       "header should start with '%s', found '%.64s'",
			       ctx->spec->cols[0].name, f[0]);
	t->cols = xcalloc(n, sizeof(*t->cols));
	ctx->colspec = xcalloc(n, sizeof(*ctx->colspec));
	t->col_is_text = xcalloc(n, sizeof(*t->col_is_text));
	t->ncols = n;
	for (i = 0; i < n; i++) {
		if (!tw_valid_name(f[i]))
			return tw_fail(err, t->file, 1, "bad column name '%.64s'",
				       f[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(t->cols[j], f[i]))
				return tw_fail(err, t->file, 1,
					       "column %s appears twice", f[i]);
		t->cols[i] = f[i];
		for (c = ctx->spec->cols; c->name; c++)
			if (!strcmp(c->name, f[i]))
				ctx->colspec[i] = c;
		t->col_is_text[i] = ctx->colspec[i] &&
				    !type_is_num(ctx->colspec[i]->type);
	}
	for (c = ctx->spec->cols; c->name; c++)
		if (c->required && tw_col(t, c->name) < 0)
			return tw_fail(err, t->file, 1, "no column '%s'", c->name);
	return 0;
}

static bool cell_valid(enum col_type type, const char *s)
{
	switch (type) {
	case COL_NUM:
		return all_digits(s);
	case COL_NUM_OR_NONE:
		return all_digits(s) || !strcmp(s, "-");
	case COL_PORT:
		return valid_port(s);
	case COL_ADDR:
		return valid_addr(s);
	case COL_ENDPOINT:
		return valid_endpoint(s);
	case COL_HOST:
		return valid_addr(s) || valid_endpoint(s);
	case COL_NAME:
		return tw_valid_name(s);
	}
	return false;
}

static int table_row(struct table_ctx *ctx, char *line, size_t lineno,
		     char *err)
{
	struct tw_table *t = ctx->t;
	char *f[MAX_COLS + 1];
	struct tw_cell *row;
	bool others;
	size_t n, i;

	if (ctx->inactive_line)
		return tw_fail(err, t->file, lineno,
			       "a line after the 'inactive' line %zu",
			       ctx->inactive_line);
	if (ctx->spec->may_be_inactive &&
	    !strncmp(line, TW_NAT_INACTIVE_PREFIX, strlen(TW_NAT_INACTIVE_PREFIX))) {
		if (t->nrows)
			return tw_fail(err, t->file, lineno,
				       "an 'inactive' line after rows");
		t->inactive = line + strlen(TW_NAT_INACTIVE_PREFIX);
		if (!*t->inactive)
			return tw_fail(err, t->file, lineno,
				       "an 'inactive' line without its reason");
		ctx->inactive_line = lineno;
		return 0;
	}
	n = tw_split(line, f, MAX_COLS);
	if (n == 0)
		return tw_fail(err, t->file, lineno, "empty line");
	if (n != t->ncols)
		return tw_fail(err, t->file, lineno,
			       "%zu fields, the header has %zu", n, t->ncols);
	if (ctx->seen_others)
		return tw_fail(err, t->file, lineno,
			       "a row after the 'others' row");
	others = ctx->spec->others_row && !strcmp(f[0], "others");
	if (t->nrows == ctx->cap) {
		struct tw_cell *nc;

		ctx->cap = ctx->cap ? ctx->cap * 2 : 64;
		nc = realloc(t->cells, ctx->cap * t->ncols * sizeof(*nc));
		if (!nc)
			return tw_fail(err, t->file, lineno, "out of memory");
		t->cells = nc;
	}
	row = t->cells + t->nrows * t->ncols;
	for (i = 0; i < n; i++) {
		const struct col_spec *cs = ctx->colspec[i];
		struct tw_cell *c = &row[i];

		c->text = f[i];
		c->num = 0;
		if (!strcmp(f[i], "-"))
			c->kind = TW_CELL_NONE;
		else if (tw_parse_u64(f[i], &c->num))
			c->kind = TW_CELL_NUM;
		else
			c->kind = TW_CELL_TEXT;
		if (!cs)
			continue;	/* a newer module's column */
		if (others && i == 0)
			continue;
		if (others) {
			/* the sum row has numbers or "-", never an address */
			bool numeric = cs->type == COL_NUM ||
				       cs->type == COL_NUM_OR_NONE;

			if (numeric ? c->kind != TW_CELL_TEXT :
			    c->kind == TW_CELL_NONE)
				continue;
			return tw_fail(err, t->file, lineno,
				       "'others' row: %s should be %s, found '%.64s'",
				       cs->name,
				       numeric ? "a 64-bit number or '-'" : "'-'",
				       f[i]);
		}
		if (!cell_valid(cs->type, f[i]))
			return tw_fail(err, t->file, lineno, "bad %s '%.64s'",
				       cs->name, f[i]);
		if (type_is_num(cs->type) && all_digits(f[i]) &&
		    c->kind != TW_CELL_NUM)
			return tw_fail(err, t->file, lineno,
				       "%s does not fit in 64 bits: '%.64s'",
				       cs->name, f[i]);
	}
	if (ctx->spec->check_row &&
	    ctx->spec->check_row(t, row, others, lineno, err))
		return -1;
	if (ctx->spec->sorted_first && !others) {
		if (t->nrows && row[0].num <= ctx->last_first)
			return tw_fail(err, t->file, lineno,
				       "%s %s is out of order or repeated",
				       t->cols[0], f[0]);
		ctx->last_first = row[0].num;
	}
	if (others) {
		ctx->seen_others = true;
		t->has_others = true;
	}
	t->nrows++;
	return 0;
}

static int table_line(void *vctx, char *line, size_t lineno, char *err)
{
	struct table_ctx *ctx = vctx;

	if (lineno == 1)
		return table_header(ctx, line, err);
	return table_row(ctx, line, lineno, err);
}

struct tw_table *tw_parse_table(enum tw_file_id id, const char *file,
				const char *data, size_t len, char *err)
{
	struct table_ctx ctx = { .spec = &table_specs[id] };
	struct tw_table *t;
	int ret;

	if (!ctx.spec->cols) {
		tw_fail(err, file, 0, "not a table");
		return NULL;
	}
	if (len > TW_MAX_FILE_BYTES) {
		tw_fail(err, file, 0, "too large (%zu bytes)", len);
		return NULL;
	}
	if (len == 0) {
		tw_fail(err, file, 1, "empty file: no header line");
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->file = file;
	t->buf = tw_dup_buf(data, len);
	ctx.t = t;
	ret = tw_cut_lines(file, t->buf, len, table_line, &ctx, err);
	if (!ret && ctx.spec->others_row && !t->has_others && !t->inactive)
		ret = tw_fail(err, file, t->nrows + 2,
			      "no 'others' row at the end: file truncated");
	free(ctx.colspec);
	if (ret) {
		tw_table_free(t);
		return NULL;
	}
	return t;
}

void tw_table_free(struct tw_table *t)
{
	if (!t)
		return;
	free(t->cols);
	free(t->col_is_text);
	free(t->cells);
	free(t->buf);
	free(t);
}

int tw_col(const struct tw_table *t, const char *name)
{
	size_t i;

	for (i = 0; t && i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return (int)i;
	return -1;
}

const struct tw_cell *tw_cell(const struct tw_table *t, size_t row, int col)
{
	if (!t || col < 0 || row >= t->nrows)
		return NULL;
	return &t->cells[row * t->ncols + col];
}

bool tw_cell_num(const struct tw_table *t, size_t row, int col, uint64_t *out)
{
	const struct tw_cell *c = tw_cell(t, row, col);

	if (!c || c->kind != TW_CELL_NUM)
		return false;
	*out = c->num;
	return true;
}

/* Rows that describe one object: all but the "others" sum row. */
size_t tw_table_data_rows(const struct tw_table *t)
{
	if (!t)
		return 0;
	return t->nrows - (t->has_others ? 1 : 0);
}
