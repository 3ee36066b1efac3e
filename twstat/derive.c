// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers derived from readings rather than read: rates between two
 * readings, how fast a destination's ports fill, the busiest ports.
 */
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "reading.h"
#include "util.h"

/* Per second between two snapshots; a counter that went back is a reset. */
double tw_rate(const struct twstat_reading *prev, const struct twstat_reading *cur,
	       uint64_t before, uint64_t after, bool *ok)
{
	double dt;

	*ok = false;
	if (!prev)
		return 0;
	dt = cur->time_mono - prev->time_mono;
	if (dt <= 0)
		return 0;
	*ok = true;
	return ((double)after - (double)before) / dt;
}

/* Row @row of cur's destinations, in prev: same local and remote. */
static bool dest_in_prev(const struct twstat_reading *prev,
			 const struct twstat_reading *cur, size_t row,
			 size_t *prow)
{
	int lc = tw_col(cur->dests, "local"), rc = tw_col(cur->dests, "remote");
	int plc = tw_col(prev->dests, "local"), prc = tw_col(prev->dests, "remote");
	const char *l = tw_cell(cur->dests, row, lc)->text;
	const char *r = tw_cell(cur->dests, row, rc)->text;
	size_t i;

	for (i = 0; i < tw_table_data_rows(prev->dests); i++)
		if (!strcmp(tw_cell(prev->dests, i, plc)->text, l) &&
		    !strcmp(tw_cell(prev->dests, i, prc)->text, r)) {
			*prow = i;
			return true;
		}
	return false;
}

/*
 * How fast a destination's ports fill up: the change of in_use since an
 * earlier snapshot.  One snapshot cannot tell: conn_per_s is what the
 * ports sustain, not the rate at which they are used now.
 */
bool tw_dest_growth(const struct twstat_reading *prev,
		    const struct twstat_reading *cur, size_t row, double *per_s)
{
	const struct tw_table *d = cur->dests;
	uint64_t in_use, before;
	size_t prow;
	bool ok;

	if (prev && prev->dests && dest_in_prev(prev, cur, row, &prow) &&
	    tw_cell_num(d, row, tw_col(d, "in_use"), &in_use) &&
	    tw_cell_num(prev->dests, prow, tw_col(prev->dests, "in_use"),
			&before)) {
		*per_s = tw_rate(prev, cur, before, in_use, &ok);
		if (ok)
			return true;
	}
	return false;
}

static uint64_t port_weight(const struct tw_table *t, size_t row)
{
	uint64_t tw = 0, fw2 = 0;

	tw_cell_num(t, row, tw_col(t, "tw"), &tw);
	tw_cell_num(t, row, tw_col(t, "fin_wait2"), &fw2);
	return tw + fw2 < tw ? UINT64_MAX : tw + fw2;
}

static const struct tw_table *sort_table;

static int by_weight(const void *a, const void *b)
{
	size_t ra = *(const size_t *)a, rb = *(const size_t *)b;
	uint64_t wa = port_weight(sort_table, ra), wb = port_weight(sort_table, rb);

	if (wa != wb)
		return wa < wb ? 1 : -1;
	return ra < rb ? -1 : ra > rb;
}

/*
 * Rows of tw_ports with the most timewait sockets, most first (ties:
 * lower port first), at most @n of them; those with none are left out.
 * Returns a malloc()ed array of row indices; *count holds its length.
 */
size_t *tw_top_ports(const struct tw_table *t, size_t n, size_t *count)
{
	size_t rows = tw_table_data_rows(t), have = 0, i;
	size_t *idx = xcalloc(rows + 1, sizeof(*idx));

	for (i = 0; i < rows; i++)
		if (port_weight(t, i))
			idx[have++] = i;
	sort_table = t;
	qsort(idx, have, sizeof(*idx), by_weight);
	*count = have < n ? have : n;
	return idx;
}
