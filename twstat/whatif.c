// SPDX-License-Identifier: GPL-2.0
/*
 * --what-if and the numbers --advise quotes: a destination's headroom
 * and sustainable rate under other sysctls, recomputed from one reading
 * with the module's rules (module/dests.c):
 *
 *   headroom   = available - shareable + reusable
 *   conn_per_s = available / busy, busy = 60 s, or where tcp_tw_reuse
 *                applies the reuse delay: net.ipv4.tcp_tw_reuse_delay
 *                (ms, since 6.14), else 1 s
 *
 * available is ephemeral_available (the searched ports of the range minus
 * reserved minus bind()-held), shareable the sockets toward the
 * destination on ports connect() could pick, reusable its timewait
 * sockets connect() may take over now.  The reading gives available,
 * reusable and headroom, hence shareable = available + reusable -
 * headroom whenever headroom > 0.  What a reading cannot tell is marked:
 * see tw_whatif_dest().
 */
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "output.h"
#include "reading.h"
#include "util.h"
#include "whatif.h"
#include "tw_stats_format.h"

#define TIMEWAIT_MS	60000	/* TCP_TIMEWAIT_LEN */
#define REUSE_DELAY_MS	1000	/* before 6.14; tcp_tw_reuse_delay's default */
#define NPORTS		65536

static const char *strip_prefix(const char *key)
{
	if (!strncmp(key, "net.ipv4.", 9))
		return key + 9;
	if (!strncmp(key, "net/ipv4/", 9))
		return key + 9;
	return key;
}

/* "a-b,c" as the kernel takes it into a bitmap; false if malformed. */
static bool parse_port_list(const char *list, unsigned char *map)
{
	const char *p = list;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	while (*p) {
		unsigned long a, b;
		char *end;

		if (*p < '0' || *p > '9')
			return false;
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return false;
			b = strtoul(p, &end, 10);
			p = end;
		}
		if (a > 65535 || b > 65535 || b < a)
			return false;
		if (map)
			for (; a <= b; a++)
				map[a / 8] |= 1 << (a % 8);
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == ',') {
			p++;
			if (!*p)
				return false;
		} else if (*p) {
			return false;
		}
	}
	return true;
}

int tw_whatif_parse(struct tw_whatif *w, const char *arg, char *err,
		    size_t errlen)
{
	const char *eq = strchr(arg, '='), *val;
	char key[64];
	unsigned long a, b;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(key)) {
		snprintf(err, errlen, "--what-if: expected SYSCTL=VALUE, not '%s'", arg);
		return -1;
	}
	memcpy(key, arg, eq - arg);
	key[eq - arg] = '\0';
	val = eq + 1;
	if (!strcmp(strip_prefix(key), "tcp_tw_reuse")) {
		if (!tw_parse_ulong(val, 0, 2, &a)) {
			snprintf(err, errlen, "--what-if: net.ipv4.tcp_tw_reuse takes 0, 1 or 2, not '%s'", val);
			return -1;
		}
		w->set_reuse = true;
		w->reuse = a;
		return 0;
	}
	if (!strcmp(strip_prefix(key), "ip_local_port_range")) {
		char buf[64], *sep, *lo, *hi;

		snprintf(buf, sizeof(buf), "%s", val);
		lo = buf + strspn(buf, " \t\"'");
		sep = lo + strcspn(lo, " \t,");
		hi = sep + strspn(sep, " \t,");
		*sep = '\0';
		hi[strcspn(hi, " \t\"'")] = '\0';
		if (strlen(val) >= sizeof(buf) || !tw_parse_ulong(lo, 1, 65535, &a) ||
		    !tw_parse_ulong(hi, 1, 65535, &b) || b < a) {
			snprintf(err, errlen, "--what-if: net.ipv4.ip_local_port_range takes 'LOW HIGH' (or LOW,HIGH), 1 <= LOW <= HIGH <= 65535, not '%s'", val);
			return -1;
		}
		w->set_range = true;
		w->low = a;
		w->high = b;
		return 0;
	}
	if (!strcmp(strip_prefix(key), "ip_local_reserved_ports")) {
		if (!parse_port_list(val, NULL)) {
			snprintf(err, errlen, "--what-if: net.ipv4.ip_local_reserved_ports takes a list like '8000-8100,9090' (or empty), not '%s'", val);
			return -1;
		}
		free(w->reserved);
		w->reserved = strdup(val);
		if (!w->reserved) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		w->set_reserved = true;
		return 0;
	}
	snprintf(err, errlen, "--what-if: '%s' is not one twstat can predict (net.ipv4.tcp_tw_reuse, net.ipv4.ip_local_port_range, net.ipv4.ip_local_reserved_ports)", key);
	return -1;
}

