/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a sysctl change would buy: the destination table recomputed from
 * one reading with the module's headroom rules (module/dests.c), under
 * other settings (--what-if) or with one more source address (--advise).
 */
#ifndef TW_WHATIF_H
#define TW_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct twstat_reading;
struct tw_out_opts;

/* Settings to recompute under; unset ones keep the reading's. */
struct tw_whatif {
	bool set_reuse, set_range, set_reserved;
	uint64_t reuse;
	uint64_t low, high;
	char *reserved;		/* as ip_local_reserved_ports takes it */
};

/* One destination as it would be. */
struct tw_whatif_dest {
	size_t row;		/* in the reading's tw_destinations */
	uint64_t tw, other, in_use, reusable, headroom, conn_per_s;
	bool at_most;		/* reusable (so headroom) is an upper bound */
	bool at_least;		/* headroom is a lower bound */
};

/* Parse one SYSCTL=VALUE into @w: 0, or -1 with the reason in @err. */
int tw_whatif_parse(struct tw_whatif *w, const char *arg, char *err,
		    size_t errlen);
void tw_whatif_free(struct tw_whatif *w);

/*
 * Ports connect() may pick under @w (ephemeral_available as the module
 * computes it); *exact false when the reading cannot tell for sure.
 */
uint64_t tw_whatif_available(const struct twstat_reading *s,
			     const struct tw_whatif *w, bool *exact);
/* Destination @row of @s's tw_destinations under @w. */
bool tw_whatif_dest(const struct twstat_reading *s, const struct tw_whatif *w,
		    size_t row, struct tw_whatif_dest *d);
/* Whether tcp_tw_reuse applies toward @row under @w (timestamps on too). */
bool tw_whatif_reuse_applies(const struct twstat_reading *s,
			     const struct tw_whatif *w, size_t row);
/* ms a reused port stays busy: tcp_tw_reuse_delay, or 1000 before 6.14 */
uint64_t tw_whatif_reuse_delay_ms(const struct twstat_reading *s);

/* "exact", "at_most", "at_least" or "about" (both) */
const char *tw_whatif_known(const struct tw_whatif_dest *p);

/* --what-if: the destination table as it would be. */
void tw_print_whatif(FILE *f, const struct twstat_reading *s,
		     const struct tw_whatif *w, const struct tw_out_opts *o);

/* advise_cgroups.c: CLOSE_WAIT by owner, from tw_cgroups next to the reading */
unsigned int tw_advise_cgroups(FILE *f, const struct twstat_reading *s);

#endif
