// SPDX-License-Identifier: GPL-2.0
// twgen puts real TCP sockets into known states on loopback for tw_stats tests.
/*
 * Usage: see usage_text below.
 *
 * Every command does all of its setup (bind/listen/connect) before it
 * returns, so a test script can check socket states right afterwards.
 * Long-lived commands (server, listen, bind, client -m hold) fork after
 * setup; the parent prints the child's PID and exits, so that
 * "pid=$(twgen server ...)" returns only once the sockets exist.  Stop
 * the child with SIGTERM.
 *
 * Only inet_pton() is used for addresses: getaddrinfo() would pull NSS
 * into a static binary, which does not work in a busybox guest.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "util.h"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* The kernel silently clamps this to net.core.somaxconn. */
#define LISTEN_BACKLOG	4096
#define MAX_PORT	65535UL

static const char usage_text[] =
"usage: twgen server -a ADDR -p PORT [-P NPORTS] -m wait|close|hold\n"
"       twgen client -a ADDR -p PORT [-P NPORTS] -n N|max\n"
"                    -m close|wait|abort|hold|half|orphan [-s SRCADDR]\n"
"                    [-w SECONDS]\n"
"       twgen listen -a ADDR -p PORT -n N\n"
"       twgen bind   -a ADDR -p PORT\n"
"       twgen --help\n"
"\n"
"ADDR and SRCADDR are IPv4 or IPv6 literals.  server listens on\n"
"PORT..PORT+NPORTS-1; client connection i goes to PORT + i % NPORTS.\n"
"\n"
"server modes, per accepted connection:\n"
"  wait    read until EOF, then close (client side ends in TIME_WAIT)\n"
"  close   close right after accept (server side ends in TIME_WAIT)\n"
"  hold    keep open, never read (CLOSE_WAIT or ESTABLISHED)\n"
"client modes, per connection:\n"
"  close   shutdown(SHUT_WR), read until EOF, close (ends in TIME_WAIT)\n"
"  wait    read until EOF, then close (server side ends in TIME_WAIT)\n"
"  abort   close with SO_LINGER {1,0}: RST, no TIME_WAIT\n"
"  hold    keep every connection open (ESTABLISHED), run in background\n"
"  half    shutdown(SHUT_WR) and keep the socket, run in background\n"
"          (FIN_WAIT2 here, CLOSE_WAIT on a hold server: a leak); with\n"
"          -w, connect them all, wait SECONDS, then shut them all down\n"
"  orphan  close at once without reading (FIN_WAIT2 against hold)\n"
"\n"
"-n max connects until connect() fails and then prints 'stopped: ERRNO';\n"
"exit status 0 only if that was EADDRNOTAVAIL.  With tcp_tw_reuse\n"
"enabled for loopback, '-n max -m close' may never stop.\n"
"\n"
"server, listen, bind and client -m hold|half print the PID of a background\n"
"process holding the sockets, then exit; stop it with SIGTERM.\n";

enum cmd {
	CMD_SERVER,
	CMD_CLIENT,
	CMD_LISTEN,
	CMD_BIND,
};

enum mode {
	MODE_NONE,
	MODE_WAIT,
	MODE_CLOSE,
	MODE_HOLD,
	MODE_ABORT,
	MODE_ORPHAN,
	MODE_HALF,
};

static const char *const mode_names[] = {
	[MODE_WAIT]	= "wait",
	[MODE_CLOSE]	= "close",
	[MODE_HOLD]	= "hold",
	[MODE_ABORT]	= "abort",
	[MODE_ORPHAN]	= "orphan",
	[MODE_HALF]	= "half",
};

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

struct endpoint {
	union sockaddr_any addr;	/* port left as 0 */
	int family;
	char str[INET6_ADDRSTRLEN];	/* normalised text, for messages */
};

