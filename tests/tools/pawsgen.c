// SPDX-License-Identifier: GPL-2.0
// pawsgen makes the kernel reject TCP segments by PAWS, for tw_stats tests.
/*
 * Usage: see usage_text below.
 *
 * It opens a real TCP connection over loopback, then sends segments on
 * that connection's 4-tuple from a raw socket, carrying a timestamp far
 * older than the one the receiver last saw (RFC 7323 PAWS): into the live
 * connection (the receiver counts PAWSEstab and drops each with reason
 * TCP_RFC7323_PAWS), or into the TIME_WAIT socket the connection leaves
 * behind (PAWSEstab on 6.1, PAWSTimewait from 6.16).  Each segment has
 * one byte of data: a pure ACK could pass as a reordered ACK, and data is
 * never subject to the out-of-window ACK rate limit, so every segment is
 * counted and answered.  "storm" does the same from many connections at
 * once, as fast as it can, for the drop probe's benchmark (make bench).  getsockopt(TCP_TIMESTAMP) gives the sender's
 * current on-wire TSval, which is what the receiver compares with.
 *
 * Only inet_pton() is used for addresses: no NSS in a static binary.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#ifndef TCP_TIMESTAMP
#define TCP_TIMESTAMP 24
#endif

/* How much older than the receiver's last TSval: far beyond any window. */
#define STALE_BY	0x10000000u
#define MAX_PORT	65535UL

static const char usage_text[] =
"usage: pawsgen estab|tw -c CLIENT -s SERVER -p PORT -n N [-i MS]\n"
"       pawsgen storm -c CLIENT -s SERVER -p PORT -n N -k SOURCES\n"
"       pawsgen --help\n"
"\n"
"Connects CLIENT (any port) to SERVER:PORT over TCP, both ends in this\n"
"process, then sends N segments with a stale timestamp from a raw socket:\n"
"  estab  from CLIENT to SERVER on the open connection, which drops them\n"
"  tw     from SERVER to CLIENT after the client closed first, so they\n"
"         hit its TIME_WAIT socket (set net.ipv4.tcp_rfc1337=1, or the\n"
"         RST that answers the TIME_WAIT's ACK ends it)\n"
"  storm  from SOURCES IPv4 clients CLIENT, CLIENT+1, ... each connected\n"
"         to SERVER:PORT, N segments in turn from each, at full speed;\n"
"         prints 'storm N SOURCES SECONDS' (the sending time)\n"
"-i MS waits MS milliseconds between segments (default 0).\n"
"CLIENT and SERVER are local IPv4 or IPv6 literals of the same family.\n"
"Prints 'sent N FROM TO' (the segments' source and destination) when\n"
"done; exit status 0 only if all N were sent.\n";

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

struct opts {
	bool tw;
	unsigned long storm;	/* sources; 0: not a storm */
	int family;
	union sockaddr_any client;
	union sockaddr_any server;
	unsigned long port;
	unsigned long n;
	unsigned long interval_ms;
};

static void __attribute__((noreturn)) usage(FILE *f, int status)
{
	fputs(usage_text, f);
	exit(status);
}

#define usage_err(what) tw_usage_err(2, usage_text, "%s\n\n", what)

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "pawsgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int parse_addr(const char *s, union sockaddr_any *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, s, &sa->in.sin_addr) == 1) {
		sa->in.sin_family = AF_INET;
		return AF_INET;
	}
	if (inet_pton(AF_INET6, s, &sa->in6.sin6_addr) == 1) {
		sa->in6.sin6_family = AF_INET6;
		return AF_INET6;
	}
	return 0;
}

static socklen_t sa_len(const union sockaddr_any *sa)
{
	return sa->sa.sa_family == AF_INET6 ? sizeof(sa->in6) : sizeof(sa->in);
}

static void sa_set_port(union sockaddr_any *sa, unsigned int port)
{
	if (sa->sa.sa_family == AF_INET6)
		sa->in6.sin6_port = htons(port);
	else
		sa->in.sin_port = htons(port);
}

static unsigned int sa_port(const union sockaddr_any *sa)
{
	return ntohs(sa->sa.sa_family == AF_INET6 ? sa->in6.sin6_port :
		     sa->in.sin_port);
}