void tw_whatif_free(struct tw_whatif *w)
{
	free(w->reserved);
	w->reserved = NULL;
}

static void port_range(const struct twstat_reading *s, const struct tw_whatif *w,
		       uint64_t *low, uint64_t *high)
{
	if (w && w->set_range) {
		*low = w->low;
		*high = w->high;
	} else if (s->have_port_range) {
		*low = s->port_low;
		*high = s->port_high;
	} else {
		*low = tw_get0(&s->stats, TW_STAT_EPHEMERAL_LOW);
		*high = tw_get0(&s->stats, TW_STAT_EPHEMERAL_HIGH);
	}
}

/* The kernel searches an even number of ports: an odd range loses its top. */
static uint64_t searched(uint64_t low, uint64_t high)
{
	uint64_t n = high >= low ? high - low + 1 : 0;

	return n > 1 ? n & ~1ULL : n;
}

static uint64_t count_in(const unsigned char *map, uint64_t low, uint64_t n)
{
	uint64_t p, c = 0;

	for (p = low; p < low + n && p < NPORTS; p++)
		c += (map[p / 8] >> (p % 8)) & 1;
	return c;
}

static uint64_t available_now(const struct twstat_reading *s)
{
	uint64_t v;

	if (tw_get(&s->stats, TW_STAT_EPHEMERAL_AVAILABLE, &v))
		return v;
	return tw_ephemeral_ports(s);
}