struct opts {
	enum cmd cmd;
	struct endpoint addr;
	struct endpoint src;
	bool have_addr;
	bool have_src;
	bool have_port;
	bool have_n;
	bool n_max;
	unsigned long port;
	unsigned long nports;
	unsigned long n;
	unsigned long wait;	/* -w: half's pause before its shutdowns */
	enum mode mode;
};

static void __attribute__((noreturn)) usage(FILE *f, int status)
{
	fputs(usage_text, f);
	exit(status);
}

#define usage_err(fmt, ...) tw_usage_err(2, usage_text, fmt "\n\n", ##__VA_ARGS__)

static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

static void fmt_endpoint(char *buf, size_t len, const struct endpoint *ep,
			 unsigned long port)
{
	/* Brackets keep the port readable after an IPv6 address. */
	if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%lu", ep->str, port);
	else
		snprintf(buf, len, "%s:%lu", ep->str, port);
}

/* Report a failed system call on @ep:@port and exit 1. */
static void __attribute__((noreturn))
die_call(const char *call, const struct endpoint *ep, unsigned long port,
	 int err)
{
	char buf[INET6_ADDRSTRLEN + 16];

	fmt_endpoint(buf, sizeof(buf), ep, port);
	fprintf(stderr, "twgen: %s %s: %s (%s)\n", call, buf, strerror(err),
		errno_name(err));
	exit(1);
}

static void __attribute__((noreturn)) die_errno(const char *what)
{
	int err = errno;

	fprintf(stderr, "twgen: %s: %s (%s)\n", what, strerror(err),
		errno_name(err));
	exit(1);
}

static bool parse_addr(const char *s, struct endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (inet_pton(AF_INET, s, &ep->addr.in.sin_addr) == 1) {
		ep->family = AF_INET;
		ep->addr.in.sin_family = AF_INET;
	} else if (inet_pton(AF_INET6, s, &ep->addr.in6.sin6_addr) == 1) {
		ep->family = AF_INET6;
		ep->addr.in6.sin6_family = AF_INET6;
	} else {
		return false;
	}
	if (!inet_ntop(ep->family, ep->family == AF_INET ?
		       (void *)&ep->addr.in.sin_addr :
		       (void *)&ep->addr.in6.sin6_addr,
		       ep->str, sizeof(ep->str)))
		return false;
	return true;
}

/* Copy @ep with @port filled in; returns the length to pass to the kernel. */
static socklen_t endpoint_sockaddr(const struct endpoint *ep,
				   unsigned long port, union sockaddr_any *sa)
{
	*sa = ep->addr;
	if (ep->family == AF_INET6) {
		sa->in6.sin6_port = htons(port);
		return sizeof(sa->in6);
	}
	sa->in.sin_port = htons(port);
	return sizeof(sa->in);
}

/*
 * Servers and hold-mode clients keep thousands of sockets; the default
 * soft limit of 1024 would cap the tests long before the port range does.
 * Failure is not fatal: the tests that need many fds will notice.
 */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int set_int_opt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

/*
 * Create a socket bound to @ep:@port.  IPv6 sockets are made v6-only so
 * that "::" does not also claim the IPv4 port and skew IPv4 tests.
 * @reuse is only for listeners: a non-listening SO_REUSEADDR socket
 * would let a second bind() to the same port succeed.
 */
static int bound_socket(const struct endpoint *ep, unsigned long port,
			bool reuse)
{
	union sockaddr_any sa;
	socklen_t len;
	int fd;

	fd = socket(ep->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_call("socket", ep, port, errno);
	if (reuse && set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0)
		die_call("setsockopt(SO_REUSEADDR)", ep, port, errno);
	if (ep->family == AF_INET6 &&
	    set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) < 0)
		die_call("setsockopt(IPV6_V6ONLY)", ep, port, errno);
	len = endpoint_sockaddr(ep, port, &sa);
	if (bind(fd, &sa.sa, len) < 0)
		die_call("bind", ep, port, errno);
	return fd;
}

static int make_listener(const struct endpoint *ep, unsigned long port)
{
	int fd = bound_socket(ep, port, true);

	if (listen(fd, LISTEN_BACKLOG) < 0)
		die_call("listen", ep, port, errno);
	return fd;
}

