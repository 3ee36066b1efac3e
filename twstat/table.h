/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table files (a header naming the columns, then rows): their parser and
 * accessors.
 */
#ifndef TW_TABLE_H
#define TW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

enum tw_cell_kind {
	TW_CELL_NUM,	/* unsigned decimal, in num */
	TW_CELL_NONE,	/* "-": not applicable */
	TW_CELL_TEXT,	/* an address, an endpoint, a name, "others" */
};

struct tw_cell {
	enum tw_cell_kind kind;
	uint64_t num;
	const char *text;	/* always the cell as written */
};

/* A table file: a header naming the columns, then rows of cells. */
struct tw_table {
	const char *file;	/* name in a snapshot dir, for messages */
	char **cols;
	size_t ncols;
	struct tw_cell *cells;	/* row-major, nrows * ncols */
	size_t nrows;
	bool has_others;	/* the last row is the "others" row */
	/*
	 * tw_nat only: the reason after TW_NAT_INACTIVE_PREFIX when the file
	 * says its view is inactive (then there are no rows); else NULL.
	 */
	const char *inactive;
	char *buf;		/* the file's text, cut into cells */
	bool *col_is_text;	/* addresses and names, never numbers */
};

struct tw_table *tw_parse_table(enum tw_file_id id, const char *file,
				const char *data, size_t len, char *err);
void tw_table_free(struct tw_table *t);
int tw_col(const struct tw_table *t, const char *name);
const struct tw_cell *tw_cell(const struct tw_table *t, size_t row, int col);
bool tw_cell_num(const struct tw_table *t, size_t row, int col, uint64_t *out);
size_t tw_table_data_rows(const struct tw_table *t);

#endif