uint64_t tw_whatif_available(const struct twstat_reading *s,
			     const struct tw_whatif *w, bool *exact)
{
	uint64_t low0, high0, low1, high1, n0, n1, res1, bound0, bound1;
	const char *list;
	unsigned char *map;

	*exact = true;
	if (!w || (!w->set_range && !w->set_reserved))
		return available_now(s);
	port_range(s, NULL, &low0, &high0);
	port_range(s, w, &low1, &high1);
	n0 = searched(low0, high0);
	n1 = searched(low1, high1);
	list = w->set_reserved ? w->reserved : s->reserved_ports;
	if (list) {
		map = xcalloc(NPORTS / 8, 1);
		if (!parse_port_list(list, map))
			*exact = false;
		res1 = count_in(map, low1, n1);
		free(map);
	} else {
		/* the reading did not keep the list: only its count */
		res1 = tw_get0(&s->stats, TW_STAT_EPHEMERAL_RESERVED);
		*exact = false;
	}
	/*
	 * bind()-held ports: the reading counts them in the old searched
	 * range only, not where they are.  A range that covers the old one
	 * keeps them all and may add ports bound outside it (listeners),
	 * which the reading cannot see; a narrower one keeps an unknown part.
	 */
	bound0 = tw_get0(&s->stats, TW_STAT_EPHEMERAL_BOUND);
	bound1 = bound0;
	if (low1 > low0 || low1 + n1 < low0 + n0) {
		*exact = false;
		if (bound1 > n1 - (res1 < n1 ? res1 : n1))
			bound1 = n1 - (res1 < n1 ? res1 : n1);
	} else if (low1 != low0 || n1 != n0) {
		*exact = false;
	}
	if (res1 + bound1 >= n1)
		return 0;
	return n1 - res1 - bound1;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* How long a port stays busy when tcp_tw_reuse takes its TIME_WAIT. */
uint64_t tw_whatif_reuse_delay_ms(const struct twstat_reading *s)
{
	return s->tw_reuse_delay.have ? s->tw_reuse_delay.value : REUSE_DELAY_MS;
}

static bool is_loopback_addr(const char *a)
{
	if (*a == '[')
		a++;
	return !strncmp(a, "127.", 4) || !strncmp(a, "::1]", 4) ||
	       !strcmp(a, "::1") || !strncmp(a, "::ffff:127.", 11);
}

static bool reuse_applies(const struct twstat_reading *s,
			  const struct tw_whatif *w, size_t row)
{
	const struct tw_table *d = s->dests;
	uint64_t mode = 2;	/* the kernel's default */

	if (s->timestamps.have && !s->timestamps.value)
		return false;
	if (w && w->set_reuse)
		mode = w->reuse;
	else if (s->tw_reuse.have)
		mode = s->tw_reuse.value;
	if (mode == 1)
		return true;
	return mode == 2 &&
	       (is_loopback_addr(tw_cell(d, row, tw_col(d, "local"))->text) ||
		is_loopback_addr(tw_cell(d, row, tw_col(d, "remote"))->text));
}

bool tw_whatif_reuse_applies(const struct twstat_reading *s,
			     const struct tw_whatif *w, size_t row)
{
	return reuse_applies(s, w, row);
}

/*
 * Destination @row under @w.  Known from the reading: available (above),
 * and the ports connect() could pick that are in use toward it
 * (shareable).  Not known:
 * - which timewait sockets tcp_tw_reuse would take over when it does not
 *   apply now (the module then counts none as reusable): all of them is
 *   the upper bound (each needs a timestamp seen, substate TIME_WAIT, the
 *   reuse delay passed and a port connect() could pick), so at_most;
 * - shareable when headroom is 0 (the module clamps): in_use bounds it
 *   from above, so the headroom is at_least;
 * - whether in-use ports fall outside a range that no longer covers them
 *   (they would stop counting): at_least.
 */
bool tw_whatif_dest(const struct twstat_reading *s, const struct tw_whatif *w,
		    size_t row, struct tw_whatif_dest *p)
{
	const struct tw_table *d = s->dests;
	uint64_t head0, reus0 = 0, avail0 = available_now(s), avail1, shareable;
	uint64_t low0, high0, low1, high1, busy_ms;
	bool r0, r1, exact;

	memset(p, 0, sizeof(*p));
	p->row = row;
	if (!d || !tw_cell_num(d, row, tw_col(d, "headroom"), &head0))
		return false;
	tw_cell_num(d, row, tw_col(d, "tw"), &p->tw);
	tw_cell_num(d, row, tw_col(d, "other"), &p->other);
	tw_cell_num(d, row, tw_col(d, "in_use"), &p->in_use);
	tw_cell_num(d, row, tw_col(d, "reusable"), &reus0);
	avail1 = tw_whatif_available(s, w, &exact);
	if (!exact)
		p->at_most = true;
	if (head0) {
		/* saturating: a reading may hold any 64-bit number */
		shareable = sat_add(avail0, reus0);
		shareable = shareable > head0 ? shareable - head0 : 0;
	} else {
		shareable = p->in_use;
		p->at_least = true;
	}
	port_range(s, NULL, &low0, &high0);
	port_range(s, w, &low1, &high1);
	if (low1 > low0 || low1 + searched(low1, high1) < low0 + searched(low0, high0))
		p->at_least = true;
	r0 = reuse_applies(s, NULL, row);
	r1 = reuse_applies(s, w, row);
	if (r1 == r0) {
		p->reusable = reus0 < shareable ? reus0 : shareable;
	} else if (r1) {
		p->reusable = p->tw < shareable ? p->tw : shareable;
		if (p->reusable)
			p->at_most = true;
	}
	/* reusable <= shareable: no overflow this way round */
	p->headroom = avail1 > shareable - p->reusable ?
		      avail1 - (shareable - p->reusable) : 0;
	busy_ms = r1 ? tw_whatif_reuse_delay_ms(s) : TIMEWAIT_MS;
	/* like the module: a delay of 0 makes every port free at once */
	p->conn_per_s = !busy_ms ? avail1 :
			avail1 > UINT64_MAX / 1000 ? avail1 / busy_ms * 1000 :
			avail1 * 1000 / busy_ms;
	return true;
}

const char *tw_whatif_known(const struct tw_whatif_dest *p)
{
	if (p->at_most && p->at_least)
		return "about";
	return p->at_most ? "at_most" : p->at_least ? "at_least" : "exact";
}

static int by_headroom(const void *a, const void *b)
{
	const struct tw_whatif_dest *x = a, *y = b;

	if (x->headroom != y->headroom)
		return x->headroom < y->headroom ? -1 : 1;
	if (x->in_use != y->in_use)
		return x->in_use > y->in_use ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static void print_settings(FILE *f, const struct twstat_reading *s,
			   const struct tw_whatif *w)
{
	uint64_t low, high;

	fputs("What if", f);
	if (w->set_reuse) {
		fprintf(f, " net.ipv4.tcp_tw_reuse=%llu", (unsigned long long)w->reuse);
		if (s->tw_reuse.have)
			fprintf(f, " (now %llu)", (unsigned long long)s->tw_reuse.value);
	}
	if (w->set_range) {
		port_range(s, NULL, &low, &high);
		fprintf(f, " net.ipv4.ip_local_port_range='%llu %llu' (now %llu %llu)",
			(unsigned long long)w->low, (unsigned long long)w->high,
			(unsigned long long)low, (unsigned long long)high);
	}
	if (w->set_reserved)
		fprintf(f, " net.ipv4.ip_local_reserved_ports='%s' (now '%s')",
			w->reserved, s->reserved_ports ? s->reserved_ports : "unknown");
	fputc('\n', f);
}

void tw_print_whatif(FILE *f, const struct twstat_reading *s,
		     const struct tw_whatif *w, const struct tw_out_opts *o)
{
	static const char *const heads[] = {
		"LOCAL", "REMOTE", "TW", "OTHER", "IN_USE", "REUSABLE",
		"HEADROOM", "NOW", "CONN/S", "KNOWN",
	};
	const struct tw_table *d = s->dests;
	size_t rows = d ? tw_table_data_rows(d) : 0, n = 0, i;
	struct tw_whatif_dest *p = xcalloc(rows + 1, sizeof(*p));
	bool exact, any_most = false, any_least = false, any_about = false;
	uint64_t avail1 = tw_whatif_available(s, w, &exact);
	struct grid g;

	print_settings(f, s, w);
	fprintf(f, "ports connect() may pick per destination: %s%llu (now %llu)\n",
		exact ? "" : "about ", (unsigned long long)avail1,
		(unsigned long long)available_now(s));
	for (i = 0; i < rows; i++)
		if (tw_whatif_dest(s, w, i, &p[n]))
			n++;
	if (!n) {
		fputs(d ? "  no destination holds ephemeral ports\n" :
		      "  the reading has no tw_destinations (an older module)\n", f);
		free(p);
		return;
	}
	qsort(p, n, sizeof(*p), by_headroom);
	grid_init(&g, ARRAY_SIZE(heads), "llrrrrrrrl");
	grid_add_header(&g, heads);
	for (i = 0; i < n && i < o->top; i++) {
		uint64_t head0 = 0;

		tw_cell_num(d, p[i].row, tw_col(d, "headroom"), &head0);
		grid_add_row(&g);
		grid_set(&g, 0, NULL, "%s", tw_cell(d, p[i].row, tw_col(d, "local"))->text);
		grid_set(&g, 1, NULL, "%s", tw_cell(d, p[i].row, tw_col(d, "remote"))->text);
		grid_set(&g, 2, NULL, "%llu", (unsigned long long)p[i].tw);
		grid_set(&g, 3, NULL, "%llu", (unsigned long long)p[i].other);
		grid_set(&g, 4, NULL, "%llu", (unsigned long long)p[i].in_use);
		grid_set(&g, 5, NULL, "%llu", (unsigned long long)p[i].reusable);
		grid_set(&g, 6, NULL, "%llu", (unsigned long long)p[i].headroom);
		grid_set(&g, 7, NULL, "%llu", (unsigned long long)head0);
		grid_set(&g, 8, NULL, "%llu", (unsigned long long)p[i].conn_per_s);
		grid_set(&g, 9, NULL, "%s", tw_whatif_known(&p[i]));
		any_about |= p[i].at_most && p[i].at_least;
		any_most |= p[i].at_most;
		any_least |= p[i].at_least;
	}
	grid_print(f, &g, o, "  ");
	if (n > o->top)
		fprintf(f, "  and %zu more destinations\n", n - o->top);
	if (any_most)
		fputs("at_most: the reading cannot tell which timewait sockets have a timestamp, are past the reuse delay and sit on ports connect() could pick, or which ports are bound outside the range it covers\n", f);
	if (any_least)
		fputs("at_least: the reading has no exact count of the ports in use toward it (headroom 0), or a narrower range may drop some of them\n", f);
	if (any_about)
		fputs("about: both at once, the headroom could be more or less\n", f);
	free(p);
}
