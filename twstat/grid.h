/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The summary's layout engine: a table's cells are set first, then the
 * column widths are measured and the rows printed aligned, coloured only
 * when asked for.
 */
#ifndef TW_GRID_H
#define TW_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output.h"

#define C_BOLD	"\033[1m"
#define C_RED	"\033[31m"
#define C_YEL	"\033[33m"
#define C_OFF	"\033[0m"

#define GRID_MAX_COLS	16

/* A table being laid out: every cell's text first, widths after. */
struct grid {
	size_t ncols, nrows, cap;
	char **cells;
	const char **colors;
	bool right[GRID_MAX_COLS];
};

/* @right: one character per column, 'r' for a right-aligned (number) column. */
void grid_init(struct grid *g, size_t ncols, const char *right);
/* A new last row, its cells empty; row 0 is the header. */
void grid_add_row(struct grid *g);
/* Row 0: one header cell per column, from @heads. */
void grid_add_header(struct grid *g, const char *const *heads);
/* Cell @col of the last row. */
void __attribute__((format(printf, 4, 5)))
grid_set(struct grid *g, size_t col, const char *color, const char *fmt, ...);
/*
 * A file's column name as a header cell: in capitals, as the summary shows
 * them.
 */
void grid_set_header(struct grid *g, size_t col, const char *name);
void grid_free(struct grid *g);
/* The color of a headroom cell: red below 10% left, yellow below 25%. */
const char *grid_pct_color(double pct);
/* Print and free; row 0 is the header, left out with -H. */
void grid_print(FILE *f, struct grid *g, const struct tw_out_opts *o,
		const char *indent);

#endif
