/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parsers share: a file cut into checked lines and fields, and the
 * "file:line: why" error.
 */
#ifndef TW_LINES_H
#define TW_LINES_H

#include <stdbool.h>
#include <stddef.h>

/* Longest stat, column or sysctl.d key name. */
#define TW_MAX_NAME_LEN	128

int __attribute__((format(printf, 4, 5)))
tw_fail(char *err, const char *file, size_t line, const char *fmt, ...);
int tw_cut_lines(const char *file, char *data, size_t len,
		 int (*fn)(void *ctx, char *line, size_t lineno, char *err),
		 void *ctx, char *err);
int tw_cut_copy(const char *file, const char *data, size_t len,
		int (*fn)(void *ctx, char *line, size_t lineno, char *err),
		void *ctx, char *err);
size_t tw_split(char *line, char **fields, size_t max);
size_t tw_split_tabs(char *line, char **fields, size_t max);
char *tw_dup_buf(const char *data, size_t len);
bool tw_valid_name(const char *s);

#endif