static void sa_str(const union sockaddr_any *sa, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	if (sa->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &sa->in6.sin6_addr, addr, sizeof(addr));
		snprintf(buf, len, "[%s]:%u", addr, sa_port(sa));
	} else {
		inet_ntop(AF_INET, &sa->in.sin_addr, addr, sizeof(addr));
		snprintf(buf, len, "%s:%u", addr, sa_port(sa));
	}
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	bool have_c = false, have_s = false, have_p = false, have_n = false;
	int i, fc = 0, fs = 0;

	if (argc >= 2 && !strcmp(argv[1], "--help"))
		usage(stdout, 0);
	if (argc < 2)
		usage_err("missing command");
	memset(o, 0, sizeof(*o));
	if (!strcmp(argv[1], "tw"))
		o->tw = true;
	else if (!strcmp(argv[1], "storm"))
		o->storm = 1;
	else if (strcmp(argv[1], "estab"))
		usage_err("command must be estab, tw or storm");

	for (i = 2; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			usage_err("option without a value");
		if (!strcmp(opt, "-c")) {
			fc = parse_addr(val, &o->client);
			have_c = fc != 0;
			if (!fc)
				usage_err("-c: not an IPv4 or IPv6 address");
		} else if (!strcmp(opt, "-s")) {
			fs = parse_addr(val, &o->server);
			have_s = fs != 0;
			if (!fs)
				usage_err("-s: not an IPv4 or IPv6 address");
		} else if (!strcmp(opt, "-p")) {
			have_p = tw_parse_ulong(val, 1, MAX_PORT, &o->port);
			if (!have_p)
				usage_err("-p: not a port in 1..65535");
		} else if (!strcmp(opt, "-n")) {
			have_n = tw_parse_ulong(val, 1, 10000000, &o->n);
			if (!have_n)
				usage_err("-n: not a count in 1..10000000");
		} else if (!strcmp(opt, "-k") && o->storm) {
			if (!tw_parse_ulong(val, 1, 60000, &o->storm))
				usage_err("-k: not a count of sources in 1..60000");
		} else if (!strcmp(opt, "-i")) {
			if (!tw_parse_ulong(val, 0, 60000, &o->interval_ms))
				usage_err("-i: not milliseconds in 0..60000");
		} else {
			usage_err("unknown option");
		}
	}
	if (!have_c || !have_s || !have_p || !have_n)
		usage_err("-c, -s, -p and -n are required");
	if (fc != fs)
		usage_err("-c and -s must be of the same family");
	if (o->storm && fc != AF_INET)
		usage_err("storm: -c and -s must be IPv4");
	o->family = fc;
}

static int stream_socket(int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		die("socket");
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		die("setsockopt(IPV6_V6ONLY)");
	return fd;
}

static uint32_t tcp_timestamp(int fd)
{
	uint32_t ts;
	socklen_t len = sizeof(ts);

	if (getsockopt(fd, IPPROTO_TCP, TCP_TIMESTAMP, &ts, &len) < 0)
		die("getsockopt(TCP_TIMESTAMP)");
	return ts;
}

static void read_byte(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		die("read");
}

static void write_byte(int fd)
{
	if (write(fd, "x", 1) != 1)
		die("write");
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One's complement sum, folded, of @len bytes added to @sum. */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* A TCP header with NOP, NOP, TS (the layout Linux parses fast), and data. */
struct tcp_seg {
	struct tcphdr th;
	uint8_t opt[12];
	uint8_t data[1];
} __attribute__((packed));

static void build_tcp(struct tcp_seg *seg, unsigned int sport,
		      unsigned int dport, uint32_t tsval, uint32_t tsecr)
{
	uint32_t v;

	memset(seg, 0, sizeof(*seg));
	seg->th.source = htons(sport);
	seg->th.dest = htons(dport);
	/* PAWS is checked before the sequence number: any will do */
	seg->th.seq = htonl(1);
	seg->th.ack_seq = htonl(1);
	seg->th.doff = (sizeof(seg->th) + sizeof(seg->opt)) / 4;
	seg->th.ack = 1;
	seg->th.psh = 1;
	seg->th.window = htons(1024);
	seg->opt[0] = TCPOPT_NOP;
	seg->opt[1] = TCPOPT_NOP;
	seg->opt[2] = TCPOPT_TIMESTAMP;
	seg->opt[3] = TCPOLEN_TIMESTAMP;
	v = htonl(tsval);
	memcpy(&seg->opt[4], &v, 4);
	v = htonl(tsecr);
	memcpy(&seg->opt[8], &v, 4);
	seg->data[0] = 'p';
}

/* Raw socket that sends whole IP packets (IPPROTO_RAW implies HDRINCL). */
static int raw_socket(int family)
{
	int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);

	if (fd < 0)
		die("socket(SOCK_RAW) (needs CAP_NET_RAW)");
	return fd;
}