/*
 * Fork once setup is complete.  The parent reports the child's PID and
 * exits; the child detaches from the caller's stdio so that a shell
 * command substitution sees EOF and returns.
 */
static void daemonize(void)
{
	pid_t pid;
	int fd;

	/* Anything already printed must not be duplicated by the child. */
	if (fflush(stdout) == EOF)
		die_errno("write stdout");
	pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid > 0) {
		printf("%ld\n", (long)pid);
		if (fflush(stdout) == EOF)
			die_errno("write stdout");
		exit(0);
	}

	/* A new session keeps the child out of the caller's job control. */
	setsid();
	if (chdir("/") < 0)
		_exit(1);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	} else {
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
	}
}

static void __attribute__((noreturn)) hold_forever(void)
{
	for (;;)
		pause();
}

/*
 * Drain a non-blocking socket.  Returns true once EOF or an error is seen,
 * i.e. when the peer has closed and it is our turn to close.
 */
static bool drain(int fd)
{
	char buf[4096];
	ssize_t r;

	for (;;) {
		r = read(fd, buf, sizeof(buf));
		if (r > 0)
			continue;
		if (r == 0)
			return true;
		if (errno == EINTR)
			continue;
		return errno != EAGAIN && errno != EWOULDBLOCK;
	}
}

