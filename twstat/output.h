/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What twstat prints a reading as: the summary, JSON, Prometheus text and
 * advice.
 */
#ifndef TW_OUTPUT_H
#define TW_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

struct twstat_reading;

struct tw_out_opts {
	bool color;
	bool no_header;
	unsigned int top;		/* rows per table / series per family */
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

/* json.c */
void tw_print_json(FILE *f, const struct twstat_reading *s);
void tw_print_netns_json(FILE *f, const struct twstat_reading *s);

/* prometheus.c */
void tw_print_prometheus(FILE *f, const struct twstat_reading *s,
			 const struct tw_out_opts *o);
void tw_print_netns_prometheus(FILE *f, const struct twstat_reading *s,
			       const struct tw_out_opts *o);

/* advise.c: returns the number of pieces of advice printed. */
unsigned int tw_advise(FILE *f, const struct twstat_reading *prev,
		       const struct twstat_reading *cur);

#endif