static void send_v4(int raw, const union sockaddr_any *from,
		    const union sockaddr_any *to, uint32_t tsval, uint32_t tsecr)
{
	struct {
		struct iphdr ip;
		struct tcp_seg tcp;
	} __attribute__((packed)) pkt;
	union sockaddr_any dst = *to;
	uint32_t sum;

	memset(&pkt, 0, sizeof(pkt));
	pkt.ip.version = 4;
	pkt.ip.ihl = sizeof(pkt.ip) / 4;
	pkt.ip.tot_len = htons(sizeof(pkt));
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_TCP;
	pkt.ip.saddr = from->in.sin_addr.s_addr;
	pkt.ip.daddr = to->in.sin_addr.s_addr;
	build_tcp(&pkt.tcp, sa_port(from), sa_port(to), tsval, tsecr);

	sum = csum_add(0, &pkt.ip.saddr, 8);
	sum += IPPROTO_TCP + sizeof(pkt.tcp);
	sum = csum_add(sum, &pkt.tcp, sizeof(pkt.tcp));
	pkt.tcp.th.check = csum_fold(sum);
	/* the kernel fills in the IP checksum and ID */
	dst.in.sin_port = 0;
	if (sendto(raw, &pkt, sizeof(pkt), 0, &dst.sa, sizeof(dst.in)) !=
	    (ssize_t)sizeof(pkt))
		die("sendto");
}

static void send_v6(int raw, const union sockaddr_any *from,
		    const union sockaddr_any *to, uint32_t tsval, uint32_t tsecr)
{
	struct {
		struct ip6_hdr ip6;
		struct tcp_seg tcp;
	} __attribute__((packed)) pkt;
	union sockaddr_any dst = *to;
	uint32_t sum;

	memset(&pkt, 0, sizeof(pkt));
	pkt.ip6.ip6_flow = htonl(6u << 28);
	pkt.ip6.ip6_plen = htons(sizeof(pkt.tcp));
	pkt.ip6.ip6_nxt = IPPROTO_TCP;
	pkt.ip6.ip6_hlim = 64;
	pkt.ip6.ip6_src = from->in6.sin6_addr;
	pkt.ip6.ip6_dst = to->in6.sin6_addr;
	build_tcp(&pkt.tcp, sa_port(from), sa_port(to), tsval, tsecr);

	sum = csum_add(0, &pkt.ip6.ip6_src, 32);
	sum += sizeof(pkt.tcp) + IPPROTO_TCP;
	sum = csum_add(sum, &pkt.tcp, sizeof(pkt.tcp));
	pkt.tcp.th.check = csum_fold(sum);
	dst.in6.sin6_port = 0;
	if (sendto(raw, &pkt, sizeof(pkt), 0, &dst.sa, sizeof(dst.in6)) !=
	    (ssize_t)sizeof(pkt))
		die("sendto");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One of the storm's connections: where its segments go, and with what. */
struct storm_conn {
	union sockaddr_any from;
	uint32_t tsval, tsecr;
};

/*
 * The storm: o->storm connections from consecutive client addresses (all
 * of 127/8 is local on lo), each with data both ways so that both ends
 * have a ts_recent, then o->n stale segments into them in turn, timed.
 * On loopback the receiver runs in the sender's softirq, so segments sent
 * per second are segments dropped per second, the probe included.
 */
static int storm(const struct opts *o, int raw)
{
	struct storm_conn *c = calloc(o->storm, sizeof(*c));
	int *fds = calloc(2 * o->storm, sizeof(*fds));
	union sockaddr_any server = o->server, client = o->client;
	struct rlimit rl;
	unsigned long i;
	socklen_t len;
	double t0, t1;
	int lfd, one = 1;

	if (!c || !fds)
		die("calloc");
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	lfd = stream_socket(AF_INET);
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt(SO_REUSEADDR)");
	sa_set_port(&server, o->port);
	if (bind(lfd, &server.sa, sa_len(&server)) < 0)
		die("bind SERVER:PORT");
	if (listen(lfd, 128) < 0)
		die("listen");
	for (i = 0; i < o->storm; i++) {
		int cfd = stream_socket(AF_INET), sfd;

		client.in.sin_addr.s_addr =
			htonl(ntohl(o->client.in.sin_addr.s_addr) + i);
		sa_set_port(&client, 0);
		if (bind(cfd, &client.sa, sa_len(&client)) < 0)
			die("bind CLIENT+i");
		if (connect(cfd, &server.sa, sa_len(&server)) < 0)
			die("connect");
		sfd = accept(lfd, NULL, NULL);
		if (sfd < 0)
			die("accept");
		write_byte(cfd);
		read_byte(sfd);
		write_byte(sfd);
		read_byte(cfd);
		len = sizeof(c[i].from);
		if (getsockname(cfd, &c[i].from.sa, &len) < 0)
			die("getsockname");
		c[i].tsval = tcp_timestamp(cfd) - STALE_BY;
		c[i].tsecr = tcp_timestamp(sfd);
		fds[2 * i] = cfd;
		fds[2 * i + 1] = sfd;
	}
	t0 = now_s();
	for (i = 0; i < o->n; i++) {
		const struct storm_conn *k = &c[i % o->storm];

		send_v4(raw, &k->from, &server, k->tsval, k->tsecr);
	}
	t1 = now_s();
	sleep_ms(100);
	printf("storm %lu %lu %.6f\n", o->n, o->storm, t1 - t0);
	/* closed by RST: no TIME_WAIT left behind to skew what runs next */
	for (i = 0; i < 2 * o->storm; i++) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fds[i]);
	}
	close(lfd);
	free(fds);
	free(c);
	return 0;
}

