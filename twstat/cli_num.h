/* SPDX-License-Identifier: GPL-2.0 */
/* Strict number parsing for the command lines of the test helpers. */
#ifndef TW_CLI_NUM_H
#define TW_CLI_NUM_H

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

/*
 * strtoul() alone accepts "", " 5", "-1" and "5x"; insist on a plain
 * decimal number that fits in [min, max].
 */
static inline bool parse_num(const char *s, unsigned long min,
			     unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

#endif /* TW_CLI_NUM_H */
