// SPDX-License-Identifier: GPL-2.0
/*
 * --advise on CLOSE_WAIT by owner: the rows of tw_cgroups that hold
 * CLOSE_WAIT sockets long idle, from the reading's parsed table, each
 * cgroup named by its path where the reading's owner names have one
 * (found live, or saved with it: cgroup_names.c).
 */
#include <inttypes.h>

#include "cgroup_names.h"
#include "reading.h"
#include "table.h"
#include "whatif.h"

#define CW_MIN		10	/* this many is a leak without waiting */
#define CW_IDLE_S	60	/* one socket idle this long in CLOSE_WAIT too */
#define MAX_CG_LINES	5

unsigned int tw_advise_cgroups(FILE *out, const struct twstat_reading *s)
{
	const struct tw_table *t = s->cgroups;
	int cc, cu, cw, ci;
	size_t r, shown = 0, more = 0;

	if (!t)
		return 0;	/* older module: nothing to say */
	cc = tw_col(t, "cgroup");
	cu = tw_col(t, "uid");
	cw = tw_col(t, "close_wait");
	ci = tw_col(t, "close_wait_idle_max_s");
	for (r = 0; r < t->nrows; r++) {
		uint64_t n, idle = 0, id;
		bool have_idle;
		const char *name = NULL;

		/* the "others" row has no number in its cgroup column */
		if (!tw_cell_num(t, r, cc, &id) || !tw_cell_num(t, r, cw, &n) || !n)
			continue;
		have_idle = tw_cell_num(t, r, ci, &idle);
		if (n < CW_MIN && (!have_idle || idle < CW_IDLE_S))
			continue;
		if (shown == MAX_CG_LINES) {
			more++;
			continue;
		}
		shown++;
		if (id)
			name = tw_cgroup_path(s, id);
		if (name)
			fprintf(out, "[close_wait] '%s' (cgroup %s, uid %s)",
				name, tw_cell(t, r, cc)->text, tw_cell(t, r, cu)->text);
		else
			fprintf(out, "[close_wait] cgroup %s (uid %s)",
				tw_cell(t, r, cc)->text, tw_cell(t, r, cu)->text);
		fprintf(out, " holds %" PRIu64 " CLOSE_WAIT sockets", n);
		if (have_idle)
			fprintf(out, ", oldest idle %" PRIu64 " s", idle);
		fputs(": the application does not close() its sockets after the peer closed; no sysctl fixes that\n",
		      out);
	}
	if (more)
		fprintf(out, "[close_wait] and %zu more (cgroup, uid) pairs with CLOSE_WAIT sockets\n",
			more);
	return shown;
}
