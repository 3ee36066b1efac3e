// SPDX-License-Identifier: GPL-2.0
/*
 * twstat reads what the tw_stats module publishes and shows it to people
 * (summary, --watch, --advise) and to monitoring (--json, --prometheus),
 * live or from a saved copy.  This file holds the options and the modes;
 * reading.h (reading and parsing the files) and output.h (printing them)
 * say where the rest is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nat.h"
#include "netns_names.h"
#include "output.h"
#include "reading.h"
#include "twstat.h"
#include "util.h"
#include "whatif.h"

/*
 * Module not loaded, and nothing else: a service that runs twstat may
 * take it as success (--prometheus --output has said so in FILE).
 */
#define EXIT_MODULE	2
#define EXIT_USAGE	64
#define MAX_FROM	64
/* long options without a letter */
#define OPT_BY_CGROUP	0x100
#define OPT_NAT		0x101

static const char usage_text[] =
"usage: twstat [MODE] [OPTIONS]\n"
"\n"
"Shows TCP TIME_WAIT facts from the tw_stats module (/proc/net/tw_*).\n"
"\n"
"modes (default: a one-screen summary):\n"
"  -j, --json             one JSON document (schema_version 1)\n"
"  -p, --prometheus       Prometheus text format (node_exporter textfile)\n"
"  -w, --watch [SECONDS]  redraw the summary every SECONDS (2), with rates\n"
"  -a, --advise           advice the measured numbers call for, with reasons\n"
"      --what-if SYSCTL=VALUE  the destinations as they would be under it\n"
"                         (repeatable): net.ipv4.tcp_tw_reuse,\n"
"                         net.ipv4.ip_local_port_range, ..._reserved_ports\n"
"      --by-cgroup        sockets per owner (tw_cgroups): cgroup path, user,\n"
"                         systemd unit, container ID, pod UID\n"
"      --nat              source-NATed flows per (source, destination)\n"
"                         (tw_nat): conntrack states, SNAT port headroom\n"
"\n"
"options:\n"
"  -o, --output FILE      write to FILE atomically (temp file + rename)\n"
"  -n, --netns NAME|PID|PATH  read another network namespace\n"
"  -A, --all-netns        (root, initial netns) every namespace's row of\n"
"                         /proc/net/tw_netns, named by ip netns name or by\n"
"                         the PID, command and cgroup of a process in it\n"
"  -f, --from DIR         read a saved copy instead of the live files; give\n"
"                         it twice or more for rates (watch, advise, summary)\n"
"  -s, --save DIR         also save the files read to DIR (for --from)\n"
"  -t, --top N            rows per table, series per family (10)\n"
"  -i, --interval SECONDS --advise: time between its two samples (2; 0: one)\n"
"  -c, --count N          --watch: stop after N frames\n"
"  -H, --no-header        tables without their header line\n"
"      --color[=WHEN]     auto (default; honours NO_COLOR), always, never\n"
"  -h, --help             this text\n"
"  -V, --version          twstat's version and JSON schema version\n"
"\n"
"exit status: 0 ok, 1 error (a malformed file is named with its line),\n"
"2 module not loaded (--prometheus then writes tw_stats_up 0), 64 bad usage.\n";

struct opts {
	enum { M_SUMMARY, M_JSON, M_PROM, M_WATCH, M_ADVISE, M_WHATIF } mode;
	struct tw_whatif whatif;
	const char *output, *netns, *save;
	bool all_netns, by_cgroup, nat;
	const char *from[MAX_FROM];
	size_t nfrom;
	double watch_secs, interval;
	unsigned long count;
	struct tw_out_opts out;
	int color;	/* -1 auto, 0 never, 1 always */
};

#define usage_err(...) \
	tw_usage_err(EXIT_USAGE, " (see twstat --help)\n", __VA_ARGS__)

static void __attribute__((noreturn)) die(const char *err, int status)
{
	fprintf(stderr, "twstat: %s\n", err);
	exit(status);
}

static double parse_secs(const char *opt, const char *s, double min)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min) || v > 86400)
		usage_err("%s: bad number of seconds '%s'", opt, s);
	return v;
}

static unsigned long parse_count(const char *opt, const char *s)
{
	unsigned long v;

	if (!tw_parse_ulong(s, 1, 1000000, &v))
		usage_err("%s: bad number '%s'", opt, s);
	return v;
}

