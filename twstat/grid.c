// SPDX-License-Identifier: GPL-2.0
/*
 * The summary's layout engine: a table's cells are set first, then the
 * column widths are measured and the rows printed aligned, coloured only
 * when asked for.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "util.h"

void grid_init(struct grid *g, size_t ncols, const char *right)
{
	size_t i;

	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	for (i = 0; i < ncols && right[i]; i++)
		g->right[i] = right[i] == 'r';
}

void grid_add_row(struct grid *g)
{
	if (g->nrows == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->cells = xrealloc(g->cells, g->cap * g->ncols * sizeof(char *));
		g->colors = xrealloc(g->colors, g->cap * g->ncols * sizeof(char *));
	}
	memset(&g->cells[g->nrows * g->ncols], 0, g->ncols * sizeof(char *));
	memset(&g->colors[g->nrows * g->ncols], 0, g->ncols * sizeof(char *));
	g->nrows++;
}

void grid_set(struct grid *g, size_t col, const char *color, const char *fmt, ...)
{
	size_t at = (g->nrows - 1) * g->ncols + col;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&g->cells[at], fmt, ap) < 0)
		tw_oom();
	va_end(ap);
	g->colors[at] = color;
}

void grid_add_header(struct grid *g, const char *const *heads)
{
	size_t c;

	grid_add_row(g);
	for (c = 0; c < g->ncols; c++)
		grid_set(g, c, NULL, "%s", heads[c]);
}

void grid_set_header(struct grid *g, size_t col, const char *name)
{
	char up[160];
	size_t k;

	for (k = 0; name[k] && k + 1 < sizeof(up); k++)
		up[k] = name[k] >= 'a' && name[k] <= 'z' ?
			name[k] - ('a' - 'A') : name[k];
	up[k] = '\0';
	grid_set(g, col, NULL, "%s", up);
}

void grid_free(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nrows * g->ncols; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g->colors);
}

void grid_print(FILE *f, struct grid *g, const struct tw_out_opts *o,
		const char *indent)
{
	size_t width[GRID_MAX_COLS] = { 0 }, r, c;

	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < g->ncols; c++) {
			const char *s = g->cells[r * g->ncols + c];
			size_t n = s ? strlen(s) : 0;

			if ((r || !o->no_header) && n > width[c])
				width[c] = n;
		}
	for (r = o->no_header ? 1 : 0; r < g->nrows; r++) {
		size_t end = g->ncols;

		/* no trailing blanks: stop after the last non-empty cell */
		while (end > 1 && (!g->cells[r * g->ncols + end - 1] ||
				   !*g->cells[r * g->ncols + end - 1]))
			end--;
		fputs(indent, f);
		for (c = 0; c < end; c++) {
			const char *s = g->cells[r * g->ncols + c];
			const char *color = g->colors[r * g->ncols + c];
			bool last = c + 1 == end;
			int w = (int)width[c];

			if (!s)
				s = "";
			if (r == 0 && o->color)
				color = C_BOLD;
			if (!o->color)
				color = NULL;
			if (color)
				fputs(color, f);
			if (g->right[c] && !(last && !*s))
				fprintf(f, "%*s", w, s);
			else if (last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", w, s);
			if (color)
				fputs(C_OFF, f);
			if (!last)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
	grid_free(g);
}

const char *grid_pct_color(double pct)
{
	if (pct < 10)
		return C_RED;
	if (pct < 25)
		return C_YEL;
	return NULL;
}
