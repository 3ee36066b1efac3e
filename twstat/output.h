/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What twstat prints a reading as: the summary, JSON, Prometheus text and
 * advice.
 */
#ifndef TW_OUTPUT_H
#define TW_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct twstat_reading;

struct tw_out_opts {
	bool color;
	bool no_header;
	unsigned int top;		/* rows per table / series per family */
	bool all_netns;			/* --prometheus: the tw_netns families too */
};

/*
 * summary.c: the one-screen summary, also --watch's frame (rates with @prev).
 */
void tw_print_summary(FILE *f, const struct twstat_reading *prev,
		      const struct twstat_reading *cur,
		      const struct tw_out_opts *o);
/* summary_tables.c: --all-netns, the namespace table alone, with names. */
void tw_print_netns_summary(FILE *f, const struct twstat_reading *s,
			    const struct tw_out_opts *o);

/* owners.c: --by-cgroup (1: the module has no tw_cgroups), the summary's part */
int tw_print_cgroups(FILE *f, const struct twstat_reading *s,
		     const struct tw_out_opts *o);
void tw_summary_owners(FILE *f, const struct twstat_reading *s,
		       const struct tw_out_opts *o);
const char *tw_owner_cgroup(const struct twstat_reading *s, size_t r);
const char *tw_owner_user(const struct twstat_reading *s, size_t r);

/* json.c */
void tw_print_json(FILE *f, const struct twstat_reading *s);
void tw_print_netns_json(FILE *f, const struct twstat_reading *s);

/*
 * prometheus.c: tw_stats_up 1 and every family of the reading (those of
 * tw_netns only with o->all_netns); tw_stats_up 0 alone for a reading that
 * found no module (only its netns is known).
 */
void tw_print_prometheus(FILE *f, const struct twstat_reading *s,
			 const struct tw_out_opts *o);
void tw_print_prometheus_down(FILE *f, const struct twstat_reading *s);

/* advise.c: returns the number of pieces of advice printed. */
unsigned int tw_advise(FILE *f, const struct twstat_reading *prev,
		       const struct twstat_reading *cur);

#endif
