/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers derived from readings rather than read: rates, a destination's
 * growth, the busiest ports.
 */
#ifndef TW_DERIVE_H
#define TW_DERIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tw_table;
struct twstat_reading;

double tw_rate(const struct twstat_reading *prev, const struct twstat_reading *cur,
	       uint64_t before, uint64_t after, bool *ok);
bool tw_dest_growth(const struct twstat_reading *prev,
		    const struct twstat_reading *cur, size_t row, double *per_s);
size_t *tw_top_ports(const struct tw_table *t, size_t n, size_t *count);

#endif
