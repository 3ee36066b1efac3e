/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAT's view (tw_nat and the nat_/conntrack_ lines of tw_stats): what
 * a row's numbers are (nat.c), its table, summary section and Prometheus
 * families (nat.c), and the advice on SNAT exhaustion (advise_nat.c).
 */
#ifndef TW_NAT_H
#define TW_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"

struct twstat_reading;

/*
 * nf_conntrack_tcp_timeout_time_wait's default (seconds): conntrack keeps
 * a closed TCP flow this long, twice TCP's own TIME_WAIT.
 */
#define TW_CT_TW_TIMEOUT_DEFAULT	120
/* TCP's TIME_WAIT (TCP_TIMEWAIT_LEN), what the conntrack one is compared to */
#define TW_TCP_TIMEWAIT_S		60
/* The kernel's NAT range when a rule names no ports (1024-65535). */
#define TW_NAT_DEFAULT_LOW		1024
#define TW_NAT_DEFAULT_HIGH		65535

/* One row of tw_nat as numbers; range and headroom only when known. */
struct tw_nat_row {
	const char *proto, *source, *destination;
	uint64_t flows, time_wait, close_wait, established, other;
	bool have_range;	/* port_min, port_max and headroom are numbers */
	uint64_t port_min, port_max, range, headroom;
};

/* Row @r of @s's tw_nat (the others row too: no range there). */
bool tw_nat_row(const struct twstat_reading *s, size_t r,
		struct tw_nat_row *out);
/*
 * The conntrack TIME_WAIT timeout the reading had (seconds); *read false
 * when the sysctl was not there to read (then the kernel's default).
 */
uint64_t tw_nat_ct_timeout(const struct twstat_reading *s, bool *read);
/* nat_active: 1, 0, or -1 when tw_stats has no such line (older module). */
int tw_nat_active(const struct twstat_reading *s);

/* --nat: 0, or 1 when the reading has no tw_nat (an older module). */
int tw_print_nat(FILE *f, const struct twstat_reading *s,
		 const struct tw_out_opts *o);
/* The summary's NAT section (nothing from a module without the view). */
void tw_summary_nat(FILE *f, const struct twstat_reading *s,
		    const struct tw_out_opts *o);

/* advise_nat.c: the [nat] advice; the number of findings. */
unsigned int tw_advise_nat(FILE *f, const struct twstat_reading *prev,
			   const struct twstat_reading *cur);

#endif
