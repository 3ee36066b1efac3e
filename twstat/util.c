// SPDX-License-Identifier: GPL-2.0
/*
 * What twstat and the test helpers share: allocation that exits on
 * failure, strict unsigned numbers, and the usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

int tw_read_file(const char *path, size_t max, char **data, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > max) {
				err = -EFBIG;
				goto out_err;
			}
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				err = -ENOMEM;
				goto out_err;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out_err;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
out_err:
	close(fd);
	free(buf);
	return err;
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