int main(int argc, char **argv)
{
	union sockaddr_any client, from, to;
	int lfd, cfd, sfd, raw, one = 1;
	uint32_t tsval, tsecr;
	char fs[80], ts[80];
	socklen_t len;
	unsigned long i;
	struct opts o;

	tw_prog = "pawsgen";
	parse_args(argc, argv, &o);
	/* before the connection exists, so a missing privilege leaves none */
	raw = raw_socket(o.family);
	if (o.storm)
		return storm(&o, raw);

	lfd = stream_socket(o.family);
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt(SO_REUSEADDR)");
	sa_set_port(&o.server, o.port);
	if (bind(lfd, &o.server.sa, sa_len(&o.server)) < 0)
		die("bind SERVER:PORT");
	if (listen(lfd, 1) < 0)
		die("listen");

	cfd = stream_socket(o.family);
	sa_set_port(&o.client, 0);
	if (bind(cfd, &o.client.sa, sa_len(&o.client)) < 0)
		die("bind CLIENT");
	if (connect(cfd, &o.server.sa, sa_len(&o.server)) < 0)
		die("connect");
	sfd = accept(lfd, NULL, NULL);
	if (sfd < 0)
		die("accept");
	len = sizeof(client);
	if (getsockname(cfd, &client.sa, &len) < 0)
		die("getsockname");

	/* data both ways: each side's ts_recent is the other's latest TSval */
	write_byte(cfd);
	read_byte(sfd);
	write_byte(sfd);
	read_byte(cfd);

	if (!o.tw) {
		from = client;
		to = o.server;
		tsval = tcp_timestamp(cfd);
		tsecr = tcp_timestamp(sfd);
	} else {
		char c;

		/* the client closes first and ends in TIME_WAIT */
		if (shutdown(cfd, SHUT_WR) < 0)
			die("shutdown");
		if (read(sfd, &c, 1) != 0)
			die("read (expected EOF)");
		/* the server's FIN will carry this TSval or a newer one */
		tsval = tcp_timestamp(sfd);
		tsecr = tcp_timestamp(cfd);
		close(sfd);
		if (read(cfd, &c, 1) != 0)
			die("read (expected EOF)");
		close(cfd);
		close(lfd);
		from = o.server;
		to = client;
	}

	for (i = 0; i < o.n; i++) {
		if (i && o.interval_ms)
			sleep_ms(o.interval_ms);
		if (o.family == AF_INET)
			send_v4(raw, &from, &to, tsval - STALE_BY, tsecr);
		else
			send_v6(raw, &from, &to, tsval - STALE_BY, tsecr);
	}
	/* loopback delivers in softirq right away; let the replies settle */
	sleep_ms(100);

	sa_str(&from, fs, sizeof(fs));
	sa_str(&to, ts, sizeof(ts));
	printf("sent %lu %s %s\n", o.n, fs, ts);
	if (!o.tw) {
		close(cfd);
		close(sfd);
		close(lfd);
	}
	return 0;
}
