/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What twstat --prometheus's two files share: the sample writers, and the
 * families from tables.
 */
#ifndef TW_PROMETHEUS_H
#define TW_PROMETHEUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"

struct twstat_reading;

struct prom {
	FILE *f;
	char netns[32];
	bool *used;		/* per tw_stats entry: already exported */
	const struct twstat_reading *s;
	const struct tw_out_opts *o;
};

/* prometheus.c: # HELP and # TYPE of a family, then its samples. */
void prom_family(struct prom *p, const char *name, const char *type,
		 const char *help);
/* One sample; @labels holds key, value pairs, NULL-terminated. */
void prom_sample(struct prom *p, const char *name, const char *value,
		 const char *const *labels);
void prom_sample_u64(struct prom *p, const char *name, uint64_t v,
		     const char *const *labels);

/* prometheus_tables.c: the families from the table files. */
void prom_ports(struct prom *p);
void prom_dests(struct prom *p);
void prom_drops(struct prom *p);
void prom_netns(struct prom *p);
void prom_debugfs(struct prom *p);

#endif