static void set_mode(struct opts *o, int mode)
{
	if (o->mode != M_SUMMARY && (int)o->mode != mode)
		usage_err("choose one of --json, --prometheus, --watch, --advise, --what-if");
	o->mode = mode;
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "advise", no_argument, NULL, 'a' },
		{ "what-if", required_argument, NULL, 'W' },
		{ "output", required_argument, NULL, 'o' },
		{ "netns", required_argument, NULL, 'n' },
		{ "all-netns", no_argument, NULL, 'A' },
		{ "by-cgroup", no_argument, NULL, OPT_BY_CGROUP },
		{ "nat", no_argument, NULL, OPT_NAT },
		{ "from", required_argument, NULL, 'f' },
		{ "save", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "color", optional_argument, NULL, 'C' },
		{ "colour", optional_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->watch_secs = 2;
	o->interval = 2;
	o->out.top = 10;
	o->color = -1;
	while ((c = getopt_long(argc, argv, "jpw::aAo:n:f:s:t:i:c:HhV",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			set_mode(o, M_JSON);
			break;
		case 'p':
			set_mode(o, M_PROM);
			break;
		case 'w':
			set_mode(o, M_WATCH);
			/* "--watch 5" as well as "--watch=5" */
			if (!optarg && optind < argc && argv[optind][0] >= '0' &&
			    argv[optind][0] <= '9')
				optarg = argv[optind++];
			if (optarg)
				o->watch_secs = parse_secs("--watch", optarg, 0.1);
			break;
		case 'a':
			set_mode(o, M_ADVISE);
			break;
		case 'W': {
			char err[TW_ERR_LEN];

			set_mode(o, M_WHATIF);
			if (tw_whatif_parse(&o->whatif, optarg, err, sizeof(err)))
				usage_err("%s", err);
			break;
		}
		case 'A':
			o->all_netns = o->out.all_netns = true;
			break;
		case OPT_BY_CGROUP:
			o->by_cgroup = true;
			break;
		case OPT_NAT:
			o->nat = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'n':
			o->netns = optarg;
			break;
		case 'f':
			if (o->nfrom == MAX_FROM)
				usage_err("at most %d --from", MAX_FROM);
			o->from[o->nfrom++] = optarg;
			break;
		case 's':
			o->save = optarg;
			break;
		case 't':
			o->out.top = parse_count("--top", optarg);
			break;
		case 'i':
			o->interval = parse_secs("--interval", optarg, 0);
			break;
		case 'c':
			o->count = parse_count("--count", optarg);
			break;
		case 'H':
			o->out.no_header = true;
			break;
		case 'C':
			if (!optarg || !strcmp(optarg, "always"))
				o->color = 1;
			else if (!strcmp(optarg, "never"))
				o->color = 0;
			else if (!strcmp(optarg, "auto"))
				o->color = -1;
			else
				usage_err("--color: auto, always or never, not '%s'", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("twstat %s (JSON schema_version %d)\n",
			       TWSTAT_VERSION, TWSTAT_SCHEMA_VERSION);
			exit(0);
		default:
			fputs("(twstat --help lists the options)\n", stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		usage_err("unexpected argument '%s'", argv[optind]);
	if (o->netns && o->nfrom)
		usage_err("--netns reads live files; it does not go with --from");
	if (o->output && o->mode == M_WATCH)
		usage_err("--watch redraws a terminal; --output does not go with it");
	if (o->all_netns && (o->mode == M_WATCH || o->mode == M_ADVISE ||
			      o->mode == M_WHATIF))
		usage_err("--all-netns goes with the summary, --json or --prometheus");
	if (o->by_cgroup && (o->mode != M_SUMMARY || o->all_netns))
		usage_err("--by-cgroup is a table of its own: not with another mode or --all-netns");
	if (o->nat && (o->mode != M_SUMMARY || o->all_netns || o->by_cgroup))
		usage_err("--nat is a table of its own: not with another mode, --all-netns or --by-cgroup");
	if (o->count && o->mode != M_WATCH)
		usage_err("--count goes with --watch");
}

/* NAME (ip netns), PID, or a path to a netns file; then setns() into it. */
static void enter_netns(const char *arg)
{
	char path[4096];
	int fd;

	if (strchr(arg, '/'))
		snprintf(path, sizeof(path), "%s", arg);
	else if (strspn(arg, "0123456789") == strlen(arg))
		snprintf(path, sizeof(path), "/proc/%s/ns/net", arg);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", arg);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "twstat: --netns %s: %s: %s\n", arg, path,
			strerror(errno));
		exit(1);
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "twstat: --netns %s: setns: %s%s\n", arg,
			strerror(errno),
			errno == EPERM ? " (needs CAP_SYS_ADMIN: run as root)" : "");
		exit(1);
	}
	close(fd);
}

/* Output goes to memory first, so that --output can replace FILE whole. */
struct sink {
	FILE *f;
	char *buf;
	size_t len;
};

static void sink_open(struct sink *k, const struct opts *o);
static void sink_close(struct sink *k, const struct opts *o);

/* Read snapshot @i: the i-th --from directory, or the live files. */
static void take_reading(const struct opts *o, size_t i,
			 struct twstat_reading *s)
{
	char err[TW_ERR_LEN];
	struct sink k;
	int ret;

	if (o->nfrom)
		ret = tw_reading_read_dir(s, o->from[i], err);
	else
		ret = tw_reading_read_live(s, err);
	if (ret == -2 && o->mode == M_PROM) {
		/* replace what an earlier run wrote: it would look current */
		sink_open(&k, o);
		tw_print_prometheus_down(k.f, s);
		sink_close(&k, o);
	}
	if (ret)
		die(err, ret == -2 ? EXIT_MODULE : 1);
}

/*
 * --all-netns needs tw_netns: say why it is missing in one line, then
 * name the namespaces (live only: a saved copy has its netns_names).
 */
static void need_netns_table(const struct opts *o, struct twstat_reading *s)
{
	const struct tw_file *f = &s->files[TWF_NETNS];
	char err[TW_ERR_LEN], path[4096];
	uint64_t init_ino = 0;
	bool have_init;

	if (f->state == TW_FILE_DENIED)
		die("--all-netns: /proc/net/tw_netns: permission denied: it is mode 0400 (it shows every namespace): run as root", 1);
	if (f->state != TW_FILE_PRESENT && o->nfrom) {
		snprintf(err, sizeof(err),
			 "--all-netns: %s has no tw_netns (saved without root, outside the initial netns, or from an older module)",
			 s->source);
		die(err, 1);
	}
	if (f->state != TW_FILE_PRESENT) {
		snprintf(path, sizeof(path), "%s/proc/1/ns/net", tw_root());
		have_init = s->have_netns && tw_netns_link_inode(path, &init_ino);
		if (have_init && init_ino != s->netns)
			snprintf(err, sizeof(err),
				 "--all-netns: twstat runs in network namespace %llu, not the initial one (%llu, PID 1's): /proc/net/tw_netns exists only there; run it on the host, e.g. 'nsenter -t 1 -n twstat --all-netns'",
				 (unsigned long long)s->netns,
				 (unsigned long long)init_ino);
		else if (have_init)
			snprintf(err, sizeof(err),
				 "--all-netns: the loaded tw_stats module has no /proc/net/tw_netns (an older module): load a newer one");
		else
			snprintf(err, sizeof(err),
				 "--all-netns: no /proc/net/tw_netns: either this is not the initial network namespace (it exists only there) or the module is older");
		die(err, 1);
	}
	if (!o->nfrom && tw_reading_add_netns_names(s, err))
		die(err, 1);
}

static void sleep_secs(double secs)
{
	struct timespec ts = {
		.tv_sec = (time_t)secs,
		.tv_nsec = (long)((secs - (time_t)secs) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}


static void sink_open(struct sink *k, const struct opts *o)
{
	memset(k, 0, sizeof(*k));
	if (!o->output) {
		k->f = stdout;
		return;
	}
	k->f = open_memstream(&k->buf, &k->len);
	if (!k->f)
		die("open_memstream failed", 1);
}

static void sink_close(struct sink *k, const struct opts *o)
{
	char err[TW_ERR_LEN];

	if (!o->output) {
		if (fflush(stdout) || ferror(stdout))
			die("write error on standard output", 1);
		return;
	}
	if (fclose(k->f))
		die("write to memory failed", 1);
	if (tw_write_file_atomic(o->output, k->buf, k->len, err))
		die(err, 1);
	free(k->buf);
}

static void save(const struct opts *o, const struct twstat_reading *s)
{
	char err[TW_ERR_LEN];

	if (o->save && tw_reading_save(s, o->save, err))
		die(err, 1);
}

static int run_watch(const struct opts *o)
{
	struct twstat_reading snaps[2];
	struct twstat_reading *prev = NULL, *cur;
	bool tty = isatty(STDOUT_FILENO);
	unsigned long frame;
	size_t n = 0;

	memset(snaps, 0, sizeof(snaps));
	for (frame = 0; !o->count || frame < o->count; frame++) {
		if (o->nfrom && n == o->nfrom)
			break;
		cur = &snaps[frame % 2];
		if (frame >= 2)
			tw_reading_free(cur);
		take_reading(o, n++, cur);
		if (tty)
			fputs("\033[H\033[2J", stdout);
		else if (frame)
			fputs("\n", stdout);
		if (!o->nfrom) {
			time_t t = time(NULL);
			char when[64];

			strftime(when, sizeof(when), "%F %T", localtime(&t));
			printf("every %.1f s, %s\n", o->watch_secs, when);
		}
		tw_print_summary(stdout, prev, cur, &o->out);
		fflush(stdout);
		prev = cur;
		if (!o->nfrom && (!o->count || frame + 1 < o->count))
			sleep_secs(o->watch_secs);
	}
	if (prev)
		save(o, prev);
	tw_reading_free(&snaps[0]);
	tw_reading_free(&snaps[1]);
	return 0;
}

int main(int argc, char **argv)
{
	struct twstat_reading a, b, *prev = NULL, *cur = &a;
	const char *no_color = getenv("NO_COLOR");
	struct opts o;
	struct sink k;

	parse_args(&o, argc, argv);
	if (o.color < 0)
		o.out.color = isatty(STDOUT_FILENO) && !o.output &&
			      !(no_color && *no_color);
	else
		o.out.color = o.color;
	if (o.mode == M_JSON || o.mode == M_PROM)
		o.out.color = false;
	if (o.netns)
		enter_netns(o.netns);
	if (o.mode == M_WATCH)
		return run_watch(&o);

	memset(&b, 0, sizeof(b));
	take_reading(&o, 0, &a);
	if (o.nfrom > 1) {
		/* the last two given: earlier, then later */
		if (o.nfrom > 2) {
			tw_reading_free(&a);
			take_reading(&o, o.nfrom - 2, &a);
		}
		take_reading(&o, o.nfrom - 1, &b);
		prev = &a;
		cur = &b;
	} else if (o.mode == M_ADVISE && !o.nfrom && o.interval > 0) {
		sleep_secs(o.interval);
		take_reading(&o, 0, &b);
		prev = &a;
		cur = &b;
	}
	if (o.all_netns)
		need_netns_table(&o, cur);
	save(&o, cur);

	sink_open(&k, &o);
	/* --prometheus: one file for everything, its own families and all */
	switch (o.all_netns && o.mode != M_PROM ? -1 : (int)o.mode) {
	case -1:
		if (o.mode == M_JSON)
			tw_print_netns_json(k.f, cur);
		else
			tw_print_netns_summary(k.f, cur, &o.out);
		break;
	case M_JSON:
		tw_print_json(k.f, cur);
		break;
	case M_PROM:
		tw_print_prometheus(k.f, cur, &o.out);
		break;
	case M_ADVISE:
		tw_advise(k.f, prev, cur);
		break;
	case M_WHATIF:
		tw_print_whatif(k.f, cur, &o.whatif, &o.out);
		break;
	default:
		if (o.nat) {
			if (cur->files[TWF_NAT].state == TW_FILE_DENIED)
				die("--nat: /proc/net/tw_nat: permission denied: it is mode 0640, root's (it shows other hosts' flows, like /proc/net/nf_conntrack): run as root", 1);
			if (tw_print_nat(k.f, cur, &o.out))
				die("--nat: no tw_nat in this reading: the loaded module (or the one that saved it) is older; load a newer one", 1);
			break;
		}
		if (o.by_cgroup) {
			if (tw_print_cgroups(k.f, cur, &o.out))
				die("--by-cgroup: no tw_cgroups in this reading: the loaded module (or the one that saved it) is older; load a newer one", 1);
			break;
		}
		tw_print_summary(k.f, prev, cur, &o.out);
		break;
	}
	sink_close(&k, &o);
	tw_reading_free(&a);
	tw_reading_free(&b);
	tw_whatif_free(&o.whatif);
	return 0;
}