/* Blocking read until EOF; returns 0 on EOF, -1 with errno on error. */
static int read_to_eof(int fd)
{
	char buf[4096];
	ssize_t r;

	for (;;) {
		r = read(fd, buf, sizeof(buf));
		if (r == 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * Wait-mode fallback when the poll set cannot grow: handle this one
 * connection synchronously.  It stalls the accept loop, but keeps the
 * promise that the client closes first.
 */
static void wait_blocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	read_to_eof(fd);
	close(fd);
}

/*
 * Accept loop of the server child.  pfd[0..nl-1] are the listeners; in
 * wait mode the accepted sockets follow, so that one slow client never
 * blocks accepting the others.
 */
static void __attribute__((noreturn))
server_loop(const int *lfd, size_t nl, enum mode mode)
{
	size_t cap = nl + 64, nfds = nl, i;
	struct pollfd *pfd, *tmp;
	bool backoff = false;
	int c, fl;

	pfd = calloc(cap, sizeof(*pfd));
	if (!pfd)
		_exit(1);
	for (i = 0; i < nl; i++) {
		/* Non-blocking so accept() can drain the queue and stop. */
		fl = fcntl(lfd[i], F_GETFL);
		if (fl >= 0)
			fcntl(lfd[i], F_SETFL, fl | O_NONBLOCK);
		pfd[i].fd = lfd[i];
	}

	for (;;) {
		/*
		 * Out of fds or memory: stop polling the listeners for a
		 * while instead of spinning on a permanently readable one.
		 */
		for (i = 0; i < nl; i++)
			pfd[i].events = backoff ? 0 : POLLIN;
		if (poll(pfd, nfds, backoff ? 100 : -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		backoff = false;

		/*
		 * Connections first, from the top: removing one moves the
		 * last entry into its slot, and that entry is already done.
		 */
		for (i = nfds; i-- > nl; ) {
			if (!pfd[i].revents || !drain(pfd[i].fd))
				continue;
			close(pfd[i].fd);
			pfd[i] = pfd[--nfds];
		}

		for (i = 0; i < nl && !backoff; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			for (;;) {
				c = accept4(pfd[i].fd, NULL, NULL,
					    SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (c < 0) {
					if (errno == EINTR ||
					    errno == ECONNABORTED ||
					    errno == EPROTO)
						continue;
					if (errno == EMFILE ||
					    errno == ENFILE ||
					    errno == ENOBUFS ||
					    errno == ENOMEM)
						backoff = true;
					break;
				}
				if (mode == MODE_CLOSE) {
					close(c);
					continue;
				}
				/* hold: keep it open and never read. */
				if (mode == MODE_HOLD)
					continue;
				if (nfds == cap) {
					tmp = realloc(pfd, 2 * cap *
						      sizeof(*pfd));
					if (!tmp) {
						wait_blocking(c);
						continue;
					}
					pfd = tmp;
					cap *= 2;
				}
				pfd[nfds].fd = c;
				pfd[nfds].events = POLLIN;
				pfd[nfds].revents = 0;
				nfds++;
			}
		}
	}
}

static int run_server(const struct opts *o)
{
	int *lfd;
	size_t i;

	lfd = calloc(o->nports, sizeof(*lfd));
	if (!lfd)
		die_errno("calloc");
	for (i = 0; i < o->nports; i++)
		lfd[i] = make_listener(&o->addr, o->port + i);
	daemonize();
	server_loop(lfd, o->nports, o->mode);
}

static int run_listen(const struct opts *o)
{
	unsigned long i;

	for (i = 0; i < o->n; i++)
		make_listener(&o->addr, o->port + i);
	daemonize();
	hold_forever();
}

static int run_bind(const struct opts *o)
{
	bound_socket(&o->addr, o->port, false);
	daemonize();
	hold_forever();
}

/*
 * Open one connection to ADDR:@port.  Returns the fd, or -1 with errno
 * set and *call / *ep / *eport describing what failed.
 */
static int client_connect(const struct opts *o, unsigned long port,
			  const char **call, const struct endpoint **ep,
			  unsigned long *eport)
{
	union sockaddr_any sa;
	socklen_t len;
	int fd, err;

	*ep = &o->addr;
	*eport = port;
	*call = "socket";
	fd = socket(o->addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (o->have_src) {
		/*
		 * Without IP_BIND_ADDRESS_NO_PORT, bind() would pick the
		 * port from the bind-time search and we could not exhaust
		 * the ephemeral range the way connect() does.
		 */
		*ep = &o->src;
		*eport = 0;
		*call = "setsockopt(IP_BIND_ADDRESS_NO_PORT)";
		if (set_int_opt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1) < 0)
			goto fail;
		*call = "bind";
		len = endpoint_sockaddr(&o->src, 0, &sa);
		if (bind(fd, &sa.sa, len) < 0)
			goto fail;
		*ep = &o->addr;
		*eport = port;
	}
	*call = "connect";
	len = endpoint_sockaddr(&o->addr, port, &sa);
	if (connect(fd, &sa.sa, len) < 0)
		goto fail;
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* Take a connected socket to the state promised by the client mode. */
static void client_finish(const struct opts *o, int fd, unsigned long port)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	switch (o->mode) {
	case MODE_CLOSE:
		/*
		 * We send FIN first and wait for the server's FIN, so by
		 * the time read() sees EOF this side is in TIME_WAIT.
		 */
		if (shutdown(fd, SHUT_WR) < 0)
			die_call("shutdown", &o->addr, port, errno);
		if (read_to_eof(fd) < 0)
			die_call("read", &o->addr, port, errno);
		close(fd);
		break;
	case MODE_WAIT:
		/* The server closes first; we answer its FIN with ours. */
		if (read_to_eof(fd) < 0)
			die_call("read", &o->addr, port, errno);
		close(fd);
		break;
	case MODE_ABORT:
		/* Zero linger makes close() send RST and skip TIME_WAIT. */
		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
			die_call("setsockopt(SO_LINGER)", &o->addr, port,
				 errno);
		close(fd);
		break;
	case MODE_ORPHAN:
		close(fd);
		break;
	case MODE_HALF:
		/*
		 * Our FIN, and the fd kept: the peer's socket stays in
		 * CLOSE_WAIT while its application does not close, and
		 * ours in FIN_WAIT2 owned by this process (not an orphan,
		 * which no process would show for in ss -p).  With -w the
		 * shutdowns come later, all at once (half_shutdown_all()).
		 */
		if (!o->wait && shutdown(fd, SHUT_WR) < 0)
			die_call("shutdown", &o->addr, port, errno);
		break;
	default:
		/* hold: the fd stays open until the process dies. */
		break;
	}
}

/*
 * half with -w: the peers' sockets get their FIN (and nothing else) that
 * long after the handshake, so the last data they received (none: the
 * handshake) and the last ACK (the FIN) are that far apart.
 */
static void half_shutdown_all(const struct opts *o, const int *fds,
			      unsigned long n)
{
	unsigned long i;

	sleep(o->wait);
	for (i = 0; i < n; i++)
		if (shutdown(fds[i], SHUT_WR) < 0)
			die_call("shutdown", &o->addr, o->port, errno);
}

static int run_client(const struct opts *o)
{
	const struct endpoint *ep;
	unsigned long i, port, eport, connected = 0;
	const char *call;
	char buf[INET6_ADDRSTRLEN + 16];
	bool holds = o->mode == MODE_HOLD || o->mode == MODE_HALF;
	bool later = o->mode == MODE_HALF && o->wait;
	int fd, err = 0, *fds = NULL;

	for (i = 0; o->n_max || i < o->n; i++) {
		port = o->port + i % o->nports;
		fd = client_connect(o, port, &call, &ep, &eport);
		if (fd < 0) {
			err = errno;
			if (!o->n_max)
				die_call(call, ep, eport, err);
			/* Only connect() is expected to stop "-n max". */
			if (strcmp(call, "connect")) {
				fmt_endpoint(buf, sizeof(buf), ep, eport);
				fprintf(stderr, "twgen: %s %s: %s\n", call,
					buf, strerror(err));
			}
			break;
		}
		client_finish(o, fd, port);
		if (later) {
			fds = realloc(fds, (connected + 1) * sizeof(*fds));
			if (!fds)
				die_errno("realloc");
			fds[connected] = fd;
		}
		connected++;
	}

	if (o->n_max || !holds)
		printf("connected %lu\n", connected);
	if (o->n_max)
		printf("stopped: %s (%s)\n", errno_name(err), strerror(err));
	if (o->n_max && err != EADDRNOTAVAIL) {
		/* Do not leave a daemon behind when the caller sees failure. */
		fflush(stdout);
		return 1;
	}
	if (holds) {
		if (later)
			half_shutdown_all(o, fds, connected);
		daemonize();
		hold_forever();
	}
	if (fflush(stdout) == EOF)
		die_errno("write stdout");
	return 0;
}

static enum mode parse_mode(const char *s, enum cmd cmd)
{
	/* Bit per mode allowed for server and client respectively. */
	static const unsigned int allowed[] = {
		[CMD_SERVER] = 1u << MODE_WAIT | 1u << MODE_CLOSE |
			       1u << MODE_HOLD,
		[CMD_CLIENT] = 1u << MODE_CLOSE | 1u << MODE_WAIT |
			       1u << MODE_ABORT | 1u << MODE_HOLD |
			       1u << MODE_ORPHAN | 1u << MODE_HALF,
	};
	size_t m;

	for (m = 1; m < sizeof(mode_names) / sizeof(mode_names[0]); m++) {
		if (!strcmp(s, mode_names[m]) && (allowed[cmd] & 1u << m))
			return m;
	}
	usage_err("invalid mode '%s' for this command", s);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	/* Options each command accepts, beyond the common -a and -p. */
	static const char *const extra[] = {
		[CMD_SERVER] = "Pm",
		[CMD_CLIENT] = "Pnmsw",
		[CMD_LISTEN] = "n",
		[CMD_BIND] = "",
	};
	const char *mode_arg = NULL, *n_arg = NULL;
	int c, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help"))
			usage(stdout, 0);
	}
	if (argc < 2)
		usage_err("missing command");

	memset(o, 0, sizeof(*o));
	o->nports = 1;
	if (!strcmp(argv[1], "server"))
		o->cmd = CMD_SERVER;
	else if (!strcmp(argv[1], "client"))
		o->cmd = CMD_CLIENT;
	else if (!strcmp(argv[1], "listen"))
		o->cmd = CMD_LISTEN;
	else if (!strcmp(argv[1], "bind"))
		o->cmd = CMD_BIND;
	else
		usage_err("unknown command '%s'", argv[1]);

	/* '+': stop at the first non-option; ':': we report errors. */
	argc--;
	argv++;
	while ((c = getopt(argc, argv, "+:a:p:P:n:m:s:w:")) != -1) {
		if (c == '?')
			usage_err("unknown option -%c", optopt);
		if (c == ':')
			usage_err("option -%c needs an argument", optopt);
		if (c != 'a' && c != 'p' && !strchr(extra[o->cmd], c))
			usage_err("option -%c not valid for '%s'", c, argv[0]);
		switch (c) {
		case 'a':
			if (!parse_addr(optarg, &o->addr))
				usage_err("bad address '%s'", optarg);
			o->have_addr = true;
			break;
		case 's':
			if (!parse_addr(optarg, &o->src))
				usage_err("bad source address '%s'", optarg);
			o->have_src = true;
			break;
		case 'p':
			if (!tw_parse_ulong(optarg, 1, MAX_PORT, &o->port))
				usage_err("bad port '%s'", optarg);
			o->have_port = true;
			break;
		case 'P':
			if (!tw_parse_ulong(optarg, 1, MAX_PORT, &o->nports))
				usage_err("bad port count '%s'", optarg);
			break;
		case 'n':
			n_arg = optarg;
			break;
		case 'm':
			mode_arg = optarg;
			break;
		case 'w':
			if (!tw_parse_ulong(optarg, 0, 3600, &o->wait))
				usage_err("bad wait '%s'", optarg);
			break;
		}
	}
	if (optind < argc)
		usage_err("unexpected argument '%s'", argv[optind]);

	if (!o->have_addr)
		usage_err("missing -a ADDR");
	if (!o->have_port)
		usage_err("missing -p PORT");
	if (o->have_src && o->src.family != o->addr.family)
		usage_err("-s and -a must be the same address family");
	if (o->port + o->nports - 1 > MAX_PORT)
		usage_err("port range %lu+%lu exceeds 65535", o->port,
			  o->nports);

	if (strchr(extra[o->cmd], 'm')) {
		if (!mode_arg)
			usage_err("missing -m MODE");
		o->mode = parse_mode(mode_arg, o->cmd);
	}

	if (o->cmd == CMD_CLIENT) {
		if (!n_arg)
			usage_err("missing -n N");
		if (!strcmp(n_arg, "max"))
			o->n_max = true;
		else if (!tw_parse_ulong(n_arg, 0, (unsigned long)-1, &o->n))
			usage_err("bad count '%s'", n_arg);
	} else if (o->cmd == CMD_LISTEN) {
		if (!n_arg)
			usage_err("missing -n N");
		if (!tw_parse_ulong(n_arg, 1, MAX_PORT, &o->n))
			usage_err("bad count '%s'", n_arg);
		if (o->port + o->n - 1 > MAX_PORT)
			usage_err("port range %lu+%lu exceeds 65535", o->port,
				  o->n);
	}
}

int main(int argc, char **argv)
{
	tw_prog = "twgen";
	struct opts o;

	parse_args(argc, argv, &o);
	/*
	 * Drop fds inherited from the caller (a test harness's pipes, say):
	 * our background child would otherwise hold them open for ever.
	 * Nothing of ours is open yet; failure (old kernel) is harmless.
	 */
	close_range(3, ~0U, 0);
	raise_nofile();

	switch (o.cmd) {
	case CMD_SERVER:
		return run_server(&o);
	case CMD_CLIENT:
		return run_client(&o);
	case CMD_LISTEN:
		return run_listen(&o);
	case CMD_BIND:
		return run_bind(&o);
	}
	return 2;
}
