/* SPDX-License-Identifier: GPL-2.0 */
/*
 * twstat --prometheus: the sample writers prometheus.c has, and the
 * families from tables that prometheus_tables.c writes with them.
 */
#ifndef TW_PROMETHEUS_H
#define TW_PROMETHEUS_H

#include <stdbool.h>
#include <stddef.h>
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

/*
 * How a module value becomes a sample value: as it is; nanoseconds or
 * milliseconds as seconds; an age in milliseconds or seconds as the Unix
 * time it points to (the reading's time less the age), since an age is
 * stale by the time the textfile is scraped and a timestamp is not.
 */
enum prom_unit { U_ONE, U_NS, U_AGE_MS, U_AGE_S };

/*
 * prometheus.c: @v in @u into @buf, exact decimals; false when it has no
 * value (an age without a reading time, or older than the epoch).
 */
bool prom_value(const struct prom *p, char *buf, size_t len, uint64_t v,
		enum prom_unit u);
/* # HELP and # TYPE of a family, then its samples. */
void prom_family(struct prom *p, const char *name, const char *type,
		 const char *help);
/* One sample; @labels holds key, value pairs, NULL-terminated. */
void prom_sample(struct prom *p, const char *name, const char *value,
		 const char *const *labels);
void prom_sample_u64(struct prom *p, const char *name, uint64_t v,
		     const char *const *labels);
/* Whether tw_stats_<@name> passes promtool's lint (no unit or type words). */
bool prom_lint_safe(const char *name);

/* prometheus_tables.c: the families from the table files. */
void prom_ports(struct prom *p);
void prom_dests(struct prom *p);
void prom_drops(struct prom *p);
void prom_netns(struct prom *p);
void prom_debugfs(struct prom *p);
/* owners.c */
void prom_cgroups(struct prom *p);
/* nat.c */
void prom_nat(struct prom *p);

#endif
