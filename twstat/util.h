/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What twstat and the test helpers share: allocation that exits on
 * failure, strict unsigned numbers, and the usage error.
 */
#ifndef TW_UTIL_H
#define TW_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The program's name in its messages; main() sets it (default "twstat"). */
extern const char *tw_prog;

/* Out of memory is not worth a recovery path here: say so and exit(1). */
void __attribute__((noreturn)) tw_oom(void);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A whole file, /proc ones included (they report size 0), NUL-terminated
 * in *data (malloc()ed); 0, or -errno (-EFBIG past @max bytes).
 */
int tw_read_file(const char *path, size_t max, char **data, size_t *len);

/*
 * A plain unsigned decimal: digits only, no sign, space or base prefix
 * (strtoull() takes " -5", "+5" and "0x5"), and no overflow.
 */
bool tw_parse_u64(const char *s, uint64_t *out);
/* The same, and within [min, max]. */
bool tw_parse_ulong(const char *s, unsigned long min, unsigned long max,
		    unsigned long *out);

/*
 * A bad command line: "PROG: why", then @after (a hint, or the usage
 * text), and exit with @status (64, EX_USAGE, unless a tool documents
 * another).
 */
void __attribute__((noreturn, format(printf, 3, 4)))
tw_usage_err(int status, const char *after, const char *fmt, ...);

#endif /* TW_UTIL_H */
