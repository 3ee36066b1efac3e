/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The summary's table sections (summary_tables.c), for the summary's frame
 * (summary.c).
 */
#ifndef TW_SUMMARY_H
#define TW_SUMMARY_H

#include <stdio.h>

#include "output.h"

struct tw_table;
struct twstat_reading;

void tw_summary_ports(FILE *f, const struct twstat_reading *s,
		      const struct tw_out_opts *o);
void tw_summary_dests(FILE *f, const struct twstat_reading *prev,
		      const struct twstat_reading *s,
		      const struct tw_out_opts *o);
void tw_summary_drops(FILE *f, const struct twstat_reading *s,
		      const struct tw_out_opts *o);
void tw_summary_raw_table(FILE *f, const char *title,
			  const struct tw_table *t,
			  const struct tw_out_opts *o);
void tw_summary_debugfs(FILE *f, const struct twstat_reading *s);

#endif
