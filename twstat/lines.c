// SPDX-License-Identifier: GPL-2.0
/*
 * What the parsers share: a file cut into lines and fields in place, with
 * the checks every file gets (NUL bytes, a cut-short last line), and the
 * "file:line: why" error message they all return.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "parse.h"
#include "util.h"

int tw_fail(char *err, const char *file, size_t line, const char *fmt, ...)
{
	int n = 0;
	va_list ap;

	if (line)
		n = snprintf(err, TW_ERR_LEN, "%s:%zu: ", file, line);
	else
		n = snprintf(err, TW_ERR_LEN, "%s: ", file);
	if (n < 0 || n >= TW_ERR_LEN)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(err + n, TW_ERR_LEN - n, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Cut data into lines in place.  Calls @line for each; a last line
 * without its newline means the file was cut short, and NUL bytes mean
 * it is not text: both are errors, never silently half-read.
 */
int tw_cut_lines(const char *file, char *data, size_t len,
			 int (*fn)(void *ctx, char *line, size_t lineno,
				   char *err),
			 void *ctx, char *err)
{
	size_t lineno = 0, off = 0;
	char *nul;

	nul = memchr(data, '\0', len);
	if (nul) {
		for (off = 0; off < (size_t)(nul - data); off++)
			lineno += data[off] == '\n';
		return tw_fail(err, file, lineno + 1,
			       "contains a NUL byte: not a text file");
	}
	while (off < len) {
		char *nl = memchr(data + off, '\n', len - off);

		lineno++;
		if (!nl)
			return tw_fail(err, file, lineno,
				       "last line has no newline: file truncated");
		*nl = '\0';
		if (fn(ctx, data + off, lineno, err))
			return -1;
		off = nl - data + 1;
	}
	return 0;
}

/*
 * tw_cut_lines() on a copy, for parsers that keep @data as it is; a file
 * larger than any the module or --save writes is refused first.
 */
int tw_cut_copy(const char *file, const char *data, size_t len,
		int (*fn)(void *ctx, char *line, size_t lineno, char *err),
		void *ctx, char *err)
{
	char *copy;
	int ret;

	if (len > TW_MAX_FILE_BYTES)
		return tw_fail(err, file, 0, "too large (%zu bytes)", len);
	copy = tw_dup_buf(data, len);
	ret = tw_cut_lines(file, copy, len, fn, ctx, err);
	free(copy);
	return ret;
}

/* Split on blanks into at most @max fields; returns the count, or max+1. */
size_t tw_split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return max + 1;
		fields[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/*
 * Split on each TAB into at most @max fields, empty ones included (the
 * saved name files have empty cells); returns the count, or max+1.
 */
size_t tw_split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		if (n == max)
			return max + 1;
		fields[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			return n;
		*p++ = '\0';
	}
}

char *tw_dup_buf(const char *data, size_t len)
{
	char *copy = xcalloc(len + 1, 1);

	memcpy(copy, data, len);
	return copy;
}

bool tw_valid_name(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return n > 0 && n <= TW_MAX_NAME_LEN;
}
