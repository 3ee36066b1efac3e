// SPDX-License-Identifier: GPL-2.0
/*
 * What twstat and the test helpers share: allocation that exits on
 * failure, strict unsigned numbers, and the usage error.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

const char *tw_prog = "twstat";

void tw_oom(void)
{
	fprintf(stderr, "%s: out of memory\n", tw_prog);
	exit(1);
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		tw_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		tw_oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		tw_oom();
	return s;
}

bool tw_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return false;
		d = *s - '0';
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool tw_parse_ulong(const char *s, unsigned long min, unsigned long max,
		    unsigned long *out)
{
	uint64_t v;

	if (!tw_parse_u64(s, &v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

void tw_usage_err(int status, const char *after, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tw_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(after, stderr);
	exit(status);
}
